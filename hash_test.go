package mor

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sha1hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Spec §11: every golden vector, with secret "secret".
func TestHashGoldenVectors(t *testing.T) {
	tests := []struct {
		name   string
		method string
		params url.Values
		pre    string
		want   string
	}{
		{"1 cli_add non-numeric", "cli_add", url.Values{"u": {"admin"}, "device_id": {"2"}, "cli_number": {"abc"}},
			"2abc", "2a566cef7a150ec60e0b49f5ba46a09681504583"},
		{"2 cli_add with user_id", "cli_add", url.Values{"user_id": {"2"}, "device_id": {"2"}, "cli_number": {"123467"},
			"cli_description": {"d"}, "comment": {"c"}, "ivr_id": {"2"}},
			"22123467", "d00f619cda5b497d9e16a2d9e03749b4a7ee23e4"},
		{"3 cli_add banned", "cli_add", url.Values{"user_id": {"2"}, "device_id": {"2"}, "cli_number": {"1234678"},
			"banned": {"1"}, "ivr_id": {"2"}, "cli_description": {"x"}, "comment": {"y"}},
			"221234678", "d74247c3834e41c492d689f84882a6dbed2fa089"},
		{"4 wiki example", "cli_add", url.Values{"device_id": {"2"}, "cli_number": {"1234678"}, "cli_description": {"x"},
			"comment": {"y"}, "ivr_id": {"1"}, "banned": {"0"}, "test": {"1"}},
			"21234678", "1ba6df6ad2532aea7ca035be29b7dd63feb1df88"},
		{"5 cli_add lost u", "cli_add", url.Values{"device_id": {"7"}, "cli_number": {"12394767"}},
			"712394767", "2403ca550ac54b42ea4fc06c0ae2b702b3550684"},
		{"6 cli_delete", "cli_delete", url.Values{"cli_number": {"381372"}},
			"381372", "e588af702676fc48f73f52a61a61e5974b2ce90a"},
		{"7 cli_delete s_user", "cli_delete", url.Values{"u": {"reseller"}, "s_user": {"2"}, "cli_number": {"383370"}},
			"2383370", "83f9f78dd9df14217b92b0d9212b8a98de774e50"},
		{"8 cli_info_get", "cli_info_get", url.Values{"u": {"admin"}, "cli": {"123456"}},
			"", "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"},
		{"8 alias cli_get_info", "cli_get_info", url.Values{"cli": {"123456"}},
			"", "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"},
		{"8 device_clis_get", "device_clis_get", url.Values{"u": {"admin"}, "users_id": {"5"}, "devices_id": {"7"}},
			"", "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"},
		{"wiki cli_delete corrected", "cli_delete", url.Values{"cli_number": {"12345"}},
			"12345", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want == "" {
				want = sha1hex(tt.pre + "secret")
			}
			// The vector's own pre-image must produce the vector.
			require.Equal(t, sha1hex(tt.pre+"secret"), want, "vector self-check")
			assert.Equal(t, want, Hash(tt.method, tt.params, "secret"))
			assert.Equal(t, tt.pre, ExplainHash(tt.method, tt.params).Preimage(""))
		})
	}
	// Spec §10: the wiki's cli_delete example with secret 456789.
	assert.Equal(t, "b28e9d49cfa13e156c43591a42ccc1c20e13e800",
		Hash("cli_delete", url.Values{"cli_number": {"12345"}}, "456789"))
}

