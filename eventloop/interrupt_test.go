package eventloop

import (
	"context"
	"errors"
	"testing"

	"github.com/dop251/goja"
)

func TestInterruptContext(t *testing.T) {
	l := New(goja.New(), Options{})
	defer l.Close()
	cause := errors.New("stop")
	steps := []struct {
		name string
		do   func()
		done bool
	}{
		{"fresh", func() {}, false},
		{"interrupted", func() { l.Interrupt(cause) }, true},
		{"cleared", l.ClearInterrupt, false},
		{"interrupted with a non-error", func() { l.Interrupt("x") }, true},
	}
	for _, s := range steps {
		s.do()
		// Until cleared, an interrupt leaves the context done.
		if got := l.InterruptContext().Err() != nil; got != s.done {
			t.Errorf("%s: done = %v, want %v", s.name, got, s.done)
		}
	}
	l.ClearInterrupt()
	ctx := l.InterruptContext()
	l.Interrupt(cause)
	if context.Cause(ctx) != cause {
		t.Errorf("cause = %v, want %v", context.Cause(ctx), cause)
	}
	l.ClearInterrupt()
	if _, err := l.vm.RunString("1"); err != nil {
		t.Errorf("after ClearInterrupt: %v", err)
	}
}
