package builtins

import (
	_ "embed"
	"errors"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

//go:embed js/abstract.js
var abstractSource string

var abstractProgram = sync.OnceValue(func() *goja.Program {
	return compileBuiltin("wsjs:abstract.js", abstractSource)
})

// abstractKey keys a realm's abstract operations in its data.
type abstractKey struct{}

// abstractOps returns the object of ECMAScript abstract operations
// (js/abstract.js) the realm's built-ins written in JavaScript share,
// evaluating it the first time.
func abstractOps(realm *webidl.Realm) (goja.Value, error) {
	if v, ok := realm.Data(abstractKey{}).(goja.Value); ok {
		return v, nil
	}
	vm := realm.VM()
	v, err := vm.RunProgram(abstractProgram())
	if err != nil {
		return nil, err
	}
	es := v.(*goja.Object)
	if err := es.Set("define", defineMethods); err != nil {
		return nil, err
	}
	if err := es.Set("promiseResolve", promiseResolver(vm)); err != nil {
		return nil, err
	}
	realm.SetData(abstractKey{}, v)
	return v, nil
}

// defineMethods is es.define(target, methods): it defines each own
// enumerable data property of methods (an object literal of methods) on
// target as ECMAScript defines a built-in's method
// (https://tc39.es/ecma262/#sec-ecmascript-standard-built-in-objects):
// writable, configurable and not enumerable. Defined from Go, they need no
// property descriptor objects, which a realm would make each time it starts.
func defineMethods(c goja.FunctionCall) goja.Value {
	target, _ := c.Argument(0).(*goja.Object)
	methods, _ := c.Argument(1).(*goja.Object)
	if target == nil || methods == nil {
		panic("builtins: es.define takes two objects")
	}
	for _, k := range methods.Keys() {
		if err := target.DefineDataProperty(k, methods.Get(k), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			panic(err)
		}
	}
	for _, s := range methods.Symbols() {
		if err := target.DefineDataPropertySymbol(s, methods.GetSymbol(s), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			panic(err)
		}
	}
	return goja.Undefined()
}

// runScript evaluates prg, one of this package's scripts, in realm: the
// function it evaluates to is called with the realm's abstract operations
// and then args, and what it returns is returned.
func runScript(realm *webidl.Realm, prg *goja.Program, args ...goja.Value) (goja.Value, error) {
	es, err := abstractOps(realm)
	if err != nil {
		return nil, err
	}
	return runScriptWith(realm, prg, es, args...)
}

// runScriptWith is runScript with es in place of the realm's abstract
// operations.
func runScriptWith(realm *webidl.Realm, prg *goja.Program, es goja.Value, args ...goja.Value) (goja.Value, error) {
	setup, err := realm.VM().RunProgram(prg)
	if err != nil {
		return nil, err
	}
	install, ok := goja.AssertFunction(setup)
	if !ok {
		return nil, errors.New("builtins: a script did not evaluate to a function")
	}
	return install(goja.Undefined(), append([]goja.Value{es}, args...)...)
}
