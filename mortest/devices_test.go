package mortest_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// fixture reads one recorded reply of testdata/replies.
func devFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "replies", name+".xml"))
	require.NoError(t, err)
	return string(b)
}

// grant gives user id the named group rights (a fresh accountant group)
// and clears its direct device_manage grant.
func devGrant(t *testing.T, srv *mortest.Server, id int64, rights map[string]mortest.Right) {
	t.Helper()
	gid := srv.AddAccGroup(mortest.AccGroup{Name: "g", GroupType: "accountant", Rights: rights})
	require.True(t, srv.UpdateUser(id, func(u *mortest.User) { u.AccGroupID, u.DeviceManage = gid, mortest.RightNone }))
}

func devRights(id int64, rights map[string]mortest.Right) func(*testing.T, *mortest.Server) {
	return func(t *testing.T, srv *mortest.Server) { devGrant(t, srv, id, rights) }
}

var (
	devAccNone = devRights(4, map[string]mortest.Right{})
	// the world's accountant holds device_manage edit directly
	devAccDMRead = devRights(4, map[string]mortest.Right{"device_manage": mortest.RightRead})
)

// devSeedCodecs adds alaw, ulaw, g729 (audio) and h263 (video), and enables
// the first three on device 2 in the order alaw, ulaw, g729 by priority.
func devSeedCodecs(t *testing.T, srv *mortest.Server) {
	for _, c := range []mortest.Codec{{ID: 1, Name: "alaw", CodecType: "audio"}, {ID: 2, Name: "ulaw", CodecType: "audio"},
		{ID: 3, Name: "g729", CodecType: "audio"}, {ID: 4, Name: "h263", CodecType: "video"}} {
		srv.AddCodec(c)
	}
	srv.AddDeviceCodec(mortest.DeviceCodec{DeviceID: 2, CodecID: 3, Priority: 2})
	srv.AddDeviceCodec(mortest.DeviceCodec{DeviceID: 2, CodecID: 2, Priority: 1})
	srv.AddDeviceCodec(mortest.DeviceCodec{DeviceID: 2, CodecID: 1, Priority: 0})
}

// devSeedMorphone gives user 2 a SIP device with alaw and ulaw, and sets the
// softphone conflines.
func devSeedMorphone(t *testing.T, srv *mortest.Server) {
	d := mortest.NewDevice(0, "SIP", "1005", 2)
	d.Secret = "Secret12345"
	id := srv.AddDevice(d)
	srv.AddCodec(mortest.Codec{ID: 1, Name: "alaw", CodecType: "audio"})
	srv.AddCodec(mortest.Codec{ID: 2, Name: "ulaw", CodecType: "audio"})
	srv.AddDeviceCodec(mortest.DeviceCodec{DeviceID: id, CodecID: 1})
	srv.AddDeviceCodec(mortest.DeviceCodec{DeviceID: id, CodecID: 2, Priority: 5})
	for k, v := range map[string]string{"morphone_server_ip": "192.168.1.9", "morphone_server_port": "5060",
		"morphone_did_number": "37060000005"} {
		srv.SetConfline(0, k, mortest.Confline{Value: v})
	}
}

