package mor

import (
	"bytes"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHTMLInner(t *testing.T) {
	tests := []struct {
		page, want string
		ok         bool
	}{
		{"<html><head></head><body><page><status>x</status></page></body></html>", "<page><status>x</status></page>", true},
		{"<HTML><BODY class='a'>\n<?xml version=\"1.0\"?><status><error>E</error></status>\n</BODY></HTML>", "<?xml version=\"1.0\"?><status><error>E</error></status>", true},
		{"<html><body><pre>&lt;page&gt;&lt;/page&gt;</pre></body></html>", "<page></page>", true},
		{"<html><body><div>Login</div></body></html>", "", false},
		{"<html><body>Just text</body></html>", "", false},
		{"<html><head><title>x</title></head></html>", "", false},
		{"<html><body><page/>", "<page/>", true}, // unterminated wrapper
	}
	for _, tt := range tests {
		got, ok := htmlInner([]byte(tt.page))
		assert.Equal(t, tt.ok, ok, tt.page)
		assert.Equal(t, tt.want, string(got), tt.page)
	}
}

func TestSnippet(t *testing.T) {
	assert.Equal(t, "a b c", snippet([]byte("  a\n\n b\t\tc  ")))
	assert.Equal(t, "??x", snippet([]byte{0xff, 0x01, 'x'}))
	assert.Len(t, snippet(bytes.Repeat([]byte("y"), 1000)), 120)
}

func TestCappedReader(t *testing.T) {
	b, err := io.ReadAll(newCapped(bytes.NewReader([]byte("12345")), 5))
	require.NoError(t, err)
	assert.Equal(t, "12345", string(b))
	_, err = io.ReadAll(newCapped(bytes.NewReader([]byte("123456")), 5))
	assert.ErrorIs(t, err, ErrResponseTooLarge)
}

func TestLatin1Declared(t *testing.T) {
	body := append([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><page><status><cli_id>1</cli_id><cli_comment>`), 0xe9)
	body = append(body, []byte(`</cli_comment></status></page>`)...)
	r, err := openBody("device_clis_get", bytes.NewReader(body), 1<<20)
	require.NoError(t, err)
	clis, err := decodeCLIs("device_clis_get", r)
	require.NoError(t, err)
	assert.Equal(t, "é", clis[0].Comment)
}
