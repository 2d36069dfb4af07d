package runtime

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/dop251/goja"
)

// Call calls the function that name names in the script the runtime serves
// (once Start has returned nil) with args, and returns its result, once the promise it returns,
// if it returns one, has settled. name is an export of the entry module
// ("onRequest"), or a path through exports ("default.fetch" calls the fetch
// method of the default export, with the default export as this). For a
// classic script, which has no exports, name starts at the global object.
//
// Each argument is converted with goja's Runtime.ToValue: a map, slice or
// pointer to a struct is wrapped, not copied, so script sees and changes it
// until Call returns; pass plain values or copies. The result is exported
// with goja's Value.Export: undefined and null become nil, an object a
// map[string]any, an array []any.
//
// An exception the function throws, or the rejection of its promise, is
// returned as an *Error (InPromise for a rejection), with its stack mapped to
// the original sources; it is not reported to Stderr. If ctx ends first, Call
// returns ctx's error: script the call is running is interrupted, with the
// microtasks that follow it (for Limits.InterruptGrace at most: see
// ErrUnresponsive), and the runtime goes on serving, unless the
// interrupt struck inside a promise job and left goja unusable
// (eventloop.ErrStaleFrames): then serving ends and later calls return that
// error. Script that runs later in other tasks, once a timer or I/O the
// function awaits is done, is not interrupted: Close stops it. Call returns ErrNotServing
// if the runtime is not serving, ErrClosed once it is closed. Call may be
// called from any goroutine, any number of times at once; calls run in turn
// on the loop goroutine. It must not be called from script or from the
// function given to Do.
func (r *Runtime) Call(ctx context.Context, name string, args ...any) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return r.call(ctx, name, args, nil)
}

// A Conversion converts the arguments and the result of a call made with
// CallWith, on the loop goroutine, in place of goja's ToValue and Export.
// Its functions may throw, as goja's native functions do: the exception is
// returned as an *Error.
type Conversion struct {
	// Args returns the arguments.
	Args func(vm *goja.Runtime) []goja.Value
	// Result converts the function's result, or the value its promise
	// fulfilled with, to what CallWith returns; if it is nil, the value is
	// exported with goja's Value.Export, as Call does.
	Result func(vm *goja.Runtime, v goja.Value) (any, error)
}

// CallWith is Call with the arguments and the result converted by conv,
// for callers that convert values themselves (as structured clones, for
// instance). Everything else is as Call does it.
func (r *Runtime) CallWith(ctx context.Context, name string, conv Conversion) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return r.call(ctx, name, nil, &conv)
}

// call is Call and CallWith once ctx has been found alive: the arguments
// are args converted with ToValue, or what conv says if it is not nil.
func (r *Runtime) call(ctx context.Context, name string, args []any, conv *Conversion) (any, error) {
	r.mu.Lock()
	err := r.unusable()
	done := r.srv.done
	if err == nil && (done == nil || r.srv.err != nil) {
		err = ErrNotServing
	}
	r.mu.Unlock()
	if err != nil {
		return nil, err
	}
	c := &call{result: make(chan callResult, 1), ran: make(chan struct{})}
	// The loop goroutine runs the task, not this one (with Loop.Flush):
	// script stuck in a built-in would hold the caller (unresponsive.go).
	if !r.loop.Queue(func() { r.runCall(c, name, args, conv) }) {
		return nil, ErrClosed
	}
	select {
	case res := <-c.result:
		if _, ok := res.err.(*goja.InterruptedError); ok {
			// Not by this call: by Close, which ends serving.
			<-done
			return nil, r.servingErr()
		}
		return res.v, res.err
	case <-ctx.Done():
		return nil, r.abandon(c, ctx.Err(), done)
	case <-done:
		select {
		case res := <-c.result:
			if _, ok := res.err.(*goja.InterruptedError); !ok {
				return res.v, res.err
			}
			// Not by this call: by what ended serving, said below.
		default:
		}
		if err := ctx.Err(); err != nil {
			return nil, err // its interrupt broke the runtime
		}
		return nil, r.servingErr()
	}
}

// A call is one Call's task.
type call struct {
	result chan callResult // buffered: the task never waits for Call
	ran    chan struct{}   // closed when the function has returned
	loopTask
}

type callResult struct {
	v   any
	err error
}

// runCall is the task of c.
func (r *Runtime) runCall(c *call, name string, args []any, conv *Conversion) {
	if !c.move(taskQueued, taskRunning) {
		return
	}
	var v goja.Value
	var err error
	ferr := r.loop.Framed(func() {
		// Inside the frame, an interrupt of a getter on the way is returned.
		var fn goja.Callable
		var this goja.Value
		if fn, this, err = r.lookup(name); err != nil {
			return
		}
		var vals []goja.Value
		if conv != nil && conv.Args != nil {
			vals = conv.Args(r.vm)
		} else {
			vals = make([]goja.Value, len(args))
			for i, a := range args {
				vals[i] = r.vm.ToValue(a)
			}
		}
		v, err = fn(this, vals...)
	})
	if err == nil {
		err = ferr
	}
	// The function has returned; its promise, if any, is pending. If Call
	// interrupted it, Call has returned, once c.ran is closed: finishTask has
	// cleared the interrupt and checked the runtime first, so that Err says
	// what an interrupt inside a promise job broke.
	interrupted := r.finishTask(&c.loopTask)
	close(c.ran)
	if interrupted {
		return
	}
	if err != nil {
		c.result <- callResult{err: r.scriptError(err)}
		return
	}
	r.await(v, func(v goja.Value, err error) {
		res := callResult{err: err}
		if err == nil {
			var convert func(*goja.Runtime, goja.Value) (any, error)
			if conv != nil {
				convert = conv.Result
			}
			res.v, res.err = r.export(v, convert)
		}
		c.result <- res
	})
}

