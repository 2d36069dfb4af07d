package linker

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime/internal/loader"
)

// testHost is a Host for a goja runtime without an event loop: it loads
// modules at once and queues what follows as tasks, which run runs.
type testHost struct {
	vm      *goja.Runtime
	modules map[string]any
	tasks   []func()
}

func (h *testHost) HostModule(name string) (goja.Value, error) {
	m, ok := h.modules[name]
	if !ok {
		return nil, fmt.Errorf("no host module %q", name)
	}
	return h.vm.ToValue(m), nil
}

func (h *testHost) Load(load, done func()) {
	if load != nil {
		load()
	}
	h.tasks = append(h.tasks, done)
}

// frame calls f from inside a script, as the runtime's event loop runs a
// task: goja runs the promise jobs once f has returned.
func frame(vm *goja.Runtime, f func()) error {
	vm.Set("__frame", f)
	_, err := vm.RunString("__frame()")
	return err
}

// run loads the script src for a runtime, links and evaluates it in a
// new goja runtime whose global log is an array, then runs the tasks that
// follow; it returns the runtime, the entry's namespace, if a module, and
// what evaluation threw.
func run(t *testing.T, src loader.Source, dir string, modules map[string]any) (*goja.Runtime, *goja.Object, error) {
	t.Helper()
	s, err := loader.Load(&loader.Config{Dir: dir, Module: true}, src)
	if err != nil {
		return nil, nil, err
	}
	if s.Graph == nil {
		t.Fatal("no module graph")
	}
	vm := goja.New()
	vm.Set("log", vm.NewArray())
	h := &testHost{vm: vm, modules: modules}
	l, err := New(vm, h)
	if err != nil {
		t.Fatal(err)
	}
	var ns *goja.Object
	var runErr error
	err = frame(vm, func() {
		if s.Graph.Entry == nil {
			l.Script(s.Graph.ProgramName(), s.Graph)
			_, runErr = vm.RunProgram(s.Program)
			return
		}
		ns, _, runErr = l.Run(s.Graph)
	})
	if err != nil {
		t.Fatal(err)
	}
	for len(h.tasks) > 0 {
		task := h.tasks[0]
		h.tasks = h.tasks[1:]
		if err := frame(vm, task); err != nil {
			t.Fatal(err)
		}
	}
	return vm, ns, runErr
}

// runFiles writes files to a new directory and runs its file entry.
func runFiles(t *testing.T, files map[string]string, entry string) (*goja.Runtime, *goja.Object, error) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := loader.ReadSource(filepath.Join(dir, entry))
	if err != nil {
		t.Fatal(err)
	}
	return run(t, src, dir, nil)
}

