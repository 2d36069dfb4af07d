package builtins

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja has no Symbol.asyncIterator
// (https://tc39.es/ecma262/#sec-symbol.asynciterator), which for await,
// async generators (as esbuild lowers them), Array.fromAsync and the web
// APIs' async iterables all look up. installAsyncIteratorSymbol defines it
// before any of this package's scripts runs, since they take the well-known
// symbols once, when evaluated: defined later, Array.fromAsync read
// Symbol.asyncIterator as undefined and took every async iterable for an
// empty array-like.
func installAsyncIteratorSymbol(vm *goja.Runtime) error {
	symCtor := webidl.Intrinsics{VM: vm}.Object("Symbol")
	if _, ok := symCtor.Get("asyncIterator").(*goja.Symbol); ok {
		return nil
	}
	s := goja.NewSymbol("Symbol.asyncIterator")
	return symCtor.DefineDataProperty("asyncIterator", s, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
}

// AsyncIteratorSymbol returns %Symbol.asyncIterator% of a realm whose
// built-ins are installed.
func AsyncIteratorSymbol(vm *goja.Runtime) *goja.Symbol {
	s, _ := webidl.Intrinsics{VM: vm}.Object("Symbol").Get("asyncIterator").(*goja.Symbol)
	return s
}
