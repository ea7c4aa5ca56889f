package mortest_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// subscription_create's checks, in order, each reached by fixing the ones
// before it.
func TestSubscriptionCreateCheckOrder(t *testing.T) {
	srv := moneyServer(t)
	for _, tc := range []struct {
		params []string
		want   string
	}{
		{[]string{"u", "user_admin"}, "Access Denied"},
		{[]string{"u", "accountant"}, "You are not authorized to use this functionality"},
		{[]string{"u", "admin"}, "Service was not selected"},
		{[]string{"u", "admin", "service_id", "99"}, "Service was not found"},
		{[]string{"u", "admin", "service_id", "1"}, "User was not selected"},
		{[]string{"u", "admin", "service_id", "1", "user_id", "99"}, "User was not found"},
		{[]string{"u", "admin", "service_id", "1", "user_id", "4"}, "Service cannot be subscribed to this User"},
		{[]string{"u", "admin", "service_id", "1", "user_id", "2", "subscription_activation_start", "x"},
			"Subscription activation start date must be valid timestamp"},
		{[]string{"u", "admin", "service_id", "1", "user_id", "2", "subscription_activation_end", "x"},
			"Subscription activation end date must be valid timestamp"},
		{[]string{"u", "admin", "service_id", "1", "user_id", "2", "subscription_activation_start", "1517443200",
			"subscription_activation_end", "1514764800"}, "Activation start date must be earlier than end date."},
		{[]string{"u", "admin", "service_id", "1", "user_id", "2", "subscription_until_canceled", "1",
			"subscription_no_expiration_at_the_end_of_a_month", "1"}, "Service is not flat rate"},
	} {
		assert.Equal(t, shapeB(tc.want), call(t, srv, "subscription_create", kv(tc.params...)), tc.want)
	}
	assert.Len(t, srv.Subscriptions(), 1, "nothing created")
	// The end check is skipped with until-cancelled.
	assert.Equal(t, fixture(t, "subscription_create_success.xml"), call(t, srv, "subscription_create",
		kv("u", "admin", "service_id", "1", "user_id", "2", "subscription_activation_end", "x", "subscription_until_canceled", "1")))
	// U2: the UTC wall clock is stored as server-local time.
	call(t, srv, "subscription_create", kv("u", "admin", "service_id", "1", "user_id", "2",
		"subscription_activation_start", "1514764800", "subscription_activation_end", "1517443200", "subscription_memo", "u2"))
	subs := srv.Subscriptions()
	last := subs[len(subs)-1]
	assert.Equal(t, "2018-01-01 00:00:00 +0200", last.ActivationStart.Format("2006-01-02 15:04:05 -0700"))
}

// subscription_delete: checks in order, then each action's effect.
func TestSubscriptionDeleteActions(t *testing.T) {
	srv := moneyServer(t)
	for _, tc := range []struct {
		params []string
		want   string
	}{
		{[]string{"u", "admin"}, "Subscription was not selected"},
		{[]string{"u", "admin", "subscription_id", "9"}, "Subscription was not found"},
		{[]string{"u", "admin", "subscription_id", "1"}, "Subscription delete action was not selected"},
		{[]string{"u", "admin", "subscription_id", "1", "subscription_delete_action", "4"}, "Subscription delete action was not found"},
	} {
		assert.Equal(t, shapeB(tc.want), call(t, srv, "subscription_delete", kv(tc.params...)), tc.want)
	}
	// The service gone.
	srv.AddService(mortest.Service{ID: 7, Name: "gone", Type: "periodic_fee", PeriodType: "month", Price: "1", Quantity: 1})
	srv.AddSubscription(mortest.Subscription{ID: 7, ServiceID: 7, UserID: 2, ActivationStart: time.Now()})
	srv.RemoveService(7)
	assert.Equal(t, shapeB("Subscription' Service was not found, please contact Administrator"),
		call(t, srv, "subscription_delete", kv("u", "admin", "subscription_id", "7", "subscription_delete_action", "1")))

	// Action 2 on a prepaid user's monthly fee: the rest of January (10 of
	// 31 days) comes back, 10/31×10, with a subscription payment.
	loc := vilnius(t)
	srv.UpdateUser(2, func(u *mortest.User) { u.Postpaid, u.Balance = false, "0" })
	srv.AddSubscription(mortest.Subscription{ID: 8, ServiceID: 1, UserID: 2, ActivationStart: time.Date(2018, 1, 1, 0, 0, 0, 0, loc)})
	assert.Equal(t, fixture(t, "subscription_delete_refunded.xml"),
		call(t, srv, "subscription_delete", kv("u", "admin", "subscription_id", "8", "subscription_delete_action", "2")))
	u, _ := srv.User(2)
	assert.Equal(t, mortest.Decimal("3.22580645161290322581"), u.Balance)
	require.Len(t, userPayments(srv), 1)
	// A repeat: gone.
	assert.Equal(t, shapeB("Subscription was not found"),
		call(t, srv, "subscription_delete", kv("u", "admin", "subscription_id", "8", "subscription_delete_action", "2")))

	// Action 3, prepaid: everything from the start (2018-01-01) to the end
	// of this month: 31 days of January = the whole 10.
	srv.UpdateUser(2, func(u *mortest.User) { u.Balance = "0" })
	srv.AddSubscription(mortest.Subscription{ID: 9, ServiceID: 1, UserID: 2, ActivationStart: time.Date(2018, 1, 1, 0, 0, 0, 0, loc)})
	call(t, srv, "subscription_delete", kv("u", "admin", "subscription_id", "9", "subscription_delete_action", "3"))
	u, _ = srv.User(2)
	assert.Equal(t, mortest.Decimal("10"), u.Balance)

	// Action 2 on a postpaid user: disabled, kept, end moved to now; again
	// moves it again.
	srv.UpdateUser(2, func(u *mortest.User) { u.Postpaid = true })
	assert.Equal(t, fixture(t, "subscription_delete_disabled.xml"),
		call(t, srv, "subscription_delete", kv("u", "admin", "subscription_id", "1", "subscription_delete_action", "2")))
	s, ok := srv.Subscription(1)
	require.True(t, ok)
	assert.Equal(t, time.Date(2018, 1, 22, 12, 0, 0, 0, loc), s.ActivationEnd.In(loc))
}

