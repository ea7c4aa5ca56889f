package mor_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

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

func ExampleNewClient() {
	// Required values are positional; everything else is an option. NewClient
	// does no I/O: a wrong URL or secret shows on the first call.
	c, err := mor.NewClient("https://mor.example.com/billing", "admin", "the-api-secret",
		mor.WithRetries(2, 200*time.Millisecond), // reads only; writes are never retried
		mor.WithMaxResponseBytes(64<<20),
	)
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Endpoint("users_get"))

	// A bad base URL fails at once, with the URL's credentials redacted.
	_, err = mor.NewClient("mor.example.com/billing", "admin", "the-api-secret")
	fmt.Println(err != nil)
	// Output:
	// https://mor.example.com/billing/api/users_get
	// true
}

func ExampleClient_Call() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	// Any method, typed or not: Call signs it with the server's rule for that
	// method and turns <error> replies into *APIError.
	var reply struct {
		Device struct {
			UserID   int64 `xml:"user_id"`
			DeviceID int64 `xml:"device_id"`
		} `xml:"cli>device"`
	}
	err = c.Call(context.Background(), "cli_info_get", url.Values{"cli": {"123456"}}, &reply)
	fmt.Println(err, reply.Device.UserID, reply.Device.DeviceID)

	err = c.Call(context.Background(), "cli_info_get", url.Values{"cli": {"000"}}, nil)
	fmt.Println(errors.Is(err, mor.ErrCLINotFound), errors.Is(err, mor.ErrNotFound))
	// Output:
	// <nil> 2 2
	// true true
}

func ExampleHash() {
	// cli_add hashes device_id then cli_number (the global order), then the
	// secret: SHA-1("2" + "37060000001" + "secret").
	params := url.Values{"device_id": {"2"}, "cli_number": {"37060000001"}, "cli_description": {"not hashed"}}
	fmt.Println(mor.Hash("cli_add", params, "secret"))
	// Output:
	// f3e75c2f249a96146e1c6ef4f5d5ece90c4d07b2
}

func ExampleExplainHash() {
	// Why does the server answer "Incorrect hash"? ExplainHash says which
	// values went in, in which order, and why the others did not.
	// devices_get hashes user_id as an integer, so "002" counts as "2".
	e := mor.ExplainHash("devices_get", url.Values{"user_id": {"002"}, "comment": {"x"}})
	for _, p := range e.Hashed {
		fmt.Printf("hashed %s=%q as %q\n", p.Key, p.Sent, p.Value)
	}
	for _, p := range e.Dropped {
		fmt.Printf("dropped %s: %s\n", p.Key, p.Reason)
	}
	fmt.Println(e.Preimage("<secret>"))
	// Output:
	// hashed user_id="002" as "2"
	// dropped comment: not in the server's global hash order
	// 2<secret>
}

func ExampleInDoubt() {
	// A server that takes the request and hangs up before answering: the
	// write may or may not have happened.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = conn.Read(make([]byte, 4096))
			conn.Close()
		}
	}()
	c, err := mor.NewClient("http://"+ln.Addr().String()+"/billing", "admin", "secret")
	if err != nil {
		panic(err)
	}
	err = c.CLIs.Add(context.Background(), mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"})
	if mor.InDoubt(err) {
		// Never send it again blind: look first (c.CLIs.Info), then decide.
		fmt.Println("in doubt: check with CLIs.Info before adding again")
	}
	// A refusal from the server is never in doubt.
	fmt.Println(mor.InDoubt(&mor.APIError{Method: "cli_add", Message: "CLI already exists"}))
	// Output:
	// in doubt: check with CLIs.Info before adding again
	// false
}

func ExampleLookupMethod() {
	m, _ := mor.LookupMethod("device_destroy") // an alias route
	fmt.Println(m.Name, "→", m.Action, m.Group, m.Kind, m.Hash)
	m, _ = mor.LookupMethod("user_balance_update")
	fmt.Println(m.Name, m.Kind) // moves money: never retried
	// Output:
	// device_destroy → device_delete devices write global
	// user_balance_update money
}
