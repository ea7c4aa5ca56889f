package mor_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// didMock returns a client whose every request is answered with body; the
// form of the last request is stored in *sent.
func didMock(t *testing.T, body string, sent *url.Values, opts ...mor.Option) *mor.Client {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		if sent != nil {
			require.NoError(t, req.ParseForm())
			*sent = req.PostForm
		}
		return httpmock.NewStringResponse(200, body), nil
	})
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", mortest.SpecSecret,
		append([]mor.Option{mor.WithHTTPClient(&http.Client{Transport: mt})}, opts...)...)
	require.NoError(t, err)
	return c
}

func didFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "replies", name+".xml"))
	require.NoError(t, err)
	return string(b)
}

func didI64(v int64) *int64   { return &v }
func didStr(v string) *string { return &v }

// Every recorded DIDs reply, success and error shape, through the typed
// call that receives it.
func TestDIDsRecordedReplies(t *testing.T) {
	ctx := context.Background()
	list := func(c *mor.Client) error { _, err := c.DIDs.List(ctx, mor.DIDsParams{}); return err }
	create := func(c *mor.Client) error {
		_, err := c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "37060000009", ProviderID: 1})
		return err
	}
	assign := func(c *mor.Client) error {
		return c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: "37063042438", DeviceID: 2})
	}
	unassign := func(c *mor.Client) error { return c.DIDs.Unassign(ctx, "37063042438") }
	update := func(c *mor.Client) error {
		return c.DIDs.Update(ctx, mor.UpdateDIDParams{DIDID: 1, UserID: didI64(2)})
	}
	stop := func(c *mor.Client) error { return c.DIDs.StopSubscription(ctx, 1) }
	qfList := func(c *mor.Client) error { _, err := c.DIDs.QuickForwards(ctx); return err }
	qfUpdate := func(c *mor.Client) error {
		_, err := c.DIDs.UpdateQuickForward(ctx, mor.QuickForwardParams{Number: "37060000010", ForwardTo: "37061111111"})
		return err
	}
	qfDelete := func(c *mor.Client) error { return c.DIDs.DeleteQuickForward(ctx, "37060000010") }
	for _, tc := range []struct {
		name string
		call func(*mor.Client) error
		errs []error // each must match; none: success
	}{
		{"dids_get_success", list, nil},
		{"dids_get_none", list, nil},
		{"dids_get_access_denied", list, []error{mor.ErrAccessDenied}},
		{"dids_get_not_authorized", list, []error{mor.ErrNotAuthorized}},
		{"did_create_success", create, nil},
		{"did_create_success_test", create, nil},
		{"did_create_access_denied", create, []error{mor.ErrAccessDenied}},
		{"did_create_provider_not_found", create, []error{mor.ErrProviderNotFound, mor.ErrNotFound}},
		{"did_create_provider_not_authorized", create, []error{mor.ErrNotAuthorized}},
		{"did_create_not_authorized", create, []error{mor.ErrNotAuthorized}},
		{"did_create_exists", create, []error{mor.ErrDIDExists, mor.ErrAlreadyExists}},
		{"did_create_invalid", create, []error{mor.ErrInvalidDID, mor.ErrInvalidParams}},
		{"did_create_failed", create, []error{mor.ErrDIDNotCreated}},
		{"did_device_assign_success", assign, nil},
		{"did_device_assign_success_test", assign, nil},
		{"did_device_assign_device_not_found", assign, []error{mor.ErrDeviceNotFound, mor.ErrNotFound}},
		{"did_device_assign_device_not_authorized", assign, []error{mor.ErrNotAuthorized}},
		{"did_device_assign_did_not_found", assign, []error{mor.ErrDIDNotFound, mor.ErrNotFound}},
		{"did_device_assign_did_not_authorized", assign, []error{mor.ErrNotAuthorized}},
		{"did_device_assign_terminated", assign, []error{mor.ErrDIDTerminated}},
		{"did_device_assign_not_free", assign, []error{mor.ErrDIDNotFree}},
		{"did_device_unassign_success", unassign, nil},
		{"did_device_unassign_success_test", unassign, nil},
		{"did_device_unassign_did_not_authorized", unassign, []error{mor.ErrNotAuthorized}},
		{"did_device_unassign_already_free", unassign, []error{mor.ErrDIDAlreadyFree}},
		{"did_device_unassign_dialplan", unassign, []error{mor.ErrDIDOnDialPlan}},
		{"did_details_update_success", update, nil},
		{"did_details_update_errors", update, []error{mor.ErrUserNotFound, mor.ErrCallLimitInvalid, mor.ErrNotFound, mor.ErrInvalidParams}},
		{"did_details_update_already_assigned", update, []error{mor.ErrDIDAlreadyAssigned}},
		{"did_details_update_did_not_found", update, []error{mor.ErrDIDNotFound}},
		{"did_details_update_not_authorized", update, []error{mor.ErrNotAuthorized}},
		{"did_subscription_stop_success", stop, nil},
		{"did_subscription_stop_not_assigned", stop, []error{mor.ErrDIDNotActive}},
		{"did_subscription_stop_did_not_found", stop, []error{mor.ErrDIDNotFound}},
		{"did_subscription_stop_not_saved", stop, []error{mor.ErrDIDNotSaved}},
		{"quickforwards_dids_get_success", qfList, nil},
		{"quickforwards_dids_get_empty", qfList, nil},
		{"quickforwards_dids_get_not_authorized", qfList, []error{mor.ErrNotAuthorized}},
		{"quickforwards_dids_get_user_not_found", qfList, []error{mor.ErrUserNotFound}},
		{"quickforwards_did_update_success", qfUpdate, nil},
		{"quickforwards_did_update_invalid_number", qfUpdate, []error{mor.ErrQuickForwardInvalid, mor.ErrInvalidParams}},
		{"quickforwards_did_update_did_not_found", qfUpdate, []error{mor.ErrDIDNotFound}},
		{"quickforwards_did_delete_success", qfDelete, nil},
		{"quickforwards_did_delete_none", qfDelete, []error{mor.ErrQuickForwardNotFound, mor.ErrNotFound}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(didMock(t, didFixture(t, tc.name), nil))
			if tc.errs == nil {
				require.NoError(t, err)
				return
			}
			var ae *mor.APIError
			require.ErrorAs(t, err, &ae)
			for _, want := range tc.errs {
				assert.ErrorIs(t, err, want)
			}
			assert.False(t, mor.InDoubt(err), "the server answered")
		})
	}
}

