//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"fmt"
	"os"
	"syscall"
)

// lockResults takes an exclusive lock beside the results file, so that two
// imports never write the same results file at once. The lock is taken on
// the file's resolved path (resolveResults), so that a symlink to the
// results file, or a path through a symlinked directory, shares the lock of
// the file itself.
//
// The lock file is never removed, not even by its holder. Removing it
// would let two processes hold "the" lock at once: one that opened the old
// file just before it was unlinked goes on to flock that orphan, while the
// next one creates and flocks a new file under the same name. Left in
// place, every process opens the same file and flock does the rest. The
// lock dies with the process, so a killed run leaves no stale lock, only
// the empty lock file.
func lockResults(results string) (unlock func(), err error) {
	resolved, err := resolveResults(results)
	if err != nil {
		return nil, err
	}
	path := resolved + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s is in use by another mor import (lock %s: %w)", results, path, err)
	}
	return func() { f.Close() }, nil
}
