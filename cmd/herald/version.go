package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/herald-news/herald/store"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise the build info's module version is shown.
var version = "dev"

// buildVersion returns the version set at link time or the module's
// version from the build info, then the VCS commit the go command
// recorded (marked "modified" when the tree had uncommitted changes) and
// the Go version: "herald v1.2.0 (commit 0123456789ab, go1.26.0)".
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	v := version
	if v == "dev" && ok && info.Main.Version != "" {
		v = info.Main.Version
	}
	var extra []string
	if ok {
		var rev, modified string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = ", modified"
				}
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			extra = append(extra, "commit "+rev+modified, info.GoVersion)
		} else {
			extra = append(extra, info.GoVersion, "no commit recorded: built outside git or with -buildvcs=false")
		}
	}
	if len(extra) == 0 {
		return v
	}
	return v + " (" + strings.Join(extra, ", ") + ")"
}

func cmdVersion(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "version", "\n\nPrints herald's version (module version and commit, from the build\ninfo), the Go version and the schema version it writes. Also: herald --version.")
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	fmt.Fprintf(e.stdout, "herald %s, schema %d\n", buildVersion(), store.SchemaVersion())
	return exitOK
}
