package mortest

import (
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	mor "github.com/morbilling/mor-go"
)

// The balance, payment and voucher actions: the four balance readers,
// user_balance_update, payment_create, payments_get and voucher_use.

// byNobody is the lookup of the actions with no user filter at all
// (user_balance_get_by_psw, user_balance_get_by_username): no caller is
// found, so every gate is skipped.
const byNobody lookup = -1

// paymentActions are the balance, payment and voucher endpoints.
var paymentActions = endpoints{
	"user_balance_get":             {run: (*Server).userBalanceGet, caller: byUsername, hash: true, anyVerb: true},
	"user_simple_balance_get":      {run: (*Server).userSimpleBalanceGet, caller: byUniquehash, anyVerb: true},
	"user_balance_get_by_psw":      {run: (*Server).userBalanceGetByPsw, caller: byNobody, anyVerb: true},
	"user_balance_get_by_username": {run: (*Server).userBalanceGetByUsername, caller: byNobody, anyVerb: true},
	"user_balance_update":          {run: (*Server).userBalanceUpdate, caller: byU, hash: true},
	"payment_create":               {run: (*Server).paymentCreate, caller: byUBadLogin, hash: true},
	"payments_get":                 {run: (*Server).paymentsGet, caller: byUBadLogin, hash: true},
	"voucher_use":                  {run: (*Server).voucherUse, caller: byU, hash: true},
}

// ---- number formats ----

// niceDigits is the confline Nice_Number_Digits of owner 0, read on every
// call: missing or empty 2, else its integer value (non-numeric: 0).
func (st *state) niceDigits() int {
	v := st.confline(0, "Nice_Number_Digits")
	if v == "" {
		return 2
	}
	return int(max(0, min(rubyToI(v), 20)))
}

// niceNumber is MOR's nice_number: sprintf("%.Df") of the value as a
// Float. Ruby rounds the double's shortest decimal form half to even; a
// value smaller than one unit of the last kept digit is rounded from the
// exact binary value.
func niceNumber(f float64, digits int) string {
	unit := math.Pow(10, -float64(digits))
	if f != 0 && math.Abs(f) < unit {
		return strconv.FormatFloat(f, 'f', digits, 64)
	}
	d, err := mor.ParseDecimal(strconv.FormatFloat(f, 'f', -1, 64))
	if err != nil {
		return strconv.FormatFloat(f, 'f', digits, 64)
	}
	return d.RoundHalfEven(digits).StringFixed(digits)
}

// bigDecimalS is Rails' BigDecimal#to_s('F'): plain notation, every
// significant digit, at least one digit after the point.
func bigDecimalS(d mor.Decimal) string {
	s := d.String()
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = strings.TrimRight(s, "0")
		if strings.HasSuffix(s, ".") {
			s += "0"
		}
		return s
	}
	return s + ".0"
}

// floatToD is Float#to_d then to_s('F') for a double column: the double's
// shortest decimal form.
func floatToD(f float64) string {
	d, _ := mor.ParseDecimal(strconv.FormatFloat(f, 'f', -1, 64))
	return bigDecimalS(d)
}

// rubyFloatS is Ruby's Float#to_s: the shortest round-trip digits, ".0"
// for integral values, exponent form below 1e-4 and from 1e15 up.
func rubyFloatS(f float64) string {
	a := math.Abs(f)
	if a != 0 && (a < 1e-4 || a >= 1e15) {
		s := strconv.FormatFloat(f, 'e', -1, 64) // 1e-05, 1.5e+20
		mant, exp, _ := strings.Cut(s, "e")
		if !strings.Contains(mant, ".") {
			mant += ".0"
		}
		sign := exp[0]
		digits := strings.TrimLeft(exp[1:], "0")
		if len(digits) < 2 {
			digits = strings.Repeat("0", 2-len(digits)) + digits
		}
		return mant + "e" + string(sign) + digits
	}
	return floatToD(f)
}

// dec reads a stored Decimal as the SDK's exact Decimal ("" is 0).
func dec(d Decimal) mor.Decimal {
	if d == "" {
		return mor.Decimal{}
	}
	v, err := mor.ParseDecimal(string(d))
	if err != nil {
		return mor.Decimal{}
	}
	return v
}

