package eventloop

import (
	"fmt"

	"github.com/dop251/goja"
)

// InstallGlobals defines the WindowOrWorkerGlobalScope members the loop implements (HTML's
// timers, https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timers;
// microtask queuing,
// https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#microtask-queuing;
// reportError, https://html.spec.whatwg.org/multipage/webappapis.html#dom-reporterror) as
// operations on the global object: writable, enumerable, configurable, with WebIDL's length
// and name, and a TypeError for any other this value than the global object, undefined or
// null (https://webidl.spec.whatwg.org/#dfn-create-operation-function). New calls it unless
// Options.DeferGlobals; it runs on the loop goroutine.
func (l *Loop) InstallGlobals() { l.InstallGlobalsOn(l.vm.GlobalObject()) }

// InstallGlobalsOn is InstallGlobals defining the operations on holder, an object the global
// object inherits from (in a worker, WorkerGlobalScope.prototype holds the members of the
// WindowOrWorkerGlobalScope mixin). They still take only the global object as this.
func (l *Loop) InstallGlobalsOn(holder *goja.Object) {
	vm := l.vm
	l.capture()
	l.defineOperation(holder, "setTimeout", 1, func(c goja.FunctionCall) goja.Value {
		return l.setTimer(c, false)
	})
	l.defineOperation(holder, "setInterval", 1, func(c goja.FunctionCall) goja.Value {
		return l.setTimer(c, true)
	})
	clearTimer := func(c goja.FunctionCall) goja.Value {
		// clearTimeout(optional long id = 0)
		l.timers.clear(int64(toLong(c.Argument(0))))
		return goja.Undefined()
	}
	l.defineOperation(holder, "clearTimeout", 0, clearTimer)
	l.defineOperation(holder, "clearInterval", 0, clearTimer)
	l.defineOperation(holder, "queueMicrotask", 1, func(c goja.FunctionCall) goja.Value {
		fn, ok := goja.AssertFunction(c.Argument(0))
		if len(c.Arguments) == 0 || !ok {
			panic(vm.NewTypeError("Failed to execute 'queueMicrotask': parameter 1 is not of type 'Function'."))
		}
		l.queueMicrotask(fn)
		return goja.Undefined()
	})
	l.defineOperation(holder, "reportError", 1, func(c goja.FunctionCall) goja.Value {
		if len(c.Arguments) == 0 {
			panic(vm.NewTypeError("Failed to execute 'reportError': 1 argument required, but only 0 present."))
		}
		e := c.Argument(0)
		l.ReportException(vm.Try(func() { panic(e) }))
		return goja.Undefined()
	})
}

func (l *Loop) defineOperation(holder *goja.Object, name string, length int, fn func(goja.FunctionCall) goja.Value) {
	vm := l.vm
	global := vm.GlobalObject()
	f := vm.ToValue(func(c goja.FunctionCall) goja.Value {
		// The global object's interfaces are the only ones that have the operation: an
		// undefined or null this value is the global object, any other must be it.
		if this := c.This; this != nil && !goja.IsUndefined(this) && !goja.IsNull(this) && this != goja.Value(global) {
			panic(vm.NewTypeError("Illegal invocation"))
		}
		return fn(c)
	}).(*goja.Object)
	_ = f.DefineDataProperty("length", vm.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = f.DefineDataProperty("name", vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = holder.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// setTimer implements setTimeout and setInterval
// (https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#dom-settimeout): the
// handler is a TimerHandler, (DOMString or Function); the timeout a WebIDL long.
func (l *Loop) setTimer(c goja.FunctionCall, repeat bool) goja.Value {
	vm := l.vm
	if len(c.Arguments) == 0 {
		panic(vm.NewTypeError("Failed to execute 'setTimeout': 1 argument required, but only 0 present."))
	}
	handler := c.Argument(0)
	if _, ok := goja.AssertFunction(handler); !ok {
		handler = handler.ToString()
	}
	timeout := toLong(c.Argument(1))
	var args []goja.Value
	if len(c.Arguments) > 2 {
		args = append([]goja.Value(nil), c.Arguments[2:]...)
	}
	// A bound of the host, not of HTML: the timer initialization steps
	// (https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timer-initialisation-steps)
	// do not start beyond it.
	if max := l.opts.MaxTimers; max > 0 && l.timers.len() >= max {
		name := "setTimeout"
		if repeat {
			name = "setInterval"
		}
		panic(l.newRangeError(fmt.Sprintf("Failed to execute '%s': too many timers are pending (the limit is %d).", name, max)))
	}
	t := l.timers.start(handler, timeout, args, repeat, nil)
	return vm.ToValue(t.id)
}

// toLong converts v to a WebIDL long (https://webidl.spec.whatwg.org/#js-long: ToNumber,
// then the modulo-2^32 conversion ECMAScript's ToInt32 performs).
func toLong(v goja.Value) int32 {
	return int32(uint32(int64(truncate(v.ToFloat()))))
}

// truncate implements ToIntegerOrInfinity followed by the modulo step WebIDL needs: NaN
// and infinities become 0, other values are truncated toward zero and reduced mod 2^32.
func truncate(f float64) float64 {
	if f != f || f > 1e300 || f < -1e300 {
		return 0
	}
	// Reduce modulo 2^32 keeping the sign, so the int64 conversion cannot overflow.
	const two32 = 4294967296.0
	if f >= two32 || f <= -two32 {
		q := float64(int64(f / two32))
		f -= q * two32
	}
	if f < 0 {
		return -float64(int64(-f))
	}
	return float64(int64(f))
}

// queueMicrotask implements HTML's queueMicrotask
// (https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#dom-queuemicrotask):
// the callback joins goja's job queue behind every microtask queued before it, and an
// exception it throws is reported.
func (l *Loop) queueMicrotask(fn goja.Callable) {
	vm := l.vm
	cb := vm.ToValue(func(goja.FunctionCall) goja.Value {
		l.Call(fn, goja.Undefined())
		return goja.Undefined()
	})
	if l.resolved == nil {
		// queueMicrotask reacts to one promise resolved up front, with the
		// original Promise.prototype.then, so script cannot intercept it.
		p, resolve, _ := vm.NewPromise()
		_ = resolve(goja.Undefined())
		l.resolved = vm.ToValue(p)
	}
	if _, err := l.then(l.resolved, cb); err != nil {
		l.ReportException(err)
	}
}
