package structuredclone

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/webidl"
)

func newRealm(t testing.TB) (*goja.Runtime, *webidl.Realm) {
	t.Helper()
	return jstest.NewRealm(t, Binding)
}

// prelude defines for the checks below throws(f), which names the
// exception f throws.
const prelude = `
	function throws(f) {
		try { f(); return 'nothing' } catch (e) {
			if (e instanceof DOMException) return e.name + ':' + e.code
			return e.constructor.name
		}
	}
	const clone = structuredClone
`

// check runs JavaScript checks, each an expression that must be true.
func check(t *testing.T, vm *goja.Runtime, checks []string) {
	t.Helper()
	for _, c := range checks {
		v, err := vm.RunString("(() => {" + prelude + "\nreturn (" + c + ")\n})()")
		if err != nil {
			t.Errorf("%s: %v", c, err)
			continue
		}
		if !v.ToBoolean() {
			t.Errorf("%s is false", c)
		}
	}
}

func TestPrimitives(t *testing.T) {
	vm, _ := newRealm(t)
	check(t, vm, []string{
		`clone(undefined) === undefined && clone(null) === null`,
		`clone(true) === true && clone(false) === false`,
		`clone(1.5) === 1.5 && Object.is(clone(-0), -0) && Number.isNaN(clone(NaN)) && clone(-Infinity) === -Infinity`,
		`clone(10n) === 10n && clone(-(2n ** 100n)) === -(2n ** 100n)`,
		`clone('str') === 'str' && clone('') === ''`,
		`clone('a\ud800b') === 'a\ud800b'`,
		`throws(() => clone(Symbol('s'))) === 'DataCloneError:25'`,
		`throws(() => clone(Symbol.iterator)) === 'DataCloneError:25'`,
	})
}

func TestWrappers(t *testing.T) {
	vm, _ := newRealm(t)
	check(t, vm, []string{
		`(() => { const o = Object(true), c = clone(o); return c !== o && typeof c === 'object' && c instanceof Boolean && c.valueOf() === true })()`,
		`(() => { const c = clone(Object(-0)); return c instanceof Number && Object.is(c.valueOf(), -0) })()`,
		`(() => { const c = clone(Object('ab')); return c instanceof String && c.valueOf() === 'ab' && c.length === 2 })()`,
		`(() => { const c = clone(Object(5n)); return typeof c === 'object' && c.valueOf() === 5n })()`,
		`(() => { const o = Object(1); o.extra = 1; return clone(o).extra === undefined })()`,
		`(() => { const o = Object(1); o.valueOf = () => 2; return clone(o).valueOf() === 1 })()`,
		`clone(Boolean.prototype).valueOf() === false && clone(Number.prototype).valueOf() === 0`,
		`throws(() => clone(Object(Symbol()))) === 'DataCloneError:25'`,
	})
}

func TestDateAndRegExp(t *testing.T) {
	vm, _ := newRealm(t)
	check(t, vm, []string{
		`(() => { const d = new Date(123), c = clone(d); return c !== d && c instanceof Date && c.getTime() === 123 })()`,
		`Number.isNaN(clone(new Date(NaN)).getTime())`,
		`(() => { const d = new Date(5); d.getTime = () => 6; return clone(d).getTime() === 5 })()`,
		`(() => {
			const re = /a+\/b/gimsuy; re.lastIndex = 3; re.extra = 1
			const c = clone(re)
			return c !== re && c instanceof RegExp && c.source === re.source && c.flags === 'gimsuy' && c.lastIndex === 0 && c.extra === undefined && c.test('aa/b')
		})()`,
		`(() => { const re = /x/; Object.defineProperty(re, 'global', {value: true}); return clone(re).flags === '' })()`,
		`clone(new RegExp('')).source === '(?:)'`,
	})
}

