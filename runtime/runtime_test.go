package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// TestEventLoopOrder runs a TypeScript file that imports a local module and mixes
// timers, promise reactions, queueMicrotask and async/await, and checks the order HTML
// prescribes: the script's task runs to completion, then its microtasks in FIFO order,
// then timer tasks in order of their timeouts, each followed by its own microtasks.
func TestEventLoopOrder(t *testing.T) {
	r := runFiles(t, map[string]string{
		"main.ts": `
import { log, tick } from "./lib/log.ts";

log("script start");
setTimeout(() => {
  log("timeout 0 a");
  Promise.resolve().then(() => log("microtask from timeout 0 a"));
}, 0);
setTimeout(() => log("timeout 50"), 50);
setTimeout(() => log("timeout 0 b"), 0);
queueMicrotask(() => log("queueMicrotask 1"));
Promise.resolve()
  .then(() => log("then 1"))
  .then(() => log("then 2"));
queueMicrotask(() => log("queueMicrotask 2"));

async function job(): Promise<void> {
  log("async job start");
  await null;
  log("async job after await");
  await tick(1);
  log("async job after tick");
}
job().then(() => log("async job done"));
const p: Promise<number> = new Promise((resolve) => {
  log("executor runs synchronously");
  resolve(1);
});
p.then((v) => log("resolved " + v));
log("script end");
`,
		"lib/log.ts": `
export function log(msg: string): void {
  console.log(msg);
}
export function tick(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
`,
	}, "main.ts", Options{})
	if r.err != nil {
		t.Fatalf("RunFile: %v\n%s", r.err, r.stderr)
	}
	want := `script start
async job start
executor runs synchronously
script end
queueMicrotask 1
then 1
queueMicrotask 2
async job after await
resolved 1
then 2
timeout 0 a
microtask from timeout 0 a
timeout 0 b
async job after tick
async job done
timeout 50
`
	if r.stdout != want {
		t.Errorf("output:\n%s\nwant:\n%s", r.stdout, want)
	}
}

func TestUncaughtExceptionNamesOriginalPosition(t *testing.T) {
	r := runFiles(t, map[string]string{
		"main.ts": `import { check } from "./check.ts";
interface Options { strict: boolean }
const opts: Options = { strict: true };
console.log("before");
check(opts.strict);
console.log("not reached");
`,
		"check.ts": `type Flag = boolean;

export function check(strict: Flag): void {
  if (strict) throw new RangeError("strict mode is on");
}
`,
	}, "main.ts", Options{})
	var e *Error
	if !errors.As(r.err, &e) {
		t.Fatalf("RunFile returned %v, want *Error", r.err)
	}
	if e.InPromise || e.Message != "RangeError: strict mode is on" {
		t.Errorf("error %+v", e)
	}
	check := filepath.Join(r.dir, "check.ts")
	main := filepath.Join(r.dir, "main.ts")
	wantStack := fmt.Sprintf("    at check (%s:4:21)\n    at %s:5:1", check, main)
	if e.Stack != wantStack {
		t.Errorf("stack:\n%s\nwant:\n%s", e.Stack, wantStack)
	}
	if r.stdout != "before\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	if want := "Uncaught RangeError: strict mode is on\n" + wantStack + "\n"; r.stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, want)
	}
}

