package wasm_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/wsjs/wsjs/runtime"
)

// sec encodes a section of id holding parts.
func sec(id byte, parts ...any) []byte {
	var body []byte
	for _, p := range parts {
		switch p := p.(type) {
		case byte:
			body = append(body, p)
		case int:
			body = append(body, byte(p))
		case string:
			body = append(body, byte(len(p)))
			body = append(body, p...)
		case []byte:
			body = append(body, p...)
		}
	}
	return append([]byte{id, byte(len(body))}, body...)
}

// code encodes a function body without locals.
func code(ops ...byte) []byte { return append([]byte{byte(len(ops) + 1), 0}, ops...) }

func mod(sections ...[]byte) []byte {
	return append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Join(sections, nil)...)
}

func jsBytes(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprint(c)
	}
	return "new Uint8Array([" + strings.Join(parts, ",") + "])"
}

const i32 = 0x7f

var (
	addMod = mod(sec(1, 1, 0x60, 2, i32, i32, 1, i32), sec(3, 1, 0), sec(7, 1, "add", 0, 0),
		sec(10, 1, code(0x20, 0, 0x20, 1, 0x6a, 0x0b)))
	importMod = mod(sec(1, 1, 0x60, 1, i32, 1, i32), sec(2, 1, "env", "f", 0, 0), sec(3, 1, 0),
		sec(7, 1, "g", 0, 1), sec(10, 1, code(0x20, 0, 0x10, 0, 0x41, 1, 0x6a, 0x0b)))
	memMod = mod(sec(1, 2, 0x60, 2, i32, i32, 0, 0x60, 1, i32, 1, i32), sec(3, 2, 0, 1), sec(5, 1, 0, 1),
		sec(7, 3, "mem", 2, 0, "store", 0, 0, "grow", 0, 1),
		sec(10, 2, code(0x20, 0, 0x20, 1, 0x36, 2, 0, 0x0b), code(0x20, 0, 0x40, 0, 0x0b)))
	voidType = sec(1, 1, 0x60, 0, 0)
	spinMod  = mod(voidType, sec(3, 1, 0), sec(7, 1, "run", 0, 0), sec(10, 1, code(0x03, 0x40, 0x0c, 0, 0x0b, 0x0b)))
	trapMod  = mod(voidType, sec(3, 1, 0), sec(7, 1, "run", 0, 0), sec(10, 1, code(0x00, 0x0b)))
	recMod   = mod(voidType, sec(3, 1, 0), sec(7, 1, "run", 0, 0), sec(10, 1, code(0x10, 0, 0x0b)))
	// startSpin loops forever in its start function.
	startSpin = mod(voidType, sec(3, 1, 0), sec(8, 0), sec(10, 1, code(0x03, 0x40, 0x0c, 0, 0x0b, 0x0b)))
)

