package builtins

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja's Object.prototype.toLocaleString calls the toString it reads without
// checking it: ({ toString: undefined }).toLocaleString() was a Go
// nil-pointer panic that left the runtime unusable. It is replaced by the
// spec's steps, a TypeError for a toString that is not callable.

// installToLocaleString defines Object.prototype.toLocaleString
// (https://tc39.es/ecma262/#sec-object.prototype.tolocalestring): Invoke(this
// value, "toString"), the method read with the this value, a primitive
// included, as the receiver.
func installToLocaleString(realm *webidl.Realm) error {
	vm := realm.VM()
	in := webidl.Intrinsics{VM: vm}
	get := in.Func("Reflect", "get")
	key := vm.ToValue("toString")
	f := webidl.NewFunction(vm, "toLocaleString", 0, func(call goja.FunctionCall) goja.Value {
		O := call.This
		// GetV (https://tc39.es/ecma262/#sec-getv): ToObject, then [[Get]]
		// with O as the receiver.
		m, err := get(goja.Undefined(), O.ToObject(vm), key, O)
		if err != nil {
			panic(err)
		}
		toString, ok := goja.AssertFunction(m)
		if !ok {
			panic(vm.NewTypeError("toString is not a function"))
		}
		v, err := toString(O)
		if err != nil {
			panic(err)
		}
		return v
	})
	return in.Object("Object", "prototype").DefineDataProperty("toLocaleString", f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}
