package mor_test

import (
	"context"
	"errors"
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

func d(s string) mor.Decimal {
	v, err := mor.ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return v
}

// The tax and conversion formulas, with the worked examples MOR's own code
// gives.
func TestTaxWorkedExamples(t *testing.T) {
	vat := mor.Tax{Rates: []mor.Decimal{d("21")}}
	assert.True(t, vat.Gross(d("100")).Equal(d("121")))
	net, err := vat.Net(d("100"))
	require.NoError(t, err)
	assert.Equal(t, "82.64462809917355371901", net.String())
	assert.Equal(t, "82.64", net.RoundHalfEven(2).String())
	assert.Equal(t, "17.36", d("100").Sub(net).RoundHalfEven(2).String())

	compound := mor.Tax{Rates: []mor.Decimal{d("10"), d("5")}, Compound: true}
	assert.True(t, compound.Gross(d("100")).Equal(d("115.5")))
	assert.True(t, compound.Amount(d("100")).Equal(d("15.5")))
	net, err = compound.Net(d("115.5"))
	require.NoError(t, err)
	assert.True(t, net.Equal(d("100")), net.String())

	flat := mor.Tax{Rates: []mor.Decimal{d("10"), d("5")}}
	assert.True(t, flat.Gross(d("100")).Equal(d("115")))
	net, err = flat.Net(d("115"))
	require.NoError(t, err)
	assert.True(t, net.Equal(d("100")), net.String())

	// No tax at all: the amount itself.
	zero := mor.Tax{Rates: []mor.Decimal{d("0")}}
	net, err = zero.Net(d("12.34"))
	require.NoError(t, err)
	assert.True(t, net.Equal(d("12.34")))

	// Conversion: default USD 1, EUR 0.9: 40 USD = 36 EUR; the payment
	// example credits 82.644628…/0.9 USD.
	eur, err := mor.Convert(d("40"), d("1"), d("0.9"))
	require.NoError(t, err)
	assert.True(t, eur.Equal(d("36")))
	usd, err := mor.Convert(d("82.64462809917355371901"), d("0.9"), d("1"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(usd.String(), "91.827364554637"), usd.String())
	_, err = mor.Convert(d("1"), d("0"), d("1"))
	assert.ErrorIs(t, err, mor.ErrDivisionByZero)
	_, err = mor.Tax{Rates: []mor.Decimal{d("-100")}}.Net(d("1"))
	assert.ErrorIs(t, err, mor.ErrDivisionByZero)

	// Sign: a debit stays a debit through the arithmetic.
	assert.Equal(t, "-2.5", d("0").Add(d("-2.5")).String())
	assert.True(t, vat.Gross(d("-10")).Equal(d("-12.1")))
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "replies", name))
	require.NoError(t, err)
	return string(b)
}

// mockOne returns a client whose every request is answered with body.
func mockOne(t *testing.T, body string) *mor.Client {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, body))
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", mortest.SpecSecret,
		mor.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	return c
}

