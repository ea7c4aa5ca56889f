package mor_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// replyClient answers every request with the recorded reply file and keeps
// the last request's method and form.
type sentRequest struct {
	method string
	form   url.Values
	n      int
}

func replyClient(t *testing.T, file string) (*mor.Client, *sentRequest) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "replies", file))
	require.NoError(t, err)
	sent := &sentRequest{}
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		require.NoError(t, req.ParseForm())
		sent.method = strings.TrimPrefix(req.URL.Path, "/billing/api/")
		sent.form = req.PostForm
		sent.n++
		return httpmock.NewBytesResponse(200, body), nil
	})
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", mortest.SpecSecret,
		mor.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	return c, sent
}

func dec(t *testing.T, s string) mor.Decimal {
	t.Helper()
	d, err := mor.ParseDecimal(s)
	require.NoError(t, err)
	return d
}

func decp(t *testing.T, s string) *mor.Decimal { d := dec(t, s); return &d }

var bg = context.Background()

func TestCardTopUpByCLIReplies(t *testing.T) {
	t.Run("device", func(t *testing.T) {
		c, sent := replyClient(t, "card_by_cli_update_device.xml")
		got, err := c.Cards.TopUpByCLI(bg, mor.TopUpByCLIParams{CallerID: "37060000001", Amount: decp(t, "10")})
		require.NoError(t, err)
		require.NotNil(t, got.Device)
		assert.Empty(t, got.Cards)
		assert.Equal(t, int64(2), got.Device.DeviceID)
		assert.Equal(t, int64(2), got.Device.UserID)
		assert.Equal(t, "10.00", got.Device.NewBalance.String())
		assert.Equal(t, "card_by_cli_update", sent.method)
		assert.Equal(t, url.Values{"callerid": {"37060000001"}, "amount": {"10"}, "u": {"admin"},
			"hash": {mor.Hash("card_by_cli_update", url.Values{"callerid": {"37060000001"}, "amount": {"10"}}, mortest.SpecSecret)}}, sent.form)
	})
	t.Run("new card", func(t *testing.T) {
		c, sent := replyClient(t, "card_by_cli_update_new_card.xml")
		got, err := c.Cards.TopUpByCLI(bg, mor.TopUpByCLIParams{CallerID: "37060000001", Amount: decp(t, "10"), CardGroupID: 1})
		require.NoError(t, err)
		assert.Nil(t, got.Device)
		require.Len(t, got.Cards, 1)
		k := got.Cards[0]
		assert.Equal(t, int64(22), k.ID)
		assert.Equal(t, "4821", k.PIN.Reveal())
		assert.Equal(t, "7305518264", k.Number)
		assert.Equal(t, "37060000001", k.CallerID)
		assert.Equal(t, "1", sent.form.Get("cardgroup_id"))
		// Golden vector: callerid=37060000001 amount=10 cardgroup_id=1.
		assert.Equal(t, "c33e07941ddc7b2fd8b0187012b7271ba33ab31a", sent.form.Get("hash"))
	})
	t.Run("PIN transfer in one group: two cards", func(t *testing.T) {
		c, sent := replyClient(t, "card_by_cli_update_pin_same_group.xml")
		got, err := c.Cards.TopUpByCLI(bg, mor.TopUpByCLIParams{CallerID: "37060000001", PIN: mor.NewCardPIN("7856")})
		require.NoError(t, err)
		require.Len(t, got.Cards, 2)
		assert.Equal(t, int64(22), got.Cards[0].ID)
		assert.Equal(t, int64(1), got.Cards[1].ID)
		assert.Equal(t, "", got.Cards[1].CallerID)
		assert.Equal(t, "7856", sent.form.Get("pin"))
		assert.Equal(t, "32c8a5dbcfa8971dd2dbb990711712c7be2d953c", sent.form.Get("hash"))
	})
	for file, want := range map[string]error{
		"card_by_cli_update_callerid_missing.xml": mor.ErrCallerIDEmpty,
		"card_by_cli_update_limited.xml":          mor.ErrCardLimit,
		"card_by_cli_update_bad_login.xml":        mor.ErrBadLogin,
		"card_by_cli_update_card_invalid.xml":     mor.ErrCardPINTaken,
	} {
		t.Run(file, func(t *testing.T) {
			c, _ := replyClient(t, file)
			_, err := c.Cards.TopUpByCLI(bg, mor.TopUpByCLIParams{CallerID: "1", Amount: decp(t, "1")})
			assert.ErrorIs(t, err, want)
			assert.False(t, mor.InDoubt(err))
			if want == mor.ErrCardLimit {
				assert.NotErrorIs(t, err, mor.ErrUserLimit, "the card limit is not the user limit")
			}
		})
	}
	t.Run("C* lists every reason", func(t *testing.T) {
		c, _ := replyClient(t, "card_by_cli_update_card_invalid.xml")
		_, err := c.Cards.TopUpByCLI(bg, mor.TopUpByCLIParams{CallerID: "1", Amount: decp(t, "1")})
		var ae *mor.APIError
		require.ErrorAs(t, err, &ae)
		assert.Contains(t, ae.Messages, "Card number must be numerical")
		assert.Contains(t, ae.Messages, "PIN is already taken")
		assert.ErrorIs(t, err, mor.ErrInvalidParams)
	})
	t.Run("local checks", func(t *testing.T) {
		c, sent := replyClient(t, "card_by_cli_update_device.xml")
		for _, p := range []mor.TopUpByCLIParams{
			{Amount: decp(t, "1")},
			{CallerID: "1", Amount: decp(t, "1"), PIN: mor.NewCardPIN("1234")},
			{CallerID: "1"},
		} {
			_, err := c.Cards.TopUpByCLI(bg, p)
			var ve *mor.ValidationError
			assert.ErrorAs(t, err, &ve)
		}
		assert.Zero(t, sent.n, "nothing sent")
	})
}