// service_create's validation chain, first failing message only.
func TestServiceCreateValidation(t *testing.T) {
	srv := moneyServer(t)
	for _, tc := range []struct {
		params []string
		want   string
	}{
		{[]string{"u", "admin", "new_service_type", "periodic_fee"}, shapeB("Service must have name")},
		{[]string{"u", "admin", "new_service_name", "x"}, shapeB("Service must have service type")},
		{[]string{"u", "admin", "new_service_name", "x", "new_service_type", "weekly"}, shapeB("Service Type is invalid")},
		{[]string{"u", "admin", "new_service_name", "x", "new_service_type", "flat_rate"}, shapeB("Flat Rate Service must have quantity")},
		{[]string{"u", "admin", "new_service_name", "x", "new_service_type", "flat_rate", "service_minutes_per_month", "a"},
			shapeB("Quantity must be numeric")},
		{[]string{"u", "admin", "new_service_name", "x", "new_service_type", "flat_rate", "service_minutes_per_month", "0"},
			shapeB("Quantity must be greater than zero")},
		{[]string{"u", "admin", "new_service_name", "x", "new_service_type", "one_time_fee", "service_sell_price", "1e3"},
			shapeB("Service Price must be numeric")},
		{[]string{"u", "admin", "new_service_name", "x", "new_service_type", "one_time_fee", "service_self_cost", "abc"},
			shapeB("Service Self Cost must be numeric")},
		{[]string{"u", "reseller", "new_service_name", "x", "new_service_type", "one_time_fee", "new_owner_id", "3"},
			render("page", "status", "errors", "Reseller was not found")},
		{[]string{"u", "user_admin"}, shapeB("Access Denied")},
		{[]string{"u", "accountant"}, shapeB("You are not authorized to use this functionality")},
	} {
		assert.Equal(t, tc.want, call(t, srv, "service_create", kv(tc.params...)), tc.params)
	}
	assert.Len(t, srv.Services(), 1)
	// 12,5 passes the format and is stored as 12; the period is forced to
	// month except for a daily periodic fee.
	call(t, srv, "service_create", kv("u", "admin", "new_service_name", "x", "new_service_type", "one_time_fee",
		"service_sell_price", "12,5", "service_period", "day"))
	svcs := srv.Services()
	require.Len(t, svcs, 2)
	assert.Equal(t, mortest.Decimal("12"), svcs[1].Price)
	assert.Equal(t, "month", svcs[1].PeriodType)
	// The reseller owns what it creates; an accountant with the right creates
	// the admin's.
	grant(srv, 4, map[string]mortest.Right{"services_manage": mortest.RightEdit})
	call(t, srv, "service_create", kv("u", "reseller", "new_service_name", "r", "new_service_type", "one_time_fee"))
	call(t, srv, "service_create", kv("u", "accountant", "new_service_name", "a", "new_service_type", "one_time_fee"))
	svcs = srv.Services()
	require.Len(t, svcs, 4)
	assert.Equal(t, int64(3), svcs[2].OwnerID)
	assert.Equal(t, int64(0), svcs[3].OwnerID)
}

