package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

// The money commands: mor balance get|update, mor payment create|list,
// mor voucher use. The three that move money keep a small journal of sends
// whose outcome is unknown, so that running the same command again checks
// before it sends.

const moneyJournalHelp = `Sends in doubt. A call that moves money is never retried. When its reply
is lost (a timeout, a dropped connection, a proxy error), the money may have
moved: mor says so, exits 1 and keeps a record of the attempt in the
journal (--journal, default $MOR_JOURNAL, else ` + "`<user cache dir>/mor/in-doubt.json`" + `;
it holds no secret: calls are keyed by a digest of their parameters).
Running the same command again (same server, login and amounts) first
checks whether the earlier attempt landed, says what it checked, and:
  - landed: sends nothing and exits 0;
  - did not land: sends again;
  - cannot tell: refuses (exit 1) unless --force.
A record is written before the request is sent, so a killed mor is covered
too, and removed once the outcome is known.`

// journalEntry is one send whose outcome is unknown.
type journalEntry struct {
	Key    string    `json:"key"`    // server, login, action and the identifying parameters
	Method string    `json:"method"` // the MOR action
	SentAt time.Time `json:"sent_at"`
	// Transaction is the payment's transaction id (given or generated).
	Transaction string `json:"transaction,omitempty"`
	// UserID is the user the money went to (-1: the caller itself).
	UserID int64 `json:"user_id"`
	// Account and BalanceBefore are the balance read before a balance
	// update (to compare with afterwards).
	Account       string `json:"account,omitempty"`
	BalanceBefore string `json:"balance_before,omitempty"`
	// What names the call for a person (e.g. "card 1111111000"); never a
	// secret.
	What string `json:"what,omitempty"`
	// Before is the state a check read before the call (a card's balance,
	// whether it was sold), to compare with afterwards.
	Before string `json:"before,omitempty"`
}

type moneyJournal struct {
	path    string
	Entries []journalEntry `json:"entries"`
}

// defaultJournalPath is $MOR_JOURNAL, else in-doubt.json in mor's user
// cache directory.
func defaultJournalPath() string {
	if p := os.Getenv("MOR_JOURNAL"); p != "" {
		return p
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "mor", "in-doubt.json")
}

func loadJournal(path string) (*moneyJournal, error) {
	j := &moneyJournal{path: path}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return j, nil
	case err != nil:
		return nil, fmt.Errorf("reading the journal: %w", err)
	}
	if err := json.Unmarshal(b, j); err != nil {
		return nil, fmt.Errorf("journal %s is damaged (%v): move it aside after checking its sends", path, err)
	}
	return j, nil
}

func (j *moneyJournal) find(key string) (journalEntry, bool) {
	for _, e := range j.Entries {
		if e.Key == key {
			return e, true
		}
	}
	return journalEntry{}, false
}

// put replaces the entry with e's key (or adds e) and saves.
func (j *moneyJournal) put(e journalEntry) error {
	j.Entries = slices.DeleteFunc(j.Entries, func(x journalEntry) bool { return x.Key == e.Key })
	j.Entries = append(j.Entries, e)
	return j.save()
}

func (j *moneyJournal) remove(key string) error {
	n := len(j.Entries)
	j.Entries = slices.DeleteFunc(j.Entries, func(x journalEntry) bool { return x.Key == key })
	if len(j.Entries) == n {
		return nil
	}
	return j.save()
}

// save writes the journal atomically and syncs it.
func (j *moneyJournal) save() error {
	if err := os.MkdirAll(filepath.Dir(j.path), 0o700); err != nil {
		return fmt.Errorf("writing the journal: %w", err)
	}
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(j.path), ".in-doubt-*")
	if err != nil {
		return fmt.Errorf("writing the journal: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the journal: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing the journal: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing the journal: %w", err)
	}
	if err := os.Rename(tmp.Name(), j.path); err != nil {
		return fmt.Errorf("writing the journal: %w", err)
	}
	return nil
}

// verdict is what a check found about an earlier attempt.
type verdict int

