package blob

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/webidl"
	"github.com/wsjs/wsjs/webidl/webidltest"
)

// newVM returns a runtime with a realm, this package's interfaces and the
// describe function.
func newVM(t testing.TB) (*goja.Runtime, *webidl.Realm) {
	t.Helper()
	vm, r := jstest.NewRealm(t, Binding)
	if _, err := vm.RunString(describeJS); err != nil {
		t.Fatal(err)
	}
	return vm, r
}

// Shared with the other packages' tests.
var (
	assertJS   = webidltest.Assert
	evalString = webidltest.Eval
	describeJS = webidltest.Describe + webidltest.Settled
)
