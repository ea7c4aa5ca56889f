package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// cardProxy serves a spec-world fake; fail, when set, may take over a
// request: "drop" closes the connection without applying it, "apply-drop"
// applies it and then closes the connection before any reply.
type cardProxy struct {
	srv  *mortest.Server
	mu   sync.Mutex
	n    map[string]int
	fail func(method string, n int) string
}

func (p *cardProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/billing/api/")
	p.mu.Lock()
	p.n[method]++
	mode := ""
	if p.fail != nil {
		mode = p.fail(method, p.n[method])
	}
	p.mu.Unlock()
	switch mode {
	case "drop":
		_, _ = io.Copy(io.Discard, r.Body)
	case "apply-drop":
		p.srv.Handler().ServeHTTP(httptest.NewRecorder(), r)
	default:
		p.srv.Handler().ServeHTTP(w, r)
		return
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

func (p *cardProxy) count(method string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n[method]
}

func (p *cardProxy) setFail(f func(method string, n int) string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fail = f
}

func newCardProxy(t *testing.T) (*cardProxy, []string) {
	t.Helper()
	srv := mortest.New(mortest.WithSpecWorld())
	p := &cardProxy{srv: srv, n: map[string]int{}}
	hs := httptest.NewServer(p)
	t.Cleanup(hs.Close)
	env := append(cleanEnv(), "MOR_URL="+hs.URL+"/billing", "MOR_USER=admin", "MOR_SECRET="+mortest.SpecSecret,
		"MOR_JOURNAL="+filepath.Join(t.TempDir(), "in-doubt.json"))
	return p, env
}

func withUser(env []string, user string) []string {
	out := []string{}
	for _, kv := range env {
		if !strings.HasPrefix(kv, "MOR_USER=") {
			out = append(out, kv)
		}
	}
	return append(out, "MOR_USER="+user)
}

func TestCardCommandsReadAndSecrets(t *testing.T) {
	_, env := newCardProxy(t)
	r := runMor(t, env, "card", "list", "--number", "1111111000")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "1111111000")
	assert.Contains(t, r.stdout, "[PIN hidden]")
	assert.NotContains(t, r.stdout, "7856")
	r = runMor(t, env, "card", "list", "--number", "1111111000", "--show-secrets", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var recs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &recs))
	require.Len(t, recs, 1)
	assert.Equal(t, "7856", recs[0]["pin"])
	assert.Equal(t, "10.0840336134454", recs[0]["balance"])
	r = runMor(t, env, "card", "list", "--sold", "no", "-o", "csv")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, 22, strings.Count(r.stdout, "\n"), "a header and 21 cards")
	assert.NotContains(t, r.stdout, "7856")

	r = runMor(t, env, "card", "groups", "-o", "csv")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "1,Test_cardgroup,Test_cardgroup description,10,4,Test Tariff for Users,Primary,10.0840336134454,10.0840336134454,21")
	r = runMor(t, env, "card", "balance", "--number", "1111111000")
	assert.Equal(t, "10.0840336134454 USD\n", r.stdout)
	r = runMor(t, env, "card", "group", "--id", "1", "-o", "json")
	assert.Contains(t, r.stdout, `"free_cards": 21`)
	r = runMor(t, withUser(env, "user_admin"), "card", "list")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "Access Denied")
}

func TestCardSellPayAndDoubt(t *testing.T) {
	p, env := newCardProxy(t)
	r := runMor(t, env, "card", "sell", "--group", "1", "--number", "1111111000")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "card 1111111000 sold: PIN [PIN hidden], balance 10.0840336134454 USD\n", r.stdout)
	r = runMor(t, env, "card", "sell", "--group", "1", "--number", "1111111000")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "Card is already sold")

	// The sale lands but the reply is lost: mor checks and says so.
	p.setFail(func(m string, n int) string {
		if m == "card_from_group_sell" {
			return "apply-drop"
		}
		return ""
	})
	r = runMor(t, env, "card", "sell", "--group", "1", "--number", "1111111001", "--show-secrets")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "checked calling_cards_get --number 1111111001: it landed")
	assert.NotContains(t, r.stdout+r.stderr, "9812", "no PIN in the doubt message")
	before := p.count("card_from_group_sell")

	// A payment is lost before it is applied, and the check after it fails
	// too: the call is recorded as in doubt.
	p.setFail(func(m string, n int) string {
		switch {
		case m == "card_payment_add" && n == 1:
			return "drop"
		case m == "card_balance_get" && n == 2:
			return "drop"
		}
		return ""
	})
	r = runMor(t, env, "card", "pay", "--number", "1111111000", "--amount", "5")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "recorded as in doubt")
	// The same payment again: the check compares the balance with the one
	// read before the lost call, finds it unchanged, and only then sends.
	r = runMor(t, env, "card", "pay", "--number", "1111111000", "--amount", "5")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "did not land (checked card_balance_get --number 1111111000 (balance 10.0840336134454 before, 10.0840336134454 now))")
	assert.Equal(t, "card 1111111000: paid 5.0 USD, balance 10.0840336134454 -> 15.0840336134454\n", r.stdout)
	assert.Equal(t, 2, p.count("card_payment_add"), "one lost, one sent after the check")
	k, _ := p.srv.CardByNumber("1111111000")
	assert.Equal(t, mortest.Decimal("15.0840336134454"), k.Balance, "paid exactly once")
	assert.Equal(t, before, p.count("card_from_group_sell"))
}

