package mor_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// The adversarial suite: hostile replies, hanging servers, cancellation,
// retries, and load. Every test here is sequential (no t.Parallel), so the
// memory and goroutine checks see only their own work.

const (
	testUser   = "admin"
	testSecret = "S3cr3t-7f9a-Kolmi" // distinctive, so secrets_test can search for it
	okAdd      = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <status>\n    <success>CLI successfully created</success>\n  </status>\n</page>\n"
	okList     = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <status>\n    <cli_id>1</cli_id>\n    <cli_cli>123456</cli_cli>\n    <cli_device>IAX2/101</cli_device>\n    <cli_description></cli_description>\n    <cli_added_at>2018-02-01 10:00:00 +0200</cli_added_at>\n    <cli_updated_at>2018-02-01 10:00:00 +0200</cli_updated_at>\n    <cli_comment></cli_comment>\n    <cli_email_callback>0</cli_email_callback>\n    <cli_banned>0</cli_banned>\n  </status>\n</page>\n"
)

// newTestClient returns a Client for baseURL with its own keep-alive
// transport, closed when the test ends so goleak sees no idle connection.
func newTestClient(t testing.TB, baseURL string, opts ...mor.Option) *mor.Client {
	t.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: 100, IdleConnTimeout: time.Minute}
	t.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	c, err := mor.NewClient(baseURL+"/billing", testUser, testSecret, append([]mor.Option{mor.WithHTTPClient(hc)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

func zipOf(members ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i, m := range members {
		w, _ := zw.Create(fmt.Sprintf("mor_api_response_%d.xml", i))
		_, _ = io.WriteString(w, m)
	}
	_ = zw.Close()
	return buf.Bytes()
}

// bomb is a deflate stream of prefix, then total bytes of fill, then suffix,
// built without compressing the fill: one independently coded block of
// chunk fill bytes (it starts with a literal, so it does not depend on what
// came before) is repeated. Deflate's best ratio is about 1032:1, so 1 GiB
// fits in just under 1 MiB.
type bomb struct {
	deflate []byte
	chunk   []byte // the repeated block
	crc     uint32
	size    int64 // decoded size
}

func makeBomb(t testing.TB, prefix, suffix string, fill byte, total int64) bomb {
	t.Helper()
	const chunkLen = 8 << 20
	if total%chunkLen != 0 {
		t.Fatalf("total %d is not a multiple of %d", total, chunkLen)
	}
	flush := func(data []byte, final bool) []byte {
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.BestCompression)
		_, _ = w.Write(data)
		if final {
			_ = w.Close()
		} else {
			_ = w.Flush() // ends byte-aligned, so blocks can be concatenated
		}
		return buf.Bytes()
	}
	fillChunk := bytes.Repeat([]byte{fill}, chunkLen)
	b := bomb{chunk: flush(fillChunk, false), size: int64(len(prefix)) + total + int64(len(suffix))}
	var out bytes.Buffer
	out.Write(flush([]byte(prefix), false))
	crc := crc32.Update(0, crc32.IEEETable, []byte(prefix))
	for n := int64(0); n < total; n += chunkLen {
		out.Write(b.chunk)
		crc = crc32.Update(crc, crc32.IEEETable, fillChunk)
	}
	out.Write(flush([]byte(suffix), true))
	b.crc = crc32.Update(crc, crc32.IEEETable, []byte(suffix))
	b.deflate = out.Bytes()
	return b
}

func (b bomb) gzip() []byte {
	var out bytes.Buffer
	out.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	out.Write(b.deflate)
	var tr [8]byte
	binary.LittleEndian.PutUint32(tr[:4], b.crc)
	binary.LittleEndian.PutUint32(tr[4:], uint32(b.size))
	out.Write(tr[:])
	return out.Bytes()
}

func (b bomb) zip(t testing.TB) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "mor_api_response.xml", Method: zip.Deflate,
		CRC32: b.crc, CompressedSize64: uint64(len(b.deflate)), UncompressedSize64: uint64(b.size)})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write(b.deflate)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// checkBombSize proves the bomb inflates to b.size bytes: fully where that
