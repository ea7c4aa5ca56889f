package mortest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Ruby's Float#to_s, as the spec's examples and Ruby 2.x print them.
func TestRubyFloat(t *testing.T) {
	for in, want := range map[Decimal]string{
		"3": "3.0", "0.1": "0.1", "0.30000000000000004": "0.30000000000000004", "0.00001": "1.0e-05",
		"0.0001": "0.0001", "1000000000000000": "1.0e+15", "1234567890123456.8": "1234567890123456.8",
		"100": "100.0", "-1.25": "-1.25", "0": "0.0", "12.5": "12.5", "0.000012345": "1.2345e-05",
		"123456789012345": "123456789012345.0", "100000000000000000000": "1.0e+20",
	} {
		assert.Equal(t, want, rubyFloat(in), string(in))
	}
}

// nice_number: fixed decimals of the binary double.
func TestStateNiceNumber(t *testing.T) {
	st := newState()
	assert.Equal(t, "0.99", st.niceNumber("0.99"))
	assert.Equal(t, "0.00", st.niceNumber(""))
	assert.Equal(t, "0.12", st.niceNumber("0.125"), "a tie rounds to even")
	st.setConf(0, "Nice_Number_Digits", "4")
	assert.Equal(t, "1.0000", st.niceNumber("1"))
}
