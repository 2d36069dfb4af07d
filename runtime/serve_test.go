package runtime

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/eventloop"
)

// startScript compiles opts and starts it in a new runtime, closed with the test.
func startScript(t testing.TB, copts CompileOptions, opts Options) (*Runtime, *syncBuffer) {
	t.Helper()
	s, err := Compile(copts)
	if err != nil {
		t.Fatal(err)
	}
	var errOut syncBuffer
	if opts.Stderr == nil {
		opts.Stderr = &errOut
	}
	rt, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rt.Start(ctx, s); err != nil {
		t.Fatalf("Start: %v", err)
	}
	return rt, &errOut
}

const pluginTS = `
import { double, check } from "./lib.ts";
let calls = 0;
export function onRequest(req: { path: string }): string {
  calls++;
  return req.path + " " + double(calls);
}
export async function later(ms: number): Promise<number[]> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return [ms, calls];
}
export function fail(): never {
  throw new TypeError("bad input");
}
export async function reject(): Promise<void> {
  await null;
  check(-1);
}
export function spin(): void {
  for (;;) {}
}
export async function spinAfterAwait(): Promise<void> {
  await null;
  for (;;) {}
}
export default {
  greeting: "hi",
  fetch(name: string) { return this.greeting + " " + name; },
};
`

const libTS = `export function double(n: number): number {
  return n * 2;
}
export function check(n: number): void {
  if (n < 0) throw new RangeError("negative: " + n);
}
`

func pluginFS() fstest.MapFS {
	return fstest.MapFS{
		"plugin.ts": {Data: []byte(pluginTS)},
		"lib.ts":    {Data: []byte(libTS)},
	}
}

func TestCall(t *testing.T) {
	rt, _ := startScript(t, CompileOptions{FS: pluginFS(), Path: "plugin.ts"}, Options{})
	ctx := context.Background()
	tests := []struct {
		name string
		args []any
		want any
	}{
		{"onRequest", []any{map[string]any{"path": "/a"}}, "/a 2"},
		{"onRequest", []any{map[string]any{"path": "/b"}}, "/b 4"},
		{"later", []any{1}, []any{int64(1), int64(2)}},
		{"default.fetch", []any{"you"}, "hi you"},
	}
	for _, tt := range tests {
		got, err := rt.Call(ctx, tt.name, tt.args...)
		if err != nil {
			t.Fatalf("Call(%s): %v", tt.name, err)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Call(%s) = %#v, want %#v", tt.name, got, tt.want)
		}
	}
}

func TestCallErrors(t *testing.T) {
	rt, errOut := startScript(t, CompileOptions{FS: pluginFS(), Path: "plugin.ts"}, Options{})
	ctx := context.Background()
	tests := []struct {
		name      string
		inPromise bool
		message   string
		frame     string // the innermost stack frame, mapped
	}{
		{"fail", false, "TypeError: bad input", "at fail (plugin.ts:13:9)"},
		{"reject", true, "RangeError: negative: -1", "at check (lib.ts:5:20)"},
	}
	for _, tt := range tests {
		_, err := rt.Call(ctx, tt.name)
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Call(%s) = %v, want an *Error", tt.name, err)
		}
		if e.InPromise != tt.inPromise || e.Message != tt.message {
			t.Errorf("Call(%s): %+v", tt.name, e)
		}
		if first, _, _ := strings.Cut(strings.TrimSpace(e.Stack), "\n"); first != tt.frame {
			t.Errorf("Call(%s): stack %q, want it to start with %q", tt.name, e.Stack, tt.frame)
		}
	}
	for _, name := range []string{"nothing", "default.greeting", "default.fetch.x.y"} {
		if _, err := rt.Call(ctx, name); !errors.Is(err, ErrNotFunction) || !strings.Contains(err.Error(), name) {
			t.Errorf("Call(%s) = %v, want ErrNotFunction naming it", name, err)
		}
	}
	if err := rt.Err(); err != nil {
		t.Errorf("Err after failed calls = %v, want nil: the runtime serves on", err)
	}
	// Errors that go back to the caller are not uncaught.
	if s := errOut.String(); s != "" {
		t.Errorf("stderr: %q", s)
	}
}

func TestCallDeadline(t *testing.T) {
	for _, export := range []string{"spin", "spinAfterAwait"} {
		t.Run(export, func(t *testing.T) { testCallDeadline(t, export) })
	}
}

