package mortest

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// serviceActions are the service and subscription endpoints.
var serviceActions = endpoints{
	"services_get":        {run: simple((*Server).servicesGet), caller: byU, hash: true},
	"service_create":      {run: simple((*Server).serviceCreate), caller: byU, hash: true},
	"service_update":      {run: simple((*Server).serviceUpdate), caller: byU, hash: true},
	"service_delete":      {run: simple((*Server).serviceDelete), caller: byU, hash: true},
	"subscriptions_get":   {run: simple((*Server).subscriptionsGet), caller: byU, hash: true},
	"subscription_create": {run: simple((*Server).subscriptionCreate), caller: byU, hash: true},
	"subscription_update": {run: simple((*Server).subscriptionUpdate), caller: byU, hash: true},
	"subscription_delete": {run: simple((*Server).subscriptionDelete), caller: byU, hash: true},
}

// shapeG is <page><status><errors>TEXT</errors></status></page>.
func shapeG(msg string) []byte { return render(el("page", el("status", leaf("errors", msg)))) }

func (s *Server) servicesGet(c *User, _ params) []byte {
	st := s.st
	if c == nil || c.Type == SimpleUser {
		return shapeB("Access Denied")
	}
	if c.Type == Accountant && st.right(c, "services_manage") < RightRead {
		return shapeB("You are not authorized to manage Services")
	}
	rows := sortedRows(st.services, func(v *Service) bool { return isAdmin(c) || v.OwnerID == ownerRef(c) })
	if len(rows) == 0 {
		return shapeB("No Services found")
	}
	prices := c.Type != Accountant || st.right(c, "see_financial_data") >= RightRead
	rate, hasRate := st.callerRat(c)
	var kids []node
	for _, v := range rows {
		rec := []node{leafInt("id", v.ID), leaf("name", v.Name), leaf("type", v.Type), leaf("period", v.PeriodType)}
		if prices {
			if hasRate {
				sc := new(big.Rat)
				if v.SelfCost != nil {
					sc = rat(*v.SelfCost)
				}
				rec = append(rec, leaf("price", bigDecimalS(decOf(new(big.Rat).Mul(rat(v.Price), rate)))),
					leaf("self_cost", bigDecimalS(decOf(new(big.Rat).Mul(sc, rate)))))
			} else {
				var sc *string
				if v.SelfCost != nil {
					x := rubyFloatS(ratF64(rat(*v.SelfCost)))
					sc = &x
				}
				rec = append(rec, leaf("price", rubyFloatS(ratF64(rat(v.Price)))), leafPtr("self_cost", sc))
			}
			rec = append(rec, leaf("currency", st.defaultCurrency()))
		}
		rec = append(rec, leafInt("quantity", v.Quantity))
		kids = append(kids, el("service", rec...))
	}
	return render(el("page", el("services", kids...)))
}

var (
	servicePriceRe = regexp.MustCompile(`(?m)^-?\d+([,.;]\d+)?$`)
	serviceTypes   = map[string]bool{"periodic_fee": true, "one_time_fee": true, "flat_rate": true, "dynamic_flat_rate": true}
)

// serviceRights is the rights check of service_create and service_update.
func (st *state) serviceRights(c *User) []byte {
	if c == nil || c.Type == SimpleUser || c.Type == Partner {
		return shapeB("Access Denied")
	}
	if c.Type == Accountant && st.right(c, "services_manage") != RightEdit {
		return shapeB("You are not authorized to use this functionality")
	}
	return nil
}

