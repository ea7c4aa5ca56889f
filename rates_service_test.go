package mor_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

func seedRetailTariff(srv *mortest.Server) {
	g := srv.AddDestinationGroup(mortest.DestinationGroup{Name: "Afghanistan"})
	g2 := srv.AddDestinationGroup(mortest.DestinationGroup{Name: "Lithuania"})
	r := srv.AddRate(mortest.Rate{TariffID: 4, DestinationGroupID: g})
	srv.AddARateDetail(mortest.ARateDetail{RateID: r, From: 1, Duration: 60, ArType: "event", Round: 1,
		Price: "0.5", StartTime: "00:00:00", EndTime: "23:59:59"})
	srv.AddARateDetail(mortest.ARateDetail{RateID: r, From: 61, Duration: -1, ArType: "minute", Round: 60,
		Price: "0.00001", StartTime: "00:00:00", EndTime: "23:59:59", DayType: "WD"})
	srv.AddRate(mortest.Rate{TariffID: 4, DestinationGroupID: g2}) // no tiers
}

func TestRatesExportRetailEndToEnd(t *testing.T) {
	c, srv := setup(t, roleAdmin)
	seedRetailTariff(srv)
	rates, err := c.Rates.Export(context.Background(), mor.TariffExportParams{TariffID: 4})
	require.NoError(t, err)
	require.Len(t, rates, 3)
	block := mor.TariffBlock{Name: "Test Tariff + 0.1", Purpose: "user", Currency: "USD"}
	assert.Equal(t, mor.TariffRate{Block: block, HasDetails: true, DestinationGroup: "Afghanistan", From: 1, Duration: 60,
		Type: "event", RoundBy: 1, Price: mor.Money{Amount: mor.NewDecimal(5, 1), Currency: "USD"},
		StartTime: "00:00:00", EndTime: "23:59:59", ConnectionFee: mor.Money{Currency: "USD"}}, rates[0])
	assert.Equal(t, int64(-1), rates[1].Duration, "Infinity")
	assert.True(t, rates[1].Price.Amount.Equal(mor.NewDecimal(1, 5)), "1.0e-05 read exactly: %s", rates[1].Price.Amount)
	assert.Equal(t, "WD", rates[1].DayType)
	assert.Equal(t, mor.TariffRate{Block: block, DestinationGroup: "Lithuania", Price: mor.Money{Currency: "USD"},
		ConnectionFee: mor.Money{Currency: "USD"}}, rates[2], "a group rate without tiers")
	assert.False(t, block.Wholesale())
}

func TestRatesExportWholesaleAndRoles(t *testing.T) {
	for _, role := range []string{roleAdmin, roleReseller, roleAccountant, roleUser} {
		t.Run(role, func(t *testing.T) {
			c, srv := setup(t, role)
			srv.SetRateDeck(2, mortest.RateDeck{N: 50, Seed: 3})
			uid := int64(2) // user_admin's tariff 2, whoever asks
			n := 0
			for r, err := range c.Rates.ExportAll(context.Background(), mor.TariffExportParams{UserID: &uid}) {
				require.NoError(t, err)
				want := mortest.DeckRateAt(3, n)
				assert.Equal(t, want.Direction, r.Direction)
				assert.Equal(t, want.Destination, r.Destination, "CGI-escaped & read back")
				assert.Equal(t, want.Prefix, r.Prefix)
				assert.Equal(t, string(want.Rate), r.Price.Amount.String(), "Nice_Number_Digits 4")
				assert.Equal(t, string(want.ConnectionFee), r.ConnectionFee.Amount.String())
				assert.Equal(t, want.Increment, r.Increment)
				assert.Equal(t, want.DayType, r.DayType)
				assert.Equal(t, "USD", r.Price.Currency)
				assert.True(t, r.Block.Wholesale())
				n++
			}
			assert.Equal(t, 50, n)
		})
	}
}

