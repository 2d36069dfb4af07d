package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/runtime"
)

// wsjsPrograms caches the harness files compiled by runtime.CompileClassic,
// once per process: a goja.Program runs in any runtime.
var wsjsPrograms sync.Map // name -> *goja.Program

// runWsjs runs t in mode m in a fresh wsjs runtime: the harness files are
// compiled as the runtime compiles the classic scripts its workers fetch
// (runtime.CompileClassic), and the test itself is compiled as a user's
// script is (runtime.Compile; a test that is no module as a classic
// script, CompileOptions.Classic), from the test's own directory so that
// the imports of module tests resolve.
func runWsjs(ctx context.Context, c *corpus, t *test, m mode) (obs observation) {
	r, err := runtime.New(runtime.Options{Dir: filepath.Dir(t.abs), Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		obs.Unsupported = "runtime.New: " + err.Error()
		return obs
	}
	defer r.Close()
	h := &host{compile: runtime.CompileClassic}
	var thrown *observation // the uncaught exception that ended the run
	err = r.Do(ctx, func(v *goja.Runtime) error {
		h.vm = v
		if err := h.install(); err != nil {
			return err
		}
		harnessLoaded, err := installAgent(ctx, v)
		if err != nil {
			return err
		}
		if err := listen(v, &thrown); err != nil {
			return err
		}
		for _, f := range harness(t) {
			prg, err := wsjsHarness(c, f)
			if err != nil {
				return err
			}
			if _, err := v.RunProgram(prg); err != nil {
				return fmt.Errorf("harness %s: %w", f, err)
			}
		}
		return harnessLoaded()
	})
	if err != nil {
		return wsjsError(ctx, err, "")
	}
	src := source(t, m)
	if m == module {
		// The loader takes a .js entry for a classic script unless it
		// has module syntax: an empty export clause after the test's last
		// line (no position moves) makes it a module, under its own name,
		// which the test's fixtures may import.
		src += "\nexport {};\n"
	}
	// A test that is no module is a classic script, module syntax or not.
	s, err := runtime.Compile(runtime.CompileOptions{
		Path: filepath.Base(t.abs), Source: src, Dir: filepath.Dir(t.abs), Classic: m != module,
	})
	if err == nil {
		err = r.Run(ctx, s)
	}
	obs = wsjsError(ctx, err, filepath.Base(t.abs))
	if obs.Phase == "runtime" && thrown != nil {
		obs.ErrType, obs.ErrMsg = thrown.ErrType, thrown.ErrMsg
	}
	obs.Printed = h.output()
	return obs
}

// listen adds listeners to the global object that record the first
// uncaught exception (the "error" event's error), its constructor's name and
// its string, and keep unhandled rejections from ending the run: test262
// hosts do not report them.
func listen(vm *goja.Runtime, thrown **observation) error {
	add, ok := goja.AssertFunction(vm.GlobalObject().Get("addEventListener"))
	if !ok {
		return errors.New("no addEventListener on the global object")
	}
	onError := func(c goja.FunctionCall) goja.Value {
		if *thrown == nil {
			o := &observation{}
			o.ErrType, o.ErrMsg = describeThrown(vm, c.Argument(0).ToObject(vm).Get("error"))
			*thrown = o
		}
		return goja.Undefined()
	}
	onRejection := func(c goja.FunctionCall) goja.Value {
		if f, ok := goja.AssertFunction(c.Argument(0).ToObject(vm).Get("preventDefault")); ok {
			_, _ = f(c.Argument(0))
		}
		return goja.Undefined()
	}
	g := vm.GlobalObject()
	if _, err := add(g, vm.ToValue("error"), vm.ToValue(onError)); err != nil {
		return err
	}
	_, err := add(g, vm.ToValue("unhandledrejection"), vm.ToValue(onRejection))
	return err
}

// wsjsError turns what a run returned into an observation.
func wsjsError(ctx context.Context, err error, name string) (obs observation) {
	var le *runtime.LoadError
	var pe *eventloop.PanicError
	var ue *runtime.Error
	switch {
	case err == nil:
	case errors.As(err, &pe):
		obs.Panic = fmt.Sprintf("%v\n%s", pe.Value, pe.Stack)
	case ctx.Err() != nil:
		obs.Timeout = true
	case errors.As(err, &le):
		obs.Phase, obs.ErrType, obs.ErrMsg = loadPhase(le, name), "SyntaxError", le.Error()
	case errors.As(err, &ue):
		obs.Phase, obs.ErrMsg = "runtime", ue.Message
		if name, _, ok := strings.Cut(ue.Message, ":"); ok && !strings.Contains(name, " ") {
			obs.ErrType = name
		}
	default:
		obs.Phase, obs.ErrMsg = "runtime", err.Error()
	}
	return obs
}

// loadPhase tells a module graph that cannot be linked from a script with
// a syntax error: a problem in another file than the test's (a module it
// imports), an import that does not resolve, names what its module does not
// export, or more than one thing, or an import attribute the host does not
// support, is one of resolution.
func loadPhase(le *runtime.LoadError, name string) string {
	if len(le.Problems) == 0 {
		return "parse"
	}
	p := le.Problems[0]
	if p.File != "" && p.File != name {
		return "resolution"
	}
	for _, prefix := range []string{"Could not resolve", "No matching export", "Ambiguous import", "Detected cycle while resolving import", "Unsupported import attribute"} {
		if strings.HasPrefix(p.Text, prefix) {
			return "resolution"
		}
	}
	return "parse"
}

func wsjsHarness(c *corpus, name string) (*goja.Program, error) {
	if p, ok := wsjsPrograms.Load(name); ok {
		return p.(*goja.Program), nil
	}
	src, err := c.include(name)
	if err != nil {
		return nil, err
	}
	prg, err := runtime.CompileClassic(name, src)
	if err != nil {
		return nil, err
	}
	wsjsPrograms.Store(name, prg)
	return prg, nil
}
