package builtins

import (
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/webidl"
)

const tooLarge = "RangeError: Array buffer allocation failed"

// The bound in these tests is 1 MiB, so that each size beyond it can be
// allocated without it: without the replacements, the tests fail instead of
// ending the process.
func TestArrayBufferBound(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"ArrayBuffer at the bound", `new ArrayBuffer(2**20).byteLength`, "1048576"},
		{"ArrayBuffer beyond", `new ArrayBuffer(2**20 + 1)`, tooLarge},
		{"ArrayBuffer length as a string", `new ArrayBuffer("2e6")`, tooLarge},
		{"ArrayBuffer length as an object", `new ArrayBuffer({ valueOf() { return 2**21 } })`, tooLarge},
		{"ArrayBuffer fraction", `new ArrayBuffer(2**20 + 0.5).byteLength`, "1048576"},
		{"ArrayBuffer negative is ToIndex's RangeError", `try { new ArrayBuffer(-1) } catch (e) { e instanceof RangeError && e.message !== "Array buffer allocation failed" }`, "true"},
		{"ArrayBuffer no argument", `new ArrayBuffer().byteLength`, "0"},
		{"Uint8Array at the bound", `new Uint8Array(2**20).length`, "1048576"},
		{"Uint8Array beyond", `new Uint8Array(2**20 + 1)`, tooLarge},
		{"Float64Array counts bytes", `new Float64Array(2**17 + 1)`, tooLarge},
		{"Float64Array at the bound", `new Float64Array(2**17).byteLength`, "1048576"},
		{"Float16Array", `new Float16Array(2**19 + 1)`, tooLarge},
		{"every typed array", `[Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Float16Array,
			Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array].map(C => {
				try { new C(2**20 / C.BYTES_PER_ELEMENT + 1); return C.name } catch (e) { return e.message }
			}).every(m => m === "Array buffer allocation failed")`, "true"},
		{"typed array source", `new Float64Array(new Uint8Array(2**17 + 1))`, tooLarge},
		{"typed array source within", `new Float64Array(new Uint8Array(2**17)).length`, "131072"},
		{"array-like source", `new Uint8Array({ length: 2**20 + 1 })`, tooLarge},
		{"array-like source with inherited length", `new Uint8Array(Object.create({ length: 2**21 }))`, tooLarge},
		{"array-like source within", `new Uint8Array({ length: 3, 0: 7 }).join()`, "7,0,0"},
		{"array source without an iterator", `delete Array.prototype[Symbol.iterator]; new Float64Array(new Array(2**17 + 1))`, tooLarge},
		{"array source", `new Float64Array([1, 2, 3]).join()`, "1,2,3"},
		{"from an array-like", `Uint8Array.from({ length: 2**21 })`, tooLarge},
		{"of", `Float64Array.of(1, 2).length`, "2"},
		{"subclass", `class X extends Uint8Array {}; new X(2**21)`, tooLarge},
		{"subclass within", `class X extends Uint8Array {}; new X(4) instanceof X`, "true"},
		{"Reflect.construct", `Reflect.construct(Uint8Array, [2**21], Object)`, tooLarge},
		{"species", `class X extends Uint8Array { static get [Symbol.species]() { return Uint8Array } }; new X(4).map(x => x) instanceof Uint8Array`, "true"},
		{"buffer source is a view", `new Float64Array(new ArrayBuffer(2**20), 8, 2).length`, "2"},
		{"BigInt length is ToIndex's TypeError", `try { new Uint8Array(1n) } catch (e) { e.name }`, "TypeError"},
		{"Symbol length is ToIndex's TypeError", `try { new ArrayBuffer(Symbol()) } catch (e) { e.name }`, "TypeError"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := jstest.Outcome(newVM(t, bounded), c.src); got != c.want {
				t.Errorf("%s\ngot  %s\nwant %s", c.src, got, c.want)
			}
		})
	}
}

