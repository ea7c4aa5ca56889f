package mor_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

func TestSystemVersionAndPing(t *testing.T) {
	for _, role := range []string{roleAdmin, roleReseller, roleAccountant, roleUser} {
		c, _ := setup(t, role)
		v, err := c.System.Version(context.Background())
		require.NoError(t, err, role)
		assert.Equal(t, "18", v)
		assert.NoError(t, c.Ping(context.Background()))
	}
	_, srv := setup(t, roleAdmin)
	bad, err := mor.NewClient(srv.URL, "admin", "wrong-secret")
	require.NoError(t, err)
	assert.ErrorIs(t, bad.Ping(context.Background()), mor.ErrIncorrectHash)
	ghost, err := mor.NewClient(srv.URL, "ghost", mortest.SpecSecret)
	require.NoError(t, err)
	assert.ErrorIs(t, ghost.Ping(context.Background()), mor.ErrAccessDenied)
	srv.RemoveConfline(0, "Version")
	c, _ := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	v, err := c.System.Version(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "", v)
}

func TestSystemCallback(t *testing.T) {
	c, srv := setup(t, roleUser)
	ctx := context.Background()
	p := mor.CallbackParams{DeviceID: 2, Src: "101", Dst: "37060000000"}
	assert.ErrorIs(t, c.System.Callback(ctx, p), mor.ErrAsteriskUnavailable)
	srv.UpdateAsteriskServer(1, func(a *mortest.AsteriskServer) { a.Active = true })
	require.NoError(t, c.System.Callback(ctx, p))
	os := srv.Originates()
	require.Len(t, os, 1)
	assert.Equal(t, "37060000000", os[0].Exten)
	assert.ErrorIs(t, c.System.Callback(ctx, mor.CallbackParams{DeviceID: 7, Src: "1"}), mor.ErrDeviceNotFound)
	assert.ErrorIs(t, c.System.Callback(ctx, mor.CallbackParams{DeviceID: 2, Src: "1", LegATariffID: 1}), mor.ErrBadTariff)
	assert.ErrorIs(t, c.System.Callback(ctx, mor.CallbackParams{DeviceID: 2, Src: "1", ServerID: 9}), mor.ErrNotFound)
	var ve *mor.ValidationError
	require.ErrorAs(t, c.System.Callback(ctx, mor.CallbackParams{DeviceID: 2}), &ve)
	assert.ErrorIs(t, ve, mor.ErrCallbackNoSource)
	assert.Len(t, srv.Originates(), 1, "no refused request started a call")
	srv.SetConfline(0, "CALLB_Active", mortest.Confline{Value: "0"})
	assert.ErrorIs(t, c.System.Callback(ctx, p), mor.ErrAccessDenied)
	// Admin: device 2 is not the admin's own.
	ca, srvA := setup(t, roleAdmin)
	srvA.UpdateAsteriskServer(1, func(a *mortest.AsteriskServer) { a.Active = true })
	assert.ErrorIs(t, ca.System.Callback(ctx, p), mor.ErrDeviceNotFound)
	require.NoError(t, ca.System.Callback(ctx, mor.CallbackParams{DeviceID: 5, Src: "5"}))
}