func render(names ...string) string {
	// render("page","status","errors",TEXT) is shape G.
	return decl + "<" + names[0] + ">\n  <" + names[1] + ">\n    <" + names[2] + ">" + names[3] + "</" + names[2] + ">\n  </" +
		names[1] + ">\n</" + names[0] + ">\n"
}

// invoices_get: scope per role, the calls-group setting, the invoice's own
// rate, attribute escaping, and the inline switch (file, not test).
func TestInvoicesGet(t *testing.T) {
	srv := moneyServer(t)
	loc := vilnius(t)
	d := func(m time.Month, day int) time.Time { return time.Date(2018, m, day, 0, 0, 0, 0, loc) }
	pfx := "370"
	eur := "EUR"
	srv.UpdateUser(2, func(u *mortest.User) { a := `A&B "x"` + "\n"; u.AgreementNumber = &a })
	srv.AddInvoice(mortest.Invoice{ID: 1, UserID: 2, Number: "I-1", PeriodStart: d(1, 1), PeriodEnd: d(1, 31), IssueDate: d(2, 1),
		Lines: []mortest.InvoiceLine{{Name: "LT", Quantity: 5, Price: "1.005", Prefix: &pfx}, {Name: "LT2", Quantity: 7, Price: "2", Prefix: &pfx},
			{Name: "Rent", Quantity: 1, Price: "10"}}})
	srv.AddInvoice(mortest.Invoice{ID: 2, UserID: 5, Number: "I-2", PeriodStart: d(1, 1), PeriodEnd: d(1, 31), IssueDate: d(2, 1),
		InvoiceCurrency: &eur, InvoiceExchangeRate: "0.9", Lines: []mortest.InvoiceLine{{Name: "Rent", Quantity: 1, Price: "10"}}})
	win := []string{"from", "1514764800", "till", "1517356800"}

	body := call(t, srv, "invoices_get", kv(append([]string{"u", "admin"}, win...)...))
	assert.Contains(t, body, `agreementnumber="A&amp;B &quot;x&quot;&#10;"`)
	assert.Contains(t, body, "<Price>1.00</Price>", "1.005 rounds half to even")
	assert.NotContains(t, body, "I-2", "the admin sees the admin's users only")

	srv.SetConfline(0, "API_calls_group", mortest.Confline{Value: "2"})
	body = call(t, srv, "invoices_get", kv(append([]string{"u", "admin"}, win...)...))
	assert.Contains(t, body, "<Name>Calls</Name>\n      <Quantity>12.0</Quantity>\n      <Price>3.00</Price>", "3.005: half to even")
	assert.Contains(t, body, "<Name>Rent</Name>")
	assert.NotContains(t, body, "<Name>LT</Name>")

	body = call(t, srv, "invoices_get", kv(append([]string{"u", "reseller"}, win...)...))
	assert.Contains(t, body, `number="I-2"`)
	assert.Contains(t, body, "<Price>9.00</Price>", "the invoice's own rate")
	assert.NotContains(t, body, "I-1")

	assert.Equal(t, "<error>No Invoices found</error>\n", call(t, srv, "invoices_get", kv(append([]string{"u", "user_reseller", "till", "1"}, "from", "0")...)))

	// test is ignored; file=false answers inline.
	p := sign("invoices_get", kv("u", "admin", "test", "1"), mortest.SpecSecret)
	resp, _ := post(t, srv, "/billing/api/invoices_get", p)
	assert.Contains(t, resp.Header.Get("Content-Disposition"), "attachment")
	p = sign("invoices_get", kv("u", "admin", "file", "false"), mortest.SpecSecret)
	resp, _ = post(t, srv, "/billing/api/invoices", p)
	assert.Empty(t, resp.Header.Get("Content-Disposition"))
}

