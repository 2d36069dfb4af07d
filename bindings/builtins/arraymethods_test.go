package builtins

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// TestArrayMethodSteps checks the steps in script (js/arrays.js) against
// goja's originals: a receiver whose length is a getter goes through the
// steps, one whose length is a data property through the original, and both
// must give the same result and leave the same object.
func TestArrayMethodSteps(t *testing.T) {
	vm := newVM(t, Options{Interruptible: true})
	// make(slow) returns an array-like with holes; slow puts its length
	// behind a getter.
	const setup = `var make = (slow, n = 6) => {
		const o = { 0: "a", 1: undefined, 3: "d", 4: "b", 7: "x" };
		if (slow) Object.defineProperty(o, "length", { get: () => n, set(v) { n = v }, enumerable: true });
		else o.length = n;
		return o;
	};
	var state = (o) => JSON.stringify(Object.entries(o).filter(([k]) => k !== "length")) + " length " + o.length;
	var both = (f) => [true, false].map((slow) => {
		const o = make(slow);
		let r;
		try { r = f(o) } catch (e) { r = e.name } // messages differ
		return JSON.stringify(r === o ? "this" : r) + " " + state(o);
	});`
	if _, err := vm.RunString(setup); err != nil {
		t.Fatal(err)
	}
	const p = "Array.prototype."
	for _, call := range []string{
		p + `forEach.call(o, (v, k, x) => x[k + 10] = v + k)`,
		p + `map.call(o, (v, k) => v + k)`,
		p + `filter.call(o, (v) => v !== "d")`,
		p + `reduce.call(o, (a, v, k) => a + v + k)`,
		p + `reduce.call(o, (a, v, k) => a + v + k, "i")`,
		p + `reduce.call({ get length() { return 0 } }, (a) => a)`,
		p + `reduceRight.call(o, (a, v, k) => a + v + k)`,
		p + `reduceRight.call(o, (a, v, k) => a + v + k, "i")`,
		p + `some.call(o, (v) => v === "d")`,
		p + `every.call(o, (v) => v !== "b")`,
		p + `forEach.call(o, 1)`,
		p + `fill.call(o, 0, 1, -2)`,
		p + `fill.call(o, 0, -4)`,
		p + `reverse.call(o)`,
		p + `copyWithin.call(o, 3, 0, 3)`,
		p + `copyWithin.call(o, 0, 2)`,
		p + `copyWithin.call(o, 1, 0)`,
		p + `slice.call(o, 1, -1)`,
		p + `slice.call(o, -3)`,
		p + `splice.call(o, 1, 2)`,
		p + `splice.call(o, 1, 1, "p", "q", "r")`,
		p + `splice.call(o, 2)`,
		p + `splice.call(o)`,
		p + `splice.call(o, -2, 0, "p")`,
		p + `shift.call(o)`,
		p + `unshift.call(o, "p", "q")`,
		p + `unshift.call(o)`,
		p + `toReversed.call(o)`,
		p + `with.call(o, 2, "w")`,
		p + `with.call(o, -1, "w")`,
		p + `with.call(o, 6, "w")`,
		p + `toSpliced.call(o, 1, 2, "p")`,
		p + `toSpliced.call(o, 3)`,
		p + `sort.call(o)`,
		p + `sort.call(o, (a, b) => a < b ? 1 : a > b ? -1 : 0)`,
		p + `sort.call(o, 1)`,
		p + `concat.call(o, [1, , 2], "s", { length: 2, 0: "l", [Symbol.isConcatSpreadable]: true })`,
		`Array.from(o)`,
		`Array.from(o, (v, k) => v + k)`,
		`Function.prototype.apply.call((...a) => a, null, o)`,
		`Reflect.apply((...a) => a.length, null, o)`,
		`Reflect.construct(function (...a) { this.a = a }, o).a`,
	} {
		v, err := vm.RunString(`both((o) => ` + call + `)`)
		if err != nil {
			t.Fatalf("%s: %v", call, err)
		}
		got := v.Export().([]any)
		if got[0] != got[1] {
			t.Errorf("%s:\n steps    %s\n original %s", call, got[0], got[1])
		}
	}
}

