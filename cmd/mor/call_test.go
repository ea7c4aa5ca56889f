package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
)

func toJSON(t *testing.T, xmlText string) string {
	t.Helper()
	v, err := xmlToJSON([]byte(xmlText))
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, writeJSON(&b, v))
	return b.String()
}

// The generic conversion keeps device_clis_get's flat list as records, one
// per cli_id, each with exactly its own fields (cli_ivr only where sent).
func TestXMLToJSONFlatRecords(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "replies", "device_clis_get_success.xml"))
	require.NoError(t, err)
	var got struct {
		Page struct {
			Status []map[string]any `json:"status"`
		} `json:"page"`
	}
	require.NoError(t, json.Unmarshal([]byte(toJSON(t, string(raw))), &got))
	recs := got.Page.Status
	require.Len(t, recs, 3)
	assert.Equal(t, []any{"1", "3", "2"}, []any{recs[0]["cli_id"], recs[1]["cli_id"], recs[2]["cli_id"]})
	assert.Equal(t, "1234", recs[1]["cli_cli"])
	assert.Equal(t, "desk & phone <2>", recs[1]["cli_comment"])
	assert.Equal(t, "5", recs[1]["cli_banned"])
	assert.Nil(t, recs[1]["cli_description"]) // <cli_description/>
	assert.Contains(t, recs[1], "cli_ivr")
	assert.Nil(t, recs[1]["cli_ivr"])
	assert.NotContains(t, recs[0], "cli_ivr")
	assert.Equal(t, "Main menu", recs[2]["cli_ivr"])
	assert.Equal(t, "Reseller line", recs[2]["cli_description"])
	assert.Len(t, recs[0], 9)
	assert.Len(t, recs[1], 10)
	assert.Len(t, recs[2], 10)
}

// A nested list (users_get's shape) is an array of objects under the
// repeated name; a single record stays an object; a run beside other fields
// keeps them.
func TestXMLToJSONNestedList(t *testing.T) {
	got := toJSON(t, `<page><status><users>
  <user><id>2</id><username>user_admin</username><balance>0.0</balance></user>
  <user><id>3</id><username>reseller</username><balance/></user>
</users><total>2</total></status></page>`)
	assert.JSONEq(t, `{"page":{"status":{"users":{"user":[
		{"id":"2","username":"user_admin","balance":"0.0"},
		{"id":"3","username":"reseller","balance":null}]},"total":"2"}}}`, got)
	assert.Less(t, strings.Index(got, `"users"`), strings.Index(got, `"total"`), "document order")

	one := toJSON(t, `<page><status><users><user><id>2</id></user></users></status></page>`)
	assert.JSONEq(t, `{"page":{"status":{"users":{"user":{"id":"2"}}}}}`, one)
}

// A name that comes back after others when the first does not: the children
// stay an ordered list, nothing is merged or lost.
func TestXMLToJSONOrderedList(t *testing.T) {
	got := toJSON(t, `<r><h>x</h><a>1</a><b>2</b><a>3</a></r>`)
	assert.JSONEq(t, `{"r":[{"h":"x"},{"a":"1"},{"b":"2"},{"a":"3"}]}`, got)
	got = toJSON(t, `<r k="v"><a>1</a><b>2</b><a>3</a><b>4</b></r>`)
	assert.JSONEq(t, `{"r":{"@k":"v","#children":[{"a":"1","b":"2"},{"a":"3","b":"4"}]}}`, got)
}

func TestXMLToJSONDepth(t *testing.T) {
	n := mor.MaxElementDepth
	_, err := xmlToJSON([]byte(strings.Repeat("<a>", n) + strings.Repeat("</a>", n)))
	require.NoError(t, err)
	_, err = xmlToJSON([]byte(strings.Repeat("<a>", n+1) + strings.Repeat("</a>", n+1)))
	require.ErrorContains(t, err, "deeper than 256 levels")
	_, err = xmlToJSON([]byte(strings.Repeat("<a>", 1_000_000) + strings.Repeat("</a>", 1_000_000)))
	require.ErrorContains(t, err, "deeper than 256 levels")
}

// The built binary answers a 4.4M-level reply (31 MB, under the size cap)
// with a clean error and exit 1, in both output forms, instead of crashing.
func TestCallDeepReply(t *testing.T) {
	const levels = 4_400_000
	body := []byte(strings.Repeat("<a>", levels) + strings.Repeat("</a>", levels))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	env := append(cleanEnv(), "MOR_URL="+srv.URL+"/billing", "MOR_USER=admin", "MOR_SECRET=secret")
	for _, args := range [][]string{
		{"call", "users_get", "--output", "json"},
		{"call", "users_get"},
		{"call", "device_clis_get", "--output", "json"},
	} {
		r := runMor(t, env, args...)
		head := r.stderr[:min(len(r.stderr), 400)]
		assert.Equal(t, exitError, r.code, "%v: %s", args, head)
		assert.Truef(t, strings.HasPrefix(r.stderr, "mor: "+args[1]+": cannot decode reply: elements nested deeper than the limit of 256 levels"),
			"%v: %s", args, head)
		assert.Falsef(t, strings.Contains(r.stderr, "fatal error") || strings.Contains(r.stderr, "goroutine"), "%v crashed: %s", args, head)
		assert.Empty(t, r.stdout[:min(len(r.stdout), 400)])
	}
}

// mor call --list prints the SDK's registry, one row per method and alias;
// an unknown METHOD is sent with a warning, a known one without.
func TestCallListAndUnknownMethod(t *testing.T) {
	r := runMor(t, cleanEnv(), "call", "--list")
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, len(mor.Methods())+1, "a header and one row per registry entry")
	assert.Regexp(t, `^METHOD\s+ACTION\s+GROUP\s+KIND\s+HASH\s+LEGACY$`, lines[0])
	assert.Contains(t, r.stdout, "\nbalance ")
	assert.Regexp(t, `\ndevice_destroy\s+device_delete\s+devices\s+write\s+global\s*\n`, r.stdout)
	assert.Regexp(t, `\nusers_get\s+users_get\s+users\s+read\s+fixed\s*\n`, r.stdout)

	f := newFake(t)
	r = runMor(t, f.env(), "call", "newer_thing")
	assert.Contains(t, r.stderr, "mor: warning: newer_thing is not a method of the 2018 MOR server")
	r = runMor(t, f.env(), "call", "cli_info_get", "cli=123456")
	require.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "warning")
}
