package formdata

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/webidl"
	"github.com/wsjs/wsjs/webidl/webidltest"
)

// newVM returns a runtime with a realm holding FormData and the bindings it
// needs, with a memory budget of limit bytes (zero: none).
func newVM(t testing.TB, limit int64) (*goja.Runtime, *webidl.Realm) {
	t.Helper()
	vm, r, _ := jstest.NewBudgetedRealm(t, limit, Binding)
	if _, err := vm.RunString(webidltest.Describe); err != nil {
		t.Fatal(err)
	}
	return vm, r
}
