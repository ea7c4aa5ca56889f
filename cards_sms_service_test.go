package mor_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// grantRights gives user id the rights through an acc group of its own.
func grantRights(srv *mortest.Server, id int64, rights map[string]mortest.Right) {
	gid := srv.AddAccGroup(mortest.AccGroup{Name: "rights", Rights: rights})
	srv.UpdateUser(id, func(u *mortest.User) { u.AccGroupID = gid })
}

// Every calling-card call in every role, end to end against the fake.
func TestCardsServiceRoles(t *testing.T) {
	ctx := context.Background()
	expect := func(want error) func(t *testing.T, err error) {
		return func(t *testing.T, err error) {
			t.Helper()
			if want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, want)
			}
		}
	}
	calls := map[string]func(ctx context.Context, c *mor.Client) error{
		"Group": func(ctx context.Context, c *mor.Client) error { _, err := c.Cards.Group(ctx, 1); return err },
		"List": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Cards.List(ctx, mor.CardsListParams{Number: "1111111000"})
			return err
		},
		"Groups": func(ctx context.Context, c *mor.Client) error { _, err := c.Cards.Groups(ctx, 0); return err },
		"Balance": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Cards.Balance(ctx, "1111111000")
			return err
		},
		"Sell": func(ctx context.Context, c *mor.Client) error {
			_, err := c.Cards.SellCard(ctx, 1, "1111111005")
			return err
		},
		"Update": func(ctx context.Context, c *mor.Client) error {
			return c.Cards.Update(ctx, mor.UpdateCardParams{CardID: 3, Name: "n"})
		},
	}
	// What each role gets, in the spec world (group 1 and its cards are the admin's).
	table := []struct {
		role   string
		rights map[string]mortest.Right
		want   map[string]error
	}{
		{roleAdmin, nil, map[string]error{"Group": nil, "List": nil, "Groups": nil, "Balance": nil, "Sell": nil, "Update": nil}},
		{roleUser, nil, map[string]error{"Group": mor.ErrAccessDenied, "List": mor.ErrAccessDenied, "Groups": mor.ErrAccessDenied,
			"Balance": mor.ErrNotAuthorized, "Sell": mor.ErrAccessDenied, "Update": mor.ErrAccessDenied}},
		{roleReseller, nil, map[string]error{"Group": mor.ErrAccessDenied, "List": mor.ErrNotAuthorized, "Groups": mor.ErrNotAuthorized,
			"Balance": mor.ErrNotAuthorized, "Sell": mor.ErrAccessDenied, "Update": mor.ErrNotAuthorized}},
		{roleReseller, map[string]mortest.Right{"calling_cards": mortest.RightEdit}, map[string]error{
			"Group": mor.ErrCardGroupNotFound, "List": nil, "Groups": nil, "Balance": mor.ErrCardNotFound,
			"Sell": mor.ErrCardGroupNotFound, "Update": mor.ErrCardNotFound}},
		{roleAccountant, nil, map[string]error{"Group": mor.ErrAccessDenied, "List": mor.ErrNotAuthorized, "Groups": mor.ErrNotAuthorized,
			"Balance": mor.ErrNotAuthorized, "Sell": mor.ErrAccessDenied, "Update": mor.ErrNotAuthorized}},
		{roleAccountant, map[string]mortest.Right{"callingcard_manage": mortest.RightEdit}, map[string]error{
			"Group": nil, "List": nil, "Groups": nil, "Balance": mor.ErrNotAuthorized, "Sell": nil, "Update": nil}},
	}
	ids := map[string]int64{roleAdmin: 0, roleReseller: 3, roleAccountant: 4, roleUser: 2}
	for _, row := range table {
		for name, call := range calls {
			t.Run(row.role+"/"+name, func(t *testing.T) {
				c, srv := setup(t, row.role)
				if row.rights != nil {
					grantRights(srv, ids[row.role], row.rights)
				}
				expect(row.want[name])(t, call(ctx, c))
			})
		}
	}
}