// TestArrayMethodsLong checks what the replacements do where goja's
// originals would loop in Go for hours or allocate more than the machine
// holds: they throw what V8 throws, or loop in script until interrupted.
func TestArrayMethodsLong(t *testing.T) {
	// flat's replacement comes with the bound on nesting.
	vm := newVM(t, Options{Interruptible: true, NestingDepth: 100})
	for _, c := range []struct{ src, want string }{
		{`try { Array.prototype.splice.call({ length: 2 ** 53 - 1 }, 0, 0, 1) } catch (e) { e.name }`, "TypeError"},
		{`try { Array.from({ length: 2 ** 53 - 1 }) } catch (e) { e.name + ": " + e.message }`, "RangeError: Invalid array length"},
		{`try { Array.prototype.map.call({ length: 2 ** 32 }, (x) => x) } catch (e) { e.name + ": " + e.message }`, "RangeError: Invalid array length"},
		{`try { Reflect.apply(Math.max, null, Array(2 ** 31)) } catch (e) { e.name + ": " + e.message }`, "RangeError: Maximum call stack size exceeded"},
		{`try { Function.prototype.apply.call(Math.max, null, { length: 2 ** 32 - 1 }) } catch (e) { e.name + ": " + e.message }`, "RangeError: Maximum call stack size exceeded"},
		{`try { Reflect.construct(Object, { length: 2 ** 20 }) } catch (e) { e.name + ": " + e.message }`, "RangeError: Maximum call stack size exceeded"},
		{`Math.max.apply(null, Array(1 << 17).fill(1))`, "1"},
		{`try { Reflect.apply(1, null, { get length() { throw 1 } }) } catch (e) { e.name }`, "TypeError"},
		{`const a = Array(2 ** 32 - 1); a[5] = 1; a.lastIndexOf(1, 10)`, "5"},
	} {
		if got := run(vm, c.src); got != c.want {
			t.Errorf("%s: got %q, want %q", c.src, got, c.want)
		}
	}
	// Each method over a sparse array and over an array-like, whose loops
	// find nothing to call script for; over an array-like, those that make
	// an array of its length throw V8's RangeError first.
	var long []string
	for _, m := range []string{
		"forEach(f)", "map(f)", "filter(f)", "reduce(f, 0)", "reduceRight(f, 0)", "some(f)", "every(f)",
		"fill(0)", "reverse()", "copyWithin(0, 1)", "slice()", "splice(0, 1)", "shift()",
		"toReversed()", "with(0, 1)", "toSpliced(0, 1)", "sort()", "concat([1])", "flat()",
	} {
		long = append(long, "var f = () => {}; Array(2 ** 32 - 1)."+m)
		al := "var f = () => {}; Array.prototype." + strings.Replace(m, "(", ".call({ length: 2 ** 53 - 1 }, ", 1)
		switch m {
		case "map(f)", "slice()", "toReversed()", "with(0, 1)", "toSpliced(0, 1)":
			if got := run(vm, "try { "+al+" } catch (e) { e.name }"); got != "RangeError" {
				t.Errorf("%s: got %q, want a RangeError", al, got)
			}
		case "concat([1])": // the receiver is not spread
		default:
			long = append(long, al)
		}
	}
	long = append(long, `Array.from({ length: 2 ** 32 - 1 })`, `Array.prototype.concat.call([], Array(2 ** 32 - 1))`)
	for _, src := range long {
		timer := time.AfterFunc(100*time.Millisecond, func() { vm.Interrupt("stop") })
		start := time.Now()
		_, err := vm.RunString(src)
		timer.Stop()
		vm.ClearInterrupt()
		var ie *goja.InterruptedError
		if !errors.As(err, &ie) || ie.Value() != "stop" {
			t.Errorf("%s: got %v, want the interrupt", src, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: interrupted after %v", src, d)
		}
	}
}