func TestCardsReplies(t *testing.T) {
	t.Run("group", func(t *testing.T) {
		c, sent := replyClient(t, "card_group_get_success.xml")
		g, err := c.Cards.Group(bg, 1)
		require.NoError(t, err)
		assert.Equal(t, "Test_cardgroup", g.Name)
		assert.Equal(t, "/billing/cards/example.jpg", g.ImageLink)
		assert.Equal(t, mor.Money{Amount: dec(t, "10.08"), Currency: "USD"}, g.Price)
		assert.Equal(t, "USD", g.PriceWithTax.Currency)
		assert.Equal(t, int64(21), g.FreeCards)
		assert.Equal(t, int64(4), g.PINLength)
		assert.Equal(t, int64(10), g.NumberLength)
		assert.Equal(t, "bc2f114099d16656d37e45fd9e8744cb9386d462", sent.form.Get("hash"))
		c, _ = replyClient(t, "card_group_get_not_found.xml")
		_, err = c.Cards.Group(bg, 9)
		assert.ErrorIs(t, err, mor.ErrCardGroupNotFound)
		assert.ErrorIs(t, err, mor.ErrNotFound)
	})
	t.Run("sell", func(t *testing.T) {
		c, sent := replyClient(t, "card_from_group_sell_success.xml")
		cards, err := c.Cards.Sell(bg, mor.SellCardsParams{GroupID: 1, Quantity: 2})
		require.NoError(t, err)
		require.Len(t, cards, 2)
		assert.Equal(t, "1111111000", cards[0].Number)
		assert.Equal(t, "7856", cards[0].PIN.Reveal())
		assert.Equal(t, mor.Money{Amount: dec(t, "10.0840336134454"), Currency: "USD"}, cards[1].Balance)
		assert.Equal(t, "60b20184852a62b975febcb6fbd7d475071e817a", sent.form.Get("hash"))

		c, sent = replyClient(t, "card_from_group_sell_number.xml")
		email := "buyer@example.com"
		cards, err = c.Cards.Sell(bg, mor.SellCardsParams{GroupID: 1, Quantity: 2, Email: &email, Number: "1111111012"})
		require.NoError(t, err)
		assert.Len(t, cards, 1)
		assert.Equal(t, "85042c994ed6a7594022fd92d7800f06ee504ff5", sent.form.Get("hash"), "number is never hashed")

		one, err := c.Cards.SellCard(bg, 1, "1111111011")
		require.NoError(t, err)
		assert.Equal(t, "1111111011", one.Number)
		assert.Equal(t, "1111111011", sent.form.Get("number"))
		assert.False(t, sent.form.Has("quantity"))
		_, err = c.Cards.SellCard(bg, 1, "abc")
		var ve *mor.ValidationError
		assert.ErrorAs(t, err, &ve, "a non-numeric number would sell the next free card")

		for file, want := range map[string]error{
			"card_from_group_sell_already_sold.xml": mor.ErrCardAlreadySold,
			"card_from_group_sell_no_free.xml":      mor.ErrFreeCardsNotFound,
			"card_from_group_sell_card_error.xml":   mor.ErrCardSellFailed,
		} {
			c, _ := replyClient(t, file)
			_, err := c.Cards.SellCard(bg, 1, "1111111000")
			assert.ErrorIs(t, err, want, file)
			assert.False(t, mor.InDoubt(err), file)
		}
	})
	t.Run("balance", func(t *testing.T) {
		c, sent := replyClient(t, "card_balance_get_success.xml")
		m, err := c.Cards.Balance(bg, "1111111000")
		require.NoError(t, err)
		assert.Equal(t, mor.Money{Amount: dec(t, "10.0840336134454"), Currency: "USD"}, m)
		assert.Equal(t, "0540cea252d6367fb32737b0cd22c0822330ec41", sent.form.Get("hash"))
		c, _ = replyClient(t, "card_balance_get_not_found.xml")
		_, err = c.Cards.Balance(bg, "1")
		assert.ErrorIs(t, err, mor.ErrCardNotFound)
		c, _ = replyClient(t, "card_balance_get_not_authorized.xml")
		_, err = c.Cards.Balance(bg, "1")
		assert.ErrorIs(t, err, mor.ErrNotAuthorized)
	})
	t.Run("payment", func(t *testing.T) {
		c, sent := replyClient(t, "card_payment_add_success.xml")
		p, err := c.Cards.AddPayment(bg, mor.CardPaymentParams{Number: "1111111001", Amount: dec(t, "5")})
		require.NoError(t, err)
		assert.Equal(t, "10c52385b238b26d8f3a6ce5c258486f62341cdf", sent.form.Get("hash"))
		assert.Equal(t, mor.Money{Amount: dec(t, "5.0"), Currency: "USD"}, p.Amount)
		assert.Equal(t, "15.0840336134454", p.NewBalance.String())
		assert.Equal(t, "Test_cardgroup", p.GroupName)
		assert.Nil(t, p.ExchangeRate)

		c, sent = replyClient(t, "card_payment_add_eur.xml")
		p, err = c.Cards.AddPayment(bg, mor.CardPaymentParams{Number: "1111111001", Amount: dec(t, "5"), Currency: "EUR", Description: "top-up"})
		require.NoError(t, err)
		assert.Equal(t, "399b5dd8cb0ae587a1190d0f7f81c06caffdcd03", sent.form.Get("hash"))
		assert.Equal(t, "EUR", p.Amount.Currency)
		assert.Equal(t, "USD", p.ConvertedTo)
		require.NotNil(t, p.ExchangeRate)
		assert.Equal(t, "0.73853104", p.ExchangeRate.String())
		assert.Equal(t, "16.85423466251298418", p.NewBalance.String(), "every digit kept")

		for file, want := range map[string]error{
			"card_payment_add_feature_disabled.xml": mor.ErrFeatureDisabled,
			"card_payment_add_not_found.xml":        mor.ErrCardNotFound,
			"card_balance_get_success.xml":          mor.ErrUnexpectedResponse, // no success text
		} {
			c, _ := replyClient(t, file)
			_, err := c.Cards.AddPayment(bg, mor.CardPaymentParams{Number: "1", Amount: dec(t, "5")})
			assert.ErrorIs(t, err, want, file)
		}
	})
	t.Run("list", func(t *testing.T) {
		c, sent := replyClient(t, "calling_cards_get_success.xml")
		sold := true
		cards, err := c.Cards.List(bg, mor.CardsListParams{Sold: &sold, MinBalance: decp(t, "1.5"), PIN: mor.NewCardPIN("7856")})
		require.NoError(t, err)
		require.Len(t, cards, 2)
		assert.Equal(t, "yes", sent.form.Get("sold"))
		assert.Equal(t, "1.5", sent.form.Get("min_balance"))
		assert.Equal(t, "7856", sent.form.Get("pin"))
		assert.Equal(t, "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4", sent.form.Get("hash"))
		assert.Equal(t, "7856", cards[0].PIN.Reveal())
		assert.False(t, cards[0].Sold)
		assert.True(t, cards[1].Sold)
		assert.Nil(t, cards[0].FirstUse)
		assert.Equal(t, "10.0840336134454", cards[0].Balance.String())

		c, _ = replyClient(t, "calling_cards_get_no_pin.xml")
		cards, err = c.Cards.List(bg, mor.CardsListParams{})
		require.NoError(t, err)
		assert.True(t, cards[0].PIN.IsZero())

		c, _ = replyClient(t, "calling_cards_get_not_found.xml")
		cards, err = c.Cards.List(bg, mor.CardsListParams{})
		require.NoError(t, err)
		assert.NotNil(t, cards)
		assert.Empty(t, cards)

		c, _ = replyClient(t, "calling_cards_get_access_denied.xml")
		_, err = c.Cards.List(bg, mor.CardsListParams{})
		assert.ErrorIs(t, err, mor.ErrAccessDenied)
	})
	t.Run("create", func(t *testing.T) {
		c, sent := replyClient(t, "calling_cards_create_success.xml")
		got, err := c.Cards.Create(bg, mor.CreateCardsParams{GroupID: 1, From: "1111111100", Till: "1111111104"})
		require.NoError(t, err)
		assert.Equal(t, &mor.CardsCreated{Created: 5, Total: 5}, got)
		assert.Equal(t, "fd8b66a17021cc6faca412de2215b28656318932", sent.form.Get("hash"))
		c, _ = replyClient(t, "calling_cards_create_exist.xml")
		_, err = c.Cards.Create(bg, mor.CreateCardsParams{GroupID: 1, From: "1111111100", Till: "1111111104"})
		assert.ErrorIs(t, err, mor.ErrCardsExist)
		for _, p := range []mor.CreateCardsParams{{From: "1", Till: "2"}, {GroupID: 1, From: "12", Till: "1"},
			{GroupID: 1, From: "1a", Till: "12"}, {GroupID: 1, From: "10", Till: "100"}} {
			_, err := c.Cards.Create(bg, p)
			var ve *mor.ValidationError
			assert.ErrorAs(t, err, &ve, "%+v", p)
		}
	})
	t.Run("update", func(t *testing.T) {
		c, sent := replyClient(t, "calling_card_update_success.xml")
		require.NoError(t, c.Cards.Update(bg, mor.UpdateCardParams{CardID: 1, Name: "x", PIN: mor.NewCardPIN("1234")}))
		assert.Equal(t, "bc2f114099d16656d37e45fd9e8744cb9386d462", sent.form.Get("hash"))
		assert.Equal(t, "1234", sent.form.Get("pin"))
		c, _ = replyClient(t, "calling_card_update_no_such_card.xml")
		assert.ErrorIs(t, c.Cards.Update(bg, mor.UpdateCardParams{CardID: 99}), mor.ErrNoSuchAPI)
		c, _ = replyClient(t, "calling_card_update_pin_taken.xml")
		assert.ErrorIs(t, c.Cards.Update(bg, mor.UpdateCardParams{CardID: 1}), mor.ErrCardPINTaken)
		c, _ = replyClient(t, "cc_group_update_success.xml")
		assert.ErrorIs(t, c.Cards.Update(bg, mor.UpdateCardParams{CardID: 1}), mor.ErrUnexpectedResponse, "another action's success text")
	})
	t.Run("groups", func(t *testing.T) {
		c, _ := replyClient(t, "cc_groups_get_success.xml")
		gs, err := c.Cards.Groups(bg, 0)
		require.NoError(t, err)
		require.Len(t, gs, 2)
		assert.Equal(t, int64(10), gs[0].NumberLength)
		assert.Equal(t, int64(4), gs[0].PINLength)
		assert.Equal(t, "Test Tariff for Users", gs[0].Tariff)
		assert.Equal(t, "Primary", gs[0].LCR)
		assert.Equal(t, int64(21), gs[0].Cards)
		c, _ = replyClient(t, "cc_groups_get_not_found.xml")
		gs, err = c.Cards.Groups(bg, 5)
		require.NoError(t, err)
		assert.Empty(t, gs)
	})
	t.Run("group writes", func(t *testing.T) {
		name := "api group"
		c, sent := replyClient(t, "cc_group_create_success.xml")
		two := int64(2)
		require.NoError(t, c.Cards.CreateGroup(bg, mor.CardGroupParams{Name: &name, TariffID: &two}))
		assert.Equal(t, "ebe49cfeceb332aa3bcc8ec8aa95ff7c20b882c8", sent.form.Get("hash"))
		for file, want := range map[string]error{
			"cc_group_create_no_name.xml":       mor.ErrInvalidParams,
			"cc_group_create_exists.xml":        mor.ErrCardGroupExists,
			"cc_group_create_access_denied.xml": mor.ErrAccessDenied,
		} {
			c, _ := replyClient(t, file)
			assert.ErrorIs(t, c.Cards.CreateGroup(bg, mor.CardGroupParams{Name: &name}), want, file)
		}
		c, sent = replyClient(t, "cc_group_update_success.xml")
		desc := "d"
		require.NoError(t, c.Cards.UpdateGroup(bg, 1, mor.CardGroupParams{Description: &desc}))
		assert.Equal(t, "bc2f114099d16656d37e45fd9e8744cb9386d462", sent.form.Get("hash"))
	})
}

