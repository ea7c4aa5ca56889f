package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// moneyFake serves mortest; while drop names an action, it applies each
// request for it and then cuts the connection instead of answering (the
// reply is lost). It counts requests per action.
type moneyFake struct {
	*mortest.Server
	URL  string
	drop atomic.Value // string: the action whose replies are lost
	// dropTx, when set, limits drop to requests with this transaction.
	dropTx atomic.Value
	mu     sync.Mutex
	seen   map[string]int
}

func newMoneyFake(t *testing.T) *moneyFake {
	t.Helper()
	f := &moneyFake{Server: mortest.New(mortest.WithSpecWorld()), seen: map[string]int{}}
	f.SetConfline(0, "API_payment_confirmation", mortest.Confline{Value: "0"})
	f.SetConfline(0, "Vouchers_Enabled", mortest.Confline{Value: "1"})
	inner := f.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		action := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		f.mu.Lock()
		f.seen[action]++
		f.mu.Unlock()
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		d, _ := f.drop.Load().(string)
		tx, _ := f.dropTx.Load().(string)
		if d != action || tx != "" && form.Get("transaction") != tx {
			inner.ServeHTTP(w, r)
			return
		}
		inner.ServeHTTP(httptest.NewRecorder(), r)
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(ts.Close)
	f.URL = ts.URL + "/billing"
	return f
}

func (f *moneyFake) count(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen[action]
}

func (f *moneyFake) env() []string {
	return append(cleanEnv(), "MOR_URL="+f.URL, "MOR_USER=admin", "MOR_SECRET="+mortest.SpecSecret)
}

func (f *moneyFake) balance(t *testing.T, id int64) string {
	t.Helper()
	u, ok := f.User(id)
	require.True(t, ok)
	return string(u.Balance)
}

func TestPaymentCreateInDoubtThenChecked(t *testing.T) {
	f := newMoneyFake(t)
	journal := filepath.Join(t.TempDir(), "j.json")
	args := []string{"payment", "create", "--user", "2", "--currency", "USD", "--amount", "25", "--transaction", "ORD-7", "--journal", journal}

	// The payment is applied, the reply lost: in doubt, exit 1, recorded.
	f.drop.Store("payment_create")
	r := runMor(t, f.env(), args...)
	assert.Equal(t, exitError, r.code, r.stderr)
	assert.Contains(t, r.stderr, "payment_create may have been applied")
	assert.Contains(t, r.stderr, "FindByTransaction")
	assert.Equal(t, 1, f.count("payment_create"))
	assert.Equal(t, "25", f.balance(t, 2))
	b, err := os.ReadFile(journal)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"transaction": "ORD-7"`)
	assert.NotContains(t, string(b), mortest.SpecSecret)

	// Again: mor checks, finds the payment, sends nothing, exits 0.
	f.drop.Store("")
	r = runMor(t, f.env(), args...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "already done")
	assert.Contains(t, r.stdout, "a payment with transaction ORD-7 was added")
	assert.Equal(t, 1, f.count("payment_create"), "not sent again")
	assert.Equal(t, "25", f.balance(t, 2))
	b, _ = os.ReadFile(journal)
	assert.NotContains(t, string(b), "ORD-7", "the record is cleared")

	// Now a plain success: sent once, nothing left in the journal.
	r = runMor(t, f.env(), args...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "recorded (transaction ORD-7)")
	assert.Equal(t, 2, f.count("payment_create"))
}

func TestPaymentCreateNotLandedIsSentAgain(t *testing.T) {
	f := newMoneyFake(t)
	journal := filepath.Join(t.TempDir(), "j.json")
	// An attempt recorded but never answered, that never reached the
	// server (mor was killed): the generated transaction id is reused.
	args := []string{"payment", "create", "--user", "2", "--currency", "USD", "--amount", "5", "--journal", journal}
	f.drop.Store("payment_create")
	f.SetConfline(0, "API_Allow_payments_ower_API", mortest.Confline{Value: "1"})
	// Make the dropped request fail before it applies: no currency.
	f.RemoveCurrency(1)
	r := runMor(t, f.env(), args...)
	require.Equal(t, exitError, r.code)
	b, err := os.ReadFile(journal)
	require.NoError(t, err)
	var j moneyJournal
	require.NoError(t, json.Unmarshal(b, &j))
	require.Len(t, j.Entries, 1)
	tx := j.Entries[0].Transaction
	assert.True(t, strings.HasPrefix(tx, "mor-"), tx)

	f.AddCurrency(mortest.Currency{ID: 1, Name: "USD", ExchangeRate: "1"})
	f.drop.Store("")
	r = runMor(t, f.env(), args...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "no payment with transaction "+tx)
	assert.Contains(t, r.stderr, "it did not land; sending again")
	assert.Contains(t, r.stdout, "(transaction "+tx+")", "the same id is reused")
	assert.Equal(t, "5", f.balance(t, 2))
}

func TestBalanceUpdateInDoubt(t *testing.T) {
	f := newMoneyFake(t)
	journal := filepath.Join(t.TempDir(), "j.json")
	f.drop.Store("user_balance_update")
	r := runMor(t, f.env(), "balance", "update", "--user", "2", "--delta", "3.5", "--account", "user_admin", "--journal", journal)
	assert.Equal(t, exitError, r.code)
	assert.Equal(t, "3.5", f.balance(t, 2))
	f.drop.Store("")
	// The balance changed: cannot tell it was this send; refused.
	r = runMor(t, f.env(), "balance", "update", "--user", "2", "--delta", "3.5", "--account", "user_admin", "--journal", journal)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "the balance of user_admin was 0.0000 before it and is 3.5000 now")
	assert.Contains(t, r.stderr, "--force")
	assert.Equal(t, 1, f.count("user_balance_update"))
	// --force sends.
	r = runMor(t, f.env(), "balance", "update", "--user", "2", "--delta", "3.5", "--account", "user_admin", "--journal", journal, "--force")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "7", f.balance(t, 2))
	assert.Equal(t, 2, f.count("user_balance_update"))

	// Without --account nothing can be checked: refused.
	f.drop.Store("user_balance_update")
	r = runMor(t, f.env(), "balance", "update", "--user", "2", "--delta", "1", "--journal", journal)
	assert.Equal(t, exitError, r.code)
	f.drop.Store("")
	r = runMor(t, f.env(), "balance", "update", "--user", "2", "--delta", "1", "--journal", journal)
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "no --account was given")
	assert.Equal(t, 3, f.count("user_balance_update"))
}

func TestVoucherUseInDoubt(t *testing.T) {
	f := newMoneyFake(t)
	journal := filepath.Join(t.TempDir(), "j.json")
	till := time.Now().Add(time.Hour)
	f.AddVoucher(mortest.Voucher{ID: 2, Number: "4242", CreditWithVAT: "10", Currency: "USD", Active: true, TaxID: 1, ActiveTill: &till})
	args := []string{"voucher", "use", "--number", "4242", "--user", "2", "--journal", journal}
	f.drop.Store("voucher_use")
	r := runMor(t, f.env(), args...)
	assert.Equal(t, exitError, r.code)
	b, err := os.ReadFile(journal)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"method": "voucher_use"`)
	assert.NotContains(t, string(b), "4242", "the voucher number is only digested into the key")
	f.drop.Store("")
	r = runMor(t, f.env(), args...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "already done")
	assert.Contains(t, r.stdout, "user 2 redeemed a voucher worth 10.0000 USD")
	assert.Equal(t, 1, f.count("voucher_use"))
	assert.Equal(t, "10", f.balance(t, 2))
}

