package mortest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The rate tables of the calls, rates and system group: destinations and
// their groups, the rates of each tariff with their wholesale
// (ratedetails) and retail (aratedetails) tiers, users' custom rates, and
// the seeded generator that stands in for a large tariff.

// DestinationGroup is one row of destinationgroups (retail tariffs price
// groups of destinations).
type DestinationGroup struct {
	ID   int64  // primary key (id)
	Name string // the group's name (name)
	Flag string // flag (flag)
}

func (g *DestinationGroup) key() *int64             { return &g.ID }
func (*DestinationGroup) tableName() string         { return "destinationgroups" }
func (g *DestinationGroup) clone() DestinationGroup { return *g }

// Destination is one row of destinations: a dialling prefix of a
// direction (by code), optionally in a destination group.
type Destination struct {
	ID                 int64  // primary key (id)
	Prefix             string // dialling prefix (prefix)
	DirectionCode      string // the direction's code, e.g. "LTU" (direction_code)
	Name               string // name (name)
	DestinationGroupID int64  // destination group (destinationgroup_id); 0: none
}

func (d *Destination) key() *int64        { return &d.ID }
func (*Destination) tableName() string    { return "destinations" }
func (d *Destination) clone() Destination { return *d }

// Rate is one row of rates: a wholesale rate (DestinationID) or a retail
// group rate (DestinationGroupID, DestinationID 0) of a tariff.
type Rate struct {
	ID                 int64  // primary key (id)
	TariffID           int64  // the tariff (tariff_id)
	DestinationID      int64  // the destination (destination_id); 0 for a group rate
	DestinationGroupID int64  // the destination group (destinationgroup_id)
	Prefix             string // prefix (prefix)
}

func (r *Rate) key() *int64     { return &r.ID }
func (*Rate) tableName() string { return "rates" }
func (r *Rate) clone() Rate     { return *r }

// RateDetail is one row of ratedetails, a wholesale tier of a rate.
// Rate and ConnectionFee are doubles on the server, kept exact here.
type RateDetail struct {
	ID            int64   // primary key (id)
	RateID        int64   // the rate (rate_id)
	StartTime     string  // "00:00:00"
	EndTime       string  // "23:59:59"
	Rate          Decimal // price per minute (rate)
	ConnectionFee Decimal // connection fee (connection_fee)
	IncrementS    int64   // billing increment in seconds (increment_s)
	MinTime       int64   // minimum billed time in seconds (min_time)
	DayType       string  // "", "WD" or "FD"
}

func (d *RateDetail) key() *int64       { return &d.ID }
func (*RateDetail) tableName() string   { return "ratedetails" }
func (d *RateDetail) clone() RateDetail { return *d }

// ARateDetail is one row of aratedetails, a retail tier of a group rate;
// as a custom tier (acustratedetails) RateID holds the customrates id.
type ARateDetail struct {
	ID        int64   // primary key (id)
	RateID    int64   // the rate (rate_id), or the customrates id for a custom tier
	From      int64   // the tier's start, in seconds of the call (from)
	Duration  int64   // -1: to infinity
	ArType    string  // "minute" or "event"
	Round     int64   // round-by in seconds (round)
	Price     Decimal // price per minute, or per call for an event tier (price)
	StartTime string  // start_time, "HH:MM:SS"
	EndTime   string  // end_time, "HH:MM:SS"
	DayType   string  // daytype: "", "WD" or "FD"
}

func (d *ARateDetail) key() *int64        { return &d.ID }
func (*ARateDetail) tableName() string    { return "aratedetails" }
func (d *ARateDetail) clone() ARateDetail { return *d }

// CustomRate is one row of customrates: a user's own price for a
// destination group; its tiers are CustomRateDetails with RateID = ID.
type CustomRate struct {
	ID                 int64 // primary key (id)
	UserID             int64 // the user (user_id)
	DestinationGroupID int64 // the destination group (destinationgroup_id)
}

func (c *CustomRate) key() *int64       { return &c.ID }
func (*CustomRate) tableName() string   { return "customrates" }
func (c *CustomRate) clone() CustomRate { return *c }

// custDetail is an ARateDetail stored in acustratedetails (its own id
// sequence).
type custDetail struct{ ARateDetail }

func (d *custDetail) key() *int64       { return &d.ID }
func (*custDetail) tableName() string   { return "acustratedetails" }
func (d *custDetail) clone() custDetail { return *d }

// AsteriskServer is one row of servers as callback_init reads it.
type AsteriskServer struct {
	ID     int64  // primary key (id)
	IP     string // the server's IP address (server_ip)
	Active bool   // only an active server takes callbacks
}

func (a *AsteriskServer) key() *int64           { return &a.ID }
func (*AsteriskServer) tableName() string       { return "servers" }
func (a *AsteriskServer) clone() AsteriskServer { return *a }

// EmailTemplate is one row of emails: a named template of an owner (0 for
// the admin, else a reseller). Body uses <%= name %> tags.
type EmailTemplate struct {
	ID      int64  // primary key (id)
	Name    string // the template's name
	OwnerID int64  // owner: 0 the admin, else a reseller
	Subject string // subject
	Body    string // body, with <%= name %> tags
}

