package mortest

import (
	"cmp"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// CDR is one row of the calls table, the columns user_calls_get,
// recordings_get and quickstats_get read. CallDate is the server-local
// wall-clock time the row stores (its location is ignored: the fake reads
// the wall clock). Prices are MySQL doubles; nil is NULL.
type CDR struct {
	ID           int64     // primary key (id)
	CallDate     time.Time // when the call started, server-local wall clock (calldate)
	CLID         string    // caller ID (clid)
	Src          string    // calling number (src)
	LocalizedDst string    // dialled number after localization (localized_dst)
	Prefix       *string   // destination prefix (prefix); nil is NULL
	Disposition  string    // ANSWERED, NO ANSWER, BUSY, FAILED
	HangupCause  int64     // 16 is a normal clearing
	Duration     int64     // call length in seconds (duration)
	Billsec      int64     // billed seconds (billsec)
	RealBillsec  float64   // real_billsec
	UserBillsec  int64     // user_billsec
	UniqueID     string    // Asterisk's unique id (uniqueid)
	SrcDeviceID  int64     // calling device (src_device_id)
	DstDeviceID  int64     // called device (dst_device_id)
	UserID       int64     // -1: no originating user (incoming)
	DstUserID    int64     // called user (dst_user_id)
	ResellerID   int64     // reseller (reseller_id)
	PartnerID    int64     // partner (partner_id)
	CardID       int64     // calling card (card_id)
	ProviderID   int64     // terminating provider (provider_id)
	DIDID        int64     // DID (did_id)
	ServerID     *int64    // server (server_id); nil is NULL
	Callertype   string    // Local or Outside

	ProviderRate  *float64 // provider_rate; nil is NULL
	ProviderPrice *float64 // provider_price; nil is NULL
	UserRate      *float64 // user_rate; nil is NULL
	UserPrice     *float64 // user_price; nil is NULL
	ResellerRate  *float64 // reseller_rate; nil is NULL
	ResellerPrice *float64 // reseller_price; nil is NULL
	PartnerPrice  *float64 // partner_price; nil is NULL
	DIDPrice      float64  // did_price
	DIDIncPrice   *float64 // did_inc_price; nil is NULL
	DIDProvPrice  *float64 // did_prov_price; nil is NULL
}

func (c *CDR) key() *int64                  { return &c.ID }
func (*CDR) tableName() string              { return "calls" }
func (c *CDR) clone() CDR                   { v := *c; return v }
func (r *RecordingRow) key() *int64         { return &r.ID }
func (*RecordingRow) tableName() string     { return "recordings" }
func (r *RecordingRow) clone() RecordingRow { v := *r; return v }

// RecordingRow is one row of the recordings table (metadata only).
// DateTime is a server-local wall-clock time.
type RecordingRow struct {
	ID          int64     // primary key (id)
	DateTime    time.Time // when it was recorded, server-local wall clock (datetime)
	SrcDeviceID int64     // calling device (src_device_id)
	DstDeviceID int64     // called device (dst_device_id)
	UserID      int64     // calling user (user_id)
	DstUserID   int64     // called user (dst_user_id)
	UniqueID    string    // the call's unique id (uniqueid)
	Comment     *string   // comment (comment); nil is NULL
	Size        float64   // file size in bytes (size)
}

// callsState is the calls group's part of the state: its tables, the
// synthetic call generator and the settings no other group reads.
type callsState struct {
	calls      table[CDR]
	recordings table[RecordingRow]
	gen        *CallGenerator
	noBilling  map[int64]bool // users with show_billing_info = 0
	esDown     bool
	active     []ActiveCall
}

// ActiveCall is one row of activecalls (quickstats_get's active_calls).
type ActiveCall struct {
	Start    time.Time // when the call started
	Answered bool      // the call was answered
}

func (st *state) callsTables() *callsState {
	if st.calls == nil {
		st.calls = &callsState{calls: table[CDR]{}, recordings: table[RecordingRow]{}, noBilling: map[int64]bool{}}
	}
	return st.calls
}

// AddCDR stores a call row, replacing any with the same ID, and returns its
// ID; an ID of 0 is assigned the next free one.
func (s *Server) AddCDR(v CDR) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return put(s.st, s.st.callsTables().calls, v, true)
}

