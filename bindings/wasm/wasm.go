package wasm

import (
	"sync"

	"github.com/dop251/goja"
	"github.com/tetratelabs/wazero"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/builtins"
	"github.com/wsjs/wsjs/webidl"
)

// Binding installs the WebAssembly namespace. It needs the built-ins for
// SharedArrayBuffer, which a shared Memory's buffer is.
var Binding = &bindings.Binding{Name: "wasm", Register: Register, Needs: []*bindings.Binding{builtins.Binding}}

// state is a realm's WebAssembly: its wazero runtime, once made, and what
// crosses between script and wasm.
type state struct {
	env   *bindings.Env
	realm *webidl.Realm
	rt    wazero.Runtime
	ns    *goja.Object
	// errors are CompileError, LinkError and RuntimeError.
	errors [3]*goja.Object
	// pending is what a function a module imported panicked with (script
	// threw), to be panicked with again once wasm has unwound.
	pending any
	noopFn  goja.Callable
	// freeze and bigInt are %Object.freeze% and %BigInt%, taken at
	// Register, before script runs.
	freeze goja.Callable
	bigInt goja.Callable
	list   goja.Callable
	refs   externrefs
	hosts  uint64 // host modules made
	// funcs maps the functions instances export to what they call.
	funcs *webidl.WeakTable[*exportedFunc]
}

// The indexes of the error constructors in state.errors.
const (
	compileError = iota
	linkError
	runtimeError
)

var errorNames = [...]string{"CompileError", "LinkError", "RuntimeError"}

type stateKey struct{}

func stateOf(r *webidl.Realm) *state { return r.Data(stateKey{}).(*state) }

// Register defines the WebAssembly namespace on the global object of
// env.Realm (https://webassembly.github.io/spec/js-api/#webassembly-namespace):
// [LegacyNamespace] interfaces and the namespace's operations on a plain
// object whose @@toStringTag is "WebAssembly"
// (https://webidl.spec.whatwg.org/#namespace-object).
func Register(env *bindings.Env) error {
	r := env.Realm
	vm := r.VM()
	in := webidl.Intrinsics{VM: vm}
	s := &state{env: env, realm: r, funcs: webidl.NewWeakTable[*exportedFunc](),
		freeze: in.Func("Object", "freeze"), bigInt: in.Func("BigInt")}
	s.refs.values = map[uint64]goja.Value{}
	r.SetData(stateKey{}, s)
	ns := vm.NewObject()
	s.ns = ns
	if err := ns.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue("WebAssembly"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE); err != nil {
		return err
	}
	ops := []struct {
		name   string
		length int
		fn     func(goja.FunctionCall) goja.Value
	}{
		{"validate", 1, s.validate},
		{"compile", 1, s.compile},
		{"instantiate", 1, s.instantiate},
		{"compileStreaming", 1, s.compileStreaming},
		{"instantiateStreaming", 1, s.instantiateStreaming},
	}
	for _, op := range ops {
		f := webidl.NewFunction(vm, op.name, op.length, op.fn)
		if err := ns.DefineDataProperty(op.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return err
		}
	}
	for _, d := range []*webidl.Interface{s.moduleInterface(), s.instanceInterface(), s.memoryInterface(), s.tableInterface(), s.globalInterface()} {
		d.Namespace, d.NamespaceName = ns, "WebAssembly"
		if err := r.DefineInterface(d); err != nil {
			return err
		}
	}
	if err := s.defineErrors(); err != nil {
		return err
	}
	return r.Global().DefineDataProperty("WebAssembly", ns, goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
}

// errorsSource makes the error constructors
// (https://webassembly.github.io/spec/js-api/#error-objects), which behave
// as the NativeError constructors do: callable with or without new, their
// prototype an Error with its own name and an empty message. It takes the
// built-ins it uses as arguments and its descriptors have no prototype: the
// binding may be installed on first use, after script has replaced globals
// or given Object.prototype a get or set property.
const errorsSource = `(function (ns, names, construct, Error, defineProperty, setPrototypeOf, create) {
	"use strict";
	const out = [];
	for (let i = 0; i < names.length; i++) {
		const name = names[i];
		const C = function (message, options) {
			return construct(Error, [message, options], new.target === undefined ? C : new.target);
		};
		defineProperty(C, "name", {__proto__: null, value: name});
		setPrototypeOf(C, Error);
		const proto = create(Error.prototype, {
			__proto__: null,
			constructor: {__proto__: null, value: C, writable: true, configurable: true},
			name: {__proto__: null, value: name, writable: true, configurable: true},
			message: {__proto__: null, value: "", writable: true, configurable: true},
		});
		defineProperty(C, "prototype", {__proto__: null, value: proto, writable: false, enumerable: false, configurable: false});
		defineProperty(ns, name, {__proto__: null, value: C, writable: true, configurable: true});
		out[i] = C;
	}
	return out;
})`

var errorsProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:wasm-errors.js", errorsSource, true)
})

func (s *state) defineErrors() error {
	vm := s.realm.VM()
	v, err := vm.RunProgram(errorsProgram())
	if err != nil {
		return err
	}
	f, _ := goja.AssertFunction(v)
	in := webidl.Intrinsics{VM: vm}
	out, err := f(goja.Undefined(), s.ns, vm.ToValue(errorNames[:]), in.Value("Reflect", "construct"), in.Value("Error"),
		in.Value("Object", "defineProperty"), in.Value("Object", "setPrototypeOf"), in.Value("Object", "create"))
	if err != nil {
		return err
	}
	o := out.(*goja.Object)
	for i := range s.errors {
		s.errors[i] = o.Get(string(rune('0' + i))).(*goja.Object)
	}
	return nil
}

// newError returns a new error of the kind-th constructor with msg.
func (s *state) newError(kind int, msg string) *goja.Object {
	c, _ := goja.AssertConstructor(s.errors[kind])
	o, err := c(nil, s.realm.VM().ToValue(msg))
	if err != nil {
		panic(err)
	}
	return o
}

// throw throws a new error of the kind-th constructor.
func (s *state) throw(kind int, msg string) {
	panic(s.realm.VM().ToValue(s.newError(kind, msg)))
}
