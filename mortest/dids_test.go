package mortest_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// didXML is one <did> row of dids_get from tag, value pairs.
func didXML(kv ...string) string {
	var b strings.Builder
	b.WriteString("    <did>\n")
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteString("      <" + kv[i] + ">" + kv[i+1] + "</" + kv[i] + ">\n")
	}
	b.WriteString("    </did>\n")
	return b.String()
}

func didsPage(rows ...string) string {
	return decl + "<page>\n  <dids>\n" + strings.Join(rows, "") + "  </dids>\n</page>\n"
}

// The two spec-world DIDs as an admin (or accountant, or partner) sees them.
var (
	did1Admin = didXML("did", "37063042438", "provider", "Test Provider", "language", "en", "status", "Free",
		"owner", "System Admin", "device", "", "dial_plan", "", "simultaneous_call_limit", "Unlimited", "tone_zone", "", "id", "1")
	did2Admin = didXML("did", "37093042422", "provider", "Test Provider", "language", "en", "status", "Reserved",
		"owner", "Test User #1", "device", "", "dial_plan", "", "simultaneous_call_limit", "Unlimited", "tone_zone", "", "id", "2")
)

func didStatusStatus(msg string) string {
	return decl + "<page>\n  <status>\n    <status>" + msg + "</status>\n  </status>\n</page>\n"
}

// didAccountantRights gives the accountant (user 4) exactly these rights
// through a group (the world's direct device_manage grant is removed).
func didAccountantRights(rights map[string]mortest.Right) func(*testing.T, *mortest.Server) {
	return func(t *testing.T, srv *mortest.Server) {
		srv.AddAccGroup(mortest.AccGroup{ID: 1, Name: "accountants", GroupType: "accountant", Rights: rights})
		require.True(t, srv.UpdateUser(4, func(u *mortest.User) { u.AccGroupID, u.DeviceManage = 1, mortest.RightNone }))
	}
}

// didAllRights is every right the DID actions read, at edit.
var didAllRights = map[string]mortest.Right{"manage_dids_opt_1": mortest.RightEdit, "device_manage": mortest.RightEdit,
	"user_manage": mortest.RightEdit}

func didAddPartner(t *testing.T, srv *mortest.Server) {
	srv.AddUser(mortest.NewUser(8, "partner", mortest.Partner, 0))
}

// didSeed runs several setups in order.
func didSeed(fns ...func(*testing.T, *mortest.Server)) func(*testing.T, *mortest.Server) {
	return func(t *testing.T, srv *mortest.Server) {
		for _, f := range fns {
			f(t, srv)
		}
	}
}

func didAdd(d mortest.DID) func(*testing.T, *mortest.Server) {
	return func(t *testing.T, srv *mortest.Server) {
		if d.ClosedTill.IsZero() {
			d.ClosedTill = time.Date(2006, 1, 1, 0, 0, 0, 0, zone)
		}
		if d.Status == "" {
			d.Status = "free"
		}
		if d.ProviderID == 0 {
			d.ProviderID = 1
		}
		srv.AddDID(d)
	}
}

func didSet(id int64, fn func(*mortest.DID)) func(*testing.T, *mortest.Server) {
	return func(t *testing.T, srv *mortest.Server) { require.True(t, srv.UpdateDID(id, fn)) }
}

func didCheck(id int64, fn func(t *testing.T, d mortest.DID)) func(*testing.T, *mortest.Server) {
	return func(t *testing.T, srv *mortest.Server) {
		d, ok := srv.DID(id)
		require.True(t, ok, "DID %d", id)
		fn(t, d)
	}
}

// didsUnchanged asserts the world's two DIDs are all there is, as seeded.
func didsUnchanged(t *testing.T, srv *mortest.Server) {
	got := srv.DIDs()
	require.Len(t, got, 2)
	assert.Equal(t, "free", got[0].Status)
	assert.Equal(t, int64(0), got[0].UserID)
	assert.Equal(t, "reserved", got[1].Status)
	assert.Equal(t, int64(2), got[1].UserID)
	assert.Equal(t, int64(-2), got[1].DeviceID)
}

