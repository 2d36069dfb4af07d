package builtins

import (
	"testing"

	"github.com/dop251/goja"
)

// The weak collections' methods with object keys, goja's own storage, which
// the symbol keys' storage beside it must not slow.

// benchWeakScript runs, b.N times, the function src evaluates to in a realm
// with the built-ins installed.
func benchWeakScript(b *testing.B, src string) {
	vm := newVM(b, Options{})
	v, err := vm.RunString(src)
	if err != nil {
		b.Fatal(err)
	}
	run, ok := goja.AssertFunction(v)
	if !ok {
		b.Fatal("the script is not a function")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := run(goja.Undefined()); err != nil {
			b.Fatal(err)
		}
	}
}

// keysScript makes 1000 object keys. The benchmarks that add entries make
// keys of their own each time: goja adds a cleanup to a key each time it
// becomes one, and delete does not remove it, so reusing keys would measure
// the cleanups piling up.
const keysScript = `const keys = []; for (let i = 0; i < 1000; i++) keys.push({});`

func BenchmarkWeakMapObjectKeys(b *testing.B) {
	benchWeakScript(b, keysScript+`const m = new WeakMap();
		for (const k of keys) m.set(k, 0);
		(function () {
			for (const k of keys) { m.set(k, 1); m.get(k); m.has(k); }
		})`)
}

func BenchmarkWeakMapAddDeleteObjectKeys(b *testing.B) {
	benchWeakScript(b, `const m = new WeakMap();
		(function () {
			const keys = []; for (let i = 0; i < 1000; i++) keys.push({});
			for (const k of keys) m.set(k, 1);
			for (const k of keys) m.delete(k);
		})`)
}

func BenchmarkWeakMapConstructObjectKeys(b *testing.B) {
	benchWeakScript(b, `(function () {
			const entries = []; for (let i = 0; i < 1000; i++) entries.push([{}, 1]);
			new WeakMap(entries);
		})`)
}

func BenchmarkWeakSetObjectKeys(b *testing.B) {
	benchWeakScript(b, keysScript+`const s = new WeakSet();
		for (const k of keys) s.add(k);
		(function () {
			for (const k of keys) { s.add(k); s.has(k); }
		})`)
}

func BenchmarkWeakSetConstructObjectKeys(b *testing.B) {
	benchWeakScript(b, `(function () {
			const keys = []; for (let i = 0; i < 1000; i++) keys.push({});
			new WeakSet(keys);
		})`)
}