// run runs src in a new runtime with limits and returns the uncaught error.
func run(t *testing.T, limits runtime.Limits, timeout time.Duration, src string) error {
	t.Helper()
	var stderr bytes.Buffer
	rt, err := runtime.New(runtime.Options{Limits: limits, Stdout: io.Discard, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	src = strings.NewReplacer("ADD", jsBytes(addMod), "IMPORT", jsBytes(importMod), "MEM", jsBytes(memMod),
		"SPIN", jsBytes(spinMod), "TRAP", jsBytes(trapMod), "REC", jsBytes(recMod), "STARTLOOP", jsBytes(startSpin)).Replace(src)
	src = `function assert(c, m) { if (!c) throw new Error("assertion failed: " + m); }
function throwsAs(f, C) { try { f(); } catch (e) { if (e instanceof C) return e; throw new Error("threw " + e); } throw new Error("did not throw"); }
` + src
	return rt.RunScript(ctx, "test.js", src)
}

func TestWebAssembly(t *testing.T) {
	tests := []struct{ name, src string }{
		{"namespace", `
			assert(Object.prototype.toString.call(WebAssembly) === "[object WebAssembly]", "tag");
			assert(typeof WebAssembly === "object", "not a function");
			assert(Object.getPrototypeOf(WebAssembly.RuntimeError.prototype) === Error.prototype, "errors");
			assert(WebAssembly.CompileError("x") instanceof WebAssembly.CompileError, "callable");
			assert(new WebAssembly.LinkError("m").message === "m", "message");
			assert(WebAssembly.RuntimeError.prototype.name === "RuntimeError", "name");
			assert(typeof Memory === "undefined" && typeof WebAssembly.Memory === "function", "namespaced");
			assert(Object.prototype.toString.call(new WebAssembly.Memory({initial: 0})) === "[object WebAssembly.Memory]", "memory tag");`},
		{"validate", `
			assert(WebAssembly.validate(ADD), "valid");
			assert(!WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0])), "invalid");
			throwsAs(() => WebAssembly.validate(1), TypeError);
			throwsAs(() => new WebAssembly.Module(new Uint8Array([1, 2, 3])), WebAssembly.CompileError);`},
		{"compile and instantiate", `
			WebAssembly.compile(ADD).then(m => {
				assert(m instanceof WebAssembly.Module, "module");
				assert(JSON.stringify(WebAssembly.Module.exports(m)) === '[{"name":"add","kind":"function"}]', "exports");
				return WebAssembly.instantiate(m);
			}).then(inst => {
				assert(inst.exports.add(2, 3) === 5, "add");
				assert(Object.isFrozen(inst.exports) && Object.getPrototypeOf(inst.exports) === null, "frozen");
				return WebAssembly.instantiate(ADD);
			}).then(({module, instance}) => {
				assert(module instanceof WebAssembly.Module && instance.exports.add(-1, 1) === 0, "source");
				assert(instance.exports.add(2 ** 32 + 1, Infinity) === 1 && instance.exports.add(2 ** 31, 0) === -(2 ** 31), "ToInt32");
				return WebAssembly.compile(new Uint8Array([1])).then(() => { throw new Error("compiled"); }, e => assert(e instanceof WebAssembly.CompileError, "compile rejects"));
			}).then(() => WebAssembly.instantiate(IMPORT, {env: {f: 1}})).then(() => { throw new Error("linked"); }, e => {
				assert(e instanceof WebAssembly.LinkError, "instantiate rejects with " + e);
				return WebAssembly.instantiate(IMPORT);
			}).then(() => { throw new Error("linked"); }, e => {
				assert(e instanceof TypeError, "no imports: " + e);
				globalThis.done = true;
			}).catch(e => { globalThis.failed = e; });
			setTimeout(() => { if (globalThis.failed) throw globalThis.failed; assert(globalThis.done, "settled"); });`},
		{"imports", `
			const m = new WebAssembly.Module(IMPORT);
			assert(JSON.stringify(WebAssembly.Module.imports(m)) === '[{"module":"env","name":"f","kind":"function"}]', "imports");
			const i = new WebAssembly.Instance(m, {env: {f: x => x * 2}});
			assert(i.exports.g(20) === 41, "call through");
			throwsAs(() => new WebAssembly.Instance(m), TypeError);
			throwsAs(() => new WebAssembly.Instance(m, {env: {f: 1}}), WebAssembly.LinkError);
			const e = new Error("inner");
			try { new WebAssembly.Instance(m, {env: {f() { throw e; }}}).exports.g(1); } catch (x) { assert(x === e, "same exception"); }
			const add = new WebAssembly.Instance(new WebAssembly.Module(ADD)).exports.add;
			throwsAs(() => new WebAssembly.Instance(m, {env: {f: add}}), WebAssembly.LinkError);
			const k = new WebAssembly.Instance(m, {env: {f: new WebAssembly.Instance(m, {env: {f: x => x * 3}}).exports.g}});
			assert(k.exports.g(1) === 5, "an exported function imported");
			const reexport = new WebAssembly.Module(new Uint8Array([0,97,115,109,1,0,0,0, 2,12,1, 3,101,110,118, 3,109,101,109, 2,0,1, 7,7,1, 3,109,101,109, 2,0]));
			const mem = new WebAssembly.Memory({initial: 1});
			assert(new WebAssembly.Instance(reexport, {env: {mem}}).exports.mem === mem, "an imported memory exported is the same object");`},
		{"memory aliasing and grow", `
			const i = new WebAssembly.Instance(new WebAssembly.Module(MEM));
			const mem = i.exports.mem;
			assert(mem instanceof WebAssembly.Memory, "memory");
			const buf = mem.buffer;
			assert(buf instanceof ArrayBuffer && buf.byteLength === 65536, "length");
			i.exports.store(8, 0x01020304);
			assert(new Uint8Array(buf)[8] === 4, "aliased");
			assert(mem.grow(1) === 1, "grow returns old size");
			assert(buf.byteLength === 0, "old buffer detached");
			throwsAs(() => mem.buffer.transfer(), TypeError);
			throwsAs(() => structuredClone(mem.buffer, {transfer: [mem.buffer]}), TypeError);
			assert(mem.buffer.byteLength === 131072 && new Uint8Array(mem.buffer)[8] === 4, "new buffer");
			assert(i.exports.grow(1) === 2 && mem.buffer.byteLength === 196608, "grown from wasm");
			const m2 = new WebAssembly.Memory({initial: 1, maximum: 2});
			throwsAs(() => m2.grow(2), RangeError);
			throwsAs(() => new WebAssembly.Memory({initial: 2, maximum: 1}), RangeError);`},
		{"shared memory", `
			const m = new WebAssembly.Memory({shared: true, initial: 0, maximum: 0});
			assert(m.buffer.constructor.name === "SharedArrayBuffer", "SharedArrayBuffer");
			assert(m.buffer.constructor === SharedArrayBuffer, "the realm's");
			const s = new WebAssembly.Memory({shared: true, initial: 1, maximum: 2});
			new Uint8Array(s.buffer)[0] = 7;
			s.grow(1);
			assert(s.buffer.byteLength === 131072 && new Uint8Array(s.buffer)[0] === 7, "grown in place");
			throwsAs(() => new WebAssembly.Memory({shared: true, initial: 1}), TypeError);`},
		{"globals", `
			const g = new WebAssembly.Global({value: "i32", mutable: true}, 42);
			assert(g.value === 42 && g.valueOf() === 42, "value");
			g.value = 7;
			assert(g.value === 7, "set");
			const h = new WebAssembly.Global({value: "i64"}, 5n);
			assert(h.value === 5n, "bigint");
			throwsAs(() => { h.value = 1n; }, TypeError);
			const f = new WebAssembly.Global({value: "f32"}, 1.5);
			assert(f.value === 1.5, "f32");
			const r = new WebAssembly.Global({value: "externref", mutable: true}, {a: 1});
			assert(r.value.a === 1, "externref");`},
		// The binding takes the built-ins it uses before script can
		// replace them, even when installed on first use.
		{"replaced built-ins", `
			const saved = [BigInt, Object.defineProperty, Object.create, Reflect.construct];
			globalThis.BigInt = () => { throw new Error("replaced BigInt called") };
			Object.defineProperty = Object.create = Reflect.construct = null;
			Object.prototype.set = function () {};
			const g = new WebAssembly.Global({value: "i64", mutable: true}, 1n);
			g.value = "7";
			const e = new WebAssembly.RuntimeError("x");
			delete Object.prototype.set;
			[globalThis.BigInt, Object.defineProperty, Object.create, Reflect.construct] = saved;
			assert(g.value === 7n, "a string through %BigInt%");
			assert(e instanceof Error && e.message === "x" && e.name === "RuntimeError", "errors made with %Reflect.construct%");`},
		{"tables", `
			const t = new WebAssembly.Table({element: "externref", initial: 2}, "x");
			assert(t.length === 2 && t.get(1) === "x", "get");
			t.set(0, 5);
			assert(t.get(0) === 5, "set");
			assert(t.grow(1) === 2 && t.length === 3, "grow");
			throwsAs(() => t.get(3), RangeError);
			const f = new WebAssembly.Table({element: "anyfunc", initial: 1});
			assert(f.get(0) === null, "funcref null");`},
		{"streaming", `
			const ok = new Response(ADD, {headers: {"Content-Type": "application/wasm"}});
			Promise.all([
				WebAssembly.instantiateStreaming(Promise.resolve(ok)).then(({module, instance}) => {
					assert(module instanceof WebAssembly.Module && instance.exports.add(1, 2) === 3, "instantiated");
				}),
				WebAssembly.compileStreaming(new Response(ADD, {headers: {"Content-Type": " Application/Wasm "}})).then(m => assert(m instanceof WebAssembly.Module, "compiled")),
				WebAssembly.compileStreaming(new Response(ADD)).then(() => { throw new Error("no MIME type"); }, e => assert(e instanceof TypeError, "MIME " + e)),
				WebAssembly.compileStreaming(new Response(ADD, {status: 404, headers: {"Content-Type": "application/wasm"}})).then(() => { throw new Error("404"); }, e => assert(e instanceof TypeError, "status " + e)),
				WebAssembly.compileStreaming(ADD).then(() => { throw new Error("not a Response"); }, e => assert(e instanceof TypeError, "source " + e)),
				WebAssembly.compileStreaming(new Response(new Uint8Array([1]), {headers: {"Content-Type": "application/wasm"}})).then(() => { throw new Error("bad"); }, e => assert(e instanceof WebAssembly.CompileError, "compile " + e)),
			]).then(() => { globalThis.done = true; }, e => { globalThis.failed = e; });
			setTimeout(() => { if (globalThis.failed) throw globalThis.failed; assert(globalThis.done, "settled"); });`},
		{"trap", `
			const e = throwsAs(() => new WebAssembly.Instance(new WebAssembly.Module(TRAP)).exports.run(), WebAssembly.RuntimeError);
			assert(/unreachable/.test(e.message), e.message);`},
		{"recursion", `
			throwsAs(() => new WebAssembly.Instance(new WebAssembly.Module(REC)).exports.run(), RangeError);`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := run(t, runtime.Limits{}, 30*time.Second, tc.src); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestContainment checks that wasm stops at the deadline as script does,
// and that its memory is bounded by the runtime's budget.
func TestContainment(t *testing.T) {
	tests := []struct {
		name     string
		limits   runtime.Limits
		src      string
		deadline bool
	}{
		{"infinite loop", runtime.Limits{}, `new WebAssembly.Instance(new WebAssembly.Module(SPIN)).exports.run();`, true},
		{"loop in start", runtime.Limits{}, `new WebAssembly.Instance(new WebAssembly.Module(STARTLOOP));`, true},
		{"loop in an imported function", runtime.Limits{}, `new WebAssembly.Instance(new WebAssembly.Module(IMPORT), {env: {f() { for (;;) {} }}}).exports.g(1);`, true},
		{"wasm loop under script under wasm", runtime.Limits{}, `
			const spin = new WebAssembly.Instance(new WebAssembly.Module(SPIN)).exports.run;
			new WebAssembly.Instance(new WebAssembly.Module(IMPORT), {env: {f() { spin(); }}}).exports.g(1);`, true},
		{"loop caught", runtime.Limits{}, `try { new WebAssembly.Instance(new WebAssembly.Module(SPIN)).exports.run(); } catch (e) {} for (;;) {}`, true},
		{"memory budget", runtime.Limits{MemoryBytes: 1 << 20}, `
			throwsAs(() => new WebAssembly.Memory({initial: 100}), RangeError);
			const m = new WebAssembly.Memory({initial: 1});
			throwsAs(() => m.grow(100), RangeError);
			const i = new WebAssembly.Instance(new WebAssembly.Module(MEM));
			assert(i.exports.grow(100) === -1, "memory.grow fails");
			throwsAs(() => new WebAssembly.Memory({initial: 1, maximum: 65536, shared: true}), RangeError);
			const big = new Uint8Array([0,97,115,109,1,0,0,0, 5,4,1, 0,128,1]); // a memory of 128 pages
			throwsAs(() => new WebAssembly.Instance(new WebAssembly.Module(big)), RangeError);`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			err := run(t, tc.limits, 500*time.Millisecond, tc.src)
			if !tc.deadline {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err = %v, want the deadline", err)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("stopped after %v", d)
			}
		})
	}
}
