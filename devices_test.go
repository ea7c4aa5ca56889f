package mor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
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

// fixtureClient answers every request with the recorded reply name and
// counts the requests; the last request's form is kept.
func devFixtureClient(t *testing.T, name string, opts ...mor.Option) (*mor.Client, *int, *url.Values) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "replies", name+".xml"))
	require.NoError(t, err)
	n, form := 0, url.Values{}
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		n++
		b, _ := io.ReadAll(req.Body)
		form, _ = url.ParseQuery(string(b))
		return httpmock.NewBytesResponse(200, body), nil
	})
	opts = append([]mor.Option{mor.WithHTTPClient(&http.Client{Transport: mt})}, opts...)
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", mortest.SpecSecret, opts...)
	require.NoError(t, err)
	return c, &n, &form
}

// Every recorded device reply, decoded: each success into its values, each
// refusal into its sentinel and family.
func TestDevicesRecordedReplies(t *testing.T) {
	ctx := context.Background()
	list := func(c *mor.Client) error { _, err := c.Devices.List(ctx, 2); return err }
	details := func(c *mor.Client) error { _, err := c.Devices.Details(ctx, 2); return err }
	create := func(c *mor.Client) error {
		_, err := c.Devices.Create(ctx, mor.CreateDeviceParams{UserID: 2})
		return err
	}
	update := func(c *mor.Client) error {
		_, err := c.Devices.Update(ctx, mor.UpdateDeviceParams{DeviceID: 2})
		return err
	}
	del := func(c *mor.Client) error { return c.Devices.Delete(ctx, 2) }
	flows := func(c *mor.Client) error { _, err := c.Devices.Callflows(ctx, 2); return err }
	updFlow := func(c *mor.Client) error {
		_, err := c.Devices.UpdateCallflow(ctx, mor.UpdateCallflowParams{DeviceID: 2, State: mor.CallflowBusy, Action: mor.CallflowEmpty})
		return err
	}
	morphone := func(c *mor.Client) error { _, err := c.Devices.Morphone(ctx); return err }
	for _, tc := range []struct {
		fixture string
		call    func(*mor.Client) error
		errs    []error // each must match; nil: success
	}{
		{"devices_get_success", list, nil},
		{"devices_get_device_not_found", list, nil}, // no devices: an empty list
		{"devices_get_bad_login", list, []error{mor.ErrBadLogin}},
		{"devices_get_not_authorized", list, []error{mor.ErrNotAuthorized}},
		{"devices_get_access_denied", list, []error{mor.ErrAccessDenied}},
		{"devices_get_user_id_empty", list, []error{mor.ErrInvalidParams}},
		{"devices_get_user_not_found", list, []error{mor.ErrUserNotFound, mor.ErrNotFound}},
		{"device_details_get_success", details, nil},
		{"device_details_get_access_denied", details, []error{mor.ErrAccessDenied}},
		{"device_details_get_not_authorized", details, []error{mor.ErrNotAuthorized}},
		{"device_details_get_not_found", details, []error{mor.ErrDeviceNotFound, mor.ErrNotFound}},
		{"device_create_success", create, nil},
		{"device_create_not_created", create, []error{mor.ErrDeviceNotCreated, mor.ErrInvalidParams}},
		{"device_create_no_name", create, []error{mor.ErrDeviceNotCreated, mor.ErrInvalidParams}},
		{"device_create_bad_login", create, []error{mor.ErrBadLogin}},
		{"device_create_access_denied", create, []error{mor.ErrAccessDenied}},
		{"device_create_user_not_found", create, []error{mor.ErrUserNotFound}},
		{"device_create_extension_exists", create, []error{mor.ErrExtensionTaken, mor.ErrAlreadyExists}},
		{"device_create_pin_used", create, []error{mor.ErrPINTaken, mor.ErrAlreadyExists}},
		{"device_create_pin_not_numeric", create, []error{mor.ErrInvalidParams}},
		{"device_create_group_invalid", create, []error{mor.ErrInvalidParams}},
		{"device_create_type_invalid", create, []error{mor.ErrInvalidParams}},
		{"device_create_call_timeout", create, []error{mor.ErrInvalidParams}},
		{"device_create_callerid_not_numeric", create, []error{mor.ErrInvalidParams}},
		{"device_create_callerid_not_authorized", create, []error{mor.ErrNotAuthorized}},
		{"device_update_success", update, nil},
		{"device_update_short_password_success", update, nil},
		{"device_update_short_password", update, []error{mor.ErrInvalidParams}},
		{"device_update_empty_status", update, []error{mor.ErrDeviceNotUpdated}},
		{"device_update_access_denied", update, []error{mor.ErrAccessDenied}},
		{"device_update_not_authorized", update, []error{mor.ErrNotAuthorized}},
		{"device_update_not_found", update, []error{mor.ErrDeviceNotFound}},
		{"device_update_location_not_found", update, []error{mor.ErrNotFound}},
		{"device_update_call_timeout", update, []error{mor.ErrInvalidParams}},
		{"device_delete_success", del, nil},
		{"device_delete_bad_login", del, []error{mor.ErrBadLogin}},
		{"device_delete_not_found", del, []error{mor.ErrDeviceNotFound}},
		{"device_delete_access_denied", del, []error{mor.ErrAccessDenied}},
		{"device_delete_no_rights", del, []error{mor.ErrNotAuthorized}},
		{"device_delete_fax_detect", del, []error{mor.ErrDeviceInUse}},
		{"device_delete_forwarded", del, []error{mor.ErrDeviceInUse}},
		{"device_delete_has_calls", del, []error{mor.ErrDeviceInUse}},
		{"device_callflow_get_success", flows, nil},
		{"device_callflow_get_user_not_found", flows, []error{mor.ErrUserNotFound}},
		{"device_callflow_get_not_authorized", flows, []error{mor.ErrNotAuthorized}},
		{"device_callflow_get_not_found", flows, []error{mor.ErrDeviceNotFound}},
		{"device_callflow_update_success", updFlow, nil},
		{"device_callflow_update_empty", updFlow, nil},
		{"device_callflow_update_user_not_found", updFlow, []error{mor.ErrUserNotFound}},
		{"device_callflow_update_not_authorized", updFlow, []error{mor.ErrNotAuthorized}},
		{"device_callflow_update_not_found", updFlow, []error{mor.ErrDeviceNotFound}},
		{"device_callflow_update_state_not_found", updFlow, []error{mor.ErrNotFound}},
		{"device_callflow_update_action_not_found", updFlow, []error{mor.ErrNotFound}},
		{"device_callflow_update_missing_forward", updFlow, []error{mor.ErrInvalidParams}},
		{"device_callflow_update_local_device_not_found", updFlow, []error{mor.ErrNotFound}},
		{"device_callflow_update_external_not_found", updFlow, []error{mor.ErrNotFound}},
		{"device_callflow_update_external_not_numeric", updFlow, []error{mor.ErrInvalidParams}},
		{"device_callflow_update_did_not_found", updFlow, []error{mor.ErrDIDNotFound}},
		{"device_callflow_update_fax_not_found", updFlow, []error{mor.ErrNotFound}},
		{"morphone_details_get_success", morphone, nil},
		{"morphone_details_get_bad_login", morphone, []error{mor.ErrBadLogin}},
		{"morphone_details_get_device_not_found", morphone, []error{mor.ErrDeviceNotFound}},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			c, n, _ := devFixtureClient(t, tc.fixture, mor.WithPassword("user_admin1"))
			err := tc.call(c)
			assert.Equal(t, 1, *n)
			if tc.errs == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, want := range tc.errs {
				assert.ErrorIs(t, err, want)
			}
			assert.False(t, mor.InDoubt(err) && errors.As(err, new(*mor.APIError)), "a refusal is not in doubt")
		})
	}
}

