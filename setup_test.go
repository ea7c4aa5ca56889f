package mor_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// Shared helpers for every service's tests (the external package, so that
// mortest, which imports mor, can be used).

// Roles of the spec world's API users (mortest.WithSpecWorld): admin (id 0)
// owns user_admin (id 2, device 2); reseller (id 3) owns user_reseller
// (id 5, device 7); accountant (id 4, no rights until a test grants them).
const (
	roleAdmin      = "admin"
	roleReseller   = "reseller"
	roleAccountant = "accountant"
	roleUser       = "user" // user_admin, a simple user of the admin
)

var roleUsernames = map[string]string{
	roleAdmin: "admin", roleReseller: "reseller", roleAccountant: "accountant", roleUser: "user_admin",
}

// setup starts a fake MOR server seeded with the spec world and
// returns a Client calling it as role, plus the server to seed or inspect.
// Both are cleaned up with t.
func setup(t *testing.T, role string, opts ...mor.Option) (*mor.Client, *mortest.Server) {
	t.Helper()
	username, ok := roleUsernames[role]
	require.True(t, ok, "unknown role %q", role)
	srv := mortest.NewServer(mortest.WithSpecWorld())
	t.Cleanup(srv.Close)
	c, err := mor.NewClient(srv.URL, username, mortest.SpecSecret, opts...)
	require.NoError(t, err)
	return c, srv
}

// testFailurePaths runs call against replies that must each fail with their
// typed error: HTTP 500, an empty body, garbage, an <error> reply with a
// text no sentinel knows, a well-formed reply that is not the call's, and a
// cancelled context. call must make exactly one typed call and return its
// error (for an iterator, the error of ranging over it).
func testFailurePaths(t *testing.T, call func(ctx context.Context, c *mor.Client) error) {
	t.Helper()
	for _, tc := range []struct {
		name   string
		status int
		body   string
		cancel bool
		check  func(t *testing.T, err error)
	}{
		{name: "HTTP 500", status: 500, body: "<html><body>Internal Server Error</body></html>", check: func(t *testing.T, err error) {
			var he *mor.HTTPError
			require.ErrorAs(t, err, &he)
			assert.Equal(t, 500, he.StatusCode)
		}},
		{name: "empty body", status: 200, body: "", check: func(t *testing.T, err error) {
			assert.ErrorIs(t, err, mor.ErrEmptyResponse)
		}},
		{name: "garbage", status: 200, body: "this is not XML at all <<<", check: func(t *testing.T, err error) {
			var pe *mor.ParseError
			require.ErrorAs(t, err, &pe)
		}},
		{name: "error reply", status: 200, body: `<?xml version="1.0" encoding="UTF-8"?><page><error>Something new went wrong</error></page>`,
			check: func(t *testing.T, err error) {
				var ae *mor.APIError
				require.ErrorAs(t, err, &ae)
				assert.Equal(t, "Something new went wrong", ae.Message)
				assert.False(t, ae.Known())
				assert.NotErrorIs(t, err, mor.ErrNotFound)
			}},
		{name: "unexpected reply", status: 200, body: `<?xml version="1.0" encoding="UTF-8"?><page><something_else>1</something_else></page>`,
			check: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
				var pe *mor.ParseError
				assert.ErrorAs(t, err, &pe)
			}},
		{name: "cancelled context", cancel: true, check: func(t *testing.T, err error) {
			assert.ErrorIs(t, err, context.Canceled)
			var te *mor.TransportError
			assert.ErrorAs(t, err, &te)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
				if !strings.Contains(req.URL.Path, "/api/") {
					return nil, errors.New("request outside /api/")
				}
				return httpmock.NewStringResponse(tc.status, tc.body), nil
			})
			c, err := mor.NewClient("https://mor.example.test/billing", "admin", mortest.SpecSecret,
				mor.WithHTTPClient(&http.Client{Transport: mt}))
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancel {
				cancel()
			}
			err = call(ctx, c)
			require.Error(t, err, "the call must fail")
			tc.check(t, err)
		})
	}
}

// rangeErr ranges over seq and returns its error, checking that the error is
// the last pair.
func rangeErr[T any](t *testing.T, seq func(func(T, error) bool)) error {
	t.Helper()
	var last error
	for _, err := range seq {
		require.NoError(t, last, "a pair after the error")
		last = err
	}
	return last
}
