//go:build linux || darwin

package subprocess

import (
	"context"
	"errors"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wsjs/wsjs/runtime"
)

func TestLimits(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		call string
		want error
	}{
		// The child's runtime has no heap bound: its rlimit ends it.
		{"memory", Config{MemoryLimit: 256 << 20, Limits: runtime.Limits{HeapBytes: -1}}, "hog", ErrMemoryLimit},
		{"cpu", Config{CPUTime: time.Second}, "spin", ErrCPULimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.cfg.MemoryLimit > 0 && raceEnabled {
				t.Skip("the race detector's shadow memory exceeds the limit")
			}
			tt.cfg.Stderr = io.Discard
			p := start(t, tt.cfg)
			if v, err := p.Call(context.Background(), "add", 1, 2); v != int64(3) || err != nil {
				t.Fatalf("add under the limit = %v, %v", v, err)
			}
			_, err := p.Call(context.Background(), tt.call)
			var ee *ExitError
			if !errors.As(err, &ee) || !errors.Is(err, tt.want) {
				if ee == nil {
					ee = new(ExitError)
				}
				t.Fatalf("%s: %v\n%s", tt.call, err, ee.Stderr)
			}
			if !errors.Is(p.Err(), tt.want) {
				t.Errorf("Err = %v", p.Err())
			}
		})
	}
}

func TestCrashReport(t *testing.T) {
	p := start(t, Config{Stderr: io.Discard})
	p.cmd.Process.Signal(syscall.SIGQUIT) // a Go crash: goroutine dump, exit status 2
	<-p.Done()
	var ee *ExitError
	if !errors.As(p.Err(), &ee) || ee.State.ExitCode() != 2 || !strings.Contains(ee.Stderr, "SIGQUIT") {
		t.Fatalf("Err = %v", p.Err())
	}
	if !strings.Contains(ee.Error(), "exit status 2") || !strings.Contains(ee.Error(), "SIGQUIT") {
		t.Errorf("Error() = %q", ee.Error())
	}
}

// A child that stops (here, SIGSTOP) cannot hold up a call past its
// context's end and the grace period, even with a large argument that does
// not fit in the pipe.
func TestStoppedChild(t *testing.T) {
	const grace = 200 * time.Millisecond
	p := start(t, Config{Grace: grace})
	p.cmd.Process.Signal(syscall.SIGSTOP)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	_, err := p.Call(ctx, "echo", strings.Repeat("x", 1<<20))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Call: %v", err)
	}
	if d := time.Since(t0); d > time.Second {
		t.Errorf("Call returned after %v", d)
	}
	<-p.Done()
	var ee *ExitError
	if !errors.As(p.Err(), &ee) || ee.Err == nil || !strings.Contains(ee.Error(), "after its context ended") {
		t.Errorf("Err = %v", p.Err())
	}
}

// A binary that does not call Main does not hold up Start past its context.
func TestChildWithoutMain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := Start(ctx, Config{Path: "big.js", Source: strings.Repeat(" ", 1<<20), Command: exec.Command("sleep", "60")})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Start: %v", err)
	}
}

// TestHeapBound checks that a child's runtime has a heap bound under its
// memory limit by default (runtime.Limits.HeapBytes, a quarter of it): a
// script that grows the heap is interrupted before the rlimit is reached,
// the host sees runtime.ErrHeapExceeded, and the child, whose runtime is
// done, fails later calls with it too.
func TestHeapBound(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's shadow memory exceeds the limit")
	}
	p := start(t, Config{MemoryLimit: 256 << 20, Stderr: io.Discard})
	_, err := p.Call(context.Background(), "hog")
	if !errors.Is(err, runtime.ErrHeapExceeded) {
		t.Fatalf("hog: %v, want runtime.ErrHeapExceeded", err)
	}
	if _, err := p.Call(context.Background(), "add", 1, 2); !errors.Is(err, runtime.ErrHeapExceeded) {
		t.Errorf("add after the bound: %v, want runtime.ErrHeapExceeded", err)
	}
}
