package main

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// fakeWires are the --wire names, as mortest.Wire's String spells them.
var fakeWires = []mortest.Wire{mortest.WirePlain, mortest.WireGzip, mortest.WireGzipRaw, mortest.WireZip,
	mortest.WireHTML, mortest.WireEmpty}

func (a *app) fakeServerCommand() *cobra.Command {
	var addr, seed, wire string
	var names []string
	for _, w := range fakeWires {
		names = append(names, w.String())
	}
	c := &cobra.Command{
		Use:   "fake-server [--addr 127.0.0.1:8089] [--seed spec|empty] [--wire plain|gzip|zip|html]",
		Short: "Run mortest, the in-memory fake MOR server, until interrupted",
		Long: `Run mortest, the in-memory fake MOR server, until interrupted (Ctrl-C or
SIGTERM; the exit status is then 0). It prints the base URL, the users and
the secret to use, so that anyone, in any language, can try MOR calls locally.

--seed spec (the default) loads Kolmisoft's own MOR test database: users admin,
reseller and accountant can call the API, devices 2, 7 and 8, three CLIs.
--seed empty has only the admin (id 0), with the API on and the same secret.
--wire picks how replies are encoded: ` + strings.Join(names, ", ") + `.

The fake keeps its data in memory only; nothing is written to disk.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var opts []mortest.Option
			switch seed {
			case "spec":
				opts = append(opts, mortest.WithSpecWorld())
			case "empty":
			default:
				return usagef("--seed must be spec or empty, not %q", seed)
			}
			i := slices.IndexFunc(fakeWires, func(w mortest.Wire) bool { return w.String() == wire })
			if i < 0 {
				return usagef("--wire must be one of %s, not %q", strings.Join(names, ", "), wire)
			}
			opts = append(opts, mortest.WithWire(fakeWires[i]))
			srv, err := mortest.Listen(addr, opts...)
			if err != nil {
				return err
			}
			defer srv.Close()
			if seed == "empty" {
				srv.AddUser(mortest.User{ID: 0, Username: "admin", Type: mortest.Admin, FirstName: "System", LastName: "Admin"})
				srv.SetSettings(0, mortest.Settings{AllowAPI: true, Secret: mortest.SpecSecret})
			}
			a.printFakeServer(srv, seed, fakeWires[i])
			<-a.sigs
			fmt.Fprintln(a.stdout, "stopped")
			return nil
		},
	}
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8089", "address to listen on (port 0 picks a free one)")
	c.Flags().StringVar(&seed, "seed", "spec", "initial data: spec or empty")
	c.Flags().StringVar(&wire, "wire", "plain", "reply encoding: "+strings.Join(names, ", "))
	return c
}

// printFakeServer tells the user how to reach the fake. The secret printed
// is the fake's own, never one from the user's configuration.
func (a *app) printFakeServer(srv *mortest.Server, seed string, wire mortest.Wire) {
	base := srv.URL + "/billing"
	w := a.stdout
	fmt.Fprintf(w, "mortest fake MOR server (seed %s, wire %s)\n", seed, wire)
	fmt.Fprintf(w, "URL:    %s\n", base)
	fmt.Fprintf(w, "secret: %s\n", mortest.SpecSecret)
	fmt.Fprintln(w, "users:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  ID\tUSERNAME\tTYPE\tOWNER\tAPI\tDEVICES")
	devices := map[int64][]string{}
	for _, d := range srv.Devices() {
		devices[d.UserID] = append(devices[d.UserID], fmt.Sprintf("%d (%s/%s)", d.ID, d.Type, d.Name))
	}
	for _, u := range srv.Users() {
		api := "yes"
		switch u.Type {
		case mortest.SimpleUser, mortest.Partner:
			api = "no (Access Denied)"
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%d\t%s\t%s\n", u.ID, u.Username, u.Type, u.OwnerID, api, strings.Join(devices[u.ID], ", "))
	}
	tw.Flush()
	fmt.Fprintln(w, "try:")
	fmt.Fprintf(w, "  MOR_URL=%s MOR_USER=admin MOR_SECRET=%s mor cli list\n", base, mortest.SpecSecret)
	info := url.Values{"u": {"admin"}, "cli": {"123456"}}
	info.Set("hash", mor.Hash("cli_info_get", info, mortest.SpecSecret))
	fmt.Fprintf(w, "  curl -s -d '%s' %s/api/cli_info_get\n", info.Encode(), base)
	fmt.Fprintln(w, "Ctrl-C stops the server.")
}
