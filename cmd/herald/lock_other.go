//go:build !unix

package main

// lockDB is a no-op where flock is not available; run one herald per
// database there.
func lockDB(dbPath string) (release func(), err error) { return func() {}, nil }