// TestDeviceFixturesFromFake puts the fake in each fixture's state and
// requires the fixture's bytes (written from the spec's reply texts).
func TestDeviceFixturesFromFake(t *testing.T) {
	type fx struct {
		fixture string
		setup   func(*testing.T, *mortest.Server)
		method  string
		kv      []string
	}
	accCreate := devRights(4, map[string]mortest.Right{"device_create": mortest.RightEdit})
	tests := []fx{
		{"devices_get_success", nil, "devices_get", []string{"u", "admin", "user_id", "2"}},
		{"devices_get_bad_login", nil, "devices_get", []string{"u", "ghost", "user_id", "2"}},
		{"devices_get_not_authorized", devAccNone, "devices_get", []string{"u", "accountant", "user_id", "2"}},
		{"devices_get_access_denied", nil, "devices_get", []string{"u", "reseller", "user_id", "2"}},
		{"devices_get_device_not_found", nil, "devices_get", []string{"u", "admin", "user_id", "4"}},
		{"devices_get_user_id_empty", nil, "devices_get", []string{"u", "admin", "user_id", ""}},
		{"devices_get_user_not_found", nil, "devices_get", []string{"u", "admin", "user_id", "99"}},

		{"device_details_get_success", devSeedCodecs, "device_details_get", []string{"u", "admin", "device_id", "2"}},
		{"device_details_get_access_denied", nil, "device_details_get", []string{"u", "ghost", "device_id", "2"}},
		{"device_details_get_not_authorized", nil, "device_details_get", []string{"u", "user_admin", "device_id", "2"}},
		{"device_details_get_not_found", nil, "device_details_get", []string{"u", "reseller", "device_id", "2"}},

		{"device_create_bad_login", nil, "device_create", []string{"u", "ghost", "user_id", "2"}},
		{"device_create_access_denied", nil, "device_create", []string{"u", "reseller", "user_id", "2"}},
		{"device_create_user_not_found", nil, "device_create", []string{"u", "admin", "user_id", "2abc"}},
		{"device_create_extension_exists", nil, "device_create", []string{"u", "admin", "user_id", "2", "extension", "101"}},
		{"device_create_pin_used", nil, "device_create", []string{"u", "admin", "user_id", "2", "pin", "211194"}},
		{"device_create_pin_not_numeric", nil, "device_create", []string{"u", "admin", "user_id", "2", "pin", "12a"}},
		{"device_create_group_invalid", nil, "device_create", []string{"u", "admin", "user_id", "2", "devicegroup_id", "1"}},
		{"device_create_type_invalid", nil, "device_create", []string{"u", "admin", "user_id", "2", "type", "XYZ"}},
		{"device_create_call_timeout", nil, "device_create", []string{"u", "admin", "user_id", "2", "call_timeout", "-5"}},
		{"device_create_callerid_not_numeric", nil, "device_create", []string{"u", "admin", "user_id", "2", "caller_id", "abc"}},
		{"device_create_no_name", nil, "device_create", []string{"u", "admin", "user_id", "2", "extension", "  "}},
		{"device_create_callerid_not_authorized", accCreate, "device_create",
			[]string{"u", "accountant", "user_id", "2", "caller_id", "123"}},

		{"device_update_success", nil, "device_update", []string{"u", "admin", "device", "2", "call_limit", "3"}},
		{"device_update_short_password", func(t *testing.T, srv *mortest.Server) {
			srv.UpdateDevice(2, func(d *mortest.Device) { d.Secret = "abc" })
		}, "device_update", []string{"u", "admin", "device", "2", "call_limit", "3"}},
		{"device_update_short_password_success", func(t *testing.T, srv *mortest.Server) {
			srv.AddDevice(mortest.NewDevice(9, "Virtual", "virtual_9", 2))
		}, "device_update", []string{"u", "admin", "device", "9", "authentication", "0"}},
		{"device_update_empty_status", func(t *testing.T, srv *mortest.Server) {
			srv.UpdateDevice(2, func(d *mortest.Device) { d.Name, d.Secret = "samesame1", "samesame1" })
		}, "device_update", []string{"u", "admin", "device", "2", "call_limit", "1"}},
		{"device_update_access_denied", nil, "device_update", []string{"u", "ghost", "device", "2"}},
		{"device_update_not_authorized", devAccDMRead, "device_update", []string{"u", "accountant", "device", "2"}},
		{"device_update_not_found", nil, "device_update", []string{"u", "user_admin", "device", "2"}},
		{"device_update_location_not_found", nil, "device_update", []string{"u", "admin", "device", "2", "new_location_id", "5"}},
		{"device_update_call_timeout", nil, "device_update", []string{"u", "admin", "device", "2", "call_timeout", "abc"}},

		{"device_delete_success", nil, "device_delete", []string{"u", "admin", "device", "4"}},
		{"device_delete_bad_login", nil, "device_delete", []string{"u", "ghost", "device", "4"}},
		{"device_delete_not_found", nil, "device_delete", []string{"u", "admin", "device", "99"}},
		{"device_delete_access_denied", nil, "device_delete", []string{"u", "reseller", "device", "4"}},
		{"device_delete_no_rights", nil, "device_delete", []string{"u", "accountant", "device", "4"}},
		{"device_delete_fax_detect", func(t *testing.T, srv *mortest.Server) {
			srv.AddCallflow(mortest.Callflow{DeviceID: 2, CFType: "before_call", Priority: 1, Action: "fax_detect", Data: "3", Data2: "fax"})
		}, "device_delete", []string{"u", "admin", "device", "3"}},
		{"device_delete_forwarded", func(t *testing.T, srv *mortest.Server) {
			srv.AddCallflow(mortest.Callflow{DeviceID: 2, CFType: "busy", Priority: 1, Action: "forward", Data: "4", Data2: "local"})
		}, "device_delete", []string{"u", "admin", "device", "4"}},
		{"device_delete_has_calls", func(t *testing.T, srv *mortest.Server) {
			srv.UpdateDevice(4, func(d *mortest.Device) { d.Refs.Calls = 1 })
		}, "device_delete", []string{"u", "admin", "device", "4"}},

		{"device_callflow_get_success", nil, "device_callflow_get", []string{"u", "admin", "device_id", "2"}},
		{"device_callflow_get_user_not_found", nil, "device_callflow_get", []string{"u", "ghost", "device_id", "2"}},
		{"device_callflow_get_not_authorized", nil, "device_callflow_get", []string{"u", "accountant", "device_id", "2"}},
		{"device_callflow_get_not_found", nil, "device_callflow_get", []string{"u", "admin", "device_id", "7"}},

		{"device_callflow_update_success", nil, "device_callflow_update", []string{"u", "admin", "device_id", "2",
			"state", "busy", "callflow_action", "forward", "external_number", "37061234567", "custom", "555"}},
		{"device_callflow_update_empty", nil, "device_callflow_update", []string{"u", "admin", "device_id", "2",
			"state", "no_answer", "callflow_action", "empty"}},
		{"device_callflow_update_user_not_found", nil, "device_callflow_update", []string{"u", "ghost", "device_id", "2"}},
		{"device_callflow_update_not_authorized", nil, "device_callflow_update", []string{"u", "reseller", "device_id", "7"}},
		{"device_callflow_update_not_found", nil, "device_callflow_update", []string{"u", "user_admin", "device_id", "7"}},
		{"device_callflow_update_state_not_found", nil, "device_callflow_update",
			[]string{"u", "admin", "device_id", "2", "state", "call", "callflow_action", "forward"}},
		{"device_callflow_update_action_not_found", nil, "device_callflow_update",
			[]string{"u", "admin", "device_id", "2", "state", "busy", "callflow_action", "fax_detect"}},
		{"device_callflow_update_missing_forward", nil, "device_callflow_update",
			[]string{"u", "admin", "device_id", "2", "state", "busy", "callflow_action", "forward"}},
		{"device_callflow_update_local_device_not_found", nil, "device_callflow_update",
			[]string{"u", "admin", "device_id", "2", "state", "busy", "callflow_action", "forward", "forward_to_device", "7"}},
		{"device_callflow_update_external_not_found", nil, "device_callflow_update",
			[]string{"u", "admin", "device_id", "2", "state", "busy", "callflow_action", "forward", "external_number", ""}},
		{"device_callflow_update_external_not_numeric", nil, "device_callflow_update",
			[]string{"u", "admin", "device_id", "2", "state", "busy", "callflow_action", "forward", "external_number", "12a"}},
		{"device_callflow_update_did_not_found", nil, "device_callflow_update", []string{"u", "admin", "device_id", "2",
			"state", "busy", "callflow_action", "forward", "external_number", "370", "did_id", "1"}},
		{"device_callflow_update_fax_not_found", nil, "device_callflow_update", []string{"u", "admin", "device_id", "2",
			"state", "before_call", "callflow_action", "fax_detect", "fax_device", "2"}},

		{"morphone_details_get_success", devSeedMorphone, "morphone_details_get", []string{"u", "user_admin", "p", "user_admin1"}},
		{"morphone_details_get_bad_login", devSeedMorphone, "morphone_details_get", []string{"u", "user_admin", "p", "nope"}},
		{"morphone_details_get_device_not_found", nil, "morphone_details_get", []string{"u", "user_admin", "p", "user_admin1"}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(t, srv)
			}
			assert.Equal(t, devFixture(t, tt.fixture), call(t, srv, tt.method, vals(tt.kv...)))
		})
	}

	// device_create's password is random: the fixture's stands for the one
	// the fake stored.
	t.Run("device_create_success", func(t *testing.T) {
		srv := newSpecServer(t)
		body := call(t, srv, "device_create", vals("u", "admin", "user_id", "2"))
		d, ok := srv.Device(9)
		require.True(t, ok)
		require.Regexp(t, regexp.MustCompile(`^[a-zA-Z0-9]{12}$`), d.Secret)
		assert.Equal(t, devFixture(t, "device_create_success"), strings.Replace(body, d.Secret, "Kp4xQ7mZ2aB9", 1))
	})
}

// devList is devices_get's reply for the given id/type pairs.
func devListReply(pairs ...string) string {
	var b strings.Builder
	b.WriteString(decl + "<page>\n  <devices>\n")
	for i := 0; i+1 < len(pairs); i += 2 {
		b.WriteString("    <device>\n      <device_id>" + pairs[i] + "</device_id>\n      <device_type>" + pairs[i+1] +
			"</device_type>\n    </device>\n")
	}
	b.WriteString("  </devices>\n</page>\n")
	return b.String()
}

func devShapeE(msg string) string { return decl + "<error>" + msg + "</error>\n" }

