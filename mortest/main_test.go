package mortest_test

import (
	"os"
	"testing"

	"github.com/morbilling/mor-go/internal/leaktest"
)

// TestMain fails the package's tests when any goroutine outlives them: a
// closed Server must leave no serving goroutine or connection behind.
func TestMain(m *testing.M) {
	os.Exit(leaktest.Check(m.Run()))
}
