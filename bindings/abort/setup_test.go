package abort

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/webidl"
	"github.com/wsjs/wsjs/webidl/webidltest"
)

// newRealm creates a realm for vm with the events interfaces (listener
// exceptions go to *reported), this package's interfaces and the describe
// function.
func newRealm(t testing.TB, vm *goja.Runtime, opts Options) (*webidl.Realm, *[]error) {
	t.Helper()
	r := webidl.NewRealm(vm)
	reported := new([]error)
	if err := events.Register(r, events.Options{ReportException: func(err error) { *reported = append(*reported, err) }}); err != nil {
		t.Fatal(err)
	}
	if err := Register(r, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.RunString(describeJS); err != nil {
		t.Fatal(err)
	}
	return r, reported
}

// Shared with the other packages' tests.
var (
	assertJS   = webidltest.Assert
	describeJS = webidltest.Describe
)
