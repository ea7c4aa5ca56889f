package mortest

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// cardActions are the calling-card endpoints. card_by_cli_update,
// card_group_get and card_from_group_sell find the caller with
// find_current_user_for_api ("Bad login") and run the calling-card add-on
// gate after the hash; the others use check_user and answer an unknown
// caller themselves.
var cardActions = endpoints{
	"card_by_cli_update":   {run: ccGated((*Server).cardByCLIUpdate), caller: byUBadLogin, hash: true},
	"cc_by_cli_old":        {run: simple((*Server).ccByCLIOld), caller: byU, hash: true},
	"card_group_get":       {run: ccGated((*Server).cardGroupGet), caller: byUBadLogin, hash: true},
	"card_from_group_sell": {run: ccGated((*Server).cardFromGroupSell), caller: byUBadLogin, hash: true},
	"card_balance_get":     {run: simple((*Server).cardBalanceGet), caller: byU, hash: true},
	"card_payment_add":     {run: simple((*Server).cardPaymentAdd), caller: byU, hash: true},
	"calling_cards_get":    {run: simple((*Server).callingCardsGet), caller: byU, hash: true},
	"calling_cards_create": {run: simple((*Server).callingCardsCreate), caller: byU, hash: true},
	"calling_card_update":  {run: simple((*Server).callingCardUpdate), caller: byU, hash: true},
	"cc_groups_get":        {run: simple((*Server).ccGroupsGet), caller: byU, hash: true},
	"cc_group_create":      {run: simple((*Server).ccGroupCreate), caller: byU, hash: true},
	"cc_group_update":      {run: simple((*Server).ccGroupUpdate), caller: byU, hash: true},
}

// ccGated runs check_calling_card_addon before the action: simple users,
// resellers without calling_cards = 2 and accountants without
// callingcard_manage are refused; with the add-on off, a cardgroup_id naming
// a group of more than 10 cards is refused.
func ccGated(a action) handler {
	return func(s *Server, c *call) []byte {
		u := c.caller
		switch {
		case u.Type == SimpleUser,
			u.Type == Reseller && s.st.right(u, "calling_cards") != RightEdit,
			u.Type == Accountant && s.st.right(u, "callingcard_manage") == RightNone:
			return shapeA("Access Denied")
		}
		if c.p.has("cardgroup_id") && s.st.confline(0, confCCActive) != "1" {
			gid := rubyToI(c.p["cardgroup_id"])
			n := 0
			for _, k := range s.st.cardTabs().cards {
				if k.CardGroupID == gid {
					n++
				}
			}
			if n > cardsLimitedVolume {
				return shapeA(cardsLimitMessage)
			}
		}
		return a(s, u, c.p)
	}
}

// ownerO is get_correct_owner_id: admin and accountant 0, reseller and
// partner their own id, a simple user its owner.
func ownerO(u *User) int64 {
	switch u.Type {
	case Admin, Accountant:
		return 0
	case SimpleUser:
		return u.OwnerID
	}
	return u.ID
}

// correctedOwner is get_corrected_owner_id: admin and accountant 0, else own id.
func correctedOwner(u *User) int64 {
	if u.Type == Admin || u.Type == Accountant {
		return 0
	}
	return u.ID
}

// group returns a visible card group, or nil.
func (st *state) group(id int64) *CardGroup {
	g := st.cardTabs().groups[id]
	if g == nil || g.Hidden {
		return nil
	}
	return g
}

// groupCards are a group's cards in id order (hidden ones only when asked).
func (st *state) groupCards(gid int64, hidden bool) []*Card {
	return sortedRows(st.cardTabs().cards, func(k *Card) bool { return k.CardGroupID == gid && (hidden || !k.Hidden) })
}

// tellToSystem is rate(tell→system): 0 when the tell currency is unknown.
func (st *state) tellToSystem(g *CardGroup) *big.Rat {
	r := st.currencyRate(g.TellBalanceInCurrency)
	sys := st.currencyRate(st.systemCurrency())
	if r == nil || r.Sign() == 0 || sys == nil {
		return new(big.Rat)
	}
	return new(big.Rat).Quo(sys, r)
}

// systemToTell is rate(system→tell): 0 when the tell currency is unknown.
func (st *state) systemToTell(g *CardGroup) *big.Rat {
	r := st.currencyRate(g.TellBalanceInCurrency)
	sys := st.currencyRate(st.systemCurrency())
	if r == nil || sys == nil || sys.Sign() == 0 {
		return new(big.Rat)
	}
	return new(big.Rat).Quo(r, sys)
}

// cardPayment writes a "Card" payment of x (system currency) for card k.
func (s *Server) cardPayment(k *Card, g *CardGroup, x *big.Rat) {
	st := s.st
	amount := new(big.Rat).Mul(x, st.systemToTell(g))
	put(st, st.cardTabs().payments, CardPayment{PaymentType: "Card", Card: true, UserID: k.ID,
		Amount: Decimal(bdString(amount)), Currency: g.TellBalanceInCurrency,
		Tax: Decimal(bdString(st.taxAmount(g.TaxID, amount))), OwnerID: g.OwnerID, Completed: true,
		DateAdded: s.now()}, true)
}

// sell is Card#sell: false when already sold.
func (s *Server) sell(k *Card, g *CardGroup) bool {
	if k.Sold {
		return false
	}
	k.Sold, k.Active = true, true
	s.cardPayment(k, g, rat(k.Balance))
	return true
}

// randomDigits is a string of n random digits.
func randomDigits(n int64) string {
	b := make([]byte, max(n, 0))
	for i := range b {
		b[i] = byte('0' + rand.N(10))
	}
	return string(b)
}

