package mor_test

import (
	"context"
	"errors"
	"fmt"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

func ExampleDIDsService_Create() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	// Add a DID from provider 1, then route it to user_admin's device 2.
	did, err := c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "37060000009", ProviderID: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println("created id:", did.ID)
	if err := c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: did.Number, DeviceID: 2}); err != nil {
		panic(err)
	}
	// A second assignment is refused: the DID is no longer free.
	err = c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: did.Number, DeviceID: 3})
	fmt.Println("again:", errors.Is(err, mor.ErrDIDNotFree))

	for d, err := range c.DIDs.All(ctx, mor.DIDsParams{Status: mor.DIDActive}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(d.ID, d.Number, d.Status, d.Device, *d.Owner)
	}
	// Output:
	// created id: 3
	// again: true
	// 3 37060000009 active IAX2/101 Test User #1
}
