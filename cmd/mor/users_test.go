package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

func TestUserListCommand(t *testing.T) {
	f := newFake(t)
	r := runMor(t, f.env(), "user", "list")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "users_get needs the API user's password: set --password or MOR_PASSWORD")

	env := f.env("MOR_PASSWORD=admin1")
	r = runMor(t, env, "user", "list")
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 7)
	assert.Regexp(t, `^ID\s+USERNAME\s+NAME\s+TYPE\s+OWNER\s+BALANCE`, lines[0])
	assert.Regexp(t, `^2\s+user_admin\s+Test User #1\s+user\s+0\s+0.0\s+0\s+2\s+1$`, lines[1])

	r = runMor(t, env, "user", "list", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var recs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &recs))
	require.Len(t, recs, 6)
	assert.Equal(t, "reseller", recs[1]["username"])
	assert.Equal(t, "reseller", recs[1]["usertype"])

	r = runMor(t, env, "user", "list", "-o", "csv")
	require.Equal(t, 0, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "id,username,first_name,last_name,usertype,owner_id,balance,blocked,tariff_id,lcr_id\n2,user_admin,"))

	r = runMor(t, f.env("MOR_PASSWORD=wrong"), "user", "list")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "mor: users_get: Access Denied")
	assert.NotContains(t, r.stderr+r.stdout, "wrong", "the password is never printed")

	r = runMor(t, env, "user", "list", "-o", "yaml")
	assert.Equal(t, exitUsage, r.code)
}

func TestUserGetCommand(t *testing.T) {
	f := newFake(t)
	r := runMor(t, f.env(), "user", "get", "--id", "3")
	require.Equal(t, 0, r.code, r.stderr)
	for _, want := range []string{"id:", "username:         reseller", "name:             Test Reseller", "account:          postpaid",
		"credit:           unlimited", "taxation country: Lithuania", "email:            test_reseller@email.test"} {
		assert.Contains(t, r.stdout, want)
	}
	r = runMor(t, f.env(), "user", "get", "--name", "user_admin", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var d map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &d))
	assert.Equal(t, float64(2), d["id"])
	assert.Equal(t, map[string]any{"amount": "0.0", "currency": "USD"}, d["balance"])
	assert.Nil(t, d["credit"], "unlimited")

	r = runMor(t, f.env(), "user", "get", "--id", "5")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "mor: user_details_get: User was not found")

	r = runMor(t, f.env(), "user", "get")
	assert.Equal(t, exitUsage, r.code)
	r = runMor(t, f.env(), "user", "get", "--id", "user_admin")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "want a numeric user id")
}

func TestUserUpdateCommand(t *testing.T) {
	f := newFake(t)
	r := runMor(t, f.env(), "user", "update", "--id", "2", "--last-name", "Smith", "--credit", "10.50", "--blocked", "true",
		"--city", "Vilnius", "--billing-period", "weekly")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "user 2 updated\n", r.stdout)
	u, _ := f.User(2)
	assert.Equal(t, "Smith", u.LastName)
	assert.Equal(t, mortest.Decimal("10.5"), u.Credit)
	assert.True(t, u.Blocked)
	assert.Equal(t, "weekly", u.BillingPeriod)
	assert.Equal(t, "Test User", u.FirstName, "flags not given are not sent")

	r = runMor(t, f.env("MOR_USER_PASSWORD=N3wPassword"), "user", "update", "--id", "2", "--set-password")
	require.Equal(t, 0, r.code, r.stderr)
	u, _ = f.User(2)
	assert.Equal(t, mortest.PasswordHash("N3wPassword"), u.PasswordHash)

	r = runMor(t, f.env(), "user", "update", "--id", "2", "--username-new", "reseller")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "User was not updated; Username has already been taken")

	for _, args := range [][]string{{"--blocked", "maybe"}, {"--credit", "ten"}, {"--credit", "1", "--unlimited-credit"},
		{"--set-password"}, {"--billing-period", "daily"}} {
		r = runMor(t, f.env(), append([]string{"user", "update", "--id", "2"}, args...)...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", args, r.stderr)
	}
}

func TestUserRegisterCommand(t *testing.T) {
	f := newFake(t)
	f.SetConfline(0, "API_Allow_registration_ower_API", mortest.Confline{Value: "1"})
	f.SetConfline(0, "Default_User_tariff_id", mortest.Confline{Value: "2"})
	f.SetConfline(0, "Default_User_lcr_id", mortest.Confline{Value: "1"})
	pwFile := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(pwFile, []byte("Secret123\n"), 0o600))
	args := []string{"user", "register", "--registrar", "hfttv7bcqt", "--name", "newuser", "--user-password-file", pwFile,
		"--first-name", "New", "--last-name", "User", "--email", "new@example.com", "--country-id", "123", "--caller-id", "37060000001"}
	r := runMor(t, f.env(), args...)
	require.Equal(t, 0, r.code, r.stderr)
	d, ok := f.Device(9)
	require.True(t, ok)
	assert.Contains(t, r.stdout, "user_id:         8\n")
	assert.Contains(t, r.stdout, "device_password: ********\n")
	assert.NotContains(t, r.stdout, d.Secret, "masked without --show-secrets")
	assert.NotContains(t, r.stdout, *d.PIN)
	u, _ := f.User(8)
	assert.Equal(t, mortest.PasswordHash("Secret123"), u.PasswordHash)

	r = runMor(t, f.env(), args...)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "Such username is already taken")

	args[5] = "other"
	args = append(args, "--show-secrets", "-o", "json")
	args[13] = "other@example.com"
	r = runMor(t, f.env(), args...)
	require.Equal(t, 0, r.code, r.stderr)
	d, _ = f.Device(10)
	assert.Contains(t, r.stdout, `"device_password": "`+d.Secret+`"`)

	r = runMor(t, f.env(), "user", "register", "--registrar", "x", "--name", "n", "--first-name", "F", "--last-name", "L",
		"--email", "e@x.com", "--country-id", "1")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "the new user's password is required")
}

func TestUserLoginLogoutAndGroupCommands(t *testing.T) {
	f := newFake(t)
	r := runMor(t, f.env("MOR_USER_PASSWORD=user_admin1"), "-v", "user", "login", "user_admin")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "user user_admin (id 2) logged in\n", r.stdout)
	assert.NotContains(t, r.stderr, "user_admin1", "the password is never logged")
	u, _ := f.User(2)
	assert.True(t, u.Logged)

	r = runMor(t, f.env("MOR_USER_PASSWORD=nope"), "user", "login", "user_admin")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "mor: user_login: Login failed")
	assert.NotContains(t, r.stderr, "nope")

	r = runMor(t, f.env(), "user", "logout", "user_admin")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "user user_admin logged out\n", r.stdout)
	u, _ = f.User(2)
	assert.False(t, u.Logged)
	r = runMor(t, f.env(), "user", "logout")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "user admin logged out\n", r.stdout)
	r = runMor(t, f.env(), "user", "logout", "ghost")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "Bad login")

	r = runMor(t, f.env(), "user", "reseller-group-create", "--name", "RG1", "--right", "pbx_functions", "--right", "callshop")
	require.Equal(t, 0, r.code, r.stderr)
	g := f.AccGroups()[0]
	assert.Equal(t, mortest.RightEdit, g.Rights["pbx_functions"])
	r = runMor(t, f.env(), "user", "reseller-group-create", "--name", "rg1")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "Group name must be unique")
	r = runMor(t, f.env(), "user", "reseller-group-create", "--name", "x", "--right", "hash")
	assert.Equal(t, exitUsage, r.code)
}
