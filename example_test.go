package mor_test

import (
	"context"
	"errors"
	"fmt"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// Each example runs against mortest, the in-memory fake MOR server, seeded
// with the spec's test world: admin (id 0) owns user 2 with device 2
// (IAX2/101, CLI 123456); reseller (id 3) owns user 5 with device 7
// (IAX2/105, CLI 987654); every API secret is "secret".

func ExampleCLIsService_Add() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	err = c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001", Description: "front desk"})
	fmt.Println("first add:", err)

	// cli_add is not idempotent: the same number again is refused.
	err = c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"})
	var apiErr *mor.APIError
	if errors.Is(err, mor.ErrCLIExists) && errors.As(err, &apiErr) {
		fmt.Println("second add:", apiErr.Message)
		fmt.Println("owner:", apiErr.Owner)
	}
	// Output:
	// first add: <nil>
	// second add: CLI already exists. It is assigned to Test User #1 device
	// owner: Test User #1
}

func ExampleCLIsService_List() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "reseller", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	// A reseller sees the CLIs of its own users' devices.
	clis, err := c.CLIs.List(context.Background(), mor.DeviceCLIsParams{})
	if err != nil {
		panic(err)
	}
	for _, x := range clis {
		fmt.Println(x.ID, x.Number, x.Device)
	}
	// Output:
	// 2 987654 IAX2/105
}

// All streams a long list: each CLI is decoded as its bytes arrive, and
// breaking out of the loop stops reading the reply.
func ExampleCLIsService_All() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	for cli, err := range c.CLIs.All(context.Background(), mor.DeviceCLIsParams{UserID: 2}) {
		if err != nil {
			fmt.Println("error:", err) // always the last pair
			break
		}
		fmt.Println(cli.Number, cli.Device, cli.AddedAt.Format("2006-01-02 15:04:05 -0700"))
		break // stop after the first: the rest is not read
	}
	// Output:
	// 123456 IAX2/101 2018-02-01 10:00:00 +0000
}

func ExampleCLIsService_Info() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	info, err := c.CLIs.Info(ctx, "123456")
	if err != nil {
		panic(err)
	}
	fmt.Printf("user %d, device %d\n", info.UserID, info.DeviceID)

	// The admin does not see CLIs of a reseller's users.
	_, err = c.CLIs.Info(ctx, "987654")
	fmt.Println(errors.Is(err, mor.ErrCLINotFound))
	// Output:
	// user 2, device 2
	// true
}

func ExampleCLIsService_Delete() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	fmt.Println(c.CLIs.Delete(ctx, "123456"))
	// Not idempotent: the second delete finds nothing.
	fmt.Println(errors.Is(c.CLIs.Delete(ctx, "123456"), mor.ErrCLINotFound))
	// Output:
	// <nil>
	// true
}

// Using mortest in your own tests: seed the data your code needs, call your
// code, then inspect what changed and how often the server was called.
func Example_mortest() {
	srv := mortest.NewServer()
	defer srv.Close()
	srv.SetSettings(0, mortest.Settings{AllowAPI: true, Secret: "s3cret"})
	srv.AddUser(mortest.User{ID: 0, Username: "admin", Type: mortest.Admin})
	srv.AddUser(mortest.User{ID: 10, Username: "alice", Type: mortest.SimpleUser, FirstName: "Alice", LastName: "Smith"})
	dev := srv.AddDevice(mortest.Device{Type: "SIP", Name: "1001", UserID: 10})

	c, err := mor.NewClient(srv.URL, "admin", "s3cret")
	if err != nil {
		panic(err)
	}
	if err := c.CLIs.Add(context.Background(), mor.AddCLIParams{DeviceID: dev, CLINumber: "442071234567"}); err != nil {
		panic(err)
	}

	cli, ok := srv.CLI("442071234567")
	fmt.Println(ok, cli.DeviceID == dev, cli.Description == nil)
	fmt.Println("cli_add calls:", srv.Requests("cli_add"))
	// Output:
	// true true true
	// cli_add calls: 1
}
