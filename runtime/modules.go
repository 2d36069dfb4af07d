package runtime

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime/internal/linker"
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
//
// goja's conversion of arguments is lenient and its own: a missing argument
// is the zero value, a string parameter takes any value's string (a Symbol
// gives ""), an integer one wraps out-of-range numbers without a way to
// refuse them, a struct is filled from the properties named as its fields
// exactly, and a value it cannot convert is a TypeError "could not convert
// function call parameter". A function made with IDLFunc converts its
// arguments as web APIs do instead: too few arguments, [EnforceRange]
// integers out of range, non-finite doubles, missing required dictionary
// members and the like are TypeErrors worded as those of the web APIs, and
// dictionary members have IDL names and defaults. Its result is converted
// with ToValue, as that of any function here.
type Module map[string]any

// An AsyncFunc is a Go function that scripts call as an async function: each
// call runs it on a goroutine of its own and returns a promise that settles
// with its result, converted with goja's Runtime.ToValue, or rejects with an
// Error (a GoError) whose message is its error's; a panic in it is such an
// error too. args are the call's
// arguments exported to Go values as goja's Value.Export exports them (a
// value Export cannot take, such as a Map that holds itself, throws a
// TypeError instead; see export.go): do not call a
// function among them. ctx is done when the runtime is closed.
//
// The runtime's event loop stays alive while a call is pending, so a run does
// not end before the promise has settled.
type AsyncFunc func(ctx context.Context, args []any) (any, error)

// hostModules is what a runtime keeps of Options.Modules; the loop goroutine
// alone uses it.
type hostModules struct {
	fn      goja.Value            // the entry function's argument, of CommonJS bundles
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
	h.fn = r.vm.ToValue(func(c goja.FunctionCall) goja.Value {
		m, err := r.hostModule(c.Argument(0).String())
		if err != nil {
			panic(r.vm.NewTypeError(err.Error()))
		}
		return m
	})
	return h.fn
}

// hostModule returns the module object of the host module name, made the
// first time it is asked for.
func (r *Runtime) hostModule(name string) (goja.Value, error) {
	h := &r.host
	if h.modules == nil {
		h.modules = make(map[string]goja.Value)
		ctx, cancel := context.WithCancel(context.Background())
		h.ctx = ctx
		r.loop.OnClose(cancel)
	}
	if m, ok := h.modules[name]; ok {
		return m, nil
	}
	def, ok := r.opts.Modules[name]
	if !ok {
		return nil, fmt.Errorf("Cannot find module '%s%s': the host provides no such module", loader.HostPrefix, name)
	}
	m := r.newModule(def)
	h.modules[name] = m
	return m, nil
}

// moduleLinker returns the runtime's module map, made the first time a
// script needs it.
func (r *Runtime) moduleLinker() (*linker.Linker, error) {
	if r.linker == nil {
		l, err := linker.New(r.vm, (*linkerHost)(r))
		if err != nil {
			return nil, err
		}
		r.linker = l
	}
	return r.linker, nil
}

// linkerHost is a Runtime as its linker sees it.
type linkerHost Runtime

func (h *linkerHost) HostModule(name string) (goja.Value, error) {
	return (*Runtime)(h).hostModule(name)
}

// Load loads a module graph for import() off the loop, as a browser
// fetches it, and continues on the loop. Loads run one at a time, on a
// goroutine that lasts while there are loads to run: a script that calls
// import() in a loop makes no goroutine for each call, and what is left
// to load once the runtime is closed is not loaded.
func (h *linkerHost) Load(load func(), done func()) {
	release := h.loop.Hold()
	job := func() {
		defer release() // after the task is queued: the loop never idles between
		if load != nil && !h.loads.closed() {
			load()
		}
		h.loop.Queue(func() {
			// As a task's script runs: the microtasks wait for the end.
			if err := h.loop.Framed(done); err != nil {
				h.loop.ReportException(err)
			}
		})
	}
	if load == nil {
		job()
		return
	}
	h.loads.add(job, func() { h.loop.OnClose(h.loads.close) })
}

// moduleLoads is the queue of a runtime's module loads.
type moduleLoads struct {
	mu      sync.Mutex
	jobs    []func()
	running bool
	started bool
	done    bool // the runtime is closed
}

// add queues job, and starts the goroutine that runs the queue if it is
// not running; start is called once, before the first job.
func (q *moduleLoads) add(job func(), start func()) {
	q.mu.Lock()
	if !q.started {
		q.started = true
		q.mu.Unlock()
		start()
		q.mu.Lock()
	}
	q.jobs = append(q.jobs, job)
	if q.running {
		q.mu.Unlock()
		return
	}
	q.running = true
	q.mu.Unlock()
	go q.run()
}

func (q *moduleLoads) run() {
	for {
		q.mu.Lock()
		if len(q.jobs) == 0 {
			q.running = false
			q.mu.Unlock()
			return
		}
		job := q.jobs[0]
		q.jobs = q.jobs[1:]
		q.mu.Unlock()
		job()
	}
}

func (q *moduleLoads) close() {
	q.mu.Lock()
	q.done = true
	q.mu.Unlock()
}

func (q *moduleLoads) closed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.done
}

// newModule returns the module object for def, its exports in name order.
func (r *Runtime) newModule(def Module) goja.Value {
	obj := r.vm.NewObject()
	for _, name := range slices.Sorted(maps.Keys(def)) {
		v := def[name]
		switch f := v.(type) {
		case AsyncFunc:
			v = r.asyncFunc(f)
		case func(goja.FunctionCall) goja.Value, func(goja.FunctionCall, *goja.Runtime) goja.Value:
		default:
			if reflect.TypeOf(v) != nil && reflect.TypeOf(v).Kind() == reflect.Func {
				v = r.checkedFunc(v)
			}
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
			x, err := exportValue(r.exportIts, a)
			if err != nil {
				panic(r.vm.NewTypeError(err.Error()))
			}
			args[i] = x
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

// checkedFunc returns f, a Go function goja converts the arguments of with
// its own Export, behind a check that each argument is one Export can take:
// goja's Export loops without end on a Map or Set that holds itself, a
// fatal Go stack overflow (see export.go). An argument it cannot take is a
// TypeError. The check walks the argument as export does, so a getter on it
// runs once more.
func (r *Runtime) checkedFunc(f any) func(goja.FunctionCall) goja.Value {
	call, _ := goja.AssertFunction(r.vm.ToValue(f))
	return func(c goja.FunctionCall) goja.Value {
		for _, a := range c.Arguments {
			if _, ok := a.(*goja.Object); !ok {
				continue
			}
			if err := checkExport(r.exportIts, a); err != nil {
				panic(r.vm.NewTypeError(err.Error()))
			}
		}
		v, err := call(c.This, c.Arguments...)
		if err != nil {
			panic(err)
		}
		return v
	}
}
