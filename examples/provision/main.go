// Command provision sets up a customer end to end with the mor SDK: it
// registers a user (MOR gives the user a first device), creates a second
// device, adds a CLI to it, routes a DID to it, then reads it all back and
// prints a short summary.
//
//	go run ./examples/provision                      # against an in-process fake
//	MOR_URL=https://mor.example.com/billing MOR_USER=admin MOR_SECRET=… \
//	    go run ./examples/provision -registrar UNIQUEHASH -username acme01 \
//	    -email ops@acme.example -country 123 -cli 37060000042 -did 37063042438
//
// With MOR_URL unset it starts an in-process mortest server seeded with the
// spec's demo world (registrar: the admin, free DID 37063042438) and turns
// on registration over the API, so it runs anywhere. It exits non-zero on
// failure, and never prints a password or the secret.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// config is what to provision.
type config struct {
	registrar string // the registrar's registration key (its uniquehash)
	username  string
	email     string
	country   int64
	cli       string
	did       string
}

func main() {
	var cfg config
	flag.StringVar(&cfg.registrar, "registrar", "hfttv7bcqt", "the registrar's registration key: the uniquehash of the admin or reseller that will own the customer")
	flag.StringVar(&cfg.username, "username", "provision_demo", "the new customer's login name")
	flag.StringVar(&cfg.email, "email", "provision_demo@example.com", "the new customer's e-mail (unique among users)")
	flag.Int64Var(&cfg.country, "country", 123, "the customer's country, by id (123 is Lithuania in the demo world)")
	flag.StringVar(&cfg.cli, "cli", "37060000042", "the CLI to add to the second device")
	flag.StringVar(&cfg.did, "did", "37063042438", "a free DID to route to the second device")
	flag.Parse()
	if err := run(os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "provision:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, cfg config) error {
	c, done, err := connect(w)
	if err != nil {
		return err
	}
	defer done()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// 1. Register the customer. The password is random and never printed:
	// the customer sets its own later.
	reg, err := c.Users.Register(ctx, mor.RegisterParams{
		RegistrarHash: cfg.registrar,
		Username:      cfg.username,
		Password:      mor.NewPassword(randomPassword()),
		FirstName:     "Provision",
		LastName:      "Demo",
		Email:         cfg.email,
		CountryID:     cfg.country,
		DeviceType:    mor.DeviceSIP,
	})
	if errors.Is(err, mor.ErrUsernameTaken) {
		return fmt.Errorf("register: username %s is taken; pick another with -username: %w", cfg.username, err)
	}
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	fmt.Fprintf(w, "user_register: user %d (%s) with device %d\n", reg.UserID, cfg.username, reg.DeviceID)

	// 2. A second device for the same user. Sending no extension lets MOR
	// pick one; after an error in doubt, list the user's devices before
	// creating again (a resend would add a third).
	dev, err := c.Devices.Create(ctx, mor.CreateDeviceParams{UserID: reg.UserID, Type: "SIP", Description: "second line"})
	if err != nil {
		return fmt.Errorf("device_create: %w", err)
	}
	fmt.Fprintf(w, "device_create: device %d (username %s)\n", dev.ID, dev.Username)

	// 3. A CLI on the second device.
	if err := c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: dev.ID, CLINumber: cfg.cli, Description: "added by examples/provision"}); err != nil {
		return fmt.Errorf("cli_add: %w", err)
	}
	fmt.Fprintf(w, "cli_add: CLI %s on device %d\n", cfg.cli, dev.ID)

	// 4. Route a free DID to the second device.
	if err := c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: cfg.did, DeviceID: dev.ID}); err != nil {
		if errors.Is(err, mor.ErrDIDNotFree) {
			return fmt.Errorf("did_device_assign: DID %s is not free; pick a free one with -did: %w", cfg.did, err)
		}
		return fmt.Errorf("did_device_assign: %w", err)
	}
	fmt.Fprintf(w, "did_device_assign: DID %s to device %d\n", cfg.did, dev.ID)

	// 5. Read it all back.
	user, err := c.Users.Details(ctx, mor.DetailsParams{UserID: &reg.UserID})
	if err != nil {
		return fmt.Errorf("user_details_get: %w", err)
	}
	devices, err := c.Devices.List(ctx, reg.UserID)
	if err != nil {
		return fmt.Errorf("devices_get: %w", err)
	}
	clis, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{DeviceID: dev.ID})
	if err != nil {
		return fmt.Errorf("device_clis_get: %w", err)
	}
	did, err := c.DIDs.Get(ctx, cfg.did)
	if err != nil {
		return fmt.Errorf("dids_get: %w", err)
	}

	fmt.Fprintln(w, "summary:")
	fmt.Fprintf(w, "  user     %d %s (%s %s), balance %s\n", user.UserID, user.Username, user.FirstName, user.LastName, user.Balance)
	var devs []string
	for _, d := range devices {
		devs = append(devs, fmt.Sprintf("%d %s", d.ID, d.Type))
	}
	fmt.Fprintf(w, "  devices  %s\n", strings.Join(devs, ", "))
	var numbers []string
	for _, x := range clis {
		numbers = append(numbers, x.Number)
	}
	fmt.Fprintf(w, "  CLIs     %s on device %d\n", strings.Join(numbers, ", "), dev.ID)
	fmt.Fprintf(w, "  DID      %s %s, routed to %s\n", did.Number, did.Status, did.Device)
	return nil
}

// randomPassword is a random password with a capital, a small letter and
// a digit, as MOR's strong-password rule wants.
func randomPassword() string { return "Pw7" + rand.Text() }

// connect returns a client for MOR_URL (with MOR_USER, MOR_SECRET and, when
// set, MOR_PASSWORD), or for an in-process fake when MOR_URL is unset.
func connect(w io.Writer) (*mor.Client, func(), error) {
	base := os.Getenv("MOR_URL")
	if base == "" {
		srv := mortest.NewServer(mortest.WithSpecWorld())
		// A fresh MOR refuses registration over the API until the admin
		// turns it on and sets the new users' defaults.
		srv.SetConfline(0, "API_Allow_registration_ower_API", mortest.Confline{Value: "1"})
		srv.SetConfline(0, "Default_User_tariff_id", mortest.Confline{Value: "2"})
		srv.SetConfline(0, "Default_User_lcr_id", mortest.Confline{Value: "1"})
		fmt.Fprintln(w, "MOR_URL not set: using an in-process mortest server with a demo world (registrar admin, free DID 37063042438)")
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
