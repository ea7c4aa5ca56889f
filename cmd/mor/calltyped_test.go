package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// Every action the SDK types prints typed JSON from mor call, or is listed,
// with its reason, among the few that stay generic: a newly typed method
// cannot be forgotten.
func TestCallTypedJSONCoversEveryTypedAction(t *testing.T) {
	actions := typedActions()
	assert.NotEmpty(t, actions)
	for _, a := range actions {
		_, typed := typedJSON[a]
		_, generic := genericJSON[a]
		assert.True(t, typed || generic, "mor call -o json has no typed printer for %s and it is not in genericJSON", a)
		assert.False(t, typed && generic, "%s is both typed and in genericJSON", a)
	}
	for a, why := range genericJSON {
		m, ok := mor.LookupMethod(a)
		assert.True(t, ok && len(m.Calls) > 0, "genericJSON lists %s, which the SDK does not type", a)
		assert.NotEmpty(t, why, "genericJSON %s gives no reason", a)
	}
	for a := range typedJSON {
		m, ok := mor.LookupMethod(a)
		assert.True(t, ok && len(m.Calls) > 0 && m.Action == a, "typedJSON has %s, not a typed action", a)
	}
}

// Every typed printer passes the SDK's local checks with its dummy
// arguments: replayed over a reply the SDK refuses, none fails as a
// ValidationError (which would mean the replay can never print).
func TestCallTypedJSONDummyArgumentsAreValid(t *testing.T) {
	for a, f := range typedJSON {
		err := f(context.Background(), replayClient([]byte("<page><status>not a reply</status></page>")),
			callArgs{params: url.Values{}}, io.Discard)
		var ve *mor.ValidationError
		assert.False(t, errors.As(err, &ve), "%s: %v", a, err)
	}
}

// mor call METHOD -o json prints exactly what the group command's -o json
// prints for the same request: records with typed fields, one shape.
func TestCallTypedJSONMatchesGroupCommands(t *testing.T) {
	f := newFake(t)
	g := f.AddDestinationGroup(mortest.DestinationGroup{Name: "Lithuania"})
	f.AddDestination(mortest.Destination{Prefix: "370", Name: "Lithuania", DestinationGroupID: g})
	r0 := f.AddRate(mortest.Rate{TariffID: 2, DestinationGroupID: g, Prefix: "370"})
	f.AddARateDetail(mortest.ARateDetail{RateID: r0, Price: "0.00001", Duration: -1, ArType: "minute"})
	f.SetConfline(0, "Devices_Check_Rate", mortest.Confline{Value: "1"})
	env := f.env("MOR_PASSWORD=admin1")
	r := runMor(t, env, "call", "phonebook_record_create", "user_id=2", "name=Desk", "number=37060000777", "speeddial=77", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	assert.JSONEq(t, `{"success":true}`, r.stdout)
	for _, tc := range []struct {
		group, call []string
	}{
		{[]string{"user", "list"}, []string{"users_get"}},
		{[]string{"user", "get", "--id", "2"}, []string{"user_details_get", "user_id=2"}},
		{[]string{"device", "list", "--user", "2"}, []string{"devices_get", "user_id=2"}},
		{[]string{"device", "get", "--device", "4"}, []string{"device_details_get", "device_id=4"}},
		{[]string{"device", "get", "--device", "4", "--show-secrets"}, []string{"device_details_get", "device_id=4", "--show-secrets"}},
		{[]string{"did", "list"}, []string{"dids_get"}},
		{[]string{"phonebook", "list", "--user", "2"}, []string{"phonebooks_get", "user_id=2"}},
		{[]string{"service", "list"}, []string{"services_get"}},
		{[]string{"subscription", "list"}, []string{"subscriptions_get"}},
		{[]string{"balance", "get", "--account", "user_admin"}, []string{"user_balance_get", "username=user_admin"}},
		{[]string{"rate", "get", "--account", "user_admin", "--number", "37061"}, []string{"rate_get", "username=user_admin", "prefix=37061"}},
		{[]string{"card", "groups"}, []string{"cc_groups_get"}},
		{[]string{"card", "group", "--id", "1"}, []string{"card_group_get", "id=1"}},
	} {
		want := runMor(t, env, append(tc.group, "-o", "json")...)
		require.Equal(t, 0, want.code, "%v: %s", tc.group, want.stderr)
		got := runMor(t, env, append(append([]string{"call"}, tc.call...), "-o", "json")...)
		require.Equal(t, 0, got.code, "%v: %s", tc.call, got.stderr)
		assert.Equal(t, want.stdout, got.stdout, "mor call %v", tc.call)
		assert.NotEqual(t, "[]\n", got.stdout, "%v: the world has records for it", tc.call)
	}
}

// The records carry typed fields, secrets are masked unless --show-secrets,
// and an alias route prints as its action.
func TestCallTypedJSONRecords(t *testing.T) {
	f := newFake(t)
	env := f.env("MOR_PASSWORD=admin1")
	r := runMor(t, env, "call", "users_get", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var users []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &users), r.stdout)
	require.NotEmpty(t, users)
	for _, u := range users {
		assert.IsType(t, float64(0), u["id"], "id is a number")
		assert.IsType(t, "", u["balance"], "balance is an exact decimal string")
		assert.IsType(t, false, u["blocked"])
	}

	r = runMor(t, env, "call", "device_details_get", "device_id=4", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var dev map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &dev), r.stdout)
	assert.Equal(t, deviceMasked, dev["secret"])
	raw := runMor(t, env, "call", "device_details_get", "device_id=4")
	require.Equal(t, 0, raw.code, raw.stderr)
	assert.Regexp(t, `<secret>[^<]+</secret>`, raw.stdout, "the XML reply itself is printed as received")
	r = runMor(t, env, "call", "device_details_get", "device_id=4", "-o", "json", "--show-secrets")
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &dev), r.stdout)
	assert.NotEqual(t, deviceMasked, dev["secret"])
	assert.Regexp(t, `<secret>\s*`+dev["secret"].(string)+`\s*</secret>`, raw.stdout)

	// Writes print {"success":true}; an alias answers as its action.
	r = runMor(t, env, "device", "create", "--user", "2", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var created struct {
		ID string `json:"id"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &created), r.stdout)
	r = runMor(t, env, "call", "device_destroy", "device="+created.ID, "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	assert.JSONEq(t, `{"success":true}`, r.stdout)
	r = runMor(t, env, "call", "device_details_get", "device_id="+created.ID, "-o", "json")
	assert.Equal(t, exitError, r.code, "the device is gone")
}

// Writes with typed fields print them beside the success, secrets masked.
func TestCallTypedJSONWritesWithFields(t *testing.T) {
	f := newFake(t)
	env := f.env()
	r := runMor(t, env, "call", "did_create", "did=37060000009", "provider_id=1", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var did struct {
		Success bool   `json:"success"`
		ID      int64  `json:"id"`
		Number  string `json:"number"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &did), r.stdout)
	assert.True(t, did.Success)
	assert.Equal(t, "37060000009", did.Number)
	assert.Positive(t, did.ID)

	r = runMor(t, env, "call", "device_create", "user_id=2", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var dev map[string]string
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &dev), r.stdout)
	assert.Equal(t, deviceMasked, dev["password"])
	assert.NotEmpty(t, dev["id"])
	assert.NotEmpty(t, dev["username"])

	r = runMor(t, env, "call", "payment_create", "user_id=2", "p_currency=USD", "amount=2.5", "transaction=T-1", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var pay map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &pay), r.stdout)
	assert.Equal(t, "T-1", pay["transaction"])
	assert.IsType(t, "", pay["amount"], "money is an exact decimal string")
	assert.IsType(t, float64(0), pay["payment_id"])

	r = runMor(t, env, "call", "user_balance_update", "user_id=2", "balance=3.5", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var bal map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &bal), r.stdout)
	assert.Equal(t, true, bal["success"])
	assert.Equal(t, float64(2), bal["user_id"])
	assert.IsType(t, "", bal["balance"])
	assert.NotEmpty(t, bal["username"])

	r = runMor(t, env, "call", "system_version_get", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var v map[string]string
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &v), r.stdout)
	assert.Contains(t, v, "version")
}

