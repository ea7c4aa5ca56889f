package mortest

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	mor "github.com/morbilling/mor-go"
)

// didActions are the DIDs group's endpoints (dids_get …
// quickforwards_did_delete). Each entry already declares the action's
// before-filters; an entry whose run is nil answers "There is no such API"
// until its handler is written.
var didActions = endpoints{
	"dids_get":                 {run: (*Server).didsGet, caller: byU, hash: true},
	"did_create":               {run: (*Server).didCreate, caller: byU, hash: true},
	"did_device_assign":        {run: (*Server).didDeviceAssign, caller: byU, hash: true},
	"did_device_unassign":      {run: (*Server).didDeviceUnassign, caller: byU, hash: true},
	"did_details_update":       {run: (*Server).didDetailsUpdate, caller: byU, hash: true},
	"did_subscription_stop":    {run: (*Server).didSubscriptionStop, caller: byU, hash: true},
	"quickforwards_dids_get":   {run: (*Server).quickforwardsDIDsGet, caller: byU, hash: true},
	"quickforwards_did_update": {run: (*Server).quickforwardsDIDUpdate, caller: byU, hash: true},
	"quickforwards_did_delete": {run: (*Server).quickforwardsDIDDelete, caller: byU, hash: true},
}

// The DID confline names the handlers read (the admin's).
const (
	confResellersOwnDIDs = "Resellers_can_add_their_own_DIDs"
	confDaysForDIDClose  = "Days_for_did_close"
)

// The quick-forward dial plan type.
const dpQuickforward = "quickforwarddids"

// didNiceUser is nice_user: "first last", or the username when that is
// shorter than two characters (both names empty); "" for a missing user.
func didNiceUser(u *User) string {
	if u == nil {
		return ""
	}
	n := u.FirstName + " " + u.LastName
	if utf8.RuneCountInString(n) < 2 {
		return u.Username
	}
	return n
}

// didNiceDevice is nice_device: type "/", then the name unless the type is
// FAX, then the extension when the type is FAX or the name is empty; ""
// for a missing device.
func didNiceDevice(d *Device) string {
	if d == nil {
		return ""
	}
	out := d.Type + "/"
	if d.Type != "FAX" {
		out += d.Name
	}
	if d.Type == "FAX" || d.Name == "" {
		out += d.Extension
	}
	return out
}

