package mor_test

import (
	"context"
	"fmt"
	"time"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

func ExampleCallsService_All() {
	zone := time.FixedZone("EET", 2*3600) // the MOR server's zone
	srv := mortest.NewServer(mortest.WithSpecWorld(), mortest.WithLocation(zone))
	defer srv.Close()
	// Ten thousand synthetic calls over one day.
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, zone)
	srv.GenerateCalls(10000, day, day.Add(24*time.Hour-time.Second), 1)

	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		panic(err)
	}
	// The day in one-hour windows, two fetched ahead: calls stream in time
	// order, each decoded as it arrives.
	q := mor.CallsQuery{From: day, Till: day.Add(24*time.Hour - time.Second), Window: time.Hour, Ahead: 2, Zone: zone}
	n, billed := 0, time.Duration(0)
	var first mor.Call
	for call, err := range c.Calls.All(context.Background(), q) {
		if err != nil {
			panic(err)
		}
		if n == 0 {
			first = call
		}
		n++
		billed += call.Billsec
	}
	fmt.Println(n, "calls; first at", first.Time.Format(time.DateTime), "priced", first.UserPrice)
	fmt.Println("billed hours:", int(billed.Hours()))
	// Output:
	// 10000 calls; first at 2024-05-01 00:00:00 priced 0.00 USD
	// billed hours: 484
}
