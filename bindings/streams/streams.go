package streams

import (
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/abort"
	"github.com/wsjs/wsjs/bindings/builtins"
	"github.com/wsjs/wsjs/webidl"
)

// bindingKey is the realm data key under which Register stores the binding.
type bindingKey struct{}

// binding is the per-realm state shared by the interfaces: intrinsics captured at
// Register time and the helpers that run promise reactions.
type binding struct {
	r  *webidl.Realm
	vm *goja.Runtime

	// kit holds the helpers written in JavaScript (see kitSource).
	runFn     goja.Callable
	reactFn   goja.Callable
	handledFn goja.Callable
	resultFn  goja.Callable

	// AbortController, for WritableStreamDefaultController's [[abortController]].
	abortCtor   goja.Constructor
	abortCall   goja.Callable // AbortController.prototype.abort
	abortSignal goja.Callable // the AbortController.prototype.signal getter
	signalGet   goja.Callable // the AbortSignal.prototype.reason getter

	// The size functions of the queuing strategies
	// (https://streams.spec.whatwg.org/#byte-length-queuing-strategy-size-function,
	// https://streams.spec.whatwg.org/#count-queuing-strategy-size-function).
	byteLengthSize *goja.Object
	countSize      *goja.Object

	// promiseMembers are the members of promise type to redefine (promiseops.go).
	promiseMembers []promiseMember

	asyncIteratorProto *goja.Object
	end                *goja.Object // end of iteration, see endOfIteration
	iterators          *webidl.WeakTable[*asyncIterator]

	views viewIntrinsics // for byte streams (bytes.go)
	ports portIntrinsics // for transferred streams (crossrealm.go)
}

// kitSource creates, once per realm, the few helpers that must be JavaScript
// functions. goja drains its microtask queue whenever a call from Go returns to an
// empty JavaScript stack; the abstract operations of this package call into goja many
// times per step (to resolve promises, to add reactions, to call underlying sources),
// so every entry into them from Go is made under a JavaScript frame: run calls a Go
// function from JavaScript, and the reactions added by react are JavaScript functions
// that call the Go steps. Microtasks then run only when the outermost call returns,
// as HTML's "clean up after running script" prescribes.
//
// It is compiled once per process (kitProgram) and takes the built-ins it uses
// as arguments: it may run after scripts, when streams are first used.
const kitSource = `(function (call) {
	"use strict";
	const noop = function () {};
	return {
		run: function (f) { return f(); },
		react: function (p, onFulfilled, onRejected) {
			return call(p,
				onFulfilled === undefined ? undefined : function (v) { return onFulfilled(v); },
				onRejected === undefined ? undefined : function (e) { return onRejected(e); });
		},
		handled: function (p) { call(p, undefined, noop); },
		result: function (value, done) { return { value: value, done: done }; },
	};
})`

var kitProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:streams.js", kitSource, true)
})

// Binding installs the Streams API's interfaces. Stream operations create
// AbortControllers and take AbortSignals; byte streams make ArrayBuffers and views
// with the constructors of the built-ins binding.
var Binding = &bindings.Binding{Name: "streams", Needs: []*bindings.Binding{abort.Binding, builtins.Binding}, Register: Register}

// Register installs ReadableStream, ReadableStreamDefaultReader,
// ReadableStreamDefaultController, ReadableStreamBYOBReader,
// ReadableByteStreamController, ReadableStreamBYOBRequest, WritableStream, WritableStreamDefaultWriter,
// WritableStreamDefaultController, TransformStream, TransformStreamDefaultController,
// ByteLengthQueuingStrategy and CountQueuingStrategy on the global object of env.Realm.
// The abort and built-ins bindings must be installed first:
// WritableStreamDefaultController.signal is an AbortSignal, and byte streams use the
// built-ins' ArrayBuffer and views. The intrinsics it captures, such as
// %Promise.prototype.then%, are goja's, whatever scripts did before (webidl.Intrinsics).
func Register(env *bindings.Env) error {
	r := env.Realm
	if r.Data(bindingKey{}) != nil {
		return errors.New("streams: already registered in this realm")
	}
	b := &binding{r: r, vm: r.VM(), iterators: webidl.NewWeakTable[*asyncIterator]()}
	b.end = b.vm.ToValue(endOfIteration{}).(*goja.Object)
	if err := b.captureIntrinsics(); err != nil {
		return err
	}
	if err := b.captureViewIntrinsics(); err != nil {
		return err
	}
	b.capturePortIntrinsics()
	defs := []*webidl.Interface{
		b.readableStreamInterface(),
		b.defaultReaderInterface(),
		b.defaultControllerInterface(),
		b.byobReaderInterface(),
		b.byteControllerInterface(),
		b.byobRequestInterface(),
		b.writableStreamInterface(),
		b.writerInterface(),
		b.writableControllerInterface(),
		b.transformStreamInterface(),
		b.transformControllerInterface(),
		b.strategyInterface("ByteLengthQueuingStrategy", b.byteLengthSize),
		b.strategyInterface("CountQueuingStrategy", b.countSize),
	}
	for _, d := range defs {
		if err := r.DefineInterface(d); err != nil {
			return fmt.Errorf("streams: %w", err)
		}
		if err := b.redefinePromiseMembers(d.Name); err != nil {
			return fmt.Errorf("streams: %w", err)
		}
	}
	if err := b.defineAsyncIterable(); err != nil {
		return fmt.Errorf("streams: %w", err)
	}
	r.SetData(bindingKey{}, b)
	return nil
}