// newCard is Cardgroup#create_card: a number unused in the group, a PIN
// unused by any card.
func (s *Server) newCard(g *CardGroup, callerID string, balance *big.Rat) *Card {
	st := s.st
	used := func(keep func(*Card) bool) bool {
		for _, k := range st.cardTabs().cards {
			if keep(k) {
				return true
			}
		}
		return false
	}
	var number, pin string
	for number == "" || used(func(k *Card) bool { return k.CardGroupID == g.ID && k.Number == number }) {
		number = randomDigits(g.NumberLength)
	}
	for pin == "" || used(func(k *Card) bool { return k.PIN == pin }) {
		pin = randomDigits(g.PINLength)
	}
	cid := callerID
	k := Card{CardGroupID: g.ID, OwnerID: g.OwnerID, Number: number, PIN: pin, CallerID: &cid,
		Balance: Decimal(bdString(balance)), MinBalance: "0", FrozenBalance: "0", Language: "en", UserID: -1, Active: true}
	id := put(st, st.cardTabs().cards, k, true)
	return st.cardTabs().cards[id]
}

// rCard is one R-card <response>.
func (s *Server) rCard(u *User, k *Card) node {
	st := s.st
	g := st.cardTabs().groups[k.CardGroupID]
	bal := new(big.Rat).Mul(rat(k.Balance), st.callerRateRat(u))
	withVAT := new(big.Rat).Set(bal)
	if g != nil {
		withVAT.Add(withVAT, st.taxAmount(g.TaxID, bal))
	}
	return el("response", leaf("status", "ok"), el("card",
		leafInt("id", k.ID), leafInt("cardgroup_id", k.CardGroupID),
		leaf("balance", st.nice(bal)), leaf("balance_with_vat", st.nice(withVAT)),
		leafPtr("callerid", k.CallerID), leaf("pin", k.PIN), leaf("number", k.Number)))
}

// cliDevice is D: the lowest-id device with a CLI equal to or containing v.
func (st *state) cliDevice(v string) *Device {
	var best *Device
	lv := strings.ToLower(v)
	for _, cl := range st.clis {
		if cl.DeviceID == 0 || !strings.Contains(strings.ToLower(cl.Number), lv) {
			continue
		}
		if d := st.devices[cl.DeviceID]; d != nil && (best == nil || d.ID < best.ID) {
			best = d
		}
	}
	return best
}

// cardByCallerID is X: the lowest-id card with this caller ID.
func (st *state) cardByCallerID(v string) *Card {
	for _, k := range sortedRows(st.cardTabs().cards, nil) {
		if k.CallerID != nil && mysqlKey(*k.CallerID) == mysqlKey(v) {
			return k
		}
	}
	return nil
}

// topUpUser credits a device user (caller currency) and writes a card_refill payment.
func (s *Server) topUpUser(caller, du *User, net *big.Rat) {
	st := s.st
	sys := new(big.Rat).Quo(net, st.callerRateRat(caller))
	du.Balance = Decimal(bdString(new(big.Rat).Add(rat(du.Balance), sys)))
	cur := st.currencies[du.CurrencyID]
	name, rate := st.systemCurrency(), big.NewRat(1, 1)
	if cur != nil {
		name, rate = cur.Name, rat(cur.ExchangeRate)
	}
	put(st, st.cardTabs().payments, CardPayment{PaymentType: "card_refill", Amount: Decimal(bdString(new(big.Rat).Mul(sys, rate))),
		Currency: name, Tax: "0", UserID: du.ID, OwnerID: du.OwnerID, Completed: true, DateAdded: s.now(),
		FirstName: du.FirstName, LastName: du.LastName}, true)
}

// rDevice is the R-device reply.
func (s *Server) rDevice(caller *User, d *Device, du *User) []byte {
	st := s.st
	bal := new(big.Rat).Mul(rat(du.Balance), st.callerRateRat(caller))
	withVAT := new(big.Rat).Add(bal, st.taxAmount(du.TaxID, bal))
	return render(el("page", el("response", leaf("status", "ok"), leafInt("device_id", d.ID), leafInt("user_id", du.ID),
		leaf("new_balance", st.nice(bal)), leaf("new_balance_with_vat", st.nice(withVAT)))))
}

