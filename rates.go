package mor

import (
	"context"
	"encoding/xml"
	"io"
	"iter"
	"net/url"
	"strconv"
	"strings"
)

// RatesService exports tariffs (rate decks), quotes the price of a number,
// imports retail rate tiers and creates or renames wholesale tariffs. Reach
// it as Client.Rates; it holds no state of its own.
//
// The legacy actions user_rates and dg_list_user_destinations have no typed
// call: they serve MOR's own pages, are not hash-checked, mark the caller
// as logged in, and crash on retail tariffs; send them with Client.Call if
// you must.
type RatesService service

// TariffExportParams choose whose tariff tariff_rates_get exports. With
// neither field the caller's own tariff (and custom rates) is exported.
type TariffExportParams struct {
	// UserID exports that user's tariff and custom rates (user_id, hashed).
	// The server checks no ownership: any caller may export any user's
	// tariff. Nil means not sent; 0 is the admin.
	UserID *int64 `url:"user_id,omitempty"`
	// TariffID exports that tariff (tariff_id, hashed) when UserID is not
	// set: the admin may export any tariff, a reseller its own (or any
	// non-provider tariff when the admin allows resellers the admin's
	// tariffs). Simple users and accountants always get their own tariff,
	// and then without their custom rates. 0 means not sent.
	TariffID int64 `url:"tariff_id,omitempty"`
}

// TariffBlock is one block of a tariff export: the user's custom rates or
// the tariff itself.
type TariffBlock struct {
	// Index is 0 for the first block of the reply, 1 for the second (a
	// reply has a second block only after a custom-rates block).
	Index int
	// Custom is true for the custom-rates block (the first block, named
	// "Custom Rates"). A tariff that is itself named "Custom Rates" and is
	// exported without custom rates cannot be told apart from it except
	// by its Purpose and by Wholesale.
	Custom bool
	// Name is the tariff's name ("Custom Rates" for the custom block).
	Name string
	// Purpose is "user" (retail), "user_wholesale" or "provider".
	Purpose string
	// Currency is the block's currency code: prices are in it.
	Currency string
}

// Wholesale reports whether the block's rates are per-prefix wholesale
// rates (as opposed to retail tiers per destination group).
func (b TariffBlock) Wholesale() bool { return b.Purpose != "user" }

// TariffRate is one rate of a tariff export. Retail and custom blocks fill
// DestinationGroup and the tier fields (From, Duration, Type, RoundBy);
// wholesale blocks fill Direction, Destination, Prefix, Code,
// ConnectionFee, Increment and MinTime. Both fill Price, StartTime, EndTime
// and DayType.
type TariffRate struct {
	Block TariffBlock // the export block the rate belongs to
	// HasDetails is false for a rate without any tier (every tier field
	// empty): a retail or custom destination group without tiers, or a
	// wholesale rate without a detail row.
	HasDetails bool

	DestinationGroup string // retail and custom: the destination group's name
	From             int64  // retail: the tier starts at this second of the call
	// Duration is the tier's length in seconds; -1 is "to infinity" (MOR
	// prints Infinity).
	Duration int64
	Type     string // retail: "minute" (per minute) or "event" (per call)
	RoundBy  int64  // retail: rounding in seconds

	Direction     string // wholesale: the direction (country) name
	Destination   string // wholesale: the destination name
	Prefix        string // wholesale: the dialled prefix
	Code          string // wholesale: the direction code, e.g. "AFG"
	ConnectionFee Money  // wholesale
	Increment     int64  // wholesale: billing increment in seconds
	MinTime       int64  // wholesale: minimum billed seconds

	// Price is the rate per minute (or per call for an event tier) in the
	// block's currency. Wholesale prices are rounded by the server to its
	// Nice_Number_Digits setting; retail and custom prices are exact.
	Price     Money
	StartTime string // "HH:MM:SS"
	EndTime   string // "HH:MM:SS"
	DayType   string // "" (every day), "WD" (work days) or "FD" (free days)
}

