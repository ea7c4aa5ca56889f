package mor_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	mor "github.com/morbilling/mor-go"
)

// BenchmarkCardsAll streams a calling_cards_get reply of 10,000 cards.
func BenchmarkCardsAll(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <cards>\n")
	const n = 10000
	for i := range n {
		fmt.Fprintf(&sb, "    <card>\n      <card_id>%d</card_id>\n      <card_number>%010d</card_number>\n      <card_name></card_name>\n"+
			"      <card_pin>%04d</card_pin>\n      <card_batch_number/>\n      <card_callerid/>\n      <card_balance>10.0840336134454</card_balance>\n"+
			"      <card_minimal_balance>0.0</card_minimal_balance>\n      <card_first_use></card_first_use>\n"+
			"      <card_daily_charge_paid_till></card_daily_charge_paid_till>\n      <card_sold>0</card_sold>\n      <card_language>en</card_language>\n    </card>\n",
			i+1, 1111111000+i, i%10000)
	}
	sb.WriteString("  </cards>\n</page>\n")
	body := sb.String()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(httpmock.NewStringResponder(200, body))
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", "s", mor.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		count := 0
		for _, err := range c.Cards.All(context.Background(), mor.CardsListParams{}) {
			if err != nil {
				b.Fatal(err)
			}
			count++
		}
		if count != n {
			b.Fatalf("%d cards", count)
		}
	}
}
