package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

func TestRatesExportCommand(t *testing.T) {
	f := newFake(t)
	f.SetRateDeck(2, mortest.RateDeck{N: 500, Seed: 9})
	dir := t.TempDir()

	out := filepath.Join(dir, "deck.csv")
	r := runMor(t, f.env(), "rates", "export", "--tariff", "2", "--format", "csv", "--out", out)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "500 rates written to "+out+"\n", r.stdout)
	fh, err := os.Open(out)
	require.NoError(t, err)
	defer fh.Close()
	rows, err := csv.NewReader(fh).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 501)
	assert.Equal(t, rateColumns, rows[0])
	want := mortest.DeckRateAt(9, 499)
	last := rows[500]
	assert.Equal(t, []string{"tariff", "Test Tariff for Users", "user_wholesale", "USD", "", want.Direction, want.Destination,
		want.Prefix, want.Code, string(want.Rate)}, last[:10])
	_, err = os.Stat(out + ".part")
	assert.True(t, os.IsNotExist(err), "no .part left")

	jl := filepath.Join(dir, "deck.jsonl")
	r = runMor(t, f.env(), "rates", "export", "--user", "2", "--format", "jsonl", "--out", jl)
	require.Equal(t, 0, r.code, r.stderr)
	fj, err := os.Open(jl)
	require.NoError(t, err)
	defer fj.Close()
	sc := bufio.NewScanner(fj)
	n := 0
	for sc.Scan() {
		var row rateRow
		require.NoError(t, json.Unmarshal(sc.Bytes(), &row))
		if n == 0 {
			first := mortest.DeckRateAt(9, 0)
			assert.Equal(t, first.Prefix, row.Prefix)
			assert.Equal(t, string(first.ConnectionFee), row.ConnectionFee)
		}
		n++
	}
	assert.Equal(t, 500, n)

	// A refusal leaves no file behind and exits 1.
	bad := filepath.Join(dir, "none.csv")
	r = runMor(t, f.env(), "rates", "export", "--tariff", "999", "--format", "csv", "--out", bad)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "No tariff found")
	_, err = os.Stat(bad)
	assert.True(t, os.IsNotExist(err))
	_, err = os.Stat(bad + ".part")
	assert.True(t, os.IsNotExist(err))

	r = runMor(t, f.env(), "rates", "export", "--tariff", "2", "--format", "xml", "--out", bad)
	assert.Equal(t, exitUsage, r.code)
}

func TestRateGetCommand(t *testing.T) {
	f := newFake(t)
	g := f.AddDestinationGroup(mortest.DestinationGroup{Name: "Lithuania"})
	f.AddDestination(mortest.Destination{Prefix: "370", Name: "Lithuania", DestinationGroupID: g})
	r0 := f.AddRate(mortest.Rate{TariffID: 2, DestinationGroupID: g, Prefix: "370"})
	f.AddARateDetail(mortest.ARateDetail{RateID: r0, Price: "0.00001", Duration: -1, ArType: "minute"})
	f.SetConfline(0, "Devices_Check_Rate", mortest.Confline{Value: "1"})
	r := runMor(t, f.env(), "rate", "get", "--account", "user_admin", "--number", "37061", "-o", "csv")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "price,destination,prefix\n0.000010,Lithuania,370\n", r.stdout)
	r = runMor(t, f.env(), "rate", "get", "--account", "user_admin", "--number", "99")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "Prefix was not found")
}

func TestVersionCommand(t *testing.T) {
	f := newFake(t)
	r := runMor(t, f.env(), "version")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, `^server .*: MOR 18, round trip [0-9.]+(µs|ms|s)\n$`, r.stdout)
	r = runMor(t, f.env("MOR_SECRET=wrong"), "version")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "Incorrect hash")
}

func TestEmailSendCommand(t *testing.T) {
	f := newFake(t)
	f.AddEmailTemplate(mortest.EmailTemplate{Name: "welcome", Body: "Hi <%= first_name %>"})
	r := runMor(t, f.env("MOR_USER=reseller"), "email", "send", "--template", "welcome", "--render")
	assert.Equal(t, exitError, r.code, "the reseller has no template of that name")
	f.AddEmailTemplate(mortest.EmailTemplate{Name: "welcome", OwnerID: 3, Body: "Hi <%= first_name %>"})
	r = runMor(t, f.env("MOR_USER=reseller"), "email", "send", "--template", "welcome", "--var", "first_name=Ann", "--render")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "Hi Ann\n", r.stdout)
	r = runMor(t, f.env("MOR_USER=reseller"), "email", "send", "--template", "welcome")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "E-mail has been disabled")
	r = runMor(t, f.env("MOR_USER=reseller"), "email", "send", "--template", "welcome", "--var", "bogus=1")
	assert.Equal(t, exitUsage, r.code)
}

func TestCallbackCommand(t *testing.T) {
	f := newFake(t)
	f.UpdateAsteriskServer(1, func(a *mortest.AsteriskServer) { a.Active = true })
	r := runMor(t, f.env("MOR_USER=user_admin"), "callback", "--device", "2", "--src", "101", "--dst", "370600", "--card-pin", "1234")
	assert.Equal(t, exitError, r.code, "unknown PIN")
	assert.NotContains(t, r.stderr+r.stdout, "1234")
	r = runMor(t, f.env("MOR_USER=user_admin"), "callback", "--device", "2", "--src", "101", "--dst", "370600")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "callback started: 101 -> 370600 via device 2\n", r.stdout)
	assert.Len(t, f.Originates(), 1)
}

// A callback whose reply never comes is sent once, and mor says the call may
// be ringing.
func TestCallbackNeverResent(t *testing.T) {
	var arrivals atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		arrivals.Add(1)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}))
	defer ts.Close()
	env := append(cleanEnv(), "MOR_URL="+ts.URL+"/billing", "MOR_USER=user_admin", "MOR_SECRET=secret")
	r := runMor(t, env, "callback", "--device", "2", "--src", "101")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "may have been started")
	assert.Equal(t, int32(1), arrivals.Load())
}