// TestDevicesGetRoles: who reaches whose list, and the blank-user_id and
// list filters.
func TestDevicesGetRoles(t *testing.T) {
	rows := []struct {
		name  string
		setup func(*testing.T, *mortest.Server)
		kv    []string
		want  string
	}{
		{"admin abc lists its own", nil, []string{"u", "admin", "user_id", "abc"}, devListReply("5", "IAX2")},
		{"admin not a reseller's user", nil, []string{"u", "admin", "user_id", "5"}, shapeC("Access Denied")},
		{"admin reaches the reseller (owner 0)", nil, []string{"u", "admin", "user_id", "3"}, devListReply("6", "IAX2")},
		{"reseller own user", nil, []string{"u", "reseller", "user_id", "5"}, devListReply("7", "IAX2")},
		{"reseller blank is the admin", nil, []string{"u", "reseller", "user_id", " "}, shapeC("Access Denied")},
		{"reseller missing user", nil, []string{"u", "reseller", "user_id", "99"}, shapeC("User not found")},
		{"accountant read", devAccDMRead, []string{"u", "accountant", "user_id", "2"}, devListReply("2", "IAX2", "3", "FAX", "4", "IAX2")},
		{"accountant blank", devAccDMRead, []string{"u", "accountant"}, shapeC("user_id is empty")},
		{"accountant none", devAccNone, []string{"u", "accountant", "user_id", "2"}, shapeC("You are not authorized to view this page")},
		{"user other", nil, []string{"u", "user_admin", "user_id", "2"}, shapeC("Access Denied")},
		{"user missing", nil, []string{"u", "user_admin", "user_id", "99"}, shapeC("User not found")},
		{"filter accountcode 0 and mor_server_", func(t *testing.T, srv *mortest.Server) {
			srv.UpdateDevice(3, func(d *mortest.Device) { d.ZeroAccountcode = true })
			srv.UpdateDevice(4, func(d *mortest.Device) { d.Name = "mor_server_1" })
		}, []string{"u", "admin", "user_id", "2"}, devListReply("2", "IAX2")},
	}
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(t, srv)
			}
			assert.Equal(t, tt.want, call(t, srv, "devices_get", vals(tt.kv...)))
		})
	}
	t.Run("alias device_list", func(t *testing.T) {
		srv := newSpecServer(t)
		p := sign("devices_get", vals("u", "admin", "user_id", "2"), mortest.SpecSecret)
		_, body := post(t, srv, "/billing/api/device_list", p)
		assert.Equal(t, devFixture(t, "devices_get_success"), body)
	})
	t.Run("wrong hash", func(t *testing.T) {
		srv := newSpecServer(t)
		_, body := post(t, srv, "/billing/api/devices_get", vals("u", "admin", "user_id", "2", "hash", strings.Repeat("0", 40)))
		assert.Equal(t, shapeA("Incorrect hash"), body)
	})
}

func TestDeviceDetailsGetRoles(t *testing.T) {
	both := devRights(4, map[string]mortest.Right{"device_manage": mortest.RightRead, "user_manage": mortest.RightRead})
	rows := []struct {
		name  string
		setup func(*testing.T, *mortest.Server)
		u, id string
		found string // "" expects want
		want  string
	}{
		{"admin own device", nil, "admin", "5", "  <description>\nTest Device for Admin  </description>\n", ""},
		{"admin provider device", nil, "admin", "1", "", devShapeE("Device was not found")},
		{"admin reseller's user", nil, "admin", "7", "", devShapeE("Device was not found")},
		{"reseller own user", nil, "reseller", "7", "  <secret>\nddrpdjjx  </secret>\n", ""},
		{"reseller own device", nil, "reseller", "6", "", devShapeE("Device was not found")},
		{"accountant both rights", both, "accountant", "2", "  <pin>\n  </pin>\n", ""},
		{"accountant device_manage only", devAccDMRead, "accountant", "2", "", devShapeE("You are not authorized to view this page")},
		{"user", nil, "user_reseller", "7", "", devShapeE("You are not authorized to view this page")},
	}
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(t, srv)
			}
			body := call(t, srv, "device_details_get", vals("u", tt.u, "device_id", tt.id))
			if tt.found != "" {
				assert.Contains(t, body, tt.found)
				assert.True(t, strings.HasSuffix(body, "  <codecs>\n    <audio_codecs>\n    </audio_codecs>\n"+
					"    <video_codecs>\n    </video_codecs>\n  </codecs>\n</page>\n"), body)
			} else {
				assert.Equal(t, tt.want, body)
			}
		})
	}
	t.Run("FAX lists alaw and ulaw only; escaped text", func(t *testing.T) {
		srv := newSpecServer(t)
		devSeedCodecs(t, srv)
		srv.AddDeviceCodec(mortest.DeviceCodec{DeviceID: 3, CodecID: 3})
		srv.AddDeviceCodec(mortest.DeviceCodec{DeviceID: 3, CodecID: 2})
		srv.AddDeviceCodec(mortest.DeviceCodec{DeviceID: 3, CodecID: 4})
		srv.UpdateDevice(3, func(d *mortest.Device) { d.Description = "a & <b>" })
		body := call(t, srv, "device_details_get", vals("u", "admin", "device_id", "3"))
		assert.Contains(t, body, "  <description>\na &amp; &lt;b&gt;  </description>\n")
		assert.Contains(t, body, "    <audio_codecs>\nulaw    </audio_codecs>\n    <video_codecs>\n    </video_codecs>\n")
		srv.AddDeviceCodec(mortest.DeviceCodec{DeviceID: 2, CodecID: 4})
		body = call(t, srv, "device_details_get", vals("u", "admin", "device_id", "2"))
		assert.Contains(t, body, "    <audio_codecs>\nalaw, ulaw, g729    </audio_codecs>\n    <video_codecs>\nh263    </video_codecs>\n")
	})
}

// createReply is device_create's success reply.
func devCreateReply(id, username, password string) string {
	return decl + "<page>\n  <status>Device created</status>\n  <id>" + id + "</id>\n  <username>" + username +
		"</username>\n  <password>" + password + "</password>\n</page>\n"
}

