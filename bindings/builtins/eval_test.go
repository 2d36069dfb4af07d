package builtins

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/directeval"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// runRewritten runs src as the loader compiles scripts: its direct eval calls
// rewritten.
func runRewritten(vm *goja.Runtime, src string) string {
	prg, err := parser.ParseFile(nil, "", src, 0)
	if err != nil {
		return err.Error()
	}
	if err := directeval.Rewrite(prg); err != nil {
		return err.Error()
	}
	p, err := goja.CompileAST(prg, false)
	if err != nil {
		return err.Error()
	}
	v, err := vm.RunProgram(p)
	if err != nil {
		return err.Error()
	}
	return v.String()
}

// TestEval checks that eval, direct or indirect, runs source with
// \u{10FFFF} in its literals, that direct eval keeps its scope, and that
// %eval% stays out of script's reach.
func TestEval(t *testing.T) {
	vm := newVM(t, Options{DynamicFunctions: true})
	for _, c := range []struct{ src, want string }{
		{`eval('"\\u{10FFFF}"').length`, "2"},
		{`(0, eval)('"\\u{10FFFF}"').length`, "2"},
		{`eval('eval(\'"\\\\u{10FFFF}"\')').length`, "2"},
		{`(0, eval)('eval(\'"\\\\u{10FFFF}"\')').length`, "2"},
		{`new Function('return eval(\'"\\\\u{10FFFF}"\')')().length`, "2"},
		{`(function () { "use strict"; return eval('"\\u{10FFFF}" + 1') })().length`, "3"},
		{"eval('`\\\\u{10FFFF}${1}`').length", "3"},
		// Direct eval keeps its scope; indirect eval has the global one.
		{`(function () { var a = 1; return eval("a + 1") })()`, "2"},
		{`(function () { var a = 1; return eval("eval('a')") })()`, "1"},
		{`(function () { var a = 1; return (0, eval)("typeof a") })()`, "undefined"},
		{`(function () { eval("var v = 3"); return v })()`, "3"},
		{`new Function("x", "return eval('x')")(4)`, "4"},
		{`new Function("x = eval('5')", "return x")()`, "5"},
		{`(function (eval) { return eval("s") })(s => s + "!")`, "s!"},
		{`(function () { const e = eval; var a = 1; return e("typeof a") })()`, "undefined"},
		// Arguments are evaluated once, in order; a spread gives the source.
		{`var log = []; eval((log.push(1), "log.push(2)"), log.push(3)); log.join()`, "1,3,2"},
		{`eval(...["6", 7])`, "6"},
		{`[eval(), eval(8), eval({}) instanceof Object].join()`, ",8,true"},
		// The global eval is the replacement, before, during and after.
		{`[eval === globalThis.eval, eval("globalThis.eval") === eval, globalThis.eval === eval].join()`, "true,true,true"},
		{`const d = Object.getOwnPropertyDescriptor(globalThis, "eval"); [d.writable, d.enumerable, d.configurable, eval.name, eval.length, String(eval)].join()`, "true,false,true,eval,1,function eval() { [native code] }"},
		{`try { new eval("1") } catch (e) { e.name }`, "TypeError"},
		// The hooks cannot be named.
		{`try { eval("` + directeval.Hooks + `") } catch (e) { e.name }`, "SyntaxError"},
		{`try { (0, eval)("` + directeval.Hooks + `.enter()") } catch (e) { e.name }`, "SyntaxError"},
		{`try { eval("var ` + strings.Replace(directeval.Hooks, "_", `\\u005f`, 1) + `") } catch (e) { e.name }`, "SyntaxError"},
		{`try { Function("return ` + directeval.Hooks + `") } catch (e) { e.name }`, "SyntaxError"},
		// A literal the escape rewrite misjudges, for goja's parser to
		// panic on: a SyntaxError.
		{`var o = { return: 2 }; try { eval("o.return / '\\u{10FFFF}'.length") } catch (e) { e.name }`, "SyntaxError"},
		{`try { (0, eval)("o.return / '\\u{10FFFF}'.length") } catch (e) { e.name }`, "SyntaxError"},
		{`try { eval("}") } catch (e) { e.name }`, "SyntaxError"},
	} {
		if got := runRewritten(vm, c.src); got != c.want {
			t.Errorf("%s: got %q, want %q", c.src, got, c.want)
		}
	}
	if got := runRewritten(vm, directeval.Hooks); !strings.Contains(got, "reserved") {
		t.Errorf("a script naming the hooks: got %q, want it refused", got)
	}
	// A global eval that script replaced is called as any function.
	for _, c := range []struct{ src, want string }{
		{`globalThis.eval = (s) => "mine " + s; eval("1")`, "mine 1"},
		{`Object.defineProperty(globalThis, "eval", { get: () => (s) => "got " + s, configurable: true }); eval("2") + " " + typeof Object.getOwnPropertyDescriptor(globalThis, "eval").get`, "got 2 function"},
		{`const w = eval; Object.defineProperty(globalThis, "eval", { get: () => (s) => "got " + s, configurable: true }); Object.prototype.value = w; Object.prototype.writable = true; eval("3") + " " + typeof Object.getOwnPropertyDescriptor(globalThis, "eval").get`, "got 3 function"},
	} {
		if got := runRewritten(newVM(t, Options{DynamicFunctions: true}), c.src); got != c.want {
			t.Errorf("%s: got %q, want %q", c.src, got, c.want)
		}
	}
}

// TestEvalRestoredAfterUnwinding checks that an interrupt between the
// hooks' enter and leave does not leave goja's eval as the global eval
// once script runs again.
func TestEvalRestoredAfterUnwinding(t *testing.T) {
	vm := goja.New()
	loop := eventloop.New(vm, eventloop.Options{OnException: func(*goja.Exception) {}})
	defer loop.Close()
	env := bindings.NewEnv(webidl.NewRealm(vm), loop)
	bindings.Configure(env, Options{DynamicFunctions: true})
	if err := bindings.Install(env, Binding); err != nil {
		t.Fatal(err)
	}
	replacement := vm.Get("eval")
	// What a rewritten call does up to the callee's lookup, then a loop
	// standing for an interrupt that lands there.
	loop.Queue(func() {
		_, _ = loop.RunProgram(goja.MustCompile("s.js", directeval.Hooks+".enter(); for (;;) {}", false))
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_ = loop.Run(ctx)
	var after goja.Value
	loop.Queue(func() { after = vm.Get("eval") })
	if err := loop.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if after != replacement {
		t.Error("the global eval is goja's own after the interrupt")
	}
}

// TestEvalRunningPanicGoesOn checks that a Go panic in a built-in that code
// eval runs is not taken for one of goja's parser: it goes on up, as from
// any script, and is no SyntaxError the script could catch.
func TestEvalRunningPanicGoesOn(t *testing.T) {
	vm := newVM(t, Options{DynamicFunctions: true})
	if err := vm.Set("boom", func() { var m map[string]int; m["x"] = 1 }); err != nil {
		t.Fatal(err)
	}
	got := func() (p any) {
		defer func() { p = recover() }()
		_, _ = vm.RunString(`try { (0, eval)("boom()") } catch (e) { e.name }`)
		return nil
	}()
	if got == nil {
		t.Fatal("the panic of a built-in run by eval code was caught")
	}
	if _, err := vm.RunString(`(0, eval)("1 + 1")`); err != nil {
		t.Errorf("eval after a parse: %v", err)
	}
}
