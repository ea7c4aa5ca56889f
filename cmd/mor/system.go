package main

import (
	"context"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Ping the server: print its MOR version and the round-trip time (system_version_get)",
		Long: `Ping the server (system_version_get): one signed request that checks the
URL, the user, the secret and the API switch, then prints the MOR version the
server reports and the round-trip time. 'mor --version' prints this tool's
own version instead.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			client, s, err := a.client(cmd, 1)
			if err != nil {
				return err
			}
			ctx, stop := a.commandContext()
			defer stop()
			start := time.Now()
			v, err := client.System.Version(ctx)
			rtt := time.Since(start)
			if err != nil {
				return withCall(err, "system_version_get", url.Values{})
			}
			if v == "" {
				v = "(not set)"
			}
			fmt.Fprintf(a.stdout, "server %s: MOR %s, round trip %s\n", escapeText(s.url), escapeText(v), rtt.Round(100*time.Microsecond))
			return nil
		},
	}
}

// emailVarNames maps each template variable's name to its EmailVars field.
var emailVarNames = func() map[string]int {
	m := map[string]int{}
	t := reflect.TypeFor[mor.EmailVars]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("url"), ",")
		m[name] = i
	}
	return m
}()

func (a *app) emailCommand() *cobra.Command {
	c := &cobra.Command{Use: "email", Short: "Send e-mail templates"}
	c.AddCommand(a.emailSendCommand())
	return c
}

func (a *app) emailSendCommand() *cobra.Command {
	var (
		p      mor.EmailParams
		to     int64
		vars   []string
		render bool
	)
	c := &cobra.Command{
		Use:   "send --template NAME [--to USER_ID] [--var name=value]... [--render]",
		Short: "Send an e-mail template to a user (email_send)",
		Long: `Send one of your e-mail templates to a user (email_send), filling its
<%= name %> tags from --var name=value (repeatable; see the names with
--var help). --render only prints the filled-in body and sends nothing.

Not idempotent: a repeat sends the mail again, so mor never re-sends; after
a timeout, ask the recipient before trying again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rv := reflect.ValueOf(&p.Vars).Elem()
			for _, kv := range vars {
				name, value, ok := splitPair(kv)
				i, known := emailVarNames[name]
				if !ok || !known {
					names := make([]string, 0, len(emailVarNames))
					for n := range emailVarNames {
						names = append(names, n)
					}
					slices.Sort(names)
					return usagef("--var wants name=value with a template variable name, one of: %s", strings.Join(names, ", "))
				}
				rv.Field(i).SetString(value)
			}
			if cmd.Flags().Changed("to") {
				p.ToUserID = &to
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				params := url.Values{"email_name": {p.Template}}
				if render {
					body, err := client.System.RenderEmail(ctx, p)
					if err != nil {
						return withCall(err, "email_send", params)
					}
					fmt.Fprintln(a.stdout, body)
					return nil
				}
				if err := client.System.SendEmail(ctx, p); err != nil {
					if mor.InDoubt(err) {
						fmt.Fprintln(a.stderr, "mor: the e-mail may have been sent; mor does not send it again")
					}
					return withCall(err, "email_send", params)
				}
				fmt.Fprintln(a.stdout, "Email sent")
				return nil
			})
		},
	}
	f := c.Flags()
	f.StringVar(&p.Template, "template", "", "the template's name (email_name)")
	f.Var(idFlag{&to, "user"}, "to", "the recipient's user id (email_to_user_id); default: yourself")
	f.StringArrayVar(&vars, "var", nil, "a template variable, name=value (repeatable)")
	f.BoolVar(&render, "render", false, "print the filled-in body, send nothing (test_body=1)")
	_ = c.MarkFlagRequired("template")
	return c
}

func (a *app) callbackCommand() *cobra.Command {
	var (
		p           mor.CallbackParams
		legA, legB  string
		showSecrets bool
	)
	c := &cobra.Command{
		Use:   "callback --device ID --src NUMBER [--dst NUMBER]",
		Short: "Start a billed two-leg callback call (callback_init)",
		Long: `Start a two-leg callback call (callback_init): the server rings --src, then
dials --dst (or asks for a destination). Both legs are billed.

This moves money: mor sends it exactly once and never again on its own,
even with retries configured. If the reply does not come back (a timeout,
a dropped connection), the call may be ringing: mor says so and exits 1;
check the call records before trying again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("cli-lega") {
				p.CLILegA = &legA
			}
			if cmd.Flags().Changed("cli-legb") {
				p.CLILegB = &legB
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.System.Callback(ctx, p); err != nil {
					if mor.InDoubt(err) {
						fmt.Fprintln(a.stderr, "mor: the callback may have been started (and billed); mor does not send it again. Check the call records first.")
					}
					params := url.Values{"device": {strconv.FormatInt(p.DeviceID, 10)}, "src": {p.Src}, "dst": {p.Dst}}
					return withCall(err, "callback_init", params)
				}
				pin := ""
				if p.CardPIN != "" {
					pin = " (card PIN " + maskSecret(p.CardPIN, showSecrets) + ")"
				}
				fmt.Fprintf(a.stdout, "callback started: %s -> %s via device %d%s\n", escapeText(p.Src), escapeText(orAsk(p.Dst)), p.DeviceID, pin)
				return nil
			})
		},
	}
	f := c.Flags()
	f.Var(idFlag{&p.DeviceID, "device"}, "device", "your device the call is billed to (device)")
	f.StringVar(&p.Src, "src", "", "the first number to ring (src)")
	f.StringVar(&p.Dst, "dst", "", "the number to dial next (dst); empty asks for one")
	f.StringVar(&p.CardPIN, "card-pin", "", "bill a calling card (card_pin; masked in output)")
	f.Var(idFlag{&p.LegATariffID, "tariff"}, "lega-tariff", "tariff for leg A (lega_tariff_id)")
	f.Var(idFlag{&p.ServerID, "server"}, "server", "Asterisk server id (server_id)")
	f.StringVar(&legA, "cli-lega", "", "caller ID for leg A (cli_lega)")
	f.StringVar(&legB, "cli-legb", "", "caller ID for leg B (cli_legb)")
	f.BoolVar(&showSecrets, "show-secrets", false, "print the card PIN instead of masking it")
	_ = c.MarkFlagRequired("device")
	_ = c.MarkFlagRequired("src")
	return c
}

func orAsk(dst string) string {
	if dst == "" {
		return "(ask)"
	}
	return dst
}

// maskSecret hides a credential unless show is set.
func maskSecret(s string, show bool) string {
	if show {
		return escapeText(s)
	}
	return "****"
}