// is quick, else (under the race detector, where inflating 1 GiB takes
// minutes) by inflating one chunk and checking the stream is that chunk
// repeated.
func checkBombSize(t *testing.T, b bomb, prefix, suffix string) {
	t.Helper()
	if !raceEnabled {
		n, err := io.Copy(io.Discard, flate.NewReader(bytes.NewReader(b.deflate)))
		if err != nil || n != b.size {
			t.Fatalf("bomb inflates to %d bytes (%v), want %d", n, err, b.size)
		}
		return
	}
	n, err := io.Copy(io.Discard, flate.NewReader(io.MultiReader(bytes.NewReader(b.chunk), bytes.NewReader([]byte{3, 0}))))
	if err != nil || n != 8<<20 {
		t.Fatalf("one chunk inflates to %d bytes (%v)", n, err)
	}
	if reps := bytes.Count(b.deflate, b.chunk); int64(reps)*8<<20 != b.size-int64(len(prefix)+len(suffix)) {
		t.Fatalf("bomb has %d chunks for %d bytes", reps, b.size)
	}
}

// serveBytes answers every request with status and body.
func serveBytes(status int, contentType string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}

// resetMidBody sends a 200 that promises 4096 bytes, sends some, and resets
// the connection (SO_LINGER 0 makes Close send RST).
func resetMidBody(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 4096\r\n\r\n" + okList[:120])
	_ = buf.Flush()
	time.Sleep(20 * time.Millisecond)
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// slowDrip sends a 200 and then a byte every 20 ms for as long as the
// client listens: a reply that never ends.
func slowDrip(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", "text/html")
	_, _ = io.WriteString(w, "<?xml version=\"1.0\"?>\n<page><status><cli_id>1</cli_id><cli_comment>")
	rc := http.NewResponseController(w)
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		if err := rc.Flush(); err != nil {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-t.C:
			if _, err := io.WriteString(w, "z"); err != nil {
				return
			}
		}
	}
}

// silentServer accepts connections and reads them, and never answers.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); _, _ = io.Copy(io.Discard, c) }()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return "http://" + ln.Addr().String()
}

// hostileCase is one bad day. want checks the error; the call must fail,
// never panic, and allocate at most maxAlloc bytes in total.
type hostileCase struct {
	name     string
	readOnly bool             // costly under -race: run with device_clis_get only
	ownHTTP  bool             // opts replace the test's HTTP client
	handler  http.HandlerFunc // nil: use url
	url      func(t *testing.T) string
	opts     []mor.Option
	timeout  time.Duration // context deadline; 0: none (the client's own timeout applies)
	maxAlloc uint64
	want     func(t *testing.T, err error)
}

func wantParseError(reason string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var pe *mor.ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("got %T %v, want *mor.ParseError", err, err)
		}
		if !strings.Contains(pe.Reason, reason) {
			t.Errorf("ParseError reason %q, want it to mention %q", pe.Reason, reason)
		}
	}
}

func wantIs(target error) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, target) {
			t.Fatalf("got %T %v, want errors.Is %v", err, err, target)
		}
	}
}

// bombCases are the compression bombs: each at least 1 GiB decoded from at
// most 1 MiB on the wire, built at test time.
func bombCases(t *testing.T) []hostileCase {
	const gib = 1 << 30
	spacePrefix, spaceSuffix := "", "<page><status><success>success</success></status></page>"
	spaceBomb := makeBomb(t, spacePrefix, spaceSuffix, ' ', gib)
	textPrefix, textSuffix := "<?xml version=\"1.0\"?>\n<page><status><error>", "</error></status></page>\n"
	textBomb := makeBomb(t, textPrefix, textSuffix, 'A', gib)
	checkBombSize(t, spaceBomb, spacePrefix, spaceSuffix)
	checkBombSize(t, textBomb, textPrefix, textSuffix)
	spaceGz, textGz, spaceZip := spaceBomb.gzip(), textBomb.gzip(), spaceBomb.zip(t)
	for name, b := range map[string][]byte{"gzip space bomb": spaceGz, "gzip text bomb": textGz, "zip bomb": spaceZip} {
		if len(b) > 1<<20 {
			t.Fatalf("%s is %d bytes, want <= 1 MiB", name, len(b))
		}
	}
	const bombAlloc = 160 << 20 // the default cap is 32 MiB; inflating whole would be 1 GiB
	return []hostileCase{
		{name: "gzip bomb, 1 GiB of white space", readOnly: true, handler: serveBytes(200, "application/x-gzip", spaceGz),
			maxAlloc: bombAlloc, want: wantIs(mor.ErrResponseTooLarge)},
		{name: "gzip bomb, 1 GiB in one element", readOnly: true, handler: serveBytes(200, "application/x-gzip", textGz),
			opts: []mor.Option{mor.WithMaxResponseBytes(4 << 20)}, maxAlloc: bombAlloc, want: wantParseError("limit of 1048576 bytes (MaxElementBytes)")},
		{name: "zip bomb, 1 GiB", readOnly: true, handler: serveBytes(200, "application/zip", spaceZip),
			opts: []mor.Option{mor.WithMaxResponseBytes(8 << 20)}, maxAlloc: bombAlloc, want: wantIs(mor.ErrResponseTooLarge)},
	}
}

