package builtins

import "testing"

// TestDisposable checks explicit resource management as script sees it;
// test262 checks the rest.
func TestDisposable(t *testing.T) {
	runCases(t, []scriptCase{
		{`const log = []; const s = new DisposableStack(); s.use({ [Symbol.dispose]() { log.push("a") } }); s.defer(() => log.push("b")); s.adopt(1, v => log.push(v)); s.dispose(); [log.join(), s.disposed].join()`, "1,b,a,true"},
		{`const s = new DisposableStack(); s.defer(() => { throw 1 }); s.defer(() => { throw 2 }); let e; try { s.dispose() } catch (x) { e = x } [e instanceof SuppressedError, e.error, e.suppressed].join()`, "true,1,2"},
		{`const s = new DisposableStack(); s.dispose(); try { s.use(null) } catch (e) { e.name }`, "ReferenceError"},
		{`const e = SuppressedError(1, 2, "m"); [Object.prototype.toString.call(e), e.message, Object.keys(e).length, e instanceof Error].join()`, "[object Error],m,0,true"},
		{`let closed = 0; const it = { __proto__: Iterator.prototype, return() { closed++; return {} } }; it[Symbol.dispose](); closed`, "1"},
		{`[String(Symbol.dispose), String(Symbol.asyncDispose), Object.getOwnPropertyDescriptor(Symbol, "dispose").writable].join()`, "Symbol(Symbol.dispose),Symbol(Symbol.asyncDispose),false"},
		{`DisposableStack.prototype[Symbol.dispose] === DisposableStack.prototype.dispose && AsyncDisposableStack.prototype[Symbol.asyncDispose] === AsyncDisposableStack.prototype.disposeAsync`, "true"},
		{`const s = new AsyncDisposableStack(); s.use({ [Symbol.dispose]() { throw 7 } }); let r; s.disposeAsync().catch(e => r = e); r`, "undefined"},
		// The steps, evaluated on first use, take the built-ins the realm started with.
		{`const E = Error; Reflect.apply = Reflect.construct = Object.setPrototypeOf = () => { throw 1 }; globalThis.Error = globalThis.Promise = null;
			const s = new DisposableStack(); s.defer(() => { throw 1 }); s.defer(() => { throw 2 }); let e; try { s.dispose() } catch (x) { e = x }
			[e instanceof SuppressedError, e instanceof E, e.error, e.suppressed, new AsyncDisposableStack().disposeAsync() instanceof Object].join()`, "true,true,1,2,true"},
		{`class S extends DisposableStack {}; const s = new S(); const m = s.move(); [Object.getPrototypeOf(s) === S.prototype, Object.getPrototypeOf(m) === DisposableStack.prototype, s.disposed, m.disposed].join()`, "true,true,true,false"},
	})
}