// didOwnerName is the name dids_get's search_did_owner compares: "first
// last" when both are set, else the non-empty one, else the username.
func didOwnerName(u *User) string {
	if u == nil {
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

// didIsNumeric is Ruby's strict Float(s) (the server's is_numeric?): the
// CLI rule (mor.IsNumericCLI: optional surrounding whitespace and sign,
// digits with single underscores, an optional fraction and exponent) and,
// with hex, also 0x followed by hex digits.
func didIsNumeric(s string, hex bool) bool {
	if mor.IsNumericCLI(s) {
		return true
	}
	if !hex {
		return false
	}
	s = strings.Trim(s, " \t\n\v\f\r")
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if len(s) <= 2 || s[0] != '0' || s[1] != 'x' && s[1] != 'X' {
		return false
	}
	for i := 2; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}

// didDigitLine is Ruby's v =~ /^\d+$/: some line of v is one or more
// digits and nothing else.
func didDigitLine(v string) bool {
	return slices.ContainsFunc(strings.Split(v, "\n"), allDigits)
}

// didLike reports whether s matches the MySQL LIKE pattern (% any run, _
// one character, backslash escapes; case-insensitive).
func didLike(s, pattern string) bool {
	var b strings.Builder
	b.WriteString(`(?is)\A`)
	for i := 0; i < len(pattern); {
		r, size := utf8.DecodeRuneInString(pattern[i:])
		i += size
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		case '\\':
			if i < len(pattern) {
				r, size = utf8.DecodeRuneInString(pattern[i:])
				i += size
			}
			b.WriteString(regexp.QuoteMeta(string(r)))
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`\z`)
	re, err := regexp.Compile(b.String())
	return err == nil && re.MatchString(s)
}

// didByNumber finds the DID whose number equals number under MySQL's
// comparison (lowest id first).
func (st *state) didByNumber(number string) *DID {
	k := mysqlKey(number)
	for _, d := range sortedRows(st.dids, nil) {
		if mysqlKey(d.DID) == k {
			return d
		}
	}
	return nil
}

// didRef is the id a non-admin caller's DIDs carry in reseller_id: 0 for the
// admin and accountants, else the caller's id.
func didRef(c *User) int64 {
	if isAdmin(c) || c.Type == Accountant {
		return 0
	}
	return c.ID
}

// didAccountantManage reports whether an accountant holds the rights the
// device-assignment actions need: device_manage read, manage_dids_opt_1
// edit and user_manage read.
func (st *state) didAccountantManage(c *User) bool {
	return st.right(c, "device_manage") >= RightRead && st.right(c, "manage_dids_opt_1") == RightEdit &&
		st.right(c, "user_manage") >= RightRead
}

// didsGet is dids_get: the caller's visible DIDs filtered by the search_*
// parameters, in number order.
func (s *Server) didsGet(c *call) []byte {
	st, u, p := s.st, c.caller, c.p
	if u == nil {
		return shapeB("Access Denied")
	}
	if u.Type == Accountant && st.right(u, "manage_dids_opt_1") < RightRead {
		return shapeB("You are not authorized to manage DIDs")
	}
	staff := isAdmin(u) || u.Type == Accountant
	param := func(k string) (string, bool) {
		v, ok := p[k]
		return v, ok && !rubyBlank(v)
	}
	type cond func(d *DID) bool
	var conds []cond
	split := -1 // index of the unparenthesised "status = 'reserved' OR reseller_id > 0" fragment
	if v, ok := param("search_did_number"); ok {
		pat := rubyStrip(v)
		conds = append(conds, func(d *DID) bool { return didLike(d.DID, pat) })
	}
	ownerPat, byOwner := param("search_did_owner")
	if byOwner {
		ownerPat = rubyStrip(ownerPat)
		conds = append(conds, func(d *DID) bool { return d.Status != "free" })
	}
	if v, ok := param("search_provider"); ok && (staff || u.OwnProviders) {
		id := rubyToI(v)
		conds = append(conds, func(d *DID) bool { return d.ProviderID == id })
	}
	if v, ok := param("search_dialplan"); ok && u.Type != SimpleUser {
		id := rubyToI(v)
		conds = append(conds, func(d *DID) bool { return d.DialplanID == id })
	}
	if v, ok := param("search_language"); ok && v != "all" {
		conds = append(conds, func(d *DID) bool { return mysqlKey(d.Language) == mysqlKey(v) })
	}
	if v, ok := param("search_status"); ok {
		v = strings.ToLower(v)
		switch {
		case staff && (v == "free" || v == "active"):
			conds = append(conds, func(d *DID) bool { return d.Status == v && d.ResellerID == 0 })
		case staff && v == "reserved":
			split = len(conds)
			conds = append(conds, nil)
		default:
			conds = append(conds, func(d *DID) bool { return mysqlKey(d.Status) == mysqlKey(v) })
		}
	}
	if v, ok := param("search_user"); ok {
		id := rubyToI(v)
		conds = append(conds, func(d *DID) bool { return d.UserID == id || d.ResellerID == id && d.ResellerID > 0 })
	}
	if v, ok := param("search_device"); ok && v != "all" {
		id := rubyToI(v)
		conds = append(conds, func(d *DID) bool { return d.DeviceID == id })
	}
	if u.Type == Reseller {
		conds = append(conds, func(d *DID) bool { return d.ResellerID == u.ID })
	}
	if p["search_hide_terminated_dids"] == "1" {
		conds = append(conds, func(d *DID) bool { return d.Status != "terminated" })
	}
	if u.Type == SimpleUser {
		conds = append(conds, func(d *DID) bool { return d.UserID == u.ID })
	}
	all := func(cs []cond, d *DID) bool {
		for _, f := range cs {
			if !f(d) {
				return false
			}
		}
		return true
	}
	keep := func(d *DID) bool {
		if d.ID <= 0 {
			return false
		}
		if split >= 0 {
			return all(conds[:split], d) && d.Status == "reserved" || d.ResellerID > 0 && all(conds[split+1:], d)
		}
		return all(conds, d)
	}
	rows := sortedRows(st.dids, keep)
	if byOwner {
		rows = slices.DeleteFunc(rows, func(d *DID) bool { return !didLike(didOwnerName(st.users[d.UserID]), ownerPat) })
	}
	slices.SortStableFunc(rows, func(a, b *DID) int { return strings.Compare(mysqlKey(a.DID), mysqlKey(b.DID)) })
	if len(rows) == 0 {
		return shapeB("No DIDs found")
	}
	simple, reseller := u.Type == SimpleUser, u.Type == Reseller
	list := make([]node, 0, len(rows))
	for _, d := range rows {
		kids := []node{leaf("did", d.DID)}
		if !simple && !reseller {
			name := ""
			if pr := st.providers[d.ProviderID]; pr != nil {
				name = pr.Name
			}
			kids = append(kids, leaf("provider", name))
		}
		kids = append(kids, leaf("language", d.Language), leaf("status", didCapitalize(d.Status)))
		if !simple && !reseller && d.ResellerID > 0 {
			if r := st.users[d.ResellerID]; r != nil && r.Type == Reseller {
				kids = append(kids, leaf("reseller", didNiceUser(r)))
			}
		}
		if !(d.ResellerID > 0 && d.UserID == 0) {
			kids = append(kids, leaf("owner", didNiceUser(st.users[d.UserID])))
		}
		kids = append(kids, leaf("device", didNiceDevice(st.devices[d.DeviceID])))
		if !simple {
			dp := ""
			if d.DialplanID != 0 {
				if plan := st.dialplans[d.DialplanID]; plan != nil {
					if plan.Name == nil || plan.DPType == nil {
						return nil // nil + " (" raises: the empty body
					}
					dp = *plan.Name + " (" + *plan.DPType + ")"
				}
			}
			kids = append(kids, leaf("dial_plan", dp))
		}
		limit := "Unlimited"
		if d.CallLimit != 0 {
			limit = strconv.FormatInt(d.CallLimit, 10)
		}
		kids = append(kids, leaf("simultaneous_call_limit", limit))
		comment := d.Comment
		if reseller {
			comment = d.ResellerComment
		}
		if comment != nil {
			kids = append(kids, leaf("comment", didFirstRunes(*comment, 25)))
		}
		if !simple {
			tz := ""
			if d.Tonezone != nil {
				tz = *d.Tonezone
			}
			kids = append(kids, leaf("tone_zone", tz))
		}
		kids = append(kids, leafInt("id", d.ID))
		list = append(list, el("did", kids...))
	}
	return render(el("page", el("dids", list...)))
}

// didCapitalize upper-cases the first letter and lower-cases the rest, as
// Ruby's String#didCapitalize.
func didCapitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}

// didFirstRunes is the first n characters of s.
func didFirstRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}

