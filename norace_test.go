//go:build !race

package mor_test

const raceEnabled = false
