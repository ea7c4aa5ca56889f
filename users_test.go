package mor_test

import (
	"context"
	"encoding/json"
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

// mockReply returns a client whose every request is answered with the
// recorded reply name (testdata/replies/<name>.xml), and the forms sent.
func mockReply(t *testing.T, name string, opts ...mor.Option) (*mor.Client, *[]url.Values) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "replies", name+".xml"))
	require.NoError(t, err)
	return mockBody(t, string(body), opts...)
}

func mockBody(t *testing.T, body string, opts ...mor.Option) (*mor.Client, *[]url.Values) {
	t.Helper()
	var sent []url.Values
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(req.Body)
		form, _ := url.ParseQuery(string(b))
		sent = append(sent, form)
		return httpmock.NewStringResponse(200, body), nil
	})
	opts = append([]mor.Option{mor.WithHTTPClient(&http.Client{Transport: mt})}, opts...)
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", mortest.SpecSecret, opts...)
	require.NoError(t, err)
	return c, &sent
}

func ptr[T any](v T) *T { return &v }

// Every recorded reply of the users group decodes to its result or error.
func TestUsersRecordedReplies(t *testing.T) {
	ctx := context.Background()
	t.Run("login", func(t *testing.T) {
		c, sent := mockReply(t, "user_login_success")
		res, err := c.Users.Login(ctx, "john", mor.NewPassword("pw1"))
		require.NoError(t, err)
		assert.Equal(t, &mor.LoginResult{UserID: 0, Message: "Successfully logged in"}, res)
		assert.Equal(t, "john", (*sent)[0].Get("u"), "u is the user logging in")
		assert.Equal(t, "pw1", (*sent)[0].Get("p"))

		for name, want := range map[string]error{"user_login_failed": mor.ErrLoginFailed, "user_login_wait": mor.ErrLoginThrottled} {
			c, _ := mockReply(t, name)
			res, err := c.Users.Login(ctx, "john", mor.NewPassword("pw1"))
			assert.ErrorIs(t, err, want, name)
			assert.Nil(t, res)
			var ae *mor.APIError
			assert.ErrorAs(t, err, &ae)
		}
		c, _ = mockBody(t, `<?xml version="1.0" encoding="UTF-8"?><action><name>login</name><status>maybe</status></action>`)
		_, err = c.Users.Login(ctx, "john", mor.NewPassword("pw1"))
		assert.ErrorIs(t, err, mor.ErrUnexpectedResponse, "an unknown status is never success")
		c, _ = mockReply(t, "user_logout_success")
		_, err = c.Users.Login(ctx, "john", mor.NewPassword("pw1"))
		assert.ErrorIs(t, err, mor.ErrUnexpectedResponse, "a logout reply is not a login")
	})
	t.Run("logout", func(t *testing.T) {
		c, sent := mockReply(t, "user_logout_success")
		require.NoError(t, c.Users.Logout(ctx, ""))
		assert.Equal(t, "admin", (*sent)[0].Get("u"))
		require.NoError(t, c.Users.Logout(ctx, "user_admin"))
		assert.Equal(t, "user_admin", (*sent)[1].Get("u"))
		c, _ = mockReply(t, "user_logout_bad_login")
		assert.ErrorIs(t, c.Users.Logout(ctx, "ghost"), mor.ErrBadLogin)
	})
	t.Run("details", func(t *testing.T) {
		c, sent := mockReply(t, "user_details_get_success")
		d, err := c.Users.Details(ctx, mor.DetailsParams{UserID: ptr(int64(3))})
		require.NoError(t, err)
		assert.Equal(t, "3", (*sent)[0].Get("user_id"))
		assert.Equal(t, int64(3), d.UserID)
		assert.True(t, d.Postpaid)
		assert.Equal(t, "36.0 USD", d.Balance.Amount.String()+" "+d.Balance.Currency)
		assert.True(t, d.CreditUnlimited)
		assert.Equal(t, ptr(int64(1)), d.PBXPoolID)
		assert.Nil(t, d.HideNonAnsweredCalls)
		assert.Equal(t, "reseller", d.Username)
		assert.Equal(t, "Reseller", d.LastName)
		assert.Equal(t, "0000000001", d.AgreementNumber)
		assert.Equal(t, time.Date(2009, 3, 31, 0, 0, 0, 0, time.UTC), d.AgreementDate)
		assert.Equal(t, "Lithuania", d.TaxationCountry)
		assert.Equal(t, "19.0", d.VATPercent.String())
		require.NotNil(t, d.Registration)
		assert.Equal(t, "test_reseller@email.test", d.Registration.Email)
		require.NotNil(t, d.Invoices)
		assert.Equal(t, ptr(true), d.Invoices.GenerateInvoices)
		assert.Nil(t, d.Invoices.ByCallerIDPDF, "not shown for resellers")
		assert.Equal(t, ptr(true), d.Invoices.ShowZeroCalls)
		require.NotNil(t, d.WarningBalance)
		assert.Equal(t, int64(-1), d.WarningBalance.Hour)
		require.NotNil(t, d.WarningBalance.Admin)
		assert.Equal(t, "USD", d.WarningBalance.Admin.Currency)

		for name, want := range map[string]error{"user_details_get_access_denied": mor.ErrAccessDenied,
			"user_details_get_not_found": mor.ErrUserNotFound} {
			c, _ := mockReply(t, name)
			d, err := c.Users.Details(ctx, mor.DetailsParams{Username: "x"})
			assert.ErrorIs(t, err, want, name)
			assert.Nil(t, d)
		}
		c, _ = mockBody(t, strings.Replace(string(mustRead(t, "user_details_get_success")), "<credit>Unlimited</credit>",
			"<credit>lots</credit>", 1))
		_, err = c.Users.Details(ctx, mor.DetailsParams{})
		var pe *mor.ParseError
		require.ErrorAs(t, err, &pe)
		assert.Contains(t, pe.Error(), "credit")
		c, _ = mockBody(t, strings.Replace(string(mustRead(t, "user_details_get_success")), "<userid>3</userid>", "", 1))
		_, err = c.Users.Details(ctx, mor.DetailsParams{})
		assert.ErrorIs(t, err, mor.ErrUnexpectedResponse, "a missing required element")
	})
	t.Run("update", func(t *testing.T) {
		c, sent := mockReply(t, "user_details_update_success")
		require.NoError(t, c.Users.Update(ctx, mor.UpdateParams{UserID: 0, LastName: ptr("Smith")}))
		assert.Equal(t, url.Values{"user_id": {"0"}, "u17": {"Smith"}, "u": {"admin"}, "hash": {(*sent)[0].Get("hash")}},
			(*sent)[0], "only the fields set are sent")
		for name, want := range map[string]error{
			"user_details_update_bad_login":        mor.ErrBadLogin,
			"user_details_update_access_denied":    mor.ErrAccessDenied,
			"user_details_update_not_found":        mor.ErrUserNotFound,
			"user_details_update_tariff_not_found": mor.ErrTariffNotFound,
			"user_details_update_password_short":   mor.ErrInvalidParams,
			"user_details_update_not_updated":      mor.ErrUserNotUpdated,
		} {
			c, _ := mockReply(t, name)
			assert.ErrorIs(t, c.Users.Update(ctx, mor.UpdateParams{UserID: 2}), want, name)
		}
		c, _ = mockReply(t, "user_details_update_not_updated")
		err := c.Users.Update(ctx, mor.UpdateParams{UserID: 2})
		assert.ErrorIs(t, err, mor.ErrEmailTaken, "the reason after the error is matched too")
		var ae *mor.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, []string{"User was not updated", "Email test_reseller@email.test is already used"}, ae.Messages)
		c, _ = mockReply(t, "reseller_group_create_success")
		assert.ErrorIs(t, c.Users.Update(ctx, mor.UpdateParams{UserID: 2}), mor.ErrUnexpectedResponse,
			"another method's success is not success")
	})
	t.Run("register", func(t *testing.T) {
		c, sent := mockReply(t, "user_register_success")
		res, err := c.Users.Register(ctx, registerParams())
		require.NoError(t, err)
		assert.Equal(t, int64(8), res.UserID)
		assert.Equal(t, int64(9), res.DeviceID)
		assert.Equal(t, "SIP", res.DeviceType)
		assert.Equal(t, "<37060000001>", res.CallerID)
		assert.Equal(t, "1003", res.DeviceUsername)
		assert.Equal(t, "Ab3dE5gH7jK9", res.DevicePassword.Reveal())
		assert.Equal(t, "123456", res.PIN.Reveal())
		assert.Equal(t, "192.168.1.8", res.ServerIP)
		assert.True(t, strings.HasPrefix(res.Notice, "*ATTENTION!"))
		f := (*sent)[0]
		assert.Equal(t, "hfttv7bcqt", f.Get("id"))
		assert.Equal(t, f.Get("password"), f.Get("password2"))
		for name, want := range map[string]error{
			"user_register_disabled":       mor.ErrRegistrationDisabled,
			"user_register_access_denied":  mor.ErrAccessDenied,
			"user_register_username_taken": mor.ErrUsernameTaken,
			"user_register_limited":        mor.ErrUserLimit,
		} {
			c, _ := mockReply(t, name)
			res, err := c.Users.Register(ctx, registerParams())
			assert.ErrorIs(t, err, want, name)
			assert.Nil(t, res)
		}
	})
	t.Run("users_get", func(t *testing.T) {
		c, sent := mockReply(t, "users_get_success", mor.WithPassword("reseller1"))
		users, err := c.Users.List(ctx)
		require.NoError(t, err)
		assert.Equal(t, []mor.UserSummary{{ID: 5, Username: "user_reseller", FirstName: "User", LastName: "Resellers",
			Balance: mustDecimal(t, "12.5"), LCRID: 1, TariffID: 3, OwnerID: 3, UserType: "user"}}, users)
		assert.Equal(t, "reseller1", (*sent)[0].Get("p"))
		c, _ = mockReply(t, "users_get_no_users", mor.WithPassword("x"))
		users, err = c.Users.List(ctx)
		require.NoError(t, err)
		assert.Equal(t, []mor.UserSummary{}, users, "No Users found is an empty list")
		for name, want := range map[string]error{"users_get_access_denied": mor.ErrAccessDenied,
			"users_get_not_authorized": mor.ErrNotAuthorized} {
			c, _ := mockReply(t, name, mor.WithPassword("x"))
			users, err := c.Users.List(ctx)
			assert.ErrorIs(t, err, want, name)
			assert.Nil(t, users)
		}
	})
	t.Run("reseller_group_create", func(t *testing.T) {
		c, sent := mockReply(t, "reseller_group_create_success")
		require.NoError(t, c.Users.CreateResellerGroup(ctx, mor.ResellerGroupParams{Name: "RG1", CallingCards: true,
			OtherRights: []string{"callshop"}}))
		f := (*sent)[0]
		assert.Equal(t, "1", f.Get("calling_cards"))
		assert.Equal(t, "1", f.Get("callshop"))
		assert.False(t, f.Has("autodialer"), "rights not granted are not sent")
		for name, want := range map[string]error{"reseller_group_create_access_denied": mor.ErrAccessDenied,
			"reseller_group_create_name_required": mor.ErrInvalidParams,
			"reseller_group_create_not_unique":    mor.ErrAlreadyExists} {
			c, _ := mockReply(t, name)
			assert.ErrorIs(t, c.Users.CreateResellerGroup(ctx, mor.ResellerGroupParams{Name: "RG1"}), want, name)
		}
	})
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "replies", name+".xml"))
	require.NoError(t, err)
	return b
}

