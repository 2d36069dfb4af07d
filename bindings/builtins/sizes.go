package builtins

import (
	_ "embed"
	"errors"
	"math"
	"math/big"
	"reflect"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// goja's ArrayBuffer and typed array constructors allocate what they are asked
// for with make: a size the process cannot hold ends it with the Go runtime's
// fatal "out of memory", which no recover catches. So each constructor is
// replaced (js/sizes.js) by one that first works out, from what it can see
// without observable side effects, how many bytes the original would allocate,
// and if that is more than the bound throws the RangeError an engine gives when
// an allocation fails, after reading new.target's prototype as the spec does
// before it allocates. It sees:
//
//   - a length that is a primitive (every constructor, and so TypedArray.from
//     and of, which call them with one), converted as ToIndex converts it,
//     which is unobservable;
//   - ArrayBuffer's length, which js/arraybuffer.js converts once with
//     ToIndex (https://tc39.es/ecma262/#sec-arraybuffer-length step 2) before
//     it asks the allocator (buffers.go);
//   - a typed array source (new Float64Array(aUint8Array)): its length, read
//     through %TypedArray%.prototype's getter, which reads an internal slot;
//   - an array-like source ({length: n}, or an Array once Symbol.iterator is
//     gone) whose Symbol.iterator and "length" are data properties all along
//     its prototype chain, without a Proxy: their values, read through their
//     descriptors, which runs no script.
//
// Other sources (iterables, objects with accessors or Proxies on the way) are
// passed on unchecked, as finding their length would run script twice: goja
// gathers their elements one at a time, as Array.from does, before it
// allocates, and what that gathering costs is not bounded here.

//go:embed js/sizes.js
var sizesSource string

var sizesProgram = sync.OnceValue(func() *goja.Program {
	return compileBuiltin("wsjs:sizes.js", sizesSource)
})

// wrapFunction returns sizes.js's wrap, run in realm.
func wrapFunction(realm *webidl.Realm) (goja.Value, error) {
	setup, err := realm.VM().RunProgram(sizesProgram())
	if err != nil {
		return nil, err
	}
	wrapSetup, _ := goja.AssertFunction(setup)
	return wrapSetup(goja.Undefined())
}

// allocationFailed is V8's message when an ArrayBuffer cannot be allocated.
const allocationFailed = bindings.AllocationFailed

// viewConstructors are the typed array constructors and their element sizes.
var viewConstructors = []struct {
	name string
	size int64
}{
	{"Int8Array", 1}, {"Uint8Array", 1}, {"Uint8ClampedArray", 1},
	{"Int16Array", 2}, {"Uint16Array", 2}, {"Float16Array", 2},
	{"Int32Array", 4}, {"Uint32Array", 4}, {"Float32Array", 4},
	{"Float64Array", 8}, {"BigInt64Array", 8}, {"BigUint64Array", 8},
}

// sizeBound checks the sizes the typed array constructors are asked for.
type sizeBound struct {
	realm    *webidl.Realm
	alloc    *allocator
	maxBytes int64
	// Intrinsics called on objects script made; none of them runs script.
	ownProperty                     goja.Callable // Object.getOwnPropertyDescriptor
	typedArrayTag, typedArrayLength goja.Callable // %TypedArray%.prototype getters
}

// viewCheck is what js/arraybuffer.js wraps a typed array constructor with:
// its element size and, when sizes are bounded, the check of the elements it
// is asked for and the greatest length that needs none.
type viewCheck struct {
	Name  string
	Size  int64
	Check func(goja.FunctionCall) goja.Value
	Fits  float64
}

// viewChecks returns the checks of the typed array constructors; they check
// sizes when alloc has a bound.
func viewChecks(realm *webidl.Realm, alloc *allocator) ([]viewCheck, error) {
	checks := make([]viewCheck, len(viewConstructors))
	for i, c := range viewConstructors {
		checks[i] = viewCheck{Name: c.name, Size: c.size, Fits: math.Inf(1)}
	}
	if alloc.maxBytes <= 0 {
		return checks, nil
	}
	vm := realm.VM()
	in := webidl.Intrinsics{VM: vm}
	typedArrayProto := in.Object("Uint8Array", "prototype").Prototype()
	s := &sizeBound{
		realm:            realm,
		alloc:            alloc,
		maxBytes:         alloc.maxBytes,
		ownProperty:      in.Func("Object", "getOwnPropertyDescriptor"),
		typedArrayTag:    in.Getter(typedArrayProto, goja.SymToStringTag),
		typedArrayLength: in.Getter(typedArrayProto, vm.ToValue("length")),
	}
	if s.typedArrayTag == nil || s.typedArrayLength == nil {
		return nil, errors.New("builtins: an intrinsic of %TypedArray% is missing")
	}
	for i, c := range viewConstructors {
		checks[i].Check = s.checkView(c.size)
		checks[i].Fits = float64(alloc.maxBytes / c.size)
	}
	return checks, nil
}

// checkView returns the check of a typed array constructor whose elements take
// size bytes (https://tc39.es/ecma262/#sec-typedarray).
func (s *sizeBound) checkView(size int64) func(goja.FunctionCall) goja.Value {
	maxLength := s.maxBytes / size
	return func(call goja.FunctionCall) goja.Value {
		first, ok := firstArgument(call.Argument(0).(*goja.Object))
		if !ok {
			return goja.Undefined()
		}
		var n int64
		if o, isObject := first.(*goja.Object); isObject {
			n = s.sourceLength(o, maxLength)
		} else {
			n, _ = toIndex(first)
		}
		// The allocator reads newTarget's prototype before it throws, as the
		// spec does before it allocates.
		s.alloc.check(min(n, maxSafeInteger/size)*size, call.Argument(1))
		return goja.Undefined()
	}
}

// sourceLength returns the length of a typed array made from o, if that can
// be known without running script and it is more than limit, or else 0.
func (s *sizeBound) sourceLength(o *goja.Object, limit int64) int64 {
	if tag, err := s.typedArrayTag(o); err == nil && !goja.IsUndefined(tag) {
		// InitializeTypedArrayFromTypedArray: the source's length (0 when
		// its buffer is detached, which the original then rejects).
		if n, err := s.typedArrayLength(o); err == nil {
			return n.ToInteger()
		}
		return 0
	}
	if o.ExportType() == arrayBufferType {
		return 0 // a view over o: nothing allocated
	}
	// InitializeTypedArrayFromArrayLike, when GetMethod(o, @@iterator) is
	// undefined: LengthOfArrayLike(o). The length is looked at first, as
	// most sources (arrays) are short; an Array's is an own data property.
	var length goja.Value
	ok := true
	if o.ExportType() != proxyType && o.ClassName() == "Array" {
		length = o.Get("length")
	} else {
		length, ok = s.dataProperty(o, "length")
	}
	if !ok || !isNumeric(length) || toLength(length) <= limit {
		return 0
	}
	if iter, ok := s.dataProperty(o, goja.SymIterator); ok && (goja.IsUndefined(iter) || goja.IsNull(iter)) {
		return toLength(length)
	}
	return 0
}

// dataProperty returns what getting key from o gives when that runs no script:
// when each object on o's prototype chain up to the one that has key is not a
// Proxy and key is a data property there.
func (s *sizeBound) dataProperty(o *goja.Object, key any) (goja.Value, bool) {
	k := s.realm.VM().ToValue(key)
	for ; o != nil; o = o.Prototype() {
		if o.ExportType() == proxyType {
			return nil, false
		}
		v, err := s.ownProperty(goja.Undefined(), o, k)
		if err != nil {
			return nil, false
		}
		d, ok := v.(*goja.Object)
		if !ok {
			continue
		}
		for _, field := range d.GetOwnPropertyNames() {
			if field == "value" {
				return d.Get("value"), true
			}
		}
		return nil, false // an accessor
	}
	return goja.Undefined(), true
}

// firstArgument returns args[0] of the array of arguments args, if there is one.
func firstArgument(args *goja.Object) (goja.Value, bool) {
	if args.Get("length").ToInteger() == 0 {
		return nil, false
	}
	return args.Get("0"), true
}

var (
	arrayBufferType = reflect.TypeOf(goja.ArrayBuffer{})
	bigIntType      = reflect.TypeOf((*big.Int)(nil))
)

// isNumeric reports whether v is a primitive that ToNumber converts without
// throwing.
func isNumeric(v goja.Value) bool {
	switch v.(type) {
	case *goja.Object, *goja.Symbol:
		return false
	}
	return v.ExportType() != bigIntType
}

// toIndex is ToIndex (https://tc39.es/ecma262/#sec-toindex) of a primitive v,
// or false where ToIndex would throw.
func toIndex(v goja.Value) (int64, bool) {
	if !isNumeric(v) {
		return 0, false
	}
	f := v.ToFloat()
	if math.IsNaN(f) {
		return 0, true
	}
	f = math.Trunc(f)
	if f < 0 || f > maxSafeInteger {
		return 0, false
	}
	return int64(f), true
}

// toLength is ToLength (https://tc39.es/ecma262/#sec-tolength) of a numeric
// primitive v.
func toLength(v goja.Value) int64 {
	f := v.ToFloat()
	if math.IsNaN(f) || f <= 0 {
		return 0
	}
	return int64(math.Min(math.Trunc(f), maxSafeInteger))
}

const maxSafeInteger = 1<<53 - 1
