package mortest_test

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// Gates of spec §2, in order, with the settings of §3.2 and §4.2.
func TestGates(t *testing.T) {
	const secret = mortest.SpecSecret
	listAdmin := listing(rec1, rec2, rec3)
	tests := []struct {
		name  string
		setup func(srv *mortest.Server)
		path  string
		p     url.Values
		key   string // secret to sign with; "" sends no hash
		get   bool
		want  string
	}{
		{name: "unknown method", path: "users_get_all", p: vals("u", "admin"), key: secret,
			want: shapeA("There is no such API")},
		{name: "unknown method before caller lookup", path: "nope", p: vals("u", "nobody"),
			want: shapeA("There is no such API")},
		{name: "username is case-insensitive", path: "device_clis_get", p: vals("u", "ADMIN"), key: secret,
			want: listAdmin},
		{name: "username ignores trailing spaces", path: "device_clis_get", p: vals("u", "admin  "), key: secret,
			want: listAdmin},
		{name: "API off for admin", setup: func(srv *mortest.Server) {
			srv.SetSettings(0, mortest.Settings{Secret: secret})
		}, path: "device_clis_get", p: vals("u", "admin"), key: secret, want: shapeA("API Requests are disabled")},
		{name: "API off for admin applies to accountant", setup: func(srv *mortest.Server) {
			srv.SetSettings(0, mortest.Settings{Secret: secret})
		}, path: "device_clis_get", p: vals("u", "accountant"), key: secret, want: shapeA("API Requests are disabled")},
		{name: "API off for admin, reseller still on", setup: func(srv *mortest.Server) {
			srv.SetSettings(0, mortest.Settings{Secret: secret})
		}, path: "device_clis_get", p: vals("u", "reseller"), key: secret, want: listing(rec2)},
		{name: "reseller API off passes on admin's", setup: func(srv *mortest.Server) {
			srv.SetSettings(3, mortest.Settings{})
		}, path: "device_clis_get", p: vals("u", "reseller"), key: secret, want: listing(rec2)},
		{name: "reseller's user: no admin fallback", setup: func(srv *mortest.Server) {
			srv.SetSettings(3, mortest.Settings{})
		}, path: "device_clis_get", p: vals("u", "user_reseller"), key: secret, want: shapeA("API Requests are disabled")},
		{name: "gates skipped for unknown user", setup: func(srv *mortest.Server) {
			srv.SetSettings(0, mortest.Settings{})
		}, path: "cli_info_get", p: vals("u", "ghost", "cli", "1"), want: shapeC("Bad login")},
		{name: "GET refused", path: "device_clis_get", p: vals("u", "admin"), key: secret, get: true,
			want: shapeA("GET Requests are disabled")},
		{name: "GET before hash", path: "device_clis_get", p: vals("u", "admin"), get: true,
			want: shapeA("GET Requests are disabled")},
		{name: "GET allowed", setup: func(srv *mortest.Server) { srv.SetAllowGET(true) },
			path: "device_clis_get", p: vals("u", "admin"), key: secret, get: true, want: listAdmin},
		{name: "GET by unknown user reaches the action", path: "cli_add", p: vals("u", "ghost"), get: true,
			want: shapeB("Access Denied")},
		{name: "no hash", path: "device_clis_get", p: vals("u", "admin"), want: shapeA("Incorrect hash")},
		{name: "uppercase hash is wrong", path: "device_clis_get",
			p: vals("u", "admin", "hash", strings.ToUpper(mor.Hash("device_clis_get", nil, secret))), want: shapeA("Incorrect hash")},
		{name: "wrong secret", path: "device_clis_get", p: vals("u", "admin"), key: "other", want: shapeA("Incorrect hash")},
		{name: "no secret key", setup: func(srv *mortest.Server) {
			srv.SetSettings(0, mortest.Settings{AllowAPI: true})
		}, path: "device_clis_get", p: vals("u", "admin"), key: secret, want: shapeA("API must have Secret Key")},
		{name: "hash checking off", setup: func(srv *mortest.Server) {
			srv.SetSettings(0, mortest.Settings{AllowAPI: true, DisableHashCheck: true})
		}, path: "device_clis_get", p: vals("u", "admin", "hash", "whatever"), want: listAdmin},
		{name: "reseller signs with admin's key", setup: func(srv *mortest.Server) {
			srv.SetSettings(0, mortest.Settings{AllowAPI: true, Secret: "admins"})
		}, path: "device_clis_get", p: vals("u", "reseller"), key: "admins", want: listing(rec2)},
		{name: "reseller without key uses admin's", setup: func(srv *mortest.Server) {
			srv.SetSettings(3, mortest.Settings{AllowAPI: true})
		}, path: "device_clis_get", p: vals("u", "reseller"), key: secret, want: listing(rec2)},
		{name: "reseller with no usable key", setup: func(srv *mortest.Server) {
			srv.SetSettings(3, mortest.Settings{AllowAPI: true})
			srv.SetSettings(0, mortest.Settings{AllowAPI: true})
		}, path: "device_clis_get", p: vals("u", "reseller"), key: secret, want: shapeA("API must have Secret Key")},
		{name: "reseller: admin's disabled hash check applies", setup: func(srv *mortest.Server) {
			srv.SetSettings(0, mortest.Settings{AllowAPI: true, Secret: secret, DisableHashCheck: true})
		}, path: "device_clis_get", p: vals("u", "reseller"), want: listing(rec2)},
		{name: "user of admin: admin's disabled hash check applies", setup: func(srv *mortest.Server) {
			srv.SetSettings(0, mortest.Settings{AllowAPI: true, Secret: secret, DisableHashCheck: true})
		}, path: "device_clis_get", p: vals("u", "user_admin"), want: shapeB("Access Denied")},
		{name: "reseller's user uses reseller's key", setup: func(srv *mortest.Server) {
			srv.SetSettings(3, mortest.Settings{AllowAPI: true, Secret: "res"})
		}, path: "device_clis_get", p: vals("u", "user_reseller"), key: "res", want: shapeB("Access Denied")},
		{name: "path id is hashed", path: "cli_info_get/77", p: vals("u", "admin", "cli", "123456"),
			key: "id", want: infoReply("2", "2")},
		{name: "path id changes the hash", path: "cli_info_get/77", p: vals("u", "admin", "cli", "123456"), key: secret,
			want: shapeA("Incorrect hash")},
		{name: "alias cli_get_info", path: "cli_get_info", p: vals("u", "admin", "cli", "123456"), key: secret,
			want: infoReply("2", "2")},
		{name: "format suffix", path: "cli_info_get.xml", p: vals("u", "admin", "cli", "123456"), key: secret,
			want: infoReply("2", "2")},
		{name: "extra hashed key must be signed", path: "cli_info_get", p: vals("u", "admin", "cli", "123456", "user_id", "2"),
			key: secret, want: infoReply("2", "2")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(srv)
			}
			p := tt.p
			method := strings.SplitN(strings.SplitN(tt.path, "/", 2)[0], ".", 2)[0]
			switch tt.key {
			case "":
			case "id": // sign as the server sees it: with the path id
				q := url.Values{"id": {"77"}}
				for k, v := range p {
					q[k] = v
				}
				p = vals()
				for k, v := range q {
					p[k] = v
				}
				p.Set("hash", mor.Hash(method, q, secret))
				p.Del("id")
			default:
				p = sign(method, p, tt.key)
			}
			var body string
			if tt.get {
				resp, err := http.Get(srv.URL + "/billing/api/" + tt.path + "?" + p.Encode())
				require.NoError(t, err)
				defer resp.Body.Close()
				b, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				body = string(b)
			} else {
				_, body = post(t, srv, "/billing/api/"+tt.path, p)
			}
			assert.Equal(t, tt.want, body)
		})
	}
}

