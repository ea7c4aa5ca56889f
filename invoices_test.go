package mor_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// replyClient is a client whose every request is answered with body; the
// requests' forms are recorded.
func bodyClient(t *testing.T, body string) (*mor.Client, *[]url.Values) {
	t.Helper()
	var sent []url.Values
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		require.NoError(t, req.ParseForm())
		sent = append(sent, req.PostForm)
		return httpmock.NewStringResponse(200, body), nil
	})
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", mortest.SpecSecret,
		mor.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	return c, &sent
}

func recorded(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "replies", name+".xml"))
	require.NoError(t, err)
	return string(b)
}

// Recorded replies decode exactly as the server formats them.
func TestInvoicesRecordedReplies(t *testing.T) {
	ctx := context.Background()
	t.Run("invoices", func(t *testing.T) {
		c, sent := bodyClient(t, recorded(t, "invoices_get_success"))
		from := time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
		inv, err := c.Invoices.List(ctx, mor.InvoicesParams{From: from, Till: from.AddDate(0, 1, -1), Currency: "EUR"})
		require.NoError(t, err)
		require.Len(t, inv, 1)
		assert.Equal(t, int64(2), inv[0].UserID)
		assert.Equal(t, "INV-7", inv[0].Number)
		require.Len(t, inv[0].Products, 1)
		p := inv[0].Products[0]
		assert.Equal(t, "Calls", p.Name)
		assert.Equal(t, "12", p.Quantity.String())
		assert.Equal(t, "3.60", p.Price.Amount.String(), "kept as the server wrote it")
		assert.Equal(t, "EUR", p.Price.Currency)
		assert.True(t, p.DateAdded.IsZero())
		assert.Equal(t, "2018-02-01", p.IssueDate.Format(time.DateOnly))
		form := (*sent)[0]
		assert.Equal(t, "false", form.Get("file"), "invoices_get ignores test: file=false asks for an inline reply")
		assert.Equal(t, "1514764800", form.Get("from"))
		assert.Equal(t, "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4", form.Get("hash"), "secret only")
	})
	t.Run("invoices none", func(t *testing.T) {
		c, _ := bodyClient(t, recorded(t, "invoices_get_none"))
		inv, err := c.Invoices.List(ctx, mor.InvoicesParams{})
		require.NoError(t, err)
		assert.NotNil(t, inv)
		assert.Empty(t, inv)
	})
	t.Run("invoices unknown user", func(t *testing.T) {
		c, _ := bodyClient(t, recorded(t, "invoices_get_user_not_found"))
		_, err := c.Invoices.List(ctx, mor.InvoicesParams{})
		assert.ErrorIs(t, err, mor.ErrUserNotFound)
	})
	t.Run("invoices bad price names its element", func(t *testing.T) {
		c, _ := bodyClient(t, strings.Replace(recorded(t, "invoices_get_success"), "3.60", "3,60", 1))
		_, err := c.Invoices.List(ctx, mor.InvoicesParams{})
		var pe *mor.ParseError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, pe.Error(), "Price")
	})
	t.Run("invoices missing quantity", func(t *testing.T) {
		c, _ := bodyClient(t, strings.Replace(recorded(t, "invoices_get_success"), "<Quantity>12</Quantity>", "", 1))
		_, err := c.Invoices.List(ctx, mor.InvoicesParams{})
		assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
	})
	t.Run("credit notes", func(t *testing.T) {
		c, sent := bodyClient(t, recorded(t, "credit_notes_get_success"))
		notes, err := c.CreditNotes.List(ctx, mor.CreditNotesParams{UserID: 2, Currency: "USD"})
		require.NoError(t, err)
		require.Len(t, notes, 1)
		n := notes[0]
		assert.Equal(t, int64(7), n.Number)
		assert.Equal(t, "refund", n.Comment)
		assert.True(t, n.PricesShown)
		assert.Equal(t, "10.0 USD", n.Price.Amount.String()+" "+n.Price.Currency)
		assert.Equal(t, "12.1", n.PriceWithVAT.Amount.String())
		assert.Nil(t, n.PayDate)
		assert.Equal(t, "2018-01-01 02:00:00 +0200", n.IssueDate.Format("2006-01-02 15:04:05 -0700"))
		assert.Equal(t, "38282ca5e65e63746498ef5b39a2fe71c6448df4", (*sent)[0].Get("hash"))
	})
	t.Run("credit notes none, bad login", func(t *testing.T) {
		c, _ := bodyClient(t, recorded(t, "credit_notes_get_not_found"))
		notes, err := c.CreditNotes.List(ctx, mor.CreditNotesParams{})
		require.NoError(t, err)
		assert.Empty(t, notes)
		c, _ = bodyClient(t, recorded(t, "credit_notes_get_bad_login"))
		_, err = c.CreditNotes.List(ctx, mor.CreditNotesParams{})
		assert.ErrorIs(t, err, mor.ErrBadLogin)
	})
	t.Run("statement", func(t *testing.T) {
		c, sent := bodyClient(t, recorded(t, "financial_statements_get_success"))
		fs, err := c.Statements.Get(ctx, mor.StatementsParams{UserID: 2, Status: mor.StatementAll,
			From: time.Unix(1514764800, 0), Till: time.Unix(1517443199, 0)})
		require.NoError(t, err)
		assert.Equal(t, "USD", fs.Currency)
		require.Len(t, fs.Statements, 4)
		p := fs.Statements[2]
		assert.Equal(t, "payments", p.Type)
		assert.Equal(t, "paid", p.Status)
		assert.Equal(t, int64(1), p.Count)
		assert.Equal(t, "111.11 USD", p.Price.String())
		assert.Equal(t, "134.44 USD", p.PriceWithVAT.String())
		assert.Equal(t, "5069278c048874705570eee8b7a4397510ba70e5", (*sent)[0].Get("hash"))
	})
	t.Run("services", func(t *testing.T) {
		c, _ := bodyClient(t, recorded(t, "services_get_success"))
		svcs, err := c.Services.List(ctx)
		require.NoError(t, err)
		require.Len(t, svcs, 1)
		s := svcs[0]
		assert.Equal(t, mor.ServicePeriodicFee, s.Type)
		assert.Equal(t, "10.0 USD", s.Price.Amount.String()+" "+s.Price.Currency)
		assert.Equal(t, "0.0 USD", s.SelfCost.Amount.String()+" "+s.SelfCost.Currency)
		assert.True(t, s.PricesShown)
		assert.Equal(t, int64(1), s.Quantity)
	})
	t.Run("service update shape G", func(t *testing.T) {
		c, _ := bodyClient(t, recorded(t, "service_update_not_found"))
		err := c.Services.Update(ctx, 1, mor.ServiceParams{Name: "Rent2"})
		assert.ErrorIs(t, err, mor.ErrServiceNotFound)
		var ae *mor.APIError
		require.ErrorAs(t, err, &ae)
		assert.False(t, mor.InDoubt(err))
	})
	t.Run("subscriptions", func(t *testing.T) {
		c, _ := bodyClient(t, recorded(t, "subscriptions_get_success"))
		subs, err := c.Subscriptions.List(ctx, mor.SubscriptionsParams{Currency: "USD"})
		require.NoError(t, err)
		require.Len(t, subs, 1)
		s := subs[0]
		assert.Equal(t, "Test User #1", s.User)
		assert.Equal(t, "2009-03-22 09:25:00 +0200", s.From.Format("2006-01-02 15:04:05 -0700"))
		require.NotNil(t, s.Till)
		assert.Equal(t, "2017-07-22 09:25:00 +0300", s.Till.Format("2006-01-02 15:04:05 -0700"))
		assert.Nil(t, s.TimeLeft)
		assert.Equal(t, "10.0 USD", s.Price.Amount.String()+" "+s.Price.Currency)
		assert.Equal(t, int64(2), s.UserID)
	})
	t.Run("delete results", func(t *testing.T) {
		for name, want := range map[string]mor.SubscriptionDeleteResult{
			"subscription_delete_success": mor.SubscriptionDeleted, "subscription_delete_disabled": mor.SubscriptionDisabled,
			"subscription_delete_refunded": mor.SubscriptionMoneyReturned,
		} {
			c, sent := bodyClient(t, recorded(t, name))
			got, err := c.Subscriptions.Delete(ctx, 1, mor.SubscriptionRefundRest)
			require.NoError(t, err)
			assert.Equal(t, want, got)
			assert.Equal(t, "2", (*sent)[0].Get("subscription_delete_action"))
		}
		c, _ := bodyClient(t, recorded(t, "subscription_delete_not_found"))
		_, err := c.Subscriptions.Delete(ctx, 1, mor.SubscriptionDelete)
		assert.ErrorIs(t, err, mor.ErrSubscriptionNotFound)
	})
	t.Run("a write's success text is checked", func(t *testing.T) {
		c, _ := bodyClient(t, recorded(t, "service_create_success"))
		err := c.Subscriptions.Create(ctx, mor.SubscriptionParams{UserID: 2, ServiceID: 1, UntilCanceled: true, Memo: "m"})
		assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
		assert.True(t, mor.InDoubt(err))
		assert.Contains(t, err.Error(), `Subscriptions.Find(user 2, service 1, memo "m")`)
	})
	t.Run("subscription create sends the wall clock", func(t *testing.T) {
		c, sent := bodyClient(t, recorded(t, "subscription_create_success"))
		vil := time.FixedZone("EET", 2*3600)
		require.NoError(t, c.Subscriptions.Create(ctx, mor.SubscriptionParams{UserID: 2, ServiceID: 1, Memo: "m",
			ActivationStart: time.Date(2018, 1, 1, 0, 0, 0, 0, vil), ActivationEnd: time.Date(2018, 2, 1, 0, 0, 0, 0, vil)}))
		f := (*sent)[0]
		assert.Equal(t, "1514764800", f.Get("subscription_activation_start"))
		assert.Equal(t, "bb3b61b28670cf45e86cd4e72841305a61bb9783", f.Get("hash"))
	})
}

