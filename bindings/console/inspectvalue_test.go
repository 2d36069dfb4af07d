package console

import (
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// TestInspectValue checks Inspect, which formats uncaught values in error reports.
func TestInspectValue(t *testing.T) {
	cases := []struct {
		expr, want string
	}{
		{`"top-level string"`, "top-level string"},
		{`-0`, "-0"},
		{`10n`, "10n"},
		{`Symbol("s")`, "Symbol(s)"},
		{`null`, "null"},
		{`["it's", "a\tb\u0001", 'say "hi"', "both ' \""]`, "[ \"it's\", 'a\\tb\\x01', 'say \"hi\"', `both ' \"` ]"},
		{`undefined`, "undefined"},
		{`({a: 1, "b-c": "s", nested: {deep: {deeper: {deepest: 1}}}})`, `{ a: 1, 'b-c': 's', nested: { deep: { deeper: [Object] } } }`},
		{`[1, "two", [3], []]`, `[ 1, 'two', [ 3 ], [] ]`},
		{`(() => { const o = {}; o.self = o; return o })()`, "<ref *1> { self: [Circular *1] }"},
		{`new Map([["k", {v: 1}]])`, `Map(1) { 'k' => { v: 1 } }`},
		{`new Set([1, 2])`, `Set(2) { 1, 2 }`},
		{`(function foo() {})`, "[Function: foo]"},
		{`(() => {})`, "[Function (anonymous)]"},
		{`(class Bar {})`, "[class Bar]"},
		{`new (class P { constructor() { this.x = 1 } })()`, "P { x: 1 }"},
		{`Object.create(null)`, "[Object: null prototype] {}"},
		{`Promise.resolve(3)`, "Promise { 3 }"},
		{`new Promise(() => {})`, "Promise { <pending> }"},
		{`new Uint8Array([1, 2])`, "Uint8Array(2) [ 1, 2 ]"},
		{`new ArrayBuffer(4)`, "ArrayBuffer { [Uint8Contents]: <00 00 00 00>, byteLength: 4 }"},
		{`new Date(0)`, "1970-01-01T00:00:00.000Z"},
		{`/a+/g`, "/a+/g"},
		{`({get bad() { throw new Error("no") }})`, "{ bad: [Getter] }"},
		{`new String("s")`, `[String: 's']`},
		{`[...Array(102).keys()].slice(98)`, "[ 98, 99, 100, 101 ]"},
		{`Array(102).fill(0).length`, "102"},
	}
	vm := goja.New()
	realm := webidl.NewRealm(vm)
	if err := bindings.Install(bindings.NewEnv(realm, nil), Binding); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		v, err := vm.RunString(c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := Inspect(realm, v); got != c.want {
			t.Errorf("%s: got %q, want %q", c.expr, got, c.want)
		}
	}
	long, _ := vm.RunString(`Array(101).fill(1)`)
	if got := Inspect(realm, long); !strings.HasSuffix(got, "  ... 1 more item\n]") {
		t.Errorf("long array: %q", got)
	}
}
