package mortest_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// moneyWorld is the spec world with the money examples' set-up: two
// decimals, EUR at 0.9, user_admin's tax 21 % (tax row 7), balance 40,
// payments credited at once.
func moneyWorld(t *testing.T, opts ...mortest.Option) *mortest.Server {
	t.Helper()
	srv := newSpecServer(t, opts...)
	srv.SetConfline(0, "Nice_Number_Digits", mortest.Confline{Value: "2"})
	srv.SetConfline(0, "API_payment_confirmation", mortest.Confline{Value: "0"})
	srv.AddCurrency(mortest.Currency{ID: 2, Name: "EUR", ExchangeRate: "0.9"})
	srv.AddTax(mortest.Tax{ID: 7, Tax1Enabled: true, Tax1Value: "21", Tax2Value: "0", Tax3Value: "0", Tax4Value: "0"})
	require.True(t, srv.UpdateUser(2, func(u *mortest.User) { u.TaxID, u.Balance = 7, "40" }))
	return srv
}

func kv(pairs ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Set(pairs[i], pairs[i+1])
	}
	return v
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "replies", name))
	require.NoError(t, err)
	return string(b)
}

func balanceOf(t *testing.T, srv *mortest.Server, id int64) string {
	t.Helper()
	u, ok := srv.User(id)
	require.True(t, ok)
	return string(u.Balance)
}

// The worked example: 100 EUR, tax included, 21 % tax, EUR at 0.9.
func TestPaymentCreateWorkedExample(t *testing.T) {
	srv := moneyWorld(t)
	body := call(t, srv, "payment_create", kv("u", "admin", "user_id", "2", "p_currency", "eur", "amount", "100", "tax_in_amount", "1"))
	assert.Equal(t, fixture(t, "payment_create_success.xml"), body)
	// balance += 82.644628099…/0.9 = 91.827364554637… (a double)
	assert.True(t, strings.HasPrefix(balanceOf(t, srv, 2), "131.82736455463"), balanceOf(t, srv, 2))
	p, ok := srv.Payment(10)
	require.True(t, ok)
	assert.Equal(t, "from_api : ", p.PaymentType)
	assert.Equal(t, "EUR", p.Currency, "the canonical name")
	assert.True(t, p.Completed)
	assert.Equal(t, mortest.Decimal("100"), p.Gross)
	assert.Nil(t, p.TransactionID)
	assert.Nil(t, p.Fee)

	// Without tax_in_amount the amount is the net: gross 121, tax 21, credit 111.11… USD.
	body = call(t, srv, "payment_create", kv("u", "admin", "user_id", "2", "p_currency", "EUR", "amount", "100",
		"transaction", "TX-2", "fee", "abc"))
	assert.Contains(t, body, "<tax>21.00</tax>\n      <amount>100.00</amount>\n      <gross>121.00</gross>")
	assert.True(t, strings.HasPrefix(balanceOf(t, srv, 2), "242.9384756657"), balanceOf(t, srv, 2))
	p, _ = srv.Payment(11)
	require.NotNil(t, p.TransactionID)
	assert.Equal(t, "TX-2", *p.TransactionID)
	require.NotNil(t, p.Fee)
	assert.Equal(t, mortest.Decimal("0"), *p.Fee, "fee is a float cast: abc is 0")
}

