package mortest_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// grantGroup puts user id in a new group of the given type holding rights.
func grantGroup(srv *mortest.Server, id int64, typ string, rights map[string]mortest.Right) {
	gid := srv.AddAccGroup(mortest.AccGroup{Name: "g" + typ, GroupType: typ, Rights: rights})
	srv.UpdateUser(id, func(u *mortest.User) { u.AccGroupID = gid })
}

// registrationOn enables registration over the API and gives the admin
// the Default_User_* settings a registrar needs.
func registrationOn(srv *mortest.Server) {
	srv.SetConfline(0, "API_Allow_registration_ower_API", mortest.Confline{Value: "1"})
	srv.SetConfline(0, "Default_User_tariff_id", mortest.Confline{Value: "2"})
	srv.SetConfline(0, "Default_User_lcr_id", mortest.Confline{Value: "1"})
}

func registerParams(kv ...string) url.Values {
	p := vals("id", "hfttv7bcqt", "username", "newuser", "password", "Secret123", "password2", "Secret123",
		"first_name", "New", "last_name", "User", "email", "new@example.com", "country_id", "123",
		"device_type", "SIP", "caller_id", "37060000001")
	for i := 0; i+1 < len(kv); i += 2 {
		p.Set(kv[i], kv[i+1])
	}
	return p
}

var secretLines = regexp.MustCompile(`<(password|pin)>[^<]*</`)

// Every users-group fixture, written from the spec's reply texts, comes
// out of the fake byte for byte in the state it describes.
func TestUsersFixtures(t *testing.T) {
	tests := []struct {
		fixture string
		setup   func(srv *mortest.Server)
		method  string
		kv      []string
		nohash  bool
	}{
		{fixture: "user_login_success", method: "user_login", kv: []string{"u", "admin", "p", "admin1"}, nohash: true},
		{fixture: "user_login_failed", method: "user_login", kv: []string{"u", "admin", "p", "bad"}, nohash: true},
		{fixture: "user_login_wait", setup: func(srv *mortest.Server) {
			for range 2 {
				srv.AddAction(mortest.Action{Action: "bad_login", Data2: "127.0.0.1"})
			}
		}, method: "user_login", kv: []string{"u", "admin", "p", "bad"}, nohash: true},
		{fixture: "user_logout_success", method: "user_logout", kv: []string{"u", "admin"}},
		{fixture: "user_logout_bad_login", method: "user_logout", kv: []string{"u", "ghost"}},
		{fixture: "user_details_get_access_denied", method: "user_details_get", kv: []string{"u", "ghost"}},
		{fixture: "user_details_get_not_found", method: "user_details_get", kv: []string{"u", "admin", "user_id", "5"}},
		{fixture: "user_details_get_success", setup: func(srv *mortest.Server) {
			srv.UpdateUser(3, func(u *mortest.User) { u.Balance = "36" })
		}, method: "user_details_get", kv: []string{"u", "admin", "user_id", "3"}},
		{fixture: "user_details_update_bad_login", method: "user_details_update", kv: []string{"u", "ghost", "user_id", "2"}},
		{fixture: "user_details_update_access_denied", method: "user_details_update",
			kv: []string{"u", "user_admin", "user_id", "2"}},
		{fixture: "user_details_update_not_found", method: "user_details_update", kv: []string{"u", "admin", "user_id", "5"}},
		{fixture: "user_details_update_tariff_not_found", method: "user_details_update",
			kv: []string{"u", "reseller", "user_id", "5", "u5", "2"}},
		{fixture: "user_details_update_password_short", method: "user_details_update",
			kv: []string{"u", "admin", "user_id", "2", "pswd", "Ab1"}},
		{fixture: "user_details_update_success", method: "user_details_update",
			kv: []string{"u", "admin", "user_id", "2", "u17", "Smith"}},
		{fixture: "user_details_update_not_updated", method: "user_details_update",
			kv: []string{"u", "admin", "user_id", "2", "a8", "test_reseller@email.test"}},
		{fixture: "user_register_disabled", method: "user_register", kv: []string{"id", "hfttv7bcqt"}},
		{fixture: "user_register_access_denied", setup: registrationOn, method: "user_register", kv: []string{"id", "nope"}},
		{fixture: "user_register_username_taken", setup: registrationOn, method: "user_register",
			kv: []string{"id", "hfttv7bcqt", "username", "admin"}},
		{fixture: "user_register_limited", setup: func(srv *mortest.Server) {
			registrationOn(srv)
			srv.SetConfline(0, "RS_Active", mortest.Confline{Value: "0"})
			srv.AddUser(mortest.NewUser(20, "second", mortest.SimpleUser, 3))
		}, method: "user_register", kv: []string{"id", "qg2audn8qa"}},
		{fixture: "user_register_success", setup: registrationOn, method: "user_register"},
		{fixture: "users_get_access_denied", method: "users_get", kv: []string{"u", "user_admin", "p", "user_admin1"}},
		{fixture: "users_get_not_authorized", method: "users_get", kv: []string{"u", "accountant", "p", "accountant1"}},
		{fixture: "users_get_no_users", setup: func(srv *mortest.Server) { srv.RemoveUser(7) }, method: "users_get", kv: []string{"u", "reseller2", "p", "reseller21"}},
		{fixture: "users_get_success", setup: func(srv *mortest.Server) {
			srv.UpdateUser(5, func(u *mortest.User) { u.Balance = "12.50" })
		}, method: "users_get", kv: []string{"u", "reseller", "p", "reseller1"}},
		{fixture: "reseller_group_create_access_denied", method: "reseller_group_create",
			kv: []string{"u", "reseller", "name", "RG1"}},
		{fixture: "reseller_group_create_name_required", method: "reseller_group_create",
			kv: []string{"u", "admin", "name", " "}},
		{fixture: "reseller_group_create_not_unique", setup: func(srv *mortest.Server) {
			srv.AddAccGroup(mortest.AccGroup{Name: "rg1", GroupType: "reseller"})
		}, method: "reseller_group_create", kv: []string{"u", "admin", "name", "RG1"}},
		{fixture: "reseller_group_create_success", method: "reseller_group_create", kv: []string{"u", "admin", "name", "RG1"}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("..", "testdata", "replies", tt.fixture+".xml"))
			require.NoError(t, err)
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(srv)
			}
			p := vals(tt.kv...)
			if tt.method == "user_register" && tt.kv == nil {
				p = registerParams()
			} else if tt.method == "user_register" {
				p = registerParams(tt.kv...)
			}
			if !tt.nohash {
				p = sign(tt.method, p, mortest.SpecSecret)
			}
			_, body := post(t, srv, "/billing/api/"+tt.method, p)
			if tt.fixture == "user_register_success" {
				// The device password and PIN are random: compare the rest,
				// then check they are what the device stores.
				d, ok := srv.Device(9)
				require.True(t, ok)
				assert.Contains(t, body, "<password>"+d.Secret+"</password>")
				assert.Contains(t, body, "<pin>"+*d.PIN+"</pin>")
				body = secretLines.ReplaceAllString(body, "<$1>X</")
				want = secretLines.ReplaceAll(want, []byte("<$1>X</"))
			}
			assert.Equal(t, string(want), body)
		})
	}
}