// TestModules runs module graphs, each entry main.mjs unless a main.js is
// given, and checks what they log.
func TestModules(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{{
		name: "live bindings, one instance for static and dynamic imports",
		files: map[string]string{
			"main.mjs": `import { n, inc } from "./counter.js"; import * as ns from "./counter.js";
				log.push(n); inc(); log.push(n, ns.n);
				import("./counter.js").then(m => log.push(m === ns));`,
			"counter.js": `export let n = 0; export function inc() { n++ }`,
		},
		want: "0,1,1,true",
	}, {
		name: "bindings nothing assigns are read once they have their value, the others live",
		files: map[string]string{
			"main.mjs": `import { k, v, f, set, a, b, c, setAll, e, setE } from "./x.js";
				log.push(k, v, f(), a, b, c); set(); setAll(); setE();
				log.push(a, b, c, e);
				try { k = 0 } catch (err) { log.push(err.name) }`,
			"x.js": `export const k = 1; export var v = 2; export function f() { return 3 }
				export let a = "a", b = "b", c = "c", e = "e";
				export function set() {}
				export function setAll() { ({ a } = { a: "A" }); [b] = ["B"]; for (c of ["C"]); }
				export function setE() { eval("e = 'E'") }`,
		},
		want: "1,2,3,a,b,c,A,B,C,E,TypeError",
	}, {
		name: "a stable binding of a cycle is uninitialized until evaluated",
		files: map[string]string{
			"main.mjs": `import { read } from "./b.js"; export const k = "k"; log.push(read());`,
			"b.js":     `import { k } from "./main.mjs"; try { k } catch (e) { log.push(e.name) } export const read = () => k;`,
		},
		want: "ReferenceError,k",
	}, {
		name: "computed specifiers resolve against the importing module",
		files: map[string]string{
			"main.mjs":  `import "./sub/b.js";`,
			"sub/b.js":  `const name = "./a" + ".js"; import(name).then(m => { log.push(m.a); return import("./a.js").then(m2 => log.push(m === m2)) });`,
			"sub/a.js":  `log.push("eval a"); export const a = "sub";`,
			"a.js":      `export const a = "top";`,
			"unused.js": `log.push("never");`,
		},
		want: "eval a,sub,true",
	}, {
		name: "imports are immutable",
		files: map[string]string{
			"main.mjs": `import { x } from "./x.js"; import * as ns from "./x.js";
				try { x = 2 } catch (e) { log.push(e.name) }
				try { ns = 2 } catch (e) { log.push(e.name) }
				log.push(x);`,
			"x.js": `export let x = 1;`,
		},
		want: "TypeError,TypeError,1",
	}, {
		name: "a binding in a cycle is uninitialized until evaluated, a function is not",
		files: map[string]string{
			"main.mjs": `import "./b.js"; export let early = 1; export function f() { return "f" }`,
			"b.js": `import { early, f } from "./main.mjs";
				try { early } catch (e) { log.push(e.name) }
				try { typeof early } catch (e) { log.push(e.name) }
				log.push(f());`,
		},
		want: "ReferenceError,ReferenceError,f",
	}, {
		name: "namespace objects",
		files: map[string]string{
			"main.mjs": `import * as ns from "./a.js";
				log.push(Object.getPrototypeOf(ns) === null, Object.isExtensible(ns), Object.keys(ns).join("|"),
					ns[Symbol.toStringTag], JSON.stringify(Object.getOwnPropertyDescriptor(ns, "a")),
					Reflect.set(ns, "a", 5), Reflect.deleteProperty(ns, "a"), Reflect.deleteProperty(ns, "nope"),
					Reflect.defineProperty(ns, "a", { value: 2 }), Reflect.defineProperty(ns, "a", { value: 3 }),
					"a" in ns, "nope" in ns, ns.nope, Object.prototype.toString.call(ns),
					Reflect.setPrototypeOf(ns, {}), Reflect.setPrototypeOf(ns, null));`,
			"a.js": `export let b = 1, a = 2; export default 3; export { a as "\u00e9", b as "10", b as "9" };`,
		},
		want: `true,false,10|9|a|b|default|é,Module,{"value":2,"writable":true,"enumerable":true,"configurable":false},` +
			"false,false,true,true,false,true,false,,[object Module],false,true",
	}, {
		name: "a namespace reads bindings live, uninitialized ones throw",
		files: map[string]string{
			"main.mjs": `import "./b.js"; export let x = 1;`,
			"b.js": `import * as ns from "./main.mjs";
				try { ns.x } catch (e) { log.push(e.name) }
				try { Object.keys(ns) } catch (e) { log.push(e.name) }
				log.push("x" in ns);`,
		},
		want: "ReferenceError,ReferenceError,true",
	}, {
		name: "anonymous default exports are named default",
		files: map[string]string{
			"main.mjs": `import f from "./f.js"; import C from "./c.js"; import a from "./a.js"; import g from "./g.js";
				log.push(f.name, C.name, a.name, g.name);`,
			"f.js": `export default function () {}`,
			"c.js": `export default class {}`,
			"a.js": `export default (() => {});`,
			"g.js": `export default function named() {}`,
		},
		want: "default,default,default,named",
	}, {
		name: "a default expression is uninitialized until evaluated",
		files: map[string]string{
			"main.mjs": `import "./b.js"; export default 1 + 1;`,
			"b.js":     `import d from "./main.mjs"; try { d } catch (e) { log.push(e.name) }`,
		},
		want: "ReferenceError",
	}, {
		name: "top-level await lets sibling modules run",
		files: map[string]string{
			"main.mjs": `import "./a.js"; import "./b.js"; log.push("main");`,
			"a.js":     `log.push("a1"); await 0; log.push("a2");`,
			"b.js":     `log.push("b");`,
		},
		want: "a1,b,a2,main",
	}, {
		// https://tc39.es/ecma262/#sec-async-module-execution-rejected:
		// a module's import() rejects before its ancestors'.
		name: "a rejected top-level await rejects leaf to root",
		files: map[string]string{
			"main.mjs": `import { gate, started } from "./gate.js";
				import("./b.js").catch(() => log.push("b"));
				import("./a.js").catch(() => log.push("a"));
				started.then(() => gate.reject(1));`,
			"gate.js": `export const gate = {}; export const p = new Promise((_, rej) => gate.reject = rej);
				export const started = new Promise(res => gate.start = res);`,
			"a.js":       `import "./a-start.js"; import "./b.js";`,
			"a-start.js": `import { gate } from "./gate.js"; gate.start();`,
			"b.js":       `import { p } from "./gate.js"; await p;`,
		},
		want: "b,a",
	}, {
		name: "cycles evaluate depth first",
		files: map[string]string{
			"main.mjs": `import "./a.js"; import "./b.js"; log.push("main");`,
			"a.js":     `import "./b.js"; log.push("a");`,
			"b.js":     `import "./a.js"; log.push("b");`,
		},
		want: "b,a,main",
	}, {
		name: "an evaluation error is kept",
		files: map[string]string{
			"main.mjs": `import("./bad.js").catch(e => { log.push(e.message); return import("./bad.js") }).catch(e => log.push(e.message));`,
			"bad.js":   `log.push("once"); throw new Error("bad");`,
		},
		want: "once,bad,bad",
	}, {
		name: "import() rejects what does not load",
		files: map[string]string{
			"main.mjs": `for (const [s, o] of [["./missing.js"], ["./syntax.js"], ["./link.js"], ["./d.json", { with: { type: "json", x: "y" } }],
					["./d.json", { with: { type: 1 } }], ["./d.json", 1], [{ toString() { throw new RangeError() } }]]) {
					import(s, o).catch(e => log.push(e.name));
				}`,
			"syntax.js": `let = ;`,
			"link.js":   `import { nope } from "./a.js";`,
			"a.js":      `export const a = 1;`,
			"d.json":    `{}`,
		},
		// Those rejected at once come first; the others once loaded.
		want: "TypeError,TypeError,TypeError,RangeError,TypeError,SyntaxError,SyntaxError",
	}, {
		name: "JSON and text modules",
		files: map[string]string{
			"main.mjs": `import j from "./d.json" with { type: "json" }; import t from "./d.txt" with { type: "text" };
				import * as ns from "./d.json" with { type: "json" };
				log.push(j.k, typeof t, Object.keys(ns).join());
				import("./d.json", { with: { type: "json" } }).then(m => log.push(m.default === j));`,
			"d.json": `{"k": "v"}`,
			"d.txt":  `text`,
		},
		want: "v,string,default,true",
	}, {
		name: "import.meta",
		files: map[string]string{
			"main.mjs": `const m = import.meta; log.push(m === import.meta, Object.getPrototypeOf(m) === null, m.url.startsWith("file:///"), m.url.endsWith("/main.mjs"));`,
		},
		want: "true,true,true,true",
	}, {
		name: "CommonJS modules",
		files: map[string]string{
			"main.mjs": `import c, { a } from "./cjs.js"; import * as ns from "./cjs.js"; import e from "./esm-flag.js";
				log.push(a, c.b, ns.a, ns.default === c, e);`,
			"cjs.js":      `exports.a = 1; module.exports.b = require("./dep.js");`,
			"dep.js":      `module.exports = 2;`,
			"esm-flag.js": `Object.defineProperty(exports, "__esModule", { value: true }); exports.default = "interop";`,
		},
		want: "1,2,1,true,interop",
	}, {
		name: "a classic script imports relative to itself",
		files: map[string]string{
			"main.js": `const s = "./a.js"; import(s).then(m => log.push(m.a, typeof __wsjs$import));`,
			"a.js":    `export const a = "A";`,
		},
		want: "A,function",
	}, {
		name: "a module imports itself",
		files: map[string]string{
			"main.mjs": `import * as self from "./main.mjs"; export const x = 1; log.push(self.x); import("./main.mjs").then(m => log.push(m === self));`,
		},
		want: "1,true",
	}, {
		name: "export star skips default and ambiguous names",
		files: map[string]string{
			"main.mjs": `import * as ns from "./star.js"; log.push(Object.keys(ns).join());`,
			"star.js":  `export * from "./a.js"; export * from "./b.js"; export * as c from "./a.js";`,
			"a.js":     `export const a = 1, both = 2; export default 0;`,
			"b.js":     `export const b = 1, both = 3;`,
		},
		want: "a,b,c",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			entry := "main.mjs"
			if _, ok := c.files["main.js"]; ok {
				entry = "main.js"
			}
			vm, _, err := runFiles(t, c.files, entry)
			if err != nil {
				t.Fatal(err)
			}
			got := vm.Get("log").String()
			if got != c.want {
				t.Errorf("log %q, want %q", got, c.want)
			}
		})
	}
}

