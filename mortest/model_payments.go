package mortest

import "time"

// Payment is one row of the payments table. Amounts are in Currency.
type Payment struct {
	ID          int64
	UserID      int64
	OwnerID     int64
	PaymentType string // e.g. "credit note", "subscription"
	Amount      Decimal
	Gross       *Decimal // nil: NULL
	Tax         Decimal
	Currency    string
	DateAdded   time.Time
	ShippedAt   time.Time
	Completed   bool
	Card        int64
}

func (p *Payment) key() *int64     { return &p.ID }
func (*Payment) tableName() string { return "payments" }
func (p *Payment) clone() Payment  { out := *p; out.Gross = clonePtr(p.Gross); return out }

// AddPayment stores a payment (id 0: the next one) and returns its id.
func (s *Server) AddPayment(v Payment) int64 { return addRow(s, s.st.payments, v) }

// Payment returns a copy of the payment with this id.
func (s *Server) Payment(id int64) (Payment, bool) { return getRow(s, s.st.payments, id) }

// Payments returns copies of every payment, in id order.
func (s *Server) Payments() []Payment { return listRows(s, s.st.payments) }

// RemovePayment deletes a payment and reports whether it existed.
func (s *Server) RemovePayment(id int64) bool { return removeRow(s, s.st.payments, id) }

// UpdatePayment changes a payment in place and reports whether it existed.
func (s *Server) UpdatePayment(id int64, fn func(*Payment)) bool {
	return updateRow(s, s.st.payments, id, fn)
}
