package mor

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientBaseURL(t *testing.T) {
	tests := []struct {
		base, want string
	}{
		{"https://mor.example.com", "https://mor.example.com/billing/api/cli_add"},
		{"https://mor.example.com/", "https://mor.example.com/billing/api/cli_add"},
		{"https://mor.example.com/billing", "https://mor.example.com/billing/api/cli_add"},
		{"https://mor.example.com/billing/", "https://mor.example.com/billing/api/cli_add"},
		{"http://10.0.0.1:8080/mor/billing", "http://10.0.0.1:8080/mor/billing/api/cli_add"},
	}
	for _, tt := range tests {
		c, err := NewClient(tt.base, "admin", "k")
		require.NoError(t, err, tt.base)
		assert.Equal(t, tt.want, c.Endpoint("cli_add"))
	}
	for _, bad := range []string{"", "mor.example.com", "ftp://x/billing", "https://", "https://user:pw@mor.example.com/billing",
		"https://mor.example.com/billing?u=admin", "https://mor.example.com/billing#x", "http://[::1"} {
		_, err := NewClient(bad, "admin", "k")
		assert.Error(t, err, bad)
		if err != nil {
			assert.NotContains(t, err.Error(), "pw@", "credentials must not be echoed")
		}
	}
	_, err := NewClient("https://mor.example.com", "", "k")
	assert.Error(t, err)
}

func TestOptionsValidate(t *testing.T) {
	for name, opt := range map[string]Option{
		"nil http client": WithHTTPClient(nil),
		"zero cap":        WithMaxResponseBytes(0),
		"negative cap":    WithMaxResponseBytes(-1),
		"ua newline":      WithUserAgent("x\r\nX-Evil: 1"),
		"negative tries":  WithRetries(-1, time.Second),
		"no base delay":   WithRetries(2, 0),
	} {
		_, err := NewClient("https://mor.example.com", "admin", "k", opt)
		assert.Error(t, err, name)
	}
}

func TestWithHTTPClientCopiesCallersClient(t *testing.T) {
	hc := &http.Client{Timeout: 7 * time.Second}
	before := *hc
	c, err := NewClient("https://mor.example.com", "admin", "k", WithHTTPClient(hc))
	require.NoError(t, err)
	assert.Equal(t, before.Timeout, hc.Timeout)
	assert.Nil(t, hc.CheckRedirect)
	assert.NotSame(t, hc, c.hc)
	assert.Equal(t, 7*time.Second, c.hc.Timeout)

	d, err := NewClient("https://mor.example.com", "admin", "k")
	require.NoError(t, err)
	assert.Equal(t, defaultTimeout, d.hc.Timeout, "the default client has a timeout")
}

