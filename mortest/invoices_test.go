package mortest_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

func vilnius(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Vilnius")
	require.NoError(t, err)
	return loc
}

// moneyServer is the spec world in Vilnius with the clock at 2018-01-22
// 12:00 (a 31-day month with 10 days left, today included) and prices
// printed with 2 decimals.
func moneyServer(t *testing.T) *mortest.Server {
	t.Helper()
	loc := vilnius(t)
	now := time.Date(2018, 1, 22, 12, 0, 0, 0, loc)
	srv := mortest.NewServer(mortest.WithSpecWorld(), mortest.WithLocation(loc), mortest.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	srv.SetConfline(0, "Nice_Number_Digits", mortest.Confline{Value: "2"})
	return srv
}

// userPayments are the users' payments: every payment but the dump's nine
// calling-card payments the spec world seeds.
func userPayments(srv *mortest.Server) []mortest.Payment {
	var out []mortest.Payment
	for _, p := range srv.Payments() {
		if p.Card == 0 {
			out = append(out, p)
		}
	}
	return out
}

// The SDK's recorded money replies come out of the fake byte for byte.
func TestFakeReproducesMoneyFixtures(t *testing.T) {
	loc := vilnius(t)
	seedInvoice := func(srv *mortest.Server) {
		pay := srv.AddPayment(mortest.Payment{})
		srv.RemovePayment(pay)
		srv.AddInvoice(mortest.Invoice{ID: 1, UserID: 2, Number: "INV-7", PeriodStart: time.Date(2018, 1, 1, 0, 0, 0, 0, loc),
			PeriodEnd: time.Date(2018, 1, 31, 0, 0, 0, 0, loc), IssueDate: time.Date(2018, 2, 1, 0, 0, 0, 0, loc),
			Lines: []mortest.InvoiceLine{{Name: "Calls", Quantity: 12, Price: "3.6"}}})
		u, _ := srv.User(2)
		u.AgreementNumber, u.ClientID = nil, nil
		srv.AddUser(u)
	}
	note := func(srv *mortest.Server) {
		srv.AddTax(mortest.Tax{ID: 9, Tax1Value: "21"})
		n, c := int64(7), "refund"
		srv.AddCreditNote(mortest.CreditNote{UserID: 2, TaxID: 9, IssueDate: time.Date(2018, 1, 1, 2, 0, 0, 0, loc),
			Number: &n, Comment: &c, Price: "10", PriceWithVAT: "12.1", Status: "unpaid"})
	}
	eur := func(srv *mortest.Server) {
		srv.AddCurrency(mortest.Currency{ID: 2, Name: "EUR", ExchangeRate: "0.9"})
		gross, tax := mortest.Decimal("121"), mortest.Decimal("21")
		srv.AddPayment(mortest.Payment{UserID: 2, PaymentType: "manual", Amount: "121", Gross: &gross, Tax: &tax,
			Currency: "EUR", DateAdded: time.Date(2018, 1, 10, 10, 0, 0, 0, loc), Completed: true})
	}
	prepaid := func(balance mortest.Decimal) func(srv *mortest.Server) {
		return func(srv *mortest.Server) {
			srv.UpdateUser(2, func(u *mortest.User) { u.Postpaid, u.Balance = false, balance })
		}
	}
	for _, tc := range []struct {
		fixture string
		setup   func(*mortest.Server)
		method  string
		params  url.Values
	}{
		{"invoices_get_success", seedInvoice, "invoices_get", kv("u", "admin", "from", "1514764800", "till", "1517356800")},
		{"invoices_get_none", nil, "invoices_get", kv("u", "admin")},
		{"invoices_get_user_not_found", nil, "invoices_get", kv("u", "ghost")},
		{"credit_notes_get_success", note, "credit_notes_get", kv("u", "admin", "user_id", "2")},
		{"credit_notes_get_not_found", nil, "credit_notes_get", kv("u", "admin")},
		{"credit_notes_get_bad_login", nil, "credit_notes_get", kv("u", "user_admin")},
		{"credit_note_create_success", nil, "credit_note_create", kv("u", "admin", "user_id", "2", "issue_date", "1514764800", "price", "10")},
		{"credit_note_create_user_not_found", nil, "credit_note_create", kv("u", "admin", "user_id", "5", "issue_date", "1")},
		{"credit_note_update_success", note, "credit_note_update", kv("u", "admin", "credit_note_id", "1", "status", "paid")},
		{"credit_note_delete_success", note, "credit_note_delete", kv("u", "admin", "credit_note_id", "1")},
		{"financial_statements_get_success", eur, "financial_statements_get",
			kv("u", "admin", "user_id", "2", "status", "all", "date_from", "1514764800", "date_till", "1517443199")},
		{"financial_statements_get_access_denied", nil, "financial_statements_get", kv("u", "reseller", "user_id", "2")},
		{"services_get_success", nil, "services_get", kv("u", "admin")},
		{"services_get_access_denied", nil, "services_get", kv("u", "user_admin")},
		{"services_get_none", func(srv *mortest.Server) { srv.RemoveService(1) }, "services_get", kv("u", "admin")},
		{"service_create_success", nil, "service_create", kv("u", "admin", "new_service_name", "Rent", "new_service_type", "periodic_fee")},
		{"service_create_no_name", nil, "service_create", kv("u", "admin", "new_service_type", "periodic_fee")},
		{"service_update_success", nil, "service_update", kv("u", "admin", "service_id", "1", "new_service_name", "Rent2")},
		{"service_update_not_found", nil, "service_update", kv("u", "reseller", "service_id", "1")},
		{"service_delete_success", func(srv *mortest.Server) { srv.RemoveSubscription(1) }, "service_delete", kv("u", "admin", "service_id", "1")},
		{"service_delete_in_use", nil, "service_delete", kv("u", "admin", "service_id", "1")},
		{"subscriptions_get_success", nil, "subscriptions_get", kv("u", "admin")},
		{"subscriptions_get_none", nil, "subscriptions_get", kv("u", "reseller")},
		{"subscription_create_success", nil, "subscription_create",
			kv("u", "admin", "user_id", "2", "service_id", "1", "subscription_until_canceled", "1")},
		{"subscription_create_insufficient_balance", prepaid("1"), "subscription_create",
			kv("u", "admin", "user_id", "2", "service_id", "1", "subscription_until_canceled", "1")},
		{"subscription_create_bad_dates", nil, "subscription_create", kv("u", "admin", "user_id", "2", "service_id", "1")},
		{"subscription_update_success", nil, "subscription_update", kv("u", "admin", "subscription_id", "1", "subscription_memo", "x")},
		{"subscription_delete_success", nil, "subscription_delete", kv("u", "admin", "subscription_id", "1", "subscription_delete_action", "1")},
		{"subscription_delete_disabled", nil, "subscription_delete", kv("u", "admin", "subscription_id", "1", "subscription_delete_action", "2")},
		{"subscription_delete_refunded", prepaid("0"), "subscription_delete", kv("u", "admin", "subscription_id", "1", "subscription_delete_action", "3")},
		{"subscription_delete_not_found", nil, "subscription_delete", kv("u", "reseller", "subscription_id", "1", "subscription_delete_action", "1")},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			srv := moneyServer(t)
			if tc.setup != nil {
				tc.setup(srv)
			}
			assert.Equal(t, fixture(t, tc.fixture+".xml"), call(t, srv, tc.method, tc.params))
		})
	}
}

