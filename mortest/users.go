package mortest

import (
	"math/big"
	"strings"
	"time"
)

// userActions are the users group's endpoints (user_login … login_form).
// Each entry declares the action's before-filters.
//
// What the users handlers model, and what they leave out:
//
//   - user_login: the failure texts from the audit rows (bad_login rows
//     carry "u/p" as the server writes them), redirect mode (302 to /)
//     and the declaration-only reply of other non-zero modes; no web
//     session is kept.
//   - user_details_update: the validation list in order (the last failing
//     item wins), the accountant crash, the save-time messages, the
//     caller's column filter, money in the caller's currency, the pgui,
//     cyberplat and billing-period quirks, address and taxes rows, and a
//     reseller target's uniquehash and LCR propagation. Only the
//     user_edited audit row is written (not the per-change rows); a
//     partner target does not propagate its LCR; comment is cleared to "".
//   - user_register: checks in order (• items keep the first message,
//     the others overwrite), the user, its address, taxes, two "primary"
//     device groups, the device (extension = the lowest free from 1001,
//     random 12-character secret and unique PIN) and CLIs from the phone
//     numbers. A non-zero starting balance writes an "initial balance"
//     audit row instead of a payment, without currency conversion; the
//     VAT number's validity is not checked; no e-mail is sent.
//   - reseller_group_create: the rights calling_cards, autodialer,
//     pbx_functions and sms_addon; of the two rows the server writes per
//     right only the first (the one lookups see) is kept.
var userActions = endpoints{
	"user_login":            {run: (*Server).userLogin, caller: byLogin},
	"user_logout":           {run: (*Server).userLogout, caller: byUBadLogin, hash: true},
	"user_details_get":      {run: (*Server).userDetailsGet, caller: byU, hash: true},
	"user_details_update":   {run: (*Server).userDetailsUpdate, caller: byU, hash: true},
	"user_register":         {run: (*Server).userRegister, caller: byUniquehash, hash: true},
	"users_get":             {run: (*Server).usersGet, caller: byU, hash: true},
	"reseller_group_create": {run: (*Server).resellerGroupCreate, caller: byU, hash: true},
	"login_form":            {run: (*Server).loginForm, caller: byU},
}

// logAction writes an actions row. s.mu is held.
func (s *Server) logAction(a Action) {
	a.Date = s.now()
	put(s.st, s.st.actions, a, true)
}

// userLogin checks u and p (the gate found the caller, or nil) and marks
// the user logged in. Failures write a bad_login row first; from the third
// consecutive failure from one address the text asks to wait.
func (s *Server) userLogin(c *call) []byte {
	if c.caller == nil {
		s.logAction(Action{Action: "bad_login", Data: c.p["u"] + "/" + c.p["p"], Data2: c.remoteIP})
		text := "Login failed"
		if s.loginThrottled(c.remoteIP) {
			text = "Please wait 10 seconds before trying to login again"
		}
		return render(el("action", leaf("name", "login"), leaf("status", "failed"), leaf("status_message", text)))
	}
	s.logAction(Action{UserID: c.caller.ID, Action: "login", Data: c.remoteIP})
	c.caller.Logged = true
	switch mode := rubyToI(s.st.confline(0, "API_Login_Redirect_to_Main")); {
	case mode == 1:
		c.redirect = "/"
		return []byte{}
	case mode != 0:
		return []byte(xmlDecl)
	}
	return render(el("action", leaf("name", "login"), leaf("status", "ok"), leafInt("user_id", c.caller.ID),
		leaf("status_message", "Successfully logged in")))
}

// loginThrottled reports whether the three newest login/bad_login rows of
// ip are all bad_login. s.mu is held.
func (s *Server) loginThrottled(ip string) bool {
	rows := sortedRows(s.st.actions, func(a *Action) bool {
		return (a.Action == "login" || a.Action == "bad_login") && (a.Data == ip || a.Data2 == ip)
	})
	if len(rows) < 3 {
		return false
	}
	for _, a := range rows[len(rows)-3:] {
		if a.Action != "bad_login" {
			return false
		}
	}
	return true
}

