package runtime_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wsjs/wsjs/runtime"
)

func TestMetrics(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"main.ts": `
			import { pend, probe } from "host:test";
			let ids: number[] = [];
			export function timers(n: number) { for (let i = 0; i < n; i++) ids.push(setInterval(() => {}, 60_000)); }
			export function clear() { ids.forEach(clearInterval); ids = []; }
			export function wait() { pend(); }
			export function spin(ms: number) { const end = Date.now() + ms; while (Date.now() < end) {} }
			let workers: Worker[] = [];
			export function spawn() { workers.push(new Worker("./worker.js")); }
			export function stop() { workers.forEach((w) => w.terminate()); }
			export function fromScript() { return probe(); }
		`,
		"worker.js": `onmessage = () => {};`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script, err := runtime.Compile(runtime.CompileOptions{Path: filepath.Join(dir, "main.ts")})
	if err != nil {
		t.Fatal(err)
	}
	release, fromScript := make(chan struct{}), make(chan runtime.Metrics, 1)
	var rt *runtime.Runtime
	rt, err = runtime.New(runtime.Options{Modules: map[string]runtime.Module{"test": {
		"pend": runtime.AsyncFunc(func(ctx context.Context, _ []any) (any, error) {
			<-release
			return nil, nil
		}),
		"probe": func() { fromScript <- rt.Metrics() },
	}}})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	if err := rt.Start(context.Background(), script); err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		call string
		args []any
		want func(m runtime.Metrics) bool
	}{
		{"timers", []any{3}, func(m runtime.Metrics) bool { return m.Timers == 3 && m.Tasks == 0 && m.PendingIO == 0 }},
		{"clear", nil, func(m runtime.Metrics) bool { return m.Timers == 0 }},
		{"wait", nil, func(m runtime.Metrics) bool { return m.PendingIO == 1 }},
		{"spin", []any{30}, func(m runtime.Metrics) bool { return m.ScriptTime >= 25*time.Millisecond }}, // Date.now() counts whole milliseconds
		{"spawn", nil, func(m runtime.Metrics) bool { return m.Workers == 1 }},
		{"spawn", nil, func(m runtime.Metrics) bool { return m.Workers == 2 }},
	}
	for _, s := range steps {
		if _, err := rt.Call(context.Background(), s.call, s.args...); err != nil {
			t.Fatalf("%s: %v", s.call, err)
		}
		if m := rt.Metrics(); !s.want(m) {
			t.Errorf("after %s(%v): %+v", s.call, s.args, m)
		}
	}

	// From the loop goroutine, inside script.
	if _, err := rt.Call(context.Background(), "fromScript"); err != nil {
		t.Fatal(err)
	}
	if m := <-fromScript; m.Workers != 2 || m.PendingIO < 1 { // the pending call, and workers at work
		t.Errorf("from script: %+v", m)
	}

	close(release)
	rt.Close()
	if m := rt.Metrics(); m.Timers != 0 || m.Workers != 0 || m.PendingIO != 0 || m.ScriptTime < 25*time.Millisecond {
		t.Errorf("after Close: %+v", m)
	}
}

func ExampleRuntime_Metrics() {
	script, err := runtime.Compile(runtime.CompileOptions{Path: "leaky.ts", Source: `
		export function handle() {
			setInterval(() => {}, 60_000); // never cleared
		}
	`})
	if err != nil {
		panic(err)
	}
	rt, _ := runtime.New(runtime.Options{})
	defer rt.Close()
	if err := rt.Start(context.Background(), script); err != nil {
		panic(err)
	}
	for range 3 {
		rt.Call(context.Background(), "handle")
	}
	m := rt.Metrics()
	fmt.Println("timers:", m.Timers, "tasks:", m.Tasks, "pending I/O:", m.PendingIO, "workers:", m.Workers)
	fmt.Println("ran script:", m.ScriptTime > 0)
	// Output:
	// timers: 3 tasks: 0 pending I/O: 0 workers: 0
	// ran script: true
}
