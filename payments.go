package mor

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-querystring/query"
)

// The payments group: payment_create and payments_get.

// PaymentsService records payments (crediting users) and lists them. Reach
// it as Client.Payments; it holds no state of its own.
type PaymentsService service

// CreatePaymentParams are payment_create's parameters. Every one the
// server hashes is hashed in its global order: user_id, description,
// p_currency, paymenttype, tax_in_amount, amount, transaction,
// payer_email, fee.
type CreatePaymentParams struct {
	// UserID is the user credited (user_id). The admin and accountants may
	// pay the admin's users (0 is the admin itself), a reseller its own
	// users; simple users may not create payments. Required.
	UserID int64 `url:"user_id"`
	// Currency is the payment's currency name, e.g. "EUR" (p_currency).
	// Required; an id is not a name.
	Currency string `url:"p_currency"`
	// Amount is the amount paid, in Currency: the net (the server adds the
	// user's tax) unless TaxIncluded. Required, not zero.
	Amount Decimal `url:"amount"`
	// TaxIncluded says Amount is the gross, tax included (tax_in_amount=1):
	// the server takes the tax out and credits the rest.
	TaxIncluded bool `url:"tax_in_amount,int,omitempty"`
	// Transaction is your own unique id for this payment (transaction),
	// stored verbatim. The server does not check it for duplicates, but
	// FindByTransaction finds the payment by it, which is the only way to
	// tell whether a payment whose reply was lost landed: always set it.
	// It must not contain % or _ (they are wildcards in the lookup).
	Transaction string `url:"transaction,omitempty"`
	// PaymentType is free text (paymenttype); stored as "from_api : " + it.
	PaymentType string `url:"paymenttype,omitempty"`
	// PayerEmail is stored (payer_email).
	PayerEmail string `url:"payer_email,omitempty"`
	// Fee is stored for information (fee); the server never subtracts it.
	Fee *Decimal `url:"fee,omitempty"`
	// Description is stored (description).
	Description string `url:"description,omitempty"`
	// ShippedAt is stored as the payment's confirmation date (shipped_at,
	// not hashed), as the server's wall-clock time; zero is not sent.
	ShippedAt time.Time `url:"shipped_at,omitempty" layout:"2006-01-02 15:04:05"`
}

// PaymentReceipt is payment_create's reply: the new payment's id and its
// amounts in the payment's currency, rounded as the server prints them
// (its Nice_Number_Digits setting, 2 decimals by default).
type PaymentReceipt struct {
	ID     int64 // the new payment's id (<payment_id>)
	Amount Money // the net amount, tax excluded: what the user is credited (converted to the system currency)
	Tax    Money // the tax (<tax>)
	Gross  Money // Amount + Tax
}

func (p *PaymentReceipt) fields() []field {
	return []field{
		req("response/payment/payment_id", i64(&p.ID)),
		req("response/payment/tax", money(&p.Tax)),
		req("response/payment/amount", money(&p.Amount)),
		req("response/payment/gross", money(&p.Gross)),
	}
}