func testCallDeadline(t *testing.T, export string) {
	rt, _ := startScript(t, CompileOptions{FS: pluginFS(), Path: "plugin.ts"}, Options{})
	for i := range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		_, err := rt.Call(ctx, export)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Call(%s) #%d = %v, want the deadline", export, i, err)
		}
		// The runtime goes on serving, or says why it cannot.
		got, err := rt.Call(context.Background(), "default.fetch", "again")
		switch {
		case err == nil && got == "hi again":
		case err == nil:
			t.Fatalf("after the deadline: %v", got)
		case errors.Is(err, eventloop.ErrStaleFrames):
			if !errors.Is(rt.Err(), eventloop.ErrStaleFrames) {
				t.Fatalf("Err = %v after Call returned %v", rt.Err(), err)
			}
			return // goja cannot go on: the runtime says so
		default:
			t.Fatalf("after the deadline: %v", err)
		}
	}
}

// TestErrAfterCallDeadline checks that Err says a runtime is unusable as
// soon as Call returns the deadline whose interrupt broke it: here, in the
// microtasks that follow the called function, inside a promise job.
func TestErrAfterCallDeadline(t *testing.T) {
	for i := range 20 {
		rt, _ := startScript(t, CompileOptions{Path: "spin.js", Dir: t.TempDir(), Source: `
			export function spinLater() { return (async () => { await null; for (;;) {} })(); }
		`}, Options{})
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		_, err := rt.Call(ctx, "spinLater")
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("#%d: Call = %v, want the deadline", i, err)
		}
		if err := rt.Err(); !errors.Is(err, eventloop.ErrStaleFrames) {
			t.Fatalf("#%d: Err = %v right after the call, want eventloop.ErrStaleFrames", i, err)
		}
		rt.Close()
	}
}

func TestStartAwaitsTopLevel(t *testing.T) {
	rt, _ := startScript(t, CompileOptions{Path: "tla.ts", Source: `
		const config = await new Promise<{ n: number }>((resolve) => setTimeout(() => resolve({ n: 41 }), 5));
		export const next = () => config.n + 1;
	`, Dir: t.TempDir()}, Options{})
	got, err := rt.Call(context.Background(), "next")
	if err != nil || got != int64(42) {
		t.Fatalf("Call(next) = %v, %v", got, err)
	}
}

func TestStartErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, src string
		want      string
	}{
		{"throws.ts", "throw new Error('no config'); export {};", "Uncaught Error: no config"},
		{"rejects.ts", "await Promise.reject(new Error('later')); export {};", "Uncaught (in promise) Error: later"},
		{"host.ts", "import { x } from 'host:none'; console.log(x);", "Cannot find module 'host:none'"},
	}
	for _, tt := range tests {
		s, err := Compile(CompileOptions{Path: tt.name, Source: tt.src, Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		var errOut syncBuffer
		rt, _ := New(Options{Stderr: &errOut})
		err = rt.Start(context.Background(), s)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Start = %v, want %q", tt.name, err, tt.want)
		}
		if _, err := rt.Call(context.Background(), "x"); !errors.Is(err, ErrNotServing) {
			t.Errorf("%s: Call after a failed Start = %v", tt.name, err)
		}
		if e := rt.Err(); e == nil || e.Error() != err.Error() {
			t.Errorf("%s: Err after a failed Start = %v, want Start's %v", tt.name, e, err)
		}
		if err := rt.Start(context.Background(), s); !errors.Is(err, ErrServing) {
			t.Errorf("%s: second Start = %v", tt.name, err)
		}
		rt.Close()
	}
}

