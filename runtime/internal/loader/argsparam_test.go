package loader

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/dop251/goja"
)

// TestHideArgumentsParams checks which parameters esbuild is given renamed.
func TestHideArgumentsParams(t *testing.T) {
	const A = argumentsStandIn
	for _, c := range []struct{ src, want string }{
		{`async function* f(p = eval(""), arguments) {}`, `async function* f(p = eval(""), ` + A + `) {}`},
		{`(async function* (arguments, q = g()) { arguments })`, `(async function* (` + A + `, q = g()) { arguments })`},
		{`({ async *m({ a: arguments }, ...[b]) {} })`, `({ async *m({ a: ` + A + ` }, ...[b]) {} })`},
		{`async function* f(...arguments) { for await (const x of arguments); }`, `async function* f(...` + A + `) { for await (const x of arguments); }`},
		{`async function* g() {} async function f(arguments) {}`, `async function* g() {} async function f(` + A + `) {}`},
		{"({ async *m(arguments) { yield; yield\n1; yield* g(); yield await 2 } })", "({ async *m(" + A + ") { yield; yield\n1; yield* g(); yield await 2 } })"},
		// Left as they are.
		{`function* f(arguments) {}`, ``},
		{`async function f(arguments) {}`, ``},
		{`"use strict"; async function* f(arguments) {}`, ``},
		{`async function* f(arguments) { "use strict" }`, ``},
		{`class C { async *m(arguments) {} }`, ``},
		{`async function* f(arguments) { async function* g(arguments) { "use strict" } }`, `async function* f(` + A + `) { async function* g(arguments) { "use strict" } }`},
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

// FuzzHideArgumentsParams checks that the renaming keeps the text's length
// in UTF-16 code units, which the source map's columns count.
func FuzzHideArgumentsParams(f *testing.F) {
	f.Add(`async function* f(p = g(), arguments) { yield arguments }`)
	f.Add("({ async *m([arguments]) { yield* arguments; for await (x of y); } })")
	f.Fuzz(func(t *testing.T, text string) {
		got := hideArgumentsParams(text)
		if n, m := len(utf16.Encode([]rune(got))), len(utf16.Encode([]rune(text))); n != m {
			t.Errorf("%q: %d UTF-16 code units, %q has %d", got, n, text, m)
		}
	})
}

// TestMemoryEntryOverDiskFile checks that an entry held in memory is
// loaded, not the file on disk at its path, which the step that reads files
// for hideArgumentsParams could take instead.
func TestMemoryEntryOverDiskFile(t *testing.T) {
	dir := t.TempDir()
	const gen = `; async function* f(p = g(), arguments) {}`
	path := filepath.Join(dir, "entry.js")
	if err := os.WriteFile(path, []byte(`globalThis.got = "disk"`+gen), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, module := range []bool{false, true} {
		src, err := NewSource("entry.js", path, `globalThis.got = "memory"`+gen, false)
		if err != nil {
			t.Fatal(err)
		}
		s, err := Load(&Config{Dir: dir, Module: module}, src)
		if err != nil {
			t.Fatal(err)
		}
		vm := goja.New()
		if _, err := vm.RunProgram(s.Program); err != nil {
			t.Fatal(err)
		}
		if got := vm.Get("got").String(); got != "memory" {
			t.Errorf("Module %v: got %q, want memory", module, got)
		}
	}
}
