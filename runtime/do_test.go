package runtime

import (
	"context"
	"errors"
	"fmt"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/eventloop"
)

// TestDoNeverOutlivesItsTask checks that Do returns when the run it queued
// on ends, or Close drops its task, instead of waiting for a run to come.
func TestDoNeverOutlivesItsTask(t *testing.T) {
	cases := []struct {
		name  string
		throw bool // the script throws once unblocked, which stops the run
		end   func(rt *Runtime, cancel context.CancelFunc)
		want  error
	}{
		{"run stopped by an uncaught error", true, func(*Runtime, context.CancelFunc) {}, ErrRunEnded},
		{"run's context canceled", false, func(_ *Runtime, cancel context.CancelFunc) { cancel() }, ErrRunEnded},
		{"Close", false, func(rt *Runtime, _ context.CancelFunc) { go rt.Close() }, ErrClosed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rt, err := New(Options{Stdout: &syncBuffer{}, Stderr: &syncBuffer{}})
			if err != nil {
				t.Fatal(err)
			}
			defer rt.Close()
			// The script's task blocks in a Go function until the test lets
			// it go, so that the Do below stays queued behind it.
			gate, entered := make(chan struct{}), make(chan struct{})
			if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
				return vm.Set("block", func() { close(entered); <-gate })
			}); err != nil {
				t.Fatal(err)
			}
			runCtx, cancel := context.WithCancel(context.Background())
			defer cancel()
			runDone := make(chan error, 1)
			src := fmt.Sprintf(`setTimeout(() => {}, 60000); block(); if (%t) throw new Error("stop")`, c.throw)
			go func() { runDone <- rt.RunScript(runCtx, "s.js", src) }()
			<-entered
			doErr := make(chan error, 1)
			go func() {
				doErr <- rt.Do(context.Background(), func(*goja.Runtime) error { return nil })
			}()
			for queued := false; !queued; goruntime.Gosched() {
				rt.mu.Lock()
				queued = rt.pending > 0
				rt.mu.Unlock()
			}
			c.end(rt, cancel)
			if c.want == ErrClosed {
				// Close drops the task while the script still blocks.
				if err := <-doErr; !errors.Is(err, c.want) {
					t.Errorf("Do: %v, want %v", err, c.want)
				}
				close(gate)
			} else {
				close(gate)
				if err := <-doErr; !errors.Is(err, c.want) {
					t.Errorf("Do: %v, want %v", err, c.want)
				}
			}
			<-runDone
		})
	}
}

// TestDoPanic checks that a Go panic in Do's function reaches neither the
// caller nor the loop goroutine as a panic, and leaves the runtime reported
// unusable.
func TestDoPanic(t *testing.T) {
	rt, err := New(Options{Stdout: &syncBuffer{}, Stderr: &syncBuffer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	var pe *eventloop.PanicError
	err = rt.Do(context.Background(), func(vm *goja.Runtime) error {
		_, err := vm.RunString(`'\u{10FFFF}'`) // goja's parser panics
		return err
	})
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "unicode") {
		t.Fatalf("Do: %v, want an *eventloop.PanicError naming goja's parser panic", err)
	}
	if err := rt.RunScript(context.Background(), "after.js", `1`); !errors.As(err, &pe) {
		t.Errorf("run after the panic: %v, want the PanicError", err)
	}
	if err := rt.Do(context.Background(), func(*goja.Runtime) error { return nil }); !errors.As(err, &pe) {
		t.Errorf("Do after the panic: %v, want the PanicError", err)
	}
}

// TestDoInterrupted checks that outside a run the end of Do's context
// interrupts script that fn runs, and the runtime stays usable.
func TestDoInterrupted(t *testing.T) {
	rt, err := New(Options{Stdout: &syncBuffer{}, Stderr: &syncBuffer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err = rt.Do(ctx, func(vm *goja.Runtime) error {
		_, err := vm.RunString(`for (;;) {}`)
		return err
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Do: %v, want the deadline", err)
	}
	var got goja.Value
	if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		var err error
		got, err = vm.RunString(`Promise.resolve(2).then(v => globalThis.v = v); 1 + 1`)
		return err
	}); err != nil || got.ToInteger() != 2 {
		t.Errorf("Do after the interrupt: %v %v", got, err)
	}
}

// TestDoInterruptedServing checks that while the runtime serves, and during
// a run, the end of Do's context interrupts script that fn runs, as it does
// outside a run: Do returns once fn has, the loop is free for what comes
// next, and Err says at once whether the runtime can go on.
func TestDoInterruptedServing(t *testing.T) {
	for _, c := range []struct {
		name, src string
		broken    bool
	}{
		{"loop", `for (;;) {}`, false},
		{"loop in a promise job", `(async () => { await null; for (;;) {} })(); 1`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rt, _ := startScript(t, CompileOptions{Path: "s.js", Dir: t.TempDir(), Source: `export const ok = () => "ok";`}, Options{})
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			err := rt.Do(ctx, func(vm *goja.Runtime) error {
				_, err := vm.RunString(c.src)
				return err
			})
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Do: %v, want the deadline", err)
			}
			if c.broken {
				if err := rt.Err(); !errors.Is(err, eventloop.ErrStaleFrames) {
					t.Fatalf("Err = %v right after Do, want eventloop.ErrStaleFrames", err)
				}
				return
			}
			if err := rt.Err(); err != nil {
				t.Fatalf("Err = %v after an interrupted loop", err)
			}
			call, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if got, err := rt.Call(call, "ok"); got != "ok" || err != nil {
				t.Errorf("Call after the interrupt: %v, %v", got, err)
			}
		})
	}
}

// TestInterruptInPromiseJob checks that a runtime left unable to run promise
// jobs by an interrupt inside one (a goja bug: eventloop.ErrStaleFrames) says
// so to its host instead of failing silently, after a run and after Do.
func TestInterruptInPromiseJob(t *testing.T) {
	// The context ends once the loop has started, not after a time that a
	// loaded machine can spend before the job runs at all.
	const src = `(async () => { await null; started(); for (;;) {} })()`
	for _, viaDo := range []bool{false, true} {
		rt, err := New(Options{Stdout: &syncBuffer{}, Stderr: &syncBuffer{}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
			return vm.Set("started", cancel)
		}); err != nil {
			t.Fatal(err)
		}
		if viaDo {
			err = rt.Do(ctx, func(vm *goja.Runtime) error {
				_, err := vm.RunString(src)
				return err
			})
		} else {
			err = rt.RunScript(ctx, "a.js", src)
		}
		cancel()
		if !errors.Is(err, context.Canceled) && !errors.Is(err, eventloop.ErrStaleFrames) {
			t.Errorf("Do %t: interrupted run: %v", viaDo, err)
		}
		if err := rt.RunScript(context.Background(), "b.js", `Promise.resolve().then(() => {})`); !errors.Is(err, eventloop.ErrStaleFrames) {
			t.Errorf("Do %t: next run: %v, want eventloop.ErrStaleFrames", viaDo, err)
		}
		rt.Close()
	}
}