func TestDeviceCreate(t *testing.T) {
	t.Run("stored row, and a blind retry makes a second device", func(t *testing.T) {
		srv := newSpecServer(t)
		p := vals("u", "admin", "user_id", "2", "description", " Office ", "type", "SIP", "caller_id", "37060000002")
		body := call(t, srv, "device_create", p)
		d, ok := srv.Device(9)
		require.True(t, ok)
		assert.Equal(t, devCreateReply("9", "1003", d.Secret), body)
		assert.Equal(t, int64(2), d.UserID)
		assert.Equal(t, "SIP", d.Type)
		assert.Equal(t, "1003", d.Name)
		assert.Equal(t, "1003", d.Extension)
		assert.Equal(t, "Office", d.Description)
		assert.Equal(t, "<37060000002>", *d.CallerID)
		assert.Equal(t, int64(5060), d.Port)
		assert.Equal(t, "mor_local", d.Context)
		assert.Equal(t, int64(0), *d.DeviceGroupID)
		require.NotNil(t, d.PIN)
		assert.Regexp(t, `^[0-9]{6}$`, *d.PIN)

		body = call(t, srv, "device_create", p)
		d2, ok := srv.Device(10)
		require.True(t, ok, "the retry created a second device")
		assert.Equal(t, devCreateReply("10", "1004", d2.Secret), body)
	})
	t.Run("retry with extension is refused", func(t *testing.T) {
		srv := newSpecServer(t)
		p := vals("u", "admin", "user_id", "2", "extension", "2001", "pin", "5555")
		require.Contains(t, call(t, srv, "device_create", p), "<username>2001</username>")
		d, _ := srv.Device(9)
		assert.Equal(t, "5555", *d.PIN)
		assert.Equal(t, shapeC("Extension already exists in User's PBX Pool"), call(t, srv, "device_create", p))
		assert.Len(t, srv.Devices(), 9)
	})
	t.Run("first listed device becomes primary", func(t *testing.T) {
		srv := newSpecServer(t)
		require.Contains(t, call(t, srv, "device_create", vals("u", "admin", "user_id", "4")), "<id>9</id>")
		u, _ := srv.User(4)
		assert.Equal(t, int64(9), u.PrimaryDeviceID)
		require.Contains(t, call(t, srv, "device_create", vals("u", "admin", "user_id", "4")), "<id>10</id>")
		u, _ = srv.User(4)
		assert.Equal(t, int64(9), u.PrimaryDeviceID)
	})
	t.Run("H323 and Virtual", func(t *testing.T) {
		srv := newSpecServer(t)
		body := call(t, srv, "device_create", vals("u", "admin", "user_id", "2", "type", "H323"))
		d, _ := srv.Device(9)
		assert.Equal(t, devCreateReply("9", "", d.Secret), body)
		assert.Regexp(t, `^ipauth[a-z0-9]{8}$`, d.Name)
		assert.Equal(t, int64(1720), d.Port)
		body = call(t, srv, "device_create", vals("u", "admin", "user_id", "2", "type", "Virtual"))
		d, _ = srv.Device(10)
		assert.Equal(t, devCreateReply("10", "virtual_10", d.Secret), body)
	})
	t.Run("reseller types", func(t *testing.T) {
		srv := newSpecServer(t)
		assert.Equal(t, shapeC("Device type invalid"), call(t, srv, "device_create", vals("u", "reseller", "user_id", "5", "type", "Virtual")))
		srv.SetConfline(0, "Resellers_Allow_Use_Virtual_Device", mortest.Confline{Value: "1"})
		assert.Contains(t, call(t, srv, "device_create", vals("u", "reseller", "user_id", "5", "type", "Virtual")), "<status>Device created</status>")
		assert.Contains(t, call(t, srv, "device_create", vals("u", "admin", "user_id", "2", "type", "dahdi")), "<status>Device created</status>")
		assert.Equal(t, shapeC("Device type invalid"), call(t, srv, "device_create", vals("u", "admin", "user_id", "2", "type", "sip")))
	})
	t.Run("the CallerID check replaces an earlier message", func(t *testing.T) {
		srv := newSpecServer(t)
		assert.Equal(t, shapeC("CallerID must be numeric"),
			call(t, srv, "device_create", vals("u", "admin", "user_id", "2", "extension", "101", "caller_id", "x")))
		devGrant(t, srv, 4, map[string]mortest.Right{})
		assert.Equal(t, shapeC("You are not authorized to manage callerid"),
			call(t, srv, "device_create", vals("u", "accountant", "user_id", "2", "caller_id", "1")))
	})
	rows := []struct {
		name  string
		setup func(*testing.T, *mortest.Server)
		kv    []string
		want  string // "" = created
	}{
		{"reseller own user", nil, []string{"u", "reseller", "user_id", "5", "devicegroup_id", "3"}, ""},
		{"reseller admin's user", nil, []string{"u", "reseller", "user_id", "2"}, shapeC("Access Denied")},
		{"user", nil, []string{"u", "user_admin", "user_id", "2"}, shapeC("Access Denied")},
		{"accountant without device_create", devAccNone, []string{"u", "accountant", "user_id", "2"}, shapeC("Access Denied")},
		{"accountant with device_create", devRights(4, map[string]mortest.Right{"device_create": mortest.RightEdit}),
			[]string{"u", "accountant", "user_id", "2", "extension", "101"}, ""}, // extension dropped without device_edit_opt_1
		{"accountant missing user crashes", nil, []string{"u", "accountant", "user_id", "99"}, "CRASH"},
		{"accountant admin target", nil, []string{"u", "accountant", "user_id", "0"}, shapeC("Access Denied")},
		{"no user_id", nil, []string{"u", "admin"}, shapeC("Access Denied")},
		{"admin own", nil, []string{"u", "admin", "user_id", "0"}, ""},
	}
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(t, srv)
			}
			body := call(t, srv, "device_create", vals(tt.kv...))
			switch tt.want {
			case "":
				assert.Contains(t, body, "<status>Device created</status>\n  <id>9</id>\n  <username>1003</username>")
				_, ok := srv.Device(9)
				assert.True(t, ok)
			case "CRASH":
				assert.Empty(t, body)
			default:
				assert.Equal(t, tt.want, body)
				assert.Len(t, srv.Devices(), 8)
			}
		})
	}
}

