package mortest_test

import (
	"fmt"
	"net/http"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when any goroutine outlives them: a
// closed Server must leave no serving goroutine or connection behind. Idle
// keep-alive connections of http.DefaultTransport are the transport's, not
// a leak, and are closed first.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak: goroutines left behind after the tests:", err)
			code = 1
		}
	}
	os.Exit(code)
}
