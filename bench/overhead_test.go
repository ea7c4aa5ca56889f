package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	mor "github.com/morbilling/mor-go"
)

// Recorded replies, exactly as the 2018 server writes them (spec §1.3, §5,
// §8), served gzipped as the wiki describes: a raw 1f 8b body with no
// Content-Encoding, so both clients gunzip it themselves.
const (
	addCLIReply = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <status>\n    <success>CLI successfully created</success>\n  </status>\n</page>\n"

	deviceCLIsReply = `<?xml version="1.0" encoding="UTF-8"?>
<page>
  <status>
    <cli_id>1</cli_id>
    <cli_cli>123456</cli_cli>
    <cli_device>IAX2/101</cli_device>
    <cli_description></cli_description>
    <cli_added_at>2018-02-01 10:00:00 +0200</cli_added_at>
    <cli_updated_at>2018-02-01 10:00:00 +0200</cli_updated_at>
    <cli_comment></cli_comment>
    <cli_email_callback>0</cli_email_callback>
    <cli_banned>0</cli_banned>
    <cli_id>2</cli_id>
    <cli_cli>987654</cli_cli>
    <cli_device>IAX2/105</cli_device>
    <cli_description/>
    <cli_added_at>2018-02-01 10:05:00 +0200</cli_added_at>
    <cli_updated_at>2018-02-02 11:00:00 +0200</cli_updated_at>
    <cli_ivr/>
    <cli_comment>front desk</cli_comment>
    <cli_email_callback>0</cli_email_callback>
    <cli_banned>0</cli_banned>
    <cli_id>3</cli_id>
    <cli_cli>37060000001</cli_cli>
    <cli_device>SIP/1001</cli_device>
    <cli_description>main line</cli_description>
    <cli_added_at>2018-03-01 09:00:00 +0200</cli_added_at>
    <cli_updated_at>2018-03-01 09:00:00 +0200</cli_updated_at>
    <cli_comment></cli_comment>
    <cli_email_callback>1</cli_email_callback>
    <cli_banned>0</cli_banned>
  </status>
</page>
`
)

func gzipped(s string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = io.WriteString(zw, s)
	_ = zw.Close()
	return buf.Bytes()
}

// replayServer answers every POST to /billing/api/<method> with the recorded
// gzipped reply for that method. It checks nothing, so both clients pay the
// same (small) server cost.
func replayServer(tb testing.TB, replies map[string][]byte) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		body, ok := replies[strings.TrimPrefix(r.URL.Path, "/billing/api/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h["Content-Type"] = []string{"text/html"}
		h["Content-Disposition"] = []string{`attachment; filename="mor_api_response.html"`}
		h["Content-Length"] = []string{strconv.Itoa(len(body))}
		_, _ = w.Write(body)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// newTransport is the keep-alive transport both clients use (each its own
// copy, so neither warms the other's pool).
func newTransport() *http.Transport {
	return &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}
}

// rawClient is the baseline: what a careful developer writes by hand with
// only the standard library. Form POST, SHA-1 over the hashed values and
// the secret, status check, gunzip, encoding/xml.
type rawClient struct {
	hc     *http.Client
	base   string
	user   string
	secret string
}

func (c *rawClient) post(ctx context.Context, method string, form url.Values, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+method, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %s", method, resp.Status)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		return err
	}
	if err := xml.NewDecoder(zr).Decode(out); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body) // let the connection be reused
	return nil
}

func (c *rawClient) hash(values ...string) string {
	h := sha1.New()
	for _, v := range values {
		io.WriteString(h, v)
	}
	io.WriteString(h, c.secret)
	return hex.EncodeToString(h.Sum(nil))
}

func (c *rawClient) addCLI(ctx context.Context, deviceID int64, number string) error {
	dev := strconv.FormatInt(deviceID, 10)
	form := url.Values{"u": {c.user}, "device_id": {dev}, "cli_number": {number}, "banned": {"0"}, "hash": {c.hash(dev, number)}}
	var page struct {
		Errors  []string `xml:"error"`
		Success string   `xml:"status>success"`
		SErrors []string `xml:"status>error"`
	}
	if err := c.post(ctx, "cli_add", form, &page); err != nil {
		return err
	}
	if errs := append(page.Errors, page.SErrors...); len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	if !strings.Contains(page.Success, "success") {
		return errors.New("cli_add: no success")
	}
	return nil
}

// rawCLI mirrors mor.CLI so the baseline builds the same result.
type rawCLI struct {
	ID            int64
	Number        string
	Device        string
	Description   string
	Comment       string
	IVR           string
	AddedAt       time.Time
	UpdatedAt     time.Time
	EmailCallback bool
	Banned        bool
}