// TestArrayBufferBoundObservable checks that what script can observe of the
// checks is what the spec does: each conversion once, in the spec's order, and
// new.target's prototype read before the RangeError.
func TestArrayBufferBoundObservable(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"ArrayBuffer length converted once", `let n = 0; new ArrayBuffer({ valueOf() { n++; return 8 } }).byteLength + "," + n`, "8,1"},
		{"ArrayBuffer length converted once beyond the bound", `let n = 0; try { new ArrayBuffer({ valueOf() { n++; return 2**21 } }) } catch (e) {}; n`, "1"},
		{"ArrayBuffer length converted before the prototype is read", `let log = [];
			const nt = function () {}.bind();
			Object.defineProperty(nt, "prototype", { get() { log.push("prototype"); return ArrayBuffer.prototype } });
			Reflect.construct(ArrayBuffer, [{ valueOf() { log.push("length"); return 8 } }], nt);
			log.join()`, "length,prototype"},
		{"prototype read once, before the RangeError", `let log = [];
			const nt = function () {}.bind();
			Object.defineProperty(nt, "prototype", { get() { log.push("prototype"); return Uint8Array.prototype } });
			try { Reflect.construct(Uint8Array, [2**21], nt) } catch (e) { log.push(e.name) }
			log.join()`, "prototype,RangeError"},
		{"the prototype's error before the RangeError", `
			const nt = function () {}.bind();
			Object.defineProperty(nt, "prototype", { get() { throw new SyntaxError("proto") } });
			try { Reflect.construct(ArrayBuffer, [2**21], nt) } catch (e) { e.name }`, "SyntaxError"},
		{"ToIndex's error before the prototype", `
			const nt = function () {}.bind();
			Object.defineProperty(nt, "prototype", { get() { throw new SyntaxError("proto") } });
			try { Reflect.construct(Uint8Array, [Symbol()], nt) } catch (e) { e.name }`, "TypeError"},
		{"length accessor read once and not checked", `let n = 0; new Uint8Array({ get length() { n++; return 2 } }).length + "," + n`, "2,1"},
		{"Proxy source passed on", `let log = []; const p = new Proxy({ length: 2 }, { get(t, k) { log.push(String(k)); return t[k] } });
			new Uint8Array(p); log.join()`, "Symbol(Symbol.iterator),length,0,1"},
		{"Array.prototype untouched", `Object.defineProperty(Array.prototype, 0, { get() { throw new Error("read") }, configurable: true });
			const r = new Uint8Array().length + new ArrayBuffer().byteLength; delete Array.prototype[0]; r`, "0"},
		{"Object.prototype untouched", `Object.defineProperty(Object.prototype, "get", { get() { throw new Error("read") }, configurable: true });
			const r = new Uint8Array({ length: 2 }).length; delete Object.prototype.get; r`, "2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := jstest.Outcome(newVM(t, bounded), c.src); got != c.want {
				t.Errorf("%s\ngot  %s\nwant %s", c.src, got, c.want)
			}
		})
	}
}

