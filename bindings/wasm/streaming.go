package wasm

import (
	"strings"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// compileStreaming(source)
// (https://webassembly.github.io/spec/js-api/#dom-webassembly-compilestreaming).
func (s *state) compileStreaming(c goja.FunctionCall) goja.Value {
	return s.potentialResponse(c.Argument(0), func(m *module) goja.Value { return s.newModuleObject(m) })
}

// instantiateStreaming(source, importObject)
// (https://webassembly.github.io/spec/js-api/#dom-webassembly-instantiatestreaming).
func (s *state) instantiateStreaming(c goja.FunctionCall) goja.Value {
	imports := c.Argument(1)
	return s.potentialResponse(c.Argument(0), func(m *module) goja.Value {
		return s.instantiatedSource(m, imports)
	})
}

// potentialResponse compiles a potential WebAssembly response
// (https://webassembly.github.io/spec/js-api/#compile-a-potential-webassembly-response)
// and returns the promise of what then makes of the module. The Response's
// members are those fetch defined, whatever script did to them since.
func (s *state) potentialResponse(source goja.Value, then func(*module) goja.Value) goja.Value {
	r := s.realm
	vm := r.VM()
	// 1. Let returnValue be a new promise.
	ret, resolve, reject := vm.NewPromise()
	settle := func(f func()) {
		if exc := vm.Try(f); exc != nil {
			_ = reject(exc.Value())
		}
	}
	// 2. Let sourceAsPromise be a promise resolved with source.
	srcP, resolveSrc, _ := vm.NewPromise()
	_ = resolveSrc(source)
	// 3. Upon fulfillment of sourceAsPromise with value unwrappedSource:
	onSource := func(c goja.FunctionCall) goja.Value {
		settle(func() {
			body := s.responseBody(c.Argument(0))
			s.whenSettled(body, func(c goja.FunctionCall) goja.Value {
				// 3.6. Upon fulfillment of bodyPromise with
				// bodyArrayBuffer: compile a copy of its bytes.
				settle(func() {
					m, exc := s.compileModule(r.ToBufferSource(c.Argument(0)))
					if exc != nil {
						_ = reject(exc)
						return
					}
					_ = resolve(then(m))
				})
				return goja.Undefined()
			}, reject)
		})
		return goja.Undefined()
	}
	// 4. Upon rejection of sourceAsPromise with reason, reject returnValue.
	s.whenSettled(vm.ToValue(srcP), onSource, reject)
	return vm.ToValue(ret)
}

// responseBody takes steps 3.1-3.5: checks that v is a Response of a wasm
// module, and returns the promise of its body as an ArrayBuffer.
func (s *state) responseBody(v goja.Value) goja.Value {
	r := s.realm
	call := func(iface, name string, this goja.Value, args ...goja.Value) goja.Value {
		f := r.Member(iface, name)
		out, err := f(this, args...)
		if err != nil {
			panic(err)
		}
		return out
	}
	// 3.1. Let response be unwrappedSource's response.
	if !r.Implements(v, "Response") {
		r.ThrowTypeError("WebAssembly: the argument must be a Response or a promise of one")
	}
	// 3.2-3.3. The `Content-Type` must be `application/wasm`, without
	// parameters, once tabs and spaces around it are removed.
	ct := call("Headers", "get", call("Response", "get headers", v), r.VM().ToValue("Content-Type"))
	if goja.IsNull(ct) || !strings.EqualFold(strings.Trim(ct.String(), " \t"), "application/wasm") {
		r.ThrowTypeError("WebAssembly: Incorrect response MIME type. Expected 'application/wasm'.")
	}
	// 3.4. If response is not CORS-same-origin, reject with a TypeError.
	if t := call("Response", "get type", v).String(); t == "opaque" || t == "opaqueredirect" {
		r.ThrowTypeError("WebAssembly: the response is not CORS-same-origin")
	}
	// 3.5. If response's status is not an ok status, reject with a
	// TypeError.
	if !call("Response", "get ok", v).ToBoolean() {
		r.ThrowTypeError("WebAssembly: HTTP status code is not ok")
	}
	// 3.6. Consume response's body as an ArrayBuffer.
	return call("Response", "arrayBuffer", v)
}

// whenSettled reacts to the promise p with %Promise.prototype.then%.
func (s *state) whenSettled(p goja.Value, onFulfilled func(goja.FunctionCall) goja.Value, onRejected func(any) error) {
	vm := s.realm.VM()
	then, _ := goja.AssertFunction(webidl.Intrinsics{VM: vm}.Value("Promise", "prototype", "then"))
	rejected := func(c goja.FunctionCall) goja.Value {
		_ = onRejected(c.Argument(0))
		return goja.Undefined()
	}
	if _, err := then(p, vm.ToValue(onFulfilled), vm.ToValue(rejected)); err != nil {
		panic(err)
	}
}
