package xhr

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/fetch"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// testEnv is a runtime with XMLHttpRequest and the interfaces it needs, driven
// by an event loop.
type testEnv struct {
	t    testing.TB
	vm   *goja.Runtime
	r    *webidl.Realm
	loop *eventloop.Loop
}

// envOptions say how a test runtime is made.
type envOptions struct {
	base   string // the API base URL
	window bool   // the global object implements Window, as the main runtime's does
	fetch  fetch.Options
	memory *bindings.Budget // the cluster's memory budget
}

func newTestEnv(t testing.TB, o envOptions) *testEnv {
	t.Helper()
	env := jstest.New(t, jstest.Options{BaseURL: o.base, Strict: true})
	vm, r, loop := env.Loop.VM(), env.Realm, env.Loop
	env.Cluster.Memory = o.memory
	bindings.Configure(env, o.fetch)
	if o.window {
		if err := bindings.Install(env, events.Binding); err != nil {
			t.Fatal(err)
		}
		if err := r.DefineInterface(&webidl.Interface{Name: "Window", Parent: "EventTarget"}); err != nil {
			t.Fatal(err)
		}
		if err := events.InstallGlobalAs(r, "Window"); err != nil {
			t.Fatal(err)
		}
	}
	setupRest(t, env)
	return &testEnv{t: t, vm: vm, r: r, loop: loop}
}

// setupRest installs in env events, then, after the global object has its
// interface (an EventTarget, unless it has one already), the other bindings a
// test runtime has, and queues the prelude.
func setupRest(t testing.TB, env *bindings.Env) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	r, loop := env.Realm, env.Loop
	must(bindings.Install(env, events.Binding))
	if !r.Implements(r.Global(), "EventTarget") {
		must(events.InstallGlobal(r))
	}
	must(bindings.Install(env, Binding))
	loop.Queue(func() {
		if _, err := r.VM().RunString(preludeJS); err != nil {
			t.Error(err)
		}
	})
}

// preludeJS defines helpers for the tests' scripts:
//
//	throwsName(f)      the name of what f throws, or "no throw"
//	trace(xhr, upload) an array that the request's events are logged to: "rs<readyState>"
//	                   for readystatechange, "<type>(<loaded>[/<total>])" for the others,
//	                   with an "upload." prefix for those of the upload object when upload
//	loadend(xhr)       a promise fulfilled at the request's loadend event
const preludeJS = `
function throwsName(f) { try { f(); return "no throw"; } catch (e) { return e.name; } }
function trace(xhr, upload) {
	const log = [];
	const types = ["readystatechange", "loadstart", "progress", "abort", "error", "load", "timeout", "loadend"];
	const fmt = e => "(" + e.loaded + (e.lengthComputable ? "/" + e.total : "") + ")";
	for (const t of types) {
		xhr.addEventListener(t, e => log.push(t === "readystatechange" ? "rs" + xhr.readyState : t + fmt(e)));
		if (upload && t !== "readystatechange") xhr.upload.addEventListener(t, e => log.push("upload." + t + fmt(e)));
	}
	return log;
}
function loadend(xhr) { return new Promise(resolve => xhr.addEventListener("loadend", () => resolve())); }
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