// The prepaid charge's worked example: balance 40 USD, a 10 USD monthly fee
// from now until cancelled, 10 of January's 31 days left → 10/31×10 is
// charged, the balance is 40 − 100/31, and a subscription payment with
// gross −100/31 is recorded.
func TestSubscriptionCreatePrepaidCharge(t *testing.T) {
	srv := moneyServer(t)
	srv.UpdateUser(2, func(u *mortest.User) { u.Postpaid, u.Balance = false, "40" })
	body := call(t, srv, "subscription_create", kv("u", "admin", "user_id", "2", "service_id", "1",
		"subscription_until_canceled", "1", "subscription_memo", " m-1 "))
	assert.Equal(t, fixture(t, "subscription_create_success.xml"), body)
	u, _ := srv.User(2)
	bal, ok := u.Balance.Rat()
	require.True(t, ok)
	want, _ := mortest.Decimal("36.77419354838709677419").Rat() // 40 − 100/31, to 20 decimals
	assert.Equal(t, want.FloatString(20), bal.FloatString(20))
	subs := srv.Subscriptions()
	require.Len(t, subs, 2)
	assert.Equal(t, "m-1", subs[1].Memo)
	assert.True(t, subs[1].ActivationEnd.IsZero())
	pays := userPayments(srv)
	require.Len(t, pays, 1)
	assert.Equal(t, "subscription", pays[0].PaymentType)
	assert.Equal(t, "USD", pays[0].Currency)
	require.NotNil(t, pays[0].Gross)
	assert.Equal(t, mortest.Decimal("-3.22580645161290322581"), *pays[0].Gross) // −100/31 to 20 decimals

	// A second, identical request subscribes and charges again: the API has
	// no idempotency key.
	call(t, srv, "subscription_create", kv("u", "admin", "user_id", "2", "service_id", "1",
		"subscription_until_canceled", "1", "subscription_memo", "m-1"))
	assert.Len(t, srv.Subscriptions(), 3)
	assert.Len(t, userPayments(srv), 2)
}

