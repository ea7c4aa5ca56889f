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

// The phonebooks group: phonebooks_get, phonebook_edit,
// phonebook_record_create and phonebook_record_delete.
//
// A phonebook record is a speed dial: a short code (two or more digits)
// that dials a number. The admin's records are global: they appear in
// every user's phonebook, and only the admin may change them. Every record
// belongs to the user who created it.

// PhonebooksService reads phonebooks and edits their records. Reach it as
// Client.Phonebooks; it holds no state of its own.
type PhonebooksService service

// PhonebookRecord is one speed-dial record of phonebooks_get.
type PhonebookRecord struct {
	ID        int64  // id: the record's id, for Edit and Delete
	Name      string // name
	Number    string // number: the number dialled, digits only
	SpeedDial string // speeddial: the code that dials it, two or more digits
}

// fields is one <phonebook> record.
func (r *PhonebookRecord) fields() []field {
	return []field{
		req("id", i64(&r.ID)),
		opt("name", str(&r.Name)),
		opt("number", str(&r.Number)),
		opt("speeddial", str(&r.SpeedDial)),
	}
}

// phonebookRecords reads phonebooks_get: "No Phonebooks" is an empty list.
var phonebookRecords = recordSpec[PhonebookRecord]{
	record: "phonebooks/phonebook",
	fields: (*PhonebookRecord).fields,
	empty:  []error{ErrPhonebooksNotFound},
}

// ListPhonebooksParams choose whose phonebook phonebooks_get reads.
type ListPhonebooksParams struct {
	// UserID names the user whose phonebook to read (user_id, hashed); nil
	// reads the caller's own. The admin and accountants may name users the
	// admin owns directly (0 is the admin), a reseller its own users. A
	// simple user always reads its own phonebook: the server ignores
	// UserID for it.
	UserID *int64 `url:"user_id,omitempty"`
}

// List returns a user's phonebook: the user's own records and the admin's
// global ones, ordered by name. MOR: phonebooks_get (alias phonebooks;
// read; hash: user_id). It collects All.
//
// "No Phonebooks" is an empty list and a nil error. Records of calling
// cards are never listed. Server refusals include ErrBadLogin and
// ErrUserNotFound (a user the caller does not own, or no such user). A
// negative UserID fails locally with ErrUserNotFound as a *ValidationError.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *PhonebooksService) List(ctx context.Context, p ListPhonebooksParams) ([]PhonebookRecord, error) {
	return collect(s.All(ctx, p))
}

// All streams the records that List returns, decoded as the reply's bytes
// arrive. MOR: phonebooks_get (read; hash: user_id).
//
// Nothing is sent until the sequence is ranged over, and each range sends
// the request again. Breaking out of the loop stops reading and closes the
// body. An error is the last pair, after any records already yielded. "No
// Phonebooks" yields nothing and no error.
//
// Read-only: retried with WithRetries, but only until the first record has
// been yielded.
func (s *PhonebooksService) All(ctx context.Context, p ListPhonebooksParams) iter.Seq2[PhonebookRecord, error] {
	const method = "phonebooks_get"
	// The server reads user_id only when it is all digits: a negative one
	// would silently read the caller's own phonebook instead.
	if p.UserID != nil && *p.UserID < 0 {
		return func(yield func(PhonebookRecord, error) bool) {
			yield(PhonebookRecord{}, &ValidationError{Method: method, Field: "user_id", Err: ErrUserNotFound})
		}
	}
	params, err := query.Values(p)
	if err != nil {
		return func(yield func(PhonebookRecord, error) bool) {
			yield(PhonebookRecord{}, &ValidationError{Method: method, Field: "params", Err: err})
		}
	}
	return streamRecords(ctx, s.c, method, params, phonebookRecords)
}

// CreatePhonebookRecordParams are phonebook_record_create's parameters;
// every one is required and always sent.
type CreatePhonebookRecordParams struct {
	// UserID is the user the caller acts for (user_id, hashed): a simple
	// user's own id; for the admin 0 (itself) or any simple user, a
	// reseller's users included. The record is stored under the caller
	// whatever UserID names.
	UserID int64 `url:"user_id"`
	// Name is the record's name (name, hashed); it must not be blank.
	Name string `url:"name"`
	// Number is the number dialled (number, hashed): digits only.
	Number string `url:"number"`
	// SpeedDial is the code that dials Number (speeddial, hashed): two or
	// more digits, not used by another of the caller's records (for the
	// admin: by any record).
	SpeedDial string `url:"speeddial"`
}

