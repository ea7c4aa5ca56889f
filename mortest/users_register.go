package mortest

import (
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
)

const (
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	mixedAlnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

// registrationNotice is the notice user_register appends: the translated
// text with its <br> turned into a newline (the first line ends in a space).
const registrationNotice = "*ATTENTION! These settings are for you to configure your DEVICE. \n" +
	"In order to login to this system you need to use settings you have entered before!"

// randomString returns n random characters of alphabet.
func (s *Server) randomString(n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b)
}

// digitsOf keeps the digits of s (phone numbers become CLIs this way).
func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// userRegister creates a customer on behalf of the registrar found by id
// (the uniquehash). Without id the hash is checked with the admin's key
// and the registrar is the lowest-id user whose uniquehash compares equal
// to 0 in MySQL (not starting with 1–9).
func (s *Server) userRegister(c *call) []byte {
	st := s.st
	p := c.p
	reg := c.caller
	if !p.has("id") {
		admin := st.users[0]
		if admin == nil || !st.settings(0).AllowAPI {
			return shapeA("Incorrect hash")
		}
		if msg := s.hashGate(c.method, p, admin); msg != "" {
			return shapeA(msg)
		}
		for _, u := range sortedRows(st.users, nil) {
			if u.Uniquehash != nil && (*u.Uniquehash == "" || (*u.Uniquehash)[0] < '1' || (*u.Uniquehash)[0] > '9') {
				reg = u
				break
			}
		}
	}
	// check_rs_user_count runs before the action.
	if reg != nil && reg.Type == Reseller {
		addon := "RS_Active"
		if reg.OwnProviders {
			addon = "RSPRO_Active"
		}
		n := len(sortedRows(st.users, func(u *User) bool { return u.OwnerID == reg.ID && u.ID != reg.ID }))
		if n >= 2 && st.confline(0, addon) != "1" {
			return shapeB("This is a limited version. You can have only 2 Users.")
		}
	}
	if st.confline(0, "API_Allow_registration_ower_API") != "1" {
		return shapeB("Registration over API is disabled")
	}
	if reg == nil {
		return shapeB("Access Denied")
	}
	// Tariff: an existing tariff must be the registrar's (or the admin's
	// when allowed); an unknown one means the default.
	tariffID := rubyToI(st.confline(reg.ID, "Default_User_tariff_id"))
	if tr := st.tariffs[rubyToI(p["tariff"])]; p.has("tariff") && tr != nil {
		if tr.OwnerID != reg.ID && !(tr.OwnerID == 0 && st.confline(0, "Allow_Resellers_to_use_Admin_Tariffs") == "1") {
			return shapeB("Tariff was not found")
		}
		tariffID = tr.ID
	}

	msg := ""
	first := func(m string) {
		if msg == "" {
			msg = m
		}
	}
	over := func(m string) { msg = m }
	username, password := rubyStrip(p["username"]), p["password"]
	if rubyBlank(username) {
		first("Please enter username")
	} else if s.findUser(username, true) != nil {
		first("Such username is already taken")
	}
	if password != p["password2"] {
		first("Passwords do not match")
	}
	if st.confline(0, "Allow_registration_username_passwords_in_devices") == "1" && len(password) < 8 &&
		st.confline(0, "Allow_short_passwords_in_devices") != "1" {
		over("Password must be longer than 7 characters or short passwords in Devices should be allowed")
	}
	strong := s.strongPasswords()
	if password != "" && strong && !strongPassword(password) {
		over("Password must contain at least one numeric value, capital and lowercase symbol")
	}
	m := max(int(rubyToI(st.confline(reg.ID, "Default_User_password_length"))), 6)
	if strong {
		m = max(m, 8)
	}
	if password != "" && len([]rune(password)) < m {
		over("Password must be longer than " + strconv.Itoa(m-1) + " characters")
	}
	if n := max(int(rubyToI(st.confline(reg.ID, "Default_User_username_length"))), 1); username != "" &&
		len([]rune(username)) < n {
		over("Username must be longer than " + strconv.Itoa(n-1) + " characters")
	}
	if rubyBlank(password) {
		first("Please enter password")
	} else if password == username {
		first("Please enter password not equal to username")
	}
	if rubyBlank(p["first_name"]) {
		first("Please enter first name")
	}
	if rubyBlank(p["last_name"]) {
		first("Please enter last name")
	}
	usertype := SimpleUser
	switch p["usertype"] {
	case "reseller":
		usertype = Reseller
	case "accountant":
		usertype = Accountant
	}
	var groupID int64
	if usertype != SimpleUser {
		if rubyBlank(p["permission_group"]) {
			over("Permission Group was not selected")
		} else if g := st.accGroups[rubyToI(p["permission_group"])]; g == nil || g.GroupType != string(usertype) {
			over("Permission Group was not Found")
		} else {
			groupID = g.ID
		}
	}
	country := st.directions[rubyToI(p["country_id"])]
	if country == nil {
		first("Please select country")
	}
	email := rubyStrip(p["email"])
	if !emailRe.MatchString(email) {
		first("Please enter correct email")
	} else if st.confline(0, "allow_identical_email_addresses_to_different_users") != "1" {
		for _, a := range st.addresses {
			if a.Email != nil && mysqlKey(*a.Email) == mysqlKey(email) {
				first("This email address is already in use.")
				break
			}
		}
	}
	for _, ph := range []struct{ param, text string }{
		{"mob_phone", "User with such mobile phone number already exists"},
		{"phone", "User with such phone number already exists"},
		{"fax", "User with such fax number already exists"},
	} {
		if d := digitsOf(p[ph.param]); d != "" && len(st.clisByNumber(d)) > 0 {
			first(ph.text)
		}
	}
	devType := p["device_type"]
	if devType != "SIP" && devType != "IAX2" && devType != "Virtual" {
		first("Enter device type")
	}
	lcrID := reg.LCRID
	if p.has("lcr_id") {
		if l := st.lcrs[rubyToI(p["lcr_id"])]; !allDigits(p["lcr_id"]) || l == nil || l.UserID != reg.ID {
			over("LCR was not found")
		} else {
			lcrID = l.ID
		}
	}
	locationID := int64(1)
	if p.has("device_location_id") {
		if l := st.locations[rubyToI(p["device_location_id"])]; l == nil || l.UserID != reg.ID {
			over("Location was not found")
		} else {
			locationID = l.ID
		}
	}
	hasDefaults := false
	for k := range st.conflines {
		if k.owner == reg.ID && strings.HasPrefix(k.name, "Default_User_") {
			hasDefaults = true
			break
		}
	}
	if !hasDefaults {
		over("Default user is not present")
	}
	owns := false
	for _, tr := range st.tariffs {
		owns = owns || tr.OwnerID == reg.ID
	}
	if !owns || st.tariffs[tariffID] == nil {
		first("Tariff was not found cannot create")
	}
	// The default LCR: the registrar's, or the admin's for a reseller
	// without own providers.
	lcrOwner := reg.ID
	if reg.Type == Reseller && !reg.OwnProviders {
		lcrOwner = 0
	}
	defaultLCR := rubyToI(st.confline(lcrOwner, "Default_User_lcr_id"))
	if st.lcrs[defaultLCR] == nil {
		first("Default user does not have and LCR set")
	} else if !p.has("lcr_id") {
		lcrID = defaultLCR
	}
	if st.confline(0, "Registration_Enable_VAT_checking") == "1" {
		if rubyBlank(p["vat_number"]) {
			over("Please fill field TAX Registration Number")
		}
	}
	if msg != "" {
		return shapeB(msg)
	}
	return s.createRegisteredUser(c, reg, usertype, groupID, tariffID, lcrID, locationID, country.ID, email)
}

