package loader

import (
	"reflect"
	"strings"

	"github.com/dop251/goja/ast"

	"github.com/wsjs/wsjs/bindings/jsast"
)

// goja's await reads the constructor of any object it awaits, where the
// spec's Await (https://tc39.es/ecma262/#await) reads it only of a promise,
// and a throw of that read escapes the async function instead of throwing
// at the await. rewriteAwaits makes every await of prg await the result of
// the realm's promiseResolve operation (bindings/builtins,
// promiseresolve.go), which takes PromiseResolve(%Promise%, v)'s steps
// (https://tc39.es/ecma262/#sec-promise-resolve) itself:
//
//	await v  ->  await (typeof H === "undefined" ? (v) => v : H.promiseResolve)(v)
//
// where H is the binding of the realm's hooks (builtins.AsyncGeneratorHooks).
// An operand that is always a primitive (jsast.IsPrimitive) is left as it
// is: goja's await makes a promise of it without reading anything.
func rewriteAwaits(prg *ast.Program) {
	if prg.File != nil && !strings.Contains(prg.File.Source(), "await") {
		return
	}
	jsast.Walk(prg, func(v reflect.Value) bool {
		if a, ok := v.Interface().(*ast.AwaitExpression); ok && a.Argument != nil && !jsast.IsPrimitive(a.Argument) {
			a.Argument = hookCall("promiseResolve", []ast.Expression{a.Argument}, a.Await)
		}
		return true
	})
}