func TestSMSReplies(t *testing.T) {
	t.Run("send", func(t *testing.T) {
		c, sent := replyClient(t, "sms_send_success.xml")
		got, err := c.SMS.Send(bg, mor.SendSMSParams{LCRID: 12004, Dst: "937567337911", Src: "9375783123767", Message: "labukas"})
		require.NoError(t, err)
		assert.Equal(t, int64(5), got.MessageID)
		assert.Equal(t, "SMS is sent", got.Tip)
		assert.Equal(t, mor.Money{Amount: dec(t, "0.11"), Currency: "USD"}, got.Price)
		assert.Equal(t, "5044522d2f7b2a3eaf2f6c0b3568d70a97c24e86", sent.form.Get("hash"))

		_, err = c.SMS.Send(bg, mor.SendSMSParams{LCRID: 1, Dst: "1", Message: "100% sure, %41"})
		require.NoError(t, err)
		assert.Equal(t, "100%25 sure, %2541", sent.form.Get("message"), "the server decodes once more")
	})
	t.Run("provider failure", func(t *testing.T) {
		c, _ := replyClient(t, "sms_send_no_rate.xml")
		_, err := c.SMS.Send(bg, mor.SendSMSParams{LCRID: 1, Dst: "1", Message: "x"})
		var se *mor.SMSError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, int64(5), se.MessageID)
		assert.Equal(t, "System owner does not have rate for this destination", se.Tip)
		assert.False(t, se.Charged)
		assert.ErrorIs(t, err, mor.ErrSMSNotSent)
		assert.False(t, mor.InDoubt(err), "a decided failure")
		var ae *mor.APIError
		assert.ErrorAs(t, err, &ae)

		c, _ = replyClient(t, "sms_send_exception.xml")
		_, err = c.SMS.Send(bg, mor.SendSMSParams{LCRID: 1, Dst: "1", Message: "x"})
		require.ErrorAs(t, err, &se)
		assert.Contains(t, se.Detail, "SQL syntax")
		assert.Equal(t, int64(6), se.MessageID)
	})
	t.Run("sent and charged, reply broken", func(t *testing.T) {
		c, _ := replyClient(t, "sms_send_charged_reply_broken.xml")
		_, err := c.SMS.Send(bg, mor.SendSMSParams{LCRID: 1, Dst: "1", Message: "x"})
		var se *mor.SMSError
		require.ErrorAs(t, err, &se)
		assert.True(t, se.Charged)
		assert.NotErrorIs(t, err, mor.ErrSMSNotSent, "it was sent")
		assert.Equal(t, int64(7), se.MessageID)
	})
	t.Run("gates", func(t *testing.T) {
		c, _ := replyClient(t, "sms_send_addon_off.xml")
		_, err := c.SMS.Send(bg, mor.SendSMSParams{LCRID: 1, Dst: "1"})
		assert.ErrorIs(t, err, mor.ErrSMSAddonDisabled)
		assert.ErrorIs(t, err, mor.ErrAccessDenied)
		var ae *mor.APIError
		assert.ErrorAs(t, err, &ae)
		c, _ = replyClient(t, "sms_send_access_denied.xml")
		_, err = c.SMS.Send(bg, mor.SendSMSParams{LCRID: 1, Dst: "1"})
		assert.ErrorIs(t, err, mor.ErrAccessDenied)
		assert.NotErrorIs(t, err, mor.ErrSMSAddonDisabled, "a role refusal has the <page> shape")
		c, _ = replyClient(t, "sms_send_not_subscribed.xml")
		_, err = c.SMS.Send(bg, mor.SendSMSParams{LCRID: 1, Dst: "1"})
		assert.ErrorIs(t, err, mor.ErrSMSNotSubscribed)
		_, err = c.SMS.Send(bg, mor.SendSMSParams{LCRID: 1, Dst: "+3706"})
		var ve *mor.ValidationError
		assert.ErrorAs(t, err, &ve)
	})
	t.Run("list", func(t *testing.T) {
		c, sent := replyClient(t, "user_sms_get_success.xml")
		from := time.Date(2009, 12, 1, 0, 0, 0, 0, time.UTC)
		msgs, err := c.SMS.List(bg, mor.SMSListParams{From: from, StatusCode: "4"})
		require.NoError(t, err)
		require.Len(t, msgs, 2)
		assert.Equal(t, "1259625600", sent.form.Get("from"))
		assert.Equal(t, "4", sent.form.Get("status_code"))
		assert.Equal(t, "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4", sent.form.Get("hash"))
		m := msgs[1]
		assert.Equal(t, "004", m.StatusCode)
		assert.Nil(t, m.ProviderID)
		assert.Equal(t, "10.0", m.UserPrice.String())
		_, off := m.SentAt.Zone()
		assert.Equal(t, 7200, off)
		assert.Equal(t, "+37061111111", m.Number)
		_, err = c.SMS.List(bg, mor.SMSListParams{Number: "+370"})
		var ve *mor.ValidationError
		assert.ErrorAs(t, err, &ve)
		c, _ = replyClient(t, "user_sms_get_not_found.xml")
		msgs, err = c.SMS.List(bg, mor.SMSListParams{})
		require.NoError(t, err)
		assert.Empty(t, msgs)
	})
	t.Run("subscribe", func(t *testing.T) {
		c, sent := replyClient(t, "user_sms_service_subscribe_success.xml")
		require.NoError(t, c.SMS.Subscribe(bg, mor.SMSSubscribeParams{UserID: 2, SMSTariffID: 12004, SMSLCRID: 3}))
		assert.Equal(t, "62441bb433e35d16c0ad336a15cb55be008f3265", sent.form.Get("hash"))
		for file, want := range map[string]error{
			"user_sms_service_subscribe_already.xml":   mor.ErrSMSAlreadySubscribed,
			"user_sms_service_subscribe_no_tariff.xml": mor.ErrSMSTariffNotFound,
		} {
			c, _ := replyClient(t, file)
			assert.ErrorIs(t, c.SMS.Subscribe(bg, mor.SMSSubscribeParams{UserID: 2, SMSTariffID: 1}), want)
		}
	})
}

