package builtins

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// Array.prototype.join (and Array.prototype.toString, which calls the array's
// join) recurse in Go, not in script, through nested arrays: `String(a)` of an
// array nested a million deep runs on the Go stack, past any deadline (goja
// checks for interrupts only between script instructions), and deep enough it
// reaches Go's fatal stack overflow. V8 throws a RangeError there. Since
// toString reaches each nested array's join through a property lookup
// (https://tc39.es/ecma262/#sec-array.prototype.tostring, step 2), a join that
// counts how deep it is nested sees every level.

// boundJoin replaces Array.prototype.join with a function of the same name,
// length and attributes that throws V8's RangeError when joins nest deeper
// than maxDepth or make a string longer than maxLength (joinlength.go), and
// otherwise calls the original.
func boundJoin(realm *webidl.Realm, maxDepth, maxLength int) error {
	vm := realm.VM()
	proto, ok := vm.Get("Array").ToObject(vm).Get("prototype").(*goja.Object)
	if !ok {
		return nil
	}
	join, ok := goja.AssertFunction(proto.Get("join"))
	if !ok {
		return nil
	}
	depth := 0
	size := sizeBound{realm: realm, ownProperty: webidl.Intrinsics{VM: vm}.Func("Object", "getOwnPropertyDescriptor")}
	f := webidl.NewFunction(vm, "join", 1, func(c goja.FunctionCall) goja.Value {
		if depth >= maxDepth {
			realm.ThrowRangeError("Maximum call stack size exceeded")
		}
		if size.joinTooLong(c.This, c.Argument(0), maxLength) {
			realm.ThrowRangeError(invalidLength)
		}
		depth++
		defer func() { depth-- }()
		v, err := join(c.This, c.Arguments...)
		if err != nil {
			panic(err)
		}
		return v
	})
	return proto.DefineDataProperty("join", f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}
