package main

import "testing"

// The example runs end to end against its in-process fake, and fails
// (rather than pretending) on a bad number.
func TestRun(t *testing.T) {
	t.Setenv("MOR_URL", "")
	if err := run(2, "37060000001"); err != nil {
		t.Fatalf("run: %v", err)
	}
	if err := run(2, "not-a-number"); err == nil {
		t.Fatal("run with a non-numeric CLI: want an error")
	}
}