// Local checks fail before any I/O with a *ValidationError.
func TestInvoicesValidation(t *testing.T) {
	c, sent := bodyClient(t, "")
	ctx := context.Background()
	for name, err := range map[string]error{
		"credit note no user":     c.CreditNotes.Create(ctx, mor.CreateCreditNoteParams{IssueDate: time.Now()}),
		"credit note no date":     c.CreditNotes.Create(ctx, mor.CreateCreditNoteParams{UserID: 2}),
		"credit note bad status":  c.CreditNotes.Update(ctx, mor.UpdateCreditNoteParams{ID: 1, Status: "done"}),
		"credit note nothing":     c.CreditNotes.Update(ctx, mor.UpdateCreditNoteParams{ID: 1}),
		"service no name":         c.Services.Create(ctx, mor.ServiceParams{Type: mor.ServiceOneTimeFee}),
		"service bad type":        c.Services.Create(ctx, mor.ServiceParams{Name: "x", Type: "weekly"}),
		"flat rate no minutes":    c.Services.Create(ctx, mor.ServiceParams{Name: "x", Type: mor.ServiceFlatRate}),
		"subscription no service": c.Subscriptions.Create(ctx, mor.SubscriptionParams{UserID: 2}),
		"subscription dates": c.Subscriptions.Create(ctx, mor.SubscriptionParams{UserID: 2, ServiceID: 1,
			ActivationStart: time.Now(), ActivationEnd: time.Now().Add(-time.Hour)}),
		"memo quote": rangeErr(t, c.Subscriptions.All(ctx, mor.SubscriptionsParams{Memo: "o'brien"})),
	} {
		var ve *mor.ValidationError
		assert.ErrorAs(t, err, &ve, name)
		assert.False(t, mor.InDoubt(err), name)
	}
	_, err := c.Subscriptions.Delete(ctx, 1, 4)
	var ve *mor.ValidationError
	assert.ErrorAs(t, err, &ve)
	_, err = c.Subscriptions.Find(ctx, 2, 1, "  ")
	assert.ErrorAs(t, err, &ve)
	assert.Empty(t, *sent)
}

