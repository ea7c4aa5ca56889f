package mor

import (
	"context"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The calling-card group: card_by_cli_update, card_group_get,
// card_from_group_sell, card_balance_get, card_payment_add,
// calling_cards_get, calling_cards_create, calling_card_update,
// cc_groups_get, cc_group_create and cc_group_update.
//
// cc_by_cli_old has no typed call: the 2018 server answers an empty body to
// every request that passes its first two checks (its device query names a
// column of a table Rails 4.1 no longer joins), so nothing it could return
// is worth a type. Client.Call reaches it if a newer server mends it.

// CardsService tops up, sells, pays onto, lists, creates and edits calling
// cards and their card groups. Reach it as Client.Cards; it holds no state
// of its own.
type CardsService service

// CardPIN is a calling card's PIN. It is a secret: String, every fmt verb,
// JSON, text and slog show a mask, never the digits; only Reveal returns
// them. The zero CardPIN is "no PIN" (not sent, or not shown by the server).
type CardPIN struct{ pin string }

// NewCardPIN wraps a PIN's digits.
func NewCardPIN(digits string) CardPIN { return CardPIN{pin: digits} }

// pinMask is what a CardPIN shows instead of its digits.
const pinMask = "[PIN hidden]"

// Reveal returns the PIN's digits. Call it only where the PIN must be shown
// or sent on: a PIN is a card's value.
func (p CardPIN) Reveal() string { return p.pin }

// IsZero reports whether there is no PIN.
func (p CardPIN) IsZero() bool { return p.pin == "" }

// String returns a mask ("" when there is no PIN), never the digits.
func (p CardPIN) String() string {
	if p.pin == "" {
		return ""
	}
	return pinMask
}

// GoString masks the PIN for %#v.
func (p CardPIN) GoString() string { return "mor.CardPIN{" + strconv.Quote(p.String()) + "}" }

// Format masks the PIN for every fmt verb.
func (p CardPIN) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		io.WriteString(f, p.GoString())
		return
	}
	io.WriteString(f, p.String())
}

// MarshalText masks the PIN (JSON, XML and slog's text handler use it).
func (p CardPIN) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// LogValue masks the PIN in slog records.
func (p CardPIN) LogValue() slog.Value { return slog.StringValue(p.String()) }

// EncodeValues puts the real digits in a request's form (sent only in the
// POST body; the Client scrubs them from logs and errors).
func (p CardPIN) EncodeValues(key string, v *url.Values) error {
	if p.pin != "" {
		v.Set(key, p.pin)
	}
	return nil
}

func pinField(dst *CardPIN) setter {
	return func(t string) error { *dst = CardPIN{pin: strings.TrimSpace(t)}; return nil }
}

// ---------------------------------------------------------------------------
// card_by_cli_update

// TopUpByCLIParams are card_by_cli_update's parameters.
//
// Without PIN the call is a top-up of Amount (amount mode); with PIN it
// redeems the card with that PIN (PIN mode) and Amount must be empty.
type TopUpByCLIParams struct {
	// CallerID is the caller number to credit (callerid, hashed). Required.
	// It is matched as a substring of device CLIs, so send the full number:
	// "1" would credit the first device whose CLI contains a 1.
	CallerID string `url:"callerid"`
	// Amount is the tax-inclusive amount (amount, hashed): in the caller's
	// currency for a device's user, in the card group's "tell balance"
	// currency for a card. Nil is not sent (a 0 top-up).
	Amount *Decimal `url:"amount,omitempty"`
	// PIN switches to PIN mode (pin, hashed): the card with this PIN is
	// redeemed onto the caller ID's device user or card.
	PIN CardPIN `url:"pin,omitempty"`
	// CardGroupID is the group a new card is created in, or a card is moved
	// to (cardgroup_id, hashed; 0 is not sent). On a server without the
	// calling-card add-on a group of more than 10 cards is refused
	// (ErrCardLimit).
	CardGroupID int64 `url:"cardgroup_id,omitempty"`
}

// CardTopUp is card_by_cli_update's reply. Exactly one of Device and Cards
// is set.
type CardTopUp struct {
	// Device is set when the caller ID belonged to a device: its user's
	// balance was credited.
	Device *DeviceTopUp
	// Cards are the cards the call credited: one, or in PIN mode when the
	// PIN card is in the same group as the caller ID's card, two: the caller
	// ID's card first, then the PIN card.
	Cards []TopUpCard
}

// DeviceTopUp is a device user credited by card_by_cli_update.
type DeviceTopUp struct {
	DeviceID int64 // device_id
	UserID   int64 // user_id
	// NewBalance is the user's balance after the top-up, in the caller's
	// currency, rounded by the server (new_balance).
	NewBalance Decimal
	// NewBalanceWithVAT is NewBalance with the user's tax (new_balance_with_vat).
	NewBalanceWithVAT Decimal
}

// TopUpCard is one card credited (or created) by card_by_cli_update.
type TopUpCard struct {
	ID          int64   // card/id
	CardGroupID int64   // card/cardgroup_id
	Number      string  // card/number
	PIN         CardPIN // the card's PIN (card/pin)
	CallerID    string  // card/callerid; empty when none
	// Balance is the card's balance in the caller's currency, rounded by the
	// server (card/balance).
	Balance Decimal
	// BalanceWithVAT is Balance with the group's tax (card/balance_with_vat).
	BalanceWithVAT Decimal
}

type topUpRecord struct {
	status string
	dev    DeviceTopUp
	hasDev bool
	card   TopUpCard
	hasCrd bool
}

