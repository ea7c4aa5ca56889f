package mortest

import (
	"math/big"
	"strconv"
	"strings"
	"time"
)

// The calling-card and SMS tables, their seeding and inspection methods
// (AddX stores a copy, ID 0 takes the next AUTO_INCREMENT id; X returns a
// copy; Xs every row in id order; RemoveX deletes without cascade; UpdateX
// edits a copy in place) and the add-on switches.

// CardGroup is one row of the cardgroups table. Money columns are in the
// system currency (currency 1).
type CardGroup struct {
	ID          int64  // primary key (id)
	Name        string // unique among all groups, hidden ones too
	Description string // description (description)
	// Price is a new card's balance, without tax.
	Price            Decimal   // price
	SetupFee         Decimal   // setup_fee
	DailyCharge      Decimal   // daily_charge
	GhostMinPerc     Decimal   // ghost_min_perc
	GhostBalancePerc Decimal   // ghost_balance_perc
	TariffID         int64     // tariff (tariff_id)
	LCRID            int64     // LCR (lcr_id)
	LocationID       int64     // location (location_id)
	ValidFrom        time.Time // valid_from
	ValidTill        time.Time // valid_till
	NumberLength     int64     // card number length (number_length)
	PINLength        int64     // PIN length (pin_length)
	Image            string    // file name under Web_Dir/cards/
	OwnerID          int64     // 0: the admin's (and accountants'); else a reseller
	TaxID            int64     // taxes row; 0 or missing reads as no tax
	// TellBalanceInCurrency is the currency top-ups of this group's cards
	// are given in and card payments recorded in.
	TellBalanceInCurrency string
	ValidAfterFirstUse    int64     // valid_after_first_use
	UseExternalFunction   bool      // use_external_function
	AllowLossCalls        bool      // allow_loss_calls
	CallerIDLeave         bool      // callerid_leave
	TellCents             bool      // tell_cents
	SoloPinless           bool      // solo_pinless
	DisableVoucher        bool      // disable_voucher; card sales read it
	Hidden                bool      // hidden groups are invisible to every action
	CreatedAt             time.Time // when the group was created
}

func (g *CardGroup) key() *int64          { return &g.ID }
func (*CardGroup) tableName() string      { return "cardgroups" }
func (g *CardGroup) clone() CardGroup     { return *g }
func (c *Card) key() *int64               { return &c.ID }
func (*Card) tableName() string           { return "cards" }
func (p *CardPayment) key() *int64        { return &p.ID }
func (*CardPayment) tableName() string    { return "payments" }
func (p *CardPayment) clone() CardPayment { return *p }
func (m *SMSMessage) key() *int64         { return &m.ID }
func (*SMSMessage) tableName() string     { return "sms_messages" }
func (l *SMSLCR) key() *int64             { return &l.ID }
func (*SMSLCR) tableName() string         { return "sms_lcrs" }
func (l *SMSLCR) clone() SMSLCR           { return *l }
func (t *SMSTariff) key() *int64          { return &t.ID }
func (*SMSTariff) tableName() string      { return "sms_tariffs" }
func (t *SMSTariff) clone() SMSTariff     { return *t }

// Card is one row of the cards table.
type Card struct {
	ID          int64  // primary key (id)
	CardGroupID int64  // the card's group (cardgroup_id)
	Number      string // digits, unique among all cards
	PIN         string // digits, unique among all cards
	// Balance, MinBalance and FrozenBalance are in the system currency,
	// without tax.
	Balance             Decimal    // balance (balance)
	MinBalance          Decimal    // min_balance
	FrozenBalance       Decimal    // frozen_balance
	Sold                bool       // sold (sold)
	OwnerID             int64      // the card's owner (owner_id)
	CallerID            *string    // nil is NULL
	Language            string     // language (language)
	Name                string     // name (name)
	UserID              int64      // distributor (a simple user); -1: none
	Hidden              bool       // hidden cards are left out of lists (hidden)
	FirstUse            *time.Time // first use (first_use); nil is NULL
	DailyChargePaidTill *time.Time // daily_charge_paid_till; nil is NULL
	CallCount           int64      // call_count
	BatchNumber         *string    // nil is NULL
	Active              bool       // active (active); sales set it
}