func TestDevicesRecordedValues(t *testing.T) {
	ctx := context.Background()
	t.Run("list", func(t *testing.T) {
		c, _, form := devFixtureClient(t, "devices_get_success")
		got, err := c.Devices.List(ctx, 2)
		require.NoError(t, err)
		assert.Equal(t, []mor.DeviceSummary{{ID: 2, Type: "IAX2"}, {ID: 3, Type: "FAX"}, {ID: 4, Type: "IAX2"}}, got)
		assert.Equal(t, "2", form.Get("user_id"))
		c, _, _ = devFixtureClient(t, "devices_get_device_not_found")
		got, err = c.Devices.List(ctx, 4)
		require.NoError(t, err)
		assert.NotNil(t, got)
		assert.Empty(t, got)
	})
	t.Run("details", func(t *testing.T) {
		c, _, _ := devFixtureClient(t, "device_details_get_success")
		d, err := c.Devices.Details(ctx, 2)
		require.NoError(t, err)
		assert.Equal(t, "101", d.Name)
		assert.Equal(t, "vauvszef", d.Secret.Reveal())
		assert.True(t, d.PIN.IsZero())
		assert.Equal(t, `"101" <101>`, d.CallerID)
		assert.Equal(t, int64(1175892667), d.Regseconds)
		assert.Equal(t, int64(2), d.Accountcode)
		assert.Equal(t, "IAX2", d.DeviceType)
		assert.Equal(t, "friend", d.Kind)
		assert.Equal(t, "Test Device #1", d.Description)
		assert.Equal(t, int64(60), d.Timeout)
		assert.False(t, d.UseANIForCLI)
		assert.Equal(t, []string{"alaw", "ulaw", "g729"}, d.AudioCodecs)
		assert.Nil(t, d.VideoCodecs)
		assert.NotContains(t, fmt.Sprintf("%v %+v %#v", d, *d, d), "vauvszef")
	})
	t.Run("create", func(t *testing.T) {
		c, _, form := devFixtureClient(t, "device_create_success")
		gid, timeout := int64(0), int64(30)
		got, err := c.Devices.Create(ctx, mor.CreateDeviceParams{UserID: 2, Type: "SIP", Description: "Office",
			DeviceGroupID: &gid, PIN: mor.NewDeviceSecret("1234"), CallerID: "37060000002", CallTimeout: &timeout})
		require.NoError(t, err)
		assert.Equal(t, int64(9), got.ID)
		assert.Equal(t, "1003", got.Username)
		assert.Equal(t, "Kp4xQ7mZ2aB9", got.Password.Reveal())
		assert.Empty(t, got.Notice)
		assert.Equal(t, url.Values{"u": {"admin"}, "user_id": {"2"}, "type": {"SIP"}, "description": {"Office"},
			"devicegroup_id": {"0"}, "pin": {"1234"}, "caller_id": {"37060000002"}, "call_timeout": {"30"},
			"hash": {mor.Hash("device_create", *form, mortest.SpecSecret)}}, *form)
	})
	t.Run("create refused with reasons", func(t *testing.T) {
		c, _, _ := devFixtureClient(t, "device_create_not_created")
		_, err := c.Devices.Create(ctx, mor.CreateDeviceParams{UserID: 2})
		var ae *mor.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, []string{"Device was not created", "Device must have name", "Name and password cannot be equal"}, ae.Messages)
	})
	t.Run("update warning", func(t *testing.T) {
		c, _, _ := devFixtureClient(t, "device_update_short_password_success")
		got, err := c.Devices.Update(ctx, mor.UpdateDeviceParams{DeviceID: 9, Authentication: mor.DeviceAuthDynamic})
		require.NoError(t, err)
		assert.Equal(t, []string{"Password is too short"}, got.Warnings)
		c, _, _ = devFixtureClient(t, "device_update_short_password")
		_, err = c.Devices.Update(ctx, mor.UpdateDeviceParams{DeviceID: 2})
		var ae *mor.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "Password is too short", ae.Message)
	})
	t.Run("callflows", func(t *testing.T) {
		c, _, _ := devFixtureClient(t, "device_callflow_get_success")
		got, err := c.Devices.Callflows(ctx, 2)
		require.NoError(t, err)
		assert.Equal(t, "Test User #1", got.User)
		assert.Equal(t, "IAX2/101", got.Device)
		require.Len(t, got.Stages, 6)
		assert.Equal(t, mor.CallflowStage{State: "Call", Priority: 1, Action: "Dial", Data: "IAX2/101|60"}, got.Stages[1])
		assert.Equal(t, mor.CallflowStage{State: "Failed", Priority: 1}, got.Stages[5])
	})
	t.Run("callflow update", func(t *testing.T) {
		c, _, form := devFixtureClient(t, "device_callflow_update_success")
		got, err := c.Devices.UpdateCallflow(ctx, mor.UpdateCallflowParams{DeviceID: 2, State: mor.CallflowBusy,
			Action: mor.CallflowForward, ExternalNumber: "37061234567", Custom: "555"})
		require.NoError(t, err)
		assert.Equal(t, &mor.UpdatedCallflow{User: "Test User #1", Device: "IAX2/101", Stage: mor.CallflowStage{
			State: "Busy", Priority: 1, Action: "Forward", Data: "37061234567", CallerIDType: "Custom", CallerIDData: "555"}}, got)
		// the spec's golden vector for these parameters
		assert.Equal(t, "0840af51c8e51929514c20f5a49f75a259bf312f", mor.Hash("device_callflow_update", *form, "secret"))
	})
	t.Run("morphone", func(t *testing.T) {
		c, _, form := devFixtureClient(t, "morphone_details_get_success", mor.WithPassword("user_admin1"))
		got, err := c.Devices.Morphone(ctx)
		require.NoError(t, err)
		assert.Equal(t, "1005", got.Username)
		assert.Equal(t, "Secret12345", got.Password.Reveal())
		assert.Equal(t, []string{"alaw", "ulaw"}, got.EnabledCodecs)
		assert.Equal(t, "192.168.1.9", got.ServerIP)
		assert.Equal(t, "5060", got.ServerPort)
		assert.Equal(t, "37060000005", got.DIDNumber)
		assert.Equal(t, "user_admin1", form.Get("p"))
	})
}

