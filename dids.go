package mor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/go-querystring/query"
)

// The DIDs group: dids_get, did_create, did_device_assign,
// did_device_unassign, did_details_update, did_subscription_stop and the
// quick-forward DIDs (quickforwards_dids_get, quickforwards_did_update,
// quickforwards_did_delete).

// DIDsService lists, creates, assigns, frees and forwards DIDs (incoming
// numbers). Reach it as Client.DIDs; it holds no state of its own.
type DIDsService service

// DIDStatus is a DID's state. dids_get prints it capitalised ("Free"); the
// SDK keeps MOR's stored lower-case form.
type DIDStatus string

// The states a DID goes through.
const (
	DIDFree       DIDStatus = "free"       // in the inventory, nobody's
	DIDReserved   DIDStatus = "reserved"   // reserved for a user, not routed yet
	DIDActive     DIDStatus = "active"     // routed to a device (or a dial plan)
	DIDClosed     DIDStatus = "closed"     // subscription stopped, held until its closed-till date
	DIDTerminated DIDStatus = "terminated" // gone; cannot be assigned again
)

// DIDMakeFree is the UpdateDIDParams.UserID that frees a DID.
const DIDMakeFree int64 = -1

// DIDsParams filter dids_get. Every filter is optional; the zero value lists
// every DID the caller may see (a reseller its own, a simple user the DIDs
// reserved for or assigned to it, the admin and accountants all).
type DIDsParams struct {
	// Number is a MySQL LIKE pattern on the number (search_did_number):
	// "%" matches any run, "_" one character; without them an exact match.
	Number string `url:"search_did_number,omitempty"`
	// Owner is a LIKE pattern on the owner's name, "First Last" (or the one
	// name set, or the username) (search_did_owner). Free DIDs never match.
	Owner string `url:"search_did_owner,omitempty"`
	// ProviderID keeps the DIDs of one provider (search_provider). The
	// server applies it only for the admin, accountants and users allowed
	// their own providers; it ignores it for others.
	ProviderID *int64 `url:"search_provider,omitempty"`
	// DialPlanID keeps the DIDs on one dial plan (search_dialplan); ignored
	// for simple users.
	DialPlanID *int64 `url:"search_dialplan,omitempty"`
	// Language keeps one language, e.g. "en" (search_language); "" or "all"
	// keeps every language.
	Language string `url:"search_language,omitempty"`
	// Status keeps one state (search_status). For the admin and accountants
	// DIDFree and DIDActive mean not reserved for a reseller, and DIDReserved
	// also matches every reseller's DID (the server's query is written that
	// way: with other filters, those before the status filter apply only to
	// the reserved DIDs and those after it only to the reseller's).
	Status DIDStatus `url:"search_status,omitempty"`
	// UserID keeps the DIDs of this user, or reserved for this reseller
	// (search_user).
	UserID *int64 `url:"search_user,omitempty"`
	// DeviceID keeps the DIDs routed to this device (search_device).
	DeviceID *int64 `url:"search_device,omitempty"`
	// HideTerminated leaves terminated DIDs out (search_hide_terminated_dids=1).
	HideTerminated bool `url:"search_hide_terminated_dids,omitempty,int"`
}

// DID is one DID of dids_get. Which optional elements the server writes
// depends on the caller: a nil pointer means the element was not in the
// reply, not that the value is empty.
type DID struct {
	ID       int64     // id
	Number   string    // did
	Language string    // language, e.g. "en"
	Status   DIDStatus // status, lower-cased: "free", "reserved", …
	// Device is the device it is routed to, e.g. "IAX2/101"; "" when none.
	Device string
	// CallLimit is the simultaneous call limit; 0 is unlimited (the server
	// writes "Unlimited").
	CallLimit int64

	// Provider is the provider's name; written for the admin, accountants
	// and partners only.
	Provider *string
	// Reseller is the name of the reseller the DID is reserved for; written
	// for the admin, accountants and partners, when there is one.
	Reseller *string
	// Owner is the user's name ("System Admin" for a free DID of the
	// admin); left out for a DID reserved for a reseller but no user.
	Owner *string
	// DialPlan is "NAME (TYPE)" of its dial plan, "" for none; not written
	// for simple users.
	DialPlan *string
	// Comment is the first 25 characters of the comment (for a reseller, of
	// its own comment); left out when there is none.
	Comment *string
	// ToneZone is the tone zone, "" for none; not written for simple users.
	ToneZone *string
}

