package filereader_test

import (
	"context"
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/filereader"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

func Example() {
	vm := goja.New()
	r := webidl.NewRealm(vm)
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	if err := bindings.Install(bindings.NewEnv(r, loop), filereader.Binding); err != nil {
		panic(err)
	}
	vm.Set("print", fmt.Println)
	loop.Queue(func() {
		_, err := vm.RunString(`
			const reader = new FileReader();
			for (const type of ["loadstart", "progress", "load", "loadend"]) {
				reader.addEventListener(type, e => print(type, e.loaded + "/" + e.total));
			}
			reader.onloadend = () => print("result:", reader.result);
			reader.readAsText(new Blob([new Uint8Array([0x68, 0xE9])]), "windows-1252");
		`)
		if err != nil {
			panic(err)
		}
	})
	if err := loop.Run(context.Background()); err != nil {
		panic(err)
	}
	// Output:
	// loadstart 0/2
	// progress 2/2
	// load 2/2
	// loadend 2/2
	// result: hé
}
