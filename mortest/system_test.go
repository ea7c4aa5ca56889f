package mortest_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

func TestSystemVersionGet(t *testing.T) {
	srv := newSpecServer(t)
	for _, u := range []string{"admin", "reseller", "accountant", "user_admin", "user_reseller"} {
		assert.Equal(t, replyFixture(t, "system_version_get_success"), call(t, srv, "system_version_get", vals("u", u)), u)
	}
	assert.Equal(t, replyFixture(t, "system_version_get_access_denied"), call(t, srv, "get_version", vals("u", "nobody")))
	srv.RemoveConfline(0, "Version")
	assert.Equal(t, replyFixture(t, "system_version_get_empty"), call(t, srv, "system_version_get", vals("u", "admin")))
	assert.Equal(t, shapeA("Incorrect hash"), post2(t, srv, "system_version_get", vals("u", "admin", "hash", "x")))
}

// post2 posts p unsigned.
func post2(t *testing.T, srv *mortest.Server, method string, p url.Values) string {
	t.Helper()
	_, body := post(t, srv, "/billing/api/"+method, p)
	return body
}

func TestPBXPoolCreate(t *testing.T) {
	srv := newSpecServer(t)
	assert.Equal(t, shapeB("Access Denied"), call(t, srv, "pbx_pool_create", vals("u", "nobody", "name", "P")))
	for _, u := range []string{"reseller", "accountant", "user_admin"} {
		assert.Equal(t, shapeB("You are not authorized to use this functionality"),
			call(t, srv, "pbx_pool_create", vals("u", u, "name", "P")), u)
	}
	assert.Equal(t, shapeB("PBX Pool must have name"), call(t, srv, "pbx_pool_create", vals("u", "admin", "name", "  ")))
	assert.Equal(t, replyFixture(t, "pbx_pool_create_success"),
		call(t, srv, "pbx_pool_create", vals("u", "admin", "name", " Pool1 ", "comment", " c ")))
	pools := srv.PBXPools()
	require.Len(t, pools, 1)
	assert.Equal(t, mortest.PBXPool{ID: pools[0].ID, Name: "Pool1", Comment: "c", OwnerID: 0}, pools[0])
	assert.Equal(t, replyFixture(t, "pbx_pool_create_not_unique"),
		call(t, srv, "pbx_pool_create", vals("u", "admin", "name", "pool1")))
	// A reseller with pbx_functions may create.
	g := srv.AddAccGroup(mortest.AccGroup{Rights: map[string]mortest.Right{"pbx_functions": mortest.RightRead}})
	srv.UpdateUser(3, func(u *mortest.User) { u.AccGroupID = g })
	assert.Equal(t, replyFixture(t, "pbx_pool_create_success"), call(t, srv, "pbx_pool_create", vals("u", "reseller", "name", "R")))
}

func TestCallbackInit(t *testing.T) {
	srv := newSpecServer(t)
	st := func(s string) string { return decl + "<Status>" + s + "</Status>\n" }
	cb := func(kv ...string) string { return call(t, srv, "callback_init", vals(kv...)) }
	assert.Equal(t, st("Not authenticated"), cb("u", "nobody", "device", "2", "src", "101"))
	assert.Equal(t, st("Bad device"), cb("u", "admin", "device", "2", "src", "101"), "not the caller's device")
	assert.Equal(t, st("Bad device"), cb("u", "user_admin", "src", "101"))
	assert.Equal(t, st("No source"), cb("u", "user_admin", "device", "2"))
	assert.Equal(t, st("No tariff"), cb("u", "user_admin", "device", "2", "src", "101", "lega_tariff_id", "99"))
	assert.Equal(t, st("Bad tariff"), cb("u", "user_admin", "device", "2", "src", "101", "lega_tariff_id", "1"))
	assert.Equal(t, st("Reseller not allowed to use Admin tariffs"), cb("u", "reseller", "device", "6", "src", "1", "lega_tariff_id", "4"))
	assert.Equal(t, st("Server was not found"), cb("u", "user_admin", "device", "2", "src", "101", "server_id", "9"))
	assert.Equal(t, replyFixture(t, "callback_init_no_server"), cb("u", "user_admin", "device", "2", "src", "101", "dst", "37060000000"))
	assert.Empty(t, srv.Originates())

	srv.UpdateAsteriskServer(1, func(a *mortest.AsteriskServer) { a.Active = true })
	assert.Equal(t, replyFixture(t, "callback_init_ok"), call(t, srv, "callback", vals("u", "user_admin", "device", "2", "src", "101", "dst", "37060000000")))
	os := srv.Originates()
	require.Len(t, os, 1)
	assert.Equal(t, "Local/101@mor_cb_src/n", os[0].Channel)
	assert.Equal(t, "mor_cb_dst", os[0].Context)
	assert.Equal(t, "37060000000", os[0].Exten)
	assert.Equal(t, int64(2), os[0].Account)
	assert.Equal(t, "MOR_ACC=2", os[0].Variables[0])

	srv.SetConfline(0, "CALLB_Active", mortest.Confline{Value: "0"})
	assert.Equal(t, st("Access Denied"), cb("u", "user_admin", "device", "2", "src", "101"))
	assert.Len(t, srv.Originates(), 1)
}