// cardByCLIUpdate is card_by_cli_update: credit a caller ID's device user or
// card, or a new card; with pin, redeem that card.
func (s *Server) cardByCLIUpdate(u *User, p params) []byte {
	st := s.st
	cid := p["callerid"]
	if rubyBlank(cid) {
		return shapeC("Callerid must be specified")
	}
	o := ownerO(u)
	d := st.cliDevice(cid)
	x := st.cardByCallerID(cid)
	if rubyBlank(p["pin"]) {
		amount := rat(Decimal(rubyToD(p["amount"]).String()))
		if d != nil {
			du := st.users[d.UserID]
			if du == nil {
				return nil
			}
			if du.OwnerID != o {
				return shapeC("You do not have permission to add to user's balance")
			}
			s.topUpUser(u, du, st.withoutTax(du.TaxID, amount))
			return s.rDevice(u, d, du)
		}
		if x != nil {
			gx := st.group(x.CardGroupID)
			if gx == nil {
				return nil
			}
			if gx.OwnerID != o {
				return shapeC("You do not have permission to access card")
			}
			t := gx
			if p.has("cardgroup_id") {
				t = st.group(rubyToI(p["cardgroup_id"]))
				if t == nil || t.OwnerID != o {
					return shapeC("You do not have permission to access cardgroup")
				}
			}
			if t.ID != gx.ID {
				b := rat(x.Balance)
				x.Balance, x.Sold, x.CallerID = "0", false, nil
				gross := new(big.Rat).Add(b, new(big.Rat).Mul(amount, st.tellToSystem(t)))
				n := s.newCard(t, cid, st.withoutTax(t.TaxID, gross))
				s.sell(n, t)
				return render(el("page", s.rCard(u, n)))
			}
			s.sell(x, t)
			net := st.withoutTax(t.TaxID, new(big.Rat).Mul(amount, st.tellToSystem(t)))
			x.Balance = Decimal(bdString(new(big.Rat).Add(rat(x.Balance), net)))
			s.cardPayment(x, t, net)
			return render(el("page", s.rCard(u, x)))
		}
		t := st.group(rubyToI(p["cardgroup_id"]))
		if !p.has("cardgroup_id") || t == nil || t.OwnerID != o {
			return shapeC("Supplied Cardgroup_id is invalid")
		}
		n := s.newCard(t, cid, st.withoutTax(t.TaxID, new(big.Rat).Mul(amount, st.tellToSystem(t))))
		s.sell(n, t)
		return render(el("page", s.rCard(u, n)))
	}

	// PIN mode.
	pin := p["pin"]
	byPIN := func(keep func(*Card) bool) *Card {
		for _, k := range sortedRows(st.cardTabs().cards, nil) {
			if mysqlKey(k.PIN) == mysqlKey(pin) && keep(k) {
				return k
			}
		}
		return nil
	}
	if d != nil {
		du := st.users[d.UserID]
		if du == nil || du.OwnerID != o {
			return shapeC("You do not have permission to add to user's balance")
		}
		k := byPIN(func(k *Card) bool { return k.OwnerID == o })
		if k == nil {
			return shapeC("PIN number not found")
		}
		v := rat(k.Balance)
		if v.Sign() == 0 {
			return shapeC("PIN number balance is zero")
		}
		k.Sold = false
		s.topUpUser(u, du, new(big.Rat).Mul(v, st.callerRateRat(u)))
		k.Balance = "0"
		return s.rDevice(u, d, du)
	}
	if x != nil {
		gx := st.group(x.CardGroupID)
		if gx == nil {
			return nil
		}
		if gx.OwnerID != o {
			return shapeC("You do not have permission to access card")
		}
		k := byPIN(func(k *Card) bool {
			g := st.cardTabs().groups[k.CardGroupID]
			return g != nil && g.OwnerID == o && k.ID != x.ID
		})
		if k == nil {
			return shapeC("PIN number not found")
		}
		if k.CardGroupID == x.CardGroupID {
			v := rat(k.Balance)
			if v.Sign() == 0 {
				return shapeC("PIN number balance is zero")
			}
			k.Sold = false
			k.Balance = Decimal(bdString(new(big.Rat).Sub(v, rat(x.Balance))))
			s.sell(x, gx)
			x.Balance = Decimal(bdString(new(big.Rat).Add(rat(x.Balance), v)))
			return render(el("page", s.rCard(u, x), s.rCard(u, k)))
		}
		v := rat(x.Balance)
		if v.Sign() == 0 {
			return shapeC("PIN number balance is zero")
		}
		gk := st.cardTabs().groups[k.CardGroupID]
		s.sell(x, gx)
		s.sell(k, gk)
		x.Balance = "0"
		k.CallerID, x.CallerID = x.CallerID, nil
		k.Balance = Decimal(bdString(new(big.Rat).Add(rat(k.Balance), v)))
		x.Sold = false
		return render(el("page", s.rCard(u, k)))
	}
	k := byPIN(func(k *Card) bool { return k.OwnerID == o })
	if k == nil {
		return shapeC("PIN number not found")
	}
	if k.Sold {
		return render(el("page", el("error", leaf("error", "Cannot sell already sold card"))))
	}
	c := cid
	k.CallerID = &c
	s.sell(k, st.cardTabs().groups[k.CardGroupID])
	return render(el("page", s.rCard(u, k)))
}

// ccByCLIOld is cc_by_cli_old: the two first checks, then the 2018 server's
// crash (its device query names a column Rails 4.1 no longer joins).
func (s *Server) ccByCLIOld(u *User, p params) []byte {
	if u == nil || u.Type == SimpleUser {
		return shapeC("Bad login")
	}
	if rubyBlank(p["callerid"]) {
		return shapeC("Callerid must be specified")
	}
	return nil
}

// cardGroupGet is card_group_get.
func (s *Server) cardGroupGet(u *User, p params) []byte {
	st := s.st
	g := st.group(rubyToI(p["id"]))
	if g == nil || g.OwnerID != ownerO(u) {
		return shapeB("Cardgroup was not found")
	}
	price := new(big.Rat).Mul(rat(g.Price), st.callerRateRat(u))
	free := 0
	for _, k := range st.groupCards(g.ID, false) {
		if !k.Sold {
			free++
		}
	}
	return render(el("page", el("cardgroup",
		leaf("name", g.Name), leaf("iamge_link", "/billing/cards/"+g.Image), leaf("description", g.Description),
		leaf("price", st.nice(price)), leaf("price_with_tax", st.nice(new(big.Rat).Add(price, st.taxAmount(g.TaxID, price)))),
		leaf("currency", st.systemCurrency()), leafInt("free_cards_size", int64(free)),
		leafInt("pin_length", g.PINLength), leafInt("number_length", g.NumberLength))))
}

// cardFromGroupSell is card_from_group_sell.
func (s *Server) cardFromGroupSell(u *User, p params) []byte {
	st := s.st
	g := st.group(rubyToI(p["id"]))
	if g == nil || g.OwnerID != ownerO(u) {
		return shapeB("Cardgroup was not found")
	}
	number := rubyToI(p["number"])
	qty := rubyToI(p["quantity"])
	if qty < 1 {
		qty = 1
	}
	var cands []*Card
	for _, k := range st.groupCards(g.ID, false) {
		if number > 0 && rubyToI(k.Number) == number || number <= 0 && !k.Sold {
			cands = append(cands, k)
		}
	}
	// Ordered by number (string order), then id.
	sortCards(cands)
	if number > 0 {
		qty = 1
	}
	if int64(len(cands)) > qty {
		cands = cands[:qty]
	}
	if len(cands) == 0 {
		return shapeB("Free cards was not found")
	}
	if number > 0 && cands[0].Sold {
		return shapeB("Card is already sold")
	}
	var out []node
	for _, k := range cands {
		if !s.sell(k, g) {
			out = append(out, el("status", leaf("error", "Card error")))
			continue
		}
		bal := new(big.Rat).Mul(rat(k.Balance), st.callerRateRat(u))
		out = append(out, el("card", leaf("pin", k.PIN), leaf("number", k.Number),
			leaf("balance_without_vat", bdString(bal)), leaf("currency", st.systemCurrency())))
	}
	return render(el("page", el("cards", out...)))
}