// The reseller with the right sees only its own groups and cards.
func TestCardsServiceResellerOwnGroups(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t, roleReseller)
	grantRights(srv, 3, map[string]mortest.Right{"calling_cards": mortest.RightEdit})
	gs, err := c.Cards.Groups(ctx, 0)
	require.NoError(t, err)
	assert.Empty(t, gs)
	srv.AddCardGroup(mortest.CardGroup{ID: 7, Name: "reseller cards", OwnerID: 3, TariffID: 3, LCRID: 1, NumberLength: 4, PINLength: 4,
		Price: "2", TellBalanceInCurrency: "USD", Image: "example.jpg"})
	srv.AddCard(mortest.Card{ID: 50, CardGroupID: 7, Number: "5000", PIN: "5555", Balance: "2", OwnerID: 3, UserID: -1, Language: "en"})
	gs, err = c.Cards.Groups(ctx, 0)
	require.NoError(t, err)
	require.Len(t, gs, 1)
	assert.Equal(t, "reseller cards", gs[0].Name)
	assert.Empty(t, gs[0].LCR, "the admin's LCR is not shown to a reseller")
	cards, err := c.Cards.List(ctx, mor.CardsListParams{})
	require.NoError(t, err)
	require.Len(t, cards, 1)
	assert.Equal(t, "5555", cards[0].PIN.Reveal())
	sold, err := c.Cards.SellCard(ctx, 7, "5000")
	require.NoError(t, err)
	assert.Equal(t, "2.0", sold.Balance.Amount.String())
	m, err := c.Cards.Balance(ctx, "5000")
	require.NoError(t, err)
	assert.Equal(t, mor.Money{Amount: mustDec(t, "2.0"), Currency: "USD"}, m)
}

// Selling is recorded with a payment, and a repeat of SellCard is detected.
func TestCardsServiceSellIsDetectable(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t, roleAdmin)
	sold, err := c.Cards.SellCard(ctx, 1, "1111111003")
	require.NoError(t, err)
	assert.Equal(t, "1360", sold.PIN.Reveal())
	assert.Equal(t, mor.Money{Amount: mustDec(t, "10.0840336134454"), Currency: "USD"}, sold.Balance)
	k, _ := srv.Card(4)
	assert.True(t, k.Sold)
	pays := srv.CardPayments()
	require.Len(t, pays, 1)
	assert.Equal(t, mortest.CardPayment{ID: 10, PaymentType: "Card", Card: true, UserID: 4, Amount: "10.0840336134454",
		Currency: "USD", Tax: "0.0", Completed: true, DateAdded: pays[0].DateAdded}, pays[0])
	_, err = c.Cards.SellCard(ctx, 1, "1111111003")
	assert.ErrorIs(t, err, mor.ErrCardAlreadySold, "the repeat says the first sale landed")
	assert.Len(t, srv.CardPayments(), 1, "and sells nothing")
	g, err := c.Cards.Group(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, int64(20), g.FreeCards)

	cards, err := c.Cards.Sell(ctx, mor.SellCardsParams{GroupID: 1, Quantity: 30})
	require.NoError(t, err)
	assert.Len(t, cards, 20, "fewer free cards than asked: what there is")
	_, err = c.Cards.Sell(ctx, mor.SellCardsParams{GroupID: 1})
	assert.ErrorIs(t, err, mor.ErrFreeCardsNotFound)
}

func mustDec(t *testing.T, s string) mor.Decimal {
	t.Helper()
	d, err := mor.ParseDecimal(s)
	require.NoError(t, err)
	return d
}