func TestSMSSendDoubtRefusedUntilForce(t *testing.T) {
	p, env := newCardProxy(t)
	p.srv.UpdateUser(2, func(u *mortest.User) { u.SMSServiceActive = true; u.Balance = "1" })
	p.srv.AddSMSLCR(mortest.SMSLCR{ID: 1, Name: "sms"})
	p.srv.SetSMSOutcome(mortest.SMSOutcome{Status: "0", UserRate: "0.1"})
	env = withUser(env, "user_admin")
	r := runMor(t, env, "sms", "send", "--lcr", "1", "--to", "37060000001", "--message", "100% ok")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "message 5: SMS is sent, price 0.1000 USD\n", r.stdout)

	p.setFail(func(m string, n int) string {
		if m == "sms_send" && n == 2 {
			return "apply-drop"
		}
		return ""
	})
	args := []string{"sms", "send", "--lcr", "1", "--to", "37060000002", "--message", "hi"}
	r = runMor(t, env, args...)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "recorded as in doubt")
	r = runMor(t, env, args...)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "nothing the API offers can tell whether it landed")
	assert.Contains(t, r.stderr, "--force")
	assert.Equal(t, 2, p.count("sms_send"), "refused without sending")
	r = runMor(t, env, append(args, "--force")...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, 3, p.count("sms_send"))
	u, _ := p.srv.User(2)
	assert.Equal(t, mortest.Decimal("0.7"), u.Balance, "three SMS charged: the lost one did go out")

	r = runMor(t, env, "sms", "list", "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var recs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &recs))
	assert.Len(t, recs, 3)
	r = runMor(t, withUser(env, "admin"), "sms", "list", "--from", "2009-12-01", "--till", "2009-12-02", "--status", "4")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "004")
}

func TestCardWriteCommands(t *testing.T) {
	p, env := newCardProxy(t)
	r := runMor(t, env, "card", "topup", "--callerid", "37060000001", "--amount", "2.5", "--group", "1")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "card 22 (")
	assert.Contains(t, r.stdout, "PIN [PIN hidden], group 1): balance 2.5000 (with tax 2.5000), caller ID 37060000001")
	k, ok := p.srv.Card(22)
	require.True(t, ok)
	assert.Equal(t, mortest.Decimal("2.5"), k.Balance)
	assert.NotContains(t, r.stdout, "PIN "+k.PIN)
	r = runMor(t, env, "card", "topup", "--callerid", "37060000001", "--pin", "7856", "--amount", "1")
	assert.Equal(t, 2, r.code, "--pin and --amount are exclusive")

	r = runMor(t, env, "card", "create", "--group", "1", "--from", "1111111100", "--till", "1111111102", "--language", "lt")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "cards created: 3 of 3\n", r.stdout)
	r = runMor(t, env, "card", "create", "--group", "1", "--from", "1111111100", "--till", "1111111102")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "Cards already exist")

	r = runMor(t, env, "card", "update", "--id", "1", "--name", "front desk", "--min-balance", "0.5")
	require.Equal(t, 0, r.code, r.stderr)
	k, _ = p.srv.Card(1)
	assert.Equal(t, "front desk", k.Name)
	assert.Equal(t, mortest.Decimal("0.5"), k.MinBalance)

	r = runMor(t, env, "card", "group-create", "--name", "cli group", "--price", "3", "--pin-length", "5", "--tariff", "2")
	require.Equal(t, 0, r.code, r.stderr)
	gs := p.srv.CardGroups()
	require.Len(t, gs, 3)
	assert.Equal(t, mortest.Decimal("3.0"), gs[2].Price)
	assert.Equal(t, int64(5), gs[2].PINLength)
	r = runMor(t, env, "card", "group-update", "--id", "3", "--description", "updated")
	require.Equal(t, 0, r.code, r.stderr)
	g, _ := p.srv.CardGroup(3)
	assert.Equal(t, "updated", g.Description)

	p.srv.AddSMSTariff(mortest.SMSTariff{ID: 1, Name: "t", TariffType: "user"})
	p.srv.AddSMSLCR(mortest.SMSLCR{ID: 1, Name: "l"})
	r = runMor(t, env, "sms", "subscribe", "--user", "2", "--tariff", "1", "--lcr", "1")
	require.Equal(t, 0, r.code, r.stderr)
	u, _ := p.srv.User(2)
	assert.True(t, u.SMSServiceActive)
	r = runMor(t, env, "sms", "subscribe", "--user", "2", "--tariff", "1", "--lcr", "1")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "User is already subscribed to SMS service")
}

// A card call in doubt is recorded in the same journal as the money
// commands (--journal), keyed by a digest: the PIN is nowhere in the file,
// not even as a key part, and the file reads as the money journal.
func TestCardTopUpDoubtJournalHoldsNoPIN(t *testing.T) {
	p, env := newCardProxy(t)
	journal := filepath.Join(t.TempDir(), "j.json")
	p.setFail(func(m string, n int) string {
		if m == "card_by_cli_update" {
			return "drop"
		}
		return ""
	})
	args := []string{"card", "topup", "--callerid", "37060000001", "--pin", "7856", "--journal", journal}
	r := runMor(t, env, args...)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "recorded as in doubt")
	b, err := os.ReadFile(journal)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "7856", "no PIN in the journal")
	var j moneyJournal
	require.NoError(t, json.Unmarshal(b, &j))
	require.Len(t, j.Entries, 1)
	assert.Equal(t, "card_by_cli_update", j.Entries[0].Method)
	assert.Len(t, j.Entries[0].Key, 64, "the key is a SHA-256 digest")

	p.setFail(nil)
	r = runMor(t, env, args...)
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "nothing the API offers can tell whether it landed")
	assert.Equal(t, 1, p.count("card_by_cli_update"), "refused without sending")
	r = runMor(t, env, append(args, "--force")...)
	require.Equal(t, 0, r.code, r.stderr)
	b, _ = os.ReadFile(journal)
	require.NoError(t, json.Unmarshal(b, &j))
	assert.Empty(t, j.Entries, "cleared once sent")
}
