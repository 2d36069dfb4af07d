//go:build unix

package subprocess

import (
	"context"
	"errors"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestLimits(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		call string
		want error
	}{
		{"memory", Config{MemoryLimit: 256 << 20}, "hog", ErrMemoryLimit},
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
			ee := new(ExitError)
			if !errors.Is(err, tt.want) || !errors.As(err, &ee) {
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
