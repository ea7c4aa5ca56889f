package mortest

import "time"

// Invoice is one row of the invoices table with its invoicedetails lines.
// Money columns are in the default currency.
type Invoice struct {
	ID           int64     // primary key (id)
	UserID       int64     // the user (user_id)
	Number       string    // invoice number (number)
	PeriodStart  time.Time // date
	PeriodEnd    time.Time // date
	IssueDate    time.Time // date
	Paid         bool      // paid (paid)
	Price        Decimal   // net total (price)
	PriceWithVAT Decimal   // gross total (price_with_vat)
	PaymentID    *int64    // the payment whose date_added invoices_get shows; nil: none
	TaxID        int64     // tax row (tax_id)
	// InvoiceCurrency, when not nil, makes invoices_get convert line prices
	// with InvoiceExchangeRate instead of the caller's rate.
	InvoiceCurrency     *string
	InvoiceExchangeRate Decimal       // invoice_exchange_rate
	Lines               []InvoiceLine // the invoicedetails rows
}

// InvoiceLine is one row of invoicedetails.
type InvoiceLine struct {
	Name     string  // line name (name)
	Quantity int64   // quantity (quantity)
	Price    Decimal // default currency
	Prefix   *string // nil: no prefix (not a calls line)
}

func (v *Invoice) key() *int64     { return &v.ID }
func (*Invoice) tableName() string { return "invoices" }
func (v *Invoice) clone() Invoice {
	out := *v
	out.PaymentID, out.InvoiceCurrency = clonePtr(v.PaymentID), clonePtr(v.InvoiceCurrency)
	out.Lines = make([]InvoiceLine, len(v.Lines))
	for i, l := range v.Lines {
		l.Prefix = clonePtr(l.Prefix)
		out.Lines[i] = l
	}
	return out
}

// CreditNote is one row of credit_notes. Price and PriceWithVAT are in the
// default currency.
type CreditNote struct {
	ID           int64     // primary key (id)
	UserID       int64     // the user (user_id)
	TaxID        int64     // the note's private copy of the user's tax row
	PaymentID    *int64    // the note's payment (payment_id); nil is NULL
	IssueDate    time.Time // issue date (issue_date)
	PayDate      time.Time // zero: NULL
	Number       *int64    // note number (number); nil is NULL
	Comment      *string   // comment (comment); nil is NULL
	Price        Decimal   // net amount (price)
	PriceWithVAT Decimal   // gross amount (price_with_vat)
	Status       string    // "paid" or "unpaid"
}

func (n *CreditNote) key() *int64     { return &n.ID }
func (*CreditNote) tableName() string { return "credit_notes" }
func (n *CreditNote) clone() CreditNote {
	out := *n
	out.PaymentID, out.Number, out.Comment = clonePtr(n.PaymentID), clonePtr(n.Number), clonePtr(n.Comment)
	return out
}

// AddInvoice stores an invoice (id 0: the next one) and returns its id.
func (s *Server) AddInvoice(v Invoice) int64 { return addRow(s, s.st.invoices, v) }

// Invoice returns a copy of the invoice with this id.
func (s *Server) Invoice(id int64) (Invoice, bool) { return getRow(s, s.st.invoices, id) }

// Invoices returns copies of every invoice, in id order.
func (s *Server) Invoices() []Invoice { return listRows(s, s.st.invoices) }

// RemoveInvoice deletes an invoice and reports whether it existed.
func (s *Server) RemoveInvoice(id int64) bool { return removeRow(s, s.st.invoices, id) }

// UpdateInvoice changes an invoice in place and reports whether it existed.
func (s *Server) UpdateInvoice(id int64, fn func(*Invoice)) bool {
	return updateRow(s, s.st.invoices, id, fn)
}

// AddCreditNote stores a credit note (id 0: the next one) and returns its id.
func (s *Server) AddCreditNote(v CreditNote) int64 { return addRow(s, s.st.creditNotes, v) }

// CreditNote returns a copy of the credit note with this id.
func (s *Server) CreditNote(id int64) (CreditNote, bool) { return getRow(s, s.st.creditNotes, id) }

// CreditNotes returns copies of every credit note, in id order.
func (s *Server) CreditNotes() []CreditNote { return listRows(s, s.st.creditNotes) }

// RemoveCreditNote deletes a credit note and reports whether it existed.
func (s *Server) RemoveCreditNote(id int64) bool { return removeRow(s, s.st.creditNotes, id) }

// UpdateCreditNote changes a credit note in place and reports whether it
// existed.
func (s *Server) UpdateCreditNote(id int64, fn func(*CreditNote)) bool {
	return updateRow(s, s.st.creditNotes, id, fn)
}