func mustDecimal(t *testing.T, s string) mor.Decimal {
	t.Helper()
	d, err := mor.ParseDecimal(s)
	require.NoError(t, err)
	return d
}

func registerParams() mor.RegisterParams {
	return mor.RegisterParams{RegistrarHash: "hfttv7bcqt", Username: "newuser", Password: mor.NewPassword("Secret123"),
		FirstName: "New", LastName: "User", Email: "new@example.com", CountryID: 123, DeviceType: mor.DeviceSIP,
		CallerID: "37060000001"}
}

// What the server would refuse, or what cannot be signed, fails before any
// request.
func TestUsersLocalValidation(t *testing.T) {
	ctx := context.Background()
	c, sent := mockBody(t, "unused")
	_, err := c.Users.Login(ctx, " ", mor.NewPassword("x"))
	assert.ErrorIs(t, err, mor.ErrUsernameRequired)
	_, err = c.Users.Login(ctx, "john", mor.Password{})
	assert.ErrorIs(t, err, mor.ErrPasswordRequired)
	_, err = c.Users.Register(ctx, mor.RegisterParams{Username: "x", DeviceType: "sip"})
	var ve *mor.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "id, password, first_name, last_name, email, country_id", ve.Field, "every missing field is named")
	p := registerParams()
	p.DeviceType = "sip"
	_, err = c.Users.Register(ctx, p)
	assert.ErrorIs(t, err, mor.ErrInvalidParams)
	assert.ErrorIs(t, c.Users.Update(ctx, mor.UpdateParams{UserID: -1}), mor.ErrInvalidParams)
	assert.ErrorIs(t, c.Users.Update(ctx, mor.UpdateParams{UserID: 2, BillingPeriod: "daily"}), mor.ErrInvalidParams)
	assert.ErrorIs(t, c.Users.CreateResellerGroup(ctx, mor.ResellerGroupParams{Name: " "}), mor.ErrRequired)
	_, err = c.Users.List(ctx)
	assert.ErrorIs(t, err, mor.ErrPasswordRequired, "users_get signs the password: the client needs WithPassword")
	assert.Contains(t, err.Error(), "create the Client with WithPassword")
	assert.Empty(t, *sent, "nothing was sent")
}

