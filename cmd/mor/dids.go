package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/google/go-querystring/query"
	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

// mor did …: the DID inventory (dids_get, did_create, did_device_assign,
// did_device_unassign, did_details_update, did_subscription_stop) and the
// quick-forward DIDs of a simple user.

func (a *app) didCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "did",
		Short: "List, create, assign, free, reserve and close DIDs (incoming numbers); quick forwards",
	}
	c.AddCommand(a.didListCommand(), a.didGetCommand(), a.didCreateCommand(), a.didAssignCommand(),
		a.didUnassignCommand(), a.didUpdateCommand(), a.didStopCommand(), a.didQuickForwardCommand())
	return c
}

// didOptID is an optional integer filter: unset is nil, so 0 (the admin's
// id) can be asked for.
type didOptID struct {
	p    **int64
	what string
}

// Set parses an integer.
func (f didOptID) Set(s string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return fmt.Errorf("want a numeric %s id, e.g. 5, not %s", f.what, quoteText(s))
	}
	*f.p = &n
	return nil
}

// String is the id, or "" when unset.
func (f didOptID) String() string {
	if f.p == nil || *f.p == nil {
		return ""
	}
	return strconv.FormatInt(**f.p, 10)
}

// Type names the value in the help.
func (f didOptID) Type() string { return "ID" }

func didCheckOutput(output string) error {
	if output != "table" && output != "json" && output != "csv" {
		return usagef("--output must be table, json or csv, not %q", output)
	}
	return nil
}

func (a *app) didListCommand() *cobra.Command {
	var p mor.DIDsParams
	var status, output string
	c := &cobra.Command{
		Use:   "list [filters] [--output table|json|csv]",
		Short: "List the DIDs the caller may see (dids_get)",
		Long: `List the DIDs the caller may see (dids_get): the admin and accountants
(with the manage_dids_opt_1 right) all, a reseller its own, a simple user
those reserved for or routed to it. The list has no paging; mor prints
DIDs as they arrive.

--number and --owner are MySQL LIKE patterns: % matches any run, _ one
character. Columns the server leaves out for the caller's role (provider,
reseller, dial plan, tone zone) are empty in the table and csv, absent in
json.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := didCheckOutput(output); err != nil {
				return err
			}
			p.Status = mor.DIDStatus(strings.ToLower(strings.TrimSpace(status)))
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				params, _ := query.Values(p)
				return withCall(writeDIDs(a.stdout, output, client.DIDs.All(ctx, p)), "dids_get", params)
			})
		},
	}
	f := c.Flags()
	f.StringVar(&p.Number, "number", "", "number pattern (search_did_number; LIKE: % any run, _ one character)")
	f.StringVar(&p.Owner, "owner", "", "owner name pattern, \"First Last\" (search_did_owner; free DIDs never match)")
	f.Var(didOptID{&p.ProviderID, "provider"}, "provider", "only this provider's DIDs (search_provider; admin, accountants, users with own providers)")
	f.Var(didOptID{&p.DialPlanID, "dial plan"}, "dialplan", "only DIDs on this dial plan (search_dialplan)")
	f.StringVar(&p.Language, "language", "", "only this language, e.g. en (search_language)")
	f.StringVar(&status, "status", "", "only this status: free, reserved, active, closed or terminated (search_status)")
	f.Var(didOptID{&p.UserID, "user"}, "user", "only DIDs of this user, or reserved for this reseller (search_user; 0 is the admin)")
	f.Var(didOptID{&p.DeviceID, "device"}, "device", "only DIDs routed to this device (search_device)")
	f.BoolVar(&p.HideTerminated, "hide-terminated", false, "leave terminated DIDs out (search_hide_terminated_dids)")
	f.StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	return c
}

// didRecord is one DID as printed by mor did list --output json|csv.
type didRecord struct {
	ID        int64   `json:"id"`
	Number    string  `json:"number"`
	Status    string  `json:"status"`
	Language  string  `json:"language"`
	Provider  *string `json:"provider,omitempty"`
	Reseller  *string `json:"reseller,omitempty"`
	Owner     *string `json:"owner,omitempty"`
	Device    string  `json:"device"`
	DialPlan  *string `json:"dial_plan,omitempty"`
	CallLimit int64   `json:"call_limit"`
	Comment   *string `json:"comment,omitempty"`
	ToneZone  *string `json:"tone_zone,omitempty"`
}

func toDIDRecord(d mor.DID) didRecord {
	return didRecord{ID: d.ID, Number: d.Number, Status: string(d.Status), Language: d.Language, Provider: d.Provider,
		Reseller: d.Reseller, Owner: d.Owner, Device: d.Device, DialPlan: d.DialPlan, CallLimit: d.CallLimit,
		Comment: d.Comment, ToneZone: d.ToneZone}
}

func didDeref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// didCallLimitText is the limit as the server shows it.
func didCallLimitText(n int64) string {
	if n == 0 {
		return "unlimited"
	}
	return strconv.FormatInt(n, 10)
}

// writeDIDs prints the DIDs as they arrive. An error ends the output (json
// stays a valid array of what came before) and is returned.
func writeDIDs(w io.Writer, output string, seq func(func(mor.DID, error) bool)) error {
	var err error
	switch output {
	case "json":
		n := 0
		_, _ = io.WriteString(w, "[")
		for d, e := range seq {
			if e != nil {
				err = e
				break
			}
			b, _ := json.Marshal(toDIDRecord(d))
			if n > 0 {
				_, _ = io.WriteString(w, ",")
			}
			_, _ = io.WriteString(w, "\n  ")
			_, _ = w.Write(b)
			n++
		}
		if n > 0 {
			_, _ = io.WriteString(w, "\n")
		}
		_, _ = io.WriteString(w, "]\n")
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"id", "number", "status", "language", "provider", "reseller", "owner", "device", "dial_plan",
			"call_limit", "comment", "tone_zone"})
		for d, e := range seq {
			if e != nil {
				err = e
				break
			}
			_ = cw.Write([]string{strconv.FormatInt(d.ID, 10), d.Number, string(d.Status), d.Language, didDeref(d.Provider),
				didDeref(d.Reseller), didDeref(d.Owner), d.Device, didDeref(d.DialPlan), strconv.FormatInt(d.CallLimit, 10),
				didDeref(d.Comment), didDeref(d.ToneZone)})
		}
		cw.Flush()
		if err == nil {
			err = cw.Error()
		}
	default:
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNUMBER\tSTATUS\tOWNER\tDEVICE\tPROVIDER\tRESELLER\tDIAL PLAN\tCALL LIMIT\tCOMMENT")
		for d, e := range seq {
			if e != nil {
				err = e
				break
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, escapeText(d.Number), escapeText(string(d.Status)),
				oneLine(didDeref(d.Owner)), escapeText(d.Device), oneLine(didDeref(d.Provider)), oneLine(didDeref(d.Reseller)),
				oneLine(didDeref(d.DialPlan)), didCallLimitText(d.CallLimit), oneLine(didDeref(d.Comment)))
		}
		if ferr := tw.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (a *app) didGetCommand() *cobra.Command {
	var number, output string
	c := &cobra.Command{
		Use:   "get --number N [--output table|json|csv]",
		Short: "Show the DID with exactly this number (dids_get)",
		Long: `Show the DID with exactly this number (dids_get with the number as an
exact pattern). Use it to learn a DID's id, e.g. after a did_create whose
reply carried none.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := didCheckOutput(output); err != nil {
				return err
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				d, err := client.DIDs.Get(ctx, number)
				if err != nil {
					return withCall(err, "dids_get", url.Values{"search_did_number": {number}})
				}
				return writeDIDs(a.stdout, output, func(yield func(mor.DID, error) bool) { yield(*d, nil) })
			})
		},
	}
	c.Flags().StringVar(&number, "number", "", "the DID number (digits)")
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	_ = c.MarkFlagRequired("number")
	return c
}