func TestDevicesLocalValidation(t *testing.T) {
	ctx := context.Background()
	c, n, _ := devFixtureClient(t, "device_update_success")
	gid := int64(-1)
	trunk := mor.DeviceTrunk(5)
	for name, call := range map[string]func() error{
		"list negative": func() error { _, err := c.Devices.List(ctx, -1); return err },
		"details zero":  func() error { _, err := c.Devices.Details(ctx, 0); return err },
		"create pin": func() error {
			_, err := c.Devices.Create(ctx, mor.CreateDeviceParams{PIN: mor.NewDeviceSecret("12a")})
			return err
		},
		"create callerid": func() error { _, err := c.Devices.Create(ctx, mor.CreateDeviceParams{CallerID: "x"}); return err },
		"create group":    func() error { _, err := c.Devices.Create(ctx, mor.CreateDeviceParams{DeviceGroupID: &gid}); return err },
		"update zero":     func() error { _, err := c.Devices.Update(ctx, mor.UpdateDeviceParams{}); return err },
		"update auth": func() error {
			_, err := c.Devices.Update(ctx, mor.UpdateDeviceParams{DeviceID: 1, Authentication: "2"})
			return err
		},
		"update trunk": func() error {
			_, err := c.Devices.Update(ctx, mor.UpdateDeviceParams{DeviceID: 1, Trunk: &trunk})
			return err
		},
		"delete zero": func() error { return c.Devices.Delete(ctx, 0) },
		"flows zero":  func() error { _, err := c.Devices.Callflows(ctx, 0); return err },
		"flow state": func() error {
			_, err := c.Devices.UpdateCallflow(ctx, mor.UpdateCallflowParams{DeviceID: 1, State: "call", Action: mor.CallflowEmpty})
			return err
		},
		"flow fax not before": func() error {
			_, err := c.Devices.UpdateCallflow(ctx, mor.UpdateCallflowParams{DeviceID: 1, State: mor.CallflowBusy, Action: mor.CallflowFaxDetect, FaxDevice: 3})
			return err
		},
		"flow two targets": func() error {
			_, err := c.Devices.UpdateCallflow(ctx, mor.UpdateCallflowParams{DeviceID: 1, State: mor.CallflowBusy,
				Action: mor.CallflowForward, ForwardToDevice: 3, ExternalNumber: "1"})
			return err
		},
		"flow no target": func() error {
			_, err := c.Devices.UpdateCallflow(ctx, mor.UpdateCallflowParams{DeviceID: 1, State: mor.CallflowBusy, Action: mor.CallflowForward})
			return err
		},
		"flow two callerids": func() error {
			_, err := c.Devices.UpdateCallflow(ctx, mor.UpdateCallflowParams{DeviceID: 1, State: mor.CallflowBusy,
				Action: mor.CallflowForward, ExternalNumber: "1", KeepCallerID: true, Custom: "5"})
			return err
		},
		"morphone without password": func() error { _, err := c.Devices.Morphone(ctx); return err },
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			var ve *mor.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.False(t, mor.InDoubt(err))
		})
	}
	assert.Equal(t, 0, *n, "no request was sent")
}

