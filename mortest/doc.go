// Package mortest is an in-memory fake of the Kolmisoft MOR billing API for
// tests, in the spirit of net/http/httptest: a real HTTP server on
// 127.0.0.1 that answers cli_add, cli_delete, cli_info_get (and its alias
// cli_get_info) and device_clis_get byte for byte as the 2018 MOR server
// does, including its gates, hash check, error texts, reply shapes and
// quirks.
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
// WithSpecWorld loads Kolmisoft's own test database.
// Options switch the admin-level settings (WithAllowGET, WithXMLExtension)
// and the wire form of replies (WithWire: plain, gzip, zip, HTML-wrapped or
// empty) so that a client's body sniffing can be exercised, and make
// timestamps deterministic (WithClock, WithLocation).
//
// Every reply is HTTP 200, as on the real server. The fake never logs, and
// no secret appears in any reply.
//
// Beyond the 2018 server, it models newer MOR's cli_domain, which
// the 2018 server ignores: cli_add stores cli_domain (never hashed) with the
// CLI. When cli_number is blank and cli_domain is not, the CLI is a
// domain-only one: "CLI Number cannot be empty", the uniqueness check and the
// numeric check are skipped and the number is stored as sent (usually "").
// A non-blank cli_number is checked as usual, domain or not. Domains are not
// checked for uniqueness, and cli_delete and cli_info_get find CLIs by number
// only (an empty number never matches). device_clis_get lists the domain as
// <cli_domain> right after <cli_cli> when it is non-empty.
//
// Not modelled: provider devices (user -1) in <cli_device>, the accent
// folding of MySQL's *_general_ci collations (case and trailing spaces are
// folded), the server's request logging for test=1, and every method other
// than the four CLI methods, which answer "There is no such API".
package mortest
