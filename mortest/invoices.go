package mortest

import (
	"math/big"
	"strconv"
	"strings"
	"time"
)

// invoiceActions are the invoice, credit-note and statement endpoints.
var invoiceActions = endpoints{
	"invoices_get":             {run: simple((*Server).invoicesGet), caller: byU, hash: true},
	"invoice_xlsx_generate":    {run: simple((*Server).invoiceXLSXGenerate), anyVerb: true, noAllowAPI: true},
	"credit_notes_get":         {run: simple((*Server).creditNotesGet), caller: byU, hash: true},
	"credit_note_create":       {run: simple((*Server).creditNoteCreate), caller: byU, hash: true},
	"credit_note_update":       {run: simple((*Server).creditNoteUpdate), caller: byU, hash: true},
	"credit_note_delete":       {run: simple((*Server).creditNoteDelete), caller: byU, hash: true},
	"financial_statements_get": {run: simple((*Server).financialStatementsGet), caller: byUBadLogin, hash: true},
}

// unixLocal is the U1 conversion: Time.at(n) in the server zone; non-digit
// text is 0.
func (s *Server) unixLocal(v string) time.Time {
	return time.Unix(rubyToI(v), 0).In(s.loc)
}

// escapeAttr escapes an attribute value as Builder does.
func escapeAttr(b *strings.Builder, v string) {
	var t strings.Builder
	escapeText(&t, v)
	for _, r := range t.String() {
		switch r {
		case '"':
			b.WriteString("&quot;")
		case '\n':
			b.WriteString("&#10;")
		case '\r':
			b.WriteString("&#13;")
		default:
			b.WriteRune(r)
		}
	}
}

// invoicesGet is invoices_get: a fresh document without the XML
// declaration, data in attributes, errors as a root <error>.
func (s *Server) invoicesGet(c *User, p params) []byte {
	st := s.st
	if c == nil {
		return []byte("<error>User was not found</error>\n")
	}
	from := s.unixLocal(p["from"]).Format(time.DateOnly)
	till := s.unixLocal(p["till"]).Format(time.DateOnly)
	digits := st.niceDigits()
	var rows []*Invoice
	for _, inv := range sortedRows(st.invoices, nil) {
		u := st.users[inv.UserID]
		if u == nil || !u.GenerateInvoice {
			continue
		}
		if inv.PeriodStart.Format(time.DateOnly) < from || inv.PeriodEnd.Format(time.DateOnly) > till {
			continue
		}
		ok := false
		switch c.Type {
		case Admin, Accountant:
			ok = u.OwnerID == 0
		case Reseller:
			ok = u.OwnerID == c.ID || u.ID == c.ID
		case SimpleUser:
			ok = u.ID == c.ID
		default:
			ok = true
		}
		if ok {
			rows = append(rows, inv)
		}
	}
	if len(rows) == 0 {
		return []byte("<error>No Invoices found</error>\n")
	}
	callerRate, _ := st.callerRat(c)
	grouped := st.confline(0, "API_calls_group")
	var b strings.Builder
	b.WriteString(`<Invoices from="` + from + `" till="` + till + `">` + "\n")
	for _, inv := range rows {
		u := st.users[inv.UserID]
		b.WriteString(`  <Invoice user_id="` + strconv.FormatInt(inv.UserID, 10) + `" agreementnumber="`)
		if u.AgreementNumber != nil {
			escapeAttr(&b, *u.AgreementNumber)
		}
		b.WriteString(`" clientid="`)
		if u.ClientID != nil {
			escapeAttr(&b, *u.ClientID)
		}
		b.WriteString(`" number="`)
		escapeAttr(&b, inv.Number)
		b.WriteString("\">\n")
		rate := callerRate
		if inv.InvoiceCurrency != nil {
			rate = rat(inv.InvoiceExchangeRate)
		}
		added := ""
		if inv.PaymentID != nil {
			if pay := st.payments[*inv.PaymentID]; pay != nil {
				added = pay.DateAdded.Format(time.DateOnly)
			}
		}
		product := func(name, qty string, price *big.Rat) {
			b.WriteString("    <Product>\n      <Name>")
			escapeText(&b, name)
			b.WriteString("</Name>\n      <Quantity>" + qty + "</Quantity>\n      <Price>")
			b.WriteString(niceNumber(ratF64(new(big.Rat).Mul(price, rate)), digits))
			b.WriteString("</Price>\n      <Date_added>" + added + "</Date_added>\n      <Issue_date>")
			b.WriteString(inv.IssueDate.Format(time.DateOnly) + "</Issue_date>\n    </Product>\n")
		}
		if grouped == "" || grouped == "1" {
			for _, l := range inv.Lines {
				product(l.Name, strconv.FormatInt(l.Quantity, 10), rat(l.Price))
			}
		} else {
			var qty int64
			sum, calls := new(big.Rat), false
			for _, l := range inv.Lines {
				if l.Prefix != nil {
					calls = true
					qty += l.Quantity
					sum.Add(sum, rat(l.Price))
				}
			}
			if calls {
				product("Calls", strconv.FormatInt(qty, 10)+".0", sum)
			}
			for _, l := range inv.Lines {
				if l.Prefix == nil {
					product(l.Name, strconv.FormatInt(l.Quantity, 10), rat(l.Price))
				}
			}
		}
		b.WriteString("  </Invoice>\n")
	}
	b.WriteString("</Invoices>\n")
	return []byte(b.String())
}