func TestBuffersAndViews(t *testing.T) {
	vm, _ := newRealm(t)
	check(t, vm, []string{
		`(() => { const b = new Uint8Array([1, 2, 3]).buffer, c = clone(b); new Uint8Array(b)[0] = 9; return c !== b && c instanceof ArrayBuffer && c.byteLength === 3 && new Uint8Array(c)[0] === 1 })()`,
		`clone(new ArrayBuffer(0)).byteLength === 0`,
		`['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array'].every(name => {
			const a = new globalThis[name]([1, 2, 3, 4]), c = clone(a)
			return c !== a && c.constructor === globalThis[name] && c.buffer !== a.buffer && c.join() === '1,2,3,4'
		})`,
		`['BigInt64Array', 'BigUint64Array'].every(name => clone(new globalThis[name]([1n, 2n])).join() === '1,2')`,
		`(() => {
			const buf = new ArrayBuffer(16), u = new Uint16Array(buf, 2, 3)
			u.set([7, 8, 9])
			const c = clone(u)
			return c.byteOffset === 2 && c.length === 3 && c.buffer.byteLength === 16 && c.join() === '7,8,9'
		})()`,
		`(() => { const buf = new ArrayBuffer(8), [a, b] = clone([new Uint8Array(buf), new Int32Array(buf, 4)]); return a.buffer === b.buffer && b.byteOffset === 4 })()`,
		`(() => { const buf = new ArrayBuffer(8), c = clone({buf, view: new DataView(buf, 1, 5)}); return c.view.buffer === c.buf && c.view.byteOffset === 1 && c.view.byteLength === 5 && c.view instanceof DataView })()`,
		`(() => { const a = new Uint8Array(4); a.extra = 1; return clone(a).extra === undefined })()`,
		`(() => { const b = new ArrayBuffer(4), u = new Uint8Array(b), d = new DataView(b); clone(b, {transfer: [b]}); return [b, u, d, [1, u]].every(v => throws(() => clone(v)) === 'DataCloneError:25') })()`,
	})
}

func TestMapAndSet(t *testing.T) {
	vm, _ := newRealm(t)
	check(t, vm, []string{
		`(() => { const m = new Map([[1, 'a'], ['b', {c: 2}]]), c = clone(m); return c !== m && c instanceof Map && c.size === 2 && c.get(1) === 'a' && c.get('b').c === 2 && c.get('b') !== m.get('b') })()`,
		`(() => { const k = {}, c = clone(new Map([[k, k]])); const [[key, val]] = c; return key === val && key !== k })()`,
		`(() => { const s = new Set([1, 'x', {y: 1}]), c = clone(s); return c !== s && c instanceof Set && c.size === 3 && c.has('x') && [...c][2].y === 1 })()`,
		`(() => { const s = new Set(); s.add(s); const c = clone(s); return c.has(c) })()`,
		`(() => { const m = new Map([[1, 1]]); m.extra = 1; return clone(m).extra === undefined })()`,
		// Entries are copied before they are serialized: a getter adding
		// one does not change the clone.
		`(() => {
			const m = new Map()
			m.set('a', {get x() { m.set('late', 1); return 1 }})
			const c = clone(m)
			return c.size === 1 && m.size === 2
		})()`,
		`(() => { const m = new Map([[1, 2]]); m.forEach = null; return clone(m).get(1) === 2 })()`,
	})
}

