package eventloop

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// TestPanicBreaksLoop checks that a Go panic in a task, a timer callback or a
// function given to Do never leaves Run or Do, and that the loop then reports
// itself broken.
func TestPanicBreaksLoop(t *testing.T) {
	cases := []struct {
		name  string
		start func(l *Loop)
	}{
		{"task", func(l *Loop) { l.Queue(func() { panic("boom") }) }},
		{"native function called by script", func(l *Loop) {
			l.Queue(func() {
				_ = l.vm.Set("boom", func() { panic("boom") })
				_, _ = l.RunProgram(goja.MustCompile("t.js", "boom()", false))
			})
		}},
		{"timer", func(l *Loop) {
			l.Queue(func() {
				_ = l.vm.Set("boom", func() { panic("boom") })
				_, _ = l.vm.RunString("setTimeout(boom, 0)")
			})
		}},
		{"microtask", func(l *Loop) {
			l.Queue(func() {
				_ = l.vm.Set("boom", func() { panic("boom") })
				_, _ = l.vm.RunString("Promise.resolve().then(boom)")
			})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := New(goja.New(), Options{})
			defer l.Close()
			c.start(l)
			var pe *PanicError
			if err := l.Run(context.Background()); !errors.As(err, &pe) || pe.Value != "boom" {
				t.Fatalf("Run: %v, want the *PanicError of boom", err)
			}
			if err := l.Run(context.Background()); !errors.As(err, &pe) {
				t.Errorf("second Run: %v, want the loop broken", err)
			}
		})
	}
}

func TestDoPanics(t *testing.T) {
	l := New(goja.New(), Options{})
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go func() { _ = l.Run(ctx) }()
	var pe *PanicError
	if err := l.Do(ctx, func() error { panic("boom") }); !errors.As(err, &pe) || pe.Value != "boom" {
		t.Errorf("Do: %v, want the *PanicError of boom", err)
	}
}

// TestDoClosed checks that Do returns when Close drops its task instead of
// waiting for a Run that will never come.
func TestDoClosed(t *testing.T) {
	l := New(goja.New(), Options{})
	errc := make(chan error, 1)
	go func() {
		errc <- l.Do(context.Background(), func() error { return nil })
	}()
	// No Run: the task stays queued until Close drops it.
	for queued := false; !queued; runtime.Gosched() {
		l.mu.Lock()
		queued = len(l.tasks) > 0
		l.mu.Unlock()
	}
	l.Close()
	if err := <-errc; !errors.Is(err, ErrClosed) {
		t.Errorf("Do: %v, want ErrClosed", err)
	}
}

// TestStackOverflowReported checks that goja's uncatchable stack overflow is
// reported as V8's RangeError.
func TestStackOverflowReported(t *testing.T) {
	vm := goja.New()
	vm.SetMaxCallStackSize(100)
	var got *goja.Exception
	l := New(vm, Options{OnException: func(e *goja.Exception) { got = e }})
	defer l.Close()
	l.Queue(func() { _, _ = l.RunProgram(goja.MustCompile("s.js", "function f() { return f() + 1 } f()", false)) })
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got == nil {
		t.Fatal("nothing reported")
	}
	o := got.Value().ToObject(vm)
	if name := o.Get("name").String(); name != "RangeError" || o.Get("message").String() != "Maximum call stack size exceeded" {
		t.Errorf("reported %v", got.Value())
	}
	if !strings.Contains(o.Get("stack").String(), "s.js:1") {
		t.Errorf("stack %q names no position", o.Get("stack"))
	}
}