func TestEmailSend(t *testing.T) {
	srv := newSpecServer(t)
	srv.AddEmailTemplate(mortest.EmailTemplate{Name: "test_email", Body: "A"})
	srv.AddEmailTemplate(mortest.EmailTemplate{Name: "test_email", OwnerID: 3, Body: "Hi <%= first_name %> <%= secret %>'s"})
	send := func(kv ...string) string { return call(t, srv, "email_send", vals(kv...)) }
	assert.Equal(t, shapeB("Bad login"), send("u", "nobody", "email_name", "test_email"))
	assert.Equal(t, shapeB("Access Denied"), send("u", "user_admin", "email_name", "test_email"))
	assert.Equal(t, replyFixture(t, "email_send_not_found"), send("u", "admin", "email_name", "nope"))
	assert.Equal(t, shapeB("Your email not found"), send("u", "admin", "email_name", "test_email"))
	assert.Equal(t, shapeB("User not found"), send("u", "reseller", "email_name", "test_email", "email_to_user_id", "99"))
	assert.Equal(t, decl+"<page>\n  <email_sending_status>Hi J&amp;amp;o &amp;#8216;s</email_sending_status>\n</page>\n",
		send("u", "reseller", "email_name", "test_email", "first_name", "J&o", "test_body", "1"))
	assert.Equal(t, replyFixture(t, "email_send_disabled"), send("u", "reseller", "email_name", "test_email", "email_to_user_id", "2"))
	srv.SetConfline(0, "Email_Sending_Enabled", mortest.Confline{Value: "1"})
	assert.Equal(t, decl+"<page>\n  <email_sending_status>Email is empty Test User #1</email_sending_status>\n</page>\n",
		send("u", "reseller", "email_name", "test_email", "email_to_user_id", "2"))
	assert.Equal(t, replyFixture(t, "email_send_sent"), send("u", "reseller", "email_name", "test_email"))
	sent := srv.SentEmails()
	require.Len(t, sent, 1)
	assert.Equal(t, mortest.SentEmail{Template: "test_email", To: "test_reseller@email.test", UserID: 3, Body: "Hi  's"}, sent[0])
}

func TestConflinesUpdate(t *testing.T) {
	srv := newSpecServer(t)
	up := func(kv ...string) string { return call(t, srv, "conflines_update", vals(kv...)) }
	for _, u := range []string{"nobody", "accountant", "user_admin"} {
		assert.Equal(t, shapeB("Access Denied"), up("u", u, "allow_api", "1"), u)
	}
	for _, tc := range []struct{ name, value, msg string }{
		{"allow_api", "2", "allow_api must be 0 or 1"},
		{"api_secret_key", "short", "api_secret_key length must be higher than 5"},
		{"default_user_password_length", "5", "default_user_password_length must be between 6 and 30"},
		{"default_user_credit", "-5", "default_user_credit must be positive number or -1 for infinity"},
		{"default_user_balance", "1.2.3", "default_user_balance must be number"},
		{"default_user_call_limit", "x", "default_user_credit must be positive integer"},
		{"default_user_recording_forced_enabled", "", "default_user_recording_forced_enabled  must be 0 or 1"},
		{"default_user_time_zone", "Mars", "default_user_time_zone name was not correct"},
		{"default_user_currency", "XXX", "default_user_currency name was not correct"},
		{"default_user_tariff_id", "1", "default_user_tariff_id was not found"},
		{"default_device_nat", "maybe", "default_device_nat can only be one of the following: 'yes', 'no', 'force_rport', 'comedia'"},
		{"default_device_qualify", "999", "default_device_qualify can only be 'no' or &gt;= 1000 integer"},
	} {
		assert.Equal(t, shapeB(tc.msg), up("u", "admin", tc.name, tc.value), tc.name)
	}
	assert.Equal(t, "", up("u", "admin", "default_user_tariff_id", ""), "empty id: the server's crash")
	assert.Equal(t, replyFixture(t, "conflines_update_success"),
		up("u", "admin", "default_user_credit", "5,5 ", "default_user_currency", "USD", "default_user_tariff_id", "4", "default_device_nat", " no "))
	for name, want := range map[string]string{"Default_User_credit": "5.5", "Default_User_currency_id": "1",
		"Default_User_tariff_id": "4", "Default_device_nat": "no"} {
		c, ok := srv.Confline(0, name)
		require.True(t, ok, name)
		assert.Equal(t, want, c.Value, name)
	}
	// A new secret applies from the next request: the old one is refused
	// (a reseller may still sign with the admin's key).
	assert.Equal(t, replyFixture(t, "conflines_update_success"), up("u", "reseller", "api_secret_key", "newsecret"))
	assert.Equal(t, "newsecret", srv.Settings(3).Secret)
	assert.Equal(t, replyFixture(t, "conflines_update_success"), up("u", "admin", "api_secret_key", "adminsecret"))
	assert.Equal(t, shapeA("Incorrect hash"), up("u", "admin", "allow_api", "1"))
	assert.Equal(t, shapeA("Incorrect hash"), up("u", "reseller", "allow_api", "1"))
}
