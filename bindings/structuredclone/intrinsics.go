package structuredclone

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/internal/exporttype"
	"github.com/wsjs/wsjs/webidl"
)

// intrinsics are the built-ins structured cloning reads internal slots
// with and creates objects with, captured at registration from
// webidl.Intrinsics, as goja made them, so that scripts replacing globals
// or prototype methods cannot change what a clone is.
type intrinsics struct {
	objectProto                   *goja.Object
	weakMapProto, weakSetProto    *goja.Object
	iteratorProtos                []*goja.Object // %ArrayIteratorPrototype% and the like
	hasOwn, getOwnPropertyDesc    goja.Callable
	booleanValueOf, numberValueOf goja.Callable
	stringValueOf, bigintValueOf  goja.Callable
	dateGetTime                   goja.Callable
	regexpSource                  goja.Callable
	regexpFlags                   []regexpFlag
	isView                        goja.Callable
	typedArrayBuffer              goja.Callable
	typedArrayOffset              goja.Callable
	typedArrayLength              goja.Callable
	typedArrayName                goja.Callable
	dataViewBuffer                goja.Callable
	dataViewOffset                goja.Callable
	dataViewLength                goja.Callable
	mapForEach, setForEach        goja.Callable
	mapSet, setAdd                goja.Callable
	weakMapHas, weakSetHas        goja.Callable
	mapCtor, setCtor, dateCtor    goja.Constructor
	regexpCtor, arrayCtor         goja.Constructor
	dataViewCtor                  goja.Constructor
	viewCtors                     map[string]goja.Constructor // typed arrays by name
	errorCtors                    map[string]goja.Constructor // by name
}

// regexpFlag is a flag of a RegExp and the getter that reads it from
// [[OriginalFlags]].
type regexpFlag struct {
	flag   byte
	getter goja.Callable
}

// typedArrayNames are the typed array constructors goja provides.
var typedArrayNames = []string{
	"Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array",
	"Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
}

// errorNames are the error types whose name survives cloning (HTML
// StructuredSerializeInternal step 17.2).
var errorNames = []string{"Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError"}

