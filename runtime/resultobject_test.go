package runtime

import (
	"fmt"
	"strings"
	"testing"
)

// TestResultObjectsIgnoreSetters checks that the objects web APIs create for
// scripts (dictionaries and iterator results) get their properties as
// CreateDataProperty gives them, as in V8: setters on Object.prototype never run.
func TestResultObjectsIgnoreSetters(t *testing.T) {
	_, wsURL := bufferSourceServers(t)
	cases := []struct{ name, expr, want string }{
		{"URLSearchParams iterator", `take(new URLSearchParams("a=1&b=2")).join(";")`, "a,1;b,2"},
		{"URLSearchParams keys", `JSON.stringify(new URLSearchParams("a=1").keys().next())`, `{"value":"a","done":false}`},
		{"URLSearchParams end", `(() => { const it = new URLSearchParams("").values(); return JSON.stringify(it.next()); })()`, `{"done":true}`},
		{"Headers iterator", `take(new Headers({ a: "1", b: "2" })).join(";")`, "a,1;b,2"},
		{"Headers end", `JSON.stringify(new Headers().entries().next())`, `{"done":true}`},
		{"performance.toJSON", `Object.keys(performance.toJSON()).join()`, "timeOrigin"},
		{"TextEncoder.encodeInto", `JSON.stringify(new TextEncoder().encodeInto("hé", new Uint8Array(8)))`, `{"read":2,"written":3}`},
		{"ReadableStream read", `JSON.stringify(await new ReadableStream({ start(c) { c.enqueue(1); c.close(); } }).getReader().read())`, `{"value":1,"done":false}`},
		{"ReadableStream async iterator", `(async () => { const out = []; for await (const v of new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } })) out.push(v); return out.join(); })()`, "1,2"},
		{"WebSocketStream opened and closed", `(async () => {
			const s = new WebSocketStream(WS);
			const opened = await s.opened;
			s.close({ closeCode: 1000, reason: "bye" });
			const closed = await s.closed;
			return Object.keys(opened).join() + " " + JSON.stringify(closed);
		})()`, `extensions,protocol,readable,writable {"closeCode":1000,"reason":""}`},
	}
	var src, want strings.Builder
	fmt.Fprintf(&src, "const WS = %q;\n", wsURL)
	// Setters that throw on every name a result object has. (The
	// loops are by index: goja's own iterator results, unlike V8's, run setters on
	// Object.prototype.)
	src.WriteString(`const names = ["value", "done", "read", "written", "timeOrigin", "extensions", "protocol", "readable", "writable", "closeCode", "reason"];
for (let i = 0; i < names.length; i++) {
	const name = names[i];
	Object.defineProperty(Object.prototype, name, {
		__proto__: null,
		set(v) { throw new Error("setter of " + name + " ran"); },
		configurable: true,
	});
}
// take iterates like spreading, for at most 3 steps.
const take = (iterable) => {
	const it = iterable[Symbol.iterator](), out = [];
	for (let i = 0; i < 3; i++) {
		const r = it.next();
		if (r.done) break;
		out.push(r.value);
	}
	return out;
};
const cases = [
`)
	for _, c := range cases {
		fmt.Fprintf(&src, "\t[%q, async () => %s],\n", c.name, c.expr)
		fmt.Fprintf(&want, "%s: %s\n", c.name, c.want)
	}
	src.WriteString(`];
(async () => {
	for (let i = 0; i < cases.length; i++) {
		const name = cases[i][0], f = cases[i][1];
		let out;
		try { out = await f(); } catch (e) { out = "threw " + e; }
		console.log(name + ": " + out);
	}
})();
`)
	res := runSrc(t, "setters.js", src.String(), Options{})
	if res.err != nil {
		t.Fatalf("%v\n%s", res.err, res.stderr)
	}
	if res.stdout != want.String() {
		t.Errorf("got\n%swant\n%s", res.stdout, want.String())
	}
}
