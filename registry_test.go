package mor

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The alias routes of the server's routes file, copied by hand from the
// index of actions.
var wantAliases = map[string]string{
	"balance": "user_balance_get", "invoices": "invoices_get",
	"buy_card_from_callingroup": "card_from_group_sell", "login": "user_login", "logout": "user_logout",
	"callback": "callback_init", "ma_activate": "monitoring_addon_activate",
	"cc_by_cli": "card_by_cli_update", "payments_list": "payments_get",
	"cli_get_info": "cli_info_get", "phonebooks": "phonebooks_get",
	"create_payment": "payment_create", "rate": "rate_get",
	"credit_notes": "credit_notes_get", "send_email": "email_send", "send_sms": "sms_send",
	"device_destroy": "device_delete", "show_calling_card_group": "card_group_get",
	"device_list": "devices_get", "simple_balance": "user_simple_balance_get",
	"did_assign_device": "did_device_assign", "did_unassign_device": "did_device_unassign",
	"user_balance_change": "user_balance_update", "financial_statements": "financial_statements_get",
	"user_calls": "user_calls_get", "user_details": "user_details_get",
	"get_tariff": "tariff_rates_get", "user_update_api": "user_details_update",
	"get_version": "system_version_get", "wholesale_tariff": "tariff_wholesale_update",
	"import_tariff_retail": "tariff_retail_import",
}

func TestRegistryShape(t *testing.T) {
	all := Methods()
	require.True(t, sort.SliceIsSorted(all, func(i, j int) bool { return all[i].Name < all[j].Name }), "sorted by name")

	actions := map[string]MethodInfo{}
	aliases := map[string]string{}
	for _, mi := range all {
		if mi.Name == mi.Action {
			actions[mi.Name] = mi
		} else {
			aliases[mi.Name] = mi.Action
		}
	}
	assert.Len(t, actions, 92, "91 actions and the dead monitoring_addon_activate route")
	assert.Len(t, aliases, 31)
	assert.Equal(t, wantAliases, aliases)
	for a, target := range aliases {
		ti, ok := actions[target]
		require.True(t, ok, "alias %s → %s: no such action", a, target)
		ai, _ := LookupMethod(a)
		assert.Equal(t, ti.Group, ai.Group, a)
		assert.Equal(t, ti.Kind, ai.Kind, a)
		assert.Equal(t, ti.Hash, ai.Hash, a)
	}
	_, catchAll := LookupMethod("api")
	assert.False(t, catchAll)

	groups := map[string]bool{GroupUsers: true, GroupDevices: true, GroupCLIs: true, GroupDIDs: true, GroupTariffs: true,
		GroupMoney: true, GroupCalls: true, GroupCallback: true, GroupPhonebooks: true, GroupCards: true, GroupSMS: true,
		GroupServices: true, GroupSystem: true}
	perGroup := map[string]int{}
	kinds := map[MethodKind]int{}
	modes := map[HashMode]int{}
	legacy, large := 0, 0
	for name, mi := range actions {
		require.True(t, groups[mi.Group], "%s: group %q", name, mi.Group)
		require.Contains(t, []MethodKind{KindRead, KindWrite, KindMoney}, mi.Kind, name)
		require.Contains(t, []HashMode{HashGlobal, HashFixed, HashNone}, mi.Hash, name)
		if mi.Hash == HashFixed {
			assert.NotNil(t, mi.FixedKeys, "%s: fixed method without its key list", name)
			assert.Equal(t, mi.FixedKeys, fixedHashKeys[name], "%s: hash.go's table is the registry's", name)
		} else {
			assert.Nil(t, mi.FixedKeys, name)
			assert.NotContains(t, fixedHashKeys, name)
		}
		if name == "monitoring_addon_activate" {
			continue // not counted by the index
		}
		perGroup[mi.Group]++
		kinds[mi.Kind]++
		modes[mi.Hash]++
		if mi.Legacy {
			legacy++
			assert.Equal(t, HashNone, mi.Hash, name)
			assert.Equal(t, KindRead, mi.Kind, name)
		}
		if mi.Large {
			large++
		}
	}
	// The index's counts of the 91 actions.
	assert.Equal(t, map[MethodKind]int{KindRead: 41, KindWrite: 38, KindMoney: 12}, kinds)
	assert.Equal(t, map[HashMode]int{HashFixed: 18, HashGlobal: 58, HashNone: 15}, modes)
	assert.Equal(t, map[string]int{GroupUsers: 8, GroupDevices: 9, GroupCLIs: 4, GroupDIDs: 9, GroupTariffs: 6,
		GroupMoney: 17, GroupCalls: 5, GroupCallback: 1, GroupPhonebooks: 4, GroupCards: 12, GroupSMS: 3,
		GroupServices: 9, GroupSystem: 4}, perGroup)
	assert.Equal(t, 9, legacy)
	assert.Equal(t, 12, large)
	assert.Len(t, fixedHashKeys, 18)
	assert.Len(t, methodAliases, 31)
}

