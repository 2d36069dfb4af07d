//go:build linux || darwin

package subprocess

import (
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"
)

// cpuMarker is what a child that used up its CPU time writes to stderr.
const cpuMarker = "wsjs subprocess: CPU time limit exceeded"

// setLimits applies the child's limits to its own process: memory as
// memoryRlimit (with Go's soft limit below it, so the collector works harder
// before an allocation fails) and CPU time as RLIMIT_CPU, whose soft limit
// sends SIGXCPU (the child then says so and exits) and whose hard limit,
// a second later, SIGKILL.
func setLimits(memory int64, cpu time.Duration) error {
	if memory > 0 {
		debug.SetMemoryLimit(softMemoryLimit(memory))
		lim := uint64(memory)
		if err := syscall.Setrlimit(memoryRlimit, &syscall.Rlimit{Cur: lim, Max: lim}); err != nil {
			return fmt.Errorf("subprocess: memory limit: %w", err)
		}
	}
	if cpu > 0 {
		secs := uint64((cpu + time.Second - 1) / time.Second)
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGXCPU)
		go func() {
			<-ch
			fmt.Fprintln(os.Stderr, cpuMarker)
			os.Exit(3)
		}()
		if err := syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: secs, Max: secs + 1}); err != nil {
			return fmt.Errorf("subprocess: CPU limit: %w", err)
		}
	}
	return nil
}
