package console

import (
	"fmt"
	"strconv"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/internal/exporttype"
	"github.com/wsjs/wsjs/webidl"
)

// intrinsics are the built-in objects and functions the console uses,
// captured when it is registered, from webidl.Intrinsics, as goja made them,
// so that scripts replacing globals (or patching prototypes) cannot change
// how values are formatted.
type intrinsics struct {
	vm *goja.Runtime
	// global is the realm's global object: a Proxy (see webidl's
	// global.go) that the inspector shows as the object it stands for.
	global *goja.Object

	objectProto, functionProto     *goja.Object
	asyncFuncProto, genFuncProto   *goja.Object
	asyncGenFuncProto              *goja.Object
	dataViewProto                  *goja.Object
	weakMapProto, weakSetProto     *goja.Object
	ownKeys, getOwnPropertyDesc    goja.Callable
	funcToString, symbolToString   goja.Callable
	errorToString                  goja.Callable
	mapForEach, setForEach         goja.Callable
	mapSize, setSize               goja.Callable
	typedArrayTag, typedArrayLen   goja.Callable
	dataViewBuffer                 goja.Callable
	dataViewOffset, dataViewLength goja.Callable
	weakMapHas, weakSetHas         goja.Callable
	dateGetTime, dateToISOString   goja.Callable
	regexpToString                 goja.Callable
	numberValueOf, stringValueOf   goja.Callable
	booleanValueOf, bigintValueOf  goja.Callable
	symbolValueOf                  goja.Callable
	toStr, parseInt, parseFloat    goja.Callable
}

// captureIntrinsics reads the intrinsics through webidl.Intrinsics. It fails
// if one of them is missing, which only happens when vm's globals were
// replaced before its realm was prepared for script.
func captureIntrinsics(vm *goja.Runtime) (in *intrinsics, err error) {
	defer func() {
		if r := recover(); r != nil {
			in, err = nil, fmt.Errorf("console: %v", r)
		}
	}()
	lk := webidl.Intrinsics{VM: vm}
	obj, fn := lk.Object, lk.Func
	gopd := fn("Reflect", "getOwnPropertyDescriptor")
	// getter returns the getter at path, the accessor's name last.
	getter := func(path ...string) goja.Callable {
		path[len(path)-1] = "get " + path[len(path)-1]
		f, ok := goja.AssertFunction(lk.Value(path...))
		if !ok {
			panic(fmt.Sprintf("intrinsic getter %v is missing", path))
		}
		return f
	}
	protoOf := lk.ProtoOf
	const typedArrayProto = "[[Prototype]]" // of Uint8Array.prototype

	in = &intrinsics{
		vm:                 vm,
		global:             vm.GlobalObject(),
		objectProto:        obj("Object", "prototype"),
		functionProto:      obj("Function", "prototype"),
		asyncFuncProto:     protoOf("(async function () {})"),
		genFuncProto:       protoOf("(function* () {})"),
		asyncGenFuncProto:  protoOf("(async function* () {})"),
		dataViewProto:      obj("DataView", "prototype"),
		weakMapProto:       obj("WeakMap", "prototype"),
		weakSetProto:       obj("WeakSet", "prototype"),
		ownKeys:            fn("Reflect", "ownKeys"),
		getOwnPropertyDesc: gopd,
		funcToString:       fn("Function", "prototype", "toString"),
		symbolToString:     fn("Symbol", "prototype", "toString"),
		errorToString:      fn("Error", "prototype", "toString"),
		mapForEach:         fn("Map", "prototype", "forEach"),
		setForEach:         fn("Set", "prototype", "forEach"),
		mapSize:            getter("Map", "prototype", "size"),
		setSize:            getter("Set", "prototype", "size"),
		typedArrayTag:      getter("Uint8Array", "prototype", typedArrayProto, "@@toStringTag"),
		typedArrayLen:      getter("Uint8Array", "prototype", typedArrayProto, "length"),
		dataViewBuffer:     getter("DataView", "prototype", "buffer"),
		dataViewOffset:     getter("DataView", "prototype", "byteOffset"),
		dataViewLength:     getter("DataView", "prototype", "byteLength"),
		weakMapHas:         fn("WeakMap", "prototype", "has"),
		weakSetHas:         fn("WeakSet", "prototype", "has"),
		dateGetTime:        fn("Date", "prototype", "getTime"),
		dateToISOString:    fn("Date", "prototype", "toISOString"),
		regexpToString:     fn("RegExp", "prototype", "toString"),
		numberValueOf:      fn("Number", "prototype", "valueOf"),
		stringValueOf:      fn("String", "prototype", "valueOf"),
		booleanValueOf:     fn("Boolean", "prototype", "valueOf"),
		bigintValueOf:      fn("BigInt", "prototype", "valueOf"),
		symbolValueOf:      fn("Symbol", "prototype", "valueOf"),
		toStr:              fn("String"),
		parseInt:           fn("parseInt"),
		parseFloat:         fn("parseFloat"),
	}
	return in, nil
}

// kind is what the inspector knows an object to be. Everything but
// kindObject corresponds to an ECMAScript object with particular internal
// slots (ECMAScript's exotic objects,
// https://tc39.es/ecma262/#sec-built-in-exotic-object-internal-methods-and-slots,
// and its built-in objects,
// https://tc39.es/ecma262/#sec-ecmascript-standard-built-in-objects).
type kind int