// f64 is a value as MySQL's double column holds it.
func f64(d mor.Decimal) float64 {
	r, ok := new(big.Rat).SetString(d.String())
	if !ok {
		return 0
	}
	f, _ := r.Float64()
	return f
}

// double stores an exact value into a double column: its nearest float,
// written in shortest form.
func double(d mor.Decimal) Decimal {
	return Decimal(strconv.FormatFloat(f64(d), 'f', -1, 64))
}

// rubyToD is String#to_d: the leading number (sign, digits, fraction,
// exponent; "1e3" is 1000, "5,5" is 5), 0 when there is none.
func rubyToD(s string) mor.Decimal {
	m := leadingNumber.FindString(strings.TrimLeft(s, " \t\n\v\f\r"))
	m = strings.ReplaceAll(m, "_", "")
	if d, err := mor.ParseDecimal(m); err == nil {
		return d
	}
	// "1e" or "5." : drop the incomplete tail.
	for len(m) > 0 {
		m = m[:len(m)-1]
		if d, err := mor.ParseDecimal(m); err == nil {
			return d
		}
	}
	return mor.Decimal{}
}

var leadingNumber = regexp.MustCompile(`^[+-]?(\d[\d_]*)?(\.\d+)?([eE][+-]?\d+)?`)

// ---- currencies and taxes ----

// currencyByName is the currency with this name under MySQL's comparison.
func (st *state) currencyByName(name string) *Currency {
	k := mysqlKey(name)
	var found *Currency
	for _, c := range st.currencies {
		if mysqlKey(c.Name) == k && (found == nil || c.ID < found.ID) {
			found = c
		}
	}
	return found
}

// rate is Currency.count_exchange_rate(a, b): 1 for the same name, else
// b's rate over a's, 0 when either is missing or a's rate is 0.
func (st *state) rate(a, b string) mor.Decimal {
	if a == b {
		return mor.NewDecimal(1, 0)
	}
	ca, cb := st.currencyByName(a), st.currencyByName(b)
	if ca == nil || cb == nil || dec(ca.ExchangeRate).IsZero() {
		return mor.Decimal{}
	}
	q, _ := dec(cb.ExchangeRate).Quo(dec(ca.ExchangeRate))
	return q
}

// defaultCurrency is the name of currency 1 ("" when missing).
func (st *state) defaultCurrency() string {
	if c := st.currencies[1]; c != nil {
		return c.Name
	}
	return ""
}

// sdkTax is a tax row as the SDK's Tax: tax 1 always, 2–4 when enabled.
func sdkTax(t *Tax) mor.Tax {
	out := mor.Tax{Rates: []mor.Decimal{dec(t.Tax1Value)}, Compound: t.CompoundTax}
	for _, x := range []struct {
		on bool
		v  Decimal
	}{{t.Tax2Enabled, t.Tax2Value}, {t.Tax3Enabled, t.Tax3Value}, {t.Tax4Enabled, t.Tax4Value}} {
		if x.on {
			out.Rates = append(out.Rates, dec(x.v))
		}
	}
	return out
}

// defaultTax builds the tax row owner 0's conflines describe (Tax_1…Tax_4,
// Tax_N_Value, value2 of Tax_2…Tax_4 the enabled flags, Total_tax_name).
func (st *state) defaultTax() Tax {
	t := Tax{Tax1Enabled: true, TotalTaxName: st.confline(0, "Total_tax_name")}
	vals := []*Decimal{&t.Tax1Value, &t.Tax2Value, &t.Tax3Value, &t.Tax4Value}
	names := []*string{&t.Tax1Name, &t.Tax2Name, &t.Tax3Name, &t.Tax4Name}
	ons := []*bool{nil, &t.Tax2Enabled, &t.Tax3Enabled, &t.Tax4Enabled}
	for i := range 4 {
		n := strconv.Itoa(i + 1)
		*names[i] = st.confline(0, "Tax_"+n)
		v := st.confline(0, "Tax_"+n+"_Value")
		if v == "" {
			v = "0"
		}
		*vals[i] = Decimal(rubyToD(v).String())
		if ons[i] != nil {
			*ons[i] = st.conflines[confKey{0, "Tax_" + n}].Value2 == "1"
		}
	}
	if t.TotalTaxName == "" {
		t.TotalTaxName = "TAX"
	}
	return t
}