// invoiceXLSXGenerate is invoice_xlsx_generate: no authentication; the
// file it writes on the server is not modelled.
func (s *Server) invoiceXLSXGenerate(_ *User, p params) []byte {
	inv := s.st.invoices[rubyToI(p["invoice_id"])]
	if inv == nil {
		return shapeB("Invoice was not found")
	}
	if s.st.users[inv.UserID] == nil {
		return nil
	}
	return success("XLSX file successfully created")
}

// creditNoteScope reports whether the caller may see a note's user.
func (st *state) creditNoteScope(c *User, n *CreditNote) bool {
	u := st.users[n.UserID]
	if u == nil {
		return false
	}
	if c.Type == Reseller {
		return u.OwnerID == c.ID
	}
	return u.OwnerID == 0
}

// creditNoteReader is an admin, a reseller, or an accountant with
// invoices_manage at least read.
func (st *state) creditNoteReader(c *User) bool {
	if c == nil {
		return false
	}
	switch c.Type {
	case Admin, Reseller:
		return true
	case Accountant:
		return st.right(c, "invoices_manage") >= RightRead
	}
	return false
}

func (s *Server) creditNotesGet(c *User, p params) []byte {
	st := s.st
	if !st.creditNoteReader(c) {
		return shapeC("Bad login")
	}
	keep := func(n *CreditNote) bool {
		if !st.creditNoteScope(c, n) {
			return false
		}
		if p.has("credit_note_id") {
			return n.ID == rubyToI(p["credit_note_id"])
		}
		if v := p["user_id"]; v != "" && allDigits(v) {
			return n.UserID == parseDigits(v)
		}
		return true
	}
	rows := sortedRows(st.creditNotes, keep)
	if len(rows) == 0 {
		return shapeC("Credit note was not found")
	}
	prices := c.Type != Accountant || st.right(c, "see_financial_data") >= RightRead
	rate, _ := st.callerRat(c)
	var kids []node
	for _, n := range rows {
		var number *string
		if n.Number != nil {
			v := strconv.FormatInt(*n.Number, 10)
			number = &v
		}
		rec := []node{
			leafInt("user_id", n.UserID),
			leaf("issue_date", formatTime(n.IssueDate, s.loc)),
			leafPtr("number", number),
			leafPtr("comment", n.Comment),
		}
		if prices {
			var pay *string
			if !n.PayDate.IsZero() {
				v := formatTime(n.PayDate, s.loc)
				pay = &v
			}
			rec = append(rec,
				leaf("price", bigDecimalS(decOf(new(big.Rat).Mul(rat(n.Price), rate)))),
				leaf("price_with_vat", bigDecimalS(decOf(new(big.Rat).Mul(rat(n.PriceWithVAT), rate)))),
				leafPtr("pay_date", pay))
		}
		kids = append(kids, el("credit_note", rec...))
	}
	return render(el("page", el("credit_notes", kids...)))
}

func (s *Server) creditNoteCreate(c *User, p params) []byte {
	st := s.st
	if !st.creditNoteReader(c) || c.Type == Accountant && st.right(c, "see_financial_data") != RightEdit {
		return shapeC("Bad login")
	}
	uid := rubyToI(p["user_id"])
	u := st.users[uid]
	if uid == 0 || u == nil || u.OwnerID != ownerRef(c) {
		return shapeC("User was not found")
	}
	tax := st.userTax(u).clone()
	tax.ID = 0
	taxID := put(st, st.taxes, tax, true)
	issue := rubyToI(p["issue_date"])
	if issue <= 0 {
		return shapeC("Credit note was not created")
	}
	rate, _ := st.callerRat(c)
	price := new(big.Rat)
	if v, ok := Decimal(rubyLeadingNumber(p["price"])).Rat(); ok {
		price = v
	}
	if rate.Sign() != 0 {
		price.Quo(price, rate)
	}
	n := CreditNote{
		UserID: uid, TaxID: taxID, IssueDate: time.Unix(issue, 0).In(s.loc),
		Price: ratDecimal(price), PriceWithVAT: ratDecimal(applyTax(st.taxes[taxID], price)), Status: "unpaid",
	}
	if num := rubyToI(p["number"]); num > 0 {
		n.Number = &num
	}
	if p.has("comment") {
		v := p["comment"]
		n.Comment = &v
	}
	put(st, st.creditNotes, n, true)
	return render(el("page", leaf("status", "Credit note was created")))
}