func TestStackPropertyIsSourceMapped(t *testing.T) {
	r := runFiles(t, map[string]string{
		"main.ts": `import { make } from "./make.ts";
const e: Error = make();
console.log(e.stack.split("\n")[1].trim());
`,
		"make.ts": `export function make(): Error {
  const label: string = "made";
  return new Error(label);
}
`,
	}, "main.ts", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	// goja's own stack format appends the program counter in parentheses.
	want := fmt.Sprintf("at make (%s:3:10(", filepath.Join(r.dir, "make.ts"))
	if !strings.HasPrefix(r.stdout, want) {
		t.Errorf("stack line %q, want prefix %q", r.stdout, want)
	}
}

func TestUnhandledRejection(t *testing.T) {
	r := runSrc(t, "reject.js", `
		Promise.reject(new TypeError("nobody listens"));
		Promise.reject(new Error("handled")).catch(() => {});
		setTimeout(() => console.log("not reached"), 0);`, Options{})
	var e *Error
	if !errors.As(r.err, &e) || !e.InPromise || e.Message != "TypeError: nobody listens" {
		t.Fatalf("err %#v", r.err)
	}
	if !strings.HasPrefix(r.stderr, "Uncaught (in promise) TypeError: nobody listens\n    at reject.js:2:18") {
		t.Errorf("stderr %q", r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("the loop went on after the rejection: %q", r.stdout)
	}
}

func TestThrowNonError(t *testing.T) {
	r := runSrc(t, "x.js", `function f() { throw {code: 7} }
f()`, Options{})
	var e *Error
	if !errors.As(r.err, &e) || e.Message != "{ code: 7 }" {
		t.Fatalf("err %#v", r.err)
	}
	if want := "Uncaught { code: 7 }\n    at f (x.js:1:16)\n    at x.js:2:2\n"; r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
}

func TestContinueOnError(t *testing.T) {
	r := runSrc(t, "cont.js", `
		setTimeout(() => { throw new Error("first") }, 0);
		setTimeout(() => Promise.reject(new Error("second")), 1);
		setTimeout(() => console.log("still running"), 2);`, Options{ContinueOnError: true})
	if r.err != nil {
		t.Fatalf("RunScript: %v", r.err)
	}
	if r.stdout != "still running\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	if !strings.Contains(r.stderr, "Uncaught Error: first") || !strings.Contains(r.stderr, "Uncaught (in promise) Error: second") {
		t.Errorf("stderr %q", r.stderr)
	}
}

func TestTopLevelAwait(t *testing.T) {
	t.Run("value", func(t *testing.T) {
		r := runFiles(t, map[string]string{
			"main.ts": `import { later } from "./later.ts";
console.log("a");
const v: number = await later(5);
console.log("b", v);
`,
			"later.ts": `export const later = (v: number) => new Promise<number>((r) => setTimeout(() => r(v), 1));`,
		}, "main.ts", Options{})
		if r.err != nil || r.stdout != "a\nb 5\n" {
			t.Fatalf("err %v stdout %q stderr %q", r.err, r.stdout, r.stderr)
		}
	})
	t.Run("throw after await is an exception", func(t *testing.T) {
		r := runFiles(t, map[string]string{
			"main.mjs": "await null;\nthrow new Error(\"after await\");\n",
		}, "main.mjs", Options{})
		var e *Error
		if !errors.As(r.err, &e) || e.InPromise || e.Message != "Error: after await" {
			t.Fatalf("err %#v stderr %q", r.err, r.stderr)
		}
		if want := filepath.Join(r.dir, "main.mjs") + ":2:7"; !strings.Contains(e.Stack, want) {
			t.Errorf("stack %q lacks %q", e.Stack, want)
		}
	})
}

func TestScriptKinds(t *testing.T) {
	cases := []struct {
		name, file, src, want string
	}{
		// A classic script: top-level declarations are globals, sloppy mode.
		{"classic globals", "a.js", `var x = 1; function f() {} console.log(globalThis.x, typeof globalThis.f, (function () { return this === globalThis })())`, "1 function true"},
		// Classic script needing lowering keeps its globals.
		{"classic lowered", "b.js", `var y = 2; async function* g() {} console.log(globalThis.y)`, "2"},
		// A module: strict, declarations are local.
		{"module", "c.mjs", `var z = 1; console.log(globalThis.z, (function () { return this })())`, "undefined undefined"},
		{"module with export", "d.js", `export const w = 1; var v = 1; console.log(globalThis.v)`, "undefined"},
		{"typescript", "e.ts", `enum Color { Red, Green } const c: Color = Color.Green; console.log(Color[c])`, "Green"},
		{"tsx", "f.tsx", `const React = { createElement: (t: string, p: any, ...k: any[]) => t + ":" + k.join("") }; console.log(<b>hi</b>)`, "b:hi"},
		{"commonjs", "g.cjs", `module.exports = 1; console.log(typeof module)`, "object"},
		{"hashbang", "h.js", "#!/usr/bin/env wsjs\nconsole.log('ok')", "ok"},
		{"unicode", "i.ts", `const s: string = "héllo ✓"; console.log(s, s.length)`, "héllo ✓ 7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runFiles(t, map[string]string{c.file: c.src}, c.file, Options{})
			if r.err != nil {
				t.Fatalf("%v\n%s", r.err, r.stderr)
			}
			if got := strings.TrimSpace(r.stdout); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestSyntaxErrors(t *testing.T) {
	cases := []struct {
		name, file, src string
		want            string // after the directory prefix
	}{
		{"typescript", "bad.ts", "const a: number = 1;\nlet b c = 2;\n",
			"bad.ts:2:7: Expected \";\" but found \"c\"\n    let b c = 2;\n          ^"},
		{"javascript", "bad.js", "function f() {\n\treturn 1 +;\n}\n",
			"bad.js:2:12: Unexpected \";\"\n    \treturn 1 +;\n    \t          ^"},
		{"unresolved import", "imp.ts", "import { x } from \"./missing.ts\";\nconsole.log(x);\n",
			"imp.ts:1:19: Could not resolve \"./missing.ts\"\n    import { x } from \"./missing.ts\";\n                      ^"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runFiles(t, map[string]string{c.file: c.src}, c.file, Options{})
			var le *LoadError
			if !errors.As(r.err, &le) {
				t.Fatalf("err %v, want *LoadError", r.err)
			}
			want := filepath.Join(r.dir, c.want)
			if got := le.Error(); got != want {
				t.Errorf("error:\n%s\nwant:\n%s", got, want)
			}
			if r.stdout != "" || r.stderr != "" {
				t.Errorf("something ran: %q %q", r.stdout, r.stderr)
			}
		})
	}
	t.Run("RunScript names the script", func(t *testing.T) {
		r := runSrc(t, "inline.ts", "let x: = 1", Options{})
		want := "inline.ts:1:8: Unexpected \"=\"\n    let x: = 1\n           ^"
		if r.err == nil || r.err.Error() != want {
			t.Errorf("error:\n%v\nwant:\n%s", r.err, want)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		r := runFiles(t, nil, "nope.js", Options{})
		var le *LoadError
		if !errors.As(r.err, &le) || !strings.Contains(r.err.Error(), "nope.js: cannot read script: no such file or directory") {
			t.Errorf("err %v", r.err)
		}
	})
	t.Run("unsupported extension", func(t *testing.T) {
		r := runFiles(t, map[string]string{"x.py": "print(1)"}, "x.py", Options{})
		if r.err == nil || !strings.Contains(r.err.Error(), `unsupported script type ".py"`) {
			t.Errorf("err %v", r.err)
		}
	})
}

func TestNpmPackages(t *testing.T) {
	r := runFiles(t, map[string]string{
		"app/main.ts": `import { where } from "env-pkg";
import cond from "cond-pkg";
import { shout } from "@scope/util";
console.log(where(), cond, shout("hi"));
`,
		// The "browser" field replaces "main".
		"app/node_modules/env-pkg/package.json": `{"name": "env-pkg", "main": "node.js", "browser": "browser.js"}`,
		"app/node_modules/env-pkg/node.js":      `exports.where = () => "node";`,
		"app/node_modules/env-pkg/browser.js":   `exports.where = () => "browser";`,
		// The "browser" condition wins over "import" and "default".
		"app/node_modules/cond-pkg/package.json": `{"name": "cond-pkg", "exports": {".": {"node": "./n.mjs", "browser": "./b.mjs", "import": "./i.mjs", "default": "./d.mjs"}}}`,
		"app/node_modules/cond-pkg/b.mjs":        `export default "browser-condition";`,
		"app/node_modules/cond-pkg/i.mjs":        `export default "import-condition";`,
		"app/node_modules/cond-pkg/n.mjs":        `export default "node-condition";`,
		"app/node_modules/cond-pkg/d.mjs":        `export default "default-condition";`,
		// A package found higher up, ES module with "module" field.
		"node_modules/@scope/util/package.json": `{"name": "@scope/util", "module": "esm.js", "main": "cjs.js"}`,
		"node_modules/@scope/util/esm.js":       `export const shout = (s) => s.toUpperCase() + "!";`,
		"node_modules/@scope/util/cjs.js":       `exports.shout = (s) => "cjs";`,
	}, "app/main.ts", Options{})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	if want := "browser browser-condition HI!\n"; r.stdout != want {
		t.Errorf("stdout %q, want %q", r.stdout, want)
	}
}

func TestRunScriptResolvesAgainstDir(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"lib/add.ts":                        `export const add = (a: number, b: number): number => a + b;`,
		"node_modules/pkg/package.json":     `{"name":"pkg","main":"index.js"}`,
		"node_modules/pkg/index.js":         `module.exports = { name: "pkg" };`,
		"elsewhere/node_modules/.keep":      ``,
		"extra/node_modules/extra/index.js": `export default "from ModulePaths";`,
	})
	r := runSrc(t, "inline.ts", `import { add } from "./lib/add.ts";
import pkg from "pkg";
import extra from "extra";
console.log(add(2, 3), pkg.name, extra);`, Options{Dir: dir, ModulePaths: []string{filepath.Join(dir, "extra/node_modules")}})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.stderr)
	}
	if r.stdout != "5 pkg from ModulePaths\n" {
		t.Errorf("stdout %q", r.stdout)
	}
}

