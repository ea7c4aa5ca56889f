package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/google/go-querystring/query"
	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

// mor phonebook: list, create, edit and delete speed-dial records.

func (a *app) phonebookCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "phonebook",
		Short: "List, create, edit and delete speed-dial phonebook records",
		Long: `List, create, edit and delete speed-dial phonebook records.

A record is a speed dial (two or more digits) that dials a number. The
admin's records are global: they appear in every user's phonebook. A record
always belongs to the user who created it: only the admin and simple users
may create and delete records.`,
	}
	c.AddCommand(a.phonebookListCommand(), a.phonebookCreateCommand(), a.phonebookEditCommand(),
		a.phonebookDeleteCommand())
	return c
}

func (a *app) phonebookListCommand() *cobra.Command {
	var user int64
	var output string
	c := &cobra.Command{
		Use:   "list [--user ID] [--output table|json|csv]",
		Short: "List a phonebook: the user's records and the admin's global ones (phonebooks_get)",
		Long: `List a phonebook (phonebooks_get): the user's own records and the admin's
global ones, ordered by name.

Without --user it is the caller's own phonebook. The admin and accountants
may name a user the admin owns directly (--user 0 is the admin), a reseller
one of its users. A simple user always gets its own phonebook.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "table" && output != "json" && output != "csv" {
				return usagef("--output must be table, json or csv, not %q", output)
			}
			var p mor.ListPhonebooksParams
			if cmd.Flags().Changed("user") {
				p.UserID = &user
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				recs, err := client.Phonebooks.List(ctx, p)
				if err != nil {
					params, _ := query.Values(p)
					return withCall(err, "phonebooks_get", params)
				}
				return writePhonebook(a.stdout, output, recs)
			})
		},
	}
	c.Flags().Var(idFlag{&user, "user"}, "user", "the phonebook of the user with this numeric id (user_id; 0 is the admin)")
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	return c
}

// phonebookRecord is one record as mor phonebook prints it in JSON and CSV.
type phonebookRecord struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Number    string `json:"number"`
	SpeedDial string `json:"speed_dial"`
}

func toRecord(r mor.PhonebookRecord) phonebookRecord {
	return phonebookRecord{ID: r.ID, Name: r.Name, Number: r.Number, SpeedDial: r.SpeedDial}
}

func writePhonebook(w io.Writer, output string, recs []mor.PhonebookRecord) error {
	out := make([]phonebookRecord, len(recs))
	for i, r := range recs {
		out[i] = toRecord(r)
	}
	switch output {
	case "json":
		return writeJSON(w, out)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"id", "name", "number", "speed_dial"})
		for _, r := range out {
			_ = cw.Write([]string{strconv.FormatInt(r.ID, 10), r.Name, r.Number, r.SpeedDial})
		}
		cw.Flush()
		return cw.Error()
	default:
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSPEED DIAL\tNUMBER\tNAME")
		for _, r := range out {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", r.ID, oneLine(r.SpeedDial), oneLine(r.Number), oneLine(r.Name))
		}
		return tw.Flush()
	}
}

// speedDialFlag adds --speed-dial, with --speeddial (MOR's name) as a
// hidden other name for it.
func speedDialFlag(c *cobra.Command, p *string, usage string) {
	c.Flags().StringVar(p, "speed-dial", "", usage)
	c.Flags().StringVar(p, "speeddial", "", "another name for --speed-dial")
	_ = c.Flags().MarkHidden("speeddial")
	c.MarkFlagsMutuallyExclusive("speed-dial", "speeddial")
}

func (a *app) phonebookCreateCommand() *cobra.Command {
	var p mor.CreatePhonebookRecordParams
	var output string
	c := &cobra.Command{
		Use:   "create --user ID --name NAME --number N --speed-dial SD",
		Short: "Add a speed-dial record to the caller's phonebook (phonebook_record_create)",
		Long: `Add a speed-dial record (phonebook_record_create).

The record always belongs to the calling user (--username), whatever --user
names: MOR checks that the caller may act for --user, then stores the record
under the caller. A simple user must give its own id; the admin may give 0
or any simple user's id, and the record is the admin's, so global: it shows
in every user's phonebook. Resellers and accountants may not create
records.

MOR answers no id: mor finds the new record in the caller's phonebook by its
speed dial and prints it. A simple user's record may share its speed dial
with a global record; the id is then not printed (see 'mor phonebook list').

Not idempotent: after a timeout, look with 'mor phonebook list' before
trying again, or MOR answers "Speed dial must be unique".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "text" && output != "json" {
				return usagef("--output must be text or json, not %q", output)
			}
			client, s, err := a.client(cmd, 1)
			if err != nil {
				return err
			}
			ctx, stop := a.commandContext()
			defer stop()
			if err := client.Phonebooks.Create(ctx, p); err != nil {
				params, _ := query.Values(p)
				return withCall(err, "phonebook_record_create", params)
			}
			rec, findErr := client.Phonebooks.FindBySpeedDial(ctx, p.SpeedDial)
			if findErr != nil {
				// The record was added; only its id is unknown.
				fmt.Fprintf(a.stderr, "mor: warning: the record was added, but its id could not be read back: %s\n",
					escapeText(unprefixed(findErr.Error())))
				if output == "json" {
					return writeJSON(a.stdout, phonebookRecord{Name: p.Name, Number: p.Number, SpeedDial: p.SpeedDial})
				}
				fmt.Fprintf(a.stdout, "record added: speed dial %s dials %s (%s); it belongs to %s\n",
					escapeText(p.SpeedDial), escapeText(p.Number), escapeText(p.Name), escapeText(s.user))
				return nil
			}
			if output == "json" {
				return writeJSON(a.stdout, toRecord(*rec))
			}
			fmt.Fprintf(a.stdout, "record %d added: speed dial %s dials %s (%s); it belongs to %s\n",
				rec.ID, escapeText(rec.SpeedDial), escapeText(rec.Number), escapeText(rec.Name), escapeText(s.user))
			return nil
		},
	}
	f := c.Flags()
	f.Var(idFlag{&p.UserID, "user"}, "user", "the user the caller acts for, a numeric id (user_id): a simple user's own id; the admin: 0 or any simple user")
	f.StringVar(&p.Name, "name", "", "the record's name")
	f.StringVar(&p.Number, "number", "", "the number to dial, digits only")
	speedDialFlag(c, &p.SpeedDial, "the speed dial, two or more digits, unique among the caller's records")
	f.StringVarP(&output, "output", "o", "text", "output format: text or json")
	_ = c.MarkFlagRequired("user")
	_ = c.MarkFlagRequired("name")
	_ = c.MarkFlagRequired("number")
	c.MarkFlagsOneRequired("speed-dial", "speeddial")
	return c
}

