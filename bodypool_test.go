package mor

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"testing"
)

// TestReplyReaderReuse runs one pooled replyReader through every body form,
// including broken ones, in a row: nothing from one reply may leak into the
// next.
func TestReplyReaderReuse(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = io.WriteString(zw, s)
		_ = zw.Close()
		return b.Bytes()
	}
	ok := "<page><status><success>CLI successfully created</success></status></page>"
	full := gz(ok)
	steps := []struct {
		body    []byte
		limit   int64
		wantErr error // nil: decodes as success
		parse   bool  // want a *ParseError
	}{
		{body: full, limit: 1 << 20},
		{body: full[:len(full)-6], limit: 1 << 20, parse: true},
		{body: []byte(ok), limit: 1 << 20},
		{body: full, limit: 10, wantErr: ErrResponseTooLarge},
		{body: nil, limit: 1 << 20, wantErr: ErrEmptyResponse},
		{body: full, limit: 1 << 20},
		{body: []byte("\x1f\x8bgarbage"), limit: 1 << 20, parse: true},
		{body: gz("<html><body>" + ok + "</body></html>"), limit: 1 << 20},
		{body: full, limit: 1 << 20},
	}
	rr := getReplyReader() // reopened for every step, as the pool would
	for i, s := range steps {
		r, err := rr.open("cli_add", bytes.NewReader(s.body), s.limit)
		if err == nil {
			err = decodeSuccess("cli_add", r)
		}
		var pe *ParseError
		switch {
		case s.parse && !errors.As(err, &pe):
			t.Errorf("step %d: got %v, want a *ParseError", i, err)
		case s.wantErr != nil && !errors.Is(err, s.wantErr):
			t.Errorf("step %d: got %v, want %v", i, err, s.wantErr)
		case !s.parse && s.wantErr == nil && err != nil:
			t.Errorf("step %d: %v", i, err)
		}
	}
	rr.release()
}