// userLogout marks the caller logged out; the gate already answered an
// unknown u with "Bad login".
func (s *Server) userLogout(c *call) []byte {
	s.logAction(Action{UserID: c.caller.ID, Action: "logout"})
	c.caller.Logged = false
	return render(el("action", leaf("name", "logout"), leaf("status", "ok")))
}

// loginForm is the legacy login page: a known u is marked logged in; the
// reply is the same either way (aval_languages is an empty block).
func (s *Server) loginForm(c *call) []byte {
	if c.caller != nil {
		c.caller.Logged = true
	}
	return render(el("page", leaf("pagename", "Login page"), leaf("language", "en"), leaf("error_msg", ""),
		el("aval_languages")))
}

// usersGet lists the users the caller (found again by u and SHA-1(p)) may
// see, in id order.
func (s *Server) usersGet(c *call) []byte {
	st := s.st
	var me *User
	if c.p.has("u") && c.p.has("p") {
		if u := s.findUser(c.p["u"], true); u != nil && strings.EqualFold(u.PasswordHash, PasswordHash(c.p["p"])) {
			me = u
		}
	}
	if me == nil || me.Type == SimpleUser {
		return shapeB("Access Denied")
	}
	if me.Type == Accountant && st.right(me, "user_manage") < RightRead {
		return shapeB("You are not authorized to view this page")
	}
	keep := func(u *User) bool {
		switch {
		case isAdmin(me):
			return u.ID != 0
		case me.Type == Reseller:
			return u.OwnerID == me.ID && u.Type != Accountant
		case me.Type == Accountant:
			return u.ID != 0 && u.Type != Accountant
		case me.Type == Partner:
			if u.OwnerID == me.ID {
				return true
			}
			o := st.users[u.OwnerID]
			return o != nil && o.Type == Reseller && o.OwnerID == me.ID && u.OwnerID != 0
		}
		return false
	}
	rows := sortedRows(st.users, keep)
	if len(rows) == 0 {
		return shapeB("No Users found")
	}
	list := make([]node, len(rows))
	for i, u := range rows {
		list[i] = el("user", leafInt("id", u.ID), leaf("username", u.Username), leaf("first_name", u.FirstName),
			leaf("last_name", u.LastName), leaf("balance", rubyFloat(u.Balance)), leaf("blocked", boolConf(u.Blocked)),
			leafInt("lcr_id", u.LCRID), leafInt("tariff_id", u.TariffID), leafInt("owner_id", u.OwnerID),
			leaf("usertype", string(u.Type)))
	}
	return render(el("page", el("status", el("users", list...))))
}

// resellerRights are the reseller rights reseller_group_create reads.
var resellerRights = []string{"calling_cards", "autodialer", "pbx_functions", "sms_addon"}

// resellerGroupCreate adds a reseller permission group (admin only). Of
// the two rows the server writes per right, lookups see the first: `1` →
// edit, anything else → none.
func (s *Server) resellerGroupCreate(c *call) []byte {
	if c.caller == nil || !isAdmin(c.caller) {
		return shapeB("Access Denied")
	}
	name := c.p["name"]
	if rubyBlank(name) {
		return shapeB("Reseller Group Name must be specified")
	}
	for _, g := range s.st.accGroups {
		if strings.EqualFold(g.Name, name) {
			return shapeB("Group name must be unique")
		}
	}
	rights := map[string]Right{}
	for _, r := range resellerRights {
		rights[r] = RightNone
		if c.p[r] == "1" {
			rights[r] = RightEdit
		}
	}
	put(s.st, s.st.accGroups, AccGroup{Name: name, GroupType: "reseller", Description: c.p["rg_description"],
		Rights: rights}, true)
	return success("Reseller Group successfully created")
}

