package mor_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	mor "github.com/morbilling/mor-go"
)

// TestCardsSMSWritesNeverSentTwice: every calling-card and SMS call that
// writes or moves money reaches the server exactly once per call when the
// connection drops (or resets) after the request was written, with
// WithRetries set and on a reused keep-alive connection; and the error says
// the call is in doubt.
func TestCardsSMSWritesNeverSentTwice(t *testing.T) {
	okFile := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "replies", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	amount, _ := mor.ParseDecimal("10")
	name := "api group"
	writes := []struct {
		method string
		ok     string
		call   func(ctx context.Context, c *mor.Client) error
	}{
		{"card_by_cli_update", "card_by_cli_update_new_card.xml", func(ctx context.Context, c *mor.Client) error {
			_, err := c.Cards.TopUpByCLI(ctx, mor.TopUpByCLIParams{CallerID: "37060000001", Amount: &amount, CardGroupID: 1})
			return err
		}},
		{"card_from_group_sell", "card_from_group_sell_number.xml", func(ctx context.Context, c *mor.Client) error {
			_, err := c.Cards.SellCard(ctx, 1, "1111111011")
			return err
		}},
		{"card_payment_add", "card_payment_add_success.xml", func(ctx context.Context, c *mor.Client) error {
			_, err := c.Cards.AddPayment(ctx, mor.CardPaymentParams{Number: "1111111000", Amount: amount})
			return err
		}},
		{"calling_cards_create", "calling_cards_create_success.xml", func(ctx context.Context, c *mor.Client) error {
			_, err := c.Cards.Create(ctx, mor.CreateCardsParams{GroupID: 1, From: "1111111100", Till: "1111111104"})
			return err
		}},
		{"calling_card_update", "calling_card_update_success.xml", func(ctx context.Context, c *mor.Client) error {
			return c.Cards.Update(ctx, mor.UpdateCardParams{CardID: 1, Name: "n"})
		}},
		{"cc_group_create", "cc_group_create_success.xml", func(ctx context.Context, c *mor.Client) error {
			return c.Cards.CreateGroup(ctx, mor.CardGroupParams{Name: &name})
		}},
		{"cc_group_update", "cc_group_update_success.xml", func(ctx context.Context, c *mor.Client) error {
			return c.Cards.UpdateGroup(ctx, 1, mor.CardGroupParams{Name: &name})
		}},
		{"sms_send", "sms_send_success.xml", func(ctx context.Context, c *mor.Client) error {
			_, err := c.SMS.Send(ctx, mor.SendSMSParams{LCRID: 1, Dst: "370", Message: "hi"})
			return err
		}},
		{"user_sms_service_subscribe", "user_sms_service_subscribe_success.xml", func(ctx context.Context, c *mor.Client) error {
			return c.SMS.Subscribe(ctx, mor.SMSSubscribeParams{UserID: 2, SMSTariffID: 1})
		}},
	}
	failures := map[string]func(w http.ResponseWriter, r *http.Request){
		"drop after request":  func(w http.ResponseWriter, r *http.Request) { dropAfterRequest(w) },
		"reset after request": func(w http.ResponseWriter, r *http.Request) { resetAfterRequest(w) },
		"reset mid-reply":     resetMidBody,
		"503":                 func(w http.ResponseWriter, r *http.Request) { http.Error(w, "busy", http.StatusServiceUnavailable) },
	}
	for fname, fail := range failures {
		t.Run(fname, func(t *testing.T) {
			ok := map[string]string{}
			for _, w := range writes {
				ok[w.method] = okFile(w.ok)
			}
			cs := &countingServer{arrivals: map[string]int{}, ok: ok}
			cs.fail = func(_ string, n int, w http.ResponseWriter, r *http.Request) bool {
				if n%2 == 0 {
					fail(w, r)
					return true
				}
				return false
			}
			srv := httptest.NewServer(cs)
			defer srv.Close()
			c := newTestClient(t, srv.URL, mor.WithRetries(5, time.Millisecond))
			for _, w := range writes {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				if err := w.call(ctx, c); err != nil {
					t.Fatalf("%s warm-up: %v", w.method, err)
				}
				err := w.call(ctx, c)
				cancel()
				if err == nil {
					t.Errorf("%s: a failed call reported success", w.method)
				}
				if fname != "503" && !mor.InDoubt(err) {
					t.Errorf("%s: %v: not InDoubt after the request was written", w.method, err)
				}
				if got := cs.count(w.method); got != 2 {
					t.Errorf("%s: %d arrivals for 2 calls, want 2 (%v)", w.method, got, err)
				}
			}
		})
	}
}
