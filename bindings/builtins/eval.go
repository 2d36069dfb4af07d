package builtins

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/blockfunc"
	"github.com/wsjs/wsjs/bindings/directeval"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// goja's eval (%eval%) parses its source where no caller can recover from a
// panic of the parser (escapes.go says which source makes it panic): for an
// indirect eval inside the built-in, for a direct one inside the
// interpreter. So the global eval is replaced by a function with the same
// name, length and attributes that prepares the source (source.go) and calls
// %eval% from Go, recovering; and %eval% stays out of script's reach but for
// direct eval calls, which bindings/directeval rewrites (in the loader's
// scripts and in every source prepared here) to call the hooks below: enter
// makes the global eval %eval% for the lookup of the call's callee, leave
// makes it the replacement again before any argument runs, and source
// prepares the source when the callee was %eval%. A direct eval the rewrite
// leaves out calls the replacement, and runs as an indirect one. A fourth
// hook, promiseResolve, is what the awaits of the source eval and the
// Function constructors compile await (awaits.go).
//
// An interrupt (a deadline, Close) that lands between enter and leave leaves
// the global eval %eval%: the event loop restores it before script runs
// again (eventloop.Loop.OnUnwind), as does the next direct eval or call of
// the replacement in a realm without one.

// evals is a realm's replacement of eval and its hooks.
type evals struct {
	*dynamicCode
	intrinsic   *goja.Object // %eval%
	callEval    goja.Callable
	replacement *goja.Object
	ownProperty goja.Callable // Object.getOwnPropertyDescriptor
	// holder is the object that holds the global object's properties
	// (webidl.Realm.Target), whose eval enter reads without the traps of
	// a global object that defines its properties on first use: goja
	// reads what they report through Object.prototype.
	holder *goja.Object
	// swapped says that enter made the global eval %eval%, a writable
	// property with these other attributes.
	swapped                  bool
	configurable, enumerable goja.Flag
}

// hooksProgram binds the hooks' object, left on the global object under
// a temporary name, to the const directeval.Hooks.
var hooksProgram = sync.OnceValue(func() *goja.Program {
	const tmp = "__wsjs$evalHooks"
	return goja.MustCompile("wsjs:eval.js", fmt.Sprintf(
		"const %s = Object.freeze(globalThis.%s); delete globalThis.%s;", directeval.Hooks, tmp, tmp), false)
})

