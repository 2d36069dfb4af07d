package eventloop

import (
	"errors"

	"github.com/dop251/goja"
)

// goja runs promise jobs when its call stack empties. When an uncatchable
// exception (an interrupt, its call stack limit) unwinds out of a promise job
// it is running, such as an async function resumed after an await, goja keeps
// a frame of it and believes script still runs: it never runs a promise job
// again, silently. Nothing outside goja can repair that, but it can be seen:
// verifyJobs runs a promise job of its own after such an unwinding and
// breaks the loop (ErrStaleFrames) if the job does not run.

// Verify checks that goja still runs promise jobs, for an embedder that
// interrupted script it ran outside Run (Interrupt, then ClearInterrupt). It
// returns ErrStaleFrames, and breaks the loop, if goja no longer does. Call it
// on the goroutine that owns the runtime with no script running: with no Run
// in progress, or from a task (then Run returns ErrStaleFrames after it).
func (l *Loop) Verify() error {
	l.unwound = true
	l.verifyJobs()
	l.mu.Lock()
	defer l.mu.Unlock()
	if errors.Is(l.broken, ErrStaleFrames) {
		return ErrStaleFrames
	}
	return nil
}

// verifyJobs runs the functions OnUnwind registered and checks, on the loop
// goroutine and with no script running, that goja still runs promise jobs,
// if an uncatchable exception unwound script since the last check.
func (l *Loop) verifyJobs() {
	if !l.unwound {
		return
	}
	l.unwound = false
	for _, fn := range l.onUnwind {
		fn()
	}
	if l.then != nil && !l.jobsRun() {
		l.breakWith(ErrStaleFrames)
	}
}

// jobsRun reports whether a reaction to a resolved promise runs when a call
// from Go into goja returns, as it does whenever goja's call stack empties.
func (l *Loop) jobsRun() (ran bool) {
	vm := l.vm
	p, resolve, _ := vm.NewPromise()
	if err := resolve(goja.Undefined()); err != nil {
		return false
	}
	onFulfilled := vm.ToValue(func(goja.FunctionCall) goja.Value {
		ran = true
		return goja.Undefined()
	})
	_, _ = l.then(vm.ToValue(p), onFulfilled)
	return ran
}

// OnUnwind registers fn to run, on the loop goroutine with no script
// running, after an uncatchable exception (an interrupt, goja's stack
// overflow) unwound script and before script runs again: for a binding
// whose state, set and reset by script it calls, the unwinding may have left
// set.
func (l *Loop) OnUnwind(fn func()) {
	l.onUnwind = append(l.onUnwind, fn)
}
