package mor

import (
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strings"
)

// Decimal is an exact decimal number: money and rates as MOR writes them,
// never rounded through float64. Its value is coefficient × 10^-scale with
// an arbitrary-precision coefficient, so it never overflows; ParseDecimal
// refuses values wider than 1000 digits (before or after the point, exponent
// applied), so that a hostile "1e999999999" cannot allocate a billion digits.
//
// The zero value is 0. A Decimal is immutable; copies share nothing that
// changes. Compare with Cmp or Equal, not ==: 12.5 and 12.50 are equal but
// print differently (String keeps the scale the value was written with).
type Decimal struct {
	coef  *big.Int // nil means 0
	scale int32    // digits after the point, ≥ 0
}

// maxDecimalDigits bounds the digits of a parsed value (and of its text),
// maxDecimalExp its exponent.
const (
	maxDecimalDigits = 1000
	maxDecimalExp    = 1000
)

// ErrBadDecimal is a text that is not a decimal number in any form MOR
// writes.
var ErrBadDecimal = errors.New("mor: not a decimal number")

// NewDecimal returns coef × 10^-scale, e.g. NewDecimal(1250, 2) is 12.50.
// A negative scale multiplies: NewDecimal(5, -2) is 500.
func NewDecimal(coef int64, scale int32) Decimal {
	c := big.NewInt(coef)
	if scale < 0 {
		c.Mul(c, pow10(int(-scale)))
		scale = 0
	}
	return Decimal{coef: c, scale: scale}
}

// ParseDecimal reads the forms MOR writes for numbers: integers ("-3"),
// plain decimals ("12.5", "60.0", "60.0000", BigDecimal's plain to_s) and
// Ruby's Float#to_s exponent form ("1.0e-05", "1.2e+20"). Surrounding white
// space is ignored. The value is kept exactly, with the scale written
// ("60.0" keeps one decimal; "1.0e-05" becomes 0.000010). Empty text,
// "NaN", "Infinity", hexadecimal and anything else are ErrBadDecimal.
func ParseDecimal(s string) (Decimal, error) {
	orig := s
	s = strings.TrimSpace(s)
	bad := func() (Decimal, error) { return Decimal{}, fmt.Errorf("%w: %q", ErrBadDecimal, snippet([]byte(orig))) }
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	mant, exp, hasExp := s, "", false
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp, hasExp = s[:i], s[i+1:], true
	}
	intPart, frac, hasPoint := strings.Cut(mant, ".")
	if !allDigits(intPart) || hasPoint && !allDigits(frac) {
		return bad()
	}
	digits := intPart + frac
	if len(digits) > maxDecimalDigits {
		return bad()
	}
	scale := len(frac)
	if hasExp {
		e := exp
		eneg := false
		if e != "" && (e[0] == '+' || e[0] == '-') {
			eneg = e[0] == '-'
			e = e[1:]
		}
		if !allDigits(e) || len(e) > 4 {
			return bad()
		}
		n := 0
		for _, c := range e {
			n = n*10 + int(c-'0')
		}
		if n > maxDecimalExp {
			return bad()
		}
		if eneg {
			n = -n
		}
		scale -= n
	}
	coef, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return bad()
	}
	if scale < 0 {
		coef.Mul(coef, pow10(-scale))
		scale = 0
	}
	// String writes max(digits, scale+1) digits; keep that parseable.
	if len(coef.String()) > maxDecimalDigits || scale+1 > maxDecimalDigits {
		return bad()
	}
	if neg {
		coef.Neg(coef)
	}
	return Decimal{coef: coef, scale: int32(scale)}, nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

func (d Decimal) int() *big.Int {
	if d.coef == nil {
		return new(big.Int)
	}
	return d.coef
}

// String returns the exact value in plain notation ("12.5", "0.000010",
// "-3"), never an exponent; ParseDecimal(d.String()) equals d.
func (d Decimal) String() string {
	c := d.int()
	digits := new(big.Int).Abs(c).String()
	if d.scale > 0 {
		if len(digits) <= int(d.scale) {
			digits = strings.Repeat("0", int(d.scale)-len(digits)+1) + digits
		}
		p := len(digits) - int(d.scale)
		digits = digits[:p] + "." + digits[p:]
	}
	if c.Sign() < 0 {
		return "-" + digits
	}
	return digits
}

// StringFixed returns the value with at least places decimals ("12.50" for
// 12.5 and 2); it never drops digits.
func (d Decimal) StringFixed(places int) string {
	if places <= int(d.scale) {
		return d.String()
	}
	return Decimal{coef: new(big.Int).Mul(d.int(), pow10(places-int(d.scale))), scale: int32(places)}.String()
}

// Scale returns the number of decimals the value was written with.
func (d Decimal) Scale() int { return int(d.scale) }

// Cmp compares d and e: -1 if d < e, 0 if equal in value, +1 if d > e.
func (d Decimal) Cmp(e Decimal) int {
	a, b := d.int(), e.int()
	switch {
	case d.scale < e.scale:
		a = new(big.Int).Mul(a, pow10(int(e.scale-d.scale)))
	case e.scale < d.scale:
		b = new(big.Int).Mul(b, pow10(int(d.scale-e.scale)))
	}
	return a.Cmp(b)
}

// Equal reports whether d and e have the same value (12.5 equals 12.50).
func (d Decimal) Equal(e Decimal) bool { return d.Cmp(e) == 0 }

// Sign returns -1, 0 or +1.
func (d Decimal) Sign() int { return d.int().Sign() }

// IsZero reports whether the value is 0.
func (d Decimal) IsZero() bool { return d.Sign() == 0 }

// Neg returns -d.
func (d Decimal) Neg() Decimal {
	return Decimal{coef: new(big.Int).Neg(d.int()), scale: d.scale}
}

// MarshalText returns String's bytes.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses with ParseDecimal.
func (d *Decimal) UnmarshalText(b []byte) error {
	v, err := ParseDecimal(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// EncodeValues sends the exact plain value in params structs encoded with
// go-querystring, so a parameter such as credit=10.5 is never a float.
func (d Decimal) EncodeValues(key string, v *url.Values) error {
	v.Set(key, d.String())
	return nil
}

// Money is an exact amount in a currency, e.g. a balance of 12.5 EUR. The
// currency is MOR's code as the server wrote it; it is empty when the reply
// does not say.
type Money struct {
	Amount   Decimal // the exact amount
	Currency string  // MOR's currency code, e.g. "EUR"; empty when the reply does not say
}

// String returns the amount with at least two decimals and the currency,
// e.g. "12.50 EUR", "0.000010 USD", or "12.50" with no currency.
func (m Money) String() string {
	s := m.Amount.StringFixed(2)
	if m.Currency != "" {
		s += " " + m.Currency
	}
	return s
}
