package runtime

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime/internal/loader"
)

// CompileClassic compiles src, a classic script named name (a file name or a
// URL), as the runtime compiles the scripts its workers fetch: as is when
// goja takes it, first re-printed by esbuild when goja's parser would panic on
// it (as on some code-point escapes) or when goja rejects it, with its syntax
// goja lacks (async generators, for await) lowered, as for a script given to
// RunScript; positions in stack traces stay those of src. A script esbuild
// cannot print either gets goja's syntax error. It does not bundle imports.
// Its direct eval calls are rewritten for the runtime's eval (see
// bindings/directeval): the program may run in any goja runtime, but those
// calls need the runtime's realm, and throw a ReferenceError in another.
// Programs are cached by name and source. An error is a syntax error of the
// script, or its use of the name the rewrite reserves.
func CompileClassic(name, src string) (*goja.Program, error) {
	return loader.CompileClassic(name, src)
}

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

	// Classic makes the entry a classic script whatever its extension, as
	// a browser's script element without type=module: an import or export
	// declaration in it is a syntax error (a *LoadError) instead of making
	// it a module. import() still loads modules.
	Classic bool
}

// Compile loads and compiles a script once, with the modules it imports, for any number of runtimes to
// start (Start) or run (Run). TypeScript, JSX, ES modules, CommonJS
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
	cfg.Classic = opts.Classic
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