func TestRegistryEntries(t *testing.T) {
	mi, ok := LookupMethod("login")
	require.True(t, ok)
	assert.Equal(t, MethodInfo{Name: "login", Action: "user_login", Group: GroupUsers, Kind: KindWrite, Hash: HashNone,
		Success: []string{"ok"}, Calls: []string{"Users.Login"}}, mi)

	mi, ok = LookupMethod("subscription_delete")
	require.True(t, ok)
	assert.Equal(t, KindMoney, mi.Kind)
	assert.Equal(t, []string{"subscription_id", "subscription_delete_action"}, mi.FixedKeys)
	assert.Equal(t, []string{"Subscription deleted", "Subscription disabled", "Subscription deleted and money returned"}, mi.Success)

	mi, _ = LookupMethod("recordings_get")
	assert.Equal(t, []string{}, mi.FixedKeys, "secret only")
	assert.True(t, mi.Large)
	assert.Nil(t, mi.Success, "a data reply is not checked")

	mi, _ = LookupMethod("calling_cards_create")
	assert.Nil(t, mi.Success)
	assert.Equal(t, []string{"Cards created: "}, mi.SuccessPrefixes)
	mi, _ = LookupMethod("device_create")
	assert.Equal(t, []string{"Device created <br> "}, mi.SuccessPrefixes)

	mi, _ = LookupMethod("main_page")
	assert.True(t, mi.Legacy)
	assert.Equal(t, KindRead, mi.Kind)

	for name, want := range map[string]string{
		"cli_add": "CLI successfully created", "user_details_update": "User was updated", "device_create": "Device created",
		"device_update": "Device successfully updated", "user_register": "Registration successful",
		"pbx_pool_create": "PBX Pool was succesfully created", "voucher_use": "Voucher used to update balance",
	} {
		mi, ok := LookupMethod(name)
		require.True(t, ok, name)
		assert.Contains(t, mi.Success, want, name)
	}

	_, ok = LookupMethod("user_delete") // newer MOR only
	assert.False(t, ok)

	// Results are copies.
	mi, _ = LookupMethod("device_update")
	mi.FixedKeys[0], mi.Success[0] = "x", "x"
	all := Methods()
	all[0].Name = "x"
	mi, _ = LookupMethod("device_update")
	assert.Equal(t, "device", mi.FixedKeys[0])
	assert.Equal(t, "Device successfully updated", mi.Success[0])
	assert.NotEqual(t, "x", Methods()[0].Name)

	assert.Equal(t, "read", KindRead.String())
	assert.Equal(t, "write", KindWrite.String())
	assert.Equal(t, "money", KindMoney.String())
	assert.Equal(t, "MethodKind(0)", MethodKind(0).String())
	assert.Equal(t, "global", HashGlobal.String())
	assert.Equal(t, "fixed", HashFixed.String())
	assert.Equal(t, "none", HashNone.String())
	assert.Equal(t, "HashMode(9)", HashMode(9).String())
}

// Only registry reads are retried: aliases of reads and legacy readers are,
// unknown names (even ending in _get) and writes are not.
func TestRetriesFollowTheRegistry(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		method string
		tries  int
	}{
		{"cli_get_info", 3}, {"main_page", 3}, {"users_get", 3},
		{"newer_thing_get", 1}, {"login_form_x", 1}, {"user_login", 1}, {"callback", 1}, {"device_update", 1},
	} {
		c, mt := newMockClient(t, WithRetries(2, time.Millisecond))
		mt.RegisterResponder(http.MethodPost, testBase+"/api/"+tc.method, responder(503, nil, nil))
		err := c.Call(ctx, tc.method, nil, nil)
		var he *HTTPError
		require.ErrorAs(t, err, &he, tc.method)
		assert.Equal(t, tc.tries, mt.GetTotalCallCount(), tc.method)
	}
}