// Create records a payment and credits the user its net amount, converted
// to the system currency (unless the server holds API payments for
// confirmation: then nothing is credited until an operator confirms it in
// MOR's web interface; the reply is the same, List shows the state). MOR:
// payment_create (moves money; hash: user_id, description, p_currency,
// paymenttype, tax_in_amount, amount, transaction, payer_email, fee).
//
// With TaxIncluded the amount is the gross: for a 21 % tax, 100 is 82.64
// net and 17.36 tax (Tax.Net computes it exactly). Without, 100 is the net
// and 121 the gross.
//
// Local refusals (*ValidationError): a negative UserID, an empty Currency
// (ErrCurrencyEmpty), a zero Amount (ErrAmountZero), a Transaction with %
// or _ (ErrTransactionWildcard). Server refusals: ErrPaymentsNotAllowed
// (the server's API_Allow_payments_ower_API setting is off),
// ErrAccessDenied (a simple user, or a user the caller may not pay),
// ErrCurrencyNotFound, the gate errors (ErrBadLogin first).
//
// Never retried: a resend records a second payment and credits again. When
// the call fails in doubt the error is an *InDoubtError: look the
// transaction up with FindByTransaction over a window covering this call;
// if it is there the payment landed (send nothing), if not it did not.
// Without a Transaction there is no reliable check.
func (s *PaymentsService) Create(ctx context.Context, p CreatePaymentParams) (*PaymentReceipt, error) {
	const method = "payment_create"
	switch {
	case p.UserID < 0:
		return nil, &ValidationError{Method: method, Field: "user_id", Err: ErrUserIDInvalid}
	case strings.TrimSpace(p.Currency) == "" && p.Amount.IsZero():
		return nil, &ValidationError{Method: method, Field: "p_currency, amount", Err: errors.Join(ErrCurrencyEmpty, ErrAmountZero)}
	case strings.TrimSpace(p.Currency) == "":
		return nil, &ValidationError{Method: method, Field: "p_currency", Err: ErrCurrencyEmpty}
	case p.Amount.IsZero():
		return nil, &ValidationError{Method: method, Field: "amount", Err: ErrAmountZero}
	case strings.ContainsAny(p.Transaction, "%_"):
		return nil, &ValidationError{Method: method, Field: "transaction", Err: ErrTransactionWildcard}
	}
	params, err := query.Values(p)
	if err != nil {
		return nil, &ValidationError{Method: method, Field: "params", Err: err}
	}
	var out PaymentReceipt
	err = s.c.do(ctx, method, params, func(r io.Reader) error {
		raw, err := io.ReadAll(r)
		if err != nil {
			return readErr(method, "reading body", err)
		}
		if err := decodeFields(method, bytes.NewReader(raw), out.fields(), true); err != nil {
			return err
		}
		cur := paymentCurrency(raw)
		out.Amount.Currency, out.Tax.Currency, out.Gross.Currency = cur, cur, cur
		return nil
	})
	if err != nil {
		check := "payment_create has no idempotency key and a resend records a second payment; without a transaction id " +
			"there is no exact check: list the user's payments (Payments.List with UserID and a window covering this call) before sending again"
		if p.Transaction != "" {
			check = "look the payment up with Payments.FindByTransaction(ctx, " + strconv.Quote(p.Transaction) +
				", from, till) (payments_get s_transaction) over a window covering this call: found means it landed, so do not send again"
		}
		return nil, moneyErr(method, err, check)
	}
	return &out, nil
}

// paymentCurrency returns the currency attribute of <payment> in an
// already decoded (so well-formed and bounded) reply.
func paymentCurrency(raw []byte) string {
	d := xml.NewDecoder(bytes.NewReader(raw))
	d.CharsetReader = charsetReader
	for {
		tok, err := d.RawToken()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "payment" {
			for _, a := range se.Attr {
				if a.Name.Local == "currency" {
					return strings.TrimSpace(a.Value)
				}
			}
			return ""
		}
	}
}

