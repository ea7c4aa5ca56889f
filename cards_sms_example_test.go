package mor_test

import (
	"context"
	"errors"
	"fmt"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// Selling one card by number: a lost reply can be checked by asking again,
// because the repeat answers ErrCardAlreadySold instead of selling another.
func ExampleCardsService_SellCard() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	card, err := c.Cards.SellCard(ctx, 1, "1111111000")
	if err != nil {
		panic(err)
	}
	fmt.Println("sold:", card.Number, card.Balance.Amount, card.Balance.Currency)
	fmt.Println("PIN printed:", card.PIN) // masked; card.PIN.Reveal() gives the digits

	_, err = c.Cards.SellCard(ctx, 1, "1111111000")
	if mor.InDoubt(err) {
		fmt.Println("unknown: check again")
	} else if errors.Is(err, mor.ErrCardAlreadySold) {
		fmt.Println("again: already sold, nothing sold twice")
	}
	// Output:
	// sold: 1111111000 10.0840336134454 USD
	// PIN printed: [PIN hidden]
	// again: already sold, nothing sold twice
}

// Sending an SMS as a subscribed simple user. The fake's provider outcome is
// set by the test; a refused delivery is an *SMSError.
func ExampleSMSService_Send() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	srv.UpdateUser(2, func(u *mortest.User) { u.SMSServiceActive = true })
	srv.AddSMSLCR(mortest.SMSLCR{ID: 1, Name: "SMS routes"})
	c, err := mor.NewClient(srv.URL, "user_admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	_, err = c.SMS.Send(ctx, mor.SendSMSParams{LCRID: 1, Dst: "37060000001", Message: "hello"})
	var se *mor.SMSError
	if errors.As(err, &se) {
		fmt.Println("not sent:", se.Tip)
	}

	srv.SetSMSOutcome(mortest.SMSOutcome{Status: "0", UserRate: "0.05"})
	sent, err := c.SMS.Send(ctx, mor.SendSMSParams{LCRID: 1, Dst: "37060000001", Message: "hello"})
	if err != nil {
		panic(err)
	}
	fmt.Println("sent:", sent.MessageID, sent.Tip, sent.Price.Amount, sent.Price.Currency)
	// Output:
	// not sent: System owner does not have rate for this destination
	// sent: 6 SMS is sent 0.0500 USD
}
