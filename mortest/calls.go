package mortest

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// callActions are the calls group's endpoints.
var callActions = endpoints{
	"user_calls_get": {run: (*Server).userCallsGet, caller: byU, hash: true},
	"recordings_get": {run: (*Server).recordingsGet, caller: byU, hash: true},
	"quickstats_get": {run: (*Server).quickstatsGet, caller: byU, hash: true},
}

// writeStream sends a streamed reply in the selected wire form: plain and
// gzip stream (no Content-Length); the other forms are rendered whole and
// sent as writeReply sends them.
func writeStream(w http.ResponseWriter, body func(io.Writer) error, inline, xmlExt bool, wire Wire) {
	switch wire {
	case WirePlain, WireGzip, WireGzipRaw:
	default:
		var b strings.Builder
		_ = body(&b)
		writeReply(w, []byte(b.String()), inline, xmlExt, wire)
		return
	}
	h := w.Header()
	switch {
	case inline && xmlExt:
		h.Set("Content-Type", "application/xml; charset=utf-8")
	case inline:
		h.Set("Content-Type", "text/html; charset=utf-8")
	case xmlExt:
		h.Set("Content-Type", "text/xml")
		h.Set("Content-Disposition", `attachment; filename="mor_api_response.xml"`)
		h.Set("Content-Transfer-Encoding", "binary")
	default:
		h.Set("Content-Type", "text/html")
		h.Set("Content-Disposition", `attachment; filename="mor_api_response.html"`)
		h.Set("Content-Transfer-Encoding", "binary")
	}
	var out io.Writer = w
	var zw *gzip.Writer
	if wire != WirePlain {
		if wire == WireGzip {
			h.Set("Content-Encoding", "gzip")
		}
		zw = gzip.NewWriter(w)
		out = zw
	}
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(out, 32<<10)
	if body(bw) != nil {
		return // the client went away
	}
	_ = bw.Flush()
	if zw != nil {
		_ = zw.Close()
	}
}

// wallString prints wall seconds as YYYY-MM-DD HH:MM:SS.
func wallString(w int64) string { return time.Unix(w, 0).UTC().Format(time.DateTime) }

