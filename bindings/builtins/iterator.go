package builtins

import (
	_ "embed"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja has %Iterator.prototype% but no Iterator global and none of the
// iterator helpers (ECMAScript 2025, https://tc39.es/ecma262/#sec-iterator-objects),
// nor Iterator.concat (https://tc39.es/proposal-iterator-sequencing/) and
// Iterator.zip and zipKeyed (https://tc39.es/proposal-joint-iteration/).
// They are written in JavaScript (js/iterator.js, js/iterator.zip.js): each
// step that calls script is a call in script, so a helper over an endless
// iterator is interrupted as any script is.

//go:embed js/iterator.js
var iteratorSource string

//go:embed js/iterator.zip.js
var iteratorZipSource string

var (
	iteratorProgram = sync.OnceValue(func() *goja.Program {
		return compileBuiltin("wsjs:iterator.js", iteratorSource)
	})
	iteratorZipProgram = sync.OnceValue(func() *goja.Program {
		return compileBuiltin("wsjs:iterator.zip.js", iteratorZipSource)
	})
)

// installIterator defines Iterator, its static methods and the helpers on
// %Iterator.prototype%.
func installIterator(realm *webidl.Realm) error {
	made, err := runScript(realm, iteratorProgram())
	if err != nil {
		return err
	}
	_, err = runScript(realm, iteratorZipProgram(), made)
	return err
}
