package webidl

import (
	"testing"

	"github.com/dop251/goja"
)

type counter struct{ n int32 }

// defineTestInterfaces defines
//
//	interface Base { constructor(optional long start = 0);
//	  const unsigned short ONE = 1;
//	  attribute long value; readonly attribute DOMString kind;
//	  [LegacyUnforgeable] readonly attribute boolean trusted;
//	  long add(long x); static DOMString hello(); };
//	interface Derived : Base { readonly attribute long twice; };
//	interface NoCtor {};
func defineTestInterfaces(t testing.TB, r *Realm) {
	t.Helper()
	base := &Interface{
		Name:   "Base",
		Length: 0,
		Constructor: func(c Call) any {
			return &counter{n: r.ToLong(c.Arg(0), 0)}
		},
		Constants: []Constant{{"ONE", 1}},
		Attributes: []Attribute{
			{Name: "value",
				Get: func(c Call) goja.Value { return c.VM().ToValue(c.Impl.(*counter).n) },
				Set: func(c Call, v goja.Value) { c.Impl.(*counter).n = r.ToLong(v, 0) }},
			{Name: "kind", Get: func(c Call) goja.Value { return c.VM().ToValue("base") }},
			{Name: "trusted", Unforgeable: true, Get: func(c Call) goja.Value { return c.VM().ToValue(true) }},
			{Name: "version", Static: true, Get: func(c Call) goja.Value { return c.VM().ToValue(7) }},
		},
		Operations: []Operation{
			{Name: "add", Length: 1, Func: func(c Call) goja.Value {
				c.RequireArgs("add", 1)
				p := c.Impl.(*counter)
				p.n += r.ToLong(c.Arg(0), 0)
				return c.VM().ToValue(p.n)
			}},
			{Name: "hello", Static: true, Func: func(c Call) goja.Value { return c.VM().ToValue("hi") }},
		},
	}
	if err := r.DefineInterface(base); err != nil {
		t.Fatal(err)
	}
	derived := &Interface{
		Name:        "Derived",
		Parent:      "Base",
		Length:      1,
		Constructor: func(c Call) any { return &counter{n: r.ToLong(c.Arg(0), 0)} },
		Attributes: []Attribute{
			{Name: "twice", Get: func(c Call) goja.Value { return c.VM().ToValue(2 * c.Impl.(*counter).n) }},
		},
	}
	if err := r.DefineInterface(derived); err != nil {
		t.Fatal(err)
	}
	if err := r.DefineInterface(&Interface{Name: "NoCtor"}); err != nil {
		t.Fatal(err)
	}
}