func (r *TariffRate) retailFields() []field {
	return []field{
		opt("duration", func(t string) error {
			if strings.TrimSpace(t) == "Infinity" {
				r.Duration = -1
				return nil
			}
			return i64(&r.Duration)(t)
		}),
		opt("type", trimmed(&r.Type)),
		opt("round_by", i64(&r.RoundBy)),
		opt("tariff_rate", money(&r.Price)),
		opt("start_time", trimmed(&r.StartTime)),
		opt("end_time", trimmed(&r.EndTime)),
		opt("daytype", trimmed(&r.DayType)),
		opt("from", i64(&r.From)),
	}
}

func (r *TariffRate) wholesaleFields() []field {
	return []field{
		opt("direction", str(&r.Direction)),
		opt("destination", str(&r.Destination)),
		opt("prefix", trimmed(&r.Prefix)),
		opt("code", trimmed(&r.Code)),
		opt("tariff_rate", money(&r.Price)),
		opt("con_fee", money(&r.ConnectionFee)),
		opt("increment", i64(&r.Increment)),
		opt("min_time", i64(&r.MinTime)),
		opt("start_time", trimmed(&r.StartTime)),
		opt("end_time", trimmed(&r.EndTime)),
		opt("daytype", trimmed(&r.DayType)),
	}
}

// Export returns every rate of a tariff export: ExportAll collected into a
// slice. MOR: tariff_rates_get (read; hash: user_id, tariff_id).
//
// Errors: ErrTariffNotFound ("No tariff found", after the custom rates when
// the user has custom rates but no tariff: Export then returns no rates;
// use ExportAll to keep them), ErrBadLogin. A tariff takes about 0.4 KB
// (retail tier) to 0.8 KB (wholesale rate) of XML before compression: raise
// WithMaxResponseBytes above its default for decks of more than about
// 40,000 rates, and prefer ExportAll, which holds one rate at a time.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *RatesService) Export(ctx context.Context, p TariffExportParams) ([]TariffRate, error) {
	return collect(s.ExportAll(ctx, p))
}

// ExportAll streams a tariff export: the user's custom rates (if any),
// then the tariff's rates, each as soon as it is decoded. MOR:
// tariff_rates_get (read; hash: user_id, tariff_id).
//
// The server sends the export as a zip archive, which must be received
// whole before its member can be read (the archive's directory is at its
// end); the member is then inflated and decoded as a stream, so memory
// holds the compressed archive (a few percent of the XML) and one rate.
// The archive counts against WithMaxResponseBytes, and so does the
// inflated document.
//
// Nothing is sent until the sequence is ranged over, and each range sends
// the request again. Breaking out of the loop stops decoding. An error is
// the last pair; "No tariff found" after custom rates comes after those
// rates, as ErrTariffNotFound.
//
// Read-only: retried with WithRetries, but only until the first rate has
// been yielded, so no rate is ever yielded twice.
func (s *RatesService) ExportAll(ctx context.Context, p TariffExportParams) iter.Seq2[TariffRate, error] {
	const method = "tariff_rates_get"
	params := url.Values{}
	if p.UserID != nil {
		if *p.UserID < 0 {
			return errSeq[TariffRate](&ValidationError{Method: method, Field: "user_id", Err: ErrExportUserIDInvalid})
		}
		params.Set("user_id", strconv.FormatInt(*p.UserID, 10))
	}
	if p.TariffID < 0 {
		return errSeq[TariffRate](&ValidationError{Method: method, Field: "tariff_id", Err: ErrTariffIDInvalid})
	}
	if p.TariffID > 0 {
		params.Set("tariff_id", strconv.FormatInt(p.TariffID, 10))
	}
	return func(yield func(TariffRate, error) bool) {
		yielded, stopped := false, false
		err := s.c.doStream(ctx, method, params, func(r io.Reader) error {
			return decodeTariff(method, r, func(v TariffRate) bool {
				yielded = true
				if !yield(v, nil) {
					stopped = true
					return false
				}
				return true
			})
		}, func() bool { return yielded })
		if stopped || err == nil || err == errStopped {
			return
		}
		yield(TariffRate{}, err)
	}
}

