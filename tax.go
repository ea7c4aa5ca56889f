package mor

import (
	"errors"
	"math/big"
)

// Exact money arithmetic: the operations MOR applies to amounts (taxes in
// and out of an amount, currency conversion), on Decimal, so that a client
// can predict what the server credits and mortest computes it the same way.

// QuoScale is the number of decimals a division keeps (Tax.Net,
// Convert): the result is rounded half to even at that place. MOR computes
// these quotients with Ruby's BigDecimal (about 18 to 27 significant digits)
// and prints them rounded to a few decimals, so 20 decimals reproduce every
// printed value; a quotient that terminates within 20 decimals is exact.
const QuoScale = 20

// ErrDivisionByZero is a conversion through an exchange rate of 0 or a
// tax whose percentages sum to -100.
var ErrDivisionByZero = errors.New("mor: division by zero")

func (d Decimal) rat() *big.Rat {
	return new(big.Rat).SetFrac(d.int(), pow10(int(d.scale)))
}

// Add returns d + e, exactly.
func (d Decimal) Add(e Decimal) Decimal {
	a, b, s := align(d, e)
	return Decimal{coef: new(big.Int).Add(a, b), scale: s}
}

// Sub returns d − e, exactly.
func (d Decimal) Sub(e Decimal) Decimal { return d.Add(e.Neg()) }

// Mul returns d × e, exactly (the scales add up).
func (d Decimal) Mul(e Decimal) Decimal {
	return Decimal{coef: new(big.Int).Mul(d.int(), e.int()), scale: d.scale + e.scale}
}

// Quo returns d ÷ e rounded half to even to QuoScale decimals, with
// trailing zeros beyond the operands' own scale removed (100 ÷ 1.15 is
// 86.95652173913043478261, 115 ÷ 1.15 is 100). Dividing by zero is
// ErrDivisionByZero.
func (d Decimal) Quo(e Decimal) (Decimal, error) {
	if e.IsZero() {
		return Decimal{}, ErrDivisionByZero
	}
	q := new(big.Rat).Quo(d.rat(), e.rat())
	return ratDecimal(q, QuoScale, int(max(d.scale, e.scale))), nil
}

// RoundHalfEven returns d rounded half to even to places decimals (d itself
// when it has no more).
func (d Decimal) RoundHalfEven(places int) Decimal {
	if places < 0 || int(d.scale) <= places {
		return d
	}
	return ratDecimal(d.rat(), places, places)
}

// ratDecimal rounds r half to even to places decimals, then drops trailing
// zeros down to keep decimals.
func ratDecimal(r *big.Rat, places, keep int) Decimal {
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(pow10(places)))
	num, den := scaled.Num(), scaled.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int)) // truncates toward zero
	twice := new(big.Int).Abs(m)
	twice.Lsh(twice, 1)
	switch c := twice.Cmp(den); {
	case c > 0, c == 0 && q.Bit(0) == 1:
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	scale := places
	ten := big.NewInt(10)
	for scale > keep {
		qq, rr := new(big.Int).QuoRem(q, ten, new(big.Int))
		if rr.Sign() != 0 {
			break
		}
		q, scale = qq, scale-1
	}
	return Decimal{coef: q, scale: int32(scale)}
}

func align(d, e Decimal) (*big.Int, *big.Int, int32) {
	a, b := d.int(), e.int()
	switch {
	case d.scale < e.scale:
		a = new(big.Int).Mul(a, pow10(int(e.scale-d.scale)))
	case e.scale < d.scale:
		b = new(big.Int).Mul(b, pow10(int(d.scale-e.scale)))
	}
	return a, b, max(d.scale, e.scale)
}

// Tax is how MOR taxes an amount: the percentages of a tax row's active
// taxes and whether they compound. MOR always applies the first tax (its
// "enabled" flag is ignored) and the second to fourth only when enabled, so
// Rates holds the first tax's percentage followed by each enabled one's, in
// order. A user's tax decides what payment_create credits; a voucher's tax
// what voucher_use credits.
type Tax struct {
	// Rates are the active taxes' percentages (21 for 21 %), first tax first.
	Rates []Decimal
	// Compound applies each tax to the amount including the taxes before it.
	Compound bool
}

var hundred = NewDecimal(100, 0)

// Gross returns the amount with tax: net + Σ net×rate/100, or with
// Compound each tax applied in turn to the running total. Exact. For 21 %,
// Gross(100) is 121; compound 10 % then 5 %: Gross(100) is 115.5.
func (t Tax) Gross(net Decimal) Decimal {
	if t.Compound {
		x := net
		for _, r := range t.Rates {
			x = x.Add(x.Mul(r).Mul(NewDecimal(1, 2)))
		}
		return x
	}
	return net.Add(t.Amount(net))
}

// Amount returns the tax on a net amount: Σ net×rate/100, or with Compound
// Gross(net) − net. Exact.
func (t Tax) Amount(net Decimal) Decimal {
	if t.Compound {
		return t.Gross(net).Sub(net)
	}
	sum := Decimal{}
	for _, r := range t.Rates {
		sum = sum.Add(net.Mul(r).Mul(NewDecimal(1, 2)))
	}
	return sum
}

// Net returns the amount without tax of a gross amount, as MOR computes it:
// gross / (Σrate/100 + 1), or with Compound, for the taxes from last to
// first, x = x / (rate + 100) × 100. Each quotient is rounded half to even
// to QuoScale decimals. For 21 %, Net(100) is 82.64462809917355371901
// (MOR prints 82.64), and the tax Gross−Net 17.35537190082644628099
// (17.36). Rates summing to -100 are ErrDivisionByZero.
func (t Tax) Net(gross Decimal) (Decimal, error) {
	if t.Compound {
		x := gross
		for i := len(t.Rates) - 1; i >= 0; i-- {
			q, err := x.Quo(t.Rates[i].Add(hundred))
			if err != nil {
				return Decimal{}, err
			}
			x = q.Mul(hundred)
		}
		return x, nil
	}
	sum := Decimal{}
	for _, r := range t.Rates {
		sum = sum.Add(r)
	}
	div, err := sum.Quo(hundred)
	if err != nil {
		return Decimal{}, err
	}
	return gross.Quo(div.Add(NewDecimal(1, 0)))
}

// Convert returns amount, given in a currency whose exchange rate is from,
// in the currency whose rate is to: amount × to / from. MOR's exchange rates
// are units of a currency per one unit of the system (default) currency, so
// a balance (always kept in the system currency, rate 1) shows in EUR at
// rate 0.9 as Convert(balance, 1, 0.9). The quotient is rounded half to
// even to QuoScale decimals; a zero from is ErrDivisionByZero (MOR itself
// then uses a rate of 0).
func Convert(amount, from, to Decimal) (Decimal, error) {
	return amount.Mul(to).Quo(from)
}
