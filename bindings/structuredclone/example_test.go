package structuredclone_test

import (
	"fmt"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/structuredclone"
	"github.com/wsjs/wsjs/webidl"
)

func ExampleRegister() {
	vm := goja.New()
	env := bindings.NewEnv(webidl.NewRealm(vm), nil)
	if err := bindings.Install(env, structuredclone.Binding); err != nil {
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

// A value serialized in one runtime is deserialized in another, as
// postMessage does between a page and a worker; the transferred buffer moves.
func ExampleSerialize() {
	newRealm := func() (*goja.Runtime, *webidl.Realm) {
		vm := goja.New()
		r := webidl.NewRealm(vm)
		if err := bindings.Install(bindings.NewEnv(r, nil), structuredclone.Binding); err != nil {
			panic(err)
		}
		return vm, r
	}
	from, fromRealm := newRealm()
	v, _ := from.RunString(`globalThis.bytes = new Uint8Array([7, 8]); ({bytes, note: "hi"})`)
	buf := from.Get("bytes").ToObject(from).Get("buffer").ToObject(from)
	var msg *structuredclone.Serialized
	if exc := from.Try(func() {
		msg = structuredclone.Serialize(fromRealm, v, []*goja.Object{buf}, "postMessage")
	}); exc != nil {
		panic(exc)
	}

	to, toRealm := newRealm()
	if exc := to.Try(func() { _ = to.Set("got", msg.Deserialize(toRealm, "postMessage")) }); exc != nil {
		panic(exc)
	}
	after, _ := from.RunString(`bytes.length`)
	got, _ := to.RunString(`got.note + " " + got.bytes.join()`)
	fmt.Println(got, "| sender's view after transfer:", after)
	// Output: hi 7,8 | sender's view after transfer: 0
}
