package loader

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTopLevelReturn checks that an entry with a return outside any function
// is a syntax error at the return, unless it is CommonJS by its name or by
// the names it uses, for runtimes (Module) and workers alike. Without
// strayReturn esbuild takes every such entry for CommonJS and it runs.
func TestTopLevelReturn(t *testing.T) {
	cases := []struct {
		name, src string
		at        string // "line:col" of the syntax error; empty if it loads
	}{
		{"a.js", "console.log(1);\nif (true) return;\n", "2:11"},
		{"a.js", "return", "1:1"},
		{"a.ts", "let n: number = 1;\nif (n) { return }\n", "2:10"},
		{"a.js", "async function* g() {}\n  return 1;\n", "2:3"},
		{"a.js", "x.module = 1;\nreturn;\n", "2:1"},
		{"a.js", "module.exports = 1;\nreturn;\n", ""},
		{"a.js", "exports.a = 1;\nif (true) return;\n", ""},
		{"a.js", "if (typeof require === 'function') return;\n", ""},
		{"a.cjs", "return;\n", ""},
		{"a.js", "function f() { return 1 }\n", ""},
	}
	dir := t.TempDir()
	for _, c := range cases {
		for _, module := range []bool{false, true} {
			src, err := NewSource(c.name, filepath.Join(dir, c.name), c.src, false)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(&Config{Dir: dir, Module: module}, src)
			switch {
			case c.at == "" && err != nil:
				t.Errorf("%s %q (Module %v): %v", c.name, c.src, module, err)
			case c.at != "" && (err == nil || !strings.Contains(err.Error(), c.name+":"+c.at+": Illegal return statement")):
				t.Errorf("%s %q (Module %v): got %v, want an illegal return at %s", c.name, c.src, module, err, c.at)
			}
		}
	}
}