// safeEval replaces the global eval and defines the hooks.
func safeEval(realm *webidl.Realm, d *dynamicCode, loop *eventloop.Loop) error {
	vm := realm.VM()
	in := webidl.Intrinsics{VM: vm}
	intrinsic, ok := vm.Get("eval").(*goja.Object)
	if !ok {
		return fmt.Errorf("builtins: eval is missing")
	}
	call, _ := goja.AssertFunction(intrinsic)
	e := &evals{
		dynamicCode: d, intrinsic: intrinsic, callEval: call,
		ownProperty: in.Func("Object", "getOwnPropertyDescriptor"), holder: realm.Target(),
	}
	e.replacement = webidl.NewFunction(vm, "eval", 1, e.indirect)
	if loop != nil {
		loop.OnUnwind(e.restore)
	}
	if err := vm.GlobalObject().DefineDataProperty("eval", e.replacement, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	hooks := vm.NewObject()
	if err := hooks.SetPrototype(nil); err != nil {
		return err
	}
	for _, m := range []struct {
		name string
		f    func(goja.FunctionCall) goja.Value
	}{{"enter", e.enter}, {"leave", e.leave}, {"source", e.source}, {awaitHook, promiseResolver(vm)}} {
		f := webidl.NewFunction(vm, m.name, 0, m.f)
		if err := hooks.DefineDataProperty(m.name, f, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	if err := vm.GlobalObject().Set("__wsjs$evalHooks", hooks); err != nil {
		return err
	}
	_, err := vm.RunProgram(hooksProgram())
	return err
}

// indirect is the replacement of eval: PerformEval
// (https://tc39.es/ecma262/#sec-performeval) for an indirect call, whose
// steps %eval% takes once the source is prepared.
func (e *evals) indirect(call goja.FunctionCall) goja.Value {
	e.restore()
	x := call.Argument(0)
	src, ok := x.(goja.String)
	if !ok {
		return x // step 2
	}
	// Annex B's function declarations in blocks, as the hooks give a direct
	// eval's code (bindings/blockfunc;
	// https://tc39.es/ecma262/#sec-web-compat-evaldeclarationinstantiation):
	// here the caller's scope is global.
	rewritten := false
	if text, lossy := sourceText(src); !lossy {
		if out, changed := blockfunc.RewriteEval(text); changed {
			src, rewritten = e.vm.ToValue(out).(goja.String), true
		}
	}
	p := e.prepare(src, false)
	arg := x
	if p.changed || rewritten {
		arg = e.vm.ToValue(p.text)
	}
	v, err, panicked := callRecovering(e.callEval, arg)
	if panicked != nil {
		e.throwSyntaxError("Invalid or unexpected token (%v)", panicked)
	}
	if err != nil {
		panic(err)
	}
	return v
}

// callRecovering calls f, %eval%, with arg, recovering a Go panic of goja's
// parser or compiler, before the source runs: goja restores its stacks to
// where the call began. A panic while the source runs, in a built-in it
// called, goes on up, as it would from any other script, to the event loop,
// which ends the runtime: it is no syntax error, and what it interrupted
// may be left half done.
func callRecovering(f goja.Callable, arg goja.Value) (v goja.Value, err error, panicked any) {
	defer func() {
		if p := recover(); p != nil {
			if panickedRunning() {
				panic(p)
			}
			panicked = p
		}
	}()
	v, err = f(goja.Undefined(), arg)
	return v, err, nil
}

// panickedRunning reports, from a deferred call during a panic, whether the
// panic began while goja ran code that eval compiled: whether a frame of
// goja's (*vm).runTry lies between the panic and goja's (*Runtime).eval.
func panickedRunning() bool {
	var pcs [1024]uintptr
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs[:])])
	for {
		f, more := frames.Next()
		switch f.Function {
		case "github.com/dop251/goja.(*vm).runTry":
			return true
		case "github.com/dop251/goja.(*Runtime).eval":
			return false
		}
		if !more {
			return false
		}
	}
}

// enter makes the global eval %eval%, if it is the replacement held by a
// writable data property.
func (e *evals) enter(goja.FunctionCall) goja.Value {
	e.restore()
	// No binding defines eval on first use: the holder has it as the
	// global object does.
	d, err := e.ownProperty(goja.Undefined(), e.holder, e.vm.ToValue("eval"))
	if err != nil {
		panic(err)
	}
	desc, ok := d.(*goja.Object)
	// Its own fields alone: an accessor's has no value.
	if !ok || desc.SetPrototype(nil) != nil || desc.Get("value") != e.replacement || !desc.Get("writable").ToBoolean() {
		return goja.Undefined()
	}
	e.configurable, e.enumerable = flagOf(desc.Get("configurable")), flagOf(desc.Get("enumerable"))
	e.swap(e.intrinsic)
	e.swapped = true
	return goja.Undefined()
}

// leave makes the global eval the replacement again, and returns its
// argument, the callee's value.
func (e *evals) leave(call goja.FunctionCall) goja.Value {
	e.restore()
	return call.Argument(0)
}

// source returns the source of a direct eval call whose callee had the value
// callee, prepared if the callee was %eval%, and the source as it is
// otherwise; the arguments after it are the call's others.
func (e *evals) source(call goja.FunctionCall) goja.Value {
	x := call.Argument(1)
	src, ok := x.(goja.String)
	if call.Argument(0) != e.intrinsic || !ok {
		return x
	}
	if p := e.prepare(src, true); p.changed {
		return e.vm.ToValue(p.text)
	}
	return x
}

// restore undoes enter.
func (e *evals) restore() {
	if e.swapped {
		e.swapped = false
		e.swap(e.replacement)
	}
}

func (e *evals) swap(v *goja.Object) {
	if err := e.vm.GlobalObject().DefineDataProperty("eval", v, goja.FLAG_TRUE, e.configurable, e.enumerable); err != nil {
		panic(err)
	}
}

func flagOf(v goja.Value) goja.Flag {
	if v.ToBoolean() {
		return goja.FLAG_TRUE
	}
	return goja.FLAG_FALSE
}
