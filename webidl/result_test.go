package webidl

import (
	"testing"

	"github.com/dop251/goja"
)

// TestResultObjects checks that dictionaries and iterator results made in Go get
// data properties, in order, whatever setters Object.prototype has.
func TestResultObjects(t *testing.T) {
	vm, r := newRealm(t)
	// By index: goja's own iterator results run setters on Object.prototype.
	run(t, vm, `var names = ["a", "b", "value", "done"];
	for (let i = 0; i < names.length; i++) {
		const name = names[i];
		Object.defineProperty(Object.prototype, name, { __proto__: null, set(v) { throw new Error("setter of " + name + " ran"); }, configurable: true });
	}`)
	cases := []struct {
		name string
		obj  *goja.Object
		want string
	}{
		{"dictionary", r.NewDictionary("b", 1, "a", "x"), `["b",1,true,true,true]|["a","x",true,true,true]`},
		{"empty dictionary", r.NewDictionary(), ``},
		{"iterator result", r.NewIterResult(vm.ToValue(7), false), `["value",7,true,true,true]|["done",false,true,true,true]`},
		{"last iterator result", r.NewIterResult(goja.Undefined(), true), `["value",null,true,true,true]|["done",true,true,true,true]`},
	}
	// The setters go before the objects are described: goja's property
	// descriptor objects would run them.
	describe, _ := goja.AssertFunction(run(t, vm, `for (let i = 0; i < names.length; i++) delete Object.prototype[names[i]];
	(o) => Object.getPrototypeOf(o) === Object.prototype && Object.getOwnPropertyNames(o).map((k) => {
		const d = Object.getOwnPropertyDescriptor(o, k);
		return JSON.stringify([k, d.value === undefined ? null : d.value, d.writable, d.enumerable, d.configurable]);
	}).join("|")`))
	for _, c := range cases {
		got, err := describe(goja.Undefined(), c.obj)
		if err != nil || got.String() != c.want {
			t.Errorf("%s: %v %v, want %s", c.name, got, err, c.want)
		}
	}
}
