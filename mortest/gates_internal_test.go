package mortest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
)

// echoCaller is a test action answering with the caller it was given.
func echoCaller(_ *Server, c *call) []byte {
	if c.caller == nil {
		return shapeC("caller nil")
	}
	return shapeC("caller " + strconv.FormatInt(c.caller.ID, 10))
}

// gateServer is the spec world answering a table of test endpoints, one
// per kind of before-filter.
func gateServer(t *testing.T) (*Server, func(verb, path string, p url.Values) string) {
	t.Helper()
	s := New(WithSpecWorld())
	s.eps = endpoints{
		"by_u":          {run: echoCaller, caller: byU, hash: true},
		"by_u_bad":      {run: echoCaller, caller: byUBadLogin, hash: true},
		"by_login":      {run: echoCaller, caller: byLogin},
		"by_username":   {run: echoCaller, caller: byUsername, hash: true},
		"by_uniquehash": {run: echoCaller, caller: byUniquehash, hash: true},
		"no_hash":       {run: echoCaller, caller: byU},
		"any_verb":      {run: echoCaller, caller: byU, anyVerb: true},
		"no_allow_api":  {run: echoCaller, caller: byU, noAllowAPI: true},
		"declared_only": {caller: byU, hash: true},
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	do := func(verb, path string, p url.Values) string {
		t.Helper()
		var resp *http.Response
		var err error
		if verb == http.MethodGet {
			resp, err = http.Get(ts.URL + path + "?" + p.Encode())
		} else {
			resp, err = http.PostForm(ts.URL+path, p)
		}
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return string(b)
	}
	return s, do
}

func signed(method string, p url.Values) url.Values {
	out := url.Values{}
	for k, v := range p {
		out[k] = v
	}
	out.Set("hash", mor.Hash(method, p, SpecSecret))
	return out
}

func TestEndpointGates(t *testing.T) {
	s, do := gateServer(t)
	v := func(kv ...string) url.Values {
		out := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	s.AddAddress(Address{ID: 9, Email: new("user@example.com")})
	s.UpdateUser(2, func(u *User) { u.AddressID = new(int64(9)) })
	s.AddUser(func() User {
		u := NewUser(20, "blocked", SimpleUser, 0)
		u.PasswordHash, u.Blocked = PasswordHash("pw"), true
		return u
	}())
	s.AddUser(func() User {
		u := NewUser(21, "blocked_mail", SimpleUser, 0)
		u.PasswordHash, u.Blocked, u.AllowLoginReceiveEmail = PasswordHash("pw"), true, true
		return u
	}())

	caller := func(id string) string { return string(shapeC("caller " + id)) }
	rows := []struct {
		name, verb, path string
		p                url.Values
		want             string
	}{
		{"check_user: unknown u skips every gate", "POST", "/billing/api/by_u", v("u", "nobody"), caller("nil")},
		{"check_user: known u, wrong hash", "POST", "/billing/api/by_u", v("u", "admin", "hash", strings.Repeat("0", 40)), string(shapeA("Incorrect hash"))},
		{"check_user: known u, good hash", "POST", "/billing/api/by_u", signed("by_u", v("u", "ADMIN")), caller("0")},
		{"find_current_user: unknown u is Bad login", "POST", "/billing/api/by_u_bad", v("u", "nobody"), string(shapeA("Bad login"))},
		{"find_current_user: absent u is Bad login", "POST", "/billing/api/by_u_bad", v(), string(shapeA("Bad login"))},
		{"find_current_user: known u", "POST", "/billing/api/by_u_bad", signed("by_u_bad", v("u", "reseller")), caller("3")},
		{"login: right password, no hash needed", "POST", "/billing/api/by_login", v("u", "user_admin", "p", "user_admin1"), caller("2")},
		{"login: wrong password", "POST", "/billing/api/by_login", v("u", "user_admin", "p", "x"), caller("nil")},
		{"login: no p", "POST", "/billing/api/by_login", v("u", "user_admin"), caller("nil")},
		{"login: blocked", "POST", "/billing/api/by_login", v("u", "blocked", "p", "pw"), caller("nil")},
		{"login: blocked but may receive e-mail", "POST", "/billing/api/by_login", v("u", "blocked_mail", "p", "pw"), caller("21")},
		{"login: e-mail only with the confline", "POST", "/billing/api/by_login", v("u", "user@example.com", "p", "user_admin1"), caller("nil")},
		{"username param, u ignored", "POST", "/billing/api/by_username", signed("by_username", v("u", "admin", "username", "reseller")), caller("3")},
		{"uniquehash param", "POST", "/billing/api/by_uniquehash", signed("by_uniquehash", v("id", "hfttv7bcqt")), caller("0")},
		{"uniquehash in the path, case-insensitive", "POST", "/billing/api/by_uniquehash/QG2AUDN8QA", signed("by_uniquehash", v("id", "QG2AUDN8QA")), caller("3")},
		{"uniquehash unknown", "POST", "/billing/api/by_uniquehash", v("id", "nope"), caller("nil")},
		{"no hash check", "POST", "/billing/api/no_hash", v("u", "admin"), caller("0")},
		{"GET refused by default", "GET", "/billing/api/no_hash", v("u", "admin"), string(shapeA("GET Requests are disabled"))},
		{"GET allowed where check_send_method is skipped", "GET", "/billing/api/any_verb", v("u", "admin"), caller("0")},
		{"declared without a handler", "POST", "/billing/api/declared_only", v("u", "admin"), string(shapeA("There is no such API"))},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			assert.Equal(t, r.want, do(r.verb, r.path, r.p))
		})
	}

	t.Run("login by e-mail with Allow_login_by_email", func(t *testing.T) {
		s.SetConfline(0, "Allow_login_by_email", Confline{Value: "1"})
		defer s.RemoveConfline(0, "Allow_login_by_email")
		assert.Equal(t, caller("2"), do("POST", "/billing/api/by_login", v("u", "USER@example.com", "p", "user_admin1")))
	})
	t.Run("API off: every gate kind but noAllowAPI refuses", func(t *testing.T) {
		s.SetSettings(0, Settings{Secret: SpecSecret})
		defer s.SetSettings(0, Settings{AllowAPI: true, Secret: SpecSecret})
		off := string(shapeA("API Requests are disabled"))
		assert.Equal(t, off, do("POST", "/billing/api/by_u", signed("by_u", v("u", "admin"))))
		assert.Equal(t, off, do("POST", "/billing/api/by_login", v("u", "admin", "p", "admin1")))
		assert.Equal(t, string(shapeA("Bad login")), do("POST", "/billing/api/by_u_bad", v("u", "nobody")), "Bad login comes first")
		assert.Equal(t, caller("0"), do("POST", "/billing/api/no_allow_api", v("u", "admin")))
	})
}