func TestUserLogin(t *testing.T) {
	t.Run("success marks logged and logs the IP", func(t *testing.T) {
		srv := newSpecServer(t)
		_, body := post(t, srv, "/billing/api/login", vals("u", "reseller", "p", "reseller1"))
		assert.Contains(t, body, "<user_id>3</user_id>")
		u, _ := srv.User(3)
		assert.True(t, u.Logged)
		acts := srv.Actions()
		require.Len(t, acts, 1)
		assert.Equal(t, mortest.Action{ID: 1, UserID: 3, Date: fixedAt, Action: "login", Data: "127.0.0.1"}, acts[0])
	})
	t.Run("failure logs the attempt; third in a row asks to wait; success resets", func(t *testing.T) {
		srv := newSpecServer(t)
		fail := vals("u", "admin", "p", "nope")
		for i, want := range []string{"Login failed", "Login failed", "Please wait 10 seconds before trying to login again"} {
			_, body := post(t, srv, "/billing/api/user_login", fail)
			assert.Contains(t, body, "<status_message>"+want+"</status_message>", "attempt %d", i+1)
			assert.NotContains(t, body, "user_id")
		}
		a := srv.Actions()[0]
		assert.Equal(t, "bad_login", a.Action)
		assert.Equal(t, "admin/nope", a.Data)
		assert.Equal(t, "127.0.0.1", a.Data2)
		_, body := post(t, srv, "/billing/api/user_login", vals("u", "admin", "p", "admin1"))
		assert.Contains(t, body, "<status>ok</status>")
		_, body = post(t, srv, "/billing/api/user_login", fail)
		assert.Contains(t, body, "Login failed")
	})
	t.Run("blocked user fails unless allowed to receive e-mail", func(t *testing.T) {
		srv := newSpecServer(t)
		srv.UpdateUser(2, func(u *mortest.User) { u.Blocked = true })
		_, body := post(t, srv, "/billing/api/user_login", vals("u", "user_admin", "p", "user_admin1"))
		assert.Contains(t, body, "<status>failed</status>")
		srv.UpdateUser(2, func(u *mortest.User) { u.AllowLoginReceiveEmail = true })
		_, body = post(t, srv, "/billing/api/user_login", vals("u", "user_admin", "p", "user_admin1"))
		assert.Contains(t, body, "<status>ok</status>")
	})
	t.Run("login by e-mail", func(t *testing.T) {
		srv := newSpecServer(t)
		srv.SetConfline(0, "Allow_login_by_email", mortest.Confline{Value: "1"})
		_, body := post(t, srv, "/billing/api/user_login", vals("u", "test_reseller@email.test", "p", "reseller1"))
		assert.Contains(t, body, "<user_id>3</user_id>")
	})
	t.Run("redirect modes", func(t *testing.T) {
		srv := newSpecServer(t)
		srv.SetConfline(0, "API_Login_Redirect_to_Main", mortest.Confline{Value: "1"})
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.PostForm(srv.URL+"/billing/api/user_login", vals("u", "admin", "p", "admin1"))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusFound, resp.StatusCode)
		assert.Equal(t, "/", resp.Header.Get("Location"))
		// Failures still answer XML.
		_, body := post(t, srv, "/billing/api/user_login", vals("u", "admin", "p", "x"))
		assert.Contains(t, body, "Login failed")
		srv.SetConfline(0, "API_Login_Redirect_to_Main", mortest.Confline{Value: "2"})
		_, body = post(t, srv, "/billing/api/user_login", vals("u", "admin", "p", "admin1"))
		assert.Equal(t, decl, body)
	})
	t.Run("API disabled for a found caller is a gate error", func(t *testing.T) {
		srv := newSpecServer(t)
		srv.SetSettings(0, mortest.Settings{})
		_, body := post(t, srv, "/billing/api/user_login", vals("u", "admin", "p", "admin1"))
		assert.Equal(t, shapeA("API Requests are disabled"), body)
	})
}