// userTax is user.get_tax: the user's tax row, created from the conflines
// (and its id stored in the user) when missing.
func (st *state) userTax(u *User) *Tax {
	if t := st.taxes[u.TaxID]; t != nil {
		return t
	}
	id := put(st, st.taxes, st.defaultTax(), true)
	u.TaxID = id
	return st.taxes[id]
}

// ---- balance readers ----

const featureDisabled = "Feature disabled"

// userBalanceGet is user_balance_get: the caller (found by username) is the
// target.
func (s *Server) userBalanceGet(c *call) []byte {
	st := s.st
	if st.confline(0, "Devices_Check_Ballance") != "1" {
		return shapeC(featureDisabled)
	}
	u := c.caller
	if u == nil {
		return shapeC("User was not found")
	}
	cur := rubyStrip(c.p["currency"])
	userCur := rubyToI(c.p["user_currency"]) == 1
	name := cur
	if userCur || strings.EqualFold(cur, "USER") {
		uc := st.currencies[u.CurrencyID]
		if uc == nil {
			return nil // the server crashes on the missing currency row
		}
		name = uc.Name
	}
	bal := dec(u.Balance)
	if target := st.currencyByName(name); target != nil || userCur {
		bal = bal.Mul(st.rate(st.defaultCurrency(), name))
	}
	kids := []node{leaf("balance", niceNumber(f64(bal), st.niceDigits()))}
	if userCur {
		kids = append(kids, leaf("currency", name))
	}
	return render(el("page", kids...))
}

// userSimpleBalanceGet is user_simple_balance_get: plain text.
func (s *Server) userSimpleBalanceGet(c *call) []byte {
	st := s.st
	if st.confline(0, "Devices_Check_Ballance") != "1" {
		return []byte(featureDisabled)
	}
	u := c.caller
	if u == nil {
		return []byte("User was not found")
	}
	bal := dec(u.Balance)
	if name := c.p["currency"]; st.currencyByName(name) != nil {
		bal = bal.Mul(st.rate(st.defaultCurrency(), st.currencyByName(name).Name))
	}
	return []byte(niceNumber(f64(bal), st.niceDigits()))
}

// deviceBy returns the device whose column (secret or username) equals v.
func (st *state) deviceBy(v string, col func(*Device) string) *Device {
	var found *Device
	for _, d := range st.devices {
		if col(d) == v && (found == nil || d.ID < found.ID) {
			found = d
		}
	}
	return found
}

// userBalanceGetByPsw is user_balance_get_by_psw: no authentication; id is
// a device password.
func (s *Server) userBalanceGetByPsw(c *call) []byte {
	st := s.st
	if st.confline(0, "Devices_Check_Ballance") != "1" {
		return []byte(featureDisabled)
	}
	d := st.deviceBy(c.p["id"], func(d *Device) string { return d.Secret })
	if !c.p.has("id") || d == nil {
		return []byte("User was not found")
	}
	u := st.users[d.UserID]
	if u == nil {
		return nil // provider devices: the server crashes
	}
	return []byte(niceNumber(f64(dec(u.Balance)), st.niceDigits()))
}

// userBalanceGetByUsername is user_balance_get_by_username: no
// authentication; id is a device username.
func (s *Server) userBalanceGetByUsername(c *call) []byte {
	st := s.st
	if st.confline(0, "Devices_Check_Ballance") != "1" {
		return []byte(featureDisabled)
	}
	d := st.deviceBy(c.p["id"], func(d *Device) string { return d.Username })
	if !c.p.has("id") || d == nil || st.users[d.UserID] == nil {
		return []byte("User was not found")
	}
	u := st.users[d.UserID]
	bal := dec(u.Balance)
	cur := c.p["currency"]
	switch {
	case strings.EqualFold(cur, "USER"):
		uc := st.currencies[u.CurrencyID]
		if uc == nil {
			return nil
		}
		bal = bal.Mul(st.rate(st.defaultCurrency(), uc.Name))
	case st.currencyByName(cur) != nil:
		bal = bal.Mul(st.rate(st.defaultCurrency(), st.currencyByName(cur).Name))
	}
	return []byte(niceNumber(f64(bal), st.niceDigits()))
}

