package bindings_test

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/navigator"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// bell holds the internal slots of a Bell: embedding events.Target makes it
// an EventTarget.
type bell struct{ events.Target }

// A binding of one's own follows the same contract: it names what it needs,
// and Install installs that first.
var bellBinding = &bindings.Binding{
	Name:  "bell",
	Needs: []*bindings.Binding{events.Binding},
	Register: func(env *bindings.Env) error {
		return env.Realm.DefineInterface(&webidl.Interface{
			Name:        "Bell",
			Parent:      "EventTarget", // defined by events.Binding
			Constructor: func(webidl.Call) any { return &bell{} },
		})
	},
}

func Example() {
	vm := goja.New()
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	env := bindings.NewEnv(webidl.NewRealm(vm), loop)
	env.Global = bindings.DedicatedWorker
	bindings.Configure(env, navigator.Options{Languages: []string{"fr-CA", "en"}})
	if err := bindings.Install(env, bellBinding, navigator.Binding); err != nil {
		panic(err)
	}
	v, err := vm.RunString(`[new Bell() instanceof EventTarget, String(navigator), navigator.language].join(" ")`)
	if err != nil {
		panic(err)
	}
	fmt.Println(v, env.Installed(events.Binding))
	// Output: true [object WorkerNavigator] fr-CA true
}
