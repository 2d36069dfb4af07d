package filereader

import (
	"context"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// testEnv is a runtime with FileReader and the interfaces it needs, driven by
// an event loop.
type testEnv struct {
	t    testing.TB
	vm   *goja.Runtime
	loop *eventloop.Loop
}

// newTestEnv returns a testEnv whose global object is of kind global, with
// memory as the cluster's memory budget.
func newTestEnv(t testing.TB, global bindings.Global, memory *bindings.Budget) *testEnv {
	t.Helper()
	vm := goja.New()
	r := webidl.NewRealm(vm)
	loop := eventloop.New(vm, eventloop.Options{OnException: func(exc *goja.Exception) {
		t.Errorf("uncaught exception: %v", exc)
	}})
	t.Cleanup(loop.Close)
	env := bindings.NewEnv(r, loop)
	env.Global = global
	env.Cluster.Memory = memory
	bindings.Configure(env, events.Options{ReportException: func(err error) { t.Errorf("listener threw: %v", err) }})
	if err := bindings.Install(env, Binding); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.RunString(preludeJS); err != nil {
		t.Fatal(err)
	}
	return &testEnv{t: t, vm: vm, loop: loop}
}

// preludeJS defines helpers for the tests' scripts:
//
//	throwsName(f)  the name of what f throws, or "no throw"
//	trace(fr)      an array that fr's events are logged to as "<type>(<loaded>/<total>)"
//	next(fr, type) a promise fulfilled at fr's next event of that type
const preludeJS = `
function throwsName(f) { try { f(); return "no throw"; } catch (e) { return e.name; } }
function trace(fr) {
	const log = [];
	for (const t of ["loadstart", "progress", "abort", "error", "load", "loadend"]) {
		fr.addEventListener(t, e => log.push(t + "(" + e.loaded + "/" + e.total + ")"));
	}
	return log;
}
function next(fr, type) { return new Promise(resolve => fr.addEventListener(type, resolve, { once: true })); }
`

// run runs src, the body of an async function, on the loop until the loop is
// idle, and returns what the function returned, as a string, or "throws
// <name>: <message>" for what it threw.
func (e *testEnv) run(src string) string {
	e.t.Helper()
	var result string
	settled := false
	e.loop.Queue(func() {
		_ = e.vm.Set("__done", func(s string) { result, settled = s, true })
		_, err := e.vm.RunString(`(async () => {` + src + `})().then(
			v => __done(String(v)),
			e => __done("throws " + (e && e.name) + ": " + (e && e.message)))`)
		if err != nil {
			e.t.Errorf("script: %v", err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := e.loop.Run(ctx); err != nil {
		e.t.Fatalf("loop: %v", err)
	}
	if !settled {
		e.t.Fatalf("the script's promise never settled")
	}
	return result
}

type jsCase struct{ name, src, want string }

// runCases runs each case's source with run and compares the result.
func (e *testEnv) runCases(t *testing.T, cases []jsCase) {
	t.Helper()
	for _, c := range cases {
		if got := e.run(c.src); got != c.want {
			t.Errorf("%s: %s\n got %q\nwant %q", c.name, c.src, got, c.want)
		}
	}
}
