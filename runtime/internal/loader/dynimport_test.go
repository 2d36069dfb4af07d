package loader

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestUnresolvedDynamicImport checks that a script whose import() names a
// specifier that does not resolve loads, and that the import() rejects with a
// TypeError each time it runs, while one that resolves still fulfills.
func TestUnresolvedDynamicImport(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"mod.js":       "export const x = 42;",
		"broken.js":    "export const = 1;",
		"needs.js":     "import 'node:os'; export const y = 1;",
		"ambiguous.js": "export * from './a.js'; export * from './b.js';",
		"a.js":         "export const z = 1;",
		"b.js":         "export const z = 2;",
		"uses.js":      "import { z } from './ambiguous.js'; export { z };",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const twice = `globalThis.out = [];
const f = () => import("node:path");
f().catch(e => { out.push(e instanceof TypeError, e.message); return f(); }).catch(e => out.push(e.name));`
	cases := []struct{ name, src, want string }{
		{"never.js", `if (globalThis.never) import("node:path"); globalThis.out = ["ran"];`, "ran"},
		{"twice.js", twice, `true,Failed to resolve module specifier "node:path",TypeError`},
		{"twice.mjs", "import './mod.js';\n" + twice, `true,Failed to resolve module specifier "node:path",TypeError`},
		{"missing.js", `globalThis.out = []; import("./missing.js").catch(e => out.push(e.name, e.message));`, `TypeError,Failed to resolve module specifier "./missing.js"`},
		{"broken.js", `globalThis.out = []; import("./mod.js").then(m => out.push(m.x));
			import("./broken.js").catch(e => out.push(e.name)); import("./needs.js").catch(e => out.push(e.name));
			import("./uses.js").catch(e => out.push(e.name));`, "42,SyntaxError,TypeError,SyntaxError"},
		{"found.js", `globalThis.out = []; import("./mod.js").then(m => out.push(m.x)); import("node:fs").catch(e => out.push(e.name));`, "42,TypeError"},
	}
	for _, c := range cases {
		vm := loadAndRun(t, dir, c.name, c.src)
		if vm == nil {
			continue
		}
		if got := vm.Get("out"); got == nil || got.String() != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
	// A static import that does not resolve, or names a module that fails,
	// still fails the load.
	for _, imp := range []string{`import "node:path";`, `import "./broken.js";`, `import "./uses.js";`} {
		src, _ := NewSource("static.mjs", filepath.Join(dir, "static.mjs"), imp, false)
		if _, err := Load(&Config{Dir: dir}, src); !errors.As(err, new(*LoadError)) {
			t.Errorf("%s: got %v, want a *LoadError", imp, err)
		}
	}
}
