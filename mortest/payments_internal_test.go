package mortest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// nice_number: Ruby rounds the double's shortest decimal form half to even;
// values below one unit of the last digit from the exact binary value.
func TestNiceNumber(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		d    int
		want string
	}{
		{2.675, 2, "2.68"}, {1.015, 2, "1.02"}, {1.005, 2, "1.00"}, {0.125, 2, "0.12"},
		{17.355371900826446, 2, "17.36"}, {0.005, 2, "0.01"}, {82.64462809917356, 2, "82.64"},
		{-0.6, 2, "-0.60"}, {0, 2, "0.00"}, {40, 4, "40.0000"}, {10, 0, "10"},
	} {
		assert.Equal(t, tc.want, niceNumber(tc.f, tc.d), "%v D=%d", tc.f, tc.d)
	}
}

func TestRubyNumberForms(t *testing.T) {
	for f, want := range map[float64]string{10: "10.0", 12.1: "12.1", 1e-05: "1.0e-05", 1e15: "1.0e+15", -0.6: "-0.6"} {
		assert.Equal(t, want, rubyFloatS(f), "%v", f)
	}
	for in, want := range map[string]string{"1e3": "1000", "5,5": "5", "abc": "0", "": "0", " -2.5x": "-2.5", "+7.": "7", "1_000": "1000"} {
		assert.Equal(t, want, rubyToD(in).String(), "%q", in)
	}
	assert.True(t, sqlLikePrefix("TX-10", "tx-1"))
	assert.True(t, sqlLikePrefix("TXA1", "TX_1"))
	assert.False(t, sqlLikePrefix("TX-2", "TX-1"))
}