func TestErrors(t *testing.T) {
	vm, _ := newRealm(t)
	check(t, vm, []string{
		`(() => {
			const e = new TypeError('m'), c = clone(e)
			return c !== e && c instanceof TypeError && c.name === 'TypeError' && c.message === 'm' && c.stack === e.stack &&
				!Object.getOwnPropertyDescriptor(c, 'message').enumerable
		})()`,
		`['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'].every(n => {
			const c = clone(new globalThis[n]('x'))
			return Object.getPrototypeOf(c) === globalThis[n].prototype && c.message === 'x'
		})`,
		`(() => { class MyError extends RangeError {}; const c = clone(new MyError('x')); return Object.getPrototypeOf(c) === RangeError.prototype })()`,
		`(() => { const e = new Error('x'); e.name = 'Custom'; return clone(e).name === 'Error' })()`,
		`(() => { const e = new Error('x'); e.name = {toString() { return 'TypeError' }}; return clone(e).name === 'Error' })()`,
		`(() => { const e = new TypeError('x'); e.name = 'RangeError'; return clone(e) instanceof RangeError })()`,
		`!Object.hasOwn(clone(new Error()), 'message')`,
		`(() => { const e = new Error(); Object.defineProperty(e, 'message', {get() { return 'g' }}); return !Object.hasOwn(clone(e), 'message') })()`,
		`(() => { const e = new Error(); e.message = 42; return clone(e).message === '42' })()`,
		`(() => { const e = new Error('x'); e.code = 'E'; return clone(e).code === undefined })()`,
		`(() => {
			const e = new Error('outer', {cause: new RangeError('inner')}), c = clone(e)
			return c.cause instanceof RangeError && c.cause.message === 'inner' && !Object.getOwnPropertyDescriptor(c, 'cause').enumerable
		})()`,
		`(() => { const e = new Error('x', {cause: undefined}); return Object.hasOwn(clone(e), 'cause') && !Object.hasOwn(clone(new Error('y')), 'cause') })()`,
		`(() => { const e = new Error('self'); e.cause = e; const c = clone(e); return c.cause === c })()`,
		// The name getter runs (a second time when goja formats the stack).
		`(() => { let n = 0; const e = new Error('x'); Object.defineProperty(e, 'name', {get() { n++; return 'TypeError' }}); return clone(e) instanceof TypeError && n >= 1 })()`,
		`(() => { const e = new Error(); e.message = {toString() { throw new RangeError('from toString') }}; return throws(() => clone(e)) === 'RangeError' })()`,
		`(() => { const e = new Error(); e.message = Symbol(); return throws(() => clone(e)) === 'TypeError' })()`,
		`(() => { const e = new DOMException('msg', 'SyntaxError'), c = clone(e); return c !== e && c instanceof DOMException && c.name === 'SyntaxError' && c.message === 'msg' && c.code === 12 && c.stack === e.stack })()`,
	})
}

func TestArraysAndObjects(t *testing.T) {
	vm, _ := newRealm(t)
	check(t, vm, []string{
		`(() => { const a = [1, 'x', [2]], c = clone(a); return c !== a && Array.isArray(c) && c.length === 3 && c[2][0] === 2 && c[2] !== a[2] })()`,
		`(() => { const c = clone([0, , 2]); return c.length === 3 && !(1 in c) && c[2] === 2 })()`,
		`(() => { const a = []; a.length = 5; const c = clone(a); return c.length === 5 && Object.keys(c).length === 0 })()`,
		`(() => { const a = []; a.length = 2 ** 32 - 1; a[5] = 1; const c = clone(a); return c.length === 2 ** 32 - 1 && c[5] === 1 && Object.keys(c).join() === '5' })()`,
		`(() => { const a = [1]; a.foo = 'bar'; a[Symbol()] = 1; const c = clone(a); return c.foo === 'bar' && Object.getOwnPropertySymbols(c).length === 0 })()`,
		`(() => { const o = {a: 1, b: {c: 'd'}}, c = clone(o); return c !== o && c.a === 1 && c.b.c === 'd' && c.b !== o.b && Object.getPrototypeOf(c) === Object.prototype })()`,
		`(() => { class Foo { constructor() { this.x = 1 } get y() { return 2 } }; const c = clone(new Foo()); return !(c instanceof Foo) && c.x === 1 && c.y === undefined })()`,
		`(() => { const o = Object.create(null); o.a = 1; const c = clone(o); return Object.getPrototypeOf(c) === Object.prototype && c.a === 1 })()`,
		`(() => { const o = Object.create({inherited: 1}); o.own = 2; const c = clone(o); return c.inherited === undefined && c.own === 2 })()`,
		`(() => { const o = {}; Object.defineProperty(o, 'hidden', {value: 1}); o[Symbol('s')] = 2; const c = clone(o); return Object.getOwnPropertyNames(c).length === 0 })()`,
		`(() => { const o = {b: 1, a: 2, 1: 3, 0: 4}; return Object.keys(clone(o)).join() === '0,1,b,a' })()`,
		`(() => { let n = 0; const o = {get g() { n++; return {v: n} }}; const c = clone(o); return n === 1 && c.g.v === 1 && Object.getOwnPropertyDescriptor(c, 'g').value.v === 1 })()`,
		`(() => { const o = {get a() { delete this.b; this.z = 1; return 1 }, b: 2}; const c = clone(o); return c.a === 1 && !('b' in c) && !('z' in c) })()`,
		`(() => { const o = {get a() { throw new RangeError('getter') }}; return throws(() => clone(o)) === 'RangeError' })()`,
		`(() => { const o = {['a\ud800']: 1, b: {['\udc00']: 2}}; const c = clone(o); return c['a\ud800'] === 1 && c.b['\udc00'] === 2 && Object.keys(c).join() === 'a\ud800,b' })()`,
		`(() => { const c = clone(Object.prototype); return Object.getPrototypeOf(c) === Object.prototype && Object.keys(c).length === 0 })()`,
		`Array.isArray(clone(Array.prototype))`,
		`Object.keys(clone(Math)).length === 0`,
	})
}