// hostileCases are the other bad days; they are cheap, and secrets_test
// runs them too.
func hostileCases() []hostileCase {
	truncated := gz([]byte(okList))
	truncated = truncated[:len(truncated)*2/3]
	return []hostileCase{
		{name: "truncated gzip", handler: serveBytes(200, "text/html", truncated), want: wantParseError("truncated")},
		{name: "zip with two members", handler: serveBytes(200, "application/zip", zipOf(okAdd, okList)), want: wantParseError("2 members")},
		{name: "garbage bytes", handler: serveBytes(200, "text/html", []byte("\x9f\xfe\xff\x13\x37garbage\x01\x00")), want: wantParseError("not text")},
		{name: "HTML 500 page", handler: serveBytes(500, "text/html", []byte("<!DOCTYPE html><html><head><title>We're sorry, but something went wrong (500)</title></head><body><h1>We're sorry, but something went wrong.</h1></body></html>")),
			want: func(t *testing.T, err error) {
				var he *mor.HTTPError
				if !errors.As(err, &he) || he.StatusCode != 500 || !strings.Contains(he.Snippet, "sorry") {
					t.Fatalf("got %T %v, want *mor.HTTPError 500 with the page's start", err, err)
				}
			}},
		{name: "200 with an HTML login page", handler: serveBytes(200, "text/html", []byte("<!DOCTYPE html>\n<html><head><title>MOR login</title></head><body><form action=\"/billing/callc/login\" method=\"post\"><input name=\"login_username\"><input type=\"password\" name=\"login_psw\"></form></body></html>")),
			want: wantParseError("HTML page")},
		{name: "empty body", handler: serveBytes(200, "text/html", nil), want: wantIs(mor.ErrEmptyResponse)},
		{name: "slow drip, context deadline", handler: slowDrip, timeout: 300 * time.Millisecond, want: wantIs(context.DeadlineExceeded)},
		{name: "slow drip, client timeout", handler: slowDrip, ownHTTP: true,
			opts: []mor.Option{mor.WithHTTPClient(&http.Client{Timeout: 300 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}})},
			want: func(t *testing.T, err error) {
				var ne net.Error
				if !errors.As(err, &ne) || !ne.Timeout() {
					t.Fatalf("got %T %v, want a net.Error with Timeout()", err, err)
				}
			}},
		{name: "accepts and never answers", url: silentServer, timeout: 300 * time.Millisecond, want: wantIs(context.DeadlineExceeded)},
		{name: "connection reset mid-body", handler: resetMidBody, want: func(t *testing.T, err error) {
			var pe *mor.ParseError
			var ae *mor.APIError
			if err == nil || errors.As(err, &pe) || errors.As(err, &ae) {
				t.Fatalf("got %T %v, want a transport error", err, err)
			}
			if !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("got %v, want ECONNRESET or io.ErrUnexpectedEOF in the chain", err)
			}
		}},
	}
}

func totalAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

