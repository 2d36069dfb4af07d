package loader

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeepModulesRefused checks that a module nested past jsnest's bound is
// a load error naming it, however it is reached: the entry, a module of the
// graph, a file esbuild bundles (a worker's script imports it), a JSON
// module, a classic script. Without the checks each is a fatal stack
// overflow of goja's or esbuild's parser.
func TestDeepModulesRefused(t *testing.T) {
	dir := t.TempDir()
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	for name, text := range map[string]string{
		"deep.js":   "export default " + deep + ";\n",
		"deep.json": deep,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ name, entry, in string }{
		{"entry.js", "x = " + deep, "entry.js"},
		{"entry.js", "import d from './deep.js'; console.log(d)", "deep.js"},
		{"entry.js", "import d from './deep.json'; console.log(d)", "deep.json"},
		{"entry.js", "import d from './deep.json' with { type: 'json' }; console.log(d)", "deep.json"},
		{"entry.cjs", "module.exports = require('./deep.js')", "deep.js"},
	} {
		for _, module := range []bool{false, true} {
			src, err := NewSource(c.name, filepath.Join(dir, c.name), c.entry, false)
			if err == nil {
				_, err = Load(&Config{Dir: dir, Module: module}, src)
			}
			if err == nil || !strings.Contains(err.Error(), c.in) || !strings.Contains(err.Error(), "nests too deeply") {
				t.Errorf("%.40s (Module %v): %v, want a load error naming %s", c.entry, module, err, c.in)
			}
		}
	}
	if _, err := CompileClassic("http://example.test/deep.js", deep); err == nil || !strings.Contains(err.Error(), "nests too deeply") {
		t.Errorf("CompileClassic: %v", err)
	}
}
