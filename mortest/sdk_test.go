package mortest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// sdkRow is one §9 row driven through the SDK client against mortest.
type sdkRow struct {
	name   string
	setup  func(t *testing.T, srv *mortest.Server)
	user   string // default "admin"
	secret string // default the spec secret
	run    func(ctx context.Context, c *mor.Client) (any, error)
	// On failure: the sentinel, and the server's exact text (empty when the
	// client refuses locally, with a *mor.ValidationError).
	wantErr error
	wantMsg string
	want    any // on success: the result (nil for AddCLI/DeleteCLI)
	check   func(t *testing.T, srv *mortest.Server)
}

func addCLI(p mor.AddCLIParams) func(context.Context, *mor.Client) (any, error) {
	return func(ctx context.Context, c *mor.Client) (any, error) { return nil, c.CLIs.Add(ctx, p) }
}

func deleteCLI(number string) func(context.Context, *mor.Client) (any, error) {
	return func(ctx context.Context, c *mor.Client) (any, error) { return nil, c.CLIs.Delete(ctx, number) }
}

func cliInfo(cli string) func(context.Context, *mor.Client) (any, error) {
	return func(ctx context.Context, c *mor.Client) (any, error) {
		info, err := c.CLIs.Info(ctx, cli)
		if err != nil {
			return nil, err
		}
		return *info, nil
	}
}

// brief is the part of a listed CLI these tests compare.
type brief struct {
	ID     int64
	Number string
	Device string
}

func deviceCLIs(userID, deviceID int64) func(context.Context, *mor.Client) (any, error) {
	return func(ctx context.Context, c *mor.Client) (any, error) {
		clis, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{UserID: userID, DeviceID: deviceID})
		if err != nil {
			return nil, err
		}
		out := []brief{}
		for _, x := range clis {
			out = append(out, brief{x.ID, x.Number, x.Device})
		}
		return out, nil
	}
}

// raw reaches the server with parameters the typed methods refuse locally.
func raw(method string, kv ...string) func(context.Context, *mor.Client) (any, error) {
	return func(ctx context.Context, c *mor.Client) (any, error) {
		return nil, c.Call(ctx, method, vals(kv...), nil)
	}
}

var (
	b1 = brief{1, "123456", "IAX2/101"}
	b2 = brief{2, "987654", "IAX2/105"}
	b3 = brief{3, "654121", "SIP/1001"}
)