func TestIdentity(t *testing.T) {
	vm, _ := newRealm(t)
	check(t, vm, []string{
		`(() => { const o = {}; o.self = o; const c = clone(o); return c.self === c && c !== o })()`,
		`(() => { const a = []; a.push(a, a); const c = clone(a); return c[0] === c && c[1] === c })()`,
		`(() => { const x = {}, c = clone({a: x, b: [x], m: new Map([[x, x]])}); return c.a === c.b[0] && c.m.get(c.a) === c.a })()`,
		`(() => { const d = new Date(1), c = clone([d, d]); return c[0] === c[1] })()`,
		`(() => { let deep = []; for (let i = 0; i < 10000; i++) deep = [deep]; let c = clone(deep), n = 0; while (c.length) { c = c[0]; n++ } return n === 10000 })()`,
		`(() => { const big = Array.from({length: 100000}, (_, i) => i), c = clone(big); return c.length === 100000 && c[99999] === 99999 })()`,
		`(() => { let deep = {}; for (let i = 0; i < 100001; i++) deep = {deep}; return throws(() => clone(deep)) === 'DataCloneError:25' })()`,
	})
}

func TestNotCloneable(t *testing.T) {
	vm, _ := newRealm(t)
	for _, expr := range []string{
		`function () {}`, `() => 1`, `class {}`, `async function () {}`, `function* () {}`, `Math.max`,
		`{f() {}}`, `[1, () => 1]`, `new Map([[1, () => 1]])`,
		`new WeakMap()`, `new WeakSet()`, `Promise.resolve()`,
		`new Proxy({}, {})`, `new Proxy([], {})`, `new Proxy(function () {}, {})`,
		`(function () { return arguments })()`,
		`[][Symbol.iterator]()`, `new Map().entries()`, `new Set().values()`, `''[Symbol.iterator]()`, `(function* () {})()`,
		`Object(Symbol())`, `{s: Symbol()}`,
	} {
		v, err := vm.RunString("(() => {" + prelude + "\nreturn throws(() => clone(" + expr + "))\n})()")
		if err != nil {
			t.Fatal(err)
		}
		if v.String() != "DataCloneError:25" {
			t.Errorf("clone(%s): %s, want DataCloneError:25", expr, v)
		}
	}
	// Objects wrapping Go values are exotic.
	vm.Set("goValue", struct{ A int }{1})
	vm.Set("goMap", map[string]int{"a": 1})
	check(t, vm, []string{
		`throws(() => clone(goValue)) === 'DataCloneError:25'`,
		`throws(() => clone(goMap)) === 'DataCloneError:25'`,
	})
}

