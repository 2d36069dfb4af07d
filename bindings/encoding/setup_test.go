package encoding

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
	"github.com/wsjs/wsjs/webidl/webidltest"
)

// newVM returns a runtime with a realm and this package's interfaces.
func newVM(t testing.TB) (*goja.Runtime, *webidl.Realm) {
	t.Helper()
	vm := goja.New()
	r := webidl.NewRealm(vm)
	if err := bindings.Install(bindings.NewEnv(r, nil), Binding); err != nil {
		t.Fatal(err)
	}
	return vm, r
}

// Shared with the other packages' tests.
var (
	assertJS   = webidltest.Assert
	evalString = webidltest.Eval
	describeJS = webidltest.Describe
)
