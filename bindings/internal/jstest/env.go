package jstest

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// Options say how New makes a runtime. The zero value makes a realm with no
// API base URL on a loop with eventloop's default options.
type Options struct {
	BaseURL string            // the realm's API base URL; "" for none
	Loop    eventloop.Options // the event loop's options
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
	loop := eventloop.New(vm, o.Loop)
	t.Cleanup(func() {
		loop.Close()
		if o.AfterClose != nil {
			o.AfterClose(realm)
		}
	})
	return bindings.NewEnv(realm, loop)
}

// Install installs bs in env, and fails the test if that fails.
func Install(t testing.TB, env *bindings.Env, bs ...*bindings.Binding) {
	t.Helper()
	if err := bindings.Install(env, bs...); err != nil {
		t.Fatal(err)
	}
}
