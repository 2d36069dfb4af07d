package jstest

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// Options say how New makes a runtime. The zero value makes a realm with no
// API base URL on a loop with eventloop's default options.
type Options struct {
	BaseURL string            // the realm's API base URL; "" for none
	Loop    eventloop.Options // the event loop's options
	// Strict makes an uncaught exception, and an exception an event
	// listener throws, fail the test (it replaces Loop.OnException).
	Strict bool
	// AfterClose, if not nil, runs when the test ends, once the loop has
	// closed.
	AfterClose func(*webidl.Realm)
}

// New returns the bindings environment of a realm on a new runtime with an
// event loop, which is closed when the test ends. Nothing is installed yet.
func New(t testing.TB, o Options) *bindings.Env {
	t.Helper()
	vm := goja.New()
	realm := webidl.NewRealm(vm)
	realm.SetAPIBaseURL(o.BaseURL)
	if o.Strict {
		o.Loop.OnException = func(exc *goja.Exception) { t.Errorf("uncaught exception: %v", exc) }
	}
	loop := eventloop.New(vm, o.Loop)
	t.Cleanup(func() {
		loop.Close()
		if o.AfterClose != nil {
			o.AfterClose(realm)
		}
	})
	env := bindings.NewEnv(realm, loop)
	if o.Strict {
		bindings.Configure(env, events.Options{ReportException: func(err error) { t.Errorf("listener threw: %v", err) }})
	}
	return env
}

// Install installs bs in env, and fails the test if that fails.
func Install(t testing.TB, env *bindings.Env, bs ...*bindings.Binding) {
	t.Helper()
	if err := bindings.Install(env, bs...); err != nil {
		t.Fatal(err)
	}
}

// NewRealm returns a new runtime and its realm, with no event loop, and bs
// installed.
func NewRealm(t testing.TB, bs ...*bindings.Binding) (*goja.Runtime, *webidl.Realm) {
	t.Helper()
	vm := goja.New()
	r := webidl.NewRealm(vm)
	Install(t, bindings.NewEnv(r, nil), bs...)
	return vm, r
}

// NewBudgetedRealm is NewRealm for a cluster whose memory budget is limit
// bytes, which it returns too.
func NewBudgetedRealm(t testing.TB, limit int64, bs ...*bindings.Binding) (*goja.Runtime, *webidl.Realm, *bindings.Budget) {
	t.Helper()
	vm := goja.New()
	r := webidl.NewRealm(vm)
	env := bindings.NewEnv(r, nil)
	env.Cluster.Memory = bindings.NewBudget(limit)
	Install(t, env, bs...)
	return vm, r, env.Cluster.Memory
}
