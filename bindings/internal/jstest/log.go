package jstest

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// Log is the lines a test's script and its Go side record, in order. It is
// safe for use from any goroutine.
type Log struct {
	mu    sync.Mutex
	lines []string
	// logged receives each line as it is added, while it has room.
	logged chan string
}

// NewLog returns an empty log.
func NewLog() *Log { return &Log{logged: make(chan string, 1024)} }

// Add records s.
func (l *Log) Add(s string) {
	l.mu.Lock()
	l.lines = append(l.lines, s)
	l.mu.Unlock()
	select {
	case l.logged <- s:
	default:
	}
}

// Lines returns a copy of the lines recorded so far.
func (l *Log) Lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// Define gives vm the global function log(...values), which records its
// arguments as strings joined by spaces.
func (l *Log) Define(t testing.TB, vm *goja.Runtime) {
	t.Helper()
	if err := vm.Set("log", func(c goja.FunctionCall) goja.Value {
		parts := make([]string, len(c.Arguments))
		for i, a := range c.Arguments {
			parts[i] = a.String()
		}
		l.Add(strings.Join(parts, " "))
		return goja.Undefined()
	}); err != nil {
		t.Fatal(err)
	}
}

// Want checks the lines recorded so far.
func (l *Log) Want(t testing.TB, want ...string) {
	t.Helper()
	got := l.Lines()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("logged:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// WaitFor waits, at most ten seconds, until line is recorded.
func (l *Log) WaitFor(t testing.TB, line string) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case s := <-l.logged:
			if s == line {
				return
			}
		case <-timeout:
			t.Fatalf("timed out waiting for %q; logged %q", line, l.Lines())
		}
	}
}

// Logged returns the channel that receives each line as it is added, while
// the channel has room.
func (l *Log) Logged() <-chan string { return l.logged }