// A card sold through mor call prints its PIN masked unless --show-secrets;
// the generic conversion (no -o json) still prints the reply as received.
func TestCallTypedJSONCardPIN(t *testing.T) {
	for _, tc := range []struct {
		flags []string
		pin   string
	}{{nil, "[PIN hidden]"}, {[]string{"--show-secrets"}, "7856"}} {
		f := newFake(t)
		r := runMor(t, f.env(), append([]string{"call", "card_from_group_sell", "id=1", "number=1111111000", "-o", "json"}, tc.flags...)...)
		require.Equal(t, 0, r.code, r.stderr)
		var got struct {
			Success bool `json:"success"`
			Cards   []struct {
				Number, PIN, Balance, Currency string
			} `json:"cards"`
		}
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), r.stdout)
		assert.True(t, got.Success)
		require.Len(t, got.Cards, 1)
		assert.Equal(t, "1111111000", got.Cards[0].Number)
		assert.Equal(t, tc.pin, got.Cards[0].PIN)
		assert.Equal(t, "USD", got.Cards[0].Currency)
		assert.Equal(t, "10.0840336134454", got.Cards[0].Balance, "exact, as the server wrote it")
		if tc.flags == nil {
			assert.NotContains(t, r.stdout, "7856")
		}
	}
}

// mor call --help names the typed output, --show-secrets and the methods
// that stay generic.
func TestCallHelpNamesTypedOutput(t *testing.T) {
	r := runMor(t, cleanEnv(), "call", "--help")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "--show-secrets")
	assert.Contains(t, r.stdout, "For every method the SDK types")
	for a := range genericJSON {
		assert.Contains(t, r.stdout, a, "the help lists %s among the generic ones", a)
	}
}

// The call-record group through mor call -o json: typed records, not the
// generic conversion.
func TestCallTypedJSONCallRecords(t *testing.T) {
	f := newFake(t)
	r := runMor(t, f.env(), "call", "user_calls_get", "period_start=1", "period_end=2000000000", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var calls []map[string]string
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &calls), r.stdout)
	require.NotEmpty(t, calls)
	for _, c := range calls {
		assert.NotEmpty(t, c["time"])
		assert.NotEmpty(t, c["uniqueid"])
		_, err := time.Parse(time.RFC3339, c["time"])
		assert.NoError(t, err)
	}

	r = runMor(t, f.env(), "call", "recordings_get", "date_from=1", "date_till=2000000000", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var recs []recordingRecord
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &recs), r.stdout)
	require.NotEmpty(t, recs)
	for _, rec := range recs {
		assert.Positive(t, rec.ID)
	}

	r = runMor(t, f.env(), "call", "quickstats_get", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var q map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &q), r.stdout)
	assert.Contains(t, q, "this_month")
	assert.Contains(t, q, "today")
}
