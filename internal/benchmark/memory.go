package benchmark

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
)

// ErrNoMemoryFigures is returned by ReadMemory where the system does not
// report a process's resident set size the way Linux does.
var ErrNoMemoryFigures = errors.New("benchmark: resident set size is only read on Linux")

// Memory is the process's resident set size, in bytes: now (VmRSS) and
// the most it has been since the process started (VmHWM, the high-water
// mark).
type Memory struct {
	RSS  uint64
	Peak uint64
}

// ReadMemory reads the process's resident set size from /proc/self/status.
// It fails with ErrNoMemoryFigures on systems other than Linux, and when
// the file cannot be read or lacks the figures.
func ReadMemory() (Memory, error) {
	if runtime.GOOS != "linux" {
		return Memory{}, ErrNoMemoryFigures
	}
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return Memory{}, fmt.Errorf("benchmark: %w", err)
	}
	return parseStatus(raw)
}

// parseStatus reads VmRSS and VmHWM, given in kB, from the text of
// /proc/self/status.
func parseStatus(raw []byte) (Memory, error) {
	var m Memory
	var rss, hwm bool
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) != 3 || string(f[2]) != "kB" {
			continue
		}
		kb, err := strconv.ParseUint(string(f[1]), 10, 64)
		if err != nil {
			continue
		}
		switch string(f[0]) {
		case "VmRSS:":
			m.RSS, rss = kb*1024, true
		case "VmHWM:":
			m.Peak, hwm = kb*1024, true
		}
	}
	if !rss || !hwm {
		return Memory{}, errors.New("benchmark: /proc/self/status has no VmRSS or VmHWM")
	}
	return m, nil
}
