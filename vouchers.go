package mor

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-querystring/query"
)

// The voucher group: voucher_use.

// VouchersService redeems prepaid vouchers onto balances and finds past
// redemptions. Reach it as Client.Vouchers; it holds no state of its own.
type VouchersService service

// UseVoucherParams are voucher_use's parameters.
type UseVoucherParams struct {
	// Number is the voucher's number (voucher_number, the only hashed
	// key). Required.
	Number string `url:"voucher_number"`
	// UserID, for the admin only, redeems onto that user (one of the
	// admin's own users) instead of the caller (user_id, not hashed). Nil
	// redeems onto the caller: for the admin, its own account.
	UserID *int64 `url:"user_id,omitempty"`
}

// VoucherUse is voucher_use's reply.
type VoucherUse struct {
	Number string // the voucher's number
	ID     int64  // the voucher's id
	// CreditWithTax is the voucher's value, tax included, and
	// CreditWithoutTax its value without the voucher's tax, both in the
	// voucher's currency (exact, as the server computed them).
	CreditWithTax    Money
	CreditWithoutTax Money // value without the voucher's tax (<credit_without_tax>)
	// CreditInDefaultCurrency is CreditWithoutTax in the system currency:
	// what was added to the balance.
	CreditInDefaultCurrency Decimal
	UserID                  int64 // whose balance was credited
	// BalanceAfter is that user's balance afterwards, in the system
	// currency.
	BalanceAfter Decimal
	PaymentID    int64 // the payment recorded for the redemption
}

func (v *VoucherUse) fields() []field {
	return []field{
		req("status/voucher_number", str(&v.Number)),
		req("status/voucher_id", i64(&v.ID)),
		req("status/credit_with_tax", money(&v.CreditWithTax)),
		req("status/credit_without_tax", money(&v.CreditWithoutTax)),
		req("status/currency", currency(&v.CreditWithTax, &v.CreditWithoutTax)),
		req("status/credit_in_default_currency", decimal(&v.CreditInDefaultCurrency)),
		req("status/user_id", i64(&v.UserID)),
		req("status/balance_after_voucher_use", decimal(&v.BalanceAfter)),
		req("status/payment_id", i64(&v.PaymentID)),
	}
}

// Use redeems a voucher onto the caller's balance (or, for the admin, onto
// UserID's). MOR: voucher_use (moves money; hash: voucher_number only). The
// credit is the voucher's value without its tax, converted to the system
// currency; a payment of type "voucher" records it, and the voucher is
// marked used by that user.
//
// Only the admin and the admin's simple users may redeem. Refusals:
// ErrAccessDenied (resellers, accountants, resellers' users),
// ErrVouchersDisabled (the server's Vouchers_Enabled setting is off),
// ErrVoucherNotFound (no such voucher, expired, inactive, or already used),
// ErrUserNotFound (UserID is not one of the admin's users).
//
// Never retried. A voucher is single-use, so a resend cannot credit twice,
// but it answers ErrVoucherNotFound whether the first attempt landed or the
// number was wrong. When the call fails in doubt the error is an
// *InDoubtError: look for the redemption with Redemptions (a voucher
// payment of that user in a window covering the attempt).
func (s *VouchersService) Use(ctx context.Context, p UseVoucherParams) (*VoucherUse, error) {
	const method = "voucher_use"
	switch {
	case strings.TrimSpace(p.Number) == "":
		return nil, &ValidationError{Method: method, Field: "voucher_number", Err: ErrVoucherNumberEmpty}
	case p.UserID != nil && *p.UserID < 0:
		return nil, &ValidationError{Method: method, Field: "user_id", Err: ErrUserIDInvalid}
	}
	params, err := query.Values(p)
	if err != nil {
		return nil, &ValidationError{Method: method, Field: "params", Err: err}
	}
	var out VoucherUse
	err = s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeFields(method, r, out.fields(), true)
	})
	if err != nil {
		who := "the caller"
		if p.UserID != nil {
			who = "user " + strconv.FormatInt(*p.UserID, 10)
		}
		return nil, moneyErr(method, err, "a resend answers \"Voucher was not found\" whether or not this one landed: "+
			"look for a voucher payment of "+who+" (Vouchers.Redemptions, payments_get s_paymenttype=voucher) in a window covering this call")
	}
	return &out, nil
}

// RedemptionsParams select voucher redemptions.
type RedemptionsParams struct {
	// UserID keeps one user's redemptions; nil keeps every user the caller
	// may see (a simple user always sees its own).
	UserID *int64
	// From and Till bound when the voucher was used, inclusive; both zero
	// means the server's today.
	From time.Time // start of the window, inclusive
	Till time.Time // end of the window, inclusive
}

// Redemptions lists the voucher redemptions (payments of type "voucher")
// in a window: who redeemed (Payment.User; filter with UserID), when, and
// the credit (Payment.Amount, in the system currency). MOR: payments_get
// with s_paymenttype=voucher (read). The server records no voucher number
// with the payment, so a redemption is recognised by user, time and
// amount; the voucher itself is then marked used (a second use is
// ErrVoucherNotFound).
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *VouchersService) Redemptions(ctx context.Context, p RedemptionsParams) ([]Payment, error) {
	return (*PaymentsService)(s).List(ctx, PaymentsParams{From: p.From, Till: p.Till, UserID: p.UserID, PaymentType: "voucher"})
}
