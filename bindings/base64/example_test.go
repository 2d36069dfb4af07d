package base64_test

import (
	"fmt"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/base64"
	"github.com/wsjs/wsjs/webidl"
)

func ExampleRegister() {
	vm := goja.New()
	env := bindings.NewEnv(webidl.NewRealm(vm), nil)
	if err := bindings.Install(env, base64.Binding); err != nil {
		panic(err)
	}
	v, err := vm.RunString(`
		let err
		try { btoa('€') } catch (e) { err = e.name }
		[btoa('hello'), atob(' aGVs\nbG8= '), err].join(' ')`)
	if err != nil {
		panic(err)
	}
	fmt.Println(v)
	// Output: aGVsbG8= hello InvalidCharacterError
}
