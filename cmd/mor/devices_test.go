package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

func TestDeviceCommands(t *testing.T) {
	f := newFake(t)
	env := f.env()

	t.Run("list", func(t *testing.T) {
		r := runMor(t, env, "device", "list", "--user", "2")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "ID  TYPE\n2   IAX2\n3   FAX\n4   IAX2\n", r.stdout)
		r = runMor(t, env, "device", "list", "--user", "2", "-o", "csv")
		assert.Equal(t, "id,type\n2,IAX2\n3,FAX\n4,IAX2\n", r.stdout)
		r = runMor(t, env, "device", "list", "--user", "4", "-o", "json")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "[]\n", r.stdout)
	})
	t.Run("get masks the secret unless --show-secrets", func(t *testing.T) {
		r := runMor(t, env, "device", "get", "--device", "4")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Contains(t, r.stdout, "secret:                    ********\n")
		assert.Contains(t, r.stdout, "pin:                       ********\n")
		assert.NotContains(t, r.stdout, "vejs9cut")
		assert.NotContains(t, r.stdout, "211194")
		for _, o := range []string{"json", "csv"} {
			r = runMor(t, env, "device", "get", "--device", "4", "-o", o)
			require.Equal(t, 0, r.code, r.stderr)
			assert.NotContains(t, r.stdout, "vejs9cut", o)
			assert.NotContains(t, r.stdout, "211194", o)
		}
		r = runMor(t, env, "device", "get", "--device", "4", "-o", "json", "--show-secrets")
		require.Equal(t, 0, r.code, r.stderr)
		var got map[string]string
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
		assert.Equal(t, "vejs9cut", got["secret"])
		assert.Equal(t, "211194", got["pin"])
		assert.Equal(t, "1002", got["name"])
		assert.True(t, strings.HasPrefix(r.stdout, "{\n  \"name\": \"1002\",\n  \"device_type\""), "columns keep their order")
	})
	t.Run("create, update, delete", func(t *testing.T) {
		r := runMor(t, env, "device", "create", "--user", "2", "--type", "SIP", "--extension", "2001", "--pin", "4321", "-o", "json")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "{\n  \"id\": \"9\",\n  \"username\": \"2001\",\n  \"password\": \"********\"\n}\n", r.stdout)
		d, ok := f.Device(9)
		require.True(t, ok)
		assert.Equal(t, "4321", *d.PIN)

		r = runMor(t, env, "device", "create", "--user", "2", "--extension", "2001")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: device_create: Extension already exists in User's PBX Pool\n")

		pw := filepath.Join(t.TempDir(), "pw")
		require.NoError(t, os.WriteFile(pw, []byte("N3wPassw0rd\n"), 0o600))
		r = runMor(t, env, "--verbose", "device", "update", "--device", "9", "--device-password-file", pw, "--call-limit", "3",
			"--callerid-name", "Desk", "--trunk", "ani")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "device 9 updated\n", r.stdout)
		assert.NotContains(t, r.stderr, "N3wPassw0rd", "not even with --verbose")
		d, _ = f.Device(9)
		assert.Equal(t, "N3wPassw0rd", d.Secret)
		assert.Equal(t, int64(3), d.CallLimit)
		assert.Equal(t, `"Desk"`, *d.CallerID) // no CallerID number was set
		assert.Equal(t, int64(1), d.ANI)

		r = runMor(t, env, "device", "delete", "--device", "9")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "device 9 deleted\n", r.stdout)
		r = runMor(t, env, "device", "delete", "--device", "9")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: device_delete: Device was not found\n")
	})
	t.Run("create shows the password only with --show-secrets", func(t *testing.T) {
		r := runMor(t, env, "device", "create", "--user", "2", "--show-secrets")
		require.Equal(t, 0, r.code, r.stderr)
		var id string
		for _, line := range strings.Split(r.stdout, "\n") {
			if v, ok := strings.CutPrefix(line, "id:"); ok {
				id = strings.TrimSpace(v)
			}
		}
		require.NotEmpty(t, id)
		var found bool
		for _, d := range f.Devices() {
			if d.Username != "" && strings.Contains(r.stdout, "password:  "+d.Secret+"\n") {
				found = true
			}
		}
		assert.True(t, found, r.stdout)
	})
	t.Run("callflow get and update", func(t *testing.T) {
		r := runMor(t, env, "device", "callflow", "update", "--device", "2", "--state", "busy", "--action", "forward",
			"--external", "37061234567", "--callerid", "custom:555")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "user:   Test User #1\ndevice: IAX2/101\n"+
			"STATE  PRIORITY  ACTION   DATA         CALLERID\nBusy   1         Forward  37061234567  Custom 555\n", r.stdout)
		r = runMor(t, env, "device", "callflow", "get", "--device", "2", "-o", "csv")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "state,priority,action,data,callerid_type,callerid_data\n"+
			"Before call,1,,,,\nCall,1,Dial,IAX2/101|60,,\nAnswered,1,Hangup,,,\nNo answer,1,,,,\nBusy,1,Forward,37061234567,,\nFailed,1,,,,\n",
			r.stdout)
	})
	t.Run("server refusals and hints", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=user_admin"), "device", "get", "--device", "2")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: device_details_get: You are not authorized to view this page\n")
		r = runMor(t, env, "device", "callflow", "update", "--device", "2", "--state", "busy", "--action", "forward", "--to-device", "7")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "Local device was not found")
		r = runMor(t, env, "device", "get", "--device", "7")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: device_details_get: Device was not found\n")
		assert.Contains(t, r.stderr, "hint: check the device id: the admin reaches the devices of its own users")
	})
}

