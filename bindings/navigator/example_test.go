package navigator_test

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/navigator"
	"github.com/wsjs/wsjs/webidl"
)

func Example() {
	vm := goja.New()
	env := bindings.NewEnv(webidl.NewRealm(vm), nil)
	env.Global = bindings.DedicatedWorker
	bindings.Configure(env, navigator.Options{Languages: []string{"nl_BE.UTF-8", "en"}})
	if err := bindings.Install(env, navigator.Binding); err != nil {
		fmt.Println(err)
		return
	}
	v, err := vm.RunString(`[String(navigator), navigator.language, navigator.languages.join(" "), navigator.onLine,
		navigator.userAgent.startsWith("wsjs/"), navigator.hardwareConcurrency > 0].join(", ")`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v)
	// Output:
	// [object WorkerNavigator], nl-BE, nl-BE en, true, true, true
}
