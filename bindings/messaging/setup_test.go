package messaging

import (
	"context"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// env is a realm with an event loop and the bindings this package needs, and
// log(...values), which records a line for the test.
type env struct {
	vm    *goja.Runtime
	realm *webidl.Realm
	loop  *eventloop.Loop
	*jstest.Log
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWith(t, nil)
}

// newEnvWith is newEnv for a realm whose cluster has memory as its budget.
func newEnvWith(t testing.TB, memory *bindings.Budget) *env {
	t.Helper()
	e := &env{Log: jstest.NewLog()}
	benv := jstest.New(t, jstest.Options{Loop: eventloop.Options{
		OnException: func(exc *goja.Exception) { e.Add("uncaught: " + exc.Value().String()) },
	}})
	e.vm, e.realm, e.loop = benv.Loop.VM(), benv.Realm, benv.Loop
	benv.Cluster.Memory = memory
	jstest.Install(t, benv, Binding)
	if err := events.InstallGlobal(e.realm); err != nil {
		t.Fatal(err)
	}
	e.Define(t, e.vm)
	return e
}

// run runs src as a task and then the loop until it is out of work.
func (e *env) run(t testing.TB, src string) {
	t.Helper()
	jstest.Script{Timeout: 10 * time.Second}.Run(t, e.loop, src, func(err error) { e.Add("error: " + err.Error()) })
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

func (e *env) eval(t testing.TB, src string) goja.Value {
	t.Helper()
	v, err := e.vm.RunString(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return v
}
