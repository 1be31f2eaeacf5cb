//go:build !cgo

package store

// herald keeps its data in SQLite through github.com/mattn/go-sqlite3,
// which is C code built by cgo. Without cgo (CGO_ENABLED=0, or no C
// compiler found, in which case the go command turns cgo off) the build
// would otherwise fail with "undefined: sqlite3.Error", which points at
// nothing. The identifier below is the message.
//
// Fix: install a C compiler (Debian/Ubuntu: apt-get install gcc; Alpine:
// apk add build-base; macOS: xcode-select --install) and build with
// CGO_ENABLED=1.
var _ = herald_needs_cgo_for_SQLite__install_a_C_compiler_such_as_gcc_and_build_with_CGO_ENABLED_1
