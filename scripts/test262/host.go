package main

import (
	"errors"
	goruntime "runtime"
	"sync"

	"github.com/dop251/goja"
)

// A host holds the host-defined bindings of one test's realm, print and
// $262 (https://github.com/tc39/test262/blob/main/INTERPRETING.md#host-defined-functions),
// and what print was given.
type host struct {
	vm *goja.Runtime
	// compile compiles the source given to $262.evalScript as a classic
	// script, the way the engine under test does.
	compile func(name, src string) (*goja.Program, error)

	mu      sync.Mutex
	printed []string
}

// install defines print and $262 on the global object: writable,
// configurable, not enumerable.
func (h *host) install() error {
	vm := h.vm
	g := vm.GlobalObject()
	if err := g.DefineDataProperty("print", vm.ToValue(h.print), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	o := vm.NewObject()
	agent := vm.NewObject()
	for _, name := range []string{"start", "broadcast", "getReport", "sleep", "monotonicNow"} {
		_ = agent.Set(name, h.unsupported("$262.agent."+name))
	}
	for name, v := range map[string]any{
		"global":            g,
		"evalScript":        h.evalScript,
		"detachArrayBuffer": h.detachArrayBuffer,
		"gc":                h.gc,
		"createRealm":       h.unsupported("$262.createRealm"),
		"agent":             agent,
	} {
		if err := o.Set(name, v); err != nil {
			return err
		}
	}
	return g.DefineDataProperty("$262", o, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

func (h *host) print(c goja.FunctionCall) goja.Value {
	s := c.Argument(0).String()
	h.mu.Lock()
	h.printed = append(h.printed, s)
	h.mu.Unlock()
	return goja.Undefined()
}

// output returns what print was given so far.
func (h *host) output() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.printed...)
}

// evalScript parses and runs its argument as a script in the global scope:
// a syntax error is thrown.
func (h *host) evalScript(c goja.FunctionCall) goja.Value {
	prg, err := h.compile("evalScript", c.Argument(0).String())
	if err != nil {
		name := "SyntaxError"
		if errors.As(err, new(*goja.CompilerReferenceError)) {
			name = "ReferenceError"
		}
		throw(h.vm, name, err.Error())
	}
	v, err := h.vm.RunProgram(prg)
	if err != nil {
		panic(err) // rethrown: goja throws a *goja.Exception as its value
	}
	return v
}

// detachArrayBuffer implements DetachArrayBuffer
// (https://tc39.es/ecma262/#sec-detacharraybuffer) with goja's own.
func (h *host) detachArrayBuffer(c goja.FunctionCall) goja.Value {
	ab, ok := c.Argument(0).Export().(goja.ArrayBuffer)
	if !ok {
		throw(h.vm, "TypeError", "not an ArrayBuffer")
	}
	ab.Detach()
	return goja.Null()
}

// gc runs Go's garbage collector, which collects goja's objects too.
func (h *host) gc(goja.FunctionCall) goja.Value {
	goruntime.GC()
	return goja.Undefined()
}

// unsupported returns a function that throws a TypeError saying that what
// it stands for is not supported, such as creating a realm: goja has one
// realm per runtime, and values of one runtime must not reach another.
func (h *host) unsupported(what string) func(goja.FunctionCall) goja.Value {
	return func(goja.FunctionCall) goja.Value {
		throw(h.vm, "TypeError", what+" is not supported by this runner")
		return nil
	}
}

// throw throws a new error made by the global constructor name.
func throw(vm *goja.Runtime, name, msg string) {
	e, err := vm.New(vm.Get(name), vm.ToValue(msg))
	if err != nil {
		panic(err)
	}
	panic(e)
}

// describeThrown returns the name of the constructor of a thrown value and
// the value as a string, without letting script it runs escape.
func describeThrown(vm *goja.Runtime, v goja.Value) (typ, msg string) {
	if v == nil {
		return "", ""
	}
	_ = vm.Try(func() {
		if o, ok := v.(*goja.Object); ok {
			if c, ok := o.Get("constructor").(*goja.Object); ok {
				typ = c.Get("name").String()
			}
		}
	})
	if vm.Try(func() { msg = v.String() }) != nil {
		msg = "<thrown value not convertible to string>"
	}
	return typ, msg
}