func (r *topUpRecord) fields() []field {
	mark := func(b *bool, s setter) setter { return func(t string) error { *b = true; return s(t) } }
	return []field{
		req("status", trimmed(&r.status)),
		opt("device_id", mark(&r.hasDev, i64(&r.dev.DeviceID))),
		opt("user_id", i64(&r.dev.UserID)),
		opt("new_balance", decimal(&r.dev.NewBalance)),
		opt("new_balance_with_vat", decimal(&r.dev.NewBalanceWithVAT)),
		opt("card/id", mark(&r.hasCrd, i64(&r.card.ID))),
		opt("card/cardgroup_id", i64(&r.card.CardGroupID)),
		opt("card/balance", decimal(&r.card.Balance)),
		opt("card/balance_with_vat", decimal(&r.card.BalanceWithVAT)),
		opt("card/callerid", str(&r.card.CallerID)),
		opt("card/pin", pinField(&r.card.PIN)),
		opt("card/number", str(&r.card.Number)),
	}
}

// TopUpByCLI credits money to whatever a caller ID belongs to: a device's
// user, the calling card bound to that caller ID, or a new card created for
// it in CardGroupID. MOR: card_by_cli_update, alias cc_by_cli (money; hash:
// pin, amount, callerid, cardgroup_id, each when sent).
//
// Before any I/O: an empty CallerID is ErrCallerIDEmpty, and a PIN together
// with an Amount is refused (PIN mode ignores the amount). Server refusals
// include ErrCardLimit (calling-card add-on off and the group has more than
// 10 cards), ErrAccessDenied, ErrBadLogin, ErrCardGroupNotFound,
// ErrCardPINNotFound, ErrCardBalanceZero, ErrCardAlreadySold,
// ErrCardTransactionFailed and ErrNotAuthorized ("You do not have
// permission …"); a card that fails validation lists every reason in
// APIError.Messages.
//
// Never retried, and not idempotent: a repeat in amount mode adds the amount
// again, and in PIN mode a same-group transfer transfers again. When
// InDoubt(err) is true, read the card back (Cards.List with CallerID) or the
// user's balance before deciding to send again. ErrCardTransactionFailed
// after a same-group PIN transfer may leave the PIN card already debited:
// check both cards.
func (s *CardsService) TopUpByCLI(ctx context.Context, p TopUpByCLIParams) (*CardTopUp, error) {
	const method = "card_by_cli_update"
	switch {
	case strings.TrimSpace(p.CallerID) == "":
		return nil, &ValidationError{Method: method, Field: "callerid", Err: ErrCallerIDEmpty}
	case !p.PIN.IsZero() && p.Amount != nil:
		return nil, &ValidationError{Method: method, Field: "amount", Err: fmt.Errorf("%w: amount is ignored with a PIN: send one or the other", ErrInvalidParams)}
	case p.PIN.IsZero() && p.Amount == nil && p.CardGroupID == 0:
		// Allowed by the server (a 0 top-up), but never what a caller means.
		return nil, &ValidationError{Method: method, Field: "amount", Err: fmt.Errorf("%w: neither amount nor PIN", ErrInvalidParams)}
	}
	params := url.Values{"callerid": {p.CallerID}}
	if p.Amount != nil {
		params.Set("amount", p.Amount.String())
	}
	_ = p.PIN.EncodeValues("pin", &params)
	if p.CardGroupID != 0 {
		params.Set("cardgroup_id", strconv.FormatInt(p.CardGroupID, 10))
	}
	var recs []topUpRecord
	spec := recordSpec[topUpRecord]{record: "response", fields: (*topUpRecord).fields,
		finish: func(w *walker, n int) error {
			if n == 0 {
				return unexpected(method, w.root, "no <response>")
			}
			return nil
		}}
	err := s.c.do(ctx, method, params, func(r io.Reader) error {
		recs = recs[:0]
		return decodeRecords(method, r, spec, func(v topUpRecord) bool { recs = append(recs, v); return true })
	})
	if err != nil {
		return nil, err
	}
	out := &CardTopUp{}
	for i, rec := range recs {
		switch {
		case rec.status != "ok":
			return nil, &ParseError{Method: method, Reason: "status is not ok", Snippet: snippet([]byte(rec.status)), Err: ErrUnexpectedResponse}
		case rec.hasDev && len(recs) == 1:
			d := rec.dev
			out.Device = &d
		case rec.hasCrd && !rec.hasDev && len(recs) <= 2:
			out.Cards = append(out.Cards, rec.card)
		default:
			return nil, &ParseError{Method: method, Reason: "response " + strconv.Itoa(i+1) + " is neither one device nor a card", Err: ErrUnexpectedResponse}
		}
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// card_group_get

// CardGroup is one card group as card_group_get shows it.
type CardGroup struct {
	Name        string // name
	Description string // description
	// ImageLink is the card image's path on the server (iamge_link, sic).
	ImageLink string
	// Price is the price of a card without tax (price). The server converts
	// the amount to the caller's currency but names the system currency, so
	// the two differ when the caller's currency is not the system's.
	Price Money
	// PriceWithTax is Price with the group's tax (price_with_tax).
	PriceWithTax Money
	FreeCards    int64 // free_cards_size: unsold cards
	PINLength    int64 // pin_length
	NumberLength int64 // number_length
}

func (g *CardGroup) fields() []field {
	return []field{
		req("cardgroup/name", str(&g.Name)),
		opt("cardgroup/iamge_link", str(&g.ImageLink)),
		opt("cardgroup/image_link", str(&g.ImageLink)),
		opt("cardgroup/description", str(&g.Description)),
		req("cardgroup/price", money(&g.Price)),
		opt("cardgroup/price_with_tax", money(&g.PriceWithTax)),
		opt("cardgroup/currency", currency(&g.Price, &g.PriceWithTax)),
		opt("cardgroup/free_cards_size", i64(&g.FreeCards)),
		opt("cardgroup/pin_length", i64(&g.PINLength)),
		opt("cardgroup/number_length", i64(&g.NumberLength)),
	}
}

// Group reads one card group of the caller. MOR: card_group_get, alias
// show_calling_card_group (read; hash: id).
//
// id ≤ 0 fails locally with ErrCardGroupNotFound. Server refusals include
// ErrCardGroupNotFound (also another owner's group), ErrAccessDenied (simple
// users, resellers without the calling-cards edit right) and ErrBadLogin.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *CardsService) Group(ctx context.Context, id int64) (*CardGroup, error) {
	const method = "card_group_get"
	if id <= 0 {
		return nil, &ValidationError{Method: method, Field: "id", Err: ErrCardGroupNotFound}
	}
	var out CardGroup
	err := s.c.do(ctx, method, url.Values{"id": {strconv.FormatInt(id, 10)}}, func(r io.Reader) error {
		out = CardGroup{}
		return decodeFields(method, r, out.fields(), false)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ---------------------------------------------------------------------------
// card_from_group_sell

// SellCardsParams are card_from_group_sell's parameters.
type SellCardsParams struct {
	// GroupID is the card group to sell from (id, hashed). Required.
	GroupID int64 `url:"id"`
	// Quantity is how many free cards to sell (quantity, hashed); below 1
	// the server sells one. Ignored with Number.
	Quantity int64 `url:"quantity,omitempty"`
	// Number sells exactly this card (number, never hashed). Recommended:
	// a repeat then answers ErrCardAlreadySold instead of selling another.
	Number string `url:"number,omitempty"`
	// Email, when set (even to ""), records an order and mails the card to
	// this address (email, hashed).
	Email *string `url:"email,omitempty"`
}

// SoldCard is one card sold by card_from_group_sell.
type SoldCard struct {
	Number string  // number
	PIN    CardPIN // the card's PIN (pin)
	// Balance is the card's value without tax (balance_without_vat), in the
	// caller's currency; Currency is the server's system currency.
	Balance Money
}

func (c *SoldCard) fields() []field {
	return []field{
		req("number", str(&c.Number)),
		opt("pin", pinField(&c.PIN)),
		req("balance_without_vat", money(&c.Balance)),
		opt("currency", currency(&c.Balance)),
	}
}

var soldCardRecords = recordSpec[SoldCard]{record: "cards/card", fields: (*SoldCard).fields}

// SellCard sells the one card with this number from a group: the
// recommended way to sell, because it can be checked after a lost reply.
// MOR: card_from_group_sell, alias buy_card_from_callingroup (money; hash:
// id; the number is never hashed).
//
// Never retried. When InDoubt(err) is true, call SellCard again: ErrCardAlreadySold
// then says the first sale landed (or someone else sold the card: Cards.List
// with Number shows it sold), and no second card is sold either way.
// Refusals as Sell, plus ErrFreeCardsNotFound for a number the group does
// not have.
func (s *CardsService) SellCard(ctx context.Context, groupID int64, number string) (*SoldCard, error) {
	const method = "card_from_group_sell"
	if strings.TrimSpace(number) == "" {
		return nil, &ValidationError{Method: method, Field: "number", Err: fmt.Errorf("%w: a card number is required", ErrInvalidParams)}
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(number), 10, 64); err != nil || n <= 0 {
		// The server compares number as an integer: anything else would
		// silently sell the next free cards instead.
		return nil, &ValidationError{Method: method, Field: "number", Err: fmt.Errorf("%w: card number must be a positive integer", ErrInvalidParams)}
	}
	cards, err := s.Sell(ctx, SellCardsParams{GroupID: groupID, Number: number})
	if err != nil {
		return nil, err
	}
	if len(cards) != 1 {
		return nil, &ParseError{Method: method, Reason: strconv.Itoa(len(cards)) + " cards sold for one number", Err: ErrUnexpectedResponse}
	}
	return &cards[0], nil
}

// Sell sells the next free cards of a group (or, with Number, that card) and
// returns them with their PINs. MOR: card_from_group_sell, alias
// buy_card_from_callingroup (money; hash: email, id, quantity, each when
// sent). Fewer free cards than Quantity sells what there is.
//
// GroupID ≤ 0 fails locally with ErrCardGroupNotFound. Server refusals
// include ErrCardGroupNotFound, ErrFreeCardsNotFound, ErrCardAlreadySold
// (Number mode), ErrCardSellFailed (a card taken by a concurrent sale; the
// others may be sold: list sold cards to see), ErrCardLimit, ErrAccessDenied
// and ErrBadLogin.
//
// Never retried. Without Number a repeat sells further cards and there is
// nothing to tell whether the first call landed, other than listing the
// group's sold cards; prefer SellCard, whose repeat is detectable.
func (s *CardsService) Sell(ctx context.Context, p SellCardsParams) ([]SoldCard, error) {
	const method = "card_from_group_sell"
	if p.GroupID <= 0 {
		return nil, &ValidationError{Method: method, Field: "id", Err: ErrCardGroupNotFound}
	}
	params := url.Values{"id": {strconv.FormatInt(p.GroupID, 10)}}
	if p.Quantity != 0 {
		params.Set("quantity", strconv.FormatInt(p.Quantity, 10))
	}
	if p.Number != "" {
		params.Set("number", p.Number)
	}
	if p.Email != nil {
		params.Set("email", *p.Email)
	}
	var out []SoldCard
	err := s.c.do(ctx, method, params, func(r io.Reader) error {
		out = []SoldCard{}
		return decodeRecords(method, r, soldCardRecords, func(v SoldCard) bool { out = append(out, v); return true })
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &ParseError{Method: method, Reason: "no card sold and no error", Err: ErrUnexpectedResponse}
	}
	return out, nil
}

// ---------------------------------------------------------------------------
// card_balance_get

// Balance returns a card's balance as stored: without tax, in the system
// currency. MOR: card_balance_get (read; hash: number).
//
// An empty number fails locally with ErrCardNotFound. Server refusals
// include ErrCardNotFound (also another reseller's card), ErrNotAuthorized
// (accountants, partners, users, resellers without the calling-cards right)
// and ErrUserNotFound (unknown caller).
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *CardsService) Balance(ctx context.Context, number string) (Money, error) {
	const method = "card_balance_get"
	if strings.TrimSpace(number) == "" {
		return Money{}, &ValidationError{Method: method, Field: "number", Err: ErrCardNotFound}
	}
	var m Money
	err := s.c.do(ctx, method, url.Values{"number": {number}}, func(r io.Reader) error {
		m = Money{}
		return decodeFields(method, r, []field{
			req("calling_card/balance", money(&m)),
			req("calling_card/currency", currency(&m)),
		}, false)
	})
	if err != nil {
		return Money{}, err
	}
	return m, nil
}

// ---------------------------------------------------------------------------
// card_payment_add

// CardPaymentParams are card_payment_add's parameters.
type CardPaymentParams struct {
	// Number is the sold card to pay onto (number, hashed). Required.
	Number string `url:"number"`
	// Amount is the tax-inclusive amount in Currency (amount, hashed).
	// Required; the server also takes 0 and negative amounts.
	Amount Decimal `url:"amount"`
	// Currency names the amount's currency (currency, hashed); empty or
	// unknown is the system currency.
	Currency string `url:"currency,omitempty"`
	// Description is stored on the payment (description, hashed).
	Description string `url:"description,omitempty"`
}

// CardPayment is card_payment_add's reply.
type CardPayment struct {
	GroupName string // calling_card_group/name
	Number    string // calling_card/number
	// Amount is the payment as given, with its currency
	// (add_payment/amount_with_tax, add_payment/currency).
	Amount Money
	// PreviousBalance is the card's balance before the payment
	// (details/current_balance), in the caller's currency.
	PreviousBalance Decimal
	// ConvertedTo and ExchangeRate are set when Amount's currency is not the
	// system currency: the system currency's name and the rate used.
	ConvertedTo  string
	ExchangeRate *Decimal // the exchange rate used (details/exchange_rate); nil when no conversion
	// Gross is the amount in the system currency, tax included
	// (details/amount_with_tax); Net is what the card was credited, tax
	// removed (details/amount_without_tax).
	Gross Decimal // system currency, tax included (details/amount_with_tax)
	Net   Decimal // what the card was credited, tax removed (details/amount_without_tax)
	// NewBalance is the card's balance after the payment (details/new_balance).
	NewBalance  Decimal
	Description string // details/description
}

func (p *CardPayment) fields() []field {
	return []field{
		opt("calling_card_group/name", str(&p.GroupName)),
		req("calling_card/number", str(&p.Number)),
		req("add_payment/currency", currency(&p.Amount)),
		req("add_payment/amount_with_tax", money(&p.Amount)),
		req("add_payment/details/current_balance", decimal(&p.PreviousBalance)),
		opt("add_payment/details/converted_to", str(&p.ConvertedTo)),
		opt("add_payment/details/exchange_rate", ptrDecimal(&p.ExchangeRate)),
		req("add_payment/details/amount_with_tax", decimal(&p.Gross)),
		req("add_payment/details/amount_without_tax", decimal(&p.Net)),
		req("add_payment/details/new_balance", decimal(&p.NewBalance)),
		opt("add_payment/details/description", str(&p.Description)),
	}
}

// AddPayment pays money onto a sold card: the card is credited Amount
// converted to the system currency, less the group's tax, and a payment is
// recorded. MOR: card_payment_add (money; hash: description, number, amount,
// currency, each when sent).
//
// An empty Number fails locally with ErrCardNotFound. Server refusals
// include ErrFeatureDisabled (payments over the API switched off),
// ErrCardNotFound (unknown, another owner's, or unsold card),
// ErrCurrencyDisabled, ErrAccessDenied and ErrNotAuthorized.
//
// Never retried, and not idempotent: a repeat credits the card again and
// records a second payment. When InDoubt(err) is true, read the card's
// balance (Balance) and compare it with the one before the call.
func (s *CardsService) AddPayment(ctx context.Context, p CardPaymentParams) (*CardPayment, error) {
	const method = "card_payment_add"
	if strings.TrimSpace(p.Number) == "" {
		return nil, &ValidationError{Method: method, Field: "number", Err: ErrCardNotFound}
	}
	params := url.Values{"number": {p.Number}, "amount": {p.Amount.String()}}
	if p.Currency != "" {
		params.Set("currency", p.Currency)
	}
	if p.Description != "" {
		params.Set("description", p.Description)
	}
	var out CardPayment
	err := s.c.do(ctx, method, params, func(r io.Reader) error {
		out = CardPayment{}
		return decodeFields(method, r, out.fields(), true)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ---------------------------------------------------------------------------
// calling_cards_get

// CardsListParams filter calling_cards_get; a zero field is not sent. No
// filter is hashed.
type CardsListParams struct {
	// Number, Name, PIN, BatchNumber and CallerID match exactly,
	// case-insensitively; the server passes % and _ through as wildcards.
	Number      string
	Name        string  // card name (name); empty: not sent
	PIN         CardPIN // card PIN (pin); zero: not sent
	BatchNumber string  // batch number (batch_number); empty: not sent
	CallerID    string  // caller ID (callerid); empty: not sent
	// MinBalance and MaxBalance bound the stored balance (system currency).
	MinBalance *Decimal // lowest balance (min_balance); nil: not sent
	MaxBalance *Decimal // highest balance (max_balance); nil: not sent
	// Language keeps cards of this language.
	Language string
	// Sold keeps sold (true) or unsold (false) cards.
	Sold *bool
	// DistributorID keeps cards of this distributor (a simple user).
	DistributorID *int64
}

func (p CardsListParams) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("number", p.Number)
	set("name", p.Name)
	_ = p.PIN.EncodeValues("pin", &v)
	set("batch_number", p.BatchNumber)
	set("callerid", p.CallerID)
	if p.MinBalance != nil {
		v.Set("min_balance", p.MinBalance.String())
	}
	if p.MaxBalance != nil {
		v.Set("max_balance", p.MaxBalance.String())
	}
	set("language", p.Language)
	if p.Sold != nil {
		v.Set("sold", map[bool]string{true: "yes", false: "no"}[*p.Sold])
	}
	if p.DistributorID != nil {
		v.Set("distributor", strconv.FormatInt(*p.DistributorID, 10))
	}
	return v
}

// Card is one record of calling_cards_get.
type Card struct {
	ID     int64  // card_id
	Number string // card_number
	Name   string // card_name
	// PIN is shown to admins, resellers and accountants with the PIN right;
	// zero otherwise.
	PIN         CardPIN
	BatchNumber string // card_batch_number
	CallerID    string // card_callerid; empty when none
	// Balance and MinBalance are as stored: system currency, without tax.
	Balance    Decimal // card_balance
	MinBalance Decimal // card_minimal_balance
	// FirstUse and DailyChargePaidTill are the server's wall-clock times,
	// given without a zone (read as UTC); nil when never set.
	FirstUse            *time.Time
	DailyChargePaidTill *time.Time // the date daily charges are paid till (<card_daily_charge_paid_till>); nil when never set
	Sold                bool       // card_sold
	Language            string     // card_language
	// Distributor is the distributing user's name; empty when none.
	Distributor string
}

func (c *Card) fields() []field {
	return []field{
		req("card_id", i64(&c.ID)),
		req("card_number", str(&c.Number)),
		opt("card_name", str(&c.Name)),
		opt("card_pin", pinField(&c.PIN)),
		opt("card_batch_number", str(&c.BatchNumber)),
		opt("card_callerid", str(&c.CallerID)),
		req("card_balance", decimal(&c.Balance)),
		opt("card_minimal_balance", decimal(&c.MinBalance)),
		opt("card_first_use", ptrDatetime(&c.FirstUse)),
		opt("card_daily_charge_paid_till", ptrDatetime(&c.DailyChargePaidTill)),
		opt("card_sold", flag(&c.Sold)),
		opt("card_language", str(&c.Language)),
		opt("card_distributor", str(&c.Distributor)),
	}
}

var cardRecords = recordSpec[Card]{record: "cards/card", fields: (*Card).fields, empty: []error{ErrCardsNotFound}}

// List returns the cards the caller may see that match p, group by group in
// id order. MOR: calling_cards_get (read; hash: nothing, the filters are not
// hashed). It collects All; use All for large card stocks.
//
// "Cards were not found" is an empty list and a nil error. Server refusals
// include ErrAccessDenied (simple users, partners, unknown callers) and
// ErrNotAuthorized (no calling-cards right).
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *CardsService) List(ctx context.Context, p CardsListParams) ([]Card, error) {
	return collect(s.All(ctx, p))
}

// All streams the cards that List returns, decoded as the reply arrives.
// MOR: calling_cards_get (read; hash: nothing). The reply has no paging and
// holds every matching card: a card takes about 500 bytes of XML, so the
// default 32 MiB reply cap holds about 60,000 cards (raise it with
// WithMaxResponseBytes).
//
// Nothing is sent until the sequence is ranged over, and each range sends
// the request again. An error is the last pair. Retried with WithRetries
// only until the first card has been yielded.
func (s *CardsService) All(ctx context.Context, p CardsListParams) iter.Seq2[Card, error] {
	return streamRecords(ctx, s.c, "calling_cards_get", p.values(), cardRecords)
}

// ---------------------------------------------------------------------------
// calling_cards_create

// CreateCardsParams are calling_cards_create's parameters.
type CreateCardsParams struct {
	// GroupID is the card group (card_group_id, hashed). Required.
	GroupID int64
	// From and Till are the first and last card numbers (cards_from,
	// cards_till, hashed): digits, exactly the group's number length, From
	// ≤ Till. Zero padding is kept.
	From string // first card number (cards_from, hashed)
	Till string // last card number (cards_till, hashed)
	// MinBalance is each card's minimal balance (min_balance).
	MinBalance *Decimal
	// Language is each card's language (language); nil sends none ("en").
	Language *string
	// BatchNumber is stored on each card (batch_number).
	BatchNumber string
	// DistributorID assigns a distributor, a simple user (distributor_id).
	DistributorID int64
}

// CardsCreated is calling_cards_create's reply: "Cards created: N/M".
type CardsCreated struct {
	Created int64 // N: new cards
	Total   int64 // M: N plus the numbers of the range that already existed
}

// Create creates a range of cards in a group, one per number from From to
// Till that is not taken yet, each with a new random PIN and the group's
// price as balance. MOR: calling_cards_create (write; hash: card_group_id,
// cards_from, cards_till).
//
// Before any I/O: GroupID ≤ 0 is ErrCardGroupNotFound; From or Till empty,
// not digits, of different lengths or From > Till is ErrInvalidParams.
// Server refusals include ErrCardsExist (every number taken),
// ErrCardGroupNotFound, ErrInvalidParams (wrong length, "PIN is too short
// for this interval"), ErrAccessDenied and ErrNotAuthorized.
//
// Never retried, but safe to repeat by hand: the number range is the key,
// and a repeat creates only the numbers still missing (ErrCardsExist when
// there are none).
func (s *CardsService) Create(ctx context.Context, p CreateCardsParams) (*CardsCreated, error) {
	const method = "calling_cards_create"
	bad := func(field, why string) error {
		return &ValidationError{Method: method, Field: field, Err: fmt.Errorf("%w: %s", ErrInvalidParams, why)}
	}
	switch {
	case p.GroupID <= 0:
		return nil, &ValidationError{Method: method, Field: "card_group_id", Err: ErrCardGroupNotFound}
	case !allDigits(p.From):
		return nil, bad("cards_from", "cards_from must be digits")
	case !allDigits(p.Till):
		return nil, bad("cards_till", "cards_till must be digits")
	case len(p.From) != len(p.Till):
		return nil, bad("cards_till", "cards_from and cards_till must have the same length")
	case p.From > p.Till:
		return nil, bad("cards_from", "cards_from must not be greater than cards_till")
	}
	params := url.Values{"card_group_id": {strconv.FormatInt(p.GroupID, 10)}, "cards_from": {p.From}, "cards_till": {p.Till}}
	if p.MinBalance != nil {
		params.Set("min_balance", p.MinBalance.String())
	}
	if p.Language != nil {
		params.Set("language", *p.Language)
	}
	if p.BatchNumber != "" {
		params.Set("batch_number", p.BatchNumber)
	}
	if p.DistributorID != 0 {
		params.Set("distributor_id", strconv.FormatInt(p.DistributorID, 10))
	}
	var status string
	err := s.c.do(ctx, method, params, func(r io.Reader) error {
		status = ""
		return decodeFields(method, r, []field{req("status/status", trimmed(&status))}, true)
	})
	if err != nil {
		return nil, err
	}
	var out CardsCreated
	rest := strings.TrimPrefix(status, "Cards created: ")
	n, m, ok := strings.Cut(rest, "/")
	var e1, e2 error
	out.Created, e1 = strconv.ParseInt(n, 10, 64)
	out.Total, e2 = strconv.ParseInt(m, 10, 64)
	if !ok || e1 != nil || e2 != nil {
		return nil, &ParseError{Method: method, Reason: "bad <status>", Snippet: snippet([]byte(status)), Err: ErrUnexpectedResponse}
	}
	return &out, nil
}

// ---------------------------------------------------------------------------
// calling_card_update

// UpdateCardParams are calling_card_update's parameters. A zero field is not
// sent and leaves the card's value; the server cannot clear a field or set
// MinBalance to 0.
type UpdateCardParams struct {
	CardID      int64   // card_id (hashed). Required.
	Number      string  // number: digits, the group's number length, unique
	Name        string  // name
	PIN         CardPIN // pin: the group's PIN length, unique
	BatchNumber string  // batch_number
	CallerID    string  // callerid: unique among cards
	// MinBalance must be above 0 (min_balance).
	MinBalance *Decimal
	// DailyChargePaidTill is sent as unix seconds (daily_charge_paid_till).
	DailyChargePaidTill *time.Time
	Language            string // language
	// DistributorID sets the distributor, a simple user of the caller's;
	// one that is not removes the card's distributor (distributor).
	DistributorID *int64
}

// Update edits one card. MOR: calling_card_update (write; hash: card_id).
//
// CardID ≤ 0 fails locally with ErrCardNotFound, and MinBalance ≤ 0 with
// ErrInvalidParams. Server refusals include ErrCardNotFound, ErrNoSuchAPI
// (the 2018 server's answer for a card id that does not exist),
// ErrCardNumberTaken, ErrCardPINTaken, ErrInvalidParams, ErrAlreadyExists
// (caller ID), ErrAccessDenied and ErrNotAuthorized. An accountant without
// the PIN edit right gets success while the PIN stays unchanged.
//
// Never retried, but safe to repeat: it sets absolute values.
func (s *CardsService) Update(ctx context.Context, p UpdateCardParams) error {
	const method = "calling_card_update"
	if p.CardID <= 0 {
		return &ValidationError{Method: method, Field: "card_id", Err: ErrCardNotFound}
	}
	if p.MinBalance != nil && p.MinBalance.Sign() <= 0 {
		return &ValidationError{Method: method, Field: "min_balance", Err: fmt.Errorf("%w: the minimal balance must be above 0", ErrInvalidParams)}
	}
	v := url.Values{"card_id": {strconv.FormatInt(p.CardID, 10)}}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("number", p.Number)
	set("name", p.Name)
	_ = p.PIN.EncodeValues("pin", &v)
	set("batch_number", p.BatchNumber)
	set("callerid", p.CallerID)
	if p.MinBalance != nil {
		v.Set("min_balance", p.MinBalance.String())
	}
	if p.DailyChargePaidTill != nil {
		v.Set("daily_charge_paid_till", strconv.FormatInt(p.DailyChargePaidTill.Unix(), 10))
	}
	set("language", p.Language)
	if p.DistributorID != nil {
		v.Set("distributor", strconv.FormatInt(*p.DistributorID, 10))
	}
	return s.c.do(ctx, method, v, func(r io.Reader) error { return decodeSuccess(method, r) })
}

// ---------------------------------------------------------------------------
// cc_groups_get

// CardGroupInfo is one record of cc_groups_get.
type CardGroupInfo struct {
	ID           int64  // group_id
	Image        string // group_image
	Name         string // group_name
	Description  string // group_description
	NumberLength int64  // from group_number_pin_length "N/P"
	PINLength    int64  // from group_number_pin_length "N/P"
	Tariff       string // group_tarrif (sic): the tariff's name
	// LCR is the LCR's name, shown only for the caller's own LCR.
	LCR string
	// Price (with tax) and PriceWithoutTax are as stored: system currency.
	Price           Decimal // group_price
	PriceWithoutTax Decimal // group_price_without_tax
	Cards           int64   // group_cards_count: every card of the group
}

func (g *CardGroupInfo) fields() []field {
	return []field{
		req("group_id", i64(&g.ID)),
		opt("group_image", str(&g.Image)),
		req("group_name", str(&g.Name)),
		opt("group_description", str(&g.Description)),
		opt("group_number_pin_length", func(t string) error {
			n, p, ok := strings.Cut(strings.TrimSpace(t), "/")
			var e1, e2 error
			g.NumberLength, e1 = strconv.ParseInt(n, 10, 64)
			g.PINLength, e2 = strconv.ParseInt(p, 10, 64)
			if !ok || e1 != nil || e2 != nil {
				return fmt.Errorf("not NUMBER/PIN lengths")
			}
			return nil
		}),
		opt("group_tarrif", str(&g.Tariff)),
		opt("group_lcr", str(&g.LCR)),
		opt("group_price", decimal(&g.Price)),
		opt("group_price_without_tax", decimal(&g.PriceWithoutTax)),
		opt("group_cards_count", i64(&g.Cards)),
	}
}

var cardGroupRecords = recordSpec[CardGroupInfo]{record: "cc_groups/cc_group", fields: (*CardGroupInfo).fields, empty: []error{ErrCardGroupsNotFound}}

// Groups returns the caller's card groups in id order, or only the group
// with id groupID when it is above 0. MOR: cc_groups_get (read; hash:
// nothing, cc_group_id is not hashed).
//
// "Calling Cards Groups were not found" is an empty list and a nil error.
// Server refusals include ErrAccessDenied and ErrNotAuthorized.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *CardsService) Groups(ctx context.Context, groupID int64) ([]CardGroupInfo, error) {
	v := url.Values{}
	if groupID > 0 {
		v.Set("cc_group_id", strconv.FormatInt(groupID, 10))
	}
	return collect(streamRecords(ctx, s.c, "cc_groups_get", v, cardGroupRecords))
}

// ---------------------------------------------------------------------------
// cc_group_create, cc_group_update

// CardGroupParams are the fields of cc_group_create and cc_group_update. A
// nil field is not sent: create uses the server's default, update keeps the
// value. Only Name (create) and the group id (update) are hashed.
type CardGroupParams struct {
	Name        *string // name: required and unique to create
	Description *string // description
	// PriceWithVAT is stored as the group's price, i.e. a new card's
	// balance, in the caller's currency; despite its name no tax is removed
	// (price_with_vat).
	PriceWithVAT     *Decimal
	SetupFee         *Decimal // setup_fee, caller's currency
	DailyCharge      *Decimal // daily_charge, caller's currency
	GhostMinPerc     *Decimal // ghost_min_perc
	GhostBalancePerc *Decimal // ghost_balance_perc
	NumberLength     *int64   // number_length (create only)
	PINLength        *int64   // pin_length, 1 to 30 (create only; default 6)
	// ValidFrom and ValidTill are sent as unix seconds (date_from, date_till).
	ValidFrom           *time.Time // start of validity (date_from); nil: not sent
	ValidTill           *time.Time // end of validity (date_till); nil: not sent
	TariffID            *int64     // tariff_id
	LCRID               *int64     // lcr_id
	LocationID          *int64     // location_id
	TellBalanceCurrency *string    // tell_balance_in_currency: an existing currency
	ValidAfterFirstUse  *int64     // valid_after_first_use, at most 4 digits
	UseExternalFunction *bool      // use_external_function
	AllowLossCalls      *bool      // allow_loss_calls
	TellCents           *bool      // tell_cents
	SoloPinless         *bool      // solo_pinless
	DisableVoucher      *bool      // disable_voucher
	CallerIDLeave       *bool      // callerid_leave
	// TaxID re-points the group to an existing tax row (tax_id; update
	// only). Any tax field sent then edits that row, which may be shared.
	TaxID        *int64
	Tax1Name     *string  // tax 1 name (tax1_name); nil: not sent
	Tax2Name     *string  // tax 2 name (tax2_name); nil: not sent
	Tax3Name     *string  // tax 3 name (tax3_name); nil: not sent
	Tax4Name     *string  // tax 4 name (tax4_name); nil: not sent
	TotalTaxName *string  // name of the tax total (total_tax_name); nil: not sent
	Tax1Value    *Decimal // tax 1 value (tax1_value); nil: not sent
	Tax2Value    *Decimal // tax 2 value (tax2_value); nil: not sent
	Tax3Value    *Decimal // tax 3 value (tax3_value); nil: not sent
	Tax4Value    *Decimal // tax 4 value (tax4_value); nil: not sent
	Tax2Enabled  *bool    // tax 2 on (tax2_enabled); nil: not sent
	Tax3Enabled  *bool    // tax 3 on (tax3_enabled); nil: not sent
	Tax4Enabled  *bool    // tax 4 on (tax4_enabled); nil: not sent
	CompoundTax  *bool    // compound taxes (compound_tax); nil: not sent
}

func (p CardGroupParams) values() url.Values {
	v := url.Values{}
	s := func(k string, x *string) {
		if x != nil {
			v.Set(k, *x)
		}
	}
	d := func(k string, x *Decimal) {
		if x != nil {
			v.Set(k, x.String())
		}
	}
	n := func(k string, x *int64) {
		if x != nil {
			v.Set(k, strconv.FormatInt(*x, 10))
		}
	}
	b := func(k string, x *bool) {
		if x != nil {
			v.Set(k, map[bool]string{true: "1", false: "0"}[*x])
		}
	}
	t := func(k string, x *time.Time) {
		if x != nil {
			v.Set(k, strconv.FormatInt(x.Unix(), 10))
		}
	}
	s("name", p.Name)
	s("description", p.Description)
	d("price_with_vat", p.PriceWithVAT)
	d("setup_fee", p.SetupFee)
	d("daily_charge", p.DailyCharge)
	d("ghost_min_perc", p.GhostMinPerc)
	d("ghost_balance_perc", p.GhostBalancePerc)
	n("number_length", p.NumberLength)
	n("pin_length", p.PINLength)
	t("date_from", p.ValidFrom)
	t("date_till", p.ValidTill)
	n("tariff_id", p.TariffID)
	n("lcr_id", p.LCRID)
	n("location_id", p.LocationID)
	s("tell_balance_in_currency", p.TellBalanceCurrency)
	n("valid_after_first_use", p.ValidAfterFirstUse)
	b("use_external_function", p.UseExternalFunction)
	b("allow_loss_calls", p.AllowLossCalls)
	b("tell_cents", p.TellCents)
	b("solo_pinless", p.SoloPinless)
	b("disable_voucher", p.DisableVoucher)
	b("callerid_leave", p.CallerIDLeave)
	n("tax_id", p.TaxID)
	s("tax1_name", p.Tax1Name)
	s("tax2_name", p.Tax2Name)
	s("tax3_name", p.Tax3Name)
	s("tax4_name", p.Tax4Name)
	s("total_tax_name", p.TotalTaxName)
	d("tax1_value", p.Tax1Value)
	d("tax2_value", p.Tax2Value)
	d("tax3_value", p.Tax3Value)
	d("tax4_value", p.Tax4Value)
	b("tax2_enabled", p.Tax2Enabled)
	b("tax3_enabled", p.Tax3Enabled)
	b("tax4_enabled", p.Tax4Enabled)
	b("compound_tax", p.CompoundTax)
	return v
}

// CreateGroup creates a card group owned by the caller. MOR: cc_group_create
// (write; hash: name). The reply carries no id: find the group by its unique
// name with Groups.
//
// A nil or blank Name, or TaxID (update only), fails locally with
// ErrInvalidParams. Server refusals include ErrCardGroupExists,
// ErrTariffNotFound, ErrNotFound (LCR, location, currency),
// ErrInvalidParams, ErrAccessDenied and ErrNotAuthorized.
//
// Never retried. A repeat answers ErrCardGroupExists; when InDoubt(err) is
// true, look the name up with Groups.
func (s *CardsService) CreateGroup(ctx context.Context, p CardGroupParams) error {
	const method = "cc_group_create"
	if p.Name == nil || strings.TrimSpace(*p.Name) == "" {
		return &ValidationError{Method: method, Field: "name", Err: fmt.Errorf("%w: a card group must have a name", ErrInvalidParams)}
	}
	if p.TaxID != nil {
		return &ValidationError{Method: method, Field: "tax_id", Err: fmt.Errorf("%w: tax_id applies to updates only", ErrInvalidParams)}
	}
	return s.c.do(ctx, method, p.values(), func(r io.Reader) error { return decodeSuccess(method, r) })
}

// UpdateGroup edits a card group of the caller. MOR: cc_group_update (write;
// hash: cc_group_id). NumberLength and PINLength cannot be changed.
//
// groupID ≤ 0 fails locally with ErrCardGroupNotFound, NumberLength or
// PINLength with ErrInvalidParams. Server refusals as CreateGroup, plus
// ErrCardGroupNotFound and "TAX was not found" (ErrNotFound). The tax fields
// are written even when the group's save then fails.
//
// Never retried, but safe to repeat: it sets absolute values.
func (s *CardsService) UpdateGroup(ctx context.Context, groupID int64, p CardGroupParams) error {
	const method = "cc_group_update"
	if groupID <= 0 {
		return &ValidationError{Method: method, Field: "cc_group_id", Err: ErrCardGroupNotFound}
	}
	if p.NumberLength != nil || p.PINLength != nil {
		return &ValidationError{Method: method, Field: "pin_length", Err: fmt.Errorf("%w: number and PIN lengths are set at creation only", ErrInvalidParams)}
	}
	v := p.values()
	v.Set("cc_group_id", strconv.FormatInt(groupID, 10))
	return s.c.do(ctx, method, v, func(r io.Reader) error { return decodeSuccess(method, r) })
}
