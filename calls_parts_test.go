package mor

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"
)

// callsXML is an admin user_calls_get document of n calls (25 columns).
func callsXML(n int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <total_calls>%d</total_calls>\n  <currency>USD</currency>\n  <calls_stat>\n    <calls>\n", n)
	for i := 0; i < n; i++ {
		b.WriteString("      <call>\n        <calldate2>2024-05-01 10:00:00</calldate2>\n        <timezone>GMT +03:00</timezone>\n")
		b.WriteString("        <clid>" + strconv.Itoa(37060000000+i) + "</clid>\n        <destination>Lithuania Mobile</destination>\n        <did></did>\n")
		b.WriteString("        <did_inc_price>0.0</did_inc_price>\n        <did_price>0.0</did_price>\n        <did_prov_price>0.0</did_prov_price>\n")
		b.WriteString("        <dispod>ANSWERED(16)</dispod>\n        <dst>37069000000</dst>\n        <nice_billsec>" + strconv.Itoa(i%600) + "</nice_billsec>\n")
		b.WriteString("        <nice_reseller> </nice_reseller>\n        <prefix>3706</prefix>\n        <profit>0.25</profit>\n")
		b.WriteString("        <provider_name>Test Provider</provider_name>\n        <provider_price>0.75</provider_price>\n        <provider_rate>0.015</provider_rate>\n")
		b.WriteString("        <reseller_price>0.0</reseller_price>\n        <reseller_rate>0.0</reseller_rate>\n        <server_id>1</server_id>\n")
		b.WriteString("        <src>101</src>\n        <user>Test User #1</user>\n        <user_price>1.5</user_price>\n        <user_rate>0.02</user_rate>\n")
		b.WriteString("        <uniqueid>" + strconv.Itoa(1714510000+i) + ".3</uniqueid>\n      </call>\n")
	}
	b.WriteString("    </calls>\n  </calls_stat>\n</page>\n")
	return b.Bytes()
}

// BenchmarkCallsDecodeParts splits the CPU per record of an in-memory
// (already gunzipped) reply: scan is the streaming walker alone (tokens,
// limits, paths), decode is scan plus the conversion into typed Calls; the
// conversion is their difference. Gunzip's share is bench's
// BenchmarkCallsGunzip.
func BenchmarkCallsDecodeParts(b *testing.B) {
	const n = 10000
	doc := callsXML(n)
	b.Run("scan", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(doc)))
		for i := 0; i < b.N; i++ {
			w := walker{method: "user_calls_get"}
			w.endRaw = func(parent, name string, text []byte) error { return nil }
			if err := w.run(bytes.NewReader(doc)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/record")
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(doc)))
		for i := 0; i < b.N; i++ {
			d := callDecoder{method: "user_calls_get"}
			got := 0
			if err := d.decode(bytes.NewReader(doc), func(Call) bool { got++; return true }); err != nil || got != n {
				b.Fatal(err, got)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/record")
	})
}
