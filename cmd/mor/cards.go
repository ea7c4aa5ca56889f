package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
)

// The calling-card and SMS commands. Calls that move money (top-up, sale,
// payment, SMS) are never re-sent silently: when one ends in doubt (no
// reply after the request was sent) mor checks what it can, says what it
// checked, and records the call as in doubt. The same call again is then
// refused until a check shows the first one did not land, or --force.

func (a *app) cardCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "card",
		Short: "Calling cards and card groups: list, sell, top up, pay, create, edit",
	}
	c.AddCommand(a.cardListCommand(), a.cardBalanceCommand(), a.cardGroupCommand(), a.cardGroupsCommand(),
		a.cardSellCommand(), a.cardPayCommand(), a.cardTopUpCommand(), a.cardCreateCommand(), a.cardUpdateCommand(),
		a.cardGroupCreateCommand(), a.cardGroupUpdateCommand())
	return c
}

func (a *app) smsCommand() *cobra.Command {
	c := &cobra.Command{
		Use:   "sms",
		Short: "Send and list SMS messages, subscribe users to SMS",
	}
	c.AddCommand(a.smsSendCommand(), a.smsListCommand(), a.smsSubscribeCommand())
	return c
}

// pin shows a PIN, masked unless --show-secrets.
func pin(p mor.CardPIN, show bool) string {
	if show {
		return p.Reveal()
	}
	return p.String()
}

// ---------------------------------------------------------------------------
// Money calls in doubt are recorded in the money commands' journal
// (--journal, see money.go), keyed by moneyKey over the call's parameters.

// paramsKey is the journal key of a call: a digest of the server, user,
// method and the parameters in name order. params must never hold a PIN or
// a password.
func paramsKey(s settings, method string, params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+strings.Join(params[k], ","))
	}
	return moneyKey(s, method, parts...)
}

// moneyCheck reads the server's state for one money call: landed says
// whether the earlier call is known to have landed (nil: the check cannot
// tell), what says what was checked, and state is what it read.
type moneyCheck func(ctx context.Context, before string) (landed *bool, what, state string, err error)

// moneyCall runs one money call with the doubt rules, recording a call in
// doubt in the journal at path. send performs it.
func (a *app) moneyCall(s settings, path string, force bool, method, what string, params url.Values,
	check moneyCheck, send func(ctx context.Context) error) error {
	j, err := loadJournal(path)
	if err != nil {
		return err
	}
	key := paramsKey(s, method, params)
	ctx, stop := a.commandContext()
	defer stop()
	prev, inDoubt := j.find(key)
	if inDoubt && !force {
		if check == nil {
			return fmt.Errorf("an identical %s (%s) ended in doubt at %s and nothing the API offers can tell whether it landed; "+
				"not sending it again: rerun with --force to send anyway", method, what, prev.SentAt.Format(time.RFC3339))
		}
		landed, checked, _, err := check(ctx, prev.Before)
		if err != nil {
			return fmt.Errorf("an identical %s ended in doubt at %s and the check (%s) failed: %w; rerun with --force to send anyway",
				method, prev.SentAt.Format(time.RFC3339), checked, err)
		}
		switch {
		case landed == nil:
			return fmt.Errorf("an identical %s ended in doubt at %s; checked %s: cannot tell; rerun with --force to send anyway",
				method, prev.SentAt.Format(time.RFC3339), checked)
		case *landed:
			_ = j.remove(key)
			return fmt.Errorf("an identical %s ended in doubt at %s and it landed (checked %s): not sending it again", method,
				prev.SentAt.Format(time.RFC3339), checked)
		}
		fmt.Fprintf(a.stderr, "mor: the earlier %s did not land (checked %s): sending it\n", method, checked)
		inDoubt = false
	}
	before := ""
	if check != nil {
		if _, _, st, err := check(ctx, ""); err == nil {
			before = st
		}
	}
	err = send(ctx)
	if err == nil || !mor.InDoubt(err) {
		if !inDoubt || err == nil {
			if werr := j.remove(key); werr != nil && err == nil {
				fmt.Fprintln(a.stderr, "mor: warning: could not update "+path+": "+werr.Error())
			}
		}
		return withCall(err, method, params)
	}
	// In doubt: say what a check shows now, and remember the call unless
	// the check shows it did not land.
	msg := "the " + method + " may have been applied (" + escapeText(err.Error()) + ")"
	if check != nil {
		cctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		landed, checked, _, cerr := check(cctx, before)
		cancel()
		switch {
		case cerr != nil:
			msg += "; the check (" + checked + ") failed too: " + cerr.Error()
		case landed == nil:
			msg += "; checked " + checked + ": cannot tell"
		case *landed:
			_ = j.remove(key)
			fmt.Fprintln(a.stderr, "mor: "+msg+"; checked "+checked+": it landed")
			return withCall(err, method, params)
		default:
			_ = j.remove(key)
			fmt.Fprintln(a.stderr, "mor: "+msg+"; checked "+checked+": it did not land, running it again is safe")
			return withCall(err, method, params)
		}
	}
	e := journalEntry{Key: key, Method: method, What: what, SentAt: time.Now().UTC().Truncate(time.Second), UserID: -1, Before: before}
	if werr := j.put(e); werr != nil {
		msg += "; could not record it in " + path + ": " + werr.Error()
	}
	fmt.Fprintln(a.stderr, "mor: "+msg+"; recorded as in doubt: the same command is refused until a check shows it did not land, or --force")
	return withCall(err, method, params)
}

