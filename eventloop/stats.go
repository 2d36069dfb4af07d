package eventloop

import (
	"sync/atomic"
	"time"
)

// Stats are counts of a loop's work at one moment.
type Stats struct {
	// Tasks is the number of tasks queued and not yet started.
	Tasks int
	// Timers is the number of timers that can still queue a task: those
	// pending, and the repeating ones.
	Timers int
	// Holds is the number of holds (see Hold) not yet released: pending I/O
	// such as open sockets and requests in flight.
	Holds int
	// Busy is the time spent running tasks, each with its microtask
	// checkpoint, since the loop was made: script, and the Go code it calls.
	Busy time.Duration
}

// stats are the counts Stats reads that only the loop goroutine changes,
// but for the timers' (timerQueue.n).
type stats struct {
	busy atomic.Int64 // nanoseconds
}

// Stats returns the loop's counts. It may be called from any goroutine.
func (l *Loop) Stats() Stats {
	l.mu.Lock()
	s := Stats{Tasks: len(l.tasks), Holds: l.holds}
	l.mu.Unlock()
	s.Timers = int(l.timers.n.Load())
	s.Busy = time.Duration(l.stats.busy.Load())
	return s
}
