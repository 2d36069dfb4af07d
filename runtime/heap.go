package runtime

import (
	"context"
	"errors"
	"sync"

	"github.com/wsjs/wsjs/runtime/internal/heapwatch"
)

// ErrHeapExceeded is returned by a run, Do, Call or Start whose script was
// interrupted because the Go heap of the process went over
// Limits.HeapBytes while it, or a worker under it, ran script. The runtime
// is then as after a deadline: close it.
var ErrHeapExceeded = errors.New("runtime: script interrupted: the Go heap went over Limits.HeapBytes")

// heapBound is the state of Limits.HeapBytes that a top-level runtime and
// the workers under it share: what ends the top-level run, Do or serving
// loop in progress when the bound trips in any of them.
type heapBound struct {
	bound int64
	mu    sync.Mutex
	stop  context.CancelCauseFunc // the one in progress, or nil
}

// newHeapGuard returns the heap guard of r (see heapwatch), or nil when the
// bound is lifted. Its trip ends what r's tree runs, then interrupts r's
// script: in that order, so that the run the interrupt ends already sees
// why.
func (r *Runtime) newHeapGuard() *heapwatch.Guard {
	if r.heap.bound <= 0 {
		return nil
	}
	return &heapwatch.Guard{Bound: r.heap.bound, Trip: func() {
		r.heap.trip()
		r.loop.Interrupt(ErrHeapExceeded)
	}}
}

// busy is the event loop's Busy option (eventloop.Options): the guard is
// entered while the loop runs tasks.
func (r *Runtime) busy(b bool) {
	if b {
		r.heapGuard.Enter()
	} else {
		r.heapGuard.Leave()
	}
}

// watch returns ctx, ended with ErrHeapExceeded as its cause if the heap
// bound trips before done is called; done must be called once what ctx
// bounds has ended. Only top-level runs, Do and serving call it: they take
// turns.
func (h *heapBound) watch(ctx context.Context) (_ context.Context, done func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	h.mu.Lock()
	h.stop = cancel
	h.mu.Unlock()
	return ctx, func() {
		h.mu.Lock()
		h.stop = nil
		h.mu.Unlock()
		cancel(nil)
	}
}

// trip ends what watch's context bounds, if anything.
func (h *heapBound) trip() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stop != nil {
		h.stop(ErrHeapExceeded)
	}
}

// ended returns why ctx, made by watch from parent, ended: parent's error,
// or ErrHeapExceeded.
func ended(parent, ctx context.Context) error {
	if err := parent.Err(); err != nil {
		return err
	}
	return context.Cause(ctx)
}
