package webidl

import (
	"errors"
	"testing"

	"github.com/dop251/goja"
)

// TestDefineGlobalMembers checks the this value of the members of the global
// object's interfaces (undefined and null are the global object, any other
// object is a TypeError), where they are defined, and the [Replaceable]
// setter, which throws when the data property cannot be defined.
func TestDefineGlobalMembers(t *testing.T) {
	vm, r := newRealm(t)
	if err := r.Eager(); err != nil {
		t.Fatal(err)
	}
	r.Prepare()
	if err := r.DefineInterface(&Interface{Name: "Scope"}); err != nil {
		t.Fatal(err)
	}
	if err := r.SetImpl(r.Global(), "Scope", "slots"); err != nil {
		t.Fatal(err)
	}
	err := r.DefineGlobalMembers([]Attribute{
		{Name: "attr", Get: func(c Call) goja.Value { return c.VM().ToValue(c.Impl.(string)) }},
		{Name: "repl", Replaceable: true, Get: func(c Call) goja.Value { return c.VM().ToValue(2) }},
	}, []Operation{
		{Name: "op", Length: 1, Func: func(c Call) goja.Value { return c.VM().ToValue(c.This == r.Global()) }},
		{Name: "later", ReturnsPromise: true, Func: func(c Call) goja.Value { return c.VM().ToValue(1) }},
	})
	if err != nil {
		t.Fatal(err)
	}
	run(t, vm, `var other = Object.create(globalThis), proxy = new Proxy(globalThis, {});
		function desc(name) { return Object.getOwnPropertyDescriptor(globalThis, name); }`)
	for _, c := range []struct{ name, src string }{
		{"own properties", `["attr", "repl", "op", "later"].every(n => desc(n).enumerable && desc(n).configurable)`},
		{"operation functions", `desc("op").value.length === 1 && desc("op").value.name === "op" && desc("op").writable`},
		{"getter, global this", `attr === "slots" && globalThis.attr === "slots"`},
		{"getter, null this", `desc("attr").get.call(null) === "slots" && Reflect.get(globalThis, "attr", undefined) === "slots"`},
		{"getter, other this", `(() => { try { other.attr; return false } catch (e) { return e instanceof TypeError } })()`},
		{"getter, Proxy this", `(() => { try { proxy.attr; return false } catch (e) { return e instanceof TypeError } })()`},
		{"readonly", `desc("attr").set === undefined`},
		{"operation, undefined this", `op(1) === true && (0, op)(1) === true && op.call(null, 1) === true`},
		{"operation, other this", `(() => { try { op.call({}, 1); return false } catch (e) { return e instanceof TypeError } })()`},
		{"operation, arguments", `(() => { try { op(); return false } catch (e) { return e instanceof TypeError } })()`},
		{"promise operation, other this", `later.call({}) instanceof Promise`},
		{"replaceable, other this", `(() => { try { desc("repl").set.call({}, 1); return false } catch (e) { return e instanceof TypeError } })()`},
		{"replaceable, null this", `(desc("repl").set.call(null, 3), repl === 3 && desc("repl").writable)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if v := run(t, vm, c.src); !v.ToBoolean() {
				t.Errorf("%s is false", c.src)
			}
		})
	}
}

// TestReplaceableSetterThrows checks that a [Replaceable] setter throws a
// TypeError when CreateDataPropertyOrThrow fails, on an interface's
// instance and on the global object.
func TestReplaceableSetterThrows(t *testing.T) {
	for _, c := range []struct{ name, setup, set string }{
		{"instance, non-configurable accessor", `Object.defineProperty(obj, "repl", {get() {}, configurable: false})`, `setter.call(obj, 1)`},
		{"instance, non-writable data", `Object.defineProperty(obj, "repl", {value: 1, writable: false, configurable: false})`, `setter.call(obj, 2)`},
		{"instance, non-extensible", `Object.preventExtensions(obj)`, `obj.repl = 1`},
		{"global, non-configurable accessor", `Object.defineProperty(globalThis, "grepl", {configurable: false})`, `globalThis.grepl = 1`},
		{"global, non-writable data", `var gset = Object.getOwnPropertyDescriptor(globalThis, "grepl").set;
			Object.defineProperty(globalThis, "grepl", {value: 1, writable: false, configurable: false})`, `gset.call(globalThis, 2)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			vm, r := newRealm(t)
			if err := r.Eager(); err != nil {
				t.Fatal(err)
			}
			r.Prepare()
			two := func(c Call) goja.Value { return c.VM().ToValue(2) }
			if err := r.DefineInterface(&Interface{Name: "R", Attributes: []Attribute{{Name: "repl", Replaceable: true, Get: two}}}); err != nil {
				t.Fatal(err)
			}
			if err := r.DefineGlobalMembers([]Attribute{{Name: "grepl", Replaceable: true, Get: two}}, nil); err != nil {
				t.Fatal(err)
			}
			vm.Set("obj", r.New("R", struct{}{}))
			run(t, vm, `var setter = Object.getOwnPropertyDescriptor(R.prototype, "repl").set;`+c.setup)
			_, err := vm.RunString(c.set)
			var exc *goja.Exception
			if !errors.As(err, &exc) || exc.Value().(*goja.Object).Get("name").String() != "TypeError" {
				t.Fatalf("%s: got %v, want a TypeError", c.set, err)
			}
		})
	}
}

// TestGlobalMembersOn checks that the members DefineGlobalMembers defines go
// on the prototype object of the interface GlobalMembersOn names, made
// before the interface is defined, and keep checking that this is the
// global object.
func TestGlobalMembersOn(t *testing.T) {
	vm, r := newRealm(t)
	r.GlobalMembersOn("Scope")
	if err := r.Eager(); err != nil {
		t.Fatal(err)
	}
	r.Prepare()
	holder := r.GlobalMembers()
	if holder == r.Global() {
		t.Fatal("GlobalMembers is the global object")
	}
	err := r.DefineGlobalMembers([]Attribute{
		{Name: "attr", Replaceable: true, Get: func(c Call) goja.Value { return c.VM().ToValue(c.This == r.Global()) }},
	}, []Operation{
		{Name: "op", Func: func(c Call) goja.Value { return c.VM().ToValue(c.This == r.Global()) }},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*Interface{{Name: "Scope"}, {Name: "OwnScope", Parent: "Scope"}} {
		if err := r.DefineInterface(d); err != nil {
			t.Fatal(err)
		}
	}
	if r.Prototype("Scope") != holder {
		t.Fatal("Scope.prototype is not the object GlobalMembers returned")
	}
	if err := r.Global().SetPrototype(r.Prototype("OwnScope")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, src string }{
		{"on the prototype", `!Object.hasOwn(globalThis, "op") && !Object.hasOwn(globalThis, "attr") &&
			Object.hasOwn(Scope.prototype, "op") && Object.hasOwn(Scope.prototype, "attr")`},
		{"the interface's prototype object", `Scope.prototype.constructor === Scope &&
			Object.getPrototypeOf(OwnScope.prototype) === Scope.prototype &&
			Object.prototype.toString.call(Scope.prototype) === "[object Scope]"`},
		{"unqualified", `op() === true && attr === true`},
		{"this is the global object", `Scope.prototype.op.call(globalThis) === true`},
		{"this is the prototype", `(() => { try { Scope.prototype.attr; return false } catch (e) { return e instanceof TypeError } })()`},
		{"replaced on the global object", `(attr = 1, Object.hasOwn(globalThis, "attr") && attr === 1)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if v := run(t, vm, c.src); !v.ToBoolean() {
				t.Errorf("%s is false", c.src)
			}
		})
	}
}
