package bench

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	mor "github.com/morbilling/mor-go"
)

// largeReply returns a gzipped device_clis_get reply with n records in the
// 2018 server's layout, and its decoded (XML) size.
func largeReply(tb testing.TB, n int) (gz []byte, xmlSize int) {
	tb.Helper()
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestSpeed)
	cw := &countWriter{w: zw}
	w := bufio.NewWriterSize(cw, 64<<10)
	w.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <status>\n")
	var num []byte
	for i := 1; i <= n; i++ {
		num = strconv.AppendInt(num[:0], int64(i), 10)
		w.WriteString("    <cli_id>")
		w.Write(num)
		w.WriteString("</cli_id>\n    <cli_cli>")
		w.WriteString(strconv.Itoa(37060000000 + i))
		w.WriteString("</cli_cli>\n    <cli_device>SIP/")
		w.WriteString(strconv.Itoa(1000 + i%500))
		w.WriteString("</cli_device>\n    <cli_description></cli_description>\n")
		w.WriteString("    <cli_added_at>2018-02-01 10:00:00 +0200</cli_added_at>\n")
		w.WriteString("    <cli_updated_at>2018-02-01 10:00:00 +0200</cli_updated_at>\n")
		w.WriteString("    <cli_comment></cli_comment>\n    <cli_email_callback>0</cli_email_callback>\n    <cli_banned>0</cli_banned>\n")
	}
	w.WriteString("  </status>\n</page>\n")
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes(), cw.n
}

type countWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += n
	return n, err
}

// heapSampler records the peak of the Go heap's object bytes (live objects
// plus garbage not yet swept, the figure GC pacing works on) while it runs,
// reading runtime/metrics every 200 µs; reading them does not stop the world.
type heapSampler struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

const heapObjects = "/memory/classes/heap/objects:bytes"

func readHeap() uint64 {
	s := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), peak: readHeap()}
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		s := []metrics.Sample{{Name: heapObjects}}
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				metrics.Read(s)
				h.peak = max(h.peak, s[0].Value.Uint64())
			}
		}
	}()
	return h
}

func (h *heapSampler) Stop() uint64 {
	close(h.stop)
	h.done.Wait()
	return max(h.peak, readHeap())
}

// largeSizes are the record counts measured; 1,000,000 (a 330 MB document)
// only with MOR_BENCH_HUGE=1.
func largeSizes() []int {
	sizes := []int{10_000, 100_000}
	if os.Getenv("MOR_BENCH_HUGE") == "1" {
		sizes = append(sizes, 1_000_000)
	}
	return sizes
}

// BenchmarkDeviceCLIsLarge decodes one gzipped device_clis_get reply of n
// records per iteration and reports, besides time, the decoded XML size, the
// peak heap growth during the call (over the heap before it, after a GC) and
// their ratio. The result is kept alive until the peak is read, as a caller
// would keep it.
func BenchmarkDeviceCLIsLarge(b *testing.B) {
	for _, n := range largeSizes() {
		gz, xmlSize := largeReply(b, n)
		b.Run(fmt.Sprintf("clis=%d/client=mor", n), func(b *testing.B) {
			srv := replayServer(b, map[string][]byte{"device_clis_get": gz})
			tr := newTransport()
			b.Cleanup(tr.CloseIdleConnections)
			c, err := mor.NewClient(srv.URL+"/billing", "admin", "secret",
				mor.WithHTTPClient(&http.Client{Transport: tr, Timeout: 5 * time.Minute}),
				mor.WithMaxResponseBytes(int64(xmlSize)+1<<20))
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
				base := readHeap()
				h := startHeapSampler()
				b.StartTimer()
				clis, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{})
				b.StopTimer()
				p := h.Stop() - base
				if err != nil {
					b.Fatal(err)
				}
				if len(clis) != n || clis[n-1].ID != int64(n) {
					b.Fatalf("got %d records", len(clis))
				}
				runtime.KeepAlive(clis)
				peak = max(peak, p)
				b.StartTimer()
			}
			reportPeak(b, xmlSize, len(gz), peak)
		})
		if n > 100_000 {
			continue // the baseline's per-field slices make 1M slow and large
		}
		b.Run(fmt.Sprintf("clis=%d/client=handrolled", n), func(b *testing.B) {
			srv := replayServer(b, map[string][]byte{"device_clis_get": gz})
			tr := newTransport()
			b.Cleanup(tr.CloseIdleConnections)
			raw := &rawClient{hc: &http.Client{Transport: tr, Timeout: 5 * time.Minute}, base: srv.URL + "/billing/api/", user: "admin", secret: "secret"}
			ctx := context.Background()
			var peak uint64
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				runtime.GC()
				base := readHeap()
				h := startHeapSampler()
				b.StartTimer()
				clis, err := raw.deviceCLIs(ctx, 0)
				b.StopTimer()
				p := h.Stop() - base
				if err != nil {
					b.Fatal(err)
				}
				if len(clis) != n {
					b.Fatalf("got %d records", len(clis))
				}
				runtime.KeepAlive(clis)
				peak = max(peak, p)
				b.StartTimer()
			}
			reportPeak(b, xmlSize, len(gz), peak)
		})
	}
}

func reportPeak(b *testing.B, xmlSize, gzSize int, peak uint64) {
	b.ReportMetric(float64(xmlSize)/1e6, "xml-MB")
	b.ReportMetric(float64(gzSize)/1e6, "gz-MB")
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(peak)/float64(xmlSize), "peak/xml")
}