const (
	landed verdict = iota
	notLanded
	unsure
)

// moneySend is the one path of the money commands: check an earlier send in
// doubt, journal, send, clear or keep the journal record.
type moneySend struct {
	a       *app
	journal string
	force   bool
	entry   journalEntry
	// check looks at an earlier attempt in doubt and says what it found.
	check func(ctx context.Context, prior journalEntry) (verdict, string, error)
	// prepare runs before the record is written (read a balance).
	prepare func(ctx context.Context, e *journalEntry) error
	// send makes the call; it gets the entry (with the transaction id to use).
	send func(ctx context.Context, e journalEntry) error
}

func (m *moneySend) run(ctx context.Context) error {
	j, err := loadJournal(m.journal)
	if err != nil {
		return err
	}
	e := m.entry
	if prior, ok := j.find(e.Key); ok {
		e.Transaction = prior.Transaction // the same payment keeps its id
		if m.force {
			fmt.Fprintf(m.a.stderr, "mor: --force: an earlier %s (%s) was in doubt; sending again without checking\n",
				prior.Method, prior.SentAt.Format(time.RFC3339))
		} else {
			v, what, err := m.check(ctx, prior)
			if err != nil {
				return fmt.Errorf("an earlier %s (%s) was in doubt and checking it failed: %w; nothing sent (re-run to check again, or --force)",
					prior.Method, prior.SentAt.Format(time.RFC3339), err)
			}
			switch v {
			case landed:
				fmt.Fprintf(m.a.stdout, "already done: an earlier %s (%s) landed: %s; nothing sent\n",
					prior.Method, prior.SentAt.Format(time.RFC3339), escapeText(what))
				return j.remove(e.Key)
			case unsure:
				return fmt.Errorf("an earlier %s (%s) was in doubt and the check cannot tell whether it landed: %s; nothing sent "+
					"(check by hand, then re-run with --force to send again)", prior.Method, prior.SentAt.Format(time.RFC3339), what)
			}
			fmt.Fprintf(m.a.stderr, "mor: checked an earlier %s (%s): %s: it did not land; sending again\n",
				prior.Method, prior.SentAt.Format(time.RFC3339), escapeText(what))
		}
	}
	if m.prepare != nil {
		if err := m.prepare(ctx, &e); err != nil {
			return err
		}
	}
	e.SentAt = time.Now().UTC().Truncate(time.Second)
	if err := j.put(e); err != nil {
		return fmt.Errorf("%w; nothing sent", err)
	}
	err = m.send(ctx, e)
	if err != nil && mor.InDoubt(err) {
		fmt.Fprintf(m.a.stderr, "mor: %s may have been applied; recorded in %s: run the same command again to check and, only if it did not land, send it\n",
			e.Method, m.journal)
		return err
	}
	if rerr := j.remove(e.Key); rerr != nil && err == nil {
		return rerr
	}
	return err
}

