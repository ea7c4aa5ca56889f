package mor

import (
	"bytes"
	"context"
	"errors"
	"io"
	"iter"
	"math/big"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// CallsService reads call detail records (CDRs), call recordings and the
// quick statistics of the dashboard. Reach it as Client.Calls.
//
// The legacy actions main_page and new_calls_list have no typed wrapper:
// main_page marks the caller as logged in and sums the whole month's calls
// in the server's memory, and new_calls_list answers an empty body as soon
// as one answered call exists today, so only its empty list ever works.
// Both stay reachable through Client.Call for completeness.
type CallsService service

// CallsQuery selects the calls user_calls_get lists. Every filter is
// optional; the server applies them together.
//
// From and Till bound the period, both ends inclusive to the second. The
// server compares them as wall-clock times in its own time zone (it reads
// the Unix times the SDK sends with its local zone), whatever the caller's
// own zone setting. A zero From and Till mean the server's "today".
//
// Window and Ahead make All split a long period into windows of Window
// each (the method has no paging: the server builds each reply whole), so
// that a month of calls is fetched as, say, 720 one-hour replies.
type CallsQuery struct {
	From time.Time // start of the period (period_start)
	Till time.Time // end of the period (period_end)

	// UserID limits the list to one user's calls (s_user): admin and
	// accountant any user (0 is the admin), a reseller its own users and
	// itself; a simple user always gets its own calls. nil: all visible.
	UserID *int64
	// Status is the call's disposition (s_call_type): "answered", "failed",
	// "busy" or "no answer" (case-insensitive); "" lists every call.
	Status string
	// DeviceID is a device of either leg (s_device).
	DeviceID *int64
	// ProviderID (s_provider), HangupCodeID (s_hgc, the id of a hangup cause
	// code row, not the code), DIDID (s_did) and ResellerID (s_reseller)
	// are admin and accountant filters (a reseller gets provider and hangup
	// filters only when the server allows them; others are ignored).
	ProviderID   *int64
	HangupCodeID *int64 // hangup cause code row id (s_hgc); nil: not sent
	DIDID        *int64 // DID id (s_did); nil: not sent
	ResellerID   *int64 // reseller id (s_reseller); nil: not sent
	// DestinationPrefix is a LIKE pattern on the dialled number
	// (s_destination): digits and % only, e.g. "370%".
	DestinationPrefix string
	// Country is a destination's direction code, e.g. "LTU" (s_country).
	Country string
	// OnlyDID lists only calls that came in through a DID (only_did).
	OnlyDID bool
	// OrderBy is the sort key (order_by): "time" (the default) or another
	// column name the server knows ("src", "dst", "duration", "user_price",
	// …); OrderDesc sorts descending (order_desc). A windowed All needs time
	// order, ascending.
	OrderBy   string
	OrderDesc bool // sort descending (order_desc)

	// Window, when set, makes All fetch the period in consecutive windows of
	// this length (at least a second, whole seconds). Zero fetches the
	// period in one request.
	Window time.Duration
	// Ahead is how many windows All may fetch ahead of the one being
	// ranged over (0–4). Each holds at most a few dozen decoded records
	// while it waits, so memory stays bounded.
	Ahead int
	// Zone is the MOR server's time zone. It reads the calls' times (which
	// the server sends as bare wall-clock times) and places window edges on
	// wall-clock seconds, so that no second is fetched twice or skipped
	// when clocks change. nil reads times at the server's current UTC
	// offset (the reply's <timezone>) and splits windows in Unix seconds,
	// which is exact except around a daylight-saving change.
	Zone *time.Location
}

// maxAhead bounds CallsQuery.Ahead.
const maxAhead = 4

func (q *CallsQuery) validate(method string) error {
	bad := func(field string) error { return &ValidationError{Method: method, Field: field, Err: ErrInvalidParams} }
	if q.From.IsZero() != q.Till.IsZero() {
		if q.From.IsZero() {
			return bad("period_start")
		}
		return bad("period_end")
	}
	if !q.From.IsZero() {
		// The server ignores anything but digits, silently using today.
		if q.From.Unix() < 0 {
			return bad("period_start")
		}
		if q.Till.Before(q.From) {
			return bad("period_end")
		}
	}
	for _, p := range []struct {
		name string
		v    *int64
	}{{"s_user", q.UserID}, {"s_device", q.DeviceID}, {"s_provider", q.ProviderID}, {"s_hgc", q.HangupCodeID}, {"s_did", q.DIDID}, {"s_reseller", q.ResellerID}} {
		if p.v != nil && *p.v < 0 {
			return bad(p.name)
		}
	}
	if d := strings.TrimSpace(q.DestinationPrefix); d != "" && strings.Trim(d, "0123456789%") != "" {
		return bad("s_destination")
	}
	if q.Window != 0 {
		if q.Window < time.Second || q.Window%time.Second != 0 {
			return bad("window")
		}
		if q.From.IsZero() {
			return bad("period_start")
		}
		if q.OrderDesc || q.OrderBy != "" && q.OrderBy != "time" {
			return bad("order_by")
		}
	}
	if q.Ahead < 0 || q.Ahead > maxAhead {
		return bad("ahead")
	}
	return nil
}

// values encodes the filters (not the period) as user_calls_get reads them.
func (q *CallsQuery) values() url.Values {
	v := url.Values{}
	id := func(name string, p *int64) {
		if p != nil {
			v.Set(name, strconv.FormatInt(*p, 10))
		}
	}
	id("s_user", q.UserID)
	id("s_device", q.DeviceID)
	id("s_provider", q.ProviderID)
	id("s_hgc", q.HangupCodeID)
	id("s_did", q.DIDID)
	id("s_reseller", q.ResellerID)
	if q.Status != "" {
		v.Set("s_call_type", q.Status)
	}
	if q.DestinationPrefix != "" {
		v.Set("s_destination", strings.TrimSpace(q.DestinationPrefix))
	}
	if q.Country != "" {
		v.Set("s_country", q.Country)
	}
	if q.OnlyDID {
		v.Set("only_did", "1")
	}
	if q.OrderBy != "" {
		v.Set("order_by", q.OrderBy)
	}
	if q.OrderDesc {
		v.Set("order_desc", "1")
	}
	return v
}

// Call is one call detail record of user_calls_get. Which columns the
// server sends depends on the caller: admins (and accountants allowed to
// see financial data) get every price, resellers their own view, simple
// users the user price only when billing information is shown to them. A
// column the server did not send (or sent as NULL) is the zero value; a
// price is then nil.
//
// Every amount is in the system's default currency, named in each Money
// (the server converts nothing).
type Call struct {
	// Time is when the call started (calldate2), in the server's zone.
	Time time.Time
	// CallerID is the caller ID as received (clid).
	CallerID string
	// Source is the calling number (src).
	Source string
	// Destination is the dialled number after localization (dst). For simple
	// users the server may mask its end with XXX.
	Destination string
	// DestinationName is the destination's direction and name (destination),
	// e.g. "Lithuania Mobile"; " " when the prefix matches none.
	DestinationName string
	// Prefix is the destination prefix that rated the call.
	Prefix string
	// DID is the DID number the call came in on, "" if none.
	DID string
	// Disposition is ANSWERED, NO ANSWER, BUSY or FAILED (dispod).
	Disposition string
	// HangupCause is the hangup cause code the server prints beside the
	// disposition for non-users ("ANSWERED(16)"); nil when not sent.
	HangupCause *int64
	// Billsec is the billed duration (nice_billsec).
	Billsec time.Duration
	// Reseller is the call's reseller's name (nice_reseller); " " for none.
	Reseller string
	// User is the name of the call's user ("Card#…" for a calling card).
	User string
	// ProviderID and ProviderName identify the terminating provider.
	ProviderID   *int64
	ProviderName string // the terminating provider's name (provider_name)
	// ServerID is the MOR server that handled the call.
	ServerID *int64
	// UniqueID is Asterisk's unique id of the call (not unique across
	// servers or call legs).
	UniqueID string

	// Prices and rates, per the caller's view.
	UserPrice     *Money // the user's price for the call (<user_price>); nil when not sent
	UserRate      *Money // the user's rate (<user_rate>); nil when not sent
	ResellerPrice *Money // the reseller's price (<reseller_price>); nil when not sent
	ResellerRate  *Money // the reseller's rate (<reseller_rate>); nil when not sent
	ProviderPrice *Money // the provider's price (<provider_price>); nil when not sent
	ProviderRate  *Money // the provider's rate (<provider_rate>); nil when not sent
	DIDPrice      *Money // <did_price>; nil when not sent
	DIDIncPrice   *Money // <did_inc_price>; nil when not sent
	DIDProvPrice  *Money // <did_prov_price>; nil when not sent
	Profit        *Money // the call's profit (<profit>); nil when not sent
	SelfCostPrice *Money // the self-cost price (<self_cost_price>); nil when not sent
	SelfCostRate  *Money // the self-cost rate (<self_cost_rate>); nil when not sent
	// Extra holds columns this SDK does not know (a newer server's), by
	// element name; nil when there are none.
	Extra map[string]string

	wall    int64  // calldate2 as wall-clock seconds (civil time as if UTC)
	rawDate string // calldate2 as sent
}

// callDecoder reads user_calls_get replies: the page's currency, then each
// <call> as it closes. It keeps one Call being filled, so a record costs
// its strings and prices and nothing per element.
type callDecoder struct {
	method   string
	zone     *time.Location
	currency string
	total    int64
	hasTotal bool
	sawStat  bool
	n        int64
	cur      Call
	fixed    *time.Location // from <timezone>, when zone is nil
	fixedTxt string
	// extra holds the current record's prices and optional integers: one
	// allocation per record instead of one per value.
	extra *callExtra
	// amounts caches parsed amounts by their text: CDRs repeat the same
	// few rates and prices, and a Decimal is immutable, so records may
	// share one.
	amounts map[string]Decimal
	// last is the previous record's text per repeating column, reused when
	// the next record has the same (one user's calls share names).
	last [8]string
}

// Columns whose last text callDecoder keeps.
const (
	lastCLID = iota
	lastDestination
	lastPrefix
	lastDID
	lastReseller
	lastUser
	lastProvider
	lastDisposition
)

// repeat returns text as a string, the previous record's when equal.
func (d *callDecoder) repeat(col int, text []byte) string {
	if d.last[col] == string(text) {
		return d.last[col]
	}
	s := internText(text)
	d.last[col] = s
	return s
}

// callExtra is the storage behind a record's *Money and *int64 fields.
type callExtra struct {
	money [12]Money
	ints  [3]int64
	n, i  int
}

// maxCachedAmounts bounds callDecoder.amounts.
const maxCachedAmounts = 4096

func (d *callDecoder) ensureExtra() *callExtra {
	if d.extra == nil {
		d.extra = new(callExtra)
	}
	return d.extra
}

func (d *callDecoder) price(text []byte) (*Money, error) {
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, nil // NULL
	}
	a, ok := d.amounts[string(text)]
	if !ok {
		var err error
		if a, err = ParseDecimal(string(text)); err != nil {
			return nil, err
		}
		if d.amounts == nil || len(d.amounts) >= maxCachedAmounts {
			d.amounts = make(map[string]Decimal, 64)
		}
		d.amounts[string(text)] = a
	}
	e := d.ensureExtra()
	if e.n == len(e.money) {
		return &Money{Amount: a, Currency: d.currency}, nil // a column repeated
	}
	m := &e.money[e.n]
	e.n++
	*m = Money{Amount: a, Currency: d.currency}
	return m, nil
}