// userDetailsGet answers one user's details; errors are a root <error>.
func (s *Server) userDetailsGet(c *call) []byte {
	st := s.st
	me := c.caller
	if me == nil {
		s.logAction(Action{Action: "error", Data: "Access Denied"})
		return shapeE("Access Denied")
	}
	uid, hasUID := int64(0), allDigits(c.p["user_id"])
	if hasUID {
		uid = parseDigits(c.p["user_id"])
	}
	var t *User
	if (isAdmin(me) || me.Type == Reseller) && (!hasUID || uid != me.ID) {
		rows := sortedRows(st.users, func(u *User) bool {
			return u.OwnerID == me.ID && (!hasUID || u.ID == uid) &&
				(!c.p.has("username") || mysqlKey(u.Username) == mysqlKey(c.p["username"]))
		})
		if len(rows) > 0 {
			t = rows[0]
		}
	} else {
		t = s.findUser(me.Username, true)
	}
	if t == nil {
		return shapeE("User was not found")
	}
	cur := st.currencies[1]
	if cur == nil {
		return nil
	}
	digits := int(rubyToI(st.confline(0, "Nice_Number_Digits")))
	if digits == 0 {
		digits = 2
	}
	nice := func(d Decimal) string {
		r, _ := d.Rat()
		return r.FloatString(digits)
	}
	account := "Prepaid"
	if t.Postpaid {
		account = "Postpaid"
	}
	credit := "Unlimited"
	if r, _ := t.Credit.Rat(); r.Cmp(big.NewRat(-1, 1)) != 0 {
		credit = nice(t.Credit)
	}
	main := []node{leaf("account", account), leaf("balance", nice(t.Balance)+" "+cur.Name),
		leaf("balance_number", bigDecimal(t.Balance)), leaf("balance_currency", cur.Name), leaf("credit", credit)}
	if isAdmin(me) || me.Type == Reseller && st.right(me, "pbx_functions") >= RightRead {
		main = append(main, leafInt("pbx_pool_id", t.PBXPoolID))
	}
	if (isAdmin(me) || me.Type == Reseller) && t.Type == SimpleUser {
		main = append(main, leaf("hide_non_answered_calls", boolConf(t.HideNonAnsweredCalls)))
	}
	agreement := s.now().Format("2006-01-02")
	if !t.AgreementDate.IsZero() {
		agreement = t.AgreementDate.Format("2006-01-02")
	}
	other := []node{leaf("username", t.Username), leaf("first_name", t.FirstName), leaf("surname", t.LastName),
		leaf("personalid", deref(t.ClientID)), leaf("agreement_number", deref(t.AgreementNumber)),
		leaf("agreement_date", agreement)}
	if t.TaxationCountry != nil {
		if d := st.directions[*t.TaxationCountry]; d != nil {
			name := []rune(d.Name)
			other = append(other, leaf("taxation_country", string(name[:min(len(name), 22)])))
		}
	}
	other = append(other, leaf("vat_reg_number", deref(t.VATNumber)), leaf("vat_percent", rubyFloat(t.VATPercent)),
		leafInt("call_limit", t.CallLimit))
	details := []node{el("main_detail", main...), el("other_details", other...)}
	if t.AddressID != nil {
		if a := st.addresses[*t.AddressID]; a != nil {
			details = append(details, el("registration", leaf("reg_address", a.Address), leaf("reg_postcode", a.Postcode),
				leaf("reg_city", a.City), leaf("reg_country", a.County), leaf("reg_state", a.State),
				leaf("reg_direction", deref(a.Email)), leaf("reg_phone", a.Phone), leaf("reg_mobile", a.MobPhone),
				leaf("reg_fax", a.Fax), leaf("reg_email", deref(a.Email))))
		}
	}
	switch t.Type {
	case Admin, Reseller, Partner, SimpleUser:
		details = append(details, s.invoiceDetails(t), s.warningDetails(me, t))
	}
	return render(el("page", leaf("pagename", "Personal details"), leaf("language", "en"), leafInt("userid", t.ID),
		el("details", details...)))
}

