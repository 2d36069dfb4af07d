package fetch

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/abort"
	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/formdata"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	urlpkg "github.com/wsjs/wsjs/bindings/url"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// testEnv is a runtime with the Fetch API and the interfaces it needs, driven
// by an event loop.
type testEnv struct {
	t    testing.TB
	vm   *goja.Runtime
	r    *webidl.Realm
	loop *eventloop.Loop
}

// newTestEnv creates a runtime whose API base URL is base.
func newTestEnv(t testing.TB, base string, opts Options) *testEnv {
	t.Helper()
	return newTestEnvParts(t, base, opts, envParts{streams: true, blobURLs: true})
}

// envParts say which optional parts a test runtime has.
type envParts struct {
	streams  bool // the Streams API
	blobURLs bool // a blob URL store
	// memory, with blobURLs, is the cluster's memory budget.
	memory *bindings.Budget
}

// newTestEnvParts is newTestEnv, with the optional parts in parts.
func newTestEnvParts(t testing.TB, base string, opts Options, parts envParts) *testEnv {
	t.Helper()
	env := jstest.New(t, jstest.Options{BaseURL: base, Strict: true})
	vm, r, loop := env.Loop.VM(), env.Realm, env.Loop
	env.Cluster.Memory = parts.memory
	if !parts.blobURLs {
		env.Cluster = nil
	}
	bindings.Configure(env, opts)
	if parts.streams {
		jstest.Install(t, env, Binding)
	} else {
		// Binding needs streams (as blob.Binding does): register one by one.
		for _, register := range []func(*bindings.Env) error{events.Register, urlpkg.Register, blob.Register, formdata.Register, abort.Register, Register} {
			if err := register(env); err != nil {
				t.Fatal(err)
			}
		}
	}
	loop.Queue(func() {
		if _, err := vm.RunString(preludeJS); err != nil {
			t.Error(err)
		}
	})
	return &testEnv{t: t, vm: vm, r: r, loop: loop}
}

// preludeJS defines helpers for the tests' scripts: throwsName(f) is the name
// of what f throws, or "no throw"; rejection(p) resolves to the name of p's
// rejection reason, or "fulfilled".
const preludeJS = `
function throwsName(f) { try { f(); return "no throw"; } catch (e) { return e.name; } }
function rejection(p) { return p.then(() => "fulfilled", e => e.name); }
`

// run runs src, the body of an async function, on the loop until the loop
// is idle, and returns what the function returned, as a string, or
// "throws <name>: <message>" for what it threw.
func (e *testEnv) run(src string) string {
	e.t.Helper()
	return jstest.Script{}.Settle(e.t, e.loop, src)
}

// eval evaluates a synchronous expression on the loop and returns it as a
// string, or "throws <name>" for what it threw.
func (e *testEnv) eval(src string) string {
	e.t.Helper()
	return e.run("return (" + src + ")")
}

type jsCase struct{ src, want string }

// runCases runs each case's source with run and compares the result.
func (e *testEnv) runCases(t *testing.T, cases []jsCase) {
	t.Helper()
	for _, c := range cases {
		if got := e.run(c.src); got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}
