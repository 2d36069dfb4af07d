package runtime

import (
	"context"
	"io"
	goruntime "runtime"
	"testing"
	"time"
	"weak"

	"github.com/dop251/goja"
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
			vm := runAndClose(t, src)
			deadline := time.Now().Add(10 * time.Second)
			for vm.Value() != nil {
				if time.Now().After(deadline) {
					t.Fatal("the closed runtime was not collected")
				}
				goruntime.GC()
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
}

// runAndClose runs src in a new runtime, closes it and returns a weak
// pointer to its goja runtime.
func runAndClose(t *testing.T, src string) weak.Pointer[goja.Runtime] {
	t.Helper()
	rt, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	if err := rt.RunScript(context.Background(), "collect.js", src); err != nil {
		t.Fatal(err)
	}
	return weak.Make(rt.vm)
}
