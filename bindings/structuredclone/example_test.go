package structuredclone_test

import (
	"fmt"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/webidl"
)

func ExampleRegister() {
	vm := goja.New()
	if err := structuredclone.Register(webidl.NewRealm(vm)); err != nil {
		panic(err)
	}
	v, err := vm.RunString(`
		const original = {when: new Date(0), tags: new Set(['a']), bytes: new Uint8Array([1, 2])}
		original.self = original
		const copy = structuredClone(original, {transfer: [original.bytes.buffer]})
		let err
		try { structuredClone(() => {}) } catch (e) { err = e.name }
		[copy !== original, copy.self === copy, copy.when.getTime(), copy.tags.has('a'),
			copy.bytes.join(), original.bytes.length, err].join(' ')`)
	if err != nil {
		panic(err)
	}
	fmt.Println(v)
	// Output: true true 0 true 1,2 0 DataCloneError
}