// createRegisteredUser stores the new user with its address, taxes, device
// groups, device and CLIs, and answers the device settings.
func (s *Server) createRegisteredUser(c *call, reg *User, typ UserType, groupID, tariffID, lcrID, locationID,
	countryID int64, email string) []byte {
	st, p := s.st, c.p
	def := func(name string) string { return st.confline(reg.ID, "Default_User_"+name) }
	now := s.now()

	addrID := put(st, st.addresses, Address{DirectionID: countryID, Address: p["address"], City: p["city"],
		Postcode: p["postcode"], County: p["county"], State: p["state"], Phone: p["phone"], MobPhone: p["mob_phone"],
		Fax: p["fax"], Email: &email}, true)
	taxID := put(st, st.taxes, Tax{Tax1Enabled: true, Tax1Value: "0", Tax2Value: "0", Tax3Value: "0", Tax4Value: "0"}, true)

	u := NewUser(0, rubyStrip(p["username"]), typ, reg.ID)
	u.ID = st.seq["users"] + 1
	u.PasswordHash = PasswordHash(p["password"])
	u.FirstName, u.LastName = p["first_name"], p["last_name"]
	u.TariffID, u.LCRID, u.AccGroupID, u.AddressID, u.TaxID = tariffID, lcrID, groupID, &addrID, taxID
	u.TaxationCountry = &countryID
	u.AgreementDate = now
	agreement := s.nextAgreementNumber()
	u.AgreementNumber = &agreement
	u.AccountingNumber = p["accounting_number"]
	if v := rubyToI(p["currency_id"]); v != 0 {
		u.CurrencyID = v
	}
	if allDigits(p["call_limit"]) {
		u.CallLimit = parseDigits(p["call_limit"])
	}
	switch cl := p["credit_limit"]; {
	case cl == "-1":
		u.Credit = "-1"
	case allDigits(cl):
		u.Credit = Decimal(strconv.FormatInt(parseDigits(cl), 10))
	case p.has("credit_limit"):
		u.Credit = "0"
	default:
		if d := def("credit"); d != "" {
			u.Credit = ratDecimal(parseBigDecimal(d))
		}
	}
	if v := p["client_id"]; v != "" {
		u.ClientID = &v
	}
	if v := p["vat_number"]; v != "" {
		u.VATNumber = &v
	}
	if v := def("postpaid"); v != "" {
		u.Postpaid = v == "1"
	}
	balance := parseBigDecimal(def("balance"))
	u.Balance = ratDecimal(balance)
	put(st, st.users, u, false)
	if balance.Sign() != 0 {
		s.logAction(Action{UserID: u.ID, Action: "initial balance", Data: string(u.Balance)})
	}

	put(st, st.deviceGroups, DeviceGroup{UserID: u.ID, AddressID: addrID, Name: "primary", Added: now, Primary: true}, true)
	groupRow := put(st, st.deviceGroups, DeviceGroup{UserID: u.ID, AddressID: addrID, Name: "primary", Added: now,
		Primary: true}, true)

	devType := p["device_type"]
	ext := s.nextExtension()
	d := NewDevice(st.seq["devices"]+1, devType, ext, u.ID)
	d.Secret = s.randomString(12, mixedAlnum)
	if st.confline(0, "Allow_registration_username_passwords_in_devices") == "1" {
		d.Name, d.Username, d.Secret = u.Username, u.Username, p["password"]
	}
	if devType == "Virtual" {
		d.Username = "virtual_" + strconv.FormatInt(d.ID, 10)
	}
	pin := s.uniquePIN()
	d.PIN = &pin
	d.DeviceGroupID = &groupRow
	d.LocationID = locationID
	d.Description = u.FirstName + " " + u.LastName
	if p.has("caller_id") {
		cid := "<" + rubyStrip(p["caller_id"]) + ">"
		d.CallerID = &cid
	}
	put(st, st.devices, d, false)
	for _, ph := range []struct{ param, desc string }{{"mob_phone", "Mobile Phone"}, {"phone", "Phone"}, {"fax", "Fax"}} {
		if num := digitsOf(p[ph.param]); num != "" {
			desc := ph.desc
			st.insertCLI(&CLI{ID: st.lastCLI + 1, Number: num, DeviceID: d.ID, Description: &desc,
				IVRID: new(int64(0)), AddedAt: now, UpdatedAt: now})
		}
	}
	settings := []node{leafInt("user_id", u.ID), leaf("device_type", devType), leafInt("device_id", d.ID)}
	if d.CallerID != nil {
		settings = append(settings, leaf("caller_id", *d.CallerID))
	}
	settings = append(settings, leaf("username", d.Username), leaf("password", d.Secret), leaf("pin", pin),
		leaf("server_ip", st.confline(0, "Asterisk_Server_IP")), leaf("registration_notice", registrationNotice))
	return render(el("page", el("status", leaf("success", "Registration successful")),
		el("user_device_settings", settings...)))
}