// didTestMode reports the test=1 switch that adds ids to write replies.
func didTestMode(p params) bool { return rubyToI(p["test"]) == 1 }

// didCreate is did_create: the checks in order, one message, then the new
// free DID.
func (s *Server) didCreate(c *call) []byte {
	st, u, p := s.st, c.caller, c.p
	if u == nil || u.Type == SimpleUser {
		return shapeB("Access Denied")
	}
	var prov *Provider
	if p.has("provider_id") {
		if pr := st.providers[rubyToI(p["provider_id"])]; pr != nil && !pr.Hidden {
			prov = pr
		}
	}
	if prov == nil {
		return shapeB("Provider was not found")
	}
	if prov.UserID != didRef(u) {
		return shapeB("Your are not authorized to use this Provider")
	}
	if u.Type == Accountant && st.right(u, "manage_dids_opt_1") != RightEdit ||
		u.Type == Reseller && st.confline(0, confResellersOwnDIDs) != "1" {
		return shapeB("You are not authorized to manage DIDs")
	}
	number, sent := p["did"]
	if sent && st.didByNumber(number) != nil {
		return shapeB("DID already exists")
	}
	if !sent || rubyBlank(number) || !didIsNumeric(number, true) {
		return shapeB("Invalid DID specified")
	}
	stripped := rubyStrip(number)
	if !allDigits(stripped) || st.didByNumber(stripped) != nil {
		return shapeB("DID creation failed")
	}
	d := NewDID(0, stripped, prov.ID, s.loc)
	d.ResellerID = didRef(u)
	id := put(st, st.dids, d, true)
	details := []node{leafInt("id", id)}
	if didTestMode(p) {
		details = append(details, leaf("did", stripped))
	}
	return render(el("page", el("status", leaf("success", "DID created")), el("did_details", details...)))
}