// UpdateParams sends the quirky parameters the way the server needs them.
func TestUsersUpdateEncoding(t *testing.T) {
	c, sent := mockReply(t, "user_details_update_success")
	types := mor.InvoiceSimplifiedPDF | mor.InvoiceXLSX
	require.NoError(t, c.Users.Update(context.Background(), mor.UpdateParams{UserID: 2,
		AgreementDate: ptr(time.Date(2020, 2, 29, 0, 0, 0, 0, time.UTC)), CyberplatActive: ptr(true),
		HideDestinationEnd: ptr(false), WarningEmailHour: ptr(int64(7)), ResetWarningEmailSent: true,
		Credit: ptr(mustDecimal(t, "10.50")), InvoiceTypes: &types, Blocked: ptr(false), Password: ptr(mor.NewPassword("S3cretPw")),
		CallLimit: ptr(int64(0))}))
	f := (*sent)[0]
	for k, v := range map[string]string{"ay": "2020", "am": "2", "ad": "29", "u21": "1", "cyberplat_active": "1",
		"pgui": "1", "u2": "7", "user_warning_email_hour": "7", "warning_email_balance": "-1", "credit": "10.50",
		"i1": "514", "u15": "0", "pswd": "S3cretPw", "u18": "0"} {
		assert.Equal(t, v, f.Get(k), k)
	}
	assert.Equal(t, mor.Hash("user_details_update", withoutHash(f), mortest.SpecSecret), f.Get("hash"))
}