func (a *app) didCreateCommand() *cobra.Command {
	var p mor.CreateDIDParams
	c := &cobra.Command{
		Use:   "create --number N --provider ID",
		Short: "Add a free DID to the inventory (did_create)",
		Long: `Add a free DID to the inventory (did_create). The hash covers provider_id
and did. The provider must be the caller's own (the admin's for the admin
and accountants); a reseller needs the admin's "resellers can add their own
DIDs" setting.

did_create is not idempotent: after a timeout, check with 'mor did get
--number N' before trying again, or the server answers "DID already
exists". When the reply carries no id, mor looks it up the same way.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				created, err := client.DIDs.Create(ctx, p)
				if err != nil {
					params, _ := query.Values(p)
					return withCall(err, "did_create", params)
				}
				if created.ID == 0 {
					if d, err := client.DIDs.Get(ctx, created.Number); err == nil {
						created.ID = d.ID
					}
				}
				if created.ID == 0 {
					fmt.Fprintf(a.stdout, "DID %s created (id unknown: see mor did get --number %s)\n", escapeText(created.Number), shellQuote(created.Number))
					return nil
				}
				fmt.Fprintf(a.stdout, "DID %s created with id %d\n", escapeText(created.Number), created.ID)
				return nil
			})
		},
	}
	c.Flags().StringVar(&p.Number, "number", "", "the DID number, digits (did)")
	c.Flags().Var(idFlag{&p.ProviderID, "provider"}, "provider", "provider id (provider_id)")
	_ = c.MarkFlagRequired("number")
	_ = c.MarkFlagRequired("provider")
	return c
}

func (a *app) didAssignCommand() *cobra.Command {
	var p mor.AssignDIDParams
	c := &cobra.Command{
		Use:   "assign --number N --device ID",
		Short: "Route a DID to a device (did_device_assign)",
		Long: `Route a DID to a device (did_device_assign); it becomes active for the
device's user. The DID must be free, or reserved for that user. The device
must belong to one of the caller's users (for the admin, users it owns
directly, itself included).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.DIDs.Assign(ctx, p); err != nil {
					params, _ := query.Values(p)
					return withCall(err, "did_device_assign", params)
				}
				fmt.Fprintf(a.stdout, "DID %s assigned to device %d\n", escapeText(strings.TrimSpace(p.Number)), p.DeviceID)
				return nil
			})
		},
	}
	c.Flags().StringVar(&p.Number, "number", "", "the DID number (did)")
	c.Flags().Var(idFlag{&p.DeviceID, "device"}, "device", "device id (device_id)")
	_ = c.MarkFlagRequired("number")
	_ = c.MarkFlagRequired("device")
	return c
}

