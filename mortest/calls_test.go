package mortest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// 2009-01-01 00:00:00 and 23:59:59 in the tests' zone (+02:00).
const (
	day1Start = "1230760800"
	day1End   = "1230847199"
)

// The calls group's recorded replies come out of the fake byte for byte.
func TestCallsFixtures(t *testing.T) {
	for _, tt := range []struct {
		fixture string
		setup   func(*mortest.Server)
		method  string
		kv      []string
	}{
		{"user_calls_get_user", nil, "user_calls_get", []string{"u", "user_admin", "period_start", day1Start, "period_end", day1End}},
		{"user_calls_get_user_not_found", nil, "user_calls_get", []string{"u", "admin", "s_user", "99", "period_start", day1Start, "period_end", day1End}},
		{"user_calls_get_access_denied", nil, "user_calls_get", []string{"u", "ghost"}},
		{"user_calls_get_empty", nil, "user_calls_get", []string{"u", "admin", "period_start", "1231106400", "period_end", "1231192799"}},
		{"recordings_get_success", nil, "recordings_get", []string{"u", "admin", "date_from", day1Start, "date_till", "1230760810"}},
		{"recordings_get_none", nil, "recordings_get", []string{"u", "admin", "date_from", "1000", "date_till", "2000"}},
		{"recordings_get_not_authorized", nil, "recordings_get", []string{"u", "accountant"}},
		{"recordings_get_bad_period", nil, "recordings_get", []string{"u", "admin", "date_from", "2000", "date_till", "1000"}},
		{"quickstats_get_es_down", func(s *mortest.Server) { s.SetElasticsearchDown(true) }, "quickstats_get", []string{"u", "admin"}},
	} {
		t.Run(tt.fixture, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("..", "testdata", "replies", tt.fixture+".xml"))
			require.NoError(t, err)
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(srv)
			}
			assert.Equal(t, string(want), call(t, srv, tt.method, vals(tt.kv...)))
		})
	}
}

// callBlock returns the <call> elements of a user_calls_get reply.
func callBlocks(body string) []string {
	var out []string
	for _, part := range strings.Split(body, "      <call>\n")[1:] {
		out = append(out, strings.Split(part, "      </call>\n")[0])
	}
	return out
}

func leaves(block string) []string {
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		line = strings.TrimSpace(line)
		name := strings.TrimPrefix(line, "<")
		name = name[:strings.IndexAny(name, ">/")]
		names = append(names, name)
	}
	return names
}

// The columns of <call> per caller and finance right, in the server's order.
func TestUserCallsGetColumnsPerRole(t *testing.T) {
	admin := "calldate2 timezone clid destination did did_inc_price did_price did_prov_price dispod dst nice_billsec nice_reseller prefix profit provider_name provider_price provider_rate reseller_price reseller_rate server_id src user user_price user_rate uniqueid"
	for _, tt := range []struct {
		name  string
		setup func(*mortest.Server)
		u     string
		want  string
		n     int
	}{
		{"admin", nil, "admin", admin, 4},
		{"accountant without see_financial_data", nil, "accountant",
			"calldate2 timezone clid destination did dispod dst nice_billsec nice_reseller prefix provider_name server_id src user uniqueid", 4},
		{"accountant with see_financial_data", func(s *mortest.Server) {
			s.AddAccGroup(mortest.AccGroup{ID: 9, Name: "fin", GroupType: "accountant", Rights: map[string]mortest.Right{"see_financial_data": mortest.RightRead}})
			s.UpdateUser(4, func(u *mortest.User) { u.AccGroupID = 9 })
		}, "accountant", admin, 4},
		{"admin, RS off", func(s *mortest.Server) { s.SetConfline(0, "RS_Active", mortest.Confline{Value: "0"}) }, "admin",
			strings.NewReplacer(" nice_reseller", "", " reseller_price reseller_rate", "").Replace(admin), 4},
		{"reseller", nil, "reseller",
			"calldate2 timezone clid destination did did_inc_price did_price dispod dst nice_billsec profit self_cost_price self_cost_rate src user user_price user_rate uniqueid", 2},
		{"reseller with own providers", func(s *mortest.Server) { s.UpdateUser(3, func(u *mortest.User) { u.OwnProviders = true }) }, "reseller",
			"calldate2 timezone clid destination did did_inc_price did_price dispod dst nice_billsec profit provider_name provider_price provider_rate src user user_price user_rate uniqueid", 2},
		{"reseller without billing info", func(s *mortest.Server) { s.SetShowBillingInfo(3, false) }, "reseller",
			"calldate2 timezone clid destination dispod dst nice_billsec profit src uniqueid", 2},
		{"user", nil, "user_admin", "calldate2 timezone clid destination dispod dst nice_billsec prefix src user_price uniqueid", 1},
		{"user without billing info", func(s *mortest.Server) { s.SetShowBillingInfo(2, false) }, "user_admin",
			"calldate2 timezone clid destination dispod dst nice_billsec prefix src uniqueid", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(srv)
			}
			body := call(t, srv, "user_calls_get", vals("u", tt.u, "period_start", day1Start, "period_end", day1End))
			blocks := callBlocks(body)
			require.Len(t, blocks, tt.n, body)
			for _, b := range blocks {
				assert.Equal(t, tt.want, strings.Join(leaves(b), " "))
			}
		})
	}
}

