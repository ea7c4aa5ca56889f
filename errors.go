package mor

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentinel errors, one per error string the MOR server sends.
// A server error is an *APIError that keeps the server's text verbatim and
// matches its sentinel with errors.Is:
//
//	err := c.CLIs.Add(ctx, p)
//	if errors.Is(err, mor.ErrCLIExists) { … }
//	var apiErr *mor.APIError
//	if errors.As(err, &apiErr) { log.Print(apiErr.Message) }
//
// The local checks that run before any I/O return the same sentinels wrapped
// in a *ValidationError, so one errors.Is covers both.
var (
	// ErrAccessDenied is "Access Denied": no such user (cli_add, cli_delete)
	// or a simple user calling a method it may not use. It is not in the
	// ErrNotAuthorized family: MOR uses it for an unknown caller too.
	ErrAccessDenied = errors.New("mor: access denied")
	// ErrBadLogin is "Bad login": cli_info_get (and device_clis_get's
	// shape D) for an unknown user.
	ErrBadLogin = errors.New("mor: bad login")
	// ErrIncorrectHash is "Incorrect hash": the server computed another hash,
	// or the hash sent was not 40 characters long.
	ErrIncorrectHash = errors.New("mor: incorrect hash")
	// ErrNoSecretKey is "API must have Secret Key": API on, no secret set.
	ErrNoSecretKey = errors.New("mor: API must have a secret key")
	// ErrAPIDisabled is "API Requests are disabled" for the caller's API owner.
	ErrAPIDisabled = errors.New("mor: API requests are disabled")
	// ErrGETDisabled is "GET Requests are disabled".
	ErrGETDisabled = errors.New("mor: GET requests are disabled")
	// ErrNoSuchAPI is "There is no such API": unknown method name.
	ErrNoSuchAPI = errors.New("mor: no such API method")
	// ErrNotAuthorized is the family of rights refusals: every "You are not
	// authorized/authorised …", "Your are not authorized …" and "You do not
	// have rights …" text, known or new: the caller lacks a right.
	ErrNotAuthorized = errors.New("mor: not authorized")
	// ErrCLINotNumeric is "CLI must be numeric" (and the unreachable
	// "CLI is not a number").
	ErrCLINotNumeric = errors.New("mor: CLI must be numeric")
	// ErrCLIExists is "CLI already exists" in both forms; APIError.Owner
	// holds the owner's name when the server gives it.
	ErrCLIExists = errors.New("mor: CLI already exists")
	// ErrCLIEmpty is "CLI Number cannot be empty", "CLI is empty" and
	// "CLI must be provided".
	ErrCLIEmpty = errors.New("mor: CLI is empty")
	// ErrDeviceIDEmpty is "Device ID cannot be empty" (and the unreachable
	// "User device must be provided").
	ErrDeviceIDEmpty = errors.New("mor: device ID is empty")
	// ErrDeviceNotFound is "Device was not found" and "Device not found".
	ErrDeviceNotFound = errors.New("mor: device not found")
	// ErrDeviceUserNotFound is "Device user not found" (cli_info_get, a
	// device with no user).
	ErrDeviceUserNotFound = errors.New("mor: device user not found")
	// ErrIVRNotFound is "IVR was not found".
	ErrIVRNotFound = errors.New("mor: IVR not found")
	// ErrCLINotFound is "CLI was not found" and "CLI not found".
	ErrCLINotFound = errors.New("mor: CLI not found")
	// ErrCLIsNotFound is "CLIs were not found": device_clis_get found no CLI.
	// CLIs.List turns it into an empty list; Call returns it.
	ErrCLIsNotFound = errors.New("mor: no CLIs found")
	// ErrUserNotFound is "User was not found".
	ErrUserNotFound = errors.New("mor: user not found")
	// ErrCLIIsDeviceCID is "Device CID is assigned to Device": the CLI is the
	// device's "control CallerID by CIDs" choice and cannot be deleted.
	ErrCLIIsDeviceCID = errors.New("mor: CLI is the device's control CID")
)

// Transport and decoding errors: the reply could not be read as MOR XML.
var (
	// ErrEmptyResponse is an empty (or whitespace-only) body: the 2018 server
	// sends one when an action raises an exception.
	ErrEmptyResponse = errors.New("mor: empty response body")
	// ErrResponseTooLarge is a body larger than the client's cap after
	// decompression (WithMaxResponseBytes): an oversized reply or a gzip/zip
	// bomb.
	ErrResponseTooLarge = errors.New("mor: response too large")
	// ErrUnexpectedResponse is well-formed XML that is neither an error nor
	// the success the method promises. It is never treated as success.
	ErrUnexpectedResponse = errors.New("mor: unexpected response")
)

const (
	cliExistsPrefix = "CLI already exists. It is assigned to "
	cliExistsSuffix = " device"
)

// sentinelFor returns the sentinel for one server message, or nil; the
// texts are data, grouped by domain, in errtable.go.
func sentinelFor(msg string) error {
	if e := lookupText(msg); e != nil {
		return e.err
	}
	return nil
}

