package runtime

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/wsjs/wsjs/eventloop"
)

// goja sees an interrupt only between script instructions. A built-in that
// computes in Go, or a host function that blocks, runs on past it, and
// nothing can stop a goroutine from outside. So that such a call cannot
// hold the host: script runs on goroutines of the runtime's, never on the
// caller's (drive); and every wait for script to stop once interrupted
// lasts at most Limits.InterruptGrace, past which the runtime is given up
// on (giveUp): the caller returns, and so does every later call.

// ErrUnresponsive is wrapped by the error of the call that gave the runtime
// up, and returned by every call after it: script did not stop within
// Limits.InterruptGrace of its interrupt.
var ErrUnresponsive = errors.New("runtime: script did not stop within the interrupt grace (a built-in or host function computing in Go); the runtime was given up on")

// drive runs f, which runs script, on a goroutine of its own that holds
// r.exclusive (the caller acquired it) and releases it when f returns, and
// returns the channel f's result comes on then. A Go panic out of f breaks
// the runtime and is the result.
func (r *Runtime) drive(f func() error) <-chan error {
	result := make(chan error, 1)
	go func() {
		err := r.recovering(f)
		r.release()
		result <- err
	}()
	return result
}

// recovering returns what f returns, or the Go panic out of it as an
// *eventloop.PanicError, which breaks the runtime.
func (r *Runtime) recovering(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			pe := &eventloop.PanicError{Value: p, Stack: debug.Stack()}
			r.mu.Lock()
			if r.broken == nil {
				r.broken = pe
			}
			r.mu.Unlock()
			err = pe
		}
	}()
	return f()
}

// wait returns what comes on result. Once stop is closed or the runtime
// is, which interrupt its script, it waits at most the grace, and then
// gives the runtime up for what cause returns.
func (r *Runtime) wait(stop <-chan struct{}, cause func() error, result <-chan error) error {
	select {
	case err := <-result:
		return err
	case <-stop:
	case <-r.closing:
	}
	grace, cancel := r.graceTimer()
	defer cancel()
	select {
	case err := <-result:
		return err
	case <-grace:
		return r.giveUp(cause())
	}
}

// graceTimer returns a channel that receives Limits.InterruptGrace from
// now (never, when it is lifted), and what stops it.
func (r *Runtime) graceTimer() (<-chan time.Time, func()) {
	if r.grace <= 0 {
		return nil, func() {}
	}
	t := time.NewTimer(r.grace)
	return t.C, func() { t.Stop() }
}

// giveUp gives the runtime up: the goroutine running its script is left to
// end on its own, every later call returns ErrUnresponsive, and Close does
// not wait. It returns the error of the call that gave up, whose wait
// began for cause.
func (r *Runtime) giveUp(cause error) error {
	r.mu.Lock()
	if r.broken == nil {
		r.broken = ErrUnresponsive
	}
	r.mu.Unlock()
	r.giveUpOnce.Do(func() { close(r.givenUp) })
	return fmt.Errorf("%w (%w)", cause, ErrUnresponsive)
}

// endedBy returns why script of a call that ctx, watched as runCtx (see
// heapBound.watch), bounds was interrupted: Close, ctx, or the heap bound.
func (r *Runtime) endedBy(ctx, runCtx context.Context) error {
	r.mu.Lock()
	closed := r.closed
	r.mu.Unlock()
	if closed {
		return ErrClosed
	}
	return ended(ctx, runCtx)
}