// Query and body merge: the query wins on a clash, a repeated name keeps
// its last value (spec §1.1).
func TestParamsMerge(t *testing.T) {
	srv := newSpecServer(t)
	signed := sign("cli_info_get", vals("u", "admin", "cli", "123456"), mortest.SpecSecret)
	q := url.Values{"cli": {"000", "123456"}}
	resp, err := http.Post(srv.URL+"/billing/api/cli_info_get?"+q.Encode(), "application/x-www-form-urlencoded",
		strings.NewReader(vals("u", "admin", "cli", "987654", "hash", signed.Get("hash")).Encode()))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	assert.Equal(t, infoReply("2", "2"), string(b))
}

func TestRouting(t *testing.T) {
	srv := newSpecServer(t)
	for _, path := range []string{"/", "/billing", "/billing/api/", "/api/cli_add", "/billing/api/a/b/c"} {
		resp, err := http.Post(srv.URL+path, "application/x-www-form-urlencoded", nil)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
	}
	req, _ := http.NewRequest(http.MethodPut, srv.URL+"/billing/api/cli_add", nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, 0, srv.Requests("cli_add"))
}

// Headers of spec §1.2; every reply is HTTP 200.
func TestHeaders(t *testing.T) {
	tests := []struct {
		name      string
		xmlExt    bool
		test      string
		ctype     string
		dispos    string
		transferB bool
	}{
		{"download", false, "", "text/html", `attachment; filename="mor_api_response.html"`, true},
		{"download test=0", false, "0", "text/html", `attachment; filename="mor_api_response.html"`, true},
		{"inline test=1", false, "1", "text/html; charset=utf-8", "", false},
		{"inline test=01", false, "01", "text/html; charset=utf-8", "", false},
		{"inline test=1x", false, "1x", "text/html; charset=utf-8", "", false},
		{"xml download", true, "", "text/xml", `attachment; filename="mor_api_response.xml"`, true},
		{"xml inline", true, "1", "application/xml; charset=utf-8", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSpecServer(t)
			srv.SetXMLExtension(tt.xmlExt)
			p := vals("u", "admin")
			if tt.test != "" {
				p.Set("test", tt.test)
			}
			for _, body := range []url.Values{sign("device_clis_get", p, mortest.SpecSecret), p} { // success and error
				resp, _ := post(t, srv, "/billing/api/device_clis_get", body)
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Equal(t, tt.ctype, resp.Header.Get("Content-Type"))
				assert.Equal(t, tt.dispos, resp.Header.Get("Content-Disposition"))
				assert.Equal(t, tt.transferB, resp.Header.Get("Content-Transfer-Encoding") == "binary")
			}
		})
	}
}

