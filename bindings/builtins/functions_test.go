package builtins

import (
	"testing"
)

// TestDynamicFunctions checks that the function constructors run source
// with \u{10FFFF} in its literals, and are otherwise the originals.
func TestDynamicFunctions(t *testing.T) {
	vm := newVM(t, Options{DynamicFunctions: true})
	for _, c := range []struct{ src, want string }{
		{`new Function('return "\\u{10FFFF}"')().length`, "2"},
		{`Function('return "\\u{0010ffff}" === "\\uDBFF\\uDFFF"')()`, "true"},
		{"new Function('return `a\\\\u{10FFFF}${1}b`')()", "a\U0010FFFF1b"},
		{`new Function("a = '\\u{10FFFF}", "'", "return a")().length`, "3"},
		{`new Function('return /\\u{10FFFF}/.source')()`, `\u{10FFFF}`},
		{`new Function('// "\\u{10FFFF}\nreturn 1')()`, "1"},
		{`Object.getPrototypeOf(async function () {}).constructor('return "\\u{10FFFF}"')().constructor.name`, "Promise"},
		{`Object.getPrototypeOf(function* () {}).constructor('yield "\\u{10FFFF}"')().next().value.length`, "2"},
		{`[Function.name, Function.length, Function.prototype === Object.getPrototypeOf(() => 1), Function.prototype.constructor === Function, new Function("return 1") instanceof Function].join()`, "Function,1,true,true,true"},
		{`class F extends Function {}; const f = new F("return 2"); [f() , f instanceof F].join()`, "2,true"},
		// %AsyncFunction% and %GeneratorFunction% inherit from %Function%, the replacement.
		{`[async function () {}, function* () {}].map(f => Object.getPrototypeOf(f.constructor) === Function).join()`, "true,true"},
		{`String(Function)`, "function Function() { [native code] }"},
		{`let log = []; new Function({ toString() { log.push("a"); return "a" } }, { toString() { log.push("b"); return "return a" } }); log.join()`, "a,b"},
		{`try { new Function("}") } catch (e) { e.name }`, "SyntaxError"},
		{`try { Function(Symbol()) } catch (e) { e.name }`, "TypeError"},
		// Regular expression literals are checked before the function is made.
		{`try { Function("if (false) /\\p{Foo}/u") } catch (e) { e.name + ": " + e.message }`, "SyntaxError: Invalid regular expression: /\\p{Foo}/u: Invalid property name"},
		{`try { Function("a = /(?<x>.)/", "return /a{2,1}/") } catch (e) { e.message }`, "Invalid regular expression: /a{2,1}/: numbers out of order in {} quantifier"},
		{`try { Object.getPrototypeOf(function* () {}).constructor("yield /(/") } catch (e) { e.message }`, "Invalid regular expression: /(/: Unterminated group"},
		{`try { Function("return /[") } catch (e) { e.name + ": " + e.message }`, "SyntaxError: Invalid regular expression: missing /"}, // goja's parser takes it
		{`try { eval("1;\n/[a") } catch (e) { e.name + ": " + e.message }`, "SyntaxError: Invalid regular expression: missing /"},
		{`Function("return 6 / 2 / 3")()`, "1"},
		{`Function("return /(?<a>x)|(?<a>y)/.exec('y').groups.a")()`, "y"},
	} {
		if got := run(vm, c.src); got != c.want {
			t.Errorf("%s: got %q, want %q", c.src, got, c.want)
		}
	}
}
