package builtins

import (
	"fmt"
	"testing"

	"github.com/wsjs/wsjs/webidl"
)

// TestLazyScriptMethods checks that each method a lazy script defines looks,
// before and after its first call, as the script's own method did: a
// writable, configurable, non-enumerable data property holding a built-in
// function of its name and length, shown as native code, not a constructor,
// and the same function object throughout.
func TestLazyScriptMethods(t *testing.T) {
	for _, s := range lazyScripts() {
		for _, d := range s.defines {
			for _, m := range d.methods {
				vm := newVM(t, Options{})
				realm := webidl.RealmOf(vm)
				target := d.target(realm)
				if err := vm.Set("target", target); err != nil {
					t.Fatal(err)
				}
				src := fmt.Sprintf(`
					const key = %q, f = target[key];
					const look = () => {
						const d = Object.getOwnPropertyDescriptor(target, key);
						let constructs = true;
						try { new f(); } catch (e) { constructs = !(e instanceof TypeError); }
						return [d.value === f, d.writable, d.enumerable, d.configurable, f.name, f.length,
							Function.prototype.toString.call(f), Reflect.ownKeys(f).join(), constructs].join();
					};
					const before = look();
					try { f.call(target); } catch {}
					const after = look();
					before === after ? after : before + " then " + after`, m.name)
				want := fmt.Sprintf("true,true,false,true,%s,%d,function %s() { [native code] },length,name,false", m.name, m.length, m.name)
				if v, err := vm.RunString(src); err != nil || v.String() != want {
					t.Errorf("%s: got %v, %v; want %s", m.name, v, err, want)
				}
			}
		}
	}
}

// TestLazyScriptIntrinsics checks that a lazy script evaluated after script
// replaced the built-ins it takes still has the realm's own.
func TestLazyScriptIntrinsics(t *testing.T) {
	runCases(t, []scriptCase{
		{`const m = new Map([[1, 2]]);
			Map.prototype.get = Map.prototype.set = Map.prototype.forEach = Map.prototype.has = () => { throw 1 };
			Reflect.apply = () => { throw 2 };
			const r = [Object.keys(Object.groupBy([1, 2, 3], (x) => x % 2)).join(" "),
				m.getOrInsert(1, 5)];
			r.join()`, "0 1,2"},
		{`const P = Promise, M = Math, A = Array, O = Object;
			const t = P.try, s = M.sumPrecise, g = O.groupBy, f = A.fromAsync;
			delete globalThis.Promise; delete globalThis.Math; delete globalThis.Array; delete globalThis.Object;
			[t.call(P, () => 1) instanceof P, s([1, 2]), typeof g, f.call(A, [1]) instanceof P].join()`, "true,3,function,true"},
		{`const z = Iterator.zip; Reflect.apply = null; [...z([[1, 2], [3, 4]])].join(" ")`, "1,3 2,4"},
		{`Reflect.setPrototypeOf = Reflect.defineProperty = Reflect.getOwnPropertyDescriptor = Reflect.apply = null;
			[[...[1, 2, 3].values().map((x) => x * 2)].join(), Iterator.from({ next: () => ({ done: true }) }).toArray().length].join()`, "2,4,6,0"},
	})
}

// TestLazyStepsIntrinsics checks that js/arrays.js, evaluated the first time
// a long receiver needs its steps, takes the built-ins the realm started
// with rather than what script put in their place.
func TestLazyStepsIntrinsics(t *testing.T) {
	vm := newVM(t, Options{Interruptible: true})
	src := `const slice = Array.prototype.slice;
		Array.isArray = Reflect.defineProperty = Reflect.apply = Math.max = Math.min = () => { throw 1 };
		const r = slice.call({ length: 2 ** 32 + 5, [2 ** 32 + 4]: "x" }, -1);
		[Object.getPrototypeOf(r) === Array.prototype, r.length, r[0]].join()`
	if v, err := vm.RunString(src); err != nil || v.String() != "true,1,x" {
		t.Errorf("got %v, %v; want true,1,x", v, err)
	}
}
