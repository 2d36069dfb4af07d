package abort

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/webidl"
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

// assertJS evaluates src, which must yield true.
func assertJS(t testing.TB, vm *goja.Runtime, src string) {
	t.Helper()
	v, err := vm.RunString(src)
	if err != nil {
		t.Errorf("%s: %v", src, err)
		return
	}
	if v == nil || !v.StrictEquals(vm.ToValue(true)) {
		t.Errorf("%s: got %v, want true", src, v)
	}
}

// describeJS defines describe(obj, key): the property's descriptor as a
// string such as "get,set,enumerable,configurable" (absent flags left out),
// or "none".
const describeJS = `function describe(o, k) {
	const d = Object.getOwnPropertyDescriptor(o, k);
	if (!d) return "none";
	const out = [];
	if ("value" in d) out.push("value"); else { if (d.get) out.push("get"); if (d.set) out.push("set"); }
	if (d.writable) out.push("writable");
	if (d.enumerable) out.push("enumerable");
	if (d.configurable) out.push("configurable");
	return out.join(",");
}`