func sortCards(ks []*Card) {
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && (ks[j].Number < ks[j-1].Number || ks[j].Number == ks[j-1].Number && ks[j].ID < ks[j-1].ID); j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
}

// cardBalanceGet is card_balance_get: the raw stored balance.
func (s *Server) cardBalanceGet(u *User, p params) []byte {
	st := s.st
	if u == nil {
		return shapeC("User was not found")
	}
	if u.Type != Admin && !(u.Type == Reseller && st.right(u, "calling_cards") >= RightRead) {
		return shapeC("You are not authorized to use this functionality")
	}
	var k *Card
	if p.has("number") {
		for _, c := range sortedRows(st.cardTabs().cards, nil) {
			if mysqlKey(c.Number) == mysqlKey(p["number"]) && (u.Type == Admin || c.OwnerID == u.ID) {
				k = c
				break
			}
		}
	}
	if k == nil {
		return shapeC("Calling Card was not found")
	}
	return render(el("page", el("calling_card", leaf("balance", bdString(rat(k.Balance))), leaf("currency", st.systemCurrency()))))
}

// cardPaymentAdd is card_payment_add.
func (s *Server) cardPaymentAdd(u *User, p params) []byte {
	st := s.st
	switch {
	case st.confline(0, confAPIPayments) != "1":
		return shapeB("Feature Disabled")
	case u == nil, u.Type == SimpleUser, u.Type == Accountant:
		return shapeB("Access Denied")
	case u.Type != Admin && !(u.Type == Reseller && st.right(u, "calling_cards") >= RightRead):
		return shapeB("You are not authorized to use Calling Cards")
	}
	var k *Card
	for _, c := range sortedRows(st.cardTabs().cards, nil) {
		if mysqlKey(c.Number) == mysqlKey(p["number"]) && c.OwnerID == u.ID && p.has("number") {
			k = c
			break
		}
	}
	if k == nil || !k.Sold {
		return shapeB("Calling Card was not found")
	}
	sys := st.systemCurrency()
	chosen := sys
	if c := p["currency"]; c != "" && st.currencyRate(c) != nil {
		for _, cur := range st.currencies {
			if strings.EqualFold(cur.Name, c) {
				chosen = cur.Name
			}
		}
	}
	g := st.cardTabs().groups[k.CardGroupID]
	if g == nil || g.Hidden {
		return nil
	}
	r := big.NewRat(1, 1)
	if chosen != sys {
		r = new(big.Rat).Quo(st.currencyRate(chosen), st.currencyRate(sys))
	}
	amount := rat(Decimal(rubyToD(p["amount"]).String()))
	gross := new(big.Rat).Quo(amount, r)
	net := st.withoutTax(g.TaxID, gross)
	prev := new(big.Rat).Mul(rat(k.Balance), st.callerRateRat(u))
	put(st, st.cardTabs().payments, CardPayment{PaymentType: "Card", Card: true, UserID: k.ID, Amount: Decimal(bdString(amount)),
		Currency: chosen, Tax: Decimal(bdString(st.taxAmount(g.TaxID, amount))), OwnerID: correctedOwner(u),
		Description: p["description"], Completed: true, DateAdded: s.now()}, true)
	newBal := new(big.Rat).Add(prev, net)
	k.Balance = Decimal(bdString(new(big.Rat).Quo(newBal, st.callerRateRat(u))))
	details := []node{leaf("current_balance", bdString(prev))}
	if chosen != sys {
		details = append(details, leaf("converted_to", sys), leaf("exchange_rate", bdString(r)))
	}
	details = append(details, leaf("amount_with_tax", bdString(gross)), leaf("amount_without_tax", bdString(net)),
		leaf("new_balance", bdString(newBal)), leaf("description", p["description"]))
	return render(el("page",
		el("status", leaf("success", "Calling Card balance successfully updated")),
		el("calling_card_group", leaf("name", g.Name)),
		el("calling_card", leaf("number", k.Number)),
		el("add_payment", leaf("currency", chosen), leaf("amount_with_tax", bdString(amount)), el("details", details...))))
}

// cardsAccess is calling_cards_get's and cc_groups_get's access rule: "" when
// allowed, else the refusal.
func (st *state) cardsAccess(u *User, accountantRight string, want Right) string {
	switch {
	case u == nil:
		return "Access Denied"
	case u.Type == Admin:
		return ""
	case u.Type == Accountant:
		if st.right(u, accountantRight) >= want {
			return ""
		}
		return "You are not authorized to use this functionality"
	case u.Type == Reseller:
		if st.right(u, "calling_cards") == RightEdit {
			return ""
		}
		return "You are not authorized to use this functionality"
	}
	return "Access Denied"
}

// visibleGroups are the caller's non-hidden groups in id order.
func (st *state) visibleGroups(u *User) []*CardGroup {
	return sortedRows(st.cardTabs().groups, func(g *CardGroup) bool {
		return !g.Hidden && (u.Type == Admin || g.OwnerID == correctedOwner(u))
	})
}

// likeMatch is MySQL LIKE, case-insensitive, with % and _.
func likeMatch(v, pattern string) bool {
	v, pattern = strings.ToLower(v), strings.ToLower(pattern)
	if pattern == "" {
		return v == ""
	}
	switch pattern[0] {
	case '%':
		for i := 0; i <= len(v); i++ {
			if likeMatch(v[i:], pattern[1:]) {
				return true
			}
		}
		return false
	case '_':
		return v != "" && likeMatch(v[1:], pattern[1:])
	}
	return v != "" && v[0] == pattern[0] && likeMatch(v[1:], pattern[1:])
}

