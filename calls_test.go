package mor_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// callsZone is the fake's zone in these tests (the spec world's +02:00).
var callsZone = time.FixedZone("EET", 2*3600)

// callsSetup is setup with the server in callsZone and a fixed clock.
func callsSetup(t *testing.T, role string, opts ...mor.Option) (*mor.Client, *mortest.Server) {
	t.Helper()
	srv := mortest.NewServer(mortest.WithSpecWorld(), mortest.WithLocation(callsZone),
		mortest.WithClock(func() time.Time { return time.Date(2018, 3, 1, 12, 0, 0, 0, callsZone) }))
	t.Cleanup(srv.Close)
	c, err := mor.NewClient(srv.URL, roleUsernames[role], mortest.SpecSecret, opts...)
	require.NoError(t, err)
	return c, srv
}

var day1 = mor.CallsQuery{
	From: time.Date(2009, 1, 1, 0, 0, 0, 0, callsZone),
	Till: time.Date(2009, 1, 1, 23, 59, 59, 0, callsZone),
}

func usd(s string) *mor.Money {
	d, err := mor.ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return &mor.Money{Amount: d, Currency: "USD"}
}

// The recorded user reply decodes to one typed call: time in the zone,
// duration, money with its currency and the reply's scale.
func TestCallsRecordedUserReply(t *testing.T) {
	body, err := os.ReadFile("testdata/replies/user_calls_get_user.xml")
	require.NoError(t, err)
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewBytesResponder(200, body))
	c, err := mor.NewClient("https://mor.example.test/billing", "user_admin", "secret",
		mor.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)

	calls, err := c.Calls.List(context.Background(), day1)
	require.NoError(t, err)
	require.Len(t, calls, 1)
	got := calls[0]
	assert.True(t, got.Time.Equal(time.Date(2009, 1, 1, 0, 0, 2, 0, callsZone)), got.Time)
	_, off := got.Time.Zone()
	assert.Equal(t, 7200, off, "read at the reply's GMT +02:00")
	assert.Equal(t, 30*time.Second, got.Billsec)
	assert.Equal(t, "ANSWERED", got.Disposition)
	assert.Nil(t, got.HangupCause)
	assert.Equal(t, " ", got.DestinationName)
	assert.Equal(t, "123123", got.Destination)
	assert.Equal(t, "1231", got.Prefix)
	assert.Equal(t, "1232113371.3", got.UniqueID)
	require.NotNil(t, got.UserPrice)
	assert.Equal(t, "3.0", got.UserPrice.Amount.String())
	assert.Equal(t, "USD", got.UserPrice.Currency)
	assert.Nil(t, got.ProviderPrice, "a column the user does not get")
	assert.Nil(t, got.Extra)

	// The same with a zone: times are read in it.
	vilnius, err := time.LoadLocation("Europe/Vilnius")
	require.NoError(t, err)
	q := day1
	q.Zone = vilnius
	calls, err = c.Calls.List(context.Background(), q)
	require.NoError(t, err)
	assert.Equal(t, vilnius, calls[0].Time.Location())
}

