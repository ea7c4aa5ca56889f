package mor

import (
	"context"
	"io"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-querystring/query"
)

// The CLI family: a CLI is a caller number (or, on newer MOR, a SIP domain)
// attached to a device, used to recognise incoming callers.

// AddCLIParams are cli_add's parameters. Only these are sent: any other
// parameter the server hashes would change the hash.
type AddCLIParams struct {
	// DeviceID is the device that gets the CLI (device_id, hashed). Required.
	DeviceID int64 `url:"device_id"`
	// CLINumber is the number (cli_number, hashed, stored exactly as sent).
	// Required unless CLIDomain is set; it must be numeric.
	CLINumber string `url:"cli_number,omitempty"`
	// CLIDomain is the CLI's domain (cli_domain) on newer MOR servers; never
	// hashed. The 2018 server ignores it.
	CLIDomain string `url:"cli_domain,omitempty"`
	// Description is stored as the CLI's description (cli_description).
	Description string `url:"cli_description,omitempty"`
	// Comment is stored verbatim (comment).
	Comment string `url:"comment,omitempty"`
	// Banned bans the CLI (banned, sent as 1 or 0).
	Banned bool `url:"banned,int"`
	// IVRID attaches an IVR the caller owns (ivr_id); 0 means not sent.
	IVRID int64 `url:"ivr_id,omitempty"`
}

// Add attaches a CLI to a device. MOR: cli_add (write; hash: device_id,
// cli_number, in that order).
//
// Before any I/O it checks what the server would refuse: DeviceID ≤ 0
// (ErrDeviceIDEmpty), neither CLINumber nor CLIDomain (ErrCLIEmpty), a
// CLINumber that is not numeric (ErrCLINotNumeric); these come back as
// *ValidationError. Server refusals are *APIError, e.g. ErrCLIExists with
// the owner's name in APIError.Owner, ErrDeviceNotFound, ErrIVRNotFound.
//
// Never retried: a repeat after an unseen success would answer "CLI already
// exists". When InDoubt(err) is true (the request may have reached the
// server), check with Info or List before trying again.
func (s *CLIsService) Add(ctx context.Context, p AddCLIParams) error {
	const method = "cli_add"
	switch {
	case p.DeviceID <= 0:
		return &ValidationError{Method: method, Field: "device_id", Err: ErrDeviceIDEmpty}
	case strings.TrimSpace(p.CLINumber) == "" && strings.TrimSpace(p.CLIDomain) == "":
		return &ValidationError{Method: method, Field: "cli_number", Err: ErrCLIEmpty}
	case strings.TrimSpace(p.CLINumber) != "" && !IsNumericCLI(p.CLINumber):
		return &ValidationError{Method: method, Field: "cli_number", Err: ErrCLINotNumeric}
	}
	params, err := query.Values(p)
	if err != nil {
		return &ValidationError{Method: method, Field: "params", Err: err}
	}
	return s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeSuccess(method, r)
	})
}

// Delete removes the CLI with this exact number. MOR: cli_delete (write;
// hash: cli_number).
//
// An empty number fails locally with ErrCLIEmpty. Server refusals include
// ErrCLINotFound (also for a CLI the caller may not touch), ErrAccessDenied
// and ErrCLIIsDeviceCID.
//
// Never retried: a repeat after an unseen success answers "CLI was not
// found". InDoubt(err) says whether it may have happened anyway.
func (s *CLIsService) Delete(ctx context.Context, cliNumber string) error {
	const method = "cli_delete"
	if strings.TrimSpace(cliNumber) == "" {
		return &ValidationError{Method: method, Field: "cli_number", Err: ErrCLIEmpty}
	}
	return s.c.do(ctx, method, url.Values{"cli_number": {cliNumber}}, func(r io.Reader) error {
		return decodeSuccess(method, r)
	})
}

// CLIInfo says which user and device a CLI belongs to.
type CLIInfo struct {
	UserID   int64 // the device owner's user id
	DeviceID int64 // the device the CLI is attached to
}

