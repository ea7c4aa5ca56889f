package mortest

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// resellerColumns are the columns a reseller caller may write on any
// target; resellerOtherColumns only on a target other than itself.
var (
	resellerColumns = setOf("time_zone", "recording_hdd_quota", "recordings_email", "spy_device_id", "currency_id",
		"password", "warning_email_balance", "warning_email_hour", "first_name", "last_name", "clientid",
		"taxation_country", "vat_number", "acc_group_id")
	resellerOtherColumns = setOf("accounting_number", "generate_invoice", "username", "tariff_id", "postpaid",
		"call_limit", "blocked", "agreement_number", "language", "warning_balance_sound_file_id",
		"warning_balance_call", "quickforwards_rule_id")
)

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// emailRe is the address e-mail check (chosen: one @, a dot in the domain,
// no spaces).
var emailRe = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// userDetailsUpdate changes a user's settings: caller and target checks,
// then the validation list (the last failing item's message wins), then
// the save with the caller's column filter and the side effects.
func (s *Server) userDetailsUpdate(c *call) []byte {
	st := s.st
	me, p := c.caller, c.p
	if me == nil {
		return shapeC("Bad login")
	}
	uid, hasUID := int64(0), allDigits(p["user_id"])
	if hasUID {
		uid = parseDigits(p["user_id"])
	}
	if me.Type == SimpleUser || me.Type == Accountant && (!hasUID || uid == 0 || uid == me.ID) {
		return shapeC("Access Denied")
	}
	var t *User
	if hasUID {
		if u := st.users[uid]; u != nil {
			switch {
			case isAdmin(me), me.Type == Accountant:
				if u.OwnerID == 0 {
					t = u
				}
			case me.Type == Reseller:
				if u.OwnerID == me.ID || u.ID == me.ID {
					t = u
				}
			case me.Type == Partner:
				if u.OwnerID == me.ID {
					t = u
				}
			}
		}
	}
	if t == nil {
		return shapeC("User was not found")
	}
	get := func(k string) (string, bool) { v, ok := p[k]; return rubyStrip(v), ok }

	// Validation: each failing item replaces the message.
	msg := ""
	if me.Type == Accountant && st.right(me, "user_manage") != RightEdit {
		msg = "You do not have rights to edit this"
	}
	u13, _ := get("u13")
	if me.Type == Reseller && u13 != "" && u13 != "user" {
		msg = "Access Denied"
	}
	if me.Type == Accountant && u13 == "admin" {
		msg = "Access Denied"
	}
	if v, ok := get("u5"); ok && v != "" && !s.tariffUsable(me, t, rubyToI(v)) {
		msg = "Tariff was not found"
	}
	if v, _ := get("u29"); rubyToI(v) != 0 {
		if pool := st.pbxPools[rubyToI(v)]; pool == nil || pool.OwnerID != me.ID {
			msg = "PBX Pool was not found"
		}
	}
	if pswd, _ := get("pswd"); pswd != "" {
		strong := s.strongPasswords()
		if strong && !strongPassword(pswd) {
			msg = "Password must contain at least one numeric value, capital and lowercase symbol"
		}
		owner := int64(0)
		if o := st.users[t.OwnerID]; o != nil && o.Type == Reseller {
			owner = o.ID
		}
		m := max(int(rubyToI(st.confline(owner, "Default_User_password_length"))), 6)
		if strong {
			m = max(m, 8)
		}
		if len([]rune(pswd)) < m {
			msg = "Password must be longer than " + strconv.Itoa(m-1) + " characters"
		}
	}
	if v, ok := get("u9"); ok {
		n := max(int(rubyToI(st.confline(0, "Default_User_username_length"))), 1)
		if len([]rune(v)) < n {
			msg = "Username must be longer than " + strconv.Itoa(n-1) + " characters"
		}
	}
	if v, ok := get("u1"); ok && !s.lcrVisible(t, rubyToI(v)) {
		msg = "LCR was not found"
	}
	if v, ok := get("u31"); ok && v != "-1" {
		a := st.users[rubyToI(v)]
		valid := allDigits(strings.TrimPrefix(v, "+")) && a != nil && a.Type == Accountant && a.OwnerID == 0 &&
			t.Type != Accountant && t.Type != Partner && !isAdmin(t)
		if !valid {
			msg = "Responsible accountant is not valid"
		}
	}
	if v, _ := get("u16"); rubyToI(v) != 0 {
		r := st.qfRules[rubyToI(v)]
		ok := r != nil && (r.UserID == me.ID ||
			r.UserID == 0 && (st.confline(0, "Allow_Resellers_to_use_Admin_Quick_Forward_Rules") == "1" ||
				r.ID == t.QuickforwardsRuleID))
		if !ok {
			msg = "Quickforward Rule was not found"
		}
	}
	if me.Type == Accountant && st.accGroups[me.AccGroupID] == nil {
		return nil // the server reads the caller's missing group and raises
	}
	if msg != "" {
		return shapeC(msg)
	}

	// Save-time validation of the address, else of the user.
	var addrErrs, userErrs []string
	if v, ok := get("a8"); ok && v != "" {
		if !emailRe.MatchString(v) {
			addrErrs = append(addrErrs, "Please enter correct email")
		} else if st.confline(0, "allow_identical_email_addresses_to_different_users") != "1" {
			for _, a := range st.addresses {
				if a.Email != nil && mysqlKey(*a.Email) == mysqlKey(v) && (t.AddressID == nil || a.ID != *t.AddressID) {
					addrErrs = append(addrErrs, "Email "+v+" is already used")
					break
				}
			}
		}
	}
	w := s.columnFilter(me, t)
	if v, ok := get("u9"); ok && w("username") {
		for _, u := range st.users {
			if u.ID != t.ID && mysqlKey(u.Username) == mysqlKey(v) {
				userErrs = append(userErrs, "Username has already been taken")
				break
			}
		}
	}
	if v, ok := get("u22"); ok && v != "" && w("recordings_email") && !emailRe.MatchString(v) {
		userErrs = append(userErrs, "Please enter correct recordings email")
	}
	if errs := addrErrs; len(errs) > 0 || len(userErrs) > 0 {
		if len(errs) == 0 {
			errs = userErrs
		}
		kids := []node{leaf("error", "User was not updated")}
		for _, e := range errs {
			kids = append(kids, leaf("message", e))
		}
		return render(el("page", kids...))
	}
	s.applyUserUpdate(me, t, p, w)
	s.logAction(Action{UserID: me.ID, Action: "user_edited", TargetType: "user", TargetID: t.ID})
	return render(el("page", leaf("status", "User was updated")))
}

