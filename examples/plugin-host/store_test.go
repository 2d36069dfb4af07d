package main

import (
	"context"
	"testing"
)

// TestStore checks the host's Go module: a sync function, a sync function
// converting its arguments as a web API does, and an async one awaited at
// the plugin's top level before the host serves it.
func TestStore(t *testing.T) {
	f := newFixture(t)
	f.check([]exchange{
		{path: "/plugins/hello/?name=ada", status: 200, body: "hello, ada (visit 1)"},
		// [EnforceRange] long long refuses 2**53: a TypeError, where goja's
		// conversion would have taken it.
		{path: "/plugins/bad/idl", status: 500, body: "TypeError: Value is outside the 'long long' value range."},
	})
	if got := f.host.kv.get("bad.count"); got != "" {
		t.Errorf("bad.count = %q after a refused incr", got)
	}

	// The greeting is loaded when the plugin starts: Reload waits for its
	// top-level await, and the first request after sees it.
	f.host.kv.set("hello.greeting", "bonjour")
	f.check([]exchange{{path: "/plugins/hello/?name=ada", status: 200, body: "hello, ada (visit 2)"}})
	if err := f.host.Reload(context.Background(), "hello"); err != nil {
		t.Fatal(err)
	}
	f.check([]exchange{
		{path: "/plugins/hello/?name=ada", status: 200, body: "bonjour, ada (visit 3)"},
		{path: "/plugins", status: 200, body: `greets with \"bonjour\"`},
	})
}
