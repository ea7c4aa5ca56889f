package bench

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"testing"
	"time"

	mor "github.com/morbilling/mor-go"
)

// defaultCap is the client's default reply cap (WithMaxResponseBytes).
const defaultCap = 32 << 20

// gzipStream gzips what write produces and returns the body and its decoded
// size.
func gzipStream(tb testing.TB, write func(w *bufio.Writer)) (gz []byte, xmlSize int) {
	tb.Helper()
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	cw := &countWriter{w: zw}
	w := bufio.NewWriterSize(cw, 64<<10)
	write(w)
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes(), cw.n
}

func repeat(w *bufio.Writer, s string, n int) {
	for i := 0; i < n; i++ {
		w.WriteString(s)
	}
}

// shapeBombs are replies just under the default 32 MiB cap whose shape, not
// size, is hostile.
func shapeBombs(tb testing.TB) []struct {
	name    string
	gz      []byte
	xmlSize int
} {
	type bomb = struct {
		name    string
		gz      []byte
		xmlSize int
	}
	var bombs []bomb
	add := func(name string, write func(w *bufio.Writer)) {
		gz, n := gzipStream(tb, write)
		if n > defaultCap {
			tb.Fatalf("%s: %d bytes, over the cap", name, n)
		}
		bombs = append(bombs, bomb{name, gz, n})
	}
	add("unclosed-10M", func(w *bufio.Writer) { repeat(w, "<a>", 10_000_000) })
	add("deep-closed-4.4M", func(w *bufio.Writer) {
		w.WriteString("<page>")
		repeat(w, "<a>", 4_400_000)
		repeat(w, "</a>", 4_400_000)
		w.WriteString("</page>")
	})
	add("attrs-2.5M", func(w *bufio.Writer) {
		w.WriteString("<page")
		for i := 0; i < 2_500_000; i++ {
			w.WriteString(" a")
			w.WriteString(strconv.Itoa(i))
			w.WriteString(`=""`)
		}
		w.WriteString("><status>CLI successfully created</status></page>")
	})
	add("text-30MB", func(w *bufio.Writer) {
		w.WriteString("<page><status>")
		repeat(w, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 30<<20/64)
		w.WriteString("</status></page>")
	})
	return bombs
}

// BenchmarkShapeBombs measures the peak heap and time of replies under the
// default cap whose shape is hostile (nesting, attributes, one huge text),
// for a typed read (DeviceCLIs) and for Call into *[]byte (which holds the
// whole reply), beside a baseline: a normal device_clis_get reply of about
// the same decoded size. Each bomb must end in a *mor.ParseError.
//
//	go test -run '^$' -bench ShapeBombs -benchtime 3x ./bench
func BenchmarkShapeBombs(b *testing.B) {
	base, baseSize := largeReply(b, 85_000)
	if baseSize > defaultCap {
		b.Fatalf("baseline is %d bytes, over the cap", baseSize)
	}
	cases := append([]struct {
		name    string
		gz      []byte
		xmlSize int
	}{{"baseline-clis-85k", base, baseSize}}, shapeBombs(b)...)
	calls := []struct {
		name string
		call func(context.Context, *mor.Client) (any, error)
	}{
		{"DeviceCLIs", func(ctx context.Context, c *mor.Client) (any, error) {
			return c.CLIs.List(ctx, mor.DeviceCLIsParams{})
		}},
		{"CallBytes", func(ctx context.Context, c *mor.Client) (any, error) {
			var raw []byte
			err := c.Call(ctx, "device_clis_get", nil, &raw)
			return raw, err
		}},
	}
	for _, tc := range cases {
		for _, call := range calls {
			b.Run(tc.name+"/"+call.name, func(b *testing.B) {
				srv := replayServer(b, map[string][]byte{"device_clis_get": tc.gz})
				tr := newTransport()
				b.Cleanup(tr.CloseIdleConnections)
				c, err := mor.NewClient(srv.URL+"/billing", "admin", "secret",
					mor.WithHTTPClient(&http.Client{Transport: tr, Timeout: 5 * time.Minute}))
				if err != nil {
					b.Fatal(err)
				}
				ctx := context.Background()
				var peak uint64
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					runtime.GC()
					before := readHeap()
					h := startHeapSampler()
					b.StartTimer()
					res, err := call.call(ctx, c)
					b.StopTimer()
					p := h.Stop() - before
					var pe *mor.ParseError
					switch {
					case tc.name == base0 && err != nil:
						b.Fatal(err)
					case tc.name != base0 && !errors.As(err, &pe):
						b.Fatalf("got %T %v, want *mor.ParseError", err, err)
					}
					runtime.KeepAlive(res)
					peak = max(peak, p)
					b.StartTimer()
				}
				reportPeak(b, tc.xmlSize, len(tc.gz), peak)
				b.ReportMetric(float64(peak)/defaultCap, "peak/cap")
			})
		}
	}
}

const base0 = "baseline-clis-85k"
