package streams

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// env is a runtime with an event loop, the events, abort and streams interfaces, and
// a log of uncaught errors and unhandled rejections.
type env struct {
	vm       *goja.Runtime
	loop     *eventloop.Loop
	realm    *webidl.Realm
	reported jstest.Reported
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWith(t)
}

// newEnvWith is newEnv with more bindings installed before streams.
func newEnvWith(t testing.TB, more ...*bindings.Binding) *env {
	t.Helper()
	e := &env{}
	benv := jstest.New(t, jstest.Options{Loop: e.reported.LoopOptions()})
	e.vm, e.loop, e.realm = benv.Loop.VM(), benv.Loop, benv.Realm
	jstest.Install(t, benv, append(more, Binding)...)
	return e
}

// run runs src, the body of an async function, on the loop and returns the string its
// promise fulfills with, or "rejected: <reason>".
func (e *env) run(t testing.TB, src string) string {
	t.Helper()
	return jstest.Script{}.Await(t, e.loop, src)
}

// jsCase is a script and the result it must give.
type jsCase struct {
	name string
	src  string
	want string
}

func runCases(t *testing.T, cases []jsCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			if got := e.run(t, c.src); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			e.reported.Check(t)
		})
	}
}
