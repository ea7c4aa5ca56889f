package mor

import (
	"errors"
	"net/url"
	"testing"

	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDecimalForms(t *testing.T) {
	for in, want := range map[string]string{
		"0":                   "0",
		"0.0":                 "0.0",
		"60.0":                "60.0",
		"60.0000":             "60.0000",
		"12.5":                "12.5",
		"-3":                  "-3",
		"+7":                  "7",
		" 18.0\n":             "18.0",
		"1.0e-05":             "0.000010",
		"1e-5":                "0.00001",
		"1.2e+20":             "120000000000000000000",
		"1.5E3":               "1500",
		"-0.0":                "0.0",
		"0.30000000000000004": "0.30000000000000004",
		"123456789012345678901234567890.123456789": "123456789012345678901234567890.123456789",
		"-0.000000000000000001":                    "-0.000000000000000001",
	} {
		d, err := ParseDecimal(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, d.String(), in)
	}
	for _, in := range []string{"", " ", "abc", "1.", ".5", "1..2", "1e", "1e+", "0x1A", "NaN", "Infinity", "-",
		"1_000", "1,5", "1e99999", "1e1001", "1e1000", "0.1e-999", "12a", "--1", "1.5.6"} {
		_, err := ParseDecimal(in)
		assert.ErrorIs(t, err, ErrBadDecimal, "%q", in)
	}
}

func TestDecimalCompareAndZero(t *testing.T) {
	p := func(s string) Decimal {
		d, err := ParseDecimal(s)
		require.NoError(t, err)
		return d
	}
	assert.True(t, p("12.5").Equal(p("12.50")))
	assert.Equal(t, -1, p("0.1").Cmp(p("0.10000000000000001")))
	assert.Equal(t, 1, p("-1").Cmp(p("-1.5")))
	assert.Equal(t, 0, Decimal{}.Cmp(p("0.000")))
	assert.True(t, Decimal{}.IsZero())
	assert.Equal(t, "0", Decimal{}.String())
	assert.Equal(t, "-12.5", p("12.5").Neg().String())
	assert.Equal(t, "0", Decimal{}.Neg().String())
	assert.Equal(t, -1, p("12.5").Neg().Sign())
	assert.Equal(t, "12.50", NewDecimal(1250, 2).String())
	assert.Equal(t, "500", NewDecimal(5, -2).String())
	assert.Equal(t, "-0.05", NewDecimal(-5, 2).String())
	assert.Equal(t, 4, p("60.0000").Scale())
	// Neg does not change the original.
	x := p("1.5")
	_ = x.Neg()
	assert.Equal(t, "1.5", x.String())
}

func TestMoneyString(t *testing.T) {
	for _, tc := range []struct {
		amount, cur, want string
	}{
		{"12.5", "EUR", "12.50 EUR"},
		{"0", "USD", "0.00 USD"},
		{"1.0e-05", "USD", "0.000010 USD"},
		{"-3", "", "-3.00"},
		{"60.0000", "LTL", "60.0000 LTL"},
	} {
		d, err := ParseDecimal(tc.amount)
		require.NoError(t, err)
		assert.Equal(t, tc.want, Money{Amount: d, Currency: tc.cur}.String())
	}
}

// Params that send money take a Decimal and encode it exactly.
func TestDecimalEncodesExactly(t *testing.T) {
	type params struct {
		Credit Decimal `url:"credit"`
	}
	d, err := ParseDecimal("1.0e-07")
	require.NoError(t, err)
	v, err := query.Values(params{Credit: d})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"credit": {"0.00000010"}}, v)
	big, err := ParseDecimal("100000000000000000000.01")
	require.NoError(t, err)
	v, err = query.Values(params{Credit: big})
	require.NoError(t, err)
	assert.Equal(t, "100000000000000000000.01", v.Get("credit"))

	var back Decimal
	require.NoError(t, back.UnmarshalText([]byte("12.5")))
	b, _ := back.MarshalText()
	assert.Equal(t, "12.5", string(b))
	assert.Error(t, back.UnmarshalText([]byte("x")))
}

// String → Parse round-trips the exact value and the scale; parsing never
// panics.
func FuzzDecimalRoundTrip(f *testing.F) {
	for _, s := range []string{"0", "1.0e-05", "60.0", "12.5", "-3", "1.2e+20", "0.30000000000000004", "x", "1e1000", "-0.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDecimal(s)
		if err != nil {
			if !errors.Is(err, ErrBadDecimal) {
				t.Fatalf("%q: error %v is not ErrBadDecimal", s, err)
			}
			return
		}
		out := d.String()
		back, err := ParseDecimal(out)
		if err != nil {
			t.Fatalf("%q → %q does not parse: %v", s, out, err)
		}
		if back.Cmp(d) != 0 || back.Scale() != d.Scale() || back.String() != out {
			t.Fatalf("%q → %q → %q", s, out, back.String())
		}
		if d.Neg().Neg().Cmp(d) != 0 {
			t.Fatalf("%q: -(-d) != d", s)
		}
	})
}