// abandon makes Call give up on c for err, the end of its context: a call
// not started yet never starts, one running is interrupted and waited for
// (or the end of serving, done).
func (r *Runtime) abandon(c *call, err error, done <-chan struct{}) error {
	c.mu.Lock()
	if c.state != taskRunning {
		c.state = taskAbandoned
		c.mu.Unlock()
		return err
	}
	c.mu.Unlock()
	c.interrupt(r.loop, err)
	// Wait for the interrupted script to unwind, so that what comes next
	// (another Call, Close) finds the runtime as it will stay; for the
	// grace at most.
	grace, stop := r.graceTimer()
	defer stop()
	select {
	case <-c.ran:
	case <-done:
	case <-grace:
		return r.giveUp(err)
	}
	return err
}

// verifyInterrupted checks, on the loop goroutine, that goja still runs
// promise jobs after an interrupt of script; if it does not
// (eventloop.ErrStaleFrames), the runtime is broken and Err says so.
func (r *Runtime) verifyInterrupted() {
	if err := r.loop.Verify(); err != nil {
		r.mu.Lock()
		if r.broken == nil {
			r.broken = err
		}
		r.mu.Unlock()
	}
}

// lookup returns the function name names, and the this to call it with.
func (r *Runtime) lookup(name string) (fn goja.Callable, this goja.Value, err error) {
	this = goja.Undefined()
	exc := r.vm.Try(func() {
		var cur goja.Value = r.srv.exports
		if cur == nil || goja.IsUndefined(cur) {
			cur = r.vm.GlobalObject()
		}
		for i, part := range strings.Split(name, ".") {
			if i > 0 {
				this = cur
			}
			if cur == nil || goja.IsUndefined(cur) || goja.IsNull(cur) {
				cur = nil
				break
			}
			cur = cur.ToObject(r.vm).Get(part)
		}
		var ok bool
		if fn, ok = goja.AssertFunction(cur); !ok {
			err = fmt.Errorf("runtime: %q: %w", name, ErrNotFunction)
		}
	})
	if exc != nil {
		return nil, nil, exc
	}
	return fn, this, err
}

// await calls then with v's value once v, if it is a promise, has settled:
// with its result, or an *Error for its rejection. v is handled, so its
// rejection is not reported as unhandled.
func (r *Runtime) await(v goja.Value, then func(goja.Value, error)) {
	if o, ok := v.(*goja.Object); !ok || o.ExportType() != promiseType {
		then(v, nil)
		return
	}
	onFulfilled := r.vm.ToValue(func(c goja.FunctionCall) goja.Value {
		then(c.Argument(0), nil)
		return goja.Undefined()
	})
	onRejected := r.vm.ToValue(func(c goja.FunctionCall) goja.Value {
		e := r.describe(c.Argument(0), nil)
		e.InPromise = true
		then(nil, e)
		return goja.Undefined()
	})
	if _, err := r.then(v, onFulfilled, onRejected); err != nil {
		then(nil, r.scriptError(err))
	}
}

var promiseType = reflect.TypeOf((*goja.Promise)(nil))

// scriptError returns the Go error for err, which calling into script
// returned: an *Error for an exception or a stack overflow, as is otherwise
// (an interrupt).
func (r *Runtime) scriptError(err error) error {
	switch e := err.(type) {
	case *goja.Exception:
		return r.describe(e.Value(), e)
	case *goja.StackOverflowError:
		// It unwound script uncatchably, maybe a promise job.
		_ = r.loop.Verify()
		return &Error{Message: "RangeError: Maximum call stack size exceeded"}
	}
	return err
}

// export returns v exported to Go (goja's Value.Export, or conv if not
// nil), or the error of script that ran meanwhile (a getter) and threw or was
// interrupted.
func (r *Runtime) export(v goja.Value, conv func(*goja.Runtime, goja.Value) (any, error)) (out any, err error) {
	defer func() {
		switch p := recover().(type) {
		case nil:
		case *goja.InterruptedError:
			err = p
		case *goja.StackOverflowError:
			err = r.scriptError(p)
		default:
			panic(p)
		}
	}()
	exc := r.vm.Try(func() {
		if conv == nil {
			out, err = exportValue(r.exportIts, v)
		} else {
			out, err = conv(r.vm, v)
		}
	})
	if exc != nil {
		return nil, r.scriptError(exc)
	}
	return out, err
}