// A failed read is never in doubt; a failed write or unknown method is, once
// the request may have been sent.
func TestInDoubtReadsNeverInDoubt(t *testing.T) {
	ctx := context.Background()
	c, mt := newMockClient(t)
	for _, body := range [][]byte{nil, []byte("\x00garbage"), []byte("<page><status>Unsuccessful</status></page>")} {
		for _, m := range []string{"cli_info_get", "cli_get_info", "device_clis_get", "user_devices", "cli_add", "newer_thing", "device_update"} {
			mt.RegisterResponder(http.MethodPost, testBase+"/api/"+m, responder(200, body, nil))
		}
		_, err := c.CLIs.Info(ctx, "1")
		require.Error(t, err)
		assert.False(t, InDoubt(err), "CLIInfo %q", body)
		_, err = c.CLIs.List(ctx, DeviceCLIsParams{})
		require.Error(t, err)
		assert.False(t, InDoubt(err), "DeviceCLIs %q", body)
		for _, m := range []string{"cli_get_info", "user_devices"} {
			err := c.Call(ctx, m, nil, new(struct{ X int }))
			if err != nil {
				assert.False(t, InDoubt(err), "%s %q", m, body)
			}
		}
		for _, m := range []string{"cli_add", "newer_thing", "device_update"} {
			err := c.Call(ctx, m, nil, nil)
			if len(body) > 0 && body[0] == '<' && m == "newer_thing" {
				assert.NoError(t, err, "data replies of unknown methods are not checked")
				continue
			}
			require.Error(t, err, m)
			assert.True(t, InDoubt(err), "%s %q: %v", m, body, err)
		}
	}
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_info_get", responder(502, nil, nil))
	_, err := c.CLIs.Info(ctx, "1")
	assert.False(t, InDoubt(err), "a proxy error on a read")
	assert.ErrorIs(t, withMethod("cli_info_get", ErrEmptyResponse), ErrEmptyResponse)
	assert.Equal(t, "mor: cli_info_get: empty response body", withMethod("cli_info_get", ErrEmptyResponse).Error())
	assert.False(t, InDoubt(withMethod("cli_info_get", ErrEmptyResponse)))
	assert.True(t, InDoubt(withMethod("cli_add", ErrEmptyResponse)))
	assert.True(t, InDoubt(ErrEmptyResponse), "no method known: in doubt")
}

// The five replies that the old check took for success, and some more.
var notSuccess = []struct{ name, body string }{
	{"Unsuccessful", "<page><status>Unsuccessful</status></page>"},
	{"not successfully created", "<page><status>CLI was not successfully created</status></page>"},
	{"unsuccessful in success", "<page><status><success>unsuccessful: database locked</success></status></page>"},
	{"other root", "<response><code>500</code><status>success=false</status></response>"},
	{"HTML page", "<html><body><status>Login successful</status></body></html>"},
	{"other method's text", "<page><status><success>CLI successfully deleted</success></status></page>"},
	{"empty status", "<page><status>\n  </status></page>"},
	{"right text, wrong root", "<status><success>CLI successfully created</success></status>"},
	{"success outside status", "<page><success>CLI successfully created</success></page>"},
}

func TestCLIWritesNeedTheirSuccessText(t *testing.T) {
	ctx := context.Background()
	for _, tc := range notSuccess {
		for _, call := range []struct {
			method string
			do     func(*Client) error
		}{
			{"cli_add", func(c *Client) error { return c.CLIs.Add(ctx, AddCLIParams{DeviceID: 2, CLINumber: "1"}) }},
			{"cli_delete", func(c *Client) error { return c.CLIs.Delete(ctx, "1") }},
		} {
			body := tc.body
			if call.method == "cli_delete" && tc.name == "other method's text" {
				body = "<page><status><success>CLI successfully created</success></status></page>"
			}
			c, mt := newMockClient(t)
			mt.RegisterResponder(http.MethodPost, testBase+"/api/"+call.method, responder(200, []byte(body), nil))
			err := call.do(c)
			require.ErrorIs(t, err, ErrUnexpectedResponse, "%s %s", call.method, tc.name)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, call.method, pe.Method)
			assert.True(t, InDoubt(err))
		}
	}
}

func TestSuccessTextIsKeptScrubbed(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add",
		responder(200, []byte("<page><status>Unsuccessful: key "+testSecret+" rejected</status></page>"), nil))
	err := c.CLIs.Add(context.Background(), AddCLIParams{DeviceID: 2, CLINumber: "1"})
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Snippet, "Unsuccessful: key")
	assert.NotContains(t, err.Error(), testSecret)
	assert.Contains(t, err.Error(), "Unsuccessful")
}