// DeviceSecret never prints, in any verb, log or JSON.
func TestDeviceSecretNeverPrints(t *testing.T) {
	s := mor.NewDeviceSecret("Kp4xQ7mZ2aB9")
	got := mor.CreatedDevice{ID: 9, Username: "1003", Password: s}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("created", "device", got, "password", s)
	js, err := json.Marshal(got)
	require.NoError(t, err)
	out := fmt.Sprintf("%v %+v %#v %s %q %x %X %d", got, got, got, s, s, s, s, s) + fmt.Sprint(s) + fmt.Sprintln(got) +
		logs.String() + string(js)
	assert.NotContains(t, out, "Kp4xQ7mZ2aB9")
	assert.NotContains(t, strings.ToLower(out), strings.ToLower(fmt.Sprintf("%x", "Kp4xQ7mZ2aB9")))
	assert.Contains(t, out, "[redacted]")
	assert.Equal(t, "Kp4xQ7mZ2aB9", s.Reveal())
}

// The request log hides the device password and PIN as it hides the hash.
func TestDeviceCredentialsNotLogged(t *testing.T) {
	var logs bytes.Buffer
	c, srv := setup(t, roleAdmin, mor.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err := c.Devices.Create(context.Background(), mor.CreateDeviceParams{UserID: 2, PIN: mor.NewDeviceSecret("987654")})
	require.NoError(t, err)
	_, err = c.Devices.Update(context.Background(), mor.UpdateDeviceParams{DeviceID: 2, Password: mor.NewDeviceSecret("N3wPassw0rd")})
	require.NoError(t, err)
	d, _ := srv.Device(2)
	require.Equal(t, "N3wPassw0rd", d.Secret)
	require.NotEmpty(t, logs.String())
	assert.NotContains(t, logs.String(), "987654")
	assert.NotContains(t, logs.String(), "N3wPassw0rd")
}

func TestDevicesFailurePaths(t *testing.T) {
	calls := map[string]func(ctx context.Context, c *mor.Client) error{
		"List":    func(ctx context.Context, c *mor.Client) error { _, err := c.Devices.List(ctx, 2); return err },
		"Details": func(ctx context.Context, c *mor.Client) error { _, err := c.Devices.Details(ctx, 2); return err },
		"Create": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Devices.Create(ctx, mor.CreateDeviceParams{UserID: 2})
			return err
		},
		"Update": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Devices.Update(ctx, mor.UpdateDeviceParams{DeviceID: 2})
			return err
		},
		"Delete":    func(ctx context.Context, c *mor.Client) error { return c.Devices.Delete(ctx, 2) },
		"Callflows": func(ctx context.Context, c *mor.Client) error { _, err := c.Devices.Callflows(ctx, 2); return err },
		"UpdateCallflow": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Devices.UpdateCallflow(ctx, mor.UpdateCallflowParams{DeviceID: 2, State: mor.CallflowBusy, Action: mor.CallflowVoicemail})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { testFailurePaths(t, call) })
	}
}

