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
// Promise.withResolvers, Promise.allKeyed and Promise.allSettledKeyed, and
// Object.groupBy and Map.groupBy. Each script is
// compiled once per process and evaluated once per realm, the first time
// one of its methods is called (see lazyscripts.go).

var (
	//go:embed js/fromasync.js
	fromAsyncSource string
	//go:embed js/upsert.js
	upsertSource string
	//go:embed js/promisetry.js
	promiseTrySource string
	//go:embed js/groupby.js
	groupBySource string
	//go:embed js/promisekeyed.js
	promiseKeyedSource string
	//go:embed js/setmethods.js
	setMethodsSource string
)

// compileOnce returns the function that compiles src, one of this package's
// scripts, the first time it is called.
func compileOnce(name, src string) func() *goja.Program {
	return sync.OnceValue(func() *goja.Program {
		return compileBuiltin("wsjs:"+name, src)
	})
}

var plainScripts = []*lazyScript{
	{
		program: compileOnce("fromasync.js", fromAsyncSource),
		defines: []lazyDefine{
			{global("Array"), []lazyMethod{{"fromAsync", 1}}},
		},
		intrinsics: []string{"Reflect.apply", "Array", "Object", "Symbol.asyncIterator", "Symbol.iterator"},
	},
	{
		program: compileOnce("upsert.js", upsertSource),
		defines: []lazyDefine{
			{global("Map", "prototype"), []lazyMethod{{"getOrInsert", 2}, {"getOrInsertComputed", 2}}},
		},
		intrinsics: []string{"Reflect.apply", "Map.prototype", "Map.prototype.has", "Map.prototype.get", "Map.prototype.set"},
	},
	{
		program: compileOnce("promisetry.js", promiseTrySource),
		defines: []lazyDefine{
			{global("Promise"), []lazyMethod{{"try", 1}, {"withResolvers", 0}}},
		},
		intrinsics: []string{"Reflect.apply", "Promise"},
	},
	{
		program: compileOnce("promisekeyed.js", promiseKeyedSource),
		defines: []lazyDefine{
			{global("Promise"), []lazyMethod{{"allKeyed", 1}, {"allSettledKeyed", 1}}},
		},
		intrinsics: []string{"Reflect.apply", "Reflect.ownKeys", "Reflect.getOwnPropertyDescriptor", "Promise"},
	},
	{
		program: compileOnce("groupby.js", groupBySource),
		defines: []lazyDefine{
			{global("Object"), []lazyMethod{{"groupBy", 2}}},
			{global("Map"), []lazyMethod{{"groupBy", 2}}},
		},
		intrinsics: []string{
			"Reflect.apply", "Reflect.ownKeys", "Object", "Map",
			"Map.prototype.get", "Map.prototype.set", "Map.prototype.forEach",
		},
	},
	{
		program: compileOnce("setmethods.js", setMethodsSource),
		defines: []lazyDefine{
			{global("Set", "prototype"), []lazyMethod{
				{"union", 1}, {"intersection", 1}, {"difference", 1}, {"symmetricDifference", 1},
				{"isSubsetOf", 1}, {"isSupersetOf", 1}, {"isDisjointFrom", 1},
			}},
		},
		intrinsics: []string{
			"Reflect.apply", "Set.prototype", "Set.prototype.has", "Set.prototype.union", "Set.prototype.intersection",
			"Set.prototype.difference", "Set.prototype.symmetricDifference", "Set.prototype.isSubsetOf",
			"Set.prototype.isSupersetOf", "Set.prototype.isDisjointFrom",
		},
	},
}

// installScripts defines the methods of plainScripts in realm.
func installScripts(realm *webidl.Realm) error {
	for _, s := range plainScripts {
		if err := s.install(realm); err != nil {
			return err
		}
	}
	return nil
}
