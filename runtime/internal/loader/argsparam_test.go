package loader

import (
	"strings"
	"testing"
)

// TestHideArgumentsParams checks which parameters esbuild is given renamed.
func TestHideArgumentsParams(t *testing.T) {
	const A = argumentsStandIn
	for _, c := range []struct{ src, want string }{
		{`async function* f(p = eval(""), arguments) {}`, `async function* f(p = eval(""), ` + A + `) {}`},
		{`(async function* (arguments, q = g()) { arguments })`, `(async function* (` + A + `, q = g()) { arguments })`},
		{`({ async *m({ a: arguments }, ...[b]) {} })`, `({ async *m({ a: ` + A + ` }, ...[b]) {} })`},
		{`class C { static async *m([arguments] = []) {} }`, `class C { static async *m([` + A + `] = []) {} }`},
		{`async function* f(...arguments) { for await (const x of arguments); }`, `async function* f(...` + A + `) { for await (const x of arguments); }`},
		{`async function f(arguments) {}`, `async function f(` + A + `) {}`},
		{"({ async *m(arguments) { yield; yield\n1; yield* g(); yield await 2 } })", "({ async *m(" + A + ") { yield; yield\n1; yield* g(); yield await 2 } })"},
		// Left as they are.
		{`function* f(arguments) {}`, ``},
		{`async function* f({ arguments }) {}`, ``},
		{`async function* f(arguments) { ` + A + ` }`, ``},
		{`async function* f(\u0061rguments) {}`, ``},
		{`async function* f(arguments) { import("x") } export {}`, ``},
	} {
		want := c.want
		if want == "" {
			want = c.src
		}
		if got := hideArgumentsParams(c.src); got != want {
			t.Errorf("%s:\n got %s\nwant %s", c.src, got, want)
		}
	}
}

// TestArgumentsParams runs async generators whose parameters bind
// arguments, which esbuild panicked on where it moved the parameters into
// the generator it lowers them to.
func TestArgumentsParams(t *testing.T) {
	vm := loadAndRun(t, t.TempDir(), "args.js", `
		var got = globalThis.got = [];
		async function* f(p = String(0), arguments) { yield arguments; yield p }
		var g = async function* (arguments, q = (() => { throw 1 })) { yield arguments };
		var o = { async *m({ a: arguments }, p = 0) { yield arguments } };
		(async () => {
			for await (const v of f(undefined, "a")) got.push(v);
			for await (const v of g("b")) got.push(v);
			for await (const v of o.m({ a: "c" })) got.push(v);
			got.push(f.length, g.length, o.m.length, String(f).includes("arguments) {"));
		})().catch((e) => got.push(String(e)));`)
	if vm == nil {
		return
	}
	if got, want := vm.Get("got").String(), "a,0,b,c,0,1,1,true"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if strings.Contains(vm.Get("got").String(), argumentsStandIn) {
		t.Error("the stand-in shows")
	}
}