// tariffUsable is validation item 4: a tariff of the caller (admin
// tariffs for an accountant); a reseller may also use admin non-provider
// tariffs when allowed, or keep its target's current one. s.mu is held.
func (s *Server) tariffUsable(me, t *User, id int64) bool {
	tr := s.st.tariffs[id]
	if tr == nil {
		return false
	}
	owner := me.ID
	if me.Type == Accountant {
		owner = 0
	}
	if tr.OwnerID == owner {
		return true
	}
	return me.Type == Reseller && tr.OwnerID == 0 && tr.Purpose != "provider" &&
		(s.st.confline(0, "Allow_Resellers_to_use_Admin_Tariffs") == "1" || id == t.TariffID)
}

// lcrVisible is validation item 9: the LCRs the target's owner may give.
func (s *Server) lcrVisible(t *User, id int64) bool {
	l := s.st.lcrs[id]
	if l == nil {
		return false
	}
	o := s.st.users[t.OwnerID]
	if t.OwnerID == 0 || o == nil || o.Type != Reseller {
		return l.UserID == 0
	}
	if !o.OwnProviders {
		return l.ID == o.LCRID
	}
	return l.UserID == o.ID
}

// strongPasswords: the admin's Use_strong_passwords_for_users is 1 or
// missing.
func (s *Server) strongPasswords() bool {
	c, ok := s.st.conflines[confKey{0, "Use_strong_passwords_for_users"}]
	return !ok || c.Value == "1"
}

func strongPassword(p string) bool {
	var d, up, lo bool
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			d = true
		case r >= 'A' && r <= 'Z':
			up = true
		case r >= 'a' && r <= 'z':
			lo = true
		}
	}
	return d && up && lo
}

