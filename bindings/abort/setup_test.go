package abort

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/webidl"
	"github.com/wsjs/wsjs/webidl/webidltest"
)

// newRealm creates a realm for vm with the events interfaces (listener
// exceptions go to *reported), this package's interfaces, whose tasks are
// queued with queue, and the describe function.
func newRealm(t testing.TB, vm *goja.Runtime, queue func(task func()) bool) (*webidl.Realm, *[]error) {
	t.Helper()
	r := webidl.NewRealm(vm)
	reported := new([]error)
	env := bindings.NewEnv(r, nil)
	env.QueueTask = queue
	bindings.Configure(env, events.Options{ReportException: func(err error) { *reported = append(*reported, err) }})
	if err := bindings.Install(env, Binding); err != nil {
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
