package mor

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
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

// A redirect off the base URL's scheme and host is refused before anything
// is sent there: a 307 or 308 keeps the POST, so following it would hand
// u, p and the hash to whatever host the first server names, and the SDK
// would trust that host's answer. The guard holds on the default client
// and on a WithHTTPClient copy whose own CheckRedirect allows everything.
func TestRedirectOffOriginIsRefused(t *testing.T) {
	var hits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.WriteString(w, "<page><status><success>CLI successfully created</success></status></page>")
	}))
	defer other.Close()
	target := other.URL + "/billing/api/cli_add?token=leaky-query"
	userinfo := strings.Replace(other.URL, "http://", "http://user:pw-in-location@", 1) + "/billing/api/cli_add"
	allowAll := func(*http.Request, []*http.Request) error { return nil }

	type origin struct {
		name string
		srv  *httptest.Server
		hc   func(*httptest.Server) []Option
	}
	plain := func(*httptest.Server) []Option { return nil }
	permissive := func(*httptest.Server) []Option {
		return []Option{WithHTTPClient(&http.Client{CheckRedirect: allowAll})}
	}
	tlsPermissive := func(s *httptest.Server) []Option {
		hc := s.Client()
		hc.CheckRedirect = allowAll
		return []Option{WithHTTPClient(hc)}
	}
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, loc := range []string{target, userinfo} {
			redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Location", loc)
				w.WriteHeader(status)
			})
			srv := httptest.NewServer(redirect)
			tlsSrv := httptest.NewTLSServer(redirect) // https → http: a downgrade and another host
			for _, o := range []origin{{"default client", srv, plain}, {"caller's client", srv, permissive}, {"https origin", tlsSrv, tlsPermissive}} {
				c, err := NewClient(o.srv.URL+"/billing", "admin", testSecret, append(o.hc(o.srv), WithPassword(testPass))...)
				require.NoError(t, err)
				err = addCall.run2(c)
				require.Error(t, err, "%d %s", status, o.name)
				var re *RedirectError
				require.ErrorAs(t, err, &re, "%d %s: %v", status, o.name, err)
				assert.Equal(t, status, re.StatusCode)
				assert.Equal(t, other.URL+"/billing/api/cli_add", re.Location, "the target, without query or userinfo")
				assert.Contains(t, err.Error(), other.URL+"/billing/api/cli_add")
				for _, leak := range []string{"leaky-query", "pw-in-location", testSecret, testPass} {
					assert.NotContains(t, err.Error(), leak)
				}
				assert.Zero(t, hits.Load(), "%d %s: the other host received the request", status, o.name)
			}
			srv.Close()
			tlsSrv.Close()
		}
	}
}

// An https base URL redirected to http on the same host is a downgrade and
// refused; a redirect within the same scheme and host (which 307/308 keep a
// POST for) is still followed, and a caller's CheckRedirect still runs
// after the SDK's own checks.
func TestRedirectDowngradeAndSameOrigin(t *testing.T) {
	var hits atomic.Int32
	var mux http.ServeMux
	mux.HandleFunc("/billing/api/cli_add", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/moved/api/cli_add", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/moved/api/cli_add", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_ = r.ParseForm()
		assert.Equal(t, "admin", r.PostForm.Get("u"), "a 307 keeps the body")
		_, _ = io.WriteString(w, "<page><status><success>CLI successfully created</success></status></page>")
	})
	srv := httptest.NewServer(&mux)
	defer srv.Close()
	var callerSaw atomic.Int32
	for _, opts := range [][]Option{nil, {WithHTTPClient(&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		callerSaw.Add(1)
		return nil
	}})}} {
		c, err := NewClient(srv.URL+"/billing", "admin", testSecret, opts...)
		require.NoError(t, err)
		require.NoError(t, addCall.run2(c))
	}
	assert.EqualValues(t, 2, hits.Load())
	assert.EqualValues(t, 1, callerSaw.Load(), "the caller's CheckRedirect runs after the SDK's")

	// The downgrade, checked on the exported rule itself: same host and port.
	from, _ := http.NewRequest(http.MethodPost, "https://mor.example.com/billing/api/cli_add", nil)
	to, _ := http.NewRequest(http.MethodPost, "http://mor.example.com/billing/api/cli_add", nil)
	err := CheckRedirect(to, []*http.Request{from})
	var re *RedirectError
	require.ErrorAs(t, err, &re)
	assert.Contains(t, err.Error(), "http://mor.example.com/billing/api/cli_add")
	same, _ := http.NewRequest(http.MethodPost, "https://MOR.example.com:443/other/api/cli_add", nil)
	assert.NoError(t, CheckRedirect(same, []*http.Request{from}), "host case and the default port do not make another origin")
	get, _ := http.NewRequest(http.MethodGet, "https://mor.example.com/billing/api/cli_add", nil)
	assert.ErrorContains(t, CheckRedirect(get, []*http.Request{from}), "drop the POST body")
}

