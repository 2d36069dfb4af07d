package jsnest_test

import (
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"

	"github.com/wsjs/wsjs/bindings/jsast"
	"github.com/wsjs/wsjs/bindings/jsnest"
)

// TestDeepestAllowedCompiles compiles, with goja, the deepest text of each
// kind that Check allows, its constant chains hidden from folding as the
// loader does (jsast.FoldedLeaves): goja's parser and compiler must go
// through it, without a fatal stack overflow; -v shows how long each took.
func TestDeepestAllowedCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles text nested thousands deep")
	}
	for name, f := range jsnest.Deep {
		lo, hi := 1, 4*jsnest.MaxDepth // Check allows f(lo) and refuses f(hi)
		for hi-lo > 1 {
			if m := (lo + hi) / 2; jsnest.Check(f(m)) == nil {
				lo = m
			} else {
				hi = m
			}
		}
		start := time.Now()
		prg, err := parser.ParseFile(nil, "", f(lo), 0)
		if err == nil {
			for _, l := range jsast.FoldedLeaves(prg) {
				*l = jsast.HideFromFolding(*l)
			}
			_, err = goja.CompileAST(prg, false)
		}
		t.Logf("%-24s %5d deep: %v (%v)", name, lo, time.Since(start).Round(time.Millisecond), err != nil)
	}
}
