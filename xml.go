package mor

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Body handling, decided by the bytes and never by Content-Type:
//
//	raw body ─ capped ─┬─ 1f 8b ........ gzip ─┐
//	                   ├─ PK 03 04 ..... zip (exactly one member)
//	                   └─ anything else ──────┴─ capped decoded stream
//	                                             ├─ empty/whitespace → ErrEmptyResponse
//	                                             ├─ <html>…<body>XML</body> → the XML
//	                                             └─ XML → walked once, <error> at any depth wins

// cappedReader fails with ErrResponseTooLarge once more than n bytes have been
// read, so a bomb is stopped after n bytes of output, never inflated whole.
type cappedReader struct {
	r     io.Reader
	left  int64
	limit int64
}

func newCapped(r io.Reader, limit int64) *cappedReader {
	return &cappedReader{r: r, left: limit, limit: limit}
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// Probe one byte: a body of exactly the cap is fine.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w: more than the limit of %d bytes", ErrResponseTooLarge, c.limit)
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// sourceReader reads the HTTP body itself: capped, and with the body's own
// read errors (a reset, a timeout, a cancelled context, a body cut short of
// its Content-Length) marked as *TransportError at the source. Downstream,
// gzip, zip and the XML decoder pass them through, so readErr can tell a
// failed connection (which a read may retry) from a corrupt reply (which it
// may not), even when both surface as io.ErrUnexpectedEOF.
type sourceReader struct {
	cappedReader
	method string
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.cappedReader.Read(p)
	if err != nil && err != io.EOF && !errors.Is(err, ErrResponseTooLarge) && !corruptCompression(err) {
		err = &TransportError{Method: s.method, Err: err, sent: true, reading: true}
	}
	return n, err
}

// corruptCompression reports a decompression error raised inside the
// body itself (a transport that gunzips for its caller): a corrupt reply,
// which readErr reports as a *ParseError, not a failed connection.
func corruptCompression(err error) bool {
	var fe flate.CorruptInputError
	return errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) || errors.As(err, &fe)
}

var (
	gzipMagic = []byte{0x1f, 0x8b}
	zipMagic  = []byte("PK\x03\x04")
)

// openBody returns the decoded reply stream: gzip or zip unwrapped, capped at
// limit bytes, positioned at the XML (after any HTML wrapper). It reports an
// empty body as ErrEmptyResponse.
func openBody(method string, raw io.Reader, limit int64) (io.Reader, error) {
	return new(replyReader).open(method, raw, limit)
}

// replyReader holds the buffers one reply is read through: two 8 KiB bufio
// readers and a gzip reader (whose inflater carries a 32 KiB window).
// Allocating them afresh for every call was most of a call's garbage, so the
// request path takes one from replyPool and gives it back when the reply has
// been decoded.
type replyReader struct {
	raw    sourceReader
	rawBuf *bufio.Reader
	gz     *gzip.Reader
	gzCap  cappedReader
	text   *bufio.Reader
	drain  io.LimitedReader
}

var replyPool = sync.Pool{New: func() any { return new(replyReader) }}

// getReplyReader takes a replyReader from the pool; release gives it back.
func getReplyReader() *replyReader { return replyPool.Get().(*replyReader) }

// release drops every reference to the reply and returns rr to the pool.
// Nothing read through rr may be used afterwards.
func (rr *replyReader) release() {
	rr.raw.r, rr.gzCap.r, rr.drain.R = nil, nil, nil
	if rr.rawBuf != nil {
		rr.rawBuf.Reset(nil)
	}
	if rr.text != nil {
		rr.text.Reset(nil)
	}
	replyPool.Put(rr)
}

// discard reads and drops up to n bytes of r, so that a keep-alive
// connection can be reused, without allocating.
func (rr *replyReader) discard(r io.Reader, n int64) {
	rr.drain = io.LimitedReader{R: r, N: n}
	_, _ = io.Copy(io.Discard, &rr.drain)
	rr.drain.R = nil
}

// open returns the decoded reply stream of raw, whose bytes alone decide
// how it is read.
func (rr *replyReader) open(method string, raw io.Reader, limit int64) (io.Reader, error) {
	return rr.openEncoded(method, raw, limit, "")
}

