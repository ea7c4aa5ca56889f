package mortest

import "time"

// The balance, payment and voucher part of the data model: payments and
// vouchers (users, currencies and taxes are in model_users.go).

// Payment is one row of the payments table. Nullable columns are pointers
// (nil is SQL NULL). Amounts are in Currency, except that voucher_use
// stores the system-currency credit in Gross (as MOR does). Credit-note
// payments leave Gross NULL; subscription charges and refunds store the
// net in Gross and the amount with tax in Amount.
type Payment struct {
	ID            int64      // primary key (id)
	UserID        int64      // a user id, or a calling card's id when Card ≠ 0
	OwnerID       int64      // the user's owner
	PaymentType   string     // payment type (paymenttype)
	Amount        Decimal    // amount (amount)
	Gross         *Decimal   // gross (gross); nil is NULL
	Tax           *Decimal   // tax (tax); nil is NULL
	Fee           *Decimal   // fee (fee); nil is NULL
	Currency      string     // a currency name
	DateAdded     time.Time  // when it was added (date_added)
	ShippedAt     *time.Time // the confirmation date
	Completed     bool       // completed (completed)
	PendingReason *string    // why it is pending (pending_reason); nil is NULL
	TransactionID *string    // transaction id (transaction_id); nil is NULL
	PayerEmail    *string    // payer's e-mail (payer_email); nil is NULL
	FirstName     string     // first_name
	LastName      string     // last_name
	Description   string     // description (description)
	Card          int64      // 0: a user's payment
}

func (p *Payment) key() *int64     { return &p.ID }
func (*Payment) tableName() string { return "payments" }
func (p *Payment) clone() Payment {
	out := *p
	out.Gross, out.Tax, out.Fee, out.ShippedAt = clonePtr(p.Gross), clonePtr(p.Tax), clonePtr(p.Fee), clonePtr(p.ShippedAt)
	out.PendingReason, out.TransactionID, out.PayerEmail = clonePtr(p.PendingReason), clonePtr(p.TransactionID), clonePtr(p.PayerEmail)
	return out
}

// Voucher is one row of the vouchers table: a prepaid code worth
// CreditWithVAT (tax included) in Currency, usable once.
type Voucher struct {
	ID            int64      // primary key (id)
	Number        string     // the voucher's number (number)
	Tag           string     // tag (tag)
	CreditWithVAT Decimal    // value with tax, in Currency (credit_with_vat)
	VATPercent    Decimal    // VAT percent (vat_percent)
	UserID        int64      // who used it
	UseDate       *time.Time // nil: unused
	ActiveTill    *time.Time // nil makes voucher_use crash, as on the server
	Currency      string     // currency name (currency)
	PaymentID     *int64     // the payment made when it was used (payment_id); nil is NULL
	Active        bool       // active (active)
	TaxID         int64      // tax row (tax_id)
}

func (v *Voucher) key() *int64     { return &v.ID }
func (*Voucher) tableName() string { return "vouchers" }
func (v *Voucher) clone() Voucher {
	out := *v
	out.UseDate, out.ActiveTill, out.PaymentID = clonePtr(v.UseDate), clonePtr(v.ActiveTill), clonePtr(v.PaymentID)
	return out
}

// AddPayment stores a payment, replacing any with the same ID, and returns
// its ID; an ID of 0 is assigned the next free one.
func (s *Server) AddPayment(v Payment) int64 { return addRow(s, s.st.payments, v) }

// Payment returns the payment with the given ID.
func (s *Server) Payment(id int64) (Payment, bool) { return getRow(s, s.st.payments, id) }

// Payments returns a snapshot of every payment, in id order.
func (s *Server) Payments() []Payment { return listRows(s, s.st.payments) }

// RemovePayment deletes the payment with the given ID, checking and
// cascading nothing. It reports whether it existed.
func (s *Server) RemovePayment(id int64) bool { return removeRow(s, s.st.payments, id) }

// UpdatePayment applies fn to a copy of the payment with the given ID and
// stores the result (the ID cannot change). It reports whether it exists.
func (s *Server) UpdatePayment(id int64, fn func(*Payment)) bool {
	return updateRow(s, s.st.payments, id, fn)
}

// AddVoucher stores a voucher, replacing any with the same ID, and returns
// its ID; an ID of 0 is assigned the next free one.
func (s *Server) AddVoucher(v Voucher) int64 { return addRow(s, s.st.vouchers, v) }

// Voucher returns the voucher with the given ID.
func (s *Server) Voucher(id int64) (Voucher, bool) { return getRow(s, s.st.vouchers, id) }

// Vouchers returns a snapshot of every voucher, in id order.
func (s *Server) Vouchers() []Voucher { return listRows(s, s.st.vouchers) }

// RemoveVoucher deletes the voucher with the given ID, checking and
// cascading nothing. It reports whether it existed.
func (s *Server) RemoveVoucher(id int64) bool { return removeRow(s, s.st.vouchers, id) }

// UpdateVoucher applies fn to a copy of the voucher with the given ID and
// stores the result (the ID cannot change). It reports whether it exists.
func (s *Server) UpdateVoucher(id int64, fn func(*Voucher)) bool {
	return updateRow(s, s.st.vouchers, id, fn)
}

// loadPaymentsWorld seeds the dump's payments and voucher and the test
// set-up's conflines for these actions: Devices_Check_Ballance = 1,
// API_Allow_payments_ower_API = 1 and API_payment_confirmation = 1 (the
// combined set-up: API payments wait for confirmation). Vouchers_Enabled is
// not set, as in the set-up.
func (s *Server) loadPaymentsWorld() {
	loc := s.loc
	added := time.Date(2010, 4, 18, 0, 0, 1, 0, loc)
	shipped := time.Date(2010, 4, 18, 0, 0, 2, 0, loc)
	for _, r := range []struct {
		id                int64
		typ               string
		amount, gross, fe Decimal
	}{
		{1, "paypal", "10.5", "10", "0.6"}, {2, "paypal_fee", "-0.6", "-0.6", "0"}, {3, "webmoney", "10.5", "10", "0"},
		{4, "cyberplat", "10.5", "10", "0"}, {5, "ouroboros", "10.5", "10", "0"}, {6, "linkpoint", "10.5", "10", "0"},
		{7, "linkpoint", "10.5", "10", "0"}, {8, "linkpoint", "10.5", "10", "0"}, {9, "linkpoint", "10.5", "10", "0"},
	} {
		gross, tax, fee, sh := r.gross, Decimal("0"), r.fe, shipped
		s.AddPayment(Payment{ID: r.id, PaymentType: r.typ, Amount: r.amount, Gross: &gross, Tax: &tax, Fee: &fee,
			Currency: "USD", DateAdded: added, ShippedAt: &sh, Completed: true, Card: 2})
	}
	used := time.Date(2010, 1, 1, 1, 1, 1, 0, loc)
	till := time.Date(2027, 1, 1, 1, 1, 1, 0, loc)
	s.AddVoucher(Voucher{ID: 1, Number: "1234567890", Tag: "1", CreditWithVAT: "20", VATPercent: "4", UserID: 55,
		UseDate: &used, ActiveTill: &till, Currency: "EUR", Active: true, TaxID: 1})
	for _, name := range []string{"Devices_Check_Ballance", "API_Allow_payments_ower_API", "API_payment_confirmation"} {
		s.SetConfline(0, name, Confline{Value: "1"})
	}
}
