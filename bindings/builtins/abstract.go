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
	v, err := realm.VM().RunProgram(abstractProgram())
	if err != nil {
		return nil, err
	}
	realm.SetData(abstractKey{}, v)
	return v, nil
}

// runScript evaluates prg, one of this package's scripts, in realm: the
// function it evaluates to is called with the realm's abstract operations
// and then args, and what it returns is returned.
func runScript(realm *webidl.Realm, prg *goja.Program, args ...goja.Value) (goja.Value, error) {
	setup, err := realm.VM().RunProgram(prg)
	if err != nil {
		return nil, err
	}
	install, ok := goja.AssertFunction(setup)
	if !ok {
		return nil, errors.New("builtins: a script did not evaluate to a function")
	}
	es, err := abstractOps(realm)
	if err != nil {
		return nil, err
	}
	return install(goja.Undefined(), append([]goja.Value{es}, args...)...)
}