// PaymentsParams filter payments_get. Zero values are not sent. The
// server's filters by user name, transaction and card are prefix matches,
// case-insensitive, with % and _ as wildcards.
type PaymentsParams struct {
	// From and Till bound the time the payment was added, inclusive (s_from
	// and s_till, Unix seconds). Set both or neither: without them the
	// server lists today's payments (its own clock and zone).
	From time.Time `url:"s_from,unix,omitempty"`
	Till time.Time `url:"s_till,unix,omitempty"` // end of the window (s_till); zero: not sent
	// UserID keeps one user's payments (s_user_id); it must be a user the
	// caller owns (a reseller may name itself). Simple users always get
	// their own.
	UserID *int64 `url:"s_user_id,omitempty"`
	// Transaction keeps payments whose transaction id starts with it
	// (s_transaction). FindByTransaction matches exactly.
	Transaction string `url:"s_transaction,omitempty"`
	// Completed keeps completed (true) or pending (false) payments
	// (s_completed).
	Completed *bool `url:"s_completed,int,omitempty"`
	// Username, FirstName and LastName keep the payments of users whose
	// field starts with them (s_username, s_first_name, s_last_name).
	Username  string `url:"s_username,omitempty"`
	FirstName string `url:"s_first_name,omitempty"` // first-name prefix (s_first_name); empty: not sent
	LastName  string `url:"s_last_name,omitempty"`  // last-name prefix (s_last_name); empty: not sent
	// PaymentType keeps one type, compared whole ("voucher", "paypal"; the
	// API's own payments are "from_api : <type>") (s_paymenttype).
	PaymentType string `url:"s_paymenttype,omitempty"`
	// AmountMin and AmountMax bound the stored amount (s_amount_min, not
	// hashed; s_amount_max).
	AmountMin *Decimal `url:"s_amount_min,omitempty"`
	AmountMax *Decimal `url:"s_amount_max,omitempty"` // largest amount (s_amount_max); nil: not sent
	// Currency keeps payments in this currency (s_currency).
	Currency string `url:"s_currency,omitempty"`
	// CardNumber and CardPIN keep calling-card payments whose card number or
	// PIN starts with them (s_number, s_pin).
	CardNumber string `url:"s_number,omitempty"`
	CardPIN    string `url:"s_pin,omitempty"` // card PIN prefix (s_pin); empty: not sent
}

func (p PaymentsParams) validate(method string) error {
	switch {
	case p.From.IsZero() != p.Till.IsZero():
		return &ValidationError{Method: method, Field: "s_from, s_till", Err: ErrWindowIncomplete}
	case p.Till.Before(p.From):
		return &ValidationError{Method: method, Field: "s_till", Err: ErrWindowIncomplete}
	}
	return nil
}

// Payment is one record of payments_get.
type Payment struct {
	// User is who paid: the user's name ("First Last", or the username),
	// for calling-card payments "<number>++(<pin>)" or " Batch Card sale";
	// empty when the user no longer exists.
	User string
	// Payer is the payer's e-mail (or name, for authorize.net payments).
	Payer         string
	TransactionID string // the transaction id (<transaction_id>)
	// Date is when the payment was added and ConfirmedAt when it was
	// confirmed (nil if not), as the server's wall clock: the reply names
	// no zone, so the Location is UTC and only the clock reading counts.
	Date        time.Time
	ConfirmedAt *time.Time // when it was confirmed (<confirm_date>); nil if not
	// Type is the payment type as the server shows it ("From_api : manual",
	// "Voucher", "Paypal").
	Type string
	// Amount is the amount as the server shows it for the type (the net
	// for API payments, the gross for vouchers and gateways), Fee the fee
	// (nil when none was stored), AmountWithTax the gross; all rounded to
	// the server's Nice_Number_Digits, in the payment's currency.
	Amount        Money
	Fee           *Money // the fee (<fee>); nil when none was stored
	AmountWithTax Money  // the gross amount (<amount_with_tax>)
	// Completed is false for a payment waiting (PendingReason says why,
	// e.g. "Waiting for confirmation").
	Completed     bool
	PendingReason string // why it is pending, from "No (<reason>)" in <completed>; empty when completed
	// ConfirmedByAdmin is false while an API payment waits for an
	// operator's confirmation.
	ConfirmedByAdmin bool
}

func (p *Payment) fields() []field {
	return []field{
		opt("user", str(&p.User)),
		opt("payer", str(&p.Payer)),
		req("transaction_id", str(&p.TransactionID)),
		req("date", datetime(&p.Date)),
		opt("confirm_date", ptrDatetime(&p.ConfirmedAt)),
		opt("type", str(&p.Type)),
		req("amount", money(&p.Amount)),
		opt("fee", func(t string) error {
			if strings.TrimSpace(t) == "" {
				p.Fee = nil
				return nil
			}
			d, err := ParseDecimal(t)
			if err == nil {
				p.Fee = &Money{Amount: d}
			}
			return err
		}),
		req("amount_with_tax", money(&p.AmountWithTax)),
		req("currency", func(t string) error {
			t = strings.TrimSpace(t)
			p.Amount.Currency, p.AmountWithTax.Currency = t, t
			if p.Fee != nil {
				p.Fee.Currency = t
			}
			return nil
		}),
		req("completed", func(t string) error {
			t = strings.TrimSpace(t)
			switch {
			case t == "Completed":
				p.Completed, p.PendingReason = true, ""
			case strings.HasPrefix(t, "No (") && strings.HasSuffix(t, ")"):
				p.Completed, p.PendingReason = false, t[len("No ("):len(t)-1]
			default:
				return errors.New(`not "Completed" or "No (<reason>)"`)
			}
			return nil
		}),
		req("confirmed_by_admin", func(t string) error {
			switch strings.TrimSpace(t) {
			case "Yes":
				p.ConfirmedByAdmin = true
			case "No":
				p.ConfirmedByAdmin = false
			default:
				return errors.New(`not "Yes" or "No"`)
			}
			return nil
		}),
	}
}

