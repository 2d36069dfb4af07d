package blockfunc

import (
	"fmt"
	"testing"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
)

// run runs the scripts one after the other in a realm with the hooks (or
// without, when hooks is false), each rewritten as the script loader does,
// and returns the last one's completion value as a string, or its error's.
func run(t *testing.T, hooks bool, scripts ...string) string {
	t.Helper()
	vm := goja.New()
	if hooks {
		if err := Install(vm); err != nil {
			t.Fatal(err)
		}
	}
	var v goja.Value
	for _, src := range scripts {
		prg, err := parser.ParseFile(nil, "", src, 0)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		Rewrite(prg, false)
		p, err := goja.CompileAST(prg, false)
		if err != nil {
			return err.Error()
		}
		if v, err = vm.RunProgram(p); err != nil {
			if e, ok := err.(*goja.Exception); ok {
				return e.Value().ToObject(vm).Get("name").String()
			}
			return err.Error()
		}
	}
	return v.String()
}

// TestSemantics runs code with function declarations in blocks.
func TestSemantics(t *testing.T) {
	cases := []struct {
		scripts []string
		want    string
	}{
		// Global code: the var exists before the block runs.
		{[]string{`var before = typeof f; { function f() { return 1 } } [before, f()].join()`}, "undefined,1"},
		{[]string{`{ function f() {} } var d = Object.getOwnPropertyDescriptor(globalThis, "f"); [d.enumerable, d.writable, d.configurable].join()`}, "true,true,false"},
		{[]string{`1; { function f() {} }`}, "1"},
		{[]string{`var r = []; for (var i = 0; i < 2; i++) { function f() { return i } r.push(f()) } r.join() + typeof f`}, "0,1function"},
		{[]string{`if (false) function f() {} [typeof f, "f" in globalThis].join()`}, "undefined,true"},
		// A global lexical declaration of the name keeps the var away.
		{[]string{`let f = 1;`, `{ function f() { return 2 } } f`}, "1"},
		{[]string{`{ function f() {} }`, `let f;`}, "SyntaxError"},
		{[]string{`Object.preventExtensions(globalThis)`, `{ function f() {} } typeof f`}, "undefined"},
		{[]string{`Object.preventExtensions(globalThis); { function f() {} } typeof f`}, "function"},
		{[]string{`Object.defineProperty(globalThis, "f", { value: 0, writable: true, enumerable: false, configurable: false })`,
			`{ function f() { return "inner" } } var d = Object.getOwnPropertyDescriptor(globalThis, "f"); [f(), d.enumerable, d.configurable].join()`}, "inner,false,false"},
		{[]string{`Object.defineProperty(globalThis, "f", { value: 0, writable: false, configurable: false })`, `{ function f() {} } f`}, "0"},
		// Function code.
		{[]string{`(function() { var before = f; { function f() { return 1 } } return [before, f()].join() })()`}, ",1"},
		{[]string{`(function() { { function f() { return 1 } f = 2; } return typeof f })()`}, "function"},
		{[]string{`(function(f) { { function f() {} } return f })(5)`}, "5"},
		{[]string{`(function() { if (true) function f() { return "a" } return f() })()`}, "a"},
		{[]string{`(function() { if (false) function f() {} return f })()`}, "undefined"},
		{[]string{`(function() { switch (1) { case 1: function f() { return 1 } } return f() })()`}, "1"},
		{[]string{`(function() { let f = 0; { function f() {} } return f })()`}, "0"},
		{[]string{`(() => { { function f() { return 3 } } return f() })()`}, "3"},
		{[]string{`(function() { var f = 1; { function f() { return 2 } } return f() })()`}, "2"},
		{[]string{`(function() { function f() { return "outer" } { function f() { return "inner" } } return f() })()`}, "inner"},
		{[]string{`(function() { { function v() { return 7 } } return v() })()`}, "7"},
		{[]string{`(function() { try { throw 1 } catch (f) { { function f() { return 8 } } } return f() })()`}, "8"},
		{[]string{`function h() { { function f() {} } } h.toString()`}, "function h() { { function f() {} } }"},
		// Direct eval.
		{[]string{`try { eval("if (true) function* f() {}") } catch (e) { e.name }`}, "SyntaxError"},
		{[]string{`(function() { eval("{ function f() { return 4 } }"); return f() })()`}, "4"},
		{[]string{`eval("{ function g() { return 5 } }"); [g(), Object.getOwnPropertyDescriptor(globalThis, "g").configurable].join()`}, "5,true"},
		{[]string{`(function() { { let f = 1; eval("{ function f() {} }"); } return typeof f })()`}, "undefined"},
		{[]string{`(function(f) { eval("{ function f() { return 9 } }"); return f() })(1)`}, "9"},
		{[]string{`eval("1; { function f() {} }")`}, "1"},
		{[]string{`eval("'x'; { function f() {} }")`}, "x"},
		{[]string{`eval("(function() { { function f() { return 6 } } return f() })()")`}, "6"},
		{[]string{`eval("if (true) function f() { return 10 }"); f()`}, "10"},
		{[]string{`(function() { var eval = (s) => s; return eval("{ function f() {} }") })()`}, "{ function f() {} }"},
		{[]string{`(function() { "use strict"; eval("{ function f() {} }"); return typeof f })()`}, "undefined"},
		{[]string{`let f = 1;`, `eval("{ function f() {} }"); f`}, "1"},
		// A var declaration of a catch parameter's name assigns the parameter.
		{[]string{`(function() { try { throw 1 } catch (e) { var e = 2; } return e })()`}, "undefined"},
		{[]string{`(function() { try { throw 1 } catch (e) { var a = 1, e = 2, b = e; return [a, e, b].join() } })()`}, "1,2,2"},
		{[]string{`var r = []; try { throw "x" } catch (err) { r.push(err); for (var err = "l"; err !== "i"; err = "i") { r.push(err) } r.push(err) } r.join()`}, "x,l,i"},
		{[]string{`(function() { try { throw 0 } catch (k) { for (var k in { a: 1 }) {} for (var k; false;) {} return k } })()`}, "a"},
		{[]string{`"use strict"; (function() { try { throw 1 } catch (e) { if (true) var e = 2; return e } })()`}, "2"},
		{[]string{`try { throw 1 } catch (e) { var e; } typeof e`}, "undefined"},
	}
	for _, c := range cases {
		if got := run(t, true, c.scripts...); got != c.want {
			t.Errorf("%q: got %s, want %s", c.scripts, got, c.want)
		}
	}
}

