package mortest_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// The SDK's recorded replies (testdata/replies, written from the spec) and
// the fake are two readings of the same spec: every 2018-server fixture must
// come out of the fake byte for byte when the fake is put in that state.
// (The wiki-form fixtures and the unreachable shape D are left out.)
func TestFakeReproducesSDKFixtures(t *testing.T) {
	accRead := func(srv *mortest.Server) {
		u, _ := srv.User(4)
		u.DeviceManage = mortest.RightRead
		srv.AddUser(u)
	}
	tests := []struct {
		fixture string
		setup   func(srv *mortest.Server)
		method  string
		kv      []string
		get     bool
	}{
		{fixture: "cli_add_exists_and_not_numeric", method: "cli_add",
			kv: []string{"u", "accountant", "device_id", "2", "cli_number", "12 34 56"}},
		{fixture: "cli_add_exists_owner", method: "cli_add", kv: []string{"u", "admin", "device_id", "2", "cli_number", "123456"}},
		{fixture: "cli_add_ivr_not_found", method: "cli_add",
			kv: []string{"u", "admin", "device_id", "2", "cli_number", "1", "ivr_id", "4789"}},
		{fixture: "cli_add_not_authorized", setup: accRead, method: "cli_add",
			kv: []string{"u", "accountant", "device_id", "2", "cli_number", "1"}},
		{fixture: "cli_add_not_numeric", method: "cli_add", kv: []string{"u", "admin", "device_id", "2", "cli_number", "abc"}},
		{fixture: "cli_add_success", method: "cli_add", kv: []string{"u", "admin", "device_id", "2", "cli_number", "1"}},
		{fixture: "cli_delete_device_cid", setup: func(srv *mortest.Server) { srv.SetDeviceControlCID(2, 1) },
			method: "cli_delete", kv: []string{"u", "admin", "cli_number", "123456"}},
		{fixture: "cli_delete_not_found", method: "cli_delete", kv: []string{"u", "admin", "cli_number", "1"}},
		{fixture: "cli_delete_success", method: "cli_delete", kv: []string{"u", "admin", "cli_number", "123456"}},
		{fixture: "cli_info_get_bad_login", method: "cli_info_get", kv: []string{"u", "ghost", "cli", "123456"}},
		{fixture: "cli_info_get_device_user_not_found", setup: func(srv *mortest.Server) { srv.RemoveUser(2) },
			method: "cli_info_get", kv: []string{"u", "admin", "cli", "123456"}},
		{fixture: "cli_info_get_not_found", method: "cli_info_get", kv: []string{"u", "admin", "cli", "12"}},
		{fixture: "cli_info_get_success", method: "cli_info_get", kv: []string{"u", "admin", "cli", "123456"}},
		{fixture: "device_clis_get_none", method: "device_clis_get", kv: []string{"u", "reseller", "devices_id", "8"}},
		{fixture: "device_clis_get_user_not_found", method: "device_clis_get", kv: []string{"u", "reseller", "users_id", "2"}},
		{fixture: "device_clis_get_success", setup: func(srv *mortest.Server) {
			srv.RemoveCLI(3)
			srv.AddCLI(mortest.CLI{ID: 3, Number: "1234", DeviceID: 2, Comment: "desk & phone <2>", EmailCallback: 1, Banned: 5,
				AddedAt: time.Date(2018, 3, 5, 17, 21, 9, 0, zone), UpdatedAt: time.Date(2018, 3, 6, 8, 0, 0, 0, zone)})
			srv.AddIVR(mortest.IVR{ID: 3, Name: "Main menu", UserID: 3})
			srv.UpdateCLI(2, func(c *mortest.CLI) {
				c.Description = new("Reseller line")
				c.IVRID = new(int64(3))
			})
		}, method: "device_clis_get", kv: []string{"u", "admin"}},
		{fixture: "gate_api_disabled", setup: func(srv *mortest.Server) { srv.SetSettings(0, mortest.Settings{}) },
			method: "cli_info_get", kv: []string{"u", "admin", "cli", "1"}},
		{fixture: "gate_get_disabled", method: "cli_info_get", kv: []string{"u", "admin", "cli", "1"}, get: true},
		{fixture: "gate_incorrect_hash", method: "cli_info_get", kv: []string{"u", "admin", "cli", "1", "hash", "x"}},
		{fixture: "gate_no_secret", setup: func(srv *mortest.Server) {
			srv.SetSettings(0, mortest.Settings{AllowAPI: true})
		}, method: "cli_info_get", kv: []string{"u", "admin", "cli", "1"}},
		{fixture: "gate_no_such_api", method: "no_such_method", kv: []string{"u", "admin"}},
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
			if !p.Has("hash") {
				p = sign(tt.method, p, mortest.SpecSecret)
			}
			var body string
			if tt.get {
				resp, err := http.Get(srv.URL + "/billing/api/" + tt.method + "?" + p.Encode())
				require.NoError(t, err)
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				require.NoError(t, err)
				body = string(b)
			} else {
				_, body = post(t, srv, "/billing/api/"+tt.method, p)
			}
			assert.Equal(t, string(want), body)
		})
	}

	t.Run("device_clis_get_domain", func(t *testing.T) {
		want, err := os.ReadFile(filepath.Join("..", "testdata", "replies", "device_clis_get_domain.xml"))
		require.NoError(t, err)
		at := time.Date(2024, 6, 1, 9, 30, 0, 0, time.UTC)
		srv := mortest.NewServer(mortest.WithLocation(time.UTC), mortest.WithClock(func() time.Time { return at }))
		defer srv.Close()
		srv.SetSettings(0, mortest.Settings{AllowAPI: true, Secret: "s"})
		srv.AddUser(mortest.User{ID: 0, Username: "admin", Type: mortest.Admin})
		srv.AddUser(mortest.User{ID: 10, Username: "u10", Type: mortest.SimpleUser})
		srv.AddDevice(mortest.Device{ID: 5, Type: "SIP", Name: "1001", UserID: 10})
		srv.AddCLI(mortest.CLI{ID: 6}) // takes id 6 so that the next is 7; no device
		_, body := post(t, srv, "/billing/api/cli_add", sign("cli_add",
			vals("u", "admin", "device_id", "5", "cli_domain", "sip.example.com", "banned", "1"), "s"))
		require.Equal(t, okReply("CLI successfully created"), body)
		_, body = post(t, srv, "/billing/api/device_clis_get", sign("device_clis_get", vals("u", "admin", "devices_id", "5"), "s"))
		// cli_add without ivr_id stores NULL (<cli_ivr/>); the fixture has
		// ivr_id 0, so compare without that line.
		assert.Equal(t, string(want), strings.Replace(body, "    <cli_ivr/>\n", "", 1))
	})
}
