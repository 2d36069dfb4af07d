package runtime

import (
	"context"
	"errors"
	"runtime/debug"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/eventloop"
)

// ErrRunEnded is returned by Do when the run it queued its function on ended
// (an uncaught error, or the run's context) before the function could start.
var ErrRunEnded = errors.New("runtime: the run ended before the function given to Do ran")

// Do runs fn with the goja runtime, for embedders to add globals or call into script.
// During a run, and while the runtime serves (see Start), fn runs as a task on the
// event loop (microtasks it causes run when it returns); otherwise it runs at once (on
// a goroutine of the runtime's, the caller waiting), and tasks and timers it schedules
// run at the next run. fn must not keep vm or its values beyond the call. Do
// must not be called from inside fn or from script.
//
// Do never outlives its task: if the run ends before fn starts, Do returns ErrRunEnded;
// if Close drops the task, ErrClosed; if ctx ends first, ctx's error: fn does not run,
// or, if it has started, script it runs is interrupted (in a run, while serving and
// outside alike) and Do returns once fn has, or once Limits.InterruptGrace has
// passed (see ErrUnresponsive); an interrupt that leaves goja unable to
// run promise jobs makes Err say so by then. A Go panic
// in fn, or in goja under it, is returned as an *eventloop.PanicError and leaves the
// runtime unusable: every later run and Do return it; so does eventloop.ErrStaleFrames.
func (r *Runtime) Do(ctx context.Context, fn func(vm *goja.Runtime) error) error {
	for {
		r.mu.Lock()
		switch {
		case r.closed:
			r.mu.Unlock()
			return ErrClosed
		case r.broken != nil:
			r.mu.Unlock()
			return r.broken
		case r.running:
			return r.doQueued(ctx, fn) // unlocks r.mu
		}
		changed := r.changed
		r.mu.Unlock()
		select {
		case r.exclusive <- struct{}{}:
			return r.doNow(ctx, fn)
		case <-r.givenUp:
			return ErrUnresponsive
		case <-changed:
			// A run started: queue on it.
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// doQueued queues fn on the running loop and waits for it; r.mu is held on
// entry and released.
func (r *Runtime) doQueued(ctx context.Context, fn func(vm *goja.Runtime) error) error {
	t := &loopTask{}
	done := make(chan error, 1)
	ended := r.changed // closed when the run ends or Close is called
	r.pending++
	queued := r.loop.Queue(func() {
		r.mu.Lock()
		r.pending--
		r.mu.Unlock()
		if !t.move(taskQueued, taskRunning) {
			return // Do has returned
		}
		defer func() {
			if p := recover(); p != nil {
				// The loop breaks on it too (eventloop.PanicError).
				done <- &eventloop.PanicError{Value: p, Stack: debug.Stack()}
				panic(p)
			}
		}()
		err := fn(r.vm)
		r.finishTask(t)
		r.startClientMessages()
		done <- err
	})
	if !queued {
		r.pending--
		r.mu.Unlock()
		return ErrClosed
	}
	r.mu.Unlock()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		if t.move(taskQueued, taskAbandoned) {
			return ctx.Err()
		}
		// fn runs: interrupt its script, and wait for it to unwind, so that
		// what comes next finds the runtime as it will stay; for the grace
		// at most.
		t.interrupt(r.loop, ctx.Err())
		grace, stop := r.graceTimer()
		defer stop()
		select {
		case <-done:
		case <-ended:
		case <-grace:
			return r.giveUp(ctx.Err())
		}
		return ctx.Err()
	case <-ended:
		if t.move(taskQueued, taskAbandoned) {
			r.mu.Lock()
			closed := r.closed
			r.mu.Unlock()
			if closed {
				return ErrClosed
			}
			return ErrRunEnded
		}
		select {
		case err := <-done:
			return err
		case <-r.givenUp: // by Close
			return ErrUnresponsive
		}
	}
}

// doNow runs fn outside a run, with the end of ctx interrupting script, on
// a goroutine of its own (drive): the caller holds r.exclusive, which that
// goroutine releases.
func (r *Runtime) doNow(parent context.Context, fn func(vm *goja.Runtime) error) error {
	// The heap bound interrupts fn's script as the context would; fn runs
	// outside the loop, which does not enter the heap guard for it.
	ctx, done := r.heap.watch(parent)
	result := r.drive(func() error {
		defer done()
		return r.doOutside(parent, ctx, fn)
	})
	return r.wait(ctx.Done(), func() error { return r.endedBy(parent, ctx) }, result)
}

// doOutside is doNow on the goroutine that runs fn.
func (r *Runtime) doOutside(parent, ctx context.Context, fn func(vm *goja.Runtime) error) (err error) {
	r.mu.Lock()
	closed, broken := r.closed, r.broken
	r.mu.Unlock()
	switch {
	case closed:
		return ErrClosed
	case broken != nil:
		return broken
	}
	// Before the context can interrupt: nothing may stop halfway.
	if err := r.loop.Prepare(); err != nil {
		r.mu.Lock()
		r.broken = err
		r.mu.Unlock()
		return err
	}
	r.heapGuard.Enter()
	defer r.heapGuard.Leave()
	interrupted := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		r.loop.Interrupt(context.Cause(ctx))
		close(interrupted)
	})
	defer func() {
		if !stop() {
			<-interrupted
			r.loop.ClearInterrupt()
			// A type check, not errors.As: unwrapping a *goja.Exception runs
			// script (instanceof, getters), which nothing could interrupt now.
			if _, ok := err.(*goja.InterruptedError); ok {
				err = ended(parent, ctx)
			}
			// An interrupt inside a promise job can leave goja unable to
			// run promise jobs (eventloop.ErrStaleFrames).
			if verr := r.loop.Verify(); verr != nil {
				r.mu.Lock()
				r.broken = verr
				r.mu.Unlock()
				err = verr
			}
		}
		if p := recover(); p != nil {
			pe := &eventloop.PanicError{Value: p, Stack: debug.Stack()}
			r.mu.Lock()
			r.broken = pe
			r.mu.Unlock()
			err = pe
		}
	}()
	err = fn(r.vm)
	r.startClientMessages()
	return err
}