func TestRatesExportCustomThenNoTariff(t *testing.T) {
	c, srv := setup(t, roleAdmin)
	g := srv.AddDestinationGroup(mortest.DestinationGroup{Name: "Lithuania"})
	cr := srv.AddCustomRate(mortest.CustomRate{UserID: 5, DestinationGroupID: g})
	srv.AddCustomRateDetail(mortest.ARateDetail{RateID: cr, From: 1, Duration: 60, ArType: "minute", Round: 1,
		Price: "0.2", StartTime: "00:00:00", EndTime: "23:59:59"})
	srv.UpdateUser(5, func(u *mortest.User) { u.TariffID = 99 })
	uid := int64(5)
	var got []mor.TariffRate
	var last error
	for r, err := range c.Rates.ExportAll(context.Background(), mor.TariffExportParams{UserID: &uid}) {
		if err != nil {
			last = err
			continue
		}
		got = append(got, r)
	}
	require.Len(t, got, 1, "the custom rate comes before the error")
	assert.True(t, got[0].Block.Custom)
	assert.Equal(t, "Lithuania", got[0].DestinationGroup)
	assert.ErrorIs(t, last, mor.ErrTariffNotFound)
	assert.ErrorIs(t, last, mor.ErrNotFound)
	_, err := c.Rates.Export(context.Background(), mor.TariffExportParams{UserID: &uid})
	assert.ErrorIs(t, err, mor.ErrTariffNotFound)
}

// The recorded documents (the spec's exact examples) decode, plain and
// zipped.
func TestRatesExportRecorded(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		check   func(t *testing.T, rs []mor.TariffRate, err error)
	}{
		{"tariff_rates_get_retail", func(t *testing.T, rs []mor.TariffRate, err error) {
			require.NoError(t, err)
			require.Len(t, rs, 1)
			assert.Equal(t, "Afghanistan", rs[0].DestinationGroup)
			assert.Equal(t, "0.1", rs[0].Price.Amount.String())
			assert.Equal(t, int64(-1), rs[0].Duration)
		}},
		{"tariff_rates_get_wholesale", func(t *testing.T, rs []mor.TariffRate, err error) {
			require.NoError(t, err)
			require.Len(t, rs, 1)
			assert.Equal(t, "Afghanistan Mobile", rs[0].Destination)
			assert.Equal(t, "937", rs[0].Prefix)
			assert.Equal(t, "0.99", rs[0].Price.Amount.String())
			assert.Equal(t, "0.00", rs[0].ConnectionFee.Amount.String())
			assert.Equal(t, "user_wholesale", rs[0].Block.Purpose)
		}},
		{"tariff_rates_get_bad_login", func(t *testing.T, rs []mor.TariffRate, err error) {
			assert.ErrorIs(t, err, mor.ErrBadLogin)
		}},
	} {
		for _, zipped := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/zip=%v", tc.fixture, zipped), func(t *testing.T) {
				doc, err := os.ReadFile(filepath.Join("testdata", "replies", tc.fixture+".xml"))
				require.NoError(t, err)
				body := doc
				if zipped {
					body = zipOf(string(doc))
				}
				mt := httpmock.NewMockTransport()
				mt.RegisterNoResponder(httpmock.NewBytesResponder(200, body))
				c, err := mor.NewClient("https://mor.example.test/billing", "admin", mortest.SpecSecret,
					mor.WithHTTPClient(&http.Client{Transport: mt}))
				require.NoError(t, err)
				rs, err := c.Rates.Export(context.Background(), mor.TariffExportParams{TariffID: 4})
				tc.check(t, rs, err)
			})
		}
	}
}

func TestRatesExportBadValues(t *testing.T) {
	for _, tc := range []struct{ body, elem string }{
		{`<page><pagename>Tariff</pagename><tariff_name>T</tariff_name><purpose>user</purpose><currency>USD</currency><rates><destination><destination_group_name>G</destination_group_name><rate><duration>forever</duration></rate></destination></rates></page>`, "duration"},
		{`<page><pagename>Tariff</pagename><tariff_name>T</tariff_name><purpose>provider</purpose><currency>USD</currency><rates><rate><tariff_rate>0,5</tariff_rate></rate></rates></page>`, "tariff_rate"},
	} {
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(httpmock.NewStringResponder(200, tc.body))
		c, err := mor.NewClient("https://mor.example.test/billing", "admin", "mock-secret-42", mor.WithHTTPClient(&http.Client{Transport: mt}))
		require.NoError(t, err)
		_, err = c.Rates.Export(context.Background(), mor.TariffExportParams{})
		var pe *mor.ParseError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, pe.Reason, "<"+tc.elem+">")
	}
	// A reply with neither a tariff nor an error is not an empty tariff.
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, `<page></page>`))
	c, _ := mor.NewClient("https://mor.example.test/billing", "admin", "mock-secret-42", mor.WithHTTPClient(&http.Client{Transport: mt}))
	_, err := c.Rates.Export(context.Background(), mor.TariffExportParams{})
	assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
}

