package builtins

import (
	_ "embed"
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// The Array.prototype methods below loop in Go over their receiver's length,
// and call no script for an index the receiver lacks: over an array-like
// ({length: 2 ** 53 - 1}) or a sparse array (Array(2 ** 32 - 1)) they run on
// past any deadline, and map and sort first allocate the length they are
// given, which ends the process with Go's fatal "out of memory". Each is
// replaced, as indexOf is (arraylike.go), by a function with the same name,
// length and attributes that calls the original when the receiver's length
// is a data property no longer than loopLength, and otherwise takes the
// spec's steps in script (js/arrays.js), where the runtime's interrupt stops
// them. So is Array.from for an array-like source, and the functions that
// spread an array-like into arguments (Function.prototype.apply,
// Reflect.apply, Reflect.construct), which allocate its length at once: a
// longer one than maxArguments is V8's RangeError "Maximum call stack size
// exceeded".
//
// find, findIndex, findLast and findLastIndex need nothing: they call their
// callback for every index, present or not, and the interrupt is seen there.

// loopLength is the longest receiver the originals are left to loop over:
// goja goes through 4 million absent indices in well under a second, and the
// steps in script take a few times as long as the original's for present
// ones.
const loopLength = 1 << 22

// maxArguments is the most arguments apply and its kind spread an
// array-like into, about where V8's stack no longer holds them.
const maxArguments = 1 << 17

//go:embed js/arrays.js
var arraysSource string

var arraysProgram = compileOnce("arrays.js", arraysSource)

// arraysIntrinsics are what js/arrays.js takes when evaluated, captured
// before the functions it takes the steps of are replaced (see
// lazyscripts.go).
var arraysIntrinsics = []string{
	"Reflect.apply", "Reflect.construct", "Reflect.defineProperty", "Reflect.deleteProperty",
	"Array.isArray", "Array", "Object", "Symbol.species", "Symbol.isConcatSpreadable",
	"Array.prototype.sort", "Math.min", "Math.max", "Math.floor",
}

// loopingMethods are the methods of Array.prototype replaced.
var loopingMethods = []string{
	"forEach", "map", "filter", "reduce", "reduceRight", "some", "every", "fill", "reverse",
	"copyWithin", "slice", "splice", "shift", "unshift", "toReversed", "with", "toSpliced", "sort",
}

// interruptibleArrays replaces the methods with ones whose loops over long
// receivers run in script, which is compiled and evaluated the first time one
// does.
func interruptibleArrays(realm *webidl.Realm, a *arrayLike) error {
	vm := realm.VM()
	steps, err := newLazySteps(realm, arraysProgram, arraysIntrinsics)
	if err != nil {
		return err
	}
	in := webidl.Intrinsics{VM: vm}
	proto := in.Object("Array", "prototype")
	for _, name := range loopingMethods {
		o, ok := proto.Get(name).(*goja.Object)
		if !ok {
			continue // a goja without it
		}
		orig, ok := o.Export().(nativeFunc)
		if !ok {
			return fmt.Errorf("builtins: Array.prototype.%s is not a native function", name)
		}
		r := webidl.NewFunction(vm, name, int(o.Get("length").ToInteger()), a.wrapLoop(orig, steps.step(name)))
		if err := proto.DefineDataProperty(name, r, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	if err := a.replaceConcat(proto, steps); err != nil {
		return err
	}
	if err := a.replaceFrom(in, steps); err != nil {
		return err
	}
	return a.replaceApply(in, steps)
}

// wrapLoop returns the replacement of orig: ToObject(this value), then orig
// when the object is short, or else slow, called with the object and the
// arguments.
func (a *arrayLike) wrapLoop(orig nativeFunc, slow goja.Callable) nativeFunc {
	return func(call goja.FunctionCall) goja.Value {
		o := call.This.ToObject(a.vm)
		if n, ok := a.length(o); ok && n <= loopLength {
			return orig(goja.FunctionCall{This: o, Arguments: call.Arguments})
		}
		return a.call(slow, append([]goja.Value{o}, call.Arguments...))
	}
}

// length returns o's length when getting it runs no script.
func (a *arrayLike) length(o *goja.Object) (int64, bool) {
	var n goja.Value
	if o.ExportType() != proxyType && o.ClassName() == "Array" {
		n = o.Get("length") // an own data property
	} else if v, ok := a.data.dataProperty(o, "length"); ok {
		n = v
	}
	if n == nil || !isNumeric(n) {
		return 0, false
	}
	return toLength(n), true
}

// call calls f with args, panicking with what it throws.
func (a *arrayLike) call(f goja.Callable, args []goja.Value) goja.Value {
	v, err := f(goja.Undefined(), args...)
	if err != nil {
		panic(err)
	}
	return v
}

// replaceConcat replaces Array.prototype.concat: unless the receiver and each
// argument that is an object have a length that is a data property no longer
// than loopLength, it goes through the steps in script.
func (a *arrayLike) replaceConcat(proto *goja.Object, steps *lazySteps) error {
	o, ok := proto.Get("concat").(*goja.Object)
	if !ok {
		return nil
	}
	orig, ok := o.Export().(nativeFunc)
	if !ok {
		return fmt.Errorf("builtins: Array.prototype.concat is not a native function")
	}
	slow := steps.step("concat")
	short := func(v goja.Value) bool {
		o, ok := v.(*goja.Object)
		if !ok {
			return true
		}
		n, ok := a.length(o)
		return ok && n <= loopLength
	}
	concat := webidl.NewFunction(a.vm, "concat", int(o.Get("length").ToInteger()), func(call goja.FunctionCall) goja.Value {
		o := call.This.ToObject(a.vm)
		all := append([]goja.Value{o}, call.Arguments...)
		for _, v := range all {
			if !short(v) {
				return a.call(slow, all)
			}
		}
		return orig(goja.FunctionCall{This: o, Arguments: call.Arguments})
	})
	return proto.DefineDataProperty("concat", concat, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// replaceFrom replaces Array.from: a source that is an object without
// Symbol.iterator, whose length is longer than loopLength, both read as
// data properties, goes through the steps in script.
func (a *arrayLike) replaceFrom(in webidl.Intrinsics, steps *lazySteps) error {
	ctor := in.Object("Array")
	o, ok := ctor.Get("from").(*goja.Object)
	if !ok {
		return nil
	}
	orig, ok := o.Export().(nativeFunc)
	if !ok {
		return fmt.Errorf("builtins: Array.from is not a native function")
	}
	slow := steps.step("from")
	from := webidl.NewFunction(a.vm, "from", int(o.Get("length").ToInteger()), func(call goja.FunctionCall) goja.Value {
		if items, ok := call.Argument(0).(*goja.Object); ok {
			iter, isData := a.data.dataProperty(items, goja.SymIterator)
			if n, ok := a.length(items); ok && n > loopLength && isData && (goja.IsUndefined(iter) || goja.IsNull(iter)) {
				return a.call(slow, append([]goja.Value{call.This}, call.Arguments...))
			}
		}
		return orig(call)
	})
	return ctor.DefineDataProperty("from", from, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// replaceApply replaces Function.prototype.apply, Reflect.apply and
// Reflect.construct: once the function called is known to be one, an
// array-like of arguments longer than maxArguments, or whose length is not a
// data property, is made a list of arguments in script, which throws beyond
// maxArguments.
func (a *arrayLike) replaceApply(in webidl.Intrinsics, steps *lazySteps) error {
	slow := steps.step("argumentList")
	list := func(v goja.Value) goja.Value {
		o, ok := v.(*goja.Object)
		if !ok {
			return v // the original throws, or takes no arguments
		}
		if n, ok := a.length(o); ok && n <= maxArguments {
			return v
		}
		return a.call(slow, []goja.Value{v, a.vm.ToValue(maxArguments)})
	}
	callable := func(v goja.Value) bool { _, ok := goja.AssertFunction(v); return ok }
	constructor := func(v goja.Value) bool { _, ok := goja.AssertConstructor(v); return ok }
	for _, m := range []struct {
		holder *goja.Object
		name   string
		arg    int // the index of the array-like argument
		// ready reports whether the original's checks before it reads the
		// array-like pass.
		ready func(goja.FunctionCall) bool
	}{
		{in.Object("Function", "prototype"), "apply", 1, func(c goja.FunctionCall) bool { return callable(c.This) }},
		{in.Object("Reflect"), "apply", 2, func(c goja.FunctionCall) bool { return callable(c.Argument(0)) }},
		{in.Object("Reflect"), "construct", 1, func(c goja.FunctionCall) bool {
			return constructor(c.Argument(0)) && (len(c.Arguments) < 3 || constructor(c.Argument(2)))
		}},
	} {
		o, ok := m.holder.Get(m.name).(*goja.Object)
		if !ok {
			continue
		}
		orig, ok := o.Export().(nativeFunc)
		if !ok {
			return fmt.Errorf("builtins: %s is not a native function", m.name)
		}
		arg, ready := m.arg, m.ready
		r := webidl.NewFunction(a.vm, m.name, int(o.Get("length").ToInteger()), func(call goja.FunctionCall) goja.Value {
			if len(call.Arguments) > arg && ready(call) {
				args := append([]goja.Value(nil), call.Arguments...)
				args[arg] = list(args[arg])
				call.Arguments = args
			}
			return orig(call)
		})
		if err := m.holder.DefineDataProperty(m.name, r, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}