func TestHashKeysCLIMethods(t *testing.T) {
	tests := []struct {
		method string
		params url.Values
		want   []string
	}{
		{"cli_add", url.Values{"u": {"admin"}, "p": {"pw"}, "device_id": {"2"}, "cli_number": {"1"}, "cli_description": {"d"},
			"comment": {"c"}, "banned": {"1"}, "ivr_id": {"2"}, "cli_domain": {"x.example"}, "test": {"1"}},
			[]string{"device_id", "cli_number"}},
		{"cli_add", url.Values{"cli_number": {"1234"}}, []string{"cli_number"}},
		{"cli_delete", url.Values{"cli_number": {"1"}, "hash": {"x"}}, []string{"cli_number"}},
		{"cli_info_get", url.Values{"cli": {"1"}, "domain": {"d"}}, []string{}},
		{"cli_info_get", url.Values{"cli": {"1"}, "user_id": {"2"}}, []string{"user_id"}},
		{"device_clis_get", url.Values{"users_id": {"1"}, "devices_id": {"2"}}, []string{}},
		// Order comes from the global list, not from the map or alphabet.
		{"anything", url.Values{"cli_number": {"1"}, "id": {"2"}, "description": {"3"}, "user_id": {"4"}, "s_user": {"5"}, "status": {"6"}, "device_id": {"7"}},
			[]string{"user_id", "s_user", "description", "id", "status", "device_id", "cli_number"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, HashKeys(tt.method, tt.params), "%s %v", tt.method, tt.params)
	}
}

func TestHashFilters(t *testing.T) {
	tests := []struct {
		name   string
		method string
		params url.Values
		pre    string // what is hashed before the secret
	}{
		{"user_id leading zeros", "m", url.Values{"user_id": {"007"}}, "7"},
		{"user_id empty becomes 0", "m", url.Values{"user_id": {""}}, "0"},
		{"user_id zeros only", "m", url.Values{"user_id": {"000"}}, "0"},
		{"user_id not digits dropped", "m", url.Values{"user_id": {"2a"}}, ""},
		{"user_id negative dropped", "m", url.Values{"user_id": {"-2"}}, ""},
		{"period_start normalised", "m", url.Values{"period_start": {"0100"}, "period_end": {"0"}}, "1000"},
		{"tariff_id and only_did", "m", url.Values{"tariff_id": {"05"}, "only_did": {""}}, "5" + "0"},
		{"only_did dropped", "m", url.Values{"only_did": {"yes"}}, ""},
		{"empty plain key counts", "m", url.Values{"email": {""}, "cli_number": {"1"}}, "1"},
		{"direction ok", "m", url.Values{"direction": {"incoming"}}, "incoming"},
		{"direction bad", "m", url.Values{"direction": {"in"}}, ""},
		{"calltype ok", "m", url.Values{"calltype": {"missed_inc_all"}}, "missed_inc_all"},
		{"calltype bad", "m", url.Values{"calltype": {"ALL"}}, ""},
		{"device all", "m", url.Values{"device": {"all"}}, "all"},
		{"device digits kept as sent", "m", url.Values{"device": {"007"}}, "007"},
		{"s_provider bad", "m", url.Values{"s_provider": {"x"}}, ""},
		{"s_did empty passes", "m", url.Values{"s_did": {""}, "s_hgc": {"3"}}, "3"},
		{"balance ok", "m", url.Values{"balance": {"-1.5+"}}, "-1.5+"},
		{"balance bad", "m", url.Values{"balance": {"1,5"}}, ""},
		{"users prepaid", "m", url.Values{"users": {"prepaid"}}, "prepaid"},
		{"users list", "m", url.Values{"users": {"1,2,3"}}, "1,2,3"},
		{"users bad", "m", url.Values{"users": {"1;2"}}, ""},
		{"users line anchored", "m", url.Values{"users": {"x\n12"}}, "x\n12"},
		{"block contains", "m", url.Values{"block": {"untrue"}}, "untrue"},
		{"block bad", "m", url.Values{"block": {"1"}}, ""},
		{"mtype digits", "m", url.Values{"mtype": {"01"}}, "01"},
		{"s_user bad", "m", url.Values{"s_user": {"a"}, "s_user_id": {"x"}, "s_from": {"1"}, "s_till": {"2"}}, "12"},
		{"lcr_id any", "m", url.Values{"lcr_id": {"abc"}}, "abc"},
		{"number any", "m", url.Values{"number": {"x"}}, "x"},
		{"number card_from_group_sell", "card_from_group_sell", url.Values{"number": {"x"}, "name": {"n"}}, "n"},
		{"quirk fused name", "m", url.Values{"user_warning_email_hour": {"1"}, "pgui": {"2"}, "user_warning_email_hourpgui": {"3"}, "pcsv": {"4"}}, "4"},
		{"quirk device_callerid", "m", url.Values{"device_callerid": {"1"}, "device_calerid": {"2"}, "src_callerid": {"3"}}, "3"},
		{"quirk shipped_at", "m", url.Values{"shipped_at": {"1"}}, ""},
		{"repeated name keeps last", "m", url.Values{"cli_number": {"1", "2"}}, "2"},
		{"never u p test hash", "m", url.Values{"u": {"a"}, "p": {"b"}, "test": {"1"}, "hash": {"h"}}, ""},
		{"id from path is hashed", "m", url.Values{"id": {"9"}, "name": {"n"}}, "n9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, sha1hex(tt.pre+"secret"), Hash(tt.method, tt.params, "secret"))
			assert.Equal(t, tt.pre, ExplainHash(tt.method, tt.params).Preimage(""))
		})
	}
}