// Money is exact end to end: a payment and a top-up move exactly their amount.
func TestCardsServiceMoneyExact(t *testing.T) {
	ctx := context.Background()
	c, srv := setup(t, roleAdmin)
	_, err := c.Cards.AddPayment(ctx, mor.CardPaymentParams{Number: "1111111000", Amount: mustDec(t, "5")})
	assert.ErrorIs(t, err, mor.ErrCardNotFound, "an unsold card takes no payment")
	_, err = c.Cards.SellCard(ctx, 1, "1111111000")
	require.NoError(t, err)
	p, err := c.Cards.AddPayment(ctx, mor.CardPaymentParams{Number: "1111111000", Amount: mustDec(t, "0.1"), Description: "top-up"})
	require.NoError(t, err)
	assert.Equal(t, "10.1840336134454", p.NewBalance.String())
	assert.Equal(t, mor.Money{Amount: mustDec(t, "0.1"), Currency: "USD"}, p.Amount)
	assert.Equal(t, "top-up", p.Description)
	m, err := c.Cards.Balance(ctx, "1111111000")
	require.NoError(t, err)
	assert.Equal(t, "10.1840336134454", m.Amount.String())
	pays := srv.CardPayments()
	assert.Equal(t, mortest.Decimal("0.1"), pays[len(pays)-1].Amount)
	assert.Equal(t, "top-up", pays[len(pays)-1].Description)

	// Top-up by caller ID: a new card, then the same card again.
	amt := mustDec(t, "3.3")
	got, err := c.Cards.TopUpByCLI(ctx, mor.TopUpByCLIParams{CallerID: "37060000001", Amount: &amt, CardGroupID: 1})
	require.NoError(t, err)
	require.Len(t, got.Cards, 1)
	id := got.Cards[0].ID
	got, err = c.Cards.TopUpByCLI(ctx, mor.TopUpByCLIParams{CallerID: "37060000001", Amount: &amt})
	require.NoError(t, err)
	assert.Equal(t, id, got.Cards[0].ID, "the caller ID's card is topped up")
	k, _ := srv.Card(id)
	assert.Equal(t, mortest.Decimal("6.6"), k.Balance)
	assert.NotContains(t, k.PIN, "*")

	// The device path: CLI 123456 is device 2's, user 2's.
	got, err = c.Cards.TopUpByCLI(ctx, mor.TopUpByCLIParams{CallerID: "123456", Amount: &amt})
	require.NoError(t, err)
	require.NotNil(t, got.Device)
	assert.Equal(t, int64(2), got.Device.UserID)
	u, _ := srv.User(2)
	assert.Equal(t, mortest.Decimal("3.3"), u.Balance)
}

// The add-on switches, in both states.
func TestCardsSMSAddonStates(t *testing.T) {
	ctx := context.Background()
	amt := mustDec(t, "1")
	for _, on := range []bool{true, false} {
		srv := mortest.NewServer(mortest.WithSpecWorld(), mortest.WithCallingCards(on), mortest.WithSMS(on))
		t.Cleanup(srv.Close)
		admin, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
		require.NoError(t, err)
		_, err = admin.Cards.TopUpByCLI(ctx, mor.TopUpByCLIParams{CallerID: "37060000009", Amount: &amt, CardGroupID: 1})
		if on {
			assert.NoError(t, err)
		} else {
			assert.ErrorIs(t, err, mor.ErrCardLimit, "group 1 has 21 cards")
		}
		// Group 2 has no cards: the limited version still serves it.
		_, err = admin.Cards.TopUpByCLI(ctx, mor.TopUpByCLIParams{CallerID: "37060000008", Amount: &amt, CardGroupID: 2})
		assert.NoError(t, err)

		srv.UpdateUser(2, func(u *mortest.User) { u.SMSServiceActive = true })
		srv.AddSMSLCR(mortest.SMSLCR{ID: 1, Name: "sms"})
		srv.SetSMSOutcome(mortest.SMSOutcome{Status: "0", UserRate: "0.05"})
		user, err := mor.NewClient(srv.URL, "user_admin", mortest.SpecSecret)
		require.NoError(t, err)
		sent, err := user.SMS.Send(ctx, mor.SendSMSParams{LCRID: 1, Dst: "37060000001", Message: "hello"})
		if on {
			require.NoError(t, err)
			assert.Equal(t, "0.0500", sent.Price.Amount.String(), "Nice_Number_Digits 4 of the world")
			u, _ := srv.User(2)
			assert.Equal(t, mortest.Decimal("-0.05"), u.Balance)
		} else {
			assert.ErrorIs(t, err, mor.ErrSMSAddonDisabled)
			assert.ErrorIs(t, err, mor.ErrAccessDenied)
		}
		err = admin.SMS.Subscribe(ctx, mor.SMSSubscribeParams{UserID: 5, SMSTariffID: 1})
		assert.ErrorIs(t, err, map[bool]error{true: mor.ErrSMSNotSubscribed, false: mor.ErrAccessDenied}[on], "user 5's reseller has no SMS")
	}
}