func TestUserLogoutAndLoginForm(t *testing.T) {
	srv := newSpecServer(t)
	assert.Equal(t, decl+"<action>\n  <name>logout</name>\n  <status>ok</status>\n</action>\n",
		call(t, srv, "logout", vals("u", "admin")))
	u, _ := srv.User(0)
	assert.False(t, u.Logged)
	_, body := post(t, srv, "/billing/api/user_logout", vals("u", "admin", "hash", "bad"))
	assert.Equal(t, shapeA("Incorrect hash"), body)

	form := decl + "<page>\n  <pagename>Login page</pagename>\n  <language>en</language>\n  <error_msg></error_msg>\n" +
		"  <aval_languages>\n  </aval_languages>\n</page>\n"
	_, body = post(t, srv, "/billing/api/login_form", vals("u", "user_admin"))
	assert.Equal(t, form, body)
	u, _ = srv.User(2)
	assert.True(t, u.Logged)
	_, body = post(t, srv, "/billing/api/login_form", vals("u", "ghost"))
	assert.Equal(t, form, body)
}

func TestUserDetailsGetRoles(t *testing.T) {
	srv := newSpecServer(t)
	userid := regexp.MustCompile(`<userid>(\d+)</userid>`)
	target := func(kv ...string) string {
		body := call(t, srv, "user_details_get", vals(kv...))
		if m := userid.FindStringSubmatch(body); m != nil {
			return m[1]
		}
		return body
	}
	assert.Equal(t, "0", target("u", "admin"), "admin without filters gets itself")
	assert.Equal(t, "2", target("u", "admin", "user_id", "2"))
	assert.Equal(t, "3", target("u", "admin", "username", "reseller"))
	assert.Equal(t, decl+"<error>User was not found</error>\n", target("u", "admin", "user_id", "7"))
	assert.Equal(t, "5", target("u", "reseller"), "reseller without filters gets its first user")
	assert.Equal(t, "3", target("u", "reseller", "user_id", "3"), "own id: itself")
	assert.Equal(t, "4", target("u", "accountant", "user_id", "2"), "accountant: always itself")
	assert.Equal(t, "2", target("u", "user_admin", "user_id", "5"), "user: always itself")

	body := call(t, srv, "user_details_get", vals("u", "admin", "user_id", "2"))
	assert.Contains(t, body, "<hide_non_answered_calls>0</hide_non_answered_calls>")
	assert.Contains(t, body, "<agreement_date>2018-03-01</agreement_date>", "NULL date prints today")
	assert.NotContains(t, body, "<registration>")
	assert.Contains(t, body, "<by_callerid_pdf>0</by_callerid_pdf>")
	body = call(t, srv, "user_details_get", vals("u", "accountant"))
	assert.NotContains(t, body, "<invoices>")
	assert.NotContains(t, body, "<pbx_pool_id>")
	body = call(t, srv, "user_details_get", vals("u", "reseller", "user_id", "5"))
	assert.NotContains(t, body, "<pbx_pool_id>", "reseller without pbx_functions")
	assert.NotContains(t, body, "<admin>")
	grantGroup(srv, 3, "reseller", map[string]mortest.Right{"pbx_functions": mortest.RightRead})
	body = call(t, srv, "user_details_get", vals("u", "reseller", "user_id", "5"))
	assert.Contains(t, body, "<pbx_pool_id>1</pbx_pool_id>")

	srv.RemoveCurrency(1)
	assert.Equal(t, "", call(t, srv, "user_details_get", vals("u", "admin")), "missing currency 1 crashes")
}