func TestTransfer(t *testing.T) {
	vm, _ := newRealm(t)
	check(t, vm, []string{
		`(() => {
			const buf = new ArrayBuffer(8); new Uint8Array(buf)[0] = 7
			const c = clone(buf, {transfer: [buf]})
			return buf.byteLength === 0 && c.byteLength === 8 && new Uint8Array(c)[0] === 7
		})()`,
		`(() => {
			const u = new Uint8Array([1, 2, 3]), c = clone(u, {transfer: [u.buffer]})
			return c[2] === 3 && u.byteLength === 0 && c.buffer.byteLength === 3
		})()`,
		`(() => { const buf = new ArrayBuffer(4); clone(1, {transfer: [buf]}); return buf.byteLength === 0 })()`,
		`(() => { const buf = new ArrayBuffer(4), c = clone([buf, buf, new DataView(buf)], {transfer: [buf]}); return c[0] === c[1] && c[2].buffer === c[0] })()`,
		`(() => { const buf = new ArrayBuffer(4); return throws(() => clone(buf, {transfer: [buf, buf]})) === 'DataCloneError:25' && buf.byteLength === 4 })()`,
		`throws(() => clone(1, {transfer: [{}]})) === 'DataCloneError:25'`,
		`throws(() => clone(1, {transfer: [new Uint8Array(1)]})) === 'DataCloneError:25'`,
		`(() => { const buf = new ArrayBuffer(1); clone(buf, {transfer: [buf]}); return throws(() => clone(1, {transfer: [buf]})) === 'DataCloneError:25' })()`,
		`(() => { const buf = new ArrayBuffer(4); return throws(() => clone({f() {}}, {transfer: [buf]})) === 'DataCloneError:25' && buf.byteLength === 4 })()`,
		`(() => {
			const buf = new ArrayBuffer(4)
			const value = {get x() { clone(buf, {transfer: [buf]}); return 1 }}
			return throws(() => clone(value, {transfer: [buf]})) === 'DataCloneError:25'
		})()`,
		`(() => {
			const a = new ArrayBuffer(1), b = new ArrayBuffer(1)
			const value = {get x() { clone(b, {transfer: [b]}); return 1 }}
			return throws(() => clone(value, {transfer: [a, b]})) === 'DataCloneError:25' && a.byteLength === 0
		})()`,
		`throws(() => clone(1, {transfer: [1]})) === 'TypeError'`,
		`throws(() => clone(1, {transfer: 5})) === 'TypeError'`,
		`throws(() => clone(1, {transfer: {}})) === 'TypeError'`,
		`throws(() => clone(1, 5)) === 'TypeError'`,
		`clone(1, null) === 1 && clone(1, {transfer: undefined}) === 1 && clone(1, {}) === 1`,
		`(() => { const buf = new ArrayBuffer(2); return clone(buf, {transfer: new Set([buf])}).byteLength === 2 && buf.byteLength === 0 })()`,
		// Options are converted before the value is serialized.
		`(() => {
			const order = []
			clone({get v() { order.push('value') }}, {get transfer() { order.push('options'); return [] }})
			return order.join() === 'options,value'
		})()`,
	})
}

func TestFunctionObject(t *testing.T) {
	vm, _ := newRealm(t)
	check(t, vm, []string{
		`structuredClone.name === 'structuredClone' && structuredClone.length === 1`,
		`(() => { const d = Object.getOwnPropertyDescriptor(globalThis, 'structuredClone'); return d.writable && d.enumerable && d.configurable })()`,
		`throws(() => structuredClone()) === 'TypeError'`,
		`throws(() => new structuredClone(1)) === 'TypeError'`,
	})
}