// ---- user_balance_update ----

// callerRate is the caller's currency exchange rate (1 without a caller,
// a currency row or a positive rate).
func (st *state) callerRate(c *User) mor.Decimal {
	if c == nil {
		return mor.NewDecimal(1, 0)
	}
	if cur := st.currencies[c.CurrencyID]; cur != nil && dec(cur.ExchangeRate).Sign() > 0 {
		return dec(cur.ExchangeRate)
	}
	return mor.NewDecimal(1, 0)
}

// userBalanceUpdate is user_balance_update: add a signed delta, in the
// caller's currency, to a user the caller owns directly.
func (s *Server) userBalanceUpdate(c *call) []byte {
	st := s.st
	if c.caller == nil {
		return shapeC("Bad login")
	}
	raw := c.p["user_id"]
	if raw != "" && !allDigits(raw) {
		return shapeC("User was not found")
	}
	u := st.users[rubyToI(raw)]
	if u == nil || u.OwnerID != c.caller.ID {
		return shapeC("User was not found")
	}
	rate := st.callerRate(c.caller)
	delta, _ := rubyToD(c.p["balance"]).Quo(rate)
	old := u.Balance
	u.Balance = double(dec(u.Balance).Add(delta))
	put(st, st.actions, Action{UserID: c.caller.ID, Date: s.now(), Action: "user_balance_update",
		Data: string(old), Data2: string(u.Balance), TargetType: "user", TargetID: u.ID}, true)
	// The reply's balance is the caller-currency getter as a BigDecimal:
	// the stored double's decimal form (chosen: shortest round-trip, not
	// 15 digits) times the rate, exactly.
	shown := dec(u.Balance).Mul(rate)
	return render(el("page", el("page",
		leaf("status", "User balance updated"),
		el("user", leaf("username", u.Username), leafInt("id", u.ID), leaf("balance", bigDecimalS(shown))))))
}

// ---- payment_create ----

// paymentCreate is payment_create: record a payment for a user the caller
// may pay for and, unless payments wait for confirmation, credit its net
// amount in the system currency.
func (s *Server) paymentCreate(c *call) []byte {
	st, p := s.st, c.p
	if st.confline(0, "API_Allow_payments_ower_API") != "1" {
		return shapeC("Payments not allow from api")
	}
	caller := c.caller
	owner := caller.ID
	if isAdmin(caller) || caller.Type == Accountant {
		owner = 0
	}
	raw, ok := p["user_id"]
	var target *User
	if ok && (raw == "" || allDigits(raw)) {
		target = st.users[rubyToI(raw)]
	}
	if caller.Type == SimpleUser || target == nil || target.OwnerID != owner {
		return shapeC("Access Denied")
	}
	cur := st.currencyByName(p["p_currency"])
	if cur == nil {
		return shapeC("No currency")
	}
	if target.OwnerID != 0 && st.users[target.OwnerID] == nil {
		return nil // the owner row is missing: the server crashes
	}
	tax := sdkTax(st.userTax(target))
	amount := rubyToD(p["amount"])
	var net, gross mor.Decimal
	if rubyToI(p["tax_in_amount"]) == 1 {
		gross = amount
		n, err := tax.Net(gross)
		if err != nil {
			return nil
		}
		net = n
	} else {
		net, gross = amount, tax.Gross(amount)
	}
	taxAmt := gross.Sub(net)
	pending := st.confline(0, "API_payment_confirmation") == "1"
	now := s.now()
	taxD, pay := double(taxAmt), Payment{
		UserID: target.ID, OwnerID: target.OwnerID, PaymentType: "from_api : " + p["paymenttype"],
		Amount: double(net), Gross: double(gross), Currency: cur.Name, DateAdded: now,
		Completed: !pending, FirstName: target.FirstName, LastName: target.LastName, Description: p["description"],
	}
	pay.Tax = &taxD
	reason := "completed"
	if pending {
		reason = "Waiting for confirmation"
	}
	pay.PendingReason = &reason
	if v, ok := p["fee"]; ok {
		f := Decimal(floatCast(v).String())
		pay.Fee = &f
	}
	if v, ok := p["transaction"]; ok {
		pay.TransactionID = &v
	}
	if v, ok := p["payer_email"]; ok {
		pay.PayerEmail = &v
	}
	if v, ok := p["shipped_at"]; ok {
		if t, err := time.ParseInLocation(time.DateTime, strings.TrimSpace(v), s.loc); err == nil {
			pay.ShippedAt = &t
		}
	}
	id := put(st, st.payments, pay, true)
	if !pending {
		r := st.rate(st.defaultCurrency(), cur.Name)
		if credit, err := net.Quo(r); err == nil {
			target.Balance = double(dec(target.Balance).Add(credit))
		}
	}
	dg := st.niceDigits()
	body := render(el("page", el("response", leaf("status", "ok"), el("payment",
		leafInt("payment_id", id), leaf("tax", niceNumber(f64(taxAmt), dg)),
		leaf("amount", niceNumber(f64(net), dg)), leaf("gross", niceNumber(f64(gross), dg))))))
	return []byte(strings.Replace(string(body), "<payment>", `<payment currency="`+attrEscape(cur.Name)+`">`, 1))
}

