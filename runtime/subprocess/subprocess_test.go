package subprocess

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/runtime"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(envHostile); mode != "" {
		os.Exit(hostileChild(mode))
	}
	Main()
	os.Exit(m.Run())
}

const plugin = `
export function add(a, b) { return a + b; }
export async function echo(v) { await null; return v; }
export function fail() { throw new TypeError("boom"); }
export async function reject() { await null; throw new RangeError("later"); }
export function spin() { for (;;) {} }
export function hog() { const a = []; for (;;) a.push(new Array(1e4).fill(a.length)); }
export function log(s) { console.log(s); console.error("e:" + s); }
export function fn() { return () => 1; }
`

// start starts a child serving plugin, closed when the test ends.
func start(t testing.TB, cfg Config) *Process {
	t.Helper()
	if cfg.Source == "" {
		cfg.Path, cfg.Source = "plugin.js", plugin
	}
	p, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestCall(t *testing.T) {
	p := start(t, Config{})
	tests := []struct {
		name string
		args []any
		want any
	}{
		{"add", []any{2, 3}, int64(5)},
		{"add", []any{"a", "b"}, "ab"},
		{"echo", []any{1.5}, 1.5},
		{"echo", []any{nil}, nil},
		{"echo", []any{map[string]any{"a": []any{1, "x", true, nil}}},
			map[string]any{"a": []any{int64(1), "x", true, nil}}},
	}
	for _, tt := range tests {
		got, err := p.Call(context.Background(), tt.name, tt.args...)
		if err != nil {
			t.Fatalf("%s%v: %v", tt.name, tt.args, err)
		}
		if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", tt.want) {
			t.Errorf("%s%v = %#v, want %#v", tt.name, tt.args, got, tt.want)
		}
	}
}

func TestCallErrors(t *testing.T) {
	p := start(t, Config{})
	ctx := context.Background()
	var se *runtime.Error
	_, err := p.Call(ctx, "fail")
	if !errors.As(err, &se) || se.Message != "TypeError: boom" || !strings.Contains(se.Stack, "plugin.js:4") || se.InPromise {
		t.Errorf("fail: %#v", err)
	}
	_, err = p.Call(ctx, "reject")
	if !errors.As(err, &se) || se.Message != "RangeError: later" || !se.InPromise {
		t.Errorf("reject: %#v", err)
	}
	if _, err := p.Call(ctx, "nothing"); !errors.Is(err, runtime.ErrNotFunction) {
		t.Errorf("nothing: %v", err)
	}
	var ce *structuredclone.DataCloneError
	if _, err := p.Call(ctx, "fn"); !errors.As(err, &ce) || !strings.Contains(err.Error(), "function could not be cloned") {
		t.Errorf("fn: %v", err)
	}
	if _, err := p.Call(ctx, "echo", func() {}); !errors.As(err, &ce) || !strings.Contains(err.Error(), "func()") {
		t.Errorf("echo(func): %v", err)
	}
	if p.Err() != nil {
		t.Errorf("Err = %v after errors of calls", p.Err())
	}
	if v, err := p.Call(ctx, "add", 1, 1); v != int64(2) || err != nil {
		t.Errorf("add after errors = %v, %v", v, err)
	}
}

func TestStartErrors(t *testing.T) {
	_, err := Start(context.Background(), Config{Path: "bad.js", Source: "let = ;"})
	var le *runtime.LoadError
	if !errors.As(err, &le) || len(le.Problems) == 0 || le.Problems[0].File == "" {
		t.Errorf("syntax error: %#v", err)
	}
	_, err = Start(context.Background(), Config{Path: "throws.js", Source: `throw new Error("at start")`})
	var se *runtime.Error
	if !errors.As(err, &se) || se.Message != "Error: at start" {
		t.Errorf("throw at start: %#v", err)
	}
}

func TestDeadline(t *testing.T) {
	const grace = 2 * time.Second
	p := start(t, Config{Grace: grace})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	_, err := p.Call(ctx, "spin")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("spin: %v", err)
	}
	if d := time.Since(t0); d > 100*time.Millisecond+grace {
		t.Errorf("spin returned after %v", d)
	}
	if v, err := p.Call(context.Background(), "add", 1, 2); v != int64(3) || err != nil {
		t.Errorf("add after interrupt = %v, %v (Err %v)", v, err, p.Err())
	}
}

// blocker is a script whose wait() tells the host it has started, through
// a host module, then never settles.
const blocker = `
import { entered } from "host:test";
export async function wait() { await entered(); await new Promise(() => {}); }
export function add(a, b) { return a + b; }
`