// The debug log hides the value of every credential parameter the API
// takes, not only p and hash. (Checked on the log value itself, so that it
// holds whatever Call accepts.)
func TestLoggerRedactsEveryCredentialParam(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	params := url.Values{"user_id": {"2"}, "u": {"admin"}, "p": {testPass}, "hash": {"0123456789abcdef0123456789abcdef01234567"}}
	names := []string{"pswd", "password", "password2", "device_password", "login_password", "email_password", "pin", "s_pin",
		"card_pin", "primary_device_pin", "api_secret_key", "secret", "ami_secret", "auth_code", "new_device_pin", "PIN"}
	for i, name := range names {
		params.Set(name, fmt.Sprintf("cred-%02d-value", i))
	}
	logger.Debug("mor request", slog.Any("params", redactedBody(params.Encode())))
	out := buf.String()
	assert.Contains(t, out, `"user_id":"2"`)
	assert.Contains(t, out, `"u":"admin"`)
	for i, name := range append(names, "p", "hash") {
		assert.Contains(t, out, `"`+name+`":"[redacted]"`)
		if i < len(names) {
			assert.NotContains(t, out, fmt.Sprintf("cred-%02d-value", i), name)
		}
	}
	assert.NotContains(t, out, testPass)
	assert.NotContains(t, out, "0123456789abcdef")
}

// An empty <error> is still a failure, and its text says so.
func TestEmptyErrorElement(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(200, []byte("<page><status><error></error></status></page>"), nil))
	err := addCall.run2(c)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "", ae.Message, "the server's text is kept verbatim")
	assert.Equal(t, "mor: cli_add: (empty error element)", err.Error())
	two := newAPIError("cli_add", []string{"CLI must be numeric", " "})
	assert.Equal(t, "mor: cli_add: CLI must be numeric; (empty error element)", two.Error())
}

// Content-Encoding: gzip on a body that is not gzip is a broken reply: a
// ParseError, never retried, whatever transport the client uses.
func TestGzipHeaderOnPlainBody(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(readReply(t, "device_clis_get_success.xml"))
	}))
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c, err := NewClient(srv.URL, "admin", testSecret, WithHTTPClient(&http.Client{Transport: tr}), WithRetries(3, time.Millisecond))
	require.NoError(t, err)
	_, err = listCall.run(context.Background(), c)
	var pe *ParseError
	require.ErrorAs(t, err, &pe, "%T %v", err, err)
	assert.Contains(t, pe.Reason, "gzip")
	assert.EqualValues(t, 1, hits.Load(), "a broken reply is not retried")

	m, mt := newMockClient(t, WithRetries(3, time.Millisecond))
	mt.RegisterResponder(http.MethodPost, testBase+"/api/device_clis_get", responder(200, readReply(t, "device_clis_get_success.xml"),
		http.Header{"Content-Encoding": {"gzip"}}))
	_, err = listCall.run(context.Background(), m)
	require.ErrorAs(t, err, &pe, "%T %v", err, err)
	assert.Equal(t, 1, mt.GetTotalCallCount())

	// A real gzip body with the header is still read, through the real
	// transport too.
	gzSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(gzipOf(readReply(t, "device_clis_get_success.xml")))
	}))
	defer gzSrv.Close()
	c, err = NewClient(gzSrv.URL, "admin", testSecret, WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	clis, err := listCall.run(context.Background(), c)
	require.NoError(t, err)
	assert.Len(t, clis, 3)
}

// A reply declared ISO-8859-1 or Windows-1252 decodes, in Call into a
// struct and in the typed methods.
func TestLegacyCharsets(t *testing.T) {
	type user struct {
		Name  string `xml:"status>name"`
		Quote string `xml:"status>quote"`
	}
	tests := []struct {
		encoding   string
		body       []byte
		name, quot string
	}{
		{"ISO-8859-1", []byte("<status><name>J\xf6rg \xe9t\xe9</name><quote>\xab\xa0x\xbb</quote></status>"), "Jörg été", "«\u00a0x»"},
		{"windows-1252", []byte("<status><name>J\xf6rg \x80 5</name><quote>\x93x\x94 \x85 \x9c</quote></status>"), "Jörg € 5", "“x” … œ"},
		{"cp1252", []byte("<status><name>\x8a\x9a</name><quote>\x96\x97</quote></status>"), "Šš", "–—"},
	}
	for _, tt := range tests {
		body := append([]byte(`<?xml version="1.0" encoding="`+tt.encoding+`"?>`+"\n<page>"), tt.body...)
		body = append(body, "</page>"...)
		c, mt := newMockClient(t)
		mt.RegisterResponder(http.MethodPost, testBase+"/api/user_details_get", responder(200, body, nil))
		var u user
		require.NoError(t, c.Call(context.Background(), "user_details_get", url.Values{"user_id": {"2"}}, &u), tt.encoding)
		assert.Equal(t, tt.name, u.Name, tt.encoding)
		assert.Equal(t, tt.quot, u.Quote, tt.encoding)
	}
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(200,
		[]byte("<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<page><status><error>CLI already exists. It is assigned to J\xf6rg \x80 device</error></status></page>"), nil))
	err := addCall.run2(c)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "Jörg €", ae.Owner)
}