func TestUserDetailsUpdate(t *testing.T) {
	upd := func(t *testing.T, srv *mortest.Server, kv ...string) string {
		return call(t, srv, "user_details_update", vals(kv...))
	}
	t.Run("checks in order", func(t *testing.T) {
		srv := newSpecServer(t)
		assert.Equal(t, shapeC("Access Denied"), upd(t, srv, "u", "accountant", "user_id", "4"))
		assert.Equal(t, shapeC("Access Denied"), upd(t, srv, "u", "accountant"))
		assert.Equal(t, shapeC("User was not found"), upd(t, srv, "u", "reseller", "user_id", "2"))
		assert.Equal(t, shapeC("User was not found"), upd(t, srv, "u", "admin", "user_id", "abc"))
		// The last failing validation item wins.
		assert.Equal(t, shapeC("LCR was not found"), upd(t, srv, "u", "admin", "user_id", "2", "u5", "99", "u1", "99"))
		assert.Equal(t, shapeC("Access Denied"), upd(t, srv, "u", "reseller", "user_id", "5", "u13", "admin"))
		assert.Equal(t, shapeC("PBX Pool was not found"), upd(t, srv, "u", "admin", "user_id", "2", "u29", "4"))
		assert.Equal(t, shapeC("Password must contain at least one numeric value, capital and lowercase symbol"),
			upd(t, srv, "u", "admin", "user_id", "2", "pswd", "alllowercase"))
		assert.Equal(t, shapeC("Username must be longer than 0 characters"), upd(t, srv, "u", "admin", "user_id", "2", "u9", ""))
		assert.Equal(t, shapeC("Responsible accountant is not valid"), upd(t, srv, "u", "admin", "user_id", "2", "u31", "3"))
		assert.Equal(t, shapeC("Quickforward Rule was not found"), upd(t, srv, "u", "admin", "user_id", "2", "u16", "9"))
		assert.Equal(t, decl+"<page>\n  <error>User was not updated</error>\n  <message>Username has already been taken</message>\n</page>\n",
			upd(t, srv, "u", "admin", "user_id", "2", "u9", "reseller"))
		u, _ := srv.User(2)
		assert.Equal(t, "user_admin", u.Username, "nothing saved")
	})
	t.Run("accountant without a group crashes; with user_manage edit it updates", func(t *testing.T) {
		srv := newSpecServer(t)
		assert.Equal(t, "", upd(t, srv, "u", "accountant", "user_id", "2", "u17", "X"))
		grantGroup(srv, 4, "accountant", map[string]mortest.Right{"user_manage": mortest.RightRead})
		assert.Equal(t, shapeC("You do not have rights to edit this"), upd(t, srv, "u", "accountant", "user_id", "2"))
		srv.UpdateAccGroup(srv.AccGroups()[0].ID, func(g *mortest.AccGroup) { g.Rights["user_manage"] = mortest.RightEdit })
		assert.Equal(t, shapeC("Access Denied"), upd(t, srv, "u", "accountant", "user_id", "2", "u13", "admin"))
		assert.Contains(t, upd(t, srv, "u", "accountant", "user_id", "2", "u17", "X", "pswd", "Secret123"), "User was updated")
		u, _ := srv.User(2)
		assert.Equal(t, "X", u.LastName)
		assert.Equal(t, mortest.PasswordHash("user_admin1"), u.PasswordHash, "password needs user_create_opt_1")
	})
	t.Run("admin writes mapped columns, address, taxes, money in caller currency", func(t *testing.T) {
		srv := newSpecServer(t)
		srv.AddCurrency(mortest.Currency{ID: 2, Name: "EUR", ExchangeRate: "2"})
		srv.UpdateUser(0, func(u *mortest.User) { u.CurrencyID = 2 })
		assert.Contains(t, upd(t, srv, "u", "admin", "user_id", "2", "u17", " Smith ", "u23", "John", "u18", "-5",
			"credit", "10,5", "pswd", "Secret123", "a8", "john@example.com", "i1", "2", "i2", "8", "u25", "0",
			"tax2_name", "VAT", "tax2_value", "5.5", "billing_period", "weekly", "u6", "4", "ay", "2020", "am", "2", "ad", "29"),
			"User was updated")
		u, _ := srv.User(2)
		assert.Equal(t, "Smith", u.LastName)
		assert.Equal(t, "John", u.FirstName)
		assert.Equal(t, int64(0), u.CallLimit)
		assert.Equal(t, mortest.Decimal("5.25"), u.Credit)
		assert.Equal(t, mortest.Decimal("2"), u.WarningEmailBalance)
		assert.Equal(t, mortest.PasswordHash("Secret123"), u.PasswordHash)
		assert.Equal(t, int64(10), u.SendInvoiceTypes)
		assert.False(t, u.Postpaid)
		assert.Equal(t, "weekly", u.BillingPeriod)
		assert.Equal(t, int64(1), u.HideDestinationEnd, "pgui absent")
		assert.Equal(t, "2020-02-29", u.AgreementDate.Format("2006-01-02"))
		require.NotNil(t, u.AddressID)
		a, _ := srv.Address(*u.AddressID)
		assert.Equal(t, "john@example.com", *a.Email)
		tx, ok := srv.Tax(u.TaxID)
		require.True(t, ok)
		assert.Equal(t, "VAT", tx.Tax2Name)
		assert.Equal(t, mortest.Decimal("5.5"), tx.Tax2Value)
		assert.Contains(t, upd(t, srv, "u", "admin", "user_id", "2", "unlimited", "1", "credit", "3", "pgui", ""), "updated")
		u, _ = srv.User(2)
		assert.Equal(t, mortest.Decimal("-1"), u.Credit)
		assert.Equal(t, int64(0), u.HideDestinationEnd)
		assert.Equal(t, "monthly", u.BillingPeriod, "absent resets")
	})
	t.Run("reseller column filter and LCR propagation", func(t *testing.T) {
		srv := newSpecServer(t)
		srv.UpdateUser(3, func(u *mortest.User) { u.LCRID = 7 })
		assert.Contains(t, upd(t, srv, "u", "reseller", "user_id", "5", "u17", "L", "u15", "1", "u28", "1"), "updated")
		u, _ := srv.User(5)
		assert.Equal(t, "L", u.LastName)
		assert.True(t, u.Blocked)
		assert.False(t, u.Hidden, "hidden is not a reseller column")
		assert.Contains(t, upd(t, srv, "u", "reseller", "user_id", "3", "u15", "1", "u23", "Me"), "updated")
		r, _ := srv.User(3)
		assert.False(t, r.Blocked, "blocked only on other targets")
		assert.Equal(t, "Me", r.FirstName)
		// Admin updating the reseller without own_providers: its users take its LCR.
		assert.Contains(t, upd(t, srv, "u", "admin", "user_id", "3"), "updated")
		u, _ = srv.User(5)
		assert.Equal(t, int64(7), u.LCRID)
		assert.Contains(t, upd(t, srv, "u", "admin", "user_id", "3", "own_providers", "1"), "updated")
		u, _ = srv.User(5)
		r, _ = srv.User(3)
		assert.True(t, r.OwnProviders)
		lcr, ok := srv.LCR(u.LCRID)
		require.True(t, ok)
		assert.Equal(t, "BLANK", lcr.Name)
		assert.Equal(t, int64(3), lcr.UserID)
	})
	t.Run("user caller denied", func(t *testing.T) {
		srv := newSpecServer(t)
		assert.Equal(t, shapeC("Access Denied"), upd(t, srv, "u", "user_reseller", "user_id", "5"))
	})
}