// openEncoded is open for a reply whose Content-Encoding header is
// encoding: "gzip" must come with a gzip body (the bytes still decide how
// it is read); any other coding is not one MOR uses.
func (rr *replyReader) openEncoded(method string, raw io.Reader, limit int64, encoding string) (io.Reader, error) {
	rr.raw = sourceReader{cappedReader: cappedReader{r: raw, left: limit, limit: limit}, method: method}
	if rr.rawBuf == nil {
		rr.rawBuf = bufio.NewReaderSize(&rr.raw, 8<<10)
	} else {
		rr.rawBuf.Reset(&rr.raw)
	}
	br := rr.rawBuf
	head, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, readErr(method, "reading body", err)
	}
	switch enc := strings.ToLower(strings.TrimSpace(encoding)); {
	case enc == "" || enc == "identity" || len(head) == 0:
	case enc == "gzip" || enc == "x-gzip":
		if !bytes.HasPrefix(head, gzipMagic) {
			return nil, &ParseError{Method: method, Reason: "Content-Encoding is gzip but the body is not gzip", Snippet: snippet(head)}
		}
	default:
		return nil, &ParseError{Method: method, Reason: "unsupported Content-Encoding " + strconv.Quote(printable(enc))}
	}
	var dec io.Reader = br
	switch {
	case bytes.HasPrefix(head, gzipMagic):
		if rr.gz == nil {
			rr.gz, err = gzip.NewReader(br)
		} else {
			err = rr.gz.Reset(br)
		}
		if err != nil {
			return nil, readErr(method, "bad gzip header", err)
		}
		rr.gzCap = cappedReader{r: rr.gz, left: limit, limit: limit}
		dec = &rr.gzCap
	case bytes.HasPrefix(head, zipMagic):
		dec, err = openZip(method, br, limit)
		if err != nil {
			return nil, err
		}
	}
	text, ok := dec.(*bufio.Reader)
	if !ok {
		if rr.text == nil {
			rr.text = bufio.NewReaderSize(dec, 8<<10)
		} else {
			rr.text.Reset(dec)
		}
		text = rr.text
	}
	return sniffBuffered(method, text)
}

// openZip reads the whole (capped) archive, which zip needs for its central
// directory, and returns the one member's content, capped.
func openZip(method string, r io.Reader, limit int64) (io.Reader, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, readErr(method, "reading zip", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &ParseError{Method: method, Reason: "bad zip archive", Err: err}
	}
	var files []*zip.File
	for _, f := range zr.File {
		if !f.FileInfo().IsDir() {
			files = append(files, f)
		}
	}
	if len(files) != 1 {
		return nil, &ParseError{Method: method, Reason: fmt.Sprintf("zip has %d members, want exactly 1", len(files))}
	}
	rc, err := files[0].Open()
	if err != nil {
		return nil, &ParseError{Method: method, Reason: "bad zip member", Err: err}
	}
	// rc's Close only releases the decompressor; the member is read to the
	// end or abandoned with the response, so it is not tracked.
	return newCapped(rc, limit), nil
}

// sniffBuffered skips a BOM and leading white space, reports an empty
// body, and strips an HTML wrapper.
func sniffBuffered(method string, br *bufio.Reader) (io.Reader, error) {
	for {
		c, size, err := br.ReadRune()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, &methodError{method, ErrEmptyResponse}
			}
			return nil, readErr(method, "reading body", err)
		}
		if c == '\uFEFF' || unicode.IsSpace(c) {
			continue
		}
		if c == utf8.RuneError && size == 1 {
			// Decided: quote what has arrived, never wait for more.
			head, _ := br.Peek(min(64, br.Buffered()))
			return nil, &ParseError{Method: method, Reason: "body is not text", Snippet: snippet(head)}
		}
		if err := br.UnreadRune(); err != nil {
			return nil, readErr(method, "reading body", err)
		}
		break
	}
	if !startsLikeHTML(br) {
		return br, nil
	}
	page, err := io.ReadAll(br)
	if err != nil {
		return nil, readErr(method, "reading HTML body", err)
	}
	inner, ok := htmlInner(page)
	if !ok {
		return nil, &ParseError{Method: method, Reason: "HTML page instead of a MOR reply", Snippet: snippet(page)}
	}
	return bytes.NewReader(inner), nil
}

// htmlStarts are the starts of an HTML page (compared in lower case).
var htmlStarts = []string{"<html", "<!doctype html"}

