package mor

import (
	"context"
	"errors"
	"io"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// One declarative way to read replies. A reply type names its XML elements in
// one place, a table from element path to typed setter:
//
//	func (u *User) fields() []field {
//		return []field{
//			req("details/main_detail/id", i64(&u.ID)),
//			opt("details/main_detail/username", str(&u.Username)),
//			opt("details/main_detail/balance", money(&u.Balance)),
//			opt("details/main_detail/currency", currency(&u.Balance, &u.Credit)),
//		}
//	}
//
// decodeFields reads a small reply into such a table; streamRecords reads a
// list of records, each into a fresh table, as the bytes arrive. Both are
// built on the streaming walker, so every <error> at any depth still wins.
// Elements not in the table are ignored (newer servers add fields); a
// required element that is missing is ErrUnexpectedResponse; a value that
// does not parse is a *ParseError naming the element.

// setter stores one element's text into a typed field. It returns a plain
// error; the decoder wraps it in a *ParseError naming the element.
type setter func(text string) error

// field is one row of a reply table.
type field struct {
	path     string // element path below the root (or below the record), "/"-separated
	set      setter
	required bool
}

// req is a field the reply must contain; its absence is ErrUnexpectedResponse.
func req(path string, set setter) field { return field{path: path, set: set, required: true} }

// opt is a field the reply may omit (older or newer servers, optional data).
func opt(path string, set setter) field { return field{path: path, set: set} }

// str stores the text verbatim (a leaf's text is kept as sent, spaces too).
func str(dst *string) setter { return func(t string) error { *dst = t; return nil } }

// trimmed stores the text without surrounding white space (for tags MOR
// writes in block form, "\n101  ").
func trimmed(dst *string) setter {
	return func(t string) error { *dst = strings.TrimSpace(t); return nil }
}

// i64 stores an integer; empty is 0.
func i64(dst *int64) setter {
	return func(t string) error {
		n, err := parseInt(t)
		*dst = n
		return err
	}
}

// flag stores a boolean: true/false, 1/0 (any non-zero integer is true);
// empty is false.
func flag(dst *bool) setter {
	return func(t string) error {
		b, err := parseBool(t)
		*dst = b
		return err
	}
}

// datetime stores "YYYY-MM-DD HH:MM:SS ±hhmm", keeping the zone; empty is
// the zero time.
func datetime(dst *time.Time) setter {
	return func(t string) error {
		v, err := parseDatetime(t)
		*dst = v
		return err
	}
}

// date stores "YYYY-MM-DD" (midnight UTC); empty is the zero time.
func date(dst *time.Time) setter {
	return func(t string) error {
		t = strings.TrimSpace(t)
		if t == "" {
			*dst = time.Time{}
			return nil
		}
		v, err := time.Parse(time.DateOnly, t)
		if err != nil {
			return errors.New("not a YYYY-MM-DD date")
		}
		*dst = v
		return nil
	}
}

// decimal stores an exact decimal; empty is zero.
func decimal(dst *Decimal) setter {
	return func(t string) error {
		if strings.TrimSpace(t) == "" {
			*dst = Decimal{}
			return nil
		}
		d, err := ParseDecimal(t)
		*dst = d
		return err
	}
}

// money stores the amount of a Money; its currency comes from another
// element through currency.
func money(dst *Money) setter { return decimal(&dst.Amount) }

// currency stores one currency code into every Money that is priced in it.
func currency(dsts ...*Money) setter {
	return func(t string) error {
		t = strings.TrimSpace(t)
		for _, d := range dsts {
			d.Currency = t
		}
		return nil
	}
}

// ptrStr stores a present element's text (empty included); absent stays nil.
func ptrStr(dst **string) setter {
	return func(t string) error { *dst = &t; return nil }
}

// ptrI64 stores a present, non-empty integer; absent or empty (MOR's NULL)
// stays nil.
func ptrI64(dst **int64) setter {
	return func(t string) error {
		if strings.TrimSpace(t) == "" {
			return nil
		}
		n, err := parseInt(t)
		if err == nil {
			*dst = &n
		}
		return err
	}
}

// ptrFlag stores a present, non-empty boolean; absent or empty stays nil.
func ptrFlag(dst **bool) setter {
	return func(t string) error {
		if strings.TrimSpace(t) == "" {
			return nil
		}
		b, err := parseBool(t)
		if err == nil {
			*dst = &b
		}
		return err
	}
}

// ptrDatetime stores a present, non-empty datetime; absent or empty stays nil.
func ptrDatetime(dst **time.Time) setter {
	return func(t string) error {
		if strings.TrimSpace(t) == "" {
			return nil
		}
		v, err := parseDatetime(t)
		if err == nil {
			*dst = &v
		}
		return err
	}
}

// ptrDecimal stores a present, non-empty decimal; absent or empty stays nil.
func ptrDecimal(dst **Decimal) setter {
	return func(t string) error {
		if strings.TrimSpace(t) == "" {
			return nil
		}
		d, err := ParseDecimal(t)
		if err == nil {
			*dst = &d
		}
		return err
	}
}

func parseInt(t string) (int64, error) {
	t = strings.TrimSpace(t)
	if t == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return 0, errors.New("not an integer")
	}
	return n, nil
}