func TestUserRegister(t *testing.T) {
	t.Run("creates user, address, two groups, device and CLIs", func(t *testing.T) {
		srv := newSpecServer(t)
		registrationOn(srv)
		body := call(t, srv, "user_register", registerParams("mob_phone", "+370 600 00001", "fax", "123"))
		require.Contains(t, body, "Registration successful")
		u, ok := srv.User(8)
		require.True(t, ok)
		assert.Equal(t, "newuser", u.Username)
		assert.Equal(t, int64(0), u.OwnerID)
		assert.Equal(t, mortest.PasswordHash("Secret123"), u.PasswordHash)
		assert.Equal(t, "0000000004", *u.AgreementNumber)
		d, ok := srv.Device(9)
		require.True(t, ok)
		assert.Equal(t, int64(8), d.UserID)
		assert.Equal(t, "<37060000001>", *d.CallerID)
		groups := 0
		for _, g := range srv.DeviceGroups() {
			if g.UserID == 8 {
				groups++
				assert.Equal(t, "primary", g.Name)
			}
		}
		assert.Equal(t, 2, groups)
		c, ok := srv.CLI("37060000001")
		require.True(t, ok)
		assert.Equal(t, "Mobile Phone", *c.Description)
		// The fax number 123 is not an existing CLI, so it is stored too.
		_, ok = srv.CLI("123")
		assert.True(t, ok)
		// A retry: the username is taken now.
		assert.Equal(t, shapeB("Such username is already taken"), call(t, srv, "user_register", registerParams()))
	})
	t.Run("checks", func(t *testing.T) {
		srv := newSpecServer(t)
		registrationOn(srv)
		reg := func(kv ...string) string { return call(t, srv, "user_register", registerParams(kv...)) }
		assert.Equal(t, shapeB("Passwords do not match"), reg("password2", "x"))
		assert.Equal(t, shapeB("Please enter first name"), reg("first_name", ""))
		assert.Equal(t, shapeB("Please select country"), reg("country_id", "999"))
		assert.Equal(t, shapeB("Please enter correct email"), reg("email", "nope"))
		assert.Equal(t, shapeB("This email address is already in use."), reg("email", "test_reseller@email.test"))
		assert.Equal(t, shapeB("User with such phone number already exists"), reg("phone", "123-456"))
		assert.Equal(t, shapeB("Enter device type"), reg("device_type", "sip"))
		assert.Equal(t, shapeB("LCR was not found"), reg("lcr_id", "1x"))
		assert.Equal(t, shapeB("Tariff was not found"), reg("tariff", "3"))
		assert.Equal(t, shapeB("Password must be longer than 7 characters"), reg("password", "Ab1cd", "password2", "Ab1cd"))
		assert.Equal(t, shapeB("Permission Group was not selected"), reg("usertype", "reseller"))
		srv.RemoveConfline(0, "Default_User_lcr_id")
		assert.Equal(t, shapeB("Default user does not have and LCR set"), reg())
		srv.SetConfline(0, "Default_User_tariff_id", mortest.Confline{Value: "99"})
		assert.Equal(t, shapeB("Tariff was not found cannot create"), reg())
		srv.RemoveConfline(0, "Default_User_tariff_id")
		assert.Equal(t, shapeB("Default user is not present"), reg())
	})
	t.Run("without id the admin key signs and the admin registers", func(t *testing.T) {
		srv := newSpecServer(t)
		registrationOn(srv)
		p := registerParams()
		p.Del("id")
		assert.Contains(t, call(t, srv, "user_register", p), "Registration successful")
		_, body := post(t, srv, "/billing/api/user_register", vals("username", "x", "hash", "bad"))
		assert.Equal(t, shapeA("Incorrect hash"), body)
	})
	t.Run("Virtual device username and reseller registrar", func(t *testing.T) {
		srv := newSpecServer(t)
		registrationOn(srv)
		srv.SetConfline(3, "Default_User_tariff_id", mortest.Confline{Value: "3"})
		body := call(t, srv, "user_register", registerParams("id", "qg2audn8qa", "device_type", "Virtual"))
		assert.Contains(t, body, "<username>virtual_9</username>")
		u, _ := srv.User(8)
		assert.Equal(t, int64(3), u.OwnerID)
		assert.Equal(t, int64(3), u.TariffID)
	})
}

