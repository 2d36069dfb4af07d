package builtins

import (
	_ "embed"
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
	v, err := realm.VM().RunProgram(abstractProgram())
	if err != nil {
		return nil, err
	}
	realm.SetData(abstractKey{}, v)
	return v, nil
}
