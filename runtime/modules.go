package runtime

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime/internal/loader"
)

// A Module is a module the host provides to scripts (see Options.Modules):
// its exports by name. A script imports them by name or as the default
// export:
//
//	import { get } from "host:kv";
//	import kv from "host:kv";
//
// Each runtime makes its own module object, the first time a script it runs
// imports the module, converting each value with goja's Runtime.ToValue: a Go
// function becomes a function that converts its arguments and result (an
// error result it returns is thrown), and a func(goja.FunctionCall,
// *goja.Runtime) goja.Value is called as is, on the loop goroutine. An
// AsyncFunc becomes a function that returns a promise.
type Module map[string]any

// An AsyncFunc is a Go function that scripts call as an async function: each
// call runs it on a goroutine of its own and returns a promise that settles
// with its result, converted with goja's Runtime.ToValue, or rejects with an
// Error (a GoError) whose message is its error's; a panic in it is such an
// error too. args are the call's
// arguments exported to Go values (goja's Value.Export): do not call a
// function among them. ctx is done when the runtime is closed.
//
// The runtime's event loop stays alive while a call is pending, so a run does
// not end before the promise has settled.
type AsyncFunc func(ctx context.Context, args []any) (any, error)

// hostModules is what a runtime keeps of Options.Modules; the loop goroutine
// alone uses it.
type hostModules struct {
	fn      goja.Value            // the entry function's argument
	modules map[string]goja.Value // the module objects made so far
	ctx     context.Context       // AsyncFunc's, done when the runtime is closed
}

// hostFunc returns the function that a module bundle's imports of "host:"
// modules call with the module's name, which returns the module object.
func (r *Runtime) hostFunc() goja.Value {
	h := &r.host
	if h.fn != nil {
		return h.fn
	}
	h.modules = make(map[string]goja.Value)
	ctx, cancel := context.WithCancel(context.Background())
	h.ctx = ctx
	r.loop.OnClose(cancel)
	h.fn = r.vm.ToValue(func(c goja.FunctionCall) goja.Value {
		name := c.Argument(0).String()
		if m, ok := h.modules[name]; ok {
			return m
		}
		def, ok := r.opts.Modules[name]
		if !ok {
			panic(r.vm.NewTypeError(fmt.Sprintf("Cannot find module '%s%s': the host provides no such module", loader.HostPrefix, name)))
		}
		m := r.newModule(def)
		h.modules[name] = m
		return m
	})
	return h.fn
}

// newModule returns the module object for def, its exports in name order.
func (r *Runtime) newModule(def Module) goja.Value {
	obj := r.vm.NewObject()
	for _, name := range slices.Sorted(maps.Keys(def)) {
		v := def[name]
		if f, ok := v.(AsyncFunc); ok {
			v = r.asyncFunc(f)
		}
		_ = obj.Set(name, v)
	}
	return obj
}

// asyncFunc returns the script function for f (see AsyncFunc).
func (r *Runtime) asyncFunc(f AsyncFunc) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		args := make([]any, len(c.Arguments))
		for i, a := range c.Arguments {
			args[i] = a.Export()
		}
		p, resolve, reject := r.vm.NewPromise()
		release := r.loop.Hold()
		go func() {
			defer release() // after the task is queued: the loop never idles between
			v, err := callAsync(r.host.ctx, f, args)
			r.loop.Queue(func() {
				if err != nil {
					_ = reject(r.vm.NewGoError(err))
					return
				}
				_ = resolve(r.vm.ToValue(v))
			})
		}()
		return r.vm.ToValue(p)
	}
}

// callAsync calls f, turning a panic into an error.
func callAsync(ctx context.Context, f AsyncFunc, args []any) (v any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return f(ctx, args)
}
