package mortest

import (
	"math"
	"strings"
)

// The MOR server is Ruby on MySQL; these helpers reproduce the few
// conversions and comparisons whose quirks show through the API.

// rubyToI mirrors Ruby's String#to_i: leading whitespace, an optional sign,
// then digits (single underscores allowed between digits); anything after is
// ignored and no digits at all give 0. "7=88" → 7, "invalid" → 0, "" → 0.
// A value too large for int64 saturates, which no stored id can equal.
func rubyToI(s string) int64 {
	i := 0
	for i < len(s) && isRubySpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var n int64
	overflow := false
	prevDigit := false
	for ; i < len(s); i++ {
		c := s[i]
		if c == '_' && prevDigit && i+1 < len(s) && isDigit(s[i+1]) {
			prevDigit = false
			continue
		}
		if !isDigit(c) {
			break
		}
		prevDigit = true
		d := int64(c - '0')
		if n > (math.MaxInt64-d)/10 {
			overflow = true
			continue
		}
		n = n*10 + d
	}
	if overflow {
		n = math.MaxInt64
	}
	if neg {
		return -n
	}
	return n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isRubySpace is Ruby's ASCII whitespace (/\s/ plus \v), which to_i,
// Float() and strip skip.
func isRubySpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// rubyStrip mirrors String#strip on ASCII whitespace.
func rubyStrip(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r < 0x80 && isRubySpace(byte(r)) })
}

// rubyBlank mirrors Rails' String#blank?: empty or whitespace only.
func rubyBlank(s string) bool {
	return strings.TrimSpace(s) == ""
}

// allDigits reports whether s is non-empty and only 0-9 (the server's
// /^\d+$/ test on device_clis_get ids).
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// parseDigits converts an allDigits string, saturating on overflow.
func parseDigits(s string) int64 {
	return rubyToI(s)
}

// removeWhitespace drops every whitespace character, as the uniqueness
// check does with the submitted number before comparing.
func removeWhitespace(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && isRubySpace(byte(r)) {
			return -1
		}
		return r
	}, s)
}

// mysqlKey is the value a MySQL case-insensitive, PAD SPACE comparison sees:
// letter case folded, trailing spaces ignored. Two strings compare equal on
// the server when their keys are equal. (Accent folding of the *_general_ci
// collations is not modelled.)
func mysqlKey(s string) string {
	return strings.ToLower(strings.TrimRight(s, " "))
}