var paymentRecords = recordSpec[Payment]{
	record: "payments/payment",
	// Fee is set before currency in the reply, so the currency setter
	// reaches it; a record is decoded in document order.
	fields: (*Payment).fields,
}

// List returns the payments the caller may see that match p, in the
// server's order. MOR: payments_get (read; hash: s_user_id, s_from, s_till,
// s_transaction, s_completed, s_username, s_first_name, s_last_name,
// s_paymenttype, s_amount_max, s_currency, s_number, s_pin, those sent).
// It collects All; use All for large windows.
//
// Who sees what: the admin and accountants with the payments_manage right
// the admin's users' payments, a reseller its users' (and its own with
// UserID set to its id), a simple user its own. Refusals: ErrAccessDenied
// (an accountant without the right, a UserID the caller does not own, a
// partner), the gate errors. A window with only one end is refused
// locally (ErrWindowIncomplete).
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *PaymentsService) List(ctx context.Context, p PaymentsParams) ([]Payment, error) {
	return collect(s.All(ctx, p))
}

// All streams the payments List returns as the reply's bytes arrive; the
// server does not page, so a wide window can be large. MOR: payments_get
// (read). Nothing is sent until the sequence is ranged over, and each range
// sends the request again; an error is the last pair.
//
// Read-only: retried with WithRetries only until the first payment has
// been yielded, so none is yielded twice.
func (s *PaymentsService) All(ctx context.Context, p PaymentsParams) iter.Seq2[Payment, error] {
	const method = "payments_get"
	if err := p.validate(method); err != nil {
		return func(yield func(Payment, error) bool) { yield(Payment{}, err) }
	}
	params, err := query.Values(p)
	if err != nil {
		return func(yield func(Payment, error) bool) {
			yield(Payment{}, &ValidationError{Method: method, Field: "params", Err: err})
		}
	}
	return streamRecords(ctx, s.c, method, params, paymentRecords)
}

// FindByTransaction answers "did the payment with this transaction id
// land?": the payments added between from and till (inclusive; both zero
// means the server's today) whose transaction id is exactly transaction.
// MOR: payments_get with s_transaction, s_from, s_till (read). An empty
// result with a nil error means no such payment was recorded in the
// window: make the window cover the attempt in doubt (the server's clock
// and zone decide). The server matches by prefix with wildcards; the
// exact comparison is done here.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *PaymentsService) FindByTransaction(ctx context.Context, transaction string, from, till time.Time) ([]Payment, error) {
	const method = "payments_get"
	switch {
	case transaction == "":
		return nil, &ValidationError{Method: method, Field: "s_transaction", Err: ErrTransactionEmpty}
	case strings.ContainsAny(transaction, "%_"):
		return nil, &ValidationError{Method: method, Field: "s_transaction", Err: ErrTransactionWildcard}
	}
	out := []Payment{}
	for p, err := range s.All(ctx, PaymentsParams{From: from, Till: till, Transaction: transaction}) {
		if err != nil {
			return nil, err
		}
		if p.TransactionID == transaction {
			out = append(out, p)
		}
	}
	return out, nil
}

// ErrTransactionEmpty is a lookup by an empty transaction id.
var ErrTransactionEmpty = errors.New("mor: transaction id is empty")