// Scripts replacing built-ins after registration do not change clones.
func TestIntrinsicsCaptured(t *testing.T) {
	vm, _ := newRealm(t)
	check(t, vm, []string{`(() => {
		const saved = {Map, Set, Date, RegExp, Array, Reflect, DataView, Uint8Array}
		const value = [new Map([[1, 2]]), new Set([3]), new Date(4), /5/g, {a: [6]}, new DataView(new ArrayBuffer(1)), new Uint8Array([7]), {['\ud800']: 8}]
		Map.prototype.set = Set.prototype.add = Map.prototype.forEach = Set.prototype.forEach = null
		Object.prototype.hasOwnProperty = Object.prototype.propertyIsEnumerable = null
		Object.defineProperty(Object.prototype, 'value', {get() { throw new Error('polluted') }, configurable: true})
		Reflect.ownKeys = Reflect.get = Reflect.defineProperty = Reflect.getOwnPropertyDescriptor = null
		Map = Set = Date = RegExp = Array = DataView = Uint8Array = null
		const c = clone(value)
		delete Object.prototype.value
		return c[0] instanceof saved.Map && c[0].size === 1 && c[1].size === 1 && c[2].getTime() === 4 && c[3].flags === 'g' &&
			c[4].a[0] === 6 && c[5] instanceof saved.DataView && c[6][0] === 7 && c[7]['\ud800'] === 8
	})()`})
}