func TestStartContext(t *testing.T) {
	s, err := Compile(CompileOptions{Path: "slow.js", Source: "for (;;) {} export {};", Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	rt, _ := New(Options{})
	defer rt.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := rt.Start(ctx, s); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Start = %v", err)
	}
}

func TestCompileOnceRunMany(t *testing.T) {
	s, err := Compile(CompileOptions{FS: pluginFS(), Path: "plugin.ts"})
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			rt, err := New(Options{})
			if err != nil {
				errs <- err
				return
			}
			defer rt.Close()
			if err := rt.Start(context.Background(), s); err != nil {
				errs <- err
				return
			}
			for j := 1; j <= 3; j++ {
				got, err := rt.Call(context.Background(), "onRequest", map[string]any{"path": fmt.Sprint(i)})
				if want := fmt.Sprintf("%d %d", i, 2*j); err != nil || got != want {
					errs <- fmt.Errorf("runtime %d call %d = %v, %v; want %q", i, j, got, err, want)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCompileSources(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.ts": pluginTS, "lib.ts": libTS})
	tests := []struct {
		name string
		opts CompileOptions
	}{
		{"file", CompileOptions{Path: "main.ts", Dir: dir}},
		{"memory", CompileOptions{Path: "inline.ts", Source: pluginTS, Dir: dir}},
		{"fs", CompileOptions{Path: "plugin.ts", FS: pluginFS()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt, _ := startScript(t, tt.opts, Options{})
			got, err := rt.Call(context.Background(), "default.fetch", tt.name)
			if err != nil || got != "hi "+tt.name {
				t.Errorf("Call = %v, %v", got, err)
			}
		})
	}
	if _, err := Compile(CompileOptions{FS: fstest.MapFS{"a.ts": {Data: []byte("import './missing'; export {};")}}, Path: "a.ts"}); err == nil || !strings.Contains(err.Error(), "a.ts:1:") {
		t.Errorf("Compile with a missing import: %v", err)
	}
}

func TestCommonJSEntry(t *testing.T) {
	rt, _ := startScript(t, CompileOptions{Path: "plugin.cjs", Source: "module.exports = { twice: (n) => 2 * n };", Dir: t.TempDir()}, Options{})
	if got, err := rt.Call(context.Background(), "twice", 21); err != nil || got != int64(42) {
		t.Errorf("Call(twice) = %v, %v", got, err)
	}
}

func TestClassicScriptCallsGlobals(t *testing.T) {
	rt, _ := startScript(t, CompileOptions{Path: "classic.js", Source: "function add(a, b) { return a + b; }", Dir: t.TempDir()}, Options{})
	if got, err := rt.Call(context.Background(), "add", 2, 3); err != nil || got != int64(5) {
		t.Errorf("Call(add) = %v, %v", got, err)
	}
}

func TestHostModules(t *testing.T) {
	release := make(chan struct{})
	var store sync.Map
	modules := map[string]Module{
		"kv": {
			"get": func(key string) any { v, _ := store.Load(key); return v },
			"set": func(key string, v any) { store.Store(key, v) },
			"fetch": AsyncFunc(func(ctx context.Context, args []any) (any, error) {
				select {
				case <-release:
				case <-ctx.Done():
					return nil, ctx.Err()
				}
				if args[0] == "bad" {
					return nil, errors.New("no such key")
				}
				return "value of " + fmt.Sprint(args[0]), nil
			}),
		},
	}
	var out syncBuffer
	s, err := Compile(CompileOptions{Path: "kv.ts", Dir: t.TempDir(), Source: `
		import { get, set, fetch } from "host:kv";
		import kv from "host:kv";
		set("a", 1);
		console.log(get("a"), kv.get === get);
		const b = fetch("b");
		const bad = fetch("bad").catch((e) => "rejected: " + e.message);
		console.log(await b);
		console.log(await bad);
		export {};
	`})
	if err != nil {
		t.Fatal(err)
	}
	rt, err := New(Options{Stdout: &out, Modules: modules})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	// Run ends when the loop is idle: the pending Go calls keep it alive.
	done := make(chan error, 1)
	go func() { done <- rt.Run(context.Background(), s) }()
	select {
	case err := <-done:
		t.Fatalf("Run ended with Go calls pending: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	want := "1 true\nvalue of b\nrejected: no such key\n"
	if got := out.String(); got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

func TestOnErrorWhileServing(t *testing.T) {
	errs := make(chan error, 1)
	rt, errOut := startScript(t, CompileOptions{Path: "bg.js", Dir: t.TempDir(), Source: `
		export function later() { setTimeout(() => { throw new Error("in the background"); }, 0); }
		export const ping = () => "pong";
	`}, Options{OnError: func(err error) { errs <- err }})
	if _, err := rt.Call(context.Background(), "later"); err != nil {
		t.Fatal(err)
	}
	err := <-errs
	var e *Error
	if !errors.As(err, &e) || e.Message != "Error: in the background" || !strings.Contains(e.Stack, "bg.js:2:") {
		t.Fatalf("OnError got %#v", err)
	}
	if got, err := rt.Call(context.Background(), "ping"); err != nil || got != "pong" {
		t.Errorf("after the error: %v, %v", got, err)
	}
	if !strings.Contains(errOut.String(), "Uncaught Error: in the background") {
		t.Errorf("stderr %q", errOut.String())
	}
}

func TestCloseWhileServing(t *testing.T) {
	s, err := Compile(CompileOptions{FS: pluginFS(), Path: "plugin.ts"})
	if err != nil {
		t.Fatal(err)
	}
	before := goruntime.NumGoroutine()
	rt, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.Start(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	// A call waiting on a timer, one that spins and a Do queued behind it.
	results := make(chan error, 3)
	go func() { _, err := rt.Call(context.Background(), "later", 60_000); results <- err }()
	go func() { _, err := rt.Call(context.Background(), "spin"); results <- err }()
	go func() { results <- rt.Do(context.Background(), func(*goja.Runtime) error { return nil }) }()
	rt.Close()
	for range 3 {
		if err := <-results; err != nil && !errors.Is(err, ErrClosed) {
			t.Errorf("Call or Do during Close = %v, want ErrClosed", err)
		}
	}
	if _, err := rt.Call(context.Background(), "onRequest"); !errors.Is(err, ErrClosed) {
		t.Errorf("Call after Close = %v", err)
	}
	if err := rt.Err(); !errors.Is(err, ErrClosed) {
		t.Errorf("Err after Close = %v", err)
	}
	checkGoroutines(t, before)
}
