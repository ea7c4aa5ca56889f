// Package mortest is an in-memory fake of the Kolmisoft MOR billing API for
// tests, in the spirit of net/http/httptest: a real HTTP server on
// 127.0.0.1 that answers the API byte for byte as the 2018 MOR server does,
// including its gates (API and GET switches, the caller lookup each action
// uses, the hash check), roles and accountant or reseller rights, checks in
// the server's order with its exact error texts, effects on stored rows,
// reply shapes and quirks. Handles reports which actions (and alias routes)
// it answers: the CLIs, users, devices, DIDs, phonebooks and the money
// actions among others (README's coverage table lists them); any other name
// answers "There is no such API", as the real server does for a name it
// does not route.
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
// The data lives in memory, in tables modelled on the server's, and is
// seeded and inspected with the Server's methods: for each table an Add, a
// getter, a list, a Remove and an Update (AddUser, User, Users, UpdateUser,
// AddDevice, AddDID, AddPhonebook, SetConfline, …), all working on copies.
// WithSpecWorld loads Kolmisoft's own test database (users admin, reseller,
// accountant and their customers, devices, DIDs, providers, tariffs, LCRs,
// payments, services, …).
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
// folded), the server's request logging for test=1, Asterisk side effects
// (SIP reloads, dial-plan regeneration), e-mail delivery, and tables no
// API action reads.
package mortest
