package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	mor "github.com/morbilling/mor-go"
)

func demo() config {
	return config{registrar: "hfttv7bcqt", username: "provision_demo", email: "provision_demo@example.com",
		country: 123, cli: "37060000042", did: "37063042438"}
}

// The example runs end to end against its in-process fake, reads back what
// it made, and fails (rather than pretending) when a step is refused.
func TestRun(t *testing.T) {
	t.Setenv("MOR_URL", "")
	var out bytes.Buffer
	if err := run(&out, demo()); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"MOR_URL not set: using an in-process mortest server",
		"user_register: user ",
		"summary:\n",
		" provision_demo (Provision Demo), balance ",
		"  CLIs     37060000042 on device ",
		"  DID      37063042438 active, routed to SIP/",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if n := strings.Count(out.String(), " SIP"); n < 3 {
		t.Errorf("want two SIP devices in the summary:\n%s", out.String())
	}

	for name, tc := range map[string]struct {
		edit func(*config)
		want error
	}{
		"username taken":  {func(c *config) { c.username = "user_admin" }, mor.ErrUsernameTaken},
		"DID not free":    {func(c *config) { c.did = "37093042422" }, mor.ErrDIDNotFree},
		"CLI not numeric": {func(c *config) { c.cli = "not-a-number" }, mor.ErrCLINotNumeric},
		"no registrar":    {func(c *config) { c.registrar = "nosuchhash" }, mor.ErrAccessDenied},
	} {
		c := demo()
		tc.edit(&c)
		var out bytes.Buffer
		if err := run(&out, c); !errors.Is(err, tc.want) {
			t.Errorf("%s: want %v, got %v\n%s", name, tc.want, err, out.String())
		}
		if strings.Contains(out.String(), "summary:") {
			t.Errorf("%s: a summary after a failure:\n%s", name, out.String())
		}
	}
}