func TestDIDsDecode(t *testing.T) {
	ctx := context.Background()
	t.Run("the spec's example", func(t *testing.T) {
		dids, err := didMock(t, didFixture(t, "dids_get_success"), nil).DIDs.List(ctx, mor.DIDsParams{})
		require.NoError(t, err)
		assert.Equal(t, []mor.DID{{ID: 1, Number: "37063042438", Language: "en", Status: mor.DIDFree,
			Provider: didStr("Test Provider"), Owner: didStr("System Admin"), DialPlan: didStr(""), ToneZone: didStr("")}}, dids)
	})
	t.Run("no DIDs is an empty list", func(t *testing.T) {
		dids, err := didMock(t, didFixture(t, "dids_get_none"), nil).DIDs.List(ctx, mor.DIDsParams{})
		require.NoError(t, err)
		assert.NotNil(t, dids)
		assert.Empty(t, dids)
	})
	row := func(inner string) string {
		return `<?xml version="1.0" encoding="UTF-8"?><page><dids><did>` + inner + `</did></dids></page>`
	}
	t.Run("role-dependent elements: absent is nil, empty is empty", func(t *testing.T) {
		dids, err := didMock(t, row(`<did>1</did><language/><status>Active</status><reseller>R</reseller>`+
			`<device>SIP/7</device><simultaneous_call_limit>4</simultaneous_call_limit><comment></comment><id>9</id>`), nil).
			DIDs.List(ctx, mor.DIDsParams{})
		require.NoError(t, err)
		require.Len(t, dids, 1)
		d := dids[0]
		assert.Equal(t, mor.DIDActive, d.Status)
		assert.Equal(t, int64(4), d.CallLimit)
		assert.Equal(t, "SIP/7", d.Device)
		assert.Equal(t, didStr("R"), d.Reseller)
		assert.Equal(t, didStr(""), d.Comment)
		assert.Nil(t, d.Provider)
		assert.Nil(t, d.Owner)
		assert.Nil(t, d.DialPlan)
		assert.Nil(t, d.ToneZone)
	})
	t.Run("a bad id names its element", func(t *testing.T) {
		_, err := didMock(t, row(`<did>1</did><status>Free</status><id>x</id>`), nil).DIDs.List(ctx, mor.DIDsParams{})
		var pe *mor.ParseError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, err.Error(), "id")
	})
	t.Run("a bad call limit names its element", func(t *testing.T) {
		_, err := didMock(t, row(`<did>1</did><status>Free</status><simultaneous_call_limit>many</simultaneous_call_limit><id>1</id>`), nil).
			DIDs.List(ctx, mor.DIDsParams{})
		var pe *mor.ParseError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, err.Error(), "simultaneous_call_limit")
	})
	t.Run("a missing status is unexpected", func(t *testing.T) {
		_, err := didMock(t, row(`<did>1</did><id>1</id>`), nil).DIDs.List(ctx, mor.DIDsParams{})
		assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
	})
	t.Run("a reply without the list is unexpected", func(t *testing.T) {
		_, err := didMock(t, `<?xml version="1.0"?><page><other/></page>`, nil).DIDs.List(ctx, mor.DIDsParams{})
		assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
	})
	t.Run("did_create with and without the id", func(t *testing.T) {
		got, err := didMock(t, didFixture(t, "did_create_success"), nil).DIDs.Create(ctx, mor.CreateDIDParams{Number: " 37060000009 ", ProviderID: 1})
		require.NoError(t, err)
		assert.Equal(t, &mor.CreatedDID{ID: 3, Number: "37060000009"}, got)
		got, err = didMock(t, `<?xml version="1.0"?><page><status><success>DID created</success></status></page>`, nil).
			DIDs.Create(ctx, mor.CreateDIDParams{Number: "37060000009", ProviderID: 1})
		require.NoError(t, err)
		assert.Equal(t, &mor.CreatedDID{Number: "37060000009"}, got)
	})
	t.Run("did_create without the success text is unexpected", func(t *testing.T) {
		_, err := didMock(t, `<?xml version="1.0"?><page><did_details><id>3</id></did_details></page>`, nil).
			DIDs.Create(ctx, mor.CreateDIDParams{Number: "37060000009", ProviderID: 1})
		assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
	})
	t.Run("a wrong success text is unexpected", func(t *testing.T) {
		err := didMock(t, didFixture(t, "did_device_unassign_success"), nil).DIDs.Assign(ctx, mor.AssignDIDParams{Number: "1", DeviceID: 2})
		assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
	})
	t.Run("quick forwards", func(t *testing.T) {
		qfs, err := didMock(t, didFixture(t, "quickforwards_dids_get_success"), nil).DIDs.QuickForwards(ctx)
		require.NoError(t, err)
		assert.Equal(t, []mor.QuickForwardDID{{Number: "37060000010", ForwardTo: "37061111111", Description: "home"},
			{Number: "37060000011"}}, qfs)
		qfs, err = didMock(t, didFixture(t, "quickforwards_dids_get_empty"), nil).DIDs.QuickForwards(ctx)
		require.NoError(t, err)
		assert.Empty(t, qfs)
		got, err := didMock(t, didFixture(t, "quickforwards_did_update_success"), nil).DIDs.UpdateQuickForward(ctx,
			mor.QuickForwardParams{Number: "37060000010", ForwardTo: "37061111111", Description: "home"})
		require.NoError(t, err)
		assert.Equal(t, &mor.QuickForwardDID{Number: "37060000010", ForwardTo: "37061111111", Description: "home"}, got)
	})
}

