package formdata

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
	"github.com/wsjs/wsjs/webidl/webidltest"
)

// newVM returns a runtime with a realm holding FormData and the bindings it
// needs, with a memory budget of limit bytes (zero: none).
func newVM(t testing.TB, limit int64) (*goja.Runtime, *webidl.Realm) {
	t.Helper()
	vm := goja.New()
	r := webidl.NewRealm(vm)
	env := bindings.NewEnv(r, nil)
	env.Cluster.Memory = bindings.NewBudget(limit)
	if err := bindings.Install(env, Binding); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.RunString(webidltest.Describe); err != nil {
		t.Fatal(err)
	}
	return vm, r
}

// outcome runs src and returns its value as a string, or the name and
// message of what it threw.
func outcome(vm *goja.Runtime, src string) string {
	v, err := vm.RunString(src)
	if err != nil {
		if exc, ok := err.(*goja.Exception); ok {
			if o, ok := exc.Value().(*goja.Object); ok {
				return o.Get("name").String() + ": " + o.Get("message").String()
			}
		}
		return "error: " + err.Error()
	}
	return v.String()
}