// The wire contract: POST, form body, no query string, u/p/hash in the body,
// the secret's bytes nowhere in the request.
func TestRequestCapture(t *testing.T) {
	var (
		mu    sync.Mutex
		dumps [][]byte
		forms []url.Values
		paths []string
		query []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dump, err := httputil.DumpRequest(r, true)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		_ = r.ParseForm()
		mu.Lock()
		dumps, forms, paths, query = append(dumps, dump), append(forms, r.PostForm), append(paths, r.URL.Path), append(query, r.URL.RawQuery)
		mu.Unlock()
		assertFormRequest(t, r)
		switch {
		case strings.HasSuffix(r.URL.Path, "/cli_info_get"):
			_, _ = w.Write(readReply(t, "cli_info_get_success.xml"))
		case strings.HasSuffix(r.URL.Path, "/device_clis_get"):
			_, _ = w.Write(readReply(t, "device_clis_get_success.xml"))
		case strings.HasSuffix(r.URL.Path, "/cli_delete"):
			_, _ = w.Write(readReply(t, "cli_delete_success.xml"))
		default:
			_, _ = w.Write(readReply(t, "cli_add_success.xml"))
		}
	}))
	defer srv.Close()

	c, err := NewClient(srv.URL, "admin", testSecret, WithPassword(testPass), WithUserAgent("mor-test/1"))
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, c.CLIs.Add(ctx, AddCLIParams{DeviceID: 2, CLINumber: "37060000001", Description: "Front desk", Comment: "a&b=c", Banned: true, IVRID: 3}))
	require.NoError(t, c.CLIs.Delete(ctx, "37060000001"))
	_, err = c.CLIs.Info(ctx, "123456")
	require.NoError(t, err)
	_, err = c.CLIs.List(ctx, DeviceCLIsParams{UserID: 2, DeviceID: 7})
	require.NoError(t, err)
	_, err = c.CLIs.List(ctx, DeviceCLIsParams{})
	require.NoError(t, err)
	require.NoError(t, c.Call(ctx, "users_get", nil, nil))

	require.Len(t, forms, 6)
	assert.Equal(t, []string{"/billing/api/cli_add", "/billing/api/cli_delete", "/billing/api/cli_info_get",
		"/billing/api/device_clis_get", "/billing/api/device_clis_get", "/billing/api/users_get"}, paths)
	for i := range forms {
		assert.Empty(t, query[i], "no query string")
		assert.NotContains(t, string(dumps[i]), testSecret, "the secret never leaves the process")
		assert.Equal(t, "admin", forms[i].Get("u"))
		assert.Equal(t, testPass, forms[i].Get("p"), "p only in the body")
		assert.Len(t, forms[i].Get("hash"), 40)
		assert.Contains(t, string(dumps[i]), "User-Agent: mor-test/1")
	}
	// Exactly the documented parameters, and the hash over exactly what was sent.
	assert.Equal(t, url.Values{"u": {"admin"}, "p": {testPass}, "device_id": {"2"}, "cli_number": {"37060000001"},
		"cli_description": {"Front desk"}, "comment": {"a&b=c"}, "banned": {"1"}, "ivr_id": {"3"},
		"hash": {sha1hex("2" + "37060000001" + testSecret)}}, forms[0])
	assert.Equal(t, url.Values{"u": {"admin"}, "p": {testPass}, "cli_number": {"37060000001"},
		"hash": {sha1hex("37060000001" + testSecret)}}, forms[1])
	assert.Equal(t, url.Values{"u": {"admin"}, "p": {testPass}, "cli": {"123456"}, "hash": {sha1hex(testSecret)}}, forms[2])
	assert.Equal(t, url.Values{"u": {"admin"}, "p": {testPass}, "users_id": {"2"}, "devices_id": {"7"}, "hash": {sha1hex(testSecret)}}, forms[3])
	assert.Equal(t, url.Values{"u": {"admin"}, "p": {testPass}, "hash": {sha1hex(testSecret)}}, forms[4])
	// users_get's fixed list hashes u and p.
	assert.Equal(t, sha1hex("admin"+testPass+testSecret), forms[5].Get("hash"))
}

func assertFormRequest(t *testing.T, r *http.Request) {
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
}

func TestBannedFalseIsSentAsZero(t *testing.T) {
	c, mt := newMockClient(t)
	var form url.Values
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", func(r *http.Request) (*http.Response, error) {
		require.NoError(t, r.ParseForm())
		form = r.PostForm
		return httpmock.NewBytesResponse(200, readReply(t, "cli_add_success.xml")), nil
	})
	require.NoError(t, c.CLIs.Add(context.Background(), AddCLIParams{DeviceID: 2, CLINumber: "5"}))
	assert.Equal(t, url.Values{"u": {"admin"}, "device_id": {"2"}, "cli_number": {"5"}, "banned": {"0"},
		"hash": {sha1hex("25" + testSecret)}}, form)
}

