package mor_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
)

// The golden vectors of the rates and system methods (secret "secret",
// computed outside Go and checked against the server's hash code), for the
// hash rule itself and for what each typed call sends.
func TestRatesSystemGoldenHashes(t *testing.T) {
	const (
		secretOnly = "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"
	)
	for _, tc := range []struct {
		method string
		params url.Values
		want   string
	}{
		{"tariff_rates_get", url.Values{"u": {"admin"}, "tariff_id": {"4"}}, "9a9d292176f7b8adb10d0d037732446bae1ef4dd"},
		{"tariff_rates_get", url.Values{"u": {"admin"}, "tariff_id": {"004"}}, "9a9d292176f7b8adb10d0d037732446bae1ef4dd"},
		{"get_tariff", url.Values{"u": {"admin"}, "user_id": {"2"}, "tariff_id": {"4"}}, "3bd658e8800a6377eb772458f08604f4aecc01ad"},
		{"rate_get", url.Values{"u": {"admin"}, "username": {"user_admin"}, "prefix": {"370"}, "by_full_dst": {"1"}}, "79e75e75f9cd6821e7b661250a45294b4579f262"},
		{"tariff_retail_import", url.Values{"u": {"admin"}, "xml": {"<tariff/>"}}, secretOnly},
		{"tariff_wholesale_update", url.Values{"u": {"admin"}, "id": {"0"}, "name": {"Wholesale A"}, "currency": {"USD"}}, "a00c05eea1273f4173f615f0f7f41a8af9f01e5b"},
		{"tariff_wholesale_update", url.Values{"u": {"admin"}, "id": {"2"}, "name": {"Test Tariff for Users"}}, "3c6ff44b4ba89dd3560630c6977d4f36c93263b7"},
		{"callback_init", url.Values{"u": {"user_admin"}, "device": {"2"}, "src": {"101"}, "dst": {"37060000000"}}, "10d46a554f015e5abf03148a2449fae96bf0026f"},
		{"system_version_get", url.Values{"u": {"admin"}}, secretOnly},
		{"email_send", url.Values{"u": {"admin"}, "email_name": {"test_email"}, "email_to_user_id": {"2"}, "first_name": {"John"}, "test_body": {"1"}}, "bbefb6779f229d1abecad3149b7e7abe56087e6d"},
		{"conflines_update", url.Values{"u": {"admin"}, "allow_api": {"1"}, "api_secret_key": {"secret"}}, secretOnly},
		{"pbx_pool_create", url.Values{"u": {"admin"}, "name": {"Pool1"}, "comment": {"c"}}, "5b49ca292829a316a14c8fc01d38be82c6b584a0"},
		{"pbx_pool_create", url.Values{"u": {"admin"}, "name": {" Pool1 "}}, "390b91f603128f8436e11c805a1e5bbc6be8fd8a"},
	} {
		assert.Equal(t, tc.want, mor.Hash(tc.method, tc.params, "secret"), "%s %v", tc.method, tc.params)
	}

	// What the typed calls send.
	var form url.Values
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		require.NoError(t, req.ParseForm())
		form = req.PostForm
		return httpmock.NewStringResponse(200, `<page><error>stop</error></page>`), nil
	})
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", "secret", mor.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	ctx := context.Background()
	uid := int64(2)
	for _, tc := range []struct {
		call func()
		want string
	}{
		{func() { _, _ = c.Rates.Export(ctx, mor.TariffExportParams{TariffID: 4}) }, "9a9d292176f7b8adb10d0d037732446bae1ef4dd"},
		{func() { _, _ = c.Rates.Export(ctx, mor.TariffExportParams{UserID: &uid, TariffID: 4}) }, "3bd658e8800a6377eb772458f08604f4aecc01ad"},
		{func() { _, _ = c.Rates.Active(ctx, mor.RateParams{Username: "user_admin", Number: "370"}) }, "79e75e75f9cd6821e7b661250a45294b4579f262"},
		{func() {
			_, _ = c.Rates.UpdateWholesale(ctx, mor.WholesaleTariffParams{Name: "Wholesale A", Currency: "USD"})
		}, "a00c05eea1273f4173f615f0f7f41a8af9f01e5b"},
		{func() {
			_ = c.System.Callback(ctx, mor.CallbackParams{DeviceID: 2, Src: "101", Dst: "37060000000"})
		}, "10d46a554f015e5abf03148a2449fae96bf0026f"},
		{func() {
			_, _ = c.System.RenderEmail(ctx, mor.EmailParams{Template: "test_email", ToUserID: &uid, Vars: mor.EmailVars{FirstName: "John"}})
		}, "bbefb6779f229d1abecad3149b7e7abe56087e6d"},
		{func() { _ = c.System.CreatePBXPool(ctx, " Pool1 ", "") }, "390b91f603128f8436e11c805a1e5bbc6be8fd8a"},
		{func() { _, _ = c.System.Version(ctx) }, secretOnly},
		{func() { _ = c.System.UpdateConflines(ctx, mor.ConflinesParams{APISecretKey: new("secret2")}) }, secretOnly},
	} {
		form = nil
		tc.call()
		require.NotNil(t, form)
		assert.Equal(t, tc.want, form.Get("hash"), "%v", form)
	}
}
