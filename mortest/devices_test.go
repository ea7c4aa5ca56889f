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
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "replies", name+".xml"))
	require.NoError(t, err)
	return string(b)
}

// grant gives user id the named group rights (a fresh accountant group)
// and clears its direct device_manage grant.
func grant(t *testing.T, srv *mortest.Server, id int64, rights map[string]mortest.Right) {
	t.Helper()
	gid := srv.AddAccGroup(mortest.AccGroup{Name: "g", GroupType: "accountant", Rights: rights})
	require.True(t, srv.UpdateUser(id, func(u *mortest.User) { u.AccGroupID, u.DeviceManage = gid, mortest.RightNone }))
}

func withRights(id int64, rights map[string]mortest.Right) func(*testing.T, *mortest.Server) {
	return func(t *testing.T, srv *mortest.Server) { grant(t, srv, id, rights) }
}

var (
	accNone = withRights(4, map[string]mortest.Right{})
	// the world's accountant holds device_manage edit directly
	accDMRead = withRights(4, map[string]mortest.Right{"device_manage": mortest.RightRead})
)

// seedCodecs adds alaw, ulaw, g729 (audio) and h263 (video), and enables
// the first three on device 2 in the order alaw, ulaw, g729 by priority.
func seedCodecs(t *testing.T, srv *mortest.Server) {
	for _, c := range []mortest.Codec{{ID: 1, Name: "alaw", CodecType: "audio"}, {ID: 2, Name: "ulaw", CodecType: "audio"},
		{ID: 3, Name: "g729", CodecType: "audio"}, {ID: 4, Name: "h263", CodecType: "video"}} {
		srv.AddCodec(c)
	}
	srv.AddDeviceCodec(mortest.DeviceCodec{DeviceID: 2, CodecID: 3, Priority: 2})
	srv.AddDeviceCodec(mortest.DeviceCodec{DeviceID: 2, CodecID: 2, Priority: 1})
	srv.AddDeviceCodec(mortest.DeviceCodec{DeviceID: 2, CodecID: 1, Priority: 0})
}

// seedMorphone gives user 2 a SIP device with alaw and ulaw, and sets the
// softphone conflines.
func seedMorphone(t *testing.T, srv *mortest.Server) {
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
	accCreate := withRights(4, map[string]mortest.Right{"device_create": mortest.RightEdit})
	tests := []fx{
		{"devices_get_success", nil, "devices_get", []string{"u", "admin", "user_id", "2"}},
		{"devices_get_bad_login", nil, "devices_get", []string{"u", "ghost", "user_id", "2"}},
		{"devices_get_not_authorized", accNone, "devices_get", []string{"u", "accountant", "user_id", "2"}},
		{"devices_get_access_denied", nil, "devices_get", []string{"u", "reseller", "user_id", "2"}},
		{"devices_get_device_not_found", nil, "devices_get", []string{"u", "admin", "user_id", "4"}},
		{"devices_get_user_id_empty", nil, "devices_get", []string{"u", "admin", "user_id", ""}},
		{"devices_get_user_not_found", nil, "devices_get", []string{"u", "admin", "user_id", "99"}},

		{"device_details_get_success", seedCodecs, "device_details_get", []string{"u", "admin", "device_id", "2"}},
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
		{"device_update_not_authorized", accDMRead, "device_update", []string{"u", "accountant", "device", "2"}},
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

		{"morphone_details_get_success", seedMorphone, "morphone_details_get", []string{"u", "user_admin", "p", "user_admin1"}},
		{"morphone_details_get_bad_login", seedMorphone, "morphone_details_get", []string{"u", "user_admin", "p", "nope"}},
		{"morphone_details_get_device_not_found", nil, "morphone_details_get", []string{"u", "user_admin", "p", "user_admin1"}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(t, srv)
			}
			assert.Equal(t, fixture(t, tt.fixture), call(t, srv, tt.method, vals(tt.kv...)))
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
		assert.Equal(t, fixture(t, "device_create_success"), strings.Replace(body, d.Secret, "Kp4xQ7mZ2aB9", 1))
	})
}