// validate mirrors the server's checks, in its order; Field names every
// parameter at fault and Err is the first one's sentinel.
func (p CreatePhonebookRecordParams) validate() error {
	const method = "phonebook_record_create"
	var bad []string
	var first error
	note := func(field string, err error) {
		if err == nil {
			return
		}
		bad = append(bad, field)
		if first == nil {
			first = err
		}
	}
	if p.UserID < 0 {
		note("user_id", ErrUserNotFound)
	}
	note("name", checkPhonebookName(p.Name))
	note("number", checkPhonebookNumber(p.Number))
	note("speeddial", checkSpeedDial(p.SpeedDial))
	if first == nil {
		return nil
	}
	return &ValidationError{Method: method, Field: strings.Join(bad, ", "), Err: first}
}

// Create adds a speed-dial record. MOR: phonebook_record_create (write;
// hash: user_id, number, name, speeddial, in that order).
//
// Only the admin and simple users may create records, and the record
// always belongs to the caller: when the admin names another user in
// UserID, the record is still the admin's, and so global (it shows in
// every user's phonebook). A simple user must name itself.
//
// The reply carries no id. To find the new record, list the caller's own
// phonebook and match the speed dial, which is what FindBySpeedDial does.
//
// Before any I/O it checks what the server would refuse: a blank Name
// (ErrPhonebookNameEmpty), a Number that is empty or not only digits
// (ErrPhonebookNumberInvalid), a SpeedDial shorter than two characters or
// not only digits (ErrSpeedDialInvalid), a negative UserID; these come
// back as *ValidationError. Server refusals are *APIError: ErrAccessDenied
// (a reseller or accountant caller, a user naming someone else, or a
// UserID of a reseller or accountant), ErrUserNotFound, ErrSpeedDialTaken.
//
// Never retried: a repeat after an unseen success answers "Speed dial must
// be unique". When InDoubt(err) is true, check with FindBySpeedDial before
// trying again.
func (s *PhonebooksService) Create(ctx context.Context, p CreatePhonebookRecordParams) error {
	const method = "phonebook_record_create"
	if err := p.validate(); err != nil {
		return err
	}
	params, err := query.Values(p)
	if err != nil {
		return &ValidationError{Method: method, Field: "params", Err: err}
	}
	return s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeFields(method, r, nil, true)
	})
}

// EditPhonebookRecordParams are phonebook_edit's parameters. Only the
// fields set are sent and changed: an empty string leaves the stored value
// as it is (the server would refuse an empty one anyway).
type EditPhonebookRecordParams struct {
	// ID is the record to change (phonebook_id, hashed). Required.
	ID int64 `url:"phonebook_id"`
	// Number is the new number (number, hashed): digits only.
	Number string `url:"number,omitempty"`
	// Name is the new name (name, hashed); it must not be blank.
	Name string `url:"name,omitempty"`
	// SpeedDial is the new speed dial (speeddial, hashed): two or more
	// digits.
	SpeedDial string `url:"speeddial,omitempty"`
}

func (p EditPhonebookRecordParams) validate() error {
	const method = "phonebook_edit"
	if p.ID <= 0 {
		return &ValidationError{Method: method, Field: "phonebook_id", Err: ErrPhonebookRecordNotFound}
	}
	if p.Name != "" {
		if err := checkPhonebookName(p.Name); err != nil {
			return &ValidationError{Method: method, Field: "name", Err: err}
		}
	}
	if p.Number != "" {
		if err := checkPhonebookNumber(p.Number); err != nil {
			return &ValidationError{Method: method, Field: "number", Err: err}
		}
	}
	if p.SpeedDial != "" {
		if err := checkSpeedDial(p.SpeedDial); err != nil {
			return &ValidationError{Method: method, Field: "speeddial", Err: err}
		}
	}
	return nil
}

