package loader

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dop251/goja"
)

// TestGlobCharactersInNames checks that scripts whose file names have a '*'
// in them, which esbuild takes for a glob pattern in an entry point, load as
// the files they are, in memory and on disk, bundled and as module graphs.
func TestGlobCharactersInNames(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "dep.js"), []byte("export const x = 7;"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, src string }{
		{"*", "globalThis.out = 080"},
		{"*.js", "globalThis.out = 80"},
		{"a*b.mjs", "import { x } from './dep.js'; globalThis.out = x * 10 + 10"},
		{"c*.js", "import('./dep*.js'); globalThis.out = 80"},
	}
	for _, c := range cases {
		for _, fromFile := range []bool{false, true} {
			path := filepath.Join(dir, c.name)
			if fromFile {
				if err := os.WriteFile(path, []byte(c.src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			src, err := NewSource(c.name, path, c.src, fromFile)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Load(&Config{Dir: dir}, src)
			if err != nil {
				t.Errorf("%s (file %v): %v", c.name, fromFile, err)
				continue
			}
			vm := goja.New()
			if _, err := vm.RunProgram(s.Program); err != nil {
				t.Errorf("%s (file %v): %v", c.name, fromFile, err)
			} else if got := vm.Get("out"); got == nil || got.ToInteger() != 80 {
				t.Errorf("%s (file %v): out = %v, want 80", c.name, fromFile, got)
			}
			if c.name == "*" {
				continue // legacy octal-like literals are no module's syntax
			}
			g, err := Load(&Config{Dir: dir, Module: true}, src)
			if err != nil || g.Graph == nil && g.Program == nil {
				t.Errorf("%s (file %v) as a module: %v", c.name, fromFile, err)
			}
		}
	}
}
