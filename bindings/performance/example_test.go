package performance_test

import (
	"fmt"
	"time"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/performance"
	"github.com/wsjs/wsjs/webidl"
)

func ExampleRegister() {
	vm := goja.New()
	realm := webidl.NewRealm(vm)
	realm.SetTimeOrigin(time.Now().Add(-2 * time.Second))
	if err := bindings.Install(bindings.NewEnv(realm, nil), performance.Binding); err != nil {
		panic(err)
	}
	v, err := vm.RunString(`
		const t = performance.now()
		;[t >= 2000 && t < 60000, typeof performance.timeOrigin, Object.keys(performance.toJSON())].join(' ')`)
	if err != nil {
		panic(err)
	}
	fmt.Println(v)
	// Output: true number timeOrigin
}