// TestHostileReplies: each bad reply gives its documented error, promptly,
// with no panic and bounded memory, for a write (cli_add) and a read
// (device_clis_get).
func TestHostileReplies(t *testing.T) {
	for _, tc := range append(bombCases(t), hostileCases()...) {
		t.Run(tc.name, func(t *testing.T) {
			base := ""
			if tc.handler != nil {
				srv := httptest.NewServer(tc.handler)
				defer srv.Close()
				base = srv.URL
			} else {
				base = tc.url(t)
			}
			c := newTestClient(t, base, tc.opts...)
			calls := map[string]func(context.Context) error{
				"cli_add": func(ctx context.Context) error {
					return c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"})
				},
				"device_clis_get": func(ctx context.Context) error {
					_, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{})
					return err
				},
			}
			if tc.readOnly {
				delete(calls, "cli_add")
			}
			for name, call := range calls {
				ctx := context.Background()
				if tc.timeout > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tc.timeout)
					defer cancel()
				}
				before := totalAlloc()
				start := time.Now()
				err := call(ctx)
				elapsed := time.Since(start)
				alloc := totalAlloc() - before
				t.Logf("%s: %v in %v, %d KiB allocated", name, err, elapsed.Round(time.Millisecond), alloc>>10)
				tc.want(t, err)
				if tc.maxAlloc > 0 && alloc > tc.maxAlloc {
					t.Errorf("%s: allocated %d MiB, bound %d MiB", name, alloc>>20, tc.maxAlloc>>20)
				}
			}
		})
	}
}

// TestCancellation: a cancelled context stops a call promptly wherever it
// is (waiting for headers, reading a body, sleeping between retries), the
// error matches context.Canceled, and no goroutine is left behind.
func TestCancellation(t *testing.T) {
	blocked := make(chan struct{})
	hang := func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-blocked:
		}
	}
	var arrivals atomic.Int32
	unavailable := func(w http.ResponseWriter, r *http.Request) {
		arrivals.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	}
	cases := []struct {
		name    string
		handler http.HandlerFunc
		opts    []mor.Option
	}{
		{"waiting for the reply", hang, nil},
		{"reading the body", slowDrip, nil},
		{"between retries", unavailable, []mor.Option{mor.WithRetries(5, 10*time.Second)}},
	}
	defer close(blocked)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			c, err := mor.NewClient(srv.URL, testUser, testSecret,
				append([]mor.Option{mor.WithHTTPClient(&http.Client{Transport: tr})}, tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			methods := []string{"device_clis_get", "cli_add"}
			if tc.opts != nil {
				methods = methods[:1] // writes are never retried, so never wait between tries
			}
			for _, method := range methods {
				arrivals.Store(0)
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(100*time.Millisecond, cancel)
				start := time.Now()
				if method == "cli_add" {
					err = c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "1"})
				} else {
					_, err = c.CLIs.List(ctx, mor.DeviceCLIsParams{})
				}
				elapsed := time.Since(start)
				cancel()
				if !errors.Is(err, context.Canceled) {
					t.Errorf("%s: got %T %v, want errors.Is context.Canceled", method, err, err)
				}
				if elapsed > 2*time.Second {
					t.Errorf("%s: cancelled after 100ms but returned after %v", method, elapsed)
				}
				if tc.handler != nil && arrivals.Load() > 1 {
					t.Errorf("%s: %d requests arrived", method, arrivals.Load())
				}
			}
			srv.CloseClientConnections()
		})
	}
}

// failThen serves a fixed number of failures, chosen by fail(n) for the
// n-th arrival (1-based; false means serve ok), and counts arrivals per
// method.
type countingServer struct {
	mu       sync.Mutex
	arrivals map[string]int
	fail     func(method string, n int, w http.ResponseWriter, r *http.Request) bool
	ok       map[string]string
}

func (s *countingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/billing/api/")
	_, _ = io.Copy(io.Discard, r.Body) // the whole request has arrived
	s.mu.Lock()
	s.arrivals[method]++
	n := s.arrivals[method]
	s.mu.Unlock()
	if s.fail != nil && s.fail(method, n, w, r) {
		return
	}
	_, _ = io.WriteString(w, s.ok[method])
}

func (s *countingServer) count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.arrivals[method]
}

