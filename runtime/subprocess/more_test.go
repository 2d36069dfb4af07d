package subprocess

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/runtime"
)

func TestHostModules(t *testing.T) {
	src := `
import { get, fail, boom } from "host:kv";
export async function read(k) { return await get(k, 2); }
export async function errors() {
	const out = [];
	for (const f of [fail, boom]) {
		try { await f(); } catch (e) { out.push(String(e.message)); }
	}
	return out;
}`
	p := start(t, Config{Path: "kv.js", Source: src, Modules: map[string]map[string]runtime.AsyncFunc{
		"kv": {
			"get": func(ctx context.Context, args []any) (any, error) {
				return map[string]any{"key": args[0], "n": args[1]}, nil
			},
			"fail": func(ctx context.Context, args []any) (any, error) { return nil, errors.New("no such key") },
			"boom": func(ctx context.Context, args []any) (any, error) { panic("boom") },
		},
	}})
	v, err := p.Call(context.Background(), "read", "a")
	if m, ok := v.(map[string]any); err != nil || !ok || m["key"] != "a" || m["n"] != int64(2) {
		t.Errorf("read = %#v, %v", v, err)
	}
	v, err = p.Call(context.Background(), "errors")
	if l, ok := v.([]any); err != nil || !ok || len(l) != 2 || l[0] != "no such key" || l[1] != "panic in host:kv boom: boom" {
		t.Errorf("errors = %#v, %v", v, err)
	}
}

// A host module may be awaited while the entry module is evaluated.
func TestHostModuleAtStart(t *testing.T) {
	src := `import { get } from "host:kv"; const v = await get(); export function value() { return v }`
	p := start(t, Config{Path: "tla.js", Source: src, Modules: map[string]map[string]runtime.AsyncFunc{"kv": {
		"get": func(ctx context.Context, args []any) (any, error) { return "at start", nil },
	}}})
	if v, err := p.Call(context.Background(), "value"); v != "at start" || err != nil {
		t.Errorf("value = %v, %v", v, err)
	}
}

// An interrupt inside a promise job leaves the child's runtime unusable
// (eventloop.ErrStaleFrames): the child says so and exits.
func TestBrokenRuntime(t *testing.T) {
	p := start(t, Config{Path: "late.js", Source: `export async function spin() { await null; for (;;) {} }`})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := p.Call(ctx, "spin"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("spin: %v", err)
	}
	<-p.Done()
	if !errors.Is(p.Err(), eventloop.ErrStaleFrames) {
		t.Errorf("Err = %v", p.Err())
	}
	if _, err := p.Call(context.Background(), "spin"); !errors.Is(err, eventloop.ErrStaleFrames) {
		t.Errorf("call after: %v", err)
	}
}

func TestStartContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := Start(ctx, Config{Path: "loop.js", Source: `for (;;) {}`, Stderr: io.Discard})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Start: %v", err)
	}
}

func TestCommand(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	p := start(t, Config{Command: cmd})
	if v, err := p.Call(context.Background(), "add", 1, 2); v != int64(3) || err != nil {
		t.Errorf("add = %v, %v", v, err)
	}
	if _, err := Start(context.Background(), Config{Path: "a.js", Source: "1", Command: exec.Command("/nonexistent")}); err == nil {
		t.Error("Start of a missing binary: no error")
	}
}

func TestTooLarge(t *testing.T) {
	p := start(t, Config{})
	_, err := p.Call(context.Background(), "echo", strings.Repeat("x", maxFrame))
	if !errors.Is(err, errTooLarge) {
		t.Errorf("Call with a huge argument: %v", err)
	}
	if v, err := p.Call(context.Background(), "add", 1, 2); v != int64(3) || err != nil {
		t.Errorf("add after = %v, %v", v, err)
	}
}

// TestPid checks that Pid names the child: signalled through it, the child
// ends and the call it was running fails.
func TestPid(t *testing.T) {
	p, entered := startBlocker(t)
	if pid := p.Pid(); pid <= 0 || pid == os.Getpid() {
		t.Fatalf("Pid = %d, host %d", pid, os.Getpid())
	}
	errc := make(chan error, 1)
	go func() { _, err := p.Call(context.Background(), "wait"); errc <- err }()
	<-entered
	proc, err := os.FindProcess(p.Pid())
	if err != nil {
		t.Fatal(err)
	}
	proc.Kill()
	var ee *ExitError
	if err := <-errc; !errors.As(err, &ee) {
		t.Errorf("call pending when the child was killed: %v", err)
	}
	<-p.Done()
}
