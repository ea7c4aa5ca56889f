package mortest

import (
	"math/big"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// smsActions are the SMS endpoints, all check_user.
var smsActions = endpoints{
	"sms_send":                   {run: (*Server).smsSend, caller: byU, hash: true},
	"user_sms_get":               {run: simple((*Server).userSMSGet), caller: byU, hash: true},
	"user_sms_service_subscribe": {run: simple((*Server).userSMSServiceSubscribe), caller: byU, hash: true},
}

// smsTips are sms_status_code_tip's texts for the codes the fake produces.
var smsTips = map[string]string{
	"0": "SMS is sent", "1": "System owner does not have rate for this destination",
	"2": "Reseller does not have rate for this destination", "3": "User does not have rate for this destination",
	"4": "Some error from provider", "5": "Insufficient balance", "6": "API returns no good keywords",
	"400": "Caller ID is not present in primary device", "401": "Caller ID cannot be longer than 11 characters",
}

func smsTip(code string) string {
	if t, ok := smsTips[code]; ok {
		return t
	}
	return "SMS was not sent"
}

// smsSend is sms_send: the add-on gate (even for an unknown caller), the
// checks, then a stored message whose outcome SetSMSOutcome decides.
func (s *Server) smsSend(c *call) []byte {
	st := s.st
	if st.confline(0, confSMSActive) != "1" {
		return shapeA("Access Denied")
	}
	u, p := c.caller, c.p
	switch {
	case u == nil:
		return shapeC("Bad login")
	case u.Type != SimpleUser:
		return shapeC("Access Denied")
	case !u.SMSServiceActive:
		return shapeC("You are not subscribed to sms service")
	case st.cardTabs().smsLCRs[rubyToI(p["lcr_id"])] == nil:
		return shapeC("There is no such LCR")
	case !p.has("dst"):
		return shapeC("Wrong destination")
	case !p.has("src"):
		return shapeC("Wrong source")
	case !p.has("message"):
		return shapeC("There is no message or it is empty")
	}
	msg, err := url.PathUnescape(strings.ReplaceAll(p["message"], "+", "%2B"))
	if err != nil {
		msg = p["message"]
	}
	parts := int64((utf8.RuneCountInString(msg) + 159) / 160)
	tabs := st.cardTabs()
	id := put(st, tabs.sms, SMSMessage{SendingDate: s.now(), UserID: u.ID, ResellerID: u.OwnerID, Number: p["dst"],
		ProviderRate: "0", ProviderPrice: "0", UserRate: "0", UserPrice: "0", ResellerRate: "0", ResellerPrice: "0"}, true)
	m := tabs.sms[id]
	out := tabs.outcome
	failed := func(detail string) []byte {
		kids := []node{leafInt("message_id", m.ID), leaf("sms_status_code_tip", smsTip(m.StatusCode))}
		if detail != "" {
			kids = append(kids, leaf("error_message", detail))
		}
		return render(el("page", el("error", el("message", kids...))))
	}
	if !allDigits(p["dst"]) {
		return failed("Mysql2::Error: You have an error in your SQL syntax")
	}
	if out.Fail != "" {
		return failed(out.Fail)
	}
	status := out.Status
	if status == "" {
		status = "1"
	}
	if status == "0" {
		rate := rat(out.UserRate)
		price := new(big.Rat).Mul(rate, big.NewRat(parts, 1))
		bal := new(big.Rat).Sub(rat(u.Balance), price)
		credit := rat(u.Credit)
		switch {
		case !u.Postpaid && bal.Sign() < 0,
			u.Postpaid && credit.Cmp(big.NewRat(-1, 1)) > 0 && bal.Cmp(new(big.Rat).Neg(credit)) < 0:
			status = "5"
		default:
			m.UserRate, m.UserPrice = Decimal(st.nice(rate)), Decimal(st.nice(price))
			u.Balance = Decimal(bdString(new(big.Rat).Sub(rat(u.Balance), rat(m.UserPrice))))
		}
	}
	m.StatusCode = status
	if status != "0" {
		return failed("")
	}
	cur := st.systemCurrency()
	if cc := st.currencies[u.CurrencyID]; cc != nil {
		cur = cc.Name
	}
	price := new(big.Rat).Mul(rat(m.UserPrice), st.callerRateRat(u))
	return render(el("page", el("response", leaf("status", "ok"), el("message", leafInt("message_id", m.ID),
		leaf("sms_status_code_tip", smsTip("0")), leaf("price", st.nice(price)), leaf("currency", cur)))))
}

// userSMSGet is user_sms_get.
func (s *Server) userSMSGet(u *User, p params) []byte {
	st := s.st
	switch {
	case u == nil:
		return shapeB("Access Denied")
	case u.Type != Admin && !u.SMSServiceActive:
		return shapeB("You are not authorized to use this functionality")
	}
	now := s.now()
	day := func(v string, end bool) time.Time {
		if allDigits(v) {
			t := time.Unix(rubyToI(v), 0).In(s.loc)
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, s.loc)
		}
		if end {
			return time.Date(now.Year(), now.Month(), now.Day(), 23, 59, 59, 0, s.loc)
		}
		return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, s.loc)
	}
	from, till := day(p["from"], false), day(p["till"], true)
	num := func(name string) (string, bool) {
		v := p[name]
		return v, allDigits(v)
	}
	numEq := func(col, v string) bool {
		a, ok1 := new(big.Rat).SetString(strings.TrimPrefix(col, "+"))
		b, ok2 := new(big.Rat).SetString(v)
		return ok1 && ok2 && a.Cmp(b) == 0
	}
	var rows []node
	for _, m := range sortedRows(st.cardTabs().sms, nil) {
		if m.SendingDate.Before(from) || m.SendingDate.After(till) {
			continue
		}
		switch u.Type {
		case SimpleUser:
			if m.UserID != u.ID {
				continue
			}
		case Reseller:
			if m.ResellerID != u.ID {
				continue
			}
		case Partner:
			continue
		}
		if u.Type != SimpleUser {
			if v, ok := num("user_id"); ok && m.UserID != rubyToI(v) {
				continue
			}
			if v, ok := num("reseller_id"); ok && u.Type != Reseller && m.ResellerID != rubyToI(v) {
				continue
			}
		}
		if v, ok := num("status_code"); ok && !numEq(m.StatusCode, v) {
			continue
		}
		if v, ok := num("provider_id"); ok && (m.ProviderID == nil || *m.ProviderID != rubyToI(v)) {
			continue
		}
		if v, ok := num("prefix"); ok && (m.Prefix == nil || !numEq(*m.Prefix, v)) {
			continue
		}
		if v, ok := num("number"); ok && !numEq(m.Number, v) {
			continue
		}
		str := func(p *string) string {
			if p == nil {
				return ""
			}
			return *p
		}
		prov := ""
		if m.ProviderID != nil {
			prov = strconv.FormatInt(*m.ProviderID, 10)
		}
		bd := func(d Decimal) string { return bdString(rat(d)) }
		kids := []node{leafInt("id", m.ID), leaf("sending_date", formatTime(m.SendingDate, s.loc)), leaf("status_code", m.StatusCode)}
		if u.Type == Admin || u.Type == Accountant {
			kids = append(kids, leaf("provider_id", prov), leaf("provider_rate", bd(m.ProviderRate)), leaf("provider_price", bd(m.ProviderPrice)))
		}
		kids = append(kids, leafInt("user_id", m.UserID), leaf("user_rate", bd(m.UserRate)), leaf("user_price", bd(m.UserPrice)))
		switch u.Type {
		case Admin, Accountant, Partner:
			kids = append(kids, leafInt("reseller_id", m.ResellerID), leaf("reseller_rate", bd(m.ResellerRate)), leaf("reseller_price", bd(m.ResellerPrice)))
		case Reseller:
			kids = append(kids, leaf("self_cost_rate", bd(m.ResellerRate)), leaf("self_cost_price", bd(m.ResellerPrice)))
		}
		kids = append(kids, leaf("prefix", str(m.Prefix)), leaf("number", m.Number), leaf("clickatell_message_id", str(m.ClickatellMessageID)))
		rows = append(rows, el("sms_message", kids...))
	}
	if len(rows) == 0 {
		return shapeB("Sms Mesagges were not found")
	}
	return render(el("page", el("sms_messages", rows...)))
}