func TestUsersGetRoles(t *testing.T) {
	srv := newSpecServer(t)
	ids := regexp.MustCompile(`<id>(\d+)</id>`)
	list := func(u, p string) []string {
		var out []string
		for _, m := range ids.FindAllStringSubmatch(call(t, srv, "users_get", vals("u", u, "p", p)), -1) {
			out = append(out, m[1])
		}
		return out
	}
	assert.Equal(t, []string{"2", "3", "4", "5", "6", "7"}, list("admin", "admin1"))
	assert.Equal(t, []string{"5"}, list("reseller", "reseller1"))
	assert.Empty(t, list("admin", "wrong"))
	assert.Equal(t, shapeB("Access Denied"), call(t, srv, "users_get", vals("u", "admin", "p", "wrong")))
	grantGroup(srv, 4, "accountant", map[string]mortest.Right{"user_manage": mortest.RightRead})
	assert.Equal(t, []string{"2", "3", "5", "6", "7"}, list("accountant", "accountant1"))
	// The password is part of the hash: signed without p, the gate refuses.
	_, body := post(t, srv, "/billing/api/users_get", sign("users_get", vals("u", "admin"), mortest.SpecSecret))
	assert.Equal(t, shapeB("Access Denied"), body)
}

func TestResellerGroupCreate(t *testing.T) {
	srv := newSpecServer(t)
	assert.Equal(t, okReply("Reseller Group successfully created"),
		call(t, srv, "reseller_group_create", vals("u", "admin", "name", "RG1", "rg_description", "d", "calling_cards", "1",
			"autodialer", "2")))
	gs := srv.AccGroups()
	require.Len(t, gs, 1)
	assert.Equal(t, "RG1", gs[0].Name)
	assert.Equal(t, "reseller", gs[0].GroupType)
	assert.Equal(t, "d", gs[0].Description)
	assert.Equal(t, mortest.RightEdit, gs[0].Rights["calling_cards"])
	assert.Equal(t, mortest.RightNone, gs[0].Rights["autodialer"])
	assert.Equal(t, shapeB("Group name must be unique"),
		call(t, srv, "reseller_group_create", vals("u", "admin", "name", "rg1")))
	assert.Equal(t, shapeB("Access Denied"), call(t, srv, "reseller_group_create", vals("u", "accountant", "name", "X")))
	assert.Equal(t, shapeB("Access Denied"), call(t, srv, "reseller_group_create", vals("u", "ghost", "name", "X")))
}