func TestPaymentListAndBalanceGet(t *testing.T) {
	f := newMoneyFake(t)
	r := runMor(t, f.env(), "payment", "create", "--user", "2", "--currency", "USD", "--amount", "12.5", "--transaction", "L-1",
		"--journal", filepath.Join(t.TempDir(), "j.json"), "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"gross": "12.5000"`)
	today := time.Now().Format(time.DateOnly)
	tomorrow := time.Now().Add(24 * time.Hour).Format(time.DateOnly)
	r = runMor(t, f.env(), "payment", "list", "--from", today, "--till", tomorrow, "--transaction", "L-", "-o", "csv")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Test User #1,,L-1,")
	assert.Contains(t, r.stdout, ",12.5000,,12.5000,USD,1,,1\n")
	r = runMor(t, f.env(), "balance", "get", "--account", "user_admin", "--user-currency")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "user_admin 12.5000 USD\n", r.stdout)
	r = runMor(t, f.env(), "payment", "list", "--from", today)
	assert.Equal(t, exitUsage, r.code)
}

func TestPaymentImportResumesExactlyOnce(t *testing.T) {
	f := newMoneyFake(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "payments.csv")
	require.NoError(t, os.WriteFile(file, []byte("user_id,currency,amount,transaction,description\n"+
		"2,USD,10,T1,first\n2,USD,20.50,T2,second\n0,USD,1,T3,third\n"), 0o644))
	f.drop.Store("payment_create")
	f.dropTx.Store("T2")
	r := runMor(t, f.env(), "payment", "import", "--file", file)
	assert.Equal(t, exitError, r.code, r.stderr)
	assert.Contains(t, r.stdout, "summary: 3 rows: 2 recorded, 0 recorded earlier (0 skipped, 0 found by transaction id), 0 failed, 0 invalid, 1 unknown, 0 not attempted")
	assert.Equal(t, 3, f.count("payment_create"))
	assert.Equal(t, "30.5", f.balance(t, 2), "T2 landed although its reply was lost")
	res, err := os.ReadFile(file + ".results.csv")
	require.NoError(t, err)
	assert.Contains(t, string(res), "3,T2,2,unknown,")

	f.drop.Store("")
	r = runMor(t, f.env(), "payment", "import", "--file", file)
	require.Equal(t, 0, r.code, r.stderr+r.stdout)
	assert.Contains(t, r.stdout, "summary: 3 rows: 0 recorded, 3 recorded earlier (2 skipped, 1 found by transaction id)")
	assert.Equal(t, 3, f.count("payment_create"), "nothing sent again")
	assert.Equal(t, "30.5", f.balance(t, 2))
	u0, _ := f.User(0)
	assert.Equal(t, mortest.Decimal("1"), u0.Balance)

	// Invalid rows are reported with their line and never sent.
	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("user_id,currency,amount,transaction\n2,USD,0,Z1\nx,USD,1,Z2\n2,USD,1,Z_3\n2,USD,1,T9\n2,USD,1,T9\n"), 0o644))
	r = runMor(t, f.env(), "payment", "import", "--file", bad)
	assert.Equal(t, exitError, r.code)
	for _, want := range []string{"bad.csv:2: invalid: amount", "bad.csv:3: invalid: user_id", "bad.csv:4: invalid: transaction must not",
		"bad.csv:6: invalid: transaction T9 is also on line 5"} {
		assert.Contains(t, r.stderr, want)
	}
	assert.Equal(t, 4, f.count("payment_create"), "only T9 sent")
}
