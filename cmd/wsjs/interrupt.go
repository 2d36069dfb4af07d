package main

import (
	"context"
	"os"
	"os/signal"
)

// An interruptWatch cancels a context when the process receives an interrupt
// (Ctrl-C), as signal.NotifyContext does, without having the caller wait
// for the Go runtime's signal thread: subscribing and unsubscribing each
// take a round trip to it, which a loaded machine stretches to
// milliseconds. The command subscribes while it creates the runtime and
// unsubscribes as the process exits, when it no longer matters.
type interruptWatch struct {
	ctx    context.Context
	cancel context.CancelFunc
	ready  chan struct{} // closed once interrupts are caught
	done   chan struct{} // closed by stop
}

// watchInterrupts starts catching interrupts for a context derived from
// parent.
func watchInterrupts(parent context.Context) *interruptWatch {
	w := &interruptWatch{ready: make(chan struct{}), done: make(chan struct{})}
	w.ctx, w.cancel = context.WithCancel(parent)
	go func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, os.Interrupt)
		close(w.ready)
		select {
		case <-ch:
			// Later interrupts are still taken until stop, as with
			// signal.NotifyContext.
			w.cancel()
			<-w.done
		case <-w.done:
		}
		signal.Stop(ch)
	}()
	return w
}

// context returns the context, once interrupts are caught: from then on an
// interrupt cancels it.
func (w *interruptWatch) context() context.Context {
	<-w.ready
	return w.ctx
}

// stop cancels the context and lets go of interrupts, without waiting.
func (w *interruptWatch) stop() {
	w.cancel()
	close(w.done)
}