// ---------------------------------------------------------------------------
// reads

func (a *app) cardListCommand() *cobra.Command {
	var p mor.CardsListParams
	var output, pinFilter, sold string
	var show bool
	var distributor int64
	c := &cobra.Command{
		Use:   "list [filters] [--output table|json|csv] [--show-secrets]",
		Short: "List calling cards (calling_cards_get)",
		Long: `List calling cards (calling_cards_get), streamed as they arrive. PINs are
masked unless --show-secrets. Filters match exactly (the server passes % and _
through as wildcards); nothing is hashed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output, "table", "json", "csv"); err != nil {
				return err
			}
			switch sold {
			case "":
			case "yes", "no":
				b := sold == "yes"
				p.Sold = &b
			default:
				return usagef("--sold must be yes or no, not %q", sold)
			}
			if pinFilter != "" {
				p.PIN = mor.NewCardPIN(pinFilter)
			}
			if cmd.Flags().Changed("distributor") {
				p.DistributorID = &distributor
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				return writeCards(a.stdout, output, show, client.Cards.All(ctx, p))
			})
		},
	}
	f := c.Flags()
	f.StringVar(&p.Number, "number", "", "card number")
	f.StringVar(&p.Name, "name", "", "card name")
	f.StringVar(&pinFilter, "pin", "", "card PIN")
	f.StringVar(&p.BatchNumber, "batch", "", "batch number")
	f.StringVar(&p.CallerID, "callerid", "", "caller ID bound to the card")
	f.Var(decimalPtrFlag{&p.MinBalance}, "min-balance", "stored balance at least")
	f.Var(decimalPtrFlag{&p.MaxBalance}, "max-balance", "stored balance at most")
	f.StringVar(&p.Language, "language", "", "card language")
	f.StringVar(&sold, "sold", "", "yes: sold cards only; no: unsold only")
	f.Var(idFlag{&distributor, "user"}, "distributor", "distributor's user id")
	f.StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	f.BoolVar(&show, "show-secrets", false, "print PINs instead of masking them")
	return c
}

type cardRecord struct {
	ID          int64  `json:"id"`
	Number      string `json:"number"`
	Name        string `json:"name"`
	PIN         string `json:"pin"`
	Batch       string `json:"batch_number"`
	CallerID    string `json:"callerid"`
	Balance     string `json:"balance"`
	MinBalance  string `json:"min_balance"`
	Sold        bool   `json:"sold"`
	Language    string `json:"language"`
	Distributor string `json:"distributor,omitempty"`
	FirstUse    string `json:"first_use,omitempty"`
}

func writeCards(w io.Writer, output string, show bool, seq func(func(mor.Card, error) bool)) error {
	var cw *csv.Writer
	var tw *tabwriter.Writer
	var recs []cardRecord
	switch output {
	case "csv":
		cw = csv.NewWriter(w)
		_ = cw.Write([]string{"id", "number", "name", "pin", "batch_number", "callerid", "balance", "min_balance", "sold", "language", "distributor"})
	case "table":
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNUMBER\tPIN\tBALANCE\tSOLD\tCALLERID\tNAME\tBATCH")
	default:
		recs = []cardRecord{}
	}
	for k, err := range seq {
		if err != nil {
			if tw != nil {
				_ = tw.Flush()
			}
			if cw != nil {
				cw.Flush()
			}
			return withCall(err, "calling_cards_get", nil)
		}
		r := cardRecord{ID: k.ID, Number: k.Number, Name: k.Name, PIN: pin(k.PIN, show), Batch: k.BatchNumber, CallerID: k.CallerID,
			Balance: k.Balance.String(), MinBalance: k.MinBalance.String(), Sold: k.Sold, Language: k.Language, Distributor: k.Distributor}
		if k.FirstUse != nil {
			r.FirstUse = k.FirstUse.Format(time.DateTime)
		}
		switch {
		case cw != nil:
			_ = cw.Write([]string{strconv.FormatInt(r.ID, 10), r.Number, r.Name, r.PIN, r.Batch, r.CallerID, r.Balance, r.MinBalance,
				fmtBool(r.Sold), r.Language, r.Distributor})
		case tw != nil:
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, escapeText(r.Number), escapeText(r.PIN), r.Balance, fmtBool(r.Sold),
				escapeText(r.CallerID), oneLine(r.Name), oneLine(r.Batch))
		default:
			recs = append(recs, r)
		}
	}
	switch {
	case cw != nil:
		cw.Flush()
		return cw.Error()
	case tw != nil:
		return tw.Flush()
	}
	return writeJSON(w, recs)
}

func (a *app) cardBalanceCommand() *cobra.Command {
	var number, output string
	c := &cobra.Command{
		Use:   "balance --number N",
		Short: "Show a card's stored balance (card_balance_get)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "text" && output != "json" {
				return usagef("--output must be text or json, not %q", output)
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				m, err := client.Cards.Balance(ctx, number)
				if err != nil {
					return withCall(err, "card_balance_get", url.Values{"number": {number}})
				}
				if output == "json" {
					return writeCardBalance(a.stdout, number, m)
				}
				fmt.Fprintf(a.stdout, "%s %s\n", m.Amount, escapeText(m.Currency))
				return nil
			})
		},
	}
	c.Flags().StringVar(&number, "number", "", "card number")
	c.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	_ = c.MarkFlagRequired("number")
	return c
}

func (a *app) cardGroupCommand() *cobra.Command {
	var id int64
	var output string
	c := &cobra.Command{
		Use:   "group --id ID",
		Short: "Show one card group (card_group_get)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != "text" && output != "json" {
				return usagef("--output must be text or json, not %q", output)
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				g, err := client.Cards.Group(ctx, id)
				if err != nil {
					return withCall(err, "card_group_get", url.Values{"id": {strconv.FormatInt(id, 10)}})
				}
				if output == "json" {
					return writeCardGroup(a.stdout, g)
				}
				fmt.Fprintf(a.stdout, "name:           %s\ndescription:    %s\nprice:          %s %s\nprice_with_tax: %s %s\nfree_cards:     %d\nnumber/pin:     %d/%d\n",
					escapeText(g.Name), escapeText(g.Description), g.Price.Amount, escapeText(g.Price.Currency), g.PriceWithTax.Amount,
					escapeText(g.Price.Currency), g.FreeCards, g.NumberLength, g.PINLength)
				return nil
			})
		},
	}
	c.Flags().Var(idFlag{&id, "card group"}, "id", "card group id")
	c.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	_ = c.MarkFlagRequired("id")
	return c
}

func (a *app) cardGroupsCommand() *cobra.Command {
	var id int64
	var output string
	c := &cobra.Command{
		Use:   "groups [--id ID] [--output table|json|csv]",
		Short: "List card groups (cc_groups_get)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output, "table", "json", "csv"); err != nil {
				return err
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				gs, err := client.Cards.Groups(ctx, id)
				if err != nil {
					return withCall(err, "cc_groups_get", nil)
				}
				switch output {
				case "json":
					return writeJSON(a.stdout, gs)
				case "csv":
					cw := csv.NewWriter(a.stdout)
					_ = cw.Write([]string{"id", "name", "description", "number_length", "pin_length", "tariff", "lcr", "price", "price_without_tax", "cards"})
					for _, g := range gs {
						_ = cw.Write([]string{strconv.FormatInt(g.ID, 10), g.Name, g.Description, strconv.FormatInt(g.NumberLength, 10),
							strconv.FormatInt(g.PINLength, 10), g.Tariff, g.LCR, g.Price.String(), g.PriceWithoutTax.String(), strconv.FormatInt(g.Cards, 10)})
					}
					cw.Flush()
					return cw.Error()
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tNAME\tNUMBER/PIN\tTARIFF\tPRICE\tCARDS")
				for _, g := range gs {
					fmt.Fprintf(tw, "%d\t%s\t%d/%d\t%s\t%s\t%d\n", g.ID, oneLine(g.Name), g.NumberLength, g.PINLength, oneLine(g.Tariff), g.Price, g.Cards)
				}
				return tw.Flush()
			})
		},
	}
	c.Flags().Var(idFlag{&id, "card group"}, "id", "only this group")
	c.Flags().StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	return c
}

// ---------------------------------------------------------------------------
// money

func (a *app) cardSellCommand() *cobra.Command {
	var group int64
	var number, email, journal string
	var force, show bool
	c := &cobra.Command{
		Use:   "sell --group ID --number N [--email ADDR] [--show-secrets] [--force]",
		Short: "Sell one card of a group by its number (card_from_group_sell)",
		Long: `Sell one card of a group by its number (card_from_group_sell) and print its
PIN (masked unless --show-secrets).

Selling by number is the only form whose outcome can be checked: if the reply
is lost, mor lists the card (calling_cards_get --number) and says whether it
is now sold; the same command is refused while that is unclear, unless
--force.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			client, s, err := a.client(cmd, 1)
			if err != nil {
				return err
			}
			params := url.Values{"id": {strconv.FormatInt(group, 10)}, "number": {number}}
			if cmd.Flags().Changed("email") {
				params.Set("email", email)
			}
			check := func(ctx context.Context, _ string) (*bool, string, string, error) {
				what := "calling_cards_get --number " + number
				cards, err := client.Cards.List(ctx, mor.CardsListParams{Number: number})
				if err != nil {
					return nil, what, "", err
				}
				for _, k := range cards {
					if k.Number == number {
						return &k.Sold, what, fmtBool(k.Sold), nil
					}
				}
				return nil, what, "", nil
			}
			var sold *mor.SoldCard
			err = a.moneyCall(s, journal, force, "card_from_group_sell", "card "+number, params, check, func(ctx context.Context) error {
				if cmd.Flags().Changed("email") {
					cards, err := client.Cards.Sell(ctx, mor.SellCardsParams{GroupID: group, Number: number, Email: &email})
					if err == nil {
						sold = &cards[0]
					}
					return err
				}
				var err error
				sold, err = client.Cards.SellCard(ctx, group, number)
				return err
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "card %s sold: PIN %s, balance %s %s\n", escapeText(sold.Number), escapeText(pin(sold.PIN, show)),
				sold.Balance.Amount, escapeText(sold.Balance.Currency))
			return nil
		},
	}
	f := c.Flags()
	f.Var(idFlag{&group, "card group"}, "group", "card group id")
	f.StringVar(&number, "number", "", "the card's number")
	f.StringVar(&email, "email", "", "record an order and mail the card to this address")
	f.BoolVar(&show, "show-secrets", false, "print the PIN instead of masking it")
	journalFlags(c, &journal, &force)
	_ = c.MarkFlagRequired("group")
	_ = c.MarkFlagRequired("number")
	return c
}

