package encoding

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/webidl"
	"github.com/wsjs/wsjs/webidl/webidltest"
)

// newVM returns a runtime with a realm and this package's interfaces.
func newVM(t testing.TB) (*goja.Runtime, *webidl.Realm) {
	t.Helper()
	return jstest.NewRealm(t, Binding)
}

// Shared with the other packages' tests.
var (
	assertJS   = webidltest.Assert
	evalString = webidltest.Eval
	describeJS = webidltest.Describe
)