func (d *callDecoder) optInt(text []byte) (*int64, error) {
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, nil
	}
	n, err := parseInt(string(text))
	if err != nil {
		return nil, err
	}
	e := d.ensureExtra()
	if e.i == len(e.ints) {
		return &n, nil
	}
	p := &e.ints[e.i]
	e.i++
	*p = n
	return p, nil
}

// set stores one column of the current record.
func (d *callDecoder) set(name string, text []byte) error {
	c := &d.cur
	var err error
	switch name {
	case "calldate2":
		c.rawDate = string(text)
		c.wall, err = parseWall(c.rawDate)
	case "timezone":
		if d.zone == nil && string(text) != d.fixedTxt {
			d.fixed, err = parseGMTOffset(string(text))
			d.fixedTxt = string(text)
		}
	case "clid":
		c.CallerID = d.repeat(lastCLID, text)
	case "src":
		c.Source = string(text)
	case "dst":
		c.Destination = string(text)
	case "destination":
		c.DestinationName = d.repeat(lastDestination, text)
	case "prefix":
		c.Prefix = d.repeat(lastPrefix, text)
	case "did":
		c.DID = d.repeat(lastDID, text)
	case "dispod":
		err = d.dispod(text)
	case "nice_billsec":
		var n int64
		n, err = parseIntBytes(text)
		c.Billsec = time.Duration(n) * time.Second
	case "nice_reseller":
		c.Reseller = d.repeat(lastReseller, text)
	case "user":
		c.User = d.repeat(lastUser, text)
	case "provider_id":
		c.ProviderID, err = d.optInt(text)
	case "provider_name":
		c.ProviderName = d.repeat(lastProvider, text)
	case "server_id":
		c.ServerID, err = d.optInt(text)
	case "uniqueid":
		c.UniqueID = string(text)
	case "user_price":
		c.UserPrice, err = d.price(text)
	case "user_rate":
		c.UserRate, err = d.price(text)
	case "reseller_price":
		c.ResellerPrice, err = d.price(text)
	case "reseller_rate":
		c.ResellerRate, err = d.price(text)
	case "provider_price":
		c.ProviderPrice, err = d.price(text)
	case "provider_rate":
		c.ProviderRate, err = d.price(text)
	case "did_price":
		c.DIDPrice, err = d.price(text)
	case "did_inc_price":
		c.DIDIncPrice, err = d.price(text)
	case "did_prov_price":
		c.DIDProvPrice, err = d.price(text)
	case "profit":
		c.Profit, err = d.price(text)
	case "self_cost_price":
		c.SelfCostPrice, err = d.price(text)
	case "self_cost_rate":
		c.SelfCostRate, err = d.price(text)
	default:
		if c.Extra == nil {
			c.Extra = map[string]string{}
		}
		c.Extra[name] = string(text)
	}
	if err != nil {
		return &ParseError{Method: d.method, Reason: "bad <" + name + "> in call " + strconv.FormatInt(d.n+1, 10), Snippet: snippet(text), Err: err}
	}
	return nil
}

