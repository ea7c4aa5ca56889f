package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

func TestDIDUsageErrors(t *testing.T) {
	f := newFake(t)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"bad output", []string{"did", "list", "-o", "yaml"}, "--output must be table, json or csv"},
		{"bad id filter", []string{"did", "list", "--user", "admin"}, "want a numeric user id"},
		{"create without provider", []string{"did", "create", "--number", "1"}, `"provider" not set`},
		{"create not digits, caught locally", []string{"did", "create", "--number", "+370", "--provider", "1"}, "invalid did"},
		{"assign without device", []string{"did", "assign", "--number", "1"}, `"device" not set`},
		{"update with nothing to change", []string{"did", "update", "--id", "1"}, "nothing to change"},
		{"update user and free", []string{"did", "update", "--id", "1", "--user", "2", "--free"}, "none of the others can be"},
		{"stop without id", []string{"did", "stop"}, `"id" not set`},
		{"unknown subcommand", []string{"did", "bogus"}, `unknown command "bogus"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runMor(t, f.env(), tt.args...)
			assert.Equal(t, exitUsage, r.code, "stderr: %s", r.stderr)
			assert.Contains(t, r.stderr, tt.want)
			assert.Empty(t, r.stdout)
		})
	}
	assert.Zero(t, f.Requests("did_create")+f.Requests("dids_get")+f.Requests("did_details_update"), "nothing was sent")
}

func TestDIDCommands(t *testing.T) {
	f := newFake(t)
	env := f.env()
	f.SetConfline(0, "Days_for_did_close", mortest.Confline{Value: "7"})

	t.Run("list table", func(t *testing.T) {
		r := runMor(t, env, "did", "list")
		require.Equal(t, 0, r.code, r.stderr)
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		require.Len(t, lines, 3)
		assert.Regexp(t, `^ID\s+NUMBER\s+STATUS\s+OWNER\s+DEVICE\s+PROVIDER\s+RESELLER\s+DIAL PLAN\s+CALL LIMIT\s+COMMENT$`, lines[0])
		assert.Regexp(t, `^1\s+37063042438\s+free\s+System Admin\s+Test Provider\s+unlimited\s*$`, lines[1])
		assert.Regexp(t, `^2\s+37093042422\s+reserved\s+Test User #1\s+Test Provider\s+unlimited\s*$`, lines[2])
	})
	t.Run("list csv with a filter", func(t *testing.T) {
		r := runMor(t, env, "did", "list", "--status", "Free", "-o", "csv")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "id,number,status,language,provider,reseller,owner,device,dial_plan,call_limit,comment,tone_zone\n"+
			"1,37063042438,free,en,Test Provider,,System Admin,,,0,,\n", r.stdout)
	})
	t.Run("list json as a simple user: role-dependent fields absent", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=user_admin"), "did", "list", "-o", "json")
		require.Equal(t, 0, r.code, r.stderr)
		var got []map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
		require.Len(t, got, 1)
		assert.Equal(t, map[string]any{"id": float64(2), "number": "37093042422", "status": "reserved", "language": "en",
			"owner": "Test User #1", "device": "", "call_limit": float64(0)}, got[0])
	})
	t.Run("list json, nothing found", func(t *testing.T) {
		r := runMor(t, env, "did", "list", "--number", "999%", "-o", "json")
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, "[]\n", r.stdout)
	})
	t.Run("list as an accountant without the right", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=accountant"), "did", "list")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: dids_get: You are not authorized to manage DIDs\n")
		assert.Contains(t, r.stderr, "hint: an accountant needs manage_dids_opt_1")
	})

	r := runMor(t, env, "did", "create", "--number", "37060000009", "--provider", "1")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "DID 37060000009 created with id 3\n", r.stdout)
	t.Run("create twice: server text and a hint", func(t *testing.T) {
		r := runMor(t, env, "did", "create", "--number", "37060000009", "--provider", "1")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: did_create: DID already exists\n")
		assert.Contains(t, r.stderr, "hint: see it: mor did get --number 37060000009")
	})
	t.Run("get", func(t *testing.T) {
		r := runMor(t, env, "did", "get", "--number", "37060000009", "-o", "json")
		require.Equal(t, 0, r.code, r.stderr)
		var got []map[string]any
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
		require.Len(t, got, 1)
		assert.Equal(t, float64(3), got[0]["id"])
		r = runMor(t, env, "did", "get", "--number", "370600000")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "DID not found")
	})

	r = runMor(t, env, "did", "assign", "--number", "37060000009", "--device", "2")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "DID 37060000009 assigned to device 2\n", r.stdout)
	d, _ := f.DID(3)
	assert.Equal(t, "active", d.Status)
	assert.Equal(t, int64(2), d.DeviceID)
	t.Run("assign again", func(t *testing.T) {
		r := runMor(t, env, "did", "assign", "--number", "37060000009", "--device", "3")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: did_device_assign: DID is not free\n")
		assert.Contains(t, r.stderr, "hint: the DID is routed or reserved")
	})

	r = runMor(t, env, "did", "unassign", "--number", "37060000009")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "DID 37060000009 unassigned\n", r.stdout)

	r = runMor(t, env, "did", "update", "--id", "3", "--user", "2", "--call-limit", "2")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "DID 3 updated\n", r.stdout)
	d, _ = f.DID(3)
	assert.Equal(t, [3]any{"reserved", int64(2), int64(2)}, [3]any{d.Status, d.UserID, d.CallLimit})
	t.Run("update errors accumulate", func(t *testing.T) {
		r := runMor(t, env, "did", "update", "--id", "1", "--user", "99", "--call-limit", "1")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: did_details_update: User was not found\n")
	})

	r = runMor(t, env, "did", "assign", "--number", "37060000009", "--device", "3")
	require.Equal(t, 0, r.code, r.stderr)
	r = runMor(t, env, "did", "stop", "--id", "3")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "DID 3 closed\n", r.stdout)
	d, _ = f.DID(3)
	assert.Equal(t, "closed", d.Status)
	assert.WithinDuration(t, time.Now().AddDate(0, 0, 7), d.ClosedTill, time.Minute)

	r = runMor(t, env, "did", "update", "--id", "3", "--free")
	require.Equal(t, 0, r.code, r.stderr)
	d, _ = f.DID(3)
	assert.Equal(t, "free", d.Status)

	t.Run("a simple user is refused", func(t *testing.T) {
		r := runMor(t, f.env("MOR_USER=user_admin"), "did", "stop", "--id", "1")
		assert.Equal(t, exitError, r.code)
		assert.Contains(t, r.stderr, "mor: did_subscription_stop: Access Denied\n")
		assert.Contains(t, r.stderr, "hint: simple users may not manage DIDs")
	})
}

