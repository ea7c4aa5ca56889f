package mor_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// newExampleClient is the admin of the spec world.
func newExampleClient() (*mor.Client, *mortest.Server) {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	return c, srv
}

// Create subscribes a user; MOR returns no id and a repeat would charge a
// prepaid user again, so a unique memo is the key to check by when the
// reply is lost.
func ExampleSubscriptionsService_Create() {
	c, srv := newExampleClient()
	defer srv.Close()
	ctx := context.Background()

	p := mor.SubscriptionParams{UserID: 2, ServiceID: 1, UntilCanceled: true, Memo: "order-1001"}
	err := c.Subscriptions.Create(ctx, p)
	if mor.InDoubt(err) {
		// The error says what to check; do it before sending again.
		if _, ferr := c.Subscriptions.Find(ctx, p.UserID, p.ServiceID, p.Memo); ferr == nil {
			err = nil // it landed
		}
	}
	fmt.Println("create:", err)

	sub, err := c.Subscriptions.Find(ctx, 2, 1, "order-1001")
	if err != nil {
		panic(err)
	}
	fmt.Println(sub.Service, sub.Type, sub.Till == nil, sub.Price.Amount)
	// Output:
	// create: <nil>
	// Test_periodic_service periodic_fee true 10.0
}

func ExampleServicesService_List() {
	c, srv := newExampleClient()
	defer srv.Close()
	svcs, err := c.Services.List(context.Background())
	if err != nil {
		panic(err)
	}
	for _, s := range svcs {
		fmt.Println(s.ID, s.Name, s.Type, s.Price)
	}
	// Output:
	// 1 Test_periodic_service periodic_fee 10.00 USD
}

func ExampleCreditNotesService_Create() {
	c, srv := newExampleClient()
	defer srv.Close()
	ctx := context.Background()
	price, _ := mor.ParseDecimal("10")
	err := c.CreditNotes.Create(ctx, mor.CreateCreditNoteParams{UserID: 2, IssueDate: time.Now(), Price: price, Number: 7})
	fmt.Println("create:", err)
	// No id comes back: the number finds the note.
	n, err := c.CreditNotes.FindByNumber(ctx, 2, 7)
	if err != nil {
		panic(err)
	}
	fmt.Println(n.Number, n.Price.Amount, n.PayDate == nil)
	_, err = c.CreditNotes.FindByNumber(ctx, 2, 8)
	fmt.Println(errors.Is(err, mor.ErrCreditNoteNotFound))
	// Output:
	// create: <nil>
	// 7 10.0 true
	// true
}

func ExampleInvoicesService_List() {
	c, srv := newExampleClient()
	defer srv.Close()
	day := func(m time.Month, d int) time.Time { return time.Date(2018, m, d, 0, 0, 0, 0, time.Local) }
	srv.AddInvoice(mortest.Invoice{UserID: 2, Number: "INV-7", PeriodStart: day(1, 1), PeriodEnd: day(1, 31),
		IssueDate: day(2, 1), Lines: []mortest.InvoiceLine{{Name: "Calls", Quantity: 12, Price: "3.6"}}})
	inv, err := c.Invoices.List(context.Background(), mor.InvoicesParams{From: day(1, 1).Add(12 * time.Hour),
		Till: day(1, 31).Add(12 * time.Hour), Currency: "USD"})
	if err != nil {
		panic(err)
	}
	for _, v := range inv {
		for _, p := range v.Products {
			fmt.Println(v.Number, p.Name, p.Quantity, p.Price)
		}
	}
	// Output:
	// INV-7 Calls 12 3.6000 USD
}

func ExampleStatementsService_Get() {
	c, srv := newExampleClient()
	defer srv.Close()
	fs, err := c.Statements.Get(context.Background(), mor.StatementsParams{Status: mor.StatementPaid})
	if err != nil {
		panic(err)
	}
	for _, s := range fs.Statements {
		fmt.Println(s.Type, s.Status, s.Count, s.Price)
	}
	// Output:
	// invoices paid 0 0.0000 USD
	// payments paid 0 0.0000 USD
}