// finish completes the current record: its time in the zone.
func (d *callDecoder) finish() (Call, error) {
	c := d.cur
	d.cur = Call{}
	d.extra = nil
	if c.rawDate == "" {
		return c, unexpected(d.method, "page", "no <calldate2> in call "+strconv.FormatInt(d.n+1, 10))
	}
	loc := d.zone
	if loc == nil {
		loc = d.fixed
	}
	if loc == nil {
		loc = time.UTC
	}
	w := time.Unix(c.wall, 0).UTC()
	c.Time = time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, loc)
	return c, nil
}

// decode walks one reply, yielding each complete record. A record is handed
// over only when its </call> has been read, so a reply cut short never
// yields a partial record: the error comes after the complete ones.
func (d *callDecoder) decode(r io.Reader, yield func(Call) bool) error {
	stop := false
	w := walker{method: d.method}
	w.endRaw = func(parent, name string, text []byte) error {
		if len(w.errors) > 0 {
			return nil
		}
		p := w.path
		switch len(p) {
		case 2:
			switch name {
			case "currency":
				d.currency = string(bytes.TrimSpace(text))
			case "total_calls":
				n, err := parseInt(string(text))
				if err != nil {
					return &ParseError{Method: d.method, Reason: "bad <total_calls>", Snippet: snippet(text), Err: err}
				}
				d.total, d.hasTotal = n, true
			case "calls_stat":
				d.sawStat = true
			}
		case 4:
			if name == "call" && parent == "calls" && p[1] == "calls_stat" {
				c, err := d.finish()
				if err != nil {
					return err
				}
				d.n++
				if !yield(c) {
					stop = true
					return errStopped
				}
			}
		case 5:
			if parent == "call" && p[2] == "calls" && p[1] == "calls_stat" {
				return d.set(name, text)
			}
		}
		return nil
	}
	err := w.run(r)
	if stop {
		return errStopped
	}
	if err != nil {
		return err
	}
	if err := w.apiError(); err != nil {
		return err
	}
	if w.root != "page" || !d.sawStat {
		return unexpected(d.method, w.root, "no <calls_stat> and no error")
	}
	if d.hasTotal && d.total != d.n {
		return unexpected(d.method, w.root, "<total_calls> is "+strconv.FormatInt(d.total, 10)+" but "+strconv.FormatInt(d.n, 10)+" calls came")
	}
	return nil
}

