package runtime

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime/internal/heapwatch"
)

// watchedGlobal defines watched(), which tells script whether the heap
// watchdog runs.
func watchedGlobal(t testing.TB, rt *Runtime) {
	t.Helper()
	if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
		return vm.Set("watched", heapwatch.Running)
	}); err != nil {
		t.Fatal(err)
	}
}

// TestHeapBoundUnderIt runs an ordinary script, watched, with a bound the
// heap is far under: nothing changes.
func TestHeapBoundUnderIt(t *testing.T) {
	var stdout syncBuffer
	rt, err := New(Options{Stdout: &stdout, Limits: Limits{HeapBytes: 1 << 50}})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	watchedGlobal(t, rt)
	err = rt.RunScript(context.Background(), "ordinary.js", `
		const a = []
		for (let i = 0; i < 1e5; i++) a.push("item " + i)
		console.log(watched(), a.length, a.join("").length)`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stdout.String(), "true 100000 988890\n"; got != want {
		t.Errorf("stdout %q, want %q", got, want)
	}
}

// TestHeapBoundExceeded runs script with a bound any heap is over: the
// run, or Do, ends with ErrHeapExceeded, and the runtime closes.
func TestHeapBoundExceeded(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(rt *Runtime) error
	}{
		{"run", func(rt *Runtime) error {
			return rt.RunScript(context.Background(), "loop.js", "for (;;) {}")
		}},
		{"run awaiting a timer", func(rt *Runtime) error {
			return rt.RunScript(context.Background(), "timer.js", "setTimeout(() => { for (;;) {} })")
		}},
		{"Do", func(rt *Runtime) error {
			return rt.Do(context.Background(), func(vm *goja.Runtime) error {
				_, err := vm.RunString("for (;;) {}")
				return err
			})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt, err := New(Options{Limits: Limits{HeapBytes: 1}})
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.run(rt); !errors.Is(err, ErrHeapExceeded) {
				t.Errorf("got %v, want ErrHeapExceeded", err)
			}
			if err := rt.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// BenchmarkHeapBound runs a tight loop in script with the heap watchdog
// sampling (bounded) and without it (unbounded): the watchdog costs the
// script nothing it can measure.
func BenchmarkHeapBound(b *testing.B) {
	for _, bc := range []struct {
		name  string
		bound int64
	}{{"unbounded", -1}, {"bounded", 1 << 50}} {
		b.Run(bc.name, func(b *testing.B) {
			rt, err := New(Options{Limits: Limits{HeapBytes: bc.bound}})
			if err != nil {
				b.Fatal(err)
			}
			defer rt.Close()
			prog := goja.MustCompile("loop.js", strings.TrimSpace(`(() => {
				let x = 0, s = ""
				for (let i = 0; i < 1e5; i++) { x += i; if (i % 1000 === 0) s += i }
				return x + s.length
			})()`), false)
			for b.Loop() {
				if err := rt.Do(context.Background(), func(vm *goja.Runtime) error {
					if bc.bound > 0 && !heapwatch.Running() {
						b.Fatal("not watched")
					}
					_, err := vm.RunProgram(prog)
					return err
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCallHeapBound is BenchmarkCall with and without a heap bound:
// each call's task enters and leaves the watchdog.
func BenchmarkCallHeapBound(b *testing.B) {
	for _, bc := range []struct {
		name  string
		bound int64
	}{{"unbounded", -1}, {"bounded", 1 << 50}} {
		b.Run(bc.name, func(b *testing.B) {
			rt, _ := startScript(b, CompileOptions{Path: "add.js", Source: callBenchSrc, Dir: b.TempDir()}, Options{Limits: Limits{HeapBytes: bc.bound}})
			ctx := context.Background()
			for b.Loop() {
				if v, err := rt.Call(ctx, "add", 1, 2); err != nil || v != int64(3) {
					b.Fatal(v, err)
				}
			}
		})
	}
}

// TestHeapBoundServing serves a script with a bound any heap is over: a
// Call (or Start, if the bound trips while the entry runs) ends with
// ErrHeapExceeded, and so does serving.
func TestHeapBoundServing(t *testing.T) {
	s, err := Compile(CompileOptions{Path: "loop.js", Source: "export function loop() { for (;;) {} }", Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	rt, err := New(Options{Limits: Limits{HeapBytes: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx := context.Background()
	if err = rt.Start(ctx, s); err == nil {
		_, err = rt.Call(ctx, "loop")
	}
	if !errors.Is(err, ErrHeapExceeded) {
		t.Errorf("got %v, want ErrHeapExceeded", err)
	}
	if err := rt.Err(); !errors.Is(err, ErrHeapExceeded) {
		t.Errorf("Err() = %v, want ErrHeapExceeded", err)
	}
}