// Info looks up the device and user a CLI belongs to. MOR: cli_info_get
// (read; hash: nothing of its own, cli is not a hashed key).
//
// An empty cli fails locally with ErrCLIEmpty. Server refusals include
// ErrCLINotFound (also for CLIs of users the caller does not own directly),
// ErrBadLogin, ErrAccessDenied, ErrDeviceNotFound and ErrDeviceUserNotFound.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *CLIsService) Info(ctx context.Context, cli string) (*CLIInfo, error) {
	const method = "cli_info_get"
	if strings.TrimSpace(cli) == "" {
		return nil, &ValidationError{Method: method, Field: "cli", Err: ErrCLIEmpty}
	}
	var info *CLIInfo
	err := s.c.do(ctx, method, url.Values{"cli": {cli}}, func(r io.Reader) error {
		var err error
		info, err = decodeCLIInfo(method, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return info, nil
}

// DeviceCLIsParams filter device_clis_get. Zero means not sent, so user 0
// (the admin itself) cannot be asked for by id; with no filter the admin
// sees every CLI.
type DeviceCLIsParams struct {
	UserID   int64 `url:"users_id,omitempty"`   // CLIs of this user's devices
	DeviceID int64 `url:"devices_id,omitempty"` // CLIs of this device
}

// CLI is one record of device_clis_get.
type CLI struct {
	ID            int64     // cli_id
	Number        string    // cli_cli, as stored
	Domain        string    // cli_domain (newer MOR only)
	Device        string    // cli_device, e.g. "IAX2/101"; empty if the device is gone
	Description   string    // cli_description
	Comment       string    // cli_comment
	IVR           string    // cli_ivr: the IVR's name, empty when none
	AddedAt       time.Time // cli_added_at
	UpdatedAt     time.Time // cli_updated_at
	EmailCallback bool      // cli_email_callback
	Banned        bool      // cli_banned: true for any non-zero value the server stores
}

// List returns CLIs, all the caller may see or those of one user and/or
// device, in the server's order. MOR: device_clis_get (read; hash: nothing
// of its own, users_id and devices_id are not hashed keys). It collects All;
// use All to handle records one at a time.
//
// "CLIs were not found" is an empty list and a nil error. Server refusals
// include ErrUserNotFound, ErrDeviceNotFound, ErrNotAuthorized and
// ErrAccessDenied. A CLI takes about 370 bytes of XML, so the default 32 MiB
// reply cap holds about 90,000 CLIs; raise it with WithMaxResponseBytes for
// larger accounts.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *CLIsService) List(ctx context.Context, p DeviceCLIsParams) ([]CLI, error) {
	return collect(s.All(ctx, p))
}

// All streams the CLIs that List returns, decoded as the reply's bytes
// arrive. MOR: device_clis_get (read; hash: nothing of its own).
//
// Nothing is sent until the sequence is ranged over, and each range sends
// the request again. Breaking out of the loop stops reading and closes the
// body. An error (a server refusal, a cut-off or undecodable reply) is the
// last pair, after any records already yielded. "CLIs were not found" yields
// nothing and no error.
//
// Read-only: retried with WithRetries, but only until the first CLI has
// been yielded, so no CLI is ever yielded twice.
func (s *CLIsService) All(ctx context.Context, p DeviceCLIsParams) iter.Seq2[CLI, error] {
	const method = "device_clis_get"
	params, err := query.Values(p)
	if err != nil {
		return func(yield func(CLI, error) bool) {
			yield(CLI{}, &ValidationError{Method: method, Field: "params", Err: err})
		}
	}
	return streamRecords(ctx, s.c, method, params, cliRecords)
}

// IsNumericCLI reports whether the server's "CLI must be numeric" check
// (Ruby's strict Float() plus a 0x test) accepts s: optional
// surrounding ASCII white space (Ruby's, not Unicode's), an optional sign,
// digits (single underscores allowed between digits), an optional fraction
// (.digits), an optional exponent. "1.", ".5" and hexadecimal fail. mortest
// applies the same rule, so the client's local check and the fake agree.
func IsNumericCLI(s string) bool {
	s = strings.Trim(s, " \t\n\v\f\r")
	if s == "" {
		return false
	}
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return false
	}
	s, ok := cutDigits(s)
	if !ok {
		return false
	}
	if rest, frac := strings.CutPrefix(s, "."); frac {
		if s, ok = cutDigits(rest); !ok {
			return false
		}
	}
	if len(s) > 0 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
			s = s[1:]
		}
		if s, ok = cutDigits(s); !ok {
			return false
		}
	}
	return s == ""
}

// cutDigits removes a leading run of digits (single underscores allowed
// between digits) from s; ok is false when there is none.
func cutDigits(s string) (rest string, ok bool) {
	i := 0
	for i < len(s) {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			i++
		case s[i] == '_' && i > 0 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			i++
		default:
			return s[i:], i > 0
		}
	}
	return "", i > 0
}

// decodeSuccess reads the reply of a method with declared success texts
// (cli_add, cli_delete and the other writes of the method registry). Success
// is one of the method's exact texts, after trimming, in
// <status><success>TEXT</success></status> (the server), <status>TEXT</status>
// (the wiki) or <status><status>TEXT</status></status> (one wiki revision),
// under the method's root element (<page> for the CLI methods). Any <error>
// wins; anything else, "Unsuccessful" or "CLI was not successfully created"
// included, is ErrUnexpectedResponse with the text received kept in the
// error.
func decodeSuccess(method string, r io.Reader) error {
	e, ok := successSpec(method)
	if !ok {
		return &ParseError{Method: method, Reason: "no success texts known for this method", Err: ErrUnexpectedResponse}
	}
	var matched bool
	var got string
	var gotAny bool
	w := walker{method: method}
	w.end = func(parent, name, text string) error {
		if matched || !successElement(w.root, parent, name) {
			return nil
		}
		t := strings.TrimSpace(text)
		if t == "" {
			return nil
		}
		if e.isSuccess(t) {
			matched = true
		} else if !gotAny {
			got, gotAny = t, true
		}
		return nil
	}
	if err := w.run(r); err != nil {
		return err
	}
	if err := w.apiError(); err != nil {
		return err
	}
	if want := e.successRoot(); w.root != want {
		return &ParseError{Method: method, Reason: "reply root is <" + w.root + ">, not <" + want + ">",
			Snippet: snippet([]byte(got)), Err: ErrUnexpectedResponse}
	}
	if matched {
		return nil
	}
	if gotAny {
		return &ParseError{Method: method, Reason: "status is not a success text of " + method, Snippet: snippet([]byte(got)), Err: ErrUnexpectedResponse}
	}
	return unexpected(method, w.root, "no success status")
}

