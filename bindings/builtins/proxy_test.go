package builtins

import "testing"

// TestProxyDepth checks that Proxy and Proxy.revocable refuse a chain of
// proxies deeper than Options.NestingDepth, through targets and handlers,
// and are otherwise the originals.
func TestProxyDepth(t *testing.T) {
	vm := newVM(t, Options{NestingDepth: 5})
	const chain = `(make) => { let p = {}, i = 0; try { for (; i < 10; i++) p = make(p) } catch (e) { return i + " " + e.name + ": " + e.message } return i }`
	for _, c := range []struct{ src, want string }{
		{`(` + chain + `)((p) => new Proxy(p, {}))`, "5 RangeError: Maximum call stack size exceeded"},
		{`(` + chain + `)((p) => new Proxy({}, p))`, "5 RangeError: Maximum call stack size exceeded"},
		{`(` + chain + `)((p) => Proxy.revocable(p, {}).proxy)`, "5 RangeError: Maximum call stack size exceeded"},
		{`(` + chain + `)((p) => new Proxy(p, p))`, "5 RangeError: Maximum call stack size exceeded"},
		{`(` + chain + `)((p) => new Proxy(Object.create(p), {}))`, "10"},
		{`let p = {}; for (let i = 0; i < 5; i++) p = new Proxy(p, {}); p.x = 1; [p.x, "x" in p, Object.keys(p).join()].join()`, "1,true,x"},
		{`[Proxy.name, Proxy.length, Object.getOwnPropertyNames(Proxy).join(), Proxy.revocable.name, Proxy.revocable.length].join()`, "Proxy,2,length,name,revocable,revocable,2"},
		{`try { Proxy({}, {}) } catch (e) { e.name }`, "TypeError"},
		{`try { new Proxy(1, {}) } catch (e) { e.name }`, "TypeError"},
		{`typeof Reflect.construct(Proxy, [function () {}, {}], function () {})`, "function"},
		{`const { proxy, revoke } = Proxy.revocable({ a: 1 }, {}); const a = proxy.a; revoke(); try { proxy.a } catch (e) { a + e.name }`, "1TypeError"},
		{`try { class X extends Proxy {} } catch (e) { e.name }`, "TypeError"},
	} {
		if got := run(vm, c.src); got != c.want {
			t.Errorf("%s: got %q, want %q", c.src, got, c.want)
		}
	}
}

// TestProxyTrapArguments checks that the proxies of functions give their
// traps the handler as this, look each trap up once per operation, and give
// apply and construct arrays of their own, which keep their elements after
// the trap returns (goja's stack, grown first, no longer moves: the calls
// after the trap's reuse its cells).
func TestProxyTrapArguments(t *testing.T) {
	const grow = `(function f(n) { return n && f(n - 1) })(2000); `
	runCases(t, []scriptCase{
		{grow + `let kept; const p = new Proxy(function () {}, { apply(t, c, args) { kept = args } }); p(1, 2); [1, 2, 3].map(x => x); kept.join()`, "1,2"},
		{grow + `let kept; const P = new Proxy(function () {}, { construct(t, args) { kept = args; return {} } }); new P("a", "b"); [1, 2, 3].map(x => x); kept.join() + Array.isArray(kept)`, "a,btrue"},
		{`const h = { apply() { return this === h } }; new Proxy(function () {}, h)()`, "true"},
		{`const h = { get(t, k) { return this === h && k } }; new Proxy(function () {}, h).x`, "x"},
		{`let n = 0; const h = { get apply() { n++; return () => n } }; const p = new Proxy(function () {}, h); p(); p()`, "2"},
		{`Object.defineProperty(Array.prototype, 0, { set() { throw 1 }, configurable: true }); const r = new Proxy(function () {}, { apply: (t, c, a) => a[0] })(7); delete Array.prototype[0]; r`, "7"},
		{`const { proxy, revoke } = Proxy.revocable(function () {}, {}); revoke(); try { proxy() } catch (e) { e.name }`, "TypeError"},
		{`try { new Proxy(function () {}, { apply: 1 })() } catch (e) { e.name }`, "TypeError"},
	})
}
