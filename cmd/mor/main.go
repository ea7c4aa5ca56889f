// Command mor is the operator's tool for the Kolmisoft MOR billing API, built
// on package mor.
//
// Install:
//
//	go install github.com/morbilling/mor-go/cmd/mor@latest
//
// Commands:
//
//	mor cli add --device ID (--number N | --domain D) [--description T] [--comment T] [--banned] [--ivr ID]
//	mor cli delete --number N
//	mor cli info --number N [--output text|json]
//	mor cli list [--user ID] [--device ID] [--output table|json|csv]
//	mor call METHOD key=value… [--output xml|json]
//	mor hash METHOD key=value… [--explain]
//	mor fake-server [--addr 127.0.0.1:8089] [--seed spec|empty] [--wire plain|gzip|zip|html]
//	mor import --file clis.csv [--concurrency 8] [--rate N/s] [--results out.csv]
//
// Connection settings come from flags, with the environment as defaults:
// --url (MOR_URL, e.g. https://mor.example.com/billing), --username (MOR_USER),
// --secret (MOR_SECRET) or --secret-file, --password (MOR_PASSWORD), and the
// cap on a reply's size --max-response-bytes (MOR_MAX_RESPONSE_BYTES, default
// 32MiB). The secret and the password are never printed, not even with
// --verbose. mor --version prints the version and the Go version.
//
// The cli commands take the CLI as --number (--cli is another name for
// it), trimmed of surrounding spaces, as import trims its cli_number column.
// Server text is printed with line breaks and control characters escaped.
//
// Exit status: 0 success; 1 the server refused, a transport error, or (for
// import) any row that did not end added or already present; 2 a usage
// error (bad flag, argument or configuration); 130 interrupted (SIGINT or
// SIGTERM).
package main

import (
	"os"
)

// Exit statuses, documented in the package comment and in mor --help.
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitInterrupted = 130
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