func TestCallOutForms(t *testing.T) {
	body := readReply(t, "unexpected_other_root.xml")
	c, mt := newMockClient(t)
	var form url.Values
	mt.RegisterResponder(http.MethodPost, testBase+"/api/users_get", func(r *http.Request) (*http.Response, error) {
		require.NoError(t, r.ParseForm())
		form = r.PostForm
		return httpmock.NewBytesResponse(200, gzipOf(body)), nil
	})
	ctx := context.Background()

	require.NoError(t, c.Call(ctx, "users_get", url.Values{"s_user": {"2"}}, nil))
	assert.Equal(t, "2", form.Get("s_user"))

	var raw []byte
	require.NoError(t, c.Call(ctx, "users_get", nil, &raw))
	assert.Equal(t, body, raw, "*[]byte gets the decoded XML")

	var doc struct {
		XMLName xml.Name `xml:"page"`
		IDs     []int64  `xml:"users>user>id"`
	}
	require.NoError(t, c.Call(ctx, "users_get", nil, &doc))
	assert.Equal(t, []int64{2}, doc.IDs)

	var wrong struct {
		XMLName xml.Name `xml:"nothing"`
	}
	err := c.Call(ctx, "users_get", nil, &wrong)
	var pe *ParseError
	require.ErrorAs(t, err, &pe)

	mt.RegisterResponder(http.MethodPost, testBase+"/api/users_get", responder(200, readReply(t, "gate_incorrect_hash.xml"), nil))
	err = c.Call(ctx, "users_get", nil, &raw)
	assert.ErrorIs(t, err, ErrIncorrectHash)
	mt.RegisterResponder(http.MethodPost, testBase+"/api/device_clis_get", responder(200, readReply(t, "device_clis_get_none.xml"), nil))
	err = c.Call(ctx, "device_clis_get", nil, nil)
	assert.ErrorIs(t, err, ErrCLIsNotFound, "Call reports what CLIs.List turns into an empty list")
}

func TestHTTPErrors(t *testing.T) {
	tests := []struct {
		status    int
		body      []byte
		temporary bool
	}{
		{500, readRaw(t, "error_500.html"), true},
		{502, []byte("Bad gateway"), true},
		{503, nil, true},
		{404, []byte("<html><body>Not Found</body></html>"), false},
		{401, []byte("denied " + testSecret), false},
		{301, nil, false},
	}
	for _, tt := range tests {
		c, mt := newMockClient(t)
		mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(tt.status, tt.body, nil))
		err := addCall.run2(c)
		var he *HTTPError
		require.ErrorAs(t, err, &he, "status %d", tt.status)
		assert.Equal(t, tt.status, he.StatusCode)
		assert.Equal(t, "cli_add", he.Method)
		assert.Equal(t, tt.temporary, he.Temporary())
		assert.LessOrEqual(t, len(he.Snippet), 130)
		assert.NotContains(t, err.Error(), testSecret)
		assert.Equal(t, 1, mt.GetTotalCallCount(), "a write is never retried")
	}
}

func TestBadBodies(t *testing.T) {
	tests := []struct {
		name   string
		body   []byte
		header http.Header
		check  func(t *testing.T, err error)
	}{
		{"empty", nil, nil, isErr(ErrEmptyResponse)},
		{"whitespace", []byte(" \r\n\t "), nil, isErr(ErrEmptyResponse)},
		{"empty gzip", gzipOf(nil), nil, isErr(ErrEmptyResponse)},
		{"empty gzip with header", gzipOf(nil), http.Header{"Content-Encoding": {"gzip"}}, isErr(ErrEmptyResponse)},
		{"empty zip member", zipMembers(""), nil, isErr(ErrEmptyResponse)},
		{"html login page", readRaw(t, "login_page.html"), nil, isParse},
		{"html 500 page with 200", readRaw(t, "error_500.html"), nil, isParse},
		{"truncated gzip", readRaw(t, "truncated.xml.gz"), nil, isParse},
		{"two-member zip", readRaw(t, "two_members.zip"), nil, isParse},
		{"bad zip", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 40)...), nil, isParse},
		{"bad gzip header", []byte{0x1f, 0x8b, 0, 0, 0}, nil, isParse},
		{"garbage bytes", []byte{0x00, 0xff, 0xfe, 0x01, 0x02}, nil, isParse},
		{"text not xml", []byte("Internal Server Error"), nil, isParse},
		{"broken xml", []byte("<page><status><success>CLI successfully created</status></page>"), nil, isParse},
		{"unclosed xml", []byte("<page><status><success>CLI successfully created</success>"), nil, isParse},
		{"two roots", []byte("<page/><page/>"), nil, isParse},
		{"json", []byte(`{"status":"ok"}`), nil, isParse},
		{"unknown charset", []byte(`<?xml version="1.0" encoding="KOI8-R"?><page/>`), nil, isParse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(200, tt.body, tt.header))
			err := addCall.run2(c)
			require.Error(t, err)
			tt.check(t, err)
			var apiErr *APIError
			assert.False(t, errors.As(err, &apiErr))
		})
	}
}

