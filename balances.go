package mor

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/url"
	"strings"

	"github.com/google/go-querystring/query"
)

// The balance group: user_balance_get, user_simple_balance_get,
// user_balance_get_by_username and user_balance_update, plus the in-doubt
// error every money call returns.

// BalancesService reads users' balances and adds to or takes from them.
// Reach it as Client.Balances; it holds no state of its own.
//
// MOR's user_balance_get_by_psw (a device's balance by the device's
// password) is deliberately not typed: the server takes the password in
// the URL path, where proxies and access logs keep it, and checks no
// credentials at all. Reach it through Client.Call if you must, knowing
// the password travels in the clear; GetByDeviceUsername answers the same
// question without a secret.
type BalancesService service

// InDoubtError is the error of a money call (a balance change, a payment,
// a voucher) that failed after the request may have reached the server:
// the money may have moved. Check says how to find out before sending
// again. InDoubt(err) is true for it; errors.As reaches the cause (a
// *TransportError, *HTTPError, *ParseError) through Unwrap.
type InDoubtError struct {
	Method string // the MOR action
	Err    error  // why the call failed
	Check  string // what to check before sending again
}

// Error says the call failed, that it may have taken effect, and how to check.
func (e *InDoubtError) Error() string {
	return e.Err.Error() + " (" + e.Method + " may have taken effect: " + e.Check + ")"
}

// Unwrap returns the cause.
func (e *InDoubtError) Unwrap() error { return e.Err }

// moneyErr wraps an in-doubt failure of a money call with its check.
func moneyErr(method string, err error, check string) error {
	if err != nil && InDoubt(err) {
		return &InDoubtError{Method: method, Err: err, Check: check}
	}
	return err
}

// BalanceParams are user_balance_get's parameters.
type BalanceParams struct {
	// Username is the user whose balance is read (username, hashed). The
	// call is signed with the secret of that user's API owner, which must
	// be the Client's. Required.
	Username string `url:"username"`
	// Currency converts the balance into this currency (currency, hashed)
	// when the server knows it; "USER" means the user's own currency. The
	// server silently answers in the system currency for a name it does
	// not know, so the reply's Money names a currency only with
	// UserCurrency.
	Currency string `url:"currency,omitempty"`
	// UserCurrency converts to the user's own currency and has the server
	// name it (user_currency=1; not hashed). It overrides Currency.
	UserCurrency bool `url:"user_currency,int,omitempty"`
}

// Get reads a user's balance, rounded as the server prints it (its
// Nice_Number_Digits setting, 2 decimals by default). MOR: user_balance_get
// (read; hash: username, currency). The balance is in the system currency,
// or converted (Currency, UserCurrency); Money.Currency is set only when
// the server names it (UserCurrency).
//
// Refusals: ErrUserNotFound, ErrFeatureDisabled (the server's
// Devices_Check_Ballance setting is off), the gate errors.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *BalancesService) Get(ctx context.Context, p BalanceParams) (Money, error) {
	const method = "user_balance_get"
	if strings.TrimSpace(p.Username) == "" {
		return Money{}, &ValidationError{Method: method, Field: "username", Err: ErrUsernameEmpty}
	}
	params, err := query.Values(p)
	if err != nil {
		return Money{}, &ValidationError{Method: method, Field: "params", Err: err}
	}
	var out Money
	err = s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeFields(method, r, []field{
			req("balance", money(&out)),
			opt("currency", currency(&out)),
		}, false)
	})
	if err != nil {
		return Money{}, err
	}
	return out, nil
}

// GetSimple reads the balance of the user whose registration key
// (uniquehash) is key, in the system currency or converted to currency
// when the server knows that name. MOR: user_simple_balance_get (read; not
// hash-checked: the key is the credential, sent in the POST body, never in
// the URL). The reply is plain text; Money.Currency is empty (the server
// does not name it).
//
// Refusals: ErrUserNotFound, ErrFeatureDisabled, ErrAPIDisabled.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *BalancesService) GetSimple(ctx context.Context, key, currency string) (Money, error) {
	const method = "user_simple_balance_get"
	if strings.TrimSpace(key) == "" {
		return Money{}, &ValidationError{Method: method, Field: "id", Err: ErrKeyEmpty}
	}
	params := url.Values{"id": {key}}
	if currency != "" {
		params.Set("currency", currency)
	}
	return s.plain(ctx, method, params)
}

// GetByDeviceUsername reads the balance of the user owning the device with
// this username, in the system currency, in currency when the server knows
// that name, or in the user's own with "USER". MOR:
// user_balance_get_by_username (read; no authentication at all: anyone who
// can reach the server may ask). The reply is plain text; Money.Currency is
// empty.
//
// Refusals: ErrUserNotFound (no such device, or its user is gone),
// ErrFeatureDisabled.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *BalancesService) GetByDeviceUsername(ctx context.Context, deviceUsername, currency string) (Money, error) {
	const method = "user_balance_get_by_username"
	if strings.TrimSpace(deviceUsername) == "" {
		return Money{}, &ValidationError{Method: method, Field: "id", Err: ErrUsernameEmpty}
	}
	params := url.Values{"id": {deviceUsername}}
	if currency != "" {
		params.Set("currency", currency)
	}
	return s.plain(ctx, method, params)
}

// plainTextLimit bounds a plain-text balance reply.
const plainTextLimit = 4 << 10

// plain calls a balance reader that answers plain text: a number, or an
// error text ("User was not found", "Feature disabled"); its gates answer
// XML.
func (s *BalancesService) plain(ctx context.Context, method string, params url.Values) (Money, error) {
	var out Money
	err := s.c.do(ctx, method, params, func(r io.Reader) error {
		v, err := decodePlainNumber(method, r)
		out.Amount = v
		return err
	})
	if err != nil {
		return Money{}, err
	}
	return out, nil
}