// describeCtor describes what script can see of a constructor, to compare the
// replacement with the original.
const describeCtor = `(name) => {
	const C = globalThis[name];
	const attrs = (d) => d === undefined ? "absent" : ["writable", "enumerable", "configurable", "get", "set"]
		.filter((k) => k in d).map((k) => k + ":" + (typeof d[k] === "function" ? d[k].name : d[k])).join(" ");
	const out = [];
	out.push("global " + attrs(Object.getOwnPropertyDescriptor(globalThis, name)));
	out.push("typeof " + typeof C + ", name " + C.name + ", length " + C.length);
	for (const k of Reflect.ownKeys(C)) {
		const d = Object.getOwnPropertyDescriptor(C, k);
		out.push("own " + String(k) + " " + attrs(d) + ("value" in d && typeof d.value !== "object" ? " = " + String(d.value) : ""));
	}
	out.push("[[Prototype]] " + (Object.getPrototypeOf(C) === Function.prototype ? "Function.prototype" :
		Object.getPrototypeOf(C) === Object.getPrototypeOf(Int8Array) ? "%TypedArray%" : "other"));
	out.push("prototype.constructor " + (C.prototype.constructor === C));
	out.push("prototype.constructor " + attrs(Object.getOwnPropertyDescriptor(C.prototype, "constructor")));
	out.push("toString " + /^function \w+\(\) \{\s+\[native code\]\s+\}$/.test(Function.prototype.toString.call(C)));
	const x = new C(8);
	out.push("instance " + (x instanceof C) + " " + (Object.getPrototypeOf(x) === C.prototype) + " " + Object.prototype.toString.call(x));
	class Sub extends C { m() { return 1 } }
	const s = new Sub(8);
	out.push("subclass " + (s instanceof Sub) + " " + (s instanceof C) + " " + s.m() + " " + (Object.getPrototypeOf(Sub) === C));
	try { C(8); out.push("call returned") } catch (e) { out.push("call " + e.name) }
	try { C.call({}, 8); out.push("call on an object returned") } catch (e) { out.push("call on an object " + e.name) }
	out.push("bound " + (new (C.bind(null, 8))() instanceof C));
	out.push("species " + (C[Symbol.species] === C));
	out.push("isView " + ArrayBuffer.isView(x));
	return out.join("\n");
}`

func TestConstructorsLookTheSame(t *testing.T) {
	describe := func(vm *goja.Runtime) func(string) string {
		f, ok := goja.AssertFunction(vm.Get("describe"))
		if !ok {
			t.Fatal("no describe")
		}
		return func(name string) string {
			v, err := f(goja.Undefined(), vm.ToValue(name))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return v.String()
		}
	}
	plain, bound := newVM(t, Options{}), newVM(t, bounded)
	for _, vm := range []*goja.Runtime{plain, bound} {
		if _, err := vm.RunString("var describe = " + describeCtor); err != nil {
			t.Fatal(err)
		}
	}
	names := []string{"ArrayBuffer"}
	for _, c := range viewConstructors {
		names = append(names, c.name)
	}
	for _, name := range names {
		want, got := describe(plain)(name), describe(bound)(name)
		if name == "Float16Array" {
			// Without the bounds, Float16Array shows its JavaScript source.
			want = strings.Replace(want, "toString false", "toString true", 1)
		}
		if got != want {
			t.Errorf("%s with the bounds:\n%s\nwithout:\n%s", name, got, want)
		}
	}
}

// TestConstructorsKeepPrototypes checks that the replacements use the
// original prototype objects, which goja gives the objects it makes itself.
func TestConstructorsKeepPrototypes(t *testing.T) {
	vm := goja.New()
	protos := map[string]goja.Value{}
	names := []string{"ArrayBuffer"}
	for _, c := range viewConstructors {
		if c.name != "Float16Array" {
			names = append(names, c.name)
		}
	}
	for _, name := range names {
		protos[name] = vm.Get(name).(*goja.Object).Get("prototype")
	}
	env := bindings.NewEnv(webidl.NewRealm(vm), nil)
	bindings.Configure(env, bounded)
	if err := bindings.Install(env, Binding); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if p := vm.Get(name).(*goja.Object).Get("prototype"); !p.SameAs(protos[name]) {
			t.Errorf("%s.prototype is a new object", name)
		}
	}
	if got := jstest.Outcome(vm, `new Uint8Array(4).buffer instanceof ArrayBuffer && new Uint8Array(4).subarray(1) instanceof Uint8Array`); got != "true" {
		t.Errorf("objects goja makes: %s", got)
	}
}

func TestNoBoundNoReplacement(t *testing.T) {
	vm := newVM(t, Options{})
	// 2 MiB: beyond the tests' bound, nothing to a process.
	src := `new ArrayBuffer(2**21).byteLength + new Uint8Array(2**21).length + "x".repeat(2**21).length`
	if got := jstest.Outcome(vm, src); got != "6291456" {
		t.Errorf("got %s", got)
	}
}
