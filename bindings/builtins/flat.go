package builtins

import (
	"math"
	"strconv"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja's Array.prototype.flat recurses in Go, once per level of nesting it
// flattens: arr.flat(Infinity) of an array nested a million deep runs on the
// Go stack, and deeper reaches Go's fatal stack overflow. flat is replaced by
// a function with the same name, length and attributes that calls the
// original when the depth asked for is within the bound and the receiver is
// short (see arraymethods.go), and otherwise takes the spec's steps itself,
// throwing V8's RangeError "Maximum call stack size exceeded" past the bound
// and checking for the runtime's interrupt as it goes. An array nested in a
// short receiver is left to the original, however long: [Array(2 ** 32 -
// 1)].flat() loops in Go, as flatMap does over what its callback returns.

// flattener holds what the replacement calls.
type flattener struct {
	realm    *webidl.Realm
	vm       *goja.Runtime
	maxDepth int
	poll     *poller
	isArray  goja.Callable // Array.isArray
	has      goja.Callable // Reflect.has
	define   goja.Callable // Reflect.defineProperty
	receiver *arrayLike    // for the receiver's length
}

// boundFlat replaces Array.prototype.flat with one that throws a RangeError
// when it would flatten more than maxDepth levels of nesting.
func boundFlat(realm *webidl.Realm, maxDepth int, poll *poller) error {
	vm := realm.VM()
	in := webidl.Intrinsics{VM: vm}
	f := &flattener{
		realm: realm, vm: vm, maxDepth: maxDepth, poll: poll,
		isArray:  in.Func("Array", "isArray"),
		has:      in.Func("Reflect", "has"),
		define:   in.Func("Reflect", "defineProperty"),
		receiver: newArrayLike(realm, poll),
	}
	proto := in.Object("Array", "prototype")
	o, ok := proto.Get("flat").(*goja.Object)
	if !ok {
		return nil // a goja without flat
	}
	orig, ok := o.Export().(nativeFunc)
	if !ok {
		return nil
	}
	flat := webidl.NewFunction(vm, "flat", 0, func(c goja.FunctionCall) goja.Value {
		return f.flat(orig, c)
	})
	return proto.DefineDataProperty("flat", flat, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// flat is https://tc39.es/ecma262/#sec-array.prototype.flat. A depth that
// is undefined or a primitive converts without running script, so when it
// is within the bound the original is called with the arguments as given.
func (f *flattener) flat(orig nativeFunc, c goja.FunctionCall) goja.Value {
	d := c.Argument(0)
	o := c.This.ToObject(f.vm)
	if _, isObject := d.(*goja.Object); !isObject && (goja.IsUndefined(d) || isNumeric(d) && integerOrInfinity(d) <= float64(f.maxDepth)) && f.short(o) {
		return orig(goja.FunctionCall{This: o, Arguments: c.Arguments})
	}
	sourceLen := toLength(o.Get("length").ToNumber())
	depth := 1.0
	if !goja.IsUndefined(d) {
		depth = math.Max(integerOrInfinity(d.ToNumber()), 0)
	}
	a := f.speciesCreate(o)
	f.flatten(a, o, sourceLen, 0, depth, 0)
	return a
}

// short reports whether o's length is a data property no longer than
// loopLength: the original's loop over it ends soon.
func (f *flattener) short(o *goja.Object) bool {
	n, ok := f.receiver.length(o)
	return ok && n <= loopLength
}

// flatten is FlattenIntoArray
// (https://tc39.es/ecma262/#sec-flattenintoarray) without a mapper, level
// levels down; it returns the next target index.
func (f *flattener) flatten(target, source *goja.Object, sourceLen, start int64, depth float64, level int) int64 {
	if level > f.maxDepth {
		panic(f.realm.NewRangeError(stackExceeded))
	}
	targetIndex := start
	for i := int64(0); i < sourceLen; i++ {
		f.poll.step()
		p := f.vm.ToValue(strconv.FormatInt(i, 10))
		if !call(f.has, goja.Undefined(), source, p).ToBoolean() {
			continue
		}
		element := source.Get(p.String())
		if depth > 0 && call(f.isArray, goja.Undefined(), element).ToBoolean() {
			e := element.(*goja.Object)
			targetIndex = f.flatten(target, e, toLength(e.Get("length").ToNumber()), targetIndex, depth-1, level+1)
			continue
		}
		if targetIndex >= maxSafeInteger {
			panic(f.vm.NewTypeError("Array too long"))
		}
		createDataProperty(f.vm, f.define, target, f.vm.ToValue(strconv.FormatInt(targetIndex, 10)), element, true)
		targetIndex++
	}
	return targetIndex
}

// speciesCreate is ArraySpeciesCreate(original, 0)
// (https://tc39.es/ecma262/#sec-arrayspeciescreate). A runtime has one
// realm, so step 4's check of C's realm never applies.
func (f *flattener) speciesCreate(original *goja.Object) *goja.Object {
	if !call(f.isArray, goja.Undefined(), original).ToBoolean() {
		return f.vm.NewArray()
	}
	c := original.Get("constructor")
	if o, ok := c.(*goja.Object); ok {
		if s := o.GetSymbol(goja.SymSpecies); s != nil {
			c = s
		} else {
			c = goja.Undefined()
		}
		if goja.IsNull(c) {
			c = goja.Undefined()
		}
	}
	if goja.IsUndefined(c) {
		return f.vm.NewArray()
	}
	ctor, ok := goja.AssertConstructor(c)
	if !ok {
		panic(f.vm.NewTypeError("object.constructor[Symbol.species] is not a constructor"))
	}
	a, err := ctor(nil, f.vm.ToValue(0))
	if err != nil {
		panic(err)
	}
	return a
}

// createDataProperty is CreateDataProperty, or CreateDataPropertyOrThrow
// when orThrow (https://tc39.es/ecma262/#sec-createdataproperty).
func createDataProperty(vm *goja.Runtime, define goja.Callable, o *goja.Object, p, v goja.Value, orThrow bool) {
	desc := vm.NewObject()
	for _, field := range []struct {
		k string
		v goja.Value
	}{{"value", v}, {"writable", vm.ToValue(true)}, {"enumerable", vm.ToValue(true)}, {"configurable", vm.ToValue(true)}} {
		_ = desc.DefineDataProperty(field.k, field.v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	if !call(define, goja.Undefined(), o, p, desc).ToBoolean() && orThrow {
		panic(vm.NewTypeError("Cannot add property %s, object is not extensible", p))
	}
}
