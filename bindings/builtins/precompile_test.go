package builtins

import (
	"path/filepath"
	"testing"

	"github.com/dop251/goja"
)

// TestEveryScriptCompiledOnce checks that each script of js/ is either
// compiled by init ahead of Register or compiled when first needed, and
// that either way it is compiled once per process: a script left out of
// both lists would be compiled for every realm, or on the goroutine that
// creates the first runtime while the other may be idle.
func TestEveryScriptCompiledOnce(t *testing.T) {
	files, err := filepath.Glob("js/*.js")
	if err != nil {
		t.Fatal(err)
	}
	programs := append(precompiled(), compiledWhenNeeded()...)
	seen := make(map[*goja.Program]bool)
	for _, program := range programs {
		p := program()
		if seen[p] {
			t.Errorf("a program is listed twice")
		}
		if program() != p {
			t.Errorf("a program is compiled again when asked for again")
		}
		seen[p] = true
	}
	if len(seen) != len(files) {
		t.Errorf("%d programs listed, %d scripts in js/", len(seen), len(files))
	}
}