// credit_note_create stores the net price in the default currency and the
// gross with the user's tax copied; paying credits the balance once; paying
// again changes nothing; un-paying takes it back.
func TestCreditNoteLifecycle(t *testing.T) {
	srv := moneyServer(t)
	srv.AddTax(mortest.Tax{ID: 9, Tax1Value: "21"})
	srv.UpdateUser(2, func(u *mortest.User) { u.TaxID = 9 })
	require.Equal(t, fixture(t, "credit_note_create_success.xml"),
		call(t, srv, "credit_note_create", kv("u", "admin", "user_id", "2", "issue_date", "1514764800", "price", "10", "number", "7")))
	notes := srv.CreditNotes()
	require.Len(t, notes, 1)
	assert.Equal(t, mortest.Decimal("10"), notes[0].Price)
	assert.Equal(t, mortest.Decimal("12.1"), notes[0].PriceWithVAT)
	assert.Equal(t, "unpaid", notes[0].Status)
	assert.NotEqual(t, int64(9), notes[0].TaxID, "a private copy of the tax row")

	for range 2 {
		require.Equal(t, fixture(t, "credit_note_update_success.xml"),
			call(t, srv, "credit_note_update", kv("u", "admin", "credit_note_id", "1", "status", "paid")))
	}
	u, _ := srv.User(2)
	assert.Equal(t, mortest.Decimal("10"), u.Balance)
	require.Len(t, userPayments(srv), 1)
	assert.Equal(t, "credit note", userPayments(srv)[0].PaymentType)

	call(t, srv, "credit_note_update", kv("u", "admin", "credit_note_id", "1", "status", "unpaid"))
	u, _ = srv.User(2)
	assert.Equal(t, mortest.Decimal("0"), u.Balance)
	assert.Empty(t, userPayments(srv))

	// Delete, then a repeat: not found.
	call(t, srv, "credit_note_delete", kv("u", "admin", "credit_note_id", "1"))
	assert.Equal(t, shapeC("Credit note was not found"), call(t, srv, "credit_note_delete", kv("u", "admin", "credit_note_id", "1")))
}

// Roles: who may list services and subscriptions.
func TestServicesAndSubscriptionsRoles(t *testing.T) {
	srv := moneyServer(t)
	assert.Equal(t, shapeB("You are not authorized to manage Services"), call(t, srv, "services_get", kv("u", "accountant")))
	assert.Equal(t, shapeB("No Services found"), call(t, srv, "services_get", kv("u", "reseller")))
	assert.Equal(t, shapeB("Access Denied"), call(t, srv, "services_get", kv("u", "ghost")))
	assert.Equal(t, shapeB("You are not authorized to manage Subscriptions"), call(t, srv, "subscriptions_get", kv("u", "accountant")))
	assert.Equal(t, fixture(t, "subscriptions_get_success.xml"), call(t, srv, "subscriptions_get", kv("u", "user_admin")))
	assert.Equal(t, shapeB("Access Denied"), call(t, srv, "subscription_create", kv("u", "user_admin", "user_id", "2", "service_id", "1")))
	assert.Equal(t, shapeB("Service was not found"), call(t, srv, "subscription_create", kv("u", "reseller", "user_id", "5", "service_id", "1")))
	// service_delete with an unknown caller crashes (empty body).
	assert.Equal(t, "", call(t, srv, "service_delete", kv("u", "ghost", "service_id", "1")))
	// The memo filter is exact.
	assert.Equal(t, shapeB("No Subscriptions found"), call(t, srv, "subscriptions_get", kv("u", "admin", "subscription_memo", "Test")))
	assert.Equal(t, fixture(t, "subscriptions_get_success.xml"),
		call(t, srv, "subscriptions_get", kv("u", "admin", "subscription_memo", " Test_preriodic_service_memo ")))
}