// Call 12 for the admin, column by column (D = 4 in this world).
func TestUserCallsGetAdminValues(t *testing.T) {
	srv := newSpecServer(t)
	body := call(t, srv, "user_calls_get", vals("u", "admin", "period_start", day1Start, "period_end", day1End))
	blocks := callBlocks(body)
	require.Len(t, blocks, 4)
	want := `        <calldate2>2009-01-01 00:00:04</calldate2>
        <timezone>GMT +02:00</timezone>
        <clid></clid>
        <destination> </destination>
        <did></did>
        <did_inc_price>0.0</did_inc_price>
        <did_price>0.0</did_price>
        <did_prov_price>0.0</did_prov_price>
        <dispod>ANSWERED(16)</dispod>
        <dst>123123</dst>
        <nice_billsec>50</nice_billsec>
        <nice_reseller>Test Reseller</nice_reseller>
        <prefix>1231</prefix>
        <profit>3</profit>
        <provider_name>Test Provider</provider_name>
        <provider_price>1.0</provider_price>
        <provider_rate>0.0</provider_rate>
        <reseller_price>4.0</reseller_price>
        <reseller_rate>0.0</reseller_rate>
        <server_id>1</server_id>
        <src>101</src>
        <user>User Resellers</user>
        <user_price>5.0</user_price>
        <user_rate>0.0</user_rate>
        <uniqueid>1232113373.3</uniqueid>
`
	assert.Equal(t, want, blocks[3])
	assert.Contains(t, body, "<total_calls>4</total_calls>")
}

// Filters and the target user: a reseller asking for another owner's user
// fails; s_user="" fails; a simple user's s_user is only echoed.
func TestUserCallsGetTargets(t *testing.T) {
	srv := newSpecServer(t)
	p := func(kv ...string) string {
		return call(t, srv, "user_calls_get", vals(append([]string{"period_start", "1230760800", "period_end", "1230933599"}, kv...)...))
	}
	notFound := decl + "<error>User was not found</error>\n"
	assert.Equal(t, notFound, p("u", "reseller", "s_user", "2"))
	assert.Equal(t, notFound, p("u", "admin", "s_user", ""))
	assert.Len(t, callBlocks(p("u", "reseller", "s_user", "5")), 2)   // calls 12 and 16
	assert.Len(t, callBlocks(p("u", "user_admin", "s_user", "5")), 2) // own: 10, 14 (dst user)
	assert.Contains(t, p("u", "user_admin", "s_user", "5"), "<show_user>5</show_user>")
	assert.Len(t, callBlocks(p("u", "admin", "s_user", "2")), 2)    // 10 and 14
	assert.Len(t, callBlocks(p("u", "admin", "only_did", "1")), 4)  // 13–16
	assert.Len(t, callBlocks(p("u", "admin", "s_device", "7")), 2)  // 11, 16 and … device 7 either leg
	assert.Empty(t, callBlocks(p("u", "admin", "s_call_type", ""))) // disposition = ''
	assert.Len(t, callBlocks(p("u", "admin", "s_call_type", "answered")), 8)
	assert.Len(t, callBlocks(p("u", "admin", "s_destination", "3706%")), 4)
	assert.Empty(t, call(t, srv, "user_calls_get", vals("u", "admin", "order_by", "asr")))
}