// dropAfterRequest closes the connection once the whole request has been
// read, before any byte of a reply: the worst case for a write, since the
// server may already have acted.
func dropAfterRequest(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	_ = conn.Close()
}

func resetAfterRequest(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// TestWritesNeverSentTwice: cli_add and cli_delete reach the server exactly
// once per call whatever goes wrong after the request was written (the
// connection dropped or reset before a reply, a reset mid-reply, a 503),
// with WithRetries set, and on a reused keep-alive connection, where
// net/http itself would retry an idempotent request.
func TestWritesNeverSentTwice(t *testing.T) {
	failures := map[string]func(w http.ResponseWriter, r *http.Request){
		"drop before reply":  func(w http.ResponseWriter, r *http.Request) { dropAfterRequest(w) },
		"reset before reply": func(w http.ResponseWriter, r *http.Request) { resetAfterRequest(w) },
		"reset mid-reply":    resetMidBody,
		"503":                func(w http.ResponseWriter, r *http.Request) { http.Error(w, "busy", http.StatusServiceUnavailable) },
		"slow reply, deadline": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		},
	}
	okDelete := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <status>\n    <success>CLI successfully deleted</success>\n  </status>\n</page>\n"
	for name, fail := range failures {
		for _, retries := range []int{0, 5} {
			t.Run(fmt.Sprintf("%s/retries=%d", name, retries), func(t *testing.T) {
				cs := &countingServer{arrivals: map[string]int{}, ok: map[string]string{"cli_add": okAdd, "cli_delete": okDelete}}
				// Every second arrival fails: the first call warms a
				// keep-alive connection that the second one reuses.
				cs.fail = func(method string, n int, w http.ResponseWriter, r *http.Request) bool {
					if n%2 == 0 {
						fail(w, r)
						return true
					}
					return false
				}
				srv := httptest.NewServer(cs)
				defer srv.Close()
				c := newTestClient(t, srv.URL, mor.WithRetries(retries, time.Millisecond))
				for _, method := range []string{"cli_add", "cli_delete"} {
					call := func(ctx context.Context) error {
						if method == "cli_add" {
							return c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"})
						}
						return c.CLIs.Delete(ctx, "37060000001")
					}
					ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
					if err := call(ctx); err != nil {
						t.Fatalf("%s warm-up: %v", method, err)
					}
					err := call(ctx)
					cancel()
					if err == nil {
						t.Errorf("%s: a failed call reported success", method)
					}
					if got := cs.count(method); got != 2 {
						t.Errorf("%s: %d arrivals for 2 calls, want 2 (%v)", method, got, err)
					}
				}
			})
		}
	}
}

