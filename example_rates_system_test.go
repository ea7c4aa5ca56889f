package mor_test

import (
	"context"
	"errors"
	"fmt"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// ExportAll streams a whole tariff: the server zips it, the client unzips
// and decodes one rate at a time.
func ExampleRatesService_ExportAll() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	srv.SetRateDeck(2, mortest.RateDeck{N: 3, Seed: 42}) // tariff 2: "Test Tariff for Users"
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	n := 0
	for r, err := range c.Rates.ExportAll(context.Background(), mor.TariffExportParams{TariffID: 2}) {
		if err != nil {
			panic(err)
		}
		if n == 0 {
			fmt.Println(r.Block.Name, r.Block.Purpose)
		}
		fmt.Println(r.Prefix, r.Direction, r.Price.Currency)
		n++
	}
	// Output:
	// Test Tariff for Users user_wholesale
	// 100000 Direction 0000000 USD
	// 100001 Direction 0000001 USD
	// 100002 Direction 0000002 USD
}

// Ping is a cheap health probe; Version says which MOR answers.
func ExampleSystemService_Version() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	fmt.Println("ping:", c.Ping(context.Background()))
	v, err := c.System.Version(context.Background())
	fmt.Println("version:", v, err)

	wrong, _ := mor.NewClient(srv.URL, "admin", "not-the-secret")
	fmt.Println("wrong secret:", errors.Is(wrong.Ping(context.Background()), mor.ErrIncorrectHash))
	// Output:
	// ping: <nil>
	// version: 18 <nil>
	// wrong secret: true
}