func parseBool(t string) (bool, error) {
	switch t = strings.TrimSpace(t); t {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return false, errors.New("not a boolean (true/false/1/0)")
	}
	return n != 0, nil
}

func parseDatetime(t string) (time.Time, error) {
	v, err := parseTime("", "", t)
	if err != nil {
		return time.Time{}, errors.New("not a YYYY-MM-DD HH:MM:SS ±hhmm datetime")
	}
	return v, nil
}

// table is a field list indexed for one decode.
type table struct {
	fields []field
	index  map[string]int
	seen   []bool
}

func newTable(fields []field) *table {
	t := &table{fields: fields, index: make(map[string]int, len(fields)), seen: make([]bool, len(fields))}
	for i, f := range fields {
		t.index[f.path] = i
	}
	return t
}

// set applies the field at path, if the table has one; a bad value is a
// *ParseError naming the element.
func (t *table) set(method, path, text string) error {
	i, ok := t.index[path]
	if !ok {
		return nil
	}
	t.seen[i] = true
	if err := t.fields[i].set(text); err != nil {
		return &ParseError{Method: method, Reason: "bad <" + path + ">", Snippet: snippet([]byte(text)), Err: err}
	}
	return nil
}

// missing returns ErrUnexpectedResponse naming the first required field not
// seen, or nil.
func (t *table) missing(method, root, where string) error {
	for i, f := range t.fields {
		if f.required && !t.seen[i] {
			return unexpected(method, root, "no <"+f.path+">"+where)
		}
	}
	return nil
}

func (t *table) reset() { clear(t.seen) }

// relPath joins path[from:] with "/" into buf.
func relPath(buf []byte, path []string, from int) []byte {
	buf = buf[:0]
	for i := from; i < len(path); i++ {
		if i > from {
			buf = append(buf, '/')
		}
		buf = append(buf, path[i]...)
	}
	return buf
}

// decodeFields reads a small reply into fields (paths relative to the root
// element). Any server <error> wins; then the first bad value; then a
// missing required field. With checkSuccess, the reply must also carry the
// method's success text (see checkSuccessText).
func decodeFields(method string, r io.Reader, fields []field, checkSuccess bool) error {
	t := newTable(fields)
	var (
		buf      []byte
		firstBad error
		statuses []string
	)
	w := walker{method: method}
	w.end = func(parent, name, text string) error {
		if len(w.path) < 2 {
			return nil
		}
		if checkSuccess && successElement(w.root, parent, name) {
			statuses = append(statuses, text)
		}
		buf = relPath(buf, w.path, 1)
		if err := t.set(method, string(buf), text); err != nil && firstBad == nil {
			firstBad = err
		}
		return nil
	}
	if err := w.run(r); err != nil {
		return err
	}
	if err := w.apiError(); err != nil {
		return err
	}
	if firstBad != nil {
		return firstBad
	}
	if err := t.missing(method, w.root, ""); err != nil {
		return err
	}
	if checkSuccess {
		return checkSuccessText(method, w.root, statuses)
	}
	return nil
}

// checkSuccessText applies the registry's success rule (the same as
// decodeSuccess) to the texts of the elements that may hold a success text
// (successElement): the reply must be rooted where the method's success reply
// is and carry one of its exact texts. A method with no declared texts has
// nothing to match, so any reply of it fails: typed calls pass checkSuccess
// only for methods that declare texts (TestTypedWritesDeclareSuccessTexts).
// Anything else is ErrUnexpectedResponse: an unknown reply is never success.
func checkSuccessText(method, root string, texts []string) error {
	e, ok := successSpec(method)
	if !ok {
		return &ParseError{Method: method, Reason: "no success texts known for this method", Err: ErrUnexpectedResponse}
	}
	if want := e.successRoot(); root != want {
		return &ParseError{Method: method, Reason: "reply root is <" + root + ">, not <" + want + ">", Err: ErrUnexpectedResponse}
	}
	got := ""
	for _, t := range texts {
		t = strings.TrimSpace(t)
		if e.isSuccess(t) {
			return nil
		}
		if got == "" {
			got = t
		}
	}
	if got != "" {
		return &ParseError{Method: method, Reason: "status is not a success text of " + method, Snippet: snippet([]byte(got)), Err: ErrUnexpectedResponse}
	}
	return unexpected(method, root, "no success status")
}