func TestSystemEmail(t *testing.T) {
	c, srv := setup(t, roleReseller)
	ctx := context.Background()
	srv.AddEmailTemplate(mortest.EmailTemplate{Name: "welcome", OwnerID: 3, Body: "Hello <%= first_name %>, it's <%= balance %>"})
	body, err := c.System.RenderEmail(ctx, mor.EmailParams{Template: "welcome", Vars: mor.EmailVars{FirstName: "Jo & Co", Balance: "12.50"}})
	require.NoError(t, err)
	assert.Equal(t, "Hello Jo &amp; Co, it&#8216;s 12.50", body)
	assert.Empty(t, srv.SentEmails())
	assert.ErrorIs(t, c.System.SendEmail(ctx, mor.EmailParams{Template: "welcome"}), mor.ErrEmailDisabled)
	srv.SetConfline(0, "Email_Sending_Enabled", mortest.Confline{Value: "1"})
	uid := int64(2)
	err = c.System.SendEmail(ctx, mor.EmailParams{Template: "welcome", ToUserID: &uid})
	assert.ErrorIs(t, err, mor.ErrRecipientEmailEmpty)
	require.NoError(t, c.System.SendEmail(ctx, mor.EmailParams{Template: "welcome", Vars: mor.EmailVars{FirstName: "Test"}}))
	sent := srv.SentEmails()
	require.Len(t, sent, 1)
	assert.Equal(t, "Hello Test, it's ", sent[0].Body)
	assert.ErrorIs(t, c.System.SendEmail(ctx, mor.EmailParams{Template: "nope"}), mor.ErrEmailTemplateNotFound)
	missing := int64(99)
	assert.ErrorIs(t, c.System.SendEmail(ctx, mor.EmailParams{Template: "welcome", ToUserID: &missing}), mor.ErrUserNotFound)
	cu, _ := setup(t, roleUser)
	assert.ErrorIs(t, cu.System.SendEmail(ctx, mor.EmailParams{Template: "welcome"}), mor.ErrAccessDenied)
	ca, _ := setup(t, roleAdmin)
	assert.ErrorIs(t, ca.System.SendEmail(ctx, mor.EmailParams{Template: "calling_cards_data_to_paypal"}), mor.ErrSenderEmailNotFound)
}

func TestSystemUpdateConflines(t *testing.T) {
	c, srv := setup(t, roleReseller)
	ctx := context.Background()
	credit := mor.NewDecimal(-1, 0)
	require.NoError(t, c.System.UpdateConflines(ctx, mor.ConflinesParams{DefaultUserCredit: &credit,
		DefaultDeviceNAT: new("yes"), DefaultUserPostpaid: new(false)}))
	for name, want := range map[string]string{"Default_User_credit": "-1", "Default_device_nat": "yes", "Default_User_postpaid": "0"} {
		cf, ok := srv.Confline(3, name)
		require.True(t, ok, name)
		assert.Equal(t, want, cf.Value, name)
	}
	err := c.System.UpdateConflines(ctx, mor.ConflinesParams{APISecretKey: new("short")})
	assert.ErrorIs(t, err, mor.ErrInvalidParams)
	assert.Contains(t, err.Error(), "length must be higher than 5")
	var ve *mor.ValidationError
	require.ErrorAs(t, c.System.UpdateConflines(ctx, mor.ConflinesParams{}), &ve)
	// Changing the secret locks this client out until it uses the new one
	// (the admin, whose key a reseller may also use, keeps "secret" here,
	// so the admin demonstrates it).
	ca, srvA := setup(t, roleAdmin)
	require.NoError(t, ca.System.UpdateConflines(ctx, mor.ConflinesParams{APISecretKey: new("brand-new-key")}))
	assert.ErrorIs(t, ca.Ping(ctx), mor.ErrIncorrectHash)
	fresh, err := mor.NewClient(srvA.URL, "admin", "brand-new-key")
	require.NoError(t, err)
	assert.NoError(t, fresh.Ping(ctx))
	cu, _ := setup(t, roleUser)
	assert.ErrorIs(t, cu.System.UpdateConflines(ctx, mor.ConflinesParams{AllowAPI: new(true)}), mor.ErrAccessDenied)
}

func TestSystemCreatePBXPool(t *testing.T) {
	c, srv := setup(t, roleAdmin)
	ctx := context.Background()
	require.NoError(t, c.System.CreatePBXPool(ctx, " Pool1 ", "first"))
	pools := srv.PBXPools()
	require.Len(t, pools, 1)
	assert.Equal(t, "Pool1", pools[0].Name)
	assert.ErrorIs(t, c.System.CreatePBXPool(ctx, "POOL1", ""), mor.ErrPBXPoolNameTaken)
	var ve *mor.ValidationError
	require.ErrorAs(t, c.System.CreatePBXPool(ctx, " ", ""), &ve)
	cr, _ := setup(t, roleReseller)
	assert.ErrorIs(t, cr.System.CreatePBXPool(ctx, "R", ""), mor.ErrNotAuthorized)
}

