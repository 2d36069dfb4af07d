package builtins

import (
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

func TestWeakCollectionSymbolKeys(t *testing.T) {
	throws := func(src string) string {
		return `(() => { try { ` + src + `; return "no error"; } catch (e) { return e instanceof TypeError ? "TypeError" : String(e); } })()`
	}
	runCases(t, []scriptCase{
		// WeakMap's methods.
		{`const m = new WeakMap(), s = Symbol("s"); [m.set(s, 1) === m, m.get(s), m.has(s), m.has(Symbol("s"))].join()`, "true,1,true,false"},
		{`const m = new WeakMap(), s = Symbol(); m.set(s, 1); m.set(s, 2); m.get(s)`, "2"},
		{`const m = new WeakMap(), s = Symbol(); m.set(s, 1); [m.delete(s), m.delete(s), m.has(s), m.get(s)].join()`, "true,false,false,"},
		{`const m = new WeakMap(); m.set(Symbol.iterator, 1); [m.get(Symbol.iterator), m.has(Symbol.asyncIterator)].join()`, "1,false"},
		{`const m = new WeakMap(), o = {}, s = Symbol(); m.set(o, "o").set(s, "s"); [m.get(o), m.get(s)].join()`, "o,s"},
		{`const s = Symbol(); new WeakMap([[s, 1], [{}, 2]]).get(s)`, "1"},
		// Registered symbols cannot be held weakly.
		{throws(`new WeakMap().set(Symbol.for("r"), 1)`), "TypeError"},
		{throws(`new WeakMap([[Symbol.for("r"), 1]])`), "TypeError"},
		{`const m = new WeakMap(), r = Symbol.for("r"); [m.has(r), m.get(r), m.delete(r)].join()`, "false,,false"},
		{throws(`new WeakMap().set(1, 1)`), "TypeError"},
		// The receiver is checked first.
		{throws(`WeakMap.prototype.has.call({}, Symbol())`), "TypeError"},
		{throws(`WeakMap.prototype.get.call(new WeakSet(), Symbol())`), "TypeError"},
		{throws(`WeakMap.prototype.set.call(new Map(), Symbol.for("r"), 1)`), "TypeError"},
		{throws(`const m = new WeakMap(), s = Symbol(); m.set(s, 1); WeakSet.prototype.has.call(m, s)`), "TypeError"},
		{throws(`const w = new WeakSet(), s = Symbol(); w.add(s); WeakMap.prototype.delete.call(w, s)`), "TypeError"},
		{throws(`WeakRef.prototype.deref.call((() => { const m = new WeakMap(); m.set(Symbol(), 1); return m; })())`), "TypeError"},
		// Subclasses, and maps that are frozen.
		{`class M extends WeakMap {} const m = new M(), s = Symbol(); m.set(s, 1); m.get(s)`, "1"},
		{`const m = Object.freeze(new WeakMap()), s = Symbol(); m.set(s, 1); m.get(s)`, "1"},
		// WeakSet's methods.
		{`const w = new WeakSet(), s = Symbol(); [w.add(s) === w, w.add(s) === w, w.has(s), w.delete(s), w.has(s)].join()`, "true,true,true,true,false"},
		{`const s = Symbol(); const w = new WeakSet([s, {}]); [w.has(s), w.has(Symbol())].join()`, "true,false"},
		{throws(`new WeakSet().add(Symbol.for("r"))`), "TypeError"},
		{`new WeakSet().has(Symbol.for("r"))`, "false"},
		// getOrInsert and getOrInsertComputed.
		{`const m = new WeakMap(), s = Symbol(); [m.getOrInsert(s, 1), m.getOrInsert(s, 2), m.get(s)].join()`, "1,1,1"},
		{`const m = new WeakMap(), o = {}; [m.getOrInsert(o, 1), m.getOrInsert(o, 2)].join()`, "1,1"},
		{`const m = new WeakMap(), s = Symbol(); [m.getOrInsertComputed(s, (k) => k === s), m.getOrInsertComputed(s, () => 2)].join()`, "true,true"},
		{`const m = new WeakMap(), s = Symbol(); [m.getOrInsertComputed(s, () => { m.set(s, 1); return 2; }), m.get(s)].join()`, "2,2"},
		{`let called = false; const r = ` + throws(`new WeakMap().getOrInsertComputed(Symbol.for("r"), () => { called = true; })`) + `; r + called`, "TypeErrorfalse"},
		{throws(`new WeakMap().getOrInsertComputed(Symbol.for("r"), 1)`), "TypeError"},
		{throws(`WeakMap.prototype.getOrInsert.call(new WeakSet(), {}, 1)`), "TypeError"},
		// The methods are built-in functions.
		{`[WeakMap.prototype.set.name, WeakMap.prototype.set.length, WeakSet.prototype.add.length, WeakMap.prototype.getOrInsertComputed.length].join()`, "set,2,1,2"},
		{`String(WeakMap.prototype.get).includes("[native code]")`, "true"},
		{throws(`new WeakMap.prototype.has()`), "TypeError"},
		// FinalizationRegistry and WeakRef check with the same CanBeHeldWeakly.
		{throws(`new WeakRef(Symbol.for("r"))`), "TypeError"},
		{throws(`const s = Symbol(); new FinalizationRegistry(() => {}).register(s, s)`), "TypeError"},
		{throws(`new FinalizationRegistry(() => {}).unregister(Symbol.for("r"))`), "TypeError"},
		{`new FinalizationRegistry(() => {}).unregister(Symbol.iterator)`, "false"},
	})
}

// newWeakRefsVM returns a runtime with WeakRef, FinalizationRegistry and the
// weak collections installed, and their state.
func newWeakRefsVM(t *testing.T) (*goja.Runtime, *weakRefs) {
	t.Helper()
	vm := goja.New()
	w, err := newWeakRefs(bindings.NewEnv(webidl.NewRealm(vm), nil))
	if err != nil {
		t.Fatal(err)
	}
	return vm, w
}

// gcUntil runs the garbage collector until done returns true or a deadline
// passes.
func gcUntil(t *testing.T, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not collected", what)
		}
		runtime.GC()
		runtime.Gosched()
	}
}

