package builtins

import "testing"

// TestSetMethods checks the Set methods that take a set-like: goja's called a
// keys iterator's next without checking it (a Go panic), and the record they
// are given keeps what script sees.
func TestSetMethods(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`try { new Set([1, 2]).difference({ size: 0, has() { return true }, keys() { return { next: null } } }) } catch (e) { e.name }`, "TypeError"},
		{`try { new Set([1]).union({ size: 1, has() {}, keys() { return {} } }) } catch (e) { e.name }`, "TypeError"},
		{`try { new Set([1]).symmetricDifference({ size: 1, has() {}, keys() { return 5 } }) } catch (e) { e.name }`, "TypeError"},
		{`[...new Set([1, 2, 3]).intersection(new Set([2, 3, 4]))].join()`, "2,3"},
		{`[...new Set([1]).union(new Map([[2, "x"]]))].join()`, "1,2"},
		{`let log = []; new Set([1, 2]).isDisjointFrom({ size: 1, has() {}, keys() { return { next() { return { value: 1, done: false } }, return() { log.push("return"); return {} } } } }); log.join()`, "return"},
		{`let log = []; try { Set.prototype.union.call(new Map(), { get size() { log.push("size"); return 1 } }) } catch (e) { log.push(e.name) } log.join()`, "TypeError"},
		{`let log = []; const o = { get size() { log.push("size"); return 0 }, get has() { log.push("has"); return () => false }, get keys() { log.push("keys"); return () => [][Symbol.iterator]() } }; new Set([1]).isSubsetOf(o); log.join()`, "size,has,keys"},
		{`try { new Set([1]).union({ size: -1, has() {}, keys() {} }) } catch (e) { e.name }`, "RangeError"},
		{`try { new Set([1]).union({ size: undefined, has() {}, keys() {} }) } catch (e) { e.name }`, "TypeError"},
		{`const s = new Set([1]); const o = { size: 1, has(v) { return this === o }, keys() { return [1][Symbol.iterator]() } }; s.isSubsetOf(o)`, "true"},
		{`[Set.prototype.union.name, Set.prototype.union.length, String(Set.prototype.isDisjointFrom)].join()`, "union,1,function isDisjointFrom() { [native code] }"},
		// The script is evaluated on first call, after this one replaced the array iterator.
		{`const a = new Set([1]), b = new Set([2]); Array.prototype[Symbol.iterator] = null; a.union(b).size`, "2"},
	} {
		vm := newVM(t, Options{})
		v, err := vm.RunString(c.src)
		if err != nil || v.String() != c.want {
			t.Errorf("%s: got %v, %v; want %s", c.src, v, err, c.want)
		}
	}
}