// didLookup is the DID lookup of the assignment actions: by number, and
// only when the number is present and numeric.
func (st *state) didLookup(p params) *DID {
	v, ok := p["did"]
	if !ok || rubyBlank(v) || !didIsNumeric(v, true) {
		return nil
	}
	return st.didByNumber(v)
}

// didDeviceAssign is did_device_assign: route a DID to a device of the
// caller's users.
func (s *Server) didDeviceAssign(c *call) []byte {
	st, u, p := s.st, c.caller, c.p
	if u == nil || u.Type == SimpleUser {
		return shapeB("Access Denied")
	}
	var dev *Device
	if p.has("device_id") {
		dev = st.devices[rubyToI(p["device_id"])]
	}
	if dev == nil {
		return shapeB("Device was not found")
	}
	owner := st.users[dev.UserID]
	if owner == nil {
		return nil // device.user.owner_id on a device without a user raises
	}
	if owner.OwnerID != didRef(u) {
		return shapeB("Your are not authorized to use this Device")
	}
	if u.Type == Accountant && !st.didAccountantManage(u) {
		return shapeB("You are not authorized to manage DIDs")
	}
	d := st.didLookup(p)
	if d == nil {
		return shapeB("DID was not found")
	}
	if d.ResellerID != didRef(u) {
		return shapeB("Your are not authorized to use this DID")
	}
	if d.Status == "terminated" {
		return shapeB("DID is terminated")
	}
	if !(d.Status == "free" || d.Status == "reserved" && d.UserID == dev.UserID) {
		return shapeB("DID is not free")
	}
	d.DeviceID, d.Status, d.UserID = dev.ID, "active", dev.UserID
	kids := []node{el("status", leaf("success", "Device assigned to DID"))}
	if didTestMode(p) {
		kids = append(kids, leafInt("did_id", d.ID), leafInt("device_id", dev.ID))
	}
	return render(el("page", kids...))
}

// didDeviceUnassign is did_device_unassign: detach a DID from its device
// and free it.
func (s *Server) didDeviceUnassign(c *call) []byte {
	st, u, p := s.st, c.caller, c.p
	if u == nil || u.Type == SimpleUser {
		return shapeB("Access Denied")
	}
	if u.Type == Accountant && !st.didAccountantManage(u) {
		return shapeB("You are not authorized to manage DIDs")
	}
	d := st.didLookup(p)
	if d == nil {
		return shapeB("DID was not found")
	}
	switch {
	case d.ResellerID != didRef(u):
		return shapeB("You are not authorized to use this DID")
	case d.Status == "terminated":
		return shapeB("DID is terminated")
	case d.Status != "active":
		return shapeB("DID is already free")
	case d.DialplanID != 0:
		return shapeB("DID is assigned to dialplan")
	}
	d.DeviceID, d.Status, d.UserID = 0, "free", 0
	kids := []node{el("status", leaf("success", "Device was unassigned from DID"))}
	if didTestMode(p) {
		kids = append(kids, leafInt("did_id", d.ID))
	}
	return render(el("page", kids...))
}

