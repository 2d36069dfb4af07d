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
