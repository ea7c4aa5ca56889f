package mor_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

func benchClient(b *testing.B, body string) *mor.Client {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(200, body), nil
	})
	c, err := mor.NewClient("https://mor.example.test/billing", "admin", mortest.SpecSecret,
		mor.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkSubscriptionsAll streams a 10,000-subscription reply.
func BenchmarkSubscriptionsAll(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <status>\n    <subscriptions>\n")
	for i := 1; i <= 10000; i++ {
		sb.WriteString("      <subscription>\n        <id>" + strconv.Itoa(i) + "</id>\n        <user>Test User #1</user>\n" +
			"        <device></device>\n        <service>Test_periodic_service</service>\n" +
			"        <from>2009-03-22 09:25:00 +0200</from>\n        <till>2017-07-22 09:25:00 +0300</till>\n" +
			"        <time_left></time_left>\n        <memo>m" + strconv.Itoa(i) + "</memo>\n        <type>periodic_fee</type>\n" +
			"        <price>10.0</price>\n        <user_id>2</user_id>\n      </subscription>\n")
	}
	sb.WriteString("    </subscriptions>\n  </status>\n</page>\n")
	c := benchClient(b, sb.String())
	b.SetBytes(int64(sb.Len()))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range c.Subscriptions.All(context.Background(), mor.SubscriptionsParams{}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 10000 {
			b.Fatal(n)
		}
	}
}

// BenchmarkInvoicesAll streams 1,000 invoices of 10 lines each.
func BenchmarkInvoicesAll(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<Invoices from="2018-01-01" till="2018-01-31">` + "\n")
	for i := 1; i <= 1000; i++ {
		sb.WriteString(`  <Invoice user_id="2" agreementnumber="" clientid="" number="INV-` + strconv.Itoa(i) + "\">\n")
		for range 10 {
			sb.WriteString("    <Product>\n      <Name>Calls</Name>\n      <Quantity>12</Quantity>\n      <Price>3.60</Price>\n" +
				"      <Date_added></Date_added>\n      <Issue_date>2018-02-01</Issue_date>\n    </Product>\n")
		}
		sb.WriteString("  </Invoice>\n")
	}
	sb.WriteString("</Invoices>\n")
	c := benchClient(b, sb.String())
	b.SetBytes(int64(sb.Len()))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range c.Invoices.All(context.Background(), mor.InvoicesParams{}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 1000 {
			b.Fatal(n)
		}
	}
}