func (a *app) phonebookEditCommand() *cobra.Command {
	var p mor.EditPhonebookRecordParams
	var user int64
	var noVerify bool
	c := &cobra.Command{
		Use:   "edit --id ID [--name NAME] [--number N] [--speed-dial SD] [--user OWNER]",
		Short: "Change a speed-dial record (phonebook_edit)",
		Long: `Change a speed-dial record (phonebook_edit): only the fields given.

The admin may edit any record, everyone else only their own.

MOR answers "Phonebook saved" even when it did not save: a speed dial
already used by another of the owner's records (for a global record, by any
record) makes the save fail silently. So mor reads the record back from the
phonebook (the caller's own, or --user's) and fails if it does not read as
sent. When the record is not in that phonebook (the admin editing a user's
record without --user), mor says it could not check. --no-verify skips the
check.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.Phonebooks.Edit(ctx, p); err != nil {
					params, _ := query.Values(p)
					return withCall(err, "phonebook_edit", params)
				}
				if noVerify {
					fmt.Fprintf(a.stdout, "record %d saved (not checked)\n", p.ID)
					return nil
				}
				var lp mor.ListPhonebooksParams
				if cmd.Flags().Changed("user") {
					lp.UserID = &user
				}
				return a.verifyEdit(ctx, client, p, lp)
			})
		},
	}
	f := c.Flags()
	f.Var(idFlag{&p.ID, "record"}, "id", "the record's numeric id (phonebook_id)")
	f.StringVar(&p.Name, "name", "", "the new name")
	f.StringVar(&p.Number, "number", "", "the new number, digits only")
	speedDialFlag(c, &p.SpeedDial, "the new speed dial, two or more digits")
	f.Var(idFlag{&user, "user"}, "user", "read the record back from this user's phonebook (the record's owner)")
	f.BoolVar(&noVerify, "no-verify", false, "do not read the record back")
	_ = c.MarkFlagRequired("id")
	c.MarkFlagsOneRequired("name", "number", "speed-dial", "speeddial")
	c.MarkFlagsMutuallyExclusive("no-verify", "user")
	return c
}

// editNotStoredError is an edit MOR answered as saved that reads back
// otherwise.
type editNotStoredError struct{ msg string }

// Error says what reads back.
func (e *editNotStoredError) Error() string { return e.msg }

// verifyEdit reads the record back and checks every field that was sent.
func (a *app) verifyEdit(ctx context.Context, client *mor.Client, p mor.EditPhonebookRecordParams, lp mor.ListPhonebooksParams) error {
	recs, err := client.Phonebooks.List(ctx, lp)
	if err != nil {
		fmt.Fprintf(a.stdout, "record %d saved\n", p.ID)
		fmt.Fprintf(a.stderr, "mor: warning: could not read the record back to check it: %s\n", escapeText(unprefixed(err.Error())))
		return nil
	}
	for _, r := range recs {
		if r.ID != p.ID {
			continue
		}
		var diffs []string
		check := func(field, sent, got string) {
			if sent != "" && sent != got {
				diffs = append(diffs, fmt.Sprintf("%s %s (sent %s)", field, quoteText(got), quoteText(sent)))
			}
		}
		check("name", p.Name, r.Name)
		check("number", p.Number, r.Number)
		check("speed dial", p.SpeedDial, r.SpeedDial)
		if len(diffs) > 0 {
			msg := fmt.Sprintf("MOR answered \"Phonebook saved\" but record %d still reads", p.ID)
			for i, d := range diffs {
				if i > 0 {
					msg += ","
				}
				msg += " " + d
			}
			if p.SpeedDial != "" && p.SpeedDial != r.SpeedDial {
				msg += ": the speed dial is probably used by another record"
			}
			return &editNotStoredError{"phonebook_edit: " + msg}
		}
		fmt.Fprintf(a.stdout, "record %d saved\n", p.ID)
		return nil
	}
	fmt.Fprintf(a.stdout, "record %d saved\n", p.ID)
	fmt.Fprintf(a.stderr, "mor: warning: record %d is not in the phonebook read back, so it was not checked; "+
		"pass --user with the record's owner to check it\n", p.ID)
	return nil
}

func (a *app) phonebookDeleteCommand() *cobra.Command {
	var id int64
	c := &cobra.Command{
		Use:   "delete --id ID",
		Short: "Delete a speed-dial record (phonebook_record_delete)",
		Long: `Delete a speed-dial record (phonebook_record_delete).

The admin may delete any record; a simple user only its own ("Phonebook
record was not found" for the admin's global records). Resellers and
accountants may not delete records.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.Phonebooks.Delete(ctx, id); err != nil {
					return withCall(err, "phonebook_record_delete", map[string][]string{"id": {strconv.FormatInt(id, 10)}})
				}
				fmt.Fprintf(a.stdout, "record %d deleted\n", id)
				return nil
			})
		},
	}
	c.Flags().Var(idFlag{&id, "record"}, "id", "the record's numeric id")
	_ = c.MarkFlagRequired("id")
	return c
}