// parseWall reads "YYYY-MM-DD HH:MM:SS" into seconds of civil time (as if
// UTC), without allocating.
func parseWall(s string) (int64, error) {
	bad := errors.New("not a YYYY-MM-DD HH:MM:SS time")
	if len(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return 0, bad
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for j := i; j < i+n; j++ {
			c := s[j]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	da, ok3 := num(8, 2)
	h, ok4 := num(11, 2)
	mi, ok5 := num(14, 2)
	se, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || se > 59 {
		return 0, bad
	}
	t := time.Date(y, time.Month(mo), da, h, mi, se, 0, time.UTC)
	if t.Day() != da {
		return 0, bad
	}
	return t.Unix(), nil
}

// parseGMTOffset reads "GMT +02:00" into a fixed zone.
func parseGMTOffset(s string) (*time.Location, error) {
	t := strings.TrimSpace(s)
	rest, ok := strings.CutPrefix(t, "GMT")
	rest = strings.TrimSpace(rest)
	if !ok || len(rest) != 6 || rest[0] != '+' && rest[0] != '-' || rest[3] != ':' {
		return nil, errors.New("not a GMT ±hh:mm offset")
	}
	h, err1 := strconv.Atoi(rest[1:3])
	m, err2 := strconv.Atoi(rest[4:6])
	if err1 != nil || err2 != nil || h > 14 || m > 59 {
		return nil, errors.New("not a GMT ±hh:mm offset")
	}
	off := h*3600 + m*60
	if rest[0] == '-' {
		off = -off
	}
	return time.FixedZone(t, off), nil
}

// dispod reads "ANSWERED(16)" into the disposition and the hangup cause.
func (d *callDecoder) dispod(text []byte) error {
	c := &d.cur
	i := bytes.IndexByte(text, '(')
	if i < 0 || text[len(text)-1] != ')' {
		c.Disposition = d.repeat(lastDisposition, text)
		return nil
	}
	c.Disposition = d.repeat(lastDisposition, text[:i])
	code := text[i+1 : len(text)-1]
	if len(code) == 0 {
		return nil
	}
	n, err := parseIntBytes(code)
	if err != nil || len(bytes.TrimSpace(code)) != len(code) {
		c.Disposition = string(text)
		return errors.New("not DISPOSITION(CODE)")
	}
	e := d.ensureExtra()
	if e.i < len(e.ints) {
		p := &e.ints[e.i]
		e.i++
		*p = n
		c.HangupCause = p
	} else {
		c.HangupCause = &n
	}
	return nil
}

// parseIntBytes is parseInt without a string.
func parseIntBytes(b []byte) (int64, error) {
	t := bytes.TrimSpace(b)
	if len(t) == 0 {
		return 0, nil
	}
	neg := t[0] == '-'
	if neg || t[0] == '+' {
		t = t[1:]
	}
	if len(t) == 0 || len(t) > 18 {
		return parseInt(string(b)) // the slow path decides (and words the error)
	}
	var n int64
	for _, c := range t {
		if c < '0' || c > '9' {
			return 0, errors.New("not an integer")
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}

// internedTexts are column values that repeat across CDRs.
var internedTexts = map[string]string{"": "", " ": " ", "ANSWERED": "ANSWERED", "NO ANSWER": "NO ANSWER", "BUSY": "BUSY",
	"FAILED": "FAILED", "admin": "admin"}

// internText returns b as a string without allocating for the texts that
// repeat in every CDR.
func internText(b []byte) string {
	if s, ok := internedTexts[string(b)]; ok {
		return s
	}
	return string(b)
}

// callWindow is a period in wall-clock seconds, both ends inclusive.
type callWindow struct{ from, till int64 }

// List returns the calls of the query as a slice; see All, which streams.
// MOR: user_calls_get (read; hash: period_start, period_end, s_user as a
// number, s_call_type, s_device, s_provider, s_hgc, s_did, s_destination,
// order_by, order_desc, only_did; retried freely: it only reads).
func (s *CallsService) List(ctx context.Context, q CallsQuery) ([]Call, error) {
	return collect(s.All(ctx, q))
}

// All streams the calls of the query, decoding each <call> as its bytes
// arrive: the reply is never held whole, so memory stays flat however many
// calls come. Breaking out of the loop closes the connection at once.
//
// With q.Window set, the period is fetched as consecutive windows, in
// order, and the calls come in server order (time, ascending) without gaps
// or duplicates at window edges: windows cover consecutive wall-clock
// seconds, and the server's bounds are inclusive at both ends. A window
// whose reply passes the client's size cap (WithMaxResponseBytes,
// ErrResponseTooLarge) is not a failure: what was not yet yielded of it is
// fetched again in halves. The calls already yielded from it all lie at or
// before the second S of the last one; the rest is fetched from S on, and
// the calls of second S that were already yielded are recognised (all
// columns equal, as a multiset, since calls within one second come in no
// defined order) and skipped. Only a single second whose calls alone pass
// the cap fails, with ErrResponseTooLarge.
//
// MOR: user_calls_get (read; hash: period_start, period_end, s_user as a
// number, s_call_type, s_device, s_provider, s_hgc, s_did, s_destination,
// order_by, order_desc, only_did; retried freely while nothing of a window
// has been yielded; a repeated range sends the requests again).
func (s *CallsService) All(ctx context.Context, q CallsQuery) iter.Seq2[Call, error] {
	const method = "user_calls_get"
	if err := q.validate(method); err != nil {
		return errSeq[Call](err)
	}
	if q.Window == 0 {
		return func(yield func(Call, error) bool) {
			params := q.values()
			if !q.From.IsZero() {
				params.Set("period_start", strconv.FormatInt(q.From.Unix(), 10))
				params.Set("period_end", strconv.FormatInt(q.Till.Unix(), 10))
			}
			s.stream(ctx, q, params, yield)
		}
	}
	return s.windows(ctx, q)
}

// stream sends one request and yields its calls, then its error if any.
func (s *CallsService) stream(ctx context.Context, q CallsQuery, params url.Values, yield func(Call, error) bool) {
	stopped, err := s.fetch(ctx, q, params, func(c Call) bool {
		return yield(c, nil)
	})
	if err != nil && !stopped {
		yield(Call{}, err)
	}
}

// fetch sends one request and hands each decoded call to yield. It returns
// the error (nil at the end of the reply) and whether yield stopped.
func (s *CallsService) fetch(ctx context.Context, q CallsQuery, params url.Values, yield func(Call) bool) (stopped bool, err error) {
	const method = "user_calls_get"
	handed := false
	err = s.c.doStream(ctx, method, params, func(r io.Reader) error {
		d := callDecoder{method: method, zone: q.Zone}
		return d.decode(r, func(c Call) bool {
			handed = true
			if !yield(c) {
				stopped = true
				return false
			}
			return true
		})
	}, func() bool { return handed })
	if stopped {
		return true, nil
	}
	return false, err
}

// wallOf returns t's wall-clock time in loc as civil seconds.
func wallOf(u int64, loc *time.Location) int64 {
	t := time.Unix(u, 0).In(loc)
	_, off := t.Zone()
	return u + int64(off)
}

// unixFor returns a Unix time whose wall-clock time in loc is w; for a wall
// time that does not exist (skipped by a clock change), the first Unix
// time after it when start, else the last one before it.
func unixFor(w int64, loc *time.Location, start bool) int64 {
	if loc == nil {
		return w
	}
	// Candidates from the offsets around w.
	for _, probe := range []int64{w - 2*86400, w + 2*86400, w} {
		_, off := time.Unix(probe, 0).In(loc).Zone()
		if u := w - int64(off); wallOf(u, loc) == w {
			return u
		}
	}
	// In a gap: the first u with wall(u) > w, by bisection.
	lo, hi := w-2*86400, w+2*86400
	for lo < hi {
		mid := lo + (hi-lo)/2
		if wallOf(mid, loc) > w {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if start {
		return lo
	}
	return lo - 1
}

// windowItem is one decoded call of a window fetched ahead.
type windowItem struct{ c Call }

// windowFetch is one window being fetched ahead into a bounded channel.
type windowFetch struct {
	win callWindow
	ch  chan windowItem
	// err is how the fetch ended (nil: the whole window was sent); set
	// before ch is closed.
	err    error
	cancel context.CancelFunc
	done   chan struct{}
}

// aheadBuffer is how many decoded calls a window fetched ahead may hold.
const aheadBuffer = 64

// windows implements All for a windowed query.
func (s *CallsService) windows(ctx context.Context, q CallsQuery) iter.Seq2[Call, error] {
	return func(yield func(Call, error) bool) {
		loc := q.Zone
		wallAt := func(t time.Time) int64 {
			if loc == nil {
				return t.Unix()
			}
			return wallOf(t.Unix(), loc)
		}
		step := int64(q.Window / time.Second)
		next, end := wallAt(q.From), wallAt(q.Till)
		var front []callWindow // split or requeued windows, before next
		take := func() (callWindow, bool) {
			if len(front) > 0 {
				w := front[0]
				front = front[1:]
				return w, true
			}
			if next > end {
				return callWindow{}, false
			}
			w := callWindow{next, min(next+step-1, end)}
			next = w.till + 1
			return w, true
		}
		params := func(w callWindow) url.Values {
			p := q.values()
			p.Set("period_start", strconv.FormatInt(unixFor(w.from, loc, true), 10))
			p.Set("period_end", strconv.FormatInt(unixFor(w.till, loc, false), 10))
			return p
		}
		// pos is a call's second in window coordinates: its wall-clock
		// second with a zone, else its Unix second (read at the reply's
		// offset).
		pos := func(c *Call) int64 {
			if loc == nil {
				return c.Time.Unix()
			}
			return c.wall
		}
		// The last yielded call's second, and every call yielded in it.
		last := int64(-1 << 62)
		var atLast []Call
		emit := func(c Call) bool {
			if p := pos(&c); p != last {
				last = p
				atLast = atLast[:0]
			}
			atLast = append(atLast, c)
			return yield(c, nil)
		}
		// keepFor returns the filter of a window: calls of second last
		// already yielded are skipped once each.
		keepFor := func(w callWindow) func(Call) bool {
			if w.from > last {
				return func(Call) bool { return true }
			}
			skip := append([]Call(nil), atLast...)
			return func(c Call) bool {
				if pos(&c) != last {
					return true
				}
				for i := range skip {
					if sameCall(&skip[i], &c) {
						skip = append(skip[:i], skip[i+1:]...)
						return false
					}
				}
				return true
			}
		}
		// split returns what must be fetched again after a window overflowed
		// having yielded calls up to second last (or none).
		split := func(w callWindow, yieldedAny bool) ([]callWindow, bool) {
			if yieldedAny {
				w.from = last
			}
			if w.from >= w.till {
				return nil, false
			}
			mid := w.from + (w.till-w.from)/2
			return []callWindow{{w.from, mid}, {mid + 1, w.till}}, true
		}

		var inflight []*windowFetch
		stopAll := func(fs []*windowFetch) {
			for _, f := range fs {
				f.cancel()
			}
			for _, f := range fs {
				<-f.done
			}
		}
		defer func() { stopAll(inflight) }()
		start := func(w callWindow) *windowFetch {
			fctx, cancel := context.WithCancel(ctx)
			f := &windowFetch{win: w, ch: make(chan windowItem, aheadBuffer), cancel: cancel, done: make(chan struct{})}
			p := params(w)
			go func() {
				defer close(f.done)
				defer close(f.ch)
				stopped, err := s.fetch(fctx, q, p, func(c Call) bool {
					select {
					case f.ch <- windowItem{c: c}:
						return true
					case <-fctx.Done():
						return false
					}
				})
				if stopped {
					err = &TransportError{Method: "user_calls_get", Err: fctx.Err(), sent: true}
				}
				f.err = err
			}()
			return f
		}

		for {
			var (
				w          callWindow
				err        error
				yieldedAny bool
			)
			if q.Ahead == 0 {
				var ok bool
				if w, ok = take(); !ok {
					return
				}
				keep := keepFor(w)
				stopped := false
				stopped, err = s.fetch(ctx, q, params(w), func(c Call) bool {
					if !keep(c) {
						return true
					}
					yieldedAny = true
					return emit(c)
				})
				if stopped {
					return
				}
			} else {
				for len(inflight) < q.Ahead+1 {
					nw, ok := take()
					if !ok {
						break
					}
					inflight = append(inflight, start(nw))
				}
				if len(inflight) == 0 {
					return
				}
				f := inflight[0]
				w = f.win
				keep := keepFor(w)
				for it := range f.ch {
					if !keep(it.c) {
						continue
					}
					yieldedAny = true
					if !emit(it.c) {
						return
					}
				}
				f.cancel()
				<-f.done
				err = f.err
				inflight = inflight[1:]
				if err != nil && errors.Is(err, ErrResponseTooLarge) {
					// Windows fetched ahead come after the split halves.
					stopAll(inflight)
					for i := len(inflight) - 1; i >= 0; i-- {
						front = append([]callWindow{inflight[i].win}, front...)
					}
					inflight = nil
				}
			}
			if err == nil {
				continue
			}
			if errors.Is(err, ErrResponseTooLarge) {
				if halves, ok := split(w, yieldedAny); ok {
					front = append(halves, front...)
					continue
				}
			}
			yield(Call{}, err)
			return
		}
	}
}

// sameCall reports whether two decoded calls have the same columns.
func sameCall(a, b *Call) bool {
	if a.rawDate != b.rawDate || a.CallerID != b.CallerID || a.Source != b.Source || a.Destination != b.Destination ||
		a.DestinationName != b.DestinationName || a.Prefix != b.Prefix || a.DID != b.DID || a.Disposition != b.Disposition ||
		a.Billsec != b.Billsec || a.Reseller != b.Reseller || a.User != b.User || a.ProviderName != b.ProviderName ||
		a.UniqueID != b.UniqueID || !sameInt(a.HangupCause, b.HangupCause) || !sameInt(a.ProviderID, b.ProviderID) ||
		!sameInt(a.ServerID, b.ServerID) || len(a.Extra) != len(b.Extra) {
		return false
	}
	for k, v := range a.Extra {
		if bv, ok := b.Extra[k]; !ok || bv != v {
			return false
		}
	}
	am := [...]*Money{a.UserPrice, a.UserRate, a.ResellerPrice, a.ResellerRate, a.ProviderPrice, a.ProviderRate, a.DIDPrice, a.DIDIncPrice, a.DIDProvPrice, a.Profit, a.SelfCostPrice, a.SelfCostRate}
	bm := [...]*Money{b.UserPrice, b.UserRate, b.ResellerPrice, b.ResellerRate, b.ProviderPrice, b.ProviderRate, b.DIDPrice, b.DIDIncPrice, b.DIDProvPrice, b.Profit, b.SelfCostPrice, b.SelfCostRate}
	for i := range am {
		if (am[i] == nil) != (bm[i] == nil) || am[i] != nil && (am[i].Currency != bm[i].Currency || am[i].Amount.String() != bm[i].Amount.String()) {
			return false
		}
	}
	return true
}

func sameInt(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// RecordingsParams selects the recordings recordings_get lists.
type RecordingsParams struct {
	// From and Till bound the recording time, both ends inclusive (the
	// server reads them in its own zone). Zero: the server's today. Till
	// must be after From.
	From time.Time // start, inclusive (date_from); zero: the server's today
	Till time.Time // end, inclusive (date_till); zero: the server's today
	// Source and Destination match the call's numbers exactly.
	Source      string // the calling number, exact (source); empty: not sent
	Destination string // the dialled number, exact (destination); empty: not sent
	// UserID matches either party's user; DeviceID either party's device.
	UserID   *int64 // either party's user (user); nil: not sent
	DeviceID *int64 // either party's device (device); nil: not sent
}

func (p *RecordingsParams) values(method string) (url.Values, error) {
	bad := func(field string) error { return &ValidationError{Method: method, Field: field, Err: ErrInvalidParams} }
	v := url.Values{}
	if !p.From.IsZero() {
		if p.From.Unix() == 0 {
			return nil, bad("date_from") // 0 means "today" to the server
		}
		v.Set("date_from", strconv.FormatInt(p.From.Unix(), 10))
	}
	if !p.Till.IsZero() {
		if p.Till.Unix() == 0 {
			return nil, bad("date_till")
		}
		v.Set("date_till", strconv.FormatInt(p.Till.Unix(), 10))
	}
	if !p.From.IsZero() && !p.Till.IsZero() && !p.Till.After(p.From) {
		return nil, bad("date_till")
	}
	if p.Source != "" {
		v.Set("source", p.Source)
	}
	if p.Destination != "" {
		v.Set("destination", p.Destination)
	}
	if p.UserID != nil {
		if *p.UserID <= 0 {
			return nil, bad("user")
		}
		v.Set("user", strconv.FormatInt(*p.UserID, 10))
	}
	if p.DeviceID != nil {
		if *p.DeviceID <= 0 {
			return nil, bad("device")
		}
		v.Set("device", strconv.FormatInt(*p.DeviceID, 10))
	}
	return v, nil
}

// Recording is one call recording's metadata (the audio is not part of the
// API).
type Recording struct {
	ID          int64 // the recording's id (<id>)
	UserID      int64 // the calling user
	DstUserID   int64 // the called user
	SrcDeviceID int64 // the calling device's id (<src_device_id>)
	DstDeviceID int64 // the called device's id (<dst_device_id>)
	// Time is when the recording was made, with the server's UTC offset.
	Time    time.Time
	Comment string // the recording's comment (<comment>)
	// Duration is the call's billed duration (0 when no call matches).
	Duration time.Duration
	// Source and Destination are the call's numbers ("" when no call
	// matches).
	Source      string // the call's calling number (<source>); empty when no call matches
	Destination string // the call's dialled number (<destination>); empty when no call matches
	// Size is the file size in bytes.
	Size int64
}

func (r *Recording) fields() []field {
	return []field{
		req("id", i64(&r.ID)),
		opt("user_id", i64(&r.UserID)),
		opt("dst_user_id", i64(&r.DstUserID)),
		opt("src_device_id", i64(&r.SrcDeviceID)),
		opt("dst_device_id", i64(&r.DstDeviceID)),
		req("date", datetime(&r.Time)),
		opt("comment", str(&r.Comment)),
		opt("duration", clockDuration(&r.Duration)),
		opt("source", str(&r.Source)),
		opt("destination", str(&r.Destination)),
		opt("size", wholeFloat(&r.Size)),
	}
}

// clockDuration stores "HH:MM:SS" or "MM:SS" (hours and minutes not
// capped); empty is 0.
func clockDuration(dst *time.Duration) setter {
	return func(t string) error {
		t = strings.TrimSpace(t)
		if t == "" {
			*dst = 0
			return nil
		}
		parts := strings.Split(t, ":")
		if len(parts) < 2 || len(parts) > 3 {
			return errors.New("not HH:MM:SS or MM:SS")
		}
		var total int64
		for i, p := range parts {
			n, err := strconv.ParseInt(p, 10, 64)
			if err != nil || n < 0 || i > 0 && n > 59 || len(p) < 2 {
				return errors.New("not HH:MM:SS or MM:SS")
			}
			total = total*60 + n
		}
		*dst = time.Duration(total) * time.Second
		return nil
	}
}

// wholeFloat stores a whole number written as a Ruby Float ("1024.0").
func wholeFloat(dst *int64) setter {
	return func(t string) error {
		d, err := ParseDecimal(t)
		if err != nil {
			return err
		}
		i := d.int()
		if d.scale > 0 {
			q, r := new(big.Int).QuoRem(i, pow10(int(d.scale)), new(big.Int))
			if r.Sign() != 0 || !q.IsInt64() {
				return errors.New("not a whole number of bytes")
			}
			*dst = q.Int64()
			return nil
		}
		if !i.IsInt64() {
			return errors.New("out of range")
		}
		*dst = i.Int64()
		return nil
	}
}

var recordingRecords = recordSpec[Recording]{
	record: "status/recordings/recording",
	fields: (*Recording).fields,
	empty:  []error{ErrRecordingsNotFound},
}

// Recordings lists call recordings; see AllRecordings, which streams.
// MOR: recordings_get (read; hash: the secret only; retried freely: it only
// reads).
func (s *CallsService) Recordings(ctx context.Context, p RecordingsParams) ([]Recording, error) {
	return collect(s.AllRecordings(ctx, p))
}

// AllRecordings streams the metadata of the call recordings made in the
// period, in recording id order, each as it is decoded. Admins (and
// accountants with the recordings right) see the recordings of the admin's
// users, resellers those of their users, users their own. "No Recordings
// found" is an empty list. An accountant without the right gets an error
// matching ErrNotAuthorized.
// MOR: recordings_get (read; hash: the secret only; retried freely while
// nothing has been yielded).
func (s *CallsService) AllRecordings(ctx context.Context, p RecordingsParams) iter.Seq2[Recording, error] {
	const method = "recordings_get"
	v, err := p.values(method)
	if err != nil {
		return errSeq[Recording](err)
	}
	return streamRecords(ctx, s.c, method, v, recordingRecords)
}

// QuickStats are the dashboard's call figures: this month and today, and
// (admin only) the calls in progress. Amounts are in the system's default
// currency, which the reply does not name, summed without rounding.
type QuickStats struct {
	ThisMonth QuickStatsPeriod // this month's figures (<this_month>)
	Today     QuickStatsPeriod // today's figures (<today>)
	// ActiveCalls is sent to the admin only; nil otherwise.
	ActiveCalls *ActiveCalls
}

// QuickStatsPeriod is one period's figures. Revenue, SelfCost and Profit
// are sent to admins and resellers only (nil for users).
type QuickStatsPeriod struct {
	// Unavailable is set when the server's statistics store failed for
	// this period (it then prints calls as "false").
	Unavailable bool
	Calls       int64         // number of calls (<calls>)
	Duration    time.Duration // total call duration (<duration>, seconds)
	Revenue     *Decimal      // revenue (<revenue>); nil for users
	SelfCost    *Decimal      // self cost (<self_cost>); nil for users
	Profit      *Decimal      // profit (<profit>); nil for users
}

// ActiveCalls counts the calls in progress.
type ActiveCalls struct {
	Total    int64 // calls in progress (<total>)
	Answered int64 // answered calls in progress (<answered_calls>)
}

func (q *QuickStatsPeriod) fields(prefix string) []field {
	return []field{
		req(prefix+"/calls", func(t string) error {
			if strings.TrimSpace(t) == "false" {
				q.Unavailable = true
				return nil
			}
			return i64(&q.Calls)(t)
		}),
		opt(prefix+"/duration", func(t string) error {
			var n int64
			err := i64(&n)(t)
			q.Duration = time.Duration(n) * time.Second
			return err
		}),
		opt(prefix+"/revenue", ptrDecimal(&q.Revenue)),
		opt(prefix+"/self_cost", ptrDecimal(&q.SelfCost)),
		opt(prefix+"/profit", ptrDecimal(&q.Profit)),
	}
}

// QuickStats returns the caller's call figures for this month and today,
// computed by the server's Elasticsearch. Accountants are refused (Access
// Denied); a server whose Elasticsearch is down answers "Cannot connect to
// Elasticsearch" (ErrStatsUnavailable).
// MOR: quickstats_get (read; hash: u, except that the admin's hash is over
// the secret alone; retried freely: it only reads).
func (s *CallsService) QuickStats(ctx context.Context) (*QuickStats, error) {
	const method = "quickstats_get"
	var out QuickStats
	var ac ActiveCalls
	sawActive := false
	fields := append(out.ThisMonth.fields("quickstats/this_month"), out.Today.fields("quickstats/today")...)
	fields = append(fields,
		opt("quickstats/active_calls/total", func(t string) error { sawActive = true; return i64(&ac.Total)(t) }),
		opt("quickstats/active_calls/answered_calls", func(t string) error { sawActive = true; return i64(&ac.Answered)(t) }),
	)
	err := s.c.do(ctx, method, url.Values{}, func(r io.Reader) error {
		return decodeFields(method, r, fields, false)
	})
	if err != nil {
		return nil, err
	}
	if sawActive {
		out.ActiveCalls = &ac
	}
	return &out, nil
}