// APIError is an error reply from the MOR server: one or more <error>
// elements (or a shape-D status text). Message is the server's text verbatim
// (several errors joined with "; "); Messages keeps each one.
type APIError struct {
	// Method is the MOR method called, e.g. "cli_add".
	Method string
	// Message is the server's error text, verbatim; several are joined by "; ".
	Message string
	// Messages holds each <error> text in document order.
	Messages []string
	// Owner is the name of the CLI's owner from "CLI already exists. It is
	// assigned to NAME device", when the server gives one.
	Owner string
}

func newAPIError(method string, msgs []string) *APIError {
	e := &APIError{Method: method, Messages: msgs, Message: strings.Join(msgs, "; ")}
	for _, m := range msgs {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(m), cliExistsPrefix); ok {
			e.Owner = strings.TrimSuffix(rest, cliExistsSuffix)
			break
		}
	}
	return e
}

// Error returns "mor: METHOD: server text". An <error> element with no
// text shows as "(empty error element)"; Message keeps it verbatim ("").
func (e *APIError) Error() string {
	if len(e.Messages) == 0 {
		return "mor: " + e.Method + ": " + orEmpty(e.Message)
	}
	texts := make([]string, len(e.Messages))
	for i, m := range e.Messages {
		texts[i] = orEmpty(m)
	}
	return "mor: " + e.Method + ": " + strings.Join(texts, "; ")
}

func orEmpty(msg string) string {
	if strings.TrimSpace(msg) == "" {
		return "(empty error element)"
	}
	return msg
}

// methodError puts the one "mor: METHOD: " prefix in front of an error
// (usually a sentinel, whose own "mor: " is dropped), keeping errors.Is.
type methodError struct {
	method string
	err    error
}

func (e *methodError) Error() string { return "mor: " + e.method + ": " + unprefixed(e.err.Error()) }

func (e *methodError) Unwrap() error { return e.err }

// unprefixed drops the "mor: " that sentinel texts start with, for text
// that is appended after a "mor: METHOD: " prefix.
func unprefixed(s string) string { return strings.TrimPrefix(s, "mor: ") }

// Is reports whether any of the server's messages maps to target, either
// its own sentinel or its family (ErrNotFound, ErrNotAuthorized,
// ErrInvalidParams, ErrAlreadyExists), so that errors.Is(err,
// ErrIncorrectHash) and errors.Is(err, ErrNotFound) work on an *APIError.
func (e *APIError) Is(target error) bool {
	for _, m := range e.Messages {
		if s := sentinelFor(m); s != nil && s == target {
			return true
		}
		if f := familyFor(m); f != nil && f == target {
			return true
		}
	}
	return false
}

// Known reports whether the server's text maps to one of the sentinels. An
// unknown text is still an error, never a success.
func (e *APIError) Known() bool {
	for _, m := range e.Messages {
		if sentinelFor(m) != nil {
			return true
		}
	}
	return false
}

// ValidationError is a local check that failed before any request was sent.
// It wraps the same sentinel the server would answer with, so
// errors.Is(err, ErrCLINotNumeric) holds whether the server or the client
// caught the problem; errors.As(err, new(*APIError)) is false.
type ValidationError struct {
	Method string // the MOR method, e.g. "cli_add"
	Field  string // the parameter at fault, e.g. "cli_number"
	Err    error  // the sentinel
}

// Error returns "mor: METHOD: invalid FIELD: what is wrong".
func (e *ValidationError) Error() string {
	return fmt.Sprintf("mor: %s: invalid %s: %s", e.Method, e.Field, unprefixed(e.Err.Error()))
}

// Unwrap returns the sentinel.
func (e *ValidationError) Unwrap() error { return e.Err }

// HTTPError is a reply with a non-2xx HTTP status. MOR answers 200 even for
// errors, so this means a proxy, a crash page or the wrong URL. Snippet is a
// short, cleaned start of the body with any secret removed.
type HTTPError struct {
	Method     string // the MOR method called
	StatusCode int    // the HTTP status code, e.g. 503
	Status     string // the status line's text, e.g. "503 Service Unavailable"
	// Snippet is the start of the body (at most 120 printable characters),
	// with the secret, passwords and the request's hash removed.
	Snippet string
}

// Error returns "mor: METHOD: HTTP STATUS: snippet".
func (e *HTTPError) Error() string {
	s := fmt.Sprintf("mor: %s: HTTP %s", e.Method, e.Status)
	if e.Snippet != "" {
		s += ": " + e.Snippet
	}
	return s
}

// Temporary reports whether the status is one a read may be retried on.
func (e *HTTPError) Temporary() bool {
	switch e.StatusCode {
	case 429, 500, 502, 503, 504:
		return true
	}
	return false
}

// RedirectError is a redirect the client refused to follow (see
// CheckRedirect): MOR never redirects an API call, so nothing was sent to
// Location and the reply that asked for it is not trusted. The request did
// reach the base URL's server.
type RedirectError struct {
	Method     string // the MOR method
	StatusCode int    // the redirect's status, e.g. 307
	Location   string // the target, without userinfo, query or fragment
	Reason     string // why it was refused
}

