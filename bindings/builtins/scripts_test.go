package builtins

import "testing"

// TestScripts checks Array.fromAsync, getOrInsert and getOrInsertComputed,
// Promise.try, Promise.withResolvers, Promise.allKeyed and
// Promise.allSettledKeyed and the groupBy functions as script sees
// them; test262 checks the rest.
func TestScripts(t *testing.T) {
	runCases(t, []scriptCase{
		{`let r; Array.fromAsync([1, Promise.resolve(2)], x => x * 10).then(a => r = a.join()); r`, "undefined"},
		{`var r; Array.fromAsync({ length: 2, 0: "a", 1: Promise.resolve("b") }).then(a => r = a.join()); 0`, "0"},
		{`var out = []; Array.fromAsync({ [Symbol.asyncIterator]() { let i = 0; return { next: async () => ({ done: i > 1, value: i++ }) } } }).then(a => out.push(a.join())); 0`, "0"},
		{`const m = new Map(); [m.getOrInsert(-0, 1), m.getOrInsert(0, 2), Object.is([...m.keys()][0], 0), m.getOrInsertComputed("k", k => k + "!")].join()`, "1,1,true,k!"},
		{`const w = new WeakMap(), k = {}; [w.getOrInsertComputed(k, () => 5), w.getOrInsert(k, 6)].join()`, "5,5"},
		{`try { new WeakMap().getOrInsert(1, 1) } catch (e) { e.name }`, "TypeError"},
		{`let v; Promise.try((a, b) => a + b, 1, 2).then(x => v = x); v`, "undefined"},
		{`const { promise, resolve, reject } = Promise.withResolvers(); [promise instanceof Promise, typeof resolve, typeof reject, Object.keys(Promise.withResolvers()).join(" ")].join()`, "true,function,function,promise resolve reject"},
		{`class P extends Promise {}; P.withResolvers().promise instanceof P`, "true"},
		{`try { Promise.withResolvers.call(1) } catch (e) { e.name }`, "TypeError"},
		{`const g = Object.groupBy([1, 2, 3, 4], x => x % 2 ? "odd" : "even"); [String(Object.getPrototypeOf(g)), Object.keys(g).join(), g.odd.join(), g.even.join()].join(" ")`, "null odd,even 1,3 2,4"},
		{`const m = Map.groupBy([-0, 0, NaN, NaN], x => x); [m.size, Object.is([...m.keys()][0], 0), m.get(0).length, m.get(NaN).length].join()`, "2,true,2,2"},
		{`Object.keys(Object.groupBy("abc", (c, i) => i === 1 ? {toString: () => "k"} : c)).join()`, "a,k,c"},
		{`let closed = false; const it = { [Symbol.iterator]: () => ({ next: () => ({ value: 1 }), return() { closed = true; return {} } }) }; try { Map.groupBy(it, () => { throw 1 }) } catch {} closed`, "true"},
		{`[Object.groupBy.length, Map.groupBy.name, Promise.withResolvers.length].join()`, "2,groupBy,0"},
		{`[Promise.allKeyed.length, Promise.allSettledKeyed.name, String(Promise.allKeyed)].join()`, "1,allSettledKeyed,function allKeyed() { [native code] }"},
		{`var r; Promise.allKeyed(7).catch(e => r = e); 0`, "0"},
		{`try { Promise.allKeyed.call(1, {}) } catch (e) { e.name }`, "TypeError"},
		{`[Array.fromAsync.length, Promise.try.length, Map.prototype.getOrInsertComputed.length, String(Promise.try)].join()`, "1,1,2,function try() { [native code] }"},
	})
	// Jobs run once a script returns: look at what they did.
	vm := newVM(t, Options{})
	if _, err := vm.RunString(`var got = []; Array.fromAsync([1, Promise.resolve(2)], x => x * 10).then(a => got.push(a.join()));
		Promise.try(() => { throw 7 }).catch(e => got.push(e));
		const s = Symbol("s"), later = Promise.withResolvers();
		Promise.allKeyed({ b: later.promise, a: 1, [s]: 2, __proto__: { inherited: 3 } }).then(r =>
			got.push([Object.getPrototypeOf(r), ...Reflect.ownKeys(r).map(String), r.b, r.a, r[s]].join("|")));
		Object.defineProperty(later, "hidden", { value: 4, enumerable: false });
		Promise.allSettledKeyed({ ok: 1, no: Promise.reject(8) }).then(r =>
			got.push(JSON.stringify(r)));
		Promise.allKeyed({ x: Promise.reject(9), y: 1 }).catch(e => got.push("rejected " + e));
		later.resolve("late");`); err != nil {
		t.Fatal(err)
	}
	want := `7 {"ok":{"status":"fulfilled","value":1},"no":{"status":"rejected","reason":8}} rejected 9 |b|a|Symbol(s)|late|1|2 10,20`
	if v, _ := vm.RunString(`got.join(" ")`); v.String() != want {
		t.Errorf("jobs gave %q, want %q", v, want)
	}
}