// The credit-note and statement rights of accountants and simple users.
func TestCreditNoteAndStatementRights(t *testing.T) {
	srv := moneyServer(t)
	assert.Equal(t, shapeC("Bad login"), call(t, srv, "credit_notes_get", kv("u", "accountant")))
	assert.Equal(t, shapeC("Bad login"), call(t, srv, "credit_note_create", kv("u", "user_admin", "user_id", "2")))
	assert.Equal(t, shapeC("Bad login"), call(t, srv, "financial_statements_get", kv("u", "accountant")))
	assert.Equal(t, shapeA("Bad login"), call(t, srv, "financial_statements_get", kv("u", "ghost")))
	grant(srv, 4, map[string]mortest.Right{"invoices_manage": mortest.RightRead, "can_see_finances": mortest.RightRead})
	assert.Equal(t, shapeC("Credit note was not found"), call(t, srv, "credit_notes_get", kv("u", "accountant")))
	assert.Equal(t, shapeC("Bad login"), call(t, srv, "credit_note_create", kv("u", "accountant", "user_id", "2")),
		"create needs see_financial_data edit too")
	assert.Equal(t, "", call(t, srv, "financial_statements_get", kv("u", "accountant")), "the server crashes")
	assert.Equal(t, shapeC("User was not found"), call(t, srv, "credit_note_create", kv("u", "admin", "user_id", "0", "issue_date", "1")))
	assert.Equal(t, shapeC("Credit note was not created"), call(t, srv, "credit_note_create", kv("u", "admin", "user_id", "2")))
	assert.Len(t, srv.CreditNotes(), 0)
	// A simple user's statement is its own whatever user_id says.
	assert.Contains(t, call(t, srv, "financial_statements_get", kv("u", "user_admin", "user_id", "5")), "<financial_statement currency=\"USD\">")
}

// The caller-currency accessors: prices are shown as stored × the caller's
// rate and stored as sent ÷ it; subscriptions_get shows the stored price.
func TestCallerCurrencyConversion(t *testing.T) {
	srv := moneyServer(t)
	srv.AddCurrency(mortest.Currency{ID: 2, Name: "EUR", ExchangeRate: "0.9"})
	srv.UpdateUser(0, func(u *mortest.User) { u.CurrencyID = 2 })
	body := call(t, srv, "services_get", kv("u", "admin"))
	assert.Contains(t, body, "<price>9.0</price>")
	assert.Contains(t, body, "<currency>USD</currency>", "the default currency's name, not the caller's")
	assert.Contains(t, call(t, srv, "subscriptions_get", kv("u", "admin")), "<price>10.0</price>")

	call(t, srv, "credit_note_create", kv("u", "admin", "user_id", "2", "issue_date", "1514764800", "price", "9"))
	n, ok := srv.CreditNote(1)
	require.True(t, ok)
	assert.Equal(t, mortest.Decimal("10"), n.Price, "stored in the default currency")
	assert.Contains(t, call(t, srv, "credit_notes_get", kv("u", "admin")), "<price>9.0</price>")

	// Paying credits the stored (default-currency) net price; the payment is
	// in the caller's currency.
	call(t, srv, "credit_note_update", kv("u", "admin", "credit_note_id", "1", "status", "paid"))
	u, _ := srv.User(2)
	assert.Equal(t, mortest.Decimal("10"), u.Balance)
	pays := userPayments(srv)
	require.Len(t, pays, 1)
	assert.Equal(t, "EUR", pays[0].Currency)
	assert.Equal(t, mortest.Decimal("9"), pays[0].Amount)

	// No currency row: the raw float and <self_cost/> for NULL.
	srv.UpdateUser(0, func(u *mortest.User) { u.CurrencyID = 99 })
	body = call(t, srv, "services_get", kv("u", "admin"))
	assert.Contains(t, body, "<price>10.0</price>\n      <self_cost/>")
}

// invoice_xlsx_generate needs no authentication at all: no user, no hash,
// GET allowed, even with the API switched off.
func TestInvoiceXLSXGenerateUnauthenticated(t *testing.T) {
	srv := moneyServer(t)
	srv.SetSettings(0, mortest.Settings{AllowAPI: false, Secret: mortest.SpecSecret})
	loc := vilnius(t)
	srv.AddInvoice(mortest.Invoice{ID: 3, UserID: 2, Number: "I-3", PeriodStart: time.Date(2018, 1, 1, 0, 0, 0, 0, loc)})
	_, body := post(t, srv, "/billing/api/invoice_xlsx_generate", kv("invoice_id", "3"))
	assert.Equal(t, render("page", "status", "success", "XLSX file successfully created"), body)
	resp, err := http.Get(srv.URL + "/billing/api/invoice_xlsx_generate?invoice_id=4")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	assert.Equal(t, shapeB("Invoice was not found"), string(b))
}
