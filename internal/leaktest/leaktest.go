// Package leaktest is the goroutine-leak check every test binary of this
// module ends with.
package leaktest

import (
	"fmt"
	"net/http"
	"os"

	"go.uber.org/goleak"
)

// Check returns code, or 1 when the tests passed but left goroutines behind
// (a reader, a timer, a server or a connection a call should have ended).
// Idle keep-alive connections of http.DefaultTransport, which clients made
// without their own http.Client share, are the transport's and are closed
// first. Use it as os.Exit(leaktest.Check(m.Run())) in TestMain.
func Check(code int) int {
	if code != 0 {
		return code
	}
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	if err := goleak.Find(); err != nil {
		fmt.Fprintln(os.Stderr, "goleak: goroutines left behind after the tests:", err)
		return 1
	}
	return 0
}
