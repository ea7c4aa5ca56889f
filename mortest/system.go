package mortest

import (
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// systemActions are the system and call-control endpoints: check_user,
// every one hash-checked (system_version_get and conflines_update with the
// secret alone, pbx_pool_create with its fixed [name]).
var systemActions = endpoints{
	"system_version_get": {run: (*Server).systemVersionGet, caller: byU, hash: true},
	"callback_init":      {run: (*Server).callbackInit, caller: byU, hash: true},
	"email_send":         {run: (*Server).emailSend, caller: byU, hash: true},
	"conflines_update":   {run: (*Server).conflinesUpdate, caller: byU, hash: true},
	"pbx_pool_create":    {run: (*Server).pbxPoolCreate, caller: byU, hash: true},
}

// systemVersionGet is system_version_get: the admin's Version confline
// without "MOR ".
func (s *Server) systemVersionGet(c *call) []byte {
	if c.caller == nil {
		return shapeB("Access Denied")
	}
	v := strings.ReplaceAll(s.st.confline(0, "Version"), "MOR ", "")
	return render(el("page", leaf("version", v)))
}

// status is callback_init's <Status> reply.
func status(text string) []byte { return render(leaf("Status", text)) }

// callbackInit is callback_init: every reply is a root <Status>. A passing
// request on an active server is recorded as an Originate (Originates).
func (s *Server) callbackInit(c *call) []byte {
	st, p, u := s.st, c.p, c.caller
	if st.confline(0, "CALLB_Active") != "1" {
		return status("Access Denied")
	}
	if u == nil || p["u"] == "" {
		return status("Not authenticated")
	}
	dev := st.devices[rubyToI(p["device"])]
	if !p.has("device") || dev == nil || dev.UserID != u.ID {
		return status("Bad device")
	}
	if p["src"] == "" {
		return status("No source")
	}
	if v := p["lega_tariff_id"]; !rubyBlank(v) {
		t := st.tariffs[rubyToI(v)]
		switch {
		case t != nil && u.Type == Reseller && st.confline(0, "Allow_Resellers_to_use_Admin_Tariffs") != "1" && t.OwnerID == 0:
			return status("Reseller not allowed to use Admin tariffs")
		case t == nil:
			return status("No tariff")
		case t.Purpose == "provider" || isAdmin(u) && t.OwnerID != 0:
			return status("Bad tariff")
		}
	}
	if v := p["card_pin"]; !rubyBlank(v) {
		// The fake keeps no cards table: any PIN is "not found".
		return status("PIN was not found")
	}
	var sid int64
	if v := p["server_id"]; !rubyBlank(v) {
		if st.servers[rubyToI(v)] == nil {
			return status("Server was not found")
		}
		sid = rubyToI(v)
	} else if sid = rubyToI(st.confline(0, "Web_Callback_Server")); sid == 0 {
		sid = 1
	}
	srv := st.servers[sid]
	if srv == nil || !srv.Active {
		return status("Cannot connect to Asterisk Server")
	}
	src, dst := p["src"], rubyStrip(p["dst"])
	cid := func(conf, override string) string {
		if v, ok := p[override]; ok {
			return v
		}
		out := src
		switch cf := st.conflines[confKey{0, conf}]; cf.Value {
		case "device":
			if dev.CallerID != nil {
				out = callerIDNumber(*dev.CallerID)
			}
		case "custom":
			out = cf.Value2
		}
		if out == "" {
			out = src
		}
		return out
	}
	legA, legB := cid("Callback_legA_CID", "cli_lega"), cid("Callback_legB_CID", "cli_legb")
	o := Originate{ServerID: sid, Channel: "Local/" + src + "@mor_cb_src/n", Context: "mor_cb_dst", Exten: dst,
		Account: dev.ID, CallerID: legB}
	if dst == "" {
		o.Context, o.Exten = "mor_cb_dst_ask", "123"
	}
	now := s.now()
	id := strconv.FormatInt(now.UnixMilli(), 10) + strconv.Itoa(1000+int(now.UnixNano()%9000))
	dID := strconv.FormatInt(dev.ID, 10)
	o.Variables = []string{"MOR_ACC=" + dID, "MOR_CB_LEGA_DST=" + src, "MOR_CB_LEGA_CID=" + legA,
		"MOR_CB_LEGB_CID=" + legB, "MOR_CB_ID=" + id, "MOR_API_CALLBACK_START=" + strconv.FormatInt(now.Unix(), 10)}
	for _, kv := range [][2]string{{"card_pin", "MOR_API_CARD_PIN"}, {"lega_tariff_id", "MOR_LEGA_TARIFF_ID"},
		{"lega_reseller_tariff_id", "MOR_LEGA_RESELLER_TARIFF_ID"}} {
		if v := p[kv[0]]; !rubyBlank(v) {
			o.Variables = append(o.Variables, kv[1]+"="+v)
		}
	}
	st.originates = append(st.originates, o)
	return status("Ok")
}

// callerIDNumber is the number of a `"name" <number>` caller ID.
func callerIDNumber(cid string) string {
	if i := strings.IndexByte(cid, '<'); i >= 0 {
		if j := strings.IndexByte(cid[i:], '>'); j > 0 {
			return cid[i+1 : i+j]
		}
	}
	return cid
}

// emailVariables are the template variables email_send fills.
var emailVariables = strings.Fields(`server_ip device_type device_username device_password login_url
login_username username first_name last_name full_name balance nice_balance warning_email_balance
nice_warning_email_balance currency user_email company_email email company primary_device_pin login_password
user_ip amount date auth_code transaction_id customer_name description company_name url trans_id
cc_purchase_details payment_amount payment_payer_first_name payment_payer_last_name payment_payer_email
payment_seller_email payment_receiver_email payment_date payment_free payment_currency payment_type payment_fee
call_list user_id device_id caller_id calldate source destination billsec hdd_free_space server_id
archive_size date_from date_till current_date search_user_username search_user_fullname
search_reseller_username search_reseller_fullname search_device_description search_device_username`)

var erbTag = regexp.MustCompile(`<%=\s*([A-Za-z_][A-Za-z0-9_]*)\s*%>`)

// emailSend is email_send: shape B refusals, then the sending status.
func (s *Server) emailSend(c *call) []byte {
	st, p, u := s.st, c.p, c.caller
	if u == nil {
		return shapeB("Bad login")
	}
	if !isAdmin(u) && u.Type != Reseller && u.Type != Accountant {
		return shapeB("Access Denied")
	}
	owner := int64(0)
	if u.Type == Reseller {
		owner = u.ID
	}
	var tpl *EmailTemplate
	for _, e := range sortedRows(st.emails, nil) {
		if e.Name == p["email_name"] && e.OwnerID == owner {
			tpl = e
			break
		}
	}
	if tpl == nil {
		return shapeB("Email not found")
	}
	if u.AddressID == nil || st.addresses[*u.AddressID] == nil {
		return nil
	}
	if st.addresses[*u.AddressID].Email == nil {
		return shapeB("Your email not found")
	}
	to := u
	if v := p["email_to_user_id"]; !rubyBlank(v) {
		if to = st.users[rubyToI(v)]; to == nil {
			return shapeB("User not found")
		}
	}
	body := erbTag.ReplaceAllStringFunc(tpl.Body, func(tag string) string {
		name := erbTag.FindStringSubmatch(tag)[1]
		if !slices.Contains(emailVariables, name) {
			return ""
		}
		return html.EscapeString(p[name])
	})
	reply := func(text string) []byte { return render(el("page", leaf("email_sending_status", text))) }
	if rubyToI(p["test_body"]) == 1 {
		// The template's own quotes (the variables' are already &#39;).
		return reply(strings.ReplaceAll(body, "'", "&#8216;"))
	}
	if st.confline(0, "Email_Sending_Enabled") != "1" {
		return reply("E-mail has been disabled")
	}
	addr := ""
	if to.AddressID != nil {
		if a := st.addresses[*to.AddressID]; a != nil && a.Email != nil {
			addr = *a.Email
		}
	}
	if addr == "" {
		return reply("Email is empty " + to.FirstName + " " + to.LastName)
	}
	if to.Blocked && !to.AllowLoginReceiveEmail {
		return reply("Incorrect Email settings")
	}
	st.sentEmails = append(st.sentEmails, SentEmail{Template: tpl.Name, To: addr, UserID: to.ID, Body: body})
	put(st, st.actions, Action{UserID: u.ID, Date: s.now(), Action: "email_sent", Data: tpl.Name, TargetType: "user", TargetID: to.ID}, true)
	return reply("Email sent")
}

// pbxPoolCreate is pbx_pool_create.
func (s *Server) pbxPoolCreate(c *call) []byte {
	st, u := s.st, c.caller
	if u == nil {
		return shapeB("Access Denied")
	}
	if !isAdmin(u) && !(u.Type == Reseller && st.right(u, "pbx_functions") >= RightRead) {
		return shapeB("You are not authorized to use this functionality")
	}
	name := rubyStrip(c.p["name"])
	if name == "" {
		return shapeB("PBX Pool must have name")
	}
	for _, pool := range st.pbxPools {
		if strings.EqualFold(pool.Name, name) {
			return shapeB("PBX Pool name must be unique")
		}
	}
	put(st, st.pbxPools, PBXPool{Name: name, Comment: rubyStrip(c.p["comment"]), OwnerID: u.ID}, true)
	return success("PBX Pool was succesfully created")
}

// railsZones are the Rails time-zone names conflines_update accepts (a
// subset of ActiveSupport::TimeZone's list).
var railsZones = strings.Split("UTC|Vilnius|London|Berlin|Paris|Moscow|Riga|Tallinn|Warsaw|Kyiv|Helsinki|"+
	"Eastern Time (US & Canada)|Central Time (US & Canada)|Mountain Time (US & Canada)|Pacific Time (US & Canada)|"+
	"Tokyo|Sydney|Beijing|New Delhi|Sao Paulo", "|")

var (
	reBit     = regexp.MustCompile(`(?m)^[0-1]$`)
	reDigits  = regexp.MustCompile(`(?m)^[0-9]+$`)
	reNumber  = regexp.MustCompile(`(?m)^-?\d+([,.;]\d+)?$`)
	reCredit1 = regexp.MustCompile(`(?m)^\d+([,.;]\d+)?`)
	reCredit2 = regexp.MustCompile(`(?m)-1$`)
)

// confParams are conflines_update's parameters, in the order the fake
// validates them, with their confline names.
var confParams = []struct{ name, conf string }{
	{"allow_api", "Allow_API"}, {"api_secret_key", "API_Secret_Key"},
	{"default_user_password_length", "Default_User_password_length"}, {"default_user_credit", "Default_User_credit"},
	{"default_user_balance", "Default_User_balance"}, {"default_user_postpaid", "Default_User_postpaid"},
	{"default_user_allow_loss_calls", "Default_User_allow_loss_calls"}, {"default_user_call_limit", "Default_User_call_limit"},
	{"default_user_recording_enabled", "Default_User_recording_enabled"},
	{"default_user_recording_forced_enabled", "Default_User_recording_forced_enabled"},
	{"default_device_call_limit", "Default_device_call_limit"}, {"default_user_time_zone", "Default_User_time_zone"},
	{"default_user_currency", "Default_User_currency_id"},
	{"default_user_quickforwards_rule_id", "Default_User_quickforwards_rule_id"},
	{"default_user_tariff_id", "Default_User_tariff_id"}, {"default_device_canreinvite", "Default_device_canreinvite"},
	{"default_device_nat", "Default_device_nat"}, {"default_device_qualify", "Default_device_qualify"},
	{"default_device_grace_time", "Default_device_grace_time"}, {"default_device_location_id", "Default_device_location_id"},
	{"default_device_audio_codecs", ""}, {"default_device_video_codecs", ""},
}

// confValidate returns the refusal for one parameter ("" passes); crash is
// the server's empty body.
func (s *Server) confValidate(u *User, name, v string) (msg string, crash bool) {
	st := s.st
	adminAllowed := func(conf string) bool { return u.Type == Reseller && st.confline(0, conf) == "1" }
	switch name {
	case "allow_api", "default_user_postpaid", "default_user_allow_loss_calls", "default_user_recording_enabled":
		if !reBit.MatchString(v) {
			return name + " must be 0 or 1", false
		}
	case "default_user_recording_forced_enabled":
		if !reBit.MatchString(v) {
			return name + "  must be 0 or 1", false
		}
	case "api_secret_key":
		if len([]rune(v)) < 6 {
			return "api_secret_key length must be higher than 5", false
		}
	case "default_user_password_length":
		if n := rubyToI(v); !reDigits.MatchString(v) || n < 6 || n > 30 {
			return "default_user_password_length must be between 6 and 30", false
		}
	case "default_user_credit":
		if !reCredit1.MatchString(v) && !reCredit2.MatchString(v) {
			return "default_user_credit must be positive number or -1 for infinity", false
		}
	case "default_user_balance":
		if !reNumber.MatchString(v) {
			return "default_user_balance must be number", false
		}
	case "default_user_call_limit":
		if !reDigits.MatchString(v) {
			return "default_user_credit must be positive integer", false
		}
	case "default_device_call_limit", "default_device_grace_time":
		if !reDigits.MatchString(v) {
			return name + " must be positive integer", false
		}
	case "default_user_time_zone":
		if !slices.Contains(railsZones, rubyStrip(v)) {
			return "default_user_time_zone name was not correct", false
		}
	case "default_user_currency":
		for _, cu := range st.currencies {
			if cu.Name == rubyStrip(v) {
				return "", false
			}
		}
		return "default_user_currency name was not correct", false
	case "default_user_quickforwards_rule_id":
		if v == "" {
			return "", true
		}
		id := rubyToI(v)
		r := st.qfRules[id]
		if v != "0" && (r == nil || !(r.UserID == u.ID || r.UserID == 0 && adminAllowed("Allow_Resellers_to_use_Admin_Quick_Forward_Rules"))) {
			return "default_user_quickforwards_rule_id was not found", false
		}
	case "default_user_tariff_id":
		if v == "" {
			return "", true
		}
		t := st.tariffs[rubyToI(v)]
		if t == nil || t.Purpose != "user" && t.Purpose != "user_wholesale" ||
			!(t.OwnerID == u.ID || t.OwnerID == 0 && adminAllowed("Allow_Resellers_to_use_Admin_Tariffs")) {
			return "default_user_tariff_id was not found", false
		}
	case "default_device_canreinvite":
		if !slices.Contains([]string{"yes", "no", "nonat", "update", "update,nonat"}, rubyStrip(v)) {
			return "default_device_canreinvite can only be one of the following: 'yes', 'no', 'nonat', 'update', 'update,nonat'", false
		}
	case "default_device_nat":
		if !slices.Contains([]string{"yes", "no", "force_rport", "comedia"}, rubyStrip(v)) {
			return "default_device_nat can only be one of the following: 'yes', 'no', 'force_rport', 'comedia'", false
		}
	case "default_device_qualify":
		if v != "no" && rubyToI(v) < 1000 {
			return "default_device_qualify can only be 'no' or >= 1000 integer", false
		}
	case "default_device_location_id":
		if v == "" {
			return "", true
		}
		l := st.locations[rubyToI(v)]
		if l == nil || !(l.UserID == u.ID || l.UserID == 0 && adminAllowed("Allow_Resellers_to_use_Admin_Localization_Rules")) {
			return "default_device_location_id was not found", false
		}
	}
	return "", false
}

// conflinesUpdate is conflines_update: every sent parameter is validated
// first (the first failure wins and nothing is written), then each
// non-blank one is stored in the caller's conflines.
func (s *Server) conflinesUpdate(c *call) []byte {
	st, u, p := s.st, c.caller, c.p
	if u == nil || !isAdmin(u) && u.Type != Reseller {
		return shapeB("Access Denied")
	}
	for _, cp := range confParams {
		if !p.has(cp.name) {
			continue
		}
		msg, crash := s.confValidate(u, cp.name, p[cp.name])
		if crash {
			return nil
		}
		if msg != "" {
			return shapeB(msg)
		}
	}
	owner := u.ID
	set := func(name, value, value2 string) {
		old, ok := st.conflines[confKey{owner, name}]
		if ok && old.Value == value && old.Value2 == value2 {
			return
		}
		st.conflines[confKey{owner, name}] = Confline{Value: value, Value2: value2}
		put(st, st.actions, Action{UserID: u.ID, Date: s.now(), Action: "Confline changed", Data: name,
			Data2: old.Value, Data3: value}, true)
	}
	for _, cp := range confParams {
		v, ok := p[cp.name]
		if !ok || rubyBlank(v) {
			continue
		}
		switch cp.name {
		case "default_user_credit", "default_user_balance":
			set(cp.conf, replaceFirstSep(rubyStrip(v)), "")
		case "default_user_currency":
			for _, cu := range sortedRows(st.currencies, nil) {
				if cu.Name == rubyStrip(v) {
					set(cp.conf, strconv.FormatInt(cu.ID, 10), "")
					break
				}
			}
		case "default_device_canreinvite", "default_device_nat":
			set(cp.conf, rubyStrip(v), "")
		case "default_device_location_id":
			set(cp.conf, strconv.FormatInt(rubyToI(v), 10), "")
		case "default_device_audio_codecs", "default_device_video_codecs":
			typ := strings.TrimSuffix(strings.TrimPrefix(cp.name, "default_device_"), "_codecs")
			codecs := sortedRows(st.codecs, func(k *Codec) bool { return k.CodecType == typ })
			var listed []*Codec
			for _, item := range strings.Split(v, ",") {
				for _, k := range codecs {
					if k.Name == item {
						listed = append(listed, k)
						break
					}
				}
			}
			if len(listed) == 0 {
				continue
			}
			pos := 0
			for _, k := range listed {
				set("Default_device_codec_"+k.Name, "1", strconv.Itoa(pos))
				pos++
			}
			for _, k := range codecs {
				if !slices.Contains(listed, k) {
					set("Default_device_codec_"+k.Name, "0", strconv.Itoa(pos))
					pos++
				}
			}
		default:
			set(cp.conf, v, "")
		}
	}
	return success("Conflines successfully updated")
}

// replaceFirstSep replaces the first "," "." or ";" with ".".
func replaceFirstSep(v string) string {
	if i := strings.IndexAny(v, ",.;"); i >= 0 {
		return v[:i] + "." + v[i+1:]
	}
	return v
}

// loadRatesSystemWorld adds the calls, rates and system group's rows of the
// spec world: server 1 (inactive, so callback_init answers "Cannot connect
// to Asterisk Server"), the Version confline (chosen: "MOR 18"; the dump
// leaves it to the stock database) and the e-mail template
// calling_cards_data_to_paypal (id 6).
func (s *Server) loadRatesSystemWorld() {
	s.AddAsteriskServer(AsteriskServer{ID: 1, IP: "192.168.1.8"})
	s.SetConfline(0, "Version", Confline{Value: "MOR 18"})
	s.AddEmailTemplate(EmailTemplate{ID: 6, Name: "calling_cards_data_to_paypal", Subject: "Calling cards",
		Body: "Cards for <%= first_name %> <%= last_name %>: <%= cc_purchase_details %>"})
}