// What each call sends: only the parameters set, under the server's names.
func TestDIDsParamsSent(t *testing.T) {
	ctx := context.Background()
	var sent url.Values
	strip := func() url.Values {
		out := url.Values{}
		for k, v := range sent {
			if k != "u" && k != "hash" {
				out[k] = v
			}
		}
		return out
	}
	c := didMock(t, didFixture(t, "dids_get_none"), &sent)
	_, err := c.DIDs.List(ctx, mor.DIDsParams{})
	require.NoError(t, err)
	assert.Empty(t, strip())
	_, err = c.DIDs.List(ctx, mor.DIDsParams{Number: "370%", Owner: "Jo%", ProviderID: didI64(1), DialPlanID: didI64(0),
		Language: "en", Status: mor.DIDReserved, UserID: didI64(0), DeviceID: didI64(7), HideTerminated: true})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"search_did_number": {"370%"}, "search_did_owner": {"Jo%"}, "search_provider": {"1"},
		"search_dialplan": {"0"}, "search_language": {"en"}, "search_status": {"reserved"}, "search_user": {"0"},
		"search_device": {"7"}, "search_hide_terminated_dids": {"1"}}, strip())

	c = didMock(t, didFixture(t, "did_details_update_success"), &sent)
	require.NoError(t, c.DIDs.Update(ctx, mor.UpdateDIDParams{DIDID: 1}))
	assert.Equal(t, url.Values{"did_id": {"1"}}, strip())
	require.NoError(t, c.DIDs.Update(ctx, mor.UpdateDIDParams{DIDID: 1, UserID: didI64(mor.DIDMakeFree), CallLimit: didI64(0)}))
	assert.Equal(t, url.Values{"did_id": {"1"}, "did_user_id": {"-1"}, "call_limit": {"0"}}, strip())
	assert.Equal(t, mor.Hash("did_details_update", sent, mortest.SpecSecret), sent.Get("hash"))

	c = didMock(t, didFixture(t, "did_subscription_stop_success"), &sent)
	require.NoError(t, c.DIDs.StopSubscription(ctx, 12))
	assert.Equal(t, url.Values{"dids_id": {"12"}}, strip())
	sum := sha1.Sum([]byte("12" + mortest.SpecSecret))
	assert.Equal(t, hex.EncodeToString(sum[:]), sent.Get("hash"), "fixed key list: dids_id only")

	c = didMock(t, didFixture(t, "quickforwards_did_update_success"), &sent)
	_, err = c.DIDs.UpdateQuickForward(ctx, mor.QuickForwardParams{Number: "37063042438", ForwardTo: "37061111111", Description: "home"})
	require.NoError(t, err)
	assert.Equal(t, "241a9fc79f98f2ddcf5afe5ffc7c7cf752704ed7", sent.Get("hash"), "the spec's golden vector")
}