func TestRatesExportBreakAndValidation(t *testing.T) {
	c, srv := setup(t, roleAdmin)
	srv.SetRateDeck(2, mortest.RateDeck{N: 1000, Seed: 1})
	n := 0
	for _, err := range c.Rates.ExportAll(context.Background(), mor.TariffExportParams{}) {
		require.NoError(t, err)
		if n++; n == 10 {
			break
		}
	}
	assert.Equal(t, 10, n)
	before := srv.Requests("tariff_rates_get")
	_, err := c.Rates.Export(context.Background(), mor.TariffExportParams{TariffID: -1})
	var ve *mor.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.ErrorIs(t, err, mor.ErrTariffIDInvalid)
	assert.Equal(t, before, srv.Requests("tariff_rates_get"), "refused before any I/O")
}

func TestRatesGetEndToEnd(t *testing.T) {
	c, srv := setup(t, roleAdmin)
	seedQuote(srv)
	q, err := c.Rates.Get(context.Background(), mor.RateParams{Username: "user_admin", Number: "+370 612"})
	require.NoError(t, err)
	assert.Equal(t, "Lithuania mobile", q.Destination)
	assert.Equal(t, "3706", q.Prefix)
	assert.Equal(t, "0.05", q.Price.String())
	qs, err := c.Rates.Active(context.Background(), mor.RateParams{Username: "user_admin", Number: "37061"})
	require.NoError(t, err)
	assert.Len(t, qs, 2)
	for _, tc := range []struct {
		p    mor.RateParams
		want error
	}{
		{mor.RateParams{Username: "user_admin", Number: "99"}, mor.ErrPrefixNotFound},
		{mor.RateParams{Username: "admin", Number: "3706"}, mor.ErrRateNotFound},
		{mor.RateParams{Username: "user_reseller", Number: "3706"}, mor.ErrUserBelongsToReseller},
		{mor.RateParams{Username: "ghost", Number: "3706"}, mor.ErrUserNotFound},
		{mor.RateParams{Username: "user_admin", Number: "abc"}, mor.ErrEmptyPrefix},
		{mor.RateParams{Number: "1"}, mor.ErrRateUsernameEmpty},
	} {
		_, err := c.Rates.Get(context.Background(), tc.p)
		assert.ErrorIs(t, err, tc.want, "%+v", tc.p)
	}
	srv.SetConfline(0, "Devices_Check_Rate", mortest.Confline{Value: "0"})
	_, err = c.Rates.Get(context.Background(), mor.RateParams{Username: "user_admin", Number: "3706"})
	assert.ErrorIs(t, err, mor.ErrFeatureDisabled)
	// Roles: the reseller quotes its own user, a simple user always itself.
	cr, srvR := setup(t, roleReseller)
	seedQuote(srvR)
	_, err = cr.Rates.Get(context.Background(), mor.RateParams{Username: "user_admin", Number: "3706"})
	assert.ErrorIs(t, err, mor.ErrUserNotFound)
	ca, srvA := setup(t, roleAccountant)
	seedQuote(srvA)
	_, err = ca.Rates.Get(context.Background(), mor.RateParams{Username: "user_admin", Number: "3706"})
	assert.ErrorIs(t, err, mor.ErrNotAuthorized)
}

func seedQuote(srv *mortest.Server) {
	g := srv.AddDestinationGroup(mortest.DestinationGroup{Name: "Lithuania"})
	srv.AddDestination(mortest.Destination{Prefix: "370", Name: "Lithuania", DestinationGroupID: g})
	d := srv.AddDestination(mortest.Destination{Prefix: "3706", Name: "Lithuania mobile"})
	r := srv.AddRate(mortest.Rate{TariffID: 2, DestinationID: d, Prefix: "3706"})
	srv.AddRateDetail(mortest.RateDetail{RateID: r, Rate: "0.07", StartTime: "00:00:00", EndTime: "23:59:59"})
	srv.AddRateDetail(mortest.RateDetail{RateID: r, Rate: "0.05", DayType: "WD", StartTime: "00:00:00", EndTime: "23:59:59"})
	srv.SetConfline(0, "Devices_Check_Rate", mortest.Confline{Value: "1"})
}