func sdkSpecRows() []sdkRow {
	accRead := setRights(4, mortest.RightRead, mortest.RightNone)
	accNone := setRights(4, mortest.RightNone, mortest.RightNone)
	xmlHashOff := func(t *testing.T, srv *mortest.Server) { srv.SetXMLExtension(true); hashOff(t, srv) }
	return []sdkRow{
		// cli_add
		{name: "cli_add wrong hash accountant", user: "accountant", secret: "wrong",
			run:     addCLI(mor.AddCLIParams{DeviceID: 2, CLINumber: "1234"}),
			wantErr: mor.ErrIncorrectHash, wantMsg: "Incorrect hash", check: unchanged},
		{name: "cli_add no device_id (local)", run: addCLI(mor.AddCLIParams{CLINumber: "1234"}),
			wantErr: mor.ErrDeviceIDEmpty, check: unchanged},
		{name: "cli_add no device_id (server)", run: raw("cli_add", "cli_number", "1234"),
			wantErr: mor.ErrDeviceIDEmpty, wantMsg: "Device ID cannot be empty", check: unchanged},
		{name: "cli_add device_id=invalid", run: raw("cli_add", "device_id", "invalid", "cli_number", "1234"),
			wantErr: mor.ErrDeviceNotFound, wantMsg: "Device was not found", check: unchanged},
		{name: "cli_add unknown device", run: addCLI(mor.AddCLIParams{DeviceID: 4242, CLINumber: "1234"}),
			wantErr: mor.ErrDeviceNotFound, wantMsg: "Device was not found", check: unchanged},
		{name: "cli_add abc (local)", run: addCLI(mor.AddCLIParams{DeviceID: 2, CLINumber: "abc"}),
			wantErr: mor.ErrCLINotNumeric, check: unchanged},
		{name: "cli_add abc (server)", run: raw("cli_add", "device_id", "2", "cli_number", "abc"),
			wantErr: mor.ErrCLINotNumeric, wantMsg: "CLI must be numeric", check: unchanged},
		{name: "cli_add created", run: addCLI(mor.AddCLIParams{DeviceID: 2, CLINumber: "1234"}), check: hasCLI("1234", 2)},
		{name: "cli_add twice", setup: addAs("admin", "2", "1234"), run: addCLI(mor.AddCLIParams{DeviceID: 2, CLINumber: "1234"}),
			wantErr: mor.ErrCLIExists, wantMsg: "CLI already exists. It is assigned to Test User #1 device",
			check: func(t *testing.T, srv *mortest.Server) { assert.Len(t, srv.CLIs(), 4) }},
		{name: "cli_add with comment and description",
			run: addCLI(mor.AddCLIParams{DeviceID: 2, CLINumber: "123467", Description: "desk", Comment: "from sdk"}),
			check: func(t *testing.T, srv *mortest.Server) {
				c, ok := srv.CLI("123467")
				require.True(t, ok)
				require.NotNil(t, c.Description)
				assert.Equal(t, "desk", *c.Description)
				assert.Equal(t, "from sdk", c.Comment)
			}},
		{name: "cli_add ivr_id=2", run: addCLI(mor.AddCLIParams{DeviceID: 2, CLINumber: "123467", IVRID: 2}),
			check: func(t *testing.T, srv *mortest.Server) {
				c, ok := srv.CLI("123467")
				require.True(t, ok)
				require.NotNil(t, c.IVRID)
				assert.Equal(t, int64(2), *c.IVRID)
			}},
		{name: "cli_add ivr_id=4789", run: addCLI(mor.AddCLIParams{DeviceID: 2, CLINumber: "123467", IVRID: 4789}),
			wantErr: mor.ErrIVRNotFound, wantMsg: "IVR was not found", check: unchanged},
		{name: "cli_add banned", run: addCLI(mor.AddCLIParams{DeviceID: 2, CLINumber: "1234678", Banned: true}),
			check: func(t *testing.T, srv *mortest.Server) {
				c, _ := srv.CLI("1234678")
				assert.Equal(t, int64(1), c.Banned)
			}},
		{name: "cli_add reseller ivr_id=4", user: "reseller",
			run:     addCLI(mor.AddCLIParams{DeviceID: 7, CLINumber: "5550001", IVRID: 4}),
			wantErr: mor.ErrIVRNotFound, wantMsg: "IVR was not found", check: unchanged},
		{name: "cli_add unknown u", user: "ghost", run: addCLI(mor.AddCLIParams{DeviceID: 7, CLINumber: "12394767"}),
			wantErr: mor.ErrAccessDenied, wantMsg: "Access Denied", check: unchanged},
		{name: "cli_add reseller on admin's user device", user: "reseller",
			run:     addCLI(mor.AddCLIParams{DeviceID: 2, CLINumber: "5550002"}),
			wantErr: mor.ErrDeviceNotFound, wantMsg: "Device was not found", check: unchanged},
		{name: "cli_add accountant without device_manage edit", setup: accRead, user: "accountant",
			run:     addCLI(mor.AddCLIParams{DeviceID: 2, CLINumber: "5550003"}),
			wantErr: mor.ErrNotAuthorized, wantMsg: "You are not authorized to view this page", check: unchanged},
		{name: "cli_add reseller own user's device", user: "reseller",
			run: addCLI(mor.AddCLIParams{DeviceID: 7, CLINumber: "5550004"}), check: hasCLI("5550004", 7)},
		{name: "cli_add reseller empty cli_number (local)", user: "reseller",
			run: addCLI(mor.AddCLIParams{DeviceID: 7}), wantErr: mor.ErrCLIEmpty, check: unchanged},
		{name: "cli_add reseller empty cli_number (server)", user: "reseller",
			run:     raw("cli_add", "device_id", "7", "cli_number", ""),
			wantErr: mor.ErrCLIEmpty, wantMsg: "CLI Number cannot be empty", check: unchanged},
		{name: "cli_add admin on reseller's user device", run: addCLI(mor.AddCLIParams{DeviceID: 7, CLINumber: "5550005"}),
			check: hasCLI("5550005", 7)},
		{name: "cli_add accountant with rights", user: "accountant",
			run: addCLI(mor.AddCLIParams{DeviceID: 2, CLINumber: "5550006"}), check: hasCLI("5550006", 2)},
		{name: "cli_add device_id=7=88", setup: xmlHashOff, run: raw("cli_add", "device_id", "7=88", "cli_number", "5550007"),
			check: hasCLI("5550007", 7)},
		{name: "cli_add device_id=21=88", setup: xmlHashOff, run: raw("cli_add", "device_id", "21=88", "cli_number", "5550008"),
			wantErr: mor.ErrDeviceNotFound, wantMsg: "Device was not found", check: unchanged},

		// cli_delete
		{name: "cli_delete absent number", run: deleteCLI("381372"),
			wantErr: mor.ErrCLINotFound, wantMsg: "CLI was not found", check: unchanged},
		{name: "cli_delete wrong hash", secret: "wrong", run: deleteCLI("123456"),
			wantErr: mor.ErrIncorrectHash, wantMsg: "Incorrect hash", check: unchanged},
		{name: "cli_delete admin", run: deleteCLI("123456"), check: noCLI("123456")},
		{name: "cli_delete reseller own user's CLI", user: "reseller", run: deleteCLI("987654"), check: noCLI("987654")},
		{name: "cli_delete accountant with edit", user: "accountant", run: deleteCLI("123456"), check: noCLI("123456")},
		{name: "cli_delete user_admin", user: "user_admin", run: deleteCLI("123456"),
			wantErr: mor.ErrAccessDenied, wantMsg: "Access Denied", check: unchanged},
		{name: "cli_delete user_reseller", user: "user_reseller", run: deleteCLI("987654"),
			wantErr: mor.ErrAccessDenied, wantMsg: "Access Denied", check: unchanged},
		{name: "cli_delete misspelt u", user: "admn", run: deleteCLI("123456"),
			wantErr: mor.ErrAccessDenied, wantMsg: "Access Denied", check: unchanged},
		{name: "cli_delete reseller CLI already gone", setup: func(t *testing.T, srv *mortest.Server) {
			srv.RemoveCLI(2)
		}, user: "reseller", run: deleteCLI("987654"), wantErr: mor.ErrCLINotFound, wantMsg: "CLI was not found"},
		{name: "cli_delete accountant without edit", setup: accRead, user: "accountant", run: deleteCLI("123456"),
			wantErr: mor.ErrNotAuthorized, wantMsg: "You are not authorized to use this functionality", check: unchanged},
		{name: "cli_delete device CID", setup: func(t *testing.T, srv *mortest.Server) { srv.SetDeviceControlCID(2, 1) },
			run: deleteCLI("123456"), wantErr: mor.ErrCLIIsDeviceCID, wantMsg: "Device CID is assigned to Device", check: unchanged},

		// cli_info_get
		{name: "cli_info_get accountant without device_manage", setup: accNone, user: "accountant", run: cliInfo("123456"),
			wantErr: mor.ErrNotAuthorized, wantMsg: "You are not authorized to view this page"},
		{name: "cli_info_get admin", run: cliInfo("123456"), want: mor.CLIInfo{UserID: 2, DeviceID: 2}},
		{name: "cli_info_get admin hash off", setup: hashOff, run: cliInfo("123456"), want: mor.CLIInfo{UserID: 2, DeviceID: 2}},
		{name: "cli_info_get accountant read", setup: accRead, user: "accountant", run: cliInfo("123456"),
			want: mor.CLIInfo{UserID: 2, DeviceID: 2}},
		{name: "cli_info_get admin reseller-user CLI", run: cliInfo("987654"),
			wantErr: mor.ErrCLINotFound, wantMsg: "CLI not found"},
		{name: "cli_info_get reseller others' CLI", user: "reseller", run: cliInfo("123456"),
			wantErr: mor.ErrCLINotFound, wantMsg: "CLI not found"},
		{name: "cli_info_get cli=12", run: cliInfo("12"), wantErr: mor.ErrCLINotFound, wantMsg: "CLI not found"},
		{name: "cli_info_get cli=sdfsdfsdg", run: cliInfo("sdfsdfsdg"), wantErr: mor.ErrCLINotFound, wantMsg: "CLI not found"},
		{name: "cli_info_get reseller own user's CLI", user: "reseller", run: cliInfo("987654"),
			want: mor.CLIInfo{UserID: 5, DeviceID: 7}},
		{name: "cli_info_get user_admin", user: "user_admin", run: cliInfo("123456"),
			wantErr: mor.ErrAccessDenied, wantMsg: "Access Denied"},
		{name: "cli_info_get user_reseller", user: "user_reseller", run: cliInfo("987654"),
			wantErr: mor.ErrAccessDenied, wantMsg: "Access Denied"},
		{name: "cli_info_get unknown u", user: "ghost", run: cliInfo("123456"), wantErr: mor.ErrBadLogin, wantMsg: "Bad login"},
		{name: "cli_info_get no cli (local)", run: cliInfo(""), wantErr: mor.ErrCLIEmpty},
		{name: "cli_info_get no cli (server)", run: raw("cli_info_get"), wantErr: mor.ErrCLIEmpty, wantMsg: "CLI is empty"},
		{name: "cli_info_get cli= (server)", run: raw("cli_info_get", "cli", ""), wantErr: mor.ErrCLIEmpty, wantMsg: "CLI is empty"},
		{name: "cli_info_get device_id NULL", setup: func(t *testing.T, srv *mortest.Server) {
			srv.UpdateCLI(1, func(c *mortest.CLI) { c.DeviceID = 0 })
		}, run: cliInfo("123456"), wantErr: mor.ErrDeviceNotFound, wantMsg: "Device not found"},

		// device_clis_get
		{name: "device_clis_get accountant without device_manage", setup: accNone, user: "accountant",
			run: deviceCLIs(0, 0), wantErr: mor.ErrNotAuthorized, wantMsg: "You are not authorized to use this functionality"},
		{name: "device_clis_get wrong hash", secret: "5b", run: deviceCLIs(0, 0),
			wantErr: mor.ErrIncorrectHash, wantMsg: "Incorrect hash"},
		{name: "device_clis_get admin no filter", run: deviceCLIs(0, 0), want: []brief{b1, b2, b3}},
		{name: "device_clis_get admin users_id=5", run: deviceCLIs(5, 0), want: []brief{b2}},
		{name: "device_clis_get admin devices_id=7", run: deviceCLIs(0, 7), want: []brief{b2}},
		{name: "device_clis_get admin both", run: deviceCLIs(5, 7), want: []brief{b2}},
		{name: "device_clis_get reseller no filter", user: "reseller", run: deviceCLIs(0, 0), want: []brief{b2}},
		{name: "device_clis_get reseller users_id=2", user: "reseller", run: deviceCLIs(2, 0),
			wantErr: mor.ErrUserNotFound, wantMsg: "User was not found"},
		{name: "device_clis_get reseller users_id=7", user: "reseller", run: deviceCLIs(7, 0),
			wantErr: mor.ErrUserNotFound, wantMsg: "User was not found"},
		{name: "device_clis_get reseller users_id=2 devices_id=2", user: "reseller", run: deviceCLIs(2, 2),
			wantErr: mor.ErrUserNotFound, wantMsg: "User was not found"},
		{name: "device_clis_get reseller users_id=7 devices_id=7", user: "reseller", run: deviceCLIs(7, 7),
			wantErr: mor.ErrUserNotFound, wantMsg: "User was not found"},
		{name: "device_clis_get reseller devices_id=2 (empty list)", user: "reseller", run: deviceCLIs(0, 2), want: []brief{}},
		{name: "device_clis_get reseller devices_id=8 (empty list)", user: "reseller", run: deviceCLIs(0, 8), want: []brief{}},
		{name: "device_clis_get reseller devices_id=8 (server text)", user: "reseller", run: raw("device_clis_get", "devices_id", "8"),
			wantErr: mor.ErrCLIsNotFound, wantMsg: "CLIs were not found"},
		{name: "device_clis_get accountant read users_id=2", setup: accRead, user: "accountant", run: deviceCLIs(2, 0),
			want: []brief{b1}},
		{name: "device_clis_get accountant read users_id=5", setup: accRead, user: "accountant", run: deviceCLIs(5, 0),
			wantErr: mor.ErrUserNotFound, wantMsg: "User was not found"},
		{name: "device_clis_get user_admin", user: "user_admin", run: deviceCLIs(0, 0),
			wantErr: mor.ErrAccessDenied, wantMsg: "Access Denied"},
		{name: "device_clis_get user_reseller", user: "user_reseller", run: deviceCLIs(0, 0),
			wantErr: mor.ErrAccessDenied, wantMsg: "Access Denied"},
		{name: "device_clis_get unknown u: empty body", user: "ghost", run: deviceCLIs(0, 0), wantErr: mor.ErrEmptyResponse},
		{name: "device_clis_get users_id=vienas", run: raw("device_clis_get", "users_id", "vienas"),
			wantErr: mor.ErrUserNotFound, wantMsg: "User was not found"},
		{name: "device_clis_get devices_id=du", run: raw("device_clis_get", "devices_id", "du"),
			wantErr: mor.ErrDeviceNotFound, wantMsg: "Device was not found"},
		{name: "device_clis_get devices_id=", run: raw("device_clis_get", "devices_id", ""),
			wantErr: mor.ErrDeviceNotFound, wantMsg: "Device was not found"},
		{name: "device_clis_get xml extension", setup: func(t *testing.T, srv *mortest.Server) { srv.SetXMLExtension(true) },
			run: deviceCLIs(2, 0), want: []brief{b1}},
	}
}