// columnFilter is which mapped columns the caller may write on t.
func (s *Server) columnFilter(me, t *User) func(col string) bool {
	switch me.Type {
	case Reseller:
		return func(col string) bool {
			switch {
			case resellerColumns[col]:
				return true
			case t.ID != me.ID && resellerOtherColumns[col]:
				return true
			case col == "lcr_id":
				return me.OwnProviders
			case col == "hide_destination_end", col == "cyberplat_active":
				return !me.OwnProviders
			}
			return false
		}
	case Accountant:
		need := map[string]string{"usertype": "user_create_opt_2", "lcr_id": "user_create_opt_3",
			"tariff_id": "user_create_opt_4", "postpaid": "user_create_opt_6", "hidden": "user_create_opt_6",
			"call_limit": "user_create_opt_7", "password": "user_create_opt_1"}
		return func(col string) bool {
			if col == "password" && isAdmin(t) {
				return false
			}
			if r, ok := need[col]; ok {
				return s.st.right(me, r) == RightEdit
			}
			return true
		}
	}
	return func(string) bool { return true }
}

// applyUserUpdate writes the sent fields to t, its address and its taxes.
// s.mu is held.
func (s *Server) applyUserUpdate(me, t *User, p params, w func(string) bool) {
	st := s.st
	get := func(k string) (string, bool) { v, ok := p[k]; return rubyStrip(v), ok }
	flag := func(v string) bool { return rubyToI(v) > 0 }
	setI := func(k, col string, dst *int64) {
		if v, ok := get(k); ok && w(col) {
			*dst = rubyToI(v)
		}
	}
	setB := func(k, col string, dst *bool, f func(string) bool) {
		if v, ok := get(k); ok && w(col) {
			*dst = f(v)
		}
	}
	setS := func(k, col string, dst *string) {
		if v, ok := get(k); ok && w(col) {
			*dst = v
		}
	}
	setP := func(k, col string, dst **string) {
		if v, ok := get(k); ok && w(col) {
			*dst = &v
		}
	}
	setP("u0", "vat_number", &t.VATNumber)
	setI("u1", "lcr_id", &t.LCRID)
	setI("u2", "warning_email_hour", &t.WarningEmailHour)
	setI("u4", "currency_id", &t.CurrencyID)
	setI("u5", "tariff_id", &t.TariffID)
	if v, ok := get("u6"); ok && w("warning_email_balance") {
		t.WarningEmailBalance = ratDecimal(st.inCallerCurrency(me, parseBigDecimal(v)))
	}
	setI("u7", "spy_device_id", &t.SpyDeviceID)
	setS("u8", "language", &t.Language)
	setS("u9", "username", &t.Username)
	setB("u10", "warning_balance_call", &t.WarningBalanceCall, flag)
	setI("u11", "acc_group_id", &t.AccGroupID)
	setB("u12", "generate_invoice", &t.GenerateInvoice, func(v string) bool { return rubyToI(v) == 1 })
	if v, ok := get("u14"); ok && w("taxation_country") {
		n := rubyToI(v)
		t.TaxationCountry = &n
	}
	setB("u15", "blocked", &t.Blocked, flag)
	setI("u16", "quickforwards_rule_id", &t.QuickforwardsRuleID)
	setS("u17", "last_name", &t.LastName)
	if v, ok := get("u18"); ok && w("call_limit") {
		t.CallLimit = max(rubyToI(v), 0)
	}
	setP("u19", "clientid", &t.ClientID)
	if v, ok := get("u20"); ok && w("recording_hdd_quota") {
		q := rubyToI(v)
		if st.confline(0, "REC_Active") == "1" {
			q *= 1048576
		}
		t.RecordingHDDQuota = q
	}
	if _, ok := get("u21"); ok && w("cyberplat_active") {
		t.CyberplatActive = p["cyberplat_active"] == "1"
	}
	setS("u22", "recordings_email", &t.RecordingsEmail)
	setS("u23", "first_name", &t.FirstName)
	setI("u24", "warning_balance_sound_file_id", &t.WarningBalanceSoundFileID)
	setB("u25", "postpaid", &t.Postpaid, flag)
	setS("u26", "accounting_number", &t.AccountingNumber)
	setP("u27", "agreement_number", &t.AgreementNumber)
	setB("u28", "hidden", &t.Hidden, flag)

	adminOrReseller := isAdmin(me) || me.Type == Reseller
	if v, ok := get("u29"); ok && v != "" && rubyToI(v) >= 0 &&
		(isAdmin(me) || me.Type == Reseller && st.right(me, "pbx_functions") >= RightRead) {
		t.PBXPoolID = rubyToI(v)
	}
	if v, ok := get("u30"); ok && adminOrReseller {
		t.HideNonAnsweredCalls = rubyToI(v) != 0
	}
	if v, ok := get("hide_non_answered_calls"); ok {
		t.HideNonAnsweredCalls = rubyToI(v) != 0
	}
	if v, ok := get("u31"); ok && rubyToI(v) >= 1 {
		t.ResponsibleAccountantID = rubyToI(v)
	}
	if w("hide_destination_end") && (me.Type != Reseller || !me.OwnProviders) {
		t.HideDestinationEnd = 1
		if p.has("pgui") {
			t.HideDestinationEnd = 0
		}
	}
	if p.has("ay") && p.has("am") && p.has("ad") {
		if d, ok := usrDate(p["ay"], p["am"], p["ad"], s.loc); ok {
			t.AgreementDate = d
		}
	}
	if p.has("by") && p.has("bm") && p.has("bd") {
		if d, ok := usrDate(p["by"], p["bm"], p["bd"], s.loc); ok {
			t.BlockAt = d
		}
	}
	if v, ok := get("pswd"); ok && v != "" && w("password") {
		t.PasswordHash = PasswordHash(v)
	}
	if v, ok := get("credit"); ok {
		r := parseBigDecimal(strings.NewReplacer(",", ".", ";", ".").Replace(v))
		if r.Sign() < 0 {
			r = new(big.Rat)
		}
		t.Credit = ratDecimal(st.inCallerCurrency(me, r))
	}
	if v, ok := get("unlimited"); ok && rubyToI(v) > 0 {
		t.Credit = "-1"
	}
	invoice, anyInvoice := int64(0), false
	for i := 1; i <= 9; i++ {
		if v, ok := get("i" + strconv.Itoa(i)); ok {
			invoice += rubyToI(v)
			anyInvoice = true
		}
	}
	if anyInvoice {
		t.SendInvoiceTypes = invoice
	}
	for k, dst := range map[string]*int64{"block_at_conditional": &t.BlockAtConditional,
		"allow_loss_calls": &t.AllowLossCalls, "allow_change_callerid": &t.AllowChangeCallerID} {
		if v, ok := get(k); ok {
			*dst = rubyToI(v)
		}
	}
	if v, ok := get("allow_login_receive_email"); ok {
		t.AllowLoginReceiveEmail = rubyToI(v) != 0
	}
	if v, ok := get("block_conditional_use"); ok {
		t.BlockConditionalUse = 0
		if rubyToI(v) > 0 {
			t.BlockConditionalUse = 1
		}
	}
	if v, ok := get("warning_email_active"); ok {
		t.WarningEmailActive = flag(v)
		t.WarningEmailHour = rubyToI(p["user_warning_email_hour"])
		if u2, _ := get("u2"); u2 == "-1" {
			t.WarningEmailHour = -1
		}
	}
	if v, ok := get("warning_email_balance"); ok {
		cur, _ := t.WarningEmailBalance.Rat()
		if parseBigDecimal(v).Cmp(cur) != 0 {
			t.WarningEmailSent = false
		}
	}
	if v, ok := get("show_zero_calls"); ok {
		t.InvoiceZeroCalls = rubyToI(v) != 0
	}
	if st.confline(0, "REC_Active") == "1" {
		setB("recording_enabled", "recording_enabled", &t.RecordingEnabled, func(v string) bool { return rubyToI(v) != 0 })
		setB("recording_forced_enabled", "recording_forced_enabled", &t.RecordingForcedEnabled,
			func(v string) bool { return rubyToI(v) != 0 })
	}
	if u13, _ := get("u13"); u13 == "accountant" || u13 == "reseller" {
		t.AccGroupID = rubyToI(p["accountant_type"])
	} else {
		t.AccGroupID = 0
	}
	if v, ok := get("billing_period"); ok && (v == "weekly" || v == "bi-weekly" || v == "monthly") {
		t.BillingPeriod = v
	} else {
		t.BillingPeriod = "monthly"
	}
	setI("invoice_grace_period", "invoice_grace_period", &t.InvoiceGracePeriod)
	setI("simple_user_group_id", "simple_user_group_id", &t.SimpleUserGroupID)
	t.Comment = ""
	if me.Type != Reseller {
		t.RoutingThreshold, t.RoutingThreshold2, t.RoutingThreshold3 = 0, 0, 0
	}

	s.applyAddress(t, p)
	s.applyTaxes(t, p)
	if t.Type == Reseller {
		s.applyResellerTarget(t, p)
	}
}