// recordSpec says where a list reply keeps its records and how to read one.
// Exactly one of record and start is set.
type recordSpec[T any] struct {
	// record is the path of each record element below the root, e.g.
	// "users/user" for <page><users><user>…</user>…</users></page>. Field
	// paths are relative to the record element.
	record string
	// start is, for flat lists, the element that begins each record, e.g.
	// device_clis_get's cli_id: a record runs from one <cli_id> to the next
	// or to the end of the enclosing element. Field paths are element names.
	start string
	// fields returns the table of one record.
	fields func(*T) []field
	// empty are the sentinels the server answers when there is nothing to
	// list ("CLIs were not found"): an empty list, not an error.
	empty []error
	// finish, if set, checks the whole reply after the last record, given
	// the walker and the number of records (e.g. "no records and no error").
	// Without it, a wrapped list with no records must at least contain the
	// records' parent element (<users></users>): a reply with neither that
	// nor an error is ErrUnexpectedResponse, never an empty list.
	finish func(w *walker, n int) error
}

// errStopped ends a walk when the consumer stops ranging.
var errStopped = errors.New("mor: stopped")

// decodeRecords reads a list reply from r, calling yield for each record as
// soon as it is complete. It returns errStopped when yield returns false,
// an *APIError (unless it is one of spec.empty), a *ParseError, or nil.
func decodeRecords[T any](method string, r io.Reader, spec recordSpec[T], yield func(T) bool) error {
	var cur T
	t := newTable(spec.fields(&cur))
	var (
		buf  []byte
		n    int
		open bool // a flat record has started
		stop bool
	)
	emit := func(root string) error {
		where := " in record " + strconv.Itoa(n+1)
		if err := t.missing(method, root, where); err != nil {
			return err
		}
		n++
		rec := cur
		var zero T
		cur = zero
		t.reset()
		open = false
		if !yield(rec) {
			stop = true
			return errStopped
		}
		return nil
	}
	recDepth := strings.Count(spec.record, "/") + 2 // names: root + record path
	container, _, _ := cutLast(spec.record)
	sawContainer := container == "" // the record's parent is the root
	w := walker{method: method}
	w.end = func(parent, name, text string) error {
		if len(w.errors) > 0 {
			return nil // an error reply: keep walking to collect them all
		}
		p := w.path
		if spec.record != "" && !sawContainer && len(p) == recDepth-1 {
			buf = relPath(buf, p, 1)
			sawContainer = string(buf) == container
		}
		if spec.record != "" {
			if len(p) < recDepth {
				return nil
			}
			buf = relPath(buf, p[:recDepth], 1)
			if string(buf) != spec.record {
				return nil
			}
			if len(p) == recDepth {
				return emit(w.root)
			}
			buf = relPath(buf, p, recDepth)
			return t.set(method, string(buf), text)
		}
		if _, ok := t.index[name]; !ok {
			return nil
		}
		if name == spec.start {
			if open {
				if err := emit(w.root); err != nil {
					return err
				}
			}
			open = true
		} else if !open {
			return &ParseError{Method: method, Reason: "<" + name + "> before any <" + spec.start + ">", Err: ErrUnexpectedResponse}
		}
		return t.set(method, name, text)
	}
	err := w.run(r)
	if stop {
		return errStopped
	}
	if err != nil {
		return err
	}
	if err := w.apiError(); err != nil {
		if len(w.errors) == 1 {
			for _, e := range spec.empty {
				if sentinelFor(w.errors[0]) == e {
					return nil
				}
			}
		}
		return err
	}
	if open {
		if err := emit(w.root); err != nil {
			if stop {
				return errStopped
			}
			return err
		}
	}
	if spec.finish != nil {
		return spec.finish(&w, n)
	}
	if n == 0 && !sawContainer {
		return unexpected(method, w.root, "no <"+spec.record+"> list and no error")
	}
	return nil
}

// cutLast splits "a/b/c" into "a/b" and "c".
func cutLast(path string) (dir, last string, ok bool) {
	i := strings.LastIndexByte(path, '/')
	if i < 0 {
		return "", path, false
	}
	return path[:i], path[i+1:], true
}

// streamRecords calls method and returns its records as they are decoded.
// The sequence is lazy (nothing is sent until it is ranged over) and
// single-use per range: each range sends the request again. Breaking out of
// the loop stops reading, and the body is closed (after reading at most a
// little more so the connection can be reused). An error is the last pair.
// A read is retried (with WithRetries) only while no record has been
// yielded, so a retry never repeats records.
func streamRecords[T any](ctx context.Context, c *Client, method string, params url.Values, spec recordSpec[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		yielded, stopped := false, false
		err := c.doStream(ctx, method, params, func(r io.Reader) error {
			err := decodeRecords(method, r, spec, func(v T) bool {
				yielded = true
				if !yield(v, nil) {
					stopped = true
					return false
				}
				return true
			})
			return err
		}, func() bool { return yielded })
		if stopped || err == nil {
			return
		}
		var zero T
		yield(zero, err)
	}
}

// collect gathers a sequence into a slice: never nil on success, and nil with
// the error on failure (no half result).
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	out := []T{}
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
