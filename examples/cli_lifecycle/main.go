// Command cli_lifecycle walks a CLI through its whole life with the mor
// SDK: add it to a device, list the device's CLIs, look it up, show a
// refusal handled with errors.Is, and delete it again.
//
//	go run ./examples/cli_lifecycle                 # against an in-process fake
//	MOR_URL=https://mor.example.com/billing MOR_USER=admin MOR_SECRET=… \
//	    go run ./examples/cli_lifecycle -device 12 -cli 37060000001
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
	device := flag.Int64("device", 2, "ID of the device to use")
	number := flag.String("cli", "37060000001", "CLI number to add and delete again")
	flag.Parse()
	if err := run(*device, *number); err != nil {
		fmt.Fprintln(os.Stderr, "cli_lifecycle:", err)
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

	// 1. Add.
	if err := c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: device, CLINumber: number, Comment: "examples/cli_lifecycle"}); err != nil {
		return fmt.Errorf("add: %w", err)
	}
	fmt.Printf("1. added CLI %s to device %d\n", number, device)

	// 2. List the device's CLIs.
	clis, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{DeviceID: device})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	fmt.Printf("2. device %d has %d CLI(s):\n", device, len(clis))
	for _, x := range clis {
		fmt.Printf("   #%d %s on %s (comment %q, banned %t)\n", x.ID, x.Number, x.Device, x.Comment, x.Banned)
	}

	// 3. Look it up.
	info, err := c.CLIs.Info(ctx, number)
	switch {
	case errors.Is(err, mor.ErrCLINotFound):
		fmt.Printf("3. cli_info_get does not show CLI %s to this user (it belongs to a reseller's user)\n", number)
	case err != nil:
		return fmt.Errorf("info: %w", err)
	default:
		fmt.Printf("3. CLI %s belongs to user %d, device %d\n", number, info.UserID, info.DeviceID)
	}

	// 4. A refusal, handled: the same number cannot be added twice.
	err = c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: device, CLINumber: number})
	var apiErr *mor.APIError
	switch {
	case errors.Is(err, mor.ErrCLIExists) && errors.As(err, &apiErr):
		fmt.Printf("4. adding it again is refused, as expected: %s\n", apiErr.Message)
	case err != nil:
		return fmt.Errorf("second add: %w", err)
	default:
		return errors.New("second add: the server accepted a duplicate CLI")
	}

	// 5. Delete.
	if err := c.CLIs.Delete(ctx, number); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	fmt.Printf("5. deleted CLI %s\n", number)
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