// startsLikeHTML reports whether br starts like an HTML page. It looks only
// at what has arrived and reads on (a byte at a time) only while that is
// still undecided, so a reply that trickles in is never waited for beyond
// the few bytes the answer needs.
func startsLikeHTML(br *bufio.Reader) bool {
	n := max(br.Buffered(), 1)
	for {
		head, err := br.Peek(n)
		h := string(asciiLower(head))
		undecided := false
		for _, start := range htmlStarts {
			if strings.HasPrefix(h, start) {
				return true
			}
			undecided = undecided || strings.HasPrefix(start, h)
		}
		if !undecided || err != nil {
			return false
		}
		n = len(head) + 1
	}
}

// htmlInner returns the XML inside <body>…</body> (the wiki's "XML API
// extension" rendering), unescaping it when a browser escaped it. ok is false
// when the body holds no XML element at all (an HTML login or error page).
func htmlInner(page []byte) ([]byte, bool) {
	lower := asciiLower(page) // same length as page, so indexes carry over
	start := bytes.Index(lower, []byte("<body"))
	if start < 0 {
		return nil, false
	}
	gt := bytes.IndexByte(lower[start:], '>')
	if gt < 0 {
		return nil, false
	}
	start += gt + 1
	end := bytes.LastIndex(lower, []byte("</body>"))
	if end < start {
		end = len(page)
	}
	inner := bytes.TrimSpace(page[start:end])
	// A "view source" rendering wraps the XML in <pre>.
	if lowerInner := asciiLower(inner); bytes.HasPrefix(lowerInner, []byte("<pre>")) && bytes.HasSuffix(lowerInner, []byte("</pre>")) &&
		len(inner) >= len("<pre></pre>") {
		inner = bytes.TrimSpace(inner[len("<pre>") : len(inner)-len("</pre>")])
	}
	if bytes.HasPrefix(inner, []byte("&lt;")) {
		inner = []byte(html.UnescapeString(string(inner)))
	}
	// A MOR reply is XML: the declaration or an element named page/status, or
	// any other root a generic method may use, but never HTML markup.
	if !bytes.HasPrefix(inner, []byte("<")) {
		return nil, false
	}
	name := strings.ToLower(elementName(inner))
	if name == "" || htmlTags[name] {
		return nil, false
	}
	return inner, true
}

// asciiLower lowercases ASCII letters only; unlike bytes.ToLower it never
// changes the length (invalid UTF-8 stays as it is).
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// htmlTags are elements that mark an HTML page, not a MOR reply.
var htmlTags = map[string]bool{
	"div": true, "form": true, "h1": true, "h2": true, "h3": true, "p": true, "table": true, "script": true,
	"a": true, "span": true, "center": true, "img": true, "br": true, "input": true, "ul": true, "section": true,
	"main": true, "header": true, "nav": true, "iframe": true, "noscript": true, "hr": true, "b": true, "strong": true,
}

// elementName returns the name of the first element in b ("?xml" for a
// declaration).
func elementName(b []byte) string {
	if len(b) < 2 || b[0] != '<' {
		return ""
	}
	end := bytes.IndexAny(b[1:], " \t\r\n/>")
	if end < 0 {
		return string(b[1:])
	}
	return string(b[1 : 1+end])
}

// readErr classifies a failure while reading the body: a transport error
// (marked by sourceReader, including a cancelled context, which the caller
// re-wraps with ctx.Err()), the cap, or else a reply the decoders could not
// read.
func readErr(method, what string, err error) error {
	var te *TransportError
	switch {
	case errors.As(err, &te):
		return te
	case errors.Is(err, ErrResponseTooLarge):
		return &methodError{method, err}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader),
		errors.Is(err, zip.ErrChecksum), errors.Is(err, zip.ErrFormat), errors.Is(err, zip.ErrAlgorithm):
		return &ParseError{Method: method, Reason: what + ": truncated or corrupt stream", Err: err}
	}
	var fe flate.CorruptInputError
	if errors.As(err, &fe) {
		return &ParseError{Method: method, Reason: what + ": corrupt compressed stream", Err: err}
	}
	return &ParseError{Method: method, Reason: what, Err: err}
}

// snippetMax is the length at which snippet cuts the body.
const snippetMax = 120