func TestSystemRecorded(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		call    func(c *mor.Client) error
		want    error
	}{
		{"callback_init_ok", func(c *mor.Client) error {
			return c.System.Callback(context.Background(), mor.CallbackParams{DeviceID: 2, Src: "1"})
		}, nil},
		{"callback_init_bad_device", func(c *mor.Client) error {
			return c.System.Callback(context.Background(), mor.CallbackParams{DeviceID: 2, Src: "1"})
		}, mor.ErrDeviceNotFound},
		{"callback_init_no_server", func(c *mor.Client) error {
			return c.System.Callback(context.Background(), mor.CallbackParams{DeviceID: 2, Src: "1"})
		}, mor.ErrAsteriskUnavailable},
		{"email_send_sent", func(c *mor.Client) error {
			return c.System.SendEmail(context.Background(), mor.EmailParams{Template: "t"})
		}, nil},
		{"email_send_disabled", func(c *mor.Client) error {
			return c.System.SendEmail(context.Background(), mor.EmailParams{Template: "t"})
		}, mor.ErrEmailDisabled},
		{"email_send_not_found", func(c *mor.Client) error {
			return c.System.SendEmail(context.Background(), mor.EmailParams{Template: "t"})
		}, mor.ErrEmailTemplateNotFound},
		{"conflines_update_success", func(c *mor.Client) error {
			return c.System.UpdateConflines(context.Background(), mor.ConflinesParams{AllowAPI: new(true)})
		}, nil},
		{"conflines_update_bad_secret", func(c *mor.Client) error {
			return c.System.UpdateConflines(context.Background(), mor.ConflinesParams{AllowAPI: new(true)})
		}, mor.ErrInvalidParams},
		{"pbx_pool_create_success", func(c *mor.Client) error { return c.System.CreatePBXPool(context.Background(), "P", "") }, nil},
		{"pbx_pool_create_not_unique", func(c *mor.Client) error { return c.System.CreatePBXPool(context.Background(), "P", "") }, mor.ErrPBXPoolNameTaken},
		{"system_version_get_access_denied", func(c *mor.Client) error { _, err := c.System.Version(context.Background()); return err }, mor.ErrAccessDenied},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "replies", tc.fixture+".xml"))
			require.NoError(t, err)
			mt := httpmock.NewMockTransport()
			mt.RegisterNoResponder(httpmock.NewBytesResponder(200, b))
			c, err := mor.NewClient("https://mor.example.test/billing", "admin", "mock-secret-42", mor.WithHTTPClient(&http.Client{Transport: mt}))
			require.NoError(t, err)
			err = tc.call(c)
			if tc.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tc.want)
			}
		})
	}
	// A success reply of another method is not success.
	b, _ := os.ReadFile(filepath.Join("testdata", "replies", "pbx_pool_create_success.xml"))
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewBytesResponder(200, b))
	c, _ := mor.NewClient("https://mor.example.test/billing", "admin", "mock-secret-42", mor.WithHTTPClient(&http.Client{Transport: mt}))
	assert.ErrorIs(t, c.System.UpdateConflines(context.Background(), mor.ConflinesParams{AllowAPI: new(true)}), mor.ErrUnexpectedResponse)
	assert.ErrorIs(t, c.System.Callback(context.Background(), mor.CallbackParams{DeviceID: 1, Src: "1"}), mor.ErrUnexpectedResponse)
}

func TestSystemFailurePaths(t *testing.T) {
	for name, call := range map[string]func(ctx context.Context, c *mor.Client) error{
		"Version": func(ctx context.Context, c *mor.Client) error { _, err := c.System.Version(ctx); return err },
		"Callback": func(ctx context.Context, c *mor.Client) error {
			return c.System.Callback(ctx, mor.CallbackParams{DeviceID: 2, Src: "1"})
		},
		"SendEmail": func(ctx context.Context, c *mor.Client) error {
			return c.System.SendEmail(ctx, mor.EmailParams{Template: "t"})
		},
		"RenderEmail": func(ctx context.Context, c *mor.Client) error {
			_, err := c.System.RenderEmail(ctx, mor.EmailParams{Template: "t"})
			return err
		},
		"UpdateConflines": func(ctx context.Context, c *mor.Client) error {
			return c.System.UpdateConflines(ctx, mor.ConflinesParams{AllowAPI: new(true)})
		},
		"CreatePBXPool": func(ctx context.Context, c *mor.Client) error { return c.System.CreatePBXPool(ctx, "P", "") },
	} {
		t.Run(name, func(t *testing.T) { testFailurePaths(t, call) })
	}
}