// TestReadsRetried: device_clis_get and cli_info_get are retried after
// transport errors and 5xx with WithRetries, each retry a fresh request,
// and not retried after a 4xx, a parse error or a server <error>; without
// WithRetries they are tried once.
func TestReadsRetried(t *testing.T) {
	okInfo := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <cli>\n    <device>\n      <user_id>2</user_id>\n      <device_id>2</device_id>\n    </device>\n  </cli>\n</page>\n"
	transient := []func(w http.ResponseWriter, r *http.Request){
		func(w http.ResponseWriter, r *http.Request) { http.Error(w, "busy", http.StatusServiceUnavailable) },
		func(w http.ResponseWriter, r *http.Request) { dropAfterRequest(w) },
		resetMidBody,
		func(w http.ResponseWriter, r *http.Request) { http.Error(w, "bad gateway", http.StatusBadGateway) },
	}
	newServer := func(fail func(n int, w http.ResponseWriter, r *http.Request) bool) (*countingServer, *httptest.Server) {
		cs := &countingServer{arrivals: map[string]int{}, ok: map[string]string{"device_clis_get": okList, "cli_info_get": okInfo}}
		cs.fail = func(_ string, n int, w http.ResponseWriter, r *http.Request) bool { return fail(n, w, r) }
		srv := httptest.NewServer(cs)
		t.Cleanup(srv.Close)
		return cs, srv
	}
	t.Run("recovers after transient failures", func(t *testing.T) {
		cs, srv := newServer(func(n int, w http.ResponseWriter, r *http.Request) bool {
			if n <= len(transient) {
				transient[n-1](w, r)
				return true
			}
			return false
		})
		c := newTestClient(t, srv.URL, mor.WithRetries(len(transient), time.Millisecond))
		clis, err := c.CLIs.List(context.Background(), mor.DeviceCLIsParams{})
		if err != nil || len(clis) != 1 || clis[0].Number != "123456" {
			t.Fatalf("got %v, %v", clis, err)
		}
		if got := cs.count("device_clis_get"); got != len(transient)+1 {
			t.Errorf("%d arrivals, want %d", got, len(transient)+1)
		}
		info, err := c.CLIs.Info(context.Background(), "123456") // its first try succeeds
		if err != nil || info.DeviceID != 2 {
			t.Fatalf("got %v, %v", info, err)
		}
	})
	t.Run("gives up after n retries", func(t *testing.T) {
		cs, srv := newServer(func(n int, w http.ResponseWriter, r *http.Request) bool {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return true
		})
		c := newTestClient(t, srv.URL, mor.WithRetries(3, time.Millisecond))
		_, err := c.CLIs.Info(context.Background(), "123456")
		var he *mor.HTTPError
		if !errors.As(err, &he) || he.StatusCode != 503 {
			t.Fatalf("got %v, want the last HTTP 503", err)
		}
		if got := cs.count("cli_info_get"); got != 4 {
			t.Errorf("%d arrivals, want 1 + 3 retries", got)
		}
	})
	for name, fail := range map[string]func(w http.ResponseWriter, r *http.Request){
		"404":         func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
		"parse error": func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "<page><status>") },
		"server error": func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, "<status><error>Incorrect hash</error></status>")
		},
		"empty body": func(w http.ResponseWriter, r *http.Request) {},
	} {
		t.Run("no retry after "+name, func(t *testing.T) {
			cs, srv := newServer(func(n int, w http.ResponseWriter, r *http.Request) bool { fail(w, r); return true })
			c := newTestClient(t, srv.URL, mor.WithRetries(3, time.Millisecond))
			if _, err := c.CLIs.List(context.Background(), mor.DeviceCLIsParams{}); err == nil {
				t.Fatal("no error")
			}
			if got := cs.count("device_clis_get"); got != 1 {
				t.Errorf("%d arrivals, want 1", got)
			}
		})
	}
	t.Run("no retries by default", func(t *testing.T) {
		cs, srv := newServer(func(n int, w http.ResponseWriter, r *http.Request) bool {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return true
		})
		c := newTestClient(t, srv.URL)
		if _, err := c.CLIs.List(context.Background(), mor.DeviceCLIsParams{}); err == nil {
			t.Fatal("no error")
		}
		if got := cs.count("device_clis_get"); got != 1 {
			t.Errorf("%d arrivals, want 1", got)
		}
	})
	t.Run("backoff respects the deadline", func(t *testing.T) {
		cs, srv := newServer(func(n int, w http.ResponseWriter, r *http.Request) bool {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return true
		})
		c := newTestClient(t, srv.URL, mor.WithRetries(10, 5*time.Second))
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, want DeadlineExceeded", err)
		}
		if time.Since(start) > 2*time.Second || cs.count("device_clis_get") != 1 {
			t.Errorf("returned after %v and %d arrivals", time.Since(start), cs.count("device_clis_get"))
		}
	})
}

