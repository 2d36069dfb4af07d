package runtime

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"testing"

	"github.com/dop251/goja"
	nodeloop "github.com/dop251/goja_nodejs/eventloop"
)

// BenchmarkNew is creating a Runtime with every web API installed, and closing it.
// The first Runtimes of the process, which install the web APIs at once and learn
// what they define (see bindings.Defer), are made before.
func BenchmarkNew(b *testing.B) {
	learnBindings(b)
	b.ReportAllocs()
	for b.Loop() {
		rt, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		rt.Close()
	}
}

// BenchmarkNewGojaNodejs is BenchmarkNew for goja_nodejs: an event loop with
// require and console (its defaults), created and stopped. It is the bar
// BenchmarkNew is held to.
func BenchmarkNewGojaNodejs(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		loop := nodeloop.NewEventLoop()
		loop.Start()
		loop.Stop()
	}
}

// BenchmarkIdleHeap is the heap a Runtime holds once created, with n of them
// alive: the idle-B/runtime metric. BenchmarkIdleHeapGojaNodejs is the same
// for goja_nodejs's event loop.
func BenchmarkIdleHeap(b *testing.B) {
	learnBindings(b)
	benchIdleHeap(b, func() func() {
		rt, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		return func() { rt.Close() }
	})
}

// BenchmarkIdleHeapAfterRun is BenchmarkIdleHeap for runtimes that have run
// an empty script: what every runtime holds before it uses a web API (the
// built-ins installed before the first script, the intrinsics captured).
func BenchmarkIdleHeapAfterRun(b *testing.B) {
	learnBindings(b)
	benchIdleHeap(b, func() func() {
		rt, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		if err := rt.RunScript(context.Background(), "[eval].js", ""); err != nil {
			b.Fatal(err)
		}
		return func() { rt.Close() }
	})
}

// smallScript is a script of the kind a plugin runs: built-ins, JSON, a
// promise reaction and a timer, no web API but setTimeout.
const smallScript = `
	const doubled = [1, 2, 3].map((x) => x * 2);
	globalThis.result = JSON.stringify({ doubled, at: new Date(0).toISOString() });
	Promise.resolve(doubled.length).then((n) => { globalThis.count = n; });
	setTimeout(() => { globalThis.done = true; }, 0);
`

// BenchmarkHeapAfterScript is the heap a Runtime keeps once it has run
// smallScript to its end, with n of them alive: the idle-B/runtime metric.
// BenchmarkHeapAfterScriptGojaNodejs is the same for goja_nodejs's event
// loop (with require and console) running the same script.
func BenchmarkHeapAfterScript(b *testing.B) {
	learnBindings(b)
	benchIdleHeap(b, func() func() {
		rt, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		if err := rt.RunScript(context.Background(), "small.js", smallScript); err != nil {
			b.Fatal(err)
		}
		return func() { rt.Close() }
	})
}

func BenchmarkHeapAfterScriptGojaNodejs(b *testing.B) {
	benchIdleHeap(b, func() func() {
		loop := nodeloop.NewEventLoop()
		var err error
		loop.Run(func(vm *goja.Runtime) { _, err = vm.RunString(smallScript) })
		if err != nil {
			b.Fatal(err)
		}
		// The loop, and its goja runtime, stay reachable until measured.
		return func() { goruntime.KeepAlive(loop) }
	})
}

func BenchmarkIdleHeapGojaNodejs(b *testing.B) {
	benchIdleHeap(b, func() func() {
		loop := nodeloop.NewEventLoop()
		loop.Start()
		return func() { loop.Stop() }
	})
}

// benchIdleHeap creates runtimes with create, which returns what closes one,
// and reports the heap each holds.
func benchIdleHeap(b *testing.B, create func() (close func())) {
	const n = 100
	var ms goruntime.MemStats
	var perRuntime float64
	closers := make([]func(), n)
	for b.Loop() {
		b.StopTimer()
		goruntime.GC()
		goruntime.ReadMemStats(&ms)
		before := ms.HeapAlloc
		b.StartTimer()
		for i := range closers {
			closers[i] = create()
		}
		b.StopTimer()
		goruntime.GC()
		goruntime.ReadMemStats(&ms)
		perRuntime = float64(int64(ms.HeapAlloc)-int64(before)) / n
		for _, c := range closers {
			c()
		}
		clear(closers)
		b.StartTimer()
	}
	b.ReportMetric(perRuntime, "idle-B/runtime")
}

// learnBindings makes the first two Runtimes of the process, the second of
// which learns what the web APIs define (see bindings.Defer).
func learnBindings(b *testing.B) {
	for range 2 {
		rt, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		rt.Close()
	}
}

// BenchmarkRunEmpty is what the CLI does for an empty script once the process has
// started: create a Runtime, run the script to the end of the event loop, close.
func BenchmarkRunEmpty(b *testing.B) {
	learnBindings(b)
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		rt, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		if err := rt.RunScript(ctx, "[eval].js", ""); err != nil {
			b.Fatal(err)
		}
		rt.Close()
	}
}