// snippet returns at most 120 printable characters of b for error messages.
func snippet(b []byte) string {
	const max = snippetMax
	var sb strings.Builder
	space := false
	for len(b) > 0 && sb.Len() < max {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		switch {
		case r == utf8.RuneError && size == 1:
			r = '?'
		case unicode.IsSpace(r):
			if !space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			space = true
			continue
		case !unicode.IsPrint(r):
			r = '?'
		}
		space = false
		sb.WriteRune(r)
	}
	return strings.TrimSpace(sb.String())
}

// Limits on the shape of a reply, checked while it streams in, so that a
// hostile or broken reply under the size cap (WithMaxResponseBytes) still
// costs a small multiple of that cap in memory and fails with a *ParseError
// naming the limit. MOR's replies nest about six levels deep, carry no
// attributes and hold short texts, so none of these is near a real reply.
const (
	// MaxElementDepth is the deepest element nesting a reply may have.
	MaxElementDepth = 256
	// MaxElementAttrs is the most attributes one element may carry.
	MaxElementAttrs = 64
	// MaxElementBytes bounds both the text one element may hold (all its
	// direct text together) and any single piece of markup: a start tag with
	// its attributes' names and values, a comment, a CDATA section.
	MaxElementBytes = 1 << 20
)

// walker streams one MOR XML document. It calls end for every element when
// it closes, with its name, its parent's name and its direct text (as sent
// for a leaf, trimmed for an element with children),
// and collects every <error> text at any depth. A leaf <status>
// whose text is a known error string (shape D) counts as an error too.
// It enforces MaxElementDepth, MaxElementAttrs and MaxElementBytes.
type walker struct {
	method string
	end    func(parent, name, text string) error
	// endRaw, when set instead of end, gets the text as bytes that are
	// valid only during the call (a decoder that converts most texts
	// saves a string per element).
	endRaw func(parent, name string, text []byte) error
	// start, if set, is called for each element's start tag with its
	// attributes (replies that carry data in attributes: invoices_get);
	// path ends with that element during the call.
	start  func(name string, attrs []xml.Attr) error
	errors []string
	root   string
	// path is the open elements, root first, ending with the one end is
	// called for; valid only during that call.
	path []string
}

// walkState is the walker's open elements: their names, the text each has
// gathered and how many child elements each has had.
type walkState struct {
	names    []string
	texts    [][]byte
	children []int
}

// open pushes a start tag and reports it, with its attributes, to start.
func (w *walker) open(st *walkState, name string, attrs []xml.Attr) error {
	if len(st.names) >= MaxElementDepth {
		return &ParseError{Method: w.method, Reason: fmt.Sprintf("elements nested deeper than the limit of %d levels (MaxElementDepth)", MaxElementDepth)}
	}
	if len(st.names) == 0 {
		if w.root != "" {
			return &ParseError{Method: w.method, Reason: "more than one root element"}
		}
		w.root = name
	} else {
		p := len(st.children) - 1
		if st.children[p] == 0 && len(bytes.TrimSpace(st.texts[p])) == 0 {
			// Beside child elements text is trimmed, so the
			// indentation before the first child need not be kept.
			st.texts[p] = st.texts[p][:0]
		}
		st.children[p]++
	}
	st.names = append(st.names, name)
	if len(st.texts) < len(st.names) {
		st.texts = append(st.texts, nil)
	}
	st.texts[len(st.names)-1] = st.texts[len(st.names)-1][:0]
	st.children = append(st.children, 0)
	if w.start != nil {
		w.path = st.names
		return w.start(name, attrs)
	}
	return nil
}

// text adds one run of character data (a whole run between two tags).
func (w *walker) text(st *walkState, t []byte) error {
	if len(st.names) > 0 {
		i := len(st.names) - 1
		if st.children[i] > 0 && len(st.texts[i]) == 0 && len(bytes.TrimSpace(t)) == 0 {
			// Leading white space beside children is trimmed anyway:
			// not keeping it keeps a long list's indentation out
			// of its parent's MaxElementBytes.
			return nil
		}
		if len(st.texts[i])+len(t) > MaxElementBytes {
			return &ParseError{Method: w.method, Reason: fmt.Sprintf("<%s> holds more text than the limit of %d bytes (MaxElementBytes)", snippet([]byte(st.names[i])), MaxElementBytes)}
		}
		st.texts[i] = append(st.texts[i], t...)
	} else if len(bytes.TrimSpace(t)) > 0 {
		return &ParseError{Method: w.method, Reason: "text outside the root element", Snippet: snippet(t)}
	}
	return nil
}