func (c *Card) clone() Card {
	out := *c
	out.CallerID, out.FirstUse = clonePtr(c.CallerID), clonePtr(c.FirstUse)
	out.DailyChargePaidTill, out.BatchNumber = clonePtr(c.DailyChargePaidTill), clonePtr(c.BatchNumber)
	return out
}

// CardPayment is a payments row written by the card actions: type "Card"
// (UserID is then the card's id) or "card_refill" (a device user's top-up).
// Ids continue after the world's nine payments.
type CardPayment struct {
	ID          int64     // primary key (id)
	PaymentType string    // "Card" or "card_refill"
	Amount      Decimal   // amount (amount)
	Currency    string    // currency code (currency)
	Tax         Decimal   // tax (tax)
	UserID      int64     // the card's id for type Card, else the user's
	OwnerID     int64     // owner_id
	Card        bool      // a card payment (card)
	Description string    // description (description)
	Completed   bool      // completed (completed)
	DateAdded   time.Time // when it was added (date_added)
	FirstName   string    // first_name
	LastName    string    // last_name
}

// SMSMessage is one row of the sms_messages table.
type SMSMessage struct {
	ID                  int64     // primary key (id)
	SendingDate         time.Time // when it was sent (sending_date)
	StatusCode          string    // delivery status code (status_code); "0" sent
	ProviderID          *int64    // provider (provider_id); nil is NULL
	ProviderRate        Decimal   // provider_rate
	ProviderPrice       Decimal   // provider_price
	UserID              int64     // the sender (user_id)
	UserRate            Decimal   // the user's rate (user_rate)
	UserPrice           Decimal   // the user's price (user_price)
	ResellerID          int64     // the user's reseller (reseller_id)
	ResellerRate        Decimal   // reseller_rate
	ResellerPrice       Decimal   // reseller_price
	Prefix              *string   // destination prefix (prefix); nil is NULL
	Number              string    // destination number (number)
	ClickatellMessageID *string   // clickatell_message_id; nil is NULL
}

func (m *SMSMessage) clone() SMSMessage {
	out := *m
	out.ProviderID, out.Prefix, out.ClickatellMessageID = clonePtr(m.ProviderID), clonePtr(m.Prefix), clonePtr(m.ClickatellMessageID)
	return out
}

// SMSLCR is one row of the sms_lcrs table.
type SMSLCR struct {
	ID    int64  // primary key (id)
	Name  string // name (name)
	Order string // "price" or "priority"
}

// SMSTariff is one row of the sms_tariffs table (user_sms_service_subscribe
// validates against it).
type SMSTariff struct {
	ID         int64  // primary key (id)
	Name       string // name (name)
	TariffType string // "user" or "provider"
	OwnerID    int64  // owner_id
	Currency   string // currency code (currency)
}

// SMSOutcome is what the fake's SMS provider does with the next messages:
// the delivery status and the user's rate per 160-character part (system
// currency). The zero SMSOutcome (Status "") is the bare world: no provider,
// status "1" ("System owner does not have rate for this destination").
type SMSOutcome struct {
	Status   string  // "0" sent; any other code is stored and answered as a failure
	UserRate Decimal // charged per part when Status is "0"
	// Fail makes the provider raise: the reply carries Fail as its
	// <error_message> and the row keeps status "".
	Fail string
}

// cardTables are the calling-card and SMS tables, made on first use.
type cardTables struct {
	groups   table[CardGroup]
	cards    table[Card]
	payments table[CardPayment]
	sms      table[SMSMessage]
	smsLCRs  table[SMSLCR]
	tariffs  table[SMSTariff]
	outcome  SMSOutcome
}

