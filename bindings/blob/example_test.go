package blob_test

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/webidl"
)

func Example() {
	vm := goja.New()
	r := webidl.NewRealm(vm)
	if err := bindings.Install(bindings.NewEnv(r, nil), blob.Binding); err != nil {
		panic(err)
	}
	// A Blob made in Go, as a binding delivering binary data would.
	vm.Set("received", blob.New(r, []byte("hello, world"), "text/plain"))
	vm.Set("print", fmt.Println)
	v, err := vm.RunString(`
		const part = received.slice(7);
		part.text().then(s => print("text:", s));
		new Blob([received.slice(0, 5), "!"], {type: "Text/Plain"});
	`)
	if err != nil {
		panic(err)
	}
	b, _ := blob.Bytes(r, v)
	fmt.Printf("bytes: %s, type: %s\n", b, v.(*goja.Object).Get("type"))
	// Output:
	// text: world
	// bytes: hello!, type: text/plain
}
