package mortest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

func tierXML(price, round, typ, start, end, dur, day string) string {
	return "<rates><rate_price>" + price + "</rate_price><rate_round_by>" + round + "</rate_round_by><rate_type>" + typ +
		"</rate_type><rate_start_time>" + start + "</rate_start_time><rate_end_time>" + end + "</rate_end_time><rate_duration>" +
		dur + "</rate_duration><day_type>" + day + "</day_type></rates>"
}

func importDoc(id, name string, dests ...string) string {
	return "<tariff><name>" + name + "</name><id>" + id + "</id><destinations>" + strings.Join(dests, "") + "</destinations></tariff>"
}

func destXML(group string, tiers ...string) string {
	return "<destination><destination_group_name>" + group + "</destination_group_name>" + strings.Join(tiers, "") + "</destination>"
}

// The spec's example report, reproduced: Afghanistan's WD tier collides with
// the stored WD tier (and, by the server's iteration quirk, the next tier
// escapes the day-type check), its "" tier's round-by is longer than the
// tier; Nowhere is not a group.
func TestTariffRetailImportReport(t *testing.T) {
	srv := newSpecServer(t)
	srv.AddTariff(mortest.Tariff{ID: 6, Name: "test_export_advanced", Purpose: "user", Currency: "USD"})
	g := srv.AddDestinationGroup(mortest.DestinationGroup{Name: "Afghanistan"})
	srv.AddDestination(mortest.Destination{Prefix: "93", Name: "Afghanistan", DestinationGroupID: g})
	r := srv.AddRate(mortest.Rate{TariffID: 6, DestinationGroupID: g})
	srv.AddARateDetail(mortest.ARateDetail{RateID: r, From: 1, Duration: -1, ArType: "minute", Round: 1, Price: "0.1",
		StartTime: "00:00:00", EndTime: "08:00:00", DayType: "WD"})
	doc := importDoc("6", "test_export_advanced",
		destXML("Afghanistan", tierXML("0.02", "1", "minute", "08:00:00", "08:59:59", "-1", "WD"),
			tierXML("0.01", "301", "minute", "00:00:00", "07:59:59", "10", "")),
		destXML("Nowhere", tierXML("1", "1", "minute", "00:00:00", "23:59:59", "-1", ""),
			tierXML("1", "1", "minute", "00:00:00", "23:59:59", "-1", "")))
	before := len(srv.ARateDetails())
	assert.Equal(t, replyFixture(t, "tariff_retail_import_report"), call(t, srv, "tariff_retail_import", vals("u", "admin", "xml", doc)))
	assert.Len(t, srv.ARateDetails(), before, "nothing inserted")
}

func TestTariffRetailImportChecks(t *testing.T) {
	srv := newSpecServer(t)
	f := func(msg string) string { return decl + "<response>\n  <error>" + msg + "</error>\n</response>\n" }
	imp := func(u, xml string) string { return call(t, srv, "import_tariff_retail", vals("u", u, "xml", xml)) }
	two := tierXML("0.1", "1", "minute", "00:00:00", "23:59:59", "-1", "")
	assert.Equal(t, f("Bad login"), imp("nobody", "<tariff/>"))
	assert.Equal(t, f("No XML"), call(t, srv, "tariff_retail_import", vals("u", "admin")))
	assert.Equal(t, f("Bad XML data"), imp("admin", "<tariff><name>x</tariff>"))
	assert.Equal(t, "", imp("admin", "<other/>"), "root not tariff: crash")
	assert.Equal(t, "", imp("admin", ""), "empty xml: crash")
	assert.Equal(t, f("No tariff id"), imp("admin", "<tariff><name>x</name><id></id></tariff>"))
	assert.Equal(t, f("No tariff name"), imp("admin", "<tariff><id>4</id></tariff>"))
	assert.Equal(t, f("Tariff belongs to other user!"), imp("reseller", importDoc("4", "Test Tariff + 0.1", destXML("G", two, two))))
	assert.Equal(t, f("TARIFF NAME WITH THIS ID DO NOT MATCH !!!FOUND Test Tariff + 0.1"), imp("admin", importDoc("4", "Other", destXML("G", two, two))))
	assert.Equal(t, f("TARIFF with same name exists, ID:4!!! CHANGE NAME OR ID"), imp("admin", importDoc("0", "Test Tariff + 0.1", destXML("G", two, two))))
	assert.Equal(t, f("TARIFF with same name exists, it belongs to other user! CHANGE NAME OR ID"), imp("admin", importDoc("0", " ", destXML("G", two, two))))
	// A new tariff is created even when the destinations are missing.
	assert.Equal(t, decl+"<response>\n  <error>No destinations!</error>\n  <tariff_id>6</tariff_id>\n  <tariff_name>New</tariff_name>\n</response>\n",
		imp("user_admin", "<tariff><name>New</name><id>0</id><destinations/></tariff>"))
	tr, ok := srv.Tariff(6)
	require.True(t, ok)
	assert.Equal(t, mortest.Tariff{ID: 6, Name: "New", Purpose: "user", OwnerID: 2, Currency: "USD"}, tr)
	assert.Equal(t, "", imp("user_admin", "<tariff><name>New</name><id>6</id><destinations> </destinations></tariff>"), "whitespace: crash")
}

