package runtime

import (
	"strings"
	"testing"
)

// TestLoweredFeatures runs, through the loader, code using the syntax goja lacks.
func TestLoweredFeatures(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"async generator and for await", `
			async function* count(n) { for (let i = 0; i < n; i++) { await null; yield i } }
			const got = [];
			for await (const v of count(3)) got.push(v);
			console.log(got.join(","));`, "0,1,2"},
		// The built-ins take Symbol.asyncIterator when their scripts are
		// evaluated: it must exist by then.
		{"Array.fromAsync of async iterables", `
			async function* gen() { yield* [0, 1]; yield 2 }
			const custom = { [Symbol.asyncIterator]() { let i = 0; return { next: async () => ({ done: i > 1, value: i++ }) } } };
			console.log((await Array.fromAsync(gen())).join(","), (await Array.fromAsync(custom)).join(","));`, "0,1,2 0,1"},
		{"async generator intrinsics", `
			async function* decl() {}
			const expr = async function* () {};
			const AGF = Object.getPrototypeOf(decl);
			const AGP = AGF.prototype;
			const AIP = Object.getPrototypeOf(AGP);
			console.log(AGF === Object.getPrototypeOf(expr), AGF[Symbol.toStringTag], AGP[Symbol.toStringTag],
				AIP[Symbol.asyncIterator].call(AIP) === AIP, Object.getPrototypeOf(decl.prototype) === AGP,
				Object.getPrototypeOf(decl()) === decl.prototype, expr.name, AGF.constructor.name,
				Object.getPrototypeOf(AGF.constructor) === Function);`, "true AsyncGeneratorFunction AsyncGenerator true true true expr AsyncGeneratorFunction true"},
		// esbuild renames the inner bindings named as top-level ones where it
		// lowers anything; the functions and classes keep their names
		// (loader/names.go), but a static name member stays.
		{"names esbuild renamed", `
			async function* gen() {}
			function a() { function gen() {} return gen }
			function b() { const gen = () => {}; return gen }
			function c() { let gen; gen = function () {}; return gen }
			function d() { class gen {} return gen }
			function e() { const f = async function* gen() {}; return f }
			function f() { const gen = class { static name = "own" }; return gen }
			function g() { const { gen = function () {} } = {}; return gen }
			console.log([a(), b(), c(), d(), e(), f(), g()].map((x) => x.name).join());`, "gen,gen,gen,gen,gen,own,gen"},
		{"names of the values of using declarations", `
			Function.prototype[Symbol.dispose] = function () {};
			{
				using x = function () {}, n = null;
				using y = () => null, z = class {}, w = (function () {});
				console.log(x.name, y.name, z.name, w.name);
			}`, "x y z w"},
		{"async generator methods", `
			const o = { async *m() { yield 1 } };
			class C { async *m() { yield 2 } static async *s() { yield 3 } }
			const AGF = Object.getPrototypeOf(async function* () {});
			const got = [];
			for (const f of [o.m, C.prototype.m, C.s]) got.push(Object.getPrototypeOf(f) === AGF, (await f().next()).value);
			console.log(got.join());`, "true,1,true,2,true,3"},
		{"async generator under a computed key", `
			const k = "named";
			const o = { [k]: async function* () { yield 1 } };
			console.log(o.named.name, Object.getPrototypeOf(o.named) === Object.getPrototypeOf(async function* () {}), (await o.named().next()).value);`, "named true 1"},
		{"async generator requests queued and awaited return", `
			async function* g() { try { yield 1; yield 2 } finally { await null } return Promise.resolve(3) }
			const it = g();
			const rs = await Promise.all([it.next(), it.next(), it.next(), it.next()]);
			console.log(JSON.stringify(rs), await it.return(4).then((r) => r.value), await it.throw(5).catch((e) => e));`,
			`[{"value":1,"done":false},{"value":2,"done":false},{"value":3,"done":true},{"done":true}] 4 5`},
		{"async generator function constructor", `
			const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor;
			const f = new AsyncGeneratorFunction("a", "yield a; yield* [a + 1]");
			const got = [];
			for await (const v of f(1)) got.push(v);
			console.log(got.join(), String(f) === "async function* anonymous(a\n) {\nyield a; yield* [a + 1]\n}");`, "1,2 true"},
		{"new on an async generator function throws before binding parameters", `
			const log = [];
			async function* decl(a = log.push("a")) {}
			const expr = async function* (b = log.push("b")) {};
			const made = new (Object.getPrototypeOf(decl).constructor)("c = log.push('c')", "");
			for (const f of [decl, expr, made]) { try { new f(); log.push("constructed"); } catch (e) { log.push(e.constructor.name); } }
			decl().next();
			console.log(log.join());`, "TypeError,TypeError,TypeError,a"},
		{"async generator wrong receiver", `
			const AGP = Object.getPrototypeOf(async function* () {}).prototype;
			console.log(await AGP.next.call({}).catch((e) => e.constructor.name));`, "TypeError"},
		{"using declaration", `
			const log = [];
			{
				using res = { [Symbol.dispose]() { log.push("disposed") } };
				log.push("body");
			}
			console.log(log.join(","));`, "body,disposed"},
		{"using declarations with DisposableStack and errors", `
			const log = [];
			try {
				using stack = new DisposableStack();
				stack.defer(() => { throw new Error("b") });
				using a = { [Symbol.dispose]() { log.push("a") } };
				throw new Error("body");
			} catch (e) {
				log.push(e instanceof SuppressedError, e.error.message, e.suppressed.message);
			}
			console.log(log.join(","));`, "a,true,b,body"},
		{"await using declaration", `
			const log = [];
			{
				await using res = { async [Symbol.asyncDispose]() { await null; log.push("disposed") } };
				log.push("body");
			}
			console.log(log.join(","));`, "body,disposed"},
		{"decorators", `
			const seen = [];
			function tag(value, ctx) { seen.push(ctx.kind + ":" + String(ctx.name)); return value }
			class A { @tag m() { return 1 } }
			console.log(seen.join(","), new A().m());`, "method:m 1"},
		{"top-level await", `
			const v = await new Promise((r) => setTimeout(() => r(42), 1));
			console.log(v);
			export {};`, "42"},
		{"function in a block of direct eval code in a function, classic script", `
			var init, changed;
			(function () { eval("init = f; f = 123; changed = f; { function f() {} }"); })();
			console.log(init, changed, typeof f);`, "undefined 123 undefined"},
		{"direct eval of source goja's parser panics on, with an HTML-like comment, classic script", `
			console.log(eval("'\\u{10FFFF}'.length <!-- a comment"), (0, eval)("--> a comment\n2"));`, "2 2"},
		{"regexp d flag", `
			console.log(new RegExp("a", "d").hasIndices, /b/d.exec("ab").indices[0].join());`, "true 1,2"},
		{"regexp duplicate named groups", `
			console.log(new RegExp("(?:(?<n>a)|(?<n>b))\\k<n>").exec("bb").groups.n);`, "b"},
		{"regexp literals goja rejects", `
			const f = () => [/(?i:a)b/.test("Ab"), /[\p{L}--[a-z]]/v.test("a"), /(?<n>a)|(?<n>b)/.exec("b").groups.n];
			console.log(f().join(), String(f).includes("/(?i:a)b/"));`, "true,false,b true"},
		{"regexp literals goja rejects, classic script", `
			function f() { return [/(?i:a)b/.test("Ab"), /\p{Lu}/v.test("A"), /b/d.exec("ab").indices[0].join()]; }
			console.log(f().join(), String(f).includes("/\\p{Lu}/v"));`, "true,true,1,2 true"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			name := "test.mjs"
			if strings.HasSuffix(c.name, "classic script") {
				name = "test.js"
			}
			r := runSrc(t, name, c.src, Options{})
			if r.err != nil {
				t.Fatalf("run: %v\n%s", r.err, r.stderr)
			}
			if got := strings.TrimSpace(r.stdout); got != c.want {
				t.Errorf("stdout %q, want %q", got, c.want)
			}
		})
	}
}
