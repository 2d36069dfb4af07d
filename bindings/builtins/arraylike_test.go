package builtins

import "testing"

// TestArrayLikeSearches checks the searches arraylike.go takes over, which
// serve the receivers whose length is not a plain data property (a Proxy,
// a typed array of views.go): an absent element is undefined to includes and
// skipped by indexOf and lastIndexOf.
func TestArrayLikeSearches(t *testing.T) {
	cases := []struct{ src, want string }{
		{`Array.prototype.includes.call(new Proxy([1, , 3], {}), undefined)`, "true"},
		{`Array.prototype.indexOf.call(new Proxy([1, , 3], {}), undefined)`, "-1"},
		{`Array.prototype.lastIndexOf.call(new Proxy([1, , 3], {}), 3)`, "2"},
		{`const rab = new ArrayBuffer(4, {maxByteLength: 8}); const ta = new Uint8Array(rab);
			Array.prototype.includes.call(ta, undefined, {valueOf() { rab.resize(2); return 0 }})`, "true"},
	}
	vm := newVM(t, Options{Interruptible: true})
	for _, c := range cases {
		v, err := vm.RunString("{" + c.src + "}")
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		if got := v.String(); got != c.want {
			t.Errorf("%s: got %s, want %s", c.src, got, c.want)
		}
	}
}