// Each wire form decodes back to the plain reply.
func TestWireForms(t *testing.T) {
	want := listing(rec1, rec2, rec3)
	tests := []struct {
		wire   mortest.Wire
		header string // Content-Encoding
		decode func(t *testing.T, b []byte) string
	}{
		{mortest.WirePlain, "", func(t *testing.T, b []byte) string { return string(b) }},
		{mortest.WireGzip, "gzip", gunzip},
		{mortest.WireGzipRaw, "", gunzip},
		{mortest.WireZip, "", func(t *testing.T, b []byte) string {
			require.True(t, bytes.HasPrefix(b, []byte("PK\x03\x04")))
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			require.NoError(t, err)
			require.Len(t, zr.File, 1)
			f, err := zr.File[0].Open()
			require.NoError(t, err)
			defer f.Close()
			out, err := io.ReadAll(f)
			require.NoError(t, err)
			return string(out)
		}},
		{mortest.WireHTML, "", func(t *testing.T, b []byte) string {
			s, ok := strings.CutPrefix(string(b), "<html><head></head><body>")
			require.True(t, ok, "wrapper start")
			s, ok = strings.CutSuffix(s, "</body></html>")
			require.True(t, ok, "wrapper end")
			return decl + s
		}},
		{mortest.WireEmpty, "", func(t *testing.T, b []byte) string {
			assert.Empty(t, b)
			return want
		}},
	}
	for _, tt := range tests {
		t.Run(tt.wire.String(), func(t *testing.T) {
			srv := newSpecServer(t, mortest.WithWire(tt.wire))
			// DisableCompression: see the bytes as sent, Content-Encoding included.
			hc := &http.Client{Transport: &http.Transport{DisableCompression: true}}
			resp, err := hc.PostForm(srv.URL+"/billing/api/device_clis_get",
				sign("device_clis_get", vals("u", "admin"), mortest.SpecSecret))
			require.NoError(t, err)
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, tt.header, resp.Header.Get("Content-Encoding"))
			assert.Equal(t, want, tt.decode(t, b))
		})
	}
}

