package mor_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

const testPassword = "Pa55-w0rd-91xq" // sent as p with WithPassword

// leakLog collects everything the suite's scenarios let out of the process
// or show to a user: requests as the transport sends them and as the server
// receives them, responses as the client reads them, every log record, and
// every error in three formats.
type leakLog struct {
	mu       sync.Mutex
	items    []leakItem
	forms    []leakForm // every request form the server received, for pre-images
	queryURL []string   // request URLs that carried a query string
}

type leakItem struct {
	kind, scenario, text string
}

type leakForm struct {
	method string
	form   url.Values
}

func (l *leakLog) add(kind, scenario, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.items = append(l.items, leakItem{kind, scenario, text})
}

// captureTransport records each request (line, headers, body) and each
// response (status, headers, and the body bytes as the client reads them).
type captureTransport struct {
	base     http.RoundTripper
	log      *leakLog
	scenario *string
}

func (c *captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	sc := *c.scenario
	var body []byte
	if r.GetBody != nil {
		rc, err := r.GetBody()
		if err == nil {
			body, _ = io.ReadAll(rc)
			_ = rc.Close()
		}
	}
	if r.URL.RawQuery != "" || r.URL.ForceQuery || strings.Contains(r.URL.String(), "?") {
		c.log.mu.Lock()
		c.log.queryURL = append(c.log.queryURL, "client: "+r.URL.String())
		c.log.mu.Unlock()
	}
	c.log.add("request (client side)", sc, fmt.Sprintf("%s %s\n%v\n\n%s", r.Method, r.URL, r.Header, body))
	resp, err := c.base.RoundTrip(r)
	if err != nil {
		return nil, err // the error reaches the caller, who records it
	}
	c.log.add("response head", sc, fmt.Sprintf("%s\n%v", resp.Status, resp.Header))
	resp.Body = &teeBody{ReadCloser: resp.Body, done: func(b []byte) { c.log.add("response body", sc, string(b)) }}
	return resp, nil
}

// teeBody keeps up to 1 MiB of what the client read and records it on Close.
type teeBody struct {
	io.ReadCloser
	buf  bytes.Buffer
	done func([]byte)
	once sync.Once
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	if room := 1<<20 - t.buf.Len(); room > 0 {
		t.buf.Write(p[:min(n, room)])
	}
	return n, err
}

func (t *teeBody) Close() error {
	t.once.Do(func() { t.done(t.buf.Bytes()) })
	return t.ReadCloser.Close()
}