// errSeq is a sequence that yields only err.
func errSeq[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// decodeTariff walks a tariff_rates_get document: each pagename … rates
// group is a block; a retail <rate> sits in a <destination> container, a
// wholesale <rate> directly in <rates> (where <destination> is a leaf).
func decodeTariff(method string, r io.Reader, yield func(TariffRate) bool) error {
	var (
		block     TariffBlock
		blocks    int
		cur       TariffRate
		group     string
		groupRecs int
		hasText   bool // the current rate has a non-empty field
		firstBad  error
		stop      bool
		retail    = newTable(cur.retailFields())
		wholesale = newTable(cur.wholesaleFields())
	)
	emit := func(t *table) error {
		rec := cur
		rec.Block = block
		rec.DestinationGroup = group
		rec.Price.Currency = block.Currency
		rec.ConnectionFee.Currency = block.Currency
		rec.HasDetails = hasText
		hasText = false
		if !rec.HasDetails {
			rec.Price, rec.ConnectionFee = Money{Currency: block.Currency}, Money{Currency: block.Currency}
		}
		cur = TariffRate{}
		t.reset()
		if !yield(rec) {
			stop = true
			return errStopped
		}
		return nil
	}
	var texts struct{ name, purpose, currency string }
	w := walker{method: method}
	w.end = func(parent, name, text string) error {
		if len(w.errors) > 0 || firstBad != nil {
			return nil
		}
		p := w.path
		if len(p) == 2 {
			switch name {
			case "pagename":
				texts.name, texts.purpose, texts.currency = "", "", ""
			case "tariff_name":
				texts.name = text
			case "purpose":
				texts.purpose = strings.TrimSpace(text)
			case "currency":
				texts.currency = strings.TrimSpace(text)
				block = TariffBlock{Index: blocks, Name: texts.name, Purpose: texts.purpose, Currency: texts.currency}
				block.Custom = blocks == 0 && texts.name == "Custom Rates"
				blocks++
			}
			return nil
		}
		if len(p) < 3 || p[1] != "rates" {
			return nil
		}
		var err error
		switch {
		case len(p) == 3 && name == "destination": // a retail container closes
			if groupRecs == 0 {
				err = emit(retail)
			}
			group, groupRecs = "", 0
		case len(p) == 3 && name == "rate": // a wholesale rate closes
			err = emit(wholesale)
		case len(p) == 4 && p[2] == "destination" && name == "destination_group_name":
			group = text
		case len(p) == 4 && p[2] == "destination" && name == "rate":
			groupRecs++
			err = emit(retail)
		case len(p) == 5 && p[2] == "destination" && p[3] == "rate":
			hasText = hasText || strings.TrimSpace(text) != ""
			err = retail.set(method, name, text)
		case len(p) == 4 && p[2] == "rate":
			if name != "direction" && name != "destination" && name != "prefix" && name != "code" {
				hasText = hasText || strings.TrimSpace(text) != ""
			}
			err = wholesale.set(method, name, text)
		}
		if err != nil && err != errStopped && firstBad == nil {
			firstBad = err
			return nil
		}
		return err
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
	if firstBad != nil {
		return firstBad
	}
	if w.root != "page" || blocks == 0 {
		return unexpected(method, w.root, "no tariff and no error")
	}
	return nil
}

// RateQuote is a price for a dialled number (rate_get): the matched
// destination and its price per minute, in the tariff's currency (which
// MOR does not report).
type RateQuote struct {
	Price       Decimal // exact, as stored; the tariff's currency
	Destination string  // the matched destination's name
	Prefix      string  // the matched prefix
}

// RateParams are rate_get's parameters.
type RateParams struct {
	// Username is the account whose tariff is quoted (username, hashed).
	// Required, even for simple users, whose own tariff is always used.
	Username string
	// Number is the dialled number (prefix, not hashed); every non-digit is
	// dropped by the server. Required: it must hold a digit.
	Number string
}

func (p RateParams) values(method string, full bool) (url.Values, error) {
	switch {
	case strings.TrimSpace(p.Username) == "":
		return nil, &ValidationError{Method: method, Field: "username", Err: ErrRateUsernameEmpty}
	case !strings.ContainsAny(p.Number, "0123456789"):
		return nil, &ValidationError{Method: method, Field: "prefix", Err: ErrEmptyPrefix}
	}
	v := url.Values{"username": {p.Username}, "prefix": {p.Number}}
	if full {
		v.Set("by_full_dst", "1")
	}
	return v, nil
}

// Get quotes the price of a number in an account's tariff: the longest
// matching destination's rate (the account's custom rate for its group
// wins). MOR: rate_get (read; hash: username).
//
// Refusals: ErrFeatureDisabled (the admin's Devices_Check_Rate is off),
// ErrPrefixNotFound, ErrRateNotFound (also for the admin's or an
// accountant's own account), ErrUserNotFound, ErrUserBelongsToReseller
// (ask as the reseller), ErrNotAuthorized, ErrNotFound for "Destination
// Group was not found".
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *RatesService) Get(ctx context.Context, p RateParams) (*RateQuote, error) {
	qs, err := s.quote(ctx, p, false)
	if err != nil {
		return nil, err
	}
	if len(qs) != 1 {
		return nil, &ParseError{Method: "rate_get", Reason: strconv.Itoa(len(qs)) + " <rate> elements, want 1", Err: ErrUnexpectedResponse}
	}
	return &qs[0], nil
}

// Active returns every currently active rate for a number in all tariffs
// that apply to the account (rate_get with by_full_dst=1): for a simple
// user its own tariff, otherwise every tariff of the account's owner.
// MOR: rate_get (read; hash: username). An empty slice means rates exist
// but none is active yet; no rate at all is ErrRateNotFound.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *RatesService) Active(ctx context.Context, p RateParams) ([]RateQuote, error) {
	return s.quote(ctx, p, true)
}

