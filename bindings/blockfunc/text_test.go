package blockfunc

import (
	"strings"
	"testing"

	"github.com/dop251/goja/parser"
)

// TestRewriteEval checks the text eval code becomes.
func TestRewriteEval(t *testing.T) {
	cases := []struct{ src, want string }{
		{`{ function f() {} }`,
			`let $blockFunction$1 = null; try { eval("var f"); $blockFunction$1 = ($blockFunction$2) => { f = $blockFunction$2; }; } catch {}; ` +
				`{ function f() {} let $blockFunction$3 = $blockFunction$1 && $blockFunction$1(f); }`},
		{"#!x\nif (a) function f() {}",
			"#!x" + `let $blockFunction$1 = null; try { eval("var f"); $blockFunction$1 = ($blockFunction$2) => { f = $blockFunction$2; }; } catch {}; ` +
				"\nif (a) {function f() {} let $blockFunction$3 = $blockFunction$1 && $blockFunction$1(f);}"},
		{`function g(a) { "use asm"; { function a() {} function b() {} } }`,
			`function g(a) {var b; let $blockFunction$1 = ($blockFunction$2) => { b = $blockFunction$2; };  "use asm"; { function a() {} function b() {} let $blockFunction$3 = $blockFunction$1(b); } }`},
		{`$blockFunction; { function f() {} }`,
			`let $blockFunction$$1 = null; try { eval("var f"); $blockFunction$$1 = ($blockFunction$$2) => { f = $blockFunction$$2; }; } catch {}; ` +
				`$blockFunction; { function f() {} let $blockFunction$$3 = $blockFunction$$1 && $blockFunction$$1(f); }`},
		// The eval code's own eval would be called.
		{`var eval; { function f() {} }`, `var eval; { function f() {} }`},
		// Nothing to do.
		{`"use strict"; { function f() {} }`, `"use strict"; { function f() {} }`},
		{`function f() {} let x = { y() {} }`, `function f() {} let x = { y() {} }`},
		{`{ function f( }`, `{ function f( }`},
		{`x = 1`, `x = 1`},
	}
	for _, c := range cases {
		got, changed := RewriteEval(c.src)
		if got != c.want || changed != (c.src != c.want) {
			t.Errorf("%s:\ngot  %s (%v)\nwant %s", c.src, got, changed, c.want)
		}
	}
}

// FuzzRewriteEval checks that eval code goja parses still parses once
// rewritten, and is left as it is when it declares no function.
func FuzzRewriteEval(f *testing.F) {
	for _, s := range []string{
		`{ function f() {} }`, `if (a) function f() {} else function g() {}`, `switch (x) { case 1: function f() {} }`,
		`(function (a = 1) { "use asm"; { function b() {} } })`, "#!\n{ function f() {} }", `x => { { function f() {} } }`,
		`try {} catch (e) { { function e() {} } }`, `label: { function f() {} }`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if _, ok := parseEval(src); !ok {
			return
		}
		out, changed := RewriteEval(src)
		if !strings.Contains(src, "function") && (changed || out != src) {
			t.Fatalf("%q changed to %q", src, out)
		}
		if changed {
			if _, err := parser.ParseFile(nil, "", out, 0, parser.WithDisableSourceMaps); err != nil {
				t.Fatalf("%q became %q: %v", src, out, err)
			}
		}
	})
}