// TestWeakCollectionSymbolKeysCollected checks that the entries of symbols
// nothing else refers to go, and that the others stay.
func TestWeakCollectionSymbolKeysCollected(t *testing.T) {
	for _, c := range []struct{ name, src string }{
		{"WeakMap", `globalThis.c = new WeakMap(); globalThis.kept = Symbol("kept"); c.set(kept, 1);
			(() => { for (let i = 0; i < 10; i++) c.set(Symbol(i), {}); })();`},
		{"WeakSet", `globalThis.c = new WeakSet(); globalThis.kept = Symbol("kept"); c.add(kept);
			(() => { for (let i = 0; i < 10; i++) c.add(Symbol(i)); })();`},
	} {
		t.Run(c.name, func(t *testing.T) {
			vm, w := newWeakRefsVM(t)
			if _, err := vm.RunString(c.src); err != nil {
				t.Fatal(err)
			}
			k, _ := w.slots(vm.Get("c")).(*symbolKeys)
			if k == nil || k.len() != 11 {
				t.Fatalf("symbol keys %v; want 11 entries", k)
			}
			gcUntil(t, "symbol keys", func() bool { return k.len() == 1 })
			if v, err := vm.RunString(`c.has(kept)`); err != nil || !v.ToBoolean() {
				t.Errorf("c.has(kept) = %v, %v after collection", v, err)
			}
		})
	}
}

// TestWeakMapCycleCollected checks that a WeakMap whose value refers to its
// symbol key is collected, with the key, once nothing else refers to it.
func TestWeakMapCycleCollected(t *testing.T) {
	vm, w := newWeakRefsVM(t)
	var keys weak.Pointer[symbolKeys]
	var sym weak.Pointer[goja.Symbol]
	func() {
		v, err := vm.RunString(`(() => { const m = new WeakMap(), s = Symbol(); m.set(s, { s }); return [m, s]; })()`)
		if err != nil {
			t.Fatal(err)
		}
		pair := v.ToObject(vm)
		keys = weak.Make(w.slots(pair.Get("0")).(*symbolKeys))
		sym = weak.Make(pair.Get("1").(*goja.Symbol))
	}()
	// goja's stack keeps what the script left there until another
	// overwrites it.
	if _, err := vm.RunString(`(() => { const a = []; for (let i = 0; i < 100; i++) a.push(i); })()`); err != nil {
		t.Fatal(err)
	}
	gcUntil(t, "the map and its key", func() bool { return keys.Value() == nil && sym.Value() == nil })
	runtime.KeepAlive(vm)
}

// TestWeakMapKeyCleanupsStopped checks that the cleanups a collection
// registered on keys that outlive it are stopped once it is collected.
func TestWeakMapKeyCleanupsStopped(t *testing.T) {
	vm, w := newWeakRefsVM(t)
	var cleanups *keyCleanups
	func() {
		v, err := vm.RunString(`globalThis.kept = Symbol("kept");
			(() => { const m = new WeakMap(); m.set(Symbol.iterator, 1).set(kept, 2); return m; })()`)
		if err != nil {
			t.Fatal(err)
		}
		cleanups = w.slots(v).(*symbolKeys).cleanups
	}()
	if n := cleanups.len(); n != 2 {
		t.Fatalf("%d cleanups; want 2", n)
	}
	if _, err := vm.RunString(`(() => { const a = []; for (let i = 0; i < 100; i++) a.push(i); })()`); err != nil {
		t.Fatal(err)
	}
	gcUntil(t, "the map", func() bool { return cleanups.len() == 0 })
}
