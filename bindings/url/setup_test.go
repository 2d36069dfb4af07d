package url

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
	"github.com/wsjs/wsjs/webidl/webidltest"
)

// newVM returns a runtime with a realm, this package's interfaces and the
// describe function.
func newVM(t testing.TB) (*goja.Runtime, *webidl.Realm, *binding) {
	t.Helper()
	vm := goja.New()
	r := webidl.NewRealm(vm)
	b, err := register(r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vm.RunString(describeJS); err != nil {
		t.Fatal(err)
	}
	return vm, r, b
}

type jsCase struct{ expr, want string }

func runCases(t *testing.T, vm *goja.Runtime, cases []jsCase) {
	t.Helper()
	for _, c := range cases {
		if got := evalString(t, vm, c.expr); got != c.want {
			t.Errorf("%s = %q, want %q", c.expr, got, c.want)
		}
	}
}

// Shared with the other packages' tests.
var (
	assertJS   = webidltest.Assert
	evalString = webidltest.Eval
	describeJS = webidltest.Describe
)