// moneyKey identifies a money send: a SHA-256 digest of the server, the
// login, the call and its identifying parameters, so that the journal never
// holds the parameters themselves (a voucher number, a card number). Callers
// never pass a PIN or a password, not even to be digested.
func moneyKey(s settings, method string, parts ...string) string {
	h := sha256.New()
	for _, p := range append([]string{s.url, s.user, method}, parts...) {
		fmt.Fprintf(h, "%d:%s\x00", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func newTransactionID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "mor-" + hex.EncodeToString(b)
}

// checkWindow is the payments_get window used to look for an earlier
// attempt: from an hour before it (clock skew) to an hour from now.
func checkWindow(sent time.Time) (time.Time, time.Time) {
	return sent.Add(-time.Hour), time.Now().Add(time.Hour)
}

func (a *app) balanceCommand() *cobra.Command {
	c := &cobra.Command{Use: "balance", Short: "Read and change users' balances"}
	c.AddCommand(a.balanceGetCommand(), a.balanceUpdateCommand())
	return c
}

func (a *app) balanceGetCommand() *cobra.Command {
	var p mor.BalanceParams
	var output string
	c := &cobra.Command{
		Use:   "get --account NAME [--currency C | --user-currency] [--output text|json]",
		Short: "Read a user's balance (user_balance_get)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "text" && output != "json" {
				return usagef("--output must be text or json, not %q", output)
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				m, err := client.Balances.Get(ctx, p)
				if err != nil {
					params, _ := query.Values(p)
					return withCall(err, "user_balance_get", params)
				}
				if output == "json" {
					return writeBalance(a.stdout, p.Username, m)
				}
				fmt.Fprintf(a.stdout, "%s %s\n", escapeText(p.Username), escapeText(m.String()))
				return nil
			})
		},
	}
	f := c.Flags()
	f.StringVar(&p.Username, "account", "", "the user's login name (username)")
	f.StringVar(&p.Currency, "currency", "", "convert to this currency, or USER for the user's own")
	f.BoolVar(&p.UserCurrency, "user-currency", false, "convert to the user's own currency and name it")
	f.StringVarP(&output, "output", "o", "text", "output format: text or json")
	_ = c.MarkFlagRequired("account")
	return c
}

func (a *app) balanceUpdateCommand() *cobra.Command {
	var (
		userID  int64
		delta   string
		account string
		journal string
		force   bool
	)
	c := &cobra.Command{
		Use:   "update --user ID --delta D [--account NAME] [--journal PATH] [--force]",
		Short: "Add a signed amount to a user's balance (user_balance_update)",
		Long: `Add a signed amount (--delta, in the caller's currency; negative debits) to a
user's balance (user_balance_update). No payment is recorded: use 'mor
payment create' for a top-up that should show in payment lists.

With --account (the user's login name) mor reads the balance before sending,
so that an in-doubt send can be checked: an unchanged balance means it did
not land. Without it, an in-doubt send cannot be checked and is not sent
again without --force.

` + moneyJournalHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := mor.ParseDecimal(delta)
			if err != nil || d.IsZero() {
				return usagef("--delta must be a non-zero decimal number, e.g. 10.50 or -2.5, not %s", quoteText(delta))
			}
			client, s, err := a.client(cmd, 1)
			if err != nil {
				return err
			}
			ctx, stop := a.commandContext()
			defer stop()
			p := mor.BalanceUpdateParams{UserID: userID, Delta: d}
			readBalance := func(ctx context.Context) (mor.Money, error) {
				return client.Balances.Get(ctx, mor.BalanceParams{Username: account})
			}
			m := &moneySend{a: a, journal: journal, force: force,
				entry: journalEntry{Key: moneyKey(s, "user_balance_update", strconv.FormatInt(userID, 10), d.String()),
					Method: "user_balance_update", UserID: userID, Account: account},
				check: func(ctx context.Context, prior journalEntry) (verdict, string, error) {
					if prior.Account == "" || prior.BalanceBefore == "" {
						return unsure, "no --account was given, so no balance was read before that attempt", nil
					}
					now, err := readBalance(ctx)
					if err != nil {
						return unsure, "", err
					}
					before, _ := mor.ParseDecimal(prior.BalanceBefore)
					what := fmt.Sprintf("the balance of %s was %s before it and is %s now", prior.Account, prior.BalanceBefore, now.Amount)
					if now.Amount.Equal(before) {
						return notLanded, what, nil
					}
					return unsure, what, nil
				},
				prepare: func(ctx context.Context, e *journalEntry) error {
					if account == "" {
						return nil
					}
					b, err := readBalance(ctx)
					if err != nil {
						return fmt.Errorf("reading the balance of %s before sending: %w; nothing sent", account, err)
					}
					e.BalanceBefore = b.Amount.String()
					return nil
				},
				send: func(ctx context.Context, _ journalEntry) error {
					out, err := client.Balances.Update(ctx, p)
					if err != nil {
						params, _ := query.Values(p)
						return withCall(err, "user_balance_update", params)
					}
					fmt.Fprintf(a.stdout, "balance of %s (user %d) is now %s (in the caller's currency)\n",
						escapeText(out.Username), out.UserID, out.Balance)
					return nil
				},
			}
			return m.run(ctx)
		},
	}
	f := c.Flags()
	f.Var(idFlag{&userID, "user"}, "user", "the user's numeric id (user_id)")
	f.StringVar(&delta, "delta", "", "signed amount to add, in the caller's currency (balance)")
	f.StringVar(&account, "account", "", "the user's login name, to read the balance before sending (makes an in-doubt send checkable)")
	journalFlags(c, &journal, &force)
	_ = c.MarkFlagRequired("user")
	_ = c.MarkFlagRequired("delta")
	return c
}

