package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

func (a *app) cliCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "cli",
		Short: "Add, delete, look up and list CLIs (caller numbers attached to devices)",
	}
	c.AddCommand(a.cliAddCommand(), a.cliDeleteCommand(), a.cliInfoCommand(), a.cliListCommand())
	return c
}

func (a *app) cliAddCommand() *cobra.Command {
	var p mor.AddCLIParams
	c := &cobra.Command{
		Use:   "add --device ID (--number N | --domain D) [--description T] [--comment T] [--banned] [--ivr ID]",
		Short: "Attach a CLI to a device (cli_add)",
		Long: `Attach a CLI to a device (cli_add). The hash covers device_id and cli_number.

--number is trimmed of surrounding spaces, as mor import trims its
cli_number column. The server accepts a leading + or -, underscores between
digits, a decimal point and an exponent as "numeric" and stores the number
as typed; mor warns about those forms but sends them.

cli_add is not idempotent: after a timeout, check with 'mor cli info
--number N' before trying again, or the server answers "CLI already exists".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.CLINumber = strings.TrimSpace(p.CLINumber)
			if w := numberWarning(p.CLINumber); w != "" {
				fmt.Fprintln(a.stderr, "mor: warning: "+escapeText(strings.Replace(w, "cli_number", "--number", 1)))
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.CLIs.Add(ctx, p); err != nil {
					params, _ := query.Values(p)
					return withCall(err, "cli_add", params)
				}
				what := p.CLINumber
				if what == "" {
					what = p.CLIDomain
				}
				fmt.Fprintf(a.stdout, "CLI %s added to device %d\n", escapeText(what), p.DeviceID)
				return nil
			})
		},
	}
	f := c.Flags()
	f.Var(idFlag{&p.DeviceID, "device"}, "device", "device id, a number (device_id)")
	numberFlag(c, &p.CLINumber)
	f.StringVar(&p.CLIDomain, "domain", "", "CLI domain (cli_domain; newer MOR only, the 2018 server ignores it)")
	f.StringVar(&p.Description, "description", "", "description (cli_description)")
	f.StringVar(&p.Comment, "comment", "", "comment")
	f.BoolVar(&p.Banned, "banned", false, "ban the CLI")
	f.Var(idFlag{&p.IVRID, "IVR"}, "ivr", "attach an IVR the caller owns, by its numeric id (ivr_id)")
	_ = c.MarkFlagRequired("device")
	c.MarkFlagsOneRequired("number", "cli", "domain")
	c.MarkFlagsMutuallyExclusive("number", "domain")
	c.MarkFlagsMutuallyExclusive("cli", "domain")
	return c
}

func (a *app) cliDeleteCommand() *cobra.Command {
	var number string
	c := &cobra.Command{
		Use:   "delete --number N",
		Short: "Delete the CLI with this number (cli_delete)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			number = strings.TrimSpace(number)
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.CLIs.Delete(ctx, number); err != nil {
					return withCall(err, "cli_delete", map[string][]string{"cli_number": {number}})
				}
				fmt.Fprintf(a.stdout, "CLI %s deleted\n", escapeText(number))
				return nil
			})
		},
	}
	numberFlag(c, &number)
	c.MarkFlagsOneRequired("number", "cli")
	return c
}

func (a *app) cliInfoCommand() *cobra.Command {
	var cli, output string
	c := &cobra.Command{
		Use:   "info --number N",
		Short: "Show which device and user a CLI belongs to (cli_info_get)",
		Long: `Show which device and user a CLI belongs to (cli_info_get).

An admin sees only CLIs on devices of users it owns directly: a CLI of a
reseller's user answers "CLI not found" (use 'mor cli list --device ID').`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "text" && output != "json" {
				return usagef("--output must be text or json, not %q", output)
			}
			cli = strings.TrimSpace(cli)
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				info, err := client.CLIs.Info(ctx, cli)
				if err != nil {
					return withCall(err, "cli_info_get", map[string][]string{"cli": {cli}})
				}
				if output == "json" {
					return writeJSON(a.stdout, struct {
						CLI      string `json:"cli"`
						DeviceID int64  `json:"device_id"`
						UserID   int64  `json:"user_id"`
					}{cli, info.DeviceID, info.UserID})
				}
				fmt.Fprintf(a.stdout, "cli:       %s\ndevice_id: %d\nuser_id:   %d\n", escapeText(cli), info.DeviceID, info.UserID)
				return nil
			})
		},
	}
	numberFlag(c, &cli)
	c.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	c.MarkFlagsOneRequired("number", "cli")
	return c
}