func withoutHash(f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		if k != "hash" {
			out[k] = v
		}
	}
	return out
}

// The users calls against the fake, in each role the server distinguishes.
func TestUsersServiceRoles(t *testing.T) {
	ctx := context.Background()
	t.Run("List", func(t *testing.T) {
		for _, tc := range []struct {
			role, password string
			ids            []int64
			err            error
		}{
			{role: roleAdmin, password: "admin1", ids: []int64{2, 3, 4, 5, 6, 7}},
			{role: roleReseller, password: "reseller1", ids: []int64{5}},
			{role: roleAccountant, password: "accountant1", err: mor.ErrNotAuthorized},
			{role: roleUser, password: "user_admin1", err: mor.ErrAccessDenied},
			{role: roleAdmin, password: "wrong", err: mor.ErrAccessDenied},
		} {
			t.Run(tc.role+"/"+tc.password, func(t *testing.T) {
				c, _ := setup(t, tc.role, mor.WithPassword(tc.password))
				users, err := c.Users.List(ctx)
				if tc.err != nil {
					assert.ErrorIs(t, err, tc.err)
					return
				}
				require.NoError(t, err)
				var ids []int64
				for _, u := range users {
					ids = append(ids, u.ID)
				}
				assert.Equal(t, tc.ids, ids)
			})
		}
		t.Run("accountant with user_manage", func(t *testing.T) {
			c, srv := setup(t, roleAccountant, mor.WithPassword("accountant1"))
			gid := srv.AddAccGroup(mortest.AccGroup{Name: "acc", GroupType: "accountant",
				Rights: map[string]mortest.Right{"user_manage": mortest.RightRead}})
			srv.UpdateUser(4, func(u *mortest.User) { u.AccGroupID = gid })
			users, err := c.Users.List(ctx)
			require.NoError(t, err)
			assert.Len(t, users, 5)
		})
	})
	t.Run("Details", func(t *testing.T) {
		for _, tc := range []struct {
			role string
			p    mor.DetailsParams
			want int64
			err  error
		}{
			{role: roleAdmin, p: mor.DetailsParams{UserID: ptr(int64(0))}, want: 0},
			{role: roleAdmin, p: mor.DetailsParams{Username: "user_admin"}, want: 2},
			{role: roleAdmin, p: mor.DetailsParams{UserID: ptr(int64(5))}, err: mor.ErrUserNotFound},
			{role: roleReseller, p: mor.DetailsParams{UserID: ptr(int64(5))}, want: 5},
			{role: roleReseller, p: mor.DetailsParams{UserID: ptr(int64(2))}, err: mor.ErrNotFound},
			{role: roleAccountant, p: mor.DetailsParams{UserID: ptr(int64(2))}, want: 4},
			{role: roleUser, p: mor.DetailsParams{UserID: ptr(int64(5))}, want: 2},
		} {
			t.Run(tc.role, func(t *testing.T) {
				c, _ := setup(t, tc.role)
				d, err := c.Users.Details(ctx, tc.p)
				if tc.err != nil {
					assert.ErrorIs(t, err, tc.err)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, tc.want, d.UserID)
				if tc.role == roleAccountant {
					assert.Nil(t, d.Invoices)
					assert.Nil(t, d.WarningBalance)
				}
			})
		}
	})
	t.Run("Update", func(t *testing.T) {
		for _, tc := range []struct {
			role   string
			target int64
			err    error
		}{
			{role: roleAdmin, target: 2},
			{role: roleAdmin, target: 0},
			{role: roleAdmin, target: 5, err: mor.ErrUserNotFound},
			{role: roleReseller, target: 5},
			{role: roleReseller, target: 3},
			{role: roleReseller, target: 2, err: mor.ErrUserNotFound},
			{role: roleUser, target: 2, err: mor.ErrAccessDenied},
			{role: roleAccountant, target: 4, err: mor.ErrAccessDenied},
		} {
			t.Run(fmt.Sprint(tc.role, tc.target), func(t *testing.T) {
				c, srv := setup(t, tc.role)
				err := c.Users.Update(ctx, mor.UpdateParams{UserID: tc.target, FirstName: ptr("Renamed")})
				u, _ := srv.User(tc.target)
				if tc.err != nil {
					assert.ErrorIs(t, err, tc.err)
					assert.NotEqual(t, "Renamed", u.FirstName)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, "Renamed", u.FirstName)
			})
		}
		t.Run("accountant without a group: empty reply", func(t *testing.T) {
			c, _ := setup(t, roleAccountant)
			err := c.Users.Update(ctx, mor.UpdateParams{UserID: 2, FirstName: ptr("X")})
			assert.ErrorIs(t, err, mor.ErrEmptyResponse)
			assert.True(t, mor.InDoubt(err), "the server may have done something before crashing")
		})
		t.Run("accountant with user_manage edit", func(t *testing.T) {
			c, srv := setup(t, roleAccountant)
			gid := srv.AddAccGroup(mortest.AccGroup{Name: "acc", GroupType: "accountant",
				Rights: map[string]mortest.Right{"user_manage": mortest.RightEdit}})
			srv.UpdateUser(4, func(u *mortest.User) { u.AccGroupID = gid })
			require.NoError(t, c.Users.Update(ctx, mor.UpdateParams{UserID: 2, LastName: ptr("Acc")}))
			u, _ := srv.User(2)
			assert.Equal(t, "Acc", u.LastName)
		})
	})
	t.Run("Update every kind of field", func(t *testing.T) {
		c, srv := setup(t, roleAdmin)
		types := mor.InvoiceDetailedPDF | mor.InvoiceCalls
		err := c.Users.Update(ctx, mor.UpdateParams{UserID: 2, Username: ptr("renamed"), Password: ptr(mor.NewPassword("N3wPassword")),
			Credit: ptr(mustDecimal(t, "25.75")), Blocked: ptr(true), CallLimit: ptr(int64(3)), Email: ptr("u2@example.com"),
			City: ptr("Vilnius"), CountryID: ptr(int64(123)), InvoiceTypes: &types, BillingPeriod: mor.BillingWeekly,
			AgreementDate: ptr(time.Date(2021, 5, 4, 0, 0, 0, 0, time.UTC)), HideDestinationEnd: ptr(false),
			WarningEmailActive: ptr(true), WarningEmailHour: ptr(int64(9)), WarningEmailBalance: ptr(mustDecimal(t, "5")),
			Tax2Enabled: ptr(true), Tax2Name: ptr("VAT"), Tax2Value: ptr(mustDecimal(t, "21")), CyberplatActive: ptr(true)})
		require.NoError(t, err)
		u, _ := srv.User(2)
		assert.Equal(t, "renamed", u.Username)
		assert.Equal(t, mortest.PasswordHash("N3wPassword"), u.PasswordHash)
		assert.Equal(t, mortest.Decimal("25.75"), u.Credit)
		assert.True(t, u.Blocked)
		assert.Equal(t, int64(3), u.CallLimit)
		assert.Equal(t, int64(8|256), u.SendInvoiceTypes)
		assert.Equal(t, "weekly", u.BillingPeriod)
		assert.Equal(t, "2021-05-04", u.AgreementDate.Format("2006-01-02"))
		assert.Equal(t, int64(0), u.HideDestinationEnd)
		assert.True(t, u.WarningEmailActive)
		assert.Equal(t, int64(9), u.WarningEmailHour)
		assert.Equal(t, mortest.Decimal("5"), u.WarningEmailBalance)
		assert.True(t, u.CyberplatActive)
		a, _ := srv.Address(*u.AddressID)
		assert.Equal(t, "Vilnius", a.City)
		assert.Equal(t, int64(123), a.DirectionID)
		tx, _ := srv.Tax(u.TaxID)
		assert.True(t, tx.Tax2Enabled)
		assert.Equal(t, mortest.Decimal("21"), tx.Tax2Value)
		err = c.Users.Update(ctx, mor.UpdateParams{UserID: 2, Username: ptr("reseller")})
		assert.ErrorIs(t, err, mor.ErrUserNotUpdated)
		assert.ErrorIs(t, err, mor.ErrUsernameTaken)
	})
	t.Run("Register", func(t *testing.T) {
		c, srv := setup(t, roleAdmin)
		err := func() error { _, err := c.Users.Register(ctx, registerParams()); return err }()
		assert.ErrorIs(t, err, mor.ErrRegistrationDisabled)
		srv.SetConfline(0, "API_Allow_registration_ower_API", mortest.Confline{Value: "1"})
		_, err = c.Users.Register(ctx, registerParams())
		assert.ErrorIs(t, err, mor.ErrServerConfig, "no default-user settings")
		srv.SetConfline(0, "Default_User_tariff_id", mortest.Confline{Value: "2"})
		_, err = c.Users.Register(ctx, registerParams())
		assert.ErrorIs(t, err, mor.ErrServerConfig, "no default LCR")
		srv.SetConfline(0, "Default_User_lcr_id", mortest.Confline{Value: "1"})
		res, err := c.Users.Register(ctx, registerParams())
		require.NoError(t, err)
		u, ok := srv.User(res.UserID)
		require.True(t, ok)
		assert.Equal(t, "newuser", u.Username)
		d, ok := srv.Device(res.DeviceID)
		require.True(t, ok)
		assert.Equal(t, d.Secret, res.DevicePassword.Reveal())
		assert.Equal(t, *d.PIN, res.PIN.Reveal())
		assert.Equal(t, "<37060000001>", res.CallerID)
		_, err = c.Users.Register(ctx, registerParams())
		assert.ErrorIs(t, err, mor.ErrUsernameTaken, "a resend answers username taken")

		// A reseller registers under its own hash, signed with its secret.
		p := registerParams()
		p.RegistrarHash, p.Username, p.Email = "qg2audn8qa", "resold", "resold@example.com"
		srv.SetConfline(3, "Default_User_tariff_id", mortest.Confline{Value: "3"})
		rc2, err := mor.NewClient(srv.URL, "reseller", mortest.SpecSecret)
		require.NoError(t, err)
		res, err = rc2.Users.Register(ctx, p)
		require.NoError(t, err)
		u, _ = srv.User(res.UserID)
		assert.Equal(t, int64(3), u.OwnerID)
	})
	t.Run("CreateResellerGroup", func(t *testing.T) {
		for _, tc := range []struct {
			role string
			err  error
		}{{roleAdmin, nil}, {roleReseller, mor.ErrAccessDenied}, {roleAccountant, mor.ErrAccessDenied}, {roleUser, mor.ErrAccessDenied}} {
			t.Run(tc.role, func(t *testing.T) {
				c, srv := setup(t, tc.role)
				err := c.Users.CreateResellerGroup(ctx, mor.ResellerGroupParams{Name: "RG1", Description: "d", PBXFunctions: true})
				if tc.err != nil {
					assert.ErrorIs(t, err, tc.err)
					assert.Empty(t, srv.AccGroups())
					return
				}
				require.NoError(t, err)
				g := srv.AccGroups()[0]
				assert.Equal(t, "RG1", g.Name)
				assert.Equal(t, mortest.RightEdit, g.Rights["pbx_functions"])
				assert.Equal(t, mortest.RightNone, g.Rights["calling_cards"])
				err = c.Users.CreateResellerGroup(ctx, mor.ResellerGroupParams{Name: "rg1"})
				assert.ErrorIs(t, err, mor.ErrAlreadyExists)
			})
		}
	})
	t.Run("Login and Logout", func(t *testing.T) {
		c, srv := setup(t, roleAdmin)
		res, err := c.Users.Login(ctx, "user_admin", mor.NewPassword("user_admin1"))
		require.NoError(t, err)
		assert.Equal(t, int64(2), res.UserID)
		u, _ := srv.User(2)
		assert.True(t, u.Logged)
		require.NoError(t, c.Users.Logout(ctx, "user_admin"))
		u, _ = srv.User(2)
		assert.False(t, u.Logged)
		assert.ErrorIs(t, c.Users.Logout(ctx, "ghost"), mor.ErrBadLogin)
		for range 2 {
			_, err = c.Users.Login(ctx, "user_admin", mor.NewPassword("nope"))
			assert.ErrorIs(t, err, mor.ErrLoginFailed)
		}
		_, err = c.Users.Login(ctx, "user_admin", mor.NewPassword("nope"))
		assert.ErrorIs(t, err, mor.ErrLoginThrottled)
		assert.NotContains(t, err.Error(), "nope", "the password is never in an error")

		srv.SetConfline(0, "API_Login_Redirect_to_Main", mortest.Confline{Value: "1"})
		_, err = c.Users.Login(ctx, "admin", mor.NewPassword("admin1"))
		assert.ErrorIs(t, err, mor.ErrLoginRedirect)
	})
}

