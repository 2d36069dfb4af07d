package runtime

import (
	"context"
	"strings"
	"testing"
)

// TestStackOverflowUncatchable pins down what a stack overflow does: goja's
// bound on its call stack unwinds the whole run, past try/catch and
// finally, unlike V8's RangeError, which script can catch; the run ends with
// that RangeError, and the runtime goes on running scripts.
func TestStackOverflowUncatchable(t *testing.T) {
	var stdout syncBuffer
	rt, err := New(Options{Stdout: &stdout, Stderr: &syncBuffer{}})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx := context.Background()
	err = rt.RunScript(ctx, "overflow.js", `function f() { f() }
		try { f() } catch (e) { console.log("caught", e instanceof RangeError) } finally { console.log("finally") }
		console.log("after")`)
	if err == nil || !strings.Contains(err.Error(), "RangeError: Maximum call stack size exceeded") {
		t.Errorf("the overflowing run: %v, want V8's RangeError", err)
	}
	if got := stdout.String(); got != "" {
		t.Errorf("the overflowing run printed %q: it was caught", got)
	}
	if err := rt.RunScript(ctx, "next.js", `try { (function f() { f() })() } catch {} console.log("usable")`); err == nil {
		t.Error("a second overflow was caught")
	}
	if err := rt.RunScript(ctx, "last.js", `console.log([1, 2].map((x) => x * 2).join())`); err != nil {
		t.Fatalf("a run after the overflows: %v", err)
	}
	if got := stdout.String(); got != "2,4\n" {
		t.Errorf("stdout %q, want only the last run's", got)
	}
}