// Bad input fails before any request, with the sentinel the server would
// answer.
func TestDIDsValidation(t *testing.T) {
	ctx := context.Background()
	var sent url.Values
	c := didMock(t, "", &sent)
	for name, tc := range map[string]struct {
		err  error
		want error
	}{
		"create blank": {func() error {
			_, err := c.DIDs.Create(ctx, mor.CreateDIDParams{Number: " ", ProviderID: 1})
			return err
		}(), mor.ErrInvalidDID},
		"create not digits": {func() error {
			_, err := c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "+37060000009", ProviderID: 1})
			return err
		}(), mor.ErrInvalidDID},
		"create no provider": {func() error {
			_, err := c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "1"})
			return err
		}(), mor.ErrProviderNotFound},
		"get not digits":    {func() error { _, err := c.DIDs.Get(ctx, "37%"); return err }(), mor.ErrInvalidDID},
		"assign no device":  {c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: "1"}), mor.ErrDeviceNotFound},
		"assign bad number": {c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: "1'", DeviceID: 2}), mor.ErrDIDNotFound},
		"unassign blank":    {c.DIDs.Unassign(ctx, ""), mor.ErrDIDNotFound},
		"update no id":      {c.DIDs.Update(ctx, mor.UpdateDIDParams{}), mor.ErrDIDNotFound},
		"update user -2":    {c.DIDs.Update(ctx, mor.UpdateDIDParams{DIDID: 1, UserID: didI64(-2)}), mor.ErrUserNotFound},
		"update limit -1":   {c.DIDs.Update(ctx, mor.UpdateDIDParams{DIDID: 1, CallLimit: didI64(-1)}), mor.ErrCallLimitInvalid},
		"stop no id":        {c.DIDs.StopSubscription(ctx, 0), mor.ErrDIDNotFound},
		"qf update quote": {func() error {
			_, err := c.DIDs.UpdateQuickForward(ctx, mor.QuickForwardParams{Number: "3706'", ForwardTo: "1"})
			return err
		}(), mor.ErrDIDNotFound},
		"qf update not numeric": {func() error {
			_, err := c.DIDs.UpdateQuickForward(ctx, mor.QuickForwardParams{Number: "3706", ForwardTo: "0x1A"})
			return err
		}(), mor.ErrQuickForwardInvalid},
		"qf delete blank": {c.DIDs.DeleteQuickForward(ctx, " "), mor.ErrDIDNotFound},
	} {
		t.Run(name, func(t *testing.T) {
			var ve *mor.ValidationError
			require.ErrorAs(t, tc.err, &ve)
			assert.ErrorIs(t, tc.err, tc.want)
			assert.False(t, mor.InDoubt(tc.err))
		})
	}
	assert.Nil(t, sent, "nothing was sent")
}