func journalFlags(c *cobra.Command, journal *string, force *bool) {
	c.Flags().StringVar(journal, "journal", defaultJournalPath(), "file recording sends whose outcome is unknown")
	c.Flags().BoolVar(force, "force", false, "send even though an earlier send of the same call is in doubt and could not be shown not to have landed")
}

func (a *app) paymentCommand() *cobra.Command {
	c := &cobra.Command{Use: "payment", Short: "Record and list payments"}
	c.AddCommand(a.paymentCreateCommand(), a.paymentListCommand(), a.paymentImportCommand())
	return c
}

func (a *app) paymentCreateCommand() *cobra.Command {
	var (
		p       mor.CreatePaymentParams
		amount  string
		fee     string
		journal string
		force   bool
		output  string
	)
	c := &cobra.Command{
		Use:   "create --user ID --currency C --amount A [--tax-included] [--transaction ID] [--type T] [--payer-email E] [--fee F] [--description T]",
		Short: "Record a payment and credit the user (payment_create)",
		Long: `Record a payment and credit the user its net amount (payment_create).

Every payment carries a transaction id: --transaction, or one mor generates
(printed with the result) and keeps for a re-run. It is what makes a lost
reply checkable: mor looks the payment up by it (payments_get) before it
sends again.

` + moneyJournalHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "text" && output != "json" {
				return usagef("--output must be text or json, not %q", output)
			}
			d, err := mor.ParseDecimal(amount)
			if err != nil || d.IsZero() {
				return usagef("--amount must be a non-zero decimal number, e.g. 25.00, not %s", quoteText(amount))
			}
			p.Amount = d
			if fee != "" {
				f, err := mor.ParseDecimal(fee)
				if err != nil {
					return usagef("--fee must be a decimal number, not %s", quoteText(fee))
				}
				p.Fee = &f
			}
			if strings.ContainsAny(p.Transaction, "%_") {
				return usagef("--transaction must not contain %% or _ (wildcards in the server's look-up)")
			}
			client, s, err := a.client(cmd, 1)
			if err != nil {
				return err
			}
			ctx, stop := a.commandContext()
			defer stop()
			tx := p.Transaction
			if tx == "" {
				tx = newTransactionID()
			}
			m := &moneySend{a: a, journal: journal, force: force,
				entry: journalEntry{Key: moneyKey(s, "payment_create", strconv.FormatInt(p.UserID, 10), strings.ToUpper(p.Currency),
					p.Amount.String(), strconv.FormatBool(p.TaxIncluded), p.Transaction),
					Method: "payment_create", Transaction: tx, UserID: p.UserID},
				check: func(ctx context.Context, prior journalEntry) (verdict, string, error) {
					from, till := checkWindow(prior.SentAt)
					found, err := client.Payments.FindByTransaction(ctx, prior.Transaction, from, till)
					if err != nil {
						return unsure, "", err
					}
					if len(found) > 0 {
						return landed, fmt.Sprintf("a payment with transaction %s was added %s", prior.Transaction,
							found[0].Date.Format(time.DateTime)), nil
					}
					return notLanded, fmt.Sprintf("no payment with transaction %s between %s and %s", prior.Transaction,
						from.Format(time.RFC3339), till.Format(time.RFC3339)), nil
				},
				send: func(ctx context.Context, e journalEntry) error {
					p.Transaction = e.Transaction
					r, err := client.Payments.Create(ctx, p)
					if err != nil {
						params, _ := query.Values(p)
						return withCall(err, "payment_create", params)
					}
					if output == "json" {
						return writePaymentReceipt(a.stdout, p.Transaction, r)
					}
					fmt.Fprintf(a.stdout, "payment %d recorded (transaction %s): amount %s, tax %s, gross %s\n",
						r.ID, escapeText(p.Transaction), escapeText(r.Amount.String()), escapeText(r.Tax.String()), escapeText(r.Gross.String()))
					return nil
				},
			}
			return m.run(ctx)
		},
	}
	f := c.Flags()
	f.Var(idFlag{&p.UserID, "user"}, "user", "the credited user's numeric id (user_id)")
	f.StringVar(&p.Currency, "currency", "", "the payment's currency name, e.g. EUR (p_currency)")
	f.StringVar(&amount, "amount", "", "amount paid, net unless --tax-included (amount)")
	f.BoolVar(&p.TaxIncluded, "tax-included", false, "the amount includes the user's tax (tax_in_amount=1)")
	f.StringVar(&p.Transaction, "transaction", "", "your unique id for this payment (transaction); generated when not given")
	f.StringVar(&p.PaymentType, "type", "", "payment type, free text (paymenttype)")
	f.StringVar(&p.PayerEmail, "payer-email", "", "payer's e-mail (payer_email)")
	f.StringVar(&fee, "fee", "", "fee, for information (fee)")
	f.StringVar(&p.Description, "description", "", "description")
	f.StringVarP(&output, "output", "o", "text", "output format: text or json")
	journalFlags(c, &journal, &force)
	_ = c.MarkFlagRequired("user")
	_ = c.MarkFlagRequired("currency")
	_ = c.MarkFlagRequired("amount")
	return c
}