// invoiceDetails is user_details_get's <invoices> block. s.mu is held.
func (s *Server) invoiceDetails(t *User) node {
	bits := t.SendInvoiceTypes
	if bits%2 == 1 {
		name := "Invoice_default"
		if !t.Postpaid {
			name = "Prepaid_Invoice_default"
		}
		bits = rubyToI(s.st.confline(0, name))
	}
	flag := func(name string, bit int64) node { return leaf(name, boolConf(bits&bit != 0)) }
	var kids []node
	admin := t.Type == Admin
	if !admin {
		kids = append(kids, leaf("generate_invoices", boolConf(t.GenerateInvoice)))
	}
	kids = append(kids, flag("invoice_xlsx", 512), flag("simplified_pdf", 2), flag("simplified_csv", 4),
		flag("detailed_pdf", 8), flag("detailed_csv", 16))
	if admin || t.Type == SimpleUser {
		kids = append(kids, flag("by_callerid_pdf", 32), flag("by_callerid_csv", 128), flag("by_destinations", 64),
			flag("calls", 256))
	}
	if !admin {
		kids = append(kids, leaf("show_zero_calls", boolConf(t.InvoiceZeroCalls)))
	}
	return el("invoices", kids...)
}

// warningDetails is user_details_get's <warning_balance> block.
func (s *Server) warningDetails(me, t *User) node {
	limits := []node{leaf("user", bigDecimal(t.WarningEmailBalance))}
	if isAdmin(me) && t.Type != Admin {
		limits = append(limits, leaf("admin", bigDecimal(t.WarningEmailBalanceAdmin)),
			leaf("responsible_accountant", bigDecimal(t.WarningEmailBalanceManager)))
	}
	return el("warning_balance", leaf("active", boolConf(t.WarningEmailActive)),
		el("send_email_when_balance_drops_lower_than", limits...), leafInt("warning_email_hour", t.WarningEmailHour))
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// rubyFloat (Ruby's Float#to_s) is in model_rates.go, shared with the rates group.

// bigDecimal prints a decimal column as BigDecimal#to_s in plain notation:
// no trailing zeros, at least one fractional digit ("0.0", "26.0", "12.3456").
func bigDecimal(d Decimal) string {
	r, ok := d.Rat()
	if !ok {
		return string(d)
	}
	out := r.FloatString(20)
	out = strings.TrimRight(out, "0")
	if strings.HasSuffix(out, ".") {
		out += "0"
	}
	if out == "-0.0" {
		out = "0.0"
	}
	return out
}

// parseBigDecimal is Ruby's BigDecimal(str) as the server uses it on form
// values: the leading number ("10.5abc" → 10.5), 0 when none.
func parseBigDecimal(s string) *big.Rat {
	s = rubyStrip(s)
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '.' && i+1 < len(s) && isDigit(s[i+1]) {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i == start {
		return new(big.Rat)
	}
	r, ok := new(big.Rat).SetString(s[:i])
	if !ok {
		return new(big.Rat)
	}
	return r
}

// ratDecimal stores an exact rational as a Decimal (12 fractional digits at
// most, trailing zeros dropped).
func ratDecimal(r *big.Rat) Decimal {
	out := r.FloatString(12)
	if strings.Contains(out, ".") {
		out = strings.TrimRight(strings.TrimRight(out, "0"), ".")
	}
	if out == "-0" {
		out = "0"
	}
	return Decimal(out)
}

// inCallerCurrency divides an amount given in u's currency by that
// currency's exchange rate (a missing or zero rate counts as 1).
func (st *state) inCallerCurrency(u *User, r *big.Rat) *big.Rat {
	if cur := st.currencies[u.CurrencyID]; cur != nil {
		if rate, ok := cur.ExchangeRate.Rat(); ok && rate.Sign() != 0 {
			return new(big.Rat).Quo(r, rate)
		}
	}
	return r
}

// date parses "y-m-d" from three to_i parts; false for an impossible date.
func usrDate(y, m, d string, loc *time.Location) (time.Time, bool) {
	yy, mm, dd := int(rubyToI(y)), int(rubyToI(m)), int(rubyToI(d))
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, loc)
	if t.Year() != yy || int(t.Month()) != mm || t.Day() != dd {
		return time.Time{}, false
	}
	return t, true
}