// CDRs returns a copy of every stored call row, in id order (generated
// calls are not stored and not included).
func (s *Server) CDRs() []CDR {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CDR
	for _, r := range sortedRows(s.st.callsTables().calls, nil) {
		out = append(out, r.clone())
	}
	return out
}

// RemoveCDR deletes a call row. It reports whether it existed.
func (s *Server) RemoveCDR(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.st.callsTables().calls
	_, ok := t[id]
	delete(t, id)
	return ok
}

// AddRecording stores a recordings row and returns its ID (0 takes the
// next free one).
func (s *Server) AddRecording(v RecordingRow) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return put(s.st, s.st.callsTables().recordings, v, true)
}

// Recordings returns a copy of every recordings row, in id order.
func (s *Server) Recordings() []RecordingRow {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []RecordingRow
	for _, r := range sortedRows(s.st.callsTables().recordings, nil) {
		out = append(out, r.clone())
	}
	return out
}

// SetShowBillingInfo sets a user's show_billing_info (on by default),
// which decides whether resellers and users see prices in user_calls_get.
func (s *Server) SetShowBillingInfo(userID int64, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if on {
		delete(s.st.callsTables().noBilling, userID)
	} else {
		s.st.callsTables().noBilling[userID] = true
	}
}

// SetElasticsearchDown makes quickstats_get's Elasticsearch gate fail
// ("Cannot connect to Elasticsearch"), as when ES_IP is unreachable.
func (s *Server) SetElasticsearchDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.callsTables().esDown = down
}

// SetActiveCalls replaces the activecalls rows.
func (s *Server) SetActiveCalls(rows []ActiveCall) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.callsTables().active = slices.Clone(rows)
}

// CallGenerator produces synthetic call rows on demand, so that a test can
// ask for a million calls over a month without storing them: call i
// (0 ≤ i < N) falls at wall-clock second From + i·span/N (span = Till −
// From in seconds, so several calls share a second when N exceeds it), and
// its other columns follow from Seed and i alone. Generated calls have ids
// from GeneratedIDBase on and belong to the users given (all simple users
// of the world when empty), in turn.
type CallGenerator struct {
	N          int64     // how many calls it produces
	From       time.Time // start of the span, a wall-clock time of the server's zone
	Till       time.Time // end of the span, a wall-clock time of the server's zone
	Seed       uint64    // seed of the generator
	users      []genUser
	from, till int64 // wall seconds
}

// GeneratedIDBase is the id of the first generated call.
const GeneratedIDBase = 1_000_000_000

type genUser struct{ id, owner, device int64 }

// GenerateCalls installs a generator of n calls spread evenly from from to
// till (wall-clock times of the server's zone, both inclusive) with the
// given seed, replacing any previous generator. Generated calls come after
// the stored ones that share their second. n = 0 removes the generator.
func (s *Server) GenerateCalls(n int64, from, till time.Time, seed uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.st.callsTables()
	if n <= 0 {
		cs.gen = nil
		return
	}
	g := &CallGenerator{N: n, From: from, Till: till, Seed: seed, from: wallSeconds(from), till: wallSeconds(till)}
	for _, u := range sortedRows(s.st.users, func(u *User) bool { return u.Type == SimpleUser }) {
		dev := int64(0)
		for _, d := range s.st.sortedDevices(func(d *Device) bool { return d.UserID == u.ID }) {
			dev = d.ID
			break
		}
		g.users = append(g.users, genUser{u.ID, u.OwnerID, dev})
	}
	if len(g.users) == 0 {
		g.users = []genUser{{0, 0, 0}}
	}
	cs.gen = g
}

