package main

import (
	"errors"
	"net/url"
	"slices"
	"strings"

	mor "github.com/morbilling/mor-go"
)

// callError remembers which method and parameters a failed call sent, so the
// hint for "Incorrect hash" can give the exact mor hash --explain command.
type callError struct {
	method string
	params url.Values
	err    error
}

// Error returns the underlying error's text.
func (e *callError) Error() string { return e.err.Error() }

// Unwrap returns the underlying error.
func (e *callError) Unwrap() error { return e.err }

func withCall(err error, method string, params url.Values) error {
	if err == nil {
		return nil
	}
	return &callError{method: method, params: params, err: err}
}

// hints says what to try next after err; the server's text has already been
// printed verbatim.
func hints(err error) []string {
	var ce *callError
	errors.As(err, &ce)
	var he *mor.HTTPError
	var pe *mor.ParseError
	if doubt, specific, ok := phonebookHints(err, ce); ok {
		if len(specific) == 0 {
			specific = moreHints(err, ce, he, pe)
		}
		return append(doubt, specific...)
	}
	var doubt []string
	if ce != nil && (ce.method == "cli_add" || ce.method == "cli_delete") && mor.InDoubt(err) {
		// No answer (a timeout, a dropped connection, a proxy error): the
		// write may have happened, and sending it again blindly may fail or
		// do it twice.
		doubt = []string{"the " + ce.method + " may have been applied: check with `mor cli info --number " +
			shellQuote(ce.params.Get("cli_number")) + "` before retrying"}
	}
	if ce != nil && ce.method == "device_create" && mor.InDoubt(err) && ce.params.Get("extension") == "" {
		// A resend without an extension makes a second device.
		doubt = []string{"the device_create may have been applied: list the user's devices with `mor device list --user " +
			shellQuote(ce.params.Get("user_id")) + "` before retrying (a resend adds a second device; --extension makes it safe)"}
	}
	if ce != nil && strings.HasPrefix(ce.method, "device") && errors.Is(err, mor.ErrDeviceNotFound) {
		return append(doubt, "check the device id: the admin reaches the devices of its own users (and its own), a reseller those of its users (not its own), a simple user only its own")
	}
	if h := didHints(err, ce); h != nil {
		return append(doubt, h...)
	}
	return append(doubt, moreHints(err, ce, he, pe)...)
}

func moreHints(err error, ce *callError, he *mor.HTTPError, pe *mor.ParseError) []string {
	switch {
	case errors.Is(err, mor.ErrIncorrectHash):
		h := []string{"the server computed another hash: check the secret (MOR_SECRET or --secret-file) is the API secret key of this user's API owner (the admin, or the user's reseller)"}
		if ce != nil {
			h = append(h, "see exactly what is hashed: "+explainCommand(ce.method, ce.params))
		}
		return h
	case errors.Is(err, mor.ErrNoSecretKey):
		return []string{"the API owner has no API secret key: set one in MOR's API settings"}
	case errors.Is(err, mor.ErrAPIDisabled):
		return []string{"enable the API (Allow API) in MOR's settings of this user's API owner"}
	case errors.Is(err, mor.ErrGETDisabled):
		return []string{"mor always POSTs; a proxy in between may have turned the request into a GET"}
	case errors.Is(err, mor.ErrNoSuchAPI):
		return []string{"check the method name (e.g. cli_add, cli_info_get, device_clis_get), and --url (MOR_URL): the base URL of the MOR web app, e.g. https://mor.example.com/billing; MOR gives this answer also when the path before /api/ is wrong"}
	case errors.Is(err, mor.ErrAccessDenied), errors.Is(err, mor.ErrBadLogin):
		return []string{"check --username (MOR_USER): it must name an existing admin, reseller or accountant; simple users may not use these methods"}
	case errors.Is(err, mor.ErrNotAuthorized):
		return []string{"the user lacks a right: an accountant needs device_manage (and cli_ivr for --ivr) in MOR's permissions"}
	case errors.Is(err, mor.ErrCLIExists):
		number := "NUMBER"
		if ce != nil && ce.params.Get("cli_number") != "" {
			number = shellQuote(ce.params.Get("cli_number"))
		}
		return []string{"see where it is: mor cli info --number " + number + " (an admin cannot see CLIs of resellers' users: try mor cli list --device ID)"}
	case errors.Is(err, mor.ErrCLINotFound):
		return []string{"the CLI does not exist, or the caller may not see it (an admin sees only CLIs of users it owns directly, not those of resellers' users)"}
	case errors.Is(err, mor.ErrDeviceNotFound):
		return []string{"check the device id; an admin cannot add CLIs to a reseller's own device, a reseller only to its users' devices"}
	case errors.Is(err, mor.ErrResponseTooLarge):
		return []string{"the reply was larger than the cap on a reply's size, not a network problem: raise the cap with --max-response-bytes (or MOR_MAX_RESPONSE_BYTES), e.g. --max-response-bytes 256MiB; a device_clis_get CLI takes about 370 bytes"}
	case errors.Is(err, mor.ErrEmptyResponse):
		return []string{"the MOR server answers with an empty body when the request crashed it (e.g. device_clis_get for an unknown user, or a device with no user)"}
	case errors.As(err, &he):
		if he.StatusCode == 404 {
			return []string{"check --url: it is the MOR web app, e.g. https://mor.example.com/billing (mor adds /api/METHOD)"}
		}
		return []string{"MOR answers 200 even for errors: a proxy or the wrong URL is in the way"}
	case errors.As(err, &pe):
		if strings.Contains(pe.Reason, "HTML") {
			return []string{"the server sent an HTML page: check --url points at the MOR web app (e.g. https://mor.example.com/billing)"}
		}
	}
	return nil
}

// explainCommand is the mor hash --explain command line for a call.
func explainCommand(method string, params url.Values) string {
	var b strings.Builder
	b.WriteString("mor hash --explain ")
	b.WriteString(method)
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range params[k] {
			b.WriteString(" " + shellQuote(k+"="+v))
		}
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,:/=+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