func (c *rawClient) deviceCLIs(ctx context.Context, userID int64) ([]rawCLI, error) {
	form := url.Values{"u": {c.user}, "users_id": {strconv.FormatInt(userID, 10)}, "hash": {c.hash()}}
	// The list is flat: one record starts at each <cli_id>. Without a custom
	// token loop encoding/xml can only gather each field into its own slice.
	var page struct {
		Errors []string `xml:"error"`
		Status struct {
			Errors    []string `xml:"error"`
			ID        []int64  `xml:"cli_id"`
			Number    []string `xml:"cli_cli"`
			Device    []string `xml:"cli_device"`
			Desc      []string `xml:"cli_description"`
			Comment   []string `xml:"cli_comment"`
			Added     []string `xml:"cli_added_at"`
			Updated   []string `xml:"cli_updated_at"`
			EmailCall []int    `xml:"cli_email_callback"`
			Banned    []int    `xml:"cli_banned"`
		} `xml:"status"`
	}
	if err := c.post(ctx, "device_clis_get", form, &page); err != nil {
		return nil, err
	}
	if errs := append(page.Errors, page.Status.Errors...); len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "; "))
	}
	s := page.Status
	n := len(s.ID)
	if len(s.Number) != n || len(s.Device) != n || len(s.Added) != n || len(s.Updated) != n || len(s.Banned) != n {
		return nil, errors.New("device_clis_get: ragged record list")
	}
	out := make([]rawCLI, n)
	for i := range out {
		added, err := time.Parse("2006-01-02 15:04:05 -0700", s.Added[i])
		if err != nil {
			return nil, err
		}
		updated, err := time.Parse("2006-01-02 15:04:05 -0700", s.Updated[i])
		if err != nil {
			return nil, err
		}
		out[i] = rawCLI{ID: s.ID[i], Number: s.Number[i], Device: s.Device[i], Description: s.Desc[i],
			Comment: s.Comment[i], AddedAt: added, UpdatedAt: updated, EmailCallback: s.EmailCall[i] != 0, Banned: s.Banned[i] != 0}
	}
	return out, nil
}

type overheadEnv struct {
	mor *mor.Client
	raw *rawClient
}

func newOverheadEnv(tb testing.TB) overheadEnv {
	srv := replayServer(tb, map[string][]byte{
		"cli_add":         gzipped(addCLIReply),
		"device_clis_get": gzipped(deviceCLIsReply),
	})
	mt, rt := newTransport(), newTransport()
	tb.Cleanup(mt.CloseIdleConnections)
	tb.Cleanup(rt.CloseIdleConnections)
	mc, err := mor.NewClient(srv.URL+"/billing", "admin", "secret",
		mor.WithHTTPClient(&http.Client{Transport: mt, Timeout: 30 * time.Second}))
	if err != nil {
		tb.Fatal(err)
	}
	return overheadEnv{
		mor: mc,
		raw: &rawClient{hc: &http.Client{Transport: rt, Timeout: 30 * time.Second}, base: srv.URL + "/billing/api/", user: "admin", secret: "secret"},
	}
}

// TestOverheadClientsAgree checks that both clients do the same work and get
// the same answers, so the benchmarks compare like with like.
func TestOverheadClientsAgree(t *testing.T) {
	env := newOverheadEnv(t)
	ctx := context.Background()
	if err := env.mor.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"}); err != nil {
		t.Fatal(err)
	}
	if err := env.raw.addCLI(ctx, 2, "37060000001"); err != nil {
		t.Fatal(err)
	}
	got, err := env.mor.CLIs.List(ctx, mor.DeviceCLIsParams{UserID: 2})
	if err != nil {
		t.Fatal(err)
	}
	want, err := env.raw.deviceCLIs(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || len(want) != 3 {
		t.Fatalf("got %d and %d records, want 3", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.Number != w.Number || g.Device != w.Device || g.Comment != w.Comment ||
			!g.AddedAt.Equal(w.AddedAt) || !g.UpdatedAt.Equal(w.UpdatedAt) || g.EmailCallback != w.EmailCallback {
			t.Errorf("record %d: mor %+v, hand-rolled %+v", i, g, w)
		}
	}
}

func BenchmarkAddCLI(b *testing.B) {
	env := newOverheadEnv(b)
	ctx := context.Background()
	b.Run("client=mor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := env.mor.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("client=handrolled", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := env.raw.addCLI(ctx, 2, "37060000001"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkDeviceCLIs(b *testing.B) {
	env := newOverheadEnv(b)
	ctx := context.Background()
	b.Run("client=mor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := env.mor.CLIs.List(ctx, mor.DeviceCLIsParams{UserID: 2}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("client=handrolled", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := env.raw.deviceCLIs(ctx, 2); err != nil {
				b.Fatal(err)
			}
		}
	})
}
