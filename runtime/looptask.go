package runtime

import (
	"sync"

	"github.com/wsjs/wsjs/eventloop"
)

// A loopTask is the state of a task that Call or Do queued on the loop for a
// caller that may give up on it: queued, then running its function, then
// finished (for Call, awaiting the promise the function returned); or
// abandoned by the caller before it started. A caller giving up while the
// function runs interrupts its script instead.
type loopTask struct {
	mu          sync.Mutex
	state       taskState
	interrupted bool // the caller interrupted the script the function was running
}

type taskState int

const (
	taskQueued    taskState = iota
	taskRunning             // the function runs, until it returns
	taskFinished            // the function has returned
	taskAbandoned           // the caller has returned
)

// move moves t from one state to the next, unless the caller has given up on
// it; it reports whether it did.
func (t *loopTask) move(from, to taskState) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state != from {
		return false
	}
	t.state = to
	return true
}

// interrupt interrupts the script t's function runs with err, if it runs and
// was not interrupted already.
func (t *loopTask) interrupt(l *eventloop.Loop, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state == taskRunning && !t.interrupted {
		t.interrupted = true
		l.Interrupt(err)
	}
}

// finishTask records, on the loop goroutine, that the function of t has
// returned, and reports whether its caller interrupted it. Then the interrupt
// is cleared, in case it came too late to stop anything, and the runtime is
// checked: an interrupt inside a promise job can leave goja unable to run them
// (eventloop.ErrStaleFrames), which Err then says before the caller returns.
func (r *Runtime) finishTask(t *loopTask) (interrupted bool) {
	t.mu.Lock()
	t.state = taskFinished
	interrupted = t.interrupted
	if interrupted {
		r.loop.ClearInterrupt()
	}
	t.mu.Unlock()
	if interrupted {
		r.verifyInterrupted()
	}
	return interrupted
}
