package mor

import (
	"context"
	"encoding/xml"
	"io"
	"iter"
	"net/url"
	"strconv"
	"time"
)

// The invoices group: invoices_get. invoice_xlsx_generate is not typed: see
// InvoicesService.

// InvoicesService lists invoices with their lines. Reach it as
// Client.Invoices; it holds no state of its own.
//
// invoice_xlsx_generate (render an invoice to an .xlsx file on the server)
// is deliberately not typed: the server runs it without any authentication
// (no user, no API switch, no hash: anyone who can reach the API can make it
// write /tmp/mor/invoices/<number>.xlsx), it does not return the file, and
// a repeat rewrites the same file. Call it with Client.Call if you must;
// consider blocking the route at your proxy.
//
// The legacy user_invoices action (the caller's own invoices for MOR's
// pages, not hash-checked, marks the caller as logged in) is reachable only
// through Client.Call.
type InvoicesService service

// InvoicesParams select invoices_get's period. The server keeps invoices
// whose billing period lies inside [From, Till] (compared as server-local
// dates). A zero time is not sent, which the server reads as 1970-01-01.
type InvoicesParams struct {
	From time.Time // from: sent as Unix seconds
	Till time.Time // till: sent as Unix seconds
	// Currency is not sent: it names the currency the caller's amounts are
	// in (the API user's currency), which the reply does not say. It is
	// copied into every Price. Leave it empty when unknown.
	Currency string
}

func (p InvoicesParams) values() url.Values {
	v := url.Values{"file": {"false"}}
	if !p.From.IsZero() {
		v.Set("from", strconv.FormatInt(p.From.Unix(), 10))
	}
	if !p.Till.IsZero() {
		v.Set("till", strconv.FormatInt(p.Till.Unix(), 10))
	}
	return v
}

// Invoice is one invoice of invoices_get with its lines.
type Invoice struct {
	UserID          int64            // user_id
	AgreementNumber string           // agreementnumber: the user's agreement number, "" when none
	ClientID        string           // clientid: the user's client id, "" when none
	Number          string           // number: the invoice number
	Products        []InvoiceProduct // the invoice's lines, one per <Product>
}

// InvoiceProduct is one line (<Product>) of an invoice.
type InvoiceProduct struct {
	Name string // Name, e.g. "Calls"
	// Quantity is exact: "12", or "12.0" for the aggregated Calls line.
	Quantity Decimal
	// Price is the line's amount, rounded by the server to its configured
	// number of decimals. It is in the invoice's own currency when the
	// invoice has one, else in the caller's currency; the reply does not
	// say which, so Currency is InvoicesParams.Currency.
	Price Money
	// DateAdded is the date of the invoice's payment; zero when unpaid.
	DateAdded time.Time
	IssueDate time.Time // Issue_date (a date, midnight UTC)
}

// List returns the invoices of a period with their lines, in the server's
// order. MOR: invoices_get (read; hash: the secret only). It collects All.
//
// "No Invoices found" is an empty list and a nil error. An unknown API user
// is ErrUserNotFound. Admins and accountants see the invoices of the
// admin's users, resellers those of their users and their own, simple users
// their own.
//
// Read-only: safe to retry, and retried with WithRetries.
func (s *InvoicesService) List(ctx context.Context, p InvoicesParams) ([]Invoice, error) {
	return collect(s.All(ctx, p))
}

// All streams the invoices List returns, each yielded when its closing tag
// arrives. MOR: invoices_get (read; hash: the secret only). The request asks
// for an inline reply (file=false; the server ignores test for this action).
//
// Nothing is sent until the sequence is ranged over; each range sends the
// request again. An error is the last pair. Retried with WithRetries only
// until the first invoice has been yielded.
func (s *InvoicesService) All(ctx context.Context, p InvoicesParams) iter.Seq2[Invoice, error] {
	const method = "invoices_get"
	return func(yield func(Invoice, error) bool) {
		yielded, stopped := false, false
		err := s.c.doStream(ctx, method, p.values(), func(r io.Reader) error {
			return decodeInvoices(method, r, p.Currency, func(v Invoice) bool {
				yielded = true
				if !yield(v, nil) {
					stopped = true
					return false
				}
				return true
			})
		}, func() bool { return yielded })
		if stopped || err == nil {
			return
		}
		yield(Invoice{}, err)
	}
}

// decodeInvoices reads invoices_get's reply: <Invoices from till> with
// <Invoice> records whose data is in attributes, each holding <Product>
// lines; or a root <error>.
func decodeInvoices(method string, r io.Reader, currency string, yield func(Invoice) bool) error {
	var (
		cur      Invoice
		prod     InvoiceProduct
		prodT    *table
		inInv    bool
		firstBad error
		stop     bool
	)
	newProd := func() {
		prod = InvoiceProduct{Price: Money{Currency: currency}}
		prodT = newTable([]field{
			req("Name", str(&prod.Name)),
			req("Quantity", decimal(&prod.Quantity)),
			req("Price", money(&prod.Price)),
			opt("Date_added", date(&prod.DateAdded)),
			opt("Issue_date", date(&prod.IssueDate)),
		})
	}
	bad := func(err error) {
		if firstBad == nil {
			firstBad = err
		}
	}
	w := walker{method: method}
	w.start = func(name string, attrs []xml.Attr) error {
		if len(w.errors) > 0 || w.root != "Invoices" {
			return nil
		}
		switch {
		case len(w.path) == 2 && name == "Invoice":
			cur, inInv = Invoice{Products: []InvoiceProduct{}}, true
			seen := false
			for _, a := range attrs {
				switch a.Name.Local {
				case "user_id":
					n, err := parseInt(a.Value)
					if err != nil {
						bad(&ParseError{Method: method, Reason: "bad Invoice user_id attribute", Snippet: snippet([]byte(a.Value)), Err: err})
					}
					cur.UserID, seen = n, true
				case "agreementnumber":
					cur.AgreementNumber = a.Value
				case "clientid":
					cur.ClientID = a.Value
				case "number":
					cur.Number = a.Value
				}
			}
			if !seen {
				bad(unexpected(method, w.root, "an <Invoice> without user_id"))
			}
		case len(w.path) == 3 && inInv && name == "Product":
			newProd()
		}
		return nil
	}
	w.end = func(parent, name, text string) error {
		if len(w.errors) > 0 || w.root != "Invoices" || firstBad != nil {
			return nil
		}
		switch {
		case len(w.path) == 4 && prodT != nil && w.path[1] == "Invoice" && parent == "Product":
			if err := prodT.set(method, name, text); err != nil {
				bad(err)
			}
		case len(w.path) == 3 && name == "Product" && prodT != nil:
			if err := prodT.missing(method, w.root, " in a <Product> of invoice "+strconv.Quote(cur.Number)); err != nil {
				bad(err)
				return nil
			}
			cur.Products = append(cur.Products, prod)
			prodT = nil
		case len(w.path) == 2 && name == "Invoice":
			inInv = false
			if firstBad != nil {
				return nil
			}
			if !yield(cur) {
				stop = true
				return errStopped
			}
		}
		return nil
	}
	err := w.run(r)
	if stop {
		return errStopped
	}
	if err != nil {
		return err
	}
	if err := w.apiError(); err != nil {
		if len(w.errors) == 1 && sentinelFor(w.errors[0]) == ErrInvoicesNotFound {
			return nil
		}
		return err
	}
	if firstBad != nil {
		return firstBad
	}
	if w.root != "Invoices" {
		return unexpected(method, w.root, "not an <Invoices> reply")
	}
	return nil
}