func TestAliasesAndTables(t *testing.T) {
	assert.Len(t, aliases, 31)
	assert.Equal(t, "user_balance_get", aliases["balance"])
	assert.Equal(t, "card_from_group_sell", aliases["buy_card_from_callingroup"])
	assert.Equal(t, "monitoring_addon_activate", aliases["ma_activate"])
	for name := range actions {
		info, ok := mor.LookupMethod(name)
		assert.True(t, ok && info.Action == name, "%s is not an action of the SDK's registry", name)
	}
	for alias, target := range aliases {
		assert.NotEqual(t, alias, target)
		_, isAction := actions[alias]
		assert.False(t, isAction, "alias %s shadows an action", alias)
	}
	// Every action of the accounts and CLI groups is declared once.
	for _, name := range []string{
		"user_login", "user_logout", "user_details_get", "user_details_update", "user_register", "users_get",
		"reseller_group_create", "login_form", "devices_get", "device_details_get", "device_create",
		"device_update", "device_delete", "device_callflow_get", "device_callflow_update",
		"morphone_details_get", "user_devices", "dids_get", "did_create", "did_device_assign",
		"did_device_unassign", "did_details_update", "did_subscription_stop", "quickforwards_dids_get",
		"quickforwards_did_update", "quickforwards_did_delete", "phonebooks_get", "phonebook_edit",
		"phonebook_record_create", "phonebook_record_delete", "cli_add", "cli_delete", "cli_info_get",
		"device_clis_get",
		"user_calls_get", "recordings_get", "quickstats_get",
	} {
		_, ok := actions[name]
		assert.True(t, ok, name)
	}
	assert.Len(t, actions, 34+len(invoiceActions)+len(serviceActions)+len(paymentActions)+15+len(rateActions)+len(systemActions)+len(callActions)) // 15: the 12 calling-card and 3 SMS actions
	assert.PanicsWithValue(t, "mortest: action x declared twice", func() {
		mergeEndpoints(endpoints{"x": {}}, endpoints{"x": {}})
	})
	// An alias counts its request under the target.
	s, do := gateServer(t)
	do("POST", "/billing/api/login", url.Values{})
	assert.Equal(t, 1, s.Requests("user_login"))
	assert.Equal(t, 1, s.Requests("login"))
}