func (b *binding) captureIntrinsics() error {
	vm := b.vm
	in := webidl.Intrinsics{VM: vm}
	v, err := vm.RunProgram(kitProgram())
	if err != nil {
		return fmt.Errorf("streams: %w", err)
	}
	mk, _ := goja.AssertFunction(v)
	// call(p, f, r) is then.call(p, f, r): Function.prototype.call bound
	// to %Promise.prototype.then%.
	call, err := in.Func("Function", "prototype", "bind")(in.Value("Function", "prototype", "call"), in.Value("Promise", "prototype", "then"))
	if err != nil {
		return fmt.Errorf("streams: %w", err)
	}
	kitV, err := mk(goja.Undefined(), call)
	if err != nil {
		return fmt.Errorf("streams: %w", err)
	}
	kit := kitV.(*goja.Object)
	b.runFn, _ = goja.AssertFunction(kit.Get("run"))
	b.reactFn, _ = goja.AssertFunction(kit.Get("react"))
	b.handledFn, _ = goja.AssertFunction(kit.Get("handled"))
	b.resultFn, _ = goja.AssertFunction(kit.Get("result"))

	ctrl := b.r.InterfaceObject("AbortController")
	signal := b.r.InterfaceObject("AbortSignal")
	if ctrl == nil || signal == nil {
		return errors.New("streams: AbortController is not defined (register the abort package first)")
	}
	b.abortCtor, _ = goja.AssertConstructor(ctrl)
	b.abortCall = b.r.Member("AbortController", "abort")
	if b.abortSignal = b.r.Member("AbortController", "get signal"); b.abortSignal == nil {
		return errors.New("streams: no getter for AbortController.prototype.signal")
	}
	if b.signalGet = b.r.Member("AbortSignal", "get reason"); b.signalGet == nil {
		return errors.New("streams: no getter for AbortSignal.prototype.reason")
	}

	// The byte length queuing strategy size function
	// (https://streams.spec.whatwg.org/#byte-length-queuing-strategy-size-function) and
	// the count queuing strategy size function
	// (https://streams.spec.whatwg.org/#count-queuing-strategy-size-function): built-in
	// functions named "size".
	b.byteLengthSize = b.builtin("size", 1, func(c goja.FunctionCall) goja.Value {
		// Step 1: return ? GetV(chunk, "byteLength").
		chunk := c.Argument(0)
		if goja.IsUndefined(chunk) || goja.IsNull(chunk) {
			panic(vm.NewTypeError("Cannot read properties of %s (reading 'byteLength')", chunk))
		}
		return chunk.ToObject(vm).Get("byteLength")
	})
	b.countSize = b.builtin("size", 0, func(goja.FunctionCall) goja.Value {
		return vm.ToValue(1)
	})
	return nil
}

// builtin creates a built-in function object with the given name and length
// (ECMA-262 CreateBuiltinFunction).
func (b *binding) builtin(name string, length int, f func(goja.FunctionCall) goja.Value) *goja.Object {
	return webidl.NewFunction(b.vm, name, length, f)
}

// bindingOf returns the binding Register stored in r.
func bindingOf(r *webidl.Realm) (*binding, error) {
	b, ok := r.Data(bindingKey{}).(*binding)
	if !ok {
		// A realm that installs bindings on first use (bindings.Defer) may
		// not have installed this one yet: a stream transferred to it, or
		// a Go source, is such a use.
		if err := bindings.Require(r, Binding); err != nil {
			return nil, err
		}
		b, ok = r.Data(bindingKey{}).(*binding)
	}
	if !ok {
		return nil, errors.New("streams: Register has not been called for this realm")
	}
	return b, nil
}

// run calls f under a JavaScript frame (see kitSource). An exception f throws is
// returned; microtasks run when run returns if nothing else was on the stack.
func (b *binding) run(f func()) error {
	fn := b.vm.ToValue(func(goja.FunctionCall) goja.Value {
		f()
		return goja.Undefined()
	})
	_, err := b.runFn(goja.Undefined(), fn)
	return err
}

// rethrow propagates err, an error returned by a call into goja, the way goja
// native functions throw.
func rethrow(err error) {
	if err != nil {
		panic(err)
	}
}

// thrown returns the JavaScript value of an exception returned by a call into goja.
// Anything else (an interrupt) is propagated.
func thrown(err error) goja.Value {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return ex.Value()
	}
	panic(err)
}

// readResult creates the ReadableStreamReadResult dictionary value {value, done}.
func (b *binding) readResult(value goja.Value, done bool) goja.Value {
	v, err := b.resultFn(goja.Undefined(), value, b.vm.ToValue(done))
	rethrow(err)
	return v
}

// newTypeError creates a TypeError object.
func (b *binding) newTypeError(format string, args ...any) goja.Value {
	return b.vm.NewTypeError(fmt.Sprintf(format, args...))
}

// isNonNegativeNumber is IsNonNegativeNumber
// (https://streams.spec.whatwg.org/#is-non-negative-number) for a Go number.
func isNonNegativeNumber(v float64) bool { return !math.IsNaN(v) && v >= 0 }

// orUndefined maps a nil goja.Value to undefined.
func orUndefined(v goja.Value) goja.Value {
	if v == nil {
		return goja.Undefined()
	}
	return v
}
