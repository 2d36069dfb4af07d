package runtime

import (
	"context"
	"errors"
	goruntime "runtime"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// blockingRuntime returns a runtime with a short interrupt grace and a
// global function block() that returns only once release is closed, as a
// built-in computing in Go would, deaf to interrupts; entered is closed
// when block is first called, and left when it returns.
func blockingRuntime(t *testing.T) (rt *Runtime, release func(), entered, left <-chan struct{}) {
	t.Helper()
	rt, err := New(Options{Stdout: &syncBuffer{}, Stderr: &syncBuffer{}, Limits: Limits{InterruptGrace: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	gate, in, out := make(chan struct{}), make(chan struct{}), make(chan struct{})
	if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		return vm.Set("block", func() {
			close(in)
			<-gate
			close(out)
		})
	}); err != nil {
		t.Fatal(err)
	}
	released := false
	release = func() {
		if !released {
			released = true
			close(gate)
		}
	}
	t.Cleanup(func() { release(); <-out; rt.Close() })
	return rt, release, in, out
}

// expectGivenUp checks err, what the call that gave the runtime up
// returned, and that the runtime is given up while block still blocks:
// Do returns ErrUnresponsive at once (ErrClosed once closed), and Close
// returns.
func expectGivenUp(t *testing.T, rt *Runtime, err, cause error, left <-chan struct{}) {
	t.Helper()
	if !errors.Is(err, ErrUnresponsive) || !errors.Is(err, cause) {
		t.Fatalf("got %v, want an error that wraps ErrUnresponsive and %v", err, cause)
	}
	select {
	case <-left:
		t.Fatal("the call returned only once block did")
	default:
	}
	want := ErrUnresponsive
	if cause == ErrClosed {
		want = ErrClosed
	}
	if err := rt.Do(context.Background(), func(*goja.Runtime) error { return nil }); !errors.Is(err, want) {
		t.Errorf("Do after: %v, want %v", err, want)
	}
	if err := rt.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// TestUnresponsiveRun checks that a run whose script does not stop once
// its context ends returns after the grace, giving the runtime up.
func TestUnresponsiveRun(t *testing.T) {
	rt, _, _, left := blockingRuntime(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err := rt.RunScript(ctx, "block.js", "block()")
	expectGivenUp(t, rt, err, context.DeadlineExceeded, left)
}

// doBlock calls block() in a Do whose context ends at once.
func doBlock(rt *Runtime) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	return rt.Do(ctx, func(vm *goja.Runtime) error {
		_, err := vm.RunString("block()")
		return err
	})
}

// TestUnresponsiveDo checks Do outside a run, and Do queued on a run.
func TestUnresponsiveDo(t *testing.T) {
	t.Run("outside a run", func(t *testing.T) {
		rt, _, _, left := blockingRuntime(t)
		expectGivenUp(t, rt, doBlock(rt), context.DeadlineExceeded, left)
	})
	t.Run("in a run", func(t *testing.T) {
		rt, _, _, left := blockingRuntime(t)
		run := make(chan error, 1)
		go func() { run <- rt.RunScript(context.Background(), "wait.js", "setTimeout(() => {}, 60000)") }()
		for running := false; !running; goruntime.Gosched() {
			rt.mu.Lock()
			running = rt.running
			rt.mu.Unlock()
		}
		expectGivenUp(t, rt, doBlock(rt), context.DeadlineExceeded, left)
		if err := <-run; !errors.Is(err, ErrUnresponsive) {
			t.Errorf("the run: %v, want ErrUnresponsive", err)
		}
	})
}

// TestUnresponsiveCall checks Call on a serving runtime.
func TestUnresponsiveCall(t *testing.T) {
	rt, _, _, left := blockingRuntime(t)
	s, err := Compile(CompileOptions{Path: "serve.js", Source: "export function f() { block() }"})
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.Start(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = rt.Call(ctx, "f")
	if _, err := rt.Call(context.Background(), "f"); !errors.Is(err, ErrUnresponsive) {
		t.Errorf("Call after: %v, want ErrUnresponsive", err)
	}
	expectGivenUp(t, rt, err, context.DeadlineExceeded, left)
}

// TestUnresponsiveClose checks that Close gives up on a run it cannot stop.
func TestUnresponsiveClose(t *testing.T) {
	rt, _, entered, left := blockingRuntime(t)
	run := make(chan error, 1)
	go func() { run <- rt.RunScript(context.Background(), "block.js", "block()") }()
	<-entered
	if err := rt.Close(); err != nil {
		t.Fatal(err)
	}
	expectGivenUp(t, rt, <-run, ErrClosed, left)
}
