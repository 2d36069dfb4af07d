package builtins

import (
	"errors"
	"testing"
	"time"

	"github.com/dop251/goja"
)

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

// TestIteratorInterrupt checks that an interrupt stops the new built-ins
// that loop over iterators for as long as the iterators go on, built-in
// iterators included.
func TestIteratorInterrupt(t *testing.T) {
	const endless = `Array.prototype.values.call({ length: 2 ** 53 - 1 })`
	for _, src := range []string{
		endless + `.toArray()`,
		endless + `.drop(Infinity).next()`,
		endless + `.map(x => x).some(x => false)`,
		`Math.sumPrecise(` + endless + `.map(() => 1))`,
		`Iterator.zip([` + endless + `], { mode: "longest" }).toArray()`,
		`Iterator.concat({ [Symbol.iterator]: () => ` + endless + ` }).forEach(() => {})`,
	} {
		vm := newVM(t, Options{Interruptible: true})
		timer := time.AfterFunc(100*time.Millisecond, func() { vm.Interrupt("stop") })
		start := time.Now()
		_, err := vm.RunString(`try { ` + src + ` } catch (e) {}`)
		timer.Stop()
		var ie *goja.InterruptedError
		if !errors.As(err, &ie) || ie.Value() != "stop" {
			t.Errorf("%s: got %v, want the interrupt", src, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: interrupted after %v", src, d)
		}
	}
}
