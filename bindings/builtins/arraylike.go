package builtins

import (
	"fmt"
	"math"
	"strconv"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// Array.prototype.indexOf, lastIndexOf and includes loop in Go over their
// receiver's length, which an array-like sets at will ({length: 2 ** 53 - 1}):
// goja's loop calls no script when the receiver has no accessors, so nothing
// stops it before the last index. Each is replaced by a function with the same
// name, length and attributes that calls the original when the receiver's
// length is a data property no longer than directLength (every ordinary
// array), and otherwise takes the spec's steps itself, checking for the
// runtime's interrupt as it goes.

// directLength is the longest receiver the originals are left to search: a
// million indices take goja tens of milliseconds, while the replacements'
// steps, each a call through goja's API, take several times as long.
const directLength = 1 << 20

// arrayLike holds what the replacements call.
type arrayLike struct {
	vm   *goja.Runtime
	data sizeBound // for dataProperty
	has  goja.Callable
	poll *poller
}

// newArrayLike returns what the replacements of realm call.
func newArrayLike(realm *webidl.Realm, poll *poller) *arrayLike {
	vm := realm.VM()
	in := webidl.Intrinsics{VM: vm}
	return &arrayLike{
		vm:   vm,
		data: sizeBound{realm: realm, ownProperty: in.Func("Object", "getOwnPropertyDescriptor")},
		has:  in.Func("Reflect", "has"),
		poll: poll,
	}
}

// interruptibleSearches replaces Array.prototype.indexOf, lastIndexOf and
// includes with ones that honour the runtime's interrupt on long array-likes.
func interruptibleSearches(realm *webidl.Realm, a *arrayLike) error {
	vm := realm.VM()
	in := webidl.Intrinsics{VM: vm}
	proto := in.Object("Array", "prototype")
	for _, m := range []struct {
		name   string
		search func(o *goja.Object, call goja.FunctionCall) goja.Value
	}{{"indexOf", a.indexOf}, {"lastIndexOf", a.lastIndexOf}, {"includes", a.includes}} {
		o, ok := proto.Get(m.name).(*goja.Object)
		if !ok {
			return fmt.Errorf("builtins: Array.prototype.%s is missing", m.name)
		}
		orig, ok := o.Export().(nativeFunc)
		if !ok {
			return fmt.Errorf("builtins: Array.prototype.%s is not a native function", m.name)
		}
		f := webidl.NewFunction(vm, m.name, int(o.Get("length").ToInteger()), a.wrap(orig, m.search))
		if err := proto.DefineDataProperty(m.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// wrap returns the replacement of orig: ToObject(this value), then orig when
// the object is short, or else search.
func (a *arrayLike) wrap(orig nativeFunc, search func(*goja.Object, goja.FunctionCall) goja.Value) nativeFunc {
	return func(call goja.FunctionCall) goja.Value {
		o := call.This.ToObject(a.vm)
		if n, ok := a.data.dataProperty(o, "length"); ok && isNumeric(n) && toLength(n) <= directLength {
			return orig(goja.FunctionCall{This: o, Arguments: call.Arguments})
		}
		return search(o, call)
	}
}

// lengthOf is LengthOfArrayLike (https://tc39.es/ecma262/#sec-lengthofarraylike).
func (a *arrayLike) lengthOf(o *goja.Object) int64 {
	return toLength(o.Get("length").ToNumber())
}

// present is HasProperty(o, ToString(k)).
func (a *arrayLike) present(o *goja.Object, k int64) bool {
	a.poll.Step()
	v, err := a.has(goja.Undefined(), o, a.vm.ToValue(strconv.FormatInt(k, 10)))
	if err != nil {
		panic(err)
	}
	return v.ToBoolean()
}

// get is Get(o, ToString(k)): undefined where goja's Get gives nil for an
// absent property.
func (a *arrayLike) get(o *goja.Object, k int64) goja.Value {
	a.poll.Step()
	if v := o.Get(strconv.FormatInt(k, 10)); v != nil {
		return v
	}
	return goja.Undefined()
}

// indexOf is https://tc39.es/ecma262/#sec-array.prototype.indexof from step 2.
func (a *arrayLike) indexOf(o *goja.Object, call goja.FunctionCall) goja.Value {
	length := a.lengthOf(o)
	if length == 0 {
		return a.vm.ToValue(-1)
	}
	n := integerOrInfinity(call.Argument(1).ToNumber())
	if n >= float64(length) {
		return a.vm.ToValue(-1)
	}
	k := int64(math.Max(n, 0))
	if n < 0 {
		k = int64(math.Max(float64(length)+n, 0))
	}
	search := call.Argument(0)
	for ; k < length; k++ {
		if a.present(o, k) && search.StrictEquals(a.get(o, k)) {
			return a.vm.ToValue(k)
		}
	}
	return a.vm.ToValue(-1)
}

// lastIndexOf is https://tc39.es/ecma262/#sec-array.prototype.lastindexof
// from step 2.
func (a *arrayLike) lastIndexOf(o *goja.Object, call goja.FunctionCall) goja.Value {
	length := a.lengthOf(o)
	if length == 0 {
		return a.vm.ToValue(-1)
	}
	n := float64(length - 1)
	if len(call.Arguments) > 1 {
		n = integerOrInfinity(call.Arguments[1].ToNumber())
	}
	var k int64
	if n >= 0 {
		k = int64(math.Min(n, float64(length-1)))
	} else {
		k = int64(math.Max(float64(length)+n, -1)) // -Infinity: no index
	}
	search := call.Argument(0)
	for ; k >= 0; k-- {
		if a.present(o, k) && search.StrictEquals(a.get(o, k)) {
			return a.vm.ToValue(k)
		}
	}
	return a.vm.ToValue(-1)
}

// includes is https://tc39.es/ecma262/#sec-array.prototype.includes from
// step 2.
func (a *arrayLike) includes(o *goja.Object, call goja.FunctionCall) goja.Value {
	length := a.lengthOf(o)
	if length == 0 {
		return a.vm.ToValue(false)
	}
	n := integerOrInfinity(call.Argument(1).ToNumber())
	if n >= float64(length) {
		return a.vm.ToValue(false)
	}
	k := int64(math.Max(n, 0))
	if n < 0 {
		k = int64(math.Max(float64(length)+n, 0))
	}
	search := call.Argument(0)
	for ; k < length; k++ {
		// SameValueZero: StrictEquals but for NaN, which SameAs covers.
		if v := a.get(o, k); search.StrictEquals(v) || search.SameAs(v) {
			return a.vm.ToValue(true)
		}
	}
	return a.vm.ToValue(false)
}
