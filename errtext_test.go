package mor

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestParseErrorTextPrintable: encoding/xml quotes raw reply bytes in its
// syntax errors; a hostile reply must not get invalid UTF-8 or control
// characters into an error string (found by FuzzOpenBody).
func TestParseErrorTextPrintable(t *testing.T) {
	for _, body := range []string{"&\xe4 ", "&0\xd5 ", "<page>&\x1b[31m;</page>", "<a \x01=''/>"} {
		r, err := openBody("cli_add", strings.NewReader(body), 1<<20)
		if err == nil {
			err = decodeSuccess("cli_add", r)
		}
		if err == nil {
			t.Fatalf("%q decoded as success", body)
		}
		msg := err.Error()
		if !utf8.ValidString(msg) || strings.ContainsFunc(msg, func(r rune) bool { return !unicode.IsPrint(r) }) {
			t.Errorf("%q: error text %q is not printable UTF-8", body, msg)
		}
	}
}