// Writes go out once even with retries on, and a cut-off reply leaves them
// in doubt; reads are retried.
func TestDevicesWritesNeverRetried(t *testing.T) {
	ctx := context.Background()
	newClient := func(t *testing.T) (*mor.Client, *int) {
		n := 0
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
			n++
			return httpmock.NewStringResponse(502, "bad gateway"), nil
		})
		c, err := mor.NewClient("https://mor.example.test/billing", "admin", "s",
			mor.WithHTTPClient(&http.Client{Transport: mt}), mor.WithRetries(3, time.Millisecond))
		require.NoError(t, err)
		return c, &n
	}
	for name, call := range map[string]func(*mor.Client) error{
		"Create": func(c *mor.Client) error {
			_, err := c.Devices.Create(ctx, mor.CreateDeviceParams{UserID: 2})
			return err
		},
		"Update": func(c *mor.Client) error {
			_, err := c.Devices.Update(ctx, mor.UpdateDeviceParams{DeviceID: 2})
			return err
		},
		"Delete": func(c *mor.Client) error { return c.Devices.Delete(ctx, 2) },
		"UpdateCallflow": func(c *mor.Client) error {
			_, err := c.Devices.UpdateCallflow(ctx, mor.UpdateCallflowParams{DeviceID: 2, State: mor.CallflowBusy, Action: mor.CallflowEmpty})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			c, n := newClient(t)
			err := call(c)
			require.Error(t, err)
			assert.Equal(t, 1, *n)
			assert.True(t, mor.InDoubt(err))
		})
	}
	c, n := newClient(t)
	_, err := c.Devices.Details(ctx, 2)
	require.Error(t, err)
	assert.Equal(t, 4, *n, "a read is retried")
	assert.False(t, mor.InDoubt(err))

	// A reply cut off after the request was sent.
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<page>\n  <status>Device cre"))
	c2, err := mor.NewClient("https://mor.example.test/billing", "admin", "s", mor.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	_, err = c2.Devices.Create(ctx, mor.CreateDeviceParams{UserID: 2})
	require.Error(t, err)
	assert.True(t, mor.InDoubt(err), "check with List before creating again")
}

