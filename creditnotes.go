package mor

import (
	"context"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The credit-notes group: credit_notes_get, credit_note_create,
// credit_note_update and credit_note_delete.

// CreditNotesService lists, creates, pays and deletes credit notes. Reach it
// as Client.CreditNotes; it holds no state of its own.
type CreditNotesService service

// CreditNotesParams select credit_notes_get's notes. With neither field set
// the caller sees every note in its scope.
type CreditNotesParams struct {
	// ID selects one note (credit_note_id, not hashed); it wins over UserID.
	ID int64
	// UserID selects one user's notes (user_id, hashed).
	UserID int64
	// Currency is not sent: it names the caller's currency, in which the
	// server converts the prices without saying so. It is copied into every
	// Price and PriceWithVAT.
	Currency string
}

func (p CreditNotesParams) values() url.Values {
	v := url.Values{}
	if p.ID > 0 {
		v.Set("credit_note_id", strconv.FormatInt(p.ID, 10))
	} else if p.UserID > 0 {
		v.Set("user_id", strconv.FormatInt(p.UserID, 10))
	}
	return v
}

// CreditNote is one note of credit_notes_get. The reply carries no note id.
type CreditNote struct {
	UserID    int64     // the user's id (<user_id>)
	IssueDate time.Time // issue_date, with the server's zone
	// Number is the note's number; 0 when it has none.
	Number  int64
	Comment string // the note's comment (<comment>)
	// PricesShown is false when the server left out the prices and pay
	// date (an accountant without the right to see financial data).
	PricesShown bool
	// Price is the net amount and PriceWithVAT the gross, both converted to
	// the caller's currency (CreditNotesParams.Currency).
	Price        Money
	PriceWithVAT Money      // the gross amount (<price_with_vat>)
	PayDate      *time.Time // nil while unpaid
}

func (n *CreditNote) fields(currency string) []field {
	n.Price.Currency, n.PriceWithVAT.Currency = currency, currency
	shown := func(set setter) setter {
		return func(t string) error { n.PricesShown = true; return set(t) }
	}
	return []field{
		req("user_id", i64(&n.UserID)),
		opt("issue_date", datetime(&n.IssueDate)),
		opt("number", i64(&n.Number)),
		opt("comment", str(&n.Comment)),
		opt("price", shown(money(&n.Price))),
		opt("price_with_vat", shown(money(&n.PriceWithVAT))),
		opt("pay_date", ptrDatetime(&n.PayDate)),
	}
}

// List returns credit notes: one by id, one user's, or every note the
// caller may see. MOR: credit_notes_get (read; hash: user_id when sent).
//
// "Credit note was not found" is an empty list and a nil error. Simple
// users, and accountants without the invoices right, get ErrBadLogin.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *CreditNotesService) List(ctx context.Context, p CreditNotesParams) ([]CreditNote, error) {
	const method = "credit_notes_get"
	spec := recordSpec[CreditNote]{
		record: "credit_notes/credit_note",
		fields: func(n *CreditNote) []field { return n.fields(p.Currency) },
		empty:  []error{ErrCreditNoteNotFound},
	}
	return collect(streamRecords(ctx, s.c, method, p.values(), spec))
}

// CreateCreditNoteParams are credit_note_create's parameters.
type CreateCreditNoteParams struct {
	UserID int64 // user_id (hashed); required
	// IssueDate is required (issue_date, sent as Unix seconds).
	IssueDate time.Time
	// Price is the net amount in the caller's currency (price); zero is
	// sent as 0. The server adds the user's taxes for the gross.
	Price Decimal
	// Number is stored when > 0 (number, hashed). The server does not check
	// it for uniqueness; give every note a distinct number so that an
	// in-doubt create can be checked (FindByNumber).
	Number int64
	// Comment is stored verbatim (comment); empty is not sent.
	Comment string
}

// Create adds an unpaid credit note for a user. MOR: credit_note_create
// (write; hash: user_id, number; no money moves until the note is paid).
//
// UserID ≤ 0 or a zero IssueDate fail locally (ErrInvalidParams). Server
// refusals: ErrBadLogin (simple users; accountants without both the
// invoices and the financial-data edit rights), ErrUserNotFound,
// ErrCreditNoteNotCreated.
//
// Never retried: a repeat after an unseen success adds a second note (and a
// second private tax row). When InDoubt(err) is true, look for the note
// with FindByNumber(ctx, userID, number) before sending it again.
func (s *CreditNotesService) Create(ctx context.Context, p CreateCreditNoteParams) error {
	const method = "credit_note_create"
	var missing []string
	if p.UserID <= 0 {
		missing = append(missing, "user_id")
	}
	if p.IssueDate.IsZero() || p.IssueDate.Unix() <= 0 {
		missing = append(missing, "issue_date")
	}
	if len(missing) > 0 {
		return &ValidationError{Method: method, Field: strings.Join(missing, ", "), Err: ErrInvalidParams}
	}
	v := url.Values{
		"user_id":    {strconv.FormatInt(p.UserID, 10)},
		"issue_date": {strconv.FormatInt(p.IssueDate.Unix(), 10)},
		"price":      {p.Price.String()},
	}
	if p.Number > 0 {
		v.Set("number", strconv.FormatInt(p.Number, 10))
	}
	if p.Comment != "" {
		v.Set("comment", p.Comment)
	}
	err := s.c.do(ctx, method, v, func(r io.Reader) error { return decodeSuccess(method, r) })
	return moneyErr(method, err, "look for the note with CreditNotes.FindByNumber(user "+
		strconv.FormatInt(p.UserID, 10)+", number "+strconv.FormatInt(p.Number, 10)+") before creating it again")
}

