package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// subsFake is the spec world behind a wrapper that counts subscription_create
// requests and can lose the reply of the first one, after applying it
// (applyThenDrop) or without (dropOnly), and can fail the check
// (subscriptions_get answers 500 after the first create).
type subsFake struct {
	*mortest.Server
	URL string

	mu            sync.Mutex
	creates       int
	applyThenDrop bool
	dropOnly      bool
	failCheck     bool
}

// subsMode sets the fake's failures before it serves anything.
type subsMode func(*subsFake)

func applyThenDrop(f *subsFake) { f.applyThenDrop = true }
func dropOnly(f *subsFake)      { f.dropOnly = true }
func failCheck(f *subsFake)     { f.failCheck = true }

func newSubsFake(t *testing.T, modes ...subsMode) *subsFake {
	t.Helper()
	f := &subsFake{Server: mortest.New(mortest.WithSpecWorld())}
	for _, m := range modes {
		m(f)
	}
	inner := f.Server.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		create := strings.HasSuffix(r.URL.Path, "/subscription_create")
		if create {
			f.creates++
		}
		n, applyDrop, drop, failCheck := f.creates, f.applyThenDrop, f.dropOnly, f.failCheck
		f.mu.Unlock()
		hangUp := func() {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		}
		switch {
		case create && n == 1 && applyDrop:
			inner.ServeHTTP(httptest.NewRecorder(), r) // applied…
			hangUp()                                   // …and the reply lost
			return
		case create && n == 1 && drop:
			_, _ = io.Copy(io.Discard, r.Body)
			hangUp()
			return
		case !create && failCheck && n >= 1 && strings.HasSuffix(r.URL.Path, "/subscriptions_get"):
			http.Error(w, "busy", http.StatusInternalServerError)
			return
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	t.Cleanup(f.Server.Close)
	f.URL = ts.URL + "/billing"
	return f
}

func (f *subsFake) env() []string {
	return append(cleanEnv(), "MOR_URL="+f.URL, "MOR_USER=admin", "MOR_SECRET="+mortest.SpecSecret)
}

func (f *subsFake) createsSeen() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.creates
}

func (f *subsFake) withMemo(memo string) int {
	n := 0
	for _, s := range f.Subscriptions() {
		if s.Memo == memo {
			n++
		}
	}
	return n
}

var createArgs = []string{"subscription", "create", "--user", "2", "--service", "1", "--until-canceled", "--memo", "order-7"}

func TestSubscriptionCreateInDoubt(t *testing.T) {
	t.Run("applied, reply lost: the check finds it, nothing re-sent", func(t *testing.T) {
		f := newSubsFake(t, applyThenDrop)
		r := runMor(t, f.env(), createArgs...)
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, 1, f.createsSeen(), "never re-sent")
		assert.Equal(t, 1, f.withMemo("order-7"))
		assert.Contains(t, r.stderr, "may have been applied")
		assert.Contains(t, r.stderr, `checked with subscriptions_get user_id=2 service_id=1 subscription_memo="order-7": found subscription 2, so the create landed`)
		assert.Contains(t, r.stdout, "subscription created")
	})
	t.Run("lost before applied: the check says it did not land, sent once more", func(t *testing.T) {
		f := newSubsFake(t, dropOnly)
		r := runMor(t, f.env(), createArgs...)
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, 2, f.createsSeen())
		assert.Equal(t, 1, f.withMemo("order-7"))
		assert.Contains(t, r.stderr, "not found, so the create did not land; sending it once more")
	})
	t.Run("the check fails: refuses to re-send", func(t *testing.T) {
		f := newSubsFake(t, applyThenDrop, failCheck)
		r := runMor(t, f.env(), createArgs...)
		assert.Equal(t, exitError, r.code)
		assert.Equal(t, 1, f.createsSeen())
		assert.Equal(t, 1, f.withMemo("order-7"))
		assert.Contains(t, r.stderr, "not sent again: checking whether it landed (subscriptions_get user_id=2 service_id=1")
	})
	t.Run("--force re-sends after an in-doubt failure", func(t *testing.T) {
		f := newSubsFake(t, applyThenDrop)
		r := runMor(t, f.env(), append(createArgs, "--force")...)
		require.Equal(t, 0, r.code, r.stderr)
		assert.Equal(t, 2, f.createsSeen())
		assert.Equal(t, 2, f.withMemo("order-7"), "forced: a duplicate, as the operator asked")
	})
	t.Run("re-running after success refuses a duplicate", func(t *testing.T) {
		f := newSubsFake(t)
		require.Equal(t, 0, runMor(t, f.env(), createArgs...).code)
		r := runMor(t, f.env(), createArgs...)
		assert.Equal(t, exitError, r.code)
		assert.Equal(t, 1, f.createsSeen())
		assert.Contains(t, r.stderr, "already exists (id 2); checked with subscriptions_get")
	})
	t.Run("a refusal is not in doubt", func(t *testing.T) {
		f := newSubsFake(t)
		r := runMor(t, f.env(), "subscription", "create", "--user", "2", "--service", "1", "--memo", "x")
		assert.Equal(t, exitError, r.code)
		assert.Equal(t, 1, f.createsSeen())
		assert.Contains(t, r.stderr, "mor: subscription_create: Activation start date must be earlier than end date.")
	})
	t.Run("no memo is a usage error", func(t *testing.T) {
		f := newSubsFake(t)
		r := runMor(t, f.env(), "subscription", "create", "--user", "2", "--service", "1")
		assert.Equal(t, exitUsage, r.code)
		assert.Equal(t, 0, f.createsSeen())
	})
}

func TestInvoiceListCommands(t *testing.T) {
	f := newSubsFake(t)
	env := f.env()
	r := runMor(t, env, "service", "list")
	require.Equal(t, 0, r.code, r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 2)
	assert.Regexp(t, `^ID\s+NAME\s+TYPE\s+PERIOD\s+PRICE\s+SELF_COST\s+CURRENCY\s+QUANTITY$`, lines[0])
	assert.Regexp(t, `^1\s+Test_periodic_service\s+periodic_fee\s+month\s+10\.0\s+0\.0\s+USD\s+1$`, lines[1])

	r = runMor(t, env, "subscription", "list", "-o", "json", "--currency", "USD")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"memo": "Test_preriodic_service_memo"`)
	assert.Contains(t, r.stdout, `"price": "10.0"`)

	r = runMor(t, env, "subscription", "list", "-o", "csv", "--user", "5")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "id,user_id,user,service,type,from,till,memo,price,currency,time_left\n", r.stdout)

	r = runMor(t, env, "credit-note", "list")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, `^USER_ID\s+NUMBER`, r.stdout)

	r = runMor(t, env, "invoice", "list", "--from", "2018-01-01", "--till", "2018-01-31", "-o", "csv")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "user_id,number,product,quantity,price,currency,date_added,issue_date\n", r.stdout)

	r = runMor(t, env, "statement", "get", "--user", "2", "-o", "csv")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "type,status,count,price,price_with_vat,currency\n"+
		"invoices,paid,0,0.0000,0.0000,USD\ninvoices,unpaid,0,0.0000,0.0000,USD\n"+
		"payments,paid,0,0.0000,0.0000,USD\npayments,unpaid,0,0.0000,0.0000,USD\n", r.stdout)

	r = runMor(t, env, "service", "list", "-o", "xml")
	assert.Equal(t, exitUsage, r.code)
	r = runMor(t, append(cleanEnv(), "MOR_URL="+f.URL, "MOR_USER=user_admin", "MOR_SECRET="+mortest.SpecSecret), "service", "list")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "mor: services_get: Access Denied")
}