func (a *app) cardPayCommand() *cobra.Command {
	var p mor.CardPaymentParams
	var amount *mor.Decimal
	var journal string
	var force bool
	c := &cobra.Command{
		Use:   "pay --number N --amount X [--currency C] [--description T] [--force]",
		Short: "Pay money onto a sold card (card_payment_add)",
		Long: `Pay money onto a sold card (card_payment_add). The amount includes tax and is
in --currency (default: the system currency).

A repeat credits the card again. If the reply is lost, mor compares the card's
balance (card_balance_get) with the one read before the call and says
whether the payment landed; the same command is refused while that is
unclear, unless --force.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if amount == nil {
				return usagef("--amount is required")
			}
			p.Amount = *amount
			client, s, err := a.client(cmd, 1)
			if err != nil {
				return err
			}
			params := url.Values{"number": {p.Number}, "amount": {p.Amount.String()}}
			if p.Currency != "" {
				params.Set("currency", p.Currency)
			}
			if p.Description != "" {
				params.Set("description", p.Description)
			}
			check := func(ctx context.Context, before string) (*bool, string, string, error) {
				what := "card_balance_get --number " + p.Number
				m, err := client.Cards.Balance(ctx, p.Number)
				if err != nil {
					return nil, what, "", err
				}
				now := m.Amount.String()
				if before == "" {
					return nil, what, now, nil
				}
				landed := now != before
				return &landed, what + " (balance " + before + " before, " + now + " now)", now, nil
			}
			var out *mor.CardPayment
			err = a.moneyCall(s, journal, force, "card_payment_add", "card "+p.Number+" +"+p.Amount.String(), params, check,
				func(ctx context.Context) error {
					var err error
					out, err = client.Cards.AddPayment(ctx, p)
					return err
				})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "card %s: paid %s %s, balance %s -> %s\n", escapeText(out.Number), out.Amount.Amount,
				escapeText(out.Amount.Currency), out.PreviousBalance, out.NewBalance)
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&p.Number, "number", "", "the sold card's number")
	f.Var(decimalPtrFlag{&amount}, "amount", "amount, tax included")
	f.StringVar(&p.Currency, "currency", "", "the amount's currency (default: the system currency)")
	f.StringVar(&p.Description, "description", "", "stored on the payment")
	journalFlags(c, &journal, &force)
	_ = c.MarkFlagRequired("number")
	return c
}

func (a *app) cardTopUpCommand() *cobra.Command {
	var p mor.TopUpByCLIParams
	var pinDigits, journal string
	var force, show bool
	c := &cobra.Command{
		Use:   "topup --callerid N (--amount X [--group ID] | --pin P) [--show-secrets] [--force]",
		Short: "Credit whatever a caller ID belongs to: a device's user or a card (card_by_cli_update)",
		Long: `Credit whatever a caller ID belongs to (card_by_cli_update): the user of a
device with that CLI, the card bound to it, or a new card in --group. With
--pin, the card with that PIN is redeemed instead of an amount.

A repeat adds the amount again, and nothing can tell afterwards which branch
ran: if the reply is lost, mor records the call as in doubt and refuses the
same command until --force.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if pinDigits != "" {
				p.PIN = mor.NewCardPIN(pinDigits)
			}
			client, s, err := a.client(cmd, 1)
			if err != nil {
				return err
			}
			// The PIN never enters the journal key or an error hint, not even hashed.
			params := url.Values{"callerid": {p.CallerID}, "cardgroup_id": {strconv.FormatInt(p.CardGroupID, 10)}}
			if pinDigits != "" {
				params.Set("pin_mode", "1")
			}
			if p.Amount != nil {
				params.Set("amount", p.Amount.String())
			}
			var out *mor.CardTopUp
			err = a.moneyCall(s, journal, force, "card_by_cli_update", "caller ID "+p.CallerID, params, nil, func(ctx context.Context) error {
				var err error
				out, err = client.Cards.TopUpByCLI(ctx, p)
				return err
			})
			if err != nil {
				return err
			}
			if out.Device != nil {
				fmt.Fprintf(a.stdout, "device %d, user %d: balance %s (with tax %s)\n", out.Device.DeviceID, out.Device.UserID,
					out.Device.NewBalance, out.Device.NewBalanceWithVAT)
			}
			for _, k := range out.Cards {
				fmt.Fprintf(a.stdout, "card %d (%s, PIN %s, group %d): balance %s (with tax %s), caller ID %s\n", k.ID, escapeText(k.Number),
					escapeText(pin(k.PIN, show)), k.CardGroupID, k.Balance, k.BalanceWithVAT, escapeText(k.CallerID))
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&p.CallerID, "callerid", "", "the caller number, in full")
	f.Var(decimalPtrFlag{&p.Amount}, "amount", "amount, tax included")
	f.Var(idFlag{&p.CardGroupID, "card group"}, "group", "card group for a new card, or to move the card to")
	f.StringVar(&pinDigits, "pin", "", "redeem the card with this PIN instead of an amount")
	f.BoolVar(&show, "show-secrets", false, "print PINs instead of masking them")
	journalFlags(c, &journal, &force)
	_ = c.MarkFlagRequired("callerid")
	c.MarkFlagsMutuallyExclusive("amount", "pin")
	return c
}

// ---------------------------------------------------------------------------
// writes

func (a *app) cardCreateCommand() *cobra.Command {
	var p mor.CreateCardsParams
	var lang string
	c := &cobra.Command{
		Use:   "create --group ID --from N --till N [--min-balance X] [--language L] [--batch B] [--distributor ID]",
		Short: "Create a range of cards in a group (calling_cards_create)",
		Long: `Create one card per number from --from to --till (calling_cards_create).
Numbers already taken are skipped, so running it again is safe: it creates
only what is missing ("Cards already exist" when nothing is).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("language") {
				p.Language = &lang
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				out, err := client.Cards.Create(ctx, p)
				if err != nil {
					return withCall(err, "calling_cards_create", url.Values{"card_group_id": {strconv.FormatInt(p.GroupID, 10)},
						"cards_from": {p.From}, "cards_till": {p.Till}})
				}
				fmt.Fprintf(a.stdout, "cards created: %d of %d\n", out.Created, out.Total)
				return nil
			})
		},
	}
	f := c.Flags()
	f.Var(idFlag{&p.GroupID, "card group"}, "group", "card group id")
	f.StringVar(&p.From, "from", "", "first card number (the group's number length)")
	f.StringVar(&p.Till, "till", "", "last card number")
	f.Var(decimalPtrFlag{&p.MinBalance}, "min-balance", "minimal balance of each card")
	f.StringVar(&lang, "language", "", "language of each card (default en)")
	f.StringVar(&p.BatchNumber, "batch", "", "batch number of each card")
	f.Var(idFlag{&p.DistributorID, "user"}, "distributor", "distributor's user id")
	_ = c.MarkFlagRequired("group")
	_ = c.MarkFlagRequired("from")
	_ = c.MarkFlagRequired("till")
	return c
}

func (a *app) cardUpdateCommand() *cobra.Command {
	var p mor.UpdateCardParams
	var pinDigits string
	var distributor int64
	c := &cobra.Command{
		Use:   "update --id ID [--number N] [--name T] [--pin P] [--batch B] [--callerid N] [--min-balance X] [--language L] [--distributor ID]",
		Short: "Edit one card (calling_card_update)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if pinDigits != "" {
				p.PIN = mor.NewCardPIN(pinDigits)
			}
			if cmd.Flags().Changed("distributor") {
				p.DistributorID = &distributor
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.Cards.Update(ctx, p); err != nil {
					return withCall(err, "calling_card_update", url.Values{"card_id": {strconv.FormatInt(p.CardID, 10)}})
				}
				fmt.Fprintf(a.stdout, "card %d updated\n", p.CardID)
				return nil
			})
		},
	}
	f := c.Flags()
	f.Var(idFlag{&p.CardID, "card"}, "id", "card id")
	f.StringVar(&p.Number, "number", "", "new number")
	f.StringVar(&p.Name, "name", "", "new name")
	f.StringVar(&pinDigits, "pin", "", "new PIN")
	f.StringVar(&p.BatchNumber, "batch", "", "new batch number")
	f.StringVar(&p.CallerID, "callerid", "", "new caller ID")
	f.Var(decimalPtrFlag{&p.MinBalance}, "min-balance", "new minimal balance (above 0)")
	f.StringVar(&p.Language, "language", "", "new language")
	f.Var(idFlag{&distributor, "user"}, "distributor", "new distributor's user id")
	_ = c.MarkFlagRequired("id")
	return c
}

// groupFlags binds the common card group flags.
func groupFlags(c *cobra.Command, p *mor.CardGroupParams) func() {
	var name, desc, currency string
	var tariff, lcr, location int64
	f := c.Flags()
	f.StringVar(&name, "name", "", "group name (unique)")
	f.StringVar(&desc, "description", "", "description")
	f.Var(decimalPtrFlag{&p.PriceWithVAT}, "price", "a new card's balance (stored as the price, no tax removed)")
	f.Var(decimalPtrFlag{&p.SetupFee}, "setup-fee", "setup fee")
	f.Var(decimalPtrFlag{&p.DailyCharge}, "daily-charge", "daily charge")
	f.Var(idFlag{&tariff, "tariff"}, "tariff", "tariff id")
	f.Var(idFlag{&lcr, "LCR"}, "lcr", "LCR id")
	f.Var(idFlag{&location, "location"}, "location", "location id")
	f.StringVar(&currency, "currency", "", "currency top-ups of the group's cards are given in")
	return func() {
		set := func(flag string, v *string, dst **string) {
			if f.Changed(flag) {
				*dst = v
			}
		}
		seti := func(flag string, v *int64, dst **int64) {
			if f.Changed(flag) {
				*dst = v
			}
		}
		set("name", &name, &p.Name)
		set("description", &desc, &p.Description)
		set("currency", &currency, &p.TellBalanceCurrency)
		seti("tariff", &tariff, &p.TariffID)
		seti("lcr", &lcr, &p.LCRID)
		seti("location", &location, &p.LocationID)
	}
}

func (a *app) cardGroupCreateCommand() *cobra.Command {
	var p mor.CardGroupParams
	var numLen, pinLen int64
	c := &cobra.Command{
		Use:   "group-create --name T [--description T] [--price X] [--number-length N] [--pin-length N] [--tariff ID] [--lcr ID] [--currency C]",
		Short: "Create a card group (cc_group_create)",
		Long: `Create a card group (cc_group_create). The server returns no id: find the
group by its unique name with 'mor card groups'. Running it again answers
"Card Group name must be unique".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("number-length") {
				p.NumberLength = &numLen
			}
			if cmd.Flags().Changed("pin-length") {
				p.PINLength = &pinLen
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.Cards.CreateGroup(ctx, p); err != nil {
					return withCall(err, "cc_group_create", nil)
				}
				fmt.Fprintf(a.stdout, "card group %s created\n", escapeText(*p.Name))
				return nil
			})
		},
	}
	apply := groupFlags(c, &p)
	c.PreRun = func(*cobra.Command, []string) { apply() }
	c.Flags().Int64Var(&numLen, "number-length", 10, "card number length")
	c.Flags().Int64Var(&pinLen, "pin-length", 6, "PIN length, 1 to 30")
	_ = c.MarkFlagRequired("name")
	return c
}

