package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/dop251/goja"
)

// gojaPrograms caches the harness files compiled by goja.Compile.
var gojaPrograms sync.Map // name -> *goja.Program

// runGoja runs t in mode m in plain goja, for comparison: goja.New, the
// harness and the host bindings, nothing of wsjs (no web APIs, no esbuild).
// goja has no module loader, so module tests are not run.
func runGoja(ctx context.Context, c *corpus, t *test, m mode) (obs observation) {
	if m == module {
		obs.Unsupported = "plain goja has no module loader"
		return obs
	}
	vm := goja.New()
	h := &host{vm: vm, compile: gojaCompile}
	if err := h.install(); err != nil {
		obs.Unsupported = err.Error()
		return obs
	}
	stop := context.AfterFunc(ctx, func() { vm.Interrupt(ctx.Err()) })
	defer stop()
	for _, f := range harness(t) {
		prg, err := gojaHarness(c, f)
		if err == nil {
			_, err = vm.RunProgram(prg)
		}
		if err != nil {
			obs.Unsupported = fmt.Sprintf("harness %s: %v", f, err)
			return obs
		}
	}
	prg, err := gojaCompile(t.path, source(t, m))
	if err != nil {
		obs.Phase, obs.ErrType, obs.ErrMsg = "parse", "SyntaxError", err.Error()
		if errors.As(err, new(*goja.CompilerReferenceError)) {
			obs.ErrType = "ReferenceError"
		}
		return obs
	}
	_, err = vm.RunProgram(prg)
	obs.Printed = h.output()
	var exc *goja.Exception
	switch {
	case err == nil:
	case ctx.Err() != nil:
		obs.Timeout = true
	case errors.As(err, &exc):
		obs.Phase = "runtime"
		obs.ErrType, obs.ErrMsg = describeThrown(vm, exc.Value())
	default:
		obs.Phase, obs.ErrMsg = "runtime", err.Error()
	}
	return obs
}

// gojaCompile compiles a classic script with goja alone; the "use strict"
// directive, if any, is in src.
func gojaCompile(name, src string) (*goja.Program, error) {
	return goja.Compile(name, src, false)
}

func gojaHarness(c *corpus, name string) (*goja.Program, error) {
	if p, ok := gojaPrograms.Load(name); ok {
		return p.(*goja.Program), nil
	}
	src, err := c.include(name)
	if err != nil {
		return nil, err
	}
	prg, err := gojaCompile(name, src)
	if err != nil {
		return nil, err
	}
	gojaPrograms.Store(name, prg)
	return prg, nil
}