func (d *DID) fields() []field {
	return []field{
		req("id", i64(&d.ID)),
		req("did", str(&d.Number)),
		opt("language", str(&d.Language)),
		req("status", didStatus(&d.Status)),
		opt("device", str(&d.Device)),
		opt("simultaneous_call_limit", didCallLimit(&d.CallLimit)),
		opt("provider", ptrStr(&d.Provider)),
		opt("reseller", ptrStr(&d.Reseller)),
		opt("owner", ptrStr(&d.Owner)),
		opt("dial_plan", ptrStr(&d.DialPlan)),
		opt("comment", ptrStr(&d.Comment)),
		opt("tone_zone", ptrStr(&d.ToneZone)),
	}
}

// didStatus stores a status lower-cased ("Free" → DIDFree).
func didStatus(dst *DIDStatus) setter {
	return func(t string) error {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" {
			return errors.New("empty status")
		}
		*dst = DIDStatus(t)
		return nil
	}
}

// didCallLimit stores "Unlimited" as 0, else the integer.
func didCallLimit(dst *int64) setter {
	return func(t string) error {
		if strings.EqualFold(strings.TrimSpace(t), "Unlimited") {
			*dst = 0
			return nil
		}
		return i64(dst)(t)
	}
}

// didRecords reads dids_get: "No DIDs found" is an empty list.
var didRecords = recordSpec[DID]{record: "dids/did", fields: (*DID).fields, empty: []error{ErrDIDsNotFound}}

// List returns the DIDs the caller may see that match p. MOR: dids_get
// (read; hash: nothing of its own, the search_* filters are not hashed).
//
// "No DIDs found" is an empty list, not an error. An accountant needs the
// manage_dids_opt_1 right (else ErrNotAuthorized); an unknown caller gets
// ErrAccessDenied. The reply has no paging: for a large inventory use All,
// which decodes the DIDs as they arrive.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *DIDsService) List(ctx context.Context, p DIDsParams) ([]DID, error) {
	return collect(s.All(ctx, p))
}

// All streams the DIDs that List returns, decoded as the reply's bytes
// arrive. MOR: dids_get (read; hash: nothing of its own).
//
// Nothing is sent until the sequence is ranged over, and each range sends
// the request again. Breaking out of the loop stops reading and closes the
// body. An error is the last pair, after any DIDs already yielded.
//
// Read-only: retried with WithRetries, but only until the first DID has been
// yielded, so no DID is ever yielded twice.
func (s *DIDsService) All(ctx context.Context, p DIDsParams) iter.Seq2[DID, error] {
	const method = "dids_get"
	params, err := query.Values(p)
	if err != nil {
		return func(yield func(DID, error) bool) {
			yield(DID{}, &ValidationError{Method: method, Field: "params", Err: err})
		}
	}
	return streamRecords(ctx, s.c, method, params, didRecords)
}

// didLikeEscaper makes a number match itself only in a LIKE pattern.
var didLikeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Get returns the DID with exactly this number. MOR: dids_get with
// search_did_number (read; hash: nothing of its own).
//
// Numbers are unique, so the answer is unambiguous: this is how to learn
// the id of a DID whose did_create reply carried none. A DID the caller
// may not see, or no such DID, is ErrDIDNotFound.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *DIDsService) Get(ctx context.Context, number string) (*DID, error) {
	const method = "dids_get"
	number = strings.TrimSpace(number)
	if !isDIDNumber(number) {
		return nil, &ValidationError{Method: method, Field: "search_did_number", Err: ErrInvalidDID}
	}
	for d, err := range s.All(ctx, DIDsParams{Number: didLikeEscaper.Replace(number)}) {
		if err != nil {
			return nil, err
		}
		if d.Number == number {
			return &d, nil
		}
	}
	return nil, fmt.Errorf("mor: %s: no DID %s: %w", method, number, ErrDIDNotFound)
}

// isDIDNumber reports whether s is a DID number as did_create stores it:
// one or more digits.
func isDIDNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// CreateDIDParams are did_create's parameters.
type CreateDIDParams struct {
	// Number is the DID (did, hashed): digits only; surrounding spaces are
	// trimmed before sending, as the server would strip them. Required.
	Number string `url:"did"`
	// ProviderID is the provider the DID comes from (provider_id, hashed):
	// one of the caller's own (the admin's for the admin and accountants).
	// Required.
	ProviderID int64 `url:"provider_id"`
}

