package mor

import "context"

// Temporary shims for callers not yet moved to Client.CLIs; this file is
// deleted once they are.

// AddCLI attaches a CLI to a device (cli_add).
//
// Deprecated: use c.CLIs.Add.
func (c *Client) AddCLI(ctx context.Context, p AddCLIParams) error { return c.CLIs.Add(ctx, p) }

// DeleteCLI removes a CLI (cli_delete).
//
// Deprecated: use c.CLIs.Delete.
func (c *Client) DeleteCLI(ctx context.Context, cliNumber string) error {
	return c.CLIs.Delete(ctx, cliNumber)
}

// CLIInfo looks up a CLI's device and user (cli_info_get).
//
// Deprecated: use c.CLIs.Info.
func (c *Client) CLIInfo(ctx context.Context, cli string) (*CLIInfo, error) {
	return c.CLIs.Info(ctx, cli)
}

// DeviceCLIs lists CLIs (device_clis_get).
//
// Deprecated: use c.CLIs.List or c.CLIs.All.
func (c *Client) DeviceCLIs(ctx context.Context, p DeviceCLIsParams) ([]CLI, error) {
	return c.CLIs.List(ctx, p)
}