// A PIN never shows in String, fmt, JSON, text or slog output.
func TestCardPINIsSecret(t *testing.T) {
	const digits = "7856"
	p := mor.NewCardPIN(digits)
	card := mor.Card{ID: 1, Number: "1111111000", PIN: p}
	outs := []string{p.String(), fmt.Sprint(p), fmt.Sprintf("%v %+v %#v %s %q %x %d", p, p, p, p, p, p, p),
		fmt.Sprintf("%v %+v %#v", card, card, card)}
	j, err := json.Marshal(card)
	require.NoError(t, err)
	outs = append(outs, string(j))
	var b strings.Builder
	slog.New(slog.NewJSONHandler(&b, nil)).Info("x", "pin", p, "card", card)
	slog.New(slog.NewTextHandler(&b, nil)).Info("x", "pin", p, "card", card)
	outs = append(outs, b.String())
	for _, o := range outs {
		assert.NotContains(t, o, digits)
	}
	assert.Contains(t, string(j), "[PIN hidden]")
	assert.Equal(t, digits, p.Reveal())
	assert.Equal(t, "", mor.CardPIN{}.String())
}

func TestCardsSMSFailurePaths(t *testing.T) {
	calls := map[string]func(ctx context.Context, c *mor.Client) error{
		"TopUpByCLI": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Cards.TopUpByCLI(ctx, mor.TopUpByCLIParams{CallerID: "1", CardGroupID: 1})
			return err
		},
		"Group":    func(ctx context.Context, c *mor.Client) error { _, err := c.Cards.Group(ctx, 1); return err },
		"SellCard": func(ctx context.Context, c *mor.Client) error { _, err := c.Cards.SellCard(ctx, 1, "1"); return err },
		"Balance":  func(ctx context.Context, c *mor.Client) error { _, err := c.Cards.Balance(ctx, "1"); return err },
		"AddPayment": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Cards.AddPayment(ctx, mor.CardPaymentParams{Number: "1"})
			return err
		},
		"List": func(ctx context.Context, c *mor.Client) error {
			return rangeErr(t, c.Cards.All(ctx, mor.CardsListParams{}))
		},
		"Create": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Cards.Create(ctx, mor.CreateCardsParams{GroupID: 1, From: "1", Till: "2"})
			return err
		},
		"Update": func(ctx context.Context, c *mor.Client) error {
			return c.Cards.Update(ctx, mor.UpdateCardParams{CardID: 1})
		},
		"Groups": func(ctx context.Context, c *mor.Client) error { _, err := c.Cards.Groups(ctx, 0); return err },
		"CreateGroup": func(ctx context.Context, c *mor.Client) error {
			n := "g"
			return c.Cards.CreateGroup(ctx, mor.CardGroupParams{Name: &n})
		},
		"UpdateGroup": func(ctx context.Context, c *mor.Client) error {
			return c.Cards.UpdateGroup(ctx, 1, mor.CardGroupParams{})
		},
		"Send": func(ctx context.Context, c *mor.Client) error {
			_, err := c.SMS.Send(ctx, mor.SendSMSParams{LCRID: 1, Dst: "1"})
			return err
		},
		"SMS.List": func(ctx context.Context, c *mor.Client) error {
			return rangeErr(t, c.SMS.All(ctx, mor.SMSListParams{}))
		},
		"Subscribe": func(ctx context.Context, c *mor.Client) error {
			return c.SMS.Subscribe(ctx, mor.SMSSubscribeParams{UserID: 1, SMSTariffID: 1})
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { testFailurePaths(t, call) })
	}
}