// The generator: n calls spread over the period, deterministic per seed,
// counted in <total_calls> and cut by the period.
func TestGenerateCalls(t *testing.T) {
	srv := newSpecServer(t)
	from := time.Date(2020, 1, 1, 0, 0, 0, 0, zone)
	srv.GenerateCalls(10000, from, from.Add(24*time.Hour-time.Second), 7)
	start := from.Unix()
	body := call(t, srv, "user_calls_get", vals("u", "admin", "period_start", itoa(start), "period_end", itoa(start+3599)))
	blocks := callBlocks(body)
	// 10000 calls over 86400 s: call i at i*86400/10000 s; the first hour
	// holds i < 416.67, so 417 calls.
	require.Len(t, blocks, 417)
	assert.Contains(t, body, "<total_calls>417</total_calls>")
	again := call(t, srv, "user_calls_get", vals("u", "admin", "period_start", itoa(start), "period_end", itoa(start+3599)))
	assert.Equal(t, body, again)
	srv.GenerateCalls(10000, from, from.Add(24*time.Hour-time.Second), 8)
	other := call(t, srv, "user_calls_get", vals("u", "admin", "period_start", itoa(start), "period_end", itoa(start+3599)))
	assert.NotEqual(t, body, other)
	// A user sees only its own generated calls.
	user := callBlocks(call(t, srv, "user_calls_get", vals("u", "user_admin", "period_start", itoa(start), "period_end", itoa(start+3599))))
	assert.NotEmpty(t, user)
	assert.Less(t, len(user), 417)
}

// recordings_get scopes and quickstats_get figures.
func TestRecordingsAndQuickstats(t *testing.T) {
	srv := newSpecServer(t)
	ids := func(u string) int {
		body := call(t, srv, "recordings_get", vals("u", u, "date_from", "1230760800", "date_till", "1300000000"))
		return strings.Count(body, "<recording>")
	}
	assert.Equal(t, 8, ids("admin"))
	assert.Equal(t, 2, ids("reseller"))
	assert.Equal(t, 7, ids("user_admin"))
	assert.Equal(t, 1, ids("user_reseller"))

	// fixedAt is 2018-03-01 12:00 +02:00: one call today, two this month.
	srv.AddCDR(mortest.CDR{ID: 100, CallDate: time.Date(2018, 3, 1, 9, 0, 0, 0, zone), Disposition: "ANSWERED", HangupCause: 16,
		Billsec: 30, UserID: 2, UserPrice: ptr(0.5), ProviderPrice: ptr(0.25), DIDIncPrice: ptr(0.0), DIDProvPrice: ptr(0.0)})
	srv.AddCDR(mortest.CDR{ID: 101, CallDate: time.Date(2018, 3, 1, 0, 0, 0, 0, zone).AddDate(0, 0, -0).Add(-time.Hour), Disposition: "ANSWERED",
		HangupCause: 16, Billsec: 10, UserID: 2, UserPrice: ptr(0.1), ProviderPrice: ptr(0.2)})
	srv.AddCDR(mortest.CDR{ID: 102, CallDate: time.Date(2018, 3, 1, 10, 0, 0, 0, zone), Disposition: "BUSY", HangupCause: 17, UserID: 2})
	body := call(t, srv, "quickstats_get", vals("u", "user_admin"))
	assert.Equal(t, decl+`<page>
  <quickstats>
    <this_month>
      <calls>1</calls>
      <duration>30</duration>
    </this_month>
    <today>
      <calls>1</calls>
      <duration>30</duration>
    </today>
  </quickstats>
</page>
`, body)
	admin := call(t, srv, "quickstats_get", vals("u", "admin"))
	assert.Contains(t, admin, "<revenue>0.5</revenue>\n      <self_cost>0.25</self_cost>\n      <profit>0.25</profit>")
	assert.Contains(t, admin, "<active_calls>")
	assert.Equal(t, shapeB("Access Denied"), call(t, srv, "quickstats_get", vals("u", "accountant")))
}

func ptr(f float64) *float64 { return &f }
