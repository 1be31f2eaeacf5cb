//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockDB takes an exclusive lock beside the database, so that one herald
// run dispatches from it at a time: a second instance would otherwise race
// the first for the same posts. The lock goes when the process does, even
// on SIGKILL.
func lockDB(dbPath string) (release func(), err error) {
	path := dbPath + ".lock"
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot create the lock file %s beside the database (--db or HERALD_DB): %w; give the user herald runs as write access to %s, or point HERALD_DB at a database in a writable directory", path, err, filepath.Dir(path))
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("another herald run is using %s (lock %s held)", dbPath, path)
	}
	return func() { f.Close() }, nil
}
