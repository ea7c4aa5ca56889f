package mor

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets for the three places that read untrusted bytes or must never
// disagree with the server: the body sniffer and decoder, the <error>
// envelope detector, and Hash. Plain go test runs the f.Add seeds and the
// corpora under testdata/fuzz/; .ci/run fuzzes each one for a bounded time.

// fuzzLimit caps decoded replies in the fuzz targets, so a generated bomb is
// stopped early and the fuzzer stays fast.
const fuzzLimit = 64 << 10

// fuzzReplies are seeds covering every body form and envelope shape.
var fuzzReplies = []string{
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <status>\n    <success>CLI successfully created</success>\n  </status>\n</page>\n",
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<status>\n  <error>Incorrect hash</error>\n</status>\n",
	"<page><status><error>CLI already exists. It is assigned to Test User #1 device</error><error>IVR was not found</error></status></page>",
	"<page><error>CLI not found</error></page>",
	"<page><status><status>Bad login</status></status></page>",
	"<page><status>CLI successfully deleted</status></page>",
	"<page><cli><device><user_id>2</user_id><device_id>2</device_id></device></cli></page>",
	"<page><status><cli_id>1</cli_id><cli_cli>123456</cli_cli><cli_device>IAX2/101</cli_device><cli_description/><cli_added_at>2018-02-01 10:00:00 +0200</cli_added_at><cli_updated_at>2018-02-01 10:00:00 +0200</cli_updated_at><cli_ivr/><cli_comment></cli_comment><cli_email_callback>0</cli_email_callback><cli_banned>0</cli_banned></status></page>",
	"<page><status><error>CLIs were not found</error></status></page>",
	"<html><head></head><body><page><status><success>CLI successfully created</success></status></page></body></html>",
	"<html><body><pre>&lt;page&gt;&lt;error&gt;CLI not found&lt;/error&gt;&lt;/page&gt;</pre></body></html>",
	"<!DOCTYPE html><html><body><form action=\"/login\"><input name=\"p\"></form></body></html>",
	"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><page><error>Caf\xe9</error></page>",
	"\uFEFF  \n<page><status><success>ok success</success></status></page>",
	"", "   \n\t", "\x00\x01\x02garbage\xff\xfe", "<page><status>", "<a></a><b></b>", "text<page/>",
}

func fuzzBodies() [][]byte {
	var seeds [][]byte
	for _, s := range fuzzReplies {
		seeds = append(seeds, []byte(s))
	}
	seeds = append(seeds,
		gzipOf([]byte(fuzzReplies[0])),
		gzipOf([]byte(fuzzReplies[1]))[:20],            // truncated gzip
		gzipOf(bytes.Repeat([]byte(" "), 4*fuzzLimit)), // small bomb
		[]byte("\x1f\x8b\x08\x00garbage"),
		zipMembers(fuzzReplies[3]),
		zipMembers(fuzzReplies[0], fuzzReplies[1]),
		zipMembers(),
		[]byte("PK\x03\x04truncated"),
		gzipOf(zipMembers(fuzzReplies[0])),
		// shape bombs under fuzzLimit: nesting past MaxElementDepth, closed
		// and unclosed, and more than MaxElementAttrs attributes
		gzipOf(bytes.Repeat([]byte("<a>"), 20_000)),
		[]byte(strings.Repeat("<a>", MaxElementDepth+1)+strings.Repeat("</a>", MaxElementDepth+1)),
		[]byte("<page"+strings.Repeat(` a=""`, MaxElementAttrs+1)+"><status>CLI successfully deleted</status></page>"),
	)
	return seeds
}

// checkDecodeErr asserts that err is one of the documented outcomes of
// decoding a reply from an in-memory reader: nil, *APIError, *ParseError,
// ErrEmptyResponse or ErrResponseTooLarge, and never a transport error.
func checkDecodeErr(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var (
		apiErr *APIError
		pe     *ParseError
		te     *TransportError
	)
	switch {
	case errors.As(err, &te):
		t.Fatalf("%s: transport error from an in-memory body: %v", what, err)
	case errors.As(err, &apiErr), errors.As(err, &pe),
		errors.Is(err, ErrEmptyResponse), errors.Is(err, ErrResponseTooLarge):
	default:
		t.Fatalf("%s: undocumented error %T: %v", what, err, err)
	}
	if !utf8.ValidString(err.Error()) {
		t.Fatalf("%s: error text is not UTF-8: %q", what, err.Error())
	}
}