// close pops an end tag named name and reports the element.
func (w *walker) close(st *walkState, name string) error {
	depth := len(st.names) - 1
	if depth < 0 || st.names[depth] != name {
		return &ParseError{Method: w.method, Reason: "mismatched </" + name + ">"}
	}
	// A leaf's text is data and kept as sent (a stored " 555 " stays
	// so); around child elements it is only indentation.
	raw := st.texts[depth]
	if st.children[depth] > 0 {
		raw = bytes.TrimSpace(raw)
	}
	parent := ""
	if depth > 0 {
		parent = st.names[depth-1]
	}
	switch {
	case name == "error", name == "errors" && parent == "status" && st.children[depth] == 0:
		// <errors> inside <status>: service_create's and service_update's
		// refusals.
		w.errors = append(w.errors, string(bytes.TrimSpace(raw)))
	case name == "status" && st.children[depth] == 0:
		if trimmed := string(bytes.TrimSpace(raw)); trimmed != "" && sentinelFor(trimmed) != nil {
			w.errors = append(w.errors, trimmed)
		}
	}
	switch {
	case w.end != nil:
		w.path = st.names[:depth+1]
		if err := w.end(parent, name, string(raw)); err != nil {
			return err
		}
	case w.endRaw != nil:
		w.path = st.names[:depth+1]
		if err := w.endRaw(parent, name, raw); err != nil {
			return err
		}
	}
	st.names = st.names[:depth]
	st.children = st.children[:depth]
	return nil
}

// endOfDocument is the check at the end of the input.
func (w *walker) endOfDocument(st *walkState) error {
	if len(st.names) > 0 {
		return &ParseError{Method: w.method, Reason: "document ends inside <" + st.names[len(st.names)-1] + ">", Err: io.ErrUnexpectedEOF}
	}
	if w.root == "" {
		return &ParseError{Method: w.method, Reason: "no XML element in reply"}
	}
	return nil
}

// run walks the document: with the fast scanner (xmlscan.go) while the
// document keeps to the plain XML MOR writes, and with encoding/xml from
// the first construct the scanner leaves to it, so that both read every
// document alike.
func (w *walker) run(r io.Reader) error {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 8<<10)
	}
	var st walkState
	rest, err := w.scan(br, &st)
	if rest == nil {
		return err
	}
	return w.runXML(rest, &st)
}

// runXML walks r with encoding/xml. A non-empty st holds elements the fast
// scanner opened: r then starts with their start tags, which reopen them
// with the text and children counts they had.
func (w *walker) runXML(r io.Reader, st *walkState) error {
	src := newRecordingReader(r)
	d := xml.NewDecoder(src)
	d.CharsetReader = charsetReader
	resumed := *st
	reopen := len(resumed.names)
	*st = walkState{}
	for {
		// encoding/xml reads a whole token (a start tag with every
		// attribute, a run of text) before returning it; src stops it
		// after MaxElementBytes, before an attribute or text bomb is held.
		src.token = 0
		tok, err := d.RawToken()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return w.endOfDocument(st)
			}
			if errors.Is(err, errTokenTooLarge) {
				return &ParseError{Method: w.method, Reason: fmt.Sprintf("a tag, comment or text longer than the limit of %d bytes (MaxElementBytes)", MaxElementBytes)}
			}
			if src.err != nil && errors.Is(err, src.err) {
				return readErr(w.method, "reading XML", err)
			}
			return &ParseError{Method: w.method, Reason: "malformed XML", Err: err}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if reopen > 0 {
				i := len(st.names)
				st.names = append(st.names, t.Name.Local)
				st.texts = append(st.texts, resumed.texts[i])
				st.children = append(st.children, resumed.children[i])
				reopen--
				continue
			}
			if len(t.Attr) > MaxElementAttrs {
				if len(st.names) >= MaxElementDepth {
					return w.open(st, t.Name.Local, t.Attr)
				}
				return &ParseError{Method: w.method, Reason: fmt.Sprintf("<%s> has %d attributes, more than the limit of %d (MaxElementAttrs)", snippet([]byte(t.Name.Local)), len(t.Attr), MaxElementAttrs)}
			}
			if err := w.open(st, t.Name.Local, t.Attr); err != nil {
				return err
			}
		case xml.CharData:
			if err := w.text(st, t); err != nil {
				return err
			}
		case xml.EndElement:
			if err := w.close(st, t.Name.Local); err != nil {
				return err
			}
		}
	}
}