// callingCardsGet is calling_cards_get.
func (s *Server) callingCardsGet(u *User, p params) []byte {
	st := s.st
	if msg := st.cardsAccess(u, "callingcard_manage", RightRead); msg != "" {
		return shapeB(msg)
	}
	showPIN := u.Type == Admin || u.Type == Reseller
	if u.Type == Accountant {
		showPIN = st.right(u, "callingcard_pin") != RightNone
	}
	keep := func(k *Card) bool {
		for _, f := range []struct {
			param string
			col   *string
		}{{"number", &k.Number}, {"name", &k.Name}, {"pin", &k.PIN}, {"batch_number", k.BatchNumber}, {"callerid", k.CallerID}} {
			if v := p[f.param]; !rubyBlank(v) && (f.col == nil || !likeMatch(*f.col, v)) {
				return false
			}
		}
		bal := rat(k.Balance)
		if v := p["min_balance"]; !rubyBlank(v) && bal.Cmp(rat(Decimal(rubyToD(strings.ReplaceAll(v, ",", ".")).String()))) < 0 {
			return false
		}
		if v := p["max_balance"]; !rubyBlank(v) && bal.Cmp(rat(Decimal(rubyToD(strings.ReplaceAll(v, ",", ".")).String()))) > 0 {
			return false
		}
		if v := p["language"]; !rubyBlank(v) && v != "All" && k.Language != v {
			return false
		}
		if v := p["sold"]; v == "yes" && !k.Sold || v == "no" && k.Sold {
			return false
		}
		if v := p["distributor"]; !rubyBlank(v) && rubyToI(v) != -1 && k.UserID != rubyToI(v) {
			return false
		}
		return true
	}
	var groups []node
	for _, g := range st.visibleGroups(u) {
		var cards []node
		for _, k := range st.groupCards(g.ID, false) {
			if !keep(k) {
				continue
			}
			kids := []node{leafInt("card_id", k.ID), leaf("card_number", k.Number), leaf("card_name", k.Name)}
			if showPIN {
				kids = append(kids, leaf("card_pin", k.PIN))
			}
			kids = append(kids, leafPtr("card_batch_number", k.BatchNumber), leafPtr("card_callerid", k.CallerID),
				leaf("card_balance", bdString(rat(k.Balance))), leaf("card_minimal_balance", bdString(rat(k.MinBalance))),
				leaf("card_first_use", wall(k.FirstUse)), leaf("card_daily_charge_paid_till", wall(k.DailyChargePaidTill)),
				leaf("card_sold", boolDigit(k.Sold)), leaf("card_language", k.Language))
			if k.UserID != -1 {
				du := st.users[k.UserID]
				if du == nil {
					return nil
				}
				name := du.FirstName + " " + du.LastName
				if len(name) < 2 {
					name = du.Username
				}
				kids = append(kids, leaf("card_distributor", name))
			}
			cards = append(cards, el("card", kids...))
		}
		if len(cards) > 0 {
			groups = append(groups, el("cards", cards...))
		}
	}
	if len(groups) == 0 {
		return shapeB("Cards were not found")
	}
	return render(el("page", groups...))
}

func wall(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateTime)
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// callingCardsCreate is calling_cards_create.
func (s *Server) callingCardsCreate(u *User, p params) []byte {
	st := s.st
	if u == nil {
		return shapeB("Access Denied")
	}
	code := 2
	switch u.Type {
	case Admin:
		code = 0
	case Accountant:
		code = map[bool]int{true: 0, false: 1}[st.right(u, "callingcard_manage") >= RightRead]
	case Reseller:
		code = map[bool]int{true: 0, false: 1}[st.right(u, "calling_cards") == RightEdit]
	}
	if code == 1 {
		return shapeB("You are not authorized to use this functionality")
	}
	if code == 2 {
		return shapeB("Access Denied")
	}
	g := st.group(rubyToI(p["card_group_id"]))
	if g == nil || u.Type != Admin && g.OwnerID != correctedOwner(u) {
		return shapeB("Card Group was not found")
	}
	from, till := p["cards_from"], p["cards_till"]
	switch {
	case rubyBlank(from):
		return shapeB("Cards from was not found")
	case rubyBlank(till):
		return shapeB("Cards till was not found")
	case !allDigits(from) || int64(len(from)) != g.NumberLength:
		return shapeB("Cards from is in incorrect format")
	case !allDigits(till) || int64(len(till)) != g.NumberLength:
		return shapeB("Cards till is in incorrect format")
	case till < from:
		return shapeB("Cards from must not be greater than Cards till")
	}
	lo, _ := new(big.Int).SetString(from, 10)
	hi, _ := new(big.Int).SetString(till, 10)
	total := new(big.Int).Add(new(big.Int).Sub(hi, lo), big.NewInt(1))
	pinsUsed := int64(0)
	existing := map[string]bool{}
	e := 0
	for _, k := range st.cardTabs().cards {
		if int64(len(k.PIN)) == g.PINLength {
			pinsUsed++
		}
		if kg := st.group(k.CardGroupID); kg == nil {
			continue
		}
		if n, ok := new(big.Int).SetString(k.Number, 10); ok && n.Cmp(lo) >= 0 && n.Cmp(hi) <= 0 {
			existing[k.Number] = true
			e++
		}
	}
	avail := int64(pow10f(g.PINLength)*0.2) - pinsUsed
	if !total.IsInt64() || big.NewInt(avail).Cmp(total) < 0 {
		return shapeB("PIN is too short for this interval")
	}
	minBal := "0"
	if v := p["min_balance"]; v != "" && cardNumeric(v) {
		minBal = rubyToD(strings.TrimSpace(v)).String()
	}
	lang := "en"
	if p.has("language") {
		lang = p["language"]
	}
	batch := p["batch_number"]
	distributor := int64(-1)
	if p.has("distributor_id") {
		if du := st.users[rubyToI(p["distributor_id"])]; du != nil && du.Type == SimpleUser {
			want := correctedOwner(u)
			if u.Type == Admin {
				want = g.OwnerID
			}
			if du.OwnerID == want {
				distributor = du.ID
			}
		}
	}
	created := 0
	width := len(from)
	for n := new(big.Int).Set(lo); n.Cmp(hi) <= 0; n.Add(n, big.NewInt(1)) {
		num := fmt.Sprintf("%0*s", width, n.String())
		if existing[num] {
			continue
		}
		var pin string
		for pin == "" || st.pinUsed(pin) {
			pin = randomDigits(g.PINLength)
		}
		b := batch
		put(st, st.cardTabs().cards, Card{CardGroupID: g.ID, Number: num, PIN: pin, Balance: g.Price, MinBalance: Decimal(minBal),
			FrozenBalance: "0", OwnerID: correctedOwner(u), UserID: distributor, Language: lang, BatchNumber: &b}, true)
		created++
	}
	if created == 0 {
		return shapeB("Cards already exist")
	}
	return render(el("page", el("status", leaf("status", "Cards created: "+strconv.Itoa(created)+"/"+strconv.Itoa(created+e)))))
}