// floatCast is Rails' float column cast of a string: its leading number,
// 0 when none.
func floatCast(v string) mor.Decimal { return mor.Decimal{}.Add(rubyToD(v)) }

// attrEscape escapes an attribute value as Builder does.
func attrEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// ---- payments_get ----

// sqlLikePrefix reports whether s matches the MySQL pattern v+"%" (case
// insensitive; % and _ in v are wildcards).
func sqlLikePrefix(s, v string) bool {
	var b strings.Builder
	b.WriteString("(?is)^")
	for _, r := range v {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	re, err := regexp.Compile(b.String())
	return err == nil && re.MatchString(s)
}

// grossTypes are the payment types whose shown amount is the gross.
var grossTypes = map[string]bool{"webmoney": true, "cyberplat": true, "linkpoint": true, "voucher": true,
	"ouroboros": true, "subscription": true, "paypal": true, "paypal_fee": true}

// plainTypes are the types whose amount_with_tax is the amount itself.
var plainTypes = map[string]bool{"webmoney": true, "cyberplat": true, "linkpoint": true, "voucher": true,
	"ouroboros": true, "subscription": true, "invoice": true, "paypal": true, "manual": true}

// rubyCapitalize is String#capitalize: first letter upper, the rest lower.
func rubyCapitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}