// assignService applies the non-blank service parameters to v (create:
// all of them) and returns the first validation message, or "".
func assignService(v *Service, p params, create bool) string {
	pick := func(a, b string) string {
		if !rubyBlank(p[a]) {
			return p[a]
		}
		return p[b]
	}
	if n := pick("new_service_name", "service_name"); create || !rubyBlank(n) {
		v.Name = n
	}
	if t := pick("new_service_type", "service_type"); create || !rubyBlank(t) {
		v.Type = t
	}
	priceBad, selfBad := false, false
	if x := p["service_sell_price"]; !rubyBlank(x) {
		priceBad = !servicePriceRe.MatchString(x)
		v.Price = Decimal(rubyLeadingNumber(x))
	}
	if x := p["service_self_cost"]; !rubyBlank(x) {
		selfBad = !servicePriceRe.MatchString(x)
		d := Decimal(rubyLeadingNumber(x))
		v.SelfCost = &d
	}
	if x := p["service_period"]; create || !rubyBlank(x) {
		v.PeriodType = x
	}
	quantityText, hasQty := p["service_minutes_per_month"], !rubyBlank(p["service_minutes_per_month"])
	if hasQty {
		v.Quantity = rubyToI(quantityText)
	}
	flat := v.Type == "flat_rate" || v.Type == "dynamic_flat_rate"
	switch {
	case rubyBlank(v.Name):
		return "Service must have name"
	case rubyBlank(v.Type):
		return "Service must have service type"
	case strings.TrimSpace(v.Type) != "" && !serviceTypes[v.Type]:
		return "Service Type is invalid"
	case flat && create && !hasQty:
		return "Flat Rate Service must have quantity"
	case flat && hasQty && !allDigits(strings.TrimPrefix(quantityText, "-")):
		return "Quantity must be numeric"
	case flat && v.Quantity <= 0:
		return "Quantity must be greater than zero"
	case priceBad:
		return "Service Price must be numeric"
	case selfBad:
		return "Service Self Cost must be numeric"
	}
	if !(v.Type == "periodic_fee" && (v.PeriodType == "day" || v.PeriodType == "month")) {
		v.PeriodType = "month"
	}
	if !flat {
		v.Quantity = 1
	}
	return ""
}

func (s *Server) serviceCreate(c *User, p params) []byte {
	st := s.st
	if r := st.serviceRights(c); r != nil {
		return r
	}
	owner := ownerRef(c)
	if c.Type == Accountant {
		owner = c.OwnerID
	}
	if p.has("new_owner_id") {
		id := rubyToI(p["new_owner_id"])
		o := st.users[id]
		if !isAdmin(c) || !(id == c.ID || o != nil && o.Type == Reseller && o.OwnerID == 0) {
			return shapeG("Reseller was not found")
		}
		owner = id
	}
	v := Service{OwnerID: owner, Price: "0"}
	if msg := assignService(&v, p, true); msg != "" {
		return shapeB(msg)
	}
	put(st, st.services, v, true)
	return success("Service successfully created")
}

// ownedService finds a service the caller may change (admin: any).
func (st *state) ownedService(c *User, id int64) *Service {
	v := st.services[id]
	if v == nil || !isAdmin(c) && v.OwnerID != ownerRef(c) {
		return nil
	}
	return v
}

func (s *Server) serviceUpdate(c *User, p params) []byte {
	st := s.st
	if r := st.serviceRights(c); r != nil {
		return r
	}
	if rubyBlank(p["service_id"]) {
		return shapeG("Service was not selected")
	}
	v := st.ownedService(c, rubyToI(p["service_id"]))
	if v == nil {
		return shapeG("Service was not found")
	}
	cp := v.clone()
	if msg := assignService(&cp, p, false); msg != "" {
		return shapeB(msg)
	}
	*v = cp
	return success("Service successfully updated")
}

func (s *Server) serviceDelete(c *User, p params) []byte {
	st := s.st
	if c == nil {
		return nil // the server reads the nil caller's type
	}
	if c.Type == SimpleUser {
		return shapeB("Access Denied")
	}
	if c.Type == Accountant && st.right(c, "services_manage") != RightEdit {
		return shapeB("You are not authorized to manage Services")
	}
	v := st.ownedService(c, rubyToI(p["service_id"]))
	if v == nil {
		return shapeB("Service was not found")
	}
	for _, sub := range st.subscriptions {
		if sub.ServiceID == v.ID {
			return shapeB("Cannot delete - some subscriptions to this service exist")
		}
	}
	delete(st.services, v.ID)
	return success("Service was successfully deleted")
}

