package mor_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
)

// The CLI calls against the spec world, as each role.
func TestCLIsServiceRoles(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		role    string
		numbers []string
		err     error
	}{
		{role: roleAdmin, numbers: []string{"123456", "987654", "654121"}}, // with no filter the admin sees every CLI
		{role: roleReseller, numbers: []string{"987654"}},
		{role: roleAccountant, numbers: []string{"123456"}},
		{role: roleUser, err: mor.ErrAccessDenied},
	} {
		t.Run(tc.role, func(t *testing.T) {
			c, _ := setup(t, tc.role)
			clis, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{})
			if tc.err != nil {
				assert.ErrorIs(t, err, tc.err)
				assert.Nil(t, clis)
				return
			}
			require.NoError(t, err)
			var got []string
			for _, x := range clis {
				got = append(got, x.Number)
			}
			assert.Equal(t, tc.numbers, got)
		})
	}
}

func TestCLIsServiceLifecycle(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t, roleAdmin)
	require.NoError(t, c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"}))
	info, err := c.CLIs.Info(ctx, "37060000001")
	require.NoError(t, err)
	assert.Equal(t, &mor.CLIInfo{UserID: 2, DeviceID: 2}, info)
	var numbers []string
	for x, err := range c.CLIs.All(ctx, mor.DeviceCLIsParams{DeviceID: 2}) {
		require.NoError(t, err)
		numbers = append(numbers, x.Number)
	}
	assert.Equal(t, []string{"123456", "37060000001"}, numbers)
	require.NoError(t, c.CLIs.Delete(ctx, "37060000001"))
	err = c.CLIs.Delete(ctx, "37060000001")
	assert.ErrorIs(t, err, mor.ErrCLINotFound)
	assert.ErrorIs(t, err, mor.ErrNotFound, "and its family")
	assert.Equal(t, 2, srv.Requests("cli_delete"))
}

func TestCLIsServiceFailurePaths(t *testing.T) {
	calls := map[string]func(ctx context.Context, c *mor.Client) error{
		"Add": func(ctx context.Context, c *mor.Client) error {
			return c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "1"})
		},
		"Delete": func(ctx context.Context, c *mor.Client) error { return c.CLIs.Delete(ctx, "1") },
		"Info": func(ctx context.Context, c *mor.Client) error {
			_, err := c.CLIs.Info(ctx, "1")
			return err
		},
		"List": func(ctx context.Context, c *mor.Client) error {
			_, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{})
			return err
		},
		"All": func(ctx context.Context, c *mor.Client) error {
			return rangeErr(t, c.CLIs.All(ctx, mor.DeviceCLIsParams{}))
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { testFailurePaths(t, call) })
	}
}
