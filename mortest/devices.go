package mortest

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	mor "github.com/morbilling/mor-go"
)

// deviceActions are the devices group's endpoints (devices_get …
// user_devices), each with its before-filters.
var deviceActions = endpoints{
	"devices_get":            {run: (*Server).devicesGet, caller: byU, hash: true},
	"device_details_get":     {run: (*Server).deviceDetailsGet, caller: byU, hash: true},
	"device_create":          {run: (*Server).deviceCreate, caller: byU, hash: true},
	"device_update":          {run: (*Server).deviceUpdate, caller: byU, hash: true},
	"device_delete":          {run: (*Server).deviceDelete, caller: byU, hash: true},
	"device_callflow_get":    {run: (*Server).deviceCallflowGet, caller: byU, hash: true},
	"device_callflow_update": {run: (*Server).deviceCallflowUpdate, caller: byU, hash: true},
	"morphone_details_get":   {run: (*Server).morphoneDetailsGet, caller: byLogin},
	"user_devices":           {run: (*Server).userDevices, caller: byUBadLogin},
}

// devNiceUser is the server's nice_user: "first last", or the username
// when that string is shorter than two characters; "" for a missing user.
func devNiceUser(u *User) string {
	if u == nil {
		return ""
	}
	n := u.FirstName + " " + u.LastName
	if len([]rune(n)) < 2 {
		return u.Username
	}
	return n
}

// devNiceDevice is the server's nice_device: TYPE/NAME, or TYPE/EXTENSION
// for FAX devices and devices without a name; "" for a missing device.
func devNiceDevice(d *Device) string {
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

// listedDevice is the filter of a user's device list: accountcode not 0
// and a name not starting mor_server_.
func listedDevice(d *Device, userID int64) bool {
	return d.UserID == userID && d.accountcode() != 0 && !strings.HasPrefix(d.Name, "mor_server_")
}

// devicesGet lists a user's devices (id and type).
func (s *Server) devicesGet(c *call) []byte {
	caller := c.caller
	if caller == nil {
		return shapeC("Bad login")
	}
	if caller.Type == Accountant && s.st.right(caller, "device_manage") < RightRead {
		return shapeC("You are not authorized to view this page")
	}
	raw := rubyStrip(c.p["user_id"])
	target := s.st.users[rubyToI(raw)]
	if target != nil && target.OwnerID != ownerRef(caller) {
		return shapeC("Access Denied")
	}
	switch {
	case target != nil && !rubyBlank(raw):
		rows := s.st.sortedDevices(func(d *Device) bool { return listedDevice(d, target.ID) })
		if len(rows) == 0 {
			return shapeC("Device not found")
		}
		kids := make([]node, len(rows))
		for i, d := range rows {
			kids[i] = el("device", leafInt("device_id", d.ID), leaf("device_type", d.Type))
		}
		return render(el("page", el("devices", kids...)))
	case rubyBlank(raw):
		return shapeC("user_id is empty")
	}
	return shapeC("User not found")
}

// deviceDetailsGet dumps every content column of a device in block form,
// then its codecs. Errors are a root <error>.
func (s *Server) deviceDetailsGet(c *call) []byte {
	caller := c.caller
	if caller == nil {
		return shapeE("Access Denied")
	}
	if caller.Type == SimpleUser || caller.Type == Accountant &&
		(s.st.right(caller, "device_manage") < RightRead || s.st.right(caller, "user_manage") < RightRead) {
		return shapeE("You are not authorized to view this page")
	}
	d := s.st.devices[rubyToI(c.p["device_id"])]
	if d == nil {
		return shapeE("Device was not found")
	}
	if du := s.st.users[d.UserID]; du == nil || du.OwnerID != ownerRef(caller) {
		return shapeE("Device was not found")
	}
	var b strings.Builder
	b.WriteString(xmlDecl + "<page>\n")
	for _, col := range deviceContent(d) {
		devWriteBlock(&b, 1, col.name, col.value)
	}
	b.WriteString("  <codecs>\n")
	devWriteBlock(&b, 2, "audio_codecs", strings.Join(s.deviceCodecNames(d, "audio"), ", "))
	devWriteBlock(&b, 2, "video_codecs", strings.Join(s.deviceCodecNames(d, "video"), ", "))
	b.WriteString("  </codecs>\n</page>\n")
	return []byte(b.String())
}

// devWriteBlock writes a tag the way MorApi.add_tag does: the opening tag on
// its own line, the text unindented, the closing tag indented.
func devWriteBlock(b *strings.Builder, depth int, name, text string) {
	indent(b, depth)
	b.WriteString("<" + name + ">\n")
	escapeText(b, text)
	indent(b, depth)
	b.WriteString("</" + name + ">\n")
}

// deviceCodecNames are the names of d's enabled codecs of one type,
// ordered by the device's priority then codec id (FAX devices: alaw and
// ulaw only).
func (s *Server) deviceCodecNames(d *Device, typ string) []string {
	type pc struct {
		prio, id int64
		name     string
	}
	var list []pc
	for _, dc := range s.st.deviceCodecs {
		cd := s.st.codecs[dc.CodecID]
		if dc.DeviceID != d.ID || cd == nil || cd.CodecType != typ {
			continue
		}
		if d.Type == "FAX" && cd.Name != "alaw" && cd.Name != "ulaw" {
			continue
		}
		list = append(list, pc{dc.Priority, cd.ID, cd.Name})
	}
	slices.SortFunc(list, func(a, b pc) int {
		if a.prio != b.prio {
			return int(a.prio - b.prio)
		}
		return int(a.id - b.id)
	})
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = x.name
	}
	return out
}

