package blob

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// newVM returns a runtime with a realm, this package's interfaces and the
// describe function.
func newVM(t testing.TB, opts Options) (*goja.Runtime, *webidl.Realm) {
	t.Helper()
	vm := goja.New()
	r := webidl.NewRealm(vm)
	if err := Register(r, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.RunString(describeJS); err != nil {
		t.Fatal(err)
	}
	return vm, r
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

// evalString evaluates src and returns its result as a string, or the
// name of the error it throws prefixed with "throws ".
func evalString(t testing.TB, vm *goja.Runtime, src string) string {
	t.Helper()
	v, err := vm.RunString(src)
	if err != nil {
		if exc, ok := err.(*goja.Exception); ok {
			if o, ok := exc.Value().(*goja.Object); ok {
				return "throws " + o.Get("name").String()
			}
		}
		t.Fatalf("%s: %v", src, err)
	}
	return v.String()
}

// describeJS defines describe(obj, key), the property's descriptor as a
// string such as "get,enumerable,configurable" (absent flags left out), or
// "none"; and settled(p), which after the microtask checkpoint that ends a
// script holds "fulfilled:<value>" or "rejected:<error name>" in
// globalThis.result.
const describeJS = `function describe(o, k) {
	const d = Object.getOwnPropertyDescriptor(o, k);
	if (!d) return "none";
	const out = [];
	if ("value" in d) out.push("value"); else { if (d.get) out.push("get"); if (d.set) out.push("set"); }
	if (d.writable) out.push("writable");
	if (d.enumerable) out.push("enumerable");
	if (d.configurable) out.push("configurable");
	return out.join(",");
}
function settled(p) {
	globalThis.result = "pending";
	p.then(v => { globalThis.result = "fulfilled:" + (v instanceof ArrayBuffer ? "ArrayBuffer " + Array.from(new Uint8Array(v)) : v instanceof Uint8Array ? "Uint8Array " + Array.from(v) : v) },
		e => { globalThis.result = "rejected:" + e.name });
}`
