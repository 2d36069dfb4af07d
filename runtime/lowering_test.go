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