func TestHashFixedMethods(t *testing.T) {
	tests := []struct {
		method string
		params url.Values
		pre    string
	}{
		{"device_update", url.Values{"port": {"5060"}, "device": {"x"}, "host": {"h"}, "username": {"un"}, "authentication": {"a"}, "user_id": {"2"}}, "xaunh5060"},
		{"device_update", url.Values{"device": {"abc"}}, "abc"}, // raw: no global filter
		{"users_get", url.Values{"u": {"admin"}, "p": {"pw"}}, "adminpw"},
		{"quickstats_get", url.Values{"u": {"admin"}}, ""},
		{"quickstats_get", url.Values{"u": {"reseller"}}, "reseller"},
		{"quickstats_get", url.Values{"u": {"Admin"}}, "Admin"},
		{"subscriptions_get", url.Values{"u": {"admin"}, "user_id": {"3"}}, ""},
		{"calling_cards_create", url.Values{"cards_till": {"9"}, "card_group_id": {"1"}, "cards_from": {"2"}}, "129"},
		{"subscription_delete", url.Values{"subscription_delete_action": {"x"}, "subscription_id": {"0"}}, "0x"},
		{"user_sms_service_subscribe", url.Values{"user_id": {"007"}, "sms_tariff_id": {"1"}}, "0071"}, // raw in fixed path
	}
	for _, tt := range tests {
		assert.Equal(t, sha1hex(tt.pre+"secret"), Hash(tt.method, tt.params, "secret"), "%s %v", tt.method, tt.params)
		e := ExplainHash(tt.method, tt.params)
		assert.Equal(t, HashRuleFixed, e.Rule)
		assert.Equal(t, tt.pre, e.Preimage(""))
	}
}

func TestHashOrderTable(t *testing.T) {
	require.Len(t, globalHashOrder, 209)
	seen := map[string]bool{}
	for _, k := range globalHashOrder {
		require.False(t, seen[k], "duplicate %s", k)
		seen[k] = true
	}
	// Positions the spec calls out (1-based).
	for k, pos := range map[string]int{"user_id": 1, "s_user": 92, "description": 102, "id": 131, "status": 135, "device_id": 187, "cli_number": 206, "service_id": 209} {
		assert.Equal(t, k, globalHashOrder[pos-1])
	}
	for _, k := range []string{"u", "p", "test", "hash", "cli", "cli_description", "comment", "banned", "ivr_id", "cli_domain", "domain", "users_id", "devices_id"} {
		assert.False(t, seen[k], "%s must not be in the order", k)
	}
}

func TestHashManyParams(t *testing.T) {
	// More than maxStackParams hashed parameters: the heap fallback keeps the order.
	params := url.Values{}
	pre := ""
	n := 0
	for _, k := range globalHashOrder {
		if keyFilters[k] != filterAny {
			continue
		}
		v := fmt.Sprintf("v%d.", n)
		params.Set(k, v)
		pre += v
		n++
	}
	require.Greater(t, n, 2*maxStackParams)
	assert.Equal(t, sha1hex(pre+"secret"), Hash("m", params, "secret"))
	assert.Equal(t, pre, ExplainHash("m", params).Preimage(""))
}

