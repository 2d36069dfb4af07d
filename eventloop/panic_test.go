package eventloop

import (
	"bytes"
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

// TestHostileExceptionsReported checks that reporting thrown values whose
// conversion runs script that throws (a Proxy's traps, toString, getters) never
// panics and never makes reportError throw: such values are described as V8
// does without running script.
func TestHostileExceptionsReported(t *testing.T) {
	cases := []struct{ name, value, want string }{
		{"null prototype", `Object.create(null)`, "#<Object>"},
		{"throwing Proxy", `new Proxy({}, { get() { throw 1; }, getPrototypeOf() { throw 2; }, ownKeys() { throw 3; }, getOwnPropertyDescriptor() { throw 4; }, has() { throw 5; } })`, "#<Object>"},
		{"Proxy of an Error", `new Proxy(new Error("x"), { get() { throw 1; }, getPrototypeOf() { throw 2; } })`, "#<Object>"},
		{"revoked Proxy", `(() => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; })()`, "#<Object>"},
		{"throwing toString", `({ toString() { throw new Error("no"); } })`, "#<Object>"},
		{"toString returning an object", `({ toString() { return {}; }, valueOf() { return {}; } })`, "#<Object>"},
		{"Error with throwing getters", `(() => { const e = new Error("m"); Object.defineProperty(e, "stack", { get() { throw 1; } }); Object.defineProperty(e, "message", { get() { throw 2; } }); return e; })()`, "#<Error>"},
		{"Error whose name is an object", `(() => { const e = new TypeError("m"); e.name = Object.create(null); return e; })()`, "#<Error>"},
		{"stack that is an object", `({ stack: { toString() { throw 1; } }, toString() { return "plain"; } })`, "plain"},
		{"stack overflow in toString", `({ toString() { return String(this); } })`, "#<Object>"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stderr bytes.Buffer
			l, lines := newLoop(t, Options{Stderr: &stderr})
			l.vm.SetMaxCallStackSize(200)
			err := runScript(t, l, `const make = () => `+c.value+`;
				try { reportError(make()); log("reportError returned"); } catch (e) { log("reportError threw"); }
				setTimeout(() => { throw make(); }, 0);
				Promise.reject(make());
				throw make();`)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if got := strings.Join(lines(), "|"); got != "reportError returned" {
				t.Errorf("lines %q", got)
			}
			var reports []string
			for _, line := range strings.Split(stderr.String(), "\n") {
				if strings.HasPrefix(line, "Uncaught") {
					reports = append(reports, line)
				}
			}
			u, p := "Uncaught "+c.want, "Uncaught (in promise) "+c.want
			if got, want := strings.Join(reports, "|"), strings.Join([]string{u, u, p, u}, "|"); got != want {
				t.Errorf("reports %q, want %q", got, want)
			}
		})
	}
}

// TestInterruptWhileReporting checks that a thrown value whose toString (or
// stack getter) loops forever ends the run with the context's error and leaves
// the loop usable.
func TestInterruptWhileReporting(t *testing.T) {
	for _, src := range []string{
		`throw { toString() { for (;;) {} } }`,
		`setTimeout(() => { throw { toString() { for (;;) {} } }; }, 0)`,
		`Promise.reject({ get stack() { for (;;) {} } })`,
	} {
		l, _ := newLoop(t, Options{})
		l.Queue(func() { _, _ = l.RunProgram(goja.MustCompile("t.js", src, false)) })
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		if err := l.Run(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: Run: %v, want %v", src, err, context.DeadlineExceeded)
		}
		cancel()
		// The loop is not broken: the next Run finds nothing left to do.
		if err := l.Run(context.Background()); err != nil {
			t.Errorf("%s: next Run: %v", src, err)
		}
	}
}