func (s *RatesService) quote(ctx context.Context, p RateParams, full bool) ([]RateQuote, error) {
	const method = "rate_get"
	params, err := p.values(method, full)
	if err != nil {
		return nil, err
	}
	out := []RateQuote{}
	err = s.c.do(ctx, method, params, func(r io.Reader) error {
		out = out[:0]
		var bad error
		w := walker{method: method}
		w.end = func(parent, name, text string) error {
			if len(w.path) != 2 || name != "rate" || bad != nil {
				return nil
			}
			q, err := parseQuote(method, text)
			if err != nil {
				bad = err
				return nil
			}
			out = append(out, q)
			return nil
		}
		if err := w.run(r); err != nil {
			return err
		}
		if err := w.apiError(); err != nil {
			return err
		}
		if bad != nil {
			return bad
		}
		if w.root != "page" {
			return unexpected(method, w.root, "no <rate>")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// parseQuote reads "PRICE#NAME#PREFIX" (the name may itself hold '#').
func parseQuote(method, text string) (RateQuote, error) {
	price, rest, ok1 := strings.Cut(text, "#")
	i := strings.LastIndexByte(rest, '#')
	if !ok1 || i < 0 {
		return RateQuote{}, &ParseError{Method: method, Reason: "bad <rate>: want PRICE#NAME#PREFIX", Snippet: snippet([]byte(text)), Err: ErrUnexpectedResponse}
	}
	d, err := ParseDecimal(price)
	if err != nil {
		return RateQuote{}, &ParseError{Method: method, Reason: "bad <rate> price", Snippet: snippet([]byte(text)), Err: err}
	}
	return RateQuote{Price: d, Destination: rest[:i], Prefix: rest[i+1:]}, nil
}

// WholesaleTariffParams are tariff_wholesale_update's parameters.
type WholesaleTariffParams struct {
	// ID is the tariff to rename or re-currency (id, hashed); 0 creates a
	// new wholesale tariff owned by the caller.
	ID int64
	// Name is the tariff's name (name, hashed). Required to create; on an
	// update an empty Name is not sent and the name stays.
	Name string
	// Currency is a currency code (currency, hashed). The server stores any
	// text without checking it. Empty is not sent.
	Currency string
}

// UpdateWholesale creates a wholesale tariff (ID 0; the new id is
// returned) or renames / re-currencies one of the caller's wholesale
// tariffs (the same id is returned). Rates are not touched. MOR:
// tariff_wholesale_update (write; hash: name, id, currency).
//
// Refusals: ErrBadLogin (caller not admin, reseller or an accountant with
// tariff edit rights), ErrTariffNotFound (not the caller's wholesale
// tariff), ErrTariffNameTaken ("Name must be unique"), ErrInvalidParams
// ("Name cannot be blank"); validation messages are all in
// APIError.Messages.
//
// Never retried. A repeated create after an unseen success answers
// ErrTariffNameTaken (the first one worked); an update is idempotent and
// may simply be sent again.
func (s *RatesService) UpdateWholesale(ctx context.Context, p WholesaleTariffParams) (int64, error) {
	const method = "tariff_wholesale_update"
	switch {
	case p.ID < 0:
		return 0, &ValidationError{Method: method, Field: "id", Err: ErrTariffIDInvalid}
	case p.ID == 0 && strings.TrimSpace(p.Name) == "":
		return 0, &ValidationError{Method: method, Field: "name", Err: ErrTariffNameEmpty}
	}
	params := url.Values{"id": {strconv.FormatInt(p.ID, 10)}}
	if p.Name != "" {
		params.Set("name", p.Name)
	}
	if p.Currency != "" {
		params.Set("currency", p.Currency)
	}
	var id int64
	err := s.c.do(ctx, method, params, func(r io.Reader) error {
		var status, tid string
		var msgs []string
		var haveID bool
		w := walker{method: method}
		w.end = func(parent, name, text string) error {
			switch {
			case len(w.path) == 3 && parent == "error" && name == "message":
				msgs = append(msgs, strings.TrimSpace(text))
			case len(w.path) == 2 && name == "status":
				status = strings.TrimSpace(text)
			case len(w.path) == 2 && name == "tariff_id":
				tid, haveID = text, true
			}
			return nil
		}
		if err := w.run(r); err != nil {
			return err
		}
		if len(msgs) > 0 {
			return newAPIError(method, msgs)
		}
		if err := w.apiError(); err != nil {
			return err
		}
		if w.root != "page" || status != "ok" {
			return unexpected(method, w.root, "no <status>ok</status>")
		}
		id = p.ID
		if haveID {
			n, err := parseInt(tid)
			if err != nil || n <= 0 {
				return &ParseError{Method: method, Reason: "bad <tariff_id>", Snippet: snippet([]byte(tid)), Err: ErrUnexpectedResponse}
			}
			id = n
		} else if p.ID == 0 {
			return unexpected(method, w.root, "no <tariff_id> for a new tariff")
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// RetailImport is the document tariff_retail_import reads: a retail
// tariff (found by ID, or created when ID matches none) and tiers per
// destination group.
type RetailImport struct {
	// TariffID is the tariff to add tiers to; 0 (or an unknown id) creates
	// a retail tariff named TariffName owned by the caller. It is sent as
	// <id> and must not be empty.
	TariffID int64
	// TariffName must equal the tariff's stored name (exactly), or name the
	// new tariff. Required.
	TariffName string
	// Destinations are the destination groups to price, in order. Each
	// needs at least two Tiers: MOR crashes (an empty reply) on a group
	// with fewer, after writing the groups before it.
	Destinations []RetailDestination
}

// RetailDestination is one destination group of a retail import.
type RetailDestination struct {
	Group string       // the destination group's exact name
	Tiers []RetailTier // the group's rate tiers, at least two
}

// RetailTier is one rate tier of a destination group.
type RetailTier struct {
	Price     Decimal // per minute, or per call for an event tier
	RoundBy   int64   // seconds; must be positive
	Type      string  // "minute" or "event"
	StartTime string  // "HH:MM:SS"
	EndTime   string  // "HH:MM:SS"
	// Duration is the tier's length in seconds; -1 lasts to the end of the
	// call (and closes the group's tiers for that time range).
	Duration int64
	DayType  string // "", "WD" or "FD"
}

// RetailImportReport is what tariff_retail_import reports: the tariff and
// the parts of the document it did not apply.
type RetailImportReport struct {
	TariffID   int64  // the tariff's id (<tariff_id>)
	TariffName string // the tariff's name (<tariff_name>)
	// BadDestinations are groups that do not exist (or hold no
	// destination); nothing was written for them.
	BadDestinations []string
	// DayTypeCollisions are groups whose tiers mix day types with the
	// stored ones; their colliding tiers were dropped.
	DayTypeCollisions []string
	// BadRates are tiers that were not written (invalid values, a round-by
	// longer than the tier, a malformed time). MOR reports only those of the
	// last destination that had any.
	BadRates []BadRetailTier
	// CollisionsInXML and CollisionsInDB are the server's texts for tiers
	// dropped because their time ranges overlap ("G COLLISION IN 00:00:00
	// AND 07:59:59 TIME RANGE"); MOR keeps only the last destination's.
	CollisionsInXML []string
	CollisionsInDB  []string // the collision texts under <destination_with_time_collisions_in_db>
}

// BadRetailTier is a tier the import rejected, with its fields as sent.
type BadRetailTier struct {
	Group     string // the destination group's name (<destination_group_name>), as sent
	Price     string // the tier's price (<rate_price>), as sent
	RoundBy   string // the tier's round-by (<rate_round_by>), as sent
	Duration  string // the tier's duration (<rate_duration>), as sent
	Type      string // the tier's type (<rate_type>), as sent
	StartTime string // the tier's start time (<rate_start_time>), as sent
	EndTime   string // the tier's end time (<rate_end_time>), as sent
	DayType   string // the tier's day type (<day_type>), as sent
}

// ImportRetail creates a retail tariff and/or adds rate tiers to it from a
// typed document. MOR: tariff_retail_import (write; hash: the secret only,
// the document is not hashed).
//
// Before any I/O it refuses what the server would crash on or refuse: no
// TariffName, no Destinations, a destination without a group name or
// with fewer than two tiers, a tier with an unknown Type or DayType
// (ErrMissingParam / ErrInvalidParams as *ValidationError). Server
// refusals: ErrBadLogin, ErrTariffBelongsToOther, ErrTariffNameMismatch,
// ErrTariffNameTaken, ErrImportNoDestinations. Tiers the server did not
// apply are reported, not errors.
//
// Never retried, and not idempotent: a repeat can append further tiers
// with shifted start seconds. When InDoubt(err) is true, export the tariff
// with Export and compare before sending again.
func (s *RatesService) ImportRetail(ctx context.Context, doc RetailImport) (*RetailImportReport, error) {
	const method = "tariff_retail_import"
	if err := doc.validate(method); err != nil {
		return nil, err
	}
	body, err := doc.marshal()
	if err != nil {
		return nil, &ValidationError{Method: method, Field: "xml", Err: err}
	}
	var rep RetailImportReport
	err = s.c.do(ctx, method, url.Values{"xml": {body}}, func(r io.Reader) error {
		return decodeRetailReport(method, r, &rep)
	})
	if err != nil {
		return nil, err
	}
	return &rep, nil
}

func (doc RetailImport) validate(method string) error {
	bad := func(field string, err error) error { return &ValidationError{Method: method, Field: field, Err: err} }
	switch {
	case doc.TariffID < 0:
		return bad("id", ErrTariffIDInvalid)
	case strings.TrimSpace(doc.TariffName) == "":
		return bad("name", ErrTariffNameEmpty)
	case len(doc.Destinations) == 0:
		return bad("destinations", ErrImportNoDestinations)
	}
	for i, d := range doc.Destinations {
		where := "destinations[" + strconv.Itoa(i) + "]"
		if d.Group == "" {
			return bad(where+".destination_group_name", ErrInvalidParams)
		}
		if len(d.Tiers) < 2 {
			return bad(where+".rates", ErrTooFewTiers)
		}
		for j, t := range d.Tiers {
			tw := where + ".rates[" + strconv.Itoa(j) + "]"
			switch {
			case t.Type != "minute" && t.Type != "event":
				return bad(tw+".rate_type", ErrInvalidParams)
			case t.DayType != "" && t.DayType != "WD" && t.DayType != "FD":
				return bad(tw+".day_type", ErrInvalidParams)
			case t.StartTime == "" || t.EndTime == "":
				return bad(tw+".rate_start_time", ErrInvalidParams)
			}
		}
	}
	return nil
}

// marshal writes the import document.
func (doc RetailImport) marshal() (string, error) {
	type xrate struct {
		Price    string `xml:"rate_price"`
		Round    int64  `xml:"rate_round_by"`
		Type     string `xml:"rate_type"`
		Start    string `xml:"rate_start_time"`
		End      string `xml:"rate_end_time"`
		Duration int64  `xml:"rate_duration"`
		DayType  string `xml:"day_type"`
	}
	type xdest struct {
		Group string  `xml:"destination_group_name"`
		Rates []xrate `xml:"rates"`
	}
	type xtariff struct {
		XMLName xml.Name `xml:"tariff"`
		Name    string   `xml:"name"`
		ID      int64    `xml:"id"`
		Dests   []xdest  `xml:"destinations>destination"`
	}
	x := xtariff{Name: doc.TariffName, ID: doc.TariffID}
	for _, d := range doc.Destinations {
		xd := xdest{Group: d.Group}
		for _, t := range d.Tiers {
			xd.Rates = append(xd.Rates, xrate{Price: t.Price.String(), Round: t.RoundBy, Type: t.Type,
				Start: t.StartTime, End: t.EndTime, Duration: t.Duration, DayType: t.DayType})
		}
		x.Dests = append(x.Dests, xd)
	}
	b, err := xml.Marshal(x)
	return string(b), err
}

// decodeRetailReport reads tariff_retail_import's <response>.
func decodeRetailReport(method string, r io.Reader, rep *RetailImportReport) error {
	var (
		bad      BadRetailTier
		firstBad error
		sawID    bool
	)
	w := walker{method: method}
	w.end = func(parent, name, text string) error {
		p := w.path
		switch {
		case len(p) == 2 && name == "tariff_id":
			sawID = true
			n, err := parseInt(text)
			if err != nil && firstBad == nil {
				firstBad = &ParseError{Method: method, Reason: "bad <tariff_id>", Snippet: snippet([]byte(text)), Err: err}
			}
			rep.TariffID = n
		case len(p) == 2 && name == "tariff_name":
			rep.TariffName = text
		case len(p) == 4 && p[1] == "bad_destinations" && name == "destination_group_name":
			rep.BadDestinations = append(rep.BadDestinations, text)
		case len(p) == 4 && p[1] == "destination_with_day_type_collision" && name == "destination_group_name":
			rep.DayTypeCollisions = append(rep.DayTypeCollisions, text)
		case len(p) == 4 && p[1] == "destination_with_bad_rates":
			switch name {
			case "destination_group_name":
				bad.Group = text
			case "rate_price":
				bad.Price = text
			case "rate_round_by":
				bad.RoundBy = text
			case "rate_duration":
				bad.Duration = text
			case "rate_type":
				bad.Type = text
			case "rate_start_time":
				bad.StartTime = text
			case "rate_end_time":
				bad.EndTime = text
			case "day_type":
				bad.DayType = text
			}
		case len(p) == 3 && p[1] == "destination_with_bad_rates" && name == "destination":
			rep.BadRates = append(rep.BadRates, bad)
			bad = BadRetailTier{}
		case len(p) == 4 && p[1] == "destination_with_time_collisions_in_xml" && name == "collision_in_time_range":
			rep.CollisionsInXML = append(rep.CollisionsInXML, text)
		case len(p) == 4 && p[1] == "destination_with_time_collisions_in_db" && name == "collision_in_time_range":
			rep.CollisionsInDB = append(rep.CollisionsInDB, text)
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
	if w.root != "response" || !sawID {
		return unexpected(method, w.root, "no <tariff_id>")
	}
	return nil
}