// CreatedDID is the DID did_create added.
type CreatedDID struct {
	// ID is the new DID's id (did_details/id); 0 when the server did not
	// send it (some versions do not): look it up with DIDsService.Get.
	ID int64
	// Number is the number as stored (the sent number, trimmed).
	Number string
}

// Create adds a free DID to the inventory. MOR: did_create (write; hash:
// provider_id, did).
//
// Before any I/O: a Number that is not digits is ErrInvalidDID, a
// ProviderID ≤ 0 is ErrProviderNotFound (*ValidationError). Server refusals
// include ErrDIDExists, ErrProviderNotFound, ErrNotAuthorized (a provider
// of someone else, an accountant without manage_dids_opt_1 edit, a reseller
// while the admin has not let resellers add their own DIDs),
// ErrAccessDenied (simple users) and ErrDIDNotCreated.
//
// Never retried: a repeat after an unseen success answers "DID already
// exists". When InDoubt(err) is true, look the number up with Get before
// trying again.
func (s *DIDsService) Create(ctx context.Context, p CreateDIDParams) (*CreatedDID, error) {
	const method = "did_create"
	p.Number = strings.TrimSpace(p.Number)
	switch {
	case !isDIDNumber(p.Number):
		return nil, &ValidationError{Method: method, Field: "did", Err: ErrInvalidDID}
	case p.ProviderID <= 0:
		return nil, &ValidationError{Method: method, Field: "provider_id", Err: ErrProviderNotFound}
	}
	params, err := query.Values(p)
	if err != nil {
		return nil, &ValidationError{Method: method, Field: "params", Err: err}
	}
	out := CreatedDID{Number: p.Number}
	err = s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeFields(method, r, []field{opt("did_details/id", i64(&out.ID))}, true)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// AssignDIDParams are did_device_assign's parameters.
type AssignDIDParams struct {
	// Number is the DID (did, hashed). Required.
	Number string `url:"did"`
	// DeviceID is the device to route it to (device_id, hashed): a device
	// of one of the caller's users (for the admin and accountants, users
	// the admin owns directly, the admin included). Required.
	DeviceID int64 `url:"device_id"`
}

// Assign routes a DID to a device and makes it active for the device's
// user. MOR: did_device_assign, alias did_assign_device (write; hash:
// device_id, did).
//
// The DID must be free, or reserved for the device's user; else
// ErrDIDNotFree (ErrDIDTerminated for a terminated one). Before any I/O: a
// Number that is not digits is ErrDIDNotFound, a DeviceID ≤ 0
// ErrDeviceNotFound. Server refusals also include ErrDeviceNotFound,
// ErrDIDNotFound, ErrNotAuthorized (a device of another owner's user, a DID
// of another reseller, an accountant without device_manage read,
// manage_dids_opt_1 edit and user_manage read), ErrAccessDenied (simple
// users) and ErrDIDNotAssigned.
//
// Never retried: a repeat after an unseen success answers "DID is not
// free". When InDoubt(err) is true, check with Get (Status DIDActive,
// Device set) before trying again.
func (s *DIDsService) Assign(ctx context.Context, p AssignDIDParams) error {
	const method = "did_device_assign"
	p.Number = strings.TrimSpace(p.Number)
	switch {
	case !isDIDNumber(p.Number):
		return &ValidationError{Method: method, Field: "did", Err: ErrDIDNotFound}
	case p.DeviceID <= 0:
		return &ValidationError{Method: method, Field: "device_id", Err: ErrDeviceNotFound}
	}
	params := url.Values{"did": {p.Number}, "device_id": {strconv.FormatInt(p.DeviceID, 10)}}
	return s.c.do(ctx, method, params, func(r io.Reader) error { return decodeSuccess(method, r) })
}

// Unassign detaches a DID from its device and frees it (its reseller, if
// any, keeps it). MOR: did_device_unassign, alias did_unassign_device
// (write; hash: did).
//
// Only an active DID can be freed: otherwise ErrDIDAlreadyFree
// (ErrDIDTerminated, ErrDIDOnDialPlan for one routed to a dial plan). A
// number that is not digits is ErrDIDNotFound before any I/O. Server
// refusals also include ErrDIDNotFound, ErrNotAuthorized and
// ErrAccessDenied.
//
// Never retried: a repeat after an unseen success answers "DID is already
// free", which then means it was done.
func (s *DIDsService) Unassign(ctx context.Context, number string) error {
	const method = "did_device_unassign"
	number = strings.TrimSpace(number)
	if !isDIDNumber(number) {
		return &ValidationError{Method: method, Field: "did", Err: ErrDIDNotFound}
	}
	return s.c.do(ctx, method, url.Values{"did": {number}}, func(r io.Reader) error { return decodeSuccess(method, r) })
}

// UpdateDIDParams are did_details_update's parameters.
type UpdateDIDParams struct {
	// DIDID is the DID's id, not its number (did_id, hashed). Required.
	DIDID int64 `url:"did_id"`
	// UserID reserves the DID for this user (status reserved) or, when it
	// names a reseller, for that reseller; DIDMakeFree frees it at once
	// (did_user_id). nil leaves the reservation alone.
	UserID *int64 `url:"did_user_id,omitempty"`
	// CallLimit sets the simultaneous call limit, 0 unlimited (call_limit).
	// nil leaves it alone.
	CallLimit *int64 `url:"call_limit,omitempty"`
}

// Update reserves a DID for a user or reseller, frees it, or sets its call
// limit. MOR: did_details_update (write; hash: did_id).
//
// Before any I/O: DIDID ≤ 0 is ErrDIDNotFound, a UserID below -1
// ErrUserNotFound, a negative CallLimit ErrCallLimitInvalid. The server
// checks everything and may answer several errors at once
// (APIError.Messages), e.g. ErrUserNotFound and ErrCallLimitInvalid;
// ErrDIDAlreadyAssigned when the DID belongs to someone else. Freeing
// happens even when another part of the request fails. Only the admin,
// resellers (their own DIDs) and accountants with device_manage edit may
// call it.
//
// An absolute update: a repeat reaches the same state, but it is never
// retried automatically.
func (s *DIDsService) Update(ctx context.Context, p UpdateDIDParams) error {
	const method = "did_details_update"
	switch {
	case p.DIDID <= 0:
		return &ValidationError{Method: method, Field: "did_id", Err: ErrDIDNotFound}
	case p.UserID != nil && *p.UserID < DIDMakeFree:
		return &ValidationError{Method: method, Field: "did_user_id", Err: ErrUserNotFound}
	case p.CallLimit != nil && *p.CallLimit < 0:
		return &ValidationError{Method: method, Field: "call_limit", Err: ErrCallLimitInvalid}
	}
	params, err := query.Values(p)
	if err != nil {
		return &ValidationError{Method: method, Field: "params", Err: err}
	}
	return s.c.do(ctx, method, params, func(r io.Reader) error { return decodeSuccess(method, r) })
}

// didNotSaved is did_subscription_stop's failure, sent where the success
// text goes: <page><status><status>DID was not saved</status></status></page>.
const didNotSaved = "DID was not saved"

// StopSubscription closes an active DID: its status becomes closed until
// now plus the server's "days for DID close" setting; the user and device
// are kept. MOR: did_subscription_stop (write; hash: dids_id only, a fixed
// key list).
//
// didID is the DID's id, not its number; ≤ 0 is ErrDIDNotFound before any
// I/O. A DID that is neither active (and not on a dial plan) nor already
// closed is ErrDIDNotActive. Other refusals: ErrDIDNotFound,
// ErrNotAuthorized (accountants without manage_dids_opt_1 edit),
// ErrAccessDenied (simple users), ErrDIDNotSaved.
//
// Repeatable, but not idempotent: a repeat closes the DID again and moves
// its closed-till date forward. Never retried automatically.
func (s *DIDsService) StopSubscription(ctx context.Context, didID int64) error {
	const method = "did_subscription_stop"
	if didID <= 0 {
		return &ValidationError{Method: method, Field: "dids_id", Err: ErrDIDNotFound}
	}
	params := url.Values{"dids_id": {strconv.FormatInt(didID, 10)}}
	// "DID was not saved" comes where the success text goes; the error
	// table knows it, so it is an *APIError (ErrDIDNotSaved).
	return s.c.do(ctx, method, params, func(r io.Reader) error { return decodeSuccess(method, r) })
}

// QuickForwardDID is a DID the calling user may quick-forward, with its
// current target.
type QuickForwardDID struct {
	Number string // did
	// ForwardTo is the number calls go to; "" when the user has not set one.
	ForwardTo   string
	Description string // description
}

func (q *QuickForwardDID) fields() []field {
	return []field{
		req("did", str(&q.Number)),
		opt("forward_to", str(&q.ForwardTo)),
		opt("description", str(&q.Description)),
	}
}

// quickForwardRecords reads quickforwards_dids_get: records directly under
// the root, "Quickforwards list is empty" an empty list. The server never
// sends an empty <page>, so a reply with neither records nor that error is
// not this list.
var quickForwardRecords = recordSpec[QuickForwardDID]{record: "quick_forward_did", fields: (*QuickForwardDID).fields,
	empty: []error{ErrQuickForwardsNotFound},
	finish: func(w *walker, n int) error {
		if n == 0 {
			return unexpected(w.method, w.root, "no quick-forward DIDs and no error")
		}
		return nil
	}}

// QuickForwards lists the quick-forward DIDs the calling simple user may
// forward, with the targets it has set. MOR: quickforwards_dids_get (read;
// hash: nothing of its own).
//
// Only simple users may call it (others get ErrNotAuthorized); a user
// without a quick-forward rule, or whose rule matches no DID, gets an empty
// list.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *DIDsService) QuickForwards(ctx context.Context) ([]QuickForwardDID, error) {
	return collect(streamRecords(ctx, s.c, "quickforwards_dids_get", url.Values{}, quickForwardRecords))
}

