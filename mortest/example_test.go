package mortest_test

import (
	"context"
	"fmt"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// Using mortest in your own tests: seed the data your code needs, call your
// code, then inspect what changed and how often the server was called.
func Example() {
	srv := mortest.NewServer()
	defer srv.Close()
	srv.SetSettings(0, mortest.Settings{AllowAPI: true, Secret: "s3cret"})
	srv.AddUser(mortest.User{ID: 0, Username: "admin", Type: mortest.Admin})
	srv.AddUser(mortest.User{ID: 10, Username: "alice", Type: mortest.SimpleUser, FirstName: "Alice", LastName: "Smith"})
	dev := srv.AddDevice(mortest.Device{Type: "SIP", Name: "1001", UserID: 10})

	c, err := mor.NewClient(srv.URL, "admin", "s3cret")
	if err != nil {
		panic(err)
	}
	if err := c.CLIs.Add(context.Background(), mor.AddCLIParams{DeviceID: dev, CLINumber: "442071234567"}); err != nil {
		panic(err)
	}

	cli, ok := srv.CLI("442071234567")
	fmt.Println(ok, cli.DeviceID == dev, cli.Description == nil)
	fmt.Println("cli_add calls:", srv.Requests("cli_add"))
	// Output:
	// true true true
	// cli_add calls: 1
}