// subscriptionRights is the rights check shared by the subscription
// writers; the accountant's message differs for subscriptions_get.
func (st *state) subscriptionRights(c *User, read bool) []byte {
	switch {
	case c == nil || c.Type == Partner:
		return shapeB("Access Denied")
	case c.Type == SimpleUser && !read:
		return shapeB("Access Denied")
	case c.Type == Accountant && st.right(c, "manage_subscriptions_opt_1") != RightEdit:
		if read {
			return shapeB("You are not authorized to manage Subscriptions")
		}
		return shapeB("You are not authorized to use this functionality")
	}
	return nil
}

// utcWall is the U2 conversion: the instant's UTC wall clock taken as a
// server-local time.
func (s *Server) utcWall(n int64) time.Time {
	u := time.Unix(n, 0).UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), 0, s.loc)
}

func (s *Server) subscriptionsGet(c *User, p params) []byte {
	st := s.st
	if r := st.subscriptionRights(c, true); r != nil {
		return r
	}
	trim := func(k string) (string, bool) { v, ok := p[k]; return strings.TrimSpace(v), ok }
	svc, hasSvc := trim("service_id")
	uid, hasUID := trim("user_id")
	memo, hasMemo := trim("subscription_memo")
	for _, v := range []string{svc, memo} {
		if strings.Contains(v, "'") {
			return nil
		}
	}
	if hasUID && uid != "all" && !allDigits(uid) {
		return nil
	}
	var start, end time.Time
	hasS, hasE := p.has("subscription_activation_start"), p.has("subscription_activation_end")
	for _, x := range []struct {
		k   string
		dst *time.Time
	}{{"subscription_activation_start", &start}, {"subscription_activation_end", &end}} {
		if v, ok := p[x.k]; ok {
			if !allDigits(v) {
				return nil
			}
			*x.dst = s.utcWall(parseDigits(v))
		}
	}
	uc := p["subscription_until_canceled"] == "1"
	keep := func(v *Subscription) bool {
		u := st.users[v.UserID]
		if !isAdmin(c) && !(u != nil && u.OwnerID == ownerRef(c) || v.UserID == ownerRef(c)) {
			return false
		}
		if hasSvc && svc != "all" && v.ServiceID != rubyToI(svc) { // MySQL compares the quoted text as a number
			return false
		}
		if hasUID && uid != "all" && v.UserID != parseDigits(uid) {
			return false
		}
		if hasMemo && mysqlKey(v.Memo) != mysqlKey(memo) {
			return false
		}
		open := v.ActivationEnd.IsZero()
		switch {
		case hasS && hasE:
			return !v.ActivationStart.Before(start) && (!open && !v.ActivationEnd.After(end) || uc && open)
		case hasS && uc:
			return !v.ActivationStart.Before(start) && open
		case hasS:
			return !v.ActivationStart.Before(start) || open
		case uc:
			return open
		case hasE:
			return !open && !v.ActivationEnd.After(end)
		}
		return true
	}
	rows := sortedRows(st.subscriptions, keep)
	if len(rows) == 0 {
		return shapeB("No Subscriptions found")
	}
	var kids []node
	for _, v := range rows {
		if v.DeviceID != nil {
			return nil
		}
		name := ""
		if u := st.users[v.UserID]; u != nil {
			name = sqlNiceName(u)
		}
		svcName, typ, price, timeLeft := "", "", (*string)(nil), ""
		if sv := st.services[v.ServiceID]; sv != nil {
			svcName, typ = sv.Name, sv.Type
			x := rubyFloatS(ratF64(rat(sv.Price)))
			price = &x
			if typ == "flat_rate" || typ == "dynamic_flat_rate" {
				timeLeft = "0"
				if now := s.now(); !now.Before(v.ActivationStart) && (v.ActivationEnd.IsZero() || !now.After(v.ActivationEnd)) {
					timeLeft = strconv.FormatInt(sv.Quantity*60, 10)
				}
			}
		}
		var till *string
		if !v.ActivationEnd.IsZero() {
			x := formatTime(v.ActivationEnd, s.loc)
			till = &x
		}
		kids = append(kids, el("subscription",
			leafInt("id", v.ID), leaf("user", name), leaf("device", ""), leaf("service", svcName),
			leaf("from", formatTime(v.ActivationStart, s.loc)), leafPtr("till", till), leaf("time_left", timeLeft),
			leaf("memo", v.Memo), leaf("type", typ), leafPtr("price", price), leafInt("user_id", v.UserID)))
	}
	return render(el("page", el("status", el("subscriptions", kids...))))
}

