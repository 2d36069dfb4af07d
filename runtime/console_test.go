package runtime

import (
	"strings"
	"testing"
)

func TestConsoleFormatting(t *testing.T) {
	cases := []struct {
		src, want string
	}{
		{`console.log("plain", 1, true, null, undefined)`, "plain 1 true null undefined"},
		{`console.log(-0, 1n, NaN, Symbol("s"))`, "-0 1n NaN Symbol(s)"},
		{`console.log("%s is %d years, %i%%, %f", "Ann", 42.9, "7.5", "1.25")`, "Ann is 42 years, 7%, 1.25"},
		{`console.log("%d", Symbol("x"))`, "NaN"},
		{`console.log("%c styled", "color: red")`, " styled"},
		{`console.log("%o and %O", [1], {a: 1})`, "[ 1 ] and { a: 1 }"},
		{`console.log("%s")`, "%s"},
		{`console.log("%x %s", "a", "extra")`, "%x a extra"},
		{`console.log({a: 1, "b-c": "s", nested: {deep: {deeper: {deepest: 1}}}})`, `{ a: 1, "b-c": "s", nested: { deep: { deeper: [Object] } } }`},
		{`console.log([1, "two", [3]], [])`, `[ 1, "two", [ 3 ] ] []`},
		{`const o = {}; o.self = o; console.log(o)`, "{ self: [Circular] }"},
		{`console.log(new Map([["k", {v: 1}]]), new Set([1, 2]))`, `Map(1) { "k" => { v: 1 } } Set(2) { 1, 2 }`},
		{`console.log(function foo() {}, () => {}, class Bar {})`, "[Function: foo] [Function: (anonymous)] [class Bar]"},
		{`class P { constructor() { this.x = 1 } }; console.log(new P())`, "P { x: 1 }"},
		{`console.log(Object.create(null))`, "[Object: null prototype] {}"},
		{`console.log(Promise.resolve(3), new Promise(() => {}))`, "Promise { 3 } Promise { <pending> }"},
		{`console.log(new Uint8Array([1, 2]), new ArrayBuffer(4))`, "Uint8Array(2) [ 1, 2 ] ArrayBuffer { byteLength: 4 }"},
		{`console.log(new Date(0), /a+/g)`, "1970-01-01T00:00:00.000Z /a+/g"},
		{`console.log({get bad() { throw new Error("no") }})`, "{ bad: [Thrown] }"},
		{`console.log(new String("s"), new Number(2))`, `[String: "s"] [Number: 2]`},
		{`console.log(new Array(150).fill(0).length, [...Array(102).keys()].slice(100))`, "150 [ 100, 101 ]"},
		{`console.group("g"); console.log("in"); console.group(); console.log("deeper"); console.groupEnd(); console.groupEnd(); console.log("out")`, "g\n  in\n    deeper\nout"},
		{`console.count(); console.count(); console.count("x"); console.countReset(); console.count()`, "default: 1\ndefault: 2\nx: 1\ndefault: 1"},
		{`console.info("i"); console.debug("d"); console.dir({a: [1]})`, "i\nd\n{ a: [ 1 ] }"},
		{`console.log()`, ""},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			r := runSrc(t, "c.js", c.src, Options{})
			if r.err != nil {
				t.Fatalf("%v\n%s", r.err, r.stderr)
			}
			want := c.want
			if want != "" {
				want += "\n"
			}
			if r.stdout != want {
				t.Errorf("got %q, want %q", r.stdout, want)
			}
		})
	}
}

func TestConsoleStderr(t *testing.T) {
	r := runSrc(t, "e.js", `console.warn("w"); console.error("e", {a: 1}); console.assert(1 === 1, "fine");
console.assert(false, "broken %s", "here"); console.assert(false);
console.countReset("none"); console.timeEnd("none");
console.time("t"); console.time("t");
console.error(new TypeError("shown with stack"));
function where() { console.trace("here", 1) } where();`, Options{})
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q", r.stdout)
	}
	want := []string{
		"w",
		"e { a: 1 }",
		"Assertion failed: broken here",
		"Assertion failed",
		"Count for 'none' does not exist",
		"Timer 'none' does not exist",
		"Timer 't' already exists",
		"TypeError: shown with stack",
		"    at e.js:5:15",
		"Trace: here 1",
		"    at where (e.js:6:33)",
		"    at e.js:6:52",
	}
	if got := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("stderr:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestConsoleTime(t *testing.T) {
	r := runSrc(t, "t.js", `console.time(); console.timeLog(undefined, "mid"); console.timeEnd()`, Options{})
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.err != nil || len(lines) != 2 || !strings.HasPrefix(lines[0], "default: ") || !strings.HasSuffix(lines[0], "ms mid") || !strings.HasSuffix(lines[1], "ms") {
		t.Errorf("err %v stdout %q", r.err, r.stdout)
	}
}
