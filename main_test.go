package mor_test

import (
	"os"
	"testing"

	"github.com/morbilling/mor-go/internal/leaktest"
)

// TestMain fails the package's tests when any goroutine outlives them: a
// call that returns must not leave a reader, a timer or a connection behind.
func TestMain(m *testing.M) {
	os.Exit(leaktest.Check(m.Run()))
}
