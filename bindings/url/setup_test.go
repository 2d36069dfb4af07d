package url

import (
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
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

type jsCase struct{ expr, want string }

func runCases(t *testing.T, vm *goja.Runtime, cases []jsCase) {
	t.Helper()
	for _, c := range cases {
		if got := evalString(t, vm, c.expr); got != c.want {
			t.Errorf("%s = %q, want %q", c.expr, got, c.want)
		}
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
