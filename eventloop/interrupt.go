package eventloop

import (
	"context"
	"sync"
)

// interrupts lets code that runs long outside goja's interpreter (a
// WebAssembly function, say) stop where script would: goja checks its
// interrupt only between script instructions, so Interrupt also cancels a
// context such code watches.
type interrupts struct {
	mu     sync.Mutex
	ctx    context.Context
	cancel context.CancelCauseFunc
}

// current returns the context the next Interrupt cancels.
func (in *interrupts) current() context.Context {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.ctx == nil {
		in.ctx, in.cancel = context.WithCancelCause(context.Background())
	}
	return in.ctx
}

// fire cancels the current context with cause.
func (in *interrupts) fire(cause error) {
	in.current()
	in.mu.Lock()
	defer in.mu.Unlock()
	in.cancel(cause)
}

// clear forgets a canceled context, so that the next one is live.
func (in *interrupts) clear() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.ctx != nil && in.ctx.Err() != nil {
		in.ctx, in.cancel = nil, nil
	}
}

// Interrupt interrupts the script running on the loop's goja runtime with v,
// as goja.Runtime.Interrupt does, and cancels the context that
// InterruptContext returned, with v as its cause when v is an error. It may
// be called from any goroutine. Code outside the loop that interrupts its
// script calls this rather than goja's Interrupt, so that work the script
// started in Go sees the interrupt too.
func (l *Loop) Interrupt(v any) {
	l.vm.Interrupt(v)
	cause, _ := v.(error)
	if cause == nil {
		cause = context.Canceled
	}
	l.interrupts.fire(cause)
}

// ClearInterrupt clears an interrupt, as goja.Runtime.ClearInterrupt does,
// and readies a new context for InterruptContext.
func (l *Loop) ClearInterrupt() {
	l.vm.ClearInterrupt()
	l.interrupts.clear()
}

// InterruptContext returns a context that the loop's next Interrupt
// cancels: a binding that runs long in Go on the loop goroutine (such as
// WebAssembly code) stops when it is done, where script would have been
// interrupted. Take it afresh for each such run.
func (l *Loop) InterruptContext() context.Context {
	return l.interrupts.current()
}
