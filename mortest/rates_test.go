package mortest_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

func replyFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "replies", name+".xml"))
	require.NoError(t, err)
	return string(b)
}

// seedRetail puts the spec's illustrative retail rate into tariff 4: rate
// 252 in group "Afghanistan" with the dump's aratedetails row 1.
func seedRetail(srv *mortest.Server) {
	g := srv.AddDestinationGroup(mortest.DestinationGroup{Name: "Afghanistan", Flag: "afg"})
	srv.AddDestination(mortest.Destination{Prefix: "93", DirectionCode: "AFG", Name: "Afghanistan", DestinationGroupID: g})
	srv.AddRate(mortest.Rate{ID: 252, TariffID: 4, DestinationGroupID: g})
	srv.AddARateDetail(mortest.ARateDetail{RateID: 252, From: 1, Duration: -1, ArType: "minute", Round: 1,
		Price: "0.1", StartTime: "00:00:00", EndTime: "23:59:59"})
}

// seedWholesale puts the spec's illustrative wholesale rate into tariff 2.
func seedWholesale(srv *mortest.Server) {
	srv.AddDirection(mortest.Direction{ID: 1, Name: "Afghanistan", Code: "AFG"})
	d := srv.AddDestination(mortest.Destination{Prefix: "937", DirectionCode: "AFG", Name: "Afghanistan Mobile"})
	r := srv.AddRate(mortest.Rate{TariffID: 2, DestinationID: d, Prefix: "937"})
	srv.AddRateDetail(mortest.RateDetail{RateID: r, Rate: "0.99", ConnectionFee: "0", IncrementS: 1,
		StartTime: "00:00:00", EndTime: "23:59:59"})
	srv.SetConfline(0, "Nice_Number_Digits", mortest.Confline{Value: "2"})
}

func TestTariffRatesGetDocuments(t *testing.T) {
	for _, tc := range []struct {
		name, fixture, u string
		p                url.Values
		seed             func(*mortest.Server)
	}{
		{"retail by tariff_id", "tariff_rates_get_retail", "admin", vals("tariff_id", "4", "test", "1"), seedRetail},
		{"wholesale own tariff", "tariff_rates_get_wholesale", "admin", vals("test", "1"), seedWholesale},
		{"wholesale by user_id, any caller", "tariff_rates_get_wholesale", "user_reseller", vals("user_id", "2", "test", "1"), seedWholesale},
		{"unknown caller", "tariff_rates_get_bad_login", "nobody", vals("test", "1"), nil},
		{"custom rates then no tariff", "tariff_rates_get_custom_no_tariff", "admin", vals("user_id", "5", "test", "1"),
			func(srv *mortest.Server) {
				g := srv.AddDestinationGroup(mortest.DestinationGroup{Name: "Lithuania"})
				cr := srv.AddCustomRate(mortest.CustomRate{UserID: 5, DestinationGroupID: g})
				srv.AddCustomRateDetail(mortest.ARateDetail{RateID: cr, From: 1, Duration: 60, ArType: "minute",
					Round: 1, Price: "0.00001", StartTime: "00:00:00", EndTime: "23:59:59", DayType: "WD"})
				srv.UpdateUser(5, func(u *mortest.User) { u.TariffID = 99 })
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newSpecServer(t)
			if tc.seed != nil {
				tc.seed(srv)
			}
			p := tc.p
			p.Set("u", tc.u)
			assert.Equal(t, replyFixture(t, tc.fixture), call(t, srv, "tariff_rates_get", p))
		})
	}
}

func TestTariffRatesGetRoles(t *testing.T) {
	srv := newSpecServer(t)
	seedRetail(srv)
	seedWholesale(srv)
	name := regexp.MustCompile(`<tariff_name>([^<]*)</tariff_name>`)
	for _, tc := range []struct{ u, tariffID, want string }{
		{"admin", "4", "Test Tariff + 0.1"},
		{"admin", "1", "Test Tariff"},                // any purpose, any owner
		{"reseller", "4", "No tariff found"},         // admin's tariff, admin tariffs not allowed
		{"reseller", "3", "tariff"},                  // own
		{"user_admin", "4", "Test Tariff for Users"}, // users get their own tariff
		{"accountant", "4", "Test Tariff for Users"}, // so do accountants
		{"reseller", "", "Test Tariff + 0.1"},        // own tariff (users.tariff_id 4)
	} {
		p := vals("u", tc.u, "test", "1")
		if tc.tariffID != "" {
			p.Set("tariff_id", tc.tariffID)
		}
		body := call(t, srv, "tariff_rates_get", p)
		got := "No tariff found"
		if m := name.FindStringSubmatch(body); m != nil {
			got = m[1]
		} else {
			require.Contains(t, body, "<error>No tariff found</error>")
		}
		assert.Equal(t, tc.want, got, "%s tariff_id=%s", tc.u, tc.tariffID)
	}
	srv.SetConfline(0, "Allow_Resellers_to_use_Admin_Tariffs", mortest.Confline{Value: "1"})
	assert.Contains(t, call(t, srv, "tariff_rates_get", vals("u", "reseller", "tariff_id", "4", "test", "1")), "Test Tariff + 0.1")
	assert.Contains(t, call(t, srv, "tariff_rates_get", vals("u", "reseller", "tariff_id", "1", "test", "1")), "No tariff found")
}

