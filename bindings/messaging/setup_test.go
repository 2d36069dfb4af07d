package messaging

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// env is a realm with an event loop and the bindings this package needs, and
// log(...values), which records a line for the test.
type env struct {
	vm    *goja.Runtime
	realm *webidl.Realm
	loop  *eventloop.Loop

	mu    sync.Mutex
	lines []string
	// logged receives each line as it is logged.
	logged chan string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWith(t, nil)
}

// newEnvWith is newEnv for a realm whose cluster has memory as its budget.
func newEnvWith(t testing.TB, memory *bindings.Budget) *env {
	t.Helper()
	vm := goja.New()
	e := &env{vm: vm, realm: webidl.NewRealm(vm), logged: make(chan string, 1024)}
	e.loop = eventloop.New(vm, eventloop.Options{
		OnException: func(exc *goja.Exception) { e.log("uncaught: " + exc.Value().String()) },
	})
	t.Cleanup(e.loop.Close)
	benv := bindings.NewEnv(e.realm, e.loop)
	benv.Cluster.Memory = memory
	if err := bindings.Install(benv, Binding); err != nil {
		t.Fatal(err)
	}
	if err := events.InstallGlobal(e.realm); err != nil {
		t.Fatal(err)
	}
	if err := vm.Set("log", func(c goja.FunctionCall) goja.Value {
		parts := make([]string, len(c.Arguments))
		for i, a := range c.Arguments {
			parts[i] = a.String()
		}
		e.log(strings.Join(parts, " "))
		return goja.Undefined()
	}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) log(s string) {
	e.mu.Lock()
	e.lines = append(e.lines, s)
	e.mu.Unlock()
	select {
	case e.logged <- s:
	default:
	}
}

func (e *env) output() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.lines...)
}

// run runs src as a task and then the loop until it is out of work.
func (e *env) run(t testing.TB, src string) {
	t.Helper()
	e.loop.Queue(func() {
		if _, err := e.vm.RunString(src); err != nil {
			e.log("error: " + err.Error())
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.loop.Run(ctx); err != nil {
		t.Fatal(err)
	}
}

// want checks the lines logged so far.
func (e *env) want(t testing.TB, want ...string) {
	t.Helper()
	got := e.output()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("logged:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// do runs fn on the loop and waits for it (the loop must be running).
func (e *env) do(t testing.TB, fn func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.loop.Do(ctx, func() error { fn(); return nil }); err != nil {
		t.Fatal(err)
	}
}

// waitFor waits until line is logged.
func (e *env) waitFor(t testing.TB, line string) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case s := <-e.logged:
			if s == line {
				return
			}
		case <-timeout:
			t.Fatalf("timed out waiting for %q; logged %q", line, e.output())
		}
	}
}

func (e *env) eval(t testing.TB, src string) goja.Value {
	t.Helper()
	v, err := e.vm.RunString(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return v
}