func TestPaymentCreateChecksInOrder(t *testing.T) {
	srv := moneyWorld(t)
	req := kv("u", "admin", "user_id", "2", "p_currency", "EUR", "amount", "5")
	assert.Equal(t, fixture(t, "payment_create_bad_login.xml"), call(t, srv, "payment_create", kv("u", "ghost", "user_id", "2", "p_currency", "EUR")))
	assert.Equal(t, fixture(t, "payment_create_no_currency.xml"), call(t, srv, "payment_create", kv("u", "admin", "user_id", "2", "p_currency", "2")))
	for _, tc := range []struct{ u, user string }{{"user_admin", "2"}, {"admin", "5"}, {"reseller", "2"}, {"admin", "78yu"}, {"accountant", "5"}} {
		assert.Equal(t, fixture(t, "payment_create_access_denied.xml"),
			call(t, srv, "payment_create", kv("u", tc.u, "user_id", tc.user, "p_currency", "EUR")), "%v", tc)
	}
	// The reseller pays its own user; the accountant the admin's, with no right.
	assert.Contains(t, call(t, srv, "payment_create", kv("u", "reseller", "user_id", "5", "p_currency", "USD", "amount", "1")), "<status>ok</status>")
	assert.Contains(t, call(t, srv, "payment_create", kv("u", "accountant", "user_id", "2", "p_currency", "USD", "amount", "1")), "<status>ok</status>")
	srv.SetConfline(0, "API_Allow_payments_ower_API", mortest.Confline{Value: "0"})
	assert.Equal(t, fixture(t, "payment_create_not_allowed.xml"), call(t, srv, "payment_create", req))
	before := len(srv.Payments())
	assert.Equal(t, before, len(srv.Payments()))
}

// Pending payments (the spec world's default) credit nothing and list as
// waiting; payments_get finds them by transaction prefix in a window.
func TestPaymentsGetPendingPayment(t *testing.T) {
	srv := moneyWorld(t, mortest.WithClock(func() time.Time { return time.Date(2018, 1, 15, 10, 0, 0, 0, zone) }))
	srv.SetConfline(0, "API_payment_confirmation", mortest.Confline{Value: "1"})
	call(t, srv, "payment_create", kv("u", "admin", "user_id", "2", "p_currency", "EUR", "amount", "100", "tax_in_amount", "1",
		"paymenttype", "manual", "transaction", "TX-1001"))
	assert.Equal(t, "40", balanceOf(t, srv, 2), "pending: no credit")
	window := []string{"s_from", "1514764800", "s_till", "1517443199"}
	body := call(t, srv, "payments_get", kv(append([]string{"u", "admin", "s_transaction", "TX-1"}, window...)...))
	assert.Equal(t, fixture(t, "payments_get_success.xml"), body)
	// Prefix match: TX-1 finds TX-1001; an exact other id finds nothing.
	body = call(t, srv, "payments_get", kv(append([]string{"u", "admin", "s_transaction", "TX-2"}, window...)...))
	assert.Equal(t, fixture(t, "payments_get_empty.xml"), body)
	// Default window is today (2018-01-15): found without s_from/s_till.
	assert.Contains(t, call(t, srv, "payments_get", kv("u", "admin", "s_transaction", "TX-1001")), "TX-1001")
	// The simple user sees its own, filtered by its forced id; the reseller is denied user 2.
	assert.Contains(t, call(t, srv, "payments_get", kv("u", "user_admin", "s_user_id", "5")), "TX-1001")
	assert.Equal(t, fixture(t, "payments_get_access_denied.xml"), call(t, srv, "payments_get", kv("u", "reseller", "s_user_id", "2")))
	assert.Equal(t, fixture(t, "payments_get_access_denied.xml"), call(t, srv, "payments_get", kv("u", "accountant")))
	assert.Equal(t, shapeA("Bad login"), call(t, srv, "payments_get", kv("u", "ghost")))
}

func TestPaymentsGetWorldRows(t *testing.T) {
	srv := newSpecServer(t)
	body := call(t, srv, "payments_get", kv("u", "admin", "s_from", "1271538000", "s_till", "1271624399", "s_paymenttype", "PAYPAL"))
	assert.Equal(t, decl+`<page>
  <pagename>Payments list</pagename>
  <payments>
    <payment>
      <user> Batch Card sale</user>
      <payer></payer>
      <transaction_id></transaction_id>
      <date>2010-04-18 00:00:01</date>
      <confirm_date>2010-04-18 00:00:02</confirm_date>
      <type>Paypal</type>
      <amount>10.0000</amount>
      <fee>0.6000</fee>
      <amount_with_tax>10.5000</amount_with_tax>
      <currency>USD</currency>
      <completed>Completed</completed>
      <confirmed_by_admin>Yes</confirmed_by_admin>
    </payment>
  </payments>
</page>
`, body)
	all := call(t, srv, "payments_get", kv("u", "admin", "s_from", "1271538000", "s_till", "1271624399"))
	assert.Equal(t, 9, strings.Count(all, "<payment>"))
	assert.Contains(t, all, "<type>Paypal_fee</type>\n      <amount>-0.6000</amount>\n      <fee>0.0000</fee>\n      <amount_with_tax>-0.6000</amount_with_tax>")
	assert.Equal(t, 4, strings.Count(call(t, srv, "payments_get", kv("u", "admin", "s_from", "1271538000", "s_till", "1271624399",
		"s_amount_max", "10.5", "s_paymenttype", "linkpoint")), "<payment>"))
}

