package mor_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

func ExampleBalancesService_Get() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	srv.UpdateUser(2, func(u *mortest.User) { u.Balance = "12.5" })
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	bal, err := c.Balances.Get(context.Background(), mor.BalanceParams{Username: "user_admin", UserCurrency: true})
	fmt.Println(bal, err)
	// Output: 12.5000 USD <nil>
}

// A safe top-up: a unique transaction id, and when the reply is lost, a
// look-up by that id before anything is sent again.
func ExamplePaymentsService_Create() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	srv.SetConfline(0, "API_payment_confirmation", mortest.Confline{Value: "0"}) // credit at once
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	start := time.Now().Add(-time.Minute)

	p := mor.CreatePaymentParams{UserID: 2, Currency: "USD", Amount: mor.NewDecimal(2500, 2), Transaction: "order-1001"}
	receipt, err := c.Payments.Create(ctx, p)
	var inDoubt *mor.InDoubtError
	switch {
	case errors.As(err, &inDoubt):
		found, ferr := c.Payments.FindByTransaction(ctx, p.Transaction, start, time.Now().Add(time.Minute))
		fmt.Println("in doubt; landed:", ferr == nil && len(found) > 0)
	case err != nil:
		fmt.Println("refused:", err)
	default:
		fmt.Println("payment", receipt.ID, receipt.Amount)
	}
	found, _ := c.Payments.FindByTransaction(ctx, "order-1001", start, time.Now().Add(time.Minute))
	fmt.Println("found:", len(found), found[0].Completed)
	// Output:
	// payment 10 25.0000 USD
	// found: 1 true
}

func ExampleVouchersService_Use() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	srv.SetConfline(0, "Vouchers_Enabled", mortest.Confline{Value: "1"})
	c, err := mor.NewClient(srv.URL, "user_admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	// The world's voucher 1234567890 was used in 2010.
	_, err = c.Vouchers.Use(context.Background(), mor.UseVoucherParams{Number: "1234567890"})
	fmt.Println(errors.Is(err, mor.ErrVoucherNotFound))
	// Output: true
}
