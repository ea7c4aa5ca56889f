package mortest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morbilling/mor-go/mortest"
)

// The calling-card add-on gate: roles first, then the 10-card rule, which
// only a cardgroup_id naming a group of more than 10 cards triggers.
func TestCardAddonGate(t *testing.T) {
	srv := newSpecServer(t, mortest.WithCallingCards(false))
	for _, u := range []string{"user_admin", "reseller", "accountant"} {
		assert.Equal(t, shapeA("Access Denied"), call(t, srv, "card_group_get", vals("u", u, "id", "1")), u)
	}
	assert.Equal(t, shapeA("Bad login"), call(t, srv, "card_group_get", vals("u", "ghost", "id", "1")))
	limited := shapeA("This is a limited version. You can have only 10 Cards.")
	assert.Equal(t, limited, call(t, srv, "card_group_get", vals("u", "admin", "id", "1", "cardgroup_id", "1")))
	assert.NotEqual(t, limited, call(t, srv, "card_group_get", vals("u", "admin", "id", "1")), "no cardgroup_id, no limit")
	assert.NotEqual(t, limited, call(t, srv, "card_by_cli_update", vals("u", "admin", "callerid", "5", "cardgroup_id", "2")), "group 2 has no cards")
	grant(srv, 3, map[string]mortest.Right{"calling_cards": mortest.RightEdit})
	assert.Equal(t, limited, call(t, srv, "card_from_group_sell", vals("u", "reseller", "id", "1", "cardgroup_id", "1")))
	assert.Equal(t, shapeB("Cardgroup was not found"), call(t, srv, "card_from_group_sell", vals("u", "reseller", "id", "1")),
		"the admin's group is not the reseller's")
	srv.SetCallingCards(true)
	assert.Equal(t, shapeB("Cardgroup was not found"), call(t, srv, "card_from_group_sell", vals("u", "reseller", "id", "1", "cardgroup_id", "1")))
}

// cc_by_cli_old answers its two checks and crashes past them.
func TestCCByCLIOld(t *testing.T) {
	srv := newSpecServer(t)
	assert.Equal(t, shapeC("Bad login"), call(t, srv, "cc_by_cli_old", vals("u", "user_admin", "callerid", "1")))
	assert.Equal(t, shapeC("Bad login"), call(t, srv, "cc_by_cli_old", vals("u", "ghost")))
	assert.Equal(t, shapeC("Callerid must be specified"), call(t, srv, "cc_by_cli_old", vals("u", "admin")))
	assert.Equal(t, "", call(t, srv, "cc_by_cli_old", vals("u", "admin", "callerid", "123456", "amount", "1")))
}

// Selling writes a Card payment per card and marks the cards sold and active.
func TestCardSellEffects(t *testing.T) {
	srv := newSpecServer(t)
	call(t, srv, "card_from_group_sell", vals("u", "admin", "id", "1", "quantity", "3"))
	pays := srv.CardPayments()
	require.Len(t, pays, 3)
	for i, p := range pays {
		assert.Equal(t, int64(10+i), p.ID, "ids continue after the world's payments")
		assert.Equal(t, int64(i+1), p.UserID, "the card's id")
		assert.Equal(t, "Card", p.PaymentType)
		assert.Equal(t, mortest.Decimal("10.0840336134454"), p.Amount)
	}
	k, _ := srv.Card(3)
	assert.True(t, k.Sold && k.Active)
	k, _ = srv.Card(4)
	assert.False(t, k.Sold)
}

// calling_cards_create fills the gaps of a range, checks in order.
func TestCallingCardsCreate(t *testing.T) {
	srv := newSpecServer(t)
	body := call(t, srv, "calling_cards_create", vals("u", "admin", "card_group_id", "1", "cards_from", "1111111019", "cards_till", "1111111022",
		"batch_number", "b1", "language", "lt"))
	assert.Contains(t, body, "<status>Cards created: 2/4</status>")
	k, ok := srv.CardByNumber("1111111022")
	require.True(t, ok)
	assert.Len(t, k.PIN, 4)
	assert.Equal(t, "lt", k.Language)
	assert.Equal(t, "b1", *k.BatchNumber)
	assert.Equal(t, mortest.Decimal("10.0840336134454"), k.Balance)
	for _, tc := range []struct{ from, till, want string }{
		{"", "1", "Cards from was not found"},
		{"1", "", "Cards till was not found"},
		{"123", "1111111000", "Cards from is in incorrect format"},
		{"1111111000", "12a", "Cards till is in incorrect format"},
		{"1111111009", "1111111000", "Cards from must not be greater than Cards till"},
		{"1111110000", "1111119999", "PIN is too short for this interval"},
	} {
		assert.Equal(t, shapeB(tc.want), call(t, srv, "calling_cards_create",
			vals("u", "admin", "card_group_id", "1", "cards_from", tc.from, "cards_till", tc.till)), tc.want)
	}
	assert.Equal(t, shapeB("Access Denied"), call(t, srv, "calling_cards_create", vals("u", "user_admin", "card_group_id", "1")))
	assert.Equal(t, shapeB("You are not authorized to use this functionality"),
		call(t, srv, "calling_cards_create", vals("u", "reseller", "card_group_id", "1")))
}

