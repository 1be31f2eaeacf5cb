package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

const backupHelp = `[--db PATH] FILE

Writes a consistent snapshot of the database to FILE (SQLite's VACUUM
INTO), safe to run while herald runs: the copy holds everything committed
before it started. It never overwrites: an existing FILE is an error. The
copy is then opened and checked (PRAGMA integrity_check).

To restore: stop herald, copy FILE over the database, remove the
database's -wal and -shm files, start herald.`

func cmdBackup(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "backup", backupHelp)
	db := dbFlag(e, fs)
	if code, ok := parseFlags(fs, reorder(e.args)); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "herald backup: give one file to write the backup to")
		fs.Usage()
		return exitUsage
	}
	out := fs.Arg(0)
	// Refuse early, before opening (and perhaps migrating) the database.
	if _, err := os.Lstat(out); err == nil {
		fmt.Fprintf(e.stderr, "herald backup: %s already exists; a backup never overwrites a file: choose a new name or remove it first\n", out)
		return exitFailed
	}
	// store.Open would create a missing database and back up an empty one.
	if _, err := os.Stat(*db); err != nil {
		fmt.Fprintf(e.stderr, "herald backup: no database at %s (set --db or HERALD_DB)\n", *db)
		return exitFailed
	}
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	if err := st.Backup(ctx, out); err != nil {
		if herald.ErrorCode(err) == herald.EConflict {
			fmt.Fprintf(e.stderr, "herald backup: %v\n", herald.ErrorMessage(err))
		} else {
			fmt.Fprintf(e.stderr, "herald backup: %v\n", err)
		}
		return exitFailed
	}
	info, err := os.Stat(out)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald backup: %v\n", err)
		return exitFailed
	}
	lines, err := store.IntegrityCheck(ctx, out)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald backup: wrote %s but it does not open: %v\n", out, err)
		return exitFailed
	}
	result := strings.Join(lines, "; ")
	if result != "ok" {
		fmt.Fprintf(e.stderr, "herald backup: wrote %s but integrity_check says: %s\n", out, result)
		return exitFailed
	}
	fmt.Fprintf(e.stdout, "backup written: %s (%s), integrity_check: %s\n", out, byteSize(info.Size()), result)
	return exitOK
}

// byteSize renders n bytes as people read sizes: 812 B, 3.4 MiB.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
