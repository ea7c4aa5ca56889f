// Command cli_add adds one CLI (caller number) to a device with the mor SDK
// and shows where it landed.
//
//	go run ./examples/cli_add                       # against an in-process fake
//	MOR_URL=https://mor.example.com/billing MOR_USER=admin MOR_SECRET=… \
//	    go run ./examples/cli_add -device 12 -cli 37060000001
//
// With MOR_URL unset it starts an in-process mortest server seeded with the
// Kolmisoft test database (mortest.WithSpecWorld) (user admin, device 2 = IAX2/101), so it runs anywhere.
// It exits non-zero on failure.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

func main() {
	device := flag.Int64("device", 2, "ID of the device that gets the CLI")
	number := flag.String("cli", "37060000001", "CLI number to add")
	flag.Parse()
	if err := run(*device, *number); err != nil {
		fmt.Fprintln(os.Stderr, "cli_add:", err)
		os.Exit(1)
	}
}

func run(device int64, number string) error {
	c, done, err := connect()
	if err != nil {
		return err
	}
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	err = c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: device, CLINumber: number, Description: "added by examples/cli_add"})
	var apiErr *mor.APIError
	switch {
	case errors.Is(err, mor.ErrCLIExists) && errors.As(err, &apiErr):
		return fmt.Errorf("CLI %s is already taken; the server said: %s", number, apiErr.Message)
	case err != nil:
		return err
	}
	fmt.Printf("cli_add: CLI %s added to device %d (CLI successfully created)\n", number, device)

	info, err := c.CLIs.Info(ctx, number)
	switch {
	case errors.Is(err, mor.ErrCLINotFound):
		// cli_info_get only shows CLIs of users the caller owns directly,
		// e.g. not the admin's view of a reseller's user.
		fmt.Printf("cli_info_get: the server does not show CLI %s to this user\n", number)
	case err != nil:
		return err
	default:
		fmt.Printf("cli_info_get: CLI %s is on device %d of user %d\n", number, info.DeviceID, info.UserID)
	}
	return nil
}

// connect returns a client for MOR_URL (with MOR_USER, MOR_SECRET and, when
// set, MOR_PASSWORD), or for an in-process fake when MOR_URL is unset.
func connect() (*mor.Client, func(), error) {
	base := os.Getenv("MOR_URL")
	if base == "" {
		srv := mortest.NewServer(mortest.WithSpecWorld())
		fmt.Println("MOR_URL not set: using an in-process mortest server with a demo world (user admin, device 2)")
		c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
		return c, srv.Close, err
	}
	user := os.Getenv("MOR_USER")
	if user == "" {
		return nil, nil, errors.New("MOR_URL is set but MOR_USER is empty")
	}
	var opts []mor.Option
	if pw := os.Getenv("MOR_PASSWORD"); pw != "" {
		opts = append(opts, mor.WithPassword(pw))
	}
	c, err := mor.NewClient(base, user, os.Getenv("MOR_SECRET"), opts...)
	return c, func() {}, err
}
