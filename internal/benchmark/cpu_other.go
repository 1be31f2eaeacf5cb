//go:build !unix

package benchmark

import (
	"errors"
	"time"
)

// processCPU is unknown off Unix.
func processCPU() (time.Duration, error) {
	return 0, errors.New("no CPU time on this system")
}
