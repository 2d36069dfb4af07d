package loader

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSourceText checks that functions in scripts esbuild prints keep the
// source text they were written with (see sourcetext.go).
func TestSourceText(t *testing.T) {
	dir := t.TempDir()
	lib := "export function lib( /* x */ a ) { return a }\n"
	if err := os.WriteFile(filepath.Join(dir, "lib.js"), []byte(lib), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, src, want string }{
		{"function.mjs", "import { lib } from './lib.js';\nfunction f(/*a*/ a,   b) { return a+b /* c */ }\nglobalThis.out = [f, lib];",
			"function f(/*a*/ a,   b) { return a+b /* c */ }|function lib( /* x */ a ) { return a }"},
		{"class.mjs", "export {};\nclass K { m() { return 1 }  get  x() { return 2 } }\nglobalThis.out = [K, K.prototype.m, (a) => { return a }];",
			"class K { m() { return 1 }  get  x() { return 2 } }|m() { return 1 }|(a) => { return a }"},
		{"lowered.mjs", "export {};\nconst g = async function* gen( ) { yield 1 };\nconst o = { async /* a */ * /* b */ h() {}, async * [ /* c */ 'i' ]() {} };\nglobalThis.out = [g, o.h, o.i];",
			"async function* gen( ) { yield 1 }|async /* a */ * /* b */ h() {}|async * [ /* c */ 'i' ]() {}"},
		{"script.js", "const g = async function* ( ) { yield 1 };\nglobalThis.out = [g];", "async function* ( ) { yield 1 }"},
		{"types.ts", "function t(a: number) { return a }\nglobalThis.out = [t];", "function t(a) {\n  return a;\n}"},
	}
	for _, c := range cases {
		vm := loadAndRun(t, dir, c.name, c.src)
		if vm == nil {
			continue
		}
		v, err := vm.RunString(`out.map(String).join("|")`)
		if err != nil {
			t.Fatal(err)
		}
		if g := v.String(); g != c.want {
			t.Errorf("%s: got %q, want %q", c.name, g, c.want)
		}
	}
}