// Every recorded reply decodes to its value or its typed error.
func TestMoneyRecordedReplies(t *testing.T) {
	ctx := context.Background()
	bal := func(c *mor.Client) error {
		_, err := c.Balances.Get(ctx, mor.BalanceParams{Username: "user_admin"})
		return err
	}
	simple := func(c *mor.Client) error { _, err := c.Balances.GetSimple(ctx, "qg2audn8qa", ""); return err }
	upd := func(c *mor.Client) error {
		_, err := c.Balances.Update(ctx, mor.BalanceUpdateParams{UserID: 2, Delta: d("-2.5")})
		return err
	}
	pay := func(c *mor.Client) error {
		_, err := c.Payments.Create(ctx, mor.CreatePaymentParams{UserID: 2, Currency: "EUR", Amount: d("100")})
		return err
	}
	list := func(c *mor.Client) error { _, err := c.Payments.List(ctx, mor.PaymentsParams{}); return err }
	use := func(c *mor.Client) error {
		_, err := c.Vouchers.Use(ctx, mor.UseVoucherParams{Number: "5550001"})
		return err
	}
	for _, tc := range []struct {
		fixture string
		call    func(*mor.Client) error
		want    error
	}{
		{"user_balance_get_feature_disabled.xml", bal, mor.ErrFeatureDisabled},
		{"user_balance_get_user_not_found.xml", bal, mor.ErrUserNotFound},
		{"user_simple_balance_get_user_not_found.txt", simple, mor.ErrUserNotFound},
		{"user_simple_balance_get_feature_disabled.txt", simple, mor.ErrFeatureDisabled},
		{"user_simple_balance_get_api_disabled.xml", simple, mor.ErrAPIDisabled},
		{"user_balance_update_user_not_found.xml", upd, mor.ErrUserNotFound},
		{"user_balance_update_bad_login.xml", upd, mor.ErrBadLogin},
		{"payment_create_not_allowed.xml", pay, mor.ErrPaymentsNotAllowed},
		{"payment_create_access_denied.xml", pay, mor.ErrAccessDenied},
		{"payment_create_no_currency.xml", pay, mor.ErrCurrencyNotFound},
		{"payment_create_bad_login.xml", pay, mor.ErrBadLogin},
		{"payments_get_access_denied.xml", list, mor.ErrAccessDenied},
		{"voucher_use_access_denied.xml", use, mor.ErrAccessDenied},
		{"voucher_use_disabled.xml", use, mor.ErrVouchersDisabled},
		{"voucher_use_not_found.xml", use, mor.ErrVoucherNotFound},
		{"voucher_use_user_not_found.xml", use, mor.ErrUserNotFound},
	} {
		err := tc.call(mockOne(t, readFixture(t, tc.fixture)))
		assert.ErrorIs(t, err, tc.want, tc.fixture)
		var ae *mor.APIError
		assert.ErrorAs(t, err, &ae, tc.fixture)
		assert.False(t, mor.InDoubt(err), "a refusal is decided: %s", tc.fixture)
	}
	_, err := mockOne(t, readFixture(t, "voucher_use_not_found.xml")).Vouchers.Use(ctx, mor.UseVoucherParams{Number: "1"})
	assert.ErrorIs(t, err, mor.ErrNotFound, "the family too")

	m, err := mockOne(t, readFixture(t, "user_balance_get_user_currency.xml")).Balances.Get(ctx, mor.BalanceParams{Username: "u", UserCurrency: true})
	require.NoError(t, err)
	assert.Equal(t, "36.00 EUR", m.String())
	m, err = mockOne(t, readFixture(t, "user_balance_get_success.xml")).Balances.Get(ctx, mor.BalanceParams{Username: "u"})
	require.NoError(t, err)
	assert.Equal(t, "40.00", m.Amount.String())
	assert.Empty(t, m.Currency, "the server names no currency")
	m, err = mockOne(t, readFixture(t, "user_simple_balance_get_success.txt")).Balances.GetSimple(ctx, "k", "")
	require.NoError(t, err)
	assert.Equal(t, "40.00", m.Amount.String())

	u, err := mockOne(t, readFixture(t, "user_balance_update_success.xml")).Balances.Update(ctx, mor.BalanceUpdateParams{UserID: 2, Delta: d("-2.5")})
	require.NoError(t, err)
	assert.Equal(t, &mor.BalanceUpdate{Username: "user_admin", UserID: 2, Balance: d("37.5")}, u)

	r, err := mockOne(t, readFixture(t, "payment_create_success.xml")).Payments.Create(ctx, mor.CreatePaymentParams{UserID: 2, Currency: "EUR", Amount: d("100")})
	require.NoError(t, err)
	assert.Equal(t, int64(10), r.ID)
	assert.Equal(t, "17.36 EUR", r.Tax.String())
	assert.Equal(t, "82.64 EUR", r.Amount.String())
	assert.Equal(t, "100.00 EUR", r.Gross.String())

	ps, err := mockOne(t, readFixture(t, "payments_get_success.xml")).Payments.List(ctx, mor.PaymentsParams{})
	require.NoError(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, mor.Payment{User: "Test User #1", TransactionID: "TX-1001", Date: time.Date(2018, 1, 15, 10, 0, 0, 0, time.UTC),
		Type: "From_api : manual", Amount: mor.Money{Amount: d("82.64"), Currency: "EUR"},
		AmountWithTax: mor.Money{Amount: d("100.00"), Currency: "EUR"}, PendingReason: "Waiting for confirmation"}, ps[0])
	ps, err = mockOne(t, readFixture(t, "payments_get_empty.xml")).Payments.List(ctx, mor.PaymentsParams{})
	require.NoError(t, err)
	assert.NotNil(t, ps)
	assert.Empty(t, ps)

	v, err := mockOne(t, readFixture(t, "voucher_use_success.xml")).Vouchers.Use(ctx, mor.UseVoucherParams{Number: "5550001"})
	require.NoError(t, err)
	assert.Equal(t, &mor.VoucherUse{Number: "5550001", ID: 2, CreditWithTax: mor.Money{Amount: d("12.1"), Currency: "USD"},
		CreditWithoutTax: mor.Money{Amount: d("10.0"), Currency: "USD"}, CreditInDefaultCurrency: d("10.0"), UserID: 2,
		BalanceAfter: d("50.0"), PaymentID: 11}, v)
}

