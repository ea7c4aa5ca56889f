package mor

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// call runs one typed call and returns its result (or nil) and error.
type call struct {
	method string
	run    func(ctx context.Context, c *Client) (any, error)
}

var (
	addCall = call{"cli_add", func(ctx context.Context, c *Client) (any, error) {
		return nil, c.CLIs.Add(ctx, AddCLIParams{DeviceID: 2, CLINumber: "1234", Description: "desk", Comment: "c"})
	}}
	deleteCall = call{"cli_delete", func(ctx context.Context, c *Client) (any, error) {
		return nil, c.CLIs.Delete(ctx, "1234")
	}}
	infoCall = call{"cli_info_get", func(ctx context.Context, c *Client) (any, error) {
		return c.CLIs.Info(ctx, "123456")
	}}
	listCall = call{"device_clis_get", func(ctx context.Context, c *Client) (any, error) {
		return c.CLIs.List(ctx, DeviceCLIsParams{UserID: 2})
	}}
)

func mustTime(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05 -0700", s)
	if err != nil {
		panic(err)
	}
	return t
}

// Every recorded reply, in every body form, gives the same outcome.
func TestRecordedRepliesAllWireForms(t *testing.T) {
	tests := []struct {
		reply    string
		call     call
		want     any    // expected result on success
		sentinel error  // expected sentinel on failure
		message  string // expected server text on failure
		owner    string
	}{
		{reply: "cli_add_success.xml", call: addCall},
		{reply: "cli_add_success_wiki.xml", call: addCall},
		{reply: "cli_add_exists_owner.xml", call: addCall, sentinel: ErrCLIExists,
			message: "CLI already exists. It is assigned to Test User #1 device", owner: "Test User #1"},
		{reply: "cli_add_exists_and_not_numeric.xml", call: addCall, sentinel: ErrCLINotNumeric,
			message: "CLI already exists; CLI must be numeric"},
		{reply: "cli_add_not_numeric.xml", call: addCall, sentinel: ErrCLINotNumeric, message: "CLI must be numeric"},
		{reply: "cli_add_not_authorized.xml", call: addCall, sentinel: ErrNotAuthorized, message: "You are not authorized to view this page"},
		{reply: "cli_add_ivr_not_found.xml", call: addCall, sentinel: ErrIVRNotFound, message: "IVR was not found"},
		{reply: "cli_add_wiki_bare_errors.xml", call: addCall, sentinel: ErrDeviceNotFound, message: "Device was not found"},
		{reply: "gate_incorrect_hash.xml", call: addCall, sentinel: ErrIncorrectHash, message: "Incorrect hash"},
		{reply: "gate_api_disabled.xml", call: deleteCall, sentinel: ErrAPIDisabled, message: "API Requests are disabled"},
		{reply: "gate_no_secret.xml", call: infoCall, sentinel: ErrNoSecretKey, message: "API must have Secret Key"},
		{reply: "gate_get_disabled.xml", call: listCall, sentinel: ErrGETDisabled, message: "GET Requests are disabled"},
		{reply: "gate_no_such_api.xml", call: listCall, sentinel: ErrNoSuchAPI, message: "There is no such API"},
		{reply: "cli_delete_success.xml", call: deleteCall},
		{reply: "cli_delete_success_wiki_2014.xml", call: deleteCall},
		{reply: "cli_delete_not_found.xml", call: deleteCall, sentinel: ErrCLINotFound, message: "CLI was not found"},
		{reply: "cli_delete_device_cid.xml", call: deleteCall, sentinel: ErrCLIIsDeviceCID, message: "Device CID is assigned to Device"},
		{reply: "cli_info_get_success.xml", call: infoCall, want: &CLIInfo{UserID: 2, DeviceID: 2}},
		{reply: "cli_info_get_not_found.xml", call: infoCall, sentinel: ErrCLINotFound, message: "CLI not found"},
		{reply: "cli_info_get_bad_login.xml", call: infoCall, sentinel: ErrBadLogin, message: "Bad login"},
		{reply: "cli_info_get_device_user_not_found.xml", call: infoCall, sentinel: ErrDeviceUserNotFound, message: "Device user not found"},
		{reply: "device_clis_get_success.xml", call: listCall, want: []CLI{
			{ID: 1, Number: "123456", Device: "IAX2/101", AddedAt: mustTime("2018-02-01 10:00:00 +0200"), UpdatedAt: mustTime("2018-02-01 10:00:00 +0200")},
			{ID: 3, Number: "1234", Device: "IAX2/101", Comment: "desk & phone <2>", EmailCallback: true, Banned: true,
				AddedAt: mustTime("2018-03-05 17:21:09 +0200"), UpdatedAt: mustTime("2018-03-06 08:00:00 +0200")},
			{ID: 2, Number: "987654", Device: "IAX2/105", Description: "Reseller line", IVR: "Main menu",
				AddedAt: mustTime("2018-02-01 10:00:00 +0200"), UpdatedAt: mustTime("2018-02-01 10:00:00 +0200")},
		}},
		{reply: "device_clis_get_domain.xml", call: listCall, want: []CLI{
			{ID: 7, Domain: "sip.example.com", Device: "SIP/1001", Banned: true,
				AddedAt: mustTime("2024-06-01 09:30:00 +0000"), UpdatedAt: mustTime("2024-06-01 09:30:00 +0000")},
		}},
		{reply: "device_clis_get_none.xml", call: listCall, want: []CLI{}},
		{reply: "device_clis_get_user_not_found.xml", call: listCall, sentinel: ErrUserNotFound, message: "User was not found"},
		{reply: "device_clis_get_bad_login_shape_d.xml", call: listCall, sentinel: ErrBadLogin, message: "Bad login"},
		{reply: "cli_add_unknown_error.xml", call: addCall, message: "Something new went wrong & nobody knows"},
	}
	for _, tt := range tests {
		for _, form := range wireForms {
			t.Run(tt.reply+"/"+form.name, func(t *testing.T) {
				c, mt := newMockClient(t)
				mt.RegisterResponder(http.MethodPost, testBase+"/api/"+tt.call.method,
					responder(200, form.encode(readReply(t, tt.reply)), form.header))
				got, err := tt.call.run(context.Background(), c)
				assert.Equal(t, 1, mt.GetTotalCallCount())
				if tt.message == "" {
					require.NoError(t, err)
					if tt.want != nil {
						assert.Equal(t, tt.want, got)
					}
					return
				}
				require.Error(t, err)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tt.call.method, apiErr.Method)
				assert.Equal(t, tt.message, apiErr.Message)
				assert.Equal(t, "mor: "+tt.call.method+": "+tt.message, err.Error())
				assert.Equal(t, tt.owner, apiErr.Owner)
				if tt.sentinel != nil {
					assert.ErrorIs(t, err, tt.sentinel)
					assert.True(t, apiErr.Known())
				} else {
					assert.False(t, apiErr.Known(), "an unknown text maps to no sentinel")
				}
			})
		}
	}
}

