package mor_test

import (
	"fmt"
	"net/http"
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests when any goroutine outlives them: a
// call that returns must not leave a reader, a timer or a connection
// behind. Idle keep-alive connections of http.DefaultTransport (used by
// clients made without WithHTTPClient) are closed first; they are the
// transport's, not a leak.
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