// sms_send in every role, the provider outcomes, and user_sms_get after it.
func TestSMSServiceEndToEnd(t *testing.T) {
	ctx := context.Background()
	for _, role := range []string{roleAdmin, roleReseller, roleAccountant} {
		c, srv := setup(t, role)
		srv.AddSMSLCR(mortest.SMSLCR{ID: 1, Name: "sms"})
		_, err := c.SMS.Send(ctx, mor.SendSMSParams{LCRID: 1, Dst: "1", Message: "x"})
		assert.ErrorIs(t, err, mor.ErrAccessDenied, role)
		assert.NotErrorIs(t, err, mor.ErrSMSAddonDisabled, role)
	}
	c, srv := setup(t, roleUser)
	_, err := c.SMS.Send(ctx, mor.SendSMSParams{LCRID: 1, Dst: "1", Message: "x"})
	assert.ErrorIs(t, err, mor.ErrSMSNotSubscribed)
	srv.UpdateUser(2, func(u *mortest.User) { u.SMSServiceActive = true; u.Postpaid = false })
	_, err = c.SMS.Send(ctx, mor.SendSMSParams{LCRID: 1, Dst: "1", Message: "x"})
	assert.ErrorIs(t, err, mor.ErrSMSLCRNotFound)
	srv.AddSMSLCR(mortest.SMSLCR{ID: 1, Name: "sms"})
	_, err = c.SMS.Send(ctx, mor.SendSMSParams{LCRID: 1, Dst: "37061", Message: "x"})
	var se *mor.SMSError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "System owner does not have rate for this destination", se.Tip)
	srv.SetSMSOutcome(mortest.SMSOutcome{Status: "0", UserRate: "0.1"})
	_, err = c.SMS.Send(ctx, mor.SendSMSParams{LCRID: 1, Dst: "37061", Message: "x"})
	require.ErrorAs(t, err, &se, "a prepaid user with balance 0")
	assert.Equal(t, "Insufficient balance", se.Tip)
	srv.UpdateUser(2, func(u *mortest.User) { u.Balance = "1" })
	long := make([]byte, 161)
	for i := range long {
		long[i] = 'a'
	}
	sent, err := c.SMS.Send(ctx, mor.SendSMSParams{LCRID: 1, Dst: "37061", Message: string(long) + "%"})
	require.NoError(t, err)
	assert.Equal(t, "0.2000", sent.Price.Amount.String(), "two parts")
	u, _ := srv.User(2)
	assert.Equal(t, mortest.Decimal("0.8"), u.Balance)

	msgs, err := c.SMS.List(ctx, mor.SMSListParams{})
	require.NoError(t, err)
	require.Len(t, msgs, 3)
	assert.Equal(t, "0", msgs[2].StatusCode)
	assert.Equal(t, "0.2", msgs[2].UserPrice.String())
	assert.Nil(t, msgs[2].ProviderRate, "a simple user sees no provider columns")
	assert.WithinDuration(t, time.Now(), msgs[2].SentAt, time.Minute)

	admin, _ := setup(t, roleAdmin)
	old, err := admin.SMS.List(ctx, mor.SMSListParams{From: time.Date(2009, 12, 1, 0, 0, 0, 0, time.Local),
		Till: time.Date(2009, 12, 2, 0, 0, 0, 0, time.Local), StatusCode: "4"})
	require.NoError(t, err)
	require.Len(t, old, 1, "status 4 matches 004 numerically")
	assert.Equal(t, "004", old[0].StatusCode)
	require.NotNil(t, old[0].ProviderRate)
}