// TestWithoutHooks checks that a realm without the hooks runs rewritten
// scripts as goja alone would, but for function code, which needs none.
func TestWithoutHooks(t *testing.T) {
	cases := []struct{ src, want string }{
		{`{ function f() { return 1 } } typeof f`, "undefined"},
		{`eval("{ function g() {} }"); [eval("1 + 1"), typeof g].join()`, "2,undefined"},
		{`(function() { { function f() { return 3 } } return f() })()`, "3"},
	}
	for _, c := range cases {
		if got := run(t, false, c.src); got != c.want {
			t.Errorf("%s: got %s, want %s", c.src, got, c.want)
		}
	}
}

// FuzzRewrite checks that a script goja compiles still compiles once
// rewritten.
func FuzzRewrite(f *testing.F) {
	for _, s := range []string{
		`{ function f() {} }`, `if (a) function f() {} else function g() {}`, `switch (x) { case 1: function f() {} }`,
		`(function (a = 1) { { function b() {} } })`, `x => { { function f() {} } }`, `eval("x"); eval(...a)`,
		`try {} catch (e) { { function e() {} } }`, `label: { function f() {} }`, `function g() { "use strict"; { function f() {} } }`,
		`try {} catch (e) { var e = 1, [a] = e; for (var e in x); for (var a, e;;); if (x) var e; }`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		parse := func() *ast.Program {
			prg, err := parser.ParseFile(nil, "", src, 0, parser.WithDisableSourceMaps)
			if err != nil {
				return nil
			}
			return prg
		}
		prg := parse()
		if prg == nil || compiles(prg) != nil {
			return
		}
		prg = parse()
		Rewrite(prg, false)
		if err := compiles(prg); err != nil {
			t.Fatalf("%q: %v", src, err)
		}
	})
}

// compiles compiles prg, turning a panic of goja's compiler into an error.
func compiles(prg *ast.Program) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("goja panicked: %v", p)
		}
	}()
	_, err = goja.CompileAST(prg, false)
	return err
}
