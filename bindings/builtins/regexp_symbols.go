package builtins

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// RegExp.prototype[Symbol.match], [Symbol.matchAll], [Symbol.replace] and
// [Symbol.search] call RegExpExec (https://tc39.es/ecma262/#sec-regexpexec),
// which falls back to RegExpBuiltinExec when the receiver's exec is not
// callable. goja's call the exec they read whatever it is: a missing one is a
// Go nil-pointer panic that breaks the runtime, another value a TypeError,
// and the matchAll iterator matches its empty pattern for ever, growing
// without bound. Each is replaced by a function with the same name, length
// and attributes that calls goja's (its loop in Go, the fast path) for a
// receiver whose exec is a callable data property, found without running
// script, and otherwise takes the spec's steps in js/regexp.js.

// defineSymbolMethods replaces the four methods; steps holds the spec's steps
// by method name.
func (x *regexpRealm) defineSymbolMethods(steps goja.Value) error {
	stepsObj, ok := steps.(*goja.Object)
	if !ok {
		return fmt.Errorf("builtins: regexp.js gave no steps")
	}
	gopd, ok := webidl.Intrinsics{VM: x.vm}.Object("Reflect", "getOwnPropertyDescriptor").Export().(func(goja.FunctionCall) goja.Value)
	if !ok {
		return fmt.Errorf("builtins: Reflect.getOwnPropertyDescriptor is not a native function")
	}
	x.ownProperty = gopd
	x.execKey = x.vm.ToValue("exec")
	for _, m := range []struct {
		sym    *goja.Symbol
		name   string
		length int
	}{
		{goja.SymMatch, "match", 1}, {goja.SymMatchAll, "matchAll", 1},
		{goja.SymReplace, "replace", 2}, {goja.SymSearch, "search", 1},
	} {
		orig, ok := x.proto.GetSymbol(m.sym).(*goja.Object)
		if !ok {
			return fmt.Errorf("builtins: RegExp.prototype[Symbol.%s] is missing", m.name)
		}
		native, ok := orig.Export().(func(goja.FunctionCall) goja.Value)
		if !ok {
			return fmt.Errorf("builtins: RegExp.prototype[Symbol.%s] is not a native function", m.name)
		}
		js, ok := goja.AssertFunction(stepsObj.Get(m.name))
		if !ok {
			return fmt.Errorf("builtins: regexp.js has no steps for Symbol.%s", m.name)
		}
		f := webidl.NewFunction(x.vm, "[Symbol."+m.name+"]", m.length, func(call goja.FunctionCall) goja.Value {
			if x.execIsCallable(call.This) {
				return native(call)
			}
			v, err := js(call.This, call.Arguments...)
			if err != nil {
				panic(err)
			}
			return v
		})
		if err := x.proto.DefineDataPropertySymbol(m.sym, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// execIsCallable reports whether v is an object whose exec is a callable data
// property, looked up along its prototype chain without running script: it
// reports false where a Proxy or an accessor would run some.
func (x *regexpRealm) execIsCallable(v goja.Value) bool {
	o, ok := v.(*goja.Object)
	for depth := 0; ok && o != nil && depth < maxExecLookup; depth++ {
		if o.ExportType() == proxyType {
			return false
		}
		if desc, found := x.ownProperty(goja.FunctionCall{Arguments: []goja.Value{o, x.execKey}}).(*goja.Object); found {
			if desc.Get("get") != nil {
				return false
			}
			_, callable := goja.AssertFunction(desc.Get("value"))
			return callable
		}
		o = o.Prototype()
	}
	return false
}

// maxExecLookup bounds the prototype chain execIsCallable walks; a longer one
// takes the spec's steps.
const maxExecLookup = 64