func startBlocker(t *testing.T) (*Process, chan struct{}) {
	entered := make(chan struct{}, 10)
	p := start(t, Config{Path: "blocker.js", Source: blocker, Modules: map[string]map[string]runtime.AsyncFunc{
		"test": {"entered": func(ctx context.Context, args []any) (any, error) {
			entered <- struct{}{}
			return nil, nil
		}},
	}})
	return p, entered
}

func TestKilledMidCall(t *testing.T) {
	p, entered := startBlocker(t)
	errc := make(chan error, 3)
	for range 3 {
		go func() { _, err := p.Call(context.Background(), "wait"); errc <- err }()
		<-entered
	}
	p.cmd.Process.Kill()
	var ee *ExitError
	for range 3 {
		if err := <-errc; !errors.As(err, &ee) || ee.State == nil || ee.State.Success() {
			t.Errorf("call pending at kill: %v", err)
		}
	}
	<-p.Done()
	if !errors.As(p.Err(), &ee) {
		t.Errorf("Err = %v", p.Err())
	}
	if _, err := p.Call(context.Background(), "add", 1, 2); !errors.As(err, &ee) {
		t.Errorf("call after kill: %v", err)
	}

	// Restart.
	p, _ = startBlocker(t)
	if v, err := p.Call(context.Background(), "add", 1, 2); v != int64(3) || err != nil {
		t.Errorf("add after restart = %v, %v", v, err)
	}
}

// closeDuringWait calls wait, closes p once entered says the call is under
// way, and checks that the call returns ErrClosed.
func closeDuringWait(t *testing.T, p *Process, entered <-chan struct{}) {
	t.Helper()
	errc := make(chan error, 1)
	go func() { _, err := p.Call(context.Background(), "wait"); errc <- err }()
	<-entered
	p.Close()
	if err := <-errc; !errors.Is(err, runtime.ErrClosed) {
		t.Errorf("call pending at Close: %v", err)
	}
}

func TestCloseDuringCall(t *testing.T) {
	p, entered := startBlocker(t)
	closeDuringWait(t, p, entered)
	if !errors.Is(p.Err(), runtime.ErrClosed) {
		t.Errorf("Err = %v", p.Err())
	}
}

// A call awaiting a host function when Close comes returns ErrClosed too,
// not the rejection the host function's cancellation gives its promise.
func TestCloseDuringHostCall(t *testing.T) {
	entered := make(chan struct{})
	p := start(t, Config{Path: "hold.js", Source: `
import { hold } from "host:test";
export async function wait() { await hold(); }
`, Modules: map[string]map[string]runtime.AsyncFunc{
		"test": {"hold": func(ctx context.Context, args []any) (any, error) {
			close(entered)
			<-ctx.Done()
			return nil, ctx.Err()
		}},
	}})
	closeDuringWait(t, p, entered)
}

func TestConcurrentCalls(t *testing.T) {
	p := start(t, Config{})
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			v, err := p.Call(context.Background(), "echo", i)
			if v != int64(i) || err != nil {
				t.Errorf("echo(%d) = %v, %v", i, v, err)
			}
		})
	}
	wg.Wait()
}

func TestConsole(t *testing.T) {
	var out, errb bytes.Buffer
	p := start(t, Config{Stdout: &out, Stderr: &errb})
	if _, err := p.Call(context.Background(), "log", "hi"); err != nil {
		t.Fatal(err)
	}
	// The output crossed the pipe before the result, and was written first.
	if out.String() != "hi\n" || !strings.Contains(errb.String(), "e:hi") {
		t.Errorf("stdout %q, stderr %q", out.String(), errb.String())
	}
}

func TestGoroutinesAfterEnd(t *testing.T) {
	ends := []struct {
		name string
		end  func(p *Process)
	}{
		{"Close", func(p *Process) { p.Close() }},
		{"kill", func(p *Process) { p.cmd.Process.Kill(); <-p.Done() }},
	}
	for _, e := range ends {
		t.Run(e.name, func(t *testing.T) {
			before := goruntime.NumGoroutine()
			p, err := Start(context.Background(), Config{Path: "plugin.js", Source: plugin})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.Call(context.Background(), "add", 1, 2); err != nil {
				t.Fatal(err)
			}
			e.end(p)
			// The goroutine that closed Done may not have returned yet.
			for i := 0; goruntime.NumGoroutine() > before; i++ {
				if i == 1000 {
					t.Fatalf("%d goroutines after the end, %d before", goruntime.NumGoroutine(), before)
				}
				time.Sleep(time.Millisecond)
			}
		})
	}
}