// cardTabs returns the card tables, making them on first use. s.mu is held.
func (st *state) cardTabs() *cardTables {
	if st.cards == nil {
		st.cards = &cardTables{groups: table[CardGroup]{}, cards: table[Card]{}, payments: table[CardPayment]{},
			sms: table[SMSMessage]{}, smsLCRs: table[SMSLCR]{}, tariffs: table[SMSTariff]{}}
		if st.seq["payments"] < 9 {
			st.seq["payments"] = 9 // the world's payments 1–9
		}
	}
	return st.cards
}

func (s *Server) tabs() *cardTables {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.cardTabs()
}

// AddCardGroup stores a card group and returns its ID (0 takes the next).
func (s *Server) AddCardGroup(v CardGroup) int64 { return addRow(s, s.tabs().groups, v) }

// CardGroup returns the card group with the given ID.
func (s *Server) CardGroup(id int64) (CardGroup, bool) { return getRow(s, s.tabs().groups, id) }

// CardGroups returns every card group, in id order.
func (s *Server) CardGroups() []CardGroup { return listRows(s, s.tabs().groups) }

// RemoveCardGroup deletes a card group (no cascade) and reports whether it existed.
func (s *Server) RemoveCardGroup(id int64) bool { return removeRow(s, s.tabs().groups, id) }

// UpdateCardGroup applies fn to a copy of a card group and stores it.
func (s *Server) UpdateCardGroup(id int64, fn func(*CardGroup)) bool {
	return updateRow(s, s.tabs().groups, id, fn)
}

// AddCard stores a card and returns its ID (0 takes the next).
func (s *Server) AddCard(v Card) int64 { return addRow(s, s.tabs().cards, v) }

// Card returns the card with the given ID.
func (s *Server) Card(id int64) (Card, bool) { return getRow(s, s.tabs().cards, id) }

// CardByNumber returns the card with this exact number.
func (s *Server) CardByNumber(number string) (Card, bool) {
	for _, c := range s.Cards() {
		if c.Number == number {
			return c, true
		}
	}
	return Card{}, false
}

// Cards returns every card, in id order.
func (s *Server) Cards() []Card { return listRows(s, s.tabs().cards) }

// RemoveCard deletes a card and reports whether it existed.
func (s *Server) RemoveCard(id int64) bool { return removeRow(s, s.tabs().cards, id) }

// UpdateCard applies fn to a copy of a card and stores it.
func (s *Server) UpdateCard(id int64, fn func(*Card)) bool {
	return updateRow(s, s.tabs().cards, id, fn)
}

// CardPayments returns the payments the card actions wrote, in id order.
func (s *Server) CardPayments() []CardPayment { return listRows(s, s.tabs().payments) }

// AddSMSMessage stores an SMS message row and returns its ID.
func (s *Server) AddSMSMessage(v SMSMessage) int64 { return addRow(s, s.tabs().sms, v) }

// SMSMessages returns every SMS message row, in id order.
func (s *Server) SMSMessages() []SMSMessage { return listRows(s, s.tabs().sms) }

// AddSMSLCR stores an SMS LCR and returns its ID.
func (s *Server) AddSMSLCR(v SMSLCR) int64 { return addRow(s, s.tabs().smsLCRs, v) }

// AddSMSTariff stores an SMS tariff and returns its ID.
func (s *Server) AddSMSTariff(v SMSTariff) int64 { return addRow(s, s.tabs().tariffs, v) }

// SetSMSOutcome sets what the fake's SMS provider does with the messages
// sms_send sends from now on.
func (s *Server) SetSMSOutcome(o SMSOutcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.cardTabs().outcome = o
}

// The add-on conflines (owner 0).
const (
	confCCActive       = "CC_Active"
	confSMSActive      = "SMS_Active"
	confAPIPayments    = "API_Allow_payments_ower_API"
	confNiceDigits     = "Nice_Number_Digits"
	cardsLimitMessage  = "This is a limited version. You can have only 10 Cards."
	cardsLimitedVolume = 10
)

// SetCallingCards switches the calling-card add-on (confline CC_Active). Off,
// a request naming a card group of more than 10 cards is refused with "This
// is a limited version. You can have only 10 Cards.".
func (s *Server) SetCallingCards(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.setConf(0, confCCActive, boolConf(on))
}

