package runtime

import "time"

// Metrics are counts of what a runtime holds and has done, for a host to
// watch the scripts it runs (see Runtime.Metrics).
type Metrics struct {
	// Timers is the number of timers (setTimeout, setInterval) that can
	// still fire: pending ones, and repeating ones until they are cleared.
	// Limits.Timers bounds it.
	Timers int
	// Tasks is the number of tasks queued on the event loop and not yet
	// started: callbacks of timers that are due, events of sockets and
	// ports, Call and Do tasks.
	Tasks int
	// PendingIO is the number of operations that keep the event loop alive
	// while they are pending: sockets that are not closed, fetches and
	// XMLHttpRequests in flight, calls of AsyncFuncs not settled, workers
	// that have work to do, and the like.
	PendingIO int
	// Workers is the number of workers (dedicated, shared and service)
	// running under the runtime, at any depth: the count Limits.Workers
	// bounds.
	Workers int
	// ScriptTime is the time the event loop has spent running tasks, each
	// with its microtasks, since the runtime was made: script, and the web
	// API code it calls (a synchronous XMLHttpRequest's wait included), not
	// the runtime's workers. It grows with every Call, Start, Run and Do
	// task; a Do outside a run is not counted.
	ScriptTime time.Duration
}

// Metrics returns the runtime's metrics at this moment. It may be called from
// any goroutine, at any time, even from script (from a Go function of a
// Module); it takes a lock and reads counters, and never waits for the event
// loop. Once the runtime is closed, only ScriptTime is reported.
func (r *Runtime) Metrics() Metrics {
	s := r.loop.Stats()
	m := Metrics{Timers: s.Timers, Tasks: s.Tasks, PendingIO: s.Holds, ScriptTime: s.Busy}
	r.mu.Lock()
	closed, serving := r.closed, r.srv.done != nil && r.srv.err == nil && r.running
	r.mu.Unlock()
	if closed {
		return Metrics{ScriptTime: s.Busy}
	}
	if serving {
		m.PendingIO = max(0, m.PendingIO-1) // the hold that keeps serving
	}
	if r.workers != nil {
		m.Workers = r.workers()
	}
	return m
}