func isErr(target error) func(t *testing.T, err error) {
	return func(t *testing.T, err error) { assert.ErrorIs(t, err, target) }
}

func isParse(t *testing.T, err error) {
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "cli_add", pe.Method)
}

func TestRawCaptures(t *testing.T) {
	ctx := context.Background()
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(200, readRaw(t, "cli_add_html_wrapped.html"), nil))
	assert.NoError(t, c.CLIs.Add(ctx, AddCLIParams{DeviceID: 2, CLINumber: "1"}))
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(200, readRaw(t, "cli_add_success.zip"), nil))
	assert.NoError(t, c.CLIs.Add(ctx, AddCLIParams{DeviceID: 2, CLINumber: "1"}))
	mt.RegisterResponder(http.MethodPost, testBase+"/api/device_create", responder(200, readRaw(t, "device_create_wiki_escaped.html"), nil))
	assert.ErrorIs(t, c.Call(ctx, "device_create", nil, nil), ErrIncorrectHash)
	mt.RegisterResponder(http.MethodPost, testBase+"/api/device_clis_get", responder(200, readRaw(t, "device_clis_get_success.xml.gz"),
		http.Header{"Content-Encoding": {"gzip"}}))
	clis, err := c.CLIs.List(ctx, DeviceCLIsParams{})
	require.NoError(t, err)
	assert.Len(t, clis, 3)
}

func TestResponseCap(t *testing.T) {
	reply := readReply(t, "device_clis_get_success.xml")
	limit := int64(len(reply))
	for _, form := range wireForms[:4] {
		t.Run(form.name, func(t *testing.T) {
			// Exactly the cap passes…
			c, mt := newMockClient(t, WithMaxResponseBytes(limit))
			mt.RegisterResponder(http.MethodPost, testBase+"/api/device_clis_get", responder(200, form.encode(reply), form.header))
			_, err := c.CLIs.List(context.Background(), DeviceCLIsParams{})
			require.NoError(t, err)
			// …one byte less fails with the typed error.
			c, mt = newMockClient(t, WithMaxResponseBytes(limit-1))
			mt.RegisterResponder(http.MethodPost, testBase+"/api/device_clis_get", responder(200, form.encode(reply), form.header))
			_, err = c.CLIs.List(context.Background(), DeviceCLIsParams{})
			assert.ErrorIs(t, err, ErrResponseTooLarge)
		})
	}
	// A small gzip bomb: 64 MiB of white space inside <page> from ~64 KiB,
	// against a 1 MiB cap.
	bomb := gzipOf(append([]byte("<page>"), bytes.Repeat([]byte(" "), 64<<20)...))
	c, mt := newMockClient(t, WithMaxResponseBytes(1<<20))
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(200, bomb, nil))
	assert.ErrorIs(t, addCall.run2(c), ErrResponseTooLarge)
}

