package mortest

import (
	"math/big"
	"strconv"
	"strings"
)

// Money arithmetic of the invoice, credit-note, service and subscription
// actions, done exactly: amounts are big.Rat and are printed the way the
// server prints them (nice_number, BigDecimal#to_s, Float#to_s). The real
// server computes in doubles; for any amount with at most 15 significant
// digits the printed result is the same.

// rat returns d as a rational; a value that is not a decimal reads as 0.
func rat(d Decimal) *big.Rat {
	r, ok := d.Rat()
	if !ok {
		return new(big.Rat)
	}
	return r
}

// ratDecimal returns r as a plain Decimal, exact when r terminates and
// rounded to 20 decimals otherwise.
func ratDecimal(r *big.Rat) Decimal {
	if s, ok := exactDecimal(r); ok {
		return Decimal(s)
	}
	return Decimal(strings.TrimRight(strings.TrimRight(r.FloatString(20), "0"), "."))
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

// niceNumber is the server's nice_number with digits decimals: round half to
// even on the decimal value (Ruby's sprintf on the shortest representation
// of the double), except that a value smaller than one unit of the last kept
// digit is rounded from its exact binary value (0.005 → 0.01).
func niceNumber(r *big.Rat, digits int) string {
	unit := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil))
	abs := new(big.Rat).Abs(r)
	if abs.Sign() != 0 && abs.Cmp(unit) < 0 {
		f, _ := r.Float64()
		return strconv.FormatFloat(f, 'f', digits, 64) // Go rounds the exact binary value, as C does
	}
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil)))
	q, m := new(big.Int).QuoRem(scaled.Num(), scaled.Denom(), new(big.Int))
	// q truncated toward zero; compare the remainder with half the denominator.
	twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
	switch c := twice.Cmp(scaled.Denom()); {
	case c > 0, c == 0 && q.Bit(0) == 1:
		if scaled.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	out := new(big.Rat).SetFrac(q, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil))
	s := out.FloatString(digits)
	if q.Sign() == 0 && scaled.Sign() < 0 {
		s = "-" + s // sprintf keeps the sign of a negative value rounded to zero
	}
	return s
}

// niceDigits is the confline Nice_Number_Digits (owner 0): missing or empty
// → 2, non-numeric → 0.
func (st *state) niceDigits() int {
	v := st.confline(0, "Nice_Number_Digits")
	if v == "" {
		return 2
	}
	return int(rubyToI(v))
}

// bigDecimalString is Rails' BigDecimal#to_s('F'): plain notation, at least
// one digit after the point ("10.0", "-0.6", "0.73853104").
func bigDecimalString(r *big.Rat) string {
	s := string(ratDecimal(r))
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// rubyFloat is Ruby's Float#to_s of r as a double: shortest round-trip
// digits, ".0" on integral values, exponent form below 1e-4 and from 1e16.
func rubyFloat(r *big.Rat) string {
	f, _ := r.Float64()
	abs := f
	if abs < 0 {
		abs = -abs
	}
	if abs != 0 && (abs < 1e-4 || abs >= 1e16) {
		s := strconv.FormatFloat(f, 'e', -1, 64) // 1e-05
		mant, exp, _ := strings.Cut(s, "e")
		if !strings.Contains(mant, ".") {
			mant += ".0"
		}
		sign := exp[0]
		exp = strings.TrimLeft(exp[1:], "0")
		if len(exp) < 2 {
			exp = strings.Repeat("0", 2-len(exp)) + exp
		}
		return mant + "e" + string(sign) + exp
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// taxRates are the active percentages of a tax row, tax1 always (its
// enabled flag is ignored), tax2–4 when enabled.
func taxRates(t *Tax) []*big.Rat {
	out := []*big.Rat{rat(t.Tax1Value)}
	for _, x := range []struct {
		on bool
		v  Decimal
	}{{t.Tax2Enabled, t.Tax2Value}, {t.Tax3Enabled, t.Tax3Value}, {t.Tax4Enabled, t.Tax4Value}} {
		if x.on {
			out = append(out, rat(x.v))
		}
	}
	return out
}

var hundred = big.NewRat(100, 1)

// applyTax returns net plus its taxes (compound: each tax on the running
// total).
func applyTax(t *Tax, net *big.Rat) *big.Rat {
	x := new(big.Rat).Set(net)
	if t == nil {
		return x
	}
	if t.CompoundTax {
		for _, v := range taxRates(t) {
			x.Add(x, new(big.Rat).Quo(new(big.Rat).Mul(x, v), hundred))
		}
		return x
	}
	for _, v := range taxRates(t) {
		x.Add(x, new(big.Rat).Quo(new(big.Rat).Mul(net, v), hundred))
	}
	return x
}

// amountWithoutTax is count_amount_without_tax: the net amount whose gross
// is gross.
func amountWithoutTax(t *Tax, gross *big.Rat) *big.Rat {
	x := new(big.Rat).Set(gross)
	if t == nil {
		return x
	}
	rates := taxRates(t)
	if t.CompoundTax {
		for i := len(rates) - 1; i >= 0; i-- {
			x.Quo(new(big.Rat).Mul(x, hundred), new(big.Rat).Add(rates[i], hundred))
		}
		return x
	}
	sum := new(big.Rat)
	for _, v := range rates {
		sum.Add(sum, v)
	}
	return x.Quo(x, new(big.Rat).Add(new(big.Rat).Quo(sum, hundred), big.NewRat(1, 1)))
}

// taxAmount is count_tax_amount: the tax on net.
func taxAmount(t *Tax, net *big.Rat) *big.Rat {
	return new(big.Rat).Sub(applyTax(t, net), net)
}

// exchangeRate is Currency.count_exchange_rate(from, to): 1 for the same
// name, to.rate / from.rate, or 0 when either is missing or from's rate is 0.
func (st *state) exchangeRate(from, to string) *big.Rat {
	if from == to {
		return big.NewRat(1, 1)
	}
	a, b := st.currencyByName(from), st.currencyByName(to)
	if a == nil || b == nil || rat(a.ExchangeRate).Sign() == 0 {
		return new(big.Rat)
	}
	return new(big.Rat).Quo(rat(b.ExchangeRate), rat(a.ExchangeRate))
}

// currencyByName finds a currency by name, case-insensitively (MySQL).
func (st *state) currencyByName(name string) *Currency {
	for _, c := range sortedRows(st.currencies, nil) {
		if strings.EqualFold(c.Name, name) {
			return c
		}
	}
	return nil
}

// callerRate is the caller-currency accessor's factor: the raw exchange
// rate of the caller's currency, and false when the caller has none (no
// conversion then).
func (st *state) callerRate(u *User) (*big.Rat, bool) {
	if u == nil {
		return big.NewRat(1, 1), false
	}
	c := st.currencies[u.CurrencyID]
	if c == nil {
		return big.NewRat(1, 1), false
	}
	return rat(c.ExchangeRate), true
}

// defaultCurrency is the lowest-id currency's name (the default).
func (st *state) defaultCurrency() string {
	rows := sortedRows(st.currencies, nil)
	if len(rows) == 0 {
		return ""
	}
	return rows[0].Name
}
