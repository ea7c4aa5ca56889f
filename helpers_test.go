package mor

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

const (
	testBase   = "https://mor.example.test/billing"
	testSecret = "s3cr3t-K3y-not-in-wire"
	testPass   = "pa55w0rd-not-in-wire"
)

// newMockClient returns a Client whose transport is an httpmock transport of
// its own (no global state), plus that transport.
func newMockClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	opts = append([]Option{WithHTTPClient(&http.Client{Transport: mt})}, opts...)
	c, err := NewClient(testBase, "admin", testSecret, opts...)
	require.NoError(t, err)
	return c, mt
}

func readReply(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "replies", name))
	require.NoError(t, err)
	return b
}

func readRaw(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "raw", name))
	require.NoError(t, err)
	return b
}

// wireForm turns a readable recorded reply into one of the body forms MOR
// servers and the wiki show (spec §1.2).
type wireForm struct {
	name   string
	encode func(xml []byte) []byte
	header http.Header
}

var wireForms = []wireForm{
	{name: "plain", encode: func(x []byte) []byte { return x },
		header: http.Header{"Content-Type": {"text/html"}, "Content-Disposition": {`attachment; filename="mor_api_response.html"`}}},
	{name: "gzip-raw", encode: gzipOf, header: http.Header{"Content-Type": {"text/html"}}},
	{name: "gzip-encoding", encode: gzipOf, header: http.Header{"Content-Type": {"text/xml"}, "Content-Encoding": {"gzip"}}},
	{name: "zip", encode: func(x []byte) []byte { return zipMembers(string(x)) }, header: http.Header{"Content-Type": {"application/zip"}}},
	{name: "html-wrapped", encode: htmlWrap, header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}},
	{name: "crlf-bom", encode: func(x []byte) []byte {
		return append([]byte("\ufeff\r\n"), bytes.ReplaceAll(x, []byte("\n"), []byte("\r\n"))...)
	}, header: http.Header{"Content-Type": {"application/xml; charset=utf-8"}}},
}

// gzipOf gzips b (writing to memory cannot fail).
func gzipOf(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// zipMembers builds a zip archive with one member per string.
func zipMembers(members ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i, m := range members {
		w, _ := zw.Create(string(rune('a'+i)) + ".xml")
		_, _ = io.WriteString(w, m)
	}
	_ = zw.Close()
	return buf.Bytes()
}

// htmlWrap renders the wiki's XML-extension picture: the XML, without its
// declaration, inside <html><head></head><body>…</body></html>.
func htmlWrap(x []byte) []byte {
	if i := bytes.Index(x, []byte("?>")); i >= 0 {
		x = bytes.TrimSpace(x[i+2:])
	}
	return append(append([]byte("<html><head></head><body>"), x...), []byte("</body></html>")...)
}

func responder(status int, body []byte, header http.Header) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(status, body)
		for k, vs := range header {
			resp.Header[k] = vs
		}
		return resp, nil
	}
}