func (a *app) cardGroupUpdateCommand() *cobra.Command {
	var p mor.CardGroupParams
	var id int64
	c := &cobra.Command{
		Use:   "group-update --id ID [--name T] [--description T] [--price X] [--tariff ID] [--lcr ID] [--currency C]",
		Short: "Edit a card group (cc_group_update)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.Cards.UpdateGroup(ctx, id, p); err != nil {
					return withCall(err, "cc_group_update", url.Values{"cc_group_id": {strconv.FormatInt(id, 10)}})
				}
				fmt.Fprintf(a.stdout, "card group %d updated\n", id)
				return nil
			})
		},
	}
	apply := groupFlags(c, &p)
	c.PreRun = func(*cobra.Command, []string) { apply() }
	c.Flags().Var(idFlag{&id, "card group"}, "id", "card group id")
	_ = c.MarkFlagRequired("id")
	return c
}

// ---------------------------------------------------------------------------
// SMS

func (a *app) smsSendCommand() *cobra.Command {
	var p mor.SendSMSParams
	var journal string
	var force bool
	c := &cobra.Command{
		Use:   "send --lcr ID --to N [--from S] --message T [--force]",
		Short: "Send an SMS as the calling simple user (sms_send)",
		Long: `Send an SMS as the calling simple user, who is charged for it (sms_send).
The message is sent exactly as given (every % is protected from the server's
second decoding).

A repeat sends and charges a second SMS, and nothing the API offers can tell
whether a lost request went out: after a lost reply mor records the call as
in doubt and refuses the same command until --force.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			client, s, err := a.client(cmd, 1)
			if err != nil {
				return err
			}
			params := url.Values{"lcr_id": {strconv.FormatInt(p.LCRID, 10)}, "dst": {p.Dst}, "src": {p.Src}, "message": {p.Message}}
			var sent *mor.SMSSent
			err = a.moneyCall(s, journal, force, "sms_send", "SMS to "+p.Dst, params, nil, func(ctx context.Context) error {
				var err error
				sent, err = client.SMS.Send(ctx, p)
				return err
			})
			var se *mor.SMSError
			if errors.As(err, &se) && se.MessageID != 0 {
				fmt.Fprintf(a.stderr, "mor: message %d stored but not sent\n", se.MessageID)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "message %d: %s, price %s %s\n", sent.MessageID, escapeText(sent.Tip), sent.Price.Amount, escapeText(sent.Price.Currency))
			return nil
		},
	}
	f := c.Flags()
	f.Int64Var(&p.LCRID, "lcr", 0, "SMS LCR id")
	f.StringVar(&p.Dst, "to", "", "destination number, digits only")
	f.StringVar(&p.Src, "from", "", "sender id")
	f.StringVar(&p.Message, "message", "", "the text (160 characters per billed part)")
	journalFlags(c, &journal, &force)
	_ = c.MarkFlagRequired("lcr")
	_ = c.MarkFlagRequired("to")
	_ = c.MarkFlagRequired("message")
	return c
}

// toSMSRecord is a message as mor sms list prints it.
func toSMSRecord(m mor.SMSMessage) smsRecord {
	return smsRecord{ID: m.ID, SentAt: m.SentAt.Format(time.RFC3339), StatusCode: m.StatusCode, UserID: m.UserID,
		Number: m.Number, UserRate: m.UserRate.String(), UserPrice: m.UserPrice.String()}
}

type smsRecord struct {
	ID         int64  `json:"id"`
	SentAt     string `json:"sent_at"`
	StatusCode string `json:"status_code"`
	UserID     int64  `json:"user_id"`
	Number     string `json:"number"`
	UserRate   string `json:"user_rate"`
	UserPrice  string `json:"user_price"`
}

func (a *app) smsListCommand() *cobra.Command {
	var p mor.SMSListParams
	var from, till, output string
	var user int64
	c := &cobra.Command{
		Use:   "list [--from YYYY-MM-DD] [--till YYYY-MM-DD] [--user ID] [--status N] [--number N] [--output table|json|csv]",
		Short: "List SMS messages (user_sms_get)",
		Long: `List SMS messages (user_sms_get), today's by default, streamed as they
arrive. The server ends the window at the START of --till's day: to include
a day, give the next one.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkOutput(output, "table", "json", "csv"); err != nil {
				return err
			}
			for _, d := range []struct {
				s   string
				dst *time.Time
			}{{from, &p.From}, {till, &p.Till}} {
				if d.s == "" {
					continue
				}
				t, err := time.ParseInLocation(time.DateOnly, d.s, time.Local)
				if err != nil {
					return usagef("want a date YYYY-MM-DD, not %q", d.s)
				}
				*d.dst = t.Add(12 * time.Hour) // midday: the same date in any server zone near ours
			}
			if cmd.Flags().Changed("user") {
				p.UserID = &user
			}
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				var cw *csv.Writer
				var tw *tabwriter.Writer
				recs := []smsRecord{}
				switch output {
				case "csv":
					cw = csv.NewWriter(a.stdout)
					_ = cw.Write([]string{"id", "sent_at", "status_code", "user_id", "number", "user_rate", "user_price"})
				case "table":
					tw = tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "ID\tSENT\tSTATUS\tUSER\tNUMBER\tPRICE")
				}
				for m, err := range client.SMS.All(ctx, p) {
					if err != nil {
						if tw != nil {
							_ = tw.Flush()
						}
						return withCall(err, "user_sms_get", nil)
					}
					r := toSMSRecord(m)
					switch {
					case cw != nil:
						_ = cw.Write([]string{strconv.FormatInt(r.ID, 10), r.SentAt, r.StatusCode, strconv.FormatInt(r.UserID, 10), r.Number, r.UserRate, r.UserPrice})
					case tw != nil:
						fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", r.ID, r.SentAt, escapeText(r.StatusCode), r.UserID, escapeText(r.Number), r.UserPrice)
					default:
						recs = append(recs, r)
					}
				}
				switch {
				case cw != nil:
					cw.Flush()
					return cw.Error()
				case tw != nil:
					return tw.Flush()
				}
				return writeJSON(a.stdout, recs)
			})
		},
	}
	f := c.Flags()
	f.StringVar(&from, "from", "", "first day (default today)")
	f.StringVar(&till, "till", "", "the day after the last one (default: the end of today)")
	f.Var(idFlag{&user, "user"}, "user", "only this user's messages")
	f.StringVar(&p.StatusCode, "status", "", "only this status code (compared as a number)")
	f.StringVar(&p.Number, "number", "", "only this destination (digits, compared as a number)")
	f.StringVarP(&output, "output", "o", "table", "output format: table, json or csv")
	return c
}

