package directeval

import (
	"errors"
	"strings"
	"testing"

	"github.com/dop251/goja/parser"
)

// TestRewriteSource checks the text each kind of call is rewritten into,
// and the calls left as they are.
func TestRewriteSource(t *testing.T) {
	const (
		enter  = Hooks + ".enter(), "
		source = Hooks + ".source(" + Hooks + ".leave(eval), "
	)
	for _, c := range []struct{ src, want string }{
		{`eval(s)`, enter + `eval(` + source + `s))`},
		{`x = eval(s, t)`, `x = (` + enter + `eval(` + source + `s, t)))`},
		{`f(eval())`, `f((` + enter + `eval(` + source + `))))`},
		{`eval(...a)`, enter + `eval(` + source + `...a))`},
		{`eval(eval(s))`, enter + `eval(` + source + `(` + enter + `eval(` + source + `s)))))`},
		{`eval(eval())`, enter + `eval(` + source + `(` + enter + `eval(` + source + `)))))`},
		{"a\neval(s)", "a\n" + enter + `eval(` + source + `s))`},
		{`if (a) eval(s); else b`, `if (a) ` + enter + `eval(` + source + `s)); else b`},
		{`(eval(s)).x`, `(` + enter + `eval(` + source + `s))).x`},
		{`() => eval(s)`, `() => (` + enter + `eval(` + source + `s)))`},
		{`eval (s)`, enter + `eval (` + source + `s))`},
		{"`${eval(s)}`", "`${(" + enter + `eval(` + source + "s)))}`"},
		// Left as they are.
		{`o.eval(s)`, ``},
		{`eval?.(s)`, ``},
		{`(eval)(s)`, ``},
		{`eval/**/(s)`, ``},
		{`ev\u0061l(s)`, ``},
		{`new eval(s)`, ``},
		{"eval`s`", ``},
		{`({ eval(s) { return s } })`, ``},
		{`with (o) eval(s)`, ``},
		{`with (o) { f(() => eval(s)) }`, ``},
		{`let eval = f; eval(s)`, ``},
		{`function f(a = eval(s), eval) {}`, ``},
		{`function f({ eval }) { eval(s) }`, ``},
		{`for (const eval of a) eval(s)`, ``},
	} {
		prg, err := parser.ParseFile(nil, "", c.src, 0)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		ins, err := RewriteSource(c.src, prg)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		want := c.want
		if want == "" {
			want = c.src
		}
		if got := Apply(c.src, 0, ins); got != want {
			t.Errorf("%s:\n got %s\nwant %s", c.src, got, want)
		}
		if _, err := parser.ParseFile(nil, "", Apply(c.src, 0, ins), 0); err != nil {
			t.Errorf("%s: the rewritten source does not parse: %v", c.src, err)
		}
	}
}

// TestReserved checks that a script naming the hooks is refused, however
// it names them.
func TestReserved(t *testing.T) {
	for _, src := range []string{
		Hooks,
		Hooks + ".enter()",
		`var ` + Hooks + ` = 1`,
		`function f(` + Hooks + `) {}`,
		`({ ` + Hooks + ` })`,
		`o.` + Hooks,
		strings.Replace(Hooks, "e", `\u0065`, 1),
	} {
		prg, err := parser.ParseFile(nil, "", src, 0)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		var re *ReservedError
		if _, err := RewriteSource(src, prg); !errors.As(err, &re) {
			t.Errorf("%s: got %v, want a *ReservedError", src, err)
		}
		if err := Rewrite(prg); !errors.As(err, &re) {
			t.Errorf("%s: Rewrite got %v, want a *ReservedError", src, err)
		}
	}
}