func TestSeveralErrorsMatchEachSentinel(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(200, readReply(t, "cli_add_exists_and_not_numeric.xml"), nil))
	err := addCall.run2(c)
	assert.ErrorIs(t, err, ErrCLIExists)
	assert.ErrorIs(t, err, ErrCLINotNumeric)
	assert.NotErrorIs(t, err, ErrCLINotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, []string{"CLI already exists", "CLI must be numeric"}, apiErr.Messages)
	assert.Empty(t, apiErr.Owner)
}

func (cl call) run2(c *Client) error {
	_, err := cl.run(context.Background(), c)
	return err
}

// A reply that is neither an error nor the promised result is never success.
func TestUnexpectedRepliesAreNotSuccess(t *testing.T) {
	tests := []struct {
		name string
		call call
		body string
	}{
		{"add: other document", addCall, string(readReply(t, "unexpected_other_root.xml"))},
		{"add: status without success", addCall, "<page><status></status></page>"},
		{"add: info reply", addCall, string(readReply(t, "cli_info_get_success.xml"))},
		{"add: unknown bare status text", addCall, "<page><status>Done?</status></page>"},
		{"delete: list reply", deleteCall, string(readReply(t, "device_clis_get_success.xml"))},
		{"info: add reply", infoCall, string(readReply(t, "cli_add_success.xml"))},
		{"info: missing device_id", infoCall, "<page><cli><device><user_id>2</user_id></device></cli></page>"},
		{"list: add reply", listCall, string(readReply(t, "cli_add_success.xml"))},
		{"list: empty status", listCall, "<page><status></status></page>"},
		{"list: field before id", listCall, "<page><status><cli_cli>1</cli_cli></status></page>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder(http.MethodPost, testBase+"/api/"+tt.call.method, responder(200, []byte(tt.body), nil))
			got, err := tt.call.run(context.Background(), c)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrUnexpectedResponse)
			var pe *ParseError
			assert.ErrorAs(t, err, &pe)
			assert.Nil(t, got, "no half result") // nil or a typed nil pointer/slice
		})
	}
}