func TestUserBalanceUpdate(t *testing.T) {
	srv := moneyWorld(t)
	assert.Equal(t, fixture(t, "user_balance_update_success.xml"), call(t, srv, "user_balance_update", kv("u", "admin", "user_id", "2", "balance", "-2.5")))
	assert.Equal(t, "37.5", balanceOf(t, srv, 2))
	assert.Equal(t, fixture(t, "user_balance_update_bad_login.xml"), call(t, srv, "user_balance_update", kv("u", "ghost", "user_id", "2", "balance", "1")))
	for _, tc := range []struct{ u, user string }{{"admin", "5"}, {"reseller", "2"}, {"accountant", "2"}, {"user_admin", "2"}, {"admin", "x"}} {
		assert.Equal(t, fixture(t, "user_balance_update_user_not_found.xml"),
			call(t, srv, "user_balance_update", kv("u", tc.u, "user_id", tc.user, "balance", "1")), "%v", tc)
	}
	assert.Equal(t, "37.5", balanceOf(t, srv, 2), "refusals change nothing")
	// 1e3 is applied as 1000 (String#to_d); the reseller credits its own user.
	assert.Contains(t, call(t, srv, "user_balance_update", kv("u", "admin", "user_id", "2", "balance", "1e3")), "<balance>1037.5</balance>")
	assert.Contains(t, call(t, srv, "user_balance_update", kv("u", "reseller", "user_id", "5", "balance", "+7.25")), "<balance>7.25</balance>")
	// A caller whose currency is EUR at 0.9: the delta is in EUR.
	require.True(t, srv.UpdateUser(2, func(u *mortest.User) { u.Balance = "40" }))
	require.True(t, srv.UpdateUser(0, func(u *mortest.User) { u.CurrencyID = 2 }))
	body := call(t, srv, "user_balance_update", kv("u", "admin", "user_id", "2", "balance", "-2.5"))
	assert.Equal(t, "37.22222222222222", balanceOf(t, srv, 2))
	assert.Contains(t, body, "<balance>33.499999999999998</balance>", "16 digits or shortest: the choice made")
}