func (st *state) pinUsed(pin string) bool {
	for _, k := range st.cardTabs().cards {
		if k.PIN == pin {
			return true
		}
	}
	return false
}

func pow10f(n int64) float64 {
	f := 1.0
	for range n {
		f *= 10
	}
	return f
}

// cardNumeric is the card calls' numeric check, Ruby's Float() on a plain
// decimal with an optional exponent, surrounding white space allowed.
func cardNumeric(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" {
		return false
	}
	_, err := strconv.ParseFloat(v, 64)
	return err == nil && !strings.ContainsAny(v, "xXnNiIpP_")
}

// callingCardUpdate is calling_card_update.
func (s *Server) callingCardUpdate(u *User, p params) []byte {
	st := s.st
	switch {
	case u == nil:
		return shapeB("Access Denied")
	case u.Type == Admin:
	case u.Type == Accountant && st.right(u, "callingcard_manage") != RightEdit,
		u.Type == Reseller && st.right(u, "calling_cards") != RightEdit:
		return shapeB("You are not authorized to use this functionality")
	case u.Type != Accountant && u.Type != Reseller:
		return shapeB("Access Denied")
	}
	if !allDigits(p["card_id"]) {
		return shapeB("Wrong Calling Card ID")
	}
	k0 := st.cardTabs().cards[rubyToI(p["card_id"])]
	if k0 == nil {
		return shapeA("There is no such API")
	}
	g := st.group(k0.CardGroupID)
	if g == nil {
		return nil
	}
	if u.Type != Admin && g.OwnerID != correctedOwner(u) {
		return shapeB("Calling Card was not found")
	}
	k := k0.clone()
	other := func(keep func(*Card) bool) bool {
		for _, c := range st.cardTabs().cards {
			if c.ID != k.ID && keep(c) {
				return true
			}
		}
		return false
	}
	if v := p["number"]; !rubyBlank(v) {
		switch {
		case !allDigits(v):
			return shapeB("Calling Card number must be numerical")
		case other(func(c *Card) bool { return c.Number == v }):
			return shapeB("Number is already taken")
		case int64(len(v)) != g.NumberLength:
			return shapeB("Bad number length, should be: " + strconv.FormatInt(g.NumberLength, 10))
		}
		k.Number = v
	}
	if v := p["name"]; !rubyBlank(v) {
		k.Name = v
	}
	if p.has("pin") {
		v := p["pin"]
		switch {
		case rubyBlank(v):
			return shapeB("Card PIN is blank")
		case int64(len(v)) != g.PINLength:
			return shapeB("Bad PIN length, should be: " + strconv.FormatInt(g.PINLength, 10))
		case other(func(c *Card) bool { return c.PIN == v }):
			return shapeB("PIN is already taken")
		}
		if u.Type != Accountant || st.right(u, "callingcard_pin") == RightEdit {
			k.PIN = v
		}
	}
	if v := p["batch_number"]; !rubyBlank(v) {
		k.BatchNumber = &v
	}
	if v := p["callerid"]; !rubyBlank(v) {
		if other(func(c *Card) bool { return c.CallerID != nil && mysqlKey(*c.CallerID) == mysqlKey(v) }) {
			return shapeB("CallerID must be unique")
		}
		k.CallerID = &v
	}
	if v := p["min_balance"]; !rubyBlank(v) {
		if !cardNumeric(v) {
			return shapeB("Balance is not a numerical value")
		}
		f, _ := new(big.Rat).SetString(strings.TrimSpace(v))
		if f == nil || f.Sign() <= 0 {
			return shapeB("Bad minimal balance")
		}
		k.MinBalance = Decimal(bdString(f))
	}
	if v := p["daily_charge_paid_till"]; !rubyBlank(v) {
		sv := strings.TrimPrefix(strings.TrimPrefix(v, "-"), "+")
		if !allDigits(sv) {
			return shapeB("Wrong date entered")
		}
		t := time.Unix(rubyToI(v), 0).UTC()
		k.DailyChargePaidTill = &t
	}
	if v := p["language"]; !rubyBlank(v) {
		k.Language = v
	}
	if v := p["distributor"]; !rubyBlank(v) {
		if !allDigits(v) {
			return shapeB("Wrong distributor")
		}
		k.UserID = -1
		if du := st.users[rubyToI(v)]; du != nil && du.Type == SimpleUser && du.OwnerID == correctedOwner(u) {
			k.UserID = du.ID
		}
	}
	*k0 = k
	return success("Calling Card successfully updated")
}

