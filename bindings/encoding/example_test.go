package encoding_test

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/encoding"
	"github.com/wsjs/wsjs/webidl"
)

func Example() {
	vm := goja.New()
	if err := encoding.Register(webidl.NewRealm(vm)); err != nil {
		panic(err)
	}
	v, err := vm.RunString(`
		const bytes = new TextEncoder().encode("héllo");
		const d = new TextDecoder("utf-8", {fatal: true});
		[bytes.length, d.decode(bytes.subarray(0, 2), {stream: true}) + d.decode(bytes.subarray(2))].join(" ");
	`)
	if err != nil {
		panic(err)
	}
	fmt.Println(v)
	fmt.Println(encoding.UTF8Decode([]byte("\xEF\xBB\xBFok\xFF")))
	// Output:
	// 6 héllo
	// ok�
}