func TestDeviceUsageErrors(t *testing.T) {
	f := newFake(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"device", "list"}, `"user" not set`},
		{[]string{"device", "list", "--user", "admin"}, "want a numeric user id"},
		{[]string{"device", "get", "--device", "2", "-o", "yaml"}, "--output must be table, json or csv"},
		{[]string{"device", "update", "--device", "2", "--auth", "radius"}, "--auth must be ip or dynamic"},
		{[]string{"device", "update", "--device", "2", "--trunk", "maybe"}, "--trunk must be off, on or ani"},
		{[]string{"device", "create", "--user", "2", "--pin", "12a"}, "invalid pin"},
		{[]string{"device", "callflow", "update", "--device", "2", "--state", "call", "--action", "empty"}, "invalid state"},
		{[]string{"device", "callflow", "update", "--device", "2", "--state", "busy", "--action", "forward"}, "invalid forward_to_device"},
		{[]string{"device", "callflow", "update", "--device", "2", "--state", "busy", "--action", "empty", "--callerid", "x"}, "--callerid must be"},
		{[]string{"device", "bogus"}, `unknown command "bogus"`},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := runMor(t, f.env(), tt.args...)
			assert.Equal(t, exitUsage, r.code, r.stderr)
			assert.Contains(t, r.stderr, tt.want)
			assert.Empty(t, r.stdout)
		})
	}
}

// A device_create whose answer is lost: the hint says to list the user's
// devices before trying again, since a resend would add a second device.
func TestDeviceCreateInDoubtHint(t *testing.T) {
	srv := mortest.New(mortest.WithSpecWorld())
	inner := srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/device_create") {
			inner.ServeHTTP(httptest.NewRecorder(), r) // the device is created
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // but the answer is lost
			}
			return
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	env := append(cleanEnv(), "MOR_URL="+ts.URL+"/billing", "MOR_USER=admin", "MOR_SECRET="+mortest.SpecSecret)
	r := runMor(t, env, "device", "create", "--user", "2")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "hint: the device_create may have been applied: list the user's devices with `mor device list --user 2` before retrying")
	assert.Len(t, srv.Devices(), 9, "the device exists although the answer was lost")
}