// Decode table: a bad value names its element; an unknown column is kept;
// no <calls_stat> is ErrUnexpectedResponse; a total that does not match is
// an error after the records; errors are typed.
func TestCallsDecodeTable(t *testing.T) {
	page := func(total, calls string) string {
		return `<?xml version="1.0" encoding="UTF-8"?><page><total_calls>` + total + `</total_calls><currency>EUR</currency><calls_stat><calls>` + calls + `</calls></calls_stat></page>`
	}
	row := func(extra string) string {
		return `<call><calldate2>2009-01-01 00:00:02</calldate2><timezone>GMT -03:30</timezone>` + extra + `<uniqueid>u</uniqueid></call>`
	}
	for _, tt := range []struct {
		name  string
		body  string
		n     int
		check func(t *testing.T, calls []mor.Call, err error)
	}{
		{"bad price", page("1", row("<user_price>abc</user_price>")), 0, func(t *testing.T, _ []mor.Call, err error) {
			var pe *mor.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Contains(t, err.Error(), "<user_price>")
		}},
		{"bad date", page("1", `<call><calldate2>2009-13-01 00:00:02</calldate2></call>`), 0, func(t *testing.T, _ []mor.Call, err error) {
			assert.Contains(t, err.Error(), "<calldate2>")
		}},
		{"unknown column kept, NULL price nil, prices exact", page("1", row("<new_col>x</new_col><reseller_rate/><profit>-1.25</profit><dispod>BUSY()</dispod>")), 1,
			func(t *testing.T, calls []mor.Call, err error) {
				require.NoError(t, err)
				assert.Equal(t, map[string]string{"new_col": "x"}, calls[0].Extra)
				assert.Nil(t, calls[0].ResellerRate)
				assert.Equal(t, "-1.25 EUR", calls[0].Profit.String())
				assert.Equal(t, "BUSY", calls[0].Disposition)
				assert.Nil(t, calls[0].HangupCause)
				_, off := calls[0].Time.Zone()
				assert.Equal(t, -(3*3600 + 1800), off)
			}},
		{"no calls_stat", `<?xml version="1.0"?><page><total_calls>0</total_calls></page>`, 0, func(t *testing.T, _ []mor.Call, err error) {
			assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
		}},
		{"total mismatch", page("3", row("")), 1, func(t *testing.T, calls []mor.Call, err error) {
			assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
		}},
		{"user not found", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error>User was not found</error>\n", 0, func(t *testing.T, _ []mor.Call, err error) {
			assert.ErrorIs(t, err, mor.ErrUserNotFound)
			assert.ErrorIs(t, err, mor.ErrNotFound)
		}},
		{"access denied", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error>Access Denied</error>\n", 0, func(t *testing.T, _ []mor.Call, err error) {
			assert.ErrorIs(t, err, mor.ErrAccessDenied)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			mt.RegisterNoResponder(httpmock.NewStringResponder(200, tt.body))
			c, err := mor.NewClient("https://mor.example.test/billing", "admin", "secret", mor.WithHTTPClient(&http.Client{Transport: mt}))
			require.NoError(t, err)
			var calls []mor.Call
			var last error
			for call, err := range c.Calls.All(context.Background(), day1) {
				if err != nil {
					last = err
					continue
				}
				calls = append(calls, call)
			}
			assert.Len(t, calls, tt.n)
			tt.check(t, calls, last)
		})
	}
}

// Client-side checks refuse what the server would silently ignore.
func TestCallsQueryValidation(t *testing.T) {
	c, _ := callsSetup(t, roleAdmin)
	for _, q := range []mor.CallsQuery{
		{From: day1.From},
		{Till: day1.Till},
		{From: day1.Till, Till: day1.From},
		{From: time.Unix(-5, 0), Till: day1.Till},
		{From: day1.From, Till: day1.Till, DestinationPrefix: "37_"},
		{From: day1.From, Till: day1.Till, Window: 1500 * time.Millisecond},
		{From: day1.From, Till: day1.Till, Window: time.Hour, OrderDesc: true},
		{From: day1.From, Till: day1.Till, Window: time.Hour, OrderBy: "src"},
		{From: day1.From, Till: day1.Till, Ahead: 9},
		{From: day1.From, Till: day1.Till, UserID: i64p(-1)},
	} {
		_, err := c.Calls.List(context.Background(), q)
		var ve *mor.ValidationError
		assert.ErrorAs(t, err, &ve, "%+v", q)
		assert.ErrorIs(t, err, mor.ErrInvalidParams)
	}
}

