package runtime

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	goruntime "runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// maxCollections is how many collections a closed runtime may take to be
// collected once its goroutines have ended: one, and one more for what the
// cleanups run after the first let go. A cleanup whose argument leads to the
// runtime keeps it until the object the cleanup watches is gone and the
// cleanup has run: a response body's once did, which took four.
const maxCollections = 2

// TestClosedRuntimeCollected checks that nothing outlives a closed runtime
// and that nothing delays its collection, whatever the script used: its goja
// runtime, and with it every object of its realm, is collected once the host
// drops it. A cleanup whose function or argument leads back to the object it
// watches is a root that keeps the object, and everything it reaches,
// forever.
func TestClosedRuntimeCollected(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "a body")
	}))
	defer srv.Close()
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
		// A response body's cleanup once held the fetch, and through it
		// the runtime, until the body was collected.
		`fetch("/")`,
		`fetch("/").then(r => r.text())`,
		`fetch("/").then(r => r.body.getReader().read())`,
	} {
		t.Run(src, func(t *testing.T) {
			before := goruntime.NumGoroutine()
			collected := runAndClose(t, src, srv.URL+"/")
			checkGoroutines(t, before)
			n := collections(t, collected)
			if n > maxCollections {
				t.Errorf("the closed runtime was collected by collection %d, want %d at most", n, maxCollections)
			}
		})
	}
}

// runAndClose runs src in a new runtime whose scripts' base URL is base,
// closes it and returns a channel closed once its goja runtime is collected.
func runAndClose(t *testing.T, src, base string) <-chan struct{} {
	t.Helper()
	rt, err := New(Options{Stdout: io.Discard, Stderr: io.Discard, BaseURL: base})
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