// FindByNumber returns the user's credit note with this number, or
// ErrCreditNoteNotFound. It is the check to run after an in-doubt Create:
// MOR returns no id, so the number is the note's natural key. MOR:
// credit_notes_get (read; hash: user_id).
func (s *CreditNotesService) FindByNumber(ctx context.Context, userID, number int64) (*CreditNote, error) {
	if userID <= 0 || number <= 0 {
		return nil, &ValidationError{Method: "credit_notes_get", Field: "user_id, number", Err: ErrInvalidParams}
	}
	notes, err := s.List(ctx, CreditNotesParams{UserID: userID})
	if err != nil {
		return nil, err
	}
	for i := range notes {
		if notes[i].Number == number {
			return &notes[i], nil
		}
	}
	return nil, newAPIError("credit_notes_get", []string{"Credit note was not found"})
}

// CreditNoteStatus is a credit note's payment status.
type CreditNoteStatus string

// The two statuses credit_note_update sets.
const (
	CreditNotePaid   CreditNoteStatus = "paid"
	CreditNoteUnpaid CreditNoteStatus = "unpaid"
)

// UpdateCreditNoteParams are credit_note_update's parameters.
type UpdateCreditNoteParams struct {
	ID int64 // credit_note_id; required
	// Status, when set, pays or un-pays the note (status, hashed).
	Status CreditNoteStatus
	// Comment, when not nil, replaces the comment (an empty string clears it).
	Comment *string
}

// Update pays or un-pays a credit note and/or replaces its comment. MOR:
// credit_note_update (moves money; hash: status).
//
// Paying adds a "credit note" payment and credits the user's balance with
// the note's net price; un-paying deletes that payment and takes the amount
// back. ID ≤ 0, a Status other than paid/unpaid, or nothing to change fail
// locally. Server refusals: ErrBadLogin, ErrCreditNoteNotFound,
// ErrCreditNoteNotUpdated. An accountant without the financial-data edit
// right gets success but the status is ignored.
//
// Never retried by the SDK (it moves money). A repeat with the same status
// and comment changes nothing (paid stays paid, with one payment), so after
// an in-doubt failure it is safe to send again; List shows the pay date.
func (s *CreditNotesService) Update(ctx context.Context, p UpdateCreditNoteParams) error {
	const method = "credit_note_update"
	switch {
	case p.ID <= 0:
		return &ValidationError{Method: method, Field: "credit_note_id", Err: ErrInvalidParams}
	case p.Status != "" && p.Status != CreditNotePaid && p.Status != CreditNoteUnpaid:
		return &ValidationError{Method: method, Field: "status", Err: ErrInvalidParams}
	case p.Status == "" && p.Comment == nil:
		return &ValidationError{Method: method, Field: "status, comment", Err: ErrInvalidParams}
	}
	v := url.Values{"credit_note_id": {strconv.FormatInt(p.ID, 10)}}
	if p.Status != "" {
		v.Set("status", string(p.Status))
	}
	if p.Comment != nil {
		v.Set("comment", *p.Comment)
	}
	err := s.c.do(ctx, method, v, func(r io.Reader) error { return decodeSuccess(method, r) })
	return moneyErr(method, err, "sending the same status again is harmless (a paid note is not paid twice)")
}

// Delete removes a credit note. MOR: credit_note_delete (write; hash: the
// secret only). The balance is not reversed and a payment made for it
// stays.
//
// Server refusals: ErrBadLogin (accountants need both the invoices and the
// financial-data edit rights), ErrCreditNoteNotFound.
//
// Never retried: a repeat after an unseen success answers
// ErrCreditNoteNotFound, which then means it is gone.
func (s *CreditNotesService) Delete(ctx context.Context, id int64) error {
	const method = "credit_note_delete"
	if id <= 0 {
		return &ValidationError{Method: method, Field: "credit_note_id", Err: ErrInvalidParams}
	}
	return s.c.do(ctx, method, url.Values{"credit_note_id": {strconv.FormatInt(id, 10)}}, func(r io.Reader) error {
		return decodeSuccess(method, r)
	})
}
