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
