package bench

import (
	"os"
	"testing"

	"github.com/morbilling/mor-go/internal/leaktest"
)

// TestMain checks that the benchmark helpers (servers, transports, heap
// samplers) leave no goroutine behind.
func TestMain(m *testing.M) {
	os.Exit(leaktest.Check(m.Run()))
}