// didDetailsUpdate is did_details_update: reserve a DID for a user or
// reseller, free it, or set its call limit. Errors accumulate.
func (s *Server) didDetailsUpdate(c *call) []byte {
	st, u, p := s.st, c.caller, c.p
	if u == nil || u.Type == SimpleUser || u.Type == Partner {
		return shapeB("Access Denied")
	}
	if u.Type == Accountant && st.right(u, "device_manage") != RightEdit {
		return shapeB("You are not authorized to use this functionality")
	}
	var d *DID
	if p.has("did_id") {
		d = st.dids[rubyToI(p["did_id"])]
	}
	if d == nil || u.Type == Reseller && d.ResellerID != u.ID {
		return shapeB("DID was not found")
	}
	staff := isAdmin(u) || u.Type == Accountant
	var errs []string
	var target *User
	v, hasUser := p["did_user_id"]
	free := hasUser && rubyToI(v) == -1
	if hasUser && !free {
		t := st.users[rubyToI(v)]
		partnerish := func(x *User) bool {
			if x.Type == Partner {
				return true
			}
			o := st.users[x.OwnerID]
			return x.Type == Reseller && o != nil && o.Type == Partner
		}
		switch {
		case t == nil,
			u.Type == Reseller && t.OwnerID != u.ID,
			staff && d.DialplanID > 0 && (t.Type == Reseller || t.Type == Partner),
			staff && d.DialplanID == 0 && partnerish(t):
			errs = append(errs, "User was not found")
		case (d.UserID > 0 || d.DialplanID > 0) && !(t.Type == Reseller && d.ResellerID == t.ID || d.UserID == t.ID):
			errs = append(errs, "DID is already assigned")
		default:
			target = t
		}
	}
	if free {
		if d.UserID >= 0 {
			wasReseller := d.ResellerID > 0
			d.UserID, d.DeviceID, d.DialplanID, d.Status = 0, 0, 0, "free"
			if staff && wasReseller {
				d.ResellerID, d.CCTariffID = 0, 0
			}
		} else {
			errs = append(errs, "DID was not found")
		}
	}
	limit, hasLimit := p["call_limit"]
	if hasLimit && !didDigitLine(limit) {
		errs = append(errs, "Call limit is incorrect format")
	}
	if len(errs) > 0 {
		return shapeB(errs...)
	}
	if target != nil {
		if target.Type == Reseller {
			d.ResellerID = target.ID
		} else {
			d.UserID, d.Status = target.ID, "reserved"
		}
	}
	if hasLimit {
		d.CallLimit = rubyToI(limit)
	}
	put(st, st.actions, Action{UserID: u.ID, Date: s.now(), Action: "did_edited", TargetType: "did", TargetID: d.ID}, true)
	return success("DID details successfully updated")
}

// didSubscriptionStop is did_subscription_stop: close an active (or
// closed) DID until now + Days_for_did_close days.
func (s *Server) didSubscriptionStop(c *call) []byte {
	st, u, p := s.st, c.caller, c.p
	if u == nil || u.Type == SimpleUser || u.Type == Partner {
		return shapeB("Access Denied")
	}
	if u.Type == Accountant && st.right(u, "manage_dids_opt_1") != RightEdit {
		return shapeB("You are not authorized to use this functionality")
	}
	var d *DID
	if p.has("dids_id") {
		d = st.dids[rubyToI(p["dids_id"])]
	}
	if d == nil || u.Type == Reseller && d.ResellerID != u.ID {
		return shapeB("DID was not found")
	}
	if !(d.Status == "active" && d.DialplanID == 0 || d.Status == "closed") {
		return shapeB("DID is not assigned to Device")
	}
	days := rubyToI(st.confline(0, confDaysForDIDClose))
	d.Status = "closed"
	d.ClosedTill = s.now().AddDate(0, 0, int(days))
	if dev := st.devices[d.DeviceID]; dev != nil && dev.PrimaryDIDID == d.ID {
		dev.PrimaryDIDID = 0
	}
	return render(el("page", el("status", leaf("status", "DID was successfully closed"))))
}