func TestInterfaceObjects(t *testing.T) {
	vm, r := newRealm(t)
	defineTestInterfaces(t, r)
	checks := []string{
		// Interface object.
		`typeof Base === "function" && Base.name === "Base" && Base.length === 0 && Derived.length === 1`,
		`(() => { const d = Object.getOwnPropertyDescriptor(globalThis, "Base"); return d.writable && !d.enumerable && d.configurable })()`,
		`(() => { const d = Object.getOwnPropertyDescriptor(Base, "prototype"); return !d.writable && !d.enumerable && !d.configurable })()`,
		`(() => { const d = Object.getOwnPropertyDescriptor(Base, "name"); return !d.writable && !d.enumerable && d.configurable })()`,
		`(() => { const d = Object.getOwnPropertyDescriptor(Base, "length"); return !d.writable && !d.enumerable && d.configurable })()`,
		`Object.getPrototypeOf(Base) === Function.prototype && Object.getPrototypeOf(Derived) === Base`,
		`Object.getPrototypeOf(Base.prototype) === Object.prototype && Object.getPrototypeOf(Derived.prototype) === Base.prototype`,
		`(() => { const d = Object.getOwnPropertyDescriptor(Base.prototype, "constructor"); return d.value === Base && d.writable && !d.enumerable && d.configurable })()`,
		`(() => { try { Base(); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new NoCtor(); return false } catch (e) { return e instanceof TypeError && /Illegal constructor/.test(e.message) } })()`,
		`(() => { try { NoCtor(); return false } catch (e) { return e instanceof TypeError } })()`,
		`Object.getOwnPropertyNames(NoCtor).sort().join() === "length,name,prototype" && Object.getOwnPropertySymbols(NoCtor).length === 0`,
		`Function.prototype.toString.call(Base) === "function Base() { [native code] }"`,
		`Object.getOwnPropertyNames(Base.prototype).sort().join() === "ONE,add,constructor,kind,value"`,
		// Constants.
		`(() => { for (const o of [Base, Base.prototype]) { const d = Object.getOwnPropertyDescriptor(o, "ONE"); if (d.value !== 1 || d.writable || !d.enumerable || d.configurable) return false } return true })()`,
		// Attributes.
		`(() => { const d = Object.getOwnPropertyDescriptor(Base.prototype, "value"); return d.enumerable && d.configurable && typeof d.get === "function" && typeof d.set === "function" && d.get.name === "get value" && d.set.name === "set value" && d.get.length === 0 && d.set.length === 1 })()`,
		`(() => { const d = Object.getOwnPropertyDescriptor(Base.prototype, "kind"); return d.set === undefined && d.get.name === "get kind" })()`,
		`(() => { const d = Object.getOwnPropertyDescriptor(Base, "version"); return d.enumerable && d.configurable && Base.version === 7 })()`,
		`(() => { try { Base.prototype.value; return false } catch (e) { return e instanceof TypeError && e.message === "Illegal invocation" } })()`,
		`(() => { const g = Object.getOwnPropertyDescriptor(Base.prototype, "value").get; try { g.call({}); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { const s = Object.getOwnPropertyDescriptor(Base.prototype, "value").set; try { s.call(new Base()); return false } catch (e) { return e instanceof TypeError } })()`,
		// Operations.
		`(() => { const d = Object.getOwnPropertyDescriptor(Base.prototype, "add"); return d.writable && d.enumerable && d.configurable && d.value.name === "add" && d.value.length === 1 })()`,
		`(() => { try { new Base.prototype.add(1); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { Base.prototype.add.call({}, 1); return false } catch (e) { return e instanceof TypeError } })()`,
		`(() => { try { new Base().add(); return false } catch (e) { return e instanceof TypeError } })()`,
		`Base.hello() === "hi" && Object.getOwnPropertyDescriptor(Base, "hello").enumerable`,
		// @@toStringTag.
		`(() => { const d = Object.getOwnPropertyDescriptor(Base.prototype, Symbol.toStringTag); return d.value === "Base" && !d.writable && !d.enumerable && d.configurable })()`,
		`String(new Base()) === "[object Base]" && Object.prototype.toString.call(new Derived(1)) === "[object Derived]"`,
		// Instances.
		`(() => { const b = new Base(5); b.add(2); b.value += 1; return b.value === 8 && b.kind === "base" })()`,
		`(() => { const d = new Derived(3); return d instanceof Base && d.twice === 6 && d.value === 3 && d.add(1) === 4 })()`,
		`(() => { const b = new Base(); b.expando = 1; return b.expando === 1 && Object.keys(b).join() === "trusted,expando" })()`,
		// [LegacyUnforgeable].
		`(() => { const b = new Base(); const d = Object.getOwnPropertyDescriptor(b, "trusted"); return d.get.name === "get trusted" && !d.configurable && d.enumerable && b.trusted === true && !("trusted" in Base.prototype) })()`,
		`(() => { const d = new Derived(1); return Object.getOwnPropertyDescriptor(d, "trusted") !== undefined })()`,
		`(() => { try { new Derived(); } catch (e) { return e instanceof TypeError; } })()`,
		`(() => { const b = new Base(); try { b.add(); } catch (e) { return e instanceof TypeError; } })()`,
		`(() => { "use strict"; const b = new Base(); try { Object.defineProperty(b, "trusted", {value: false}); return false } catch (e) { return e instanceof TypeError && b.trusted } })()`,
		// Subclassing.
		`(() => { class X extends Base { constructor() { super(4); this.y = 1 } get z() { return this.value * 10 } } const x = new X(); return x instanceof X && x instanceof Base && x.z === 40 && x.y === 1 && Object.getPrototypeOf(x) === X.prototype })()`,
		`(() => { const x = Reflect.construct(Base, [2], Derived); return Object.getPrototypeOf(x) === Derived.prototype && x.value === 2 })()`,
		`(() => { function F() {} F.prototype = 3; const x = Reflect.construct(Base, [], F); return Object.getPrototypeOf(x) === Base.prototype })()`,
	}
	for _, c := range checks {
		assertJS(t, vm, c)
	}
}