// TestLoadErrors checks the errors of module graphs that do not load.
func TestLoadErrors(t *testing.T) {
	cases := []struct{ name, entry, main, want string }{
		{"missing export", "main.mjs", `import { nope } from "./a.js";`, `main.mjs:1:22: No matching export in "`},
		{"ambiguous export", "main.mjs", `import { both } from "./star.js";`, `main.mjs:1:22: Ambiguous import "both" has multiple matching exports`},
		{"unresolved import", "main.mjs", `import "./missing.js";`, `main.mjs:1:8: Could not resolve "./missing.js"`},
		{"function declared twice", "main.mjs", "function f() {}\nfunction f() {}", `main.mjs:2:10: The symbol "f" has already been declared`},
		{"var and function", "main.mjs", "var g;\nfunction g() {}", `main.mjs:2:10: Identifier 'g' has already been declared`},
		{"unsupported attribute", "main.mjs", `import "./a.js" with { foo: "bar" };`, `main.mjs:1:8: Unsupported import attribute "foo"`},
		{"syntax error in an import", "main.mjs", `import "./bad.js";`, `bad.js:1:14: Expected identifier but found "="`},
		{"import() without argument", "main.js", `import();`, `main.js:1:8: Unexpected ")"`},
		{"new import()", "main.js", `new import("./a.js");`, `main.js:1:5: Cannot use an "import" expression here without parentheses`},
		{"import() with three arguments", "main.js", `import("./a.js", {}, 1);`, `main.js:1:22: Expected ")" but found "1"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := runFiles(t, map[string]string{
				c.entry:   c.main,
				"a.js":    `export const a = 1;`,
				"star.js": `export * from "./b.js"; export * from "./c.js";`,
				"b.js":    `export const both = 1;`,
				"c.js":    `export const both = 2;`,
				"bad.js":  `export const = 1;`,
			}, c.entry)
			var le *loader.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("got %v, want a *LoadError", err)
			}
			if first := strings.SplitN(err.Error(), "\n", 2)[0]; !strings.Contains(first, c.want) {
				t.Errorf("error %q, want it to contain %q", first, c.want)
			}
		})
	}
	_, _, err := runFiles(t, map[string]string{"main.js": "log.push(import.meta);"}, "main.js")
	if err == nil || !strings.Contains(err.Error(), `Cannot use "import.meta" outside a module`) {
		t.Errorf("import.meta in a script: %v", err)
	}
}

// TestFSSource runs modules of an fs.FS: relative and absolute imports are
// read from it and named by their paths in it.
func TestFSSource(t *testing.T) {
	fsys := fstest.MapFS{
		"app/main.ts":    {Data: []byte("import { a } from './a.js';\nimport { b } from '../lib';\nimport c from '/app/c.json';\nexport const all = [a(), b, c.c].join();\nexport function fail(): void { b.nope(); }\n")},
		"app/a.ts":       {Data: []byte("export const a = () => 'a';\n")},
		"lib/index.ts":   {Data: []byte("export const b = 'b';\n")},
		"app/c.json":     {Data: []byte(`{"c": "c"}`)},
		"app/tla.ts":     {Data: []byte("import { a } from './a';\nexport const x = await Promise.resolve(a());\n")},
		"app/missing.ts": {Data: []byte("import { z } from './z';\nconsole.log(z);\n")},
		"app/syntax.ts":  {Data: []byte("import './bad';\n")},
		"app/bad.ts":     {Data: []byte("export const = 1;\n")},
		"app/notutf8.ts": {Data: []byte("export const s = '\xff';\n")},
		"app/dyn.ts":     {Data: []byte("const n = './a';\nexport const p = import(n);\n")},
	}
	exports := func(name string) *goja.Object {
		t.Helper()
		src, err := loader.NewFSSource(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		_, ns, err := run(t, src, t.TempDir(), nil)
		if err != nil {
			t.Fatal(err)
		}
		return ns
	}
	if got := exports("app/main.ts").Get("all").String(); got != "a,b,c" {
		t.Errorf("all = %q", got)
	}
	fail, _ := goja.AssertFunction(exports("app/main.ts").Get("fail"))
	_, err := fail(goja.Undefined())
	if err == nil || !strings.Contains(err.(*goja.Exception).String(), "at fail (app/main.ts:5:") {
		t.Errorf("stack does not name the file in the fs.FS: %v", err)
	}
	if x := exports("app/tla.ts").Get("x"); x.String() != "a" {
		t.Errorf("x = %v", x)
	}
	if s := exports("app/notutf8.ts").Get("s"); s.String() != "\ufffd" {
		t.Errorf("s = %q", s)
	}
	p, _ := exports("app/dyn.ts").Get("p").Export().(*goja.Promise)
	if p == nil || p.State() != goja.PromiseStateFulfilled {
		t.Errorf("import() of a computed specifier in an fs.FS: %v", p)
	}
	for name, want := range map[string]string{
		"app/missing.ts": `app/missing.ts:1:19: cannot find "app/z" in the script's file system`,
		"app/syntax.ts":  "app/bad.ts:1:14: Expected identifier but found \"=\"",
		"app/none.ts":    "app/none.ts: cannot read script",
	} {
		src, err := loader.NewFSSource(fsys, name)
		if err == nil {
			_, err = loader.Load(&loader.Config{Dir: t.TempDir(), Module: true}, src)
		}
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
}

// TestHostImports imports modules the host provides, each asked for once.
func TestHostImports(t *testing.T) {
	src, err := loader.NewSource("main.ts", "/virtual/main.ts", `
		import { get } from "host:kv";
		import * as kv from "host:kv";
		import hostLog from "host:log";
		export const v = get("k") + kv.get("j");
		export default hostLog;
		export const keys = Object.keys(kv).join();
	`, false)
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	modules := map[string]any{
		"kv":  map[string]any{"get": func(k string) string { asked = append(asked, k); return k + "!" }},
		"log": "the log",
	}
	_, ns, err := run(t, src, t.TempDir(), modules)
	if err != nil {
		t.Fatal(err)
	}
	if got := ns.Get("v").String(); got != "k!j!" {
		t.Errorf("v = %q", got)
	}
	if got := ns.Get("default").String(); got != "the log" {
		t.Errorf("default = %q", got)
	}
	if got := ns.Get("keys").String(); got != "default,get" {
		t.Errorf("keys = %q", got)
	}
	_, _, err = run(t, src, t.TempDir(), map[string]any{"kv": modules["kv"]})
	if err == nil || !strings.Contains(err.Error(), `no host module "log"`) {
		t.Errorf("a host module the host does not provide: %v", err)
	}
}
