package builtins

import (
	"fmt"
	"math"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja's String.prototype.repeat, padStart and padEnd reserve the whole result
// before they write it: 'x'.repeat(2**30) takes a gigabyte at once, before
// any deadline can stop the script, and a larger count ends the process with
// the Go runtime's fatal "out of memory". So does concat, given strings that
// are long together. Each is replaced by a function with
// the same name, length and property attributes that takes the spec's steps
// as far as the result's length, throws V8's RangeError "Invalid string
// length" if that is beyond the bound, and otherwise calls the original with
// the arguments already converted: converting a string or a number again
// runs no script, so every conversion is seen once, in the spec's order.

// invalidLength is V8's message for a string longer than it can make.
const invalidLength = "Invalid string length"

// nativeFunc is the Go function of a goja built-in function.
type nativeFunc = func(goja.FunctionCall) goja.Value

// stringBound is the bound the replacements check.
type stringBound struct {
	realm *webidl.Realm
	limit float64
}

// boundStrings replaces String.prototype.repeat, padStart and padEnd with ones
// that throw a RangeError instead of making a string longer than maxLength.
func boundStrings(realm *webidl.Realm, maxLength int) error {
	vm := realm.VM()
	proto := webidl.Intrinsics{VM: vm}.Object("String", "prototype")
	b := stringBound{realm: realm, limit: float64(maxLength)}
	for _, m := range []struct {
		name string
		wrap func(orig nativeFunc) nativeFunc
	}{{"repeat", b.repeat}, {"padStart", b.pad}, {"padEnd", b.pad}, {"concat", b.concat}} {
		if err := wrapNative(vm, proto, "String.prototype", m.name, m.wrap); err != nil {
			return err
		}
	}
	return nil
}

// wrapNative replaces the built-in method name of proto (whose name for
// errors is owner), a goja native function, with a function of the same
// name, length and attributes that runs what wrap returns for the original.
func wrapNative(vm *goja.Runtime, proto *goja.Object, owner, name string, wrap func(orig nativeFunc) nativeFunc) error {
	o, ok := proto.Get(name).(*goja.Object)
	if !ok {
		return fmt.Errorf("builtins: %s.%s is missing", owner, name)
	}
	orig, ok := o.Export().(nativeFunc)
	if !ok {
		return fmt.Errorf("builtins: %s.%s is not a native function", owner, name)
	}
	f := webidl.NewFunction(vm, name, int(o.Get("length").ToInteger()), wrap(orig))
	return proto.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// check throws the RangeError if a string of length n is beyond the bound.
func (b stringBound) check(n float64) {
	if n > b.limit {
		panic(b.realm.NewRangeError(invalidLength))
	}
}

// repeat wraps String.prototype.repeat
// (https://tc39.es/ecma262/#sec-string.prototype.repeat).
func (b stringBound) repeat(orig nativeFunc) nativeFunc {
	return func(call goja.FunctionCall) goja.Value {
		s, ok := b.thisString(call)
		if !ok {
			return orig(call)
		}
		count := call.Argument(0).ToNumber()
		// A negative or infinite count is the original's RangeError.
		if n := integerOrInfinity(count); n > 0 && !math.IsInf(n, 1) {
			b.check(float64(s.Length()) * n)
		}
		return orig(goja.FunctionCall{This: s, Arguments: []goja.Value{count}})
	}
}

// pad wraps padStart or padEnd
// (https://tc39.es/ecma262/#sec-stringpaddingbuiltinsimpl).
func (b stringBound) pad(orig nativeFunc) nativeFunc {
	return func(call goja.FunctionCall) goja.Value {
		s, ok := b.thisString(call)
		if !ok {
			return orig(call)
		}
		maxLength := call.Argument(0).ToNumber()
		n := integerOrInfinity(maxLength) // ToLength, but for a clamp that changes no comparison
		if n <= float64(s.Length()) {
			return s
		}
		fill := call.Argument(1)
		if !goja.IsUndefined(fill) {
			f := b.toString(fill)
			if f.Length() == 0 {
				return s
			}
			fill = f
		}
		b.check(n)
		return orig(goja.FunctionCall{This: s, Arguments: []goja.Value{maxLength, fill}})
	}
}

// concat wraps String.prototype.concat
// (https://tc39.es/ecma262/#sec-string.prototype.concat).
func (b stringBound) concat(orig nativeFunc) nativeFunc {
	return func(call goja.FunctionCall) goja.Value {
		s, ok := b.thisString(call)
		if !ok {
			return orig(call)
		}
		n := float64(s.Length())
		args := make([]goja.Value, len(call.Arguments))
		for i, a := range call.Arguments {
			str := b.toString(a)
			args[i] = str
			n += float64(str.Length())
		}
		b.check(n)
		return orig(goja.FunctionCall{This: s, Arguments: args})
	}
}

// thisString is the first two steps of the String.prototype methods:
// RequireObjectCoercible(this value), then ToString of it. It reports false,
// converting nothing, when this is undefined or null.
func (b stringBound) thisString(call goja.FunctionCall) (goja.String, bool) {
	if goja.IsUndefined(call.This) || goja.IsNull(call.This) {
		return nil, false
	}
	return b.toString(call.This), true
}

// toString is ToString (https://tc39.es/ecma262/#sec-tostring). goja's
// Value.ToString converts only objects, to a primitive.
func (b stringBound) toString(v goja.Value) goja.String {
	vm := b.realm.VM()
	switch p := v.ToString().(type) {
	case goja.String:
		return p
	case *goja.Symbol:
		panic(vm.NewTypeError("Cannot convert a Symbol value to a string"))
	default:
		return vm.ToValue(p.String()).(goja.String)
	}
}

// integerOrInfinity is ToIntegerOrInfinity
// (https://tc39.es/ecma262/#sec-tointegerorinfinity) of the number v.
func integerOrInfinity(v goja.Value) float64 {
	f := v.ToFloat()
	if math.IsNaN(f) {
		return 0
	}
	return math.Trunc(f)
}