func TestDIDsFailurePaths(t *testing.T) {
	calls := map[string]func(ctx context.Context, c *mor.Client) error{
		"List": func(ctx context.Context, c *mor.Client) error {
			_, err := c.DIDs.List(ctx, mor.DIDsParams{})
			return err
		},
		"All": func(ctx context.Context, c *mor.Client) error { return rangeErr(t, c.DIDs.All(ctx, mor.DIDsParams{})) },
		"Get": func(ctx context.Context, c *mor.Client) error { _, err := c.DIDs.Get(ctx, "1"); return err },
		"Create": func(ctx context.Context, c *mor.Client) error {
			_, err := c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "1", ProviderID: 1})
			return err
		},
		"Assign": func(ctx context.Context, c *mor.Client) error {
			return c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: "1", DeviceID: 2})
		},
		"Unassign": func(ctx context.Context, c *mor.Client) error { return c.DIDs.Unassign(ctx, "1") },
		"Update": func(ctx context.Context, c *mor.Client) error {
			return c.DIDs.Update(ctx, mor.UpdateDIDParams{DIDID: 1})
		},
		"StopSubscription": func(ctx context.Context, c *mor.Client) error {
			return c.DIDs.StopSubscription(ctx, 1)
		},
		"QuickForwards": func(ctx context.Context, c *mor.Client) error { _, err := c.DIDs.QuickForwards(ctx); return err },
		"UpdateQuickForward": func(ctx context.Context, c *mor.Client) error {
			_, err := c.DIDs.UpdateQuickForward(ctx, mor.QuickForwardParams{Number: "1", ForwardTo: "2"})
			return err
		},
		"DeleteQuickForward": func(ctx context.Context, c *mor.Client) error { return c.DIDs.DeleteQuickForward(ctx, "1") },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { testFailurePaths(t, call) })
	}
}

// Writes are sent once even with retries on; a reply cut off after the
// request left is in doubt. dids_get is retried.
func TestDIDsRetries(t *testing.T) {
	ctx := context.Background()
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		hits[filepath.Base(r.URL.Path)]++
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret, mor.WithRetries(3, time.Millisecond))
	require.NoError(t, err)
	writes := map[string]func() error{
		"did_create": func() error {
			_, err := c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "1", ProviderID: 1})
			return err
		},
		"did_device_assign":        func() error { return c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: "1", DeviceID: 2}) },
		"did_device_unassign":      func() error { return c.DIDs.Unassign(ctx, "1") },
		"did_details_update":       func() error { return c.DIDs.Update(ctx, mor.UpdateDIDParams{DIDID: 1}) },
		"did_subscription_stop":    func() error { return c.DIDs.StopSubscription(ctx, 1) },
		"quickforwards_did_delete": func() error { return c.DIDs.DeleteQuickForward(ctx, "1") },
		"quickforwards_did_update": func() error {
			_, err := c.DIDs.UpdateQuickForward(ctx, mor.QuickForwardParams{Number: "1", ForwardTo: "2"})
			return err
		},
	}
	for method, call := range writes {
		err := call()
		require.Error(t, err, method)
		assert.True(t, mor.InDoubt(err), method)
		assert.Equal(t, 1, hits[method], "%s is never retried", method)
	}
	_, err = c.DIDs.List(ctx, mor.DIDsParams{})
	require.Error(t, err)
	assert.Equal(t, 4, hits["dids_get"], "a read is retried")

	cut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
		}
	}))
	defer cut.Close()
	c, err = mor.NewClient(cut.URL, "admin", mortest.SpecSecret, mor.WithRetries(3, time.Millisecond))
	require.NoError(t, err)
	_, err = c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "1", ProviderID: 1})
	var te *mor.TransportError
	require.ErrorAs(t, err, &te)
	assert.True(t, mor.InDoubt(err))
}