func TestExplainHashReasons(t *testing.T) {
	e := ExplainHash("cli_add", url.Values{"u": {"admin"}, "device_id": {"2"}, "cli_number": {"5"}, "user_id": {"x"}, "pgui": {"1"}, "device_callerid": {"1"}, "hash": {"h"}})
	assert.Equal(t, HashRuleGlobal, e.Rule)
	assert.Equal(t, []HashPart{{Key: "device_id", Sent: "2", Value: "2"}, {Key: "cli_number", Sent: "5", Value: "5"}}, e.Hashed)
	reasons := map[string]string{}
	for _, d := range e.Dropped {
		reasons[d.Key] = d.Reason
	}
	assert.Contains(t, reasons["user_id"], "digits only")
	assert.Contains(t, reasons["pgui"], "fused")
	assert.Contains(t, reasons["device_callerid"], "device_calerid")
	assert.Contains(t, reasons["u"], "not in the server's global hash order")
	assert.Contains(t, reasons["hash"], "never hashed")
	assert.Equal(t, "25<secret>", e.Preimage("<secret>"))

	q := ExplainHash("quickstats_get", url.Values{"u": {"admin"}})
	require.Len(t, q.Dropped, 1)
	assert.Contains(t, q.Dropped[0].Reason, "admin")
}

func BenchmarkHash(b *testing.B) {
	cases := map[string]url.Values{
		"cli_add":         {"u": {"admin"}, "device_id": {"2"}, "cli_number": {"37060000001"}, "cli_description": {"desk"}, "comment": {"c"}, "banned": {"0"}},
		"cli_delete":      {"u": {"admin"}, "cli_number": {"37060000001"}},
		"cli_info_get":    {"u": {"admin"}, "cli": {"37060000001"}},
		"device_clis_get": {"u": {"admin"}, "users_id": {"2"}, "devices_id": {"2"}},
	}
	global20 := url.Values{"u": {"admin"}}
	for _, k := range globalHashOrder[100:120] {
		global20.Set(k, "value-"+k)
	}
	cases["global_20_params"] = global20
	for name, params := range cases {
		method := name
		if name == "global_20_params" {
			method = "payments_get"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Hash(method, params, "secret")
			}
		})
	}
}

// Hash fidelity: alias routes, names with no values, the api_path admin
// exception. Each SHA-1 was computed independently with
// printf '%s' PREIMAGE | sha1sum, secret "secret".
func TestHashFidelityVectors(t *testing.T) {
	tests := []struct {
		name   string
		method string
		params url.Values
		want   string
	}{
		// Alias routes hash as their action.
		{"buy_card_from_callingroup drops number", "buy_card_from_callingroup", url.Values{"number": {"0"}},
			"e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"}, // "secret"
		{"card_from_group_sell drops number", "card_from_group_sell", url.Values{"number": {"0"}},
			"e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"},
		{"buy_card_from_callingroup id quantity number", "buy_card_from_callingroup", url.Values{"id": {"5"}, "quantity": {"3"}, "number": {"9"}},
			"fdf5e74726c446fabe5d8e0c1140bd102134b473"}, // "53secret"
		{"card_balance_get keeps number", "card_balance_get", url.Values{"number": {"0"}},
			"60fc593f766e7412c1059da8847ef755cef541a3"}, // "0secret"
		{"balance as user_balance_get", "balance", url.Values{"currency": {"USD"}, "username": {"bob"}},
			"259850df40ddc9eed1a9062e6985c054ed384094"}, // "bobUSDsecret"
		{"device_destroy as device_delete", "device_destroy", url.Values{"device": {"7"}},
			"c1b046000bef3cde3ab96dc8f51d516878a29432"}, // "7secret"
		{"did_assign_device as did_device_assign", "did_assign_device", url.Values{"did": {"370"}, "device_id": {"3"}},
			"393e2ad84c37bb4462e90754279d31de4fcb1b40"}, // "3370secret"
		{"get_version secret only", "get_version", url.Values{"u": {"admin"}},
			"e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"},
		// A name with no values is not sent, so it is not hashed.
		{"global: empty user_id not hashed", "cli_info_get", url.Values{"user_id": {}},
			"e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"}, // not "0secret"
		{"global: empty period_start not hashed", "user_calls_get", url.Values{"period_start": {}, "period_end": {"5"}},
			"d303ad2eaef52ff1993350cf96ca3fecbadf78ce"}, // "5secret"
		{"fixed: empty p not hashed", "users_get", url.Values{"u": {"bob"}, "p": {}},
			"bb20f63bb59e0455a4c09b19bd12540161ff7726"}, // "bobsecret"
		// api_path naming quickstats_get empties a fixed list when u is admin.
		{"api_path empties device_update list", "device_update", url.Values{"u": {"admin"}, "device": {"5"}, "api_path": {"api/quickstats_get"}},
			"e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"},
		{"api_path with another user", "device_update", url.Values{"u": {"bob"}, "device": {"5"}, "api_path": {"quickstats_get"}},
			"d303ad2eaef52ff1993350cf96ca3fecbadf78ce"},
		{"api_path naming another method", "device_update", url.Values{"u": {"admin"}, "device": {"5"}, "api_path": {"users_get"}},
			"d303ad2eaef52ff1993350cf96ca3fecbadf78ce"},
		{"api_path on a global method is not hashed", "device_delete", url.Values{"u": {"admin"}, "device": {"5"}, "api_path": {"quickstats_get"}},
			"d303ad2eaef52ff1993350cf96ca3fecbadf78ce"},
		{"quickstats_get admin", "quickstats_get", url.Values{"u": {"admin"}},
			"e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Hash(tc.method, tc.params, "secret"))
			// ExplainHash agrees with Hash.
			assert.Equal(t, tc.want, sha1hex(ExplainHash(tc.method, tc.params).Preimage("secret")))
		})
	}
}