func TestRatesUpdateWholesaleEndToEnd(t *testing.T) {
	c, srv := setup(t, roleReseller)
	ctx := context.Background()
	id, err := c.Rates.UpdateWholesale(ctx, mor.WholesaleTariffParams{Name: "Wholesale A", Currency: "EUR"})
	require.NoError(t, err)
	tr, ok := srv.Tariff(id)
	require.True(t, ok)
	assert.Equal(t, mortest.Tariff{ID: id, Name: "Wholesale A", Purpose: "user_wholesale", OwnerID: 3, Currency: "EUR"}, tr)
	_, err = c.Rates.UpdateWholesale(ctx, mor.WholesaleTariffParams{Name: "Wholesale A"})
	assert.ErrorIs(t, err, mor.ErrTariffNameTaken)
	assert.ErrorIs(t, err, mor.ErrAlreadyExists)
	got, err := c.Rates.UpdateWholesale(ctx, mor.WholesaleTariffParams{ID: id, Name: "Wholesale B"})
	require.NoError(t, err)
	assert.Equal(t, id, got)
	_, err = c.Rates.UpdateWholesale(ctx, mor.WholesaleTariffParams{ID: 2, Name: "X"})
	assert.ErrorIs(t, err, mor.ErrTariffNotFound)
	cu, _ := setup(t, roleUser)
	_, err = cu.Rates.UpdateWholesale(ctx, mor.WholesaleTariffParams{Name: "U"})
	assert.ErrorIs(t, err, mor.ErrBadLogin)
	_, err = c.Rates.UpdateWholesale(ctx, mor.WholesaleTariffParams{})
	assert.ErrorIs(t, err, mor.ErrTariffNameEmpty)
}

func TestRatesUpdateWholesaleRecordedMessages(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("testdata", "replies", "tariff_wholesale_update_invalid.xml"))
	require.NoError(t, err)
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewBytesResponder(200, doc))
	c, _ := mor.NewClient("https://mor.example.test/billing", "admin", "mock-secret-42", mor.WithHTTPClient(&http.Client{Transport: mt}))
	_, err = c.Rates.UpdateWholesale(context.Background(), mor.WholesaleTariffParams{ID: 2, Name: "x"})
	var ae *mor.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, []string{"Name must be unique", "Name cannot be blank"}, ae.Messages)
	assert.ErrorIs(t, err, mor.ErrTariffNameTaken)
}

