package builtins

import (
	"testing"

	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

const tooLong = "RangeError: Invalid string length"

// The bound in these tests is 2**20 code units, so that each string beyond
// it can be made without the replacements: the tests then fail.
func TestStringBound(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"repeat at the bound", `"x".repeat(2**20).length`, "1048576"},
		{"repeat beyond", `"x".repeat(2**20 + 1)`, tooLong},
		{"repeat counts code units", `"\u{1F600}".repeat(2**19 + 1)`, tooLong},
		{"repeat of the empty string", `"".repeat(2**40)`, ""},
		{"repeat zero", `"x".repeat(0)`, ""},
		{"repeat negative", `try { "x".repeat(-1) } catch (e) { e.name + (e.message === "Invalid string length") }`, "RangeErrorfalse"},
		{"repeat infinite", `try { "x".repeat(Infinity) } catch (e) { e.name + (e.message === "Invalid string length") }`, "RangeErrorfalse"},
		{"repeat infinite on the empty string", `try { "".repeat(Infinity) } catch (e) { e.name }`, "RangeError"},
		{"repeat count as a string", `"ab".repeat("3")`, "ababab"},
		{"repeat on a number", `String.prototype.repeat.call(12, 2)`, "1212"},
		{"repeat on undefined", `try { String.prototype.repeat.call(undefined, 2) } catch (e) { e.name }`, "TypeError"},
		{"repeat on a Symbol", `try { String.prototype.repeat.call(Symbol(), 2) } catch (e) { e.name }`, "TypeError"},
		{"repeat keeps lone surrogates", `"\uD800".repeat(2) === "\uD800\uD800"`, "true"},
		{"padStart at the bound", `"x".padStart(2**20, "ab").length`, "1048576"},
		{"padStart beyond", `"x".padStart(2**20 + 1)`, tooLong},
		{"padEnd beyond", `"x".padEnd(2**20 + 1, "ab")`, tooLong},
		{"padEnd", `"x".padEnd(5, "ab")`, "xabab"},
		{"padStart", `"x".padStart(4, "ab")`, "abax"},
		{"pad with the empty string", `"x".padStart(2**40, "").length`, "1"},
		{"pad to less than the length", `"xyz".padEnd(2)`, "xyz"},
		{"pad with a number", `"x".padEnd(3, 0)`, "x00"},
		{"pad with undefined", `"x".padEnd(3, undefined) === "x  "`, "true"},
		{"pad with a Symbol", `try { "x".padEnd(3, Symbol()) } catch (e) { e.name }`, "TypeError"},
		{"pad with a Symbol, to less than the length", `"xyz".padEnd(2, Symbol())`, "xyz"},
		{"concat at the bound", `"x".repeat(2**19).concat("y".repeat(2**19)).length`, "1048576"},
		{"concat beyond", `const s = "x".repeat(2**19); s.concat(s, "z")`, tooLong},
		{"concat doubling", `let s = "x"; try { for (;;) s = s.concat(s) } catch (e) { e.name + " " + s.length }`, "RangeError 1048576"},
		{"concat of no strings", `"x".concat()`, "x"},
		{"concat converts", `"x".concat(1, null, undefined, [2, 3])`, "x1nullundefined2,3"},
		{"concat on undefined", `try { String.prototype.concat.call(undefined) } catch (e) { e.name }`, "TypeError"},
		{"concat with a Symbol", `try { "x".concat(Symbol()) } catch (e) { e.name }`, "TypeError"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := jstest.Outcome(newVM(t, bounded), c.src); got != c.want {
				t.Errorf("%s\ngot  %s\nwant %s", c.src, got, c.want)
			}
		})
	}
}

// TestStringBoundObservable checks that each conversion happens once, in the
// spec's order.
func TestStringBoundObservable(t *testing.T) {
	const log = `const log = [];
		const val = (name, v) => ({ toString() { log.push(name); return v }, valueOf() { log.push(name); return v } });`
	cases := []struct{ name, src, want string }{
		{"repeat", `String.prototype.repeat.call(val("this", "ab"), val("count", 2)) + " " + log.join()`, "abab this,count"},
		{"repeat beyond", `try { String.prototype.repeat.call(val("this", "ab"), val("count", 2**20)) } catch (e) { log.push(e.name) } log.join()`, "this,count,RangeError"},
		{"padStart", `String.prototype.padStart.call(val("this", "x"), val("max", 3), val("fill", "y")) + " " + log.join()`, "yyx this,max,fill"},
		{"padEnd beyond", `try { String.prototype.padEnd.call(val("this", "x"), val("max", 2**21), val("fill", "y")) } catch (e) { log.push(e.name) } log.join()`, "this,max,fill,RangeError"},
		{"padEnd short", `String.prototype.padEnd.call(val("this", "xyz"), val("max", 2), val("fill", "y")) + " " + log.join()`, "xyz this,max"},
		{"concat", `String.prototype.concat.call(val("this", "a"), val("b", "b"), val("c", "c")) + " " + log.join()`, "abc this,b,c"},
		{"concat beyond", `try { String.prototype.concat.call(val("this", "x".repeat(2**20)), val("b", "b"), val("c", "c")) } catch (e) { log.push(e.name) } log.join()`, "this,b,c,RangeError"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := jstest.Outcome(newVM(t, bounded), log+c.src); got != c.want {
				t.Errorf("%s\ngot  %s\nwant %s", c.src, got, c.want)
			}
		})
	}
}

const describeMethod = `(name) => {
	const f = String.prototype[name];
	const d = Object.getOwnPropertyDescriptor(String.prototype, name);
	const out = [d.writable, d.enumerable, d.configurable, typeof f, f.name, f.length,
		Reflect.ownKeys(f).join(), Object.getPrototypeOf(f) === Function.prototype,
		Function.prototype.toString.call(f), JSON.stringify(Object.getOwnPropertyDescriptor(f, "name")),
		JSON.stringify(Object.getOwnPropertyDescriptor(f, "length"))];
	try { new f(); out.push("constructs") } catch (e) { out.push(e.name) }
	return out.join("\n");
}`

func TestStringMethodsLookTheSame(t *testing.T) {
	plain, bound := newVM(t, Options{}), newVM(t, bounded)
	for _, name := range []string{"repeat", "padStart", "padEnd", "concat"} {
		src := "(" + describeMethod + ")(" + `"` + name + `")`
		if want, got := jstest.Outcome(plain, src), jstest.Outcome(bound, src); got != want {
			t.Errorf("%s with the bound:\n%s\nwithout:\n%s", name, got, want)
		}
	}
}