// rubyLeadingNumber is the leading decimal number of s (String#to_d), "0"
// when there is none.
func rubyLeadingNumber(s string) string {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '.' && i+1 < len(s) && isDigit(s[i+1]) {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i == start {
		return "0"
	}
	return strings.TrimPrefix(s[:i], "+")
}

func (s *Server) creditNoteUpdate(c *User, p params) []byte {
	st := s.st
	if !st.creditNoteReader(c) {
		return shapeC("Bad login")
	}
	n := st.creditNotes[rubyToI(p["credit_note_id"])]
	if n == nil || !st.creditNoteScope(c, n) {
		return shapeC("Credit note was not found")
	}
	status := p["status"]
	if c.Type == Accountant && st.right(c, "see_financial_data") != RightEdit {
		status = ""
	}
	u := st.users[n.UserID]
	switch {
	case status == "paid" && n.PaymentID == nil:
		tax := st.taxes[n.TaxID]
		if tax == nil {
			return shapeA("There is no such API")
		}
		rate, _ := st.callerRat(c)
		amount := new(big.Rat).Mul(rat(n.Price), rate)
		cur := ""
		if cc := st.currencies[c.CurrencyID]; cc != nil {
			cur = cc.Name
		}
		now, taxD := s.now(), ratDecimal(taxAmount(tax, amount))
		id := put(st, st.payments, Payment{
			UserID: n.UserID, OwnerID: u.OwnerID, PaymentType: "credit note", Amount: ratDecimal(amount),
			Tax: &taxD, Currency: cur, DateAdded: now, ShippedAt: &now, Completed: true,
		}, true)
		n.Status, n.PayDate, n.PaymentID = "paid", now, &id
		u.Balance = ratDecimal(new(big.Rat).Add(rat(u.Balance), rat(n.Price)))
	case status == "unpaid":
		if n.PaymentID != nil {
			if st.payments[*n.PaymentID] == nil {
				return shapeA("There is no such API")
			}
			delete(st.payments, *n.PaymentID)
			n.PaymentID = nil
			u.Balance = ratDecimal(new(big.Rat).Sub(rat(u.Balance), rat(n.Price)))
		}
		n.Status, n.PayDate = "unpaid", time.Time{}
	}
	if p.has("comment") {
		v := p["comment"]
		n.Comment = &v
	}
	return render(el("page", leaf("status", "Credit note was updated")))
}

func (s *Server) creditNoteDelete(c *User, p params) []byte {
	st := s.st
	if !st.creditNoteReader(c) || c.Type == Accountant &&
		(st.right(c, "invoices_manage") != RightEdit || st.right(c, "see_financial_data") != RightEdit) {
		return shapeC("Bad login")
	}
	n := st.creditNotes[rubyToI(p["credit_note_id"])]
	if n == nil || !st.creditNoteScope(c, n) {
		return shapeC("Credit note was not found")
	}
	delete(st.creditNotes, n.ID)
	return render(el("page", leaf("status", "Credit note was deleted")))
}

// financialStatementsGet is financial_statements_get: paid/unpaid totals of
// invoices, credit notes and payments in the default currency.
func (s *Server) financialStatementsGet(c *User, p params) []byte {
	st := s.st
	if c.Type == Accountant {
		if st.right(c, "can_see_finances") < RightRead {
			return shapeC("Bad login")
		}
		return nil // the server calls a method that does not exist
	}
	var only int64 = -1
	if c.Type == SimpleUser {
		only = c.ID
	} else if v := p["user_id"]; allDigits(v) && parseDigits(v) > 0 {
		u := st.users[parseDigits(v)]
		if u == nil || u.OwnerID != ownerRef(c) {
			return shapeC("Access Denied")
		}
		only = u.ID
	}
	inScope := func(uid int64) bool {
		if only >= 0 {
			return uid == only
		}
		u := st.users[uid]
		return u != nil && u.OwnerID == ownerRef(c)
	}
	now := s.now()
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, s.loc)
	tillDay := from.AddDate(0, 0, 1)
	payTill := now.AddDate(0, 0, 1)
	if p.has("date_from") && p.has("date_till") {
		f, t := s.unixLocal(p["date_from"]), s.unixLocal(p["date_till"])
		from = time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, s.loc)
		tillDay = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, s.loc)
		payTill = tillDay.Add(24*time.Hour - time.Second)
	}
	status := p["status"]
	if status != "paid" && status != "unpaid" {
		status = "all"
	}
	digits := st.niceDigits()
	def := st.defaultCurrency()
	callerRate, _ := st.callerRat(c)
	callerCur := ""
	if cc := st.currencies[c.CurrencyID]; cc != nil {
		callerCur = cc.Name
	}
	toDefault := ratOf(st.rate(callerCur, def))
	type sum struct {
		n              int64
		price, withVAT *big.Rat
	}
	newSum := func() *sum { return &sum{price: new(big.Rat), withVAT: new(big.Rat)} }
	row := func(typ, stat string, x *sum) node {
		return el("statement", leaf("status", stat), leafInt("count", x.n),
			leaf("price", niceNumber(ratF64(x.price), digits)), leaf("price_with_vat", niceNumber(ratF64(x.withVAT), digits)))
	}
	var kids []node
	want := func(stat string) bool { return status == "all" || status == stat }
	// invoices
	inv := map[string]*sum{"paid": newSum(), "unpaid": newSum()}
	for _, v := range sortedRows(st.invoices, nil) {
		tax := st.taxes[v.TaxID]
		if tax == nil || !inScope(v.UserID) || v.IssueDate.Before(from) || v.IssueDate.After(tillDay) {
			continue
		}
		k := "unpaid"
		if v.Paid {
			k = "paid"
		}
		price := new(big.Rat).Mul(new(big.Rat).Mul(rat(v.Price), callerRate), toDefault)
		inv[k].n++
		inv[k].price.Add(inv[k].price, price)
		inv[k].withVAT.Add(inv[k].withVAT, applyTax(tax, price))
	}
	var invKids, cnKids, payKids []node
	for _, k := range []string{"paid", "unpaid"} {
		if want(k) {
			invKids = append(invKids, withAttrType(row("invoices", k, inv[k]), "invoices"))
		}
	}
	// credit notes: one row per status present
	cn := map[string]*sum{}
	for _, n := range sortedRows(st.creditNotes, nil) {
		if !inScope(n.UserID) || n.IssueDate.Before(from) || n.IssueDate.After(tillDay) || !want(n.Status) {
			continue
		}
		if cn[n.Status] == nil {
			cn[n.Status] = newSum()
		}
		x := cn[n.Status]
		x.n++
		x.price.Add(x.price, rat(n.Price))
		x.withVAT.Add(x.withVAT, rat(n.PriceWithVAT))
	}
	for _, k := range []string{"paid", "unpaid"} {
		if cn[k] != nil {
			cnKids = append(cnKids, withAttrType(row("credit_notes", k, cn[k]), "credit_notes"))
		}
	}
	// payments
	pay := map[string]*sum{"paid": newSum(), "unpaid": newSum()}
	for _, v := range sortedRows(st.payments, nil) {
		if v.Card != 0 || !inScope(v.UserID) || v.DateAdded.Before(from) || v.DateAdded.After(payTill) {
			continue
		}
		k := "unpaid"
		if v.Completed {
			k = "paid"
		}
		r := ratOf(st.rate(v.Currency, def))
		gross := rat(v.Amount)
		net := new(big.Rat).Set(gross)
		if v.Tax != nil {
			net.Sub(net, rat(*v.Tax))
		}
		pay[k].n++
		pay[k].price.Add(pay[k].price, new(big.Rat).Mul(net, r))
		pay[k].withVAT.Add(pay[k].withVAT, new(big.Rat).Mul(gross, r))
	}
	for _, k := range []string{"paid", "unpaid"} {
		if want(k) {
			payKids = append(payKids, withAttrType(row("payments", k, pay[k]), "payments"))
		}
	}
	kids = append(append(append(kids, invKids...), cnKids...), payKids...)
	return renderStatement(def, kids)
}

// withAttrType marks a statement node with its type attribute (rendered by
// renderStatement).
func withAttrType(n node, typ string) node { n.name = "statement type=\"" + typ + "\""; return n }

// renderStatement renders the statement document; the statement elements
// carry a type attribute, which node cannot express, so the open tag is
// written with it and the close tag without.
func renderStatement(currency string, kids []node) []byte {
	var b strings.Builder
	b.WriteString(xmlDecl + "<page>\n  <financial_statement currency=\"")
	escapeAttr(&b, currency)
	b.WriteString("\">\n")
	for _, k := range kids {
		var one strings.Builder
		writeNode(&one, k, 2)
		b.WriteString(strings.Replace(one.String(), "</"+k.name+">", "</statement>", 1))
	}
	b.WriteString("  </financial_statement>\n</page>\n")
	return []byte(b.String())
}