func TestMalformedFields(t *testing.T) {
	tests := []struct {
		name string
		call call
		body string
	}{
		{"bad id", listCall, "<page><status><cli_id>x</cli_id></status></page>"},
		{"bad time", listCall, "<page><status><cli_id>1</cli_id><cli_added_at>yesterday</cli_added_at></status></page>"},
		{"bad flag", listCall, "<page><status><cli_id>1</cli_id><cli_banned>yes</cli_banned></status></page>"},
		{"bad user_id", infoCall, "<page><cli><device><user_id>two</user_id><device_id>2</device_id></device></cli></page>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			mt.RegisterResponder(http.MethodPost, testBase+"/api/"+tt.call.method, responder(200, []byte(tt.body), nil))
			_, err := tt.call.run(context.Background(), c)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.call.method, pe.Method)
		})
	}
}

func TestLocalValidationSendsNothing(t *testing.T) {
	tests := []struct {
		name     string
		run      func(c *Client) error
		sentinel error
		field    string
	}{
		{"add: no device", func(c *Client) error { return c.CLIs.Add(context.Background(), AddCLIParams{CLINumber: "1"}) }, ErrDeviceIDEmpty, "device_id"},
		{"add: negative device", func(c *Client) error {
			return c.CLIs.Add(context.Background(), AddCLIParams{DeviceID: -1, CLINumber: "1"})
		}, ErrDeviceIDEmpty, "device_id"},
		{"add: no number no domain", func(c *Client) error { return c.CLIs.Add(context.Background(), AddCLIParams{DeviceID: 2}) }, ErrCLIEmpty, "cli_number"},
		{"add: blank number", func(c *Client) error {
			return c.CLIs.Add(context.Background(), AddCLIParams{DeviceID: 2, CLINumber: "  "})
		}, ErrCLIEmpty, "cli_number"},
		{"add: abc", func(c *Client) error {
			return c.CLIs.Add(context.Background(), AddCLIParams{DeviceID: 2, CLINumber: "abc"})
		}, ErrCLINotNumeric, "cli_number"},
		{"add: hex", func(c *Client) error {
			return c.CLIs.Add(context.Background(), AddCLIParams{DeviceID: 2, CLINumber: "0x12"})
		}, ErrCLINotNumeric, "cli_number"},
		{"delete: empty", func(c *Client) error { return c.CLIs.Delete(context.Background(), "") }, ErrCLIEmpty, "cli_number"},
		{"info: empty", func(c *Client) error { _, err := c.CLIs.Info(context.Background(), " "); return err }, ErrCLIEmpty, "cli"},
		{"call: bad method", func(c *Client) error { return c.Call(context.Background(), "cli_add/5", nil, nil) }, ErrInvalidMethod, "method"},
		{"call: empty method", func(c *Client) error { return c.Call(context.Background(), "", nil, nil) }, ErrInvalidMethod, "method"},
		{"call: u in params", func(c *Client) error {
			return c.Call(context.Background(), "users_get", url.Values{"u": {"x"}}, nil)
		}, ErrReservedParam, "u"},
		{"call: hash in params", func(c *Client) error {
			return c.Call(context.Background(), "users_get", url.Values{"hash": {"x"}}, nil)
		}, ErrReservedParam, "hash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			err := tt.run(c)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.sentinel)
			var apiErr *APIError
			assert.False(t, errors.As(err, &apiErr), "a local check is not a server error")
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
			assert.Zero(t, mt.GetTotalCallCount(), "nothing may be sent")
		})
	}
}

