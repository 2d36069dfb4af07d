package builtins

import (
	_ "embed"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja follows a Proxy's target, and its handler to find a trap, by
// recursing in Go: an operation on a proxy whose target is a proxy, and so
// on a million deep, runs on the Go stack without script frames, which
// goja's call stack bound does not see, and deeper reaches Go's fatal stack
// overflow. V8 throws its RangeError "Maximum call stack size exceeded" for
// such an operation once the chain is some thousands deep. goja gives no way
// to bound the operations, so the bound is put on the chain: Proxy and
// Proxy.revocable are replaced (js/proxy.js) by functions that keep the
// depth of every proxy they make whose target or handler is a proxy, one
// more than the deeper of theirs, and throw that RangeError instead of
// making a proxy deeper than Options.NestingDepth. Every proxy script makes
// comes from them, so no chain of proxies is deeper.
//
// goja also hands the apply and construct traps an array over the caller's
// arguments on its stack, not a copy: the replacements give the proxies of
// functions a handler of their own that makes the copy (see js/proxy.js).
//
// The depth is that of the chain when the proxy is made: an ordinary object
// on the way (a proxy whose target has a proxy as its prototype) is not
// followed, as its prototype can change. goja walks long prototype chains
// by recursion too; such chains take script seconds per million links to
// build, as do chains of proxies.

//go:embed js/proxy.js
var proxySource string

var proxyProgram = sync.OnceValue(func() *goja.Program {
	return compileBuiltin("wsjs:proxy.js", proxySource)
})

// installProxy replaces Proxy and Proxy.revocable with ones that give the
// apply and construct traps arrays of their own and, if maxDepth > 0, throw
// a RangeError instead of making a chain of proxies deeper than maxDepth.
func installProxy(realm *webidl.Realm, maxDepth int) error {
	vm := realm.VM()
	setup, err := vm.RunProgram(proxyProgram())
	if err != nil {
		return err
	}
	isProxy := func(call goja.FunctionCall) goja.Value {
		o, ok := call.Argument(0).(*goja.Object)
		return vm.ToValue(ok && o.ExportType() == proxyType)
	}
	f, _ := goja.AssertFunction(setup)
	_, err = f(goja.Undefined(), vm.ToValue(maxDepth), vm.ToValue(isProxy), vm.Get("RangeError"))
	return err
}