// successElement reports whether an element may hold a success text:
// <success> inside <status>, or a <status> (callback_init: <Status>) that is
// the root, a child of the root, of another <status>, of a nested <page> or
// of a <response>.
func successElement(root, parent, name string) bool {
	switch name {
	case "success":
		return parent == "status"
	case "status", "Status":
		return parent == "" || parent == root || parent == "status" || parent == "page" || parent == "response"
	}
	return false
}

func unexpected(method, root, why string) error {
	return &ParseError{Method: method, Reason: why + " in <" + root + "> reply", Err: ErrUnexpectedResponse}
}

// decodeCLIInfo reads <page><cli><device><user_id/><device_id/></device></cli></page>.
func decodeCLIInfo(method string, r io.Reader) (*CLIInfo, error) {
	var info CLIInfo
	var haveUser, haveDevice bool
	var convErr error
	w := walker{method: method, end: func(parent, name, text string) error {
		if parent != "device" {
			return nil
		}
		switch name {
		case "user_id":
			info.UserID, convErr = parseID(method, name, text)
			haveUser = true
		case "device_id":
			info.DeviceID, convErr = parseID(method, name, text)
			haveDevice = true
		}
		return convErr
	}}
	if err := w.run(r); err != nil {
		return nil, err
	}
	if err := w.apiError(); err != nil {
		return nil, err
	}
	if !haveUser || !haveDevice {
		return nil, unexpected(method, w.root, "no <cli><device> with user_id and device_id")
	}
	return &info, nil
}

// decodeCLIs reads device_clis_get's flat list: a new record starts at each
// <cli_id>. Records wrapped in their own element are read the
// same way.
func decodeCLIs(method string, r io.Reader) ([]CLI, error) {
	clis := []CLI{}
	sawStatus := false
	w := walker{method: method}
	w.end = func(parent, name, text string) error {
		if name == "status" {
			sawStatus = true
		}
		if !strings.HasPrefix(name, "cli_") {
			return nil
		}
		if name == "cli_id" {
			id, err := parseID(method, name, text)
			if err != nil {
				return err
			}
			clis = append(clis, CLI{ID: id})
			return nil
		}
		if len(clis) == 0 {
			return &ParseError{Method: method, Reason: "<" + name + "> before any <cli_id>", Err: ErrUnexpectedResponse}
		}
		cli := &clis[len(clis)-1]
		var err error
		switch name {
		case "cli_cli":
			cli.Number = text
		case "cli_domain":
			cli.Domain = text
		case "cli_device":
			cli.Device = text
		case "cli_description":
			cli.Description = text
		case "cli_comment":
			cli.Comment = text
		case "cli_ivr":
			cli.IVR = text
		case "cli_added_at":
			cli.AddedAt, err = parseTime(method, name, text)
		case "cli_updated_at":
			cli.UpdatedAt, err = parseTime(method, name, text)
		case "cli_email_callback":
			cli.EmailCallback, err = parseFlag(method, name, text)
		case "cli_banned":
			cli.Banned, err = parseFlag(method, name, text)
		}
		return err
	}
	if err := w.run(r); err != nil {
		return nil, err
	}
	if err := w.apiError(); err != nil {
		if len(w.errors) == 1 && sentinelFor(w.errors[0]) == ErrCLIsNotFound {
			return []CLI{}, nil
		}
		return nil, err
	}
	if len(clis) == 0 {
		return nil, unexpected(method, w.root, "no CLI records and no error")
	}
	if !sawStatus {
		return nil, unexpected(method, w.root, "no <status>")
	}
	return clis, nil
}

func parseID(method, name, text string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil {
		return 0, &ParseError{Method: method, Reason: "bad <" + name + ">", Snippet: snippet([]byte(text)), Err: err}
	}
	return n, nil
}

func parseFlag(method, name, text string) (bool, error) {
	if strings.TrimSpace(text) == "" {
		return false, nil
	}
	n, err := parseID(method, name, text)
	return n != 0, err
}

// timeLayouts are the datetime forms MOR writes, zone first.
var timeLayouts = []string{"2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05", time.RFC3339, "2006-01-02"}

func parseTime(method, name, text string) (time.Time, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return time.Time{}, nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, text); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &ParseError{Method: method, Reason: "bad <" + name + "> datetime", Snippet: snippet([]byte(text))}
}