func TestShapeE(t *testing.T) {
	assert.Equal(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error>Device was not found</error>\n",
		string(shapeE("Device was not found")))
}

// deviceContent lists content columns only (no id, no *_id or *_count),
// each once, with NULL as "" and the stored accountcode.
func TestDeviceContent(t *testing.T) {
	s := New(WithSpecWorld())
	d, ok := s.Device(4)
	require.True(t, ok)
	cols := deviceContent(&d)
	seen := map[string]string{}
	for _, c := range cols {
		assert.False(t, c.name == "id" || strings.HasSuffix(c.name, "_id") || strings.HasSuffix(c.name, "_count"), c.name)
		_, dup := seen[c.name]
		assert.False(t, dup, "%s twice", c.name)
		seen[c.name] = c.value
	}
	assert.Equal(t, "name", cols[0].name)
	assert.Equal(t, "1002", seen["name"])
	assert.Equal(t, "vejs9cut", seen["secret"])
	assert.Equal(t, "", seen["callerid"]) // NULL
	assert.Equal(t, "211194", seen["pin"])
	assert.Equal(t, "4", seen["accountcode"])
	assert.Equal(t, "IAX2", seen["device_type"])
	assert.Equal(t, "false", seen["use_ani_for_cli"])
	d.ZeroAccountcode = true
	for _, c := range deviceContent(&d) {
		if c.name == "accountcode" {
			assert.Equal(t, "0", c.value)
		}
	}
}

// Rights come from the user's group (case-insensitive names); a direct
// grant of device_manage or cli_ivr wins; no group means 0. The CLI
// handlers see group rights too.
func TestRights(t *testing.T) {
	s := New(WithSpecWorld())
	gid := s.AddAccGroup(AccGroup{Name: "Acc", GroupType: "accountant",
		Rights: map[string]Right{"device_manage": RightRead, "user_manage": RightEdit}})
	s.UpdateUser(4, func(u *User) { u.DeviceManage, u.AccGroupID = RightNone, gid })
	s.mu.Lock()
	u := s.st.users[4]
	assert.Equal(t, RightRead, s.st.right(u, "Device_Manage"))
	assert.Equal(t, RightEdit, s.st.right(u, "user_manage"))
	assert.Equal(t, RightNone, s.st.right(u, "cli_ivr"))
	u.CLIIVR = RightEdit
	assert.Equal(t, RightEdit, s.st.right(u, "cli_ivr"))
	assert.Equal(t, RightNone, s.st.right(s.st.users[2], "device_manage"))
	s.mu.Unlock()

	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	post := func(method string, p url.Values) string {
		resp, err := http.PostForm(ts.URL+"/billing/api/"+method, signed(method, p))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	p := url.Values{"u": {"accountant"}, "cli": {"123456"}}
	assert.Contains(t, post("cli_info_get", p), "<device_id>2</device_id>", "read right from the group")
	s.UpdateAccGroup(gid, func(g *AccGroup) { g.Rights["device_manage"] = RightNone })
	assert.Contains(t, post("cli_info_get", p), "You are not authorized to view this page")
}

func TestHandles(t *testing.T) {
	for _, m := range []string{"cli_add", "cli_get_info", "device_clis_get"} {
		assert.True(t, Handles(m), m)
	}
	for _, m := range []string{"users_get_nope", "ma_activate", ""} {
		assert.False(t, Handles(m), m)
	}
	// An action declared with its gates but no handler yet is not handled.
	for name, ep := range actions {
		assert.Equal(t, ep.run != nil, Handles(name), name)
	}
}
