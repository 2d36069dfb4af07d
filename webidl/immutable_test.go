package webidl

import (
	"testing"

	"github.com/dop251/goja"
)

// TestImmutablePrototypes checks that a global platform object and the
// interface prototype objects on its chain keep their prototypes, through
// each built-in script can call [[SetPrototypeOf]] with, and that every
// other object, a platform object of a non-[Global] interface included,
// still changes its prototype.
func TestImmutablePrototypes(t *testing.T) {
	vm, r := newRealm(t)
	for _, d := range []*Interface{
		{Name: "Base"},
		{Name: "Scope", Parent: "Base", Global: true},
		{Name: "Other", Parent: "Base"},
	} {
		if err := r.DefineInterface(d); err != nil {
			t.Fatal(err)
		}
	}
	g := vm.NewObject()
	g.SetPrototype(r.Prototype("Scope"))
	if err := r.SetImpl(g, "Scope", struct{}{}); err != nil {
		t.Fatal(err)
	}
	vm.Set("g", g)
	r.Prepare()
	cases := []struct{ src, want string }{
		// The objects on g's chain refuse another prototype...
		{`Object.setPrototypeOf(g, {})`, "TypeError"},
		{`Object.setPrototypeOf(g, null)`, "TypeError"},
		{`Object.setPrototypeOf(Scope.prototype, {})`, "TypeError"},
		{`Object.setPrototypeOf(Base.prototype, Scope.prototype)`, "TypeError"},
		{`Reflect.setPrototypeOf(g, {})`, "false"},
		{`Reflect.setPrototypeOf(Base.prototype, null)`, "false"},
		{`g.__proto__ = {}`, "TypeError"},
		{`Base.prototype.__proto__ = null`, "TypeError"},
		{`Object.getPrototypeOf(g) === Scope.prototype && Object.getPrototypeOf(Base.prototype) === Object.prototype`, "true"},
		// ...accept the one they have...
		{`Object.setPrototypeOf(g, Scope.prototype) === g`, "true"},
		{`Reflect.setPrototypeOf(Scope.prototype, Base.prototype)`, "true"},
		{`g.__proto__ = Scope.prototype; "ok"`, "ok"},
		// ...and values that are neither objects nor null keep their errors
		// and results.
		{`Object.setPrototypeOf(g, 1)`, "TypeError"},
		{`String(g.__proto__ = 1)`, "1"},
		{`Reflect.setPrototypeOf(1, null)`, "TypeError"},
		// Other objects are unaffected.
		{`Object.setPrototypeOf(Other.prototype, null); Object.getPrototypeOf(Other.prototype)`, "null"},
		{`Reflect.setPrototypeOf(Other, null)`, "true"},
		{`const o = {}; o.__proto__ = Array.prototype; Array.isArray(o) + "," + (o instanceof Array)`, "false,true"},
		{`Object.setPrototypeOf(Scope, null); Object.getPrototypeOf(Scope)`, "null"},
		// The wrappers look like the built-ins.
		{`[Object.setPrototypeOf.name, Object.setPrototypeOf.length, Reflect.setPrototypeOf.name, Reflect.setPrototypeOf.length].join()`, "setPrototypeOf,2,setPrototypeOf,2"},
		{`const d = Object.getOwnPropertyDescriptor(Object.prototype, "__proto__"); [d.set.name, d.set.length, d.get.name, d.enumerable, d.configurable].join()`, "set __proto__,1,get __proto__,false,true"},
	}
	for _, c := range cases {
		var got string
		v, err := vm.RunString("(() => { " + lastExpr(c.src) + " })()")
		if ex, ok := err.(*goja.Exception); ok {
			got = ex.Value().(*goja.Object).Get("name").String()
		} else if err != nil {
			t.Fatal(err)
		} else {
			got = v.String()
		}
		if got != c.want {
			t.Errorf("%s: got %s, want %s", c.src, got, c.want)
		}
	}
}

// lastExpr makes src, statements ending with an expression, the body of a
// function returning that expression.
func lastExpr(src string) string {
	for i := len(src) - 1; i >= 0; i-- {
		if src[i] == ';' {
			return src[:i+1] + " return " + src[i+1:]
		}
	}
	return "return " + src
}

// TestNamedPropertiesObject checks the object between a [Global] interface
// supporting named properties and its parent's prototype.
func TestNamedPropertiesObject(t *testing.T) {
	vm, r := newRealm(t)
	for _, d := range []*Interface{
		{Name: "Base"},
		{Name: "Scope", Parent: "Base", Global: true, NamedProperties: true},
	} {
		if err := r.DefineInterface(d); err != nil {
			t.Fatal(err)
		}
	}
	r.Prepare()
	assertJS(t, vm, `
		const np = Object.getPrototypeOf(Scope.prototype);
		const d = Object.getOwnPropertyDescriptor(np, Symbol.toStringTag);
		np !== Base.prototype && Object.getPrototypeOf(np) === Base.prototype &&
		Object.prototype.toString.call(np) === "[object ScopeProperties]" &&
		d.value === "ScopeProperties" && !d.writable && !d.enumerable && d.configurable &&
		Reflect.ownKeys(np).length === 1 && !Object.hasOwn(np, "constructor") &&
		!Reflect.setPrototypeOf(np, null) && Reflect.setPrototypeOf(np, Base.prototype)
	`)
}