func (e *EmailTemplate) key() *int64          { return &e.ID }
func (*EmailTemplate) tableName() string      { return "emails" }
func (e *EmailTemplate) clone() EmailTemplate { return *e }

// Seeding and inspection.

// AddDestinationGroup stores g (id 0: the next id) and returns its id.
func (s *Server) AddDestinationGroup(g DestinationGroup) int64 {
	return addRow(s, s.st.destGroups, g)
}

// DestinationGroups returns every destination group in id order.
func (s *Server) DestinationGroups() []DestinationGroup { return listRows(s, s.st.destGroups) }

// AddDestination stores d (id 0: the next id) and returns its id.
func (s *Server) AddDestination(d Destination) int64 { return addRow(s, s.st.destinations, d) }

// Destinations returns every destination in id order.
func (s *Server) Destinations() []Destination { return listRows(s, s.st.destinations) }

// AddRate stores r (id 0: the next id) and returns its id.
func (s *Server) AddRate(r Rate) int64 { return addRow(s, s.st.rates, r) }

// Rates returns every rate in id order.
func (s *Server) Rates() []Rate { return listRows(s, s.st.rates) }

// AddRateDetail stores a wholesale tier (id 0: the next id) and returns its id.
func (s *Server) AddRateDetail(d RateDetail) int64 { return addRow(s, s.st.rateDetails, d) }

// RateDetails returns every wholesale tier in id order.
func (s *Server) RateDetails() []RateDetail { return listRows(s, s.st.rateDetails) }

// AddARateDetail stores a retail tier (id 0: the next id) and returns its id.
func (s *Server) AddARateDetail(d ARateDetail) int64 { return addRow(s, s.st.aRateDetails, d) }

// ARateDetails returns every retail tier in id order.
func (s *Server) ARateDetails() []ARateDetail { return listRows(s, s.st.aRateDetails) }

// AddCustomRate stores a user's custom rate (id 0: the next id) and
// returns its id.
func (s *Server) AddCustomRate(c CustomRate) int64 { return addRow(s, s.st.customRates, c) }

// AddCustomRateDetail stores a tier of a custom rate (d.RateID is the
// customrates id) and returns its id.
func (s *Server) AddCustomRateDetail(d ARateDetail) int64 {
	return addRow(s, s.st.custDetails, custDetail{d})
}

// AddAsteriskServer stores a servers row (id 0: the next id).
func (s *Server) AddAsteriskServer(a AsteriskServer) int64 { return addRow(s, s.st.servers, a) }

// UpdateAsteriskServer changes the servers row id; false when it does not exist.
func (s *Server) UpdateAsteriskServer(id int64, fn func(*AsteriskServer)) bool {
	return updateRow(s, s.st.servers, id, fn)
}

// AddEmailTemplate stores an e-mail template (id 0: the next id).
func (s *Server) AddEmailTemplate(e EmailTemplate) int64 { return addRow(s, s.st.emails, e) }

// Originate is one AMI Originate the fake's callback_init handed over (the
// real server sends it to Asterisk; nothing is written to its database).
type Originate struct {
	ServerID int64  // the Asterisk server (servers.id)
	Channel  string // Local/<src>@mor_cb_src/n
	Context  string // mor_cb_dst, or mor_cb_dst_ask without a destination
	Exten    string // extension dialled
	Account  int64  // the device id
	CallerID string // the caller ID sent
	// Variables are the channel variables, in the order sent.
	Variables []string
}

// Originates returns the callbacks handed over so far, oldest first.
func (s *Server) Originates() []Originate {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Originate, len(s.st.originates))
	for i, o := range s.st.originates {
		o.Variables = append([]string(nil), o.Variables...)
		out[i] = o
	}
	return out
}

// SentEmail is one e-mail email_send sent (the fake keeps it instead).
type SentEmail struct {
	Template string // the template's name
	To       string // the recipient's address
	UserID   int64  // the recipient user's id
	Body     string // rendered
}

// SentEmails returns the e-mails sent so far, oldest first.
func (s *Server) SentEmails() []SentEmail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentEmail(nil), s.st.sentEmails...)
}

// rateTables are the group's tables, part of state.
type rateTables struct {
	destGroups   table[DestinationGroup]
	destinations table[Destination]
	rates        table[Rate]
	rateDetails  table[RateDetail]
	aRateDetails table[ARateDetail]
	customRates  table[CustomRate]
	custDetails  table[custDetail]
	servers      table[AsteriskServer]
	emails       table[EmailTemplate]
	decks        map[int64]RateDeck // tariff id → generated rates
	originates   []Originate
	sentEmails   []SentEmail
}

func newRateTables() rateTables {
	return rateTables{
		destGroups: table[DestinationGroup]{}, destinations: table[Destination]{}, rates: table[Rate]{},
		rateDetails: table[RateDetail]{}, aRateDetails: table[ARateDetail]{}, customRates: table[CustomRate]{},
		custDetails: table[custDetail]{}, servers: table[AsteriskServer]{}, emails: table[EmailTemplate]{},
		decks: map[int64]RateDeck{},
	}
}

