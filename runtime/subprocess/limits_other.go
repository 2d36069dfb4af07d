//go:build !(linux || darwin)

package subprocess

import (
	"runtime/debug"
	"time"
)

const cpuMarker = "wsjs subprocess: CPU time limit exceeded"

// setLimits applies what it can where rlimits are not used (they are on
// Linux and macOS):
// the memory limit as Go's soft limit only, and no CPU limit.
func setLimits(memory int64, cpu time.Duration) error {
	if memory > 0 {
		debug.SetMemoryLimit(softMemoryLimit(memory))
	}
	return nil
}