// phonebookHints are the hints for the phonebook commands' errors: doubt
// says whether a write may have happened, specific replaces the general
// hints where the phonebook rules differ (simple users may use these
// methods). ok is false for errors of other commands.
func phonebookHints(err error, ce *callError) (doubt, specific []string, ok bool) {
	var ns *editNotStoredError
	if errors.As(err, &ns) {
		return nil, []string{"choose another speed dial, or free this one first; see the phonebook with `mor phonebook list`"}, true
	}
	if ce == nil {
		return nil, nil, false
	}
	switch ce.method {
	case "phonebooks_get", "phonebook_edit", "phonebook_record_create", "phonebook_record_delete":
	default:
		return nil, nil, false
	}
	if mor.InDoubt(err) {
		what := map[string]string{
			"phonebook_edit":          "the edit may have been applied: it is safe to send again",
			"phonebook_record_create": "the record may have been added: look with `mor phonebook list` before retrying",
			"phonebook_record_delete": "the record may have been deleted: look with `mor phonebook list` before retrying",
		}[ce.method]
		if what != "" {
			doubt = append(doubt, what)
		}
	}
	var h []string
	switch {
	case errors.Is(err, mor.ErrAccessDenied) && ce.method == "phonebook_edit":
		h = append(h, "only the admin may edit records of others (and the global records)")
	case errors.Is(err, mor.ErrAccessDenied):
		h = append(h, "only the admin and simple users may create and delete records; a simple user must give its own id as --user, and the admin only itself (0) or a simple user")
	case errors.Is(err, mor.ErrBadLogin):
		h = append(h, "check --username (MOR_USER): no such user")
	case errors.Is(err, mor.ErrUserNotFound):
		h = append(h, "check --user: the admin and accountants reach users the admin owns directly, a reseller only its own users")
	case errors.Is(err, mor.ErrPhonebookRecordNotFound):
		h = append(h, "check --id with `mor phonebook list`; a simple user cannot change or delete the admin's global records")
	case errors.Is(err, mor.ErrSpeedDialTaken):
		h = append(h, "the caller already has a record with this speed dial (for the admin: any record has it); see `mor phonebook list`")
	}
	return doubt, h, true
}