// paymentsGet is payments_get: the payments of a time window the caller
// may see, filtered.
func (s *Server) paymentsGet(c *call) []byte {
	st, p, caller := s.st, c.p, c.caller
	if caller.Type == Accountant && st.right(caller, "payments_manage") < RightRead {
		return shapeA("Access Denied")
	}
	sUser := p["s_user_id"]
	var owner int64
	switch {
	case isAdmin(caller), caller.Type == Accountant:
		owner = 0
	case caller.Type == Reseller:
		owner = caller.ID
		if sUser == strconv.FormatInt(caller.ID, 10) {
			owner = 0
		}
	default: // simple users and partners
		owner = caller.OwnerID
		sUser = strconv.FormatInt(caller.ID, 10)
	}
	if caller.Type == Partner {
		return shapeA("Access Denied")
	}
	if caller.Type != SimpleUser && !rubyBlank(sUser) {
		u := st.users[rubyToI(strings.TrimLeft(sUser, " "))]
		if !strings.ContainsAny(sUser, "0123456789") || u == nil || u.OwnerID != owner {
			return shapeA("Access Denied")
		}
	}
	var from, till time.Time
	if !rubyBlank(p["s_from"]) && !rubyBlank(p["s_till"]) {
		from = time.Unix(rubyToI(p["s_from"]), 0).In(s.loc)
		till = time.Unix(rubyToI(p["s_till"]), 0).In(s.loc)
	} else {
		now := s.now()
		from = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, s.loc)
		till = from.Add(24*time.Hour - time.Second)
	}
	hide := st.confline(0, "Hide_non_completed_payments_for_user") == "1"
	set := func(k string) (string, bool) { v := p[k]; return v, v != "" }
	keep := func(pm *Payment) bool {
		if pm.OwnerID != owner || pm.DateAdded.Before(from) || pm.DateAdded.After(till) {
			return false
		}
		if hide && pm.PendingReason != nil && *pm.PendingReason == "Unnotified payment" {
			return false
		}
		if sUser != "" && pm.UserID != rubyToI(sUser) {
			return false
		}
		if v, ok := set("s_transaction"); ok && (pm.TransactionID == nil || !sqlLikePrefix(*pm.TransactionID, v)) {
			return false
		}
		if v, ok := set("s_completed"); ok && rubyToD(v).Cmp(completedNum(pm)) != 0 {
			return false
		}
		if v, ok := set("s_paymenttype"); ok && mysqlKey(pm.PaymentType) != mysqlKey(v) {
			return false
		}
		if v, ok := set("s_currency"); ok && mysqlKey(pm.Currency) != mysqlKey(v) {
			return false
		}
		u := st.users[pm.UserID]
		for _, f := range []struct {
			k   string
			col func(*User) string
		}{{"s_username", func(u *User) string { return u.Username }}, {"s_first_name", func(u *User) string { return u.FirstName }},
			{"s_last_name", func(u *User) string { return u.LastName }}} {
			if v, ok := set(f.k); ok && (u == nil || !sqlLikePrefix(f.col(u), v)) {
				return false
			}
		}
		// No calling cards in the fake: a card filter matches nothing.
		if _, ok := set("s_number"); ok {
			return false
		}
		if _, ok := set("s_pin"); ok {
			return false
		}
		if v, ok := set("s_amount_min"); ok && dec(pm.Amount).Cmp(rubyToD(v)) < 0 {
			return false
		}
		if v, ok := set("s_amount_max"); ok && dec(pm.Amount).Cmp(rubyToD(v)) > 0 {
			return false
		}
		return true
	}
	dg := st.niceDigits()
	var rows []node
	for _, pm := range sortedRows(st.payments, keep) {
		rows = append(rows, s.paymentNode(pm, dg))
	}
	return render(el("page", leaf("pagename", "Payments list"), el("payments", rows...)))
}

// completedNum is the completed column as a number.
func completedNum(pm *Payment) mor.Decimal {
	if pm.Completed {
		return mor.NewDecimal(1, 0)
	}
	return mor.Decimal{}
}

// paymentNode is one <payment> of payments_get.
func (s *Server) paymentNode(pm *Payment, dg int) node {
	st := s.st
	var kids []node
	if pm.Card != 0 {
		kids = append(kids, leaf("user", " Batch Card sale"))
	} else if u := st.users[pm.UserID]; u != nil {
		name := u.FirstName + " " + u.LastName
		if len([]rune(name)) < 2 {
			name = u.Username
		}
		kids = append(kids, leaf("user", name))
	}
	payer := ""
	if pm.PaymentType == "gateways_authorize_net" {
		payer = pm.FirstName + " " + pm.LastName
	} else if pm.PayerEmail != nil {
		payer = *pm.PayerEmail
	}
	opt := func(v *string) string {
		if v == nil {
			return ""
		}
		return *v
	}
	confirm := ""
	if pm.ShippedAt != nil {
		confirm = pm.ShippedAt.In(s.loc).Format(time.DateTime)
	}
	amount, taxV := f64(dec(pm.Amount)), 0.0
	if pm.Tax != nil {
		taxV = f64(dec(*pm.Tax))
	}
	shown := amount
	switch {
	case grossTypes[pm.PaymentType]:
		shown = f64(dec(pm.Gross))
	case pm.PaymentType == "manual" && pm.Tax != nil:
		shown = amount - taxV
	case pm.PaymentType == "manual":
		if u := st.users[pm.UserID]; u != nil {
			if n, err := sdkTax(st.userTax(u)).Net(dec(pm.Amount)); err == nil {
				shown = f64(n)
			}
		}
	}
	withTax := amount
	if !plainTypes[pm.PaymentType] && pm.Tax != nil {
		withTax = amount + taxV
	}
	fee := ""
	if pm.Fee != nil {
		fee = niceNumber(f64(dec(*pm.Fee)), dg)
	}
	completed, confirmed := "Completed", "Yes"
	if !pm.Completed {
		completed = "No (" + opt(pm.PendingReason) + ")"
		if opt(pm.PendingReason) == "Waiting for confirmation" {
			confirmed = "No"
		}
	}
	kids = append(kids,
		leaf("payer", payer), leaf("transaction_id", opt(pm.TransactionID)),
		leaf("date", pm.DateAdded.In(s.loc).Format(time.DateTime)), leaf("confirm_date", confirm),
		leaf("type", rubyCapitalize(pm.PaymentType)), leaf("amount", niceNumber(shown, dg)), leaf("fee", fee),
		leaf("amount_with_tax", niceNumber(withTax, dg)), leaf("currency", pm.Currency),
		leaf("completed", completed), leaf("confirmed_by_admin", confirmed))
	return el("payment", kids...)
}

