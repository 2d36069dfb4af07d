package builtins

import (
	_ "embed"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja has none of explicit resource management
// (https://tc39.es/proposal-explicit-resource-management/): it is written in
// JavaScript. The loader lowers using declarations with esbuild, whose
// helpers look the dispose methods up through Symbol.dispose and
// Symbol.asyncDispose, so declarations and DisposableStack agree.
// js/disposable.js, evaluated in every realm, makes the symbols and the
// objects script sees; their steps, in js/disposable.steps.js, are compiled
// and evaluated in a realm the first time one is needed.

var (
	//go:embed js/disposable.js
	disposableSource string
	//go:embed js/disposable.steps.js
	disposableStepsSource string
)

var (
	disposableProgram      = compileOnce("disposable.js", disposableSource)
	disposableStepsProgram = compileOnce("disposable.steps.js", disposableStepsSource)
)

// installDisposable defines Symbol.dispose, Symbol.asyncDispose,
// SuppressedError, DisposableStack, AsyncDisposableStack and
// %Iterator.prototype%[Symbol.dispose].
func installDisposable(realm *webidl.Realm) error {
	load := func(c goja.FunctionCall) goja.Value {
		v, err := runScript(realm, disposableStepsProgram(), c.Argument(0), c.Argument(1))
		if err != nil {
			panic(err)
		}
		return v
	}
	_, err := runScript(realm, disposableProgram(), realm.VM().ToValue(load))
	return err
}
