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
//	err = c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: "37060000001"})
//	switch {
//	case errors.Is(err, mor.ErrCLIExists):
//		// already there
//	case err != nil:
//		return err
//	}
//
// Typed calls are grouped by service, one per API group: c.CLIs (Add,
// Delete, Info, List, All), c.Users, c.Devices, c.DIDs, c.Phonebooks,
// c.Rates (tariff export, rate quotes, tariff import and update) and
// c.System (version, callbacks, e-mail, settings, PBX pools; c.Ping is a
// health probe). Call signs and sends any other method.
//
// # Lists
//
// Lists that can be long are iter.Seq2[T, error] (All): decoded as the
// reply's bytes arrive, nothing sent until the loop starts, break stops
// reading and closes the body, and an error is always the last pair. List
// collects the same sequence into a slice.
//
// # Errors
//
// A server error is an *APIError with the server's text verbatim. errors.Is
// matches the text's own sentinel (ErrDIDNotFound) and its family:
// ErrNotFound ("… was not found", "No … found"), ErrNotAuthorized (the
// rights refusals "You are not authorized …", "You do not have rights …"),
// ErrInvalidParams (validation refusals) and ErrAlreadyExists (uniqueness
// refusals). "Access Denied" is ErrAccessDenied only: MOR also sends it for
// an unknown caller. A text the SDK does not know matches a family when its
// wording does, and no sentinel.
//
// # Reply values
//
// Every typed call maps MOR's values the same way:
//
//   - Integers are int64.
//   - Booleans are bool: MOR writes true/false or 1/0 (any other non-zero
//     integer is true); an empty element is false.
//   - Datetimes ("2018-02-01 10:00:00 +0200", the server's local time) are
//     time.Time with the zone as sent; dates ("2018-02-01") are midnight UTC.
//   - Money is a Money: an exact Decimal amount with its currency, never a
//     float64. MOR prints money in several forms (12.5, 60.0000, Ruby's
//     1.0e-05); all are read exactly. Parameters that send money take a
//     Decimal and send its exact plain text.
//   - Absent and empty elements: MOR writes a NULL as <x/> and an empty
//     string as <x></x>, which read the same. A plain field gets its zero
//     value for both. A pointer field (*int64, *bool, *time.Time, *Decimal)
//     is nil when the element is absent or empty; a *string is nil when
//     absent and points to "" when present but empty.
//   - Elements the SDK does not know are ignored, so a newer server's extra
//     fields do not break a call; a field the call needs that is missing is
//     ErrUnexpectedResponse, and a value that does not parse is a
//     *ParseError naming the element.
//
// # Reading the code
//
// The whole path is four files, top to bottom: client.go (options, the one
// request path, retries), hash.go (the hash rule as data), xml.go (body
// sniffing, the <error> walk), errors.go (APIError and sentinels, with the
// server's texts as data in errtable.go); decode.go reads replies through
// per-type field tables; services.go and one file per group (cli.go,
// users.go, devices.go, dids.go, phonebooks.go) hold the typed calls.
//
// # Retries
//
// Writes (cli_add, cli_delete and every method that changes state) are never
// retried. A streamed list is retried only until its first record. Read-only methods (names ending in _get) are retried after
// transport errors and HTTP 429/5xx only with WithRetries.
//
// # Testing
//
// Package mortest is an in-memory fake MOR server for tests.
package mor