// callsRubyFloat prints a double as Ruby's Float#to_s does.
func callsRubyFloat(f float64) string {
	a := math.Abs(f)
	if a != 0 && (a < 1e-4 || a >= 1e16) {
		s := strconv.FormatFloat(f, 'e', -1, 64) // 1e-05, 1.5e+20
		mant, exp, _ := strings.Cut(s, "e")
		if !strings.Contains(mant, ".") {
			mant += ".0"
		}
		return mant + "e" + exp
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// mysqlText prints a double as MySQL prints a DOUBLE as text: shortest, no
// trailing ".0".
func mysqlText(f float64) string {
	if f == 0 {
		return "0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// roundTo is MySQL's ROUND(x, d) of a double (half away from zero).
func roundTo(x float64, d int64) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

// callsView is everything user_calls_get needs to print rows after s.mu is
// released: the caller's column set and copies of the rows it reads.
type callsView struct {
	cols      []string
	caller    User
	fin       bool // admin, or accountant with see_financial_data
	isUser    bool
	isPartner bool
	rsActive  bool
	rspro     bool
	digits    int64
	tz        string
	users     map[int64]User
	devices   map[int64]Device
	providers map[int64]Provider
	dids      map[int64]string
	mask      int64 // hide_destination_end bits (users)
	hgcFail   bool  // Change_ANSWER_to_FAILED_if_HGC_not_equal_to_16_for_Users
	userBill  bool  // Invoice_user_billsec_show of the user's owner
	provID    bool  // print provider_id (reseller with own providers and a found s_provider)
}

// callColumns returns the columns of <call> for the caller, in order.
func (s *Server) callColumns(caller *User, fin bool, provFound bool) []string {
	st := s.st
	rs := st.confline(0, "RS_Active") == "1"
	billing := !st.callsTables().noBilling[caller.ID]
	var cols []string
	switch caller.Type {
	case Admin, Accountant:
		if fin {
			cols = []string{"calldate2", "timezone", "clid", "destination", "did", "did_inc_price", "did_price", "did_prov_price",
				"dispod", "dst", "nice_billsec", "nice_reseller", "prefix", "profit", "provider_name", "provider_price", "provider_rate",
				"reseller_price", "reseller_rate", "server_id", "src", "user", "user_price", "user_rate", "uniqueid"}
			if !rs {
				cols = slices.DeleteFunc(cols, func(c string) bool {
					return c == "nice_reseller" || c == "reseller_price" || c == "reseller_rate"
				})
			}
		} else {
			cols = []string{"calldate2", "timezone", "clid", "destination", "did", "dispod", "dst", "nice_billsec", "nice_reseller",
				"prefix", "provider_name", "server_id", "src", "user", "uniqueid"}
			if !rs {
				cols = slices.DeleteFunc(cols, func(c string) bool { return c == "nice_reseller" })
			}
		}
	case Reseller:
		switch {
		case !billing:
			cols = []string{"calldate2", "timezone", "clid", "destination", "dispod", "dst", "nice_billsec", "profit", "src", "uniqueid"}
		case caller.OwnProviders:
			cols = []string{"calldate2", "timezone", "clid", "destination", "did", "did_inc_price", "did_price", "dispod", "dst",
				"nice_billsec", "profit", "provider_id", "provider_name", "provider_price", "provider_rate", "src", "user",
				"user_price", "user_rate", "uniqueid"}
			if !provFound {
				cols = slices.DeleteFunc(cols, func(c string) bool { return c == "provider_id" })
			}
		default:
			cols = []string{"calldate2", "timezone", "clid", "destination", "did", "did_inc_price", "did_price", "dispod", "dst",
				"nice_billsec", "profit", "self_cost_price", "self_cost_rate", "src", "user", "user_price", "user_rate", "uniqueid"}
		}
	case SimpleUser:
		cols = []string{"calldate2", "timezone", "clid", "destination", "dispod", "dst", "nice_billsec", "prefix", "src", "uniqueid"}
		if billing {
			cols = slices.Insert(cols, 9, "user_price")
		}
	default:
		cols = []string{"calldate2", "timezone", "clid", "destination", "dispod", "dst", "nice_billsec", "prefix", "src", "uniqueid"}
	}
	return cols
}

// periodParam reads period_start/period_end: digits only (or "", 0) are
// Unix seconds read in the server zone; anything else, or absent, is def.
func (s *Server) periodParam(p params, name string, def int64) int64 {
	v, ok := p[name]
	if !ok {
		return def
	}
	if v == "" {
		return wallSeconds(time.Unix(0, 0).In(s.loc))
	}
	if !allDigits(v) {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return def
	}
	return wallSeconds(time.Unix(n, 0).In(s.loc))
}

// userCallsGet is user_calls_get: the CDR export.
func (s *Server) userCallsGet(c *call) []byte {
	caller := c.caller
	if caller == nil {
		return shapeE("Access Denied")
	}
	st := s.st
	cs := st.callsTables()
	p := c.p
	now := s.now()
	today := wallSeconds(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC))
	from := s.periodParam(p, "period_start", today)
	till := s.periodParam(p, "period_end", today+86399)
	get := func(name, def string) string {
		if v, ok := p[name]; ok {
			return v
		}
		return def
	}
	sUser := get("s_user", "all")

	// The target user.
	var target *User
	switch caller.Type {
	case SimpleUser:
		target = caller
	case Reseller:
		if rubyToI(sUser) == caller.ID && strings.TrimSpace(sUser) != "" && sUser != "all" {
			target = caller
		} else if allDigits(sUser) {
			if u := st.users[rubyToI(sUser)]; u != nil && u.OwnerID == caller.ID {
				target = u
			}
		}
	case Admin, Accountant:
		if allDigits(sUser) {
			target = st.users[rubyToI(sUser)]
		}
	}
	if caller.Type != SimpleUser && target == nil && sUser != "all" {
		return shapeE("User was not found")
	}

	fin := caller.Type == Admin || caller.Type == Accountant && st.right(caller, "see_financial_data") >= RightRead
	adminLike := caller.Type == Admin || caller.Type == Accountant

	// Filters.
	callType := strings.ToLower(get("s_call_type", "all"))
	var devFilter, didFilter, provFilter, resFilter int64 = -1, -1, -1, -1
	if d := get("s_device", "all"); d != "all" && !rubyBlank(d) {
		if _, ok := st.devices[rubyToI(d)]; ok {
			devFilter = rubyToI(d)
		}
	}
	provFound := false
	if v := rubyToI(get("s_provider", "all")); v > 0 && (adminLike || caller.Type == Reseller && caller.OwnProviders) {
		if _, ok := st.providers[v]; ok {
			provFilter, provFound = v, true
		}
	}
	if adminLike {
		if v := get("s_did", "all"); allDigits(v) {
			if _, ok := st.dids[rubyToI(v)]; ok {
				didFilter = rubyToI(v)
			}
		}
		if v := get("s_reseller", "all"); allDigits(v) {
			if _, ok := st.users[rubyToI(v)]; ok {
				resFilter = rubyToI(v)
			}
		}
	}
	destPattern := ""
	if d := strings.TrimSpace(get("s_destination", "")); d != "" && strings.Trim(d, "0123456789%") == "" {
		destPattern = d
	}
	onlyDID := rubyToI(get("only_did", "0")) == 1
	hgcFail := st.confline(0, "Change_ANSWER_to_FAILED_if_HGC_not_equal_to_16_for_Users") == "1"

	// Snapshots: the filter also runs while the reply streams, after s.mu
	// is released.
	owners := make(map[int64]int64, len(st.users))
	for id, u := range st.users {
		owners[id] = u.OwnerID
	}
	devUsers := make(map[int64]int64, len(st.devices))
	for id, d := range st.devices {
		devUsers[id] = d.UserID
	}
	ownerOf := func(id int64) int64 {
		if o, ok := owners[id]; ok {
			return o
		}
		return -1
	}
	keep := func(r *CDR) bool {
		w := wallSeconds(r.CallDate)
		if w < from || w > till {
			return false
		}
		switch {
		case caller.Type == Reseller && target == nil:
			R := caller.ID
			if !(r.ResellerID == R || r.UserID == R || ownerOf(r.UserID) == R || ownerOf(r.DstUserID) == R) {
				return false
			}
		case caller.Type == Partner:
			if r.PartnerID != caller.ID {
				return false
			}
		case target != nil && caller.Type == Reseller:
			if r.UserID != target.ID && r.DstUserID != target.ID {
				return false
			}
		case target != nil && caller.Type == SimpleUser:
			if r.UserID != target.ID && r.DstUserID != target.ID {
				return false
			}
		case target != nil:
			dstDevUser := int64(-2)
			if u, ok := devUsers[r.DstDeviceID]; ok {
				dstDevUser = u
			}
			if r.UserID != target.ID && dstDevUser != target.ID && r.DstUserID != target.ID {
				return false
			}
		}
		if callType != "all" {
			disp := strings.ToUpper(r.Disposition)
			switch {
			case callType == "answered" && caller.Type == SimpleUser && hgcFail:
				if disp != "ANSWERED" || r.HangupCause != 16 {
					return false
				}
			case callType == "failed" && caller.Type == SimpleUser && hgcFail:
				if !(disp == "FAILED" || disp == "ANSWERED" && r.HangupCause != 16) {
					return false
				}
			case callType == "answered":
				if disp != "ANSWERED" {
					return false
				}
			case callType == "failed":
				if disp != "FAILED" {
					return false
				}
			default:
				if strings.ToLower(r.Disposition) != callType {
					return false
				}
			}
		}
		if devFilter >= 0 && r.SrcDeviceID != devFilter && r.DstDeviceID != devFilter {
			return false
		}
		if didFilter >= 0 && r.DIDID != didFilter {
			return false
		}
		if onlyDID && r.DIDID <= 0 {
			return false
		}
		if provFilter >= 0 && r.ProviderID != provFilter {
			return false
		}
		if resFilter >= 0 && r.ResellerID != resFilter {
			return false
		}
		if destPattern != "" && !callsLike(r.LocalizedDst, destPattern) {
			return false
		}
		return true
	}

	orderBy := get("order_by", "time")
	switch orderBy {
	case "answered_calls", "total_calls", "asr", "acd", "markup", "margin", "cardgroup":
		return nil // the SQL fails: empty body
	}
	desc := rubyToI(get("order_desc", "0")) != 0

	stored := sortedRows(cs.calls, keep)
	sortCDRs(stored)
	rows := make([]CDR, len(stored))
	for i, r := range stored {
		rows[i] = *r
	}
	gen := cs.gen
	var gFrom, gTo int64 // generated index range
	if gen != nil {
		gFrom, gTo = gen.first(from), gen.first(till+1)
	}
	// Count the generated rows the filters keep (a second pass prints them).
	total := int64(len(rows))
	for i := gFrom; i < gTo; i++ {
		r := gen.call(i)
		if keep(&r) {
			total++
		}
	}
	timeOrder := orderBy == "time" || !slices.Contains([]string{"src", "dst", "prefix", "duration", "nice_billsec"}, orderBy)
	if !timeOrder || desc {
		// Materialise and sort (tests only: a generator with a custom order).
		for i := gFrom; i < gTo; i++ {
			r := gen.call(i)
			if keep(&r) {
				rows = append(rows, r)
			}
		}
		gen = nil
		key := func(r *CDR) string {
			switch orderBy {
			case "src":
				return r.Src
			case "dst":
				return r.LocalizedDst
			case "prefix":
				if r.Prefix == nil {
					return ""
				}
				return *r.Prefix
			case "duration":
				return fmt.Sprintf("%020d", r.Duration)
			case "nice_billsec":
				return fmt.Sprintf("%020d", r.Billsec)
			}
			return fmt.Sprintf("%020d", wallSeconds(r.CallDate)+1<<40)
		}
		slices.SortStableFunc(rows, func(a, b CDR) int {
			ka, kb := key(&a), key(&b)
			if ka == kb {
				return 0
			}
			if (ka < kb) != desc {
				return -1
			}
			return 1
		})
	}

	// The view the rows are printed with.
	_, off := now.Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	v := &callsView{
		cols: s.callColumns(caller, fin, provFound), caller: *caller, fin: fin,
		isUser: caller.Type == SimpleUser, isPartner: caller.Type == Partner,
		rsActive: st.confline(0, "RS_Active") == "1", rspro: st.confline(0, "RSPRO_Active") == "1",
		digits: rubyToI(st.confline(0, "Nice_Number_Digits")),
		tz:     fmt.Sprintf("GMT %s%02d:%02d", sign, off/3600, off%3600/60),
		users:  map[int64]User{}, devices: map[int64]Device{}, providers: map[int64]Provider{}, dids: map[int64]string{},
		hgcFail: hgcFail,
		provID:  provFound,
	}
	for id, u := range st.users {
		v.users[id] = *u
	}
	for id, d := range st.devices {
		v.devices[id] = *d
	}
	for id, pr := range st.providers {
		v.providers[id] = *pr
	}
	for id, d := range st.dids {
		v.dids[id] = d.DID
	}
	if caller.Type == SimpleUser {
		v.mask = caller.HideDestinationEnd
		if v.mask == -1 {
			v.mask = rubyToI(st.confline(caller.OwnerID, "Hide_Destination_End"))
		}
		v.userBill = st.confline(caller.OwnerID, "Invoice_user_billsec_show") == "1"
	}
	currency := ""
	if cur := st.currencies[1]; cur != nil {
		currency = cur.Name
	} else {
		return nil // no currency 1: the action raises
	}

	var head strings.Builder
	head.WriteString(xmlDecl + "<page>\n  <pagename>Calls</pagename>\n  <language>en</language>\n  <error_msg></error_msg>\n")
	fmt.Fprintf(&head, "  <userid>%d</userid>\n", caller.ID)
	head.WriteString("  <username>")
	escapeText(&head, caller.Username)
	head.WriteString("</username>\n")
	fmt.Fprintf(&head, "  <total_calls>%d</total_calls>\n", total)
	head.WriteString("  <currency>")
	escapeText(&head, currency)
	head.WriteString("</currency>\n  <calls_stat>\n    <period>\n")
	fmt.Fprintf(&head, "      <period_start>%s</period_start>\n      <period_end>%s</period_end>\n    </period>\n", wallString(from), wallString(till))
	show := func(tag, val string) {
		head.WriteString("    <" + tag + ">")
		escapeText(&head, val)
		head.WriteString("</" + tag + ">\n")
	}
	show("show_user", sUser)
	show("show_device", get("s_device", "all"))
	show("show_status", get("s_call_type", "all"))
	if v, ok := p["s_provider"]; !ok || !rubyBlank(v) {
		show("show_provider", get("s_provider", "all"))
	}
	if v, ok := p["s_hgc"]; !ok || !rubyBlank(v) {
		hgc := "all"
		if n := rubyToI(get("s_hgc", "0")); n > 0 {
			hgc = strconv.FormatInt(n, 10)
		}
		show("show_hgc", hgc)
	}
	show("show_reseller", get("s_reseller", "all"))
	if v, ok := p["s_did"]; !ok || !rubyBlank(v) {
		show("show_did", get("s_did", "all"))
	}
	if v, ok := p["s_destination"]; ok && !rubyBlank(v) {
		show("show_destination", v)
	}
	header := head.String()

	c.stream = func(w io.Writer) error {
		if _, err := io.WriteString(w, header); err != nil {
			return err
		}
		if total > 0 {
			if _, err := io.WriteString(w, "    <calls>\n"); err != nil {
				return err
			}
			var b strings.Builder
			put := func(r *CDR) error {
				b.Reset()
				v.writeCall(&b, r)
				_, err := io.WriteString(w, b.String())
				return err
			}
			// Stored and generated rows merged by second (stored first).
			i, g := 0, gFrom
			for i < len(rows) || gen != nil && g < gTo {
				if gen != nil && g < gTo && (i >= len(rows) || gen.at(g) < wallSeconds(rows[i].CallDate)) {
					r := gen.call(g)
					g++
					if !keep(&r) {
						continue
					}
					if err := put(&r); err != nil {
						return err
					}
					continue
				}
				if err := put(&rows[i]); err != nil {
					return err
				}
				i++
			}
			if _, err := io.WriteString(w, "    </calls>\n"); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, "  </calls_stat>\n</page>\n")
		return err
	}
	return []byte{}
}

// callsLike is SQL LIKE with % only (digits otherwise).
func callsLike(s, pattern string) bool {
	parts := strings.Split(pattern, "%")
	if len(parts) == 1 {
		return s == pattern
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for i := 1; i < len(parts)-1; i++ {
		j := strings.Index(s, parts[i])
		if j < 0 {
			return false
		}
		s = s[j+len(parts[i]):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

func orZero(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

// writeCall prints one <call> with the view's columns.
func (v *callsView) writeCall(b *strings.Builder, r *CDR) {
	b.WriteString("      <call>\n")
	prov, hasProv := v.providers[r.ProviderID]
	ownProv := hasProv && prov.UserID > 0
	rsproOwn := v.rspro && ownProv
	rp := func() *float64 { // RP
		if rsproOwn {
			z := 0.0
			return &z
		}
		return r.ResellerPrice
	}
	flt := func(f *float64) *string {
		if f == nil {
			return nil
		}
		s := callsRubyFloat(roundTo(*f, v.digits))
		return &s
	}
	txt := func(f float64) *string {
		s := mysqlText(roundTo(f, v.digits))
		return &s
	}
	nz := func(f *float64) *float64 { x := orZero(f); return &x }
	str := func(s string) *string { return &s }
	callUserOwner := int64(-1)
	if u, ok := v.users[r.UserID]; ok {
		callUserOwner = u.OwnerID
	}
	for _, col := range v.cols {
		var val *string
		switch col {
		case "calldate2":
			val = str(wallString(wallSeconds(r.CallDate)))
		case "timezone":
			val = str(v.tz)
		case "clid":
			val = str(r.CLID)
		case "destination":
			val = str(" ")
		case "did":
			val = str(v.dids[r.DIDID])
		case "did_inc_price":
			switch {
			case v.fin:
				val = flt(nz(r.DIDIncPrice))
			case r.DIDIncPrice == nil || callUserOwner == v.caller.ID:
				val = flt(r.DIDIncPrice)
			default:
				val = flt(nz(nil))
			}
		case "did_price":
			if v.fin || callUserOwner != v.caller.ID {
				val = flt(&r.DIDPrice)
			} else {
				val = flt(nz(nil))
			}
		case "did_prov_price":
			val = flt(nz(r.DIDProvPrice))
		case "dispod":
			if v.isUser {
				d := r.Disposition
				if d == "ANSWERED" && r.HangupCause != 16 && v.hgcFail {
					d = "FAILED"
				}
				val = str(d)
			} else {
				val = str(r.Disposition + "(" + strconv.FormatInt(r.HangupCause, 10) + ")")
			}
		case "dst":
			d := r.LocalizedDst
			if v.isUser {
				d = maskDst(d, v.mask)
			}
			val = str(d)
		case "nice_billsec":
			n := r.Billsec
			switch {
			case v.isUser && v.userBill:
				n = r.UserBillsec
			case n == 0 && r.RealBillsec > 1:
				n = int64(math.Ceil(r.RealBillsec))
			}
			val = str(strconv.FormatInt(max(n, 0), 10))
		case "nice_reseller":
			name := " "
			if u, ok := v.users[r.ResellerID]; ok && r.ResellerID != 0 {
				name = u.FirstName + " " + u.LastName
			}
			val = str(name)
		case "prefix":
			if r.Prefix != nil {
				val = str(*r.Prefix)
			} else {
				val = str("")
			}
		case "profit":
			if v.fin {
				var x float64
				P := orZero(r.ProviderPrice)
				if rsproOwn {
					P = 0
				}
				switch {
				case r.PartnerID > 0 && r.ResellerID > 0 && r.UserID > 0 && r.DIDID == 0:
					x = orZero(r.PartnerPrice)
				case v.rsActive && r.ResellerID > 0:
					x = orZero(rp()) + orZero(r.DIDIncPrice)
				default:
					x = orZero(r.UserPrice) + orZero(r.DIDIncPrice)
				}
				val = txt(x - P + r.DIDPrice + orZero(r.DIDProvPrice))
			} else {
				cost := orZero(r.ResellerPrice)
				if rsproOwn {
					cost = orZero(r.ProviderPrice)
				}
				val = txt(orZero(r.UserPrice) - cost)
			}
		case "provider_id":
			val = str(strconv.FormatInt(r.ProviderID, 10))
		case "provider_name":
			switch {
			case !hasProv:
				val = str("")
			case !v.fin && prov.UserID == 0:
				val = str("admin")
			default:
				val = str(prov.Name)
			}
		case "provider_price", "provider_rate":
			pv, rv := r.ProviderPrice, r.ResellerPrice
			if col == "provider_rate" {
				pv, rv = r.ProviderRate, r.ResellerRate
			}
			switch {
			case pv == nil:
				val = flt(nz(nil))
			case v.fin && rsproOwn:
				val = flt(nz(nil))
			case v.fin || rsproOwn:
				val = flt(pv)
			default:
				val = flt(nz(rv))
			}
		case "reseller_price":
			val = flt(rp())
		case "reseller_rate":
			if rsproOwn {
				val = flt(nz(nil))
			} else {
				val = flt(r.ResellerRate)
			}
		case "self_cost_price":
			val = txtPtr(rp(), v.digits)
		case "self_cost_rate":
			if rsproOwn {
				val = txt(0)
			} else {
				val = txtPtr(r.ResellerRate, v.digits)
			}
		case "server_id":
			if r.ServerID != nil {
				val = str(strconv.FormatInt(*r.ServerID, 10))
			} else {
				val = str("0")
			}
		case "src":
			val = str(r.Src)
		case "user":
			val = str(v.callUser(r))
		case "user_price":
			switch {
			case v.isUser && r.UserID == v.caller.ID:
				val = flt(nz(addp(r.UserPrice, r.DIDIncPrice)))
			case v.isUser:
				val = flt(&r.DIDPrice)
			default:
				val = flt(nz(r.UserPrice))
			}
		case "user_rate":
			if v.fin {
				val = flt(nz(r.UserRate))
			} else {
				val = flt(r.UserRate)
			}
		case "uniqueid":
			val = str(r.UniqueID)
		}
		b.WriteString("        <" + col)
		if val == nil {
			b.WriteString("/>\n")
			continue
		}
		b.WriteString(">")
		escapeText(b, *val)
		b.WriteString("</" + col + ">\n")
	}
	b.WriteString("      </call>\n")
}

func addp(a, b *float64) *float64 {
	if a == nil || b == nil {
		return nil
	}
	x := *a + *b
	return &x
}

func txtPtr(f *float64, digits int64) *string {
	if f == nil {
		return nil
	}
	s := mysqlText(roundTo(*f, digits))
	return &s
}

// maskDst applies hide_destination_end: bit 2 drops the last 3 characters
// for XXX, bit 1 replaces the last 3 printed characters with X.
func maskDst(d string, h int64) string {
	if h <= 0 {
		return d
	}
	if h&2 != 0 {
		if len(d) > 3 {
			d = d[:len(d)-3] + "XXX"
		} else {
			d = "XXX"
		}
	}
	if h&1 != 0 {
		if len(d) > 3 {
			d = d[:len(d)-3] + "XXX"
		} else {
			d = strings.Repeat("X", len(d))
		}
	}
	return d
}

// callUser is the user column.
func (v *callsView) callUser(r *CDR) string {
	if r.CardID != 0 {
		return "Card#"
	}
	if r.UserID == -1 && r.DstDeviceID > 0 {
		d, ok := v.devices[r.DstDeviceID]
		if !ok {
			return ""
		}
		u, ok := v.users[d.UserID]
		if !ok {
			return ""
		}
		if u.FirstName+u.LastName != "" {
			return u.FirstName + " " + u.LastName
		}
		return u.Username
	}
	u, ok := v.users[r.UserID]
	if !ok {
		return ""
	}
	switch {
	case u.FirstName != "" && u.LastName != "":
		return u.FirstName + " " + u.LastName
	case u.FirstName != "":
		return u.FirstName
	case u.LastName != "":
		return u.LastName
	}
	return u.Username
}

// recordingsGet is recordings_get.
func (s *Server) recordingsGet(c *call) []byte {
	caller := c.caller
	st := s.st
	if caller == nil {
		return shapeB("Access Denied")
	}
	nested := func(msg string) []byte {
		return render(el("page", el("status", el("status", leaf("error", msg)))))
	}
	switch caller.Type {
	case Accountant:
		if st.right(caller, "recordings_manage") < RightRead {
			return nested("You are not authorized to use this functionality")
		}
	case Admin, Reseller, SimpleUser:
	default:
		return nested("Access Denied")
	}
	now := s.now()
	today := wallSeconds(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC))
	bound := func(name string, def int64) (int64, int64) {
		n := rubyToI(c.p[name])
		if n == 0 {
			return def, 0
		}
		return wallSeconds(time.Unix(n, 0).In(s.loc)), n
	}
	from, fromRaw := bound("date_from", today)
	till, tillRaw := bound("date_till", today+86399)
	limit := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	if fromRaw >= limit {
		return shapeB("Date from is incorrect format")
	}
	if tillRaw >= limit {
		return shapeB("Date till is incorrect format")
	}
	if till <= from {
		return shapeB("Date from is greater than date till")
	}
	cs := st.callsTables()
	devOwner := func(dev int64) int64 {
		if d := st.devices[dev]; d != nil {
			if u := st.users[d.UserID]; u != nil {
				return u.OwnerID
			}
		}
		return -1
	}
	var recs []node
	for _, r := range sortedRows(cs.recordings, nil) {
		w := wallSeconds(r.DateTime)
		if w < from || w > till {
			continue
		}
		switch caller.Type {
		case SimpleUser:
			if r.UserID != caller.ID && r.DstUserID != caller.ID {
				continue
			}
		case Reseller:
			if devOwner(r.SrcDeviceID) != caller.ID && devOwner(r.DstDeviceID) != caller.ID {
				continue
			}
		default:
			if devOwner(r.SrcDeviceID) != 0 && devOwner(r.DstDeviceID) != 0 {
				continue
			}
		}
		if n := rubyToI(c.p["user"]); n > 0 && r.UserID != n && r.DstUserID != n {
			continue
		}
		if n := rubyToI(c.p["device"]); n > 0 && r.SrcDeviceID != n && r.DstDeviceID != n {
			continue
		}
		// The call: same uniqueid and calldate; the highest id wins.
		var cl *CDR
		for _, x := range cs.calls {
			if x.UniqueID == r.UniqueID && wallSeconds(x.CallDate) == w && (cl == nil || x.ID > cl.ID) {
				cl = x
			}
		}
		if c.p.has("source") && (cl == nil || mysqlKey(cl.Src) != mysqlKey(c.p["source"])) {
			continue
		}
		if c.p.has("destination") && (cl == nil || mysqlKey(cl.LocalizedDst) != mysqlKey(c.p["destination"])) {
			continue
		}
		secs := int64(0)
		var src, dst *string
		if cl != nil {
			secs = int64(cl.RealBillsec)
			src, dst = &cl.Src, &cl.LocalizedDst
		}
		tf := st.confline(caller.OwnerID, "time_format")
		if strings.TrimSpace(tf) == "" {
			tf = st.confline(0, "time_format")
		}
		dur := fmt.Sprintf("%02d:%02d:%02d", secs/3600, secs%3600/60, secs%60)
		if tf == "%M:%S" {
			dur = fmt.Sprintf("%02d:%02d", secs/60, secs%60)
		}
		wt := time.Unix(w, 0).UTC()
		local := time.Date(wt.Year(), wt.Month(), wt.Day(), wt.Hour(), wt.Minute(), wt.Second(), 0, s.loc)
		recs = append(recs, el("recording",
			leafInt("id", r.ID), leafInt("user_id", r.UserID), leafInt("dst_user_id", r.DstUserID),
			leafInt("src_device_id", r.SrcDeviceID), leafInt("dst_device_id", r.DstDeviceID),
			leaf("date", formatTime(local, s.loc)), leafPtr("comment", r.Comment), leaf("duration", dur),
			leafPtr("source", src), leafPtr("destination", dst), leaf("size", callsRubyFloat(r.Size))))
	}
	if len(recs) == 0 {
		return shapeB("No Recordings found")
	}
	return render(el("page", el("status", el("recordings", recs...))))
}

// quickstatsGet is quickstats_get, computed from the stored calls (not the
// generated ones) as Elasticsearch would.
func (s *Server) quickstatsGet(c *call) []byte {
	st := s.st
	cs := st.callsTables()
	if cs.esDown {
		return shapeA("Cannot connect to Elasticsearch")
	}
	caller := c.caller
	if caller == nil || caller.Type != Admin && caller.Type != Reseller && caller.Type != SimpleUser {
		return shapeB("Access Denied")
	}
	now := s.now()
	monthStart := wallSeconds(time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC))
	monthEnd := wallSeconds(time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC)) - 1
	dayStart := wallSeconds(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC))
	period := func(name string, from, till int64) node {
		var n, dur int64
		var rev, cost, didp float64
		for _, r := range cs.calls {
			w := wallSeconds(r.CallDate)
			if w < from || w > till || r.HangupCause != 16 {
				continue
			}
			switch caller.Type {
			case Admin:
				n++
				dur += r.Billsec
				switch {
				case r.PartnerID != 0:
					rev += orZero(r.PartnerPrice) + orZero(r.DIDIncPrice)
				case r.ResellerID != 0:
					rev += orZero(r.ResellerPrice) + orZero(r.DIDIncPrice)
				default:
					rev += orZero(r.UserPrice) + orZero(r.DIDIncPrice)
				}
				cost += orZero(r.ProviderPrice) - orZero(r.DIDProvPrice)
				didp += r.DIDPrice
			case Reseller:
				if r.ResellerID != caller.ID {
					continue
				}
				n++
				dur += r.Billsec
				rev += orZero(r.UserPrice) + orZero(r.DIDIncPrice)
				cost += orZero(r.ResellerPrice)
			default:
				if r.UserID != caller.ID {
					continue
				}
				n++
				if st.confline(caller.OwnerID, "Invoice_user_billsec_show") == "1" {
					dur += r.UserBillsec
				} else {
					dur += r.Billsec
				}
			}
		}
		kids := []node{leafInt("calls", n), leafInt("duration", dur)}
		if caller.Type != SimpleUser {
			kids = append(kids, leaf("revenue", callsRubyFloat(rev)), leaf("self_cost", callsRubyFloat(cost)),
				leaf("profit", callsRubyFloat(rev-cost+didp)))
		}
		return el(name, kids...)
	}
	kids := []node{period("this_month", monthStart, monthEnd), period("today", dayStart, dayStart+86399)}
	if caller.Type == Admin {
		h := rubyToI(st.confline(0, "Hide_active_calls_longer_than"))
		if h <= 0 {
			h = 24
		}
		var total, answered int64
		for _, a := range cs.active {
			if a.Start.After(now.Add(-time.Duration(h) * time.Hour)) {
				total++
				if a.Answered {
					answered++
				}
			}
		}
		kids = append(kids, el("active_calls", leafInt("total", total), leafInt("answered_calls", answered)))
	}
	return render(el("page", el("quickstats", kids...)))
}
