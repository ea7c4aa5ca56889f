package mor

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// The fast scanner. encoding/xml allocates for every token and reads a byte
// at a time through an interface, which made it most of the cost of a long
// list (a million CDRs). MOR writes plain XML: a declaration, elements
// without attributes or namespaces, text with the five predefined entities.
// scan reads exactly that, with the walker's own element logic (open, text,
// close), and hands everything else to encoding/xml: at the first construct
// it does not read (an attribute, a comment, CDATA, a processing
// instruction, a directive, a numeric or unknown entity, a carriage return,
// a control character, invalid UTF-8, "]]>", a name outside ASCII letters,
// digits, '_', '-' and '.', a tag longer than the read buffer, the end of
// the input before the document is complete), it returns the rest of the
// input, prefixed with the start tags of the elements still open and the
// bytes of the construct, and runXML goes on from there with the same
// state. Both readers therefore accept, reject and report the same
// documents; only the line numbers inside encoding/xml's syntax errors may
// differ.

// scan walks br until the document ends (rest nil, err the result) or it
// meets something it leaves to encoding/xml (rest is the input from there).
func (w *walker) scan(br *bufio.Reader, st *walkState) (rest io.Reader, err error) {
	var scratch []byte // one run of text, entities resolved
	handOver := func(pending []byte) (io.Reader, error) {
		var prefix []byte
		for _, n := range st.names {
			prefix = append(prefix, '<')
			prefix = append(prefix, n...)
			prefix = append(prefix, '>')
		}
		prefix = append(prefix, pending...)
		return io.MultiReader(bytes.NewReader(prefix), br), nil
	}
	// The declaration, if any: only the plain UTF-8 one.
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == '<' && head[1] == '?' {
		line, err := br.ReadSlice('>')
		if err != nil || !plainDeclaration(line) {
			return handOver(append([]byte(nil), line...))
		}
	}
	for {
		// Text up to the next '<'.
		scratch = scratch[:0]
		for {
			chunk, rerr := br.ReadSlice('<')
			body := chunk
			if rerr == nil {
				body = chunk[:len(chunk)-1]
			}
			ok, at := appendText(&scratch, body)
			if !ok {
				// Replay the run: what was decoded, escaped again, then
				// the raw rest of it.
				pending := escapeForReplay(scratch)
				pending = append(pending, chunk[at:]...)
				return handOver(pending)
			}
			if len(scratch) > MaxElementBytes+tokenSlack {
				return nil, &ParseError{Method: w.method, Reason: fmt.Sprintf("a tag, comment or text longer than the limit of %d bytes (MaxElementBytes)", MaxElementBytes)}
			}
			if rerr == nil {
				break
			}
			if errors.Is(rerr, bufio.ErrBufferFull) {
				continue
			}
			if rerr == io.EOF {
				if len(st.names) == 0 && w.root != "" && len(bytes.TrimSpace(scratch)) == 0 {
					return nil, nil
				}
				return handOver(escapeForReplay(scratch))
			}
			return nil, readErr(w.method, "reading XML", rerr)
		}
		if len(scratch) > 0 || len(st.names) > 0 {
			if err := w.text(st, scratch); err != nil {
				return nil, err
			}
		}
		// A tag: the '<' has been read.
		tag, rerr := br.ReadSlice('>')
		if rerr != nil {
			if errors.Is(rerr, bufio.ErrBufferFull) || rerr == io.EOF {
				return handOver(append([]byte{'<'}, tag...))
			}
			return nil, readErr(w.method, "reading XML", rerr)
		}
		inner := tag[:len(tag)-1]
		switch {
		case len(inner) > 0 && inner[0] == '/':
			name := trimTagSpace(inner[1:])
			if !plainName(name) {
				return handOver(append([]byte{'<'}, tag...))
			}
			if err := w.close(st, internName(name)); err != nil {
				return nil, err
			}
		default:
			self := len(inner) > 0 && inner[len(inner)-1] == '/'
			if self {
				inner = inner[:len(inner)-1]
			}
			name := trimTagSpace(inner)
			if len(name) != len(inner) && !isXMLSpace(inner[len(name)]) || !plainName(name) {
				return handOver(append([]byte{'<'}, tag...))
			}
			n := internName(name)
			if err := w.open(st, n, nil); err != nil {
				return nil, err
			}
			if self {
				if err := w.close(st, n); err != nil {
					return nil, err
				}
			}
		}
		if len(st.names) == 0 && w.root != "" {
			// After the root only white space may follow here.
			for {
				b, err := br.ReadByte()
				if err == io.EOF {
					return nil, nil
				}
				if err != nil {
					return nil, readErr(w.method, "reading XML", err)
				}
				if !isXMLSpace(b) {
					_ = br.UnreadByte()
					return handOver(nil)
				}
			}
		}
	}
}