func runDIDRows(t *testing.T, rows []specRow) {
	t.Helper()
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

func TestDIDsGet(t *testing.T) {
	resellerDID := didAdd(mortest.DID{ID: 3, DID: "37000000003", Status: "reserved", ResellerID: 3, Language: "lt",
		CallLimit: 3, Comment: new("admin note"), ResellerComment: new("a reseller comment longer than 25"),
		Tonezone: new("lt")})
	rows := []specRow{
		{name: "unknown caller", method: "dids_get", params: vals("u", "ghost"), hash: hashNone, want: shapeB("Access Denied")},
		{name: "accountant without manage_dids_opt_1", method: "dids_get", params: vals("u", "accountant"),
			want: shapeB("You are not authorized to manage DIDs")},
		{name: "accountant with manage_dids_opt_1 read",
			setup:  didAccountantRights(map[string]mortest.Right{"manage_dids_opt_1": mortest.RightRead}),
			method: "dids_get", params: vals("u", "accountant"), want: didsPage(did1Admin, did2Admin)},
		{name: "spec example (golden hash of nothing)", method: "dids_get",
			params: vals("u", "admin", "search_did_number", "37063042438"),
			hash:   "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4", want: didsPage(did1Admin)},
		{name: "admin all, number order", method: "dids_get", params: vals("u", "admin"), want: didsPage(did1Admin, did2Admin)},
		{name: "partner sees all", setup: didAddPartner, method: "dids_get", params: vals("u", "partner"),
			want: didsPage(did1Admin, did2Admin)},
		{name: "like pattern", method: "dids_get", params: vals("u", "admin", "search_did_number", " 3709% "),
			want: didsPage(did2Admin)},
		{name: "underscore wildcard", method: "dids_get", params: vals("u", "admin", "search_did_number", "3706304243_"),
			want: didsPage(did1Admin)},
		{name: "no match", method: "dids_get", params: vals("u", "admin", "search_did_number", "1"),
			want: shapeB("No DIDs found")},
		{name: "owner filter skips free DIDs", method: "dids_get", params: vals("u", "admin", "search_did_owner", "%"),
			want: didsPage(did2Admin)},
		{name: "owner filter by name", method: "dids_get", params: vals("u", "admin", "search_did_owner", "test user%"),
			want: didsPage(did2Admin)},
		{name: "owner filter miss", method: "dids_get", params: vals("u", "admin", "search_did_owner", "System%"),
			want: shapeB("No DIDs found")},
		{name: "status free", method: "dids_get", params: vals("u", "admin", "search_status", "FREE"), want: didsPage(did1Admin)},
		{name: "status reserved fragment is unparenthesised", setup: resellerDID, method: "dids_get",
			params: vals("u", "admin", "search_did_number", "37063042438", "search_status", "reserved"),
			want: didsPage(didXML("did", "37000000003", "provider", "Test Provider", "language", "lt", "status", "Reserved",
				"reseller", "Test Reseller", "device", "", "dial_plan", "", "simultaneous_call_limit", "3",
				"comment", "admin note", "tone_zone", "lt", "id", "3"))},
		{name: "user filter", method: "dids_get", params: vals("u", "admin", "search_user", "2"), want: didsPage(did2Admin)},
		{name: "device filter", method: "dids_get", params: vals("u", "admin", "search_device", "-2"), want: didsPage(did2Admin)},
		{name: "device all", method: "dids_get", params: vals("u", "admin", "search_device", "all"),
			want: didsPage(did1Admin, did2Admin)},
		{name: "language filter", method: "dids_get", params: vals("u", "admin", "search_language", "lt"),
			want: shapeB("No DIDs found")},
		{name: "provider filter", method: "dids_get", params: vals("u", "admin", "search_provider", "2"),
			want: shapeB("No DIDs found")},
		{name: "provider filter ignored for a user without own providers", method: "dids_get",
			params: vals("u", "user_admin", "search_provider", "2"),
			want: didsPage(didXML("did", "37093042422", "language", "en", "status", "Reserved", "owner", "Test User #1",
				"device", "", "simultaneous_call_limit", "Unlimited", "id", "2"))},
		{name: "dialplan filter", method: "dids_get", params: vals("u", "admin", "search_dialplan", "1"),
			want: shapeB("No DIDs found")},
		{name: "hide terminated", setup: didSet(1, func(d *mortest.DID) { d.Status = "terminated" }), method: "dids_get",
			params: vals("u", "admin", "search_hide_terminated_dids", "1"), want: didsPage(did2Admin)},
		{name: "reseller sees its own, without provider and reseller", setup: resellerDID, method: "dids_get",
			params: vals("u", "reseller"),
			want: didsPage(didXML("did", "37000000003", "language", "lt", "status", "Reserved", "device", "", "dial_plan", "",
				"simultaneous_call_limit", "3", "comment", "a reseller comment longer", "tone_zone", "lt", "id", "3"))},
		{name: "reseller without DIDs", method: "dids_get", params: vals("u", "reseller"), want: shapeB("No DIDs found")},
		{name: "active DID with device and dial plan", setup: didSeed(
			func(t *testing.T, srv *mortest.Server) {
				srv.AddDialplan(mortest.Dialplan{ID: 1, Name: new("QF"), DPType: new("quickforwarddids")})
			},
			didSet(1, func(d *mortest.DID) { d.Status, d.UserID, d.DeviceID, d.DialplanID = "active", 2, 3, 1 })),
			method: "dids_get", params: vals("u", "admin", "search_did_number", "37063042438"),
			want: didsPage(didXML("did", "37063042438", "provider", "Test Provider", "language", "en", "status", "Active",
				"owner", "Test User #1", "device", "FAX/102", "dial_plan", "QF (quickforwarddids)",
				"simultaneous_call_limit", "Unlimited", "tone_zone", "", "id", "1"))},
		{name: "dial plan with a NULL name crashes", setup: didSeed(
			func(t *testing.T, srv *mortest.Server) {
				srv.AddDialplan(mortest.Dialplan{ID: 1, DPType: new("pbxfunction")})
			},
			didSet(1, func(d *mortest.DID) { d.DialplanID = 1 })),
			method: "dids_get", params: vals("u", "admin"), want: ""},
	}
	runDIDRows(t, rows)
}

func TestDIDCreate(t *testing.T) {
	resellerProvider := func(t *testing.T, srv *mortest.Server) {
		srv.AddProvider(mortest.Provider{ID: 2, Name: "Own", Tech: "SIP", UserID: 3})
	}
	created := func(id int64, number string, reseller int64) func(*testing.T, *mortest.Server) {
		return didCheck(id, func(t *testing.T, d mortest.DID) {
			assert.Equal(t, number, d.DID)
			assert.Equal(t, "free", d.Status)
			assert.Equal(t, reseller, d.ResellerID)
			assert.Equal(t, int64(0), d.UserID)
			assert.Equal(t, int64(0), d.DeviceID)
			assert.True(t, d.ClosedTill.Equal(time.Date(2006, 1, 1, 0, 0, 0, 0, zone)), d.ClosedTill)
		})
	}
	noNew := func(t *testing.T, srv *mortest.Server) { assert.Len(t, srv.DIDs(), 2) }
	success := func(id, number string) string {
		return decl + "<page>\n  <status>\n    <success>DID created</success>\n  </status>\n  <did_details>\n    <id>" + id +
			"</id>\n" + number + "  </did_details>\n</page>\n"
	}
	rows := []specRow{
		{name: "unknown caller", method: "did_create", params: vals("u", "ghost", "did", "1", "provider_id", "1"),
			want: shapeB("Access Denied"), check: noNew},
		{name: "simple user", method: "did_create", params: vals("u", "user_admin", "did", "1", "provider_id", "1"),
			want: shapeB("Access Denied"), check: noNew},
		{name: "no provider", method: "did_create", params: vals("u", "admin", "did", "1", "provider_id", "9"),
			want: shapeB("Provider was not found"), check: noNew},
		{name: "hidden provider", setup: func(t *testing.T, srv *mortest.Server) {
			srv.UpdateProvider(1, func(p *mortest.Provider) { p.Hidden = true })
		}, method: "did_create", params: vals("u", "admin", "did", "1", "provider_id", "1"),
			want: shapeB("Provider was not found"), check: noNew},
		{name: "reseller on the admin's provider", method: "did_create", params: vals("u", "reseller", "did", "1", "provider_id", "1"),
			want: shapeB("Your are not authorized to use this Provider"), check: noNew},
		{name: "reseller without the confline", setup: resellerProvider, method: "did_create",
			params: vals("u", "reseller", "did", "1", "provider_id", "2"),
			want:   shapeB("You are not authorized to manage DIDs"), check: noNew},
		{name: "reseller with the confline", setup: didSeed(resellerProvider, func(t *testing.T, srv *mortest.Server) {
			srv.SetConfline(0, "Resellers_can_add_their_own_DIDs", mortest.Confline{Value: "1"})
		}), method: "did_create", params: vals("u", "reseller", "did", "37060000009", "provider_id", "2"),
			want: success("3", ""), check: created(3, "37060000009", 3)},
		{name: "accountant with read", setup: didAccountantRights(map[string]mortest.Right{"manage_dids_opt_1": mortest.RightRead}),
			method: "did_create", params: vals("u", "accountant", "did", "1", "provider_id", "1"),
			want: shapeB("You are not authorized to manage DIDs"), check: noNew},
		{name: "accountant with edit", setup: didAccountantRights(map[string]mortest.Right{"manage_dids_opt_1": mortest.RightEdit}),
			method: "did_create", params: vals("u", "accountant", "did", "37060000009", "provider_id", "1"),
			want: success("3", ""), check: created(3, "37060000009", 0)},
		{name: "exists", method: "did_create", params: vals("u", "admin", "did", "37063042438", "provider_id", "1"),
			want: shapeB("DID already exists"), check: noNew},
		{name: "blank", method: "did_create", params: vals("u", "admin", "did", " ", "provider_id", "1"),
			want: shapeB("Invalid DID specified"), check: noNew},
		{name: "absent", method: "did_create", params: vals("u", "admin", "provider_id", "1"),
			want: shapeB("Invalid DID specified"), check: noNew},
		{name: "not a number", method: "did_create", params: vals("u", "admin", "did", "12a", "provider_id", "1"),
			want: shapeB("Invalid DID specified"), check: noNew},
		{name: "a float is refused by the model", method: "did_create", params: vals("u", "admin", "did", "1.5", "provider_id", "1"),
			want: shapeB("DID creation failed"), check: noNew},
		{name: "hex is refused by the model", method: "did_create", params: vals("u", "admin", "did", "0x1A", "provider_id", "1"),
			want: shapeB("DID creation failed"), check: noNew},
		{name: "duplicate after strip", method: "did_create", params: vals("u", "admin", "did", " 37063042438", "provider_id", "1"),
			want: shapeB("DID creation failed"), check: noNew},
		{name: "created, golden hash", method: "did_create", params: vals("u", "admin", "did", "37060000009", "provider_id", "1"),
			hash: "b14c7618b40de30ba3119d25bbb41108be88b34f", want: success("3", ""), check: created(3, "37060000009", 0)},
		{name: "created stripped, test=1", method: "did_create",
			params: vals("u", "admin", "did", " 37060000009 ", "provider_id", "1", "test", "1"),
			want:   success("3", "    <did>37060000009</did>\n"), check: created(3, "37060000009", 0)},
	}
	runDIDRows(t, rows)
}

func TestDIDDeviceAssign(t *testing.T) {
	assigned := func(id, device, user int64) func(*testing.T, *mortest.Server) {
		return didCheck(id, func(t *testing.T, d mortest.DID) {
			assert.Equal(t, "active", d.Status)
			assert.Equal(t, device, d.DeviceID)
			assert.Equal(t, user, d.UserID)
		})
	}
	rows := []specRow{
		{name: "unknown caller", method: "did_device_assign", params: vals("u", "ghost", "did", "37063042438", "device_id", "2"),
			want: shapeB("Access Denied"), check: didsUnchanged},
		{name: "simple user", method: "did_device_assign", params: vals("u", "user_admin", "did", "37063042438", "device_id", "2"),
			want: shapeB("Access Denied"), check: didsUnchanged},
		{name: "no device", method: "did_device_assign", params: vals("u", "admin", "did", "37063042438", "device_id", "99"),
			want: shapeB("Device was not found"), check: didsUnchanged},
		{name: "reseller on the admin's user's device", method: "did_device_assign",
			params: vals("u", "reseller", "did", "37063042438", "device_id", "2"),
			want:   shapeB("Your are not authorized to use this Device"), check: didsUnchanged},
		{name: "admin on a reseller's user's device", method: "did_device_assign",
			params: vals("u", "admin", "did", "37063042438", "device_id", "7"),
			want:   shapeB("Your are not authorized to use this Device"), check: didsUnchanged},
		{name: "accountant without user_manage",
			setup: didAccountantRights(map[string]mortest.Right{"manage_dids_opt_1": mortest.RightEdit,
				"device_manage": mortest.RightRead}),
			method: "did_device_assign", params: vals("u", "accountant", "did", "37063042438", "device_id", "2"),
			want: shapeB("You are not authorized to manage DIDs"), check: didsUnchanged},
		{name: "accountant without device_manage",
			setup: didAccountantRights(map[string]mortest.Right{"manage_dids_opt_1": mortest.RightEdit,
				"user_manage": mortest.RightRead}),
			method: "did_device_assign", params: vals("u", "accountant", "did", "37063042438", "device_id", "2"),
			want: shapeB("You are not authorized to manage DIDs"), check: didsUnchanged},
		{name: "accountant with manage_dids_opt_1 read only",
			setup: didAccountantRights(map[string]mortest.Right{"manage_dids_opt_1": mortest.RightRead,
				"device_manage": mortest.RightEdit, "user_manage": mortest.RightEdit}),
			method: "did_device_assign", params: vals("u", "accountant", "did", "37063042438", "device_id", "2"),
			want: shapeB("You are not authorized to manage DIDs"), check: didsUnchanged},
		{name: "accountant with the three rights",
			setup: didAccountantRights(map[string]mortest.Right{"manage_dids_opt_1": mortest.RightEdit,
				"device_manage": mortest.RightRead, "user_manage": mortest.RightRead}),
			method: "did_device_assign", params: vals("u", "accountant", "did", "37063042438", "device_id", "2"),
			want: okReply("Device assigned to DID"), check: assigned(1, 2, 2)},
		{name: "no DID", method: "did_device_assign", params: vals("u", "admin", "did", "370", "device_id", "2"),
			want: shapeB("DID was not found"), check: didsUnchanged},
		{name: "blank DID", method: "did_device_assign", params: vals("u", "admin", "did", "", "device_id", "2"),
			want: shapeB("DID was not found"), check: didsUnchanged},
		{name: "reseller's DID used by the admin", setup: didSet(1, func(d *mortest.DID) { d.ResellerID = 3 }),
			method: "did_device_assign", params: vals("u", "admin", "did", "37063042438", "device_id", "2"),
			want: shapeB("Your are not authorized to use this DID")},
		{name: "terminated", setup: didSet(1, func(d *mortest.DID) { d.Status = "terminated" }),
			method: "did_device_assign", params: vals("u", "admin", "did", "37063042438", "device_id", "2"),
			want: shapeB("DID is terminated")},
		{name: "reserved for another user", method: "did_device_assign",
			params: vals("u", "admin", "did", "37093042422", "device_id", "5"),
			want:   shapeB("DID is not free"), check: didsUnchanged},
		{name: "reserved for the device's user", method: "did_device_assign",
			params: vals("u", "admin", "did", "37093042422", "device_id", "3"),
			want:   okReply("Device assigned to DID"), check: assigned(2, 3, 2)},
		{name: "retry is refused", setup: func(t *testing.T, srv *mortest.Server) {
			require.Equal(t, okReply("Device assigned to DID"),
				call(t, srv, "did_device_assign", vals("u", "admin", "did", "37063042438", "device_id", "2")))
		}, method: "did_device_assign", params: vals("u", "admin", "did", "37063042438", "device_id", "2"),
			want: shapeB("DID is not free"), check: assigned(1, 2, 2)},
		{name: "admin, golden hash", method: "did_device_assign", params: vals("u", "admin", "did", "37063042438", "device_id", "2"),
			hash: "4b1a008b15167bfde53c8b8a785b5e1f2e8b510c", want: okReply("Device assigned to DID"), check: assigned(1, 2, 2)},
		{name: "admin's own device", method: "did_device_assign", params: vals("u", "admin", "did", "37063042438", "device_id", "5"),
			want: okReply("Device assigned to DID"), check: assigned(1, 5, 0)},
		{name: "alias with test=1", method: "did_assign_device",
			params: vals("u", "admin", "did", "37063042438", "device_id", "2", "test", "1"),
			want: decl + "<page>\n  <status>\n    <success>Device assigned to DID</success>\n  </status>\n" +
				"  <did_id>1</did_id>\n  <device_id>2</device_id>\n</page>\n", check: assigned(1, 2, 2)},
		{name: "reseller on its user's device", setup: didSet(1, func(d *mortest.DID) { d.ResellerID = 3 }),
			method: "did_device_assign", params: vals("u", "reseller", "did", "37063042438", "device_id", "7"),
			want: okReply("Device assigned to DID"), check: assigned(1, 7, 5)},
		{name: "provider device without a user crashes", method: "did_device_assign",
			params: vals("u", "admin", "did", "37063042438", "device_id", "1"), want: "", check: didsUnchanged},
	}
	runDIDRows(t, rows)
}

func TestDIDDeviceUnassign(t *testing.T) {
	active := didSet(1, func(d *mortest.DID) { d.Status, d.DeviceID, d.UserID = "active", 2, 2 })
	freed := didCheck(1, func(t *testing.T, d mortest.DID) {
		assert.Equal(t, "free", d.Status)
		assert.Equal(t, int64(0), d.DeviceID)
		assert.Equal(t, int64(0), d.UserID)
	})
	still := didCheck(1, func(t *testing.T, d mortest.DID) { assert.Equal(t, int64(2), d.DeviceID) })
	rows := []specRow{
		{name: "unknown caller", setup: active, method: "did_device_unassign", params: vals("u", "ghost", "did", "37063042438"),
			want: shapeB("Access Denied"), check: still},
		{name: "simple user", setup: active, method: "did_device_unassign", params: vals("u", "user_admin", "did", "37063042438"),
			want: shapeB("Access Denied"), check: still},
		{name: "accountant without rights", setup: active, method: "did_device_unassign",
			params: vals("u", "accountant", "did", "37063042438"), want: shapeB("You are not authorized to manage DIDs"), check: still},
		{name: "accountant with rights", setup: didSeed(active, didAccountantRights(didAllRights)), method: "did_device_unassign",
			params: vals("u", "accountant", "did", "37063042438"), want: okReply("Device was unassigned from DID"), check: freed},
		{name: "no DID", method: "did_device_unassign", params: vals("u", "admin", "did", "1"),
			want: shapeB("DID was not found"), check: didsUnchanged},
		{name: "reseller on the admin's DID", setup: active, method: "did_device_unassign",
			params: vals("u", "reseller", "did", "37063042438"), want: shapeB("You are not authorized to use this DID"), check: still},
		{name: "terminated", setup: didSet(1, func(d *mortest.DID) { d.Status = "terminated" }), method: "did_device_unassign",
			params: vals("u", "admin", "did", "37063042438"), want: shapeB("DID is terminated")},
		{name: "free", method: "did_device_unassign", params: vals("u", "admin", "did", "37063042438"),
			want: shapeB("DID is already free"), check: didsUnchanged},
		{name: "reserved", method: "did_device_unassign", params: vals("u", "admin", "did", "37093042422"),
			want: shapeB("DID is already free"), check: didsUnchanged},
		{name: "on a dial plan", setup: didSet(1, func(d *mortest.DID) { d.Status, d.DialplanID = "active", 4 }),
			method: "did_device_unassign", params: vals("u", "admin", "did", "37063042438"),
			want: shapeB("DID is assigned to dialplan")},
		{name: "admin, golden hash", setup: active, method: "did_device_unassign", params: vals("u", "admin", "did", "37063042438"),
			hash: "afde7f5357852a244df082d825edcba3c10a5bc6", want: okReply("Device was unassigned from DID"), check: freed},
		{name: "alias with test=1", setup: active, method: "did_unassign_device",
			params: vals("u", "admin", "did", "37063042438", "test", "1"),
			want: decl + "<page>\n  <status>\n    <success>Device was unassigned from DID</success>\n  </status>\n" +
				"  <did_id>1</did_id>\n</page>\n", check: freed},
		{name: "reseller keeps reseller_id", setup: didSeed(active, didSet(1, func(d *mortest.DID) { d.ResellerID = 3 })),
			method: "did_device_unassign", params: vals("u", "reseller", "did", "37063042438"),
			want: okReply("Device was unassigned from DID"), check: didSeed(freed, didCheck(1, func(t *testing.T, d mortest.DID) {
				assert.Equal(t, int64(3), d.ResellerID)
			}))},
	}
	runDIDRows(t, rows)
}

func TestDIDDetailsUpdate(t *testing.T) {
	did := func(fn func(t *testing.T, d mortest.DID)) func(*testing.T, *mortest.Server) { return didCheck(1, fn) }
	untouched := did(func(t *testing.T, d mortest.DID) {
		assert.Equal(t, "free", d.Status)
		assert.Equal(t, int64(0), d.UserID)
		assert.Equal(t, int64(0), d.CallLimit)
	})
	edited := func(t *testing.T, srv *mortest.Server) {
		acts := srv.Actions()
		require.NotEmpty(t, acts)
		last := acts[len(acts)-1]
		assert.Equal(t, "did_edited", last.Action)
		assert.Equal(t, int64(1), last.TargetID)
	}
	rows := []specRow{
		{name: "unknown caller", method: "did_details_update", params: vals("u", "ghost", "did_id", "1"), want: shapeB("Access Denied")},
		{name: "simple user", method: "did_details_update", params: vals("u", "user_admin", "did_id", "1"), want: shapeB("Access Denied")},
		{name: "partner", setup: didAddPartner, method: "did_details_update", params: vals("u", "partner", "did_id", "1"),
			want: shapeB("Access Denied")},
		{name: "accountant with device_manage read", setup: didAccountantRights(map[string]mortest.Right{"device_manage": mortest.RightRead}),
			method: "did_details_update", params: vals("u", "accountant", "did_id", "1", "did_user_id", "2"),
			want: shapeB("You are not authorized to use this functionality"), check: untouched},
		{name: "accountant with device_manage edit (the world's grant)", method: "did_details_update",
			params: vals("u", "accountant", "did_id", "1", "did_user_id", "2"),
			want:   okReply("DID details successfully updated"), check: did(func(t *testing.T, d mortest.DID) {
				assert.Equal(t, "reserved", d.Status)
				assert.Equal(t, int64(2), d.UserID)
			})},
		{name: "no DID", method: "did_details_update", params: vals("u", "admin", "did_id", "9"), want: shapeB("DID was not found")},
		{name: "no did_id", method: "did_details_update", params: vals("u", "admin"), want: shapeB("DID was not found")},
		{name: "reseller on the admin's DID", method: "did_details_update", params: vals("u", "reseller", "did_id", "1", "call_limit", "2"),
			want: shapeB("DID was not found"), check: untouched},
		{name: "unknown user", method: "did_details_update", params: vals("u", "admin", "did_id", "1", "did_user_id", "99"),
			want: shapeB("User was not found"), check: untouched},
		{name: "errors accumulate", method: "did_details_update",
			params: vals("u", "admin", "did_id", "1", "did_user_id", "99", "call_limit", "x"),
			want:   shapeB("User was not found", "Call limit is incorrect format"), check: untouched},
		{name: "already assigned to another user", method: "did_details_update",
			params: vals("u", "admin", "did_id", "2", "did_user_id", "5"), want: shapeB("DID is already assigned"), check: didsUnchanged},
		{name: "reseller for a user it does not own", setup: didSet(1, func(d *mortest.DID) { d.ResellerID = 3 }),
			method: "did_details_update", params: vals("u", "reseller", "did_id", "1", "did_user_id", "2"),
			want: shapeB("User was not found")},
		{name: "reseller for its user", setup: didSet(1, func(d *mortest.DID) { d.ResellerID = 3 }),
			method: "did_details_update", params: vals("u", "reseller", "did_id", "1", "did_user_id", "5"),
			want: okReply("DID details successfully updated"), check: did(func(t *testing.T, d mortest.DID) {
				assert.Equal(t, "reserved", d.Status)
				assert.Equal(t, int64(5), d.UserID)
				assert.Equal(t, int64(3), d.ResellerID)
			})},
		{name: "partner target", setup: didAddPartner, method: "did_details_update",
			params: vals("u", "admin", "did_id", "1", "did_user_id", "8"), want: shapeB("User was not found"), check: untouched},
		{name: "reseller target on a dial-plan DID", setup: didSet(1, func(d *mortest.DID) { d.DialplanID = 3 }),
			method: "did_details_update", params: vals("u", "admin", "did_id", "1", "did_user_id", "3"),
			want: shapeB("User was not found")},
		{name: "reserve for a reseller", method: "did_details_update",
			params: vals("u", "admin", "did_id", "1", "did_user_id", "3", "call_limit", "4"),
			want:   okReply("DID details successfully updated"), check: didSeed(edited, did(func(t *testing.T, d mortest.DID) {
				assert.Equal(t, "free", d.Status)
				assert.Equal(t, int64(3), d.ResellerID)
				assert.Equal(t, int64(0), d.UserID)
				assert.Equal(t, int64(4), d.CallLimit)
			}))},
		{name: "reserve for a user, golden hash", method: "did_details_update",
			params: vals("u", "admin", "did_id", "1", "did_user_id", "2", "call_limit", "3"),
			hash:   "bc2f114099d16656d37e45fd9e8744cb9386d462",
			want:   okReply("DID details successfully updated"), check: didSeed(edited, did(func(t *testing.T, d mortest.DID) {
				assert.Equal(t, "reserved", d.Status)
				assert.Equal(t, int64(2), d.UserID)
				assert.Equal(t, int64(3), d.CallLimit)
			}))},
		{name: "make free", setup: didSet(1, func(d *mortest.DID) {
			d.Status, d.UserID, d.DeviceID, d.ResellerID, d.CCTariffID = "active", 5, 7, 3, 2
		}), method: "did_details_update", params: vals("u", "admin", "did_id", "1", "did_user_id", "-1"),
			want: okReply("DID details successfully updated"), check: did(func(t *testing.T, d mortest.DID) {
				assert.Equal(t, "free", d.Status)
				assert.Equal(t, [4]int64{}, [4]int64{d.UserID, d.DeviceID, d.ResellerID, d.CCTariffID})
			})},
		{name: "make free happens even when the call limit fails", method: "did_details_update",
			params: vals("u", "admin", "did_id", "2", "did_user_id", "-1", "call_limit", "1.5"),
			want:   shapeB("Call limit is incorrect format"), check: didCheck(2, func(t *testing.T, d mortest.DID) {
				assert.Equal(t, "free", d.Status)
				assert.Equal(t, int64(0), d.UserID)
			})},
		{name: "reseller make free keeps reseller_id", setup: didSet(1, func(d *mortest.DID) {
			d.Status, d.UserID, d.ResellerID = "reserved", 5, 3
		}), method: "did_details_update", params: vals("u", "reseller", "did_id", "1", "did_user_id", "-1"),
			want: okReply("DID details successfully updated"), check: did(func(t *testing.T, d mortest.DID) {
				assert.Equal(t, "free", d.Status)
				assert.Equal(t, int64(3), d.ResellerID)
			})},
		{name: "a digit line anywhere passes", method: "did_details_update",
			params: vals("u", "admin", "did_id", "1", "call_limit", "abc\n12"),
			want:   okReply("DID details successfully updated"), check: untouched},
		{name: "empty call limit fails", method: "did_details_update", params: vals("u", "admin", "did_id", "1", "call_limit", ""),
			want: shapeB("Call limit is incorrect format"), check: untouched},
	}
	runDIDRows(t, rows)
}

func TestDIDSubscriptionStop(t *testing.T) {
	active := didSet(1, func(d *mortest.DID) { d.Status, d.DeviceID, d.UserID = "active", 2, 2 })
	days30 := func(t *testing.T, srv *mortest.Server) {
		srv.SetConfline(0, "Days_for_did_close", mortest.Confline{Value: "30"})
		srv.UpdateDevice(2, func(d *mortest.Device) { d.PrimaryDIDID = 1 })
	}
	closed := didSeed(didCheck(1, func(t *testing.T, d mortest.DID) {
		assert.Equal(t, "closed", d.Status)
		assert.True(t, d.ClosedTill.Equal(fixedAt.AddDate(0, 0, 30)), d.ClosedTill)
		assert.Equal(t, int64(2), d.DeviceID)
		assert.Equal(t, int64(2), d.UserID)
	}), func(t *testing.T, srv *mortest.Server) {
		dev, _ := srv.Device(2)
		assert.Equal(t, int64(0), dev.PrimaryDIDID)
	})
	open := didCheck(1, func(t *testing.T, d mortest.DID) { assert.Equal(t, "active", d.Status) })
	rows := []specRow{
		{name: "unknown caller", setup: active, method: "did_subscription_stop", params: vals("u", "ghost", "dids_id", "1"),
			want: shapeB("Access Denied"), check: open},
		{name: "simple user", setup: active, method: "did_subscription_stop", params: vals("u", "user_admin", "dids_id", "1"),
			want: shapeB("Access Denied"), check: open},
		{name: "partner", setup: didSeed(active, didAddPartner), method: "did_subscription_stop", params: vals("u", "partner", "dids_id", "1"),
			want: shapeB("Access Denied"), check: open},
		{name: "accountant with read", setup: didSeed(active, didAccountantRights(map[string]mortest.Right{"manage_dids_opt_1": mortest.RightRead})),
			method: "did_subscription_stop", params: vals("u", "accountant", "dids_id", "1"),
			want: shapeB("You are not authorized to use this functionality"), check: open},
		{name: "accountant with edit", setup: didSeed(active, days30, didAccountantRights(didAllRights)),
			method: "did_subscription_stop", params: vals("u", "accountant", "dids_id", "1"),
			want: didStatusStatus("DID was successfully closed"), check: closed},
		{name: "no DID", method: "did_subscription_stop", params: vals("u", "admin", "dids_id", "7"), want: shapeB("DID was not found")},
		{name: "reseller on the admin's DID", setup: active, method: "did_subscription_stop",
			params: vals("u", "reseller", "dids_id", "1"), want: shapeB("DID was not found"), check: open},
		{name: "free", method: "did_subscription_stop", params: vals("u", "admin", "dids_id", "1"),
			want: shapeB("DID is not assigned to Device"), check: didsUnchanged},
		{name: "active on a dial plan", setup: didSet(1, func(d *mortest.DID) { d.Status, d.DialplanID = "active", 2 }),
			method: "did_subscription_stop", params: vals("u", "admin", "dids_id", "1"), want: shapeB("DID is not assigned to Device")},
		{name: "fixed hash ignores other parameters", setup: didSeed(active, days30), method: "did_subscription_stop",
			params: vals("u", "admin", "dids_id", "1", "did_id", "5", "description", "x"),
			hash:   "bc2f114099d16656d37e45fd9e8744cb9386d462", want: didStatusStatus("DID was successfully closed"), check: closed},
		{name: "closed again", setup: didSeed(days30, didSet(1, func(d *mortest.DID) { d.Status, d.DeviceID, d.UserID = "closed", 2, 2 })),
			method: "did_subscription_stop", params: vals("u", "admin", "dids_id", "1"),
			want: didStatusStatus("DID was successfully closed"), check: closed},
		{name: "reseller's own", setup: didSeed(days30, active, didSet(1, func(d *mortest.DID) { d.ResellerID = 3 })),
			method: "did_subscription_stop", params: vals("u", "reseller", "dids_id", "1"),
			want: didStatusStatus("DID was successfully closed"), check: closed},
	}
	runDIDRows(t, rows)
}

// didQFWorld adds a quick-forward dial plan with three DIDs (3 37060000010, 4
// 37060000011, 5 37160000012), rule 1 "3706%" for user_admin, and
// user_admin's forward of DID 3 to 37061111111 "home".
func didQFWorld(t *testing.T, srv *mortest.Server) {
	srv.AddDialplan(mortest.Dialplan{ID: 1, Name: new("QF"), DPType: new("quickforwarddids")})
	srv.AddDialplan(mortest.Dialplan{ID: 2, Name: new("PBX"), DPType: new("pbxfunction")})
	for i, n := range []string{"37060000010", "37060000011", "37160000012"} {
		d := mortest.NewDID(int64(3+i), n, 1, zone)
		d.DialplanID = 1
		srv.AddDID(d)
	}
	d := mortest.NewDID(6, "37060000013", 1, zone) // on another kind of dial plan
	d.DialplanID = 2
	srv.AddDID(d)
	srv.AddQuickforwardsRule(mortest.QuickforwardsRule{ID: 1, Name: "LT", RuleRegexp: new("3706%")})
	require.True(t, srv.UpdateUser(2, func(u *mortest.User) { u.QuickforwardsRuleID = 1 }))
	srv.AddQuickforwardDID(mortest.QuickforwardDID{ID: 1, DIDID: 3, UserID: 2, Number: "37061111111", Description: "home"})
}

func didQFRow(did, fwd, desc string) string {
	return "  <quick_forward_did>\n    <did>" + did + "</did>\n    <forward_to>" + fwd + "</forward_to>\n    <description>" +
		desc + "</description>\n  </quick_forward_did>\n"
}

func didQFRule(regexp *string) func(*testing.T, *mortest.Server) {
	return func(t *testing.T, srv *mortest.Server) {
		require.True(t, srv.UpdateQuickforwardsRule(1, func(r *mortest.QuickforwardsRule) { r.RuleRegexp = regexp }))
	}
}

func TestQuickforwardsDIDsGet(t *testing.T) {
	resellerRules := func(reseller, user string) func(*testing.T, *mortest.Server) {
		return func(t *testing.T, srv *mortest.Server) {
			srv.AddQuickforwardsRule(mortest.QuickforwardsRule{ID: 2, Name: "R", RuleRegexp: new(reseller), UserID: 3})
			srv.AddQuickforwardsRule(mortest.QuickforwardsRule{ID: 3, Name: "U", RuleRegexp: new(user), UserID: 3})
			srv.UpdateUser(3, func(u *mortest.User) { u.QuickforwardsRuleID = 2 })
			srv.UpdateUser(5, func(u *mortest.User) { u.QuickforwardsRuleID = 3 })
		}
	}
	rows := []specRow{
		{name: "unknown caller", setup: didQFWorld, method: "quickforwards_dids_get", params: vals("u", "ghost"),
			want: shapeC("User was not found")},
		{name: "admin", setup: didQFWorld, method: "quickforwards_dids_get", params: vals("u", "admin"),
			want: shapeC("You are not authorized to use Quickforwards")},
		{name: "accountant", setup: didQFWorld, method: "quickforwards_dids_get", params: vals("u", "accountant"),
			want: shapeC("You are not authorized to use Quickforwards")},
		{name: "reseller", setup: didQFWorld, method: "quickforwards_dids_get", params: vals("u", "reseller"),
			want: shapeC("You are not authorized to use Quickforwards")},
		{name: "no rule", method: "quickforwards_dids_get", params: vals("u", "user_admin"),
			want: shapeC("Quickforwards list is empty")},
		{name: "spec example, golden hash", setup: didQFWorld, method: "quickforwards_dids_get", params: vals("u", "user_admin"),
			hash: "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4",
			want: decl + "<page>\n" + didQFRow("37060000010", "37061111111", "home") + didQFRow("37060000011", "", "") + "</page>\n"},
		{name: "a rule of only % matches nothing", setup: didSeed(didQFWorld, didQFRule(new("%"))), method: "quickforwards_dids_get",
			params: vals("u", "user_admin"), want: shapeC("Quickforwards list is empty")},
		{name: "alternatives", setup: didSeed(didQFWorld, didQFRule(new("37160|3706000001[1]%"))), method: "quickforwards_dids_get",
			params: vals("u", "user_admin"), want: decl + "<page>\n" + didQFRow("37060000011", "", "") + didQFRow("37160000012", "", "") + "</page>\n"},
		{name: "reseller's user: the owner's rule and its own", setup: didSeed(didQFWorld, resellerRules("3706%", "%37060000010")),
			method: "quickforwards_dids_get", params: vals("u", "user_reseller"),
			want: decl + "<page>\n" + didQFRow("37060000010", "", "") + "</page>\n"},
		{name: "reseller's user with an empty own pattern", setup: didSeed(didQFWorld, resellerRules("3706%", "")),
			method: "quickforwards_dids_get", params: vals("u", "user_reseller"), want: shapeC("Quickforwards list is empty")},
	}
	runDIDRows(t, rows)
}

func TestQuickforwardsDIDUpdate(t *testing.T) {
	forward := func(did int64, number, desc string) func(*testing.T, *mortest.Server) {
		return func(t *testing.T, srv *mortest.Server) {
			var got []mortest.QuickforwardDID
			for _, q := range srv.QuickforwardDIDs() {
				if q.DIDID == did && q.UserID == 2 {
					got = append(got, q)
				}
			}
			require.Len(t, got, 1)
			assert.Equal(t, number, got[0].Number)
			assert.Equal(t, desc, got[0].Description)
		}
	}
	one := func(t *testing.T, srv *mortest.Server) { assert.Len(t, srv.QuickforwardDIDs(), 1) }
	reply := func(did, fwd, desc string) string {
		return decl + "<page>\n  <new_quickforward_did>\n    <did>" + did + "</did>\n    <forward_to>" + fwd +
			"</forward_to>\n    <description>" + desc + "</description>\n  </new_quickforward_did>\n</page>\n"
	}
	rows := []specRow{
		{name: "unknown caller", setup: didQFWorld, method: "quickforwards_did_update",
			params: vals("u", "ghost", "did", "37060000011", "forward_to", "1"), want: shapeC("User was not found"), check: one},
		{name: "reseller", setup: didQFWorld, method: "quickforwards_did_update",
			params: vals("u", "reseller", "did", "37060000011", "forward_to", "1"),
			want:   shapeC("You are not authorized to use Quickforwards"), check: one},
		{name: "no rule", method: "quickforwards_did_update", params: vals("u", "user_admin", "did", "37063042438", "forward_to", "1"),
			want: shapeC("DID was not found")},
		{name: "outside the rule", setup: didQFWorld, method: "quickforwards_did_update",
			params: vals("u", "user_admin", "did", "37160000012", "forward_to", "1"), want: shapeC("DID was not found"), check: one},
		{name: "not a quick-forward DID", setup: didQFWorld, method: "quickforwards_did_update",
			params: vals("u", "user_admin", "did", "37060000013", "forward_to", "1"), want: shapeC("DID was not found"), check: one},
		{name: "not numeric", setup: didQFWorld, method: "quickforwards_did_update",
			params: vals("u", "user_admin", "did", "37060000011", "forward_to", "12a"),
			want:   shapeC("Invalid Quickforward number"), check: one},
		{name: "hex", setup: didQFWorld, method: "quickforwards_did_update",
			params: vals("u", "user_admin", "did", "37060000011", "forward_to", "0x1A"),
			want:   shapeC("Invalid Quickforward number"), check: one},
		{name: "absent forward_to", setup: didQFWorld, method: "quickforwards_did_update",
			params: vals("u", "user_admin", "did", "37060000011"), want: shapeC("Invalid Quickforward number"), check: one},
		{name: "created", setup: didQFWorld, method: "quickforwards_did_update",
			params: vals("u", "user_admin", "did", "37060000011", "forward_to", "37062222222"),
			want:   reply("37060000011", "37062222222", ""), check: forward(4, "37062222222", "")},
		{name: "spec example updates, golden hash", setup: didSeed(didQFWorld, func(t *testing.T, srv *mortest.Server) {
			srv.UpdateQuickforwardDID(1, func(q *mortest.QuickforwardDID) { q.Number, q.Description = "1", "old" })
			srv.UpdateDID(3, func(d *mortest.DID) { d.DID = "37063042438" })
			srv.RemoveDID(1)
		}), method: "quickforwards_did_update",
			params: vals("u", "user_admin", "did", "37063042438", "forward_to", "37061111111", "description", "home"),
			hash:   "241a9fc79f98f2ddcf5afe5ffc7c7cf752704ed7",
			want:   reply("37063042438", "37061111111", "home"), check: didSeed(one, forward(3, "37061111111", "home"))},
		{name: "a rule without % matches every number", setup: didSeed(didQFWorld, didQFRule(new("999"))), method: "quickforwards_did_update",
			params: vals("u", "user_admin", "did", "37160000012", "forward_to", "5"),
			want:   reply("37160000012", "5", ""), check: forward(5, "5", "")},
		{name: "a quote crashes", setup: didQFWorld, method: "quickforwards_did_update",
			params: vals("u", "user_admin", "did", "3706'", "forward_to", "5"), want: "", check: one},
		{name: "a NULL pattern crashes", setup: didSeed(didQFWorld, didQFRule(nil)), method: "quickforwards_did_update",
			params: vals("u", "user_admin", "did", "37060000011", "forward_to", "5"), want: "", check: one},
	}
	runDIDRows(t, rows)
}

func TestQuickforwardsDIDDelete(t *testing.T) {
	gone := func(t *testing.T, srv *mortest.Server) { assert.Empty(t, srv.QuickforwardDIDs()) }
	one := func(t *testing.T, srv *mortest.Server) { assert.Len(t, srv.QuickforwardDIDs(), 1) }
	deleted := decl + "<page>\n  <status>Quickforward successfully deleted</status>\n</page>\n"
	rows := []specRow{
		{name: "unknown caller", setup: didQFWorld, method: "quickforwards_did_delete", params: vals("u", "ghost", "did", "37060000010"),
			want: shapeC("User was not found"), check: one},
		{name: "admin", setup: didQFWorld, method: "quickforwards_did_delete", params: vals("u", "admin", "did", "37060000010"),
			want: shapeC("You are not authorized to use Quickforwards"), check: one},
		{name: "no rule", method: "quickforwards_did_delete", params: vals("u", "user_admin", "did", "37060000010"),
			want: shapeC("DID was not found")},
		{name: "missing rule crashes", setup: didSeed(didQFWorld, func(t *testing.T, srv *mortest.Server) { srv.RemoveQuickforwardsRule(1) }),
			method: "quickforwards_did_delete", params: vals("u", "user_admin", "did", "37060000010"), want: "", check: one},
		{name: "outside the rule", setup: didQFWorld, method: "quickforwards_did_delete",
			params: vals("u", "user_admin", "did", "37160000012"), want: shapeC("DID was not found"), check: one},
		{name: "a rule without % does not widen", setup: didSeed(didQFWorld, didQFRule(new("999"))), method: "quickforwards_did_delete",
			params: vals("u", "user_admin", "did", "37060000010"), want: shapeC("DID was not found"), check: one},
		{name: "a NULL pattern matches every number", setup: didSeed(didQFWorld, didQFRule(nil)), method: "quickforwards_did_delete",
			params: vals("u", "user_admin", "did", "37060000010"), want: deleted, check: gone},
		{name: "nothing to delete", setup: didQFWorld, method: "quickforwards_did_delete",
			params: vals("u", "user_admin", "did", "37060000011"),
			want:   shapeC("No Quickforward is assigned to specified DID"), check: one},
		{name: "deleted, golden hash", setup: didSeed(didQFWorld, func(t *testing.T, srv *mortest.Server) {
			srv.UpdateDID(3, func(d *mortest.DID) { d.DID = "37063042438" })
			srv.RemoveDID(1)
		}), method: "quickforwards_did_delete", params: vals("u", "user_admin", "did", "37063042438"),
			hash: "afde7f5357852a244df082d825edcba3c10a5bc6", want: deleted, check: gone},
		{name: "a quote crashes", setup: didQFWorld, method: "quickforwards_did_delete",
			params: vals("u", "user_admin", "did", "'"), want: "", check: one},
	}
	runDIDRows(t, rows)
}

// TestFakeReproducesDIDFixtures puts the fake in the state behind each DIDs
// fixture (written from the spec's reply texts) and compares the bytes.
func TestFakeReproducesDIDFixtures(t *testing.T) {
	active := didSet(1, func(d *mortest.DID) { d.Status, d.DeviceID, d.UserID = "active", 2, 2 })
	resellerProvider := func(t *testing.T, srv *mortest.Server) {
		srv.AddProvider(mortest.Provider{ID: 2, Name: "Own", Tech: "SIP", UserID: 3})
	}
	tests := []struct {
		fixture string
		setup   func(*testing.T, *mortest.Server)
		method  string
		kv      []string
	}{
		{"dids_get_success", nil, "dids_get", []string{"u", "admin", "search_did_number", "37063042438"}},
		{"dids_get_access_denied", nil, "dids_get", []string{"u", "ghost"}},
		{"dids_get_not_authorized", nil, "dids_get", []string{"u", "accountant"}},
		{"dids_get_none", nil, "dids_get", []string{"u", "reseller"}},
		{"did_create_success", nil, "did_create", []string{"u", "admin", "did", "37060000009", "provider_id", "1"}},
		{"did_create_success_test", nil, "did_create", []string{"u", "admin", "did", "37060000009", "provider_id", "1", "test", "1"}},
		{"did_create_access_denied", nil, "did_create", []string{"u", "user_admin", "did", "1", "provider_id", "1"}},
		{"did_create_provider_not_found", nil, "did_create", []string{"u", "admin", "did", "1", "provider_id", "5"}},
		{"did_create_provider_not_authorized", nil, "did_create", []string{"u", "reseller", "did", "1", "provider_id", "1"}},
		{"did_create_not_authorized", resellerProvider, "did_create", []string{"u", "reseller", "did", "1", "provider_id", "2"}},
		{"did_create_exists", nil, "did_create", []string{"u", "admin", "did", "37063042438", "provider_id", "1"}},
		{"did_create_invalid", nil, "did_create", []string{"u", "admin", "did", "abc", "provider_id", "1"}},
		{"did_create_failed", nil, "did_create", []string{"u", "admin", "did", "1.5", "provider_id", "1"}},
		{"did_device_assign_success", nil, "did_device_assign", []string{"u", "admin", "did", "37063042438", "device_id", "2"}},
		{"did_device_assign_success_test", nil, "did_device_assign",
			[]string{"u", "admin", "did", "37063042438", "device_id", "2", "test", "1"}},
		{"did_device_assign_device_not_found", nil, "did_device_assign", []string{"u", "admin", "did", "37063042438", "device_id", "0"}},
		{"did_device_assign_device_not_authorized", nil, "did_device_assign",
			[]string{"u", "reseller", "did", "37063042438", "device_id", "2"}},
		{"did_device_assign_did_not_found", nil, "did_device_assign", []string{"u", "admin", "did", "1", "device_id", "2"}},
		{"did_device_assign_did_not_authorized", didSet(1, func(d *mortest.DID) { d.ResellerID = 3 }), "did_device_assign",
			[]string{"u", "admin", "did", "37063042438", "device_id", "2"}},
		{"did_device_assign_terminated", didSet(1, func(d *mortest.DID) { d.Status = "terminated" }), "did_device_assign",
			[]string{"u", "admin", "did", "37063042438", "device_id", "2"}},
		{"did_device_assign_not_free", active, "did_device_assign", []string{"u", "admin", "did", "37063042438", "device_id", "2"}},
		{"did_device_unassign_success", active, "did_device_unassign", []string{"u", "admin", "did", "37063042438"}},
		{"did_device_unassign_success_test", active, "did_device_unassign", []string{"u", "admin", "did", "37063042438", "test", "1"}},
		{"did_device_unassign_did_not_authorized", nil, "did_device_unassign", []string{"u", "reseller", "did", "37063042438"}},
		{"did_device_unassign_already_free", nil, "did_device_unassign", []string{"u", "admin", "did", "37063042438"}},
		{"did_device_unassign_dialplan", didSet(1, func(d *mortest.DID) { d.Status, d.DialplanID = "active", 1 }),
			"did_device_unassign", []string{"u", "admin", "did", "37063042438"}},
		{"did_details_update_success", nil, "did_details_update", []string{"u", "admin", "did_id", "1", "did_user_id", "2"}},
		{"did_details_update_errors", nil, "did_details_update",
			[]string{"u", "admin", "did_id", "1", "did_user_id", "99", "call_limit", "x"}},
		{"did_details_update_already_assigned", nil, "did_details_update", []string{"u", "admin", "did_id", "2", "did_user_id", "5"}},
		{"did_details_update_did_not_found", nil, "did_details_update", []string{"u", "admin", "did_id", "9"}},
		{"did_details_update_not_authorized", didAccountantRights(nil), "did_details_update", []string{"u", "accountant", "did_id", "1"}},
		{"did_subscription_stop_success", active, "did_subscription_stop", []string{"u", "admin", "dids_id", "1"}},
		{"did_subscription_stop_not_assigned", nil, "did_subscription_stop", []string{"u", "admin", "dids_id", "1"}},
		{"did_subscription_stop_did_not_found", nil, "did_subscription_stop", []string{"u", "admin", "dids_id", "9"}},
		{"quickforwards_dids_get_success", didQFWorld, "quickforwards_dids_get", []string{"u", "user_admin"}},
		{"quickforwards_dids_get_empty", nil, "quickforwards_dids_get", []string{"u", "user_admin"}},
		{"quickforwards_dids_get_not_authorized", nil, "quickforwards_dids_get", []string{"u", "admin"}},
		{"quickforwards_dids_get_user_not_found", nil, "quickforwards_dids_get", []string{"u", "ghost"}},
		{"quickforwards_did_update_success", didQFWorld, "quickforwards_did_update",
			[]string{"u", "user_admin", "did", "37060000010", "forward_to", "37061111111", "description", "home"}},
		{"quickforwards_did_update_invalid_number", didQFWorld, "quickforwards_did_update",
			[]string{"u", "user_admin", "did", "37060000010", "forward_to", "x"}},
		{"quickforwards_did_update_did_not_found", nil, "quickforwards_did_update",
			[]string{"u", "user_admin", "did", "37060000010", "forward_to", "1"}},
		{"quickforwards_did_delete_success", didQFWorld, "quickforwards_did_delete", []string{"u", "user_admin", "did", "37060000010"}},
		{"quickforwards_did_delete_none", didQFWorld, "quickforwards_did_delete", []string{"u", "user_admin", "did", "37060000011"}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("..", "testdata", "replies", tt.fixture+".xml"))
			require.NoError(t, err)
			srv := newSpecServer(t)
			if tt.setup != nil {
				tt.setup(t, srv)
			}
			_, body := post(t, srv, "/billing/api/"+tt.method, sign(tt.method, vals(tt.kv...), mortest.SpecSecret))
			assert.Equal(t, string(want), body)
		})
	}
}
