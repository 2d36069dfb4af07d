package main

import (
	"context"
	"errors"
	"testing"

	"github.com/wsjs/wsjs/runtime"
)

// TestPost checks that a serving plugin hears the events the host posts,
// in order with the requests, and that Post returns whatever becomes of the
// runtime.
func TestPost(t *testing.T) {
	f := newFixture(t)
	f.check([]exchange{
		{path: "/plugins/hello/message", status: 200, body: ""},
		{method: "POST", path: "/events/hello", send: "first", status: 200, body: "posted"},
		{method: "POST", path: "/events/hello", send: "second", status: 200, body: "posted"},
		{path: "/plugins/hello/message", status: 200, body: "second"},
		{method: "POST", path: "/events/none", send: "x", status: 404},
	})
	// The runtime serves events between requests for as long as it lives:
	// its loop has nothing else to do meanwhile.
	for _, data := range []string{"a", "b", "c"} {
		if err := f.host.Post(context.Background(), "hello", data); err != nil {
			t.Fatal(err)
		}
		if got, err := f.host.Fetch(context.Background(), "hello", map[string]any{"path": "/message"}); err != nil || got.(map[string]any)["body"] != data {
			t.Errorf("after posting %q: %v, %v", data, got, err)
		}
	}

	// A canceled context, or a closed host, makes Post return at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.host.Post(ctx, "hello", "late"); !errors.Is(err, context.Canceled) {
		t.Errorf("Post with a canceled context: %v", err)
	}
	f.host.Close()
	if err := f.host.Post(context.Background(), "hello", "later"); !errors.Is(err, runtime.ErrClosed) {
		t.Errorf("Post after Close: %v", err)
	}
}

// TestPostDeadline checks that a listener that does not return holds the
// host no longer than its deadline: the script is interrupted and the
// runtime replaced. An interrupt that unwinds through a web API's call of
// script (dispatchEvent calling the listener) leaves goja unable to run
// promise jobs, and the runtime says so: it counts as broken. When the
// deadline comes before the listener's task has started (the race detector
// on a loaded machine can take that long), nothing was interrupted and the
// runtime is not broken, but it is replaced all the same.
func TestPostDeadline(t *testing.T) {
	f := newFixture(t)
	f.check([]exchange{
		{method: "POST", path: "/events/bad", send: "hi", status: 200, body: "posted"},
		{method: "POST", path: "/events/bad", send: "loop", status: 504, body: "deadline exceeded"},
		{path: "/plugins/bad/nothing", status: 404, body: "no such misbehaviour"},
	})
	if m := f.host.Metrics()["bad"]; m.Starts != 2 || m.Discards != 1 || m.Broken > 1 {
		t.Errorf("bad after a listener ran out of time: %+v", m)
	}
}
