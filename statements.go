package mor

import (
	"context"
	"encoding/xml"
	"io"
	"net/url"
	"strconv"
	"time"
)

// The statements group: financial_statements_get.

// StatementsService reads paid and unpaid totals of invoices, credit notes
// and payments. Reach it as Client.Statements; it holds no state of its
// own.
//
// The legacy personal_payments action (the caller's own payments for MOR's
// pages, not hash-checked, marks the caller as logged in) is reachable only
// through Client.Call.
type StatementsService service

// StatementStatus filters financial_statements_get.
type StatementStatus string

// The statuses financial_statements_get accepts; anything else is all.
const (
	StatementAll    StatementStatus = "all"
	StatementPaid   StatementStatus = "paid"
	StatementUnpaid StatementStatus = "unpaid"
)

// StatementsParams are financial_statements_get's parameters (all hashed
// when sent).
type StatementsParams struct {
	// UserID limits the totals to one user (user_id); 0 is not sent. A
	// simple user always gets its own totals.
	UserID int64
	// Status is paid, unpaid or all (status); empty is not sent (all).
	Status StatementStatus
	// From and Till are the window (date_from, date_till, sent as Unix
	// seconds and cut to the server's local dates). The server uses them
	// only when both are set; otherwise the window is today.
	From time.Time // start of the window (date_from); sent only with Till
	Till time.Time // end of the window (date_till); sent only with From
}

func (p StatementsParams) values() url.Values {
	v := url.Values{}
	if p.UserID > 0 {
		v.Set("user_id", strconv.FormatInt(p.UserID, 10))
	}
	if p.Status != "" {
		v.Set("status", string(p.Status))
	}
	if !p.From.IsZero() && !p.Till.IsZero() {
		v.Set("date_from", strconv.FormatInt(p.From.Unix(), 10))
		v.Set("date_till", strconv.FormatInt(p.Till.Unix(), 10))
	}
	return v
}

// Statement is one row of a financial statement: the count and totals of
// one kind of document with one status, in the server's default currency.
type Statement struct {
	Type   string // "invoices", "credit_notes" or "payments"
	Status string // "paid" or "unpaid"
	Count  int64  // how many documents (<count>)
	// Price is the net total and PriceWithVAT the gross, rounded by the
	// server to its configured decimals; Currency is the statement's.
	Price        Money
	PriceWithVAT Money // the gross total (<price_with_vat>)
}

// FinancialStatement is financial_statements_get's reply.
type FinancialStatement struct {
	Currency   string      // the default currency every amount is in
	Statements []Statement // the rows, one per <statement>
}

// Get returns the paid/unpaid totals of invoices, credit notes and payments.
// MOR: financial_statements_get (read; hash: user_id, status, date_from,
// date_till when sent).
//
// Invoices and payments always have a paid and an unpaid row (for the
// statuses asked for); credit notes have one row per status present.
// Server refusals: ErrBadLogin (an unknown API user, or an accountant
// without the finances right; an accountant with it gets an empty reply),
// ErrAccessDenied (a UserID the caller does not own).
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *StatementsService) Get(ctx context.Context, p StatementsParams) (*FinancialStatement, error) {
	const method = "financial_statements_get"
	var out *FinancialStatement
	err := s.c.do(ctx, method, p.values(), func(r io.Reader) error {
		var err error
		out, err = decodeStatement(method, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func decodeStatement(method string, r io.Reader) (*FinancialStatement, error) {
	out := &FinancialStatement{Statements: []Statement{}}
	var (
		cur      Statement
		t        *table
		firstBad error
		sawFS    bool
	)
	w := walker{method: method}
	w.start = func(name string, attrs []xml.Attr) error {
		switch {
		case len(w.path) == 2 && name == "financial_statement":
			sawFS = true
			for _, a := range attrs {
				if a.Name.Local == "currency" {
					out.Currency = a.Value
				}
			}
		case len(w.path) == 3 && name == "statement" && w.path[1] == "financial_statement":
			cur = Statement{Price: Money{Currency: out.Currency}, PriceWithVAT: Money{Currency: out.Currency}}
			for _, a := range attrs {
				if a.Name.Local == "type" {
					cur.Type = a.Value
				}
			}
			t = newTable([]field{
				req("status", str(&cur.Status)),
				req("count", i64(&cur.Count)),
				req("price", money(&cur.Price)),
				req("price_with_vat", money(&cur.PriceWithVAT)),
			})
		}
		return nil
	}
	w.end = func(parent, name, text string) error {
		switch {
		case t != nil && len(w.path) == 4 && parent == "statement":
			if err := t.set(method, name, text); err != nil && firstBad == nil {
				firstBad = err
			}
		case t != nil && len(w.path) == 3 && name == "statement":
			if err := t.missing(method, w.root, " in a <statement>"); err != nil && firstBad == nil {
				firstBad = err
			}
			if cur.Type == "" && firstBad == nil {
				firstBad = unexpected(method, w.root, "a <statement> without type")
			}
			out.Statements = append(out.Statements, cur)
			t = nil
		}
		return nil
	}
	if err := w.run(r); err != nil {
		return nil, err
	}
	if err := w.apiError(); err != nil {
		return nil, err
	}
	if firstBad != nil {
		return nil, firstBad
	}
	if w.root != "page" || !sawFS {
		return nil, unexpected(method, w.root, "no <financial_statement>")
	}
	return out, nil
}