// One "mor: METHOD: " prefix, whatever the error wraps.
func TestErrorPrefixOnce(t *testing.T) {
	ctx := context.Background()
	var errs []error
	for name, body := range map[string][]byte{
		"empty":      nil,
		"api error":  []byte("<status><error>Incorrect hash</error></status>"),
		"unexpected": readReply(t, "unexpected_other_root.xml"),
		"broken":     []byte("<page><status>"),
		"html page":  readRaw(t, "login_page.html"),
		"too large":  bytes.Repeat([]byte(" "), 2048),
		"gzip lie":   []byte("<page/>"),
	} {
		c, mt := newMockClient(t, WithMaxResponseBytes(1024))
		h := http.Header{}
		if name == "gzip lie" {
			h.Set("Content-Encoding", "gzip")
		}
		for _, m := range []string{"cli_add", "cli_info_get", "device_clis_get", "cli_delete"} {
			mt.RegisterResponder(http.MethodPost, testBase+"/api/"+m, responder(200, body, h))
		}
		for _, cl := range []call{addCall, infoCall, listCall, deleteCall} {
			_, err := cl.run(ctx, c)
			errs = append(errs, err)
		}
		if name != "unexpected" { // Call takes any root element
			errs = append(errs, c.Call(ctx, "cli_add", nil, nil))
		}
	}
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(503, []byte("down for maintenance"), nil))
	errs = append(errs, addCall.run2(c))
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_info_get", httpmock.NewErrorResponder(errors.New("connection refused")))
	_, err := infoCall.run(ctx, c)
	errs = append(errs, err,
		c.Call(ctx, "bad name", nil, nil),
		c.Call(ctx, "cli_add", url.Values{"hash": {"x"}}, nil),
		c.CLIs.Add(ctx, AddCLIParams{DeviceID: 2, CLINumber: "12a"}),
		&TransportError{Method: "cli_add", Err: ErrResponseTooLarge},
		&ParseError{Method: "cli_add", Reason: "x", Err: ErrUnexpectedResponse},
		&RedirectError{Method: "cli_add", StatusCode: 307, Location: "https://x/y", Reason: "r"},
	)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	errs = append(errs, addCall.run2ctx(cancelled, c))
	for _, err := range errs {
		require.Error(t, err)
		msg := err.Error()
		assert.Equal(t, 1, strings.Count(msg, "mor: "), "%T: %s", err, msg)
		assert.Regexp(t, `^mor: [a-z_ ]+: `, msg)
	}
}

func (cl call) run2ctx(ctx context.Context, c *Client) error {
	_, err := cl.run(ctx, c)
	return err
}

// A base URL that already ends in /api names the API endpoint itself.
func TestBaseURLEndingInAPI(t *testing.T) {
	for base, want := range map[string]string{
		"https://mor.example.com/billing/api":  "https://mor.example.com/billing/api/cli_add",
		"https://mor.example.com/billing/api/": "https://mor.example.com/billing/api/cli_add",
		"https://mor.example.com/api":          "https://mor.example.com/api/cli_add",
		"https://mor.example.com/mor/API/":     "https://mor.example.com/mor/API/cli_add",
		"https://mor.example.com/apiary":       "https://mor.example.com/apiary/api/cli_add",
	} {
		c, err := NewClient(base, "admin", "k")
		require.NoError(t, err, base)
		assert.Equal(t, want, c.Endpoint("cli_add"), base)
	}
}

// An empty or blank secret can only mean a server that does not check
// hashes, and the caller must say so.
func TestEmptySecret(t *testing.T) {
	for _, secret := range []string{"", " ", "\t\r\n"} {
		_, err := NewClient("https://mor.example.com", "admin", secret)
		require.Error(t, err, "%q", secret)
		assert.Contains(t, err.Error(), "WithoutHashCheck")
		c, err := NewClient("https://mor.example.com", "admin", secret, WithoutHashCheck())
		require.NoError(t, err, "%q", secret)
		assert.NotNil(t, c)
	}
	_, err := NewClient("https://mor.example.com", "admin", "k", WithoutHashCheck())
	assert.NoError(t, err, "a secret with WithoutHashCheck is still used")
}
