package runtime

import (
	"context"
	"errors"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/eventloop"
)

// ErrServing is returned by Start when it was called before, and by Run,
// RunFile and RunScript once Start has been called.
var ErrServing = errors.New("runtime: Start was called: the runtime serves one script")

// ErrNotServing is returned by Call when the runtime is not serving: Start
// has not returned nil, or serving has ended (Err says why).
var ErrNotServing = errors.New("runtime: not serving")

// ErrNotFunction is wrapped by the error Call returns when the name it is
// given does not name a function of the script; the runtime goes on serving.
var ErrNotFunction = errors.New("not a function of the script")

// serving is the state of Start; r.mu guards it but for exports.
type serving struct {
	started bool          // Start was called
	done    chan struct{} // closed when the serving loop has ended
	err     error         // why it ended
	exports goja.Value    // the entry's exports; loop goroutine only
}

// Start evaluates s in the runtime and leaves the runtime serving it: Start
// returns once the entry module has been evaluated (its top-level await
// included), and the event loop goes on running on a goroutine of its own,
// even with nothing to do, running Call, Do, timers and I/O until Close is
// called (to tie serving to a context, context.AfterFunc(ctx, rt.Close)).
//
// ctx bounds the evaluation only: if it ends first, script is interrupted,
// the runtime stops serving and Start returns ctx's error. An exception the
// entry throws, or the rejection of its top-level await, is returned as an
// *Error (not reported to Stderr); the runtime then stops serving. A
// runtime starts once: Start returns ErrServing the second time, and Run,
// RunFile and RunScript return it after Start. While serving, uncaught errors
// never stop the runtime: they go to Stderr and Options.OnError.
func (r *Runtime) Start(ctx context.Context, s *Script) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	err := r.unusable()
	if err == nil && r.srv.started {
		err = ErrServing
	}
	r.srv.started = err == nil || r.srv.started
	r.mu.Unlock()
	if err != nil {
		return err
	}
	if err := r.acquire(ctx); err != nil { // a run in progress ends first
		r.stopped(err, false)
		return err
	}
	r.mu.Lock()
	if err := r.unusable(); err != nil {
		r.mu.Unlock()
		r.stopped(err, true)
		return err
	}
	base := r.defaultBase(s.file)
	r.baseURL = base
	r.srv.done = make(chan struct{})
	done := r.srv.done
	r.setRunning(true)
	r.mu.Unlock()

	ready := make(chan error, 1)
	r.loop.Queue(func() {
		r.realm.SetAPIBaseURL(base.String())
		r.startEntry(s, ready)
		r.startClientMessages()
	})
	// The heap bound ends serving, with ErrHeapExceeded as its cause.
	loopCtx, stopLoop := r.heap.watch(context.Background())
	go r.serve(loopCtx, stopLoop, r.loop.Hold())
	interrupt := context.AfterFunc(ctx, stopLoop)
	select {
	case err = <-ready:
	case <-done:
	case <-ctx.Done():
	case <-r.closing:
	}
	if err == nil && interrupt() {
		select {
		case <-done: // Close came first
			return r.servingErr()
		case <-r.closing: // Close came first: serving stops below
		default:
			return nil
		}
	}
	stopLoop()
	// Script stops within the grace, or the runtime is given up on.
	grace, stopGrace := r.graceTimer()
	defer stopGrace()
	select {
	case <-done:
	case <-grace:
		if ctx.Err() != nil {
			return r.giveUp(ctx.Err())
		}
		return r.giveUp(ErrClosed)
	}
	if ctx.Err() != nil {
		err = ctx.Err()
	} else if err == nil {
		err = r.servingErr()
	}
	// Serving ended because of what Start returns: Err says so too.
	r.mu.Lock()
	if !r.closed && r.broken == nil {
		r.srv.err = err
	}
	r.mu.Unlock()
	return err
}

// unusable returns why the runtime can run nothing, if it cannot; r.mu must
// be held.
func (r *Runtime) unusable() error {
	switch {
	case r.closed:
		return ErrClosed
	case r.broken != nil:
		return r.broken
	}
	return nil
}

// stopped records that serving ended with err before its loop started;
// held says that r.exclusive is held, to release.
func (r *Runtime) stopped(err error, held bool) {
	r.mu.Lock()
	r.srv.err = err
	r.srv.done = make(chan struct{})
	close(r.srv.done)
	r.mu.Unlock()
	if held {
		r.release()
	}
}

// startEntry evaluates s's entry, as a task, and sends the outcome to ready
// once it is known: at once, or when the promise of its top-level await
// settles.
func (r *Runtime) startEntry(s *Script, ready chan<- error) {
	v, async, err := r.evaluate(s.l)
	if err != nil {
		ready <- r.scriptError(err)
		return
	}
	if !s.l.Module {
		ready <- nil // a classic script: Call looks up globals
		return
	}
	if !async {
		r.srv.exports = v
		ready <- nil
		return
	}
	r.await(v, func(v goja.Value, err error) {
		r.srv.exports = v
		ready <- err
	})
}

// serve runs the loop until Close, a broken runtime or stop; hold keeps
// the loop from ending for lack of work.
func (r *Runtime) serve(ctx context.Context, stop context.CancelFunc, hold func()) {
	var err error
	for {
		// Run returns nil only when stopped (Loop.Stop), which nothing asks
		// for while serving; it would be no reason to stop serving.
		if err = r.loop.Run(ctx); err != nil {
			break
		}
	}
	if errors.Is(err, context.Canceled) {
		err = context.Cause(ctx) // ErrHeapExceeded, or still Canceled
	}
	hold()
	stop()
	r.mu.Lock()
	r.setRunning(false)
	if r.broken == nil && (errors.As(err, new(*eventloop.PanicError)) || errors.Is(err, eventloop.ErrStaleFrames)) {
		r.broken = err
	}
	if r.closed {
		err = ErrClosed
	}
	r.srv.err = err
	r.baseURL = r.defaultBase("")
	close(r.srv.done)
	r.mu.Unlock()
	r.release()
}

// servingErr returns why serving ended, once it has.
func (r *Runtime) servingErr() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.broken != nil {
		return r.broken
	}
	return r.srv.err
}

// Err returns why the runtime can run no more script, or nil while it can:
// ErrClosed once Close has been called; the *eventloop.PanicError or
// eventloop.ErrStaleFrames that broke it; or, once serving has ended, why
// it ended (the error Start returned, or the context error of a Call whose
// interrupt ended it). A host that gets an error from Call asks Err whether
// to discard the runtime: nil means the call failed and the runtime serves on.
func (r *Runtime) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.unusable(); err != nil {
		return err
	}
	if r.srv.started && r.srv.done != nil {
		select {
		case <-r.srv.done:
			if r.srv.err != nil {
				return r.srv.err
			}
			return ErrNotServing
		default:
		}
	}
	return nil
}

// isServing reports whether Start has been called.
func (r *Runtime) isServing() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.srv.started
}
