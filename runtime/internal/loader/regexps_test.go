package loader

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/dop251/goja"
)

// TestRegExpEarlyErrors checks that a regular expression literal with an
// early error fails the load as a syntax error at the literal, in a script
// goja parses as it is, in one esbuild lowers or bundles (where the literal
// may have become a RegExp call) and in a fetched classic script, even where
// it is never evaluated; and that valid literals and RegExp calls written as
// such load.
func TestRegExpEarlyErrors(t *testing.T) {
	cases := []struct {
		name, src string
		// want is the problem's text, line and column; "" if it loads.
		want         string
		line, column int
	}{
		{"x.js", "function f() { return /(/; }", "Invalid regular expression: /(/: Unterminated group", 1, 23},
		{"x.js", "var s = 'é';\nif (false) /\\p{Foo}/u;", "Invalid regular expression: /\\p{Foo}/u: Invalid property name", 2, 12},
		{"x.js", "/a/uv", "Invalid regular expression flags", 1, 1},
		{"x.js", "/a/gig", "Invalid regular expression flags", 1, 1},
		{"x.js", "x = 1 / 2; y = [/[a&&&b]/v];", "Invalid regular expression: /[a&&&b]/v: Invalid set operation in character class", 1, 17},
		{"x.js", "var x = 1;\nvar y = /[", "Invalid regular expression: missing /", 2, 9}, // goja's parser takes it
		{"x.js", "function f() { return /(?<a>.)(?<a>.)/; }", "Invalid regular expression: /(?<a>.)(?<a>.)/: Duplicate capture group name", 1, 23},
		{"x.mjs", "export const a = 1;\nexport function f() { return /\\p{Foo}/v; }", "Invalid regular expression: /\\p{Foo}/v: Invalid property name", 2, 30},
		{"x.mjs", "export const a = 1;\nexport function f() { return /a{2,1}/; }", "Invalid regular expression: /a{2,1}/: numbers out of order in {} quantifier", 2, 30},
		{"x.ts", "const n: number = 1;\nexport const f = (): RegExp => /[\\q{a}]/u;", "Invalid regular expression: /[\\q{a}]/u: Invalid escape", 2, 32},
		{"x.js", "var r = [/\\p{L}/v, /a/d, /(?<a>x)|(?<a>y)/, /\\p{Script=Greek}/u, /[\\p{L}--[a-z]]/v, /(?i:a)/];", "", 0, 0},
		{"x.mjs", "export const r = [/\\p{L}/v, /a/d, /\\p{Lu}/u];", "", 0, 0},
		{"x.mjs", "export function f() { return [new RegExp('('), new RegExp('\\\\p{Foo}', 'u'), /\\p{L}/u]; }", "", 0, 0},
		{"x.js", "function f() { return [new RegExp('('), new RegExp('a', 'uv')]; }", "", 0, 0},
	}
	dir := t.TempDir()
	for _, c := range cases {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, []byte(c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		src, err := ReadSource(path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Load(&Config{Dir: dir}, src)
		checkRegExpError(t, c.name+": "+c.src, err, path, c.want, c.line, c.column)
		if c.name == "x.js" {
			_, err := CompileClassic("http://example.test/x.js", c.src)
			checkRegExpError(t, "classic: "+c.src, err, "http://example.test/x.js", c.want, c.line, c.column)
		}
	}
}

func checkRegExpError(t *testing.T, what string, err error, file, want string, line, column int) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
		return
	}
	var le *LoadError
	if !errors.As(err, &le) || len(le.Problems) != 1 {
		t.Errorf("%s: got %v, want one problem", what, err)
		return
	}
	p := le.Problems[0]
	if p.Text != want || p.File != file || p.Line != line || p.Column != column {
		t.Errorf("%s: got %s:%d:%d: %s\nwant %s:%d:%d: %s", what, p.File, p.Line, p.Column, p.Text, file, line, column, want)
	}
}

// TestRegExpLiteralsRun checks that the literals goja compiles and those
// esbuild lowers still run once checked.
func TestRegExpLiteralsRun(t *testing.T) {
	dir := t.TempDir()
	src, err := NewSource("x.js", filepath.Join(dir, "x.js"), `[/a(b)/.exec("ab")[1], /\p{Lu}/u.source, new RegExp("x", "g").flags].join()`, false)
	if err != nil {
		t.Fatal(err)
	}
	l, err := Load(&Config{Dir: dir}, src)
	if err != nil {
		t.Fatal(err)
	}
	v, err := goja.New().RunProgram(l.Program)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := v.String(), `b,\p{Lu},g`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
