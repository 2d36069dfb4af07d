package main

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wsjs/wsjs/runtime"
	"github.com/wsjs/wsjs/runtime/subprocess"
)

// isolated returns a Config change that serves plugins out of process, with
// the child's memory bounded where the race detector leaves room for it.
func isolated(names ...string) func(*Config) {
	return func(c *Config) {
		c.Isolate = names
		if !raceEnabled {
			c.ChildMemory = 256 << 20
		}
	}
}

// TestOutOfProcess checks plugins served by child processes: the same
// exports and errors as in process, the Go module over the pipe, and a child
// that crashes, is killed or runs out of memory mid-call: an error for that
// request, not a hang, and a new child for the next.
func TestOutOfProcess(t *testing.T) {
	f := newFixture(t, isolated("bad", "hello"), func(c *Config) {
		c.Timeout = 10 * time.Second // a child's start included, under the race detector
	})
	f.check([]exchange{
		// Top-level await of load, and incr, across the pipe.
		{path: "/plugins/hello/?name=ada", status: 200, body: "hello, ada (visit 1)"},
		{path: "/plugins/hello/?name=ada", status: 200, body: "hello, ada (visit 2)"},
		{path: "/plugins", status: 200, body: `"hello": "greets with \"hello\""`},
		{path: "/plugins/slug/?text=In+Process", status: 200, body: "in-process"},
		{method: "POST", path: "/events/hello", send: "x", status: 501, body: "not for a plugin served out of process"},
		{path: "/plugins/bad/throw", status: 500, body: "TypeError: plugin bug"},
	})
	_, err := f.host.Fetch(context.Background(), "bad", map[string]any{"path": "/reject"})
	if e, ok := err.(*runtime.Error); !ok || !e.InPromise || !strings.Contains(e.Stack, "at rejectLater ("+f.dir+"/bad.ts:54:8)") {
		t.Errorf("a rejection out of process: %#v", err)
	}
	if m := f.host.Metrics()["bad"]; !m.OutOfProcess || m.Starts != 1 || m.Runtime != nil {
		t.Errorf("bad: %+v", m)
	}

	// Killed mid-call: the child's end is the call's error.
	p, _ := f.host.plugin("bad")
	child := p.cur.eng.(*subprocess.Process)
	errc := make(chan error, 1)
	go func() {
		_, err := f.host.Fetch(context.Background(), "bad", map[string]any{"path": "/loop"})
		errc <- err
	}()
	f.out.waitFor(t, "bad: looping")
	proc, err := os.FindProcess(child.Pid())
	if err != nil {
		t.Fatal(err)
	}
	proc.Kill()
	var ee *subprocess.ExitError
	if err := <-errc; !errors.As(err, &ee) || !strings.Contains(err.Error(), "killed") {
		t.Errorf("call pending when the child was killed: %v", err)
	}

	// The next request starts a new child.
	f.check([]exchange{{path: "/plugins/bad/nothing", status: 404, body: "no such misbehaviour"}})

	// A deadline: the child interrupts the loop, and is replaced all the same.
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	_, err = f.host.Fetch(ctx, "bad", map[string]any{"path": "/loop"})
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a loop out of process: %v", err)
	}

	// Memory bit by bit: the child's heap bound (runtime.Limits.HeapBytes,
	// a quarter of its rlimit) interrupts the script, and the child ends.
	if !raceEnabled {
		f.check([]exchange{{path: "/plugins/bad/hog", status: 502, body: "Limits.HeapBytes"}})
	}

	// Each failure cost a child; the next request starts one more.
	f.check([]exchange{{path: "/plugins/bad/nothing", status: 404, body: "no such misbehaviour"}})
	want := PluginMetrics{OutOfProcess: true, Starts: 3, Discards: 2, Broken: 1}
	if !raceEnabled {
		want = PluginMetrics{OutOfProcess: true, Starts: 4, Discards: 3, Broken: 2}
	}
	if m := f.host.Metrics()["bad"]; m != want {
		t.Errorf("bad after its children ended: %+v, want %+v", m, want)
	}
}