// didGrantAccountant gives the spec world's accountant exactly these rights.
func didGrantAccountant(t *testing.T, srv *mortest.Server, rights map[string]mortest.Right) {
	srv.AddAccGroup(mortest.AccGroup{ID: 1, Name: "acc", GroupType: "accountant", Rights: rights})
	require.True(t, srv.UpdateUser(4, func(u *mortest.User) { u.AccGroupID, u.DeviceManage = 1, mortest.RightNone }))
}

// The DID inventory as each role sees it, end to end against the fake.
func TestDIDsServiceRoles(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		role    string
		rights  map[string]mortest.Right
		numbers []string
		staff   bool
		err     error
	}{
		{name: "admin", role: roleAdmin, numbers: []string{"37063042438", "37093042422"}, staff: true},
		{name: "reseller", role: roleReseller, numbers: []string{}},
		{name: "accountant without rights", role: roleAccountant, err: mor.ErrNotAuthorized},
		{name: "accountant with manage_dids_opt_1", role: roleAccountant,
			rights:  map[string]mortest.Right{"manage_dids_opt_1": mortest.RightRead},
			numbers: []string{"37063042438", "37093042422"}, staff: true},
		{name: "user", role: roleUser, numbers: []string{"37093042422"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv := setup(t, tc.role)
			if tc.rights != nil {
				didGrantAccountant(t, srv, tc.rights)
			}
			dids, err := c.DIDs.List(ctx, mor.DIDsParams{})
			if tc.err != nil {
				assert.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			got := []string{}
			for _, d := range dids {
				got = append(got, d.Number)
				assert.Equal(t, tc.staff, d.Provider != nil, "provider only for staff")
				assert.Equal(t, tc.role != roleUser, d.DialPlan != nil, "dial plan not for users")
			}
			assert.Equal(t, tc.numbers, got)
		})
	}
}

// A DID's life as the admin: create, find, assign, free, reserve, assign,
// close.
func TestDIDsServiceLifecycle(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t, roleAdmin)
	srv.SetConfline(0, "Days_for_did_close", mortest.Confline{Value: "7"})
	created, err := c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "37060000009", ProviderID: 1})
	require.NoError(t, err)
	assert.Equal(t, &mor.CreatedDID{ID: 3, Number: "37060000009"}, created)
	_, err = c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "37060000009", ProviderID: 1})
	assert.ErrorIs(t, err, mor.ErrDIDExists, "a retry is refused")

	d, err := c.DIDs.Get(ctx, "37060000009")
	require.NoError(t, err)
	assert.Equal(t, int64(3), d.ID)
	assert.Equal(t, mor.DIDFree, d.Status)
	_, err = c.DIDs.Get(ctx, "3706000000")
	assert.ErrorIs(t, err, mor.ErrDIDNotFound)

	require.NoError(t, c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: "37060000009", DeviceID: 2}))
	row, _ := srv.DID(3)
	assert.Equal(t, [3]any{"active", int64(2), int64(2)}, [3]any{row.Status, row.DeviceID, row.UserID})
	assert.ErrorIs(t, c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: "37060000009", DeviceID: 3}), mor.ErrDIDNotFree)

	require.NoError(t, c.DIDs.Unassign(ctx, "37060000009"))
	assert.ErrorIs(t, c.DIDs.Unassign(ctx, "37060000009"), mor.ErrDIDAlreadyFree)

	require.NoError(t, c.DIDs.Update(ctx, mor.UpdateDIDParams{DIDID: 3, UserID: didI64(2), CallLimit: didI64(2)}))
	row, _ = srv.DID(3)
	assert.Equal(t, [3]any{"reserved", int64(2), int64(2)}, [3]any{row.Status, row.UserID, row.CallLimit})
	err = c.DIDs.Update(ctx, mor.UpdateDIDParams{DIDID: 3, UserID: didI64(99)})
	assert.ErrorIs(t, err, mor.ErrUserNotFound)

	require.NoError(t, c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: "37060000009", DeviceID: 3}), "reserved for the device's user")
	require.NoError(t, c.DIDs.StopSubscription(ctx, 3))
	row, _ = srv.DID(3)
	assert.Equal(t, "closed", row.Status)
	assert.WithinDuration(t, time.Now().AddDate(0, 0, 7), row.ClosedTill, time.Minute)
	assert.ErrorIs(t, c.DIDs.StopSubscription(ctx, 1), mor.ErrDIDNotActive)

	require.NoError(t, c.DIDs.Update(ctx, mor.UpdateDIDParams{DIDID: 3, UserID: didI64(mor.DIDMakeFree)}))
	d, err = c.DIDs.Get(ctx, "37060000009")
	require.NoError(t, err)
	assert.Equal(t, mor.DIDFree, d.Status)
	assert.Equal(t, int64(2), d.CallLimit)
}