// Bad values name their element; a missing required one is unexpected.
func TestMoneyDecodeFailures(t *testing.T) {
	ctx := context.Background()
	bad := strings.Replace(readFixture(t, "payment_create_success.xml"), "<tax>17.36</tax>", "<tax>1,7</tax>", 1)
	_, err := mockOne(t, bad).Payments.Create(ctx, mor.CreatePaymentParams{UserID: 2, Currency: "EUR", Amount: d("1")})
	var pe *mor.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Reason, "response/payment/tax")
	assert.True(t, mor.InDoubt(err), "an undecodable reply to a payment is in doubt")
	var ide *mor.InDoubtError
	require.ErrorAs(t, err, &ide)
	assert.Contains(t, ide.Check, "transaction id", "no transaction: says there is no exact check")

	missing := strings.Replace(readFixture(t, "payments_get_success.xml"), "<completed>No (Waiting for confirmation)</completed>", "", 1)
	_, err = mockOne(t, missing).Payments.List(ctx, mor.PaymentsParams{})
	assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
	odd := strings.Replace(readFixture(t, "payments_get_success.xml"), "<confirmed_by_admin>No<", "<confirmed_by_admin>Maybe<", 1)
	_, err = mockOne(t, odd).Payments.List(ctx, mor.PaymentsParams{})
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Reason, "confirmed_by_admin")

	// A success root without the success text is never success.
	_, err = mockOne(t, strings.Replace(readFixture(t, "user_balance_update_success.xml"), "User balance updated", "Hmm", 1)).
		Balances.Update(ctx, mor.BalanceUpdateParams{UserID: 2, Delta: d("1")})
	assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
	_, err = mockOne(t, "12,5").Balances.GetSimple(ctx, "k", "")
	assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
}

func TestMoneyValidation(t *testing.T) {
	ctx := context.Background()
	c := mockOne(t, "must not be sent")
	var ve *mor.ValidationError
	_, err := c.Payments.Create(ctx, mor.CreatePaymentParams{UserID: 2})
	require.ErrorAs(t, err, &ve)
	assert.ErrorIs(t, err, mor.ErrCurrencyEmpty)
	assert.ErrorIs(t, err, mor.ErrAmountZero, "every missing field is named")
	_, err = c.Payments.Create(ctx, mor.CreatePaymentParams{UserID: 2, Currency: "EUR", Amount: d("1"), Transaction: "TX_1"})
	assert.ErrorIs(t, err, mor.ErrTransactionWildcard)
	_, err = c.Balances.Update(ctx, mor.BalanceUpdateParams{UserID: 2})
	assert.ErrorIs(t, err, mor.ErrAmountZero)
	_, err = c.Balances.Update(ctx, mor.BalanceUpdateParams{UserID: -1, Delta: d("1")})
	assert.ErrorIs(t, err, mor.ErrUserIDInvalid)
	_, err = c.Vouchers.Use(ctx, mor.UseVoucherParams{Number: " "})
	assert.ErrorIs(t, err, mor.ErrVoucherNumberEmpty)
	_, err = c.Payments.List(ctx, mor.PaymentsParams{From: time.Now()})
	assert.ErrorIs(t, err, mor.ErrWindowIncomplete)
	_, err = c.Payments.FindByTransaction(ctx, "", time.Time{}, time.Time{})
	assert.ErrorIs(t, err, mor.ErrTransactionEmpty)
	_, err = c.Balances.Get(ctx, mor.BalanceParams{})
	assert.ErrorIs(t, err, mor.ErrUsernameEmpty)
	for _, e := range []error{err} {
		assert.False(t, mor.InDoubt(e))
	}
}