// applyAddress writes a0…a9 to the target's address, creating it when
// any is sent and the target has none.
func (s *Server) applyAddress(t *User, p params) {
	fields := []string{"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"}
	sent := false
	for _, f := range fields {
		sent = sent || p.has(f)
	}
	if !sent {
		return
	}
	var a *Address
	if t.AddressID != nil {
		a = s.st.addresses[*t.AddressID]
	}
	if a == nil {
		id := put(s.st, s.st.addresses, Address{}, true)
		a = s.st.addresses[id]
		t.AddressID = &id
	}
	for i, dst := range []*string{&a.Address, &a.City, &a.Postcode, &a.County, &a.MobPhone, &a.Fax, nil, &a.Phone,
		nil, &a.State} {
		if v, ok := p[fields[i]]; ok && dst != nil {
			*dst = rubyStrip(v)
		}
	}
	if v, ok := p["a6"]; ok {
		a.DirectionID = rubyToI(v)
	}
	if v, ok := p["a8"]; ok {
		if v = rubyStrip(v); v == "" {
			a.Email = nil
		} else {
			a.Email = &v
		}
	}
}

// applyTaxes gives the target a taxes row if it has none, then writes the
// tax fields (tax1 is always enabled; tax4_enabled is never applied).
func (s *Server) applyTaxes(t *User, p params) {
	tx := s.st.taxes[t.TaxID]
	if tx == nil {
		id := put(s.st, s.st.taxes, Tax{Tax1Enabled: true, Tax1Value: "0", Tax2Value: "0", Tax3Value: "0",
			Tax4Value: "0"}, true)
		tx, t.TaxID = s.st.taxes[id], id
	}
	tx.Tax1Enabled = true
	for k, dst := range map[string]*bool{"tax2_enabled": &tx.Tax2Enabled, "tax3_enabled": &tx.Tax3Enabled,
		"compound_tax": &tx.CompoundTax} {
		if v, ok := p[k]; ok {
			*dst = rubyToI(v) != 0
		}
	}
	for k, dst := range map[string]*string{"tax1_name": &tx.Tax1Name, "tax2_name": &tx.Tax2Name,
		"tax3_name": &tx.Tax3Name, "tax4_name": &tx.Tax4Name, "total_tax_name": &tx.TotalTaxName} {
		if v := p[k]; v != "" {
			*dst = v
		}
	}
	for k, dst := range map[string]*Decimal{"tax1_value": &tx.Tax1Value, "tax2_value": &tx.Tax2Value,
		"tax3_value": &tx.Tax3Value, "tax4_value": &tx.Tax4Value} {
		if v, ok := p[k]; ok {
			*dst = ratDecimal(parseBigDecimal(v))
		}
	}
}

// applyResellerTarget: a reseller target gets a uniquehash if it had none;
// own_providers turning on creates its BLANK LCR for its users; absent or
// 0, its users' LCR is overwritten with its own.
func (s *Server) applyResellerTarget(t *User, p params) {
	st := s.st
	if t.Uniquehash == nil || *t.Uniquehash == "" {
		h := s.randomString(10, lowerAlnum)
		t.Uniquehash = &h
	}
	users := sortedRows(st.users, func(u *User) bool { return u.OwnerID == t.ID && u.ID != t.ID })
	if rubyToI(p["own_providers"]) > 0 {
		if !t.OwnProviders {
			t.OwnProviders = true
			id := put(st, st.lcrs, LCR{Name: "BLANK", Order: "price", UserID: t.ID}, true)
			for _, u := range users {
				u.LCRID = id
			}
		}
		return
	}
	if p.has("own_providers") {
		t.OwnProviders = false
	}
	for _, u := range users {
		u.LCRID = t.LCRID
	}
}
