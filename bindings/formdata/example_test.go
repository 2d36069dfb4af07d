package formdata_test

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/formdata"
	"github.com/wsjs/wsjs/webidl"
)

// Installing Binding installs FormData, with the Blob and File interfaces
// its entries use.
func ExampleRegister() {
	vm := goja.New()
	r := webidl.NewRealm(vm)
	if err := bindings.Install(bindings.NewEnv(r, nil), formdata.Binding); err != nil {
		panic(err)
	}
	v, err := vm.RunString(`
		const fd = new FormData();
		fd.append("name", "value");
		fd.append("upload", new Blob(["bytes"], {type: "text/plain"}), "a.txt");
		[...fd].map(([k, v]) => k + ": " + (typeof v === "string" ? v : v.name + " (" + v.size + " bytes)")).join("\n")`)
	if err != nil {
		panic(err)
	}
	fmt.Println(v)
	// Output:
	// name: value
	// upload: a.txt (5 bytes)
}