// End to end in every role: who sees which calls, with which columns.
func TestCallsRoles(t *testing.T) {
	for _, tt := range []struct {
		role      string
		uniqueids []string
		prices    bool
	}{
		{roleAdmin, []string{"1232113370.3", "1232113371.3", "1232113372.3", "1232113373.3"}, true},
		{roleAccountant, []string{"1232113370.3", "1232113371.3", "1232113372.3", "1232113373.3"}, false},
		{roleReseller, []string{"1232113372.3", "1232113373.3"}, true},
		{roleUser, []string{"1232113371.3"}, true},
	} {
		t.Run(tt.role, func(t *testing.T) {
			c, _ := callsSetup(t, tt.role)
			calls, err := c.Calls.List(context.Background(), day1)
			require.NoError(t, err)
			var ids []string
			for _, cl := range calls {
				ids = append(ids, cl.UniqueID)
				assert.Equal(t, tt.prices, cl.UserPrice != nil)
			}
			assert.Equal(t, tt.uniqueids, ids)
		})
	}
	c, _ := callsSetup(t, roleAdmin)
	calls, err := c.Calls.List(context.Background(), day1)
	require.NoError(t, err)
	c12 := calls[3]
	assert.Equal(t, "Test Reseller", c12.Reseller)
	assert.Equal(t, "User Resellers", c12.User)
	assert.Equal(t, int64(16), *c12.HangupCause)
	assert.Equal(t, int64(1), *c12.ServerID)
	assert.Equal(t, "3 USD", strings.TrimSuffix(c12.Profit.Amount.String(), "")+" "+c12.Profit.Currency)
	assert.True(t, c12.ResellerPrice.Amount.Equal(usd("4").Amount))
	assert.Equal(t, 50*time.Second, c12.Billsec)

	// A reseller asking for another owner's user.
	c, _ = callsSetup(t, roleReseller)
	q := day1
	q.UserID = i64p(2)
	_, err = c.Calls.List(context.Background(), q)
	assert.ErrorIs(t, err, mor.ErrUserNotFound)
}

func TestCallsFailurePaths(t *testing.T) {
	testFailurePaths(t, func(ctx context.Context, c *mor.Client) error { return rangeErr(t, c.Calls.All(ctx, day1)) })
	testFailurePaths(t, func(ctx context.Context, c *mor.Client) error {
		q := day1
		q.Window = time.Hour
		return rangeErr(t, c.Calls.All(ctx, q))
	})
	testFailurePaths(t, func(ctx context.Context, c *mor.Client) error {
		return rangeErr(t, c.Calls.AllRecordings(ctx, mor.RecordingsParams{}))
	})
	testFailurePaths(t, func(ctx context.Context, c *mor.Client) error { _, err := c.Calls.QuickStats(ctx); return err })
}

// collectCalls ranges over seq, failing on an error.
func collectCalls(t *testing.T, c *mor.Client, q mor.CallsQuery) []mor.Call {
	t.Helper()
	out, err := c.Calls.List(context.Background(), q)
	require.NoError(t, err)
	return out
}

func keys(calls []mor.Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.Time.Format(time.DateTime) + " " + c.UniqueID + " " + c.Source + " " + c.Destination
	}
	return out
}

// Windows: the windowed stream equals the single request, call for call,
// in order; a call exactly on a window edge comes once; fetching ahead
// changes nothing.
func TestCallsWindowEdges(t *testing.T) {
	c, srv := callsSetup(t, roleAdmin)
	from := time.Date(2020, 1, 1, 0, 0, 0, 0, callsZone)
	till := from.Add(6*time.Hour - time.Second)
	srv.GenerateCalls(3000, from, till, 42)
	// Calls exactly on the edges of 1-hour windows, and just before.
	for i, at := range []time.Time{from.Add(time.Hour), from.Add(time.Hour - time.Second), from.Add(2 * time.Hour), from, till} {
		srv.AddCDR(mortest.CDR{ID: int64(500 + i), CallDate: at, Disposition: "ANSWERED", HangupCause: 16, UserID: 2,
			UniqueID: fmt.Sprintf("edge-%d", i), ProviderID: 1})
	}
	whole := collectCalls(t, c, mor.CallsQuery{From: from, Till: till})
	require.Len(t, whole, 3005)
	for _, ahead := range []int{0, 2} {
		for _, w := range []time.Duration{time.Hour, 7 * time.Minute, time.Second * 3601} {
			got := collectCalls(t, c, mor.CallsQuery{From: from, Till: till, Window: w, Ahead: ahead})
			assert.Equal(t, keys(whole), keys(got), "window %v ahead %d", w, ahead)
		}
	}
	edges := 0
	for _, cl := range collectCalls(t, c, mor.CallsQuery{From: from, Till: till, Window: time.Hour}) {
		if strings.HasPrefix(cl.UniqueID, "edge-") {
			edges++
		}
	}
	assert.Equal(t, 5, edges)
}