// errTokenTooLarge is recordingReader's error for a token over
// MaxElementBytes.
var errTokenTooLarge = errors.New("token too large")

// recordingReader remembers the last read error, so that a failure of the
// stream (cap, broken gzip, reset) is told apart from bad XML. It is a
// ByteReader, so encoding/xml adds no buffer of its own. It also counts the
// bytes read since the walker last reset token, and fails once one token
// runs past MaxElementBytes (with a little room for the delimiters).
type recordingReader struct {
	r     *bufio.Reader
	err   error
	token int
}

func newRecordingReader(r io.Reader) *recordingReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 8<<10)
	}
	return &recordingReader{r: br}
}

// tokenSlack covers a token's delimiters and what encoding/xml and a
// charset reader buffer ahead, so that text of exactly MaxElementBytes still
// passes.
const tokenSlack = 16 << 10

func (r *recordingReader) Read(p []byte) (int, error) {
	if left := MaxElementBytes + tokenSlack - r.token; len(p) > left {
		if left <= 0 {
			return 0, errTokenTooLarge
		}
		p = p[:left]
	}
	n, err := r.r.Read(p)
	r.token += n
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}

func (r *recordingReader) ReadByte() (byte, error) {
	if r.token >= MaxElementBytes+tokenSlack {
		return 0, errTokenTooLarge
	}
	b, err := r.r.ReadByte()
	if err != nil && err != io.EOF {
		r.err = err
	} else if err == nil {
		r.token++
	}
	return b, err
}

// apiError returns the collected server errors as an *APIError, or nil.
func (w *walker) apiError() error {
	if len(w.errors) == 0 {
		return nil
	}
	return newAPIError(w.method, w.errors)
}

// newXMLDecoder returns an encoding/xml decoder for a MOR reply: one that
// reads the encodings charsetReader accepts. Every XML decoding of a reply
// goes through it (or sets charsetReader itself).
func newXMLDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.CharsetReader = charsetReader
	return d
}

// charsetReader accepts the encodings a MOR server declares. The server
// writes UTF-8; ISO-8859-1 is mapped byte for byte, and Windows-1252 (what
// a Windows-side proxy or an old PHP page may declare) like it, except for
// 0x80–0x9F, which cp1252 maps to typographic characters.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return input, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		return &latin1Reader{r: bufio.NewReader(input)}, nil
	case "windows-1252", "cp1252", "x-cp1252":
		return &latin1Reader{r: bufio.NewReader(input), high: &cp1252High}, nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q", label)
}

// cp1252High maps Windows-1252's bytes 0x80–0x9F. The five bytes cp1252
// leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 control of
// the same number, as browsers decode them.
var cp1252High = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

// latin1Reader turns single-byte text into UTF-8: each byte is the code
// point of the same number, except 0x80–0x9F when high is set.
type latin1Reader struct {
	r    *bufio.Reader
	buf  []byte
	high *[32]rune
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	for len(l.buf) == 0 {
		b, err := l.r.ReadByte()
		if err != nil {
			return 0, err
		}
		r := rune(b)
		if l.high != nil && b >= 0x80 && b <= 0x9F {
			r = l.high[b-0x80]
		}
		l.buf = utf8.AppendRune(l.buf, r)
	}
	n := copy(p, l.buf)
	l.buf = l.buf[n:]
	return n, nil
}

// decodeGeneric reads a reply for Call: any <error> wins; then out, if any,
// gets the XML bytes (*[]byte) or is unmarshalled from them.
func decodeGeneric(method string, r io.Reader, out any) error {
	var raw []byte
	if out != nil {
		var err error
		if raw, err = io.ReadAll(r); err != nil {
			return readErr(method, "reading body", err)
		}
		r = bytes.NewReader(raw)
	}
	w := walker{method: method}
	if err := w.run(r); err != nil {
		return err
	}
	if err := w.apiError(); err != nil {
		return err
	}
	switch o := out.(type) {
	case nil:
		return nil
	case *[]byte:
		*o = raw
		return nil
	default:
		if err := newXMLDecoder(bytes.NewReader(raw)).Decode(out); err != nil {
			return &ParseError{Method: method, Reason: fmt.Sprintf("cannot unmarshal into %T", out), Err: err}
		}
		return nil
	}
}