// ccGroupsGet is cc_groups_get.
func (s *Server) ccGroupsGet(u *User, p params) []byte {
	st := s.st
	if msg := st.cardsAccess(u, "callingcard_manage", RightRead); msg != "" {
		return shapeB(msg)
	}
	groups := st.visibleGroups(u)
	if p.has("cc_group_id") {
		if !allDigits(p["cc_group_id"]) {
			return shapeB("Wrong Calling Cards Group ID")
		}
		id := rubyToI(p["cc_group_id"])
		var one []*CardGroup
		for _, g := range groups {
			if g.ID == id {
				one = append(one, g)
			}
		}
		groups = one
	}
	if len(groups) == 0 {
		return shapeB("Calling Cards Groups were not found")
	}
	var out []node
	for _, g := range groups {
		t := st.tariffs[g.TariffID]
		l := st.lcrs[g.LCRID]
		if t == nil || l == nil && g.LCRID != 0 {
			return nil
		}
		price := rat(g.Price)
		kids := []node{leafInt("group_id", g.ID), leaf("group_image", g.Image), leaf("group_name", g.Name),
			leaf("group_description", g.Description),
			leaf("group_number_pin_length", strconv.FormatInt(g.NumberLength, 10)+"/"+strconv.FormatInt(g.PINLength, 10)),
			leaf("group_tarrif", t.Name)}
		if l != nil && l.UserID == u.ID && (u.Type == Admin || u.Type == Reseller) {
			kids = append(kids, leaf("group_lcr", l.Name))
		}
		kids = append(kids, leaf("group_price", bdString(new(big.Rat).Add(price, st.taxAmount(g.TaxID, price)))),
			leaf("group_price_without_tax", bdString(price)), leafInt("group_cards_count", int64(len(st.groupCards(g.ID, true)))))
		out = append(out, el("cc_group", kids...))
	}
	return render(el("page", el("cc_groups", out...)))
}

// ccGroupAccess is cc_groups_action's access rule ("" allowed).
func (st *state) ccGroupAccess(u *User) string {
	switch u.Type {
	case Admin:
		return ""
	case Reseller:
		if st.right(u, "calling_cards") == RightEdit {
			return ""
		}
		return "You are not authorized to use this functionality"
	case Accountant:
		if st.right(u, "see_financial_data") >= RightRead {
			return ""
		}
		return "You are not authorized to use this functionality"
	}
	return "Access Denied"
}

// taxFlagsCheck is validate_tax_params: run before everything else.
func taxFlagsCheck(p params) string {
	for _, f := range [][2]string{{"tax2_enabled", "TAX 2 enabling value is incorrect format"},
		{"tax3_enabled", "TAX 3 enabling value is incorrect format"}, {"tax4_enabled", "TAX 4 enabling value is incorrect format"},
		{"compound_tax", "Compound TAX enabling value is incorrect format"}} {
		if p.has(f[0]) && p[f[0]] != "0" && p[f[0]] != "1" {
			return f[1]
		}
	}
	return ""
}

// groupFields applies the cc_group_* fields in the server's order, or
// returns the first refusal.
func (s *Server) groupFields(u *User, g *CardGroup, p params, create bool) string {
	st := s.st
	for _, f := range []struct {
		name, msg string
		dst       *bool
	}{{"use_external_function", "Use external function is incorrect format", &g.UseExternalFunction},
		{"allow_loss_calls", "Allow loss calls is incorrect format", &g.AllowLossCalls},
		{"tell_cents", "Tell cents is incorrect format", &g.TellCents},
		{"solo_pinless", "Solo pinless is incorrect format", &g.SoloPinless},
		{"disable_voucher", "Disable voucher is incorrect format", &g.DisableVoucher},
		{"callerid_leave", "CallerID leave is incorrect format", &g.CallerIDLeave}} {
		if p.has(f.name) {
			if p[f.name] != "0" && p[f.name] != "1" {
				return f.msg
			}
			*f.dst = p[f.name] == "1"
		}
	}
	now := s.now()
	limit := time.Date(2100, now.Month(), now.Day(), now.Hour(), now.Minute(), now.Second(), 0, time.UTC)
	unix := func(v string) (time.Time, bool) {
		sv := strings.TrimPrefix(strings.TrimPrefix(v, "-"), "+")
		if !allDigits(sv) {
			return time.Time{}, false
		}
		t := time.Unix(rubyToI(v), 0).UTC()
		return t, t.Before(limit)
	}
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	var from time.Time
	if p.has("date_from") {
		t, ok := unix(p["date_from"])
		if !ok {
			return "Date from is incorrect format"
		}
		from = t
		g.ValidFrom = t
		if !p.has("date_till") && t.After(midnight) {
			return "Date from is greater than date till"
		}
	}
	if p.has("date_till") {
		t, ok := unix(p["date_till"])
		if !ok {
			return "Time till is incorrect format"
		}
		if !(p.has("date_from") && !t.Before(from) || !t.Before(midnight)) {
			return "Date from is greater than date till"
		}
		g.ValidTill = t
	}
	if p.has("tariff_id") {
		t := st.tariffs[rubyToI(p["tariff_id"])]
		if t == nil || u.Type == Reseller && t.OwnerID == 0 {
			return "Tariff was not found"
		}
		g.TariffID = t.ID
	}
	if p.has("lcr_id") {
		l := st.lcrs[rubyToI(p["lcr_id"])]
		if l == nil || u.Type == Reseller && l.UserID == 0 {
			return "LCR was not found"
		}
		g.LCRID = l.ID
	}
	if p.has("location_id") {
		l := st.locations[rubyToI(p["location_id"])]
		if l == nil || u.Type == Reseller && l.UserID == 0 {
			return "Location was not found"
		}
		g.LocationID = l.ID
	}
	if p.has("tell_balance_in_currency") {
		if st.currencyRate(p["tell_balance_in_currency"]) == nil {
			return "Currency was not found"
		}
		g.TellBalanceInCurrency = strings.ToUpper(p["tell_balance_in_currency"])
	}
	if p.has("valid_after_first_use") {
		if len(p["valid_after_first_use"]) > 4 {
			return "Valid after is incorrect format"
		}
		g.ValidAfterFirstUse = rubyToI(p["valid_after_first_use"])
	}
	rate := st.callerRateRat(u)
	money := func(name string, dst *Decimal, convert bool) {
		if p.has(name) {
			v := rat(Decimal(rubyToD(p[name]).String()))
			if convert {
				v.Quo(v, rate)
			}
			*dst = Decimal(bdString(v))
		}
	}
	money("price_with_vat", &g.Price, true)
	money("setup_fee", &g.SetupFee, true)
	money("daily_charge", &g.DailyCharge, true)
	money("ghost_min_perc", &g.GhostMinPerc, false)
	money("ghost_balance_perc", &g.GhostBalancePerc, false)
	if v, ok := p["description"]; ok {
		g.Description = v
	}
	if create && p.has("number_length") {
		g.NumberLength = rubyToI(p["number_length"])
	}
	return ""
}