func TestContextCancellation(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, err := NewClient(srv.URL, "admin", testSecret)
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.CLIs.Info(ctx, "1")
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	ctx, cancel = context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	err = c.CLIs.Add(ctx, AddCLIParams{DeviceID: 2, CLINumber: "1"})
	assert.ErrorIs(t, err, context.Canceled)

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	_, err = c.CLIs.List(ctx, DeviceCLIsParams{})
	assert.ErrorIs(t, err, context.Canceled)

	//nolint:staticcheck // a nil context is a caller bug we report, not panic on
	assert.Error(t, c.CLIs.Add(nil, AddCLIParams{DeviceID: 2, CLINumber: "1"})) //lint:ignore SA1012 testing the guard
}

func TestRetriesOnlyReads(t *testing.T) {
	for _, tt := range []struct {
		call  call
		tries int
	}{{infoCall, 3}, {listCall, 3}, {addCall, 1}, {deleteCall, 1}} {
		t.Run(tt.call.method, func(t *testing.T) {
			c, mt := newMockClient(t, WithRetries(2, time.Millisecond))
			mt.RegisterResponder(http.MethodPost, testBase+"/api/"+tt.call.method, responder(503, []byte("busy"), nil))
			_, err := tt.call.run(context.Background(), c)
			var he *HTTPError
			assert.ErrorAs(t, err, &he)
			assert.Equal(t, tt.tries, mt.GetTotalCallCount())
		})
	}
	// A read succeeds after a transport error and a 502.
	c, mt := newMockClient(t, WithRetries(3, time.Millisecond))
	var n atomic.Int32
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_info_get", func(r *http.Request) (*http.Response, error) {
		switch n.Add(1) {
		case 1:
			return nil, errors.New("connection reset by peer")
		case 2:
			return httpmock.NewStringResponse(502, "bad gateway"), nil
		}
		return httpmock.NewBytesResponse(200, readReply(t, "cli_info_get_success.xml")), nil
	})
	info, err := c.CLIs.Info(context.Background(), "123456")
	require.NoError(t, err)
	assert.Equal(t, &CLIInfo{UserID: 2, DeviceID: 2}, info)
	assert.EqualValues(t, 3, n.Load())

	// Server errors are answers, not failures: never retried.
	c, mt = newMockClient(t, WithRetries(3, time.Millisecond))
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_info_get", responder(200, readReply(t, "cli_info_get_not_found.xml"), nil))
	_, err = c.CLIs.Info(context.Background(), "1")
	assert.ErrorIs(t, err, ErrCLINotFound)
	assert.Equal(t, 1, mt.GetTotalCallCount())

	// Backoff honours the context.
	c, mt = newMockClient(t, WithRetries(5, time.Hour))
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_info_get", responder(503, nil, nil))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err = c.CLIs.Info(ctx, "1")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var te *TransportError
	assert.ErrorAs(t, err, &te, "an ended context is a TransportError wherever it ends the call")
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestLoggerRedacts(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := newMockClient(t, WithLogger(logger), WithPassword(testPass))
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(200, readReply(t, "gate_incorrect_hash.xml"), nil))
	err := c.CLIs.Add(context.Background(), AddCLIParams{DeviceID: 2, CLINumber: "37060000001"})
	require.ErrorIs(t, err, ErrIncorrectHash)
	out := buf.String()
	assert.Contains(t, out, `"msg":"mor request"`)
	assert.Contains(t, out, `"msg":"mor response"`)
	assert.Contains(t, out, `"cli_number":"37060000001"`)
	assert.Contains(t, out, "Incorrect hash")
	for _, secret := range []string{testSecret, testPass, Hash("cli_add", url.Values{"device_id": {"2"}, "cli_number": {"37060000001"}}, testSecret),
		"237060000001" + testSecret} {
		assert.NotContains(t, out, secret)
	}
	// Nothing is logged above debug.
	buf.Reset()
	quiet := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	c, mt = newMockClient(t, WithLogger(quiet))
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(200, readReply(t, "cli_add_success.xml"), nil))
	require.NoError(t, addCall.run2(c))
	assert.Empty(t, buf.String())
}