func TestHashAliasesFollowTheirAction(t *testing.T) {
	params := url.Values{"user_id": {"007"}, "number": {"12"}, "id": {"4"}, "username": {"x"}, "device": {"all"}}
	for _, mi := range Methods() {
		if mi.Name == mi.Action {
			continue
		}
		assert.Equal(t, Hash(mi.Action, params, "k"), Hash(mi.Name, params, "k"), mi.Name)
		assert.Equal(t, HashKeys(mi.Action, params), HashKeys(mi.Name, params), mi.Name)
		assert.Equal(t, mi.Action, ExplainHash(mi.Name, params).Method, mi.Name)
	}
}

func TestExplainHashNoValue(t *testing.T) {
	e := ExplainHash("cli_add", url.Values{"user_id": {}, "device_id": {"2"}})
	assert.Equal(t, []string{"device_id"}, HashKeys("cli_add", url.Values{"user_id": {}, "device_id": {"2"}}))
	require.Len(t, e.Dropped, 1)
	assert.Equal(t, "user_id", e.Dropped[0].Key)
	assert.Contains(t, e.Dropped[0].Reason, "not sent")

	e = ExplainHash("device_update", url.Values{"u": {"admin"}, "device": {"5"}, "api_path": {"quickstats_get"}})
	assert.Empty(t, e.Hashed)
	assert.Equal(t, HashRuleFixed, e.Rule)
	for _, d := range e.Dropped {
		assert.Contains(t, d.Reason, "emptied", d.Key)
	}
}

// The hash sent is the hash of what is sent: a name with no values is left
// out of the body and out of the hash.
func TestHashOfWhatIsSent(t *testing.T) {
	c, mt := newMockClient(t)
	var bodies []url.Values
	mt.RegisterResponder(http.MethodPost, testBase+"/api/user_calls_get", func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		form, err := url.ParseQuery(string(b))
		if err != nil {
			return nil, err
		}
		bodies = append(bodies, form)
		return httpmock.NewStringResponse(200, "<page><calls_stat/></page>"), nil
	})
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_get_info", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(b))
		bodies = append(bodies, form)
		return httpmock.NewStringResponse(200, "<page><cli/></page>"), err
	})
	ctx := context.Background()
	require.NoError(t, c.Call(ctx, "user_calls_get", url.Values{"period_start": {}, "period_end": {"5"}, "user_id": {}}, nil))
	require.NoError(t, c.Call(ctx, "cli_get_info", url.Values{"user_id": {"002"}, "cli": {"1"}}, nil))
	require.Len(t, bodies, 2)

	sent := bodies[0]
	assert.NotContains(t, sent, "period_start")
	assert.NotContains(t, sent, "user_id")
	hash := sent.Get("hash")
	sent.Del("hash")
	assert.Equal(t, sha1hex("5"+testSecret), hash, "only period_end is sent, so only it is hashed")
	assert.Equal(t, Hash("user_calls_get", sent, testSecret), hash, "recomputed from the body as received")

	// The alias route is signed as cli_info_get: user_id integer-normalised.
	sent = bodies[1]
	hash = sent.Get("hash")
	sent.Del("hash")
	assert.Equal(t, sha1hex("2"+testSecret), hash)
	assert.Equal(t, Hash("cli_info_get", sent, testSecret), hash)
}