func TestMoneyFailurePaths(t *testing.T) {
	calls := map[string]func(ctx context.Context, c *mor.Client) error{
		"Balances.Get": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Balances.Get(ctx, mor.BalanceParams{Username: "user_admin"})
			return err
		},
		"Balances.GetSimple": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Balances.GetSimple(ctx, "k", "")
			return err
		},
		"Balances.GetByDeviceUsername": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Balances.GetByDeviceUsername(ctx, "101", "")
			return err
		},
		"Balances.Update": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Balances.Update(ctx, mor.BalanceUpdateParams{UserID: 2, Delta: d("1")})
			return err
		},
		"Payments.Create": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Payments.Create(ctx, mor.CreatePaymentParams{UserID: 2, Currency: "USD", Amount: d("1"), Transaction: "T1"})
			return err
		},
		"Payments.All": func(ctx context.Context, c *mor.Client) error {
			return rangeErr(t, c.Payments.All(ctx, mor.PaymentsParams{}))
		},
		"Payments.FindByTransaction": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Payments.FindByTransaction(ctx, "T1", time.Time{}, time.Time{})
			return err
		},
		"Vouchers.Use": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Vouchers.Use(ctx, mor.UseVoucherParams{Number: "1"})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { testFailurePaths(t, call) })
	}
}

// End to end against the fake, in every role.
func TestMoneyEndToEnd(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t, roleAdmin)
	srv.SetConfline(0, "Nice_Number_Digits", mortest.Confline{Value: "2"})
	srv.SetConfline(0, "API_payment_confirmation", mortest.Confline{Value: "0"})
	srv.AddCurrency(mortest.Currency{ID: 2, Name: "EUR", ExchangeRate: "0.9"})
	srv.AddTax(mortest.Tax{ID: 7, Tax1Enabled: true, Tax1Value: "21"})
	require.True(t, srv.UpdateUser(2, func(u *mortest.User) { u.TaxID, u.Balance = 7, "40" }))

	m, err := c.Balances.Get(ctx, mor.BalanceParams{Username: "user_admin", Currency: "EUR"})
	require.NoError(t, err)
	assert.Equal(t, "36.00", m.Amount.String())
	m, err = c.Balances.GetByDeviceUsername(ctx, "101", "")
	require.NoError(t, err)
	assert.Equal(t, "40.00", m.Amount.String())
	_, err = c.Balances.GetSimple(ctx, "nope", "")
	assert.ErrorIs(t, err, mor.ErrUserNotFound)

	start := time.Now().Add(-time.Minute)
	r, err := c.Payments.Create(ctx, mor.CreatePaymentParams{UserID: 2, Currency: "EUR", Amount: d("100"), TaxIncluded: true,
		Transaction: "TOPUP-1", PaymentType: "manual"})
	require.NoError(t, err)
	assert.Equal(t, "82.64 EUR", r.Amount.String())
	// What the SDK's formulas predict is what the fake credited.
	net, _ := mor.Tax{Rates: []mor.Decimal{d("21")}}.Net(d("100"))
	credit, _ := mor.Convert(net, d("0.9"), d("1"))
	u, _ := srv.User(2)
	stored := d(string(u.Balance))
	assert.Equal(t, credit.Add(d("40")).RoundHalfEven(10).String(), stored.RoundHalfEven(10).String())

	found, err := c.Payments.FindByTransaction(ctx, "TOPUP-1", start, time.Now().Add(time.Minute))
	require.NoError(t, err)
	require.Len(t, found, 1)
	assert.True(t, found[0].Completed)
	assert.Equal(t, "100.00 EUR", found[0].AmountWithTax.String())
	// Exact: a prefix of the id is not the payment.
	found, err = c.Payments.FindByTransaction(ctx, "TOPUP-", start, time.Now().Add(time.Minute))
	require.NoError(t, err)
	assert.Empty(t, found)

	up, err := c.Balances.Update(ctx, mor.BalanceUpdateParams{UserID: 2, Delta: d("-2.5")})
	require.NoError(t, err)
	assert.Equal(t, int64(2), up.UserID)

	srv.SetConfline(0, "Vouchers_Enabled", mortest.Confline{Value: "1"})
	till := time.Now().Add(time.Hour)
	srv.AddVoucher(mortest.Voucher{ID: 2, Number: "5550001", CreditWithVAT: "12.1", Currency: "USD", Active: true, TaxID: 7, ActiveTill: &till})
	two := int64(2)
	v, err := c.Vouchers.Use(ctx, mor.UseVoucherParams{Number: "5550001", UserID: &two})
	require.NoError(t, err)
	assert.Equal(t, "10.0 USD", v.CreditWithoutTax.String()[:len("10.0")]+" USD")
	_, err = c.Vouchers.Use(ctx, mor.UseVoucherParams{Number: "5550001", UserID: &two})
	assert.ErrorIs(t, err, mor.ErrVoucherNotFound)
	red, err := c.Vouchers.Redemptions(ctx, mor.RedemptionsParams{UserID: &two, From: start, Till: time.Now().Add(time.Minute)})
	require.NoError(t, err)
	require.Len(t, red, 1)
	assert.Equal(t, "Test User #1", red[0].User, "who used it")
	assert.Equal(t, "Voucher", red[0].Type)
}

