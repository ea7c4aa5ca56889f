package mortest_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// Behaviours of §§5–8 beyond the Selenium rows, over raw HTTP.
func TestCLIBehaviour(t *testing.T) {
	addAdminDevice := func(srv *mortest.Server) { srv.AddDevice(mortest.Device{ID: 1, Type: "SIP", Name: "100", UserID: 0}) }
	tests := []struct {
		name   string
		setup  func(srv *mortest.Server)
		method string
		p      url.Values
		want   string
		check  func(t *testing.T, srv *mortest.Server)
	}{
		// cli_add: duplicate naming (§5.3)
		{name: "dup: admin vs reseller's user names the reseller", method: "cli_add",
			p:    vals("u", "admin", "device_id", "2", "cli_number", "987654"),
			want: shapeB("CLI already exists. It is assigned to Test Reseller device")},
		{name: "dup: reseller vs own user", method: "cli_add", p: vals("u", "reseller", "device_id", "7", "cli_number", "987654"),
			want: shapeB("CLI already exists. It is assigned to User Resellers device")},
		{name: "dup: reseller vs admin's user is generic", method: "cli_add",
			p: vals("u", "reseller", "device_id", "7", "cli_number", "123456"), want: shapeB("CLI already exists")},
		{name: "dup: accountant is generic", method: "cli_add",
			p: vals("u", "accountant", "device_id", "2", "cli_number", "123456"), want: shapeB("CLI already exists")},
		{name: "dup: nice name falls back to username", setup: func(srv *mortest.Server) {
			u, _ := srv.User(2)
			u.FirstName, u.LastName = " ", ""
			srv.AddUser(u)
		}, method: "cli_add", p: vals("u", "admin", "device_id", "2", "cli_number", "123456"),
			want: shapeB("CLI already exists. It is assigned to user_admin device")},
		{name: "dup: missing last name leaves a trailing space", setup: func(srv *mortest.Server) {
			u, _ := srv.User(2)
			u.FirstName, u.LastName = "Solo", ""
			srv.AddUser(u)
		}, method: "cli_add", p: vals("u", "admin", "device_id", "2", "cli_number", "123456"),
			want: shapeB("CLI already exists. It is assigned to Solo  device")},
		{name: "dup: whitespace removed, then non-numeric too: two errors", method: "cli_add",
			p:    vals("u", "admin", "device_id", "2", "cli_number", "12 34 56"),
			want: shapeB("CLI already exists. It is assigned to Test User #1 device", "CLI must be numeric")},
		{name: "dup: orphan with the number is deleted first", setup: func(srv *mortest.Server) {
			srv.RemoveDevice(7)
		}, method: "cli_add", p: vals("u", "admin", "device_id", "2", "cli_number", "987654"),
			want: okReply("CLI successfully created"), check: func(t *testing.T, srv *mortest.Server) {
				c, ok := srv.CLI("987654")
				require.True(t, ok)
				assert.Equal(t, int64(2), c.DeviceID)
				assert.Equal(t, int64(4), c.ID)
				assert.Len(t, srv.CLIs(), 3)
			}},
		{name: "orphans are deleted even when validation then fails", setup: func(srv *mortest.Server) {
			srv.RemoveDevice(7)
		}, method: "cli_add", p: vals("u", "admin", "device_id", "2", "cli_number", "9876 54"),
			want: shapeB("CLI must be numeric"), check: func(t *testing.T, srv *mortest.Server) {
				_, ok := srv.CLI("987654")
				assert.False(t, ok)
			}},

		// cli_add: checks of §5.2
		{name: "first error wins", setup: func(srv *mortest.Server) {
			u, _ := srv.User(4)
			u.DeviceManage = mortest.RightRead
			srv.AddUser(u)
		}, method: "cli_add", p: vals("u", "accountant", "device_id", "", "cli_number", ""),
			want: shapeB("You are not authorized to view this page")},
		{name: "accountant ivr_id without cli_ivr edit", method: "cli_add",
			p:    vals("u", "accountant", "device_id", "2", "cli_number", "1", "ivr_id", ""),
			want: shapeB("You do not have rights to edit this")},
		{name: "accountant with cli_ivr edit and own IVR", setup: func(srv *mortest.Server) {
			u, _ := srv.User(4)
			u.CLIIVR = mortest.RightEdit
			srv.AddUser(u)
			srv.AddIVR(mortest.IVR{ID: 9, Name: "acc", UserID: 4})
		}, method: "cli_add", p: vals("u", "accountant", "device_id", "2", "cli_number", "1", "ivr_id", "9"),
			want: okReply("CLI successfully created")},
		{name: "blank number", method: "cli_add", p: vals("u", "admin", "device_id", "2", "cli_number", "  "),
			want: shapeB("CLI Number cannot be empty")},
		{name: "admin refused on a reseller's own device", method: "cli_add",
			p: vals("u", "admin", "device_id", "6", "cli_number", "1"), want: shapeB("Device was not found")},
		{name: "simple user never succeeds", method: "cli_add",
			p: vals("u", "user_admin", "device_id", "2", "cli_number", "1"), want: shapeB("Device was not found")},
		{name: "ivr_id=0 is not found", method: "cli_add",
			p: vals("u", "admin", "device_id", "2", "cli_number", "1", "ivr_id", "0"), want: shapeB("IVR was not found")},
		{name: "admin, device with no user: empty body", setup: func(srv *mortest.Server) {
			srv.AddDevice(mortest.Device{ID: 9, Type: "SIP", Name: "9", UserID: 99})
		}, method: "cli_add", p: vals("u", "admin", "device_id", "9", "cli_number", ""), want: ""},
		{name: "reseller, device with no user", setup: func(srv *mortest.Server) {
			srv.AddDevice(mortest.Device{ID: 9, Type: "SIP", Name: "9", UserID: 99})
		}, method: "cli_add", p: vals("u", "reseller", "device_id", "9", "cli_number", "1"), want: shapeB("Device was not found")},
		{name: "coercions and stored values", method: "cli_add",
			p: vals("u", "admin", "device_id", " 2abc", "cli_number", " +1_000 ", "banned", "5x", "cli_description", " \t",
				"comment", "a&b<c>\"'"),
			want: okReply("CLI successfully created"), check: func(t *testing.T, srv *mortest.Server) {
				c, ok := srv.CLI(" +1_000 ")
				require.True(t, ok)
				assert.Equal(t, int64(2), c.DeviceID)
				assert.Equal(t, int64(5), c.Banned)
				assert.Nil(t, c.Description)
				assert.Nil(t, c.IVRID)
				assert.Equal(t, "a&b<c>\"'", c.Comment)
				assert.Equal(t, fixedAt, c.AddedAt)
				assert.Equal(t, fixedAt, c.UpdatedAt)
				assert.Equal(t, int64(0), c.EmailCallback)
			}},
		{name: "banned=true is 0", method: "cli_add",
			p: vals("u", "admin", "device_id", "2", "cli_number", "5", "banned", "true"), want: okReply("CLI successfully created"),
			check: func(t *testing.T, srv *mortest.Server) {
				c, _ := srv.CLI("5")
				assert.Equal(t, int64(0), c.Banned)
			}},
		{name: "hex is not numeric", method: "cli_add", p: vals("u", "admin", "device_id", "2", "cli_number", "0x1A"),
			want: shapeB("CLI must be numeric")},
		{name: "cli_domain only", method: "cli_add",
			p:    vals("u", "admin", "device_id", "2", "cli_number", "", "cli_domain", "sip.example.com"),
			want: okReply("CLI successfully created"), check: func(t *testing.T, srv *mortest.Server) {
				clis := srv.CLIs()
				require.Len(t, clis, 4)
				assert.Equal(t, "", clis[3].Number)
				assert.Equal(t, "sip.example.com", clis[3].Domain)
			}},
		{name: "cli_domain blank does not replace the number", method: "cli_add",
			p: vals("u", "admin", "device_id", "2", "cli_domain", " "), want: shapeB("CLI Number cannot be empty")},

		// cli_delete (§6)
		{name: "delete refused: device CID", setup: func(srv *mortest.Server) { srv.SetDeviceControlCID(2, 1) },
			method: "cli_delete", p: vals("u", "admin", "cli_number", "123456"), want: shapeB("Device CID is assigned to Device"),
			check: func(t *testing.T, srv *mortest.Server) { _, ok := srv.CLI("123456"); assert.True(t, ok) }},
		{name: "delete: MySQL match, case and trailing spaces", method: "cli_delete",
			p: vals("u", "admin", "cli_number", "123456  "), want: okReply("CLI successfully deleted")},
		{name: "delete: leading space does not match", method: "cli_delete",
			p: vals("u", "admin", "cli_number", " 123456"), want: shapeB("CLI was not found")},
		{name: "delete: reseller on admin's user", method: "cli_delete",
			p: vals("u", "reseller", "cli_number", "123456"), want: shapeB("CLI was not found")},
		{name: "delete: accountant not on admin's own device", setup: func(srv *mortest.Server) {
			addAdminDevice(srv)
			srv.AddCLI(mortest.CLI{Number: "100100", DeviceID: 1})
		}, method: "cli_delete", p: vals("u", "accountant", "cli_number", "100100"), want: shapeB("CLI was not found")},
		{name: "delete: accountant not on reseller's user", method: "cli_delete",
			p: vals("u", "accountant", "cli_number", "987654"), want: shapeB("CLI was not found")},
		{name: "delete: admin removes an orphan", setup: func(srv *mortest.Server) { srv.RemoveDevice(7) },
			method: "cli_delete", p: vals("u", "admin", "cli_number", "987654"), want: okReply("CLI successfully deleted")},
		{name: "delete: reseller on an orphan", setup: func(srv *mortest.Server) { srv.RemoveDevice(7) },
			method: "cli_delete", p: vals("u", "reseller", "cli_number", "987654"), want: shapeB("CLI was not found")},
		{name: "delete: accountant on an orphan: empty body", setup: func(srv *mortest.Server) { srv.RemoveDevice(2) },
			method: "cli_delete", p: vals("u", "accountant", "cli_number", "123456"), want: ""},
		{name: "delete: no cli_number", method: "cli_delete", p: vals("u", "admin"), want: shapeB("CLI was not found")},

		// cli_info_get (§7)
		{name: "info: cli is trimmed", method: "cli_info_get", p: vals("u", "admin", "cli", " 123456\t"),
			want: infoReply("2", "2")},
		{name: "info: admin sees reseller's own device",
			setup:  func(srv *mortest.Server) { srv.AddCLI(mortest.CLI{Number: "555666", DeviceID: 6}) },
			method: "cli_info_get", p: vals("u", "admin", "cli", "555666"), want: infoReply("3", "6")},
		{name: "info: device user not found", setup: func(srv *mortest.Server) { srv.RemoveUser(2) },
			method: "cli_info_get", p: vals("u", "admin", "cli", "123456"), want: shapeC("Device user not found")},
		{name: "info: partner", setup: func(srv *mortest.Server) {
			srv.AddUser(mortest.User{ID: 6, Username: "partner", Type: mortest.Partner})
		}, method: "cli_info_get", p: vals("u", "partner", "cli", "123456"), want: shapeC("Access Denied")},
		{name: "info: accountant rights checked before cli", setup: func(srv *mortest.Server) {
			u, _ := srv.User(4)
			u.DeviceManage = mortest.RightNone
			srv.AddUser(u)
		}, method: "cli_info_get", p: vals("u", "accountant"), want: shapeC("You are not authorized to view this page")},

		// device_clis_get (§8)
		{name: "list: unknown user is an empty body", method: "device_clis_get", p: vals("u", "ghost"), want: ""},
		{name: "list: partner", setup: func(srv *mortest.Server) {
			srv.AddUser(mortest.User{ID: 6, Username: "partner", Type: mortest.Partner})
		}, method: "device_clis_get", p: vals("u", "partner"), want: shapeB("You are not authorized to use this functionality")},
		{name: "list: accountant sees admin's simple users only", setup: func(srv *mortest.Server) {
			u, _ := srv.User(4)
			u.DeviceManage = mortest.RightRead
			srv.AddUser(u)
		}, method: "device_clis_get", p: vals("u", "accountant"), want: listing(rec1)},
		{name: "list: reseller, devices_id of own user", method: "device_clis_get",
			p: vals("u", "reseller", "devices_id", "7"), want: listing(rec2)},
		{name: "list: user and someone else's device", method: "device_clis_get",
			p: vals("u", "admin", "users_id", "2", "devices_id", "7"), want: shapeB("CLIs were not found")},
		{name: "list: user and missing device", method: "device_clis_get",
			p: vals("u", "admin", "users_id", "2", "devices_id", "70"), want: shapeB("Device was not found")},
		{name: "list: users_id=0 is admin", method: "device_clis_get", p: vals("u", "admin", "users_id", "0"),
			want: shapeB("CLIs were not found")},
		{name: "list: accountcode 0 skipped for users_id only", setup: func(srv *mortest.Server) {
			d, _ := srv.Device(2)
			d.ZeroAccountcode = true
			srv.AddDevice(d)
		}, method: "device_clis_get", p: vals("u", "admin", "users_id", "2"), want: shapeB("CLIs were not found")},
		{name: "list: accountcode 0 kept without filter", setup: func(srv *mortest.Server) {
			d, _ := srv.Device(2)
			d.ZeroAccountcode = true
			srv.AddDevice(d)
		}, method: "device_clis_get", p: vals("u", "admin"), want: listing(rec1, rec2, rec3)},
		{name: "list: mor_server devices skipped for users_id", setup: func(srv *mortest.Server) {
			srv.AddDevice(mortest.Device{ID: 3, Type: "SIP", Name: "mor_server_1", UserID: 2})
			srv.AddCLI(mortest.CLI{ID: 10, Number: "10", DeviceID: 3, Description: new(""), IVRID: new(int64(0)),
				AddedAt: fixedAt})
		}, method: "device_clis_get", p: vals("u", "admin", "users_id", "2"), want: listing(rec1)},
		{name: "list: record forms", setup: func(srv *mortest.Server) {
			srv.AddDevice(mortest.Device{ID: 3, Type: "FAX", Name: "", UserID: 2})
			srv.AddCLI(mortest.CLI{ID: 10, Number: "10", DeviceID: 3, Comment: "a&b<c>\"' \x01"})                  // NULL description and ivr
			srv.AddCLI(mortest.CLI{ID: 11, Number: "11", DeviceID: 3, IVRID: new(int64(2)), Banned: 3})            // named IVR
			srv.AddCLI(mortest.CLI{ID: 12, Number: "12", Domain: "d.example", DeviceID: 3, IVRID: new(int64(77))}) // missing IVR
		}, method: "device_clis_get", p: vals("u", "admin", "devices_id", "3"), want: listing(
			"    <cli_id>10</cli_id>\n    <cli_cli>10</cli_cli>\n    <cli_device>FAX</cli_device>\n    <cli_description/>\n"+
				"    <cli_added_at>2018-03-01 12:00:00 +0200</cli_added_at>\n    <cli_updated_at>2018-03-01 12:00:00 +0200</cli_updated_at>\n"+
				"    <cli_ivr/>\n    <cli_comment>a&amp;b&lt;c&gt;\"' \uFFFD</cli_comment>\n    <cli_email_callback>0</cli_email_callback>\n    <cli_banned>0</cli_banned>\n",
			"    <cli_id>11</cli_id>\n    <cli_cli>11</cli_cli>\n    <cli_device>FAX</cli_device>\n    <cli_description/>\n"+
				"    <cli_added_at>2018-03-01 12:00:00 +0200</cli_added_at>\n    <cli_updated_at>2018-03-01 12:00:00 +0200</cli_updated_at>\n"+
				"    <cli_ivr>IVR 2</cli_ivr>\n    <cli_comment></cli_comment>\n    <cli_email_callback>0</cli_email_callback>\n    <cli_banned>3</cli_banned>\n",
			"    <cli_id>12</cli_id>\n    <cli_cli>12</cli_cli>\n    <cli_domain>d.example</cli_domain>\n    <cli_device>FAX</cli_device>\n    <cli_description/>\n"+
				"    <cli_added_at>2018-03-01 12:00:00 +0200</cli_added_at>\n    <cli_updated_at>2018-03-01 12:00:00 +0200</cli_updated_at>\n"+
				"    <cli_ivr/>\n    <cli_comment></cli_comment>\n    <cli_email_callback>0</cli_email_callback>\n    <cli_banned>0</cli_banned>\n",
		)},
		{name: "list: device name already in type", setup: func(srv *mortest.Server) {
			d, _ := srv.Device(2)
			d.Type, d.Name = "IAX2/101", "101"
			srv.AddDevice(d)
		}, method: "device_clis_get", p: vals("u", "admin", "devices_id", "2"), want: listing(rec1)},
		{name: "list: order is device id, then CLI id", setup: func(srv *mortest.Server) {
			srv.AddCLI(mortest.CLI{ID: 20, Number: "20", DeviceID: 2, Description: new(""), IVRID: new(int64(0)),
				AddedAt: rec1Time()})
		}, method: "device_clis_get", p: vals("u", "admin"),
			want: listing(rec1, specRec("20", "20", "IAX2/101"), rec2, rec3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(srv)
			}
			assert.Equal(t, tt.want, call(t, srv, tt.method, tt.p))
			if tt.check != nil {
				tt.check(t, srv)
			}
		})
	}
}