func TestDeviceUpdate(t *testing.T) {
	ok := okReply("Device successfully updated")
	t.Run("IP authentication", func(t *testing.T) {
		srv := newSpecServer(t)
		require.Equal(t, ok, call(t, srv, "device_update", vals("u", "admin", "device", "2", "authentication", "1",
			"host", "10.0.0.5", "port", "4569")))
		d, _ := srv.Device(2)
		assert.Equal(t, "10.0.0.5", d.Host)
		assert.Equal(t, "10.0.0.5", d.IPAddr)
		assert.Equal(t, int64(4569), d.Port)
		assert.Equal(t, "", d.Username)
		assert.Equal(t, "", d.Secret)
		assert.Regexp(t, `^ipauth[a-z0-9]{8}$`, d.Name)
		// and back to dynamic with new credentials
		require.Equal(t, ok, call(t, srv, "device_update", vals("u", "admin", "device", "2", "authentication", "0",
			"username", "3001", "password", "pa55word")))
		d, _ = srv.Device(2)
		assert.Equal(t, "dynamic", d.Host)
		assert.Equal(t, "3001", d.Name)
		assert.Equal(t, "3001", d.Username)
		assert.Equal(t, "pa55word", d.Secret)
	})
	t.Run("invalid IP settings are ignored silently", func(t *testing.T) {
		srv := newSpecServer(t)
		before, _ := srv.Device(2)
		srv.UpdateDevice(5, func(d *mortest.Device) { d.Host, d.IPAddr, d.Port = "10.9.9.9", "10.9.9.9", 4569 })
		for _, host := range []string{"0.0.0.0", "10.0.0", "10.0.0.5/16", "22.33.44.55", "10.9.9.9"} {
			port := "0"
			if host == "22.33.44.55" {
				port = "4569" // device 1's address
			}
			require.Equal(t, ok, call(t, srv, "device_update", vals("u", "admin", "device", "2", "authentication", "1",
				"host", host, "port", port)), host)
			d, _ := srv.Device(2)
			assert.Equal(t, before, d, host)
		}
	})
	t.Run("credentials: equal pair, short password and bad names are ignored", func(t *testing.T) {
		srv := newSpecServer(t)
		for _, kv := range [][]string{{"username", "samepass1", "password", "samepass1"}, {"password", "short"},
			{"username", "Anonymous"}, {"username", "vauvszef"}} {
			require.Equal(t, ok, call(t, srv, "device_update", vals(append([]string{"u", "admin", "device", "2"}, kv...)...)))
			d, _ := srv.Device(2)
			assert.Equal(t, "101", d.Name, kv)
			assert.Equal(t, "vauvszef", d.Secret, kv)
		}
		require.Equal(t, ok, call(t, srv, "device_update", vals("u", "admin", "device", "2", "username", "x1", "device_name", "x2")))
		d, _ := srv.Device(2)
		assert.Equal(t, "x2", d.Name, "device_name wins")
	})
	t.Run("limits, trunk, CallerID, fromuser", func(t *testing.T) {
		srv := newSpecServer(t)
		require.Equal(t, ok, call(t, srv, "device_update", vals("u", "admin", "device", "2", "call_limit", "-4",
			"trunk", "2", "call_timeout", "30", "callerid_name", "Bob", "fromuser", "fu")))
		d, _ := srv.Device(2)
		assert.Equal(t, int64(0), d.CallLimit)
		assert.Equal(t, int64(1), d.IsTrunk)
		assert.Equal(t, int64(1), d.ANI)
		assert.Equal(t, int64(30), d.MaxTimeout)
		assert.Equal(t, `"Bob" <101>`, *d.CallerID)
		assert.Equal(t, "fu", *d.FromUser)
	})
	t.Run("counted errors stop the save", func(t *testing.T) {
		srv := newSpecServer(t)
		assert.Equal(t, shapeB("Location was not found", "Device Call Timeout must be greater than or equal to 0"),
			call(t, srv, "device_update", vals("u", "admin", "device", "2", "new_location_id", "9", "call_timeout", "x", "call_limit", "5")))
		d, _ := srv.Device(2)
		assert.Equal(t, int64(0), d.CallLimit)
	})
	t.Run("reseller location rule", func(t *testing.T) {
		srv := newSpecServer(t)
		srv.SetConfline(3, "Default_device_location_id", mortest.Confline{Value: "4"})
		require.Equal(t, ok, call(t, srv, "device_update", vals("u", "reseller", "device", "7", "new_location_id", "1")))
		d, _ := srv.Device(7)
		assert.Equal(t, int64(4), d.LocationID, "location 1 becomes the reseller's default")
		srv.AddLocation(mortest.Location{ID: 5, Name: "admin's"})
		assert.Equal(t, shapeB("Location was not found"),
			call(t, srv, "device_update", vals("u", "reseller", "device", "7", "new_location_id", "5")))
		srv.SetConfline(0, "Allow_Resellers_to_use_Admin_Localization_Rules", mortest.Confline{Value: "1"})
		assert.Equal(t, ok, call(t, srv, "device_update", vals("u", "reseller", "device", "7", "new_location_id", "5")))
	})
	t.Run("fax e-mails", func(t *testing.T) {
		srv := newSpecServer(t)
		require.Equal(t, ok, call(t, srv, "device_update", vals("u", "admin", "device", "3", "fax_email_add", "fax@example.com")))
		require.Len(t, srv.PDFFaxEmails(), 1)
		assert.Equal(t, "fax@example.com", srv.PDFFaxEmails()[0].Email)
		require.Equal(t, ok, call(t, srv, "device_update", vals("u", "admin", "device", "3", "fax_email_delete", "FAX@example.com")))
		assert.Empty(t, srv.PDFFaxEmails())
	})
	rows := []struct {
		name, u, device string
		setup           func(*testing.T, *mortest.Server)
		want            string
	}{
		{"admin own device", "admin", "5", nil, ok},
		{"admin reseller's user", "admin", "7", nil, shapeB("Device was not found")},
		{"reseller own user", "reseller", "7", nil, ok},
		{"reseller admin's user", "reseller", "2", nil, shapeB("Device was not found")},
		{"accountant edit", "accountant", "2", nil, ok},
		{"accountant not the admin's device", "accountant", "5", nil, shapeB("Device was not found")},
		{"accountant provider device crashes", "accountant", "1", nil, ""},
		{"accountant read", "accountant", "2", devAccDMRead, shapeB("You are not authorized to use this functionality")},
		{"user own device", "user_admin", "2", nil, shapeB("Device was not found")},
		{"missing device", "admin", "99", nil, shapeB("Device was not found")},
	}
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(t, srv)
			}
			assert.Equal(t, tt.want, call(t, srv, "device_update", vals("u", tt.u, "device", tt.device, "call_limit", "7")))
			if id := devID(tt.device); tt.want == ok {
				d, _ := srv.Device(id)
				assert.Equal(t, int64(7), d.CallLimit)
			} else if d, found := srv.Device(id); found {
				assert.Equal(t, int64(0), d.CallLimit)
			}
		})
	}
}

func devID(s string) int64 {
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return n
}

