package loader

import (
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// TestCompileClassicLowers checks that a fetched classic script with syntax
// goja lacks is lowered as a user's script is, keeping classic semantics and
// positions in the original source.
func TestCompileClassicLowers(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"for await", `var out = [];
(async () => { for await (const x of [Promise.resolve(1), 2]) out.push(x); })();`, "1,2"},
		{"async generator", `var out = [];
async function* g() { yield 1; yield await 2; }
(async () => { for await (const x of g()) out.push(x); })();`, "1,2"},
		{"sloppy this is global", `var out = [];
(async () => { for await (const x of [1]) out.push(this === globalThis); })();`, "true"},
	}
	for _, c := range cases {
		prg, err := CompileClassic("http://example.test/"+c.name+".js", c.src)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		vm := goja.New()
		if _, err := vm.RunProgram(prg); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := vm.Get("out").String(); got != c.want {
			t.Errorf("%s: out is %s, want %s", c.name, got, c.want)
		}
	}
}

// TestCompileClassicLoweredPositions checks that stack traces of a lowered
// script name the script's URL and its original lines.
func TestCompileClassicLoweredPositions(t *testing.T) {
	const url = "http://example.test/lowered.js"
	src := "async function* g() {}\n\nfunction f() {\n  throw new Error('x');\n}\ntry { f(); } catch (e) { var stack = e.stack; }\n"
	prg, err := CompileClassic(url, src)
	if err != nil {
		t.Fatal(err)
	}
	vm := goja.New()
	if _, err := vm.RunProgram(prg); err != nil {
		t.Fatal(err)
	}
	if stack := vm.Get("stack").String(); !strings.Contains(stack, url+":4:") {
		t.Errorf("stack %q does not name %s line 4", stack, url)
	}
}

// TestCompileClassicSyntaxError checks that a script neither goja nor
// esbuild takes keeps goja's syntax error.
func TestCompileClassicSyntaxError(t *testing.T) {
	_, err := CompileClassic("http://example.test/bad.js", "var a = ;")
	if err == nil || !strings.Contains(err.Error(), "Unexpected token") {
		t.Errorf("got %v, want goja's syntax error", err)
	}
}

// TestCompileClassicModuleSyntax checks that import.meta and module
// declarations in a script that esbuild lowers (an async generator) are
// syntax errors, not an empty object and CommonJS.
func TestCompileClassicModuleSyntax(t *testing.T) {
	for _, src := range []string{
		"(async function* f() { import.meta })",
		"(async function* f(a = import.meta) {})",
		"export const x = 1; (async function* f() {})",
		"import x from 'y'; (async function* f() {})",
	} {
		if _, err := CompileClassic("", src); err == nil {
			t.Errorf("%s: compiled, want a syntax error", src)
		}
	}
	if _, err := CompileClassic("", "(async function* f() { await import('x') })"); err != nil {
		t.Errorf("import() in a lowered script: %v", err)
	}
}