func TestUsersFailurePaths(t *testing.T) {
	calls := map[string]func(ctx context.Context, c *mor.Client) error{
		"Login": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Users.Login(ctx, "john", mor.NewPassword("pw"))
			return err
		},
		"Logout": func(ctx context.Context, c *mor.Client) error { return c.Users.Logout(ctx, "") },
		"Details": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Users.Details(ctx, mor.DetailsParams{UserID: ptr(int64(2))})
			return err
		},
		"Update": func(ctx context.Context, c *mor.Client) error {
			return c.Users.Update(ctx, mor.UpdateParams{UserID: 2, FirstName: ptr("x")})
		},
		"Register": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Users.Register(ctx, registerParams())
			return err
		},
		"CreateResellerGroup": func(ctx context.Context, c *mor.Client) error {
			return c.Users.CreateResellerGroup(ctx, mor.ResellerGroupParams{Name: "x"})
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { testFailurePaths(t, call) })
	}
	t.Run("List", func(t *testing.T) {
		for _, body := range []string{"", "garbage <<<", `<?xml version="1.0"?><page><something_else/></page>`} {
			c, _ := mockBody(t, body, mor.WithPassword("pw"))
			users, err := c.Users.List(context.Background())
			assert.Error(t, err, body)
			assert.Nil(t, users)
			c, _ = mockBody(t, body, mor.WithPassword("pw"))
			assert.Error(t, rangeErr(t, c.Users.All(context.Background())))
		}
	})
}

