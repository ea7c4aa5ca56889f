package mortest

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
)

func r(s string) *big.Rat { v, _ := new(big.Rat).SetString(s); return v }

// nice_number's rounding: half to even on the shortest decimal of the double,
// the tiny-value exception, the digits setting and the sign.
func TestNiceNumberOfQuotients(t *testing.T) {
	for _, tc := range []struct {
		in     string
		digits int
		want   string
	}{
		{"2.675", 2, "2.68"}, {"1.015", 2, "1.02"}, {"1.005", 2, "1.00"}, {"0.125", 2, "0.12"},
		{"17.355371900826446", 2, "17.36"}, {"0.005", 2, "0.01"}, {"82.64", 2, "82.64"}, {"-0.6", 2, "-0.60"},
		{"0", 2, "0.00"}, {"40", 4, "40.0000"}, {"100/121", 2, "0.83"}, {"12.5", 0, "12"}, {"13.5", 0, "14"},
		{"-2.675", 2, "-2.68"}, {"-0.001", 2, "-0.00"},
	} {
		assert.Equal(t, tc.want, niceNumber(ratF64(r(tc.in)), tc.digits), "%s %d", tc.in, tc.digits)
	}
}

func TestNumberFormats(t *testing.T) {
	// BigDecimal#to_s('F')
	for in, want := range map[string]string{"10": "10.0", "23.5": "23.5", "-0.6": "-0.6", "0": "0.0", "0.73853104": "0.73853104", "121/10": "12.1"} {
		assert.Equal(t, want, bigDecimalS(decOf(r(in))), in)
	}
	// Float#to_s
	for in, want := range map[string]string{"10": "10.0", "12.1": "12.1", "0.00001": "1.0e-05", "1e16": "1.0e+16", "0.0001": "0.0001"} {
		assert.Equal(t, want, rubyFloatS(ratF64(r(in))), in)
	}
}

// The tax formulas' worked examples: single 21 %, compound and non-compound
// 10 % + 5 %.
func TestFakeTaxWorkedExamples(t *testing.T) {
	single := &Tax{Tax1Value: "21", Tax2Value: "50", Tax2Enabled: false}
	assert.Equal(t, "121.00", niceNumber(ratF64(applyTax(single, r("100"))), 2))
	assert.Equal(t, "82.64", niceNumber(ratF64(amountWithoutTax(single, r("100"))), 2))
	assert.Equal(t, "17.36", niceNumber(ratF64(taxAmount(single, amountWithoutTax(single, r("100")))), 2))

	compound := &Tax{Tax1Value: "10", Tax2Enabled: true, Tax2Value: "5", CompoundTax: true}
	assert.Equal(t, 0, applyTax(compound, r("100")).Cmp(r("115.5")))
	assert.Equal(t, 0, amountWithoutTax(compound, r("115.5")).Cmp(r("100")))

	flat := &Tax{Tax1Value: "10", Tax2Enabled: true, Tax2Value: "5"}
	assert.Equal(t, 0, applyTax(flat, r("100")).Cmp(r("115")))
	assert.Equal(t, 0, amountWithoutTax(flat, r("115")).Cmp(r("100")))
	assert.Equal(t, 0, taxAmount(flat, r("100")).Cmp(r("15")))
	// tax1's enabled flag is ignored; a disabled tax2 is not applied.
	assert.Equal(t, 0, applyTax(&Tax{Tax1Enabled: false, Tax1Value: "21", Tax2Value: "5"}, r("10")).Cmp(r("12.1")))
}

// Currency conversion: rate(A→B) = B.rate / A.rate; same name 1; missing 0.
func TestExchangeRateWorkedExample(t *testing.T) {
	st := newState()
	st.currencies[1] = &Currency{ID: 1, Name: "USD", ExchangeRate: "1"}
	st.currencies[2] = &Currency{ID: 2, Name: "EUR", ExchangeRate: "0.9"}
	assert.Equal(t, 0, ratOf(st.rate("USD", "EUR")).Cmp(r("0.9")))
	forty := new(big.Rat).Mul(r("40"), ratOf(st.rate("USD", "EUR")))
	assert.Equal(t, 0, forty.Cmp(r("36")))
	assert.Equal(t, "111.11", niceNumber(ratF64(new(big.Rat).Mul(r("100"), ratOf(st.rate("eur", "USD")))), 2))
	assert.Equal(t, "134.44", niceNumber(ratF64(new(big.Rat).Mul(r("121"), ratOf(st.rate("EUR", "USD")))), 2))
	assert.Equal(t, 0, ratOf(st.rate("USD", "XXX")).Sign())
	assert.Equal(t, "USD", st.defaultCurrency())
}
