package store_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBuildWithoutCgoNamesTheFix builds the store with cgo off, as a
// machine without a C compiler would, and checks that the first error
// names the C compiler and CGO_ENABLED.
func TestBuildWithoutCgoNamesTheFix(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the package again")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	cmd := exec.Command(gobin, "vet", ".")
	cmd.Env = append(cmd.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the store built without cgo; SQLite needs it:\n%s", out)
	}
	lines := strings.Split(string(out), "\n")
	var first string
	for _, l := range lines {
		if strings.Contains(l, ".go:") {
			first = l
			break
		}
	}
	if !strings.Contains(first, "C_compiler") || !strings.Contains(first, "CGO_ENABLED_1") {
		t.Errorf("the first error without cgo does not name the C compiler and CGO_ENABLED:\n%s", out)
	}
}
