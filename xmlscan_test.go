package mor

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// walkTrace is everything a walk reports: each element as it closes (path,
// parent, text), the collected server errors, the root, and how it ended.
func walkTrace(doc []byte, fast bool, chunk int) string {
	var b strings.Builder
	w := walker{method: "m"}
	w.end = func(parent, name, text string) error {
		fmt.Fprintf(&b, "%s|%s|%q\n", strings.Join(w.path, "/"), parent, text)
		return nil
	}
	var r interface{ Read([]byte) (int, error) } = bytes.NewReader(doc)
	size := 8 << 10
	if chunk > 0 {
		// A tiny buffer filled a byte at a time: the scanner's chunk
		// boundaries fall everywhere.
		r, size = iotest.OneByteReader(r), 16
	}
	var err error
	if fast {
		err = w.run(bufio.NewReaderSize(r, size))
	} else {
		err = w.runXML(r, &walkState{})
	}
	fmt.Fprintf(&b, "errors %q root %q\n", w.errors, w.root)
	var pe *ParseError
	switch {
	case err == nil:
		b.WriteString("ok")
	case errors.As(err, &pe):
		b.WriteString("ParseError: " + pe.Reason)
	default:
		b.WriteString("error: " + err.Error())
	}
	return b.String()
}

// scannerSeeds are every recorded reply plus documents that exercise each
// construct the scanner hands to encoding/xml.
func scannerSeeds(t testing.TB) [][]byte {
	files, err := filepath.Glob(filepath.Join("testdata", "replies", "*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	for _, s := range []string{
		`<?xml version="1.0" encoding="UTF-8"?>` + "\n<page><a>x &amp; y &lt;z&gt; &quot;q&apos;</a></page>",
		"<page><a>1</a><!-- c --><b><![CDATA[<raw> & ]]></b></page>",
		`<page><a x="1">t</a></page>`,
		"<page>\r\n<a>x\ry</a>\r\n</page>",
		"<page><a>&#65;&#x42;&unknown;</a></page>",
		"<page><a>]]></a></page>",
		"<page><a>x</b></page>",
		"<page><a>x</a>",
		"<page><a>x",
		"<page><a",
		"<page/><other/>",
		"<page/>junk",
		"junk<page/>",
		"<page/>  <!-- after -->  ",
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><page><a>\xe9</a></page>",
		"<page><a>\xff</a></page>",
		"<page><a>\x01</a></page>",
		"<page><ns:a>1</ns:a></page>",
		"<page><a >1</a ><b/><c />\t</page>\n",
		"<!DOCTYPE page><page/>",
		"<?pi x?><page><?pi y?></page>",
		"<page><status>Access Denied</status><error> e </error></page>",
		"<page>  text  <a/>  more  </page>",
		"<page><é>1</é></page>",
		"<page><a>ünïcödé ✓</a></page>",
		"",
		"   ",
	} {
		out = append(out, []byte(s))
	}
	return out
}

// The fast scanner and encoding/xml read every recorded reply and every
// seed alike, whatever the read boundaries.
func TestScannerMatchesEncodingXML(t *testing.T) {
	for i, doc := range scannerSeeds(t) {
		want := walkTrace(doc, false, 0)
		for _, chunk := range []int{0, 1} {
			if got := walkTrace(doc, true, chunk); got != want {
				t.Errorf("seed %d (chunk %d) %q:\nfast:\n%s\nencoding/xml:\n%s", i, chunk, snippet(doc), got, want)
			}
		}
	}
}

func FuzzScannerMatchesEncodingXML(f *testing.F) {
	for _, doc := range scannerSeeds(f) {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		want := walkTrace(doc, false, 0)
		if got := walkTrace(doc, true, 0); got != want {
			t.Fatalf("fast:\n%s\nencoding/xml:\n%s", got, want)
		}
		if got := walkTrace(doc, true, 1); got != want {
			t.Fatalf("fast, one byte at a time:\n%s\nencoding/xml:\n%s", got, want)
		}
	})
}
