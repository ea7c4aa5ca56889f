package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

// The money commands: invoices, credit notes, statements, services and
// subscriptions (lists and reads), and subscription create, which moves
// money for prepaid users and so never re-sends blindly.

// dateFlag takes YYYY-MM-DD (read at noon UTC, so that any server zone
// within ±12 hours sees that date) or Unix seconds.
type dateFlag struct{ t *time.Time }

func (f dateFlag) Set(s string) error {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 {
		*f.t = time.Unix(n, 0)
		return nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("want a date YYYY-MM-DD or Unix seconds, not %s", quoteText(s))
	}
	*f.t = d.Add(12 * time.Hour)
	return nil
}

func (f dateFlag) String() string {
	if f.t == nil || f.t.IsZero() {
		return ""
	}
	return f.t.UTC().Format(time.DateOnly)
}

func (f dateFlag) Type() string { return "DATE" }

// wallFlag takes a wall clock in the server's zone, "YYYY-MM-DD" or
// "YYYY-MM-DD HH:MM": subscription times are stored as written.
type wallFlag struct{ t *time.Time }

func (f wallFlag) Set(s string) error {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			*f.t = t
			return nil
		}
	}
	return fmt.Errorf("want YYYY-MM-DD or \"YYYY-MM-DD HH:MM\" (server time), not %s", quoteText(s))
}

func (f wallFlag) String() string {
	if f.t == nil || f.t.IsZero() {
		return ""
	}
	return f.t.Format("2006-01-02 15:04")
}

func (f wallFlag) Type() string { return "TIME" }

// table is rows of text printed as a table, CSV or JSON objects.
type table struct {
	head []string
	rows [][]string
}

func (t table) write(w io.Writer, output string) error {
	switch output {
	case "json":
		recs := make([]map[string]string, len(t.rows))
		for i, r := range t.rows {
			m := map[string]string{}
			for j, h := range t.head {
				m[h] = r[j]
			}
			recs[i] = m
		}
		return writeJSON(w, recs)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write(t.head)
		for _, r := range t.rows {
			_ = cw.Write(r)
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(t.head, "\t")))
	for _, r := range t.rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = oneLine(escapeText(c))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

func i64s(n int64) string { return strconv.FormatInt(n, 10) }

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func fmtStamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02 15:04:05 -0700")
}

// listCommand is the shape every money list shares: flags, then one call
// whose rows are printed in the chosen format.
func (a *app) listCommand(use, short string, flags func(*cobra.Command), run func(ctx context.Context, c *mor.Client) (table, error)) *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output, "table", "json", "csv"); err != nil {
				return err
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				t, err := run(ctx, client)
				if err != nil {
					return err
				}
				return t.write(a.stdout, output)
			})
		},
	}
	if flags != nil {
		flags(c)
	}
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	return c
}

func (a *app) invoiceCommand() *cobra.Command {
	c := &cobra.Command{Use: "invoice", Short: "List invoices with their lines"}
	var p mor.InvoicesParams
	c.AddCommand(a.listCommand("list [--from DATE] [--till DATE] [--currency CODE]",
		"List invoices of a period, one row per line (invoices_get)",
		func(c *cobra.Command) {
			c.Flags().Var(dateFlag{&p.From}, "from", "period start, YYYY-MM-DD or Unix seconds (from)")
			c.Flags().Var(dateFlag{&p.Till}, "till", "period end, YYYY-MM-DD or Unix seconds (till)")
			c.Flags().StringVar(&p.Currency, "currency", "", "your API user's currency, printed beside prices (the reply does not name it)")
		},
		func(ctx context.Context, c *mor.Client) (table, error) {
			return invoicesTable(ctx, c, p)
		}))
	return c
}

func (a *app) creditNoteCommand() *cobra.Command {
	c := &cobra.Command{Use: "credit-note", Short: "List credit notes"}
	var p mor.CreditNotesParams
	c.AddCommand(a.listCommand("list [--user ID] [--id ID] [--currency CODE]",
		"List credit notes, one user's or one by id (credit_notes_get)",
		func(c *cobra.Command) {
			c.Flags().Var(idFlag{&p.UserID, "user"}, "user", "only this user's notes (user_id)")
			c.Flags().Var(idFlag{&p.ID, "credit note"}, "id", "only the note with this id (credit_note_id)")
			c.Flags().StringVar(&p.Currency, "currency", "", "your API user's currency, printed beside prices (the reply does not name it)")
		},
		func(ctx context.Context, c *mor.Client) (table, error) {
			return creditNotesTable(ctx, c, p)
		}))
	return c
}