// Writes are sent once even with retries on; reads are retried.
func TestUsersWritesNeverRetried(t *testing.T) {
	ctx := context.Background()
	var n int
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		n++
		return httpmock.NewStringResponse(503, "busy"), nil
	})
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", mortest.SpecSecret,
		mor.WithHTTPClient(&http.Client{Transport: mt}), mor.WithRetries(3, time.Millisecond), mor.WithPassword("pw"))
	require.NoError(t, err)
	for name, call := range map[string]func() error{
		"Update":   func() error { return c.Users.Update(ctx, mor.UpdateParams{UserID: 2}) },
		"Register": func() error { _, err := c.Users.Register(ctx, registerParams()); return err },
		"Group":    func() error { return c.Users.CreateResellerGroup(ctx, mor.ResellerGroupParams{Name: "x"}) },
		"Login":    func() error { _, err := c.Users.Login(ctx, "a", mor.NewPassword("b")); return err },
		"Logout":   func() error { return c.Users.Logout(ctx, "") },
	} {
		n = 0
		err := call()
		require.Error(t, err, name)
		assert.Equal(t, 1, n, "%s sent once", name)
		assert.True(t, mor.InDoubt(err), name)
	}
	n = 0
	_, err = c.Users.List(ctx)
	require.Error(t, err)
	assert.Equal(t, 4, n, "users_get is a read: retried")
}

