package mortest

import "time"

// SpecSecret is the API secret of every API owner in the world WithSpecWorld loads (Kolmisoft's test database).
const SpecSecret = "secret"

// loadSpecWorld seeds Kolmisoft's test database (the Selenium dump plus
// the base rows of an early install where the dump is silent), then the
// CLI family's rows. WithSpecWorld documents the result; the choices made
// where the sources are silent are marked "chosen" below.
func (s *Server) loadSpecWorld() {
	loc := s.loc
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	at := func(y int, m time.Month, d, hh, mm, ss int) time.Time { return time.Date(y, m, d, hh, mm, ss, 0, loc) }
	str := func(v string) *string { return &v }
	num := func(v int64) *int64 { return &v }

	// users: every row has balance 0, credit -1, postpaid, not blocked, LCR
	// 1, no group, time zone Vilnius (NewUser's defaults).
	type urow struct {
		id                  int64
		name, password      string
		typ                 UserType
		owner               int64
		first, last         string
		tariff              int64
		address, taxCountry *int64
		vat                 Decimal
		uniquehash          *string
		agreementNo         *string
		agreementDate       time.Time
		sendInvoiceTypes    int64
		tax                 int64
		logged              bool
		blockAt             time.Time
		clientID, vatNumber *string
	}
	users := []urow{
		{0, "admin", "admin1", Admin, 0, "System", "Admin", 2, num(1), num(1), "18", str("hfttv7bcqt"),
			str(""), day(2007, 3, 26), 1, 0, true, day(2008, 1, 1), str(""), str("")},
		{2, "user_admin", "user_admin1", SimpleUser, 0, "Test User", "#1", 2, nil, nil, "18", nil,
			nil, time.Time{}, 1, 0, false, day(2008, 1, 1), nil, nil},
		{3, "reseller", "reseller1", Reseller, 0, "Test", "Reseller", 4, num(2), num(123), "19", str("qg2audn8qa"),
			str("0000000001"), day(2009, 3, 31), 0, 1, false, day(2009, 1, 1), str(""), str("")},
		{4, "accountant", "accountant1", Accountant, 0, "Test", "Accountant", 2, num(3), num(123), "0", nil,
			str("0000000002"), day(2009, 3, 31), 1, 2, false, day(2008, 1, 1), str(""), str("")},
		{5, "user_reseller", "user_reseller1", SimpleUser, 3, "User", "Resellers", 3, num(4), num(1), "19", nil,
			str("0000000003"), day(2009, 3, 31), 0, 3, false, day(2009, 1, 1), str(""), str("")},
		// The CLI family's second reseller and its user (Kolmisoft's CLI
		// test data; chosen: names, passwords, tariffs, no address or tax).
		{6, "reseller2", "reseller21", Reseller, 0, "Test", "Reseller #2", 4, nil, nil, "0", nil,
			nil, time.Time{}, 0, 0, false, time.Time{}, str(""), str("")},
		{7, "user_reseller2", "user_reseller21", SimpleUser, 6, "User", "Resellers #2", 3, nil, nil, "0", nil,
			nil, time.Time{}, 0, 0, false, time.Time{}, str(""), str("")},
	}
	for _, r := range users {
		u := NewUser(r.id, r.name, r.typ, r.owner)
		u.PasswordHash = PasswordHash(r.password)
		u.FirstName, u.LastName = r.first, r.last
		u.TariffID, u.AddressID, u.TaxationCountry, u.VATPercent = r.tariff, r.address, r.taxCountry, r.vat
		u.Uniquehash, u.AgreementNumber, u.AgreementDate = r.uniquehash, r.agreementNo, r.agreementDate
		u.SendInvoiceTypes, u.TaxID, u.Logged, u.BlockAt = r.sendInvoiceTypes, r.tax, r.logged, r.blockAt
		u.ClientID, u.VATNumber = r.clientID, r.vatNumber
		u.GenerateInvoice, u.InvoiceZeroCalls, u.RecordingHDDQuota = true, true, 100
		if r.id == 4 {
			// The CLI tests run with the accountant holding device_manage
			// edit (and cli_ivr none); the dump itself grants no rights.
			u.DeviceManage = RightEdit
		}
		s.AddUser(u)
	}

	s.AddDirection(Direction{ID: 1, Name: "Afghanistan", Code: "AFG"})
	s.AddDirection(Direction{ID: 123, Name: "Lithuania", Code: "LTU"})
	s.AddAddress(Address{ID: 1, DirectionID: 1})
	s.AddAddress(Address{ID: 2, DirectionID: 123, Email: str("test_reseller@email.test")})
	s.AddAddress(Address{ID: 3, DirectionID: 1})
	s.AddAddress(Address{ID: 4, DirectionID: 1})
	// Taxes 1–3 are referenced by users 3–5; their contents are not in the
	// sources (chosen: the schema default, tax 1 enabled at 0).
	for id := int64(1); id <= 3; id++ {
		s.AddTax(Tax{ID: id, Tax1Enabled: true, Tax1Value: "0", Tax2Value: "0", Tax3Value: "0", Tax4Value: "0"})
	}

	// devices
	type drow struct {
		id, user       int64
		typ, name, ext string
		secret         string
		callerID       *string
		host, ip       string
		port           int64
		pin            *string
		desc           string
		accountcode    int64
		allow, qualify string
		context, nat   string
		regseconds     int64
	}
	const reg = 1175892667
	devices := []drow{
		{1, -1, "IAX2", "prov1", "prov_test", "unwuqmkw", str(""), "22.33.44.55", "22.33.44.55", 4569, nil, "", 1,
			"alaw;ulaw;g729;gsm", "no", "mor", "no", 0},
		{2, 2, "IAX2", "101", "101", "vauvszef", str(`"101" <101>`), "dynamic", "0.0.0.0", 0, nil, "Test Device #1", 2,
			"all", "500", "mor_local", "yes", reg},
		{3, 2, "FAX", "102", "102", "oowaekxd", str(`"102" <102>`), "dynamic", "0.0.0.0", 0, nil, "Test FAX device", 3,
			"all", "500", "mor_local", "yes", reg},
		{4, 2, "IAX2", "1002", "1002", "vejs9cut", nil, "dynamic", "", 0, str("211194"), "", 4,
			"alaw;g729", "1000", "mor_local", "yes", 0},
		{5, 0, "IAX2", "ipauth0000000005", "103", "yyirfbtu", str(`"103" <103>`), "dynamic", "0.0.0.0", 0, nil,
			"Test Device for Admin", 2, "all", "500", "mor_local", "yes", reg},
		{6, 3, "IAX2", "ipauth0000000006", "104", "uobpdsft", str(`"104" <104>`), "dynamic", "0.0.0.0", 0, nil,
			"Test Device for Reseller", 2, "all", "500", "mor_local", "yes", reg},
		{7, 5, "IAX2", "105", "105", "ddrpdjjx", str(`"105" <105>`), "dynamic", "0.0.0.0", 0, nil,
			"Test Device for Resellers User", 2, "all", "500", "mor_local", "yes", reg},
		// The CLI family's SIP device of user_reseller2 (chosen: secret,
		// caller ID, the rest as device 7).
		{8, 7, "SIP", "1001", "1001", "sipsecret1", str(`"1001" <1001>`), "dynamic", "0.0.0.0", 0, nil, "", 8,
			"all", "500", "mor_local", "yes", 0},
	}
	for _, r := range devices {
		d := NewDevice(r.id, r.typ, r.ext, r.user)
		d.Name, d.Username = r.name, r.ext
		if r.id == 1 {
			d.Username = "test"
		}
		d.Secret, d.CallerID, d.Host, d.IPAddr, d.Port, d.PIN = r.secret, r.callerID, r.host, r.ip, r.port, r.pin
		d.Description, d.Accountcode, d.Allow, d.Qualify = r.desc, r.accountcode, r.allow, r.qualify
		d.Context, d.NAT, d.Regseconds = r.context, r.nat, r.regseconds
		s.AddDevice(d)
	}
	s.AddDeviceGroup(DeviceGroup{ID: 1, UserID: 3, AddressID: 2, Name: "primary", Added: at(2009, 3, 31, 11, 38, 55), Primary: true})
	s.AddDeviceGroup(DeviceGroup{ID: 2, UserID: 4, AddressID: 3, Name: "primary", Added: at(2009, 3, 31, 11, 39, 32), Primary: true})
	s.AddDeviceGroup(DeviceGroup{ID: 3, UserID: 5, AddressID: 4, Name: "primary", Added: at(2009, 3, 31, 11, 53, 7), Primary: true})
	s.AddLocation(Location{ID: 1, Name: "Global"})

	// DIDs, providers, tariffs, LCRs, currencies
	did1 := NewDID(1, "37063042438", 1, loc)
	did1.CallCount = 5
	s.AddDID(did1)
	did2 := NewDID(2, "37093042422", 1, loc)
	did2.Status, did2.UserID, did2.DeviceID, did2.ClosedTill = "reserved", 2, -2, day(2010, 6, 23)
	s.AddDID(did2)
	s.AddProvider(Provider{ID: 1, Name: "Test Provider", Tech: "IAX2", DeviceID: 1, TariffID: 1,
		ServerIP: "22.33.44.55", Port: 4569, Login: "test", Password: "test"})
	for _, t := range []Tariff{
		{ID: 1, Name: "Test Tariff", Purpose: "provider", Currency: "USD"},
		{ID: 2, Name: "Test Tariff for Users", Purpose: "user_wholesale", Currency: "USD"},
		{ID: 3, Name: "tariff", Purpose: "user", OwnerID: 3, Currency: "USD"},
		{ID: 4, Name: "Test Tariff + 0.1", Purpose: "user", Currency: "USD"},
		{ID: 5, Name: "Test Tariff bad currency", Purpose: "provider", Currency: "AAA"},
	} {
		s.AddTariff(t)
	}
	s.AddLCR(LCR{ID: 1, Name: "Primary", Order: "price", ProviderIDs: []int64{1}})
	s.AddCurrency(Currency{ID: 1, Name: "USD", ExchangeRate: "1"})
	s.AddIVR(IVR{ID: 2, Name: "IVR 2", UserID: 0})

	// CLIs: empty (not NULL) description and comment, ivr_id 0.
	added := at(2018, 2, 1, 10, 0, 0)
	for _, c := range []struct {
		id     int64
		number string
		dev    int64
	}{{1, "123456", 2}, {2, "987654", 7}, {3, "654121", 8}} {
		s.AddCLI(CLI{ID: c.id, Number: c.number, DeviceID: c.dev, Description: new(""), IVRID: new(int64(0)),
			AddedAt: added, UpdatedAt: added})
	}

	// Settings: the API on for the admin and reseller 3 (GET and the XML
	// extension stay off unless their options say otherwise), and the dump's
	// conflines the accounts actions read.
	s.SetSettings(0, Settings{AllowAPI: true, Secret: SpecSecret})
	s.SetSettings(3, Settings{AllowAPI: true, Secret: SpecSecret})
	for name, v := range map[string]string{
		"Asterisk_Server_IP": "192.168.1.8", "Nice_Number_Digits": "4", "Email_Sending_Enabled": "0",
		"CC_Active": "1", "RS_Active": "1", "RSPRO_Active": "1", "SMS_Active": "1", "REC_Active": "1",
		"PBX_Active": "1", "CALLB_Active": "1",
	} {
		s.SetConfline(0, name, Confline{Value: v})
	}
	s.SetConfline(3, "Fax_Device_Enabled", Confline{Value: "1"})
	s.loadMoneyWorld()
	s.loadCallsWorld()
	s.loadPaymentsWorld()
	s.loadCardsWorld() // calling cards and SMS (model_cards.go)
	s.loadRatesSystemWorld()
}
