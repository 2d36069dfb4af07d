package builtins

import (
	"math"
	"strconv"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja's Array.prototype.flat recurses in Go, once per level of nesting it
// flattens: arr.flat(Infinity) of an array nested a million deep runs on the
// Go stack, and deeper reaches Go's fatal stack overflow. Its loops, and
// flatMap's, are in Go too: [Array(2 ** 32 - 1)].flat() looped over four
// billion holes past any deadline, as did flatMap over an array its callback
// returned. Both are replaced by functions with the same names, lengths and
// attributes that take the spec's steps here, throwing V8's RangeError
// "Maximum call stack size exceeded" past the bound on depth and checking
// for the runtime's interrupt as they go. They are as fast as goja's: an
// array is read with goja's Get where that tells a hole without a trap (see
// plain), and the result's elements are defined in Go.

// flattener holds what the replacements call.
type flattener struct {
	realm     *webidl.Realm
	vm        *goja.Runtime
	maxDepth  int
	poll      *poller
	isArrayFn goja.Callable // Array.isArray
	has       goja.Callable // Reflect.has
}

// boundFlat replaces Array.prototype.flat and flatMap with ones that throw
// a RangeError when they would flatten more than maxDepth levels of nesting.
func boundFlat(realm *webidl.Realm, maxDepth int, poll *poller) error {
	vm := realm.VM()
	in := webidl.Intrinsics{VM: vm}
	f := &flattener{
		realm: realm, vm: vm, maxDepth: maxDepth, poll: poll,
		isArrayFn: in.Func("Array", "isArray"),
		has:       in.Func("Reflect", "has"),
	}
	proto := in.Object("Array", "prototype")
	for _, m := range []struct {
		name   string
		length int
		fn     nativeFunc
	}{{"flat", 0, f.flat}, {"flatMap", 1, f.flatMap}} {
		if err := proto.DefineDataProperty(m.name, webidl.NewFunction(vm, m.name, m.length, m.fn), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// flatMap is https://tc39.es/ecma262/#sec-array.prototype.flatmap.
func (f *flattener) flatMap(c goja.FunctionCall) goja.Value {
	// 1-2.
	o := c.This.ToObject(f.vm)
	sourceLen := toLength(getValue(o, "length").ToNumber())
	// 3. If IsCallable(mapperFunction) is false, throw a TypeError.
	mapper, ok := goja.AssertFunction(c.Argument(0))
	if !ok {
		panic(f.vm.NewTypeError("flatMap mapper function is not callable"))
	}
	// 4-6.
	a := f.speciesCreate(o)
	f.flatten(a, o, sourceLen, 0, 1, 0, &mapping{mapper, c.Argument(1)})
	return a
}

// getValue is Get(o, key): goja's Get returns nil for a property that is
// not there.
func getValue(o *goja.Object, key string) goja.Value {
	if v := o.Get(key); v != nil {
		return v
	}
	return goja.Undefined()
}

// mapping is the mapper function of FlattenIntoArray, and its this value.
type mapping struct {
	fn      goja.Callable
	thisArg goja.Value
}

// flat is https://tc39.es/ecma262/#sec-array.prototype.flat.
func (f *flattener) flat(c goja.FunctionCall) goja.Value {
	// 1-2.
	o := c.This.ToObject(f.vm)
	sourceLen := toLength(getValue(o, "length").ToNumber())
	// 3-4.
	depth := 1.0
	if d := c.Argument(0); !goja.IsUndefined(d) {
		depth = math.Max(integerOrInfinity(d.ToNumber()), 0)
	}
	// 5-6.
	a := f.speciesCreate(o)
	f.flatten(a, o, sourceLen, 0, depth, 0, nil)
	return a
}

// flatten is FlattenIntoArray
// (https://tc39.es/ecma262/#sec-flattenintoarray), level levels down, with
// the mapper function if m is not nil; it returns the next target index.
func (f *flattener) flatten(target, source *goja.Object, sourceLen, start int64, depth float64, level int, m *mapping) int64 {
	if level > f.maxDepth {
		panic(f.realm.NewRangeError(stackExceeded))
	}
	plain := f.plain(source)
	targetIndex := start
	for i := int64(0); i < sourceLen; i++ {
		f.poll.Step()
		key := strconv.FormatInt(i, 10)
		// a-b. If HasProperty(source, P), Get(source, P).
		var element goja.Value
		if plain {
			if element = source.Get(key); element == nil {
				continue
			}
		} else {
			if !call(f.has, goja.Undefined(), source, f.vm.ToValue(key)).ToBoolean() {
				continue
			}
			element = getValue(source, key)
		}
		if m != nil {
			element = call(m.fn, m.thisArg, element, f.vm.ToValue(i), source)
		}
		if depth > 0 && f.isArray(element) {
			e := element.(*goja.Object)
			targetIndex = f.flatten(target, e, toLength(getValue(e, "length").ToNumber()), targetIndex, depth-1, level+1, nil)
			continue
		}
		if targetIndex >= maxSafeInteger {
			panic(f.vm.NewTypeError("Array too long"))
		}
		// CreateDataPropertyOrThrow(target, targetIndex, element).
		if err := target.DefineDataProperty(strconv.FormatInt(targetIndex, 10), element, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			panic(err)
		}
		targetIndex++
	}
	return targetIndex
}

// plain reports whether o and its prototypes are ordinary objects or
// arrays, no proxy among them: then goja's Get returns nil exactly where
// HasProperty is false, and asking it alone runs no trap the spec does not.
func (f *flattener) plain(o *goja.Object) bool {
	for ; o != nil; o = o.Prototype() {
		if o.ExportType() == proxyType {
			return false
		}
		if c := o.ClassName(); c != "Array" && c != "Object" {
			return false
		}
	}
	return true
}

// isArray is IsArray (https://tc39.es/ecma262/#sec-isarray), asking
// Array.isArray only of a proxy.
func (f *flattener) isArray(v goja.Value) bool {
	o, ok := v.(*goja.Object)
	if !ok {
		return false
	}
	if o.ExportType() == proxyType {
		return call(f.isArrayFn, goja.Undefined(), o).ToBoolean()
	}
	return o.ClassName() == "Array"
}

// speciesCreate is ArraySpeciesCreate(original, 0)
// (https://tc39.es/ecma262/#sec-arrayspeciescreate). A runtime has one
// realm, so step 4's check of C's realm never applies.
func (f *flattener) speciesCreate(original *goja.Object) *goja.Object {
	if !f.isArray(original) {
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