func TestDeviceDelete(t *testing.T) {
	gone := decl + "<page>\n  <status>Device was deleted</status>\n</page>\n"
	t.Run("effects and retry", func(t *testing.T) {
		srv := newSpecServer(t)
		srv.UpdateDID(1, func(d *mortest.DID) { d.DeviceID = 2 })
		srv.AddCallflow(mortest.Callflow{DeviceID: 2, CFType: "busy", Priority: 1, Action: "forward", Data: "3701", Data2: "external"})
		srv.AddCodec(mortest.Codec{ID: 1, Name: "alaw", CodecType: "audio"})
		srv.AddDeviceCodec(mortest.DeviceCodec{DeviceID: 2, CodecID: 1})
		srv.AddPDFFaxEmail(mortest.PDFFaxEmail{DeviceID: 2, Email: "a@b.c"})
		require.Equal(t, gone, call(t, srv, "device_delete", vals("u", "admin", "device", "2")))
		_, found := srv.Device(2)
		assert.False(t, found)
		_, found = srv.CLI("123456")
		assert.False(t, found, "the device's CLIs go with it")
		did, _ := srv.DID(1)
		assert.Equal(t, int64(0), did.DeviceID)
		assert.Equal(t, "free", did.Status)
		assert.Len(t, srv.Callflows(), 1, "its own call-flow rows stay")
		assert.Empty(t, srv.DeviceCodecs())
		assert.Empty(t, srv.PDFFaxEmails())
		assert.Equal(t, shapeC("Device was not found"), call(t, srv, "device_delete", vals("u", "admin", "device", "2")))
	})
	t.Run("alias device_destroy", func(t *testing.T) {
		srv := newSpecServer(t)
		_, body := post(t, srv, "/billing/api/device_destroy", sign("device_delete", vals("u", "admin", "device", "4"), mortest.SpecSecret))
		assert.Equal(t, gone, body)
	})
	refs := []struct {
		set  func(*mortest.DeviceRefs)
		want string
	}{
		{func(r *mortest.DeviceRefs) { r.DialPlans = 1 }, "Device has Dial Plans - we cannot delete it"},
		{func(r *mortest.DeviceRefs) { r.LocationRules = 1 }, "One or more Location rules are using this Device"},
		{func(r *mortest.DeviceRefs) { r.Queues = 1 }, "Cannot delete device - it is assigned to Queue"},
		{func(r *mortest.DeviceRefs) { r.QueueAgents = 1 }, "Cannot delete device - it is assigned to Queue Agent"},
		{func(r *mortest.DeviceRefs) { r.Alerts = 1 }, "Cannot delete Device - it is assigned to Alerts"},
	}
	for _, r := range refs {
		t.Run(r.want, func(t *testing.T) {
			srv := newSpecServer(t)
			srv.UpdateDevice(4, func(d *mortest.Device) { r.set(&d.Refs) })
			assert.Equal(t, shapeC(r.want), call(t, srv, "device_delete", vals("u", "admin", "device", "4")))
			_, found := srv.Device(4)
			assert.True(t, found)
		})
	}
	rows := []struct {
		name, u, device string
		setup           func(*testing.T, *mortest.Server)
		want            string
	}{
		{"reseller own user", "reseller", "7", nil, gone},
		{"reseller own device", "reseller", "6", nil, shapeC("Access Denied")},
		{"accountant read may delete", "accountant", "4", devAccDMRead, gone},
		{"accountant none", "accountant", "4", devAccNone, shapeC("You do not have rights to edit this")},
		{"accountant admin's device", "accountant", "5", devAccDMRead, shapeC("Access Denied")},
		{"accountant provider device crashes", "accountant", "1", devAccDMRead, ""},
		{"user own device", "user_admin", "2", nil, shapeC("Access Denied")},
		{"admin provider device", "admin", "1", nil, shapeC("Access Denied")},
	}
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(t, srv)
			}
			assert.Equal(t, tt.want, call(t, srv, "device_delete", vals("u", tt.u, "device", tt.device)))
			_, found := srv.Device(devID(tt.device))
			assert.Equal(t, tt.want != gone, found)
		})
	}
}

// flows renders the six call-flow stages of device_callflow_get.
func devFlows(user, device string, stages ...[3]string) string {
	var b strings.Builder
	b.WriteString(decl + "<page>\n  <user>" + user + "</user>\n  <device>" + device + "</device>\n")
	for i, s := range stages {
		b.WriteString("  <callflow>\n    <state>" + []string{"Before call", "Call", "Answered", "No answer", "Busy", "Failed"}[i] +
			"</state>\n    <priority>" + s[0] + "</priority>\n    <action>" + s[1] + "</action>\n    <data>" + s[2] + "</data>\n  </callflow>\n")
	}
	b.WriteString("</page>\n")
	return b.String()
}

func TestDeviceCallflows(t *testing.T) {
	pbx := func(r mortest.Right) func(*testing.T, *mortest.Server) {
		return devRights(3, map[string]mortest.Right{"pbx_functions": r})
	}
	empty := [3]string{"1", "", ""}
	t.Run("stored stages", func(t *testing.T) {
		srv := newSpecServer(t)
		srv.AddCallflow(mortest.Callflow{DeviceID: 2, CFType: "before_call", Priority: 1, Action: "fax_detect", Data: "3", Data2: "fax"})
		srv.AddCallflow(mortest.Callflow{DeviceID: 2, CFType: "no_answer", Priority: 3, Action: "forward", Data: "3", Data2: "local"})
		srv.AddCallflow(mortest.Callflow{DeviceID: 2, CFType: "busy", Priority: 1, Action: "voicemail", Data: "x"})
		srv.AddCallflow(mortest.Callflow{DeviceID: 2, CFType: "failed", Priority: 1, Action: "forward", Data: "3706", Data2: "external"})
		assert.Equal(t, devFlows("Test User #1", "IAX2/101", [3]string{"1", "Fax detect", "FAX/102"}, [3]string{"1", "Dial", "IAX2/101|60"},
			[3]string{"1", "Hangup", ""}, [3]string{"3", "Forward", "FAX/102"}, [3]string{"1", "Voicemail", ""},
			[3]string{"1", "Forward", "3706"}),
			call(t, srv, "device_callflow_get", vals("u", "user_admin", "device_id", "2")))
		srv.RemoveDevice(3)
		assert.Empty(t, call(t, srv, "device_callflow_get", vals("u", "admin", "device_id", "2")), "a flow to a deleted device crashes")
	})
	getRows := []struct {
		name, u, device string
		setup           func(*testing.T, *mortest.Server)
		want            string
	}{
		{"admin own device", "admin", "5", nil, devFlows("System Admin", "IAX2/ipauth0000000005", empty,
			[3]string{"1", "Dial", "IAX2/ipauth0000000005|60"}, [3]string{"1", "Hangup", ""}, empty, empty, empty)},
		{"reseller without pbx_functions", "reseller", "7", nil, shapeC("You are not authorized to use this functionality")},
		{"reseller read", "reseller", "7", pbx(mortest.RightRead), devFlows("User Resellers", "IAX2/105", empty,
			[3]string{"1", "Dial", "IAX2/105|60"}, [3]string{"1", "Hangup", ""}, empty, empty, empty)},
		{"reseller not its user", "reseller", "2", pbx(mortest.RightRead), shapeC("Device was not found")},
		{"user not own", "user_reseller", "2", nil, shapeC("Device was not found")},
		{"accountant", "accountant", "2", nil, shapeC("You are not authorized to use this functionality")},
	}
	for _, tt := range getRows {
		t.Run("get "+tt.name, func(t *testing.T) {
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(t, srv)
			}
			assert.Equal(t, tt.want, call(t, srv, "device_callflow_get", vals("u", tt.u, "device_id", tt.device)))
		})
	}

	upd := func(state, action string, rest ...string) string {
		return decl + "<page>\n  <status>Callflow was successfully updated</status>\n  <user>Test User #1</user>\n" +
			"  <device>IAX2/101</device>\n  <callflow>\n    <state>" + state + "</state>\n    <priority>1</priority>\n" +
			"    <action>" + action + "</action>\n" + strings.Join(rest, "") + "  </callflow>\n</page>\n"
	}
	t.Run("update stores one row per stage", func(t *testing.T) {
		srv := newSpecServer(t)
		srv.UpdateDID(1, func(d *mortest.DID) { d.DeviceID = 2 })
		base := []string{"u", "user_admin", "device_id", "2", "state", "busy"}
		steps := []struct {
			kv   []string
			want string
			row  mortest.Callflow
		}{
			{[]string{"callflow_action", "forward", "forward_to_device", "3", "device_callerid", ""},
				upd("Busy", "Forward", "    <data>3</data>\n", "    <callerid_type>From Device</callerid_type>\n",
					"    <callerid_data>\"101\" &lt;101&gt;</callerid_data>\n"),
				mortest.Callflow{Action: "forward", Data: "3", Data2: "local", Data3: "1"}},
			{[]string{"callflow_action", "forward", "external_number", "3706", "src_callerid", "1"},
				upd("Busy", "Forward", "    <data>3706</data>\n", "    <callerid_type>Unchanged</callerid_type>\n"),
				mortest.Callflow{Action: "forward", Data: "3706", Data2: "external", Data3: "2"}},
			{[]string{"callflow_action", "forward", "external_number", "3706", "did_id", "1"},
				upd("Busy", "Forward", "    <data>3706</data>\n", "    <callerid_type>DID</callerid_type>\n",
					"    <callerid_data>37063042438</callerid_data>\n"),
				mortest.Callflow{Action: "forward", Data: "3706", Data2: "external", Data3: "3", Data4: "1"}},
			{[]string{"callflow_action", "voicemail"}, upd("Busy", "Voicemail"),
				mortest.Callflow{Action: "voicemail", Data3: "3", Data4: "1"}},
			{[]string{"callflow_action", "empty"}, upd("Busy", "Empty"),
				mortest.Callflow{Action: "empty", Data3: "1"}},
		}
		for _, st := range steps {
			require.Equal(t, st.want, call(t, srv, "device_callflow_update", vals(append(base, st.kv...)...)), st.kv)
			rows := srv.Callflows()
			require.Len(t, rows, 1)
			st.row.ID, st.row.DeviceID, st.row.CFType, st.row.Priority = rows[0].ID, 2, "busy", 1
			assert.Equal(t, st.row, rows[0], st.kv)
		}
		require.Equal(t, upd("Before call", "Fax detect", "    <data>3</data>\n"), call(t, srv, "device_callflow_update",
			vals("u", "admin", "device_id", "2", "state", "before_call", "callflow_action", "fax_detect", "fax_device", "3")))
		assert.Len(t, srv.Callflows(), 2)
	})
	updRows := []struct {
		name, u, device string
		setup           func(*testing.T, *mortest.Server)
		want            string
	}{
		{"reseller read", "reseller", "7", pbx(mortest.RightRead), shapeC("You are not authorized to use this functionality")},
		{"reseller edit", "reseller", "7", pbx(mortest.RightEdit), "ok"},
		{"accountant", "accountant", "2", nil, shapeC("You are not authorized to use this functionality")},
		{"user own", "user_reseller", "7", nil, "ok"},
		{"admin reseller's user", "admin", "7", nil, shapeC("Device was not found")},
	}
	for _, tt := range updRows {
		t.Run("update "+tt.name, func(t *testing.T) {
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(t, srv)
			}
			body := call(t, srv, "device_callflow_update", vals("u", tt.u, "device_id", tt.device, "state", "failed", "callflow_action", "empty"))
			if tt.want == "ok" {
				assert.Contains(t, body, "<status>Callflow was successfully updated</status>")
				assert.Len(t, srv.Callflows(), 1)
			} else {
				assert.Equal(t, tt.want, body)
				assert.Empty(t, srv.Callflows())
			}
		})
	}
}