// End to end against the fake, in every role.
func TestInvoicesEndToEnd(t *testing.T) {
	ctx := context.Background()
	t.Run("admin: services and subscriptions", func(t *testing.T) {
		c, srv := setup(t, roleAdmin)
		price := dec(t, "12.5")
		require.NoError(t, c.Services.Create(ctx, mor.ServiceParams{Name: "Rent", Type: mor.ServicePeriodicFee, Price: &price}))
		svcs, err := c.Services.List(ctx)
		require.NoError(t, err)
		require.Len(t, svcs, 2)
		assert.Equal(t, "12.5", svcs[1].Price.Amount.String())
		require.NoError(t, c.Services.Update(ctx, svcs[1].ID, mor.ServiceParams{Name: "Rent2"}))
		got, _ := srv.Service(svcs[1].ID)
		assert.Equal(t, "Rent2", got.Name)

		require.NoError(t, c.Subscriptions.Create(ctx, mor.SubscriptionParams{UserID: 2, ServiceID: svcs[1].ID,
			UntilCanceled: true, Memo: "order-42"}))
		sub, err := c.Subscriptions.Find(ctx, 2, svcs[1].ID, "order-42")
		require.NoError(t, err)
		assert.Nil(t, sub.Till)
		assert.Equal(t, "Rent2", sub.Service)
		_, err = c.Subscriptions.Find(ctx, 2, svcs[1].ID, "order-43")
		assert.ErrorIs(t, err, mor.ErrSubscriptionNotFound)

		memo := "renamed"
		require.NoError(t, c.Subscriptions.Update(ctx, sub.ID, mor.SubscriptionParams{Memo: memo}))
		assert.ErrorIs(t, c.Services.Delete(ctx, svcs[1].ID), mor.ErrServiceInUse)
		res, err := c.Subscriptions.Delete(ctx, sub.ID, mor.SubscriptionDelete)
		require.NoError(t, err)
		assert.Equal(t, mor.SubscriptionDeleted, res)
		_, err = c.Subscriptions.Delete(ctx, sub.ID, mor.SubscriptionDelete)
		assert.ErrorIs(t, err, mor.ErrSubscriptionNotFound)
		require.NoError(t, c.Services.Delete(ctx, svcs[1].ID))
		assert.ErrorIs(t, c.Services.Delete(ctx, svcs[1].ID), mor.ErrServiceNotFound)

		all := 0
		for s, err := range c.Subscriptions.All(ctx, mor.SubscriptionsParams{}) {
			require.NoError(t, err)
			assert.Equal(t, int64(1), s.ID)
			all++
		}
		assert.Equal(t, 1, all)
	})
	t.Run("admin: credit notes and statements", func(t *testing.T) {
		c, srv := setup(t, roleAdmin)
		srv.AddTax(mortest.Tax{ID: 9, Tax1Value: "21"})
		srv.UpdateUser(2, func(u *mortest.User) { u.TaxID = 9 })
		require.NoError(t, c.CreditNotes.Create(ctx, mor.CreateCreditNoteParams{UserID: 2, IssueDate: time.Now(),
			Price: dec(t, "10"), Number: 7, Comment: "refund"}))
		n, err := c.CreditNotes.FindByNumber(ctx, 2, 7)
		require.NoError(t, err)
		assert.Equal(t, "12.1", n.PriceWithVAT.Amount.String())
		_, err = c.CreditNotes.FindByNumber(ctx, 2, 8)
		assert.ErrorIs(t, err, mor.ErrCreditNoteNotFound)
		require.NoError(t, c.CreditNotes.Update(ctx, mor.UpdateCreditNoteParams{ID: 1, Status: mor.CreditNotePaid}))
		u, _ := srv.User(2)
		assert.Equal(t, mortest.Decimal("10"), u.Balance)

		fs, err := c.Statements.Get(ctx, mor.StatementsParams{UserID: 2})
		require.NoError(t, err)
		kinds := map[string]int{}
		for _, s := range fs.Statements {
			kinds[s.Type]++
			assert.Equal(t, "USD", s.Price.Currency)
		}
		assert.Equal(t, map[string]int{"invoices": 2, "credit_notes": 1, "payments": 2}, kinds)

		require.NoError(t, c.CreditNotes.Delete(ctx, 1))
		assert.ErrorIs(t, c.CreditNotes.Delete(ctx, 1), mor.ErrCreditNoteNotFound)
		inv, err := c.Invoices.List(ctx, mor.InvoicesParams{})
		require.NoError(t, err)
		assert.Empty(t, inv)
	})
	for _, tc := range []struct {
		role          string
		services      error
		subscriptions error
		creditNotes   error
	}{
		{roleAdmin, nil, nil, nil},
		{roleReseller, nil, nil, nil}, // its own services: none; empty lists
		{roleAccountant, mor.ErrNotAuthorized, mor.ErrNotAuthorized, mor.ErrBadLogin},
		{roleUser, mor.ErrAccessDenied, nil, mor.ErrBadLogin},
	} {
		t.Run("role "+tc.role, func(t *testing.T) {
			c, _ := setup(t, tc.role)
			_, err := c.Services.List(ctx)
			assertErr(t, tc.services, err)
			_, err = c.Subscriptions.List(ctx, mor.SubscriptionsParams{})
			assertErr(t, tc.subscriptions, err)
			_, err = c.CreditNotes.List(ctx, mor.CreditNotesParams{})
			assertErr(t, tc.creditNotes, err)
		})
	}
}