// Windows in a zone with a daylight-saving change: every wall-clock second
// is fetched once, none twice (the repeated hour of the autumn change) and
// none lost (the skipped hour in spring).
func TestCallsWindowsAcrossClockChanges(t *testing.T) {
	vilnius, err := time.LoadLocation("Europe/Vilnius")
	require.NoError(t, err)
	srv := mortest.NewServer(mortest.WithSpecWorld(), mortest.WithLocation(vilnius))
	t.Cleanup(srv.Close)
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	require.NoError(t, err)
	for _, day := range []time.Time{time.Date(2020, 10, 25, 0, 0, 0, 0, vilnius), time.Date(2020, 3, 29, 0, 0, 0, 0, vilnius)} {
		till := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 30, 0, 0, vilnius)
		srv.GenerateCalls(2000, day, time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, vilnius), 1)
		var whole []mor.Call
		for _, cl := range collectCalls(t, c, mor.CallsQuery{From: day, Till: till, Zone: vilnius}) {
			// The generator spreads calls over wall-clock seconds, including
			// the hour that does not exist in spring; no real call has such
			// a time (and no Unix time can name it in a request).
			var idx int64
			_, _ = fmt.Sscanf(cl.UniqueID, "%d.", &idx)
			if secs := (idx - 1700000000) * 86400 / 2000; day.Month() == time.March && secs >= 3*3600 && secs < 4*3600 {
				continue
			}
			whole = append(whole, cl)
		}
		require.Greater(t, len(whole), 1900)
		for _, w := range []time.Duration{time.Hour, 25 * time.Minute} {
			got := collectCalls(t, c, mor.CallsQuery{From: day, Till: till, Window: w, Zone: vilnius})
			assert.Equal(t, keys(whole), keys(got), "%v window %v", day, w)
		}
	}
}

// A window whose reply passes the size cap is split, not failed, and the
// calls of the second it was cut in are neither lost nor repeated.
func TestCallsWindowOverflowSplits(t *testing.T) {
	from := time.Date(2020, 1, 1, 0, 0, 0, 0, callsZone)
	till := from.Add(2*time.Hour - time.Second)
	big, srv := callsSetup(t, roleAdmin)
	srv.GenerateCalls(4000, from, till, 3) // about two calls a second
	whole := collectCalls(t, big, mor.CallsQuery{From: from, Till: till})
	require.Len(t, whole, 4000)

	small, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret, mor.WithMaxResponseBytes(64<<10))
	require.NoError(t, err)
	// One window is over 2 MB: it must be split many times.
	_, err = small.Calls.List(context.Background(), mor.CallsQuery{From: from, Till: till})
	require.ErrorIs(t, err, mor.ErrResponseTooLarge, "unwindowed, the cap is an error")
	for _, ahead := range []int{0, 3} {
		got := collectCalls(t, small, mor.CallsQuery{From: from, Till: till, Window: 2 * time.Hour, Ahead: ahead})
		assert.Equal(t, keys(whole), keys(got), "ahead %d", ahead)
	}

	// One second whose calls alone pass the cap cannot be split.
	srv.GenerateCalls(400, from, from, 3)
	_, err = small.Calls.List(context.Background(), mor.CallsQuery{From: from, Till: till, Window: time.Hour})
	assert.ErrorIs(t, err, mor.ErrResponseTooLarge)
}

// Breaking out of the loop mid-stream closes the connection at once and
// leaves no goroutine (TestMain checks every test for leaks).
func TestCallsBreakClosesConnection(t *testing.T) {
	for _, ahead := range []int{0, 2} {
		c, srv := callsSetup(t, roleAdmin)
		from := time.Date(2020, 1, 1, 0, 0, 0, 0, callsZone)
		srv.GenerateCalls(200000, from, from.Add(24*time.Hour), 9)
		n := 0
		q := mor.CallsQuery{From: from, Till: from.Add(24 * time.Hour)}
		if ahead > 0 {
			q.Window, q.Ahead = 6*time.Hour, ahead
		}
		for _, err := range c.Calls.All(context.Background(), q) {
			require.NoError(t, err)
			if n++; n == 100 {
				break
			}
		}
		assert.Equal(t, 100, n)
		assert.Eventually(t, func() bool { return srv.OpenConns() == 0 }, 5*time.Second, 10*time.Millisecond,
			"the connection is closed after break (ahead %d)", ahead)
	}
}