func (a *app) didUnassignCommand() *cobra.Command {
	var number string
	c := &cobra.Command{
		Use:   "unassign --number N",
		Short: "Detach a DID from its device and free it (did_device_unassign)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.DIDs.Unassign(ctx, number); err != nil {
					return withCall(err, "did_device_unassign", url.Values{"did": {number}})
				}
				fmt.Fprintf(a.stdout, "DID %s unassigned\n", escapeText(strings.TrimSpace(number)))
				return nil
			})
		},
	}
	c.Flags().StringVar(&number, "number", "", "the DID number (did)")
	_ = c.MarkFlagRequired("number")
	return c
}

func (a *app) didUpdateCommand() *cobra.Command {
	var p mor.UpdateDIDParams
	var free bool
	var limit *int64
	c := &cobra.Command{
		Use:   "update --id ID [--user ID | --free] [--call-limit N]",
		Short: "Reserve a DID for a user or reseller, free it, or set its call limit (did_details_update)",
		Long: `Reserve a DID for a user or reseller, free it, or set its call limit
(did_details_update). --id is the DID's id (see mor did get), not its
number. --free frees the DID at once, even when another part of the
request is refused. --call-limit 0 is unlimited.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if free {
				p.UserID = new(mor.DIDMakeFree)
			}
			p.CallLimit = limit
			if p.UserID == nil && p.CallLimit == nil {
				return usagef("%s: nothing to change: give --user, --free or --call-limit", cmd.CommandPath())
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.DIDs.Update(ctx, p); err != nil {
					params, _ := query.Values(p)
					return withCall(err, "did_details_update", params)
				}
				fmt.Fprintf(a.stdout, "DID %d updated\n", p.DIDID)
				return nil
			})
		},
	}
	c.Flags().Var(idFlag{&p.DIDID, "DID"}, "id", "the DID's id (did_id)")
	c.Flags().Var(didOptID{&p.UserID, "user"}, "user", "reserve for this user or reseller (did_user_id)")
	c.Flags().BoolVar(&free, "free", false, "make the DID free (did_user_id=-1)")
	c.Flags().Var(didOptID{&limit, "call limit"}, "call-limit", "simultaneous call limit, 0 unlimited (call_limit)")
	_ = c.MarkFlagRequired("id")
	c.MarkFlagsMutuallyExclusive("user", "free")
	return c
}

func (a *app) didStopCommand() *cobra.Command {
	var id int64
	c := &cobra.Command{
		Use:   "stop --id ID",
		Short: "Close an active DID's subscription (did_subscription_stop)",
		Long: `Close an active DID's subscription (did_subscription_stop): its status
becomes closed until now plus the server's "days for DID close". --id is
the DID's id, not its number. Closing a closed DID again moves that date
forward.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.DIDs.StopSubscription(ctx, id); err != nil {
					return withCall(err, "did_subscription_stop", url.Values{"dids_id": {strconv.FormatInt(id, 10)}})
				}
				fmt.Fprintf(a.stdout, "DID %d closed\n", id)
				return nil
			})
		},
	}
	c.Flags().Var(idFlag{&id, "DID"}, "id", "the DID's id (dids_id)")
	_ = c.MarkFlagRequired("id")
	return c
}

func (a *app) didQuickForwardCommand() *cobra.Command {
	c := &cobra.Command{
		Use:     "quickforward",
		Aliases: []string{"qf"},
		Short:   "A simple user's quick forwards: list, set and delete (quickforwards_*)",
		Long: `A simple user's quick forwards (quickforwards_dids_get,
quickforwards_did_update, quickforwards_did_delete): where calls to the
quick-forward DIDs the user's rule allows are sent. Run them as the simple
user (MOR_USER); other users are refused.`,
	}
	c.AddCommand(a.qfListCommand(), a.qfSetCommand(), a.qfDeleteCommand())
	return c
}