// QuickForwardParams are quickforwards_did_update's parameters.
type QuickForwardParams struct {
	// Number is the quick-forward DID (did, hashed). Required.
	Number string `url:"did"`
	// ForwardTo is the number to forward to (forward_to, hashed): a number
	// (digits, optionally signed, with a fraction or exponent). Required.
	ForwardTo string `url:"forward_to"`
	// Description is stored with the forward (description, hashed); "" when
	// not sent.
	Description string `url:"description,omitempty"`
}

// UpdateQuickForward sets where the calling simple user's calls to one
// quick-forward DID go, creating or replacing its forward. MOR:
// quickforwards_did_update (write; hash: description, did, forward_to).
//
// Before any I/O: a Number that is not digits is ErrDIDNotFound (a quote
// would break the server's query), a ForwardTo that is not a number
// ErrQuickForwardInvalid. Server refusals: ErrDIDNotFound (no rule, or the
// DID is not a quick-forward DID under the user's own rule),
// ErrQuickForwardInvalid, ErrUserNotFound, ErrNotAuthorized (not a simple
// user).
//
// An absolute update: a repeat reaches the same state, but it is never
// retried automatically.
func (s *DIDsService) UpdateQuickForward(ctx context.Context, p QuickForwardParams) (*QuickForwardDID, error) {
	const method = "quickforwards_did_update"
	p.Number = strings.TrimSpace(p.Number)
	switch {
	case !isDIDNumber(p.Number):
		return nil, &ValidationError{Method: method, Field: "did", Err: ErrDIDNotFound}
	case !IsNumericCLI(p.ForwardTo):
		return nil, &ValidationError{Method: method, Field: "forward_to", Err: ErrQuickForwardInvalid}
	}
	params, err := query.Values(p)
	if err != nil {
		return nil, &ValidationError{Method: method, Field: "params", Err: err}
	}
	var out QuickForwardDID
	fields := []field{
		req("new_quickforward_did/did", str(&out.Number)),
		req("new_quickforward_did/forward_to", str(&out.ForwardTo)),
		opt("new_quickforward_did/description", str(&out.Description)),
	}
	err = s.c.do(ctx, method, params, func(r io.Reader) error { return decodeFields(method, r, fields, false) })
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteQuickForward removes the calling simple user's forward of one
// quick-forward DID. MOR: quickforwards_did_delete (write; hash: did).
//
// A number that is not digits is ErrDIDNotFound before any I/O. Server
// refusals: ErrQuickForwardNotFound (no forward to delete), ErrDIDNotFound,
// ErrUserNotFound, ErrNotAuthorized (not a simple user).
//
// Never retried: a repeat after an unseen success answers
// ErrQuickForwardNotFound, which then means it was done.
func (s *DIDsService) DeleteQuickForward(ctx context.Context, number string) error {
	const method = "quickforwards_did_delete"
	number = strings.TrimSpace(number)
	if !isDIDNumber(number) {
		return &ValidationError{Method: method, Field: "did", Err: ErrDIDNotFound}
	}
	return s.c.do(ctx, method, url.Values{"did": {number}}, func(r io.Reader) error { return decodeSuccess(method, r) })
}