func TestContextInterruptsScript(t *testing.T) {
	rt, err := New(Options{Stderr: &syncBuffer{}, Stdout: &syncBuffer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err = rt.RunScript(ctx, "spin.js", `for (;;) {}`)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want DeadlineExceeded", err)
	}
	// The runtime stays usable.
	var out syncBuffer
	rt2, _ := New(Options{Stdout: &out})
	defer rt2.Close()
	if err := rt.RunScript(context.Background(), "after.js", `globalThis.after = 1`); err != nil {
		t.Fatalf("second run: %v", err)
	}
}

func TestCloseInterruptsRun(t *testing.T) {
	var out syncBuffer
	rt, err := New(Options{Stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		return vm.Set("started", func() { close(started) })
	}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- rt.RunScript(context.Background(), "spin.js", `started(); for (;;) {}`) }()
	<-started
	if err := rt.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, ErrClosed) {
		t.Errorf("run returned %v, want ErrClosed", err)
	}
	if err := rt.RunScript(context.Background(), "x.js", ``); !errors.Is(err, ErrClosed) {
		t.Errorf("run after Close returned %v", err)
	}
	if err := rt.Do(context.Background(), func(*goja.Runtime) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("Do after Close returned %v", err)
	}
}

func TestDo(t *testing.T) {
	var out syncBuffer
	rt, err := New(Options{Stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx := context.Background()
	// Outside a run: add a global.
	waiting := make(chan struct{})
	if err := rt.Do(ctx, func(vm *goja.Runtime) error {
		if err := vm.Set("greeting", "hello"); err != nil {
			return err
		}
		return vm.Set("waiting", func() { close(waiting) })
	}); err != nil {
		t.Fatal(err)
	}
	// During a run: the script polls until Do sets a flag, as an embedder would
	// deliver an event.
	done := make(chan error, 1)
	go func() {
		done <- rt.RunScript(ctx, "poll.js", `
			waiting();
			const id = setInterval(() => {
				if (globalThis.flag) { console.log(greeting, flag); clearInterval(id) }
			}, 1);`)
	}()
	<-waiting
	if err := rt.Do(ctx, func(vm *goja.Runtime) error { return vm.Set("flag", "from Go") }); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if out.String() != "hello from Go\n" {
		t.Errorf("stdout %q", out.String())
	}
	// The error fn returns comes back.
	sentinel := errors.New("sentinel")
	if err := rt.Do(ctx, func(*goja.Runtime) error { return sentinel }); err != sentinel {
		t.Errorf("Do returned %v", err)
	}
}

func TestParallelRuntimesAreIsolated(t *testing.T) {
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out syncBuffer
			rt, err := New(Options{Stdout: &out})
			if err != nil {
				errs <- err
				return
			}
			defer rt.Close()
			src := fmt.Sprintf(`
				if (typeof shared !== "undefined") throw new Error("saw another runtime's global");
				globalThis.shared = %d;
				Array.prototype.mine = %d;
				let sum = 0, fired = 0;
				for (let k = 0; k < 20; k++) setTimeout(() => { sum += shared + [].mine; if (++fired === 20) console.log(sum) }, k %% 3);`, i, i)
			if err := rt.RunScript(context.Background(), "iso.js", src); err != nil {
				errs <- err
				return
			}
			if want := fmt.Sprintf("%d\n", 40*i); out.String() != want {
				errs <- fmt.Errorf("runtime %d printed %q, want %q", i, out.String(), want)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestGoroutinesReturnToBaselineAfterClose(t *testing.T) {
	base := goruntime.NumGoroutine()
	for range 5 {
		rt, err := New(Options{Stdout: &syncBuffer{}, Stderr: &syncBuffer{}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		// Timers far in the future and an interval keep the loop busy until ctx ends.
		_ = rt.RunScript(ctx, "busy.js", `setTimeout(() => {}, 100000); setInterval(() => {}, 1)`)
		cancel()
		if err := rt.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// Goroutines that are exiting may need a moment to be gone; wait on the count,
	// bounded, rather than sleeping a fixed time.
	deadline := time.Now().Add(5 * time.Second)
	for goruntime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, baseline %d:\n%s", goruntime.NumGoroutine(), base, buf[:goruntime.Stack(buf, true)])
		}
		goruntime.Gosched()
	}
}

func TestArgsAndBaseURL(t *testing.T) {
	dir := t.TempDir()
	r := runSrc(t, "args.js", `console.log(wsjs.args.join("|"), Object.isFrozen(wsjs.args))`, Options{Dir: dir, Args: []string{"a", "b c"}})
	if r.err != nil || r.stdout != "a|b c true\n" {
		t.Errorf("err %v stdout %q", r.err, r.stdout)
	}
	r = runSrc(t, "noargs.js", `console.log(typeof wsjs)`, Options{})
	if r.stdout != "undefined\n" {
		t.Errorf("wsjs defined without Args: %q", r.stdout)
	}

	rt, err := New(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	if got, want := rt.BaseURL().String(), "file://"+filepath.ToSlash(dir)+"/"; got != want {
		t.Errorf("BaseURL %q, want %q", got, want)
	}
	rt2, err := New(Options{BaseURL: "https://example.test/app/"})
	if err != nil {
		t.Fatal(err)
	}
	defer rt2.Close()
	if got := rt2.BaseURL().String(); got != "https://example.test/app/" {
		t.Errorf("BaseURL %q", got)
	}
	if _, err := New(Options{BaseURL: "relative/path"}); err == nil || !strings.Contains(err.Error(), "not an absolute URL") {
		t.Errorf("relative BaseURL accepted: %v", err)
	}
}

func TestTopLevelAwaitIgnoresPatchedThen(t *testing.T) {
	r := runSrc(t, "patch.mjs", `Promise.prototype.then = function () { throw new Error("patched then called") };
await null;
throw new Error("module body failed");`, Options{})
	var e *Error
	if !errors.As(r.err, &e) || e.Message != "Error: module body failed" {
		t.Fatalf("err %v stderr %q", r.err, r.stderr)
	}
}

// TestCancelUnblocksSyncXHR checks that a synchronous XMLHttpRequest to a server that
// never answers does not outlive the run's context.
func TestCancelUnblocksSyncXHR(t *testing.T) {
	arrived := make(chan struct{})
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-release
	}))
	defer srv.Close()
	defer close(release)
	rt, err := New(Options{BaseURL: srv.URL + "/", Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	err = rt.RunScript(ctx, "sync.js", `const x = new XMLHttpRequest(); x.open("GET", "/silent", false); x.send(); console.log("not reached");`)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("RunScript returned %v, want context.Canceled", err)
	}
}