// A bad value names its element; a missing required one is ErrUnexpectedResponse.
func TestCardsDecodeErrors(t *testing.T) {
	mk := func(body string) *mor.Client {
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(httpmock.NewStringResponder(200, body))
		c, err := mor.NewClient("https://mor.example.test/billing", "admin", "s", mor.WithHTTPClient(&http.Client{Transport: mt}))
		require.NoError(t, err)
		return c
	}
	_, err := mk(`<page><calling_card><balance>ten</balance><currency>USD</currency></calling_card></page>`).Cards.Balance(bg, "1")
	var pe *mor.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Error(), "calling_card/balance")
	_, err = mk(`<page><calling_card><currency>USD</currency></calling_card></page>`).Cards.Balance(bg, "1")
	assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
	_, err = mk(`<page><response><status>ok</status><card><id>x</id></card></response></page>`).Cards.TopUpByCLI(bg, mor.TopUpByCLIParams{CallerID: "1", CardGroupID: 1})
	require.ErrorAs(t, err, &pe)
	_, err = mk(`<page><response><status>failed</status></response></page>`).Cards.TopUpByCLI(bg, mor.TopUpByCLIParams{CallerID: "1", CardGroupID: 1})
	assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
	_, err = mk(`<page><cards></cards></page>`).Cards.Sell(bg, mor.SellCardsParams{GroupID: 1})
	assert.ErrorIs(t, err, mor.ErrUnexpectedResponse, "a sale with no card and no error")
	_, err = mk(`<page><response><status>ok</status><message><sms_status_code_tip>SMS is sent</sms_status_code_tip></message></response></page>`).SMS.Send(bg, mor.SendSMSParams{LCRID: 1, Dst: "1"})
	assert.ErrorIs(t, err, mor.ErrUnexpectedResponse, "no message id")
	_, err = mk(`<page><status><status>Cards created: many</status></status></page>`).Cards.Create(bg, mor.CreateCardsParams{GroupID: 1, From: "1", Till: "2"})
	assert.ErrorIs(t, err, mor.ErrUnexpectedResponse)
	_, err = mk(`<page><cc_groups><cc_group><group_id>1</group_id><group_name>a</group_name><group_number_pin_length>10</group_number_pin_length></cc_group></cc_groups></page>`).Cards.Groups(bg, 0)
	require.ErrorAs(t, err, &pe)
	assert.True(t, errors.As(err, &pe))
}
