package mortest_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

const hashNone = "-" // send no hash parameter at all

// specRow is one request of the spec's §9 (Kolmisoft's Selenium API tests)
// sent over raw HTTP to a fresh spec world.
type specRow struct {
	name   string
	setup  func(t *testing.T, srv *mortest.Server)
	method string
	params url.Values
	hash   string // "": signed with the spec secret; hashNone: absent; else sent as is
	want   string // the exact reply body
	check  func(t *testing.T, srv *mortest.Server)
}

func setRights(id int64, deviceManage, cliIVR mortest.Right) func(*testing.T, *mortest.Server) {
	return func(t *testing.T, srv *mortest.Server) {
		u, ok := srv.User(id)
		require.True(t, ok)
		u.DeviceManage, u.CLIIVR = deviceManage, cliIVR
		srv.AddUser(u)
	}
}

// hashOff disables hash checking for the admin and the reseller, as some
// Selenium steps do.
func hashOff(t *testing.T, srv *mortest.Server) {
	for _, owner := range []int64{0, 3} {
		srv.SetSettings(owner, mortest.Settings{AllowAPI: true, Secret: mortest.SpecSecret, DisableHashCheck: true})
	}
}

// addAs sends a signed cli_add as u and requires success.
func addAs(u, device, number string) func(*testing.T, *mortest.Server) {
	return func(t *testing.T, srv *mortest.Server) {
		require.Equal(t, okReply("CLI successfully created"),
			call(t, srv, "cli_add", vals("u", u, "device_id", device, "cli_number", number)))
	}
}

func hasCLI(number string, device int64) func(*testing.T, *mortest.Server) {
	return func(t *testing.T, srv *mortest.Server) {
		c, ok := srv.CLI(number)
		if assert.True(t, ok, "CLI %s stored", number) {
			assert.Equal(t, device, c.DeviceID)
		}
	}
}

func noCLI(number string) func(*testing.T, *mortest.Server) {
	return func(t *testing.T, srv *mortest.Server) {
		_, ok := srv.CLI(number)
		assert.False(t, ok, "CLI %s must not be stored", number)
	}
}

// unchanged asserts the spec world's three CLIs are all there is.
func unchanged(t *testing.T, srv *mortest.Server) {
	got := srv.CLIs()
	require.Len(t, got, 3)
	for i, n := range []string{"123456", "987654", "654121"} {
		assert.Equal(t, n, got[i].Number)
	}
}