// Cancelling the context mid-stream ends the range with the context's
// error after the calls already yielded.
func TestCallsCancelMidStream(t *testing.T) {
	c, srv := callsSetup(t, roleAdmin)
	from := time.Date(2020, 1, 1, 0, 0, 0, 0, callsZone)
	srv.GenerateCalls(200000, from, from.Add(24*time.Hour), 9)
	for _, ahead := range []int{0, 2} {
		ctx, cancel := context.WithCancel(context.Background())
		q := mor.CallsQuery{From: from, Till: from.Add(24 * time.Hour), Window: 4 * time.Hour, Ahead: ahead}
		n := 0
		var last error
		for _, err := range c.Calls.All(ctx, q) {
			if err != nil {
				last = err
				continue
			}
			if n++; n == 50 {
				cancel()
			}
		}
		cancel()
		assert.ErrorIs(t, last, context.Canceled)
		assert.GreaterOrEqual(t, n, 50)
	}
}

// A hostile server cutting the reply inside a record: the complete records
// come, then the error; never a partial record.
func TestCallsTruncatedMidRecord(t *testing.T) {
	full, err := os.ReadFile("testdata/replies/user_calls_get_user.xml")
	require.NoError(t, err)
	doc := string(full)
	one := doc[strings.Index(doc, "      <call>"):strings.Index(doc, "    </calls>")]
	two := strings.Replace(doc, "<total_calls>1</total_calls>", "<total_calls>3</total_calls>", 1)
	two = strings.Replace(two, "    </calls>", one+one+"    </calls>", 1)
	cut := two[:strings.LastIndex(two, "<src>101</src>")]
	var hits atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		hj, ok := w.(http.Hijacker)
		require.True(t, ok)
		conn, buf, err := hj.Hijack()
		require.NoError(t, err)
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s", len(two), cut)
		_ = buf.Flush()
	}))
	defer ts.Close()
	c, err := mor.NewClient(ts.URL, "user_admin", "secret", mor.WithRetries(2, time.Millisecond))
	require.NoError(t, err)
	var got []mor.Call
	var last error
	for call, err := range c.Calls.All(context.Background(), day1) {
		if err != nil {
			last = err
			continue
		}
		require.NoError(t, last, "a record after the error")
		got = append(got, call)
	}
	require.Len(t, got, 2, "the two complete records")
	for _, cl := range got {
		assert.Equal(t, "1232113371.3", cl.UniqueID)
		assert.Equal(t, "3.0", cl.UserPrice.Amount.String())
	}
	require.Error(t, last)
	var te *mor.TransportError
	assert.ErrorAs(t, last, &te, "the body ended short of its length")
	assert.Equal(t, int32(1), hits.Load(), "never retried once records were yielded")
}

// recordings_get end to end: scopes, the empty list, rights, validation.
func TestCallsRecordings(t *testing.T) {
	p := mor.RecordingsParams{From: time.Date(2009, 1, 1, 0, 0, 0, 0, callsZone), Till: time.Date(2011, 1, 1, 0, 0, 0, 0, callsZone)}
	for _, tt := range []struct {
		role string
		ids  []int64
	}{
		{roleAdmin, []int64{1, 2, 3, 4, 5, 6, 7, 8}},
		{roleReseller, []int64{7, 8}},
		{roleUser, []int64{1, 2, 3, 4, 5, 6, 7}},
	} {
		c, _ := callsSetup(t, tt.role)
		recs, err := c.Calls.Recordings(context.Background(), p)
		require.NoError(t, err, tt.role)
		var ids []int64
		for _, r := range recs {
			ids = append(ids, r.ID)
		}
		assert.Equal(t, tt.ids, ids, tt.role)
	}
	c, _ := callsSetup(t, roleAdmin)
	recs, err := c.Calls.Recordings(context.Background(), p)
	require.NoError(t, err)
	r1 := recs[0]
	assert.Equal(t, mor.Recording{ID: 1, UserID: 2, SrcDeviceID: 2, Time: time.Date(2009, 1, 1, 0, 0, 4, 0, time.FixedZone("", 7200)),
		Duration: time.Second, Source: "101", Destination: "123123", Size: 1024}, r1)
	assert.Equal(t, int64(928797), recs[1].Size)

	none, err := c.Calls.Recordings(context.Background(), mor.RecordingsParams{From: time.Unix(1000, 0), Till: time.Unix(2000, 0)})
	require.NoError(t, err)
	assert.Equal(t, []mor.Recording{}, none)

	acc, _ := callsSetup(t, roleAccountant)
	_, err = acc.Calls.Recordings(context.Background(), p)
	assert.ErrorIs(t, err, mor.ErrNotAuthorized)

	_, err = c.Calls.Recordings(context.Background(), mor.RecordingsParams{From: p.Till, Till: p.From})
	var ve *mor.ValidationError
	assert.ErrorAs(t, err, &ve)
}

