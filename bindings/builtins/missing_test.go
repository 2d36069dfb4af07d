package builtins

import "testing"

// TestMissing checks the standard built-ins goja lacks that this package adds:
// String.prototype.isWellFormed and toWellFormed, and Annex B's legacy
// accessor methods of Object.prototype; and the spec's
// Array.prototype[@@unscopables], which goja's is not.
func TestMissing(t *testing.T) {
	cases := []struct{ src, want string }{
		{`["a", "\ud83d\ude00", "", "x\ud800", "\udc00y", "\ud800\ud800"].map(s => s.isWellFormed()).join()`, "true,true,true,false,false,false"},
		{`["a\ud83d\ude00", "x\ud800y", "\udc00\ud800", "\ud800\udc00\udc00"].map(s => escape(s.toWellFormed())).join()`, "a%uD83D%uDE00,x%uFFFDy,%uFFFD%uFFFD,%uD800%uDC00%uFFFD"},
		{`String.prototype.isWellFormed.call({ toString() { return "\ud800" } })`, "false"},
		{`try { String.prototype.toWellFormed.call(null) } catch (e) { e.name }`, "TypeError"},
		{`const w = String.prototype.toWellFormed; [w.name, w.length, "prototype" in w].join()`, "toWellFormed,0,false"},
		{`const o = {}; o.__defineGetter__("x", () => 1); const d = Object.getOwnPropertyDescriptor(o, "x"); [o.x, d.enumerable, d.configurable, d.set].join()`, "1,true,true,"},
		{`const o = {}; let v; o.__defineSetter__(Symbol.iterator, x => v = x); o[Symbol.iterator] = 5; v`, "5"},
		{`try { ({}).__defineGetter__("x", 1) } catch (e) { e.name }`, "TypeError"},
		{`try { Object.freeze({}).__defineGetter__("x", () => {}) } catch (e) { e.name }`, "TypeError"},
		{`const g = () => 1; const p = { get x() {} }; Object.defineProperty(p, "x", { get: g }); Object.create(p).__lookupGetter__("x") === g`, "true"},
		{`const o = Object.create({ set y(v) {} }, { y: { value: 1 } }); o.__lookupSetter__("y")`, "undefined"},
		{`({}).__lookupGetter__("nope")`, "undefined"},
		{`const u = Array.prototype[Symbol.unscopables]; [Object.getPrototypeOf(u), ...Object.keys(u)].join()`, ",at,copyWithin,entries,fill,find,findIndex,findLast,findLastIndex,flat,flatMap,includes,keys,toReversed,toSorted,toSpliced,values"},
		{`const d = Object.getOwnPropertyDescriptor(Array.prototype, Symbol.unscopables); [d.writable, d.enumerable, d.configurable].join()`, "false,false,true"},
		{`const at = 1; with ([]) at`, "1"},
		// Object.prototype.toLocaleString calls toString, which goja called unchecked (a Go panic).
		{`try { ({ toString: undefined }).toLocaleString() } catch (e) { e.name }`, "TypeError"},
		{`try { Object.prototype.toLocaleString.call(Object.create(null)) } catch (e) { e.name }`, "TypeError"},
		{`try { Object.prototype.toLocaleString.call(null) } catch (e) { e.name }`, "TypeError"},
		{`Object.defineProperty(Number.prototype, "toString", { get() { "use strict"; const t = typeof this; return () => t }, configurable: true }); Object.prototype.toLocaleString.call(5)`, "number"},
		{`[({ toString() { return "x" } }).toLocaleString(), Object.prototype.toLocaleString.name, Object.prototype.toLocaleString.length].join()`, "x,toLocaleString,0"},
		{`const l = Object.prototype.__lookupSetter__; [l.name, l.length, Object.keys(Object.prototype).length].join()`, "__lookupSetter__,1,0"},
	}
	for _, c := range cases {
		vm := newVM(t, Options{})
		v, err := vm.RunString(c.src)
		if err != nil || v.String() != c.want {
			t.Errorf("%s: got %v, %v; want %s", c.src, v, err, c.want)
		}
	}
}

// TestWeakRefAPI checks WeakRef and FinalizationRegistry as script sees them.
func TestWeakRefAPI(t *testing.T) {
	cases := []struct{ src, want string }{
		{`new WeakRef(Symbol.iterator).deref() === Symbol.iterator`, "true"},
		{`try { new WeakRef(Symbol.for("k")) } catch (e) { e.name }`, "TypeError"},
		{`try { WeakRef({}) } catch (e) { e.name }`, "TypeError"},
		{`String(WeakRef) + " " + String(WeakRef.prototype.deref) + " " + String(FinalizationRegistry.prototype.register)`,
			"function WeakRef() { [native code] } function deref() { [native code] } function register() { [native code] }"},
		{`class W extends WeakRef { constructor(t) { super(t); this.x = 1 } } const w = new W(Math); [w.deref() === Math, w instanceof WeakRef, w.x, Object.prototype.toString.call(w)].join()`, "true,true,1,[object WeakRef]"},
		{`const r = new FinalizationRegistry(() => {}); const tok = {}; r.register({}, 1, tok); [r.unregister(tok), r.unregister(tok)].join()`, "true,false"},
		{`const r = new FinalizationRegistry(() => {}); const o = {}; try { r.register(o, o) } catch (e) { e.name }`, "TypeError"},
		{`try { FinalizationRegistry.prototype.unregister.call(new WeakRef({}), {}) } catch (e) { e.name }`, "TypeError"},
		{`Object.getOwnPropertyNames(WeakRef.prototype).join() + " " + WeakRef.prototype.constructor.name`, "constructor,deref WeakRef"},
	}
	for _, c := range cases {
		vm := newVM(t, Options{})
		v, err := vm.RunString(c.src)
		if err != nil || v.String() != c.want {
			t.Errorf("%s: got %v, %v; want %s", c.src, v, err, c.want)
		}
	}
}
