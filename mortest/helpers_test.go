package mortest_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// zone and clock make every timestamp in these tests deterministic.
var (
	zone    = time.FixedZone("EET", 2*3600)
	fixedAt = time.Date(2018, 3, 1, 12, 0, 0, 0, zone)
)

// newSpecServer starts a spec-world server with a fixed clock and zone.
func newSpecServer(t *testing.T, opts ...mortest.Option) *mortest.Server {
	t.Helper()
	opts = append([]mortest.Option{mortest.WithSpecWorld(), mortest.WithLocation(zone),
		mortest.WithClock(func() time.Time { return fixedAt })}, opts...)
	srv := mortest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// sign returns a copy of p with the hash for method under secret.
func sign(method string, p url.Values, secret string) url.Values {
	out := url.Values{}
	for k, v := range p {
		out[k] = v
	}
	out.Set("hash", mor.Hash(method, p, secret))
	return out
}

// post sends p as a form body and returns the reply, read in full.
func post(t *testing.T, srv *mortest.Server, path string, p url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := http.PostForm(srv.URL+path, p)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

// call posts method's params signed with the spec secret.
func call(t *testing.T, srv *mortest.Server, method string, p url.Values) string {
	t.Helper()
	_, body := post(t, srv, "/billing/api/"+method, sign(method, p, mortest.SpecSecret))
	return body
}

// The reply frames of spec §1.4, written out by hand so that the fake's
// serialiser is checked against text, not against itself.
const decl = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

func shapeA(msg string) string {
	return decl + "<status>\n  <error>" + msg + "</error>\n</status>\n"
}

func shapeB(msgs ...string) string {
	var b strings.Builder
	b.WriteString(decl + "<page>\n  <status>\n")
	for _, m := range msgs {
		b.WriteString("    <error>" + m + "</error>\n")
	}
	b.WriteString("  </status>\n</page>\n")
	return b.String()
}

func shapeC(msg string) string {
	return decl + "<page>\n  <error>" + msg + "</error>\n</page>\n"
}

func okReply(msg string) string {
	return decl + "<page>\n  <status>\n    <success>" + msg + "</success>\n  </status>\n</page>\n"
}

func infoReply(userID, deviceID string) string {
	return decl + "<page>\n  <cli>\n    <device>\n      <user_id>" + userID + "</user_id>\n      <device_id>" +
		deviceID + "</device_id>\n    </device>\n  </cli>\n</page>\n"
}

// listing wraps records (from rec) in device_clis_get's frame.
func listing(recs ...string) string {
	return decl + "<page>\n  <status>\n" + strings.Join(recs, "") + "  </status>\n</page>\n"
}

// specRec is one seeded spec-world CLI as device_clis_get lists it.
func specRec(id, number, device string) string {
	return "    <cli_id>" + id + "</cli_id>\n" +
		"    <cli_cli>" + number + "</cli_cli>\n" +
		"    <cli_device>" + device + "</cli_device>\n" +
		"    <cli_description></cli_description>\n" +
		"    <cli_added_at>2018-02-01 10:00:00 +0200</cli_added_at>\n" +
		"    <cli_updated_at>2018-02-01 10:00:00 +0200</cli_updated_at>\n" +
		"    <cli_comment></cli_comment>\n" +
		"    <cli_email_callback>0</cli_email_callback>\n" +
		"    <cli_banned>0</cli_banned>\n"
}

var (
	rec1 = specRec("1", "123456", "IAX2/101")
	rec2 = specRec("2", "987654", "IAX2/105")
	rec3 = specRec("3", "654121", "SIP/1001")
)

// vals builds url.Values from name, value pairs (values keep their order of
// appearance, which url.Values would not show in a literal map).
func vals(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}