func TestRatesImportRetailRecorded(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("testdata", "replies", "tariff_retail_import_report.xml"))
	require.NoError(t, err)
	var sent string
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		_ = req.ParseForm()
		sent = req.PostForm.Get("xml")
		return httpmock.NewBytesResponse(200, doc), nil
	})
	c, _ := mor.NewClient("https://mor.example.test/billing", "admin", "mock-secret-42", mor.WithHTTPClient(&http.Client{Transport: mt}))
	tier := mor.RetailTier{Price: mor.NewDecimal(1, 2), RoundBy: 1, Type: "minute", StartTime: "00:00:00", EndTime: "07:59:59", Duration: -1}
	rep, err := c.Rates.ImportRetail(context.Background(), mor.RetailImport{TariffID: 6, TariffName: "test_export_advanced",
		Destinations: []mor.RetailDestination{{Group: "A&B", Tiers: []mor.RetailTier{tier, tier}}}})
	require.NoError(t, err)
	assert.Equal(t, `<tariff><name>test_export_advanced</name><id>6</id><destinations><destination><destination_group_name>A&amp;B</destination_group_name>`+
		`<rates><rate_price>0.01</rate_price><rate_round_by>1</rate_round_by><rate_type>minute</rate_type><rate_start_time>00:00:00</rate_start_time><rate_end_time>07:59:59</rate_end_time><rate_duration>-1</rate_duration><day_type></day_type></rates>`+
		`<rates><rate_price>0.01</rate_price><rate_round_by>1</rate_round_by><rate_type>minute</rate_type><rate_start_time>00:00:00</rate_start_time><rate_end_time>07:59:59</rate_end_time><rate_duration>-1</rate_duration><day_type></day_type></rates>`+
		`</destination></destinations></tariff>`, sent)
	assert.Equal(t, &mor.RetailImportReport{TariffID: 6, TariffName: "test_export_advanced", BadDestinations: []string{"Nowhere"},
		BadRates: []mor.BadRetailTier{{Group: "Afghanistan", Price: "0.01", RoundBy: "301", Duration: "10", Type: "minute",
			StartTime: "00:00:00", EndTime: "07:59:59"}},
		CollisionsInDB: []string{"Afghanistan COLLISION WITH EXISTING RATES IN 00:00:00 AND 08:59:59 TIME RANGE"}}, rep)

	for _, tc := range []struct {
		doc  mor.RetailImport
		want error
	}{
		{mor.RetailImport{TariffName: "x"}, mor.ErrImportNoDestinations},
		{mor.RetailImport{Destinations: []mor.RetailDestination{{Group: "g"}}}, mor.ErrTariffNameEmpty},
		{mor.RetailImport{TariffName: "x", Destinations: []mor.RetailDestination{{Group: "g", Tiers: []mor.RetailTier{tier}}}}, mor.ErrTooFewTiers},
	} {
		_, err := c.Rates.ImportRetail(context.Background(), tc.doc)
		var ve *mor.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.ErrorIs(t, err, tc.want)
	}
	for _, fx := range []struct {
		name string
		want error
	}{{"tariff_retail_import_no_destinations", mor.ErrImportNoDestinations}, {"tariff_retail_import_bad_login", mor.ErrBadLogin}} {
		b, err := os.ReadFile(filepath.Join("testdata", "replies", fx.name+".xml"))
		require.NoError(t, err)
		mt.RegisterNoResponder(httpmock.NewBytesResponder(200, b))
		_, err = c.Rates.ImportRetail(context.Background(), mor.RetailImport{TariffName: "x",
			Destinations: []mor.RetailDestination{{Group: "g", Tiers: []mor.RetailTier{tier, tier}}}})
		assert.ErrorIs(t, err, fx.want, fx.name)
	}
}

func TestRatesFailurePaths(t *testing.T) {
	tier := mor.RetailTier{Price: mor.NewDecimal(1, 2), RoundBy: 1, Type: "minute", StartTime: "00:00:00", EndTime: "23:59:59", Duration: -1}
	t.Run("Export", func(t *testing.T) {
		testFailurePaths(t, func(ctx context.Context, c *mor.Client) error {
			return rangeErr(t, c.Rates.ExportAll(ctx, mor.TariffExportParams{TariffID: 4}))
		})
	})
	t.Run("Get", func(t *testing.T) {
		testFailurePaths(t, func(ctx context.Context, c *mor.Client) error {
			_, err := c.Rates.Get(ctx, mor.RateParams{Username: "u", Number: "1"})
			return err
		})
	})
	t.Run("UpdateWholesale", func(t *testing.T) {
		testFailurePaths(t, func(ctx context.Context, c *mor.Client) error {
			_, err := c.Rates.UpdateWholesale(ctx, mor.WholesaleTariffParams{Name: "W"})
			return err
		})
	})
	t.Run("ImportRetail", func(t *testing.T) {
		testFailurePaths(t, func(ctx context.Context, c *mor.Client) error {
			_, err := c.Rates.ImportRetail(ctx, mor.RetailImport{TariffName: "x",
				Destinations: []mor.RetailDestination{{Group: "g", Tiers: []mor.RetailTier{tier, tier}}}})
			return err
		})
	})
}

