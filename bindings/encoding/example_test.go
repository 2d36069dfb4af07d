package encoding_test

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/encoding"
	"github.com/wsjs/wsjs/webidl"
)

func Example() {
	vm := goja.New()
	env := bindings.NewEnv(webidl.NewRealm(vm), nil)
	if err := bindings.Install(env, encoding.Binding); err != nil {
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