func captureIntrinsics(vm *goja.Runtime) (in *intrinsics, err error) {
	defer func() {
		if r := recover(); r != nil {
			in, err = nil, fmt.Errorf("structuredclone: %v", r)
		}
	}()
	lk := webidl.Intrinsics{VM: vm}
	get, obj, fn := lk.Value, lk.Object, lk.Func
	ctor := func(name string) goja.Constructor {
		c, ok := goja.AssertConstructor(get(name))
		if !ok {
			panic(fmt.Sprintf("intrinsic %s is not a constructor", name))
		}
		return c
	}
	gopd := fn("Reflect", "getOwnPropertyDescriptor")
	// getter returns the getter at path, the accessor's name last, or nil.
	getter := func(path ...string) goja.Callable {
		path[len(path)-1] = "get " + path[len(path)-1]
		f, _ := goja.AssertFunction(get(path...))
		return f
	}
	mustGetter := func(path ...string) goja.Callable {
		f := getter(path...)
		if f == nil {
			panic(fmt.Sprintf("intrinsic getter %v is missing", path))
		}
		return f
	}
	protoOf := lk.ProtoOf
	const typedArrayProto = "[[Prototype]]" // of Uint8Array.prototype

	in = &intrinsics{
		objectProto:        obj("Object", "prototype"),
		weakMapProto:       obj("WeakMap", "prototype"),
		weakSetProto:       obj("WeakSet", "prototype"),
		hasOwn:             fn("Object", "prototype", "hasOwnProperty"),
		getOwnPropertyDesc: gopd,
		booleanValueOf:     fn("Boolean", "prototype", "valueOf"),
		numberValueOf:      fn("Number", "prototype", "valueOf"),
		stringValueOf:      fn("String", "prototype", "valueOf"),
		bigintValueOf:      fn("BigInt", "prototype", "valueOf"),
		dateGetTime:        fn("Date", "prototype", "getTime"),
		regexpSource:       mustGetter("RegExp", "prototype", "source"),
		isView:             fn("ArrayBuffer", "isView"),
		typedArrayBuffer:   mustGetter("Uint8Array", "prototype", typedArrayProto, "buffer"),
		typedArrayOffset:   mustGetter("Uint8Array", "prototype", typedArrayProto, "byteOffset"),
		typedArrayLength:   mustGetter("Uint8Array", "prototype", typedArrayProto, "length"),
		typedArrayName:     getter("Uint8Array", "prototype", typedArrayProto, "@@toStringTag"),
		dataViewBuffer:     mustGetter("DataView", "prototype", "buffer"),
		dataViewOffset:     mustGetter("DataView", "prototype", "byteOffset"),
		dataViewLength:     mustGetter("DataView", "prototype", "byteLength"),
		mapForEach:         fn("Map", "prototype", "forEach"),
		setForEach:         fn("Set", "prototype", "forEach"),
		mapSet:             fn("Map", "prototype", "set"),
		setAdd:             fn("Set", "prototype", "add"),
		weakMapHas:         fn("WeakMap", "prototype", "has"),
		weakSetHas:         fn("WeakSet", "prototype", "has"),
		mapCtor:            ctor("Map"),
		setCtor:            ctor("Set"),
		dateCtor:           ctor("Date"),
		regexpCtor:         ctor("RegExp"),
		arrayCtor:          ctor("Array"),
		dataViewCtor:       ctor("DataView"),
		viewCtors:          make(map[string]goja.Constructor),
		errorCtors:         make(map[string]goja.Constructor),
	}
	if in.typedArrayName == nil {
		panic("intrinsic getter %TypedArray%.prototype[@@toStringTag] is missing")
	}
	// The flags in the order RegExp.prototype.flags lists them
	// (https://tc39.es/ecma262/#sec-get-regexp.prototype.flags); goja lacks
	// some.
	for _, f := range []struct {
		flag byte
		name string
	}{{'d', "hasIndices"}, {'g', "global"}, {'i', "ignoreCase"}, {'m', "multiline"}, {'s', "dotAll"}, {'u', "unicode"}, {'v', "unicodeSets"}, {'y', "sticky"}} {
		if g := getter("RegExp", "prototype", f.name); g != nil {
			in.regexpFlags = append(in.regexpFlags, regexpFlag{f.flag, g})
		}
	}
	for _, name := range typedArrayNames {
		in.viewCtors[name] = ctor(name)
	}
	for _, name := range errorNames {
		in.errorCtors[name] = ctor(name)
	}
	for _, src := range []string{
		"[][Symbol.iterator]()", "new Map()[Symbol.iterator]()", "new Set()[Symbol.iterator]()",
		"''[Symbol.iterator]()", "/(?:)/[Symbol.matchAll]('')", "(function* () {}).prototype",
	} {
		if p := protoOf(src); p != nil {
			in.iteratorProtos = append(in.iteratorProtos, p)
		}
	}
	return in, nil
}

// inherits reports whether proto is on o's prototype chain, without
// looking through proxies.
func inherits(o, proto *goja.Object) bool {
	for p, i := o.Prototype(), 0; p != nil && i < 10000; p, i = p.Prototype(), i+1 {
		if p == proto {
			return true
		}
		if p.ExportType() == exporttype.Proxy {
			return false
		}
	}
	return false
}

// brand calls a built-in that throws a TypeError unless o has the internal
// slots it works on.
func brand(f goja.Callable, o *goja.Object) bool {
	_, err := f(o, goja.Undefined())
	return err == nil
}

// call calls a built-in that cannot fail for the value it is given; if it
// throws anyway, the exception propagates to script.
func call(f goja.Callable, this goja.Value, args ...goja.Value) goja.Value {
	v, err := f(this, args...)
	if err != nil {
		panic(err)
	}
	return v
}

// construct calls a built-in constructor, propagating exceptions.
func construct(c goja.Constructor, args ...goja.Value) *goja.Object {
	o, err := c(nil, args...)
	if err != nil {
		panic(err)
	}
	return o
}