func TestMoneyRoles(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		role            string
		pay, upd, vouch error
	}{
		{roleAdmin, nil, nil, mor.ErrVoucherNotFound},
		{roleReseller, mor.ErrAccessDenied, mor.ErrUserNotFound, mor.ErrAccessDenied},
		{roleAccountant, nil, mor.ErrUserNotFound, mor.ErrAccessDenied},
		{roleUser, mor.ErrAccessDenied, mor.ErrUserNotFound, mor.ErrVoucherNotFound},
	} {
		t.Run(tc.role, func(t *testing.T) {
			c, srv := setup(t, tc.role)
			srv.SetConfline(0, "Vouchers_Enabled", mortest.Confline{Value: "1"})
			_, err := c.Payments.Create(ctx, mor.CreatePaymentParams{UserID: 2, Currency: "USD", Amount: d("5"), Transaction: "R-" + tc.role})
			assertIs(t, err, tc.pay)
			_, err = c.Balances.Update(ctx, mor.BalanceUpdateParams{UserID: 2, Delta: d("5")})
			assertIs(t, err, tc.upd)
			_, err = c.Vouchers.Use(ctx, mor.UseVoucherParams{Number: "1234567890"})
			assertIs(t, err, tc.vouch)
			ps, err := c.Payments.List(ctx, mor.PaymentsParams{})
			if tc.role == roleAccountant {
				assert.ErrorIs(t, err, mor.ErrAccessDenied, "no payments_manage right")
				return
			}
			require.NoError(t, err)
			if tc.pay == nil {
				// Pending in the spec world (API_payment_confirmation = 1).
				require.Len(t, ps, 1)
				assert.False(t, ps[0].Completed)
				assert.False(t, ps[0].ConfirmedByAdmin)
			}
		})
	}
}

func assertIs(t *testing.T, err, want error) {
	t.Helper()
	if want == nil {
		assert.NoError(t, err)
		return
	}
	assert.ErrorIs(t, err, want)
}

// dropAfterApply serves through the fake, then cuts the connection instead
// of answering: the money moved, the reply is lost. It counts requests per
// path.
func dropAfterApply(t *testing.T, srv *mortest.Server) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	inner := srv.Handler()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		inner.ServeHTTP(httptest.NewRecorder(), r)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(hs.Close)
	return hs, &n
}