// BenchmarkRunEval is what `wsjs eval 0` does in its process: the first
// Runtime of a process installs every web API at once (see bindings.Defer),
// as each iteration here does, runs a trivial script to the end of the event
// loop and closes.
func BenchmarkRunEval(b *testing.B) {
	eagerBindings.Store(true)
	defer eagerBindings.Store(false)
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		rt, err := New(Options{Stdout: io.Discard, Stderr: io.Discard, Args: []string{}})
		if err != nil {
			b.Fatal(err)
		}
		if err := rt.RunScript(ctx, "[eval].js", "0"); err != nil {
			b.Fatal(err)
		}
		rt.Close()
	}
}

// loadBenchFiles is a TypeScript entry importing a module of many small
// functions: some 200 KB to bundle and compile.
func loadBenchFiles(b *testing.B) string {
	var lib strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&lib, "export function f%d(x: number): number { const y = x * %d; return y > 10 ? y - %d : [y, %d].reduce((a, b) => a + b, 0); }\n", i, i, i, i)
	}
	return writeFiles(b, map[string]string{
		"lib.ts":  lib.String(),
		"main.ts": "import * as lib from './lib.ts';\nexport const n = Object.keys(lib).length;\n",
	})
}

// BenchmarkLoadRunFile is loading a script the way RunFile does, bundling
// and compiling it each time; BenchmarkLoadCompiled runs the Script compiled
// once. Creating and closing the runtime is left out of both.
func BenchmarkLoadRunFile(b *testing.B) {
	dir := loadBenchFiles(b)
	benchLoad(b, func(rt *Runtime) error { return rt.RunFile(context.Background(), filepath.Join(dir, "main.ts")) })
}

func BenchmarkLoadCompiled(b *testing.B) {
	dir := loadBenchFiles(b)
	s, err := Compile(CompileOptions{Path: "main.ts", Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	benchLoad(b, func(rt *Runtime) error { return rt.Run(context.Background(), s) })
}

// BenchmarkLoadCompiledGoja is BenchmarkLoadCompiled's peer: the same
// functions as one classic script, compiled once by goja and run in a new
// plain goja runtime each time (no module linking, no web APIs).
func BenchmarkLoadCompiledGoja(b *testing.B) {
	var src strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&src, "function f%d(x) { const y = x * %d; return y > 10 ? y - %d : [y, %d].reduce((a, b) => a + b, 0); }\n", i, i, i, i)
	}
	src.WriteString("var n = 2000;\n")
	p, err := goja.Compile("lib.js", src.String(), false)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := goja.New().RunProgram(p); err != nil {
			b.Fatal(err)
		}
	}
}

func benchLoad(b *testing.B, load func(*Runtime) error) {
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		rt, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := load(rt); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		rt.Close()
		b.StartTimer()
	}
}

const callBenchSrc = "export function add(a, b) { return a + b; }"

// BenchmarkCall is calling an export of a served script from another
// goroutine and getting its result; BenchmarkCallGoja is the same call made
// with plain goja on the goroutine that owns the runtime.
func BenchmarkCall(b *testing.B) {
	rt, _ := startScript(b, CompileOptions{Path: "add.js", Source: callBenchSrc, Dir: b.TempDir()}, Options{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if v, err := rt.Call(ctx, "add", 1, 2); err != nil || v != int64(3) {
			b.Fatal(v, err)
		}
	}
}

func BenchmarkCallGoja(b *testing.B) {
	vm := goja.New()
	if _, err := vm.RunString(strings.Replace(callBenchSrc, "export ", "", 1)); err != nil {
		b.Fatal(err)
	}
	add, _ := goja.AssertFunction(vm.Get("add"))
	b.ReportAllocs()
	for b.Loop() {
		v, err := add(goja.Undefined(), vm.ToValue(1), vm.ToValue(2))
		if err != nil || v.Export() != int64(3) {
			b.Fatal(v, err)
		}
	}
}

// BenchmarkAwait is an async function awaiting 1000 values of each kind
// (numbers, promises, thenable objects) in a Runtime made once: every await
// awaits the realm's PromiseResolve of its value (bindings/builtins,
// promiseresolve.go).
func BenchmarkAwait(b *testing.B) {
	for _, c := range []struct{ name, value string }{
		{"number", "i"},
		{"promise", "p"},
		{"thenable", "t"},
	} {
		b.Run(c.name, func(b *testing.B) {
			learnBindings(b)
			s, err := Compile(CompileOptions{Path: "await.js", Source: `(async () => {
				const p = Promise.resolve(1), t = { then(f) { f(1) } };
				for (let i = 0; i < 1000; i++) await ` + c.value + `
			})()`})
			if err != nil {
				b.Fatal(err)
			}
			rt, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
			if err != nil {
				b.Fatal(err)
			}
			defer rt.Close()
			b.ReportAllocs()
			for b.Loop() {
				if err := rt.Run(context.Background(), s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
