package runtime

import (
	"errors"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime/internal/linker"
	"github.com/wsjs/wsjs/runtime/internal/loader"
)

// A Script is a compiled script: the entry module with the modules it imports,
// each compiled to a goja program with its source map, or a classic script. A
// runtime links and evaluates the modules of a Script afresh, except those
// already in its module map, which are shared by resolved path; the modules
// that import() loads as the script runs are compiled once for every runtime
// that runs the Script. A Script does not
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

// evaluate runs l on the loop goroutine. A module graph is linked and
// evaluated, and evaluate returns the entry's namespace object, or with
// top-level await a promise for it (async). For a CommonJS bundle it calls
// the entry function, which returns module.exports, or with top-level await
// a promise for them; for a classic script it returns the completion
// value.
func (r *Runtime) evaluate(l *loader.Script) (v goja.Value, async bool, err error) {
	ferr := r.loop.Framed(func() {
		if l.Graph != nil {
			lk, e := r.moduleLinker()
			if e != nil {
				err = e
				return
			}
			if l.Graph.Entry != nil {
				v, async, err = r.runModule(lk, l.Graph)
				return
			}
			lk.Script(l.Graph.ProgramName(), l.Graph)
		}
		if v, err = r.vm.RunProgram(l.Program); err != nil || !l.Module {
			async = l.Async
			return
		}
		entry, ok := goja.AssertFunction(v)
		if !ok {
			v, err = nil, errors.New("runtime: a module bundle that is not an entry function")
			return
		}
		v, err = entry(goja.Undefined(), r.hostFunc())
		async = l.Async
	})
	if err == nil {
		err = ferr
	}
	return v, async, err
}

// runModule links and evaluates the entry module of g; with top-level
// await, it returns a promise for the namespace.
func (r *Runtime) runModule(lk *linker.Linker, g *loader.Graph) (goja.Value, bool, error) {
	ns, p, err := lk.Run(g)
	if err != nil || p == nil {
		return ns, false, err
	}
	toNamespace := r.vm.ToValue(func(goja.FunctionCall) goja.Value { return ns })
	v, err := r.then(r.vm.ToValue(p), toNamespace)
	return v, true, err
}