func runSDKRow(t *testing.T, srv *mortest.Server, row sdkRow) {
	t.Helper()
	user, secret := row.user, row.secret
	if user == "" {
		user = "admin"
	}
	if secret == "" {
		secret = mortest.SpecSecret
	}
	c, err := mor.NewClient(srv.URL, user, secret)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := row.run(ctx, c)
	if row.wantErr == nil {
		require.NoError(t, err)
		assert.Equal(t, row.want, got)
	} else {
		require.Error(t, err)
		assert.ErrorIs(t, err, row.wantErr)
		var apiErr *mor.APIError
		var valErr *mor.ValidationError
		switch {
		case row.wantMsg != "":
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, row.wantMsg, apiErr.Message)
		case errors.Is(row.wantErr, mor.ErrEmptyResponse):
			assert.False(t, errors.As(err, &apiErr))
		default:
			assert.ErrorAs(t, err, &valErr, "refused locally")
		}
	}
	if row.check != nil {
		row.check(t, srv)
	}
}

// Spec §9 through the SDK: the same outcome as over raw HTTP, seen as the
// SDK's sentinel and the server's exact text, or the result.
func TestSDKSpecSelenium(t *testing.T) {
	for _, row := range sdkSpecRows() {
		t.Run(row.name, func(t *testing.T) {
			srv := newSpecServer(t)
			if row.setup != nil {
				row.setup(t, srv)
			}
			runSDKRow(t, srv, row)
		})
	}
}