// SetSMS switches the SMS add-on (confline SMS_Active). Off, sms_send answers
// a bare "Access Denied" to everyone and user_sms_service_subscribe refuses.
func (s *Server) SetSMS(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.setConf(0, confSMSActive, boolConf(on))
}

// SetCardPayments switches payments over the API (confline
// API_Allow_payments_ower_API): off, card_payment_add answers "Feature
// Disabled".
func (s *Server) SetCardPayments(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.setConf(0, confAPIPayments, boolConf(on))
}

// --- money helpers (s.mu held) ---

// rat is in money_math.go.

// bdString prints r as Ruby's BigDecimal#to_s does for plain values: no
// trailing zeros, at least one decimal ("5.0", "10.0840336134454").
// Quotients that do not terminate are cut at 20 decimals (Ruby's own
// division precision is not reproduced).
func bdString(r *big.Rat) string {
	s := r.FloatString(20)
	s = strings.TrimRight(s, "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	if s == "-0.0" {
		s = "0.0"
	}
	return s
}

// nice is nice_number: Nice_Number_Digits decimals (2 when unset).
func (st *state) nice(r *big.Rat) string {
	n := 2
	if v := st.confline(0, confNiceDigits); v != "" {
		n = int(rubyToI(v))
	}
	return r.FloatString(n)
}

// taxAmount is count_tax_amount of a tax row (no row: no tax).
func (st *state) taxAmount(taxID int64, a *big.Rat) *big.Rat {
	t := st.taxes[taxID]
	if t == nil {
		return new(big.Rat)
	}
	rates := []*big.Rat{rat(t.Tax1Value)}
	for _, x := range []struct {
		on bool
		v  Decimal
	}{{t.Tax2Enabled, t.Tax2Value}, {t.Tax3Enabled, t.Tax3Value}, {t.Tax4Enabled, t.Tax4Value}} {
		if x.on {
			rates = append(rates, rat(x.v))
		}
	}
	hundred := big.NewRat(100, 1)
	if t.CompoundTax {
		m := new(big.Rat).Set(a)
		for _, r := range rates {
			m.Mul(m, new(big.Rat).Add(big.NewRat(1, 1), new(big.Rat).Quo(r, hundred)))
		}
		return m.Sub(m, a)
	}
	sum := new(big.Rat)
	for _, r := range rates {
		sum.Add(sum, r)
	}
	return new(big.Rat).Quo(new(big.Rat).Mul(a, sum), hundred)
}

// withoutTax is count_amount_without_tax.
func (st *state) withoutTax(taxID int64, a *big.Rat) *big.Rat {
	t := st.taxes[taxID]
	if t == nil {
		return new(big.Rat).Set(a)
	}
	total := st.taxAmount(taxID, big.NewRat(1, 1)) // the tax of one unit
	return new(big.Rat).Quo(a, total.Add(total, big.NewRat(1, 1)))
}

// currencyRate is the exchange rate of the named currency (case-insensitive),
// or nil when unknown.
func (st *state) currencyRate(name string) *big.Rat {
	for _, c := range st.currencies {
		if strings.EqualFold(c.Name, name) && name != "" {
			return rat(c.ExchangeRate)
		}
	}
	return nil
}

// systemCurrency is currency 1's name.
func (st *state) systemCurrency() string {
	if c := st.currencies[1]; c != nil {
		return c.Name
	}
	return "USD"
}

// callerRateRat is callerRate as a big.Rat, for the card and SMS sums.
// A missing currency row, or a rate that is not positive, counts as 1.
func (st *state) callerRateRat(u *User) *big.Rat {
	d, ok := st.callerRate(u)
	r, _ := new(big.Rat).SetString(d.String())
	if !ok || r.Sign() <= 0 {
		return big.NewRat(1, 1)
	}
	return r
}