// sqlNiceName is the SQL nice name: first + " " + last when both are
// non-empty, else whichever is, else the username.
func sqlNiceName(u *User) string {
	switch {
	case u.FirstName != "" && u.LastName != "":
		return u.FirstName + " " + u.LastName
	case u.FirstName != "":
		return u.FirstName
	case u.LastName != "":
		return u.LastName
	}
	return u.Username
}

// subscriberScope finds a user the caller may subscribe (admin: any).
func (st *state) subscriberScope(c *User, id int64) *User {
	u := st.users[id]
	if u == nil || !isAdmin(c) && u.OwnerID != ownerRef(c) {
		return nil
	}
	return u
}

// subscriptionDates reads and checks the timestamp parameters; a non-empty
// message is the refusal.
func (s *Server) subscriptionDates(p params, uc bool) (start, end time.Time, hasS, hasE bool, msg string) {
	if v, ok := p["subscription_activation_start"]; ok {
		if !allDigits(v) {
			return start, end, false, false, "Subscription activation start date must be valid timestamp"
		}
		start, hasS = s.utcWall(parseDigits(v)).Truncate(time.Minute), true
	}
	if v, ok := p["subscription_activation_end"]; ok && !uc {
		if !allDigits(v) {
			return start, end, false, false, "Subscription activation end date must be valid timestamp"
		}
		end, hasE = s.utcWall(parseDigits(v)).Truncate(time.Minute), true
	}
	if hasS && hasE && start.After(end) {
		return start, end, false, false, "Activation start date must be earlier than end date."
	}
	return start, end, hasS, hasE, ""
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

func daysIn(t time.Time) int { return monthStart(t).AddDate(0, 1, -1).Day() }

func (s *Server) subscriptionCreate(c *User, p params) []byte {
	st := s.st
	if r := st.subscriptionRights(c, false); r != nil {
		return r
	}
	if rubyBlank(p["service_id"]) {
		return shapeB("Service was not selected")
	}
	sv := st.ownedService(c, rubyToI(p["service_id"]))
	if sv == nil {
		return shapeB("Service was not found")
	}
	if rubyBlank(p["user_id"]) {
		return shapeB("User was not selected")
	}
	u := st.subscriberScope(c, rubyToI(p["user_id"]))
	if u == nil {
		return shapeB("User was not found")
	}
	if u.Type == Partner || u.Type == Accountant || u.Type == Admin {
		return shapeB("Service cannot be subscribed to this User")
	}
	uc := p["subscription_until_canceled"] == "1"
	start, end, hasS, hasE, msg := s.subscriptionDates(p, uc)
	if msg != "" {
		return shapeB(msg)
	}
	flat := sv.Type == "flat_rate" || sv.Type == "dynamic_flat_rate"
	if p["subscription_no_expiration_at_the_end_of_a_month"] == "1" && !flat {
		return shapeB("Service is not flat rate")
	}
	now := s.now().Truncate(time.Minute)
	if !hasS {
		start = now
	}
	if !hasE {
		end = now
	}
	sub := Subscription{ServiceID: sv.ID, UserID: u.ID, ActivationStart: start, ActivationEnd: end,
		Added: s.now(), Memo: strings.TrimSpace(p["subscription_memo"]),
		NoExpire: p["subscription_no_expiration_at_the_end_of_a_month"] == "1"}
	if uc {
		sub.ActivationEnd = time.Time{}
	}
	switch sv.Type {
	case "flat_rate":
		sub.ActivationStart = monthStart(start)
		if rubyBlank(p["subscription_until_canceled"]) && p["until_canceled"] != "1" {
			e := sub.ActivationEnd
			if !e.IsZero() {
				sub.ActivationEnd = monthStart(e).AddDate(0, 1, 0).Add(-time.Second)
			}
		}
	case "one_time_fee":
		sub.ActivationEnd = sub.ActivationStart
	}
	if sv.Type != "one_time_fee" && !sub.ActivationEnd.IsZero() && !sub.ActivationEnd.After(sub.ActivationStart) {
		return shapeB("Activation start date must be earlier than end date.")
	}
	// Prepaid charge, in the caller's currency through the service price.
	if !u.Postpaid {
		rate, _ := st.callerRat(c)
		price := new(big.Rat).Mul(rat(sv.Price), rate)
		today := time.Date(s.now().Year(), s.now().Month(), s.now().Day(), 0, 0, 0, 0, s.loc)
		pe := monthStart(today).AddDate(0, 1, 0).Add(-time.Second)
		if sv.PeriodType == "day" && sv.Type == "periodic_fee" {
			pe = today.Add(24*time.Hour - time.Second)
		}
		charge := new(big.Rat)
		from := maxTime(sub.ActivationStart, today)
		to := pe
		if !sub.ActivationEnd.IsZero() && sub.ActivationEnd.Before(pe) {
			to = sub.ActivationEnd
		}
		active := !from.After(to)
		switch sv.Type {
		case "periodic_fee":
			if active {
				days := int64(dayIndex(to)-dayIndex(from)) + 1
				if sv.PeriodType == "day" {
					charge.Mul(price, big.NewRat(days, 1))
				} else {
					charge.Mul(price, big.NewRat(days, int64(daysIn(today))))
				}
			}
		case "one_time_fee":
			if !sub.ActivationStart.Before(today) && !sub.ActivationStart.After(pe) {
				charge.Set(price)
			}
		default:
			if active {
				charge.Set(price)
			}
		}
		if charge.Sign() != 0 {
			// stored balance is in the default currency; the price above is
			// in the caller's.
			inDefault := new(big.Rat).Set(charge)
			if rate.Sign() != 0 {
				inDefault.Quo(inDefault, rate)
			}
			bal := new(big.Rat).Mul(rat(u.Balance), rate)
			if new(big.Rat).Sub(bal, charge).Sign() < 0 {
				return shapeB("User has insufficient balance")
			}
			if monthStart(sub.ActivationStart).Equal(monthStart(today)) || sv.Type == "dynamic_flat_rate" {
				u.Balance = ratDecimal(new(big.Rat).Sub(rat(u.Balance), inDefault))
				neg := new(big.Rat).Neg(charge)
				gross := ratDecimal(neg)
				cur := ""
				if o := st.users[u.OwnerID]; o != nil {
					if cc := st.currencies[o.CurrencyID]; cc != nil {
						cur = cc.Name
					}
				} else {
					return nil // the subscriber's owner row is missing
				}
				tax := st.userTax(u)
				taxD, now := ratDecimal(taxAmount(tax, neg)), s.now()
				put(st, st.payments, Payment{UserID: u.ID, OwnerID: u.OwnerID, PaymentType: "subscription",
					Amount: ratDecimal(applyTax(tax, neg)), Gross: &gross, Tax: &taxD,
					Currency: cur, DateAdded: now, ShippedAt: &now, Completed: true}, true)
			}
		}
	}
	put(st, st.subscriptions, sub, true)
	return success("Subscription was successfully created")
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// dayIndex counts calendar days (for inclusive day differences).
func dayIndex(t time.Time) int {
	return int(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// subscriptionInScope finds a subscription the caller may change.
func (st *state) subscriptionInScope(c *User, id int64) *Subscription {
	v := st.subscriptions[id]
	if v == nil {
		return nil
	}
	u := st.users[v.UserID]
	if u == nil || !isAdmin(c) && u.OwnerID != ownerRef(c) {
		return nil
	}
	return v
}

func (s *Server) subscriptionUpdate(c *User, p params) []byte {
	st := s.st
	if r := st.subscriptionRights(c, false); r != nil {
		return r
	}
	v := st.subscriptions[rubyToI(p["subscription_id"])]
	if v != nil && !isAdmin(c) {
		if u := st.users[v.UserID]; u == nil || u.OwnerID != c.ID {
			v = nil
		}
	}
	if v == nil {
		return shapeB("Subscription was not found")
	}
	sv := st.services[v.ServiceID]
	if sv == nil {
		return nil
	}
	uc := p["subscription_until_canceled"] == "1"
	start, end, hasS, hasE, msg := s.subscriptionDates(p, uc)
	if msg != "" {
		return shapeB(msg)
	}
	flat := sv.Type == "flat_rate" || sv.Type == "dynamic_flat_rate"
	if p["subscription_no_expiration_at_the_end_of_a_month"] == "1" && !flat {
		return shapeB("Service is not flat rate")
	}
	cp := v.clone()
	if sv.Type != "dynamic_flat_rate" {
		if hasS {
			cp.ActivationStart = start
		}
		if uc {
			cp.ActivationEnd = time.Time{}
		} else if hasE {
			cp.ActivationEnd = end
		}
		if x := p["subscription_no_expiration_at_the_end_of_a_month"]; !rubyBlank(x) {
			cp.NoExpire = x == "1"
		}
	}
	if m := strings.TrimSpace(p["subscription_memo"]); m != "" {
		cp.Memo = m
	}
	if sv.Type != "one_time_fee" && !cp.ActivationEnd.IsZero() && !cp.ActivationEnd.After(cp.ActivationStart) {
		return shapeB("Activation start date must be earlier than end date.")
	}
	*v = cp
	return success("Subscription was successfully updated")
}

func (s *Server) subscriptionDelete(c *User, p params) []byte {
	st := s.st
	if r := st.subscriptionRights(c, false); r != nil {
		return r
	}
	if rubyBlank(p["subscription_id"]) {
		return shapeB("Subscription was not selected")
	}
	v := st.subscriptionInScope(c, rubyToI(p["subscription_id"]))
	if v == nil {
		return shapeB("Subscription was not found")
	}
	sv := st.services[v.ServiceID]
	if sv == nil {
		return shapeB("Subscription' Service was not found, please contact Administrator")
	}
	if rubyBlank(p["subscription_delete_action"]) {
		return shapeB("Subscription delete action was not selected")
	}
	act := rubyToI(p["subscription_delete_action"])
	maxAct := int64(3)
	if sv.Type == "one_time_fee" {
		maxAct = 2
	}
	if act < 1 || act > maxAct {
		return shapeB("Subscription delete action was not found")
	}
	u := st.users[v.UserID]
	switch {
	case act == 1:
		delete(st.subscriptions, v.ID)
		return success("Subscription deleted")
	case act == 2 && sv.Type != "one_time_fee" && u.Postpaid:
		v.ActivationEnd = s.now()
		return success("Subscription disabled")
	}
	// Refunds, in the caller's currency through the service price.
	rate, _ := st.callerRat(c)
	price := new(big.Rat).Mul(rat(sv.Price), rate)
	now := s.now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, s.loc)
	monthEnd := monthStart(today).AddDate(0, 1, 0).Add(-time.Second)
	horizon := monthEnd
	if u.Postpaid {
		horizon = monthStart(today)
	}
	refund := new(big.Rat)
	switch {
	case act == 2 && sv.Type == "one_time_fee":
		if v.ActivationEnd.Before(horizon) {
			refund.Set(price)
		}
	case act == 2: // prepaid
		switch {
		case sv.Type == "periodic_fee" && sv.PeriodType == "day":
			// sums the caller-logged subscription_paid actions of the
			// subscriber: API charges are logged under the caller, so none.
		default:
			days := int64(dayIndex(monthEnd) - dayIndex(today) + 1)
			refund.Mul(price, big.NewRat(days, int64(daysIn(today))))
		}
	case act == 3:
		refund = pricePeriod(sv, v, price, v.ActivationStart, horizon)
	}
	if refund.Sign() > 0 {
		inDefault := new(big.Rat).Set(refund)
		if rate.Sign() != 0 {
			inDefault.Quo(inDefault, rate)
		}
		u.Balance = ratDecimal(new(big.Rat).Add(rat(u.Balance), inDefault))
		gross := ratDecimal(refund)
		cur := ""
		if o := st.users[u.OwnerID]; o != nil {
			if cc := st.currencies[o.CurrencyID]; cc != nil {
				cur = cc.Name
			}
		}
		tax := st.userTax(u)
		taxD := ratDecimal(taxAmount(tax, refund))
		put(st, st.payments, Payment{UserID: u.ID, OwnerID: u.OwnerID, PaymentType: "subscription",
			Amount: ratDecimal(applyTax(tax, refund)), Gross: &gross, Tax: &taxD,
			Currency: cur, DateAdded: now, ShippedAt: &now, Completed: true}, true)
	}
	delete(st.subscriptions, v.ID)
	return success("Subscription deleted and money returned")
}

// loadMoneyWorld seeds the dump's service and subscription rows (the
// invoice and credit-note tables are empty in the dump).
func (s *Server) loadMoneyWorld() {
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, s.loc) }
	s.AddService(Service{ID: 1, Name: "Test_periodic_service", Type: "periodic_fee", PeriodType: "month",
		Price: "10", OwnerID: 0, Quantity: 1})
	s.AddSubscription(Subscription{ID: 1, ServiceID: 1, UserID: 2, ActivationStart: at(2009, 3, 22, 9, 25),
		ActivationEnd: at(2017, 7, 22, 9, 25), Added: at(2009, 4, 22, 9, 25), Memo: "Test_preriodic_service_memo"})
}

// pricePeriod is price_for_period(from, to): what the subscription costs
// while active in [from, to]. A monthly fee costs price/days-in-month per
// active day, a daily fee price per day, a one-time fee its price when it
// starts in the window, a flat rate its price per month touched.
func pricePeriod(sv *Service, v *Subscription, price *big.Rat, from, to time.Time) *big.Rat {
	out := new(big.Rat)
	start := maxTime(v.ActivationStart, from)
	end := to
	if !v.ActivationEnd.IsZero() && v.ActivationEnd.Before(end) {
		end = v.ActivationEnd
	}
	if sv.Type == "one_time_fee" {
		if !v.ActivationStart.Before(from) && !v.ActivationStart.After(to) {
			out.Set(price)
		}
		return out
	}
	if start.After(end) {
		return out
	}
	lastMonth := time.Time{}
	for d := dayIndex(start); d <= dayIndex(end); d++ {
		day := time.Unix(int64(d)*86400, 0).UTC()
		switch {
		case sv.Type == "periodic_fee" && sv.PeriodType == "day":
			out.Add(out, price)
		case sv.Type == "periodic_fee":
			out.Add(out, new(big.Rat).Quo(price, big.NewRat(int64(daysIn(day)), 1)))
		default:
			if m := monthStart(day); !m.Equal(lastMonth) {
				out.Add(out, price)
				lastMonth = m
			}
		}
	}
	return out
}
