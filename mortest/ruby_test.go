package mortest

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRubyToI(t *testing.T) {
	tests := map[string]int64{
		"7": 7, "7=88": 7, "21=88": 21, "invalid": 0, "": 0, " 7": 7, "\t-3x": -3, "+5": 5,
		"1_000": 1000, "1__0": 1, "_1": 0, "007": 7, "99999999999999999999": math.MaxInt64,
	}
	for in, want := range tests {
		assert.Equal(t, want, rubyToI(in), "%q", in)
	}
}

func TestMySQLKeyAndDigits(t *testing.T) {
	assert.Equal(t, mysqlKey("ADMIN  "), mysqlKey("admin"))
	assert.NotEqual(t, mysqlKey(" admin"), mysqlKey("admin"))
	assert.True(t, allDigits("0123"))
	assert.False(t, allDigits(""))
	assert.False(t, allDigits("-1"))
	assert.Equal(t, "123456", removeWhitespace(" 12\t34\n56 "))
}

func TestRender(t *testing.T) {
	got := string(render(el("page", el("status", leaf("a", ""), leafPtr("b", nil), leafInt("c", -4)))))
	assert.Equal(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <status>\n    <a></a>\n    <b/>\n    <c>-4</c>\n  </status>\n</page>\n", got)
	assert.Equal(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<status>\n  <error>Incorrect hash</error>\n</status>\n", string(shapeA("Incorrect hash")))
	assert.Equal(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<x>&amp;&lt;&gt;\"'é\uFFFD\uFFFD</x>\n",
		string(render(leaf("x", "&<>\"'é\x00\xff"))))
}
