package loader

import "testing"

// TestArrowSource checks that an arrow function's toString is its exact
// source text when its concise body ends in parentheses, which goja's parser
// leaves out (see arrowsource.go), in scripts Load runs as they are and in
// scripts CompileClassic compiles.
func TestArrowSource(t *testing.T) {
	cases := []struct{ src, want string }{
		{`(() => ({a:1})).toString()`, `() => ({a:1})`},
		{`(() => (1)).toString()`, `() => (1)`},
		{`[() => (a) + (b /* c */ ) ][0].toString()`, `() => (a) + (b /* c */ )`},
		{"(x => (\")(\" + /\\)\\(/.source + `(${ \"(\" })`)).toString()", "x => (\")(\" + /\\)\\(/.source + `(${ \"(\" })`)"},
		{"(() => // )\n ( 1 )).toString()", "() => // )\n ( 1 )"},
		{`(async () => ((await 1))).toString()`, `async () => ((await 1))`},
		{`(() => (() => (2)))().toString()`, `() => (2)`},
		{`String(f => (f)(f))`, `f => (f)(f)`},
		{`String((f) => f(f))`, `(f) => f(f)`},
		{`String(() => 1) + String(() => {})`, `() => 1() => {}`},
		// Last tokens goja's parser ends elsewhere (jsast.End).
		{"var f = () => /x/gi\nvar g = 1; f.toString()", `() => /x/gi`},
		{"[() => /x/g  , 1][0].toString()", `() => /x/g`},
		{"String(() => 진)", `() => 진`},
		{"String(() => 진진진)", `() => 진진진`},
		{"String(() => \\u{c9c4})", `() => \u{c9c4}`},
		{"class C { #x = 1; m() { return () => this.#x } }; String(new C().m())", `() => this.#x`},
	}
	for _, c := range cases {
		runClassic(t, c.src, c.want)
	}
}
