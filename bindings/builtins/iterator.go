package builtins

import (
	_ "embed"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja has %Iterator.prototype% but no Iterator global and none of the
// iterator helpers (ECMAScript 2025, https://tc39.es/ecma262/#sec-iterator-objects),
// nor Iterator.concat (https://tc39.es/proposal-iterator-sequencing/) and
// Iterator.zip and zipKeyed (https://tc39.es/proposal-joint-iteration/).
// They are written in JavaScript (js/iterator.js, js/iterator.steps.js,
// js/iterator.zip.js): each step that calls script is a call in script, so a
// helper over an endless iterator is interrupted as any script is. The steps
// are compiled and evaluated in a realm when one is first called.

var (
	//go:embed js/iterator.js
	iteratorSource string
	//go:embed js/iterator.steps.js
	iteratorStepsSource string
	//go:embed js/iterator.zip.js
	iteratorZipSource string
)

var (
	iteratorProgram      = compileOnce("iterator.js", iteratorSource)
	iteratorStepsProgram = compileOnce("iterator.steps.js", iteratorStepsSource)
)

// iteratorMadeKey keys, in a realm's data, what js/iterator.js returned,
// which js/iterator.zip.js is given.
type iteratorMadeKey struct{}

// iteratorZipScript defines Iterator.concat, zip and zipKeyed, made on first
// call (see lazyscripts.go).
var iteratorZipScript = &lazyScript{
	program: compileOnce("iterator.zip.js", iteratorZipSource),
	defines: []lazyDefine{{
		target: func(realm *webidl.Realm) *goja.Object {
			made, _ := realm.Data(iteratorMadeKey{}).(*goja.Object)
			if made == nil {
				return nil
			}
			o, _ := made.Get("Iterator").(*goja.Object)
			return o
		},
		methods: []lazyMethod{{"concat", 0}, {"zip", 1}, {"zipKeyed", 1}},
	}},
	intrinsics: []string{"Reflect.apply", "Reflect.ownKeys", "Reflect.getOwnPropertyDescriptor", "Symbol.iterator"},
	args: func(realm *webidl.Realm) ([]goja.Value, error) {
		return []goja.Value{realm.Data(iteratorMadeKey{}).(goja.Value)}, nil
	},
}

// installIterator defines Iterator, its static methods and the helpers on
// %Iterator.prototype%.
func installIterator(realm *webidl.Realm) error {
	load := func(c goja.FunctionCall) goja.Value {
		v, err := runScript(realm, iteratorStepsProgram(), c.Argument(0))
		if err != nil {
			panic(err)
		}
		return v
	}
	made, err := runScript(realm, iteratorProgram(), realm.VM().ToValue(load))
	if err != nil {
		return err
	}
	realm.SetData(iteratorMadeKey{}, made)
	return iteratorZipScript.install(realm)
}
