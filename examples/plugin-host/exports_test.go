package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wsjs/wsjs/runtime"
)

// TestExports checks what the host gets back from a plugin's exports: the
// default export's method, a named export, and the errors of both, with
// stacks in the plugin's own source.
func TestExports(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, c := range []struct {
		path      string
		inPromise bool
		message   string
		at        string // where the stack starts
	}{
		{"/throw", false, "TypeError: plugin bug", "at fetch (" + f.dir + "/bad.ts:9:10)"},
		{"/reject", true, "RangeError: rejected later", "at rejectLater (" + f.dir + "/bad.ts:54:8)"},
	} {
		_, err := f.host.Fetch(ctx, "bad", map[string]any{"path": c.path})
		var e *runtime.Error
		if !errors.As(err, &e) {
			t.Fatalf("%s: %v, want a *runtime.Error", c.path, err)
		}
		if e.InPromise != c.inPromise || e.Message != c.message || !strings.HasPrefix(strings.TrimSpace(e.Stack), c.at) {
			t.Errorf("%s: %+v, want InPromise %t, %q, a stack from %q", c.path, e, c.inPromise, c.message, c.at)
		}
	}
	// Errors that go back to the host are not uncaught.
	if m := f.host.Metrics()["bad"]; m.Errors != 0 || m.Discards != 0 {
		t.Errorf("bad after its errors: %+v", m)
	}

	// A named export, where there is one.
	f.check([]exchange{{path: "/plugins", status: 200, body: `"hello": "greets with \"hello\""`}})
	if d := f.host.Describe(ctx); d["bad"] != "" || d["slug"] != "" || len(d) != 3 {
		t.Errorf("Describe = %q", d)
	}
}