// The writes reach the server exactly once, also when they fail.
func TestSDKWritesSentOnce(t *testing.T) {
	srv := newSpecServer(t)
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"}))
	require.ErrorIs(t, c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"}), mor.ErrCLIExists)
	require.NoError(t, c.CLIs.Delete(ctx, "37060000001"))
	assert.Equal(t, 2, srv.Requests("cli_add"))
	assert.Equal(t, 1, srv.Requests("cli_delete"))
}

// Every wire form end to end: add → list → info → delete through the SDK.
func TestSDKWireForms(t *testing.T) {
	for _, w := range []mortest.Wire{mortest.WirePlain, mortest.WireGzip, mortest.WireGzipRaw, mortest.WireZip, mortest.WireHTML} {
		t.Run(w.String(), func(t *testing.T) {
			srv := newSpecServer(t, mortest.WithWire(w))
			c, err := mor.NewClient(srv.URL, "reseller", mortest.SpecSecret)
			require.NoError(t, err)
			ctx := context.Background()
			require.NoError(t, c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 7, CLINumber: "37060000001", Description: "a & b"}))
			clis, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{UserID: 5})
			require.NoError(t, err)
			require.Len(t, clis, 2)
			assert.Equal(t, "37060000001", clis[1].Number)
			assert.Equal(t, "a & b", clis[1].Description)
			assert.Equal(t, "IAX2/105", clis[1].Device)
			assert.True(t, clis[1].AddedAt.Equal(fixedAt), "added_at %v", clis[1].AddedAt)
			info, err := c.CLIs.Info(ctx, "37060000001")
			require.NoError(t, err)
			assert.Equal(t, mor.CLIInfo{UserID: 5, DeviceID: 7}, *info)
			err = c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 7, CLINumber: "37060000001"})
			require.ErrorIs(t, err, mor.ErrCLIExists)
			var apiErr *mor.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "User Resellers", apiErr.Owner)
			require.NoError(t, c.CLIs.Delete(ctx, "37060000001"))
			_, ok := srv.CLI("37060000001")
			assert.False(t, ok)
		})
	}
	t.Run("empty", func(t *testing.T) {
		srv := newSpecServer(t, mortest.WithWire(mortest.WireEmpty))
		c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
		require.NoError(t, err)
		_, err = c.CLIs.Info(context.Background(), "123456")
		assert.ErrorIs(t, err, mor.ErrEmptyResponse)
	})
}