// Passwords never print.
func TestPasswordRedacted(t *testing.T) {
	p := mor.NewPassword("hunter2")
	res := mor.RegisterResult{DevicePassword: mor.NewDeviceSecret("hunter2"), PIN: mor.NewDeviceSecret("123456")}
	for _, s := range []string{fmt.Sprint(p), fmt.Sprintf("%v %+v %#v %s %q %x", p, res, res, p, p, p), p.String(), p.GoString()} {
		assert.NotContains(t, s, "hunter2")
		assert.NotContains(t, s, "123456")
	}
	b, err := json.Marshal(res)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "hunter2")
	var buf strings.Builder
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "p", p, "res", res)
	assert.NotContains(t, buf.String(), "hunter2")
	assert.Equal(t, "hunter2", p.Reveal())
}

// usersReply is a users_get reply with n users in the server's layout.
func usersReply(n int) string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <status>\n    <users>\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "      <user>\n        <id>%d</id>\n        <username>user%d</username>\n"+
			"        <first_name>First</first_name>\n        <last_name>Last %d</last_name>\n        <balance>12.5</balance>\n"+
			"        <blocked>0</blocked>\n        <lcr_id>1</lcr_id>\n        <tariff_id>2</tariff_id>\n"+
			"        <owner_id>0</owner_id>\n        <usertype>user</usertype>\n      </user>\n", i, i, i)
	}
	b.WriteString("    </users>\n  </status>\n</page>\n")
	return b.String()
}

func TestUsersAllStreamsLargeList(t *testing.T) {
	c, _ := mockBody(t, usersReply(2000), mor.WithPassword("pw"))
	n := 0
	for u, err := range c.Users.All(context.Background()) {
		require.NoError(t, err)
		n++
		require.Equal(t, int64(n), u.ID)
		if n == 1500 {
			break // stopping early is allowed and closes the body
		}
	}
	assert.Equal(t, 1500, n)
}

