package mortest

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// xmlDecl is the first line of every reply.
const xmlDecl = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// node is one element of a reply. A leaf has text (nil text renders as the
// self-closing <x/> the server writes for SQL NULL); a container has kids.
type node struct {
	name string
	text *string
	kids []node
	leaf bool
}

// el is a container element.
func el(name string, kids ...node) node { return node{name: name, kids: kids} }

// leaf is an element with text; "" renders as <x></x>.
func leaf(name, text string) node { return node{name: name, text: &text, leaf: true} }

// leafPtr is an element whose nil text renders as <x/>.
func leafPtr(name string, text *string) node { return node{name: name, text: text, leaf: true} }

// leafInt is an element holding a decimal integer.
func leafInt(name string, v int64) node { return leaf(name, strconv.FormatInt(v, 10)) }

// render writes the document as Builder 3.2 does with indent 2: the
// declaration, one element per line, a newline after every line.
func render(root node) []byte {
	var b strings.Builder
	b.WriteString(xmlDecl)
	writeNode(&b, root, 0)
	return []byte(b.String())
}

func writeNode(b *strings.Builder, n node, depth int) {
	indent(b, depth)
	switch {
	case n.leaf && n.text == nil:
		b.WriteString("<" + n.name + "/>\n")
	case n.leaf:
		b.WriteString("<" + n.name + ">")
		escapeText(b, *n.text)
		b.WriteString("</" + n.name + ">\n")
	default:
		b.WriteString("<" + n.name + ">\n")
		for _, k := range n.kids {
			writeNode(b, k, depth+1)
		}
		indent(b, depth)
		b.WriteString("</" + n.name + ">\n")
	}
}

func indent(b *strings.Builder, depth int) {
	for range depth {
		b.WriteString("  ")
	}
}

// escapeText escapes as Builder's text escaping does: & < > only (quotes
// are kept), characters illegal in XML 1.0 and invalid UTF-8 become U+FFFD.
func escapeText(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == utf8.RuneError && size == 1, !xmlLegal(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
}

// xmlLegal is the XML 1.0 Char production.
func xmlLegal(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// formatTime writes a datetime as the server does: local time of the
// server's zone, "YYYY-MM-DD HH:MM:SS ±hhmm".
func formatTime(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04:05 -0700")
}

// The four error frames of the server's replies and the success frame.

// shapeA is a gate error: <status><error>TEXT</error></status>.
func shapeA(msg string) []byte { return render(el("status", leaf("error", msg))) }

// shapeB is an action error of cli_add, cli_delete and device_clis_get:
// <page><status><error>…</error>…</status></page>, one <error> per message.
func shapeB(msgs ...string) []byte {
	errs := make([]node, len(msgs))
	for i, m := range msgs {
		errs[i] = leaf("error", m)
	}
	return render(el("page", el("status", errs...)))
}

// shapeC is a cli_info_get error: <page><error>TEXT</error></page>.
func shapeC(msg string) []byte { return render(el("page", leaf("error", msg))) }

// success is <page><status><success>TEXT</success></status></page>.
func success(msg string) []byte { return render(el("page", el("status", leaf("success", msg)))) }
