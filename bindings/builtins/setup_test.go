package builtins

import (
	"errors"
	"testing"
	"time"

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

// expectInterrupt runs each script in a new runtime with opts, interrupts
// it after 100 ms, and checks that the interrupt ends it within two seconds
// (times raceSlowdown): each loops in Go where goja alone sees no interrupt.
func expectInterrupt(t *testing.T, opts Options, srcs ...string) {
	t.Helper()
	expectInterruptAfter(t, opts, "", srcs...)
}

// expectInterruptAfter is expectInterrupt with setup run first, in each
// runtime, before the interrupt is armed.
func expectInterruptAfter(t *testing.T, opts Options, setup string, srcs ...string) {
	t.Helper()
	for _, src := range srcs {
		vm := newVM(t, opts)
		if _, err := vm.RunString(setup); err != nil {
			t.Fatal(err)
		}
		timer := time.AfterFunc(100*time.Millisecond, func() { vm.Interrupt("stop") })
		start := time.Now()
		_, err := vm.RunString(src)
		timer.Stop()
		var ie *goja.InterruptedError
		if !errors.As(err, &ie) || ie.Value() != "stop" {
			t.Errorf("%s: got %v, want the interrupt", src, err)
		}
		if d := time.Since(start); d > raceSlowdown*2*time.Second {
			t.Errorf("%s: interrupted after %v", src, d)
		}
	}
}