// An accountant without the PIN edit right gets success, and the PIN stays.
func TestCallingCardUpdateAccountantPIN(t *testing.T) {
	srv := newSpecServer(t)
	grant(srv, 4, map[string]mortest.Right{"callingcard_manage": mortest.RightEdit, "callingcard_pin": mortest.RightRead})
	body := call(t, srv, "calling_card_update", vals("u", "accountant", "card_id", "1", "pin", "0000", "callerid", "370"))
	assert.Contains(t, body, "Calling Card successfully updated")
	k, _ := srv.Card(1)
	assert.Equal(t, "7856", k.PIN)
	assert.Equal(t, "370", *k.CallerID)
	assert.Equal(t, shapeB("CallerID must be unique"), call(t, srv, "calling_card_update", vals("u", "admin", "card_id", "2", "callerid", "370")))
	assert.Equal(t, shapeB("Bad minimal balance"), call(t, srv, "calling_card_update", vals("u", "admin", "card_id", "2", "min_balance", "0")))
	assert.Equal(t, shapeB("Wrong Calling Card ID"), call(t, srv, "calling_card_update", vals("u", "admin", "card_id", "x")))
}

// A created group is listed; a reseller needs the right.
func TestCCGroupCreateThenList(t *testing.T) {
	srv := newSpecServer(t)
	assert.Equal(t, shapeB("TAX 2 enabling value is incorrect format"),
		call(t, srv, "cc_group_create", vals("u", "ghost", "name", "x", "tax2_enabled", "yes")), "tax flags before everything")
	body := call(t, srv, "cc_group_create", vals("u", "admin", "name", "api group", "price_with_vat", "5", "pin_length", "5", "tax1_value", "21"))
	assert.Contains(t, body, "Card Group was successfully created")
	gs := srv.CardGroups()
	require.Len(t, gs, 3)
	g := gs[2]
	assert.Equal(t, "api group", g.Name)
	assert.Equal(t, int64(5), g.PINLength)
	tax, _ := srv.Tax(g.TaxID)
	assert.Equal(t, mortest.Decimal("21"), tax.Tax1Value)
	list := call(t, srv, "cc_groups_get", vals("u", "admin", "cc_group_id", "3"))
	assert.Contains(t, list, "<group_price>6.05</group_price>", "price with 21% tax")
	assert.Contains(t, list, "<group_price_without_tax>5.0</group_price_without_tax>")
	assert.Equal(t, shapeB("Card Group name must be unique"), call(t, srv, "cc_group_create", vals("u", "admin", "name", "API GROUP")))
	assert.Equal(t, shapeB("PIN length can be between 1 and 30"), call(t, srv, "cc_group_create", vals("u", "admin", "name", "n2", "pin_length", "31")))
	assert.Equal(t, shapeB("You are not authorized to use this functionality"), call(t, srv, "cc_group_update", vals("u", "reseller", "cc_group_id", "1")))
}

// SMS: the add-on gate answers even an unknown caller; subscribing sets the flag.
func TestSMSGatesAndSubscribe(t *testing.T) {
	srv := newSpecServer(t)
	assert.Equal(t, shapeC("Bad login"), call(t, srv, "sms_send", vals("u", "ghost")))
	srv.SetSMS(false)
	assert.Equal(t, shapeA("Access Denied"), call(t, srv, "sms_send", vals("u", "ghost")))
	assert.Equal(t, shapeB("Access Denied"), call(t, srv, "user_sms_service_subscribe", vals("u", "admin", "user_id", "2", "sms_tariff_id", "1")))
	srv.SetSMS(true)
	srv.AddSMSTariff(mortest.SMSTariff{ID: 1, Name: "t", TariffType: "user"})
	srv.AddSMSLCR(mortest.SMSLCR{ID: 1, Name: "l"})
	assert.Equal(t, shapeB("SMS LCR was not found"), call(t, srv, "user_sms_service_subscribe", vals("u", "admin", "user_id", "2", "sms_tariff_id", "1")))
	assert.Contains(t, call(t, srv, "user_sms_service_subscribe", vals("u", "admin", "user_id", "2", "sms_tariff_id", "1", "sms_lcr_id", "1")),
		"User successfully subscribed to SMS service")
	u, _ := srv.User(2)
	assert.True(t, u.SMSServiceActive)
	assert.Equal(t, shapeB("You are not authorized to use this functionality"), call(t, srv, "user_sms_get", vals("u", "reseller")))
	body := call(t, srv, "user_sms_get", vals("u", "user_admin", "from", "1259618400", "till", "1259791200"))
	assert.Equal(t, 3, countOf(body, "<sms_message>"), "user 2's own three messages")
	assert.NotContains(t, body, "<provider_rate>")
}

func countOf(s, sub string) int {
	n := 0
	for i := 0; ; {
		j := indexFrom(s, sub, i)
		if j < 0 {
			return n
		}
		n++
		i = j + len(sub)
	}
}

func indexFrom(s, sub string, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
