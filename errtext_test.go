package mor

import (
	"errors"
	"io"
	"strings"
	"syscall"
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

// failingReader returns data, then err: a connection that drops mid-body.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

// TestErrorClassification: a read error of the body itself is a transport
// error (a read may retry it) even when it is io.ErrUnexpectedEOF, as
// net/http reports a body cut short of its Content-Length; a complaint of
// the decoder about the bytes it got is a *ParseError (never retried).
func TestErrorClassification(t *testing.T) {
	gz := gzipOf([]byte("<page><status><success>CLI successfully created</success></status></page>"))
	transport := []struct {
		name string
		body io.Reader
	}{
		{"plain cut short", &failingReader{data: []byte("<page><status><succ"), err: io.ErrUnexpectedEOF}},
		{"gzip cut short", &failingReader{data: gz[:len(gz)/2], err: io.ErrUnexpectedEOF}},
		{"reset in html", &failingReader{data: []byte("<html><body><page>"), err: syscall.ECONNRESET}},
		{"reset in zip", &failingReader{data: []byte("PK\x03\x04abc"), err: syscall.ECONNRESET}},
		{"reset before any byte", &failingReader{err: syscall.ECONNRESET}},
	}
	for _, tc := range transport {
		r, err := openBody("cli_add", tc.body, 1<<20)
		if err == nil {
			err = decodeSuccess("cli_add", r)
		}
		var te *TransportError
		if !errors.As(err, &te) || !retryable(err) {
			t.Errorf("%s: got %T %v, want a retryable transport error", tc.name, err, err)
		}
	}
	parse := map[string]string{
		"unsupported charset": `<?xml version="1.0" encoding="0"?><page/>`,
		"unsupported version": `<?xml version="0"?><page/>`,
		"truncated gzip":      string(gz[:len(gz)-6]),
	}
	for name, body := range parse {
		r, err := openBody("cli_add", strings.NewReader(body), 1<<20)
		if err == nil {
			err = decodeSuccess("cli_add", r)
		}
		var pe *ParseError
		if !errors.As(err, &pe) || retryable(err) {
			t.Errorf("%s: got %T %v, want a *ParseError that is not retried", name, err, err)
		}
	}
}

// TestHTMLWrapperInvalidUTF8: bytes.ToLower turns each invalid UTF-8 byte
// into a three-byte U+FFFD, so offsets found in the lowered copy of an HTML
// page ran past the page and the client panicked on a hostile reply (found
// by FuzzOpenBody).
func TestHTMLWrapperInvalidUTF8(t *testing.T) {
	for _, body := range []string{
		"<!DOCTYPE html\xbe000000<BodY>",
		"<html>\xff\xff\xff\xff<body><page><status><success>CLI successfully created</success></status></page></body></html>",
		"<html><body>\xe4<page/></body>\xff\xff</html>",
	} {
		r, err := openBody("cli_add", strings.NewReader(body), 1<<20)
		if err == nil {
			err = decodeSuccess("cli_add", r)
		}
		var pe *ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Errorf("%q: got %T %v, want nil or a *ParseError", body, err, err)
		}
	}
}