// RateDeck is a generated rate deck: N rates computed from Seed when a
// tariff is exported, so that a test can export 100,000 rates without the
// fake storing them. A tariff with a deck exports the deck instead of its
// stored rates, in its purpose's layout: one wholesale rate, or one retail
// tier (one per destination group), per index.
type RateDeck struct {
	N    int    // how many rates the deck has
	Seed uint64 // seed of the generator
}

// SetRateDeck makes tariff id export deck instead of its stored rates; a
// zero deck removes it.
func (s *Server) SetRateDeck(tariffID int64, deck RateDeck) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if deck.N <= 0 {
		delete(s.st.decks, tariffID)
		return
	}
	s.st.decks[tariffID] = deck
}

// DeckRate is rate i of a generated deck (DeckRateAt), with every value
// as the export prints it.
type DeckRate struct {
	Direction   string // the direction's name
	Destination string // the destination's name
	Prefix      string // dialling prefix
	Code        string // the direction's code
	// Rate and ConnectionFee are exact decimals of at most 4 places.
	Rate          Decimal // price per minute
	ConnectionFee Decimal // connection fee
	Increment     int64   // billing increment in seconds
	MinTime       int64   // minimum billed time in seconds
	StartTime     string  // start time, "HH:MM:SS"
	EndTime       string  // end time, "HH:MM:SS"
	DayType       string  // day type: "", "WD" or "FD"
	// GroupName, Duration, ArType, Round and From are the retail layout's
	// (the group is Direction's name).
	GroupName string
	Duration  int64  // retail: tier duration in seconds
	ArType    string // retail: "minute" or "event"
	Round     int64  // retail: round-by in seconds
	From      int64  // retail: the tier's start in seconds
}

// DeckRateAt returns rate i (0-based) of the deck with seed: the same
// values every time, in export order (direction names sort as i does).
func DeckRateAt(seed uint64, i int) DeckRate {
	h := splitmix(seed ^ uint64(i)*0x9E3779B97F4A7C15)
	cents := int64(h % 100000)    // 0.0000 … 9.9999
	fee := int64((h >> 20) % 500) // 0.0000 … 0.0499
	dir := fmt.Sprintf("Direction %07d", i)
	d := DeckRate{
		Direction:     dir,
		Destination:   dir + " Mobile & Fixed",
		Prefix:        strconv.Itoa(100000 + i),
		Code:          "D" + strconv.Itoa(i%1000),
		Rate:          Decimal(decimalText(cents, 4)),
		ConnectionFee: Decimal(decimalText(fee, 4)),
		Increment:     1 + int64((h>>30)%60),
		MinTime:       int64((h >> 40) % 30),
		StartTime:     "00:00:00",
		EndTime:       "23:59:59",
		DayType:       []string{"", "WD", "FD"}[(h>>50)%3],
		GroupName:     dir,
		Duration:      -1,
		ArType:        []string{"minute", "event"}[(h>>52)%2],
		Round:         1 + int64((h>>54)%10),
		From:          1,
	}
	return d
}

func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

// decimalText writes n × 10^-places in plain notation with the places kept.
func decimalText(n int64, places int) string {
	s := strconv.FormatInt(n, 10)
	for len(s) <= places {
		s = "0" + s
	}
	return s[:len(s)-places] + "." + s[len(s)-places:]
}

// rubyFloat prints a double as Ruby's Float#to_s: the shortest text that
// reads back, ".0" on integral values, exponent form below 1e-4 and from
// 1e16 (and from 1e15 when the digits do not reach past the point).
func rubyFloat(d Decimal) string {
	r, ok := d.Rat()
	if !ok {
		return string(d)
	}
	f, _ := r.Float64()
	if d != "" && d[0] == '-' && f == 0 {
		f = math.Copysign(0, -1)
	}
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case math.IsNaN(f):
		return "NaN"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	mant, expText, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expText)
	digits := strings.Replace(mant, ".", "", 1)
	decpt := exp + 1
	if decpt < -3 || decpt > 16 || decpt >= 16 && len(digits) <= decpt {
		m := digits[:1] + "." + digits[1:]
		if len(digits) == 1 {
			m += "0"
		}
		es := "+"
		if exp < 0 {
			es, exp = "-", -exp
		}
		return fmt.Sprintf("%s%se%s%02d", sign, m, es, exp)
	}
	switch {
	case decpt <= 0:
		return sign + "0." + strings.Repeat("0", -decpt) + digits
	case decpt >= len(digits):
		return sign + digits + strings.Repeat("0", decpt-len(digits)) + ".0"
	}
	return sign + digits[:decpt] + "." + digits[decpt:]
}

// niceNumber is nice_number of a stored value with the admin's
// Nice_Number_Digits, by the one rule in payments.go (niceNumber).
func (st *state) niceNumber(d Decimal) string {
	f, _ := strconv.ParseFloat(string(d), 64)
	return niceNumber(f, st.niceDigits())
}

// cgiEscape is Ruby's CGI.escapeHTML.
var cgiEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace
