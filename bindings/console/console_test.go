package console

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// env is a runtime with a console writing to buffers.
type env struct {
	vm             *goja.Runtime
	stdout, stderr *bytes.Buffer
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{vm: goja.New(), stdout: new(bytes.Buffer), stderr: new(bytes.Buffer)}
	benv := bindings.NewEnv(webidl.NewRealm(e.vm), nil)
	benv.Stdout, benv.Stderr = e.stdout, e.stderr
	if err := bindings.Install(benv, Binding); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) run(t testing.TB, src string) goja.Value {
	t.Helper()
	v, err := e.vm.RunScript("test.js", src)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return v
}

func TestInspect(t *testing.T) {
	tests := []struct {
		expr, want string
	}{
		// Primitives.
		{`undefined`, `undefined`},
		{`null`, `null`},
		{`true`, `true`},
		{`42`, `42`},
		{`-0`, `-0`},
		{`1.5`, `1.5`},
		{`NaN`, `NaN`},
		{`-Infinity`, `-Infinity`},
		{`10n`, `10n`},
		{`Symbol('a')`, `Symbol(a)`},
		{`Symbol()`, `Symbol()`},
		{`Symbol.iterator`, `Symbol(Symbol.iterator)`},
		{`'top level strings are raw'`, `top level strings are raw`},

		// Strings inside objects are quoted and escaped.
		{`['a']`, `[ 'a' ]`},
		{`["it's"]`, `[ "it's" ]`},
		{"[`'\"`]", "[ `'\"` ]"},
		{`['a\nb\t\\']`, `[ 'a\nb\t\\' ]`},
		{`['\x00\x7f\x1b']`, `[ '\x00\x7F\x1B' ]`},
		{`['\ud800x']`, `[ '\uD800x' ]`},
		{`['😀é']`, `[ '😀é' ]`},
		{`{s: 'a'.repeat(40) + '\n' + 'b'.repeat(40)}`, "{\n  s: '" + strings.Repeat("a", 40) + "\\n' +\n    '" + strings.Repeat("b", 40) + "'\n}"},

		// Objects.
		{`({})`, `{}`},
		{`({a: 1, 'b-c': 2, _x9: 3, [Symbol('s')]: 4})`, `{ a: 1, 'b-c': 2, _x9: 3, [Symbol(s)]: 4 }`},
		{`({['__proto__']: 1})`, `{ ['__proto__']: 1 }`},
		{`({__proto__: null, a: 1})`, `[Object: null prototype] { a: 1 }`},
		{`Object.create(null)`, `[Object: null prototype] {}`},
		{`Object.defineProperty({a: 1}, 'hidden', {value: 2})`, `{ a: 1 }`},
		{`new (class Foo { constructor() { this.a = 1 } })`, `Foo { a: 1 }`},
		{`new (class Bar {})`, `Bar {}`},
		{`(class Baz {}).prototype`, `{}`},
		{`Object.create({[Symbol.toStringTag]: 'Z'})`, `Object [Z] {}`},
		{`({[Symbol.toStringTag]: 'T'})`, `{ [Symbol(Symbol.toStringTag)]: 'T' }`},
		{`Math`, `Object [Math] {}`},
		{`({get a() { throw new Error('getter ran') }, set b(v) {}, get c() { return 1 }, set c(v) {}})`, `{ a: [Getter], b: [Setter], c: [Getter/Setter] }`},
		{`new Proxy({a: 1}, {get() { throw 1 }, ownKeys() { throw 1 }, getPrototypeOf() { throw 1 }})`, `{ a: 1 }`},
		{`{aaaaaaaaaa: 'x'.repeat(30), bbbbbbbbbb: 'y'.repeat(30)}`, "{\n  aaaaaaaaaa: '" + strings.Repeat("x", 30) + "',\n  bbbbbbbbbb: '" + strings.Repeat("y", 30) + "'\n}"},

		// Depth and cycles.
		{`({a: {b: {c: {d: 1}}}})`, `{ a: { b: { c: [Object] } } }`},
		{`({a: {b: {c: [1]}}})`, `{ a: { b: { c: [Array] } } }`},
		{`({a: {b: {c: {}}}})`, `{ a: { b: { c: {} } } }`},
		{`[[[[1]]]]`, `[ [ [ [Array] ] ] ]`},
		{`({a: {b: new Map([[1, {c: 1}]])}})`, `{ a: { b: Map(1) { 1 => [Object] } } }`},
		{`(() => { const o = {name: 'o'}; o.self = o; return o })()`, `<ref *1> { name: 'o', self: [Circular *1] }`},
		{`(() => { const a = [1]; a.push(a); return a })()`, `<ref *1> [ 1, [Circular *1] ]`},
		{`(() => { const a = {}, b = {a}; a.b = b; return [a, b] })()`, "[\n  <ref *1> { b: { a: [Circular *1] } },\n  <ref *2> { a: <ref *1> { b: [Circular *2] } }\n]"},
		{`(() => { const x = {}; return [x, x] })()`, `[ {}, {} ]`},

		// Arrays.
		{`[]`, `[]`},
		{`[1, , 3]`, `[ 1, <1 empty item>, 3 ]`},
		{`[, , ,]`, `[ <3 empty items> ]`},
		{`(() => { const a = []; a[1e6] = 1; return a })()`, `[ <1000000 empty items>, 1 ]`},
		{`(() => { const a = []; a.length = 2 ** 32 - 1; a[5] = 1; return a })()`, `[ <5 empty items>, 1, <4294967289 empty items> ]`},
		{`Object.assign([1, 2], {x: 'y'})`, `[ 1, 2, x: 'y' ]`},
		{`[1, 2, 3, 4, 5, 6, 7]`, "[\n  1, 2, 3, 4,\n  5, 6, 7\n]"},
		{`[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]`, "[\n  1, 2, 3, 4,  5,\n  6, 7, 8, 9, 10\n]"},
		{`['a', 'b', 'c', 'd', 'e', 'f', 'g']`, "[\n  'a', 'b', 'c',\n  'd', 'e', 'f',\n  'g'\n]"},
		{`Object.defineProperty([], 0, {get() { return 1 }, enumerable: true})`, `[ [Getter] ]`},
		{`new (class List extends Array {})(2).fill(0)`, `List(2) [ 0, 0 ]`},
		{`(function () { return arguments })(1, 'a')`, `[Arguments] [ 1, 'a' ]`},

		// Typed arrays and buffers.
		{`new Uint8Array([1, 2])`, `Uint8Array(2) [ 1, 2 ]`},
		{`new Uint8ClampedArray(0)`, `Uint8ClampedArray(0) []`},
		{`new BigInt64Array(1)`, `BigInt64Array(1) [ 0n ]`},
		{`new Float64Array([-0, 0.5])`, `Float64Array(2) [ -0, 0.5 ]`},
		{`new ArrayBuffer(2)`, `ArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 }`},
		{`new Uint8Array([255, 16]).buffer`, `ArrayBuffer { [Uint8Contents]: <ff 10>, byteLength: 2 }`},
		{`new DataView(new ArrayBuffer(1))`, "DataView {\n  byteLength: 1,\n  byteOffset: 0,\n  buffer: ArrayBuffer { [Uint8Contents]: <00>, byteLength: 1 }\n}"},

		// Collections and promises.
		{`new Map([['a', {b: 1}]])`, `Map(1) { 'a' => { b: 1 } }`},
		{`new Map()`, `Map(0) {}`},
		{`new Set(['a', 1])`, `Set(2) { 'a', 1 }`},
		{`new WeakMap()`, `WeakMap { <items unknown> }`},
		{`new WeakSet()`, `WeakSet { <items unknown> }`},
		{`Promise.resolve(4)`, `Promise { 4 }`},
		{`(() => { const p = Promise.reject(5); p.catch(() => {}); return p })()`, `Promise { <rejected> 5 }`},
		{`new Promise(() => {})`, `Promise { <pending> }`},

		// Functions.
		{`function foo() {}`, `[Function: foo]`},
		{`(() => {})`, `[Function (anonymous)]`},
		{`Object.assign(function f() {}, {a: 1})`, `[Function: f] { a: 1 }`},
		{`Math.max`, `[Function: max]`},
		{`class A {}`, `[class A]`},
		{`class B extends Array {}`, `[class B extends Array]`},
		{`(class {})`, `[class (anonymous)]`},
		{`async function af() {}`, `[AsyncFunction: af]`},
		{`function* g() {}`, `[GeneratorFunction: g]`},

		// Other built-ins.
		{`new Date(0)`, `1970-01-01T00:00:00.000Z`},
		{`new Date(NaN)`, `Invalid Date`},
		{`/a+/gi`, `/a+/gi`},
		{`Object(-0)`, `[Number: -0]`},
		{`Object('ab')`, `[String: 'ab']`},
		{`Object(false)`, `[Boolean: false]`},
		{`Object(2n)`, `[BigInt: 2n]`},
		{`Object(Symbol('x'))`, `[Symbol: Symbol(x)]`},
		{`(() => { const e = new RangeError('m'); delete e.stack; return e })()`, `[RangeError: m]`},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			e := newEnv(t)
			e.run(t, "console.log("+tt.expr+")")
			if got := e.stdout.String(); got != tt.want+"\n" {
				t.Errorf("console.log(%s)\n got: %q\nwant: %q", tt.expr, got, tt.want+"\n")
			}
		})
	}
}

func TestInspectLongArrays(t *testing.T) {
	e := newEnv(t)
	e.run(t, `console.log(Array.from({length: 102}, (_, i) => i))`)
	out := e.stdout.String()
	if !strings.HasSuffix(out, "\n  ... 2 more items\n]\n") {
		t.Errorf("missing truncation: %q", out)
	}
	if !strings.Contains(out, "99") || strings.Contains(out, "100") {
		t.Errorf("want elements up to 99: %q", out)
	}
	e.stdout.Reset()
	e.run(t, `console.log(new Uint8Array(1e6))`)
	if out := e.stdout.String(); !strings.HasPrefix(out, "Uint8Array(1000000) [\n") || !strings.Contains(out, "... 999900 more items") {
		t.Errorf("typed array: %q", out)
	}
}

func TestInspectErrors(t *testing.T) {
	e := newEnv(t)
	e.run(t, "function thrower() { return new TypeError('boom') }\nconsole.log(thrower())")
	want := regexp.MustCompile(`^TypeError: boom\n    at thrower \(test.js:1:29\)\n    at test.js:2:20\n$`)
	if got := e.stdout.String(); !want.MatchString(got) {
		t.Errorf("got %q, want %v", got, want)
	}
	e.stdout.Reset()
	e.run(t, `const err = new Error('outer', {cause: new Error('inner')}); err.code = 'E_X'; console.log({err})`)
	out := e.stdout.String()
	want = regexp.MustCompile(`^\{\n  err: Error: outer\n      at test.js:1:\d+ \{\n    \[cause\]: Error: inner\n        at test.js:1:\d+,\n    code: 'E_X'\n  \}\n\}\n$`)
	if !want.MatchString(out) {
		t.Errorf("got %q, want %v", out, want)
	}
}

func TestFormatSpecifiers(t *testing.T) {
	tests := []struct {
		args, want string
	}{
		{`'%s', 'a'`, `a`},
		{`'%s', 1.5`, `1.5`},
		{`'%s', Symbol('s')`, `Symbol(s)`},
		{`'%s', {}`, `[object Object]`},
		{`'%s', [1, [2]]`, `1,2`},
		{`'%s', -0`, `0`},
		{`'%s', 5n`, `5`},
		{`'%s', null, undefined`, `null undefined`},
		{`'%d', '42.9'`, `42`},
		{`'%i', 42.9`, `42`},
		{`'%d', -7.5`, `-7`},
		{`'%d', Symbol()`, `NaN`},
		{`'%d', {}`, `NaN`},
		{`'%i', 12n`, `12`},
		{`'%f', '1.5e3x'`, `1500`},
		{`'%f', 'x'`, `NaN`},
		{`'%f', Symbol()`, `NaN`},
		{`'%o', {a: [1]}`, `{ a: [ 1 ] }`},
		{`'%o', {a: {b: {c: {d: {}}}}}`, "{\n  a: { b: { c: { d: {} } } }\n}"},
		{`'%O', {a: {b: {c: {d: {}}}}}`, `{ a: { b: { c: [Object] } } }`},
		{`'%O', 'str'`, `'str'`},
		{`'%c styled', 'color: red'`, ` styled`},
		{`'100%%', 1`, `100% 1`},
		{`'%%'`, `%%`},
		{`'%s'`, `%s`},
		{`'%s %s', 'a'`, `a %s`},
		{`'%s %s %%', 'a'`, `a %s %`},
		{`'%s', 'a', 'b', {c: 1}`, `a b { c: 1 }`},
		{`'%x %s', 'a'`, `%x a`},
		{`'%5d', 3`, `%5d 3`},
		{`'%s %d', '%d', 1`, `%d 1`},
		{`'%s%s', '%', 's'`, `%s`},
		{`'%'`, `%`},
		{`'end %', 1`, `end % 1`},
		{`1, '%s'`, `1 %s`},
		{`'a', 'b'`, `a b`},
		{`'é %s ü', 'ß'`, `é ß ü`},
		{`'%s:%s', 'a', 'b'`, `a:b`},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			e := newEnv(t)
			e.run(t, "console.log("+tt.args+")")
			if got := e.stdout.String(); got != tt.want+"\n" {
				t.Errorf("console.log(%s) = %q, want %q", tt.args, got, tt.want+"\n")
			}
		})
	}
}

func TestFormatterPropagatesExceptions(t *testing.T) {
	e := newEnv(t)
	v := e.run(t, `
		let caught;
		try { console.log('%s', {toString() { throw new RangeError('from toString') }}) }
		catch (err) { caught = err }
		caught instanceof RangeError && caught.message`)
	if v.String() != "from toString" {
		t.Errorf("got %v", v)
	}
	if e.stdout.Len() != 0 {
		t.Errorf("printed %q", e.stdout.String())
	}
}

func TestStreams(t *testing.T) {
	tests := []struct {
		src            string
		stdout, stderr string
	}{
		{`console.log('l')`, "l\n", ""},
		{`console.info('i')`, "i\n", ""},
		{`console.debug('d')`, "d\n", ""},
		{`console.dirxml('x', 1)`, "x 1\n", ""},
		{`console.warn('w')`, "", "w\n"},
		{`console.error('e', {a: 1})`, "", "e { a: 1 }\n"},
		{`console.log()`, "", ""},
		{`console.log('')`, "\n", ""},
	}
	for _, tt := range tests {
		e := newEnv(t)
		e.run(t, tt.src)
		if e.stdout.String() != tt.stdout || e.stderr.String() != tt.stderr {
			t.Errorf("%s: stdout %q stderr %q, want %q %q", tt.src, e.stdout, e.stderr, tt.stdout, tt.stderr)
		}
	}
}

func TestAssert(t *testing.T) {
	tests := []struct{ src, want string }{
		{`console.assert(true, 'x')`, ""},
		{`console.assert(1)`, ""},
		{`console.assert()`, "Assertion failed\n"},
		{`console.assert(false)`, "Assertion failed\n"},
		{`console.assert(0, 'msg %s', 'a')`, "Assertion failed: msg a\n"},
		{`console.assert('', {a: 1}, 2)`, "Assertion failed { a: 1 } 2\n"},
		{`console.assert(null, '')`, "Assertion failed: \n"},
	}
	for _, tt := range tests {
		e := newEnv(t)
		e.run(t, tt.src)
		if e.stderr.String() != tt.want || e.stdout.Len() != 0 {
			t.Errorf("%s: stderr %q stdout %q, want stderr %q", tt.src, e.stderr, e.stdout, tt.want)
		}
	}
}

func TestCount(t *testing.T) {
	e := newEnv(t)
	e.run(t, `
		console.count(); console.count(); console.count('x'); console.count(undefined)
		console.countReset(); console.count(); console.count(null)
		console.count({toString() { return 'obj' }})
		console.countReset('nope')`)
	if want := "default: 1\ndefault: 2\nx: 1\ndefault: 3\ndefault: 1\nnull: 1\nobj: 1\n"; e.stdout.String() != want {
		t.Errorf("stdout %q, want %q", e.stdout, want)
	}
	if want := "Warning: Count for 'nope' does not exist\n"; e.stderr.String() != want {
		t.Errorf("stderr %q, want %q", e.stderr, want)
	}
}

func TestLabelConversionErrors(t *testing.T) {
	for _, m := range []string{"count", "countReset", "time", "timeLog", "timeEnd"} {
		e := newEnv(t)
		v := e.run(t, `try { console.`+m+`(Symbol('s')); 'no exception' } catch (err) { err.constructor.name }`)
		if v.String() != "TypeError" {
			t.Errorf("%s(Symbol()): %v", m, v)
		}
	}
}

func TestGroup(t *testing.T) {
	e := newEnv(t)
	e.run(t, `
		console.log('a'); console.group('g %d', 1); console.log('b\nc'); console.group()
		console.error('d'); console.log({x: [1, 2, 3, 4, 5, 6, 7]}); console.groupEnd(); console.groupEnd(); console.groupEnd()
		console.log('e'); console.groupCollapsed('h'); console.log('f'); console.clear(); console.log('g')`)
	want := "a\ng 1\n  b\n  c\n    {\n      x: [\n        1, 2, 3, 4,\n        5, 6, 7\n      ]\n    }\ne\nh\n  f\ng\n"
	if e.stdout.String() != want {
		t.Errorf("stdout\n%s\nwant\n%s", e.stdout, want)
	}
	if want := "    d\n"; e.stderr.String() != want {
		t.Errorf("stderr %q, want %q", e.stderr, want)
	}
}

func TestTimers(t *testing.T) {
	e := newEnv(t)
	e.run(t, `
		console.time(); console.time('t'); console.time('t')
		console.timeLog('t', 'extra', {a: 1}); console.timeEnd('t'); console.timeEnd('t')
		console.timeLog('none'); console.timeEnd()`)
	stdout := regexp.MustCompile(`^t: \d+\.\d{3}ms extra \{ a: 1 \}\nt: \d+\.\d{3}ms\ndefault: \d+\.\d{3}ms\n$`)
	if !stdout.MatchString(e.stdout.String()) {
		t.Errorf("stdout %q", e.stdout)
	}
	want := "Warning: Label 't' already exists for console.time()\n" +
		"Warning: No such label 't' for console.timeEnd()\n" +
		"Warning: No such label 'none' for console.timeLog()\n"
	if e.stderr.String() != want {
		t.Errorf("stderr %q, want %q", e.stderr, want)
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		ms   float64
		want string
	}{
		{0, "0.000ms"},
		{1.2345, "1.234ms"},
		{999.9994, "999.999ms"},
		{1500, "1.500s"},
		{61500, "1:01.500 (m:ss.mmm)"},
	}
	for _, tt := range tests {
		d := durationMs(tt.ms)
		if got := formatDuration(d); got != tt.want {
			t.Errorf("formatDuration(%vms) = %q, want %q", tt.ms, got, tt.want)
		}
	}
}

func TestTrace(t *testing.T) {
	e := newEnv(t)
	e.run(t, "function outer() { console.trace('here %d', 5) }\nouter()\nconsole.trace()")
	want := regexp.MustCompile(`^Trace: here 5\n    at outer \(test.js:1:\d+\)\n    at test.js:2:\d+\nTrace\n    at test.js:3:\d+\n$`)
	if !want.MatchString(e.stderr.String()) {
		t.Errorf("stderr %q", e.stderr)
	}
}

func TestDir(t *testing.T) {
	tests := []struct{ src, want string }{
		{`console.dir('str')`, "'str'\n"},
		{`console.dir({a: {b: {c: {d: 1}}}})`, "{ a: { b: { c: [Object] } } }\n"},
		{`console.dir({a: {b: {c: {d: 1}}}}, {depth: 0})`, "{ a: [Object] }\n"},
		{`console.dir({a: {b: {c: {d: 1}}}}, {depth: null})`, "{\n  a: { b: { c: { d: 1 } } }\n}\n"},
		{`console.dir({a: {b: {c: {d: 1}}}}, {depth: Infinity})`, "{\n  a: { b: { c: { d: 1 } } }\n}\n"},
		{`console.dir({a: 1}, null)`, "{ a: 1 }\n"},
		{`console.dir()`, "undefined\n"},
	}
	for _, tt := range tests {
		e := newEnv(t)
		e.run(t, tt.src)
		if e.stdout.String() != tt.want {
			t.Errorf("%s: %q, want %q", tt.src, e.stdout, tt.want)
		}
	}
	e := newEnv(t)
	e.run(t, `let d = []; for (let i = 0; i < 100000; i++) d = [d]; console.dir(d, {depth: null})`)
	if out := e.stdout.String(); strings.Count(out, "[Array]") != 1 || strings.Count(out, "[") != 102 {
		t.Errorf("deeply nested arrays: %d bytes, %d [Array]", len(out), strings.Count(out, "[Array]"))
	}
	if v := e.run(t, `try { console.dir(1, 5) } catch (err) { err instanceof TypeError }`); !v.ToBoolean() {
		t.Error("dir with a non-object options did not throw a TypeError")
	}
}

func TestTable(t *testing.T) {
	tests := []struct{ src, want string }{
		{`console.table([{a: 1, b: 'Y'}, {a: 'Z', b: 2}])`, `
┌─────────┬─────┬─────┐
│ (index) │ a   │ b   │
├─────────┼─────┼─────┤
│ 0       │ 1   │ 'Y' │
│ 1       │ 'Z' │ 2   │
└─────────┴─────┴─────┘
`},
		{`console.table([1, 'a', {b: 2}])`, `
┌─────────┬───┬────────┐
│ (index) │ b │ Values │
├─────────┼───┼────────┤
│ 0       │   │ 1      │
│ 1       │   │ 'a'    │
│ 2       │ 2 │        │
└─────────┴───┴────────┘
`},
		{`console.table({x: {a: 1, c: 3}, y: 2}, ['a', 'b'])`, `
┌─────────┬───┬───┐
│ (index) │ a │ b │
├─────────┼───┼───┤
│ x       │ 1 │   │
│ y       │   │   │
└─────────┴───┴───┘
`},
		{`console.table(new Map([['k', {v: 1}]]))`, `
┌───────────────────┬─────┬──────────┐
│ (iteration index) │ Key │ Values   │
├───────────────────┼─────┼──────────┤
│ 0                 │ 'k' │ { v: 1 } │
└───────────────────┴─────┴──────────┘
`},
		{`console.table(new Set(['漢字']))`, `
┌───────────────────┬────────┐
│ (iteration index) │ Values │
├───────────────────┼────────┤
│ 0                 │ '漢字' │
└───────────────────┴────────┘
`},
		{`console.table([{a: {b: {c: 1}}, d: [1, 2, 3, 4]}])`, `
┌─────────┬─────────────────┬──────────────────────────────┐
│ (index) │ a               │ d                            │
├─────────┼─────────────────┼──────────────────────────────┤
│ 0       │ { b: [Object] } │ [ 1, 2, 3, ... 1 more item ] │
└─────────┴─────────────────┴──────────────────────────────┘
`},
		{`console.table(5)`, "5\n"},
		{`console.table('s')`, "s\n"},
		{`console.table()`, ""},
	}
	for _, tt := range tests {
		e := newEnv(t)
		e.run(t, tt.src)
		want := strings.TrimPrefix(tt.want, "\n")
		if e.stdout.String() != want {
			t.Errorf("%s:\n%s\nwant\n%s", tt.src, e.stdout, want)
		}
	}
	e := newEnv(t)
	if v := e.run(t, `try { console.table([], 5) } catch (err) { err instanceof TypeError }`); !v.ToBoolean() {
		t.Error("table with non-sequence properties did not throw a TypeError")
	}
}

func TestNamespaceObject(t *testing.T) {
	e := newEnv(t)
	checks := []string{
		`typeof console === 'object'`,
		`Object.prototype.toString.call(console) === '[object console]'`,
		`Object.getPrototypeOf(Object.getPrototypeOf(console)) === Object.prototype`,
		`Object.getOwnPropertyNames(Object.getPrototypeOf(console)).length === 0`,
		`(() => { const d = Object.getOwnPropertyDescriptor(globalThis, 'console'); return d.writable && !d.enumerable && d.configurable })()`,
		`(() => { const d = Object.getOwnPropertyDescriptor(console, 'log'); return d.writable && d.enumerable && d.configurable })()`,
		`console.log.name === 'log' && console.log.length === 0 && console.groupCollapsed.name === 'groupCollapsed'`,
		`(() => { try { new console.log(); return false } catch (e) { return e instanceof TypeError } })()`,
		`['assert', 'clear', 'debug', 'error', 'info', 'log', 'table', 'trace', 'warn', 'dir', 'dirxml', 'count', 'countReset', 'group', 'groupCollapsed', 'groupEnd', 'time', 'timeLog', 'timeEnd'].every(m => typeof console[m] === 'function')`,
		`console.log('x') === undefined`,
	}
	for _, c := range checks {
		if v := e.run(t, c); !v.ToBoolean() {
			t.Errorf("%s is false", c)
		}
	}
}

// Scripts that replace built-ins after registration do not change output.
func TestIntrinsicsCaptured(t *testing.T) {
	e := newEnv(t)
	e.run(t, `
		const m = new Map([[1, 2]]), s = new Set([3]), d = new Date(0)
		Reflect.ownKeys = null; Reflect.getOwnPropertyDescriptor = null
		Map.prototype.forEach = null; Set.prototype.forEach = null
		Date.prototype.toISOString = null; String = null; parseInt = null
		console.log(m, s, d, {a: [1]}, '%s %d', 'x', '7')`)
	if want := "Map(1) { 1 => 2 } Set(1) { 3 } 1970-01-01T00:00:00.000Z { a: [ 1 ] } %s %d x 7\n"; e.stdout.String() != want {
		t.Errorf("got %q, want %q", e.stdout, want)
	}
	e.stdout.Reset()
	e.run(t, `console.log('%s %d', 'x', '7')`)
	if want := "x 7\n"; e.stdout.String() != want {
		t.Errorf("got %q, want %q", e.stdout, want)
	}
}

type countingWriter struct {
	writes int
	bytes.Buffer
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}

func TestOneWritePerCall(t *testing.T) {
	vm := goja.New()
	w := new(countingWriter)
	benv := bindings.NewEnv(webidl.NewRealm(vm), nil)
	benv.Stdout, benv.Stderr = w, w
	if err := bindings.Install(benv, Binding); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.RunString(`
		console.group('x'); console.log({a: 'a'.repeat(100), b: [1, 2, 3]}, 'multi\nline')
		console.table([{a: 1}]); console.trace('t'); console.error('e')`); err != nil {
		t.Fatal(err)
	}
	if w.writes != 5 {
		t.Errorf("%d writes for 5 calls:\n%s", w.writes, w.String())
	}
}

func TestDefaultWriters(t *testing.T) {
	vm := goja.New()
	if err := bindings.Install(bindings.NewEnv(webidl.NewRealm(vm), nil), Binding); err != nil {
		t.Fatal(err)
	}
	c := vm.Get("console").(*goja.Object)
	if c.Get("log") == nil {
		t.Fatal("console.log missing")
	}
}

func FuzzFormatter(f *testing.F) {
	for _, s := range []string{"", "%", "%%", "%s", "%d %i %f", "%o%O%c", "a%sb%%c%", "%%%s%%", "é%s\u2028%", "%x%5d"} {
		f.Add(s, "arg")
	}
	e := newEnv(f)
	c := &console{vm: e.vm}
	in, err := captureIntrinsics(e.vm)
	if err != nil {
		f.Fatal(err)
	}
	c.in = in
	f.Fuzz(func(t *testing.T, target, arg string) {
		args := []goja.Value{e.vm.ToValue(arg), e.vm.ToValue(1.5), e.vm.NewObject()}
		out, rest := c.formatter(target, args)
		consumed := len(args) - len(rest)
		if consumed > strings.Count(target, "%") {
			t.Fatalf("%q consumed %d arguments", target, consumed)
		}
		if !hasSpecifier(target) && (out != target || consumed != 0) {
			t.Fatalf("%q has no specifier but became %q (%d arguments used)", target, out, consumed)
		}
		if !strings.Contains(target, "%") && out != target {
			t.Fatalf("%q changed to %q", target, out)
		}
	})
}

func durationMs(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }

// Platform objects show their attributes, the way Deno shows them.
func TestInspectPlatformObjects(t *testing.T) {
	vm := goja.New()
	r := webidl.NewRealm(vm)
	var out bytes.Buffer
	benv := bindings.NewEnv(r, nil)
	benv.Stdout, benv.Stderr = &out, &out
	if err := bindings.Install(benv, Binding); err != nil {
		t.Fatal(err)
	}
	type point struct{ x, y int }
	if err := r.DefineInterface(&webidl.Interface{Name: "Shape", Attributes: []webidl.Attribute{
		{Name: "kind", Get: func(webidl.Call) goja.Value { return vm.ToValue("point") }},
	}}); err != nil {
		t.Fatal(err)
	}
	err := r.DefineInterface(&webidl.Interface{Name: "Point", Parent: "Shape", Attributes: []webidl.Attribute{
		{Name: "x", Get: func(c webidl.Call) goja.Value { return vm.ToValue(c.Impl.(*point).x) }},
		{Name: "y", Get: func(c webidl.Call) goja.Value { return vm.ToValue(c.Impl.(*point).y) }},
		{Name: "broken", Get: func(c webidl.Call) goja.Value { panic(vm.NewTypeError("no")) }},
	}})
	if err != nil {
		t.Fatal(err)
	}
	vm.Set("p", r.New("Point", &point{1, 2}))
	if _, err := vm.RunString(`
		console.log(p, [p])
		class Sub extends Point { get secret() { throw new Error('script getter ran') } }
		console.log(Object.setPrototypeOf({own: 1}, Sub.prototype), Object.create(Point.prototype))
		console.log(new DOMException('m', 'SyntaxError').name)`); err != nil {
		t.Fatal(err)
	}
	want := "Point { x: 1, y: 2, kind: 'point' } [ Point { x: 1, y: 2, kind: 'point' } ]\nSub [Point] { own: 1 } Point {}\nSyntaxError\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}