func (a *app) smsSubscribeCommand() *cobra.Command {
	var p mor.SMSSubscribeParams
	c := &cobra.Command{
		Use:   "subscribe --user ID --tariff ID [--lcr ID]",
		Short: "Switch the SMS service on for a user (user_sms_service_subscribe)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withClient(cmd, func(ctx context.Context, client *mor.Client) error {
				if err := client.SMS.Subscribe(ctx, p); err != nil {
					return withCall(err, "user_sms_service_subscribe", nil)
				}
				fmt.Fprintf(a.stdout, "user %d subscribed to SMS\n", p.UserID)
				return nil
			})
		},
	}
	f := c.Flags()
	f.Var(idFlag{&p.UserID, "user"}, "user", "user id")
	f.Var(idFlag{&p.SMSTariffID, "SMS tariff"}, "tariff", "SMS tariff id")
	f.Var(idFlag{&p.SMSLCRID, "SMS LCR"}, "lcr", "SMS LCR id (required when the admin subscribes its own users)")
	_ = c.MarkFlagRequired("user")
	_ = c.MarkFlagRequired("tariff")
	return c
}

// writeCardBalance prints a card's balance as JSON.
func writeCardBalance(w io.Writer, number string, m mor.Money) error {
	return writeJSON(w, map[string]string{"number": number, "balance": m.Amount.String(), "currency": m.Currency})
}

// writeCardGroup prints a card group as JSON.
func writeCardGroup(w io.Writer, g *mor.CardGroup) error {
	return writeJSON(w, map[string]any{"name": g.Name, "description": g.Description, "image_link": g.ImageLink,
		"price": g.Price.Amount.String(), "price_with_tax": g.PriceWithTax.Amount.String(), "currency": g.Price.Currency,
		"free_cards": g.FreeCards, "pin_length": g.PINLength, "number_length": g.NumberLength})
}
