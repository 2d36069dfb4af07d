package webidl

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl/webidltest"
)

func newRealm(t testing.TB) (*goja.Runtime, *Realm) {
	t.Helper()
	vm := goja.New()
	return vm, NewRealm(vm)
}

// run evaluates src and fails the test on an exception.
func run(t testing.TB, vm *goja.Runtime, src string) goja.Value {
	t.Helper()
	v, err := vm.RunString(src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return v
}

// throws runs f and returns the name of the JS error it throws ("" if none).
func throws(vm *goja.Runtime, f func()) string {
	exc := vm.Try(f)
	if exc == nil {
		return ""
	}
	o, ok := exc.Value().(*goja.Object)
	if !ok {
		return "non-object"
	}
	return o.Get("name").String()
}

// Shared with the other packages' tests.
var (
	assertJS = webidltest.Assert
)