// loadCardsWorld seeds the calling-card and SMS rows of Kolmisoft's test
// database: card groups 1 and 2 (admin's, tax 6, told in USD), the 21
// unsold cards 1111111000–1111111020 of group 1 with their PINs, the four
// SMS messages of 2009-12-01, a tax-free compound tax row 6, EUR (rate
// 0.73853104), the LCR Test_LCR and payments over the API switched on. No
// SMS LCRs, providers or tariffs exist, as in the dump.
func (s *Server) loadCardsWorld() {
	loc := s.loc
	if _, ok := s.Tax(6); !ok {
		s.AddTax(Tax{ID: 6, Tax1Enabled: true, Tax1Name: "Tax", TotalTaxName: "Tax", Tax1Value: "0", Tax2Value: "0",
			Tax3Value: "0", Tax4Value: "0", CompoundTax: true})
	}
	if _, ok := s.Currency(2); !ok {
		s.AddCurrency(Currency{ID: 2, Name: "EUR", ExchangeRate: "0.73853104"})
	}
	s.AddLCR(LCR{ID: 2, Name: "Test_LCR", Order: "price"})
	for _, g := range []struct {
		id      int64
		name    string
		created time.Time
	}{{1, "Test_cardgroup", time.Date(2009, 4, 16, 4, 57, 41, 0, loc)}, {2, "Test_cardgroup_test_1", time.Date(2009, 9, 9, 0, 0, 0, 0, loc)}} {
		s.AddCardGroup(CardGroup{ID: g.id, Name: g.name, Description: "Test_cardgroup description",
			Price: "10.0840336134454", SetupFee: "1", DailyCharge: "0.1", GhostMinPerc: "100", GhostBalancePerc: "100",
			TariffID: 2, LCRID: 1, LocationID: 1, ValidFrom: time.Date(2009, 4, 16, 0, 0, 0, 0, loc),
			ValidTill: time.Date(2012, 4, 16, 23, 59, 59, 0, loc), NumberLength: 10, PINLength: 4, Image: "example.jpg",
			TaxID: 6, TellBalanceInCurrency: "USD", CreatedAt: g.created})
	}
	pins := []string{"7856", "9812", "8722", "1360", "9323", "5774", "8870", "6930", "3034", "0521", "1452",
		"3996", "7901", "7635", "1552", "4677", "2392", "2765", "5602", "7484", "8629"}
	for i, pin := range pins {
		id := int64(i + 1)
		s.AddCard(Card{ID: id, CardGroupID: 1, Number: strconv.FormatInt(1111111000+id-1, 10), PIN: pin,
			Balance: "10.0840336134454", MinBalance: "0", FrozenBalance: "0", Language: "en", UserID: -1})
	}
	sent := time.Date(2009, 12, 1, 10, 54, 23, 0, loc)
	for _, m := range []struct {
		id                int64
		status            string
		user              int64
		rate, price, cmid string
	}{{1, "1", 0, "0", "10", "1234"}, {2, "004", 2, "10", "10", "1234"}, {3, "0", 2, "10", "10", "1236"}, {4, "005", 2, "0", "0", "1237"}} {
		cm := m.cmid
		s.AddSMSMessage(SMSMessage{ID: m.id, SendingDate: sent, StatusCode: m.status, ProviderRate: "0", ProviderPrice: "0",
			UserID: m.user, UserRate: Decimal(m.rate), UserPrice: Decimal(m.price), ResellerRate: "0", ResellerPrice: "0",
			Number: "+37061111111", ClickatellMessageID: &cm})
	}
	s.SetConfline(0, confAPIPayments, Confline{Value: "1"})
}

// WithCallingCards switches the calling-card add-on on or off (after the
// world is loaded, in any position); see SetCallingCards.
func WithCallingCards(on bool) Option {
	return func(c *config) { c.after = append(c.after, func(s *Server) { s.SetCallingCards(on) }) }
}

// WithSMS switches the SMS add-on on or off (after the world is loaded, in
// any position); see SetSMS.
func WithSMS(on bool) Option {
	return func(c *config) { c.after = append(c.after, func(s *Server) { s.SetSMS(on) }) }
}

// RemoveSMSMessage deletes an SMS message row and reports whether it existed.
func (s *Server) RemoveSMSMessage(id int64) bool { return removeRow(s, s.tabs().sms, id) }
