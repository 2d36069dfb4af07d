package abort_test

import (
	"context"
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/abort"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

func Example() {
	vm := goja.New()
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	r := webidl.NewRealm(vm)
	if err := bindings.Install(bindings.NewEnv(r, loop), abort.Binding); err != nil {
		panic(err)
	}
	vm.Set("print", fmt.Println)
	loop.Queue(func() {
		_, err := vm.RunString(`
			const controller = new AbortController();
			const target = new EventTarget();
			target.addEventListener("ping", () => print("ping"), {signal: controller.signal});
			const either = AbortSignal.any([controller.signal, AbortSignal.timeout(10)]);
			either.onabort = () => print("aborted:", either.reason.name);
			target.dispatchEvent(new Event("ping"));
			controller.abort();
			target.dispatchEvent(new Event("ping"));
		`)
		if err != nil {
			panic(err)
		}
	})
	if err := loop.Run(context.Background()); err != nil {
		panic(err)
	}
	// Output:
	// ping
	// aborted: AbortError
}
