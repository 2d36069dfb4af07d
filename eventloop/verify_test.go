package eventloop

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// TestStaleFramesReported checks that a loop whose goja runtime stopped
// running promise jobs after an interrupt inside one says so, and that one
// whose stack overflowed, in a job or not, goes on running them.
func TestStaleFramesReported(t *testing.T) {
	cases := []struct {
		name, src string
		broken    bool
	}{
		{"interrupt inside an async function", `(async () => { await null; for (;;) {} })()`, true},
		{"stack overflow", `function f() { return f() + 1 } f()`, false},
		{"stack overflow inside a promise job", `Promise.resolve().then(function f() { return f() + 1 })`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vm := goja.New()
			vm.SetMaxCallStackSize(200)
			l := New(vm, Options{OnException: func(*goja.Exception) {}})
			defer l.Close()
			l.Queue(func() { _, _ = l.RunProgram(goja.MustCompile("s.js", c.src, false)) })
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			_ = l.Run(ctx)
			ran := false
			l.Queue(func() {
				_ = vm.Set("done", func() { ran = true })
				_, _ = l.RunProgram(goja.MustCompile("t.js", `Promise.resolve().then(done)`, false))
			})
			err := l.Run(context.Background())
			switch {
			case c.broken && !errors.Is(err, ErrStaleFrames):
				t.Errorf("Run: %v, want ErrStaleFrames", err)
			case !c.broken && (err != nil || !ran):
				t.Errorf("Run: %v, job ran %t; want the runtime to go on", err, ran)
			}
		})
	}
}

// TestOnUnwind checks that the functions OnUnwind registers run once after
// script was unwound, by an interrupt or a stack overflow, before script
// runs again, and not otherwise.
func TestOnUnwind(t *testing.T) {
	for _, c := range []struct {
		name, src string
		unwound   bool
	}{
		{"interrupt", `for (;;) {}`, true},
		{"stack overflow", `function f() { return f() + 1 } f()`, true},
		{"exception", `throw 1`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			vm := goja.New()
			vm.SetMaxCallStackSize(200)
			l := New(vm, Options{OnException: func(*goja.Exception) {}})
			defer l.Close()
			calls := 0
			l.OnUnwind(func() { calls++ })
			l.Queue(func() { _, _ = l.RunProgram(goja.MustCompile("s.js", c.src, false)) })
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			_ = l.Run(ctx)
			seen := -1
			l.Queue(func() { seen = calls })
			if err := l.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			want := 0
			if c.unwound {
				want = 1
			}
			if seen != want || calls != want {
				t.Errorf("calls before the next task %d, after %d; want %d", seen, calls, want)
			}
		})
	}
}