func TestServerEchoingSecretIsScrubbed(t *testing.T) {
	c, mt := newMockClient(t, WithPassword(testPass))
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(200,
		[]byte("<page><status><error>bad key "+testSecret+" for pw "+testPass+"</error></status></page>"), nil))
	err := addCall.run2(c)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "bad key [redacted] for pw [redacted]", apiErr.Message)
	assert.NotContains(t, err.Error(), testSecret)
}

func TestRedirectThatDropsBodyIsRefused(t *testing.T) {
	var hits atomic.Int32
	final := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.WriteString(w, "<status><error>Access Denied</error></status>")
	}))
	defer final.Close()
	redir := httptest.NewServer(http.RedirectHandler(final.URL+"/billing/api/cli_add", http.StatusFound))
	defer redir.Close()
	for _, opts := range [][]Option{nil, {WithHTTPClient(&http.Client{})}} {
		c, err := NewClient(redir.URL, "admin", testSecret, opts...)
		require.NoError(t, err)
		err = addCall.run2(c)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "drop the POST body")
		assert.Zero(t, hits.Load())
	}
}

func TestConcurrentUse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.PostForm.Get("hash") != Hash("cli_add", url.Values{"device_id": r.PostForm["device_id"], "cli_number": r.PostForm["cli_number"]}, testSecret) {
			_, _ = w.Write(readReply(t, "gate_incorrect_hash.xml"))
			return
		}
		_, _ = w.Write(readReply(t, "cli_add_success.xml"))
	}))
	defer srv.Close()
	c, err := NewClient(srv.URL, "admin", testSecret)
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for g := range 8 {
		wg.Go(func() {
			for i := range 25 {
				errs <- c.CLIs.Add(context.Background(), AddCLIParams{DeviceID: int64(g + 1), CLINumber: strings.Repeat("1", i+1)})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
}

func TestInDoubt(t *testing.T) {
	ctx := context.Background()
	// Refused connection: nothing was written, so a write did not happen.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c, err := NewClient("http://"+addr, "admin", testSecret)
	require.NoError(t, err)
	err = c.CLIs.Add(ctx, AddCLIParams{DeviceID: 2, CLINumber: "1"})
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.False(t, te.MaybeSent())
	assert.False(t, InDoubt(err))
	assert.Equal(t, "cli_add", te.Method)

	// The server reads the request, then drops the connection: in doubt.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	c, err = NewClient(srv.URL, "admin", testSecret)
	require.NoError(t, err)
	err = c.CLIs.Add(ctx, AddCLIParams{DeviceID: 2, CLINumber: "1"})
	require.ErrorAs(t, err, &te)
	assert.True(t, te.MaybeSent())
	assert.True(t, InDoubt(err))

	// The server answered: refused means not applied.
	m, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(200, readReply(t, "cli_add_exists_owner.xml"), nil))
	err = m.CLIs.Add(ctx, AddCLIParams{DeviceID: 2, CLINumber: "1"})
	require.ErrorIs(t, err, ErrCLIExists)
	assert.False(t, InDoubt(err))
	assert.False(t, InDoubt(m.CLIs.Add(ctx, AddCLIParams{DeviceID: 0, CLINumber: "1"})), "validation: nothing sent")
	assert.False(t, InDoubt(nil))

	for name, body := range map[string][]byte{"empty": nil, "garbage": []byte("\x00garbage")} {
		mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(200, body, nil))
		assert.True(t, InDoubt(m.CLIs.Add(ctx, AddCLIParams{DeviceID: 2, CLINumber: "1"})), name)
	}
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(502, nil, nil))
	assert.True(t, InDoubt(m.CLIs.Add(ctx, AddCLIParams{DeviceID: 2, CLINumber: "1"})), "502 from a proxy")

	// A context that ends while waiting for the reply: in doubt, and still a
	// context error.
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // so the server notices the client going away
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer slow.Close()
	defer close(release)
	c, err = NewClient(slow.URL, "admin", testSecret)
	require.NoError(t, err)
	tctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	err = c.CLIs.Add(tctx, AddCLIParams{DeviceID: 2, CLINumber: "1"})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.True(t, InDoubt(err))
}
