package builtins

import (
	"path/filepath"
	"testing"
)

// TestPrecompiledHasEveryScript checks that init compiles every script of
// js/ ahead of Register, each once: a script left out would be compiled on
// the goroutine that creates the first runtime, while the other may be idle.
func TestPrecompiledHasEveryScript(t *testing.T) {
	files, err := filepath.Glob("js/*.js")
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[any]bool)
	for _, program := range precompiled() {
		p := program()
		if seen[p] {
			t.Errorf("a program is listed twice")
		}
		seen[p] = true
	}
	if len(seen) != len(files) {
		t.Errorf("%d programs precompiled, %d scripts in js/", len(seen), len(files))
	}
}