// ---- voucher_use ----

// voucherUse is voucher_use: redeem an active voucher onto the caller's
// balance (or, for the admin, onto user_id's).
func (s *Server) voucherUse(c *call) []byte {
	st, p, caller := s.st, c.p, c.caller
	if caller == nil || !isAdmin(caller) && caller.Type != SimpleUser || caller.OwnerID != 0 {
		return shapeB("Access Denied")
	}
	if st.confline(0, "Vouchers_Enabled") != "1" {
		return shapeB("Vouchers Disabled")
	}
	var v *Voucher
	for _, x := range st.vouchers {
		if mysqlKey(x.Number) == mysqlKey(p["voucher_number"]) && (v == nil || x.ID < v.ID) {
			v = x
		}
	}
	if v == nil {
		return shapeB("Voucher was not found")
	}
	if v.ActiveTill == nil {
		return nil // the server crashes on a NULL active_till
	}
	now := s.now()
	if now.After(*v.ActiveTill) || v.UseDate != nil || !v.Active {
		return shapeB("Voucher was not found")
	}
	target := caller
	if isAdmin(caller) && !rubyBlank(p["user_id"]) {
		target = st.users[rubyToI(p["user_id"])]
	}
	if target == nil || target.OwnerID != 0 {
		return shapeB("User was not found")
	}
	if st.currencies[caller.CurrencyID] == nil {
		return nil
	}
	t := st.taxes[v.TaxID]
	if t == nil {
		nt := st.defaultTax()
		t = &nt
	}
	withVAT := dec(v.CreditWithVAT)
	without, err := sdkTax(t).Net(withVAT)
	if err != nil {
		return nil
	}
	inDefault := without.Mul(st.rate(v.Currency, st.defaultCurrency()))
	target.Balance = double(dec(target.Balance).Add(inDefault))
	taxD := double(withVAT.Sub(inDefault))
	reason := "completed"
	payID := put(st, st.payments, Payment{UserID: target.ID, OwnerID: target.OwnerID, PaymentType: "voucher",
		Amount: v.CreditWithVAT, Gross: double(inDefault), Tax: &taxD, Currency: v.Currency, DateAdded: now,
		ShippedAt: &now, Completed: true, PendingReason: &reason, FirstName: target.FirstName, LastName: target.LastName}, true)
	if st.taxes[v.TaxID] == nil {
		v.TaxID = put(st, st.taxes, *t, true)
	}
	v.UserID, v.UseDate, v.PaymentID = target.ID, &now, &payID
	return render(el("page", el("status",
		leaf("status", "Voucher used to update balance"),
		leaf("voucher_number", v.Number), leafInt("voucher_id", v.ID),
		leaf("credit_with_tax", rubyFloatS(f64(withVAT))),
		leaf("credit_without_tax", bigDecimalS(without)),
		leaf("currency", v.Currency),
		leaf("credit_in_default_currency", bigDecimalS(inDefault)),
		leafInt("user_id", target.ID),
		leaf("balance_after_voucher_use", floatToD(f64(dec(target.Balance)))),
		leafInt("payment_id", payID))))
}