func (a *app) statementCommand() *cobra.Command {
	c := &cobra.Command{Use: "statement", Short: "Show financial statements"}
	var p mor.StatementsParams
	var status string
	c.AddCommand(a.listCommand("get [--user ID] [--status paid|unpaid|all] [--from DATE --till DATE]",
		"Show paid and unpaid totals of invoices, credit notes and payments (financial_statements_get)",
		func(c *cobra.Command) {
			c.Flags().Var(idFlag{&p.UserID, "user"}, "user", "only this user (user_id)")
			c.Flags().StringVar(&status, "status", "", "paid, unpaid or all (status)")
			c.Flags().Var(dateFlag{&p.From}, "from", "window start, YYYY-MM-DD or Unix seconds (date_from; needs --till)")
			c.Flags().Var(dateFlag{&p.Till}, "till", "window end, YYYY-MM-DD or Unix seconds (date_till; needs --from)")
			c.MarkFlagsRequiredTogether("from", "till")
		},
		func(ctx context.Context, c *mor.Client) (table, error) {
			p.Status = mor.StatementStatus(status)
			return statementsTable(ctx, c, p)
		}))
	return c
}

func (a *app) serviceCommand() *cobra.Command {
	c := &cobra.Command{Use: "service", Short: "List services"}
	c.AddCommand(a.listCommand("list", "List the services the caller may see (services_get)", nil,
		func(ctx context.Context, c *mor.Client) (table, error) {
			return servicesTable(ctx, c)
		}))
	return c
}

func (a *app) subscriptionCommand() *cobra.Command {
	c := &cobra.Command{Use: "subscription", Short: "List and create subscriptions"}
	var p mor.SubscriptionsParams
	c.AddCommand(a.listCommand("list [--user ID] [--service ID] [--memo TEXT] [--until-canceled]",
		"List subscriptions (subscriptions_get)",
		func(c *cobra.Command) {
			c.Flags().Var(idFlag{&p.UserID, "user"}, "user", "only this user's (user_id)")
			c.Flags().Var(idFlag{&p.ServiceID, "service"}, "service", "only this service's (service_id)")
			c.Flags().StringVar(&p.Memo, "memo", "", "only the one with exactly this memo (subscription_memo)")
			c.Flags().BoolVar(&p.UntilCanceled, "until-canceled", false, "only those without an end")
			c.Flags().StringVar(&p.Currency, "currency", "", "the server's default currency, printed beside prices (the reply does not name it)")
		},
		func(ctx context.Context, c *mor.Client) (table, error) {
			return subscriptionsTable(ctx, c, p)
		}), a.subscriptionCreateCommand())
	return c
}

