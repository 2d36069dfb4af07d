package runtime

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"testing"
	"time"
)

// TestDynamicImport runs scripts whose import() calls load modules as the
// script runs: the loop waits for them, each module is evaluated once per
// runtime, and what does not load rejects.
func TestDynamicImport(t *testing.T) {
	files := map[string]string{
		"lib/a.js":      `console.log("a evaluated"); export const a = "A";`,
		"lib/bad.js":    `export const = 1;`,
		"host.mjs":      `import kv from "host:kv"; export default kv;`,
		"lib/loader.js": `export const load = (s) => import(s);`,
	}
	cases := []struct{ name, entry, src, want string }{
		{"computed specifier", "main.mjs", `const dir = "./lib/";
			const m = await import(dir + "a.js");
			const again = await import("./lib/a.js");
			console.log(m.a, m === again);`, "a evaluated\nA true\n"},
		{"from a classic script", "classic.js", `var name = "./lib/a.js";
			import(name).then(m => console.log(m.a));`, "a evaluated\nA\n"},
		{"relative to the module that calls import()", "main.mjs", `import { load } from "./lib/loader.js";
			console.log((await load("./a.js")).a);`, "a evaluated\nA\n"},
		{"errors", "main.mjs", `for (const s of ["./lib/missing.js", "./lib/bad.js", "host:nope"]) {
				await import(s).catch(e => console.log(e.name));
			}`, "TypeError\nSyntaxError\nTypeError\n"},
		{"host modules", "main.mjs", `const { default: kv } = await import("./host.mjs");
			const direct = await import("host:kv");
			console.log(kv.get(), direct.default === kv, direct.get === kv.get);`, "got true true\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := map[string]string{c.entry: c.src}
			for k, v := range files {
				fs[k] = v
			}
			r := runFiles(t, fs, c.entry, Options{Modules: map[string]Module{"kv": {"get": func() string { return "got" }}}})
			if r.err != nil {
				t.Fatalf("%v\n%s", r.err, r.stderr)
			}
			if r.stdout != c.want {
				t.Errorf("stdout %q, want %q", r.stdout, c.want)
			}
		})
	}
}

// TestModulesAcrossRuns runs two scripts in one runtime: they share the
// instance of a module they both import, and each run's entry is a new
// instance.
func TestModulesAcrossRuns(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"counter.js": `export let n = 0; export function inc() { return ++n; }`,
		"main.mjs":   `import { inc } from "./counter.js"; console.log("entry", inc());`,
	})
	var out syncBuffer
	rt, err := New(Options{Dir: dir, Stdout: &out, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx := context.Background()
	for range 2 {
		if err := rt.RunFile(ctx, "main.mjs"); err != nil {
			t.Fatal(err)
		}
	}
	if err := rt.RunScript(ctx, "other.mjs", `import { n } from "./counter.js"; console.log("other", n);`); err != nil {
		t.Fatal(err)
	}
	if want := "entry 1\nentry 2\nother 2\n"; out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}

// TestModuleErrors checks how module errors are reported: a link error
// is a *LoadError naming the import; an evaluation error an uncaught
// exception whose stack names the module.
func TestModuleErrors(t *testing.T) {
	r := runFiles(t, map[string]string{
		"main.mjs": "import { nope } from \"./lib.js\";\n",
		"lib.js":   "export const yes = 1;",
	}, "main.mjs", Options{})
	var le *LoadError
	if !errors.As(r.err, &le) || !strings.Contains(r.err.Error(), `main.mjs:1:22: No matching export in "`) {
		t.Errorf("link error: %v", r.err)
	}
	r = runFiles(t, map[string]string{
		"main.mjs": "import { f } from \"./lib.js\";\nf();\n",
		"lib.js":   "export function f() {\n  throw new Error(\"in lib\");\n}\n",
	}, "main.mjs", Options{})
	var e *Error
	if !errors.As(r.err, &e) || e.Message != "Error: in lib" {
		t.Fatalf("err %v", r.err)
	}
	lib, main := filepath.Join(r.dir, "lib.js"), filepath.Join(r.dir, "main.mjs")
	if want := "    at f (" + lib + ":2:9)\n    at " + main + ":2:1"; e.Stack != want {
		t.Errorf("stack\n%s\nwant\n%s", e.Stack, want)
	}
}

// TestImportStorm calls import() a thousand times with specifiers that
// resolve to nothing and closes the runtime while they load: the loads
// run one at a time, and what is left of them once the runtime is closed
// ends with it.
func TestImportStorm(t *testing.T) {
	before := goruntime.NumGoroutine()
	rt, err := New(Options{Dir: t.TempDir(), Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err = rt.RunScript(ctx, "storm.mjs", `for (let i = 0; i < 1000; i++) import("./missing" + i + ".js").catch(() => {});`)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("RunScript: %v, want the deadline", err)
	}
	start := time.Now()
	rt.Close()
	checkGoroutines(t, before)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the loads went on for %v after Close", d)
	}
}

// TestCompileClassic checks CompileOptions.Classic: the entry is a classic
// script, which an export declaration makes a syntax error, not a module.
func TestCompileClassic(t *testing.T) {
	const src = "globalThis.x = 1;\nexport default 2;"
	if _, err := Compile(CompileOptions{Path: "m.js", Source: src}); err != nil {
		t.Fatalf("as a module: %v", err)
	}
	_, err := Compile(CompileOptions{Path: "m.js", Source: src, Classic: true})
	var le *LoadError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "m.js:2:1: Unexpected token 'export'") {
		t.Errorf("as a classic script: %v, want a *LoadError at m.js:2:1", err)
	}
}