// qfCaller runs the quick-forward actions' caller checks; msg is the shape
// C error, "" when the caller is a simple user.
func qfCaller(u *User) string {
	switch {
	case u == nil:
		return "User was not found"
	case u.Type != SimpleUser:
		return "You are not authorized to use Quickforwards"
	}
	return ""
}

// qfMatch reports whether number matches MySQL's REGEXP '^(pattern)'. An
// invalid pattern is a SQL error: ok is false.
func qfMatch(number, pattern string) (match, ok bool) {
	re, err := regexp.Compile(`(?i)^(` + pattern + `)`)
	if err != nil {
		return false, false
	}
	return re.MatchString(number), true
}

// quickforwardDIDRows are the DIDs on a quick-forward dial plan, in number order.
func (st *state) quickforwardDIDRows() []*DID {
	rows := sortedRows(st.dids, func(d *DID) bool {
		dp := st.dialplans[d.DialplanID]
		return d.DialplanID != 0 && dp != nil && dp.DPType != nil && *dp.DPType == dpQuickforward
	})
	slices.SortStableFunc(rows, func(a, b *DID) int { return strings.Compare(a.DID, b.DID) })
	return rows
}

// qfRulePattern is a rule's pattern as get_quickforwarddids uses it: the
// regexp with "%" removed; nil when the rule is missing, NULL or empty
// (which matches nothing).
func (st *state) qfRulePattern(ruleID int64) *string {
	r := st.qfRules[ruleID]
	if ruleID == 0 || r == nil || r.RuleRegexp == nil {
		return nil
	}
	pat := strings.ReplaceAll(*r.RuleRegexp, "%", "")
	if pat == "" {
		return nil
	}
	return &pat
}

// qfForward is the caller's forward of DID d, or nil.
func (st *state) qfForward(userID, didID int64) *QuickforwardDID {
	for _, q := range sortedRows(st.qfDIDs, nil) {
		if q.UserID == userID && q.DIDID == didID {
			return q
		}
	}
	return nil
}

// quickforwardsDIDsGet is quickforwards_dids_get: the quick-forward DIDs a
// simple user may forward, with its current targets.
func (s *Server) quickforwardsDIDsGet(c *call) []byte {
	st, u := s.st, c.caller
	if msg := qfCaller(u); msg != "" {
		return shapeC(msg)
	}
	if u.QuickforwardsRuleID == 0 {
		return shapeC("Quickforwards list is empty")
	}
	ruleID := u.QuickforwardsRuleID
	owner := st.users[u.OwnerID]
	if u.OwnerID != 0 && owner != nil {
		ruleID = owner.QuickforwardsRuleID
	}
	pats := []*string{st.qfRulePattern(ruleID)}
	if u.OwnerID != 0 && owner != nil && owner.Type == Reseller {
		pats = append(pats, st.qfRulePattern(u.QuickforwardsRuleID))
	}
	var list []node
	for _, d := range st.quickforwardDIDRows() {
		keep := true
		for _, pat := range pats {
			if pat == nil {
				keep = false
				break
			}
			m, ok := qfMatch(d.DID, *pat)
			if !ok {
				return nil
			}
			keep = keep && m
		}
		if !keep {
			continue
		}
		fwd, desc := "", ""
		if q := st.qfForward(u.ID, d.ID); q != nil {
			fwd, desc = q.Number, q.Description
		}
		list = append(list, el("quick_forward_did", leaf("did", d.DID), leaf("forward_to", fwd), leaf("description", desc)))
	}
	if len(list) == 0 {
		return shapeC("Quickforwards list is empty")
	}
	return render(el("page", list...))
}