// Resellers and accountants, end to end: each needs its own permission.
func TestDIDsServiceRights(t *testing.T) {
	ctx := context.Background()
	t.Run("reseller", func(t *testing.T) {
		c, srv := setup(t, roleReseller)
		srv.AddProvider(mortest.Provider{ID: 2, Name: "Own", Tech: "SIP", UserID: 3})
		_, err := c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "37060000009", ProviderID: 1})
		assert.ErrorIs(t, err, mor.ErrNotAuthorized, "the admin's provider")
		_, err = c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "37060000009", ProviderID: 2})
		assert.ErrorIs(t, err, mor.ErrNotAuthorized, "not allowed by the admin")
		srv.SetConfline(0, "Resellers_can_add_their_own_DIDs", mortest.Confline{Value: "1"})
		created, err := c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "37060000009", ProviderID: 2})
		require.NoError(t, err)
		require.NoError(t, c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: "37060000009", DeviceID: 7}))
		assert.ErrorIs(t, c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: "37063042438", DeviceID: 7}), mor.ErrNotAuthorized)
		dids, err := c.DIDs.List(ctx, mor.DIDsParams{})
		require.NoError(t, err)
		require.Len(t, dids, 1)
		assert.Equal(t, created.ID, dids[0].ID)
		assert.Nil(t, dids[0].Provider)
		assert.Equal(t, "IAX2/105", dids[0].Device)
		assert.Equal(t, didStr("User Resellers"), dids[0].Owner)
	})
	t.Run("accountant", func(t *testing.T) {
		c, srv := setup(t, roleAccountant)
		didGrantAccountant(t, srv, map[string]mortest.Right{"manage_dids_opt_1": mortest.RightRead})
		_, err := c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "37060000009", ProviderID: 1})
		assert.ErrorIs(t, err, mor.ErrNotAuthorized)
		assert.ErrorIs(t, c.DIDs.Update(ctx, mor.UpdateDIDParams{DIDID: 1, UserID: didI64(2)}), mor.ErrNotAuthorized)
		didGrantAccountant(t, srv, map[string]mortest.Right{"manage_dids_opt_1": mortest.RightEdit,
			"device_manage": mortest.RightEdit, "user_manage": mortest.RightRead})
		_, err = c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "37060000009", ProviderID: 1})
		require.NoError(t, err)
		require.NoError(t, c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: "37060000009", DeviceID: 2}))
		require.NoError(t, c.DIDs.StopSubscription(ctx, 3))
	})
	t.Run("user", func(t *testing.T) {
		c, _ := setup(t, roleUser)
		_, err := c.DIDs.Create(ctx, mor.CreateDIDParams{Number: "37060000009", ProviderID: 1})
		assert.ErrorIs(t, err, mor.ErrAccessDenied)
		assert.ErrorIs(t, c.DIDs.Assign(ctx, mor.AssignDIDParams{Number: "37063042438", DeviceID: 2}), mor.ErrAccessDenied)
		assert.ErrorIs(t, c.DIDs.Unassign(ctx, "37063042438"), mor.ErrAccessDenied)
		assert.ErrorIs(t, c.DIDs.Update(ctx, mor.UpdateDIDParams{DIDID: 1}), mor.ErrAccessDenied)
		assert.ErrorIs(t, c.DIDs.StopSubscription(ctx, 1), mor.ErrAccessDenied)
	})
}

