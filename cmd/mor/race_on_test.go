//go:build race

package main

// raceEnabled builds the binary under test with the race detector too, so
// that go test -race also checks the import engine running in it.
const raceEnabled = true
