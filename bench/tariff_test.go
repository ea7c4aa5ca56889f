package bench

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// tariffZip returns the zipped tariff_rates_get reply of a wholesale tariff
// with n rates, exactly as mortest (and so the 2018 server) sends it, and
// the size of the XML document inside.
func tariffZip(tb testing.TB, n int) (zipped []byte, xmlSize int) {
	tb.Helper()
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	srv.SetRateDeck(2, mortest.RateDeck{N: n, Seed: 1})
	form := url.Values{"u": {"admin"}, "tariff_id": {"2"}}
	form.Set("hash", mor.Hash("tariff_rates_get", form, mortest.SpecSecret))
	resp, err := http.PostForm(srv.URL+"/billing/api/tariff_rates_get", form)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	zipped, err = io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil || len(zr.File) != 1 {
		tb.Fatalf("not a one-member zip: %v", err)
	}
	return zipped, int(zr.File[0].UncompressedSize64)
}

// xmlRate is the baseline's record: what a developer decodes with
// encoding/xml, text fields only (no money parsing beyond strings).
type xmlRate struct {
	Direction   string `xml:"direction"`
	Destination string `xml:"destination"`
	Prefix      string `xml:"prefix"`
	Code        string `xml:"code"`
	TariffRate  string `xml:"tariff_rate"`
	ConFee      string `xml:"con_fee"`
	Increment   int64  `xml:"increment"`
	MinTime     int64  `xml:"min_time"`
	StartTime   string `xml:"start_time"`
	EndTime     string `xml:"end_time"`
	DayType     string `xml:"daytype"`
}

// baselineExport is a straightforward encoding/xml client: POST, read the
// archive, open its member, then a Decoder and DecodeElement per <rate>,
// calling fn for each (streaming too, so the comparison is fair).
func baselineExport(ctx context.Context, hc *http.Client, base string, fn func(*xmlRate)) error {
	form := url.Values{"u": {"admin"}, "tariff_id": {"2"}}
	sum := sha1.Sum([]byte("2" + "secret"))
	form.Set("hash", hex.EncodeToString(sum[:]))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"tariff_rates_get", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var r xmlRate
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "rate" {
			r = xmlRate{}
			if err := d.DecodeElement(&r, &se); err != nil {
				return err
			}
			fn(&r)
		}
	}
}

func tariffSizes() []int {
	if os.Getenv("MOR_BENCH_QUICK") == "1" {
		return []int{10_000}
	}
	return []int{100_000}
}

// BenchmarkTariffExport decodes one zipped tariff_rates_get reply of n
// wholesale rates per iteration with mor (Rates.ExportAll: exact Money,
// typed fields) and with a straightforward encoding/xml client, side by
// side, reporting records/s and the peak heap growth during the call.
// Neither keeps the rates: both stream.
func BenchmarkTariffExport(b *testing.B) {
	for _, n := range tariffSizes() {
		zipped, xmlSize := tariffZip(b, n)
		run := func(b *testing.B, export func(ctx context.Context, count *int) error) {
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
				count := 0
				err := export(ctx, &count)
				b.StopTimer()
				p := h.Stop() - base
				if err != nil {
					b.Fatal(err)
				}
				if count != n {
					b.Fatalf("got %d rates, want %d", count, n)
				}
				peak = max(peak, p)
				b.StartTimer()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
			b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
			b.ReportMetric(float64(xmlSize)/1e6, "xml-MB")
			b.ReportMetric(float64(len(zipped))/1e6, "zip-MB")
		}
		b.Run(fmt.Sprintf("rates=%d/client=mor", n), func(b *testing.B) {
			srv := replayServer(b, map[string][]byte{"tariff_rates_get": zipped})
			tr := newTransport()
			b.Cleanup(tr.CloseIdleConnections)
			c, err := mor.NewClient(srv.URL+"/billing", "admin", "secret",
				mor.WithHTTPClient(&http.Client{Transport: tr, Timeout: 5 * time.Minute}),
				mor.WithMaxResponseBytes(int64(xmlSize)+1<<20))
			if err != nil {
				b.Fatal(err)
			}
			run(b, func(ctx context.Context, count *int) error {
				for r, err := range c.Rates.ExportAll(ctx, mor.TariffExportParams{TariffID: 2}) {
					if err != nil {
						return err
					}
					if r.Prefix == "" {
						return errors.New("empty prefix")
					}
					*count++
				}
				return nil
			})
		})
		b.Run(fmt.Sprintf("rates=%d/client=encodingxml", n), func(b *testing.B) {
			srv := replayServer(b, map[string][]byte{"tariff_rates_get": zipped})
			tr := newTransport()
			b.Cleanup(tr.CloseIdleConnections)
			hc := &http.Client{Transport: tr, Timeout: 5 * time.Minute}
			run(b, func(ctx context.Context, count *int) error {
				return baselineExport(ctx, hc, srv.URL+"/billing/api/", func(r *xmlRate) {
					if r.Prefix != "" {
						*count++
					}
				})
			})
		})
	}
}
