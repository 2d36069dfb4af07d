package builtins

import (
	_ "embed"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// Built-ins goja lacks that are written in JavaScript alone, needing nothing
// from Go but the shared abstract operations: Array.fromAsync, Map's
// getOrInsert and getOrInsertComputed, Promise.try and
// Promise.withResolvers, and Object.groupBy and Map.groupBy. Each
// script is compiled once per process and evaluated once per realm.

var (
	//go:embed js/fromasync.js
	fromAsyncSource string
	//go:embed js/upsert.js
	upsertSource string
	//go:embed js/promisetry.js
	promiseTrySource string
	//go:embed js/groupby.js
	groupBySource string
)

// A builtinScript is one of this package's scripts, compiled when first
// evaluated.
type builtinScript struct {
	program func() *goja.Program
}

func newBuiltinScript(name, src string) builtinScript {
	return builtinScript{program: sync.OnceValue(func() *goja.Program {
		return compileBuiltin("wsjs:"+name, src)
	})}
}

var plainScripts = []builtinScript{
	newBuiltinScript("fromasync.js", fromAsyncSource),
	newBuiltinScript("upsert.js", upsertSource),
	newBuiltinScript("promisetry.js", promiseTrySource),
	newBuiltinScript("groupby.js", groupBySource),
}

// installScripts evaluates plainScripts in realm.
func installScripts(realm *webidl.Realm) error {
	for _, s := range plainScripts {
		if _, err := runScript(realm, s.program()); err != nil {
			return err
		}
	}
	return nil
}