// deviceCreateTypes are the device types device_create accepts from
// anyone; dahdi and Virtual may be switched off for resellers.
var deviceCreateTypes = []string{"SIP", "IAX2", "FAX", "H323", ""}

// devDigitsSpaces reports whether s is non-empty and only digits and
// spaces.
func devDigitsSpaces(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && s[i] != ' ' {
			return false
		}
	}
	return true
}

// devRandom returns n characters drawn from alphabet.
func devRandom(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b)
}

const (
	devLowerDigits = "abcdefghijklmnopqrstuvwxyz0123456789"
	devMixedChars  = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

// deviceCreate adds a device to a user and answers its id and
// credentials.
func (s *Server) deviceCreate(c *call) []byte {
	st, p, caller := s.st, c.p, c.caller
	if caller == nil {
		return shapeC("Bad login")
	}
	acc := caller.Type == Accountant
	// Owner check on User.where(id: params[:user_id]).
	var first *User
	if p.has("user_id") {
		first = st.users[rubyToI(p["user_id"])]
	}
	if acc && first == nil {
		return nil
	}
	if first == nil || acc && first.ID == 0 || first.OwnerID != ownerRef(caller) {
		return shapeC("Access Denied")
	}
	// Target by the hash collector's user_id (all digits only).
	var target *User
	if allDigits(p["user_id"]) {
		if u := st.users[parseDigits(p["user_id"])]; u != nil && u.OwnerID == ownerRef(caller) {
			target = u
		}
	}
	if target == nil {
		return shapeC("User was not found")
	}

	pin, hasPIN := rubyStrip(p["pin"]), p.has("pin")
	ext, hasExt := rubyStrip(p["extension"]), p.has("extension")
	if acc && st.right(caller, "device_pin") != RightEdit {
		hasPIN = false
	}
	if acc && st.right(caller, "device_edit_opt_1") != RightEdit {
		hasExt = false
	}
	// A blank PIN counts as not sent; a blank extension is kept and gives
	// a device without a name, which the model refuses (chosen).
	hasPIN = hasPIN && pin != ""
	typ := p["type"]
	if typ == "" {
		typ = st.confline(apiOwner(caller), "Default_device_type")
		if typ == "" {
			typ = "SIP"
		}
	}

	msg := ""
	fail := func(m string) {
		if msg == "" {
			msg = m
		}
	}
	if acc && st.right(caller, "device_create") != RightEdit {
		fail("Access Denied")
	}
	if hasExt && ext != "" && slices.ContainsFunc(st.sortedDevices(nil), func(d *Device) bool { return mysqlKey(d.Extension) == mysqlKey(ext) }) {
		fail("Extension already exists in User's PBX Pool")
	}
	if hasPIN && slices.ContainsFunc(st.sortedDevices(nil), func(d *Device) bool { return d.PIN != nil && *d.PIN == pin }) {
		fail("PIN is already used")
	}
	if hasPIN && !devDigitsSpaces(pin) {
		fail("PIN must be numeric")
	}
	var groupID int64
	if p.has("devicegroup_id") {
		groupID = rubyToI(p["devicegroup_id"])
		if g := st.deviceGroups[groupID]; g == nil || g.UserID != target.ID {
			fail("Device group invalid")
		}
	}
	if !s.deviceTypeAllowed(caller, p["type"]) {
		fail("Device type invalid")
	}
	if p.has("call_timeout") && !devDigitsSpaces(p["call_timeout"]) {
		fail("Device Call Timeout must be greater than or equal to 0")
	}
	cid := rubyStrip(p["caller_id"])
	if cid != "" {
		if !mor.IsNumericCLI(cid) {
			msg = "CallerID must be numeric"
		}
		if acc && st.right(caller, "device_edit_opt_4") != RightEdit {
			msg = "You are not authorized to manage callerid"
		}
	}
	if msg != "" {
		return shapeC(msg)
	}
	if hasExt && ext == "" && typ != "Virtual" && typ != "H323" {
		return render(el("page", leaf("error", "Device was not created"), leaf("message", "Device must have name")))
	}

	// The new row, with the owner's defaults.
	owner := target.OwnerID
	conf := func(name string) string { return st.confline(owner, "Default_device_"+name) }
	if !hasPIN {
		pin = s.freePIN()
	}
	if !hasExt {
		ext = s.freeExtension()
	}
	d := NewDevice(0, typ, ext, target.ID)
	d.ID = st.seq["devices"] + 1
	d.Secret = devRandom(devMixedChars, 12)
	d.PIN = &pin
	d.Description = rubyStrip(p["description"])
	d.DeviceGroupID = &groupID
	d.IPAddr = conf("ipaddr")
	d.Port = rubyToI(conf("port"))
	if d.Port == 0 {
		switch typ {
		case "SIP":
			d.Port = 5060
		case "IAX2":
			d.Port = 4569
		}
	}
	switch typ {
	case "H323":
		d.Host, d.IPAddr, d.Port, d.Username = "", "", 1720, ""
		d.Name = "ipauth" + devRandom(devLowerDigits, 8)
	case "Virtual":
		v := "virtual_" + strconv.FormatInt(d.ID, 10)
		d.Extension, d.Username, d.Name = v, v, v
	}
	if cid != "" {
		d.CallerID = new("<" + cid + ">")
	} else {
		d.CallerID = new(devBuildCallerID(conf("cid_name"), conf("cid_number")))
	}
	if loc := rubyToI(conf("location_id")); loc != 0 {
		d.LocationID = loc
	}
	if v := p["fromuser"]; p.has("fromuser") && !rubyBlank(v) {
		d.FromUser = &v
	}
	if p.has("call_timeout") {
		d.MaxTimeout = rubyToI(p["call_timeout"])
	}
	for _, col := range []struct {
		name string
		dst  *string
	}{{"qualify", &d.Qualify}, {"nat", &d.NAT}, {"canreinvite", &d.CanReinvite}, {"dtmfmode", &d.DTMFMode},
		{"record", &d.Record}, {"grace_time", &d.GraceTime}} {
		if v := conf(col.name); v != "" {
			*col.dst = v
		}
	}
	if v := conf("call_limit"); v != "" {
		d.CallLimit = rubyToI(v)
	}
	if v := conf("timeout"); v != "" {
		d.Timeout = rubyToI(v)
	}
	d.ID = put(st, st.devices, d, true)
	stored := st.devices[d.ID]
	var names []string
	for _, cd := range sortedRows(st.codecs, nil) {
		on := typ == "FAX" && (cd.Name == "alaw" || cd.Name == "ulaw") ||
			typ != "FAX" && st.confline(owner, "Default_device_codec_"+cd.Name) == "1"
		if on {
			put(st, st.deviceCodecs, DeviceCodec{DeviceID: d.ID, CodecID: cd.ID, Priority: int64(len(names))}, true)
			names = append(names, cd.Name)
		}
	}
	if len(names) > 0 {
		stored.Allow = strings.Join(names, ";")
	}
	// The create callback makes the user's only listed device its primary.
	if len(st.sortedDevices(func(x *Device) bool { return listedDevice(x, target.ID) })) == 1 {
		target.PrimaryDeviceID = d.ID
	}
	return render(el("page", leaf("status", "Device created"), leafInt("id", d.ID),
		leaf("username", stored.Username), leaf("password", stored.Secret)))
}

// deviceTypeAllowed is device_create's type rule: the basic types for
// everyone, dahdi and Virtual unless the caller is a reseller and the
// admin's Resellers_Allow_Use_*_Device confline is 0 (or missing).
func (s *Server) deviceTypeAllowed(caller *User, typ string) bool {
	if slices.Contains(deviceCreateTypes, typ) {
		return true
	}
	conf := map[string]string{"dahdi": "Resellers_Allow_Use_dahdi_Device", "Virtual": "Resellers_Allow_Use_Virtual_Device"}[typ]
	if conf == "" {
		return false
	}
	return caller.Type != Reseller || rubyToI(s.st.confline(0, conf)) != 0
}

// devBuildCallerID is the stored CallerID of a name and a number:
// "name" <num>, "name", <num> or "".
func devBuildCallerID(name, num string) string {
	switch {
	case name != "" && num != "":
		return `"` + name + `" <` + num + `>`
	case name != "":
		return `"` + name + `"`
	case num != "":
		return "<" + num + ">"
	}
	return ""
}

// devSplitCallerID reads the name and number parts of a stored CallerID.
func devSplitCallerID(cid string) (name, num string) {
	if i := strings.IndexByte(cid, '"'); i >= 0 {
		if j := strings.IndexByte(cid[i+1:], '"'); j >= 0 {
			name = cid[i+1 : i+1+j]
		}
	}
	if i := strings.IndexByte(cid, '<'); i >= 0 {
		if j := strings.IndexByte(cid[i+1:], '>'); j >= 0 {
			num = cid[i+1 : i+1+j]
		}
	}
	return name, num
}

// freePIN is a random PIN of the admin's Device_PIN_Length digits
// (default 6) no device uses.
func (s *Server) freePIN() string {
	n := int(rubyToI(s.st.confline(0, "Device_PIN_Length")))
	if n <= 0 {
		n = 6
	}
	for {
		pin := devRandom("0123456789", n)
		if !slices.ContainsFunc(s.st.sortedDevices(nil), func(d *Device) bool { return d.PIN != nil && *d.PIN == pin }) {
			return pin
		}
	}
}

// freeExtension is the lowest number of the admin's Device_Range_MIN …
// Device_Range_MAX (default 1001 … 9999) that no device uses as its
// extension or username.
func (s *Server) freeExtension() string {
	lo, hi := rubyToI(s.st.confline(0, "Device_Range_MIN")), rubyToI(s.st.confline(0, "Device_Range_MAX"))
	if lo <= 0 {
		lo = 1001
	}
	if hi < lo {
		hi = max(lo, 9999)
	}
	used := map[string]bool{}
	for _, d := range s.st.devices {
		used[mysqlKey(d.Extension)], used[mysqlKey(d.Username)] = true, true
	}
	for n := lo; n <= hi; n++ {
		if e := strconv.FormatInt(n, 10); !used[e] {
			return e
		}
	}
	return strconv.FormatInt(hi+1, 10)
}

// ownedDevice is the owner check of device_update and device_delete: the
// device's user must be owned by the caller (0 for an accountant), and an
// accountant may not touch the admin's devices. crash is the server's
// empty body (an accountant and a device without a user).
func (s *Server) ownedDevice(caller *User, d *Device) (ok, crash bool) {
	du := s.st.users[d.UserID]
	if du == nil {
		return false, caller.Type == Accountant
	}
	if caller.Type == Accountant && du.ID == 0 {
		return false, false
	}
	return du.OwnerID == ownerRef(caller), false
}

// deviceUpdate changes a device's authentication, credentials, limits and
// CallerID; every message is a line inside <page><status>.
func (s *Server) deviceUpdate(c *call) []byte {
	st, p, caller := s.st, c.p, c.caller
	if caller == nil {
		return shapeB("Access Denied")
	}
	if caller.Type == Accountant && st.right(caller, "device_manage") != RightEdit {
		return shapeB("You are not authorized to use this functionality")
	}
	stored := st.devices[rubyToI(p["device"])]
	if stored == nil {
		return shapeB("Device was not found")
	}
	if ok, crash := s.ownedDevice(caller, stored); crash {
		return nil
	} else if !ok {
		return shapeB("Device was not found")
	}
	d := stored.clone()
	var lines []node
	counted := false
	errLine := func(m string, counts bool) {
		lines = append(lines, leaf("error", m))
		counted = counted || counts
	}
	adminConf := func(name string) bool { return st.confline(0, name) == "1" }

	// Location.
	if d.LocationID == 1 && caller.Type == Reseller {
		d.LocationID = rubyToI(st.confline(caller.ID, "Default_device_location_id"))
	} else if p.has("new_location_id") {
		id := rubyToI(p["new_location_id"])
		loc := st.locations[id]
		ok := loc != nil && loc.UserID == ownerRef(caller)
		if !ok && loc != nil && caller.Type == Reseller && loc.UserID == 0 {
			ok = adminConf("Allow_Resellers_to_use_Admin_Localization_Rules") || id == d.LocationID
		}
		if ok {
			d.LocationID = id
		} else {
			errLine("Location was not found", true)
		}
	}
	if !counted {
		if p.has("call_limit") {
			d.CallLimit = max(rubyToI(p["call_limit"]), 0)
		}
		if p.has("fromuser") {
			d.FromUser = new(p["fromuser"])
		}
	}

	// IP authentication.
	auth := p["authentication"]
	if auth == "1" || d.Username == "" {
		host := d.IPAddr
		if p.has("host") {
			host = p["host"]
		}
		port, portOK := int64(0), true
		if p.has("port") {
			port, portOK = devStrictInteger(p["port"])
		}
		if port == 0 {
			port = map[string]int64{"SIP": 5060, "IAX2": 4569}[d.Type]
		}
		if portOK && validDeviceHost(host) && !s.ipTaken(d.ID, host, port) &&
			(d.Type == "SIP" || d.Type == "IAX2") {
			d.Username, d.Secret = "", ""
			if !strings.Contains(d.Name, "ipauth") {
				d.Name = "ipauth" + devRandom(devLowerDigits, 8)
			}
			d.Host, d.IPAddr, d.Port = host, host, port
		}
	}

	// Dynamic credentials.
	canChange := (d.Type == "SIP" || d.Type == "IAX2") && d.Host == "dynamic" && d.UserID != -1 &&
		!strings.HasPrefix(d.Name, "mor_server_")
	if auth == "0" || canChange {
		if d.Host != "dynamic" {
			d.Host = "dynamic"
			d.Name, d.Username = d.Extension, d.Extension
		}
		name, hasName := p["username"], p.has("username")
		if p.has("device_name") {
			name, hasName = p["device_name"], true
		}
		pw, hasPW := p["password"], p.has("password")
		if !(hasName && hasPW && name == pw) {
			if hasName && s.validDeviceName(&d, name) {
				d.Name, d.Username = name, name
			}
			short := adminConf("Allow_short_passwords_in_devices")
			if hasPW && d.Username != "" && pw != d.Name && (len(pw) >= 8 || short) {
				d.Secret = pw
			}
		}
		if len(d.Secret) < 8 && !adminConf("Allow_short_passwords_in_devices") {
			errLine("Password is too short", false)
		}
	}

	// Trunk and call timeout.
	if p.has("trunk") {
		switch p["trunk"] {
		case "1":
			d.IsTrunk, d.ANI = 1, 0
		case "2":
			d.IsTrunk, d.ANI = 1, 1
		default:
			d.IsTrunk, d.ANI = 0, 0
		}
	}
	if p.has("call_timeout") {
		if devDigitsSpaces(p["call_timeout"]) {
			d.MaxTimeout = rubyToI(p["call_timeout"])
		} else {
			errLine("Device Call Timeout must be greater than or equal to 0", true)
		}
	}

	if !counted && s.deviceSaves(&d) {
		if p.has("callerid_name") || p.has("callerid_number") {
			name, num := devSplitCallerID(devDeref(d.CallerID))
			if p.has("callerid_name") {
				name = p["callerid_name"]
			}
			if p.has("callerid_number") {
				num = p["callerid_number"]
			}
			d.CallerID = new(devBuildCallerID(name, num))
		}
		*stored = d.clone()
		if d.Type == "FAX" {
			s.devFaxEmails(d.ID, p)
		}
		lines = append(lines, leaf("success", "Device successfully updated"))
	}
	if len(lines) == 0 {
		// A block-form <status> with no children prints on two lines.
		return []byte(xmlDecl + "<page>\n  <status>\n  </status>\n</page>\n")
	}
	return render(el("page", el("status", lines...)))
}

func devDeref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// devStrictInteger is Ruby's Integer(): optional spaces and sign, digits.
func devStrictInteger(s string) (int64, bool) {
	t := strings.Trim(s, " \t\n\v\f\r")
	if t == "" {
		return 0, false
	}
	u := strings.TrimLeft(t, "+-")
	if len(t)-len(u) > 1 || !allDigits(strings.ReplaceAll(u, "_", "")) {
		return 0, false
	}
	return rubyToI(t), true
}

// validDeviceHost accepts a.b.c.d, a.b.c.d/NN (NN 24–32) or a.b.c.d-NNN,
// not all zeros.
func validDeviceHost(h string) bool {
	ip, suffix := h, ""
	if i := strings.IndexAny(h, "/-"); i >= 0 {
		ip, suffix = h[:i], h[i:]
	}
	parts := strings.Split(ip, ".")
	if len(parts) != 4 {
		return false
	}
	zero := true
	for _, x := range parts {
		if !allDigits(x) || len(x) > 3 || rubyToI(x) > 255 {
			return false
		}
		zero = zero && rubyToI(x) == 0
	}
	if zero {
		return false
	}
	switch {
	case suffix == "":
		return true
	case suffix[0] == '/':
		n := rubyToI(suffix[1:])
		return allDigits(suffix[1:]) && n >= 24 && n <= 32
	default:
		return allDigits(suffix[1:]) && len(suffix) <= 4 && rubyToI(suffix[1:]) <= 255
	}
}

// ipTaken reports whether another device uses host and port (the admin's
// Allow_Duplicate_IP_Port confline allows it; chosen name).
func (s *Server) ipTaken(id int64, host string, port int64) bool {
	if s.st.confline(0, "Allow_Duplicate_IP_Port") == "1" {
		return false
	}
	for _, o := range s.st.devices {
		if o.ID != id && o.Host == host && o.Port == port {
			return true
		}
	}
	return false
}

// validDeviceName is device_name_valid?: not anonymous/unknown, not the
// current secret, and unique among device names when the admin forbids
// duplicates.
func (s *Server) validDeviceName(d *Device, name string) bool {
	if l := strings.ToLower(name); l == "anonymous" || l == "unknown" || name == d.Secret {
		return false
	}
	if s.st.confline(0, "Disalow_Duplicate_Device_Usernames") == "1" {
		for _, o := range s.st.devices {
			if o.ID != d.ID && mysqlKey(o.Name) == mysqlKey(name) {
				return false
			}
		}
	}
	return true
}

// deviceSaves are the model rules that refuse a save without a message:
// name equal to the secret, a short secret on a dynamic SIP/IAX2/FAX
// device, another device on the same IP and port, IP authentication with
// host "dynamic".
func (s *Server) deviceSaves(d *Device) bool {
	short := s.st.confline(0, "Allow_short_passwords_in_devices") == "1"
	switch {
	case d.Secret != "" && d.Name == d.Secret:
		return false
	case d.Username != "" && len(d.Secret) < 8 && !short && (d.Type == "SIP" || d.Type == "IAX2" || d.Type == "FAX"):
		return false
	case d.Host != "dynamic" && d.Host != "" && s.ipTaken(d.ID, d.Host, d.Port):
		return false
	case d.Username == "" && d.Host == "dynamic" && (d.Type == "SIP" || d.Type == "IAX2"):
		return false
	}
	return true
}

// devFaxEmails applies fax_email_add (a valid address) and
// fax_email_delete (matching rows) to a FAX device.
func (s *Server) devFaxEmails(deviceID int64, p params) {
	if v := strings.TrimSpace(p["fax_email_add"]); p.has("fax_email_add") && devValidEmail(v) {
		put(s.st, s.st.pdfFaxEmails, PDFFaxEmail{DeviceID: deviceID, Email: v}, true)
	}
	if v := p["fax_email_delete"]; p.has("fax_email_delete") {
		for id, e := range s.st.pdfFaxEmails {
			if e.DeviceID == deviceID && mysqlKey(e.Email) == mysqlKey(v) {
				delete(s.st.pdfFaxEmails, id)
			}
		}
	}
}

// devValidEmail is a plain local@domain.tld check.
func devValidEmail(v string) bool {
	at := strings.IndexByte(v, '@')
	return at > 0 && strings.Contains(v[at+1:], ".") && !strings.ContainsAny(v, " \t")
}

// deviceDelete deletes a device and what hangs off it.
func (s *Server) deviceDelete(c *call) []byte {
	st, caller := s.st, c.caller
	if caller == nil {
		return shapeC("Bad login")
	}
	d := st.devices[rubyToI(c.p["device"])]
	if d == nil {
		return shapeC("Device was not found")
	}
	if ok, crash := s.ownedDevice(caller, d); crash {
		return nil
	} else if !ok {
		return shapeC("Access Denied")
	}
	if caller.Type == Accountant && st.right(caller, "device_manage") != RightRead {
		return shapeC("You do not have rights to edit this")
	}
	id := strconv.FormatInt(d.ID, 10)
	flows := sortedRows(st.callflows, nil)
	switch {
	case slices.ContainsFunc(flows, func(f *Callflow) bool { return f.Action == "fax_detect" && f.Data2 == "fax" && f.Data == id }):
		return shapeC("Unable to delete this device - it is used in Call Flow for Fax Detect")
	case slices.ContainsFunc(flows, func(f *Callflow) bool { return f.Action == "forward" && f.Data2 == "local" && f.Data == id }):
		return shapeC("Device has forwarded calls - we cannot delete it")
	case d.Refs.Calls > 0:
		return shapeC("Cannot delete device - it has calls. You can only hide device's user. Why is that and how to do that - please read in manual.")
	case d.Refs.DialPlans > 0:
		return shapeC("Device has Dial Plans - we cannot delete it")
	case d.Refs.LocationRules > 0:
		return shapeC("One or more Location rules are using this Device")
	case d.Refs.Queues > 0:
		return shapeC("Cannot delete device - it is assigned to Queue")
	case d.Refs.QueueAgents > 0:
		return shapeC("Cannot delete device - it is assigned to Queue Agent")
	case d.Refs.Alerts > 0:
		return shapeC("Cannot delete Device - it is assigned to Alerts")
	}
	for _, cli := range st.deviceCLIs(d.ID) {
		st.deleteCLI(cli.ID)
	}
	for k, dc := range st.deviceCodecs {
		if dc.DeviceID == d.ID {
			delete(st.deviceCodecs, k)
		}
	}
	for k, e := range st.pdfFaxEmails {
		if e.DeviceID == d.ID {
			delete(st.pdfFaxEmails, k)
		}
	}
	for _, did := range st.dids {
		if did.DeviceID == d.ID {
			did.DeviceID = 0
		}
	}
	delete(st.devices, d.ID)
	return render(el("page", leaf("status", "Device was deleted")))
}

// callflowStates are the six stages device_callflow_get lists, in order.
var callflowStates = []string{"before_call", "call", "answered", "no_answer", "busy", "failed"}

// callflowLabel writes a cf_type or action as the server does: "_" to a
// space, the first letter upper case.
func callflowLabel(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// callflowDevice is the device check of both call-flow actions: a simple
// user's own device, else a device whose user the caller owns.
func (s *Server) callflowDevice(caller *User, p params) *Device {
	d := s.st.devices[rubyToI(p["device_id"])]
	if d == nil {
		return nil
	}
	if caller.Type == SimpleUser {
		if d.UserID != caller.ID {
			return nil
		}
		return d
	}
	if du := s.st.users[d.UserID]; du == nil || du.OwnerID != caller.ID {
		return nil
	}
	return d
}

// firstCallflow is the device's first stored row of a stage.
func (s *Server) firstCallflow(deviceID int64, state string) *Callflow {
	for _, f := range sortedRows(s.st.callflows, nil) {
		if f.DeviceID == deviceID && f.CFType == state {
			return f
		}
	}
	return nil
}

// deviceCallflowGet lists the six stages of a device's call flow.
func (s *Server) deviceCallflowGet(c *call) []byte {
	caller := c.caller
	if caller == nil {
		return shapeC("User was not found")
	}
	if caller.Type == Reseller && s.st.right(caller, "pbx_functions") < RightRead || caller.Type == Accountant {
		return shapeC("You are not authorized to use this functionality")
	}
	d := s.callflowDevice(caller, c.p)
	if d == nil {
		return shapeC("Device was not found")
	}
	kids := []node{leaf("user", devNiceUser(s.st.users[d.UserID])), leaf("device", devNiceDevice(d))}
	for _, state := range callflowStates {
		prio, action, data := int64(1), "", ""
		switch state {
		case "call":
			action, data = "dial", d.Type+"/"+d.Name+"|"+strconv.FormatInt(d.Timeout, 10)
		case "answered":
			action = "hangup"
		}
		if f := s.firstCallflow(d.ID, state); f != nil {
			prio, action, data = f.Priority, f.Action, f.Data
			if action == "empty" {
				action = ""
			}
			switch {
			case f.Action == "forward" && f.Data2 == "local":
				t := s.st.devices[rubyToI(f.Data)]
				if t == nil {
					return nil
				}
				data = t.Type + "/" + t.Name
			case f.Action == "voicemail":
				data = ""
			case f.Action == "fax_detect" && f.Data2 == "fax":
				t := s.st.devices[rubyToI(f.Data)]
				if t == nil {
					return nil
				}
				data = t.Type + "/" + t.Extension
			}
		}
		kids = append(kids, el("callflow", leaf("state", callflowLabel(state)), leafInt("priority", prio),
			leaf("action", callflowLabel(action)), leaf("data", data)))
	}
	return render(el("page", kids...))
}

// deviceCallflowUpdate sets one stage of a device's call flow.
func (s *Server) deviceCallflowUpdate(c *call) []byte {
	st, p, caller := s.st, c.p, c.caller
	if caller == nil {
		return shapeC("User was not found")
	}
	if caller.Type == Reseller && st.right(caller, "pbx_functions") != RightEdit || caller.Type == Accountant {
		return shapeC("You are not authorized to use this functionality")
	}
	d := s.callflowDevice(caller, p)
	if d == nil {
		return shapeC("Device was not found")
	}
	state, action := p["state"], p["callflow_action"]
	if !slices.Contains([]string{"before_call", "no_answer", "busy", "failed"}, state) {
		return shapeC("Callflow state was not found")
	}
	if !slices.Contains([]string{"forward", "voicemail", "empty"}, action) && !(action == "fax_detect" && state == "before_call") {
		return shapeC("Callflow action was not found")
	}
	f := s.firstCallflow(d.ID, state)
	row := Callflow{DeviceID: d.ID}
	if f != nil {
		row = *f
	}
	var cidType, cidData string
	hasCIDData := false
	switch action {
	case "empty":
		row.Data, row.Data2, row.Data3, row.Data4 = "", "", "1", ""
	case "voicemail":
		row.Data, row.Data2 = "", ""
	case "fax_detect":
		fax := st.devices[rubyToI(p["fax_device"])]
		if fax == nil || fax.Type != "FAX" {
			return shapeC("FAX device was not found")
		}
		row.Data, row.Data2 = strconv.FormatInt(fax.ID, 10), "fax"
	case "forward":
		// The first forward name present wins; the fake sees no parameter
		// order and prefers forward_to_device.
		switch {
		case p.has("forward_to_device"):
			t := st.devices[rubyToI(p["forward_to_device"])]
			if t == nil || t.UserID != d.UserID {
				return shapeC("Local device was not found")
			}
			row.Data, row.Data2 = strconv.FormatInt(t.ID, 10), "local"
		case p.has("external_number"):
			n := p["external_number"]
			if n == "" {
				return shapeC("External number was not found")
			}
			if !mor.IsNumericCLI(n) {
				return shapeC("External number must be numeric")
			}
			row.Data, row.Data2 = n, "external"
		default:
			return shapeC("Missing forward parameters")
		}
		switch {
		case p.has("device_callerid"):
			row.Data3, row.Data4 = "1", ""
			cidType, cidData, hasCIDData = "From Device", devDeref(d.CallerID), true
		case p.has("src_callerid"):
			row.Data3, row.Data4 = "2", ""
			cidType = "Unchanged"
		case p.has("did_id"):
			did := st.dids[rubyToI(p["did_id"])]
			if did == nil || did.DeviceID != d.ID {
				return shapeC("DID was not found")
			}
			row.Data3, row.Data4 = "3", strconv.FormatInt(did.ID, 10)
			cidType, cidData, hasCIDData = "DID", did.DID, true
		case p.has("custom"):
			row.Data3, row.Data4 = "4", p["custom"]
			cidType, cidData, hasCIDData = "Custom", p["custom"], true
		default:
			row.Data3, row.Data4 = "1", ""
			cidType, cidData, hasCIDData = "From Device", devDeref(d.CallerID), true
		}
	}
	row.Action, row.CFType, row.Priority = action, state, 1
	if f != nil {
		*f = row
	} else {
		put(st, st.callflows, row, true)
	}
	kids := []node{leaf("state", callflowLabel(state)), leafInt("priority", 1), leaf("action", callflowLabel(action))}
	if row.Data != "" {
		kids = append(kids, leaf("data", row.Data))
	}
	if action == "forward" {
		kids = append(kids, leaf("callerid_type", cidType))
		if hasCIDData {
			kids = append(kids, leaf("callerid_data", cidData))
		}
	}
	return render(el("page", leaf("status", "Callflow was successfully updated"),
		leaf("user", devNiceUser(st.users[d.UserID])), leaf("device", devNiceDevice(d)), el("callflow", kids...)))
}

// morphoneDetailsGet provisions the caller's SIP device for the MOR
// softphone: the primary device when it is SIP, else the lowest-id SIP
// device.
func (s *Server) morphoneDetailsGet(c *call) []byte {
	st, caller := s.st, c.caller
	if caller == nil {
		return shapeC("Bad login")
	}
	d := st.devices[caller.PrimaryDeviceID]
	if d == nil || d.Type != "SIP" || d.UserID != caller.ID {
		d = nil
		for _, x := range st.sortedDevices(func(x *Device) bool { return x.UserID == caller.ID && x.Type == "SIP" }) {
			d = x
			break
		}
	}
	if d == nil {
		return shapeC("Device was not found")
	}
	var names []string
	for _, dc := range sortedRows(st.deviceCodecs, func(dc *DeviceCodec) bool { return dc.DeviceID == d.ID }) {
		if cd := st.codecs[dc.CodecID]; cd != nil {
			names = append(names, cd.Name)
		}
	}
	return render(el("page",
		el("device", leaf("username", d.Username), leaf("password", d.Secret), leaf("enabled_codecs", strings.Join(names, ","))),
		leaf("server_ip", st.confline(0, "morphone_server_ip")), leaf("server_port", st.confline(0, "morphone_server_port")),
		leaf("did_number", st.confline(0, "morphone_did_number"))))
}

// userDevices is the legacy device list of the caller (secrets in clear);
// it marks the caller logged in.
func (s *Server) userDevices(c *call) []byte {
	caller := c.caller
	caller.Logged = true
	var kids []node
	for _, d := range s.st.sortedDevices(func(d *Device) bool { return listedDevice(d, caller.ID) }) {
		last := time.Unix(d.Regseconds, 0).In(s.loc).Format("2006-01-02 15:04:05")
		kids = append(kids, el("device", leafInt("acc", d.ID), leaf("description", d.Description),
			leaf("type", d.Type), leaf("extension", d.Extension), leaf("username", d.Name),
			leaf("password", d.Secret), leafPtr("cid", d.CallerID), leaf("last_time_registered", last)))
	}
	return render(el("page", leaf("pagename", "Devices"), leaf("language", "en"),
		leafInt("userid", caller.ID), el("devices", kids...)))
}