// nextAgreementNumber is one more than the highest numeric agreement
// number, zero-padded to 10 digits.
func (s *Server) nextAgreementNumber() string {
	highest := new(big.Int)
	for _, u := range s.st.users {
		if u.AgreementNumber != nil && allDigits(*u.AgreementNumber) {
			if n, ok := new(big.Int).SetString(*u.AgreementNumber, 10); ok && n.Cmp(highest) > 0 {
				highest = n
			}
		}
	}
	out := highest.Add(highest, big.NewInt(1)).String()
	for len(out) < 10 {
		out = "0" + out
	}
	return out
}

// nextExtension is the lowest free numeric extension from 1001 (chosen
// start; the server asks its extension pool).
func (s *Server) nextExtension() string {
	used := map[string]bool{}
	for _, d := range s.st.devices {
		used[d.Extension] = true
	}
	for n := 1001; ; n++ {
		if e := strconv.Itoa(n); !used[e] {
			return e
		}
	}
}

// uniquePIN is a random PIN of Device_PIN_Length digits (6 by default)
// that no device has.
func (s *Server) uniquePIN() string {
	n := int(rubyToI(s.st.confline(0, "Device_PIN_Length")))
	if n <= 0 {
		n = 6
	}
	for {
		pin := s.randomString(n, "0123456789")
		clash := false
		for _, d := range s.st.devices {
			if d.PIN != nil && *d.PIN == pin {
				clash = true
				break
			}
		}
		if !clash {
			return pin
		}
	}
}