func (a *app) qfListCommand() *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "list [--output table|json|csv]",
		Short: "List the quick-forward DIDs and their targets (quickforwards_dids_get)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := didCheckOutput(output); err != nil {
				return err
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				qfs, err := client.DIDs.QuickForwards(ctx)
				if err != nil {
					return withCall(err, "quickforwards_dids_get", url.Values{})
				}
				return writeDIDQuickForwards(a.stdout, output, qfs)
			})
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	return c
}

type didQFRecord struct {
	Number      string `json:"number"`
	ForwardTo   string `json:"forward_to"`
	Description string `json:"description"`
}

func writeDIDQuickForwards(w io.Writer, output string, qfs []mor.QuickForwardDID) error {
	recs := make([]didQFRecord, len(qfs))
	for i, q := range qfs {
		recs[i] = didQFRecord(q)
	}
	switch output {
	case "json":
		return writeJSON(w, recs)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"number", "forward_to", "description"})
		for _, r := range recs {
			_ = cw.Write([]string{r.Number, r.ForwardTo, r.Description})
		}
		cw.Flush()
		return cw.Error()
	default:
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NUMBER\tFORWARD TO\tDESCRIPTION")
		for _, r := range recs {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", escapeText(r.Number), escapeText(r.ForwardTo), oneLine(r.Description))
		}
		return tw.Flush()
	}
}

func (a *app) qfSetCommand() *cobra.Command {
	var p mor.QuickForwardParams
	c := &cobra.Command{
		Use:   "set --number N --to NUMBER [--description T]",
		Short: "Forward calls to a quick-forward DID to a number (quickforwards_did_update)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				q, err := client.DIDs.UpdateQuickForward(ctx, p)
				if err != nil {
					params, _ := query.Values(p)
					return withCall(err, "quickforwards_did_update", params)
				}
				fmt.Fprintf(a.stdout, "DID %s forwards to %s\n", escapeText(q.Number), escapeText(q.ForwardTo))
				return nil
			})
		},
	}
	c.Flags().StringVar(&p.Number, "number", "", "the quick-forward DID (did)")
	c.Flags().StringVar(&p.ForwardTo, "to", "", "the number to forward to (forward_to)")
	c.Flags().StringVar(&p.Description, "description", "", "description")
	_ = c.MarkFlagRequired("number")
	_ = c.MarkFlagRequired("to")
	return c
}

func (a *app) qfDeleteCommand() *cobra.Command {
	var number string
	c := &cobra.Command{
		Use:   "delete --number N",
		Short: "Remove the forward of a quick-forward DID (quickforwards_did_delete)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.DIDs.DeleteQuickForward(ctx, number); err != nil {
					return withCall(err, "quickforwards_did_delete", url.Values{"did": {number}})
				}
				fmt.Fprintf(a.stdout, "forward of DID %s deleted\n", escapeText(strings.TrimSpace(number)))
				return nil
			})
		},
	}
	c.Flags().StringVar(&number, "number", "", "the quick-forward DID (did)")
	_ = c.MarkFlagRequired("number")
	return c
}

// didHints are the hints for the DID commands' errors, or nil to fall back
// to the general ones.
func didHints(err error, ce *callError) []string {
	if ce == nil || !strings.HasPrefix(ce.method, "did") && !strings.HasPrefix(ce.method, "quickforwards") {
		return nil
	}
	number := ce.params.Get("did")
	if number == "" {
		number = "NUMBER"
	} else {
		number = shellQuote(strings.TrimSpace(number))
	}
	switch {
	case mor.InDoubt(err) && ce.method != "dids_get" && ce.method != "quickforwards_dids_get":
		return []string{"the " + ce.method + " may have been applied: check with `mor did get --number " + number + "` before retrying"}
	case errors.Is(err, mor.ErrDIDExists):
		return []string{"see it: mor did get --number " + number}
	case errors.Is(err, mor.ErrDIDNotFree):
		return []string{"the DID is routed or reserved for another user: see it with mor did get --number " + number +
			", free it with mor did unassign or mor did update --free"}
	case errors.Is(err, mor.ErrNotAuthorized) && strings.HasPrefix(ce.method, "quickforwards"):
		return []string{"quick forwards are a simple user's: run as that user (MOR_USER)"}
	case errors.Is(err, mor.ErrNotAuthorized):
		return []string{"an accountant needs manage_dids_opt_1 (and device_manage, user_manage to assign) in MOR's permissions; a reseller may use only its own providers, DIDs and users' devices"}
	case errors.Is(err, mor.ErrAccessDenied):
		return []string{"simple users may not manage DIDs: use an admin, reseller or accountant (MOR_USER)"}
	}
	return nil
}
