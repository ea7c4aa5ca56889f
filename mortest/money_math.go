package mortest

import (
	"math/big"
	"strings"

	mor "github.com/morbilling/mor-go"
)

// Exact money arithmetic of the invoice, credit-note, service and
// subscription actions. They compute on big.Rat; the formulas themselves
// (taxes in and out of an amount, currency rates) and the number formats
// (nice_number, BigDecimal#to_s, Float#to_s) are the SDK's Tax and Decimal
// and the balance/payment helpers of payments.go, so the fake has one
// implementation of each. These are only the conversions between the two.

// rat returns d as a rational; a value that is not a decimal reads as 0.
func rat(d Decimal) *big.Rat {
	r, ok := d.Rat()
	if !ok {
		return new(big.Rat)
	}
	return r
}

// ratDecimal returns r as a plain Decimal, exact when r terminates and
// rounded to 20 decimals (the SDK's QuoScale) otherwise.
func ratDecimal(r *big.Rat) Decimal {
	if s, ok := exactDecimal(r); ok {
		return Decimal(s)
	}
	s := strings.TrimRight(strings.TrimRight(r.FloatString(mor.QuoScale), "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return Decimal(s)
}

// exactDecimal writes r in plain notation if it has a finite decimal
// expansion.
func exactDecimal(r *big.Rat) (string, bool) {
	d := new(big.Int).Set(r.Denom())
	n := 0
	for _, p := range []int64{2, 5} {
		bp := big.NewInt(p)
		m := new(big.Int)
		for {
			q, rem := new(big.Int).QuoRem(d, bp, m)
			if rem.Sign() != 0 {
				break
			}
			d = q
			n++
		}
	}
	if d.Cmp(big.NewInt(1)) != 0 {
		return "", false
	}
	s := r.FloatString(n)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s, true
}

// decOf is r as the SDK's Decimal (see ratDecimal).
func decOf(r *big.Rat) mor.Decimal { return dec(ratDecimal(r)) }

// ratOf is an SDK Decimal as a rational.
func ratOf(d mor.Decimal) *big.Rat {
	r, ok := new(big.Rat).SetString(d.String())
	if !ok {
		return new(big.Rat)
	}
	return r
}

// ratF64 is r as the double the server computes with.
func ratF64(r *big.Rat) float64 { f, _ := r.Float64(); return f }

// applyTax returns net plus its taxes: the SDK's Tax.Gross of the tax row
// (nil: no tax).
func applyTax(t *Tax, net *big.Rat) *big.Rat {
	if t == nil {
		return new(big.Rat).Set(net)
	}
	return ratOf(sdkTax(t).Gross(decOf(net)))
}

// amountWithoutTax is count_amount_without_tax: the SDK's Tax.Net.
func amountWithoutTax(t *Tax, gross *big.Rat) *big.Rat {
	if t == nil {
		return new(big.Rat).Set(gross)
	}
	n, err := sdkTax(t).Net(decOf(gross))
	if err != nil {
		return new(big.Rat)
	}
	return ratOf(n)
}

// taxAmount is count_tax_amount: the SDK's Tax.Amount.
func taxAmount(t *Tax, net *big.Rat) *big.Rat {
	if t == nil {
		return new(big.Rat)
	}
	return ratOf(sdkTax(t).Amount(decOf(net)))
}

// callerRat is callerRate as a rational.
func (st *state) callerRat(u *User) (*big.Rat, bool) {
	r, ok := st.callerRate(u)
	return ratOf(r), ok
}