func TestUsersGatesAndRoles(t *testing.T) {
	t.Run("logout: unknown u is Bad login before the API gate; every role logs out", func(t *testing.T) {
		srv := newSpecServer(t)
		for _, u := range []string{"reseller", "accountant", "user_admin", "user_reseller"} {
			assert.Contains(t, call(t, srv, "user_logout", vals("u", u)), "<status>ok</status>", u)
		}
		srv.SetSettings(0, mortest.Settings{})
		srv.SetSettings(3, mortest.Settings{})
		assert.Equal(t, shapeA("Bad login"), call(t, srv, "user_logout", vals("u", "ghost")))
		assert.Equal(t, shapeA("API Requests are disabled"), call(t, srv, "user_logout", vals("u", "admin")))
	})
	t.Run("users_get for a partner: own users and its resellers' users", func(t *testing.T) {
		srv := newSpecServer(t)
		p := mortest.NewUser(30, "partner", mortest.Partner, 0)
		p.PasswordHash = mortest.PasswordHash("partner1")
		srv.AddUser(p)
		srv.AddUser(mortest.NewUser(31, "p_reseller", mortest.Reseller, 30))
		srv.AddUser(mortest.NewUser(32, "p_user", mortest.SimpleUser, 31))
		srv.AddUser(mortest.NewUser(33, "p_direct", mortest.SimpleUser, 30))
		body := call(t, srv, "users_get", vals("u", "partner", "p", "partner1"))
		ids := regexp.MustCompile(`<id>(\d+)</id>`).FindAllStringSubmatch(body, -1)
		var got []string
		for _, m := range ids {
			got = append(got, m[1])
		}
		assert.Equal(t, []string{"31", "32", "33"}, got)
	})
	t.Run("users_get hashes u and p: a hash without p is refused", func(t *testing.T) {
		srv := newSpecServer(t)
		p := vals("u", "admin", "p", "admin1")
		p.Set("hash", sign("users_get", vals("u", "admin"), mortest.SpecSecret).Get("hash"))
		_, body := post(t, srv, "/billing/api/users_get", p)
		assert.Equal(t, shapeA("Incorrect hash"), body)
	})
	t.Run("user_details_update: reseller tariffs and LCRs", func(t *testing.T) {
		srv := newSpecServer(t)
		upd := func(kv ...string) string { return call(t, srv, "user_details_update", vals(kv...)) }
		assert.Contains(t, upd("u", "reseller", "user_id", "5", "u5", "3"), "User was updated", "own tariff")
		assert.Equal(t, shapeC("Tariff was not found"), upd("u", "reseller", "user_id", "5", "u5", "4"))
		srv.SetConfline(0, "Allow_Resellers_to_use_Admin_Tariffs", mortest.Confline{Value: "1"})
		assert.Contains(t, upd("u", "reseller", "user_id", "5", "u5", "4"), "User was updated", "admin user tariff allowed")
		assert.Equal(t, shapeC("Tariff was not found"), upd("u", "reseller", "user_id", "5", "u5", "1"), "never a provider tariff")
		assert.Contains(t, upd("u", "admin", "user_id", "2", "u5", "1"), "User was updated", "admin: any admin tariff")
		// The reseller without own providers may give only its own LCR.
		assert.Contains(t, upd("u", "reseller", "user_id", "5", "u1", "1"), "User was updated")
		srv.AddLCR(mortest.LCR{ID: 2, Name: "Other", UserID: 0})
		assert.Equal(t, shapeC("LCR was not found"), upd("u", "reseller", "user_id", "5", "u1", "2"))
		assert.Contains(t, upd("u", "admin", "user_id", "2", "u1", "2"), "User was updated")
		u, _ := srv.User(2)
		assert.Equal(t, int64(2), u.LCRID)
	})
	t.Run("user_details_update: quick-forward rules and responsible accountant", func(t *testing.T) {
		srv := newSpecServer(t)
		upd := func(kv ...string) string { return call(t, srv, "user_details_update", vals(kv...)) }
		srv.AddQuickforwardsRule(mortest.QuickforwardsRule{ID: 1, Name: "admin rule"})
		srv.AddQuickforwardsRule(mortest.QuickforwardsRule{ID: 2, Name: "reseller rule", UserID: 3})
		assert.Contains(t, upd("u", "admin", "user_id", "2", "u16", "1"), "User was updated")
		assert.Contains(t, upd("u", "reseller", "user_id", "5", "u16", "2"), "User was updated")
		assert.Equal(t, shapeC("Quickforward Rule was not found"), upd("u", "reseller", "user_id", "5", "u16", "1"))
		srv.SetConfline(0, "Allow_Resellers_to_use_Admin_Quick_Forward_Rules", mortest.Confline{Value: "1"})
		assert.Contains(t, upd("u", "reseller", "user_id", "5", "u16", "1"), "User was updated")
		assert.Contains(t, upd("u", "admin", "user_id", "2", "u31", "4"), "User was updated")
		u, _ := srv.User(2)
		assert.Equal(t, int64(4), u.ResponsibleAccountantID)
		assert.Contains(t, upd("u", "admin", "user_id", "2", "u31", "-1"), "User was updated")
		u, _ = srv.User(2)
		assert.Equal(t, int64(4), u.ResponsibleAccountantID, "-1 passes but keeps the value")
		assert.Equal(t, shapeC("Responsible accountant is not valid"), upd("u", "admin", "user_id", "3", "u31", "2"))
	})
	t.Run("user_register: registration off beats unknown id; admin API off without id", func(t *testing.T) {
		srv := newSpecServer(t)
		assert.Equal(t, shapeB("Registration over API is disabled"), call(t, srv, "user_register", registerParams("id", "zzz")))
		registrationOn(srv)
		srv.SetSettings(0, mortest.Settings{Secret: mortest.SpecSecret})
		p := registerParams()
		p.Del("id")
		assert.Equal(t, shapeA("Incorrect hash"), call(t, srv, "user_register", p))
		assert.Equal(t, shapeA("API Requests are disabled"), call(t, srv, "user_register", registerParams()))
	})
	t.Run("user_register: password rules", func(t *testing.T) {
		srv := newSpecServer(t)
		registrationOn(srv)
		reg := func(kv ...string) string { return call(t, srv, "user_register", registerParams(kv...)) }
		assert.Equal(t, shapeB("Password must contain at least one numeric value, capital and lowercase symbol"),
			reg("password", "lowercaseonly", "password2", "lowercaseonly"))
		srv.SetConfline(0, "Use_strong_passwords_for_users", mortest.Confline{Value: "0"})
		assert.Equal(t, shapeB("Please enter password not equal to username"),
			reg("username", "samesame", "password", "samesame", "password2", "samesame"))
		assert.Equal(t, shapeB("Please enter password"), reg("password", "", "password2", ""))
		assert.Contains(t, reg("password", "lowercaseonly", "password2", "lowercaseonly"), "Registration successful")
	})
}