// A platform object of an interface with no serialization steps throws;
// one registered with RegisterSerializable is cloned by its steps.
func TestPlatformObjects(t *testing.T) {
	vm, r := newRealm(t)
	for _, name := range []string{"Opaque", "TestPoint", "TestBroken"} {
		if err := r.DefineInterface(&webidl.Interface{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	vm.Set("opaque", r.New("Opaque", struct{}{}))
	vm.Set("point", r.New("TestPoint", &point{1, 2}))
	vm.Set("broken", r.New("TestBroken", nil))
	registerTestTypes.Do(func() { registerTestTypesErr = registerTestSerializables() })
	if registerTestTypesErr != nil {
		t.Fatal(registerTestTypesErr)
	}
	check(t, vm, []string{
		`throws(() => clone(opaque)) === 'DataCloneError:25'`,
		`throws(() => clone({nested: [opaque]})) === 'DataCloneError:25'`,
		`(() => { const [a, b] = clone([point, point]); return a instanceof TestPoint && a !== point && a === b })()`,
		`(() => { try { clone(broken) } catch (e) { return e.name === 'DataCloneError' && e.message.includes('closed') } })()`,
	})
	v := vm.Get("point").(*goja.Object)
	c, err := vm.RunString(`structuredClone(point)`)
	if err != nil {
		t.Fatal(err)
	}
	impl, ok := r.Impl(c, "TestPoint")
	if !ok || *impl.(*point) != (point{1, 2}) || c.(*goja.Object) == v {
		t.Errorf("clone of a TestPoint: %v %v", impl, ok)
	}
	if err := RegisterSerializable(Serializable{Interface: "TestPoint", Serialize: func(*webidl.Realm, *goja.Object) (any, error) { return nil, nil }, Deserialize: func(*webidl.Realm, any) (*goja.Object, error) { return nil, nil }}); err == nil {
		t.Error("registering TestPoint twice succeeded")
	}
	if err := r.DefineInterface(&webidl.Interface{Name: "TestNil"}); err != nil {
		t.Fatal(err)
	}
	vm.Set("nilObject", r.New("TestNil", nil))
	check(t, vm, []string{`throws(() => clone(nilObject)) === 'DataCloneError:25'`})
	if err := RegisterSerializable(Serializable{Interface: "Incomplete"}); err == nil {
		t.Error("registering without steps succeeded")
	}
}

// Clones of JSON values are equal to them.
func FuzzCloneJSON(f *testing.F) {
	for _, s := range []string{`null`, `1`, `"s"`, `[]`, `{}`, `[1,[2,{"a":null}],"x",-0.5e10]`, `{"__proto__":{"a":1},"b":[true,false]}`, `{"\ud800":1}`} {
		f.Add(s)
	}
	vm, _ := newRealm(f)
	fn, err := vm.RunString(`(function (s) {
		let v
		try { v = JSON.parse(s) } catch { return true }
		return JSON.stringify(structuredClone(v)) === JSON.stringify(v)
	})`)
	if err != nil {
		f.Fatal(err)
	}
	same, _ := goja.AssertFunction(fn)
	f.Fuzz(func(t *testing.T, s string) {
		ok, err := same(goja.Undefined(), vm.ToValue(s))
		if err != nil {
			if strings.Contains(err.Error(), "RangeError") {
				return // nesting too deep for JSON.parse or JSON.stringify
			}
			t.Fatalf("%q: %v", s, err)
		}
		if !ok.ToBoolean() {
			t.Fatalf("%q: clone differs", s)
		}
	})
}

type point struct{ x, y int }

// The registry is per process: the test types are registered once, however many
// times the tests run (-count, -cpu).
var (
	registerTestTypes    sync.Once
	registerTestTypesErr error
)

func registerTestSerializables() error {
	if err := RegisterSerializable(Serializable{
		Interface: "TestPoint",
		Serialize: func(r *webidl.Realm, o *goja.Object) (any, error) {
			impl, _ := r.Impl(o, "TestPoint")
			p := *impl.(*point)
			return p, nil
		},
		Deserialize: func(r *webidl.Realm, data any) (*goja.Object, error) {
			p := data.(point)
			return r.New("TestPoint", &p), nil
		},
	}); err != nil {
		return err
	}
	if err := RegisterSerializable(Serializable{
		Interface:   "TestBroken",
		Serialize:   func(*webidl.Realm, *goja.Object) (any, error) { return nil, errors.New("closed") },
		Deserialize: func(*webidl.Realm, any) (*goja.Object, error) { return nil, nil },
	}); err != nil {
		return err
	}
	return RegisterSerializable(Serializable{
		Interface:   "TestNil",
		Serialize:   func(*webidl.Realm, *goja.Object) (any, error) { return 1, nil },
		Deserialize: func(*webidl.Realm, any) (*goja.Object, error) { return nil, nil },
	})
}

// TestCloneInterruptible checks that serializing and deserializing, loops in
// Go, see the runtime's interrupt: a getter written in Go interrupts the run
// as cloning begins (or as serializing ends), and the clone of 2^16 entries
// of nested arrays, objects and maps (seconds of work) ends soon after:
// within 300 ms, where without the checks deserializing ran about a second
// on and serializing several (the bound leaves room for a loaded machine).
func TestCloneInterruptible(t *testing.T) {
	for _, at := range []string{"serializing", "deserializing"} {
		t.Run(at, func(t *testing.T) {
			vm, _ := newRealm(t)
			var interrupted time.Time
			_ = vm.Set("stop", func() int {
				vm.Interrupt("stop")
				interrupted = time.Now()
				return 1
			})
			_, err := vm.RunString(`var a = []; for (let i = 0; i < 2**16; i++) a.push([[i], {x: [i]}, new Map([[i, [i]]])]);
				var stopping = Object.defineProperty({}, "x", {get: stop, enumerable: true})`)
			if err != nil {
				t.Fatal(err)
			}
			src := `structuredClone([stopping, a])`
			if at == "deserializing" {
				src = `structuredClone([a, stopping])`
			}
			_, err = vm.RunString(src)
			end := time.Now()
			var ie *goja.InterruptedError
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, want the interrupt", err)
			}
			if d := end.Sub(interrupted); d > 300*time.Millisecond {
				t.Errorf("ended %v after the interrupt, more than 300ms", d)
			}
		})
	}
}
