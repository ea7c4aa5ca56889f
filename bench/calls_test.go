package bench

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"
	"time"

	mor "github.com/morbilling/mor-go"
)

// callsReply returns a gzipped user_calls_get reply of n CDRs as the 2018
// server prints them for an admin (25 columns, about 1 KB each), and its
// decoded size.
func callsReply(tb testing.TB, n int) (gz []byte, xmlSize int) {
	tb.Helper()
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.DefaultCompression)
	cw := &countWriter{w: zw}
	w := bufio.NewWriterSize(cw, 64<<10)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <pagename>Calls</pagename>\n  <language>en</language>\n  <error_msg></error_msg>\n  <userid>0</userid>\n  <username>admin</username>\n  <total_calls>%d</total_calls>\n  <currency>USD</currency>\n  <calls_stat>\n    <period>\n      <period_start>2024-05-01 00:00:00</period_start>\n      <period_end>2024-05-31 23:59:59</period_end>\n    </period>\n    <show_user>all</show_user>\n    <show_device>all</show_device>\n    <show_status>all</show_status>\n    <show_provider>all</show_provider>\n    <show_hgc>all</show_hgc>\n    <show_reseller>all</show_reseller>\n    <show_did>all</show_did>\n    <calls>\n", n)
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	leaf := func(name, v string) {
		w.WriteString("        <")
		w.WriteString(name)
		w.WriteString(">")
		w.WriteString(v)
		w.WriteString("</")
		w.WriteString(name)
		w.WriteString(">\n")
	}
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(int64(i)*31*86400/int64(max(n, 1))) * time.Second)
		price := strconv.FormatFloat(float64(i%1000)/100, 'f', -1, 64)
		if !bytes.ContainsRune([]byte(price), '.') {
			price += ".0"
		}
		w.WriteString("      <call>\n")
		leaf("calldate2", at.Format(time.DateTime))
		leaf("timezone", "GMT +03:00")
		leaf("clid", strconv.Itoa(37060000000+i))
		leaf("destination", "Lithuania Mobile")
		leaf("did", "")
		leaf("did_inc_price", "0.0")
		leaf("did_price", "0.0")
		leaf("did_prov_price", "0.0")
		leaf("dispod", "ANSWERED(16)")
		leaf("dst", strconv.Itoa(37069000000+i))
		leaf("nice_billsec", strconv.Itoa(i%600))
		leaf("nice_reseller", " ")
		leaf("prefix", "3706")
		leaf("profit", "0.25")
		leaf("provider_name", "Test Provider")
		leaf("provider_price", "0.75")
		leaf("provider_rate", "0.015")
		leaf("reseller_price", "0.0")
		leaf("reseller_rate", "0.0")
		leaf("server_id", "1")
		leaf("src", strconv.Itoa(100+i%900))
		leaf("user", "Test User #1")
		leaf("user_price", price)
		leaf("user_rate", "0.02")
		leaf("uniqueid", strconv.Itoa(1714510000+i)+".3")
		w.WriteString("      </call>\n")
	}
	w.WriteString("    </calls>\n  </calls_stat>\n</page>\n")
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes(), cw.n
}

// xmlCall is the baseline's record: encoding/xml fills the strings, then
// the same conversions mor makes (time in the zone, duration, exact prices).
type xmlCall struct {
	CallDate      string `xml:"calldate2"`
	Timezone      string `xml:"timezone"`
	CLID          string `xml:"clid"`
	Destination   string `xml:"destination"`
	DID           string `xml:"did"`
	DIDIncPrice   string `xml:"did_inc_price"`
	DIDPrice      string `xml:"did_price"`
	DIDProvPrice  string `xml:"did_prov_price"`
	Dispod        string `xml:"dispod"`
	Dst           string `xml:"dst"`
	Billsec       string `xml:"nice_billsec"`
	Reseller      string `xml:"nice_reseller"`
	Prefix        string `xml:"prefix"`
	Profit        string `xml:"profit"`
	ProviderName  string `xml:"provider_name"`
	ProviderPrice string `xml:"provider_price"`
	ProviderRate  string `xml:"provider_rate"`
	ResellerPrice string `xml:"reseller_price"`
	ResellerRate  string `xml:"reseller_rate"`
	ServerID      string `xml:"server_id"`
	Src           string `xml:"src"`
	User          string `xml:"user"`
	UserPrice     string `xml:"user_price"`
	UserRate      string `xml:"user_rate"`
	UniqueID      string `xml:"uniqueid"`

	Time     time.Time
	Duration time.Duration
	Prices   [12]mor.Decimal
}