const (
	kindObject kind = iota
	kindFunction
	kindProxy
	kindArray
	kindArguments
	kindTypedArray
	kindArrayBuffer
	kindDataView
	kindMap
	kindSet
	kindWeakMap
	kindWeakSet
	kindPromise
	kindDate
	kindRegExp
	kindError
	kindNumber
	kindString
	kindBoolean
	kindBigInt
	kindSymbol
)

// kindOf classifies o without running script code.
func (in *intrinsics) kindOf(o *goja.Object) kind {
	t := o.ExportType()
	if in.isProxy(o) {
		return kindProxy
	}
	if _, ok := goja.AssertFunction(o); ok {
		return kindFunction
	}
	class := o.ClassName()
	switch t {
	case exporttype.Promise:
		return kindPromise
	case exporttype.ArrayBuffer:
		return kindArrayBuffer
	case exporttype.Time:
		if class == "Date" {
			return kindDate
		}
	case exporttype.MapEntries:
		if class == "Object" {
			return kindMap
		}
	case exporttype.Slice:
		if class == "Object" {
			return kindSet
		}
	case exporttype.BigInt:
		if class == "Object" {
			return kindBigInt
		}
	case exporttype.String:
		if class == "Object" {
			return kindSymbol
		}
	}
	if exporttype.TypedArray(t) && class == "Object" {
		return kindTypedArray
	}
	switch class {
	case "Array":
		return kindArray
	case "Arguments":
		return kindArguments
	case "Error":
		return kindError
	case "RegExp":
		return kindRegExp
	case "Date":
		return kindDate
	case "Number":
		return kindNumber
	case "String":
		return kindString
	case "Boolean":
		return kindBoolean
	}
	// DataView, WeakMap and WeakSet look like ordinary objects from Go.
	// Confirm with the built-ins' own brand checks, but only for objects
	// inheriting from their prototypes, so ordinary objects never pay for a
	// thrown TypeError.
	for p := o.Prototype(); p != nil && p != in.objectProto; p = p.Prototype() {
		switch p {
		case in.dataViewProto:
			if in.is(in.dataViewBuffer, o) {
				return kindDataView
			}
		case in.weakMapProto:
			if in.is(in.weakMapHas, o) {
				return kindWeakMap
			}
		case in.weakSetProto:
			if in.is(in.weakSetHas, o) {
				return kindWeakSet
			}
		}
		if in.isProxy(p) {
			break
		}
	}
	return kindObject
}

// isProxy reports whether o is a Proxy whose traps script may have
// written: any but the global object.
func (in *intrinsics) isProxy(o *goja.Object) bool {
	return o.ExportType() == exporttype.Proxy && o != in.global
}

// is calls the brand-checking built-in f with o as this.
func (in *intrinsics) is(f goja.Callable, o *goja.Object) bool {
	_, err := f(o, goja.Undefined())
	return err == nil
}

// call calls the built-in f with this and reports its result, or undefined
// if it threw.
func (in *intrinsics) call(f goja.Callable, this goja.Value, args ...goja.Value) goja.Value {
	v, err := f(this, args...)
	if err != nil {
		return goja.Undefined()
	}
	return v
}

// property describes an own property without running getters.
type property struct {
	key        goja.Value // string or *goja.Symbol
	value      goja.Value // data properties
	get, set   bool       // accessor properties: which functions exist
	getter     goja.Value // the get function, if any
	accessor   bool
	enumerable bool
}

// ownProperties returns o's own properties in [[OwnPropertyKeys]] order.
// With enumerableOnly, non-enumerable ones are left out.
func (in *intrinsics) ownProperties(o *goja.Object, enumerableOnly bool) []property {
	keysV, err := in.ownKeys(goja.Undefined(), o)
	if err != nil {
		return nil
	}
	keys, ok := keysV.(*goja.Object)
	if !ok {
		return nil
	}
	n := int(keys.Get("length").ToInteger())
	props := make([]property, 0, n)
	for i := 0; i < n; i++ {
		k := keys.Get(strconv.Itoa(i))
		p, ok := in.ownProperty(o, k)
		if !ok || (enumerableOnly && !p.enumerable) {
			continue
		}
		props = append(props, p)
	}
	return props
}

// ownProperty returns o's own property key, if there is one.
func (in *intrinsics) ownProperty(o *goja.Object, key goja.Value) (property, bool) {
	d, err := in.getOwnPropertyDesc(goja.Undefined(), o, key)
	if err != nil {
		return property{}, false
	}
	desc, ok := d.(*goja.Object)
	if !ok {
		return property{}, false
	}
	p := property{key: key, enumerable: desc.Get("enumerable").ToBoolean()}
	// Only data descriptors have a writable field.
	if desc.Get("writable") != nil {
		p.value = desc.Get("value")
		return p, true
	}
	g, s := desc.Get("get"), desc.Get("set")
	p.accessor = true
	p.get = g != nil && !goja.IsUndefined(g)
	if p.get {
		p.getter = g
	}
	p.set = s != nil && !goja.IsUndefined(s)
	return p, true
}

// dataProperty looks name up along o's prototype chain and returns its
// value if the first property found is a data property.
func (in *intrinsics) dataProperty(o *goja.Object, name goja.Value) (goja.Value, bool) {
	for depth := 0; o != nil && depth < 1000; depth++ {
		if in.isProxy(o) {
			return nil, false
		}
		if p, ok := in.ownProperty(o, name); ok {
			if p.accessor {
				return nil, false
			}
			return p.value, true
		}
		o = o.Prototype()
	}
	return nil, false
}
