package builtins

import (
	"reflect"

	"github.com/dop251/goja"
)

// goja's await of a value v takes PromiseResolve(%Promise%, v)'s steps
// (https://tc39.es/ecma262/#sec-promise-resolve) with a difference: it reads
// v.constructor for any object v, where the spec reads it only if v is a
// promise, and a throw of that read escapes goja's async function machinery
// (its context is left on the VM's stacks) instead of throwing at the await.
// So every await the realm runs awaits what promiseResolver returns: the
// loader and the eval and Function constructors rewrite `await v` in the
// scripts they compile into an await of its result, and the built-ins
// written in JavaScript await es.promiseResolve(v).
//
// It takes the spec's steps itself: a primitive is returned as it is, for
// goja's await makes a promise of it without reading anything; a promise
// whose constructor is %Promise% is returned as it is; anything else gets a
// new %Promise% resolved with it, which reads v.then as the spec's
// resolving does (https://tc39.es/ecma262/#sec-promise-resolve-functions).
// goja reads the constructor of what it gets, once more: the new promise
// has %Promise% as an own data property, which no script sees, as nothing
// but the await holds the promise. So the awaits take the spec's number of
// jobs, and the only read left that the spec does not make is goja's second
// read of the constructor of a promise whose constructor was %Promise%: a
// getter (on the promise or its prototype chain, a Proxy's trap) runs
// twice, and if it throws or returns something else the second time, goja
// fails as it did before. The rewritten awaits also look up the name of the
// hooks they call through (AsyncGeneratorHooks, or the eval hooks in source
// text): inside a with statement, its object sees that lookup (a Proxy's
// has trap).

// promiseType is the type a promise exports to.
var promiseType = reflect.TypeFor[*goja.Promise]()

// promiseResolver returns the function promiseResolve(v) of the comment
// above, for the realm of vm, whose %Promise% the global Promise is when it
// is called.
func promiseResolver(vm *goja.Runtime) func(goja.FunctionCall) goja.Value {
	ctor := vm.GlobalObject().Get("Promise")
	return func(c goja.FunctionCall) goja.Value {
		v := c.Argument(0)
		o, ok := v.(*goja.Object)
		if !ok {
			return v
		}
		// The type an object exports to tells a promise without reading its
		// properties, as exporting an object that is no promise would.
		if o.ExportType() == promiseType && o.Get("constructor").SameAs(ctor) {
			return o
		}
		p, resolve, _ := vm.NewPromise()
		po := vm.ToValue(p).(*goja.Object)
		if err := po.DefineDataProperty("constructor", ctor, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
			panic(err)
		}
		if err := resolve(v); err != nil {
			panic(err)
		}
		return po
	}
}
