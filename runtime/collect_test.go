package runtime

import (
	"context"
	"io"
	goruntime "runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// TestClosedRuntimeCollected checks that nothing outlives a closed runtime:
// its goja runtime, and with it every object of its realm, is collected
// once the host drops it, whatever the script used. A cleanup whose
// function or argument leads back to the object it watches is a root that
// keeps the object, and everything it reaches, forever.
func TestClosedRuntimeCollected(t *testing.T) {
	for _, src := range []string{
		`1`,
		// A RegExp's slots (bindings/builtins' table) once held their
		// realm through their cleanup.
		`var r = /a+/; r.test("aa")`,
		`globalThis.r = new RegExp("b", "g"); "abb".replace(r, "c")`,
		`const m = new WeakMap(), s = Symbol("k"); m.set(s, m); globalThis.m = m`,
		`new FinalizationRegistry(() => {}).register({}, 1); globalThis.w = new WeakRef(globalThis)`,
		`const c = new MessageChannel(); c.port1.onmessage = () => {}; c.port2.postMessage(/x/)`,
		`async function* g() { yield 1 } (async () => { for await (const x of g()) {} })()`,
	} {
		t.Run(src, func(t *testing.T) {
			collections(t, runAndClose(t, src))
		})
	}
}

// runAndClose runs src in a new runtime, closes it and returns a channel
// closed once its goja runtime is collected.
func runAndClose(t *testing.T, src string) <-chan struct{} {
	t.Helper()
	rt, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	if err := rt.RunScript(context.Background(), "collect.js", src); err != nil {
		t.Fatal(err)
	}
	collected := make(chan struct{})
	goruntime.AddCleanup(rt.vm, func(c chan struct{}) { close(c) }, collected)
	return collected
}

// collections runs collections until collected is closed, each followed by
// the cleanups it queued, and returns how many it took. It fails t if that
// takes more than 10 seconds.
func collections(t *testing.T, collected <-chan struct{}) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for n := 1; ; n++ {
		goruntime.GC()
		for !cleanupsRun() && time.Now().Before(deadline) {
			goruntime.Gosched()
		}
		select {
		case <-collected:
			return n
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the closed runtime was not collected after %d collections", n)
		}
	}
}

// cleanupsRun reports whether every cleanup queued so far has run.
func cleanupsRun() bool {
	s := []metrics.Sample{{Name: "/gc/cleanups/queued:cleanups"}, {Name: "/gc/cleanups/executed:cleanups"}}
	metrics.Read(s)
	return s[1].Value.Uint64() >= s[0].Value.Uint64()
}