func TestInterfaceFromGo(t *testing.T) {
	vm, r := newRealm(t)
	defineTestInterfaces(t, r)
	impl := &counter{n: 41}
	o := r.New("Derived", impl)
	vm.Set("fromGo", o)
	assertJS(t, vm, `fromGo.value === 41 && fromGo instanceof Derived && fromGo.trusted`)
	got, ok := r.Impl(o, "Base")
	if !ok || got != impl {
		t.Fatalf("Impl(o, Base) = %v, %v", got, ok)
	}
	if _, ok := r.Impl(o, "NoCtor"); ok {
		t.Fatal("Derived instance implements NoCtor")
	}
	if _, name, _ := r.ImplOf(o); name != "Derived" {
		t.Fatalf("ImplOf name %q", name)
	}
	if r.Implements(vm.NewObject(), "Base") {
		t.Fatal("plain object implements Base")
	}
	if err := r.DefineInterface(&Interface{Name: "Base"}); err == nil {
		t.Fatal("redefinition accepted")
	}
	if err := r.DefineInterface(&Interface{Name: "Orphan", Parent: "Missing"}); err == nil {
		t.Fatal("unknown parent accepted")
	}
	if err := r.SetImpl(vm.NewObject(), "Missing", nil); err == nil {
		t.Fatal("SetImpl with unknown interface accepted")
	}
	if name := throws(vm, func() { r.New("Missing", nil) }); name != "TypeError" {
		t.Fatalf("New of an undefined interface threw %q", name)
	}
	if name := throws(vm, func() { r.ToInterface(vm.NewObject(), "Base") }); name != "TypeError" {
		t.Fatalf("ToInterface threw %q", name)
	}
}

func TestGlobalImpl(t *testing.T) {
	vm, r := newRealm(t)
	defineTestInterfaces(t, r)
	g := vm.GlobalObject()
	if err := r.SetImpl(g, "Base", &counter{n: 9}); err != nil {
		t.Fatal(err)
	}
	g.SetPrototype(r.Prototype("Base"))
	// A null or undefined this means the global object.
	assertJS(t, vm, `value === 9 && add(1) === 10 && Base.prototype.add.call(undefined, 1) === 11 && trusted`)
	assertJS(t, vm, `globalThis instanceof Base`)
}

func TestAttributeExtendedAttributes(t *testing.T) {
	vm, r := newRealm(t)
	err := r.DefineInterface(&Interface{
		Name: "Ext",
		Attributes: []Attribute{
			{Name: "lenient", LenientThis: true, Get: func(c Call) goja.Value { return c.VM().ToValue(1) }},
			{Name: "repl", Replaceable: true, Get: func(c Call) goja.Value { return c.VM().ToValue(2) }},
			{Name: "fwd", PutForwards: "inner", Get: func(c Call) goja.Value {
				return c.Impl.(*goja.Object)
			}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	vm.Set("ext", r.New("Ext", vm.NewObject()))
	assertJS(t, vm, `Object.getOwnPropertyDescriptor(Ext.prototype, "lenient").get.call({}) === undefined`)
	assertJS(t, vm, `Object.getOwnPropertyDescriptor(Ext.prototype, "lenient").set === undefined`)
	assertJS(t, vm, `ext.repl === 2 && (ext.repl = 5, ext.repl === 5) && Object.getOwnPropertyDescriptor(ext, "repl").writable`)
	assertJS(t, vm, `(ext.fwd = "x", ext.fwd.inner === "x")`)
}

func TestOperationReturningPromise(t *testing.T) {
	vm, r := newRealm(t)
	err := r.DefineInterface(&Interface{
		Name:        "Waiter",
		Constructor: func(Call) any { return struct{}{} },
		Operations: []Operation{{Name: "wait", Length: 1, ReturnsPromise: true, Func: func(c Call) goja.Value {
			if c.Arg(0).ToBoolean() {
				c.Realm.ThrowDOMException("InvalidStateError", "no")
			}
			p, resolve, _ := c.Realm.NewPromise()
			resolve(c.Arg(0))
			return p
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	run(t, vm, `
		var seen = [];
		const record = p => p.then(v => seen.push("ok " + v), e => seen.push(e.name));
		const w = new Waiter();
		record(w.wait(0));
		record(w.wait(1));
		record(w.wait());
		record(Waiter.prototype.wait.call({}, 0));
	`)
	assertJS(t, vm, `seen.join() === "ok 0,InvalidStateError,TypeError,TypeError"`)
}

func TestInterfaceInLegacyNamespace(t *testing.T) {
	vm := goja.New()
	r := NewRealm(vm)
	ns := vm.NewObject()
	if err := vm.Set("NS", ns); err != nil {
		t.Fatal(err)
	}
	err := r.DefineInterface(&Interface{
		Name: "Thing", Namespace: ns, NamespaceName: "NS",
		Constructor: func(c Call) any { return 1 },
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ src, want string }{
		{"typeof Thing", "undefined"},
		{"typeof NS.Thing", "function"},
		{"Object.prototype.toString.call(new NS.Thing())", "[object NS.Thing]"},
		{"NS.Thing.name", "Thing"},
	} {
		v, err := vm.RunString(tc.src)
		if err != nil || v.String() != tc.want {
			t.Errorf("%s = %v, %v; want %s", tc.src, v, err, tc.want)
		}
	}
	if _, ok := r.lookupIface("NS.Thing"); !ok {
		t.Error("the interface is not known by its qualified name")
	}
}