func TestCLIWritesAcceptEveryKnownForm(t *testing.T) {
	ctx := context.Background()
	for _, body := range []string{
		"<page><status><success>CLI successfully created</success></status></page>",
		"<page><status>CLI successfully created</status></page>",
		"<page>\n  <status>\n    <success> CLI successfully created\n</success>\n  </status>\n</page>",
		"<html><body><page><status>CLI successfully created</status></page></body></html>",
	} {
		c, mt := newMockClient(t)
		mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(200, []byte(body), nil))
		assert.NoError(t, c.CLIs.Add(ctx, AddCLIParams{DeviceID: 2, CLINumber: "1"}), body)
	}
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_delete", responder(200, readReply(t, "cli_delete_success_wiki_2014.xml"), nil))
	assert.NoError(t, c.CLIs.Delete(ctx, "1"))
}

func TestCallChecksSuccessTexts(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		method, body string
		ok           bool
	}{
		{"device_update", "<page><status><success>Device successfully updated</success></status></page>", true},
		{"device_update", "<page><status>\n</status></page>", false},
		{"device_update", "<page><status>Unsuccessful</status></page>", false},
		{"user_details_update", "<page><status>User was updated</status></page>", true},
		{"user_update_api", "<page><status>User was updated</status></page>", true},
		{"user_update_api", "<page><status>User was not saved</status></page>", false},
		{"device_create", "<page><status>Device created</status><id>8</id></page>", true},
		{"device_create", "<page><status>Device created &lt;br&gt; Callshop notice</status><id>8</id></page>", true},
		{"device_create", "<page><status>Device created later</status></page>", false},
		{"user_balance_update", "<page><page><status>User balance updated</status><user><id>2</id></user></page></page>", true},
		{"voucher_use", "<page><status><status>Voucher used to update balance</status><voucher_id>2</voucher_id></status></page>", true},
		{"calling_cards_create", "<page><status><status>Cards created: 5/5</status></status></page>", true},
		{"calling_cards_create", "<page><status><status>Cards created: </status></status></page>", false},
		{"cc_group_create", "<page><status><status>Card Group was not saved</status></status></page>", false}, // an unknown text; "Card Group must have name" is a known refusal (ErrInvalidParams)
		{"subscription_delete", "<page><status><success>Subscription disabled</success></status></page>", true},
		{"subscription_delete", "<page><status><success>Subscription deleted and money returned</success></status></page>", true},
		{"payment_create", "<page><response><status>ok</status><payment currency=\"USD\"><payment_id>1</payment_id></payment></response></page>", true},
		{"payment_create", "<page><response><status>pending?</status></response></page>", false},
		{"callback", "<Status>Ok</Status>", true},
		{"callback_init", "<Status>Bad device</Status>", false},
		{"login", "<action><name>login</name><status>ok</status><user_id>0</user_id></action>", true},
		{"user_login", "<action><name>login</name><status>failed</status></action>", false},
		{"tariff_wholesale_update", "<page><status>ok</status><tariff_id>7</tariff_id></page>", true},
		// ("DID was not saved" in that place is a known error text, an *APIError.)
		{"did_subscription_stop", "<page><status><status>DID was not closed</status></status></page>", false},
		// Data replies are not checked.
		{"users_get", "<page><status><users/></status></page>", true},
		{"newer_method", "<page><status>Unsuccessful</status></page>", true},
	}
	for _, tc := range tests {
		c, mt := newMockClient(t)
		mt.RegisterResponder(http.MethodPost, testBase+"/api/"+tc.method, responder(200, []byte(tc.body), nil))
		var raw []byte
		err := c.Call(ctx, tc.method, nil, &raw)
		if tc.ok {
			assert.NoError(t, err, "%s %s", tc.method, tc.body)
			assert.Equal(t, tc.body, string(raw))
		} else {
			assert.ErrorIs(t, err, ErrUnexpectedResponse, "%s %s", tc.method, tc.body)
			assert.Nil(t, raw)
		}
	}
	// An <error> still wins.
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, testBase+"/api/device_update",
		responder(200, []byte("<page><status><error>Password is too short</error><success>Device successfully updated</success></status></page>"), nil))
	var apiErr *APIError
	require.ErrorAs(t, c.Call(ctx, "device_update", nil, nil), &apiErr)
	assert.Equal(t, "Password is too short", apiErr.Message)
}

func TestCallRefusesBracketNames(t *testing.T) {
	c, mt := newMockClient(t)
	for _, k := range []string{"a[b]", "ids[]", "x]", "[y"} {
		err := c.Call(context.Background(), "user_details_update", url.Values{"user_id": {"2"}, k: {"1"}}, nil)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, k)
		assert.Equal(t, k, ve.Field)
		assert.True(t, errors.Is(err, ErrBracketParam))
		assert.False(t, InDoubt(err))
	}
	assert.Zero(t, mt.GetTotalCallCount())
}