// userSMSServiceSubscribe is user_sms_service_subscribe.
func (s *Server) userSMSServiceSubscribe(u *User, p params) []byte {
	st := s.st
	tabs := st.cardTabs()
	switch {
	case st.confline(0, confSMSActive) != "1",
		u == nil, u.Type != Admin && u.Type != Reseller:
		return shapeB("Access Denied")
	case u.Type == Reseller && (st.right(u, "sms_addon") != RightEdit || !u.SMSServiceActive):
		return shapeB("You are not authorized to use this functionality")
	}
	t := st.users[rubyToI(p["user_id"])]
	if t == nil || t.Type != SimpleUser && t.Type != Reseller {
		return nil
	}
	if u.Type == Reseller && t.OwnerID != u.ID {
		return shapeB("User was not found")
	}
	var owner *User
	if t.OwnerID != 0 {
		owner = st.users[t.OwnerID]
	}
	if u.Type == Admin && owner != nil && owner.Type == Reseller && !owner.SMSServiceActive {
		return shapeB("Reseller does not have SMS Subscription")
	}
	tariff := tabs.tariffs[rubyToI(p["sms_tariff_id"])]
	if rubyBlank(p["sms_tariff_id"]) || tariff == nil || tariff.OwnerID != t.OwnerID || tariff.TariffType != "user" {
		return shapeB("SMS Tariff was not found")
	}
	if u.Type == Admin && (rubyBlank(p["sms_lcr_id"]) || tabs.smsLCRs[rubyToI(p["sms_lcr_id"])] == nil) {
		return shapeB("SMS LCR was not found")
	}
	if t.SMSServiceActive {
		return shapeB("User is already subscribed to SMS service")
	}
	t.SMSServiceActive = true
	return success("User successfully subscribed to SMS service")
}