// decodePlainNumber reads a plain-text reply: a decimal number is the
// value; an XML document is decoded for its <error>; a known error text is
// an *APIError; anything else is a *ParseError.
func decodePlainNumber(method string, r io.Reader) (Decimal, error) {
	raw, err := io.ReadAll(io.LimitReader(r, plainTextLimit+1))
	if err != nil {
		return Decimal{}, readErr(method, "reading body", err)
	}
	if len(raw) > plainTextLimit {
		return Decimal{}, &ParseError{Method: method, Reason: "plain-text reply too long", Snippet: snippet(raw)}
	}
	text := strings.TrimSpace(string(raw))
	if strings.HasPrefix(text, "<") {
		if err := decodeFields(method, bytes.NewReader(raw), nil, false); err != nil {
			return Decimal{}, err
		}
		return Decimal{}, &ParseError{Method: method, Reason: "an XML reply without a balance", Snippet: snippet(raw), Err: ErrUnexpectedResponse}
	}
	if d, err := ParseDecimal(text); err == nil && text != "" {
		return d, nil
	}
	if sentinelFor(text) != nil {
		return Decimal{}, newAPIError(method, []string{text})
	}
	return Decimal{}, &ParseError{Method: method, Reason: "not a balance", Snippet: snippet(raw), Err: ErrUnexpectedResponse}
}

// BalanceUpdateParams are user_balance_update's parameters.
type BalanceUpdateParams struct {
	// UserID is the user whose balance changes (user_id, hashed). The
	// server finds only users the caller owns directly: the admin's own
	// users (and the admin itself, id 0), a reseller's users.
	UserID int64 `url:"user_id"`
	// Delta is added to the balance (balance, hashed): positive credits the
	// user, negative debits. It is in the caller's currency; the server
	// stores balances in the system currency, so it divides by the
	// caller's exchange rate. Zero is refused locally (it changes nothing).
	Delta Decimal `url:"balance"`
}

// BalanceUpdate is user_balance_update's reply.
type BalanceUpdate struct {
	Username string // the user's login name (<username>)
	UserID   int64  // the user's id (<id>)
	// Balance is the new balance in the caller's currency, unrounded as the
	// server computed it (the reply names no currency).
	Balance Decimal
}

func (b *BalanceUpdate) fields() []field {
	return []field{
		req("page/user/username", str(&b.Username)),
		req("page/user/id", i64(&b.UserID)),
		req("page/user/balance", decimal(&b.Balance)),
	}
}

// Update adds a signed delta to a user's balance. MOR: user_balance_update
// (moves money; hash: user_id, balance). No payment is recorded: use
// Payments.Create for a top-up that should appear in payment lists.
//
// Local refusals (*ValidationError): a negative UserID (ErrUserIDInvalid),
// a zero Delta (ErrAmountZero). Server refusals: ErrUserNotFound (also for
// users the caller does not own directly, and always for accountants and
// simple users), ErrBadLogin, ErrBalanceNotUpdated.
//
// Never retried: a resend adds the delta again, and the action has no key
// to recognise a repeat. When the call fails in doubt the error is an
// *InDoubtError: read the balance back (Get, or Users' details) and compare
// with what it was before sending, then decide.
func (s *BalancesService) Update(ctx context.Context, p BalanceUpdateParams) (*BalanceUpdate, error) {
	const method = "user_balance_update"
	switch {
	case p.UserID < 0:
		return nil, &ValidationError{Method: method, Field: "user_id", Err: ErrUserIDInvalid}
	case p.Delta.IsZero():
		return nil, &ValidationError{Method: method, Field: "balance", Err: ErrAmountZero}
	}
	params, err := query.Values(p)
	if err != nil {
		return nil, &ValidationError{Method: method, Field: "params", Err: err}
	}
	var out BalanceUpdate
	err = s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeFields(method, r, out.fields(), true)
	})
	if err != nil {
		return nil, moneyErr(method, err, "user_balance_update has no key to recognise a repeat and a resend adds the delta again: "+
			"read the balance back (Balances.Get, user_details_get) and compare with the balance before this call")
	}
	return &out, nil
}

// Local validation sentinels of the money calls.
var (
	// ErrUsernameEmpty is a username parameter left empty.
	ErrUsernameEmpty = errors.New("mor: username is empty")
	// ErrKeyEmpty is an empty registration key (uniquehash).
	ErrKeyEmpty = errors.New("mor: key is empty")
	// ErrUserIDInvalid is a negative user id.
	ErrUserIDInvalid = errors.New("mor: user id is negative")
	// ErrAmountZero is a zero amount or delta for a call that moves money.
	ErrAmountZero = errors.New("mor: amount is zero")
	// ErrCurrencyEmpty is a payment without a currency.
	ErrCurrencyEmpty = errors.New("mor: currency is empty")
	// ErrTransactionWildcard is a transaction id containing % or _: the
	// server's lookup by transaction treats them as wildcards, so such an
	// id could not be checked exactly.
	ErrTransactionWildcard = errors.New("mor: transaction id contains % or _")
	// ErrVoucherNumberEmpty is an empty voucher number.
	ErrVoucherNumberEmpty = errors.New("mor: voucher number is empty")
	// ErrWindowIncomplete is a time window with only one end set: the
	// server would ignore it and list today's payments.
	ErrWindowIncomplete = errors.New("mor: time window needs both From and Till")
)
