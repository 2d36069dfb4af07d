package runtime

import (
	"testing"

	"github.com/dop251/goja"
)

func TestInspect(t *testing.T) {
	cases := []struct {
		expr, want string
	}{
		{`"top-level string"`, "top-level string"},
		{`-0`, "-0"},
		{`10n`, "10n"},
		{`Symbol("s")`, "Symbol(s)"},
		{`null`, "null"},
		{`["it's", "a\tb\u0001", 'say "hi"', "both ' \""]`, `[ "it's", 'a\tb\x01', 'say "hi"', 'both \' "' ]`},
		{`undefined`, "undefined"},
		{`({a: 1, "b-c": "s", nested: {deep: {deeper: {deepest: 1}}}})`, `{ a: 1, 'b-c': 's', nested: { deep: { deeper: [Object] } } }`},
		{`[1, "two", [3], []]`, `[ 1, 'two', [ 3 ], [] ]`},
		{`(() => { const o = {}; o.self = o; return o })()`, "{ self: [Circular] }"},
		{`new Map([["k", {v: 1}]])`, `Map(1) { 'k' => { v: 1 } }`},
		{`new Set([1, 2])`, `Set(2) { 1, 2 }`},
		{`(function foo() {})`, "[Function: foo]"},
		{`(() => {})`, "[Function: (anonymous)]"},
		{`(class Bar {})`, "[class Bar]"},
		{`new (class P { constructor() { this.x = 1 } })()`, "P { x: 1 }"},
		{`Object.create(null)`, "[Object: null prototype] {}"},
		{`Promise.resolve(3)`, "Promise { 3 }"},
		{`new Promise(() => {})`, "Promise { <pending> }"},
		{`new Uint8Array([1, 2])`, "Uint8Array(2) [ 1, 2 ]"},
		{`new ArrayBuffer(4)`, "ArrayBuffer { byteLength: 4 }"},
		{`new Date(0)`, "1970-01-01T00:00:00.000Z"},
		{`/a+/g`, "/a+/g"},
		{`({get bad() { throw new Error("no") }})`, "{ bad: [Thrown] }"},
		{`new String("s")`, `[String: 's']`},
		{`[...Array(102).keys()].slice(98)`, "[ 98, 99, 100, 101 ]"},
		{`Array(102).fill(0).length`, "102"},
	}
	vm := goja.New()
	in := &inspector{vm: vm}
	for _, c := range cases {
		v, err := vm.RunString(c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := in.inspect(v, true); got != c.want {
			t.Errorf("%s: got %q, want %q", c.expr, got, c.want)
		}
	}
	long, _ := vm.RunString(`Array(101).fill(1)`)
	if got := in.inspect(long, true); len(got) < 10 || got[len(got)-len(", ... 1 more items ]"):] != ", ... 1 more items ]" {
		t.Errorf("long array: %q", got)
	}
}

// TestConsoleStreams checks that console output goes to Options.Stdout and
// Options.Stderr, in order with uncaught error reports.
func TestConsoleStreams(t *testing.T) {
	r := runSrc(t, "c.js", `console.log("out"); console.info("info"); console.warn("warn"); console.error("err"); throw 1`, Options{})
	if r.stdout != "out\ninfo\n" || r.stderr != "warn\nerr\nUncaught 1\n    at c.js:1:87\n" {
		t.Errorf("stdout %q stderr %q", r.stdout, r.stderr)
	}
}

func TestWebAPIsInstalled(t *testing.T) {
	r := runSrc(t, "apis.js", `console.log([typeof setTimeout, typeof queueMicrotask, typeof atob, btoa("hi"), typeof DOMException,
	typeof addEventListener, typeof EventTarget, typeof performance.now(), typeof crypto.randomUUID(),
	new TextDecoder().decode(new TextEncoder().encode("é"))].join(" "))`, Options{})
	if r.err != nil || r.stdout != "function function function aGk= function function function number string é\n" {
		t.Errorf("err %v stdout %q stderr %q", r.err, r.stdout, r.stderr)
	}
}
