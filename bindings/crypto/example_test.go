package crypto_test

import (
	"fmt"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/crypto"
	"github.com/wsjs/wsjs/webidl"
)

func ExampleRegister() {
	vm := goja.New()
	env := bindings.NewEnv(webidl.NewRealm(vm), nil)
	if err := bindings.Install(env, crypto.Binding); err != nil {
		panic(err)
	}
	v, err := vm.RunString(`
		const bytes = crypto.getRandomValues(new Uint8Array(4))
		let err
		try { crypto.getRandomValues(new Float32Array(1)) } catch (e) { err = e.name }
		[bytes.length, crypto.randomUUID().length, crypto.randomUUID()[14], err].join(' ')`)
	if err != nil {
		panic(err)
	}
	fmt.Println(v)
	// Output: 4 36 4 TypeMismatchError
}