func TestSpecSelenium(t *testing.T) {
	rows := []specRow{
		// cli_add
		{name: "cli_add wrong hash accountant", method: "cli_add",
			params: vals("u", "accountant", "device_id", "2", "cli_number", "1234"),
			hash:   "0123456789abcdef0123456789abcdef01234567", want: shapeA("Incorrect hash"), check: unchanged},
		{name: "cli_add 39-char hash admin", method: "cli_add",
			params: vals("u", "admin", "device_id", "2", "cli_number", "2"),
			hash:   "38282ca5e65e63746498ef5b39a2fe71c644000", want: shapeA("Incorrect hash"), check: unchanged},
		{name: "cli_add no device_id", method: "cli_add", params: vals("u", "admin", "cli_number", "1234"),
			want: shapeB("Device ID cannot be empty"), check: unchanged},
		{name: "cli_add device_id invalid", method: "cli_add",
			params: vals("u", "admin", "device_id", "invalid", "cli_number", "1234"),
			want:   shapeB("Device was not found"), check: unchanged},
		{name: "cli_add non-numeric (vector 1)", method: "cli_add",
			params: vals("u", "admin", "device_id", "2", "cli_number", "abc"),
			hash:   "2a566cef7a150ec60e0b49f5ba46a09681504583", want: shapeB("CLI must be numeric"), check: unchanged},
		{name: "cli_add created", method: "cli_add", params: vals("u", "admin", "cli_number", "1234", "device_id", "2"),
			want: okReply("CLI successfully created"), check: hasCLI("1234", 2)},
		{name: "cli_add twice", setup: addAs("admin", "2", "1234"), method: "cli_add",
			params: vals("u", "admin", "cli_number", "1234", "device_id", "2"),
			want:   shapeB("CLI already exists. It is assigned to Test User #1 device"),
			check: func(t *testing.T, srv *mortest.Server) {
				assert.Len(t, srv.CLIs(), 4)
			}},
		{name: "cli_add comment and description not hashed (vector 2 without ivr)", method: "cli_add",
			params: vals("u", "admin", "user_id", "2", "device_id", "2", "cli_number", "123467",
				"cli_description", "desk phone", "comment", "from selenium"),
			hash: "d00f619cda5b497d9e16a2d9e03749b4a7ee23e4", want: okReply("CLI successfully created"),
			check: func(t *testing.T, srv *mortest.Server) {
				c, ok := srv.CLI("123467")
				require.True(t, ok)
				require.NotNil(t, c.Description)
				assert.Equal(t, "desk phone", *c.Description)
				assert.Equal(t, "from selenium", c.Comment)
				assert.Nil(t, c.IVRID)
			}},
		{name: "cli_add without comment same hash", method: "cli_add",
			params: vals("u", "admin", "user_id", "2", "device_id", "2", "cli_number", "123467"),
			hash:   "d00f619cda5b497d9e16a2d9e03749b4a7ee23e4", want: okReply("CLI successfully created"),
			check: func(t *testing.T, srv *mortest.Server) {
				c, ok := srv.CLI("123467")
				require.True(t, ok)
				assert.Nil(t, c.Description, "no description is stored as NULL")
				assert.Equal(t, "", c.Comment)
			}},
		{name: "cli_add ivr_id=2 (vector 2)", method: "cli_add",
			params: vals("u", "admin", "user_id", "2", "device_id", "2", "cli_number", "123467",
				"cli_description", "d", "comment", "c", "ivr_id", "2"),
			hash: "d00f619cda5b497d9e16a2d9e03749b4a7ee23e4", want: okReply("CLI successfully created"),
			check: func(t *testing.T, srv *mortest.Server) {
				c, ok := srv.CLI("123467")
				require.True(t, ok)
				require.NotNil(t, c.IVRID)
				assert.Equal(t, int64(2), *c.IVRID)
			}},
		{name: "cli_add ivr_id=4789 same hash", method: "cli_add",
			params: vals("u", "admin", "user_id", "2", "device_id", "2", "cli_number", "123467",
				"cli_description", "d", "comment", "c", "ivr_id", "4789"),
			hash: "d00f619cda5b497d9e16a2d9e03749b4a7ee23e4", want: shapeB("IVR was not found"), check: unchanged},
		{name: "cli_add banned (vector 3)", method: "cli_add",
			params: vals("u", "admin", "user_id", "2", "device_id", "2", "cli_number", "1234678", "banned", "1",
				"ivr_id", "2", "cli_description", "d", "comment", "c"),
			hash: "d74247c3834e41c492d689f84882a6dbed2fa089", want: okReply("CLI successfully created"),
			check: func(t *testing.T, srv *mortest.Server) {
				c, ok := srv.CLI("1234678")
				require.True(t, ok)
				assert.Equal(t, int64(1), c.Banned)
			}},
		{name: "cli_add reseller ivr_id=4", method: "cli_add",
			params: vals("u", "reseller", "device_id", "7", "cli_number", "5550001", "ivr_id", "4"),
			want:   shapeB("IVR was not found"), check: unchanged},
		{name: "cli_add u lost (??u=, vector 5)", method: "cli_add",
			params: vals("?u", "", "device_id", "7", "cli_number", "12394767"),
			hash:   "2403ca550ac54b42ea4fc06c0ae2b702b3550684", want: shapeB("Access Denied"), check: unchanged},
		{name: "cli_add u absent", method: "cli_add", params: vals("device_id", "7", "cli_number", "12394767"),
			want: shapeB("Access Denied"), check: unchanged},
		{name: "cli_add reseller on admin's user device", method: "cli_add",
			params: vals("u", "reseller", "device_id", "2", "cli_number", "5550002"),
			want:   shapeB("Device was not found"), check: unchanged},
		{name: "cli_add accountant without device_manage edit", setup: setRights(4, mortest.RightRead, mortest.RightNone),
			method: "cli_add", params: vals("u", "accountant", "device_id", "2", "cli_number", "5550003"),
			want: shapeB("You are not authorized to view this page"), check: unchanged},
		{name: "cli_add reseller own user's device", method: "cli_add",
			params: vals("u", "reseller", "device_id", "7", "cli_number", "5550004"),
			want:   okReply("CLI successfully created"), check: hasCLI("5550004", 7)},
		{name: "cli_add reseller empty cli_number", method: "cli_add",
			params: vals("u", "reseller", "device_id", "7", "cli_number", ""),
			want:   shapeB("CLI Number cannot be empty"), check: unchanged},
		{name: "cli_add admin on reseller's user device", method: "cli_add",
			params: vals("u", "admin", "device_id", "7", "cli_number", "5550005"),
			want:   okReply("CLI successfully created"), check: hasCLI("5550005", 7)},
		{name: "cli_add accountant with rights", method: "cli_add",
			params: vals("u", "accountant", "device_id", "2", "cli_number", "5550006"),
			want:   okReply("CLI successfully created"), check: hasCLI("5550006", 2)},
		{name: "cli_add device_id=7=88 (xml ext, hash off)",
			setup:  func(t *testing.T, srv *mortest.Server) { srv.SetXMLExtension(true); hashOff(t, srv) },
			method: "cli_add", params: vals("u", "admin", "device_id", "7=88", "cli_number", "5550007"), hash: hashNone,
			want: okReply("CLI successfully created"), check: hasCLI("5550007", 7)},
		{name: "cli_add device_id=21=88 (xml ext, hash off)",
			setup:  func(t *testing.T, srv *mortest.Server) { srv.SetXMLExtension(true); hashOff(t, srv) },
			method: "cli_add", params: vals("u", "admin", "device_id", "21=88", "cli_number", "5550008"), hash: hashNone,
			want: shapeB("Device was not found"), check: unchanged},

		// cli_delete
		{name: "cli_delete absent number", method: "cli_delete", params: vals("u", "admin", "cli_number", "381372"),
			want: shapeB("CLI was not found"), check: unchanged},
		{name: "cli_delete hash of another number", method: "cli_delete",
			params: vals("u", "admin", "cli_number", "123456"),
			hash:   "e588af702676fc48f73f52a61a61e5974b2ce90a", want: shapeA("Incorrect hash"), check: unchanged},
		{name: "cli_delete admin", method: "cli_delete", params: vals("u", "admin", "cli_number", "123456"),
			want: okReply("CLI successfully deleted"), check: noCLI("123456")},
		{name: "cli_delete reseller own user's CLI", method: "cli_delete",
			params: vals("u", "reseller", "cli_number", "987654"),
			want:   okReply("CLI successfully deleted"), check: noCLI("987654")},
		{name: "cli_delete accountant with edit", method: "cli_delete",
			params: vals("u", "accountant", "cli_number", "123456"),
			want:   okReply("CLI successfully deleted"), check: noCLI("123456")},
		{name: "cli_delete user_admin", method: "cli_delete", params: vals("u", "user_admin", "cli_number", "123456"),
			want: shapeB("Access Denied"), check: unchanged},
		{name: "cli_delete user_reseller", method: "cli_delete",
			params: vals("u", "user_reseller", "cli_number", "987654"), want: shapeB("Access Denied"), check: unchanged},
		{name: "cli_delete misspelt u (vector 6)", method: "cli_delete", params: vals("u", "admn", "cli_number", "381372"),
			hash: "e588af702676fc48f73f52a61a61e5974b2ce90a", want: shapeB("Access Denied"), check: unchanged},
		{name: "cli_delete absent u", method: "cli_delete", params: vals("cli_number", "123456"),
			want: shapeB("Access Denied"), check: unchanged},
		{name: "cli_delete reseller CLI already gone", setup: func(t *testing.T, srv *mortest.Server) {
			require.Equal(t, okReply("CLI successfully deleted"), call(t, srv, "cli_delete", vals("u", "reseller", "cli_number", "987654")))
		}, method: "cli_delete", params: vals("u", "reseller", "cli_number", "987654"),
			want: shapeB("CLI was not found"), check: noCLI("987654")},
		{name: "cli_delete reseller s_user (vector 7)", method: "cli_delete",
			params: vals("u", "reseller", "s_user", "2", "cli_number", "383370"),
			hash:   "83f9f78dd9df14217b92b0d9212b8a98de774e50", want: shapeB("CLI was not found"), check: unchanged},
		{name: "cli_delete accountant without edit", setup: setRights(4, mortest.RightRead, mortest.RightNone),
			method: "cli_delete", params: vals("u", "accountant", "cli_number", "123456"),
			want: shapeB("You are not authorized to use this functionality"), check: unchanged},

		// cli_info_get
		{name: "cli_info_get accountant without device_manage", setup: setRights(4, mortest.RightNone, mortest.RightNone),
			method: "cli_info_get", params: vals("u", "accountant", "cli", "123456"),
			want: shapeC("You are not authorized to view this page")},
		{name: "cli_info_get admin (vector 8)", method: "cli_info_get", params: vals("u", "admin", "cli", "123456"),
			hash: "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4", want: infoReply("2", "2")},
		{name: "cli_info_get admin hash off", setup: hashOff, method: "cli_info_get",
			params: vals("u", "admin", "cli", "123456"), hash: hashNone, want: infoReply("2", "2")},
		{name: "cli_info_get accountant with read", setup: setRights(4, mortest.RightRead, mortest.RightNone),
			method: "cli_info_get", params: vals("u", "accountant", "cli", "123456"), want: infoReply("2", "2")},
		{name: "cli_info_get admin reseller-user CLI", method: "cli_info_get",
			params: vals("u", "admin", "cli", "987654"), want: shapeC("CLI not found")},
		{name: "cli_info_get reseller others' CLI", method: "cli_info_get",
			params: vals("u", "reseller", "cli", "123456"), want: shapeC("CLI not found")},
		{name: "cli_info_get cli=12", method: "cli_info_get", params: vals("u", "admin", "cli", "12"),
			want: shapeC("CLI not found")},
		{name: "cli_info_get cli=sdfsdfsdg", method: "cli_info_get", params: vals("u", "admin", "cli", "sdfsdfsdg"),
			want: shapeC("CLI not found")},
		{name: "cli_info_get reseller own user's CLI", method: "cli_info_get",
			params: vals("u", "reseller", "cli", "987654"), want: infoReply("5", "7")},
		{name: "cli_info_get user_admin", method: "cli_info_get", params: vals("u", "user_admin", "cli", "123456"),
			want: shapeC("Access Denied")},
		{name: "cli_info_get user_reseller", method: "cli_info_get", params: vals("u", "user_reseller", "cli", "987654"),
			want: shapeC("Access Denied")},
		{name: "cli_info_get no cli", method: "cli_info_get", params: vals("u", "admin"), want: shapeC("CLI is empty")},
		{name: "cli_info_get cli=", method: "cli_info_get", params: vals("u", "admin", "cli", ""),
			want: shapeC("CLI is empty")},
		{name: "cli_info_get device_id NULL", setup: func(t *testing.T, srv *mortest.Server) {
			require.True(t, srv.UpdateCLI(1, func(c *mortest.CLI) { c.DeviceID = 0 }))
		}, method: "cli_info_get", params: vals("u", "admin", "cli", "123456"), want: shapeC("Device not found")},

		// device_clis_get
		{name: "device_clis_get accountant without device_manage", setup: setRights(4, mortest.RightNone, mortest.RightNone),
			method: "device_clis_get", params: vals("u", "accountant"),
			want: shapeB("You are not authorized to use this functionality")},
		{name: "device_clis_get hash=5b", method: "device_clis_get", params: vals("u", "admin"), hash: "5b",
			want: shapeA("Incorrect hash")},
		{name: "device_clis_get admin no filter (vector 8)", method: "device_clis_get", params: vals("u", "admin"),
			hash: "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4", want: listing(rec1, rec2, rec3)},
		{name: "device_clis_get admin users_id=5", method: "device_clis_get", params: vals("u", "admin", "users_id", "5"),
			want: listing(rec2)},
		{name: "device_clis_get admin devices_id=7", method: "device_clis_get",
			params: vals("u", "admin", "devices_id", "7"), want: listing(rec2)},
		{name: "device_clis_get admin both", method: "device_clis_get",
			params: vals("u", "admin", "users_id", "5", "devices_id", "7"), want: listing(rec2)},
		{name: "device_clis_get reseller no filter", method: "device_clis_get", params: vals("u", "reseller"),
			want: listing(rec2)},
		{name: "device_clis_get reseller users_id=2", method: "device_clis_get",
			params: vals("u", "reseller", "users_id", "2"), want: shapeB("User was not found")},
		{name: "device_clis_get reseller users_id=7", method: "device_clis_get",
			params: vals("u", "reseller", "users_id", "7"), want: shapeB("User was not found")},
		{name: "device_clis_get reseller users_id=2 devices_id=2", method: "device_clis_get",
			params: vals("u", "reseller", "users_id", "2", "devices_id", "2"), want: shapeB("User was not found")},
		{name: "device_clis_get reseller users_id=7 devices_id=7", method: "device_clis_get",
			params: vals("u", "reseller", "users_id", "7", "devices_id", "7"), want: shapeB("User was not found")},
		{name: "device_clis_get reseller devices_id=2", method: "device_clis_get",
			params: vals("u", "reseller", "devices_id", "2"), want: shapeB("CLIs were not found")},
		{name: "device_clis_get reseller devices_id=8", method: "device_clis_get",
			params: vals("u", "reseller", "devices_id", "8"), want: shapeB("CLIs were not found")},
		{name: "device_clis_get accountant read users_id=2", setup: setRights(4, mortest.RightRead, mortest.RightNone),
			method: "device_clis_get", params: vals("u", "accountant", "users_id", "2"), want: listing(rec1)},
		{name: "device_clis_get accountant read users_id=5", setup: setRights(4, mortest.RightRead, mortest.RightNone),
			method: "device_clis_get", params: vals("u", "accountant", "users_id", "5"),
			want: shapeB("User was not found")},
		{name: "device_clis_get user_admin", method: "device_clis_get", params: vals("u", "user_admin"),
			want: shapeB("Access Denied")},
		{name: "device_clis_get user_reseller", method: "device_clis_get", params: vals("u", "user_reseller"),
			want: shapeB("Access Denied")},
		{name: "device_clis_get users_id=vienas", method: "device_clis_get",
			params: vals("u", "admin", "users_id", "vienas"), want: shapeB("User was not found")},
		{name: "device_clis_get devices_id=du", method: "device_clis_get",
			params: vals("u", "admin", "devices_id", "du"), want: shapeB("Device was not found")},
		{name: "device_clis_get devices_id=", method: "device_clis_get", params: vals("u", "admin", "devices_id", ""),
			want: shapeB("Device was not found")},
		{name: "device_clis_get xml extension", setup: func(t *testing.T, srv *mortest.Server) { srv.SetXMLExtension(true) },
			method: "device_clis_get", params: vals("u", "admin", "users_id", "2"), want: listing(rec1)},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			srv := newSpecServer(t)
			if row.setup != nil {
				row.setup(t, srv)
			}
			p := url.Values{}
			for k, v := range row.params {
				p[k] = v
			}
			switch row.hash {
			case "":
				p = sign(row.method, p, mortest.SpecSecret)
			case hashNone:
			default:
				p.Set("hash", row.hash)
			}
			_, body := post(t, srv, "/billing/api/"+row.method, p)
			assert.Equal(t, row.want, body)
			if row.check != nil {
				row.check(t, srv)
			}
		})
	}
}
