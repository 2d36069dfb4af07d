package main

import (
	"context"
	"io/fs"
	"path/filepath"

	"github.com/wsjs/wsjs/runtime"
	"github.com/wsjs/wsjs/runtime/subprocess"
)

// A source is where a plugin's code is: a file on disk, a file in an fs.FS
// (Config.FS), or text held in memory (Host.Deploy).
type source struct {
	path string // on disk (absolute), in fsys, or the name of code
	fsys fs.FS
	code string
}

func (s source) onDisk() bool { return s.fsys == nil && s.code == "" }

// compile compiles src for plugin p and returns what starts an engine
// serving it. In process the script is compiled here, once, and every
// runtime started from it shares the result. Out of process the child
// compiles it each time it starts, so errors show up when it does.
func (h *Host) compile(p *plugin, src source) (func(context.Context) (engine, error), error) {
	if p.isolated {
		cfg, err := h.childConfig(p, src)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) (engine, error) { return subprocess.Start(ctx, cfg) }, nil
	}
	script, err := runtime.Compile(runtime.CompileOptions{
		Path: src.path, Source: src.code, FS: src.fsys,
		Dir: h.cfg.Dir, ModulePaths: h.cfg.ModulePaths,
	})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) (engine, error) { return h.startRuntime(ctx, p, script) }, nil
}

// startRuntime starts script in a new runtime of this process.
func (h *Host) startRuntime(ctx context.Context, p *plugin, script *runtime.Script) (engine, error) {
	opts := h.opts
	opts.OnError = func(err error) {
		p.errors.Add(1)
		h.log.Printf("plugin %s: %v", p.name, err)
	}
	rt, err := runtime.New(opts)
	if err != nil {
		return nil, err
	}
	if err := rt.Start(ctx, script); err != nil {
		rt.Close()
		return nil, err
	}
	return rt, nil
}

// childConfig returns the configuration of the child process serving src.
// A child cannot read an fs.FS: a plugin from one is given to it as source
// text, whose relative imports then resolve on disk, against Config.Dir.
func (h *Host) childConfig(p *plugin, src source) (subprocess.Config, error) {
	cfg := subprocess.Config{
		Path: src.path, Source: src.code,
		Dir: h.cfg.Dir, ModulePaths: h.cfg.ModulePaths,
		Stdout: h.opts.Stdout, Stderr: h.opts.Stderr,
		Limits:      h.opts.Limits,
		Modules:     map[string]map[string]runtime.AsyncFunc{"kv": h.kv.asyncModule()},
		MemoryLimit: h.cfg.ChildMemory,
		CPUTime:     h.cfg.ChildCPU,
	}
	if src.fsys != nil {
		b, err := fs.ReadFile(src.fsys, src.path)
		if err != nil {
			return cfg, err
		}
		cfg.Path, cfg.Source = filepath.FromSlash(src.path), string(b)
	}
	return cfg, nil
}