func TestDIDQuickForwardCommands(t *testing.T) {
	f := newFake(t)
	user := f.env("MOR_USER=user_admin")
	f.AddDialplan(mortest.Dialplan{ID: 1, Name: new("QF"), DPType: new("quickforwarddids")})
	for i, n := range []string{"37060000010", "37060000011"} {
		d := mortest.NewDID(int64(3+i), n, 1, time.Local)
		d.DialplanID = 1
		f.AddDID(d)
	}
	f.AddQuickforwardsRule(mortest.QuickforwardsRule{ID: 1, Name: "LT", RuleRegexp: new("3706%")})
	require.True(t, f.UpdateUser(2, func(u *mortest.User) { u.QuickforwardsRuleID = 1 }))

	r := runMor(t, user, "did", "quickforward", "set", "--number", "37060000010", "--to", "37061111111", "--description", "home")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "DID 37060000010 forwards to 37061111111\n", r.stdout)

	r = runMor(t, user, "did", "qf", "list")
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 3)
	assert.Regexp(t, `^NUMBER\s+FORWARD TO\s+DESCRIPTION$`, lines[0])
	assert.Regexp(t, `^37060000010\s+37061111111\s+home$`, lines[1])
	assert.Regexp(t, `^37060000011$`, strings.TrimSpace(lines[2]))

	r = runMor(t, user, "did", "qf", "list", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	assert.JSONEq(t, `[{"number":"37060000010","forward_to":"37061111111","description":"home"},
		{"number":"37060000011","forward_to":"","description":""}]`, r.stdout)

	r = runMor(t, user, "did", "qf", "delete", "--number", "37060000010")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "forward of DID 37060000010 deleted\n", r.stdout)
	assert.Empty(t, f.QuickforwardDIDs())

	r = runMor(t, user, "did", "qf", "delete", "--number", "37060000010")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "mor: quickforwards_did_delete: No Quickforward is assigned to specified DID\n")

	r = runMor(t, f.env(), "did", "qf", "list")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "You are not authorized to use Quickforwards")
	assert.Contains(t, r.stderr, "hint: quick forwards are a simple user's")
}

// A did_create reply without the new id (some MOR versions): mor looks the
// number up and still prints the id.
func TestDIDCreateWithoutIDInReply(t *testing.T) {
	srv := mortest.New(mortest.WithSpecWorld())
	inner := srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, r)
		body := rec.Body.String()
		if strings.HasSuffix(r.URL.Path, "/did_create") {
			body = regexp.MustCompile(`(?s)  <did_details>.*</did_details>\n`).ReplaceAllString(body, "")
		}
		_, _ = io.WriteString(w, body)
	}))
	defer ts.Close()
	env := append(cleanEnv(), "MOR_URL="+ts.URL+"/billing", "MOR_USER=admin", "MOR_SECRET="+mortest.SpecSecret)
	r := runMor(t, env, "did", "create", "--number", "37060000009", "--provider", "1")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "DID 37060000009 created with id 3\n", r.stdout)
	assert.Equal(t, 1, srv.Requests("dids_get"), "looked up by number")
}