// cli_domain (newer MOR) through the SDK.
func TestSDKCLIDomain(t *testing.T) {
	srv := newSpecServer(t)
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLIDomain: "sip.example.com"}))
	require.NoError(t, c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000002", CLIDomain: "pbx.example.com"}))
	clis, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{DeviceID: 2})
	require.NoError(t, err)
	require.Len(t, clis, 3)
	assert.Equal(t, "", clis[1].Number)
	assert.Equal(t, "sip.example.com", clis[1].Domain)
	assert.Equal(t, "37060000002", clis[2].Number)
	assert.Equal(t, "pbx.example.com", clis[2].Domain)
	assert.Equal(t, "", clis[0].Domain)
}

// cli_add's model validation can send two <error> siblings; the SDK keeps
// both, and either sentinel matches.
func TestSDKTwoErrors(t *testing.T) {
	srv := newSpecServer(t)
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	require.NoError(t, err)
	err = c.Call(context.Background(), "cli_add", vals("device_id", "2", "cli_number", "12 34 56"), nil)
	var apiErr *mor.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, []string{"CLI already exists. It is assigned to Test User #1 device", "CLI must be numeric"}, apiErr.Messages)
	assert.ErrorIs(t, err, mor.ErrCLIExists)
	assert.ErrorIs(t, err, mor.ErrCLINotNumeric)
	assert.Equal(t, "Test User #1", apiErr.Owner)
}
