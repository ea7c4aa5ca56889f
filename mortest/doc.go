// Package mortest is an in-memory fake of the Kolmisoft MOR billing API for
// tests, in the spirit of net/http/httptest: a real HTTP server on
// 127.0.0.1 that answers cli_add, cli_delete, cli_info_get (and its alias
// cli_get_info) and device_clis_get byte for byte as the 2018 MOR server
// does, including its gates, hash check, error texts, reply shapes and
// quirks (see the MOR API spec, §§1–8).
//
// Usage:
//
//	srv := mortest.NewServer(mortest.WithSpecWorld())
//	defer srv.Close()
//	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
//	// … call c, then inspect what changed:
//	cli, ok := srv.CLI("37060000001")
//	n := srv.Requests("cli_add")
//
// The data lives in memory and is seeded and inspected with the Server's
// methods (AddUser, AddDevice, AddIVR, AddCLI, SetSettings, CLIs, CLI, …);
// WithSpecWorld loads the small database the spec's §9 test cases run on.
// Options switch the admin-level settings (WithAllowGET, WithXMLExtension)
// and the wire form of replies (WithWire: plain, gzip, zip, HTML-wrapped or
// empty) so that a client's body sniffing can be exercised, and make
// timestamps deterministic (WithClock, WithLocation).
//
// Every reply is HTTP 200, as on the real server. The fake never logs, and
// no secret appears in any reply.
//
// Beyond the 2018 server, it accepts newer MOR's cli_domain on cli_add (a
// CLI may then have a domain and no number) and lists it as <cli_domain>
// right after <cli_cli> in device_clis_get when set.
package mortest