func (a *app) subscriptionCreateCommand() *cobra.Command {
	var (
		p     mor.SubscriptionParams
		force bool
	)
	c := &cobra.Command{
		Use:   "create --user ID --service ID --memo TEXT [--start TIME] [--end TIME | --until-canceled]",
		Short: "Subscribe a user to a service; charges prepaid users at once (subscription_create)",
		Long: `Subscribe a user to a service (subscription_create). A prepaid user is
charged at once for the rest of the period. MOR returns no id and has no
idempotency key, so the memo (unique per user and service) is how mor tells
whether a create landed.

Before sending, mor looks for a subscription of this user to this service
with this memo, and refuses to create a second one. If the reply is lost
(a timeout, a dropped connection), mor does not re-send blindly: it looks
again (subscriptions_get with user_id, service_id and subscription_memo) and
says what it found. Found: the create landed, nothing more is sent. Not
found: it did not land, and mor sends it once more. The check failed: mor
refuses to re-send. --force skips these checks and sends anyway.

Times are wall clocks in the server's time zone.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Memo = strings.TrimSpace(p.Memo)
			if p.Memo == "" && !force {
				return usagef("--memo must not be empty: it is how mor checks whether an in-doubt create landed (or use --force)")
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				return a.createSubscription(ctx, client, p, force)
			})
		},
	}
	f := c.Flags()
	f.Var(idFlag{&p.UserID, "user"}, "user", "the subscriber's numeric id (user_id)")
	f.Var(idFlag{&p.ServiceID, "service"}, "service", "the service's numeric id (service_id)")
	f.StringVar(&p.Memo, "memo", "", "a memo unique for this user and service (subscription_memo)")
	f.Var(wallFlag{&p.ActivationStart}, "start", "activation start, server time (default now)")
	f.Var(wallFlag{&p.ActivationEnd}, "end", "activation end, server time")
	f.BoolVar(&p.UntilCanceled, "until-canceled", false, "no end date")
	f.BoolVar(&force, "force", false, "send without looking for an existing subscription, and re-send after an in-doubt failure")
	_ = c.MarkFlagRequired("user")
	_ = c.MarkFlagRequired("service")
	c.MarkFlagsMutuallyExclusive("end", "until-canceled")
	return c
}

// createSubscription sends subscription_create at most once more than the
// checks allow: see the command's help.
func (a *app) createSubscription(ctx context.Context, c *mor.Client, p mor.SubscriptionParams, force bool) error {
	what := fmt.Sprintf("user %d, service %d, memo %s", p.UserID, p.ServiceID, quoteText(p.Memo))
	checked := "subscriptions_get user_id=" + i64s(p.UserID) + " service_id=" + i64s(p.ServiceID) +
		" subscription_memo=" + quoteText(p.Memo)
	find := func() (*mor.Subscription, error) {
		s, err := c.Subscriptions.Find(ctx, p.UserID, p.ServiceID, p.Memo)
		if errors.Is(err, mor.ErrSubscriptionNotFound) {
			return nil, nil
		}
		return s, err
	}
	params := url.Values{"user_id": {i64s(p.UserID)}, "service_id": {i64s(p.ServiceID)}, "subscription_memo": {p.Memo}}
	if !force {
		s, err := find()
		if err != nil {
			return withCall(fmt.Errorf("looking for an existing subscription (%s) before creating: %w", checked, err), "subscriptions_get", nil)
		}
		if s != nil {
			return fmt.Errorf("mor: subscription_create not sent: a subscription with %s already exists (id %d); checked with %s; use another memo, or --force to create another",
				what, s.ID, checked)
		}
	}
	for attempt := 1; ; attempt++ {
		err := c.Subscriptions.Create(ctx, p)
		if err == nil {
			fmt.Fprintf(a.stdout, "subscription created (%s)\n", what)
			return nil
		}
		if !mor.InDoubt(err) {
			return withCall(err, "subscription_create", params)
		}
		fmt.Fprintf(a.stderr, "mor: subscription_create: no reply, it may have been applied: %s\n", escapeText(err.Error()))
		if force {
			if attempt > 1 {
				return withCall(err, "subscription_create", params)
			}
			fmt.Fprintln(a.stderr, "mor: --force: sending it again without checking")
			continue
		}
		if attempt > 1 {
			return withCall(fmt.Errorf("in doubt twice; not sending again: check with %s: %w", checked, err), "subscription_create", params)
		}
		// Let a request still in flight on the server finish first.
		select {
		case <-ctx.Done():
			return withCall(err, "subscription_create", params)
		case <-time.After(time.Second):
		}
		s, cerr := find()
		switch {
		case cerr != nil:
			return withCall(fmt.Errorf("not sent again: checking whether it landed (%s) failed: %v; the first attempt: %w",
				checked, cerr, err), "subscription_create", params)
		case s != nil:
			fmt.Fprintf(a.stderr, "mor: checked with %s: found subscription %d, so the create landed; not sending it again\n",
				escapeText(checked), s.ID)
			fmt.Fprintf(a.stdout, "subscription created (%s; id %d)\n", what, s.ID)
			return nil
		default:
			fmt.Fprintf(a.stderr, "mor: checked with %s: not found, so the create did not land; sending it once more\n",
				escapeText(checked))
		}
	}
}

// invoicesTable is the rows of the group command's list, also printed by mor call -o json.
func invoicesTable(ctx context.Context, c *mor.Client, p mor.InvoicesParams) (table, error) {
	inv, err := c.Invoices.List(ctx, p)
	if err != nil {
		return table{}, withCall(err, "invoices_get", nil)
	}
	t := table{head: []string{"user_id", "number", "product", "quantity", "price", "currency", "date_added", "issue_date"}}
	for _, v := range inv {
		for _, l := range v.Products {
			t.rows = append(t.rows, []string{i64s(v.UserID), v.Number, l.Name, l.Quantity.String(),
				l.Price.Amount.String(), l.Price.Currency, fmtDate(l.DateAdded), fmtDate(l.IssueDate)})
		}
	}
	return t, nil
}

// creditNotesTable is the rows of the group command's list, also printed by mor call -o json.
func creditNotesTable(ctx context.Context, c *mor.Client, p mor.CreditNotesParams) (table, error) {
	notes, err := c.CreditNotes.List(ctx, p)
	if err != nil {
		return table{}, withCall(err, "credit_notes_get", nil)
	}
	t := table{head: []string{"user_id", "number", "issue_date", "price", "price_with_vat", "currency", "pay_date", "comment"}}
	for _, n := range notes {
		pay := ""
		if n.PayDate != nil {
			pay = fmtStamp(*n.PayDate)
		}
		price, gross := "", ""
		if n.PricesShown {
			price, gross = n.Price.Amount.String(), n.PriceWithVAT.Amount.String()
		}
		t.rows = append(t.rows, []string{i64s(n.UserID), i64s(n.Number), fmtStamp(n.IssueDate), price, gross,
			n.Price.Currency, pay, n.Comment})
	}
	return t, nil
}

// statementsTable is the rows of the group command's list, also printed by mor call -o json.
func statementsTable(ctx context.Context, c *mor.Client, p mor.StatementsParams) (table, error) {
	fs, err := c.Statements.Get(ctx, p)
	if err != nil {
		return table{}, withCall(err, "financial_statements_get", nil)
	}
	t := table{head: []string{"type", "status", "count", "price", "price_with_vat", "currency"}}
	for _, s := range fs.Statements {
		t.rows = append(t.rows, []string{s.Type, s.Status, i64s(s.Count), s.Price.Amount.String(),
			s.PriceWithVAT.Amount.String(), fs.Currency})
	}
	return t, nil
}

// servicesTable is the rows of the group command's list, also printed by mor call -o json.
func servicesTable(ctx context.Context, c *mor.Client) (table, error) {
	svcs, err := c.Services.List(ctx)
	if err != nil {
		return table{}, withCall(err, "services_get", nil)
	}
	t := table{head: []string{"id", "name", "type", "period", "price", "self_cost", "currency", "quantity"}}
	for _, s := range svcs {
		price, self := "", ""
		if s.PricesShown {
			price, self = s.Price.Amount.String(), s.SelfCost.Amount.String()
		}
		t.rows = append(t.rows, []string{i64s(s.ID), s.Name, string(s.Type), s.Period, price, self,
			s.Price.Currency, i64s(s.Quantity)})
	}
	return t, nil
}

// subscriptionsTable is the rows of the group command's list, also printed by mor call -o json.
func subscriptionsTable(ctx context.Context, c *mor.Client, p mor.SubscriptionsParams) (table, error) {
	t := table{head: []string{"id", "user_id", "user", "service", "type", "from", "till", "memo", "price", "currency", "time_left"}}
	for s, err := range c.Subscriptions.All(ctx, p) {
		if err != nil {
			return table{}, withCall(err, "subscriptions_get", nil)
		}
		till, left := "", ""
		if s.Till != nil {
			till = fmtStamp(*s.Till)
		}
		if s.TimeLeft != nil {
			left = i64s(*s.TimeLeft)
		}
		t.rows = append(t.rows, []string{i64s(s.ID), i64s(s.UserID), s.User, s.Service, string(s.Type),
			fmtStamp(s.From), till, s.Memo, s.Price.Amount.String(), s.Price.Currency, left})
	}
	return t, nil
}