// plainDeclaration reports whether line is <?xml version="1.0"?> with, at
// most, a UTF-8 encoding (any case) and standalone.
func plainDeclaration(line []byte) bool {
	s := string(line)
	if !strings.HasPrefix(s, "<?xml ") || !strings.HasSuffix(s, "?>") {
		return false
	}
	rest := strings.Fields(s[len("<?xml ") : len(s)-2])
	if len(rest) == 0 || rest[0] != `version="1.0"` {
		return false
	}
	for _, f := range rest[1:] {
		switch strings.ToLower(f) {
		case `encoding="utf-8"`, `standalone="yes"`, `standalone="no"`:
		default:
			return false
		}
	}
	return true
}

// appendText decodes one piece of a text run into dst. ok is false at the
// first byte it leaves to encoding/xml, at is that byte's index in src (dst
// then holds what came before it).
func appendText(dst *[]byte, src []byte) (ok bool, at int) {
	d := *dst
	defer func() { *dst = d }()
	i := 0
	for i < len(src) {
		// The common case: a stretch of plain printable ASCII.
		j := i
		for j < len(src) {
			c := src[j]
			if c < 0x20 && c != '\t' && c != '\n' || c >= 0x80 || c == '&' || c == ']' {
				break
			}
			j++
		}
		d = append(d, src[i:j]...)
		i = j
		if i == len(src) {
			break
		}
		switch c := src[i]; {
		case c == '&':
			end := bytes.IndexByte(src[i:], ';')
			if end < 0 {
				return false, i
			}
			var r byte
			switch string(src[i+1 : i+end]) {
			case "lt":
				r = '<'
			case "gt":
				r = '>'
			case "amp":
				r = '&'
			case "apos":
				r = '\''
			case "quot":
				r = '"'
			default:
				return false, i
			}
			d = append(d, r)
			i += end + 1
		case c == ']':
			// "]]>" outside CDATA is an error encoding/xml reports; the
			// run may also end in "]" or "]]" before a chunk boundary.
			if len(src)-i < 3 || src[i+1] == ']' && src[i+2] == '>' {
				return false, i
			}
			d = append(d, c)
			i++
		case c >= 0x80:
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size <= 1 || r == 0xFFFE || r == 0xFFFF || r >= 0xD800 && r <= 0xDFFF {
				return false, i
			}
			d = append(d, src[i:i+size]...)
			i += size
		default: // a control character or '\r'
			return false, i
		}
	}
	return true, 0
}

// escapeForReplay writes decoded text back as XML text that decodes to it.
func escapeForReplay(t []byte) []byte {
	var out []byte
	for _, c := range t {
		switch c {
		case '&':
			out = append(out, "&amp;"...)
		case '<':
			out = append(out, "&lt;"...)
		case '>':
			out = append(out, "&gt;"...)
		default:
			out = append(out, c)
		}
	}
	return out
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

// trimTagSpace returns the name at the start of a tag's inside, without
// the white space that may follow it.
func trimTagSpace(b []byte) []byte {
	i := 0
	for i < len(b) && !isXMLSpace(b[i]) {
		i++
	}
	for j := i; j < len(b); j++ {
		if !isXMLSpace(b[j]) {
			return b // something after the name: not a plain tag
		}
	}
	return b[:i]
}

// plainName reports whether b is a name the scanner reads: ASCII letters,
// digits, '_', '-', '.', starting with a letter or '_', at most 256 bytes.
func plainName(b []byte) bool {
	if len(b) == 0 || len(b) > 256 {
		return false
	}
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// commonNames are the element names MOR writes most; interning them saves
// an allocation per tag.
var commonNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range strings.Fields(`page status error success calls_stat calls call calldate2 timezone clid destination did
		did_inc_price did_price did_prov_price dispod dst nice_billsec nice_reseller prefix profit provider_id provider_name
		provider_price provider_rate reseller_price reseller_rate self_cost_price self_cost_rate server_id src user user_price
		user_rate uniqueid pagename language error_msg userid username total_calls currency period period_start period_end
		show_user show_device show_status show_provider show_hgc show_reseller show_did show_destination recordings recording
		id user_id dst_user_id src_device_id dst_device_id date comment duration source size`) {
		m[n] = n
	}
	return m
}()

// internName returns b as a string, shared for common names.
func internName(b []byte) string {
	if s, ok := commonNames[string(b)]; ok {
		return s
	}
	return string(b)
}