func assertErr(t *testing.T, want, err error) {
	t.Helper()
	if want == nil {
		assert.NoError(t, err)
		return
	}
	assert.ErrorIs(t, err, want)
}

func TestInvoicesFailurePaths(t *testing.T) {
	price := mor.NewDecimal(1, 0)
	calls := map[string]func(ctx context.Context, c *mor.Client) error{
		"Invoices.List": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Invoices.List(ctx, mor.InvoicesParams{})
			return err
		},
		"Invoices.All": func(ctx context.Context, c *mor.Client) error {
			return rangeErr(t, c.Invoices.All(ctx, mor.InvoicesParams{}))
		},
		"CreditNotes.List": func(ctx context.Context, c *mor.Client) error {
			_, err := c.CreditNotes.List(ctx, mor.CreditNotesParams{})
			return err
		},
		"CreditNotes.Create": func(ctx context.Context, c *mor.Client) error {
			return c.CreditNotes.Create(ctx, mor.CreateCreditNoteParams{UserID: 2, IssueDate: time.Now(), Price: price})
		},
		"CreditNotes.Update": func(ctx context.Context, c *mor.Client) error {
			return c.CreditNotes.Update(ctx, mor.UpdateCreditNoteParams{ID: 1, Status: mor.CreditNotePaid})
		},
		"CreditNotes.Delete": func(ctx context.Context, c *mor.Client) error { return c.CreditNotes.Delete(ctx, 1) },
		"Statements.Get": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Statements.Get(ctx, mor.StatementsParams{})
			return err
		},
		"Services.List": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Services.List(ctx)
			return err
		},
		"Services.Create": func(ctx context.Context, c *mor.Client) error {
			return c.Services.Create(ctx, mor.ServiceParams{Name: "x", Type: mor.ServiceOneTimeFee})
		},
		"Services.Update": func(ctx context.Context, c *mor.Client) error {
			return c.Services.Update(ctx, 1, mor.ServiceParams{Name: "x"})
		},
		"Services.Delete": func(ctx context.Context, c *mor.Client) error { return c.Services.Delete(ctx, 1) },
		"Subscriptions.All": func(ctx context.Context, c *mor.Client) error {
			return rangeErr(t, c.Subscriptions.All(ctx, mor.SubscriptionsParams{}))
		},
		"Subscriptions.Create": func(ctx context.Context, c *mor.Client) error {
			return c.Subscriptions.Create(ctx, mor.SubscriptionParams{UserID: 2, ServiceID: 1, UntilCanceled: true, Memo: "m"})
		},
		"Subscriptions.Update": func(ctx context.Context, c *mor.Client) error {
			return c.Subscriptions.Update(ctx, 1, mor.SubscriptionParams{Memo: "m"})
		},
		"Subscriptions.Delete": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Subscriptions.Delete(ctx, 1, mor.SubscriptionDelete)
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { testFailurePaths(t, call) })
	}
}