// xmlCalls is the straightforward encoding/xml client: POST, gunzip,
// xml.Decoder, DecodeElement per <call>, then the conversions; fn gets each
// record, none is kept.
func (c *rawClient) xmlCalls(ctx context.Context, loc *time.Location, fn func(*xmlCall)) error {
	form := url2(c, "user_calls_get")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"user_calls_get", bytes.NewReader([]byte(form)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		return err
	}
	d := xml.NewDecoder(zr)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "call" {
			continue
		}
		var rec xmlCall
		if err := d.DecodeElement(&rec, &se); err != nil {
			return err
		}
		if rec.Time, err = time.ParseInLocation(time.DateTime, rec.CallDate, loc); err != nil {
			return err
		}
		n, err := strconv.Atoi(rec.Billsec)
		if err != nil {
			return err
		}
		rec.Duration = time.Duration(n) * time.Second
		for i, p := range []string{rec.DIDIncPrice, rec.DIDPrice, rec.DIDProvPrice, rec.Profit, rec.ProviderPrice, rec.ProviderRate,
			rec.ResellerPrice, rec.ResellerRate, rec.UserPrice, rec.UserRate} {
			if rec.Prices[i], err = mor.ParseDecimal(p); err != nil {
				return err
			}
		}
		fn(&rec)
	}
}

// url2 is the signed form of a user_calls_get request without filters.
func url2(c *rawClient, method string) string {
	v := map[string][]string{"u": {c.user}}
	return "u=" + c.user + "&hash=" + mor.Hash(method, v, c.secret)
}

// BenchmarkCallsStream streams a gzipped user_calls_get reply of n CDRs per
// iteration, mor's Calls.All beside the encoding/xml client, and reports
// records/s, allocations per record and the peak heap growth during the
// stream (records are not kept: a stream's memory must stay flat).
func BenchmarkCallsStream(b *testing.B) {
	loc := time.FixedZone("EEST", 3*3600)
	for _, n := range largeSizes() {
		gz, xmlSize := callsReply(b, n)
		run := func(b *testing.B, stream func(ctx context.Context) (int, error)) {
			ctx := context.Background()
			var peak, live uint64
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				runtime.GC()
				base := readHeap()
				baseLive := readLive()
				h := startHeapSampler()
				l := startLiveSampler()
				b.StartTimer()
				got, err := stream(ctx)
				b.StopTimer()
				peak = max(peak, h.Stop()-base)
				if v := l.Stop(); v > baseLive {
					live = max(live, v-baseLive)
				}
				if err != nil {
					b.Fatal(err)
				}
				if got != n {
					b.Fatalf("got %d records, want %d", got, n)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
			// The heap's growth includes garbage the collector lets pile up
			// in proportion to the live heap, which holds the benchmark's own
			// gzipped reply (24 MB at 1M); the live heap after each
			// collection is what the stream itself keeps.
			b.ReportMetric(float64(live)/1e6, "peak-live-MB")
			reportPeak(b, xmlSize, len(gz), peak)
		}
		b.Run(fmt.Sprintf("cdrs=%d/client=mor", n), func(b *testing.B) {
			srv := replayServer(b, map[string][]byte{"user_calls_get": gz})
			tr := newTransport()
			b.Cleanup(tr.CloseIdleConnections)
			c, err := mor.NewClient(srv.URL+"/billing", "admin", "secret",
				mor.WithHTTPClient(&http.Client{Transport: tr, Timeout: 5 * time.Minute}),
				mor.WithMaxResponseBytes(int64(xmlSize)+1<<20))
			if err != nil {
				b.Fatal(err)
			}
			run(b, func(ctx context.Context) (int, error) {
				got := 0
				for call, err := range c.Calls.All(ctx, mor.CallsQuery{Zone: loc}) {
					if err != nil {
						return got, err
					}
					if call.UserPrice == nil {
						return got, fmt.Errorf("record %d has no price", got)
					}
					got++
				}
				return got, nil
			})
		})
		b.Run(fmt.Sprintf("cdrs=%d/client=encodingxml", n), func(b *testing.B) {
			srv := replayServer(b, map[string][]byte{"user_calls_get": gz})
			tr := newTransport()
			b.Cleanup(tr.CloseIdleConnections)
			raw := &rawClient{hc: &http.Client{Transport: tr, Timeout: 5 * time.Minute}, base: srv.URL + "/billing/api/", user: "admin", secret: "secret"}
			run(b, func(ctx context.Context) (int, error) {
				got := 0
				err := raw.xmlCalls(ctx, loc, func(*xmlCall) { got++ })
				return got, err
			})
		})
	}
}

// BenchmarkCallsGunzip is the share of gunzip alone (the standard
// library's), per record: the floor under any decoder of these replies.
func BenchmarkCallsGunzip(b *testing.B) {
	for _, n := range largeSizes() {
		gz, _ := callsReply(b, n)
		b.Run(fmt.Sprintf("cdrs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				zr, err := gzip.NewReader(bytes.NewReader(gz))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, zr); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/record")
		})
	}
}

const heapLive = "/gc/heap/live:bytes"

func readLive() uint64 {
	s := []metrics.Sample{{Name: heapLive}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// liveSampler records the largest live heap (as of the last collection)
// seen while it runs.
type liveSampler struct {
	stop chan struct{}
	done chan struct{}
	peak uint64
}

func startLiveSampler() *liveSampler {
	l := &liveSampler{stop: make(chan struct{}), done: make(chan struct{}), peak: readLive()}
	go func() {
		defer close(l.done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-t.C:
				l.peak = max(l.peak, readLive())
			}
		}
	}()
	return l
}

func (l *liveSampler) Stop() uint64 {
	close(l.stop)
	<-l.done
	return max(l.peak, readLive())
}
