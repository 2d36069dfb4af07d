package builtins

import (
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja collects an iterable (spread, Array.from, Promise.all, new Set, for-of
// over a built-in iterator) in a loop in Go, calling the iterator's next: over
// an array iterator of an array-like that claims 2 ** 53 - 1 elements, no
// script runs and nothing stops the loop, while what it collects grows until
// the process runs out of memory. The next methods of the built-in iterators
// are replaced by functions with the same name, length and attributes that
// check for the runtime's interrupt every so many calls; every collecting
// loop goes through them, however it was started.

// iteratorPrototypes evaluates to the prototypes of the built-in iterators
// whose next runs no script.
var iteratorPrototypes = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:iterators.js", `[
		[][Symbol.iterator](), ""[Symbol.iterator](), new Map()[Symbol.iterator](),
		new Set()[Symbol.iterator](), /(?:)/g[Symbol.matchAll]("")
	].map(Object.getPrototypeOf)`, true)
})

// interruptibleIterators replaces the next methods of the built-in
// iterators' prototypes with ones that poll for the interrupt.
func interruptibleIterators(realm *webidl.Realm, poll *poller) error {
	vm := realm.VM()
	v, err := vm.RunProgram(iteratorPrototypes())
	if err != nil {
		return err
	}
	protos := v.(*goja.Object)
	for i := int64(0); i < protos.Get("length").ToInteger(); i++ {
		proto := protos.Get(vm.ToValue(i).String()).(*goja.Object)
		next, ok := proto.Get("next").(*goja.Object)
		if !ok {
			continue
		}
		orig, ok := next.Export().(nativeFunc)
		if !ok {
			continue
		}
		f := webidl.NewFunction(vm, "next", 0, func(call goja.FunctionCall) goja.Value {
			poll.Step()
			return orig(call)
		})
		if err := proto.DefineDataProperty("next", f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}
