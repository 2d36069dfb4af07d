package builtins

import (
	_ "embed"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja has none of explicit resource management
// (https://tc39.es/proposal-explicit-resource-management/): it is written in
// JavaScript (js/disposable.js). The loader lowers using declarations with
// esbuild, whose helpers look the dispose methods up through Symbol.dispose
// and Symbol.asyncDispose, so declarations and DisposableStack agree.

//go:embed js/disposable.js
var disposableSource string

var disposableProgram = sync.OnceValue(func() *goja.Program {
	return compileBuiltin("wsjs:disposable.js", disposableSource)
})

// installDisposable defines Symbol.dispose, Symbol.asyncDispose,
// SuppressedError, DisposableStack, AsyncDisposableStack and
// %Iterator.prototype%[Symbol.dispose].
func installDisposable(realm *webidl.Realm) error {
	_, err := runScript(realm, disposableProgram())
	return err
}
