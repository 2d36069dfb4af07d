package webidltest

import (
	"testing"

	"github.com/dop251/goja"
)

// Assert runs src, which must yield true.
func Assert(t testing.TB, vm *goja.Runtime, src string) {
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

// Eval runs src and returns its result as a string, or "throws " and the name of
// the error it throws.
func Eval(t testing.TB, vm *goja.Runtime, src string) string {
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

// Describe is a script defining describe(obj, key): the own property's descriptor as
// a string such as "get,set,enumerable,configurable" or
// "value,writable,enumerable,configurable" (absent flags left out), or "none".
const Describe = `function describe(o, k) {
	const d = Object.getOwnPropertyDescriptor(o, k);
	if (!d) return "none";
	const out = [];
	if ("value" in d) out.push("value"); else { if (d.get) out.push("get"); if (d.set) out.push("set"); }
	if (d.writable) out.push("writable");
	if (d.enumerable) out.push("enumerable");
	if (d.configurable) out.push("configurable");
	return out.join(",");
}
`

// Settled is a script defining settled(p): after the microtask checkpoint that ends
// the script, globalThis.result holds "fulfilled:<value>" (bytes listed for an
// ArrayBuffer or Uint8Array) or "rejected:<error name>".
const Settled = `function settled(p) {
	globalThis.result = "pending";
	p.then(v => { globalThis.result = "fulfilled:" + (v instanceof ArrayBuffer ? "ArrayBuffer " + Array.from(new Uint8Array(v)) : v instanceof Uint8Array ? "Uint8Array " + Array.from(v) : v) },
		e => { globalThis.result = "rejected:" + e.name });
}
`