// applyTax writes the tax fields present (all of them on create).
func applyTax(t *Tax, p params, create bool) {
	str := func(name string, dst *string) {
		if p.has(name) || create {
			*dst = p[name]
		}
	}
	dec := func(name string, dst *Decimal) {
		if p.has(name) || create {
			*dst = Decimal(rubyToD(p[name]).String())
		}
	}
	flag := func(name string, dst *bool, def bool) {
		if p.has(name) {
			*dst = p[name] == "1"
		} else if create {
			*dst = def
		}
	}
	t.Tax1Enabled = true
	str("tax1_name", &t.Tax1Name)
	str("tax2_name", &t.Tax2Name)
	str("tax3_name", &t.Tax3Name)
	str("tax4_name", &t.Tax4Name)
	str("total_tax_name", &t.TotalTaxName)
	dec("tax1_value", &t.Tax1Value)
	dec("tax2_value", &t.Tax2Value)
	dec("tax3_value", &t.Tax3Value)
	dec("tax4_value", &t.Tax4Value)
	flag("tax2_enabled", &t.Tax2Enabled, false)
	flag("tax3_enabled", &t.Tax3Enabled, false)
	flag("tax4_enabled", &t.Tax4Enabled, false)
	flag("compound_tax", &t.CompoundTax, true)
	if rubyBlank(t.TotalTaxName) {
		t.TotalTaxName = "TAX"
	}
	if rubyBlank(t.Tax1Name) {
		t.Tax1Name = t.TotalTaxName
	}
}

// groupSaveCheck is the model's validations on save (first message wins).
func (st *state) groupSaveCheck(g *CardGroup, pinLength string) string {
	for _, o := range st.cardTabs().groups {
		if o.ID != g.ID && strings.EqualFold(o.Name, g.Name) {
			return "Card Group name must be unique"
		}
	}
	if rubyBlank(g.Name) || st.tariffs[g.TariffID] == nil {
		return "Card Group must have name"
	}
	if !g.ValidTill.After(g.ValidFrom) {
		return "Date from is greater than date till"
	}
	if pinLength != "" {
		if strings.Trim(pinLength, "0123456789.-") != "" {
			return "PIN length must consist only of digits"
		}
		n := rubyToI(pinLength)
		if n == 0 {
			return "PIN length must be greater than 0"
		}
		if n < 1 || n > 30 {
			return "PIN length can be between 1 and 30"
		}
	}
	return ""
}

// ccGroupCreate is cc_group_create.
func (s *Server) ccGroupCreate(u *User, p params) []byte {
	st := s.st
	if msg := taxFlagsCheck(p); msg != "" {
		return shapeB(msg)
	}
	if u == nil {
		return shapeC("Access Denied")
	}
	if msg := st.ccGroupAccess(u); msg != "" {
		return shapeB(msg)
	}
	if rubyBlank(p["name"]) {
		return render(el("page", el("status", leaf("status", "Card Group must have name"))))
	}
	now := s.now()
	lcr := int64(0)
	for _, l := range sortedRows(st.lcrs, nil) {
		lcr = l.ID
		break
	}
	cur := st.systemCurrency()
	if c := st.currencies[u.CurrencyID]; c != nil {
		cur = c.Name
	}
	g := CardGroup{Name: p["name"], Price: "0", SetupFee: "0", DailyCharge: "0", GhostMinPerc: "100", GhostBalancePerc: "100",
		TariffID: 1, LCRID: lcr, LocationID: 1, NumberLength: 10, PINLength: 6, Image: "example.jpg",
		OwnerID: correctedOwner(u), TellBalanceInCurrency: cur, CreatedAt: now,
		ValidFrom: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location()), ValidTill: now}
	if msg := s.groupFields(u, &g, p, true); msg != "" {
		return shapeB(msg)
	}
	pinLength := "6"
	if p.has("pin_length") {
		pinLength = p["pin_length"]
	}
	if msg := st.groupSaveCheck(&g, pinLength); msg != "" {
		return shapeB(msg)
	}
	g.PINLength = rubyToI(pinLength)
	var t Tax
	applyTax(&t, p, true)
	g.TaxID = put(st, st.taxes, t, true)
	put(st, st.cardTabs().groups, g, true)
	return success("Card Group was successfully created")
}

// ccGroupUpdate is cc_group_update.
func (s *Server) ccGroupUpdate(u *User, p params) []byte {
	st := s.st
	if msg := taxFlagsCheck(p); msg != "" {
		return shapeB(msg)
	}
	if u == nil {
		return shapeC("Access Denied")
	}
	if msg := st.ccGroupAccess(u); msg != "" {
		return shapeB(msg)
	}
	var g0 *CardGroup
	if allDigits(p["cc_group_id"]) {
		if g := st.group(rubyToI(p["cc_group_id"])); g != nil && (u.Type == Admin || g.OwnerID == correctedOwner(u)) {
			g0 = g
		}
	}
	if g0 == nil {
		return shapeB("Card Group was not found")
	}
	g := *g0
	if v, ok := p["name"]; ok && !rubyBlank(v) {
		g.Name = v
	}
	if msg := s.groupFields(u, &g, p, false); msg != "" {
		return shapeB(msg)
	}
	if p.has("tax_id") {
		if st.taxes[rubyToI(p["tax_id"])] == nil {
			return shapeB("TAX was not found")
		}
		g.TaxID = rubyToI(p["tax_id"])
	}
	t := st.taxes[g.TaxID]
	if t == nil {
		return nil
	}
	applyTax(t, p, false)
	if msg := st.groupSaveCheck(&g, ""); msg != "" {
		return shapeB(msg)
	}
	*g0 = g
	return success("Card Group was successfully updated")
}
