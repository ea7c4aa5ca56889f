//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"fmt"
	"os"
	"syscall"
)

// lockResults takes an exclusive lock next to the results file, so that two
// imports never write the same results file at once. The lock dies with the
// process, so a killed run leaves no stale lock (only an empty file).
func lockResults(results string) (unlock func(), err error) {
	path := results + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s is in use by another mor import (lock %s: %w)", results, path, err)
	}
	return func() {
		os.Remove(path)
		f.Close()
	}, nil
}