// No money call is ever sent twice, even with retries configured and the
// connection dropped after the request was applied; the error is in doubt
// and says what to check, and the check finds the payment.
func TestMoneyNeverSentTwice(t *testing.T) {
	ctx := context.Background()
	srv := mortest.NewServer(mortest.WithSpecWorld())
	t.Cleanup(srv.Close)
	srv.SetConfline(0, "API_payment_confirmation", mortest.Confline{Value: "0"})
	srv.SetConfline(0, "Vouchers_Enabled", mortest.Confline{Value: "1"})
	till := time.Now().Add(time.Hour)
	srv.AddVoucher(mortest.Voucher{ID: 2, Number: "777", CreditWithVAT: "5", Currency: "USD", Active: true, TaxID: 1, ActiveTill: &till})
	hs, n := dropAfterApply(t, srv)
	c, err := mor.NewClient(hs.URL, "admin", mortest.SpecSecret, mor.WithRetries(3, time.Millisecond))
	require.NoError(t, err)
	start := time.Now().Add(-time.Minute)

	for _, tc := range []struct {
		name  string
		call  func() error
		check string
	}{
		{"payment", func() error {
			_, err := c.Payments.Create(ctx, mor.CreatePaymentParams{UserID: 2, Currency: "USD", Amount: d("10"), Transaction: "DROP-1"})
			return err
		}, `FindByTransaction(ctx, "DROP-1"`},
		{"balance", func() error {
			_, err := c.Balances.Update(ctx, mor.BalanceUpdateParams{UserID: 2, Delta: d("1")})
			return err
		}, "read the balance back"},
		{"voucher", func() error {
			_, err := c.Vouchers.Use(ctx, mor.UseVoucherParams{Number: "777"})
			return err
		}, "Vouchers.Redemptions"},
	} {
		before := n.Load()
		err := tc.call()
		require.Error(t, err, tc.name)
		assert.Equal(t, int64(1), n.Load()-before, "%s: sent exactly once", tc.name)
		assert.True(t, mor.InDoubt(err), tc.name)
		var ide *mor.InDoubtError
		require.ErrorAs(t, err, &ide, tc.name)
		assert.Contains(t, ide.Check, tc.check, tc.name)
		assert.Contains(t, err.Error(), "may have taken effect", tc.name)
		var te *mor.TransportError
		assert.ErrorAs(t, err, &te, "%s: the cause is reachable", tc.name)
	}
	// The effects happened exactly once: 10 + 1 + 5 on user 2 / admin.
	u, _ := srv.User(2)
	assert.Equal(t, mortest.Decimal("11"), u.Balance)
	a, _ := srv.User(0)
	assert.Equal(t, mortest.Decimal("5"), a.Balance)

	// The check the error names answers "it landed".
	direct, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	require.NoError(t, err)
	found, err := direct.Payments.FindByTransaction(ctx, "DROP-1", start, time.Now().Add(time.Minute))
	require.NoError(t, err)
	assert.Len(t, found, 1)

	// Reads through the same dropping server are retried: 1 + 3 requests.
	before := n.Load()
	_, err = c.Balances.Get(ctx, mor.BalanceParams{Username: "user_admin"})
	require.Error(t, err)
	assert.Equal(t, int64(4), n.Load()-before)
	assert.False(t, mor.InDoubt(err))
	assert.False(t, errors.As(err, new(*mor.InDoubtError)))
}

// BenchmarkPaymentsAll streams a 10,000-payment payments_get reply.
func BenchmarkPaymentsAll(b *testing.B) {
	row, _, _ := strings.Cut(strings.SplitN(readFixtureB(b, "payments_get_success.xml"), "<payments>\n", 2)[1], "  </payments>")
	var sb strings.Builder
	sb.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <pagename>Payments list</pagename>\n  <payments>\n")
	for range 10000 {
		sb.WriteString(row)
	}
	sb.WriteString("  </payments>\n</page>\n")
	body := sb.String()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, body))
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", mortest.SpecSecret,
		mor.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range c.Payments.All(ctx, mor.PaymentsParams{}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 10000 {
			b.Fatalf("%d payments", n)
		}
	}
}

func readFixtureB(b *testing.B, name string) string {
	raw, err := os.ReadFile(filepath.Join("testdata", "replies", name))
	if err != nil {
		b.Fatal(err)
	}
	return string(raw)
}
