package builtins

import (
	"slices"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja lacks the legacy accessor methods of Annex B,
// Object.prototype.__defineGetter__, __defineSetter__, __lookupGetter__ and
// __lookupSetter__ (https://tc39.es/ecma262/#sec-object.prototype.__defineGetter__),
// which every browser engine has. They are defined here on the intrinsics
// Object.defineProperty, Reflect.getOwnPropertyDescriptor and
// Reflect.getPrototypeOf, taken before any script runs, so that proxies see
// the same traps, in the same order, as the spec's internal methods give them.

// legacyAccessors holds the intrinsics the methods use.
type legacyAccessors struct {
	vm                       *goja.Runtime
	defineProperty           goja.Callable
	getOwnPropertyDescriptor goja.Callable
	getPrototypeOf           goja.Callable
}

// installAnnexB defines the four methods on Object.prototype.
func installAnnexB(realm *webidl.Realm) error {
	vm := realm.VM()
	in := webidl.Intrinsics{VM: vm}
	a := &legacyAccessors{
		vm:                       vm,
		defineProperty:           in.Func("Object", "defineProperty"),
		getOwnPropertyDescriptor: in.Func("Reflect", "getOwnPropertyDescriptor"),
		getPrototypeOf:           in.Func("Reflect", "getPrototypeOf"),
	}
	proto := in.Object("Object", "prototype")
	for _, m := range []struct {
		name   string
		length int
		f      func(goja.FunctionCall) goja.Value
	}{
		{"__defineGetter__", 2, func(c goja.FunctionCall) goja.Value { return a.define(c, "get") }},
		{"__defineSetter__", 2, func(c goja.FunctionCall) goja.Value { return a.define(c, "set") }},
		{"__lookupGetter__", 1, func(c goja.FunctionCall) goja.Value { return a.lookup(c, "get") }},
		{"__lookupSetter__", 1, func(c goja.FunctionCall) goja.Value { return a.lookup(c, "set") }},
	} {
		f := webidl.NewFunction(vm, m.name, m.length, m.f)
		if err := proto.DefineDataProperty(m.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// define is __defineGetter__ (kind "get") or __defineSetter__ ("set")
// (https://tc39.es/ecma262/#sec-object.prototype.__defineSetter__).
func (a *legacyAccessors) define(call goja.FunctionCall, kind string) goja.Value {
	o := a.toObject(call.This)
	fn := call.Argument(1)
	if _, ok := goja.AssertFunction(fn); !ok {
		panic(a.vm.NewTypeError("Object.prototype.__define%ster__: Expecting function", map[string]string{"get": "Get", "set": "Set"}[kind]))
	}
	// A descriptor without a prototype, so that reading its fields runs no
	// script.
	desc := a.vm.NewObject()
	_ = desc.SetPrototype(nil)
	_ = desc.Set(kind, fn)
	_ = desc.Set("enumerable", true)
	_ = desc.Set("configurable", true)
	key := a.propertyKey(call.Argument(0))
	if _, err := a.defineProperty(goja.Undefined(), o, key, desc); err != nil {
		panic(err)
	}
	return goja.Undefined()
}

// lookup is __lookupGetter__ (kind "get") or __lookupSetter__ ("set")
// (https://tc39.es/ecma262/#sec-object.prototype.__lookupGetter__).
func (a *legacyAccessors) lookup(call goja.FunctionCall, kind string) goja.Value {
	o := goja.Value(a.toObject(call.This))
	key := a.propertyKey(call.Argument(0))
	for {
		desc, err := a.getOwnPropertyDescriptor(goja.Undefined(), o, key)
		if err != nil {
			panic(err)
		}
		if d, ok := desc.(*goja.Object); ok {
			// The descriptor is a fresh ordinary object: an accessor's has own
			// get and set, a data property's has neither.
			if slices.Contains(d.Keys(), kind) {
				return d.Get(kind)
			}
			return goja.Undefined()
		}
		o, err = a.getPrototypeOf(goja.Undefined(), o)
		if err != nil {
			panic(err)
		}
		if goja.IsNull(o) {
			return goja.Undefined()
		}
	}
}

// toObject is ToObject (https://tc39.es/ecma262/#sec-toobject).
func (a *legacyAccessors) toObject(v goja.Value) *goja.Object {
	if goja.IsUndefined(v) || goja.IsNull(v) {
		panic(a.vm.NewTypeError("Cannot convert undefined or null to object"))
	}
	return v.ToObject(a.vm)
}

// propertyKey is ToPropertyKey (https://tc39.es/ecma262/#sec-topropertykey):
// goja's ToString of an object is ToPrimitive with hint string, and of a
// symbol the symbol itself.
func (a *legacyAccessors) propertyKey(v goja.Value) goja.Value {
	switch p := v.ToString().(type) {
	case goja.String, *goja.Symbol:
		return p
	default:
		return a.vm.ToValue(p.String())
	}
}