func TestTariffRatesGetZipped(t *testing.T) {
	srv := newSpecServer(t)
	seedRetail(srv)
	resp, body := post(t, srv, "/billing/api/get_tariff", sign("tariff_rates_get", vals("u", "admin", "tariff_id", "4"), mortest.SpecSecret))
	assert.Equal(t, "application/zip", resp.Header.Get("Content-Type"))
	stamp := fixedAt.Unix()
	member := "get_tariff_" + itoa(stamp) + ".xml"
	assert.Equal(t, `attachment; filename="/tmp/`+member+`.zip"`, resp.Header.Get("Content-Disposition"))
	assert.Equal(t, "binary", resp.Header.Get("Content-Transfer-Encoding"))
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	require.NoError(t, err)
	require.Len(t, zr.File, 1)
	f := zr.File[0]
	assert.Equal(t, member, f.Name)
	assert.Equal(t, zip.Deflate, f.Method)
	assert.Zero(t, f.Flags&0x8, "no data descriptor")
	assert.Equal(t, uint16(3), f.CreatorVersion>>8, "Unix made-by")
	assert.True(t, bytes.Contains(f.Extra, []byte{0x55, 0x54}) && bytes.Contains(f.Extra, []byte{0x75, 0x78}), "UT and ux extra fields")
	rc, err := f.Open()
	require.NoError(t, err)
	doc, err := io.ReadAll(rc)
	require.NoError(t, err)
	assert.Equal(t, replyFixture(t, "tariff_rates_get_retail"), string(doc))

	// In-action errors are zipped too; gate errors are not.
	resp, body = post(t, srv, "/billing/api/tariff_rates_get", vals("u", "nobody"))
	assert.Equal(t, "application/zip", resp.Header.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(body, "PK\x03\x04"))
	resp, body = post(t, srv, "/billing/api/tariff_rates_get", vals("u", "admin", "hash", strings.Repeat("0", 40)))
	assert.Equal(t, shapeA("Incorrect hash"), body)
	assert.NotEqual(t, "application/zip", resp.Header.Get("Content-Type"))
}

func TestTariffRatesGetDeck(t *testing.T) {
	srv := newSpecServer(t)
	srv.SetRateDeck(2, mortest.RateDeck{N: 1000, Seed: 7})
	body := call(t, srv, "tariff_rates_get", vals("u", "admin", "test", "1"))
	assert.Equal(t, 1000, strings.Count(body, "<rate>"))
	r := mortest.DeckRateAt(7, 999)
	assert.Contains(t, body, "<direction>"+r.Direction+"</direction>")
	assert.Contains(t, body, "<destination>"+strings.ReplaceAll(r.Destination, "&", "&amp;")+"</destination>")
	assert.Equal(t, r, mortest.DeckRateAt(7, 999), "the deck is deterministic")
	assert.NotEqual(t, r, mortest.DeckRateAt(8, 999), "and depends on the seed")
}

func itoa(n int64) string { return formatInt(n) }

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }

// seedRateGet: destinations 370 (group Lithuania) and 3706 (no group) and
// a retail rate of tariff 2 for the group, plus a wholesale rate for 3706.
func seedRateGet(srv *mortest.Server) {
	g := srv.AddDestinationGroup(mortest.DestinationGroup{Name: "Lithuania"})
	srv.AddDestination(mortest.Destination{Prefix: "370", Name: "Lithuania", DestinationGroupID: g})
	d := srv.AddDestination(mortest.Destination{Prefix: "3706", Name: "Lithuania mobile"})
	r := srv.AddRate(mortest.Rate{TariffID: 2, DestinationID: d, Prefix: "3706"})
	srv.AddRateDetail(mortest.RateDetail{RateID: r, Rate: "0.07", DayType: "", StartTime: "00:00:00", EndTime: "23:59:59"})
	srv.AddRateDetail(mortest.RateDetail{RateID: r, Rate: "0.05", DayType: "WD", StartTime: "00:00:00", EndTime: "23:59:59"})
	r2 := srv.AddRate(mortest.Rate{TariffID: 2, DestinationGroupID: g, Prefix: "370"})
	srv.AddARateDetail(mortest.ARateDetail{RateID: r2, Price: "0.00001", Duration: -1, ArType: "minute"})
	srv.SetConfline(0, "Devices_Check_Rate", mortest.Confline{Value: "1"})
}

