package runtime

import (
	"errors"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime/internal/loader"
)

// A Script is a compiled script: the entry module with everything it imports,
// bundled, compiled to a goja program, with its source map. A Script does not
// change once made; any number of runtimes may start it, on any goroutines,
// at once.
//
// The entry's exports stay reachable (see Runtime.Call). Its imports of
// "host:" modules are resolved when a runtime evaluates it, from that
// runtime's Options.Modules.
type Script struct {
	l    *loader.Script
	name string
	file string // the absolute path of an entry on disk, for the API base URL
}

// Name returns how the script's entry is named in errors and stacks.
func (s *Script) Name() string { return s.name }

// evaluate runs l's program on the loop goroutine. For a module bundle it
// then calls the entry function, and returns the entry's exports, or a
// promise for them when the entry uses top-level await; for a classic script
// it returns the completion value.
func (r *Runtime) evaluate(l *loader.Script) (v goja.Value, err error) {
	ferr := r.loop.Framed(func() {
		if v, err = r.vm.RunProgram(l.Program); err != nil || !l.Module {
			return
		}
		entry, ok := goja.AssertFunction(v)
		if !ok {
			v, err = nil, errors.New("runtime: a module bundle that is not an entry function")
			return
		}
		v, err = entry(goja.Undefined(), r.hostFunc())
	})
	if err == nil {
		err = ferr
	}
	return v, err
}
