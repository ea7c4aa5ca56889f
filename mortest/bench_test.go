package mortest_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	mor "github.com/morbilling/mor-go"
	"github.com/morbilling/mor-go/mortest"
)

// BenchmarkAddList is the load the SDK's own load test puts on the fake:
// many concurrent cli_add calls, then a listing of everything.
func BenchmarkAddList(b *testing.B) {
	srv := mortest.NewServer(mortest.WithSpecWorld())
	defer srv.Close()
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: fmt.Sprint(10_000_000 + n.Add(1))}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	clis, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{})
	if err != nil || len(clis) != 3+int(n.Load()) {
		b.Fatalf("listed %d, err %v", len(clis), err)
	}
}

// A 10,000-row import then one listing, as the SDK's bulk test does.
func TestBulkImport10k(t *testing.T) {
	if testing.Short() {
		t.Skip("bulk import skipped in -short mode")
	}
	srv := newSpecServer(t)
	c, err := mor.NewClient(srv.URL, "admin", mortest.SpecSecret)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const rows, workers = 10_000, 8
	var wg sync.WaitGroup
	errs := make(chan error, rows)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < rows; i += workers {
				if err := c.CLIs.Add(ctx, mor.AddCLIParams{DeviceID: 2, CLINumber: fmt.Sprint(20_000_000 + i)}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	clis, err := c.CLIs.List(ctx, mor.DeviceCLIsParams{DeviceID: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(clis) != rows+1 {
		t.Fatalf("listed %d CLIs, want %d", len(clis), rows+1)
	}
}
