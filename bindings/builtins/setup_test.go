package builtins

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// newVM returns a goja runtime with the built-ins installed with opts.
func newVM(t testing.TB, opts Options) *goja.Runtime {
	t.Helper()
	vm, err := newRuntime(opts)
	if err != nil {
		t.Fatal(err)
	}
	return vm
}

func newRuntime(opts Options) (*goja.Runtime, error) {
	return newRuntimeIn(opts, bindings.Window)
}

// newRuntimeIn is newRuntime with a global object of the given kind: goja's
// own, as in a runtime that installs its web APIs at once (webidl's
// Realm.Eager).
func newRuntimeIn(opts Options, global bindings.Global) (*goja.Runtime, error) {
	vm := goja.New()
	realm := webidl.NewRealm(vm)
	if err := realm.Eager(); err != nil {
		return nil, err
	}
	env := bindings.NewEnv(realm, nil)
	env.Global = global
	bindings.Configure(env, opts)
	return vm, bindings.Install(env, Binding)
}

// bounded are the options the tests bound sizes with.
var bounded = Options{ArrayBufferBytes: 1 << 20, StringLength: 1 << 20}

// A scriptCase is a script and the string its completion value converts to.
type scriptCase struct{ src, want string }

// runCases runs each case in a runtime of its own with the default options.
func runCases(t *testing.T, cases []scriptCase) {
	t.Helper()
	for _, c := range cases {
		vm := newVM(t, Options{})
		v, err := vm.RunString(c.src)
		if err != nil || v == nil || v.String() != c.want {
			t.Errorf("%s: got %v, %v; want %s", c.src, v, err, c.want)
		}
	}
}