// TestLoad: 64 goroutines × 1,000 calls on one Client against mortest, under
// the race detector in CI. Each goroutine owns a device and cycles
// add → info → list → delete on its own numbers, so every answer is known.
func TestLoad(t *testing.T) {
	const workers, calls = 64, 1000
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	srv.SetSettings(0, mortest.Settings{AllowAPI: true, Secret: testSecret})
	devices := make([]int64, workers)
	for g := range devices {
		devices[g] = srv.AddDevice(mortest.Device{Type: "SIP", Name: fmt.Sprint(5000 + g), UserID: 2})
	}
	before := len(srv.CLIs())
	c := newTestClient(t, srv.URL)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dev := devices[g]
			for i := 0; i < calls/4; i++ {
				num := fmt.Sprintf("3706%03d%05d", g, i)
				if err := c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: dev, CLINumber: num}); err != nil {
					errs <- fmt.Errorf("worker %d add %s: %w", g, num, err)
					return
				}
				info, err := c.CLIs.Info(ctx, num)
				if err != nil || info.DeviceID != dev || info.UserID != 2 {
					errs <- fmt.Errorf("worker %d info %s: %+v, %v", g, num, info, err)
					return
				}
				clis, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{DeviceID: dev})
				if err != nil || len(clis) != 1 || clis[0].Number != num || clis[0].Device != fmt.Sprintf("SIP/%d", 5000+g) {
					errs <- fmt.Errorf("worker %d list: %+v, %v", g, clis, err)
					return
				}
				if err := c.CLIs.Delete(ctx, num); err != nil {
					errs <- fmt.Errorf("worker %d delete %s: %w", g, num, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, m := range []string{"cli_add", "cli_info_get", "device_clis_get", "cli_delete"} {
		if got := srv.Requests(m); got != workers*calls/4 {
			t.Errorf("%s: %d requests reached the server, want %d", m, got, workers*calls/4)
		}
	}
	if after := len(srv.CLIs()); after != before {
		t.Errorf("%d CLIs left, want %d", after, before)
	}
}

// trickleAfter answers status with prefix, then one byte per 100 ms for
// 10 s (or until the client goes away).
func trickleAfter(status int, prefix string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, prefix)
		rc := http.NewResponseController(w)
		_ = rc.Flush()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for i := 0; i < 100; i++ {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
				if _, err := io.WriteString(w, "z"); err != nil {
					return
				}
				if err := rc.Flush(); err != nil {
					return
				}
			}
		}
	}
}

// TestDecidedErrorDoesNotWaitForTheBody: once the reply is known to be bad
// (a second root element, an error page, bytes that are not text), the
// call reports that error, whatever the rest of the body does. Here the
// rest trickles in for 10 s; a call with a 3 s context must come back with
// the decided error, not with the context's.
func TestDecidedErrorDoesNotWaitForTheBody(t *testing.T) {
	bigPage := "<!DOCTYPE html><html><body><h1>Service Unavailable</h1><p>" + strings.Repeat("The server is busy. ", 40) + "</p>"
	tests := []struct {
		name         string
		status       int
		prefix       string
		parse, httpE bool
		reason       string
	}{
		{"second root element", 200, "<?xml version=\"1.0\"?>\n<page><status><success>CLI successfully created</success></status></page>\n<page>", true, false, "more than one root"},
		{"second root, short reply", 200, "<a/><b>", true, false, "more than one root"},
		{"bytes that are not text", 200, "\x9f\xfe\xff\x13garbage", true, false, "not text"},
		{"503 page over 512 bytes", 503, bigPage, false, true, ""},
		{"503 page under 512 bytes", 503, "<html><body>Service Unavailable", false, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(trickleAfter(tt.status, tt.prefix))
			defer srv.Close()
			c := newTestClient(t, srv.URL)
			for name, call := range map[string]func(context.Context) error{
				"cli_add": func(ctx context.Context) error {
					return c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"})
				},
				"device_clis_get": func(ctx context.Context) error {
					_, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{})
					return err
				},
			} {
				ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
				err := call(ctx)
				ended := ctx.Err() // nil: the call returned before the deadline
				cancel()
				if errors.Is(err, context.DeadlineExceeded) || ended != nil {
					t.Fatalf("%s: got %v (context %v), want the decided error before the context ended", name, err, ended)
				}
				if tt.parse {
					var pe *mor.ParseError
					if !errors.As(err, &pe) || !strings.Contains(pe.Reason, tt.reason) {
						t.Fatalf("%s: got %T %v, want a *mor.ParseError about %q", name, err, err, tt.reason)
					}
				}
				if tt.httpE {
					var he *mor.HTTPError
					if !errors.As(err, &he) || he.StatusCode != tt.status || !strings.Contains(he.Snippet, "Service Unavailable") {
						t.Fatalf("%s: got %T %v, want a *mor.HTTPError %d with the page's start", name, err, err, tt.status)
					}
				}
			}
		})
	}
}
