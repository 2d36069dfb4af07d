package runtime

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime/internal/loader"
)

// CompileOptions say where a script's entry is and where its imports resolve.
// The zero value of each field but Path is useful.
type CompileOptions struct {
	// Path names the entry module. Without FS or Source it is a file on disk,
	// relative to Dir unless absolute. With FS it is a path in FS, slash
	// separated (see fs.ValidPath). With Source it only names the script in
	// error messages and stacks. In every case its extension chooses how the
	// entry is parsed (.js when it has none).
	Path string

	// Source, if not empty, is the entry's text, held in memory; its relative
	// imports resolve against the directory of Path under Dir.
	Source string

	// FS, if not nil, holds the entry and the modules it imports by relative
	// or absolute path. Bare imports (npm package names) still resolve on
	// disk, from the node_modules directories above Dir and from ModulePaths.
	FS fs.FS

	// Dir is the directory imports resolve against. Empty means the working
	// directory.
	Dir string

	// ModulePaths are extra directories searched for bare imports after the
	// node_modules directories above the importing file.
	ModulePaths []string
}

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

// Compile bundles and compiles a script once, for any number of runtimes to
// run with Start, RunCompiled or Call. TypeScript, JSX, ES modules, CommonJS
// and npm packages are handled as RunFile handles them. A script that cannot
// be loaded yields a *LoadError.
func Compile(opts CompileOptions) (*Script, error) {
	cfg, err := newConfig(opts.Dir, opts.ModulePaths)
	if err != nil {
		return nil, err
	}
	var src loader.Source
	switch {
	case opts.FS != nil:
		src, err = loader.NewFSSource(opts.FS, opts.Path)
	case opts.Source != "":
		name := opts.Path
		if name == "" {
			name = "<script>"
		}
		src, err = loader.NewSource(name, filepath.Join(cfg.Dir, name), opts.Source, false)
	default:
		p := opts.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(cfg.Dir, p)
		}
		src, err = loader.ReadSource(p)
	}
	if err != nil {
		return nil, err
	}
	return compileSource(cfg, src)
}

// compileSource compiles src as Compile does, with the entry's exports kept.
func compileSource(cfg *loader.Config, src loader.Source) (*Script, error) {
	c := *cfg
	c.Module = true
	l, err := loader.Load(&c, src)
	if err != nil {
		return nil, err
	}
	s := &Script{l: l, name: src.Name()}
	if src.OnDisk() {
		s.file = src.Path()
	}
	return s, nil
}

// newConfig returns where imports resolve, given Dir and ModulePaths.
func newConfig(dir string, modulePaths []string) (*loader.Config, error) {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("runtime: working directory: %w", err)
		}
		dir = wd
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("runtime: Dir: %w", err)
	}
	cfg := &loader.Config{Dir: dir}
	for _, p := range modulePaths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("runtime: ModulePaths: %w", err)
		}
		cfg.ModulePaths = append(cfg.ModulePaths, abs)
	}
	return cfg, nil
}

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