// quickstats_get: per role, the admin's unusual hash, Elasticsearch down.
func TestCallsQuickStats(t *testing.T) {
	c, srv := callsSetup(t, roleAdmin)
	srv.AddCDR(mortest.CDR{ID: 100, CallDate: time.Date(2018, 3, 1, 9, 0, 0, 0, callsZone), Disposition: "ANSWERED", HangupCause: 16,
		Billsec: 30, UserID: 2, UserPrice: f64(0.5), ProviderPrice: f64(0.25)})
	st, err := c.Calls.QuickStats(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(1), st.Today.Calls)
	assert.Equal(t, 30*time.Second, st.Today.Duration)
	assert.Equal(t, "0.5", st.Today.Revenue.String())
	assert.Equal(t, "0.25", st.Today.Profit.String())
	require.NotNil(t, st.ActiveCalls)

	u, _ := callsSetup(t, roleUser)
	us, err := u.Calls.QuickStats(context.Background())
	require.NoError(t, err)
	assert.Nil(t, us.ActiveCalls)
	assert.Nil(t, us.Today.Revenue)

	acc, _ := callsSetup(t, roleAccountant)
	_, err = acc.Calls.QuickStats(context.Background())
	assert.ErrorIs(t, err, mor.ErrAccessDenied)

	srv.SetElasticsearchDown(true)
	_, err = c.Calls.QuickStats(context.Background())
	assert.ErrorIs(t, err, mor.ErrStatsUnavailable)

	body, err := os.ReadFile("testdata/replies/quickstats_get_user_es_failed.xml")
	require.NoError(t, err)
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewBytesResponder(200, body))
	hc, err := mor.NewClient("https://mor.example.test/billing", "user_admin", "secret", mor.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	fs, err := hc.Calls.QuickStats(context.Background())
	require.NoError(t, err)
	assert.True(t, fs.ThisMonth.Unavailable)
	assert.False(t, fs.Today.Unavailable)
	assert.Equal(t, 95*time.Second, fs.Today.Duration)
}

func f64(v float64) *float64 { return &v }

// The calls group's golden hash vectors: what the SDK signs for these
// parameters, including the quirks (s_user=all not hashed, a zero-padded
// period normalised, quickstats_get's admin hash over the secret alone).
func TestCallsHashVectors(t *testing.T) {
	for _, tt := range []struct {
		method string
		params url.Values
		want   string
	}{
		{"user_calls_get", url.Values{"u": {"admin"}, "period_start": {"1230760800"}, "period_end": {"1230847199"}, "s_user": {"2"}},
			"cfc54049eb7becc57e7899924ab1b316240f3575"},
		{"user_calls_get", url.Values{"period_start": {"1230760800"}, "period_end": {"1230847199"}, "s_call_type": {"answered"},
			"s_device": {"all"}, "s_user": {"all"}}, "77f8e76587ed7f1e2f7f2b52540f2349390ba11c"},
		{"user_calls", url.Values{"period_start": {"01230760800"}, "period_end": {"1230847199"}, "s_reseller": {"3"}, "s_country": {"LTU"}},
			"536256f5080a11b6154343d5830cf64df0caae63"},
		{"recordings_get", url.Values{"u": {"admin"}, "date_from": {"1"}, "user": {"2"}}, "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"},
		{"quickstats_get", url.Values{"u": {"admin"}}, "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"},
		{"quickstats_get", url.Values{"u": {"reseller"}}, "2d84f7c3e3d622e6362f99c0d72d02bf0df11b22"},
	} {
		assert.Equal(t, tt.want, mor.Hash(tt.method, tt.params, "secret"), "%s %v", tt.method, tt.params)
	}
}