// End to end against the fake, in every role.
func TestDevicesServiceRoles(t *testing.T) {
	ctx := context.Background()
	grantAcc := func(srv *mortest.Server, rights map[string]mortest.Right) {
		gid := srv.AddAccGroup(mortest.AccGroup{Name: "acc", GroupType: "accountant", Rights: rights})
		srv.UpdateUser(4, func(u *mortest.User) { u.AccGroupID, u.DeviceManage = gid, mortest.RightNone })
	}
	t.Run("List", func(t *testing.T) {
		for _, tc := range []struct {
			role  string
			user  int64
			setup func(*mortest.Server)
			want  []mor.DeviceSummary
			err   error
		}{
			{role: roleAdmin, user: 2, want: []mor.DeviceSummary{{2, "IAX2"}, {3, "FAX"}, {4, "IAX2"}}},
			{role: roleAdmin, user: 0, want: []mor.DeviceSummary{{5, "IAX2"}}}, // the admin's own
			{role: roleReseller, user: 5, want: []mor.DeviceSummary{{7, "IAX2"}}},
			{role: roleReseller, user: 2, err: mor.ErrAccessDenied},
			{role: roleAccountant, user: 2, want: []mor.DeviceSummary{{2, "IAX2"}, {3, "FAX"}, {4, "IAX2"}}},
			{role: roleAccountant, user: 2, setup: func(s *mortest.Server) { grantAcc(s, nil) }, err: mor.ErrNotAuthorized},
			{role: roleUser, user: 2, err: mor.ErrAccessDenied},
			{role: roleAdmin, user: 4, want: []mor.DeviceSummary{}},
		} {
			t.Run(fmt.Sprint(tc.role, tc.user, tc.err), func(t *testing.T) {
				c, srv := setup(t, tc.role)
				if tc.setup != nil {
					tc.setup(srv)
				}
				got, err := c.Devices.List(ctx, tc.user)
				if tc.err != nil {
					assert.ErrorIs(t, err, tc.err)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
			})
		}
	})
	t.Run("Details", func(t *testing.T) {
		for _, tc := range []struct {
			role   string
			device int64
			setup  func(*mortest.Server)
			err    error
		}{
			{role: roleAdmin, device: 2},
			{role: roleAdmin, device: 7, err: mor.ErrDeviceNotFound},
			{role: roleReseller, device: 7},
			{role: roleReseller, device: 6, err: mor.ErrDeviceNotFound},
			{role: roleAccountant, device: 2, setup: func(s *mortest.Server) {
				grantAcc(s, map[string]mortest.Right{"device_manage": mortest.RightRead, "user_manage": mortest.RightRead})
			}},
			{role: roleAccountant, device: 2, err: mor.ErrNotAuthorized}, // no user_manage
			{role: roleUser, device: 2, err: mor.ErrNotAuthorized},
		} {
			t.Run(fmt.Sprint(tc.role, tc.device, tc.err), func(t *testing.T) {
				c, srv := setup(t, tc.role)
				if tc.setup != nil {
					tc.setup(srv)
				}
				got, err := c.Devices.Details(ctx, tc.device)
				if tc.err != nil {
					assert.ErrorIs(t, err, tc.err)
					return
				}
				require.NoError(t, err)
				want, _ := srv.Device(tc.device)
				assert.Equal(t, want.Name, got.Name)
				assert.Equal(t, want.Secret, got.Secret.Reveal())
				assert.Equal(t, want.Type, got.DeviceType)
				assert.Equal(t, want.Description, got.Description)
			})
		}
	})
	t.Run("Create", func(t *testing.T) {
		for _, tc := range []struct {
			role  string
			user  int64
			setup func(*mortest.Server)
			err   error
		}{
			{role: roleAdmin, user: 2},
			{role: roleReseller, user: 5},
			{role: roleReseller, user: 2, err: mor.ErrAccessDenied},
			{role: roleAccountant, user: 2, err: mor.ErrAccessDenied},
			{role: roleAccountant, user: 2, setup: func(s *mortest.Server) {
				grantAcc(s, map[string]mortest.Right{"device_create": mortest.RightEdit})
			}},
			{role: roleUser, user: 2, err: mor.ErrAccessDenied},
		} {
			t.Run(fmt.Sprint(tc.role, tc.err), func(t *testing.T) {
				c, srv := setup(t, tc.role)
				if tc.setup != nil {
					tc.setup(srv)
				}
				got, err := c.Devices.Create(ctx, mor.CreateDeviceParams{UserID: tc.user, Description: "Desk"})
				if tc.err != nil {
					assert.ErrorIs(t, err, tc.err)
					assert.Len(t, srv.Devices(), 8)
					return
				}
				require.NoError(t, err)
				d, ok := srv.Device(got.ID)
				require.True(t, ok)
				assert.Equal(t, tc.user, d.UserID)
				assert.Equal(t, d.Username, got.Username)
				assert.Equal(t, d.Secret, got.Password.Reveal())
				assert.Equal(t, "Desk", d.Description)
			})
		}
	})
	t.Run("Update", func(t *testing.T) {
		for _, tc := range []struct {
			role   string
			device int64
			setup  func(*mortest.Server)
			err    error
		}{
			{role: roleAdmin, device: 2},
			{role: roleReseller, device: 7},
			{role: roleReseller, device: 2, err: mor.ErrDeviceNotFound},
			{role: roleAccountant, device: 2},
			{role: roleAccountant, device: 2, setup: func(s *mortest.Server) {
				grantAcc(s, map[string]mortest.Right{"device_manage": mortest.RightRead})
			}, err: mor.ErrNotAuthorized},
			{role: roleUser, device: 2, err: mor.ErrDeviceNotFound},
		} {
			t.Run(fmt.Sprint(tc.role, tc.device, tc.err), func(t *testing.T) {
				c, srv := setup(t, tc.role)
				if tc.setup != nil {
					tc.setup(srv)
				}
				limit, name := int64(4), "Office"
				got, err := c.Devices.Update(ctx, mor.UpdateDeviceParams{DeviceID: tc.device, CallLimit: &limit,
					CallerIDName: &name, Password: mor.NewDeviceSecret("N3wPassw0rd")})
				d, _ := srv.Device(tc.device)
				if tc.err != nil {
					assert.ErrorIs(t, err, tc.err)
					assert.Equal(t, int64(0), d.CallLimit)
					return
				}
				require.NoError(t, err)
				assert.Empty(t, got.Warnings)
				assert.Equal(t, int64(4), d.CallLimit)
				assert.Equal(t, "N3wPassw0rd", d.Secret)
				assert.True(t, strings.HasPrefix(*d.CallerID, `"Office" <`), *d.CallerID)
			})
		}
		c, srv := setup(t, roleAdmin)
		srv.UpdateDevice(2, func(d *mortest.Device) { d.Name, d.Secret = "samesame1", "samesame1" })
		_, err := c.Devices.Update(ctx, mor.UpdateDeviceParams{DeviceID: 2})
		assert.ErrorIs(t, err, mor.ErrDeviceNotUpdated, "an empty status is a failure")
	})
	t.Run("Delete", func(t *testing.T) {
		for _, tc := range []struct {
			role   string
			device int64
			setup  func(*mortest.Server)
			err    error
		}{
			{role: roleAdmin, device: 4},
			{role: roleReseller, device: 7},
			{role: roleReseller, device: 4, err: mor.ErrAccessDenied},
			{role: roleAccountant, device: 4, err: mor.ErrNotAuthorized}, // edit right: refused as written
			{role: roleAccountant, device: 4, setup: func(s *mortest.Server) {
				grantAcc(s, map[string]mortest.Right{"device_manage": mortest.RightRead})
			}},
			{role: roleUser, device: 2, err: mor.ErrAccessDenied},
		} {
			t.Run(fmt.Sprint(tc.role, tc.device, tc.err), func(t *testing.T) {
				c, srv := setup(t, tc.role)
				if tc.setup != nil {
					tc.setup(srv)
				}
				err := c.Devices.Delete(ctx, tc.device)
				_, exists := srv.Device(tc.device)
				if tc.err != nil {
					assert.ErrorIs(t, err, tc.err)
					assert.True(t, exists)
					return
				}
				require.NoError(t, err)
				assert.False(t, exists)
				assert.ErrorIs(t, c.Devices.Delete(ctx, tc.device), mor.ErrDeviceNotFound, "a resend")
			})
		}
	})
	t.Run("Callflows", func(t *testing.T) {
		pbx := func(r mortest.Right) func(*mortest.Server) {
			return func(s *mortest.Server) {
				gid := s.AddAccGroup(mortest.AccGroup{Name: "rs", GroupType: "reseller", Rights: map[string]mortest.Right{"pbx_functions": r}})
				s.UpdateUser(3, func(u *mortest.User) { u.AccGroupID = gid })
			}
		}
		for _, tc := range []struct {
			role      string
			device    int64
			setup     func(*mortest.Server)
			getErr    error
			updateErr error
		}{
			{role: roleAdmin, device: 2},
			{role: roleReseller, device: 7, getErr: mor.ErrNotAuthorized, updateErr: mor.ErrNotAuthorized},
			{role: roleReseller, device: 7, setup: pbx(mortest.RightRead), updateErr: mor.ErrNotAuthorized},
			{role: roleReseller, device: 7, setup: pbx(mortest.RightEdit)},
			{role: roleAccountant, device: 2, getErr: mor.ErrNotAuthorized, updateErr: mor.ErrNotAuthorized},
			{role: roleUser, device: 2},
			{role: roleUser, device: 7, getErr: mor.ErrDeviceNotFound, updateErr: mor.ErrDeviceNotFound},
		} {
			t.Run(fmt.Sprint(tc.role, tc.device, tc.getErr, tc.updateErr), func(t *testing.T) {
				c, srv := setup(t, tc.role)
				if tc.setup != nil {
					tc.setup(srv)
				}
				got, err := c.Devices.Callflows(ctx, tc.device)
				if tc.getErr != nil {
					assert.ErrorIs(t, err, tc.getErr)
				} else {
					require.NoError(t, err)
					require.Len(t, got.Stages, 6)
					assert.Equal(t, "Answered", got.Stages[2].State)
					assert.Equal(t, "Hangup", got.Stages[2].Action)
				}
				upd, err := c.Devices.UpdateCallflow(ctx, mor.UpdateCallflowParams{DeviceID: tc.device, State: mor.CallflowNoAnswer,
					Action: mor.CallflowForward, ExternalNumber: "37061234567", KeepCallerID: true})
				if tc.updateErr != nil {
					assert.ErrorIs(t, err, tc.updateErr)
					assert.Empty(t, srv.Callflows())
					return
				}
				require.NoError(t, err)
				assert.Equal(t, mor.CallflowStage{State: "No answer", Priority: 1, Action: "Forward", Data: "37061234567",
					CallerIDType: "Unchanged"}, upd.Stage)
				got, err = c.Devices.Callflows(ctx, tc.device)
				require.NoError(t, err)
				assert.Equal(t, mor.CallflowStage{State: "No answer", Priority: 1, Action: "Forward", Data: "37061234567"}, got.Stages[3])
			})
		}
	})
	t.Run("Morphone", func(t *testing.T) {
		srv := mortest.NewServer(mortest.WithSpecWorld())
		t.Cleanup(srv.Close)
		d := mortest.NewDevice(0, "SIP", "1005", 2)
		d.Secret = "Secret12345"
		srv.AddDevice(d)
		c, err := mor.NewClient(srv.URL, "user_admin", mortest.SpecSecret, mor.WithPassword("user_admin1"))
		require.NoError(t, err)
		got, err := c.Devices.Morphone(ctx)
		require.NoError(t, err)
		assert.Equal(t, "1005", got.Username)
		assert.Equal(t, "Secret12345", got.Password.Reveal())
		c, err = mor.NewClient(srv.URL, "user_reseller", mortest.SpecSecret, mor.WithPassword("user_reseller1"))
		require.NoError(t, err)
		_, err = c.Devices.Morphone(ctx)
		assert.ErrorIs(t, err, mor.ErrDeviceNotFound)
		c, err = mor.NewClient(srv.URL, "user_admin", mortest.SpecSecret, mor.WithPassword("wrong"))
		require.NoError(t, err)
		_, err = c.Devices.Morphone(ctx)
		assert.ErrorIs(t, err, mor.ErrBadLogin)
	})
}

func ExampleDevicesService_Create() {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	// Sending an extension makes a resend safe: a second create is refused
	// instead of adding a second device.
	dev, err := c.Devices.Create(ctx, mor.CreateDeviceParams{UserID: 2, Type: "SIP", Extension: "2001"})
	if err != nil {
		panic(err)
	}
	fmt.Println("created:", dev.ID, dev.Username, dev.Password, len(dev.Password.Reveal()))
	_, err = c.Devices.Create(ctx, mor.CreateDeviceParams{UserID: 2, Type: "SIP", Extension: "2001"})
	fmt.Println("again:", errors.Is(err, mor.ErrExtensionTaken), mor.InDoubt(err))

	list, err := c.Devices.List(ctx, 2)
	if err != nil {
		panic(err)
	}
	fmt.Println("devices of user 2:", list)
	// Output:
	// created: 9 2001 [redacted] 12
	// again: true false
	// devices of user 2: [{2 IAX2} {3 FAX} {4 IAX2} {9 SIP}]
}

// A refused save comes back with the model's reasons, end to end.
func TestDevicesCreateNotCreated(t *testing.T) {
	c, srv := setup(t, roleAdmin)
	_, err := c.Devices.Create(context.Background(), mor.CreateDeviceParams{UserID: 2, Extension: " "})
	var ae *mor.APIError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, mor.ErrDeviceNotCreated)
	assert.Equal(t, []string{"Device was not created", "Device must have name"}, ae.Messages)
	assert.False(t, mor.InDoubt(err))
	assert.Len(t, srv.Devices(), 8)
}