// wallSeconds is t's wall-clock time as seconds (civil time as if UTC).
func wallSeconds(t time.Time) int64 {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC).Unix()
}

// at returns the wall second of call i.
func (g *CallGenerator) at(i int64) int64 {
	span := g.till - g.from + 1
	return g.from + i*span/g.N
}

// first returns the first index whose second is ≥ w.
func (g *CallGenerator) first(w int64) int64 {
	lo, hi := int64(0), g.N
	for lo < hi {
		mid := lo + (hi-lo)/2
		if g.at(mid) >= w {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

var (
	genDispositions = []string{"ANSWERED", "ANSWERED", "ANSWERED", "ANSWERED", "NO ANSWER", "BUSY", "FAILED"}
	genPrefixes     = []string{"370", "3706", "1231", "44", "49"}
)

// call builds call i.
func (g *CallGenerator) call(i int64) CDR {
	h := fnv.New64a()
	var b [16]byte
	for k := range 8 {
		b[k] = byte(g.Seed >> (8 * k))
		b[8+k] = byte(i >> (8 * k))
	}
	_, _ = h.Write(b[:])
	r := rand.New(rand.NewPCG(h.Sum64(), g.Seed))
	u := g.users[i%int64(len(g.users))]
	disp := genDispositions[r.IntN(len(genDispositions))]
	hgc := int64(16)
	billsec := int64(0)
	if disp == "ANSWERED" {
		billsec = int64(r.IntN(600))
	} else {
		hgc = []int64{17, 19, 21}[r.IntN(3)]
	}
	prefix := genPrefixes[r.IntN(len(genPrefixes))]
	dst := prefix + strconv.Itoa(1000000+r.IntN(9000000))
	rate := float64(r.IntN(10000)) / 10000
	f := func(v float64) *float64 { return &v }
	price := rate * float64(billsec) / 60
	server := int64(1)
	reseller := int64(0)
	if u.owner != 0 {
		reseller = u.owner
	}
	return CDR{
		ID:           GeneratedIDBase + i,
		CallDate:     time.Unix(g.at(i), 0).UTC(),
		CLID:         strconv.Itoa(100 + r.IntN(900)),
		Src:          strconv.Itoa(100 + r.IntN(900)),
		LocalizedDst: dst,
		Prefix:       &prefix,
		Disposition:  disp,
		HangupCause:  hgc,
		Duration:     billsec + int64(r.IntN(20)),
		Billsec:      billsec,
		RealBillsec:  float64(billsec),
		UserBillsec:  billsec,
		UniqueID:     strconv.FormatInt(1700000000+i, 10) + "." + strconv.Itoa(r.IntN(100)),
		SrcDeviceID:  u.device,
		UserID:       u.id,
		ResellerID:   reseller,
		ProviderID:   1,
		ServerID:     &server,
		Callertype:   "Local",
		ProviderRate: f(rate / 2), ProviderPrice: f(price / 2),
		UserRate: f(rate), UserPrice: f(price),
		ResellerRate: f(rate * 0.8), ResellerPrice: f(price * 0.8),
		DIDPrice: 0, DIDIncPrice: f(0), DIDProvPrice: f(0),
	}
}

// sortCDRs orders stored rows by calldate, then id.
func sortCDRs(rows []*CDR) {
	slices.SortFunc(rows, func(a, b *CDR) int {
		if c := cmp.Compare(wallSeconds(a.CallDate), wallSeconds(b.CallDate)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// loadCallsWorld adds the test database's calls (ids 9–28) and recordings
// (1–8). Every call: provider 1, provider/user/reseller rates 0, user
// billsec 1, hangup cause 16, real billsec 1 (0 for call 14).
func (s *Server) loadCallsWorld() {
	loc := s.loc
	f := func(v float64) *float64 { return &v }
	str := func(v string) *string { return &v }
	type crow struct {
		id                                   int64
		date                                 string
		clid, src, dst, disp                 string
		duration, billsec                    int64
		uniqueid                             string
		srcDev, dstDev, user, dstUser, resel int64
		card, did                            int64
		prefix                               string
		server                               int64
		callertype                           string
		prov, userP, reselP, didP, didInc    float64
	}
	const out = "37046246362"
	rows := []crow{
		{9, "2009-01-01 00:00:01", "", "101", "123123", "ANSWERED", 10, 20, "1232113370.3", 5, 0, 0, 0, 0, 0, 0, "1231", 1, "Local", 1, 2, 0, 0, 0},
		{10, "2009-01-01 00:00:02", "", "101", "123123", "ANSWERED", 20, 30, "1232113371.3", 6, 0, 2, 0, 0, 0, 0, "1231", 1, "Local", 1, 3, 0, 0, 0},
		{11, "2009-01-01 00:00:03", "", "101", "123123", "ANSWERED", 30, 40, "1232113372.3", 7, 0, 3, 0, 0, 0, 0, "1231", 1, "Local", 1, 4, 0, 0, 0},
		{12, "2009-01-01 00:00:04", "", "101", "123123", "ANSWERED", 40, 50, "1232113373.3", 2, 0, 5, 0, 3, 0, 0, "1231", 1, "Local", 1, 5, 4, 0, 0},
		{13, "2009-01-02 00:00:01", out, out, "37063042438", "ANSWERED", 10, 20, "1232113374.3", 1, 5, -1, 0, 0, 0, 1, "3706", 1, "Outside", 1, 2, 0, 1, 1},
		{14, "2009-01-02 00:00:02", out, out, "37063042438", "ANSWERED", 20, 30, "1232113375.3", 1, 4, -1, 2, 0, 0, 1, "3706", 1, "Outside", 1, 3, 0, 1, 2},
		{15, "2009-01-02 00:00:03", out, out, "37063042438", "ANSWERED", 30, 40, "1232113376.3", 1, 6, -1, 3, 0, 0, 1, "3706", 1, "Outside", 1, 4, 0, 1, 3},
		{16, "2009-01-02 00:00:04", out, out, "37063042438", "ANSWERED", 40, 50, "1232113377.3", 1, 7, -1, 5, 3, 0, 1, "3706", 1, "Outside", 1, 5, 4, 1, 4},
		{17, "2008-01-01 00:00:01", out, out, "37063042438", "ANSWERED", 10, 20, "1232113374.3", 5, 0, -1, 0, 0, 0, 0, "3706", 0, "Outside", 1, 2, 0, 0, 1},
		{18, "2008-01-01 00:00:02", out, out, "37063042438", "ANSWERED", 20, 30, "1232113375.3", 4, 0, -1, 0, 0, 0, 0, "3706", 0, "Outside", 1, 3, 0, 0, 2},
		{19, "2008-01-01 00:00:03", out, out, "37063042438", "ANSWERED", 30, 40, "1232113376.3", 6, 0, -1, 0, 0, 0, 0, "3706", 0, "Outside", 1, 4, 0, 0, 3},
		{20, "2008-01-01 00:00:04", out, out, "37063042438", "ANSWERED", 40, 50, "1232113377.3", 7, 0, -1, 0, 3, 0, 0, "3706", 0, "Outside", 1, 5, 4, 0, 4},
		{21, "2007-01-02 00:00:02", `"Test" <37046246362>`, out, "37063042438", "ANSWERED", 20, 30, "1232113375.3", 1, 4, -1, 2, 0, 0, 1, "3706", 1, "Outside", 1, 3, 0, 1, 2},
		{22, "2010-02-18 00:00:01", out, out, "37063042438", "BUSY", 0, 0, "1232113377.3", 2, 0, 2, 0, 3, 0, 0, "3706", 0, "Outside", 1, 0, 0, 0, 4},
		{23, "2008-01-01 00:00:04", out, out, "37063042438", "ANSWERED", 40, 50, "1232113377.3", 2, 0, 2, 0, 3, 0, 0, "3706", 0, "Outside", 1, 5, 4, 0, 4},
		{24, "2010-02-18 00:00:01", out, out, "37063042438", "BUSY", 40, 50, "1232113377.3", 7, 0, 5, 0, 3, 0, 0, "3706", 0, "Outside", 1, 5, 4, 0, 4},
		{25, "2010-02-18 00:00:01", out, out, "37063042438", "ANSWERED", 40, 50, "1232113377.3", 7, 0, 5, 0, 3, 0, 0, "3706", 0, "Outside", 1, 5, 4, 0, 4},
		{26, "2010-03-17 00:00:01", out, out, "37063042438", "ANSWERED", 40, 50, "1232113377.3", 7, 0, 5, 0, 3, 0, 0, "3706", 0, "Outside", 5, 2, 4, 0, 4},
		{27, "2010-03-17 00:00:01", out, out, "37063042438", "ANSWERED", 40, 50, "1232113377.3", 7, 0, -1, 0, 3, 22, 0, "3706", 0, "Outside", 5, 2, 4, 0, 4},
		{28, "2010-06-22 00:00:01", "", "101", "123#123", "ANSWERED", 20, 30, "1232113371.3", 6, 0, 2, 0, 0, 0, 0, "1231", 1, "Local", 1, 3, 0, 0, 0},
	}
	parse := func(v string) time.Time {
		t, err := time.ParseInLocation(time.DateTime, v, loc)
		if err != nil {
			panic(err)
		}
		return t
	}
	for _, r := range rows {
		real := 1.0
		if r.id == 14 {
			real = 0
		}
		server := r.server
		s.AddCDR(CDR{
			ID: r.id, CallDate: parse(r.date), CLID: r.clid, Src: r.src, LocalizedDst: r.dst, Prefix: str(r.prefix),
			Disposition: r.disp, HangupCause: 16, Duration: r.duration, Billsec: r.billsec, RealBillsec: real, UserBillsec: 1,
			UniqueID: r.uniqueid, SrcDeviceID: r.srcDev, DstDeviceID: r.dstDev, UserID: r.user, DstUserID: r.dstUser,
			ResellerID: r.resel, CardID: r.card, ProviderID: 1, DIDID: r.did, ServerID: &server, Callertype: r.callertype,
			ProviderRate: f(0), ProviderPrice: f(r.prov), UserRate: f(0), UserPrice: f(r.userP),
			ResellerRate: f(0), ResellerPrice: f(r.reselP), PartnerPrice: f(0), DIDPrice: r.didP,
			DIDIncPrice: f(r.didInc), DIDProvPrice: f(r.didInc),
		})
	}
	for _, r := range []struct {
		id             int64
		date           string
		srcDev, dstDev int64
		user, dstUser  int64
		size           float64
		uniqueid       string
	}{
		{1, "2009-01-01 00:00:04", 2, 0, 2, 0, 1024, "1232113373.3"},
		{2, "2009-01-01 00:00:04", 2, 0, 2, 0, 928797, "1232113373.3"},
		{3, "2009-01-02 00:00:02", 0, 4, 0, 2, 76346, "1232113375.3"},
		{4, "2009-01-02 00:00:02", 0, 4, 0, 2, 578965, "1232113375.3"},
		{5, "2009-01-02 00:00:04", 2, 4, 2, 2, 98765, "1232113377.3"},
		{6, "2009-01-02 00:00:04", 2, 4, 2, 2, 435464, "1232113377.3"},
		{7, "2010-02-18 00:00:01", 7, 2, 5, 2, 435464, "1232113377.3"},
		{8, "2010-05-18 00:00:01", 7, 2, -1, 3, 435464, "1232113377.3"},
	} {
		s.AddRecording(RecordingRow{ID: r.id, DateTime: parse(r.date), SrcDeviceID: r.srcDev, DstDeviceID: r.dstDev,
			UserID: r.user, DstUserID: r.dstUser, UniqueID: r.uniqueid, Comment: str(""), Size: r.size})
	}
}
