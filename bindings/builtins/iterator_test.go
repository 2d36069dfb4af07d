package builtins

import "testing"

// TestIterator checks Iterator, its helpers and static methods as script
// sees them; test262 checks the rest.
func TestIterator(t *testing.T) {
	runCases(t, []scriptCase{
		{`[1, 2, 3, 4].values().map(x => x * 2).filter(x => x > 2).take(2).toArray().join()`, "4,6"},
		{`Iterator.from({ next() { return { done: this.n > 2, value: this.n++ } }, n: 0 }).drop(1).toArray().join()`, "1,2"},
		{`[[1], [2, 3]].values().flatMap(x => x).reduce((a, b) => a + b)`, "6"},
		{`let log = []; const it = { next() { return { value: 1, done: false } }, return() { log.push("r"); return {} }, __proto__: Iterator.prototype }; [it.some(x => x === 1), log.join()].join()`, "true,r"},
		{`String(Iterator.prototype.map) + " " + Object.prototype.toString.call([].values().map(x => x))`, "function map() { [native code] } [object Iterator Helper]"},
		{`try { new Iterator() } catch (e) { e.name }`, "TypeError"},
		{`class I extends Iterator {}; new I() instanceof Iterator`, "true"},
		{`Iterator.concat([1], new Set([2])).toArray().join()`, "1,2"},
		{`JSON.stringify(Iterator.zip([[1, 2], [3]], { mode: "longest", padding: [0, 9] }).toArray())`, "[[1,3],[2,9]]"},
		{`JSON.stringify(Iterator.zipKeyed({ a: [1, 2], b: [3, 4] }).toArray())`, `[{"a":1,"b":3},{"a":2,"b":4}]`},
		{`const h = [1].values().map(x => h.next()); try { h.next() } catch (e) { e.name }`, "TypeError"},
	})
}