// countingReader counts the decoded bytes a decoder pulled.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// FuzzOpenBody feeds arbitrary bodies through the sniffer (gzip, zip, HTML
// wrapper, BOM, empty) and every decoder. Properties: no panic; only
// documented errors; never more than the cap read from the decoded stream;
// an <error> seen by the walker is never reported as success.
func FuzzOpenBody(f *testing.F) {
	for _, s := range fuzzBodies() {
		f.Add(s)
	}
	// Every recorded reply and raw capture, in every body form.
	for _, dir := range []string{"replies", "raw"} {
		files, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
			if dir == "replies" {
				for _, form := range wireForms[1:] {
					f.Add(form.encode(b))
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		decoders := map[string]func(io.Reader) error{
			"cli_add": func(r io.Reader) error { return decodeSuccess("cli_add", r) },
			"cli_info_get": func(r io.Reader) error {
				_, err := decodeCLIInfo("cli_info_get", r)
				return err
			},
			"device_clis_get": func(r io.Reader) error {
				_, err := decodeCLIs("device_clis_get", r)
				return err
			},
			"call_raw": func(r io.Reader) error {
				var raw []byte
				return decodeGeneric("users_get", r, &raw)
			},
		}
		rr := getReplyReader()
		defer rr.release()
		for name, decode := range decoders {
			r, err := rr.open(name, bytes.NewReader(body), fuzzLimit)
			if err != nil {
				checkDecodeErr(t, name+" open", err)
				continue
			}
			cr := &countingReader{r: r}
			err = decode(cr)
			checkDecodeErr(t, name, err)
			if cr.n > fuzzLimit {
				t.Fatalf("%s: read %d decoded bytes, cap %d", name, cr.n, fuzzLimit)
			}
		}
	})
}

// FuzzEnvelope feeds arbitrary XML to the envelope detector. Properties: a
// document the walker finds an <error> in is an *APIError for every
// decoder (except device_clis_get's "CLIs were not found", an empty list);
// the APIError keeps each server text and matches its sentinel; success is
// only reported for a document with no error at all.
func FuzzEnvelope(f *testing.F) {
	for _, s := range fuzzReplies {
		f.Add(s)
	}
	f.Add(strings.Repeat("<a>", MaxElementDepth+1) + "<error>deep</error>")
	f.Add("<page" + strings.Repeat(` a=""`, MaxElementAttrs+1) + "><error>CLI not found</error></page>")
	f.Fuzz(func(t *testing.T, doc string) {
		w := walker{method: "cli_add"}
		walkErr := w.run(strings.NewReader(doc))
		if walkErr != nil {
			checkDecodeErr(t, "walk", walkErr)
			return
		}
		apiErr := w.apiError()
		if len(w.errors) > 0 {
			var ae *APIError
			if !errors.As(apiErr, &ae) {
				t.Fatalf("errors %q but apiError() = %v", w.errors, apiErr)
			}
			if len(ae.Messages) != len(w.errors) || ae.Message != strings.Join(w.errors, "; ") {
				t.Fatalf("APIError %+v does not keep the texts %q", ae, w.errors)
			}
			for _, m := range w.errors {
				if s := sentinelFor(m); s != nil && !errors.Is(ae, s) {
					t.Fatalf("APIError %q does not match its sentinel %v", m, s)
				}
			}
		} else if apiErr != nil {
			t.Fatalf("no errors but apiError() = %v", apiErr)
		}
		errSuccess := decodeSuccess("cli_add", strings.NewReader(doc))
		checkDecodeErr(t, "decodeSuccess", errSuccess)
		_, errInfo := decodeCLIInfo("cli_info_get", strings.NewReader(doc))
		checkDecodeErr(t, "decodeCLIInfo", errInfo)
		clis, errCLIs := decodeCLIs("device_clis_get", strings.NewReader(doc))
		checkDecodeErr(t, "decodeCLIs", errCLIs)
		errGeneric := decodeGeneric("users_get", strings.NewReader(doc), nil)
		checkDecodeErr(t, "decodeGeneric", errGeneric)
		if len(w.errors) > 0 {
			for name, err := range map[string]error{"decodeSuccess": errSuccess, "decodeCLIInfo": errInfo, "decodeGeneric": errGeneric} {
				if err == nil {
					t.Fatalf("%s reported success for a reply with errors %q", name, w.errors)
				}
			}
			notFound := len(w.errors) == 1 && sentinelFor(w.errors[0]) == ErrCLIsNotFound
			if errCLIs == nil && (!notFound || len(clis) != 0) {
				t.Fatalf("decodeCLIs reported %d records for a reply with errors %q", len(clis), w.errors)
			}
		}
	})
}

// FuzzHash checks Hash against an independent computation from ExplainHash:
// the same pre-image, lowercase hex of 40 characters, params untouched, and
// u, p, hash and test never hashed by a method on the global order.
func FuzzHash(f *testing.F) {
	f.Add("cli_add", "device_id", "2", "cli_number", "abc", "secret")
	f.Add("cli_add", "user_id", "002", "device_id", "2", "secret")
	f.Add("cli_delete", "s_user", "2", "cli_number", "383370", "secret")
	f.Add("cli_info_get", "cli", "123456", "user_id", "x", "secret")
	f.Add("device_clis_get", "users_id", "5", "devices_id", "7", "")
	f.Add("quickstats_get", "u", "admin", "p", "pw", "k")
	f.Add("users_get", "u", "bob", "p", "pw", "k")
	f.Add("m", "users", "1,2\nall", "block", "true", "k")
	f.Add("m", "direction", "incoming", "calltype", "answered", "k")
	f.Add("cli_get_info", "pgui", "1", "device_callerid", "1", "k")
	f.Fuzz(func(t *testing.T, method, k1, v1, k2, v2, secret string) {
		params := url.Values{k1: {v1}}
		params.Add(k2, v2)
		params.Set("u", "admin")
		before := params.Encode()
		got := Hash(method, params, secret)
		if params.Encode() != before {
			t.Fatalf("Hash modified params: %s -> %s", before, params.Encode())
		}
		sum := sha1.Sum([]byte(ExplainHash(method, params).Preimage(secret)))
		if want := hex.EncodeToString(sum[:]); got != want {
			t.Fatalf("Hash(%q, %v) = %s, ExplainHash pre-image gives %s", method, params, got, want)
		}
		if Hash(method, params, secret) != got {
			t.Fatal("Hash is not deterministic")
		}
		if _, fixed := fixedHashKeys[canonicalMethod(method)]; !fixed {
			extra := url.Values{}
			for k, vs := range params {
				extra[k] = vs
			}
			extra.Set("u", "someone-else")
			extra.Set("p", "pw")
			extra.Set("test", "1")
			extra.Set("hash", "0000")
			if h := Hash(method, extra, secret); h != got {
				t.Fatalf("u, p, test or hash changed the global-order hash: %s vs %s", h, got)
			}
		}
	})
}
