package console_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/console"
	"github.com/wsjs/wsjs/webidl"
)

func ExampleRegister() {
	vm := goja.New()
	var stderr strings.Builder
	env := bindings.NewEnv(webidl.NewRealm(vm), nil)
	env.Stdout, env.Stderr = os.Stdout, &stderr
	if err := bindings.Install(env, console.Binding); err != nil {
		panic(err)
	}
	_, err := vm.RunString(`
		const user = {name: 'Ada', langs: ['en', 'fr'], nested: {a: {b: {c: 1}}}}
		user.self = user
		console.log('%s has %d languages:', user.name, '2', user.langs)
		console.log(user)
		console.group('group')
		console.info(new Map([[1, -0]]), 10n, Symbol('s'))
		console.groupEnd()
		console.warn('to stderr')
	`)
	if err != nil {
		panic(err)
	}
	fmt.Print("stderr: ", stderr.String())
	// Output:
	// Ada has 2 languages: [ 'en', 'fr' ]
	// <ref *1> {
	//   name: 'Ada',
	//   langs: [ 'en', 'fr' ],
	//   nested: { a: { b: [Object] } },
	//   self: [Circular *1]
	// }
	// group
	//   Map(1) { 1 => -0 } 10n Symbol(s)
	// stderr: to stderr
}