// BenchmarkUsersAll decodes a 10,000-user users_get reply as a stream.
func BenchmarkUsersAll(b *testing.B) {
	body := usersReply(10000)
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(200, body), nil
	})
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", mortest.SpecSecret,
		mor.WithHTTPClient(&http.Client{Transport: mt}), mor.WithPassword("pw"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range c.Users.All(context.Background()) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 10000 {
			b.Fatal(n)
		}
	}
}

// The typed params produce the server's golden hashes (secret "secret").
func TestUsersGoldenHashes(t *testing.T) {
	ctx := context.Background()
	c, sent := mockReply(t, "user_details_update_success")
	require.NoError(t, c.Users.Update(ctx, mor.UpdateParams{UserID: 2, LastName: ptr("Smith"), FirstName: ptr("John"),
		CallLimit: ptr(int64(5)), Credit: ptr(mustDecimal(t, "10.5")), Password: ptr(mor.NewPassword("Secret123")),
		Email: ptr("john@example.com")}))
	assert.Equal(t, "56931f63c52437c782cb4b0ef60ec6b1b49b923b", (*sent)[0].Get("hash"))

	c, sent = mockReply(t, "user_register_success")
	_, err := c.Users.Register(ctx, registerParams())
	require.NoError(t, err)
	assert.Equal(t, "0ac899e27e9d747e76382f36ce645107b1bddae0", (*sent)[0].Get("hash"))

	c, sent = mockReply(t, "users_get_success", mor.WithPassword("admin1"))
	_, err = c.Users.List(ctx)
	require.NoError(t, err)
	assert.Equal(t, "c420ef706a02e6449994b7575b25ef5f74cc722b", (*sent)[0].Get("hash"))

	c, sent = mockReply(t, "reseller_group_create_success")
	require.NoError(t, c.Users.CreateResellerGroup(ctx, mor.ResellerGroupParams{Name: "RG1", CallingCards: true}))
	assert.Equal(t, "42a85872585ca8b7a9e1870f1e9c388b4063f307", (*sent)[0].Get("hash"))

	c, sent = mockReply(t, "user_details_get_success")
	_, err = c.Users.Details(ctx, mor.DetailsParams{UserID: ptr(int64(2))})
	require.NoError(t, err)
	assert.Equal(t, "38282ca5e65e63746498ef5b39a2fe71c6448df4", (*sent)[0].Get("hash"))

	c, sent = mockReply(t, "user_logout_success")
	require.NoError(t, c.Users.Logout(ctx, ""))
	assert.Equal(t, "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4", (*sent)[0].Get("hash"))
}

// The admin's own details: no generate_invoices/show_zero_calls, but the
// by-caller-ID forms; a simple user target shows hide_non_answered_calls.
func TestUsersDetailsShapes(t *testing.T) {
	ctx := context.Background()
	c, _ := setup(t, roleAdmin)
	d, err := c.Users.Details(ctx, mor.DetailsParams{UserID: ptr(int64(0))})
	require.NoError(t, err)
	require.NotNil(t, d.Invoices)
	assert.Nil(t, d.Invoices.GenerateInvoices)
	assert.Nil(t, d.Invoices.ShowZeroCalls)
	assert.NotNil(t, d.Invoices.ByCallerIDPDF)
	assert.Nil(t, d.WarningBalance.Admin, "the admin's own thresholds are not shown")
	d, err = c.Users.Details(ctx, mor.DetailsParams{UserID: ptr(int64(2))})
	require.NoError(t, err)
	assert.Equal(t, ptr(false), d.HideNonAnsweredCalls)
	assert.Nil(t, d.Registration, "user 2 has no address")
	assert.Equal(t, "USD", d.Balance.Currency)
}

// Every role logs in with its own password and logs out with its own client.
func TestUsersLoginLogoutEveryRole(t *testing.T) {
	ctx := context.Background()
	for role, id := range map[string]int64{roleAdmin: 0, roleReseller: 3, roleAccountant: 4, roleUser: 2} {
		t.Run(role, func(t *testing.T) {
			c, srv := setup(t, role)
			name := map[string]string{roleAdmin: "admin", roleReseller: "reseller", roleAccountant: "accountant", roleUser: "user_admin"}[role]
			res, err := c.Users.Login(ctx, name, mor.NewPassword(name+"1"))
			require.NoError(t, err)
			assert.Equal(t, id, res.UserID)
			u, _ := srv.User(id)
			assert.True(t, u.Logged)
			require.NoError(t, c.Users.Logout(ctx, ""))
			u, _ = srv.User(id)
			assert.False(t, u.Logged)
		})
	}
}