func TestBalanceReaders(t *testing.T) {
	srv := moneyWorld(t)
	require.True(t, srv.UpdateUser(2, func(u *mortest.User) { u.CurrencyID = 2 }))
	get := func(p ...string) string { return call(t, srv, "user_balance_get", kv(p...)) }
	assert.Equal(t, fixture(t, "user_balance_get_user_currency.xml"), get("username", "user_admin", "user_currency", "1"))
	assert.Equal(t, fixture(t, "user_balance_get_success.xml"), get("username", "user_admin"))
	assert.Equal(t, fixture(t, "user_balance_get_success.xml"), get("username", "user_admin", "currency", "XYZ"))
	assert.Contains(t, get("username", "user_admin", "currency", " eur "), "<balance>36.00</balance>")
	assert.NotContains(t, get("username", "user_admin", "currency", "user"), "<currency>")
	assert.Equal(t, fixture(t, "user_balance_get_user_not_found.xml"), get("username", "nobody"))
	// The hash is the target's API owner's: a wrong one is refused.
	_, body := post(t, srv, "/billing/api/balance", kv("username", "user_admin", "hash", "0"))
	assert.Equal(t, shapeA("Incorrect hash"), body)

	_, body = post(t, srv, "/billing/api/user_simple_balance_get/qg2audn8qa", nil)
	assert.Equal(t, "0.00", body)
	require.True(t, srv.UpdateUser(3, func(u *mortest.User) { u.Balance = "40" }))
	_, body = post(t, srv, "/billing/api/simple_balance/qg2audn8qa", nil)
	assert.Equal(t, fixture(t, "user_simple_balance_get_success.txt"), body)
	_, body = post(t, srv, "/billing/api/simple_balance/qg2audn8qa", kv("currency", "eur"))
	assert.Equal(t, "36.00", body)
	_, body = post(t, srv, "/billing/api/simple_balance", kv("id", "nope"))
	assert.Equal(t, fixture(t, "user_simple_balance_get_user_not_found.txt"), body)
	_, body = post(t, srv, "/billing/api/user_balance_get_by_psw/vauvszef", nil)
	assert.Equal(t, "40.00", body)
	_, body = post(t, srv, "/billing/api/user_balance_get_by_psw/unwuqmkw", nil)
	assert.Equal(t, "", body, "a provider device: the server crashes")
	_, body = post(t, srv, "/billing/api/user_balance_get_by_username/101", kv("currency", "EUR"))
	assert.Equal(t, "36.00", body)
	_, body = post(t, srv, "/billing/api/user_balance_get_by_username/test", nil)
	assert.Equal(t, "User was not found", body)

	srv.SetConfline(0, "Devices_Check_Ballance", mortest.Confline{Value: "0"})
	assert.Equal(t, fixture(t, "user_balance_get_feature_disabled.xml"), get("username", "user_admin"))
	_, body = post(t, srv, "/billing/api/user_balance_get_by_psw/vauvszef", nil)
	assert.Equal(t, fixture(t, "user_simple_balance_get_feature_disabled.txt"), body)
	srv.SetSettings(3, mortest.Settings{})
	srv.SetSettings(0, mortest.Settings{})
	_, body = post(t, srv, "/billing/api/user_simple_balance_get/qg2audn8qa", nil)
	assert.Equal(t, fixture(t, "user_simple_balance_get_api_disabled.xml"), body)
}

func TestVoucherUse(t *testing.T) {
	srv := moneyWorld(t)
	srv.AddPayment(mortest.Payment{ID: 10, Currency: "USD", DateAdded: fixedAt})
	till := fixedAt.Add(time.Hour)
	srv.AddVoucher(mortest.Voucher{ID: 2, Number: "5550001", CreditWithVAT: "12.1", Currency: "USD", Active: true, TaxID: 7, ActiveTill: &till})
	use := func(p ...string) string { return call(t, srv, "voucher_use", kv(p...)) }
	assert.Equal(t, fixture(t, "voucher_use_disabled.xml"), use("u", "user_admin", "voucher_number", "5550001"))
	srv.SetConfline(0, "Vouchers_Enabled", mortest.Confline{Value: "1"})
	for _, u := range []string{"reseller", "accountant", "user_reseller", "ghost"} {
		assert.Equal(t, fixture(t, "voucher_use_access_denied.xml"), use("u", u, "voucher_number", "5550001"), u)
	}
	assert.Equal(t, fixture(t, "voucher_use_not_found.xml"), use("u", "user_admin", "voucher_number", "1234567890"), "already used")
	assert.Equal(t, fixture(t, "voucher_use_user_not_found.xml"), use("u", "admin", "voucher_number", "5550001", "user_id", "5"))
	assert.Equal(t, fixture(t, "voucher_use_success.xml"), use("u", "user_admin", "voucher_number", "5550001"))
	assert.Equal(t, "50", balanceOf(t, srv, 2))
	v, _ := srv.Voucher(2)
	assert.Equal(t, int64(2), v.UserID)
	require.NotNil(t, v.UseDate)
	require.NotNil(t, v.PaymentID)
	p, _ := srv.Payment(*v.PaymentID)
	assert.Equal(t, "voucher", p.PaymentType)
	// Single use: the retry answers "not found", like a typo.
	assert.Equal(t, fixture(t, "voucher_use_not_found.xml"), use("u", "user_admin", "voucher_number", "5550001"))
	assert.Equal(t, "50", balanceOf(t, srv, 2))
}