// didSeedQuickForwards gives the spec world a quick-forward dial plan with
// DIDs 37060000010 and 37060000011 and rule "3706%" for user_admin.
func didSeedQuickForwards(t *testing.T, srv *mortest.Server) {
	srv.AddDialplan(mortest.Dialplan{ID: 1, Name: didStr("QF"), DPType: didStr("quickforwarddids")})
	for i, n := range []string{"37060000010", "37060000011"} {
		d := mortest.NewDID(int64(3+i), n, 1, time.Local)
		d.DialplanID = 1
		srv.AddDID(d)
	}
	srv.AddQuickforwardsRule(mortest.QuickforwardsRule{ID: 1, Name: "LT", RuleRegexp: didStr("3706%")})
	require.True(t, srv.UpdateUser(2, func(u *mortest.User) { u.QuickforwardsRuleID = 1 }))
}

func TestDIDsQuickForwards(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t, roleUser)
	qfs, err := c.DIDs.QuickForwards(ctx)
	require.NoError(t, err)
	assert.Empty(t, qfs, "no rule yet")
	didSeedQuickForwards(t, srv)

	got, err := c.DIDs.UpdateQuickForward(ctx, mor.QuickForwardParams{Number: "37060000010", ForwardTo: "37061111111", Description: "home"})
	require.NoError(t, err)
	assert.Equal(t, &mor.QuickForwardDID{Number: "37060000010", ForwardTo: "37061111111", Description: "home"}, got)
	_, err = c.DIDs.UpdateQuickForward(ctx, mor.QuickForwardParams{Number: "37063042438", ForwardTo: "1"})
	assert.ErrorIs(t, err, mor.ErrDIDNotFound, "not a quick-forward DID")

	qfs, err = c.DIDs.QuickForwards(ctx)
	require.NoError(t, err)
	assert.Equal(t, []mor.QuickForwardDID{{Number: "37060000010", ForwardTo: "37061111111", Description: "home"},
		{Number: "37060000011"}}, qfs)

	require.NoError(t, c.DIDs.DeleteQuickForward(ctx, "37060000010"))
	assert.ErrorIs(t, c.DIDs.DeleteQuickForward(ctx, "37060000010"), mor.ErrQuickForwardNotFound)
	assert.Empty(t, srv.QuickforwardDIDs())

	admin, _ := setup(t, roleAdmin)
	_, err = admin.DIDs.QuickForwards(ctx)
	assert.ErrorIs(t, err, mor.ErrNotAuthorized)
	assert.False(t, errors.Is(err, mor.ErrAccessDenied))
}

// didsReplyOf is a dids_get reply of n admin-view DIDs.
func didsReplyOf(n int) []byte {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <dids>\n")
	for i := range n {
		fmt.Fprintf(&b, "    <did>\n      <did>370%08d</did>\n      <provider>Test Provider</provider>\n"+
			"      <language>en</language>\n      <status>Active</status>\n      <owner>Test User #1</owner>\n"+
			"      <device>IAX2/101</device>\n      <dial_plan></dial_plan>\n"+
			"      <simultaneous_call_limit>Unlimited</simultaneous_call_limit>\n      <tone_zone></tone_zone>\n"+
			"      <id>%d</id>\n    </did>\n", i, i+1)
	}
	b.WriteString("  </dids>\n</page>\n")
	return []byte(b.String())
}

// BenchmarkDIDsAll measures decoding a 10,000-DID dids_get reply over HTTP:
// streamed with All (memory independent of the list's length) and collected
// with List.
func BenchmarkDIDsAll(b *testing.B) {
	body := didsReplyOf(10_000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	require.NoError(b, err)
	ctx := context.Background()
	b.Run("All", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for _, err := range c.DIDs.All(ctx, mor.DIDsParams{}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != 10_000 {
				b.Fatal(n)
			}
		}
	})
	b.Run("List", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			dids, err := c.DIDs.List(ctx, mor.DIDsParams{})
			if err != nil || len(dids) != 10_000 {
				b.Fatal(len(dids), err)
			}
		}
	})
}