// serverCapture wraps a handler to record the request as it arrived.
func serverCapture(l *leakLog, scenario *string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if r.URL.RawQuery != "" || strings.Contains(r.RequestURI, "?") {
			l.mu.Lock()
			l.queryURL = append(l.queryURL, "server: "+r.RequestURI)
			l.mu.Unlock()
		}
		if form, err := url.ParseQuery(string(body)); err == nil {
			l.mu.Lock()
			l.forms = append(l.forms, leakForm{method: strings.TrimPrefix(r.URL.Path, "/billing/api/"), form: form})
			l.mu.Unlock()
		}
		l.add("request (server side)", *scenario, fmt.Sprintf("%s %s\n%v\n\n%s", r.Method, r.RequestURI, r.Header, body))
		h.ServeHTTP(w, r)
	})
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// TestSecretsNeverLeak runs the suite's scenarios (every CLI call against
// mortest in every wire form, succeeding and failing, right and wrong
// secret, with and without a password; every hostile reply; servers that
// echo the request or the secret back) with a debug logger attached, and
// asserts that neither the secret, nor the password, nor any hash
// pre-image appears in any request, response, log record or error string,
// and that no request URL carries a query string.
//
// The one place the password may appear is where the protocol puts it: the
// p field of a request body sent with WithPassword. That exact field is cut
// out of request captures before they are searched; anywhere else (the URL,
// a header, a log record, an error) fails the test. Responses of the echo
// scenarios hold what the hostile server chose to send and are not searched;
// the errors made from them are.
func TestSecretsNeverLeak(t *testing.T) {
	l := &leakLog{}
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var textLogs syncBuffer
	textLogger := slog.New(slog.NewTextHandler(&textLogs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	scenario := ""
	tr := &http.Transport{MaxIdleConnsPerHost: 16}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: &captureTransport{base: tr, log: l, scenario: &scenario}, Timeout: 10 * time.Second}

	newClient := func(base, secret string, opts ...mor.Option) *mor.Client {
		lg := logger
		if len(scenario)%2 == 1 {
			lg = textLogger // exercise both slog handlers
		}
		c, err := mor.NewClient(base+"/billing", testUser, secret,
			append([]mor.Option{mor.WithHTTPClient(hc), mor.WithLogger(lg)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	recordErr := func(err error) {
		if err != nil {
			l.add("error", scenario, fmt.Sprintf("%v\n%+v\n%#v", err, err, err))
		}
	}
	echoSkip := map[string]bool{}
	ctx := context.Background()

	// 1. Every CLI call against mortest, in every wire form.
	wires := []mortest.Wire{mortest.WirePlain, mortest.WireGzip, mortest.WireGzipRaw, mortest.WireZip, mortest.WireHTML, mortest.WireEmpty}
	for _, wire := range wires {
		for _, pw := range []bool{false, true} {
			scenario = fmt.Sprintf("mortest %v password=%v", wire, pw)
			fake := mortest.New(mortest.WithSpecWorld(), mortest.WithWire(wire))
			fake.SetSettings(0, mortest.Settings{AllowAPI: true, Secret: testSecret})
			srv := httptest.NewServer(serverCapture(l, &scenario, fake.Handler()))
			var opts []mor.Option
			if pw {
				opts = append(opts, mor.WithPassword(testPassword))
			}
			for _, secret := range []string{testSecret, testSecret + "-wrong"} {
				c := newClient(srv.URL, secret, opts...)
				recordErr(c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001", Description: "desk", Comment: "c"}))
				recordErr(c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "123456"})) // exists
				recordErr(c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 99, CLINumber: "555"}))   // no device
				recordErr(c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "12a"}))    // local check
				_, err := c.CLIs.Info(ctx, "37060000001")
				recordErr(err)
				_, err = c.CLIs.Info(ctx, "404404")
				recordErr(err)
				_, err = c.CLIs.List(ctx, mor.DeviceCLIsParams{UserID: 2})
				recordErr(err)
				_, err = c.CLIs.List(ctx, mor.DeviceCLIsParams{DeviceID: 424242})
				recordErr(err)
				recordErr(c.CLIs.Delete(ctx, "37060000001"))
				recordErr(c.CLIs.Delete(ctx, "37060000001")) // already gone
				var raw []byte
				recordErr(c.Call(ctx, "users_get", url.Values{"user_id": {"2"}}, &raw)) // hashes u and p
				recordErr(c.Call(ctx, "no_such_method", nil, nil))
			}
			// An unknown user skips the hash check.
			c, err := mor.NewClient(srv.URL+"/billing", "nobody", testSecret, append([]mor.Option{mor.WithHTTPClient(hc), mor.WithLogger(logger)}, opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			recordErr(c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "1"}))
			_, err = c.CLIs.Info(ctx, "123456")
			recordErr(err)
			srv.Close()
		}
	}

	// 2. Every hostile reply (the bombs are covered by TestHostileReplies and
	// carry nothing of ours), for a write and a read, with a password.
	for _, tc := range hostileCases() {
		if tc.ownHTTP {
			continue
		}
		scenario = "hostile: " + tc.name
		base := ""
		if tc.handler != nil {
			srv := httptest.NewServer(serverCapture(l, &scenario, tc.handler))
			defer srv.Close()
			base = srv.URL
		} else {
			base = tc.url(t)
		}
		c := newClient(base, testSecret, append([]mor.Option{mor.WithPassword(testPassword), mor.WithRetries(1, time.Millisecond)}, tc.opts...)...)
		cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		recordErr(c.CLIs.Add(cctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"}))
		_, err := c.CLIs.List(cctx, mor.DeviceCLIsParams{UserID: 2})
		recordErr(err)
		cancel()
	}

	// 3. Servers that echo back the request body (and so the password), or
	// the secret itself, in every place an error takes text from: an
	// <error>, a 500 page, a broken document.
	echo := func(w http.ResponseWriter, r *http.Request, status int, format string) {
		body, _ := io.ReadAll(r.Body)
		w.WriteHeader(status)
		// Escaped, so that the echo survives as text (a raw form body's "&"
		// would only break the XML).
		fmt.Fprintf(w, format, html.EscapeString(string(body)+" "+testSecret+" "+testPassword))
	}
	for name, h := range map[string]http.HandlerFunc{
		"echo in <error>": func(w http.ResponseWriter, r *http.Request) {
			echo(w, r, 200, "<page><error>bad request %s</error></page>")
		},
		"echo in 500":        func(w http.ResponseWriter, r *http.Request) { echo(w, r, 500, "<html><body>oops %s</body></html>") },
		"echo in broken XML": func(w http.ResponseWriter, r *http.Request) { echo(w, r, 200, "<page><status>%s &bad") },
		"echo in HTML":       func(w http.ResponseWriter, r *http.Request) { echo(w, r, 200, "<html><body><p>%s</p></body></html>") },
		"echo in CLI exists": func(w http.ResponseWriter, r *http.Request) {
			echo(w, r, 200, "<page><status><error>CLI already exists. It is assigned to %s device</error></status></page>")
		},
	} {
		scenario = "hostile: " + name
		echoSkip[scenario] = true
		srv := httptest.NewServer(serverCapture(l, &scenario, h))
		c := newClient(srv.URL, testSecret, mor.WithPassword(testPassword))
		recordErr(c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"}))
		_, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{})
		recordErr(err)
		srv.Close()
	}
	scenario = "done"

	for _, rec := range strings.Split(logs.buf.String()+textLogs.buf.String(), "\n") {
		if rec != "" {
			l.add("log record", "", rec)
		}
	}

	// What must never appear: the secret, the password, and the pre-image
	// of every hash the client computed (values in hash order + secret).
	forbidden := map[string]string{"secret": testSecret, "password": testPassword,
		"password (URL-encoded)": url.QueryEscape(testPassword)}
	for _, f := range l.forms {
		for _, secret := range []string{testSecret, testSecret + "-wrong"} {
			pre := mor.ExplainHash(f.method, f.form).Preimage(secret)
			forbidden["pre-image of "+f.method+" "+f.form.Encode()] = pre
		}
	}
	pField := "p=" + url.QueryEscape(testPassword)
	kinds := map[string]int{}
	for _, it := range l.items {
		kinds[it.kind]++
		text := it.text
		if strings.HasPrefix(it.kind, "request") {
			text = strings.ReplaceAll(text, pField, "p=[sent]")
		}
		if strings.HasPrefix(it.kind, "response") && echoSkip[it.scenario] {
			continue
		}
		for what, s := range forbidden {
			if s != "" && strings.Contains(text, s) {
				t.Errorf("%s appears in a %s (%s):\n%s", what, it.kind, it.scenario, it.text)
			}
		}
	}
	for _, u := range l.queryURL {
		t.Errorf("request URL with a query string: %s", u)
	}
	var summary []string
	for k, n := range kinds {
		summary = append(summary, fmt.Sprintf("%s: %d", k, n))
	}
	sort.Strings(summary)
	t.Logf("searched %s; %d hash pre-images", strings.Join(summary, ", "), len(l.forms)*2)
	for _, k := range []string{"request (client side)", "request (server side)", "response body", "log record", "error"} {
		if kinds[k] < 50 {
			t.Errorf("only %d captures of kind %q: the capture is broken", kinds[k], k)
		}
	}
}

// TestEchoedCredentialsAreScrubbed: a hostile or careless server echoes the
// request back, in every encoding a page may carry it (raw, URL-decoded,
// URL-encoded with "+" or "%20" and either hex case, HTML-escaped the Go
// and the Ruby way), in a 200 <error>, a 200 HTML page and a 500 page, for
// passwords full of URL- and HTML-special characters, a 3-byte password
// and a secret with the same characters. No error (its text, its fields,
// %+v and %#v) and no log record may hold the secret, a password, a
// credential parameter's value or the request's hash in any of those
// encodings.
func TestEchoedCredentialsAreScrubbed(t *testing.T) {
	const secret = `S3c&r=t +%<"'>-9Kx`
	const newPswd = `N3w pswd&<b>"q"`
	passwords := []string{`p@ss w0rd&x=1+%<>"'`, "7&Q"}

	var mu sync.Mutex
	var hashes []string
	rubyEscape := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace
	pct20 := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	lowerHex := func(s string) string {
		b := []byte(s)
		for i := 0; i+2 < len(b); i++ {
			if b[i] == '%' {
				copy(b[i+1:i+3], strings.ToLower(string(b[i+1:i+3])))
			}
		}
		return string(b)
	}
	// Each echo renders the credentials and then the whole body.
	echoes := map[string]func(body, pw string) string{
		"raw":         func(body, pw string) string { return pw + " " + secret + " " + body },
		"URL-decoded": func(body, pw string) string { d, _ := url.QueryUnescape(body); return pw + " " + secret + " " + d },
		"URL-encoded": func(body, pw string) string { return url.QueryEscape(pw) + " " + url.QueryEscape(secret) + " " + body },
		"%20-encoded": func(body, pw string) string {
			return pct20(pw) + " " + pct20(secret) + " " + strings.ReplaceAll(body, "+", "%20")
		},
		"lower hex": func(body, pw string) string {
			return lowerHex(url.QueryEscape(pw)+" "+url.QueryEscape(secret)) + " " + lowerHex(body)
		},
		"HTML (Go)":    func(body, pw string) string { return html.EscapeString(pw + " " + secret + " " + body) },
		"HTML (Ruby)":  func(body, pw string) string { return rubyEscape(pw + " " + secret + " " + body) },
		"cut at 120 a": func(body, pw string) string { return strings.Repeat("x", 114) + url.QueryEscape(pw) },
		"cut at 120 b": func(body, pw string) string { return strings.Repeat("x", 116) + html.EscapeString(secret) },
	}
	shapes := map[string]func(w http.ResponseWriter, text string){
		"200 <error>": func(w http.ResponseWriter, text string) {
			_, _ = io.WriteString(w, "<page><status><error>"+html.EscapeString(text)+"</error></status></page>")
		},
		"200 HTML page": func(w http.ResponseWriter, text string) {
			_, _ = io.WriteString(w, "<html><body><p>"+text+"</p></body></html>")
		},
		"500 page": func(w http.ResponseWriter, text string) {
			w.WriteHeader(500)
			_, _ = io.WriteString(w, text)
		},
	}
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	type record struct{ scenario, text string }
	var records []record
	ctx := context.Background()
	for _, pw := range passwords {
		for echoName, echo := range echoes {
			for shapeName, shape := range shapes {
				scenario := fmt.Sprintf("%s echo in %s, password %q", echoName, shapeName, pw)
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					body, _ := io.ReadAll(r.Body)
					if form, err := url.ParseQuery(string(body)); err == nil {
						mu.Lock()
						hashes = append(hashes, form.Get("hash"))
						mu.Unlock()
					}
					shape(w, echo(string(body), pw))
				}))
				tr := &http.Transport{}
				c, err := mor.NewClient(srv.URL+"/billing", testUser, secret, mor.WithPassword(pw), mor.WithLogger(logger),
					mor.WithHTTPClient(&http.Client{Transport: tr}))
				if err != nil {
					t.Fatal(err)
				}
				errs := []error{
					c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"}),
					c.Call(ctx, "user_details_update", url.Values{"user_id": {"2"}, "pswd": {newPswd}}, nil),
				}
				_, err = c.CLIs.List(ctx, mor.DeviceCLIsParams{UserID: 2})
				errs = append(errs, err)
				for _, err := range errs {
					if err == nil {
						t.Fatalf("%s: a hostile echo was taken for success", scenario)
					}
					text := fmt.Sprintf("%v\n%+v\n%#v", err, err, err)
					var ae *mor.APIError
					var he *mor.HTTPError
					var pe *mor.ParseError
					switch {
					case errors.As(err, &ae):
						text += fmt.Sprintf("\n%q %q %q", ae.Message, ae.Messages, ae.Owner)
					case errors.As(err, &he):
						text += "\n" + he.Snippet
					case errors.As(err, &pe):
						text += "\n" + pe.Snippet
					}
					records = append(records, record{scenario, text})
				}
				tr.CloseIdleConnections()
				srv.Close()
			}
		}
	}
	for _, line := range strings.Split(logs.buf.String(), "\n") {
		records = append(records, record{"log", line})
	}

	forms := func(v string) []string {
		return []string{v, url.QueryEscape(v), pct20(v), lowerHex(url.QueryEscape(v)), html.EscapeString(v), rubyEscape(v)}
	}
	forbidden := map[string]string{}
	for _, v := range append([]string{secret, newPswd}, passwords...) {
		for _, f := range forms(v) {
			forbidden[f] = v
		}
	}
	for _, h := range hashes {
		forbidden[h] = "the request's hash"
		forbidden[strings.ToUpper(h)] = "the request's hash"
	}
	if len(hashes) < 100 {
		t.Fatalf("only %d requests reached the echo servers", len(hashes))
	}
	for _, r := range records {
		for f, what := range forbidden {
			if strings.Contains(r.text, f) {
				t.Errorf("%s: %q (a form of %q) appears in:\n%s", r.scenario, f, what, r.text)
			}
		}
		// A snippet cut at its length limit must not keep the start of one.
		if strings.Contains(r.scenario, "cut at 120") {
			for f, what := range forbidden {
				for k := 4; k < len(f); k++ {
					if strings.Contains(r.text, "xxx"+f[:k]) {
						t.Errorf("%s: the first %d bytes of %q (a form of %q) appear in:\n%s", r.scenario, k, f, what, r.text)
						break
					}
				}
			}
		}
	}
	t.Logf("searched %d errors and log records for %d forbidden strings", len(records), len(forbidden))
}