func TestMorphoneAndUserDevices(t *testing.T) {
	t.Run("primary SIP device first", func(t *testing.T) {
		srv := newSpecServer(t)
		devSeedMorphone(t, srv)
		d := mortest.NewDevice(0, "SIP", "1006", 2)
		d.Secret = "Other12345"
		id := srv.AddDevice(d)
		srv.UpdateUser(2, func(u *mortest.User) { u.PrimaryDeviceID = id })
		assert.Contains(t, call(t, srv, "morphone_details_get", vals("u", "user_admin", "p", "user_admin1")),
			"    <username>1006</username>\n    <password>Other12345</password>\n    <enabled_codecs></enabled_codecs>\n")
		srv.UpdateUser(2, func(u *mortest.User) { u.Blocked = true })
		assert.Equal(t, shapeC("Bad login"), call(t, srv, "morphone_details_get", vals("u", "user_admin", "p", "user_admin1")))
	})
	t.Run("user_devices lists the caller's devices with secrets and logs it in", func(t *testing.T) {
		srv := newSpecServer(t)
		_, body := post(t, srv, "/billing/api/user_devices", vals("u", "user_reseller"))
		assert.Equal(t, decl+"<page>\n  <pagename>Devices</pagename>\n  <language>en</language>\n  <userid>5</userid>\n"+
			"  <devices>\n    <device>\n      <acc>7</acc>\n      <description>Test Device for Resellers User</description>\n"+
			"      <type>IAX2</type>\n      <extension>105</extension>\n      <username>105</username>\n"+
			"      <password>ddrpdjjx</password>\n      <cid>\"105\" &lt;105&gt;</cid>\n"+
			"      <last_time_registered>2007-04-06 22:51:07</last_time_registered>\n    </device>\n  </devices>\n</page>\n", body)
		u, _ := srv.User(5)
		assert.True(t, u.Logged)
		_, body = post(t, srv, "/billing/api/user_devices", vals("u", "ghost"))
		assert.Equal(t, shapeA("Bad login"), body)
	})
}

// An accountant's pin and extension are dropped silently unless its
// device_pin and device_edit_opt_1 rights are edit; caller_id needs
// device_edit_opt_4.
func TestDeviceCreateAccountantRights(t *testing.T) {
	e := mortest.RightEdit
	for _, tt := range []struct {
		name    string
		rights  map[string]mortest.Right
		pin     bool
		ext     bool
		message string
	}{
		{"create only", map[string]mortest.Right{"device_create": e}, false, false, ""},
		{"pin right", map[string]mortest.Right{"device_create": e, "device_pin": e}, true, false, ""},
		{"extension right", map[string]mortest.Right{"device_create": e, "device_edit_opt_1": e}, false, true, ""},
		{"read is not enough", map[string]mortest.Right{"device_create": mortest.RightRead}, false, false, "Access Denied"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSpecServer(t)
			devGrant(t, srv, 4, tt.rights)
			body := call(t, srv, "device_create", vals("u", "accountant", "user_id", "2", "pin", "7777", "extension", "3003"))
			if tt.message != "" {
				assert.Equal(t, shapeC(tt.message), body)
				return
			}
			require.Contains(t, body, "<status>Device created</status>")
			d, ok := srv.Device(9)
			require.True(t, ok)
			assert.Equal(t, tt.pin, *d.PIN == "7777", "pin kept")
			assert.Equal(t, tt.ext, d.Extension == "3003", "extension kept")
		})
	}
	t.Run("caller_id with device_edit_opt_4", func(t *testing.T) {
		srv := newSpecServer(t)
		devGrant(t, srv, 4, map[string]mortest.Right{"device_create": e, "device_edit_opt_4": e})
		require.Contains(t, call(t, srv, "device_create", vals("u", "accountant", "user_id", "2", "caller_id", "3706")), "<id>9</id>")
		d, _ := srv.Device(9)
		assert.Equal(t, "<3706>", *d.CallerID)
	})
}

