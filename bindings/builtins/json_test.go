package builtins

import (
	"strings"
	"testing"

	"github.com/dop251/goja"
)

func TestJSONDepth(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"stringify deep arrays", `let a = []; for (let i = 0; i < 100; i++) a = [a]; JSON.stringify(a)`, "RangeError: " + stackExceeded},
		{"stringify deep objects with a replacer", `let a = {}; for (let i = 0; i < 100; i++) a = {a}; JSON.stringify(a, (k, v) => v)`, "RangeError: " + stackExceeded},
		{"stringify deep objects with a list", `let a = {}; for (let i = 0; i < 100; i++) a = {a}; JSON.stringify(a, ["a"])`, "RangeError: " + stackExceeded},
		{"stringify at the bound", `let a = []; for (let i = 0; i < 9; i++) a = [a]; JSON.stringify(a)`, "[[[[[[[[[[]]]]]]]]]]"},
		{"stringify with a list at the bound", `let a = {}; for (let i = 0; i < 9; i++) a = {a, b: 1, c: [2]}; JSON.stringify(a, ["a", "b", 1, "b"], "\t")`, ""},
		{"parse deep", `JSON.parse("[".repeat(100) + "]".repeat(100))`, "RangeError: " + stackExceeded},
		{"parse at the bound", `JSON.stringify(JSON.parse('[[[[[[[[[["[[[[\\\\\\""]]]]]]]]]]'))`, ""},
		{"reviver that deepens", `let deep = []; for (let i = 0; i < 100; i++) deep = [deep]; JSON.parse("[0, 0]", function (k, v) { if (k === "0") this[1] = deep; return v })`, "RangeError: " + stackExceeded},
		{"reviver", `JSON.stringify(JSON.parse('{"a": [1, 2, {"b": 3}], "c": 4}', (k, v) => typeof v === "number" ? (v === 4 ? undefined : v * 10) : v))`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := c.want
			if want == "" { // what goja's own JSON gives
				want = run(newVM(t, Options{}), c.src)
			}
			if got := run(newVM(t, Options{NestingDepth: 10}), c.src); !strings.HasPrefix(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

// run runs src and returns its value or error as a string.
func run(vm *goja.Runtime, src string) string {
	v, err := vm.RunString(src)
	if err != nil {
		return err.Error()
	}
	return v.String()
}

// TestJSONSource checks that a reviver is given the source text of the
// primitives it revives, bounded or not.
func TestJSONSource(t *testing.T) {
	const src = `const seen = []; JSON.parse(' {"a": [1.50, "x\\u0041"], "a": {"b": -0e1, "c": true}, "d": null} ', function (k, v, c) {
		if (k === "b") this.c = 7;
		seen.push(k + "=" + c.source); return v }); seen.join(" ")`
	const want = `b=-0e1 c=undefined a=undefined d=null =undefined`
	for _, opts := range []Options{{}, {NestingDepth: 10}} {
		if got := run(newVM(t, opts), src); got != want {
			t.Errorf("with %+v: got %q, want %q", opts, got, want)
		}
	}
}