func TestRateGet(t *testing.T) {
	srv := newSpecServer(t)
	rg := func(kv ...string) string { return call(t, srv, "rate_get", vals(kv...)) }
	assert.Equal(t, replyFixture(t, "rate_get_feature_disabled"), rg("u", "admin", "username", "user_admin", "prefix", "3706"))
	seedRateGet(srv)
	assert.Equal(t, shapeC("Access Denied"), post2(t, srv, "rate_get", vals("username", "x", "prefix", "1")))
	assert.Equal(t, shapeC("Empty prefix"), rg("u", "admin", "username", "user_admin", "prefix", "abc"))
	assert.Equal(t, "", rg("u", "nobody", "username", "user_admin", "prefix", "1"), "unknown caller: the server's crash")
	assert.Equal(t, replyFixture(t, "rate_get_success"), rg("u", "admin", "username", "user_admin", "prefix", "370 6x"))
	assert.Equal(t, replyFixture(t, "rate_get_success"), call(t, srv, "rate", vals("u", "user_admin", "username", "reseller", "prefix", "37069")))
	assert.Equal(t, replyFixture(t, "rate_get_prefix_not_found"), rg("u", "admin", "username", "user_admin", "prefix", "99"))
	assert.Equal(t, shapeC("Rate was not found"), rg("u", "admin", "username", "admin", "prefix", "3706"))
	assert.Equal(t, shapeC("User was not found"), rg("u", "admin", "username", "ghost", "prefix", "3706"))
	assert.Equal(t, shapeC("User belongs to reseller"), rg("u", "admin", "username", "user_reseller", "prefix", "3706"))
	assert.Equal(t, shapeC("You are not authorized to view this page"), rg("u", "accountant", "username", "user_admin", "prefix", "3706"))
	assert.Equal(t, shapeC("User was not found"), rg("u", "reseller", "username", "user_admin", "prefix", "3706"))
	assert.Equal(t, replyFixture(t, "rate_get_full"), rg("u", "admin", "username", "user_admin", "prefix", "37061", "by_full_dst", "1"))
}

func TestTariffWholesaleUpdate(t *testing.T) {
	srv := newSpecServer(t)
	wu := func(kv ...string) string { return call(t, srv, "tariff_wholesale_update", vals(kv...)) }
	for _, u := range []string{"nobody", "accountant", "user_admin"} {
		assert.Equal(t, shapeC("Bad login"), wu("u", u, "name", "W"), u)
	}
	assert.Equal(t, decl+"<page>\n  <status>ok</status>\n  <tariff_id>6</tariff_id>\n</page>\n",
		wu("u", "admin", "id", "0", "name", "Wholesale A", "currency", "EUR"))
	tr, ok := srv.Tariff(6)
	require.True(t, ok)
	assert.Equal(t, mortest.Tariff{ID: 6, Name: "Wholesale A", Purpose: "user_wholesale", OwnerID: 0, Currency: "EUR"}, tr)
	assert.Equal(t, decl+"<page>\n  <error>\n    <message>Name must be unique</message>\n  </error>\n</page>\n",
		wu("u", "admin", "name", "Wholesale A"))
	assert.Equal(t, decl+"<page>\n  <error>\n    <message>Name cannot be blank</message>\n  </error>\n</page>\n",
		wu("u", "admin", "id", "6", "name", " "))
	assert.Equal(t, replyFixture(t, "tariff_wholesale_update_updated"), wu("u", "admin", "id", "6", "name", "Wholesale B"))
	tr, _ = srv.Tariff(6)
	assert.Equal(t, "Wholesale B", tr.Name)
	assert.Equal(t, replyFixture(t, "tariff_wholesale_update_not_found"), wu("u", "admin", "id", "4", "name", "X"), "retail tariff")
	assert.Equal(t, replyFixture(t, "tariff_wholesale_update_not_found"), wu("u", "reseller", "id", "6", "name", "X"), "not the owner")
	g := srv.AddAccGroup(mortest.AccGroup{Rights: map[string]mortest.Right{"tariff_manage": mortest.RightEdit}})
	srv.UpdateUser(4, func(u *mortest.User) { u.AccGroupID = g })
	assert.Contains(t, wu("u", "accountant", "name", "Acc"), "<status>ok</status>")
}
