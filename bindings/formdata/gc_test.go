package formdata

import (
	"runtime"
	"testing"

	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

// A FormData and a File it holds are collected together even when script
// gives the File a property leading back to the FormData: the File's bytes
// leave the memory budget.
func TestCycleThroughFileCollected(t *testing.T) {
	cases := []struct{ name, src string }{
		{"append", `fd.append("f", f)`},
		{"set with filename", `fd.set("f", f, "g"); fd.get("f").back = fd`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vm, r := newVM(t, 1<<20)
			budget := bindingOf(r).budget
			src := `(() => { const f = new File(["x".repeat(2**19)], "f"), fd = new FormData(); f.back = fd; ` + c.src + ` })();
				new Blob([new Blob()]); (function f(n) { return n ? f(n - 1) : "done" })(1000)`
			if got := jstest.Outcome(vm, src); got != "done" {
				t.Fatal(got)
			}
			jstest.WaitUsed(t, budget, 0)
			runtime.KeepAlive(vm) // the realm lives on
		})
	}
}
