package navigator_test

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/navigator"
	"github.com/wsjs/wsjs/webidl"
)

func Example() {
	vm := goja.New()
	r := webidl.NewRealm(vm)
	if err := navigator.Register(r, navigator.Options{Worker: true, Languages: []string{"nl_BE.UTF-8", "en"}}); err != nil {
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
