// Package mor is a client for the Kolmisoft MOR billing API
// (/billing/api/<method>).
//
// It signs every request exactly as the MOR server checks it (Hash,
// ExplainHash), sends u, p and the hash in a POST body and never in the URL,
// accepts every body form MOR and its wiki show (plain XML, gzip, a
// one-member zip, XML inside an HTML wrapper), and turns every error reply,
// whatever its shape, into an *APIError that keeps the server's text and
// matches a sentinel:
//
//	c, err := mor.NewClient("https://mor.example.com/billing", "admin", secret)
//	if err != nil { … }
//	err = c.AddCLI(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"})
//	switch {
//	case errors.Is(err, mor.ErrCLIExists):
//		// already there
//	case err != nil:
//		return err
//	}
//
// The CLI family has typed calls (AddCLI, DeleteCLI, CLIInfo, DeviceCLIs);
// Call signs and sends any other method.
//
// # Reading the code
//
// The whole path is four files, top to bottom: client.go (options, the one
// request path, retries), hash.go (the hash rule as data), xml.go (body
// sniffing, the <error> walk), errors.go (APIError and sentinels); cli.go holds
// the CLI calls on top of them.
//
// # Retries
//
// Writes (cli_add, cli_delete and every method that changes state) are never
// retried. Read-only methods (names ending in _get) are retried after
// transport errors and HTTP 429/5xx only with WithRetries.
//
// # Testing
//
// Package mortest is an in-memory fake MOR server for tests.
package mor