func gunzip(t *testing.T, b []byte) string {
	require.True(t, bytes.HasPrefix(b, []byte{0x1f, 0x8b}))
	zr, err := gzip.NewReader(bytes.NewReader(b))
	require.NoError(t, err)
	out, err := io.ReadAll(zr)
	require.NoError(t, err)
	return string(out)
}

func TestSetWireAtRuntime(t *testing.T) {
	srv := newSpecServer(t)
	srv.SetWire(mortest.WireGzipRaw)
	_, body := post(t, srv, "/billing/api/nope", nil)
	assert.Equal(t, shapeA("There is no such API"), gunzip(t, []byte(body)))
}

func TestRequestsCounter(t *testing.T) {
	srv := newSpecServer(t)
	call(t, srv, "cli_add", vals("u", "admin", "device_id", "2", "cli_number", "1"))
	call(t, srv, "cli_get_info", vals("u", "admin", "cli", "1"))
	call(t, srv, "cli_info_get", vals("u", "admin", "cli", "1"))
	call(t, srv, "bogus", nil)
	assert.Equal(t, 1, srv.Requests("cli_add"))
	assert.Equal(t, 2, srv.Requests("cli_info_get"))
	assert.Equal(t, 2, srv.Requests("cli_get_info"))
	assert.Equal(t, 1, srv.Requests("bogus"))
	assert.Equal(t, 0, srv.Requests("cli_delete"))
}

func TestNewHandlerAndListen(t *testing.T) {
	srv := mortest.New(mortest.WithSpecWorld())
	assert.Empty(t, srv.URL)
	srv.Close() // no-op when not listening
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	resp, err := http.PostForm(ts.URL+"/billing/api/cli_info_get", sign("cli_info_get", vals("u", "admin", "cli", "123456"), mortest.SpecSecret))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, infoReply("2", "2"), string(b))

	ls, err := mortest.Listen("127.0.0.1:0")
	require.NoError(t, err)
	defer ls.Close()
	assert.True(t, strings.HasPrefix(ls.URL, "http://127.0.0.1:"))
	// The port is taken now: a second Listen on it fails instead of panicking.
	host := strings.TrimPrefix(ls.URL, "http://")
	_, err = mortest.Listen(host)
	require.Error(t, err)
	ls.Close()
	ls.Close() // idempotent
	_, err = net.DialTimeout("tcp", host, time.Second)
	assert.Error(t, err, "closed server must not accept")
}

func TestUsersAndDevicesListings(t *testing.T) {
	srv := mortest.New(mortest.WithSpecWorld())
	var users []int64
	for _, u := range srv.Users() {
		users = append(users, u.ID)
	}
	assert.Equal(t, []int64{0, 2, 3, 4, 5, 6, 7}, users)
	var devices []string
	for _, d := range srv.Devices() {
		devices = append(devices, fmt.Sprintf("%d:%s/%s@%d", d.ID, d.Type, d.Name, d.UserID))
	}
	assert.Equal(t, []string{"1:IAX2/prov1@-1", "2:IAX2/101@2", "3:FAX/102@2", "4:IAX2/1002@2",
		"5:IAX2/ipauth0000000005@0", "6:IAX2/ipauth0000000006@3", "7:IAX2/105@5", "8:SIP/1001@7"}, devices)
}