func (a *app) paymentListCommand() *cobra.Command {
	var (
		p                            mor.PaymentsParams
		from, till, user, completed  string
		amountMin, amountMax, output string
	)
	c := &cobra.Command{
		Use:   "list [--from T --till T] [--user ID] [--transaction PREFIX] [filters] [--output table|json|csv]",
		Short: "List payments in a time window (payments_get)",
		Long: `List payments in a time window (payments_get). --from and --till are
RFC 3339 times or YYYY-MM-DD dates (local midnight); without them the server
lists its today. --transaction, --username, --first-name and --last-name are
prefixes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "table" && output != "json" && output != "csv" {
				return usagef("--output must be table, json or csv, not %q", output)
			}
			var err error
			if p.From, err = parseWhen(from, "--from"); err != nil {
				return err
			}
			if p.Till, err = parseWhen(till, "--till"); err != nil {
				return err
			}
			if p.From.IsZero() != p.Till.IsZero() {
				return usagef("--from and --till go together")
			}
			if user != "" {
				var id int64
				if err := (idFlag{&id, "user"}).Set(user); err != nil {
					return usagef("--user: %v", err)
				}
				p.UserID = &id
			}
			switch completed {
			case "":
			case "yes", "no":
				v := completed == "yes"
				p.Completed = &v
			default:
				return usagef("--completed must be yes or no")
			}
			for _, x := range []struct {
				s    string
				dst  **mor.Decimal
				name string
			}{{amountMin, &p.AmountMin, "--amount-min"}, {amountMax, &p.AmountMax, "--amount-max"}} {
				if x.s == "" {
					continue
				}
				v, err := mor.ParseDecimal(x.s)
				if err != nil {
					return usagef("%s must be a decimal number", x.name)
				}
				*x.dst = &v
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				ps, err := client.Payments.List(ctx, p)
				if err != nil {
					params, _ := query.Values(p)
					return withCall(err, "payments_get", params)
				}
				return writePayments(a.stdout, output, ps)
			})
		},
	}
	f := c.Flags()
	f.StringVar(&from, "from", "", "start of the window (s_from)")
	f.StringVar(&till, "till", "", "end of the window, inclusive (s_till)")
	f.StringVar(&user, "user", "", "only this user's payments, by numeric id (s_user_id)")
	f.StringVar(&p.Transaction, "transaction", "", "transaction id prefix (s_transaction)")
	f.StringVar(&completed, "completed", "", "yes or no (s_completed)")
	f.StringVar(&p.Username, "username-prefix", "", "user login name prefix (s_username)")
	f.StringVar(&p.FirstName, "first-name", "", "first name prefix (s_first_name)")
	f.StringVar(&p.LastName, "last-name", "", "last name prefix (s_last_name)")
	f.StringVar(&p.PaymentType, "type", "", "payment type, whole (s_paymenttype)")
	f.StringVar(&p.Currency, "currency", "", "currency (s_currency)")
	f.StringVar(&amountMin, "amount-min", "", "smallest amount (s_amount_min)")
	f.StringVar(&amountMax, "amount-max", "", "largest amount (s_amount_max)")
	f.StringVar(&p.CardNumber, "card-number", "", "calling card number prefix (s_number)")
	f.StringVar(&p.CardPIN, "card-pin", "", "calling card PIN prefix (s_pin)")
	f.StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	return c
}

func parseWhen(s, flag string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, time.Local); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("%s must be an RFC 3339 time or a YYYY-MM-DD date, not %s", flag, quoteText(s))
}

// paymentRecord is one payment as printed by mor payment list.
type paymentRecord struct {
	User          string `json:"user"`
	Payer         string `json:"payer"`
	Transaction   string `json:"transaction_id"`
	Date          string `json:"date"`
	ConfirmedAt   string `json:"confirmed_at"`
	Type          string `json:"type"`
	Amount        string `json:"amount"`
	Fee           string `json:"fee"`
	AmountWithTax string `json:"amount_with_tax"`
	Currency      string `json:"currency"`
	Completed     bool   `json:"completed"`
	PendingReason string `json:"pending_reason"`
	Confirmed     bool   `json:"confirmed_by_admin"`
}

func writePayments(w io.Writer, output string, ps []mor.Payment) error {
	recs := make([]paymentRecord, len(ps))
	for i, p := range ps {
		r := paymentRecord{User: p.User, Payer: p.Payer, Transaction: p.TransactionID, Date: p.Date.Format(time.DateTime),
			Type: p.Type, Amount: p.Amount.Amount.String(), AmountWithTax: p.AmountWithTax.Amount.String(),
			Currency: p.Amount.Currency, Completed: p.Completed, PendingReason: p.PendingReason, Confirmed: p.ConfirmedByAdmin}
		if p.ConfirmedAt != nil {
			r.ConfirmedAt = p.ConfirmedAt.Format(time.DateTime)
		}
		if p.Fee != nil {
			r.Fee = p.Fee.Amount.String()
		}
		recs[i] = r
	}
	switch output {
	case "json":
		return writeJSON(w, recs)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"user", "payer", "transaction_id", "date", "confirmed_at", "type", "amount", "fee",
			"amount_with_tax", "currency", "completed", "pending_reason", "confirmed_by_admin"})
		for _, r := range recs {
			_ = cw.Write([]string{r.User, r.Payer, r.Transaction, r.Date, r.ConfirmedAt, r.Type, r.Amount, r.Fee,
				r.AmountWithTax, r.Currency, fmtBool(r.Completed), r.PendingReason, fmtBool(r.Confirmed)})
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tUSER\tTRANSACTION\tTYPE\tAMOUNT\tWITH TAX\tCURRENCY\tSTATE")
	for _, r := range recs {
		state := "completed"
		if !r.Completed {
			state = "pending: " + r.PendingReason
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Date, oneLine(r.User), oneLine(r.Transaction), oneLine(r.Type),
			r.Amount, r.AmountWithTax, oneLine(r.Currency), oneLine(state))
	}
	return tw.Flush()
}

func (a *app) voucherCommand() *cobra.Command {
	c := &cobra.Command{Use: "voucher", Short: "Redeem prepaid vouchers"}
	c.AddCommand(a.voucherUseCommand())
	return c
}

func (a *app) voucherUseCommand() *cobra.Command {
	var (
		p       mor.UseVoucherParams
		user    string
		journal string
		force   bool
	)
	c := &cobra.Command{
		Use:   "use --number N [--user ID] [--journal PATH] [--force]",
		Short: "Redeem a voucher onto a balance (voucher_use)",
		Long: `Redeem a voucher onto the caller's balance, or (admin only) onto --user's
(voucher_use). A voucher is single-use: sending it again can never credit
twice, but answers "Voucher was not found" either way, so an in-doubt send
is checked by looking for the redemption (a voucher payment of the user).

` + moneyJournalHelp,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Number = strings.TrimSpace(p.Number)
			target := int64(-1)
			if user != "" {
				var id int64
				if err := (idFlag{&id, "user"}).Set(user); err != nil {
					return usagef("--user: %v", err)
				}
				p.UserID, target = &id, id
			}
			client, s, err := a.client(cmd, 1)
			if err != nil {
				return err
			}
			ctx, stop := a.commandContext()
			defer stop()
			m := &moneySend{a: a, journal: journal, force: force,
				entry: journalEntry{Key: moneyKey(s, "voucher_use", p.Number, strconv.FormatInt(target, 10)),
					Method: "voucher_use", UserID: target},
				check: func(ctx context.Context, prior journalEntry) (verdict, string, error) {
					from, till := checkWindow(prior.SentAt)
					rp := mor.RedemptionsParams{From: from, Till: till}
					who := "the caller"
					if prior.UserID >= 0 {
						id := prior.UserID
						rp.UserID, who = &id, "user "+strconv.FormatInt(id, 10)
					}
					found, err := client.Vouchers.Redemptions(ctx, rp)
					if err != nil {
						return unsure, "", err
					}
					switch {
					case len(found) == 0:
						return notLanded, fmt.Sprintf("no voucher redemption by %s between %s and %s", who,
							from.Format(time.RFC3339), till.Format(time.RFC3339)), nil
					case prior.UserID >= 0:
						return landed, fmt.Sprintf("%s redeemed a voucher worth %s at %s", who, found[len(found)-1].Amount,
							found[len(found)-1].Date.Format(time.DateTime)), nil
					}
					return unsure, fmt.Sprintf("%d voucher redemptions in the window, and no --user to tell whose", len(found)), nil
				},
				send: func(ctx context.Context, _ journalEntry) error {
					v, err := client.Vouchers.Use(ctx, p)
					if err != nil {
						params, _ := query.Values(p)
						return withCall(err, "voucher_use", params)
					}
					fmt.Fprintf(a.stdout, "voucher %s redeemed onto user %d: %s without tax (%s with), balance now %s\n",
						escapeText(v.Number), v.UserID, escapeText(v.CreditWithoutTax.String()), escapeText(v.CreditWithTax.String()),
						v.BalanceAfter)
					return nil
				},
			}
			return m.run(ctx)
		},
	}
	f := c.Flags()
	f.StringVar(&p.Number, "number", "", "the voucher's number (voucher_number)")
	f.StringVar(&user, "user", "", "admin only: redeem onto this user (numeric id; user_id)")
	journalFlags(c, &journal, &force)
	_ = c.MarkFlagRequired("number")
	return c
}

// writeBalance prints an account's balance as JSON.
func writeBalance(w io.Writer, account string, m mor.Money) error {
	return writeJSON(w, map[string]string{"account": account, "balance": m.Amount.String(), "currency": m.Currency})
}

// writePaymentReceipt prints payment_create's result as JSON.
func writePaymentReceipt(w io.Writer, transaction string, r *mor.PaymentReceipt) error {
	return writeJSON(w, map[string]any{"payment_id": r.ID, "transaction": transaction,
		"amount": r.Amount.Amount.String(), "tax": r.Tax.Amount.String(), "gross": r.Gross.Amount.String(),
		"currency": r.Amount.Currency})
}