// BenchmarkDevicesDetails decodes device_details_get's ~95 block-form
// columns from a recorded reply.
func BenchmarkDevicesDetails(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("testdata", "replies", "device_details_get_success.xml"))
	require.NoError(b, err)
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) { return httpmock.NewBytesResponse(200, body), nil })
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", "s", mor.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(b, err)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Devices.Details(ctx, 2); err != nil {
			b.Fatal(err)
		}
	}
}

// The callshop notice after "Device created" is kept apart from the status.
func TestDevicesCreateNotice(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<page>\n"+
		"  <status>Device created &lt;br&gt; User is in a callshop</status>\n  <id>9</id>\n  <username>1003</username>\n"+
		"  <password>Kp4xQ7mZ2aB9</password>\n</page>\n"))
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", "s", mor.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	got, err := c.Devices.Create(context.Background(), mor.CreateDeviceParams{UserID: 2})
	require.NoError(t, err)
	assert.Equal(t, "User is in a callshop", got.Notice)
	assert.Equal(t, int64(9), got.ID)

	// Any other status is not a success, even with an id.
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<page>\n"+
		"  <status>Device updated</status>\n  <id>9</id>\n  <password>x</password>\n</page>\n"))
	_, err = c.Devices.Create(context.Background(), mor.CreateDeviceParams{UserID: 2})
	assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
}

// user_devices is not typed; Client.Call reaches it.
func TestUserDevicesThroughCall(t *testing.T) {
	c, srv := setup(t, roleUser)
	var out struct {
		UserID  int64 `xml:"userid"`
		Devices []struct {
			Acc      int64  `xml:"acc"`
			Password string `xml:"password"`
		} `xml:"devices>device"`
	}
	require.NoError(t, c.Call(context.Background(), "user_devices", nil, &out))
	assert.Equal(t, int64(2), out.UserID)
	require.Len(t, out.Devices, 3)
	assert.Equal(t, "vauvszef", out.Devices[0].Password)
	u, _ := srv.User(2)
	assert.True(t, u.Logged, "the legacy call marks the caller logged in")
}