// With several checks failing, the first in the server's order answers.
func TestDeviceCheckOrder(t *testing.T) {
	for _, tt := range []struct {
		name   string
		setup  func(*testing.T, *mortest.Server)
		method string
		kv     []string
		want   string
	}{
		{"create: rights before extension", devAccNone, "device_create",
			[]string{"u", "accountant", "user_id", "2", "type", "XYZ"}, shapeC("Access Denied")},
		{"create: extension before pin", nil, "device_create",
			[]string{"u", "admin", "user_id", "2", "extension", "101", "pin", "211194"}, shapeC("Extension already exists in User's PBX Pool")},
		{"create: pin used before pin numeric", nil, "device_create",
			[]string{"u", "admin", "user_id", "2", "pin", "211194", "devicegroup_id", "1"}, shapeC("PIN is already used")},
		{"create: pin numeric before group", nil, "device_create",
			[]string{"u", "admin", "user_id", "2", "pin", "1a", "devicegroup_id", "1"}, shapeC("PIN must be numeric")},
		{"create: group before type", nil, "device_create",
			[]string{"u", "admin", "user_id", "2", "devicegroup_id", "1", "type", "XYZ"}, shapeC("Device group invalid")},
		{"create: type before call timeout", nil, "device_create",
			[]string{"u", "admin", "user_id", "2", "type", "XYZ", "call_timeout", "x"}, shapeC("Device type invalid")},
		{"create: owner before user lookup", nil, "device_create",
			[]string{"u", "reseller", "user_id", "2x"}, shapeC("Access Denied")},
		{"devices_get: rights before ownership", devAccNone, "devices_get",
			[]string{"u", "accountant", "user_id", "99"}, shapeC("You are not authorized to view this page")},
		{"update: rights before device", devAccDMRead, "device_update",
			[]string{"u", "accountant", "device", "99"}, shapeB("You are not authorized to use this functionality")},
		{"delete: device before rights", devAccNone, "device_delete",
			[]string{"u", "accountant", "device", "99"}, shapeC("Device was not found")},
		{"delete: ownership before rights", devAccNone, "device_delete",
			[]string{"u", "accountant", "device", "5"}, shapeC("Access Denied")},
		{"delete: fax detect before forwards", func(t *testing.T, srv *mortest.Server) {
			srv.AddCallflow(mortest.Callflow{DeviceID: 2, CFType: "busy", Action: "forward", Data: "3", Data2: "local"})
			srv.AddCallflow(mortest.Callflow{DeviceID: 2, CFType: "before_call", Action: "fax_detect", Data: "3", Data2: "fax"})
		}, "device_delete", []string{"u", "admin", "device", "3"},
			shapeC("Unable to delete this device - it is used in Call Flow for Fax Detect")},
		{"delete: forwards before calls", func(t *testing.T, srv *mortest.Server) {
			srv.AddCallflow(mortest.Callflow{DeviceID: 2, CFType: "busy", Action: "forward", Data: "3", Data2: "local"})
			srv.UpdateDevice(3, func(d *mortest.Device) { d.Refs = mortest.DeviceRefs{Calls: 1, Alerts: 1} })
		}, "device_delete", []string{"u", "admin", "device", "3"}, shapeC("Device has forwarded calls - we cannot delete it")},
		{"callflow update: state before action", nil, "device_callflow_update",
			[]string{"u", "admin", "device_id", "2", "state", "x", "callflow_action", "y"}, shapeC("Callflow state was not found")},
		{"callflow update: device before state", nil, "device_callflow_update",
			[]string{"u", "admin", "device_id", "99", "state", "x"}, shapeC("Device was not found")},
		{"callflow update: local target before DID", nil, "device_callflow_update",
			[]string{"u", "admin", "device_id", "2", "state", "busy", "callflow_action", "forward", "forward_to_device", "7", "did_id", "9"},
			shapeC("Local device was not found")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(t, srv)
			}
			assert.Equal(t, tt.want, call(t, srv, tt.method, vals(tt.kv...)))
			assert.Len(t, srv.Devices(), 8)
		})
	}
}

// device_create takes the owner's Default_device_* conflines and the
// admin's PIN length and extension range; FAX devices get alaw and ulaw.
func TestDeviceCreateDefaults(t *testing.T) {
	srv := newSpecServer(t)
	for k, v := range map[string]string{"Default_device_port": "5070", "Default_device_ipaddr": "10.1.1.1",
		"Default_device_cid_name": "Office", "Default_device_cid_number": "3700", "Default_device_location_id": "7",
		"Default_device_qualify": "2000", "Default_device_codec_g729": "1", "Default_device_type": "IAX2"} {
		srv.SetConfline(0, k, mortest.Confline{Value: v})
	}
	srv.SetConfline(0, "Device_PIN_Length", mortest.Confline{Value: "8"})
	srv.SetConfline(0, "Device_Range_MIN", mortest.Confline{Value: "101"})
	srv.AddCodec(mortest.Codec{ID: 1, Name: "alaw", CodecType: "audio"})
	srv.AddCodec(mortest.Codec{ID: 2, Name: "ulaw", CodecType: "audio"})
	srv.AddCodec(mortest.Codec{ID: 3, Name: "g729", CodecType: "audio"})

	// 101–105 are the world's extensions: the lowest free one is 106.
	require.Contains(t, call(t, srv, "device_create", vals("u", "admin", "user_id", "2")), "<username>106</username>")
	d, _ := srv.Device(9)
	assert.Equal(t, "IAX2", d.Type, "the caller's default type")
	assert.Equal(t, int64(5070), d.Port)
	assert.Equal(t, "10.1.1.1", d.IPAddr)
	assert.Equal(t, `"Office" <3700>`, *d.CallerID)
	assert.Equal(t, int64(7), d.LocationID)
	assert.Equal(t, "2000", d.Qualify)
	assert.Equal(t, "g729", d.Allow)
	assert.Regexp(t, `^[0-9]{8}$`, *d.PIN)
	assert.Equal(t, "mor_local", d.Context)
	assert.Equal(t, "dynamic", d.Host)
	assert.Equal(t, "en", d.Language)

	require.Contains(t, call(t, srv, "device_create", vals("u", "admin", "user_id", "2", "type", "FAX")), "<username>107</username>")
	d, _ = srv.Device(10)
	assert.Equal(t, "alaw;ulaw", d.Allow)
	var codecs []int64
	for _, dc := range srv.DeviceCodecs() {
		if dc.DeviceID == 10 {
			codecs = append(codecs, dc.CodecID)
		}
	}
	assert.Equal(t, []int64{1, 2}, codecs)
}