func (a *app) cliListCommand() *cobra.Command {
	var p mor.DeviceCLIsParams
	var output string
	c := &cobra.Command{
		Use:   "list [--user ID] [--device ID] [--output table|json|csv]",
		Short: "List CLIs, all the caller may see or one user's or device's (device_clis_get)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "table" && output != "json" && output != "csv" {
				return usagef("--output must be table, json or csv, not %q", output)
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				clis, err := client.CLIs.List(ctx, p)
				if err != nil {
					params, _ := query.Values(p)
					return withCall(err, "device_clis_get", params)
				}
				return writeCLIs(a.stdout, output, clis)
			})
		},
	}
	c.Flags().Var(idFlag{&p.UserID, "user"}, "user", "only CLIs of the devices of the user with this numeric id (users_id; not the login name)")
	c.Flags().Var(idFlag{&p.DeviceID, "device"}, "device", "only CLIs of the device with this numeric id (devices_id)")
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	return c
}

// cliRecord is one CLI as printed by mor cli list --output json|csv.
type cliRecord struct {
	ID            int64  `json:"id"`
	Number        string `json:"number"`
	Domain        string `json:"domain,omitempty"`
	Device        string `json:"device"`
	Description   string `json:"description"`
	Comment       string `json:"comment"`
	IVR           string `json:"ivr"`
	Banned        bool   `json:"banned"`
	EmailCallback bool   `json:"email_callback"`
	AddedAt       string `json:"added_at"`
	UpdatedAt     string `json:"updated_at"`
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func fmtBool(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func writeCLIs(w io.Writer, output string, clis []mor.CLI) error {
	recs := make([]cliRecord, len(clis))
	for i, c := range clis {
		recs[i] = cliRecord{ID: c.ID, Number: c.Number, Domain: c.Domain, Device: c.Device,
			Description: c.Description, Comment: c.Comment, IVR: c.IVR, Banned: c.Banned,
			EmailCallback: c.EmailCallback, AddedAt: fmtTime(c.AddedAt), UpdatedAt: fmtTime(c.UpdatedAt)}
	}
	switch output {
	case "json":
		return writeJSON(w, recs)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"id", "number", "domain", "device", "description", "comment", "ivr", "banned", "email_callback", "added_at", "updated_at"})
		for _, r := range recs {
			_ = cw.Write([]string{strconv.FormatInt(r.ID, 10), r.Number, r.Domain, r.Device, r.Description, r.Comment,
				r.IVR, fmtBool(r.Banned), fmtBool(r.EmailCallback), r.AddedAt, r.UpdatedAt})
		}
		cw.Flush()
		return cw.Error()
	default:
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNUMBER\tDEVICE\tDESCRIPTION\tCOMMENT\tIVR\tBANNED\tADDED")
		for _, r := range recs {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, escapeText(r.Number), escapeText(r.Device), oneLine(r.Description),
				oneLine(r.Comment), escapeText(r.IVR), fmtBool(r.Banned), r.AddedAt)
		}
		return tw.Flush()
	}
}

// numberFlag adds --number (cli_number), with --cli accepted as another
// name for it: every cli command takes the CLI the same way.
// The caller marks the pair required with MarkFlagsOneRequired.
func numberFlag(c *cobra.Command, p *string) {
	c.Flags().StringVar(p, "number", "", "CLI number (cli_number; --cli is another name for it); surrounding spaces are trimmed")
	c.Flags().StringVar(p, "cli", "", "another name for --number")
	_ = c.Flags().MarkHidden("cli")
	c.MarkFlagsMutuallyExclusive("number", "cli")
}

// idFlag is a numeric id flag whose error says that it wants a number (and
// not, say, a user name).
type idFlag struct {
	p    *int64
	what string
}

// Set parses a non-negative integer id.
func (f idFlag) Set(s string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		hint := ""
		if f.what == "user" {
			hint = " (--username takes the API login name)"
		}
		return fmt.Errorf("want a numeric %s id, e.g. 5, not %s%s", f.what, quoteText(s), hint)
	}
	*f.p = n
	return nil
}

// String is the id, or "" when unset.
func (f idFlag) String() string {
	if f.p == nil || *f.p == 0 {
		return ""
	}
	return strconv.FormatInt(*f.p, 10)
}

// Type names the value in the help.
func (f idFlag) Type() string { return "ID" }

// oneLine keeps a table row on one line.
func oneLine(s string) string {
	q := strconv.Quote(s)
	if q[1:len(q)-1] == s {
		return s
	}
	return q
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