func TestAddCLIDomainOnly(t *testing.T) {
	c, mt := newMockClient(t)
	var form url.Values
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", func(r *http.Request) (*http.Response, error) {
		require.NoError(t, r.ParseForm())
		form = r.PostForm
		return responder(200, readReply(t, "cli_add_success.xml"), nil)(r)
	})
	require.NoError(t, c.CLIs.Add(context.Background(), AddCLIParams{DeviceID: 9, CLIDomain: "sip.example.com"}))
	assert.Equal(t, "sip.example.com", form.Get("cli_domain"))
	_, sent := form["cli_number"]
	assert.False(t, sent)
	assert.Equal(t, Hash("cli_add", url.Values{"device_id": {"9"}}, testSecret), form.Get("hash"))
}

func TestIsNumericCLI(t *testing.T) {
	for s, want := range map[string]bool{
		"123": true, " 123 ": true, "-5": true, "+5": true, "1.5": true, "1e3": true, "1E-3": true, "1_000": true,
		"37060000001": true, "0": true, "00370": true, "\t12\n": true, "\v7\f": true,
		"": false, " ": false, "abc": false, "12a": false, "1.": false, ".5": false, "0x1A": false, "0X1": false,
		"1__0": false, "_1": false, "1_": false, "1e": false, "+": false, "1 2": false, "١٢": false,
		"--1": false, "1.5.6": false, "-0x1": false,
		"12\u00a0": false, "\u2003" + "12": false, // Ruby strips ASCII white space only
	} {
		assert.Equal(t, want, IsNumericCLI(s), "%q", s)
	}
}

// Leaf text is data: kept as the server stored it (found by mortest).
func TestCLIFieldsKeepWhitespace(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, testBase+"/api/device_clis_get", responder(200, []byte(
		"<page>\n  <status>\n    <cli_id> 4 </cli_id>\n    <cli_cli> 555 </cli_cli>\n    <cli_comment>  two  spaces \n</cli_comment>\n"+
			"    <cli_banned> 1 </cli_banned>\n    <cli_added_at> 2018-02-01 10:00:00 +0200 </cli_added_at>\n  </status>\n</page>\n"), nil))
	clis, err := c.CLIs.List(context.Background(), DeviceCLIsParams{})
	require.NoError(t, err)
	require.Len(t, clis, 1)
	assert.Equal(t, CLI{ID: 4, Number: " 555 ", Comment: "  two  spaces \n", Banned: true, AddedAt: mustTime("2018-02-01 10:00:00 +0200")}, clis[0])
}

func TestAddCLIDomainWithBlankNumber(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder(http.MethodPost, testBase+"/api/cli_add", responder(200, readReply(t, "cli_add_success.xml"), nil))
	require.NoError(t, c.CLIs.Add(context.Background(), AddCLIParams{DeviceID: 9, CLINumber: " ", CLIDomain: "sip.example.com"}))
	assert.Equal(t, 1, mt.GetTotalCallCount())
}