// Writes of the group reach the server once per call, whatever goes wrong
// after the request was written, even with WithRetries; InDoubt holds.
func TestRatesSystemWritesNeverSentTwice(t *testing.T) {
	tier := mor.RetailTier{Price: mor.NewDecimal(1, 2), RoundBy: 1, Type: "minute", StartTime: "00:00:00", EndTime: "23:59:59", Duration: -1}
	calls := map[string]func(ctx context.Context, c *mor.Client) error{
		"tariff_wholesale_update": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Rates.UpdateWholesale(ctx, mor.WholesaleTariffParams{Name: "W"})
			return err
		},
		"tariff_retail_import": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Rates.ImportRetail(ctx, mor.RetailImport{TariffName: "x",
				Destinations: []mor.RetailDestination{{Group: "g", Tiers: []mor.RetailTier{tier, tier}}}})
			return err
		},
		"callback_init": func(ctx context.Context, c *mor.Client) error {
			return c.System.Callback(ctx, mor.CallbackParams{DeviceID: 2, Src: "101", Dst: "37060000000"})
		},
		"email_send": func(ctx context.Context, c *mor.Client) error {
			return c.System.SendEmail(ctx, mor.EmailParams{Template: "t"})
		},
		"conflines_update": func(ctx context.Context, c *mor.Client) error {
			return c.System.UpdateConflines(ctx, mor.ConflinesParams{AllowAPI: new(true)})
		},
		"pbx_pool_create": func(ctx context.Context, c *mor.Client) error {
			return c.System.CreatePBXPool(ctx, "P", "")
		},
	}
	for method, call := range calls {
		t.Run(method, func(t *testing.T) {
			var arrivals atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				arrivals.Add(1)
				dropAfterRequest(w)
			}))
			defer srv.Close()
			c := newTestClient(t, srv.URL, mor.WithRetries(5, time.Millisecond))
			err := call(context.Background(), c)
			require.Error(t, err)
			assert.True(t, mor.InDoubt(err), "%v", err)
			assert.Equal(t, int32(1), arrivals.Load())
			assert.False(t, errors.Is(err, mor.ErrUnexpectedResponse))
			assert.True(t, strings.Contains(err.Error(), method), err.Error())
		})
	}
}

func TestRatesImportRetailEndToEnd(t *testing.T) {
	c, srv := setup(t, roleAdmin)
	g := srv.AddDestinationGroup(mortest.DestinationGroup{Name: "Lithuania"})
	srv.AddDestination(mortest.Destination{Prefix: "370", Name: "Lithuania", DestinationGroupID: g})
	ctx := context.Background()
	tiers := []mor.RetailTier{
		{Price: mor.NewDecimal(5, 1), RoundBy: 1, Type: "event", StartTime: "00:00:00", EndTime: "07:59:59", Duration: 0},
		{Price: mor.NewDecimal(5, 2), RoundBy: 60, Type: "minute", StartTime: "00:00:00", EndTime: "07:59:59", Duration: -1},
		{Price: mor.NewDecimal(1, 2), RoundBy: 301, Type: "minute", StartTime: "08:00:00", EndTime: "23:59:59", Duration: 10, DayType: "WD"},
	}
	rep, err := c.Rates.ImportRetail(ctx, mor.RetailImport{TariffName: "Retail New",
		Destinations: []mor.RetailDestination{{Group: "Lithuania", Tiers: tiers}, {Group: "Nowhere", Tiers: tiers[:2]}}})
	require.NoError(t, err)
	assert.Equal(t, "Retail New", rep.TariffName)
	tr, ok := srv.Tariff(rep.TariffID)
	require.True(t, ok)
	assert.Equal(t, "user", tr.Purpose)
	assert.Equal(t, []string{"Nowhere"}, rep.BadDestinations)
	require.Len(t, rep.BadRates, 1)
	assert.Equal(t, mor.BadRetailTier{Group: "Lithuania", Price: "0.01", RoundBy: "301", Duration: "10", Type: "minute",
		StartTime: "08:00:00", EndTime: "23:59:59", DayType: "WD"}, rep.BadRates[0])
	assert.Len(t, srv.ARateDetails(), 2)
	// The export shows what was imported.
	rates, err := c.Rates.Export(ctx, mor.TariffExportParams{TariffID: rep.TariffID})
	require.NoError(t, err)
	require.Len(t, rates, 2)
	assert.Equal(t, "event", rates[0].Type)
	assert.Equal(t, int64(-1), rates[1].Duration)
	// The same name again from another caller's side: a refusal.
	_, err = c.Rates.ImportRetail(ctx, mor.RetailImport{TariffID: 4, TariffName: "wrong",
		Destinations: []mor.RetailDestination{{Group: "Lithuania", Tiers: tiers[:2]}}})
	assert.ErrorIs(t, err, mor.ErrTariffNameMismatch)
	cr, _ := setup(t, roleReseller)
	_, err = cr.Rates.ImportRetail(ctx, mor.RetailImport{TariffID: 4, TariffName: "Test Tariff + 0.1",
		Destinations: []mor.RetailDestination{{Group: "Lithuania", Tiers: tiers[:2]}}})
	assert.ErrorIs(t, err, mor.ErrTariffBelongsToOther)
}
