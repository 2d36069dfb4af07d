package filereader

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/eventloop"
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
	env := jstest.New(t, jstest.Options{Strict: true})
	vm, loop := env.Loop.VM(), env.Loop
	env.Global = global
	env.Cluster.Memory = memory
	jstest.Install(t, env, Binding)
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
	return jstest.Script{}.Settle(e.t, e.loop, src)
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