func TestTariffRetailImportInserts(t *testing.T) {
	srv := newSpecServer(t)
	g := srv.AddDestinationGroup(mortest.DestinationGroup{Name: "Lithuania"})
	srv.AddDestination(mortest.Destination{Prefix: "370", Name: "Lithuania", DestinationGroupID: g})
	doc := importDoc("4", "Test Tariff + 0.1",
		destXML("Lithuania", tierXML("0.5", "1", "event", "00:00:00", "23:59:59", "0", ""),
			tierXML("0.05", "60", "minute", "00:00:00", "23:59:59", "-1", "")))
	body := call(t, srv, "tariff_retail_import", vals("u", "admin", "xml", doc))
	assert.Contains(t, body, "<tariff_id>4</tariff_id>")
	assert.Contains(t, body, "  <destination_with_bad_rates>\n  </destination_with_bad_rates>\n")
	rates := srv.Rates()
	require.Len(t, rates, 1)
	assert.Equal(t, mortest.Rate{ID: rates[0].ID, TariffID: 4, DestinationGroupID: g}, rates[0])
	ds := srv.ARateDetails()
	require.Len(t, ds, 2)
	assert.Equal(t, int64(1), ds[0].From)
	assert.Equal(t, "event", ds[0].ArType)
	assert.Equal(t, int64(1), ds[1].From, "after an event tier the same from")
	assert.Equal(t, int64(-1), ds[1].Duration)
	// Sending it again adds no tier behind the infinite one...
	call(t, srv, "tariff_retail_import", vals("u", "admin", "xml", doc))
	assert.Len(t, srv.ARateDetails(), 2)
	// WD tiers against stored "" tiers are day-type collisions, reported
	// once per pair met (the second tier escapes the first pass).
	wd := func(group string) string {
		return importDoc("4", "Test Tariff + 0.1",
			destXML(group, tierXML("0.5", "1", "event", "00:00:00", "23:59:59", "0", "WD"),
				tierXML("0.05", "60", "minute", "00:00:00", "23:59:59", "-1", "WD")))
	}
	body = call(t, srv, "tariff_retail_import", vals("u", "admin", "xml", wd("Lithuania")))
	assert.Equal(t, 2, strings.Count(body, "<destination_group_name>Lithuania</destination_group_name>"), body)
	assert.Len(t, srv.ARateDetails(), 2)
	// Only the empty day type is closed by an infinite tier: WD tiers are
	// appended again on every resend.
	g2 := srv.AddDestinationGroup(mortest.DestinationGroup{Name: "Latvia"})
	srv.AddDestination(mortest.Destination{Prefix: "371", Name: "Latvia", DestinationGroupID: g2})
	call(t, srv, "tariff_retail_import", vals("u", "admin", "xml", wd("Latvia")))
	assert.Len(t, srv.ARateDetails(), 4)
	call(t, srv, "tariff_retail_import", vals("u", "admin", "xml", wd("Latvia")))
	assert.Len(t, srv.ARateDetails(), 6, "not idempotent")
	// One tier only: the server crashes, after writing earlier destinations.
	one := importDoc("4", "Test Tariff + 0.1", destXML("Lithuania", tierXML("0.5", "1", "minute", "00:00:00", "23:59:59", "5", "FD")))
	assert.Equal(t, "", call(t, srv, "tariff_retail_import", vals("u", "admin", "xml", one)))
}
