package eventloop

import (
	"sync"
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
	// The batch of tasks running counts for the time it has run so far, so
	// that a caller a task has answered (Do) sees that task's time.
	Busy time.Duration
}

// stats are the counts Stats reads that only the loop goroutine changes,
// but for the timers' (timerQueue.n).
type stats struct {
	mu    sync.Mutex
	busy  time.Duration // of the batches that ended
	since time.Time     // when the batch running began; zero between batches
}

// begin and end bracket a batch of tasks.
func (s *stats) begin() {
	s.mu.Lock()
	s.since = time.Now()
	s.mu.Unlock()
}

func (s *stats) end() {
	s.mu.Lock()
	s.busy += time.Since(s.since)
	s.since = time.Time{}
	s.mu.Unlock()
}

// busyTime is the time spent in batches, the one running included.
func (s *stats) busyTime() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.since.IsZero() {
		return s.busy
	}
	return s.busy + time.Since(s.since)
}

// Stats returns the loop's counts. It may be called from any goroutine.
func (l *Loop) Stats() Stats {
	l.mu.Lock()
	s := Stats{Tasks: len(l.tasks), Holds: l.holds}
	l.mu.Unlock()
	s.Timers = int(l.timers.n.Load())
	s.Busy = l.stats.busyTime()
	return s
}