// rec1Time is when the spec world's CLIs were added.
func rec1Time() time.Time { return time.Date(2018, 2, 1, 10, 0, 0, 0, zone) }

// A full cycle through the state: add, list, info, delete.
func TestLifecycleState(t *testing.T) {
	srv := newSpecServer(t)
	assert.Equal(t, okReply("CLI successfully created"),
		call(t, srv, "cli_add", vals("u", "reseller", "device_id", "7", "cli_number", "37060000001", "cli_description", "desk")))
	assert.Equal(t, infoReply("5", "7"), call(t, srv, "cli_info_get", vals("u", "reseller", "cli", "37060000001")))
	assert.Equal(t, listing(rec2,
		"    <cli_id>4</cli_id>\n    <cli_cli>37060000001</cli_cli>\n    <cli_device>IAX2/105</cli_device>\n"+
			"    <cli_description>desk</cli_description>\n"+
			"    <cli_added_at>2018-03-01 12:00:00 +0200</cli_added_at>\n    <cli_updated_at>2018-03-01 12:00:00 +0200</cli_updated_at>\n"+
			"    <cli_ivr/>\n    <cli_comment></cli_comment>\n    <cli_email_callback>0</cli_email_callback>\n    <cli_banned>0</cli_banned>\n"),
		call(t, srv, "device_clis_get", vals("u", "reseller", "users_id", "5")))
	assert.Equal(t, okReply("CLI successfully deleted"), call(t, srv, "cli_delete", vals("u", "reseller", "cli_number", "37060000001")))
	assert.Equal(t, okReply("CLI successfully deleted"), call(t, srv, "cli_delete", vals("u", "reseller", "cli_number", "987654")))
	assert.Equal(t, shapeB("CLIs were not found"), call(t, srv, "device_clis_get", vals("u", "reseller")))
	assert.Len(t, srv.CLIs(), 2)
}

// A domain-only CLI is not reachable through a blank cli_number.
func TestDomainOnlyNotDeletedByBlankNumber(t *testing.T) {
	srv := newSpecServer(t)
	require.Equal(t, okReply("CLI successfully created"),
		call(t, srv, "cli_add", vals("u", "admin", "device_id", "2", "cli_domain", "sip.example.com")))
	for _, n := range []string{"", "  "} {
		assert.Equal(t, shapeB("CLI was not found"), call(t, srv, "cli_delete", vals("u", "admin", "cli_number", n)))
	}
	assert.Len(t, srv.CLIs(), 4)
}