// Edit changes a speed-dial record: the fields set in p. MOR:
// phonebook_edit (write, absolute; hash: phonebook_id, number, name,
// speeddial, in that order).
//
// The admin may edit any record; everyone else only records they created
// (ErrAccessDenied otherwise; ErrPhonebookRecordNotFound for no such id).
// A refused validation is ErrPhonebookNotSaved, with each of the server's
// reasons in APIError.Messages after "Phonebook was not saved"; the client
// checks the same rules before any I/O (*ValidationError, as for Create).
//
// A nil error does not prove the change was stored. When the new speed
// dial is already used (by another of the owner's records; for a global
// record, by any record), the server's save fails silently and it still
// answers "Phonebook saved", so the SDK cannot tell. When the speed dial
// changes, or whenever it matters, read the record back with List (or
// FindBySpeedDial) and compare.
//
// An absolute update: a repeat leaves the same end state, so a retry after
// an error with InDoubt(err) is safe. It is still never retried
// automatically.
func (s *PhonebooksService) Edit(ctx context.Context, p EditPhonebookRecordParams) error {
	const method = "phonebook_edit"
	if err := p.validate(); err != nil {
		return err
	}
	params, err := query.Values(p)
	if err != nil {
		return &ValidationError{Method: method, Field: "params", Err: err}
	}
	return s.c.do(ctx, method, params, func(r io.Reader) error {
		// The reasons of "Phonebook was not saved" are <message> siblings
		// of the <error>: keep them with it.
		var reasons []string
		keep := func(t string) error { reasons = append(reasons, strings.TrimSpace(t)); return nil }
		err := decodeFields(method, r, []field{opt("message", keep)}, true)
		var apiErr *APIError
		if errors.As(err, &apiErr) && len(reasons) > 0 {
			apiErr.Messages = append(apiErr.Messages, reasons...)
			apiErr.Message = strings.Join(apiErr.Messages, "; ")
		}
		return err
	})
}

// Delete deletes the speed-dial record with this id. MOR:
// phonebook_record_delete (write; hash: id).
//
// Only the admin and simple users may delete (ErrAccessDenied otherwise);
// a simple user only its own records. ErrPhonebookRecordNotFound is no
// such record and also a record the caller may not delete, such as the
// admin's global records for a user. An id ≤ 0 fails locally with the
// same sentinel as a *ValidationError.
//
// Never retried: a repeat after an unseen success answers "Phonebook
// record was not found", which after an InDoubt error means it is gone.
func (s *PhonebooksService) Delete(ctx context.Context, id int64) error {
	const method = "phonebook_record_delete"
	if id <= 0 {
		return &ValidationError{Method: method, Field: "id", Err: ErrPhonebookRecordNotFound}
	}
	params := url.Values{"id": {strconv.FormatInt(id, 10)}}
	return s.c.do(ctx, method, params, func(r io.Reader) error {
		return decodeFields(method, r, nil, true)
	})
}

// ErrSpeedDialAmbiguous is FindBySpeedDial's answer when more than one
// record of the caller's phonebook has the speed dial: a simple user's own
// record and one of the admin's global records may share one, and the list
// does not say whose each is.
var ErrSpeedDialAmbiguous = errors.New("mor: several phonebook records have this speed dial")

// FindBySpeedDial returns the record of the caller's own phonebook with
// this speed dial. MOR: phonebooks_get (read; hash: nothing, no user_id is
// sent).
//
// It is how to learn the id of a record just made with Create, which
// stores the record under the caller and answers no id. For the admin the
// answer is never ambiguous: its records are the global ones, and their
// speed dials are unique among all records. A simple user's records are
// unique among its own, but one of them may share its speed dial with a
// global record; the list does not say whose each is, so FindBySpeedDial
// then fails with ErrSpeedDialAmbiguous rather than guess. No match is
// ErrPhonebookRecordNotFound (not an *APIError).
//
// Read-only: safe to retry.
func (s *PhonebooksService) FindBySpeedDial(ctx context.Context, speeddial string) (*PhonebookRecord, error) {
	const method = "phonebooks_get"
	if err := checkSpeedDial(speeddial); err != nil {
		return nil, &ValidationError{Method: method, Field: "speeddial", Err: err}
	}
	var found []PhonebookRecord
	for r, err := range s.All(ctx, ListPhonebooksParams{}) {
		if err != nil {
			return nil, err
		}
		if r.SpeedDial == speeddial {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("mor: %s: no record with speed dial %q: %w", method, speeddial, ErrPhonebookRecordNotFound)
	case 1:
		return &found[0], nil
	}
	ids := make([]string, len(found))
	for i, r := range found {
		ids[i] = strconv.FormatInt(r.ID, 10)
	}
	return nil, fmt.Errorf("mor: %s: records %s have speed dial %q: %w", method, strings.Join(ids, ", "), speeddial,
		ErrSpeedDialAmbiguous)
}

// The server's record validations, one field each.

func checkPhonebookName(s string) error {
	if strings.TrimSpace(s) == "" {
		return ErrPhonebookNameEmpty
	}
	return nil
}

func checkPhonebookNumber(s string) error {
	if s == "" || !isDigits(s) {
		return ErrPhonebookNumberInvalid
	}
	return nil
}

func checkSpeedDial(s string) error {
	if len(s) < 2 || !isDigits(s) {
		return ErrSpeedDialInvalid
	}
	return nil
}