// TestMoneyCallsNeverSentTwice: every write of this group, the money-moving
// ones above all, reaches the server exactly once per call under
// WithRetries when the connection is dropped after the request was written
// (on a reused keep-alive connection, where net/http would replay an
// idempotent request), and the error is in doubt and says what to check.
func TestInvoicesCallsNeverSentTwice(t *testing.T) {
	type write struct {
		method string
		call   func(ctx context.Context, c *mor.Client) error
		check  string // what the in-doubt error must tell
	}
	writes := []write{
		{"subscription_create", func(ctx context.Context, c *mor.Client) error {
			return c.Subscriptions.Create(ctx, mor.SubscriptionParams{UserID: 2, ServiceID: 1, UntilCanceled: true, Memo: "order-1"})
		}, `Subscriptions.Find(user 2, service 1, memo "order-1")`},
		{"subscription_delete", func(ctx context.Context, c *mor.Client) error {
			_, err := c.Subscriptions.Delete(ctx, 1, mor.SubscriptionRefundAll)
			return err
		}, "Subscriptions.List"},
		{"credit_note_update", func(ctx context.Context, c *mor.Client) error {
			return c.CreditNotes.Update(ctx, mor.UpdateCreditNoteParams{ID: 1, Status: mor.CreditNotePaid})
		}, "not paid twice"},
		{"credit_note_create", func(ctx context.Context, c *mor.Client) error {
			return c.CreditNotes.Create(ctx, mor.CreateCreditNoteParams{UserID: 2, IssueDate: time.Now(), Number: 9})
		}, "CreditNotes.FindByNumber(user 2, number 9)"},
		{"service_create", func(ctx context.Context, c *mor.Client) error {
			return c.Services.Create(ctx, mor.ServiceParams{Name: "Rent", Type: mor.ServiceOneTimeFee})
		}, `"Rent"`},
		{"service_update", func(ctx context.Context, c *mor.Client) error {
			return c.Services.Update(ctx, 1, mor.ServiceParams{Name: "x"})
		}, ""},
		{"service_delete", func(ctx context.Context, c *mor.Client) error { return c.Services.Delete(ctx, 1) }, ""},
		{"subscription_update", func(ctx context.Context, c *mor.Client) error {
			return c.Subscriptions.Update(ctx, 1, mor.SubscriptionParams{Memo: "m"})
		}, ""},
		{"credit_note_delete", func(ctx context.Context, c *mor.Client) error { return c.CreditNotes.Delete(ctx, 1) }, ""},
	}
	for _, w := range writes {
		t.Run(w.method, func(t *testing.T) {
			var (
				mu       sync.Mutex
				arrivals int
			)
			fake := mortest.NewServer(mortest.WithSpecWorld())
			defer fake.Close()
			inner := fake.Handler()
			// The first arrival is served (it warms a keep-alive
			// connection); the second is applied by the fake and then its
			// connection is dropped before the reply.
			srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
				mu.Lock()
				arrivals++
				n := arrivals
				mu.Unlock()
				if n == 2 {
					inner.ServeHTTP(httptest.NewRecorder(), r)
					conn, _, err := http.NewResponseController(rw).Hijack()
					if err == nil {
						_ = conn.Close()
					}
					return
				}
				inner.ServeHTTP(rw, r)
			}))
			defer srv.Close()
			c, err := mor.NewClient(srv.URL+"/billing", "admin", mortest.SpecSecret, mor.WithRetries(5, time.Millisecond))
			require.NoError(t, err)
			ctx := context.Background()
			_ = w.call(ctx, c) // warm-up: its reply (success or refusal) does not matter
			err = w.call(ctx, c)
			require.Error(t, err)
			mu.Lock()
			got := arrivals
			mu.Unlock()
			assert.Equal(t, 2, got, "two calls, two arrivals: never re-sent (%v)", err)
			assert.True(t, mor.InDoubt(err), "%v", err)
			var te *mor.TransportError
			assert.True(t, errors.As(err, &te), "%T %v", err, err)
			if w.check != "" {
				assert.Contains(t, err.Error(), w.check)
				// The money calls share the SDK's exported in-doubt error.
				var ide *mor.InDoubtError
				require.True(t, errors.As(err, &ide), "%T %v", err, err)
				assert.Equal(t, w.method, ide.Method)
				assert.Contains(t, ide.Check, w.check)
			}
		})
	}
}