// qfFindDID is the quick-forward DID lookup by number among DIDs on a
// quick-forward dial plan whose number matches pattern (nil: every
// number). A quote in number breaks the SQL: crash is true.
func (st *state) qfFindDID(number string, sent bool, pattern *string) (d *DID, crash bool) {
	if !sent {
		return nil, false
	}
	if strings.Contains(number, "'") {
		return nil, true
	}
	k := mysqlKey(number)
	for _, row := range sortedRows(st.dids, nil) {
		dp := st.dialplans[row.DialplanID]
		if mysqlKey(row.DID) != k || row.DialplanID == 0 || dp == nil || dp.DPType == nil || *dp.DPType != dpQuickforward {
			continue
		}
		if pattern != nil {
			m, ok := qfMatch(row.DID, *pattern)
			if !ok {
				return nil, true
			}
			if !m {
				continue
			}
		}
		return row, false
	}
	return nil, false
}

// quickforwardsDIDUpdate is quickforwards_did_update: create or update the
// caller's forward of one quick-forward DID.
func (s *Server) quickforwardsDIDUpdate(c *call) []byte {
	st, u, p := s.st, c.caller, c.p
	if msg := qfCaller(u); msg != "" {
		return shapeC(msg)
	}
	rule := st.qfRules[u.QuickforwardsRuleID]
	if u.QuickforwardsRuleID == 0 || rule == nil {
		return shapeC("DID was not found")
	}
	if rule.RuleRegexp == nil {
		return nil // gsub! on a NULL pattern raises
	}
	// gsub!("%", "") answers nil when there was no "%": the pattern is then
	// nil and the condition matches every number.
	var pattern *string
	if strings.Contains(*rule.RuleRegexp, "%") {
		pattern = new(strings.ReplaceAll(*rule.RuleRegexp, "%", ""))
	}
	number, sent := p["did"]
	d, crash := st.qfFindDID(number, sent, pattern)
	if crash {
		return nil
	}
	if d == nil {
		return shapeC("DID was not found")
	}
	fwd, hasFwd := p["forward_to"]
	// Rails' numericality: Float(), except that a value starting 0x is not a
	// number (a sign or a space before it slips through).
	if !hasFwd || !didIsNumeric(fwd, true) || strings.HasPrefix(fwd, "0x") || strings.HasPrefix(fwd, "0X") {
		return shapeC("Invalid Quickforward number")
	}
	desc := p["description"]
	if q := st.qfForward(u.ID, d.ID); q != nil {
		q.Number, q.Description = fwd, desc
	} else {
		put(st, st.qfDIDs, QuickforwardDID{DIDID: d.ID, UserID: u.ID, Number: fwd, Description: desc}, true)
	}
	return render(el("page", el("new_quickforward_did", leaf("did", d.DID), leaf("forward_to", fwd), leaf("description", desc))))
}

// quickforwardsDIDDelete is quickforwards_did_delete: remove the caller's
// forward of one quick-forward DID.
func (s *Server) quickforwardsDIDDelete(c *call) []byte {
	st, u, p := s.st, c.caller, c.p
	if msg := qfCaller(u); msg != "" {
		return shapeC(msg)
	}
	if u.QuickforwardsRuleID == 0 {
		return shapeC("DID was not found")
	}
	rule := st.qfRules[u.QuickforwardsRuleID]
	if rule == nil {
		return nil // the rule's pattern is read from a missing row
	}
	pat := ""
	if rule.RuleRegexp != nil {
		pat = strings.ReplaceAll(*rule.RuleRegexp, "%", "")
	}
	number, sent := p["did"]
	d, crash := st.qfFindDID(number, sent, &pat)
	if crash {
		return nil
	}
	if d == nil {
		return shapeC("DID was not found")
	}
	q := st.qfForward(u.ID, d.ID)
	if q == nil {
		return shapeC("No Quickforward is assigned to specified DID")
	}
	delete(st.qfDIDs, q.ID)
	return render(el("page", leaf("status", "Quickforward successfully deleted")))
}
