package loader

import (
	"path/filepath"
	"testing"

	"github.com/dop251/goja"
)

// loadAndRun loads text as the script name in dir and runs it in a new
// runtime, which it returns; a failure to load or run is an error of the test,
// and nil.
func loadAndRun(t *testing.T, dir, name, text string) *goja.Runtime {
	t.Helper()
	src, err := NewSource(name, filepath.Join(dir, name), text, false)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(&Config{Dir: dir}, src)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return nil
	}
	vm := goja.New()
	if _, err := vm.RunProgram(s.Program); err != nil {
		t.Errorf("%s: %v", name, err)
		return nil
	}
	return vm
}