// Error returns "mor: METHOD: refused redirect (HTTP 307) to LOCATION: reason".
func (e *RedirectError) Error() string {
	s := "mor: "
	if e.Method != "" {
		s += e.Method + ": "
	}
	s += "refused redirect"
	if e.StatusCode != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.StatusCode)
	}
	return s + " to " + e.Location + ": " + e.Reason
}

// ParseError is a body that could not be decoded as MOR XML: garbage, broken
// XML, a truncated gzip, a zip with the wrong number of members, or an HTML
// page with no MOR reply in it.
type ParseError struct {
	Method  string // the API method called, e.g. "user_details_get"
	Reason  string // what was wrong, e.g. "truncated gzip"
	Snippet string // a short, cleaned start of the body, secrets removed
	Err     error  // the underlying decoder error, if any

	errText string // Err's text with credentials scrubbed, when set
}

// Error returns "mor: METHOD: cannot decode reply: reason…".
func (e *ParseError) Error() string {
	s := "mor: " + e.Method + ": cannot decode reply: " + e.Reason
	if e.Err != nil {
		text := e.errText
		if text == "" {
			text = e.Err.Error()
		}
		s += ": " + printable(unprefixed(text))
	}
	if e.Snippet != "" {
		s += " (body starts " + fmt.Sprintf("%q", e.Snippet) + ")"
	}
	return s
}

// Unwrap returns the underlying decoder error.
func (e *ParseError) Unwrap() error { return e.Err }

// printable makes decoder text safe to print. encoding/xml quotes the
// offending bytes of a hostile reply in its syntax errors, invalid UTF-8 and
// control characters included; they become '?' so that an error string
// cannot corrupt a log line or a terminal.
func printable(s string) string {
	bad := func(r rune) bool { return r == utf8.RuneError || !unicode.IsPrint(r) }
	if !strings.ContainsFunc(s, bad) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if bad(r) {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
}

// TransportError is a call that got no complete HTTP reply: the connection
// could not be made, failed or timed out, the reply was cut off, or the
// context ended. Err is the cause, so errors.Is(err, context.Canceled) and
// errors.Is(err, context.DeadlineExceeded) work through it.
type TransportError struct {
	Method string // the MOR method
	Err    error  // the cause

	sent    bool   // the request may have been written
	reading bool   // the failure came while reading the reply
	text    string // Err's text with credentials scrubbed, when set
}

// Error returns "mor: METHOD: cause".
func (e *TransportError) Error() string {
	text := e.text
	if text == "" {
		text = e.Err.Error()
	}
	text = unprefixed(text)
	if e.reading {
		return "mor: " + e.Method + ": reading reply: " + text
	}
	return "mor: " + e.Method + ": " + text
}

// Unwrap returns the cause.
func (e *TransportError) Unwrap() error { return e.Err }

// MaybeSent reports whether the request may have reached the server. It is
// false only when the failure came before anything was written (a name that
// did not resolve, a refused connection).
func (e *TransportError) MaybeSent() bool { return e.sent }

// maybeWritten reports whether http.Client.Do's error may have come after
// the request was written.
func maybeWritten(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return false
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return false
	}
	return true
}

// InDoubt reports whether a failed call may nevertheless have taken effect
// on the server, so that a write must be checked (cli_info_get,
// device_clis_get) before it is sent again. It is false for nil, for a failed
// read (a method the registry knows as KindRead: there is nothing to apply
// twice), for a local *ValidationError, for an *APIError (the server
// answered and refused) and for a transport failure before the request was
// written; true for everything else: a write (or an unknown method) whose
// connection was lost after sending, a timeout or cancelled context after
// sending, an HTTP error from a proxy, an empty or undecodable reply.
func InDoubt(err error) bool {
	if err == nil {
		return false
	}
	var (
		ve *ValidationError
		ae *APIError
		te *TransportError
	)
	switch {
	case errors.As(err, &ve), errors.As(err, &ae):
		return false
	}
	if method, ok := failedMethod(err); ok && methodKind(method) == KindRead {
		return false
	}
	if errors.As(err, &te) {
		return te.sent
	}
	return true
}

// failedMethod returns the MOR method a Client error belongs to.
func failedMethod(err error) (string, bool) {
	var (
		me *methodError
		te *TransportError
		he *HTTPError
		pe *ParseError
	)
	switch {
	case errors.As(err, &me):
		return me.method, true
	case errors.As(err, &te):
		return te.Method, true
	case errors.As(err, &he):
		return he.Method, true
	case errors.As(err, &pe):
		return pe.Method, true
	}
	return "", false
}

// withMethod makes sure a failed call's error names its method.
func withMethod(method string, err error) error {
	if err == nil {
		return nil
	}
	var ve *ValidationError
	var ae *APIError
	if _, ok := failedMethod(err); ok || errors.As(err, &ve) || errors.As(err, &ae) {
		return err
	}
	return &methodError{method: method, err: err}
}
