package wasm

import (
	"context"
	"fmt"

	"github.com/dop251/goja"
	"github.com/tetratelabs/wazero"

	"github.com/wsjs/wsjs/webidl"
)

// module is the internal slots of a Module: its bytes, what of them the
// namespace reads, and wazero's compiled code.
type module struct {
	bytes []byte
	info  *moduleInfo
	code  wazero.CompiledModule
}

// compileModule compiles bytes
// (https://webassembly.github.io/spec/js-api/#compile-a-webassembly-module),
// or returns the CompileError to throw. It throws a RangeError if what
// wazero would take for the module does not fit the memory budget.
func (s *state) compileModule(bytes []byte) (*module, *goja.Object) {
	checked, cost, err := checkModule(bytes)
	if err != nil {
		return nil, s.newError(compileError, err.Error())
	}
	// What wazero takes for the module is charged to the memory budget
	// for as long as the Module lives: a module of a few megabytes can
	// take hundreds (see checkModule).
	budget := s.env.Memory()
	if !budget.Reserve(cost) {
		panic(s.realm.NewRangeError(fmt.Sprintf("WebAssembly: Out of memory: compiling the module takes about %d bytes, more than the memory limit leaves", cost)))
	}
	var code wazero.CompiledModule
	ctx := s.context()
	err = guard(func() (err error) {
		// wazero stops compiling between functions once the loop is
		// interrupted: a large module does not hold a deadline up.
		code, err = s.engine().CompileModule(ctx, checked)
		return err
	})
	if err != nil {
		budget.Release(cost)
	}
	if err != nil && ctx.Err() != nil {
		s.interrupted()
	}
	if err != nil {
		return nil, s.newError(compileError, trapMessage(err))
	}
	info, err := parse(bytes)
	if err != nil {
		_ = code.Close(context.Background())
		budget.Release(cost)
		return nil, s.newError(compileError, err.Error())
	}
	m := &module{bytes: bytes, info: info, code: code}
	closeWhenUnreachable(m, owned{code: code, budget: budget, charged: cost})
	return m, nil
}

// validate(bytes) (https://webassembly.github.io/spec/js-api/#dom-webassembly-validate).
func (s *state) validate(c goja.FunctionCall) goja.Value {
	// 1. Let stableBytes be a copy of the bytes held by the buffer bytes.
	bytes := s.realm.ToBufferSource(c.Argument(0))
	// 2. Compile stableBytes as a WebAssembly module and store the results
	// as module. 3-4. Return whether module is not error.
	_, exc := s.compileModule(bytes)
	return s.realm.VM().ToValue(exc == nil)
}

// compile(bytes) (https://webassembly.github.io/spec/js-api/#dom-webassembly-compile).
func (s *state) compile(c goja.FunctionCall) goja.Value {
	vm := s.realm.VM()
	p, resolve, reject := vm.NewPromise()
	var bytes []byte
	// 1. Let stableBytes be a copy of the bytes held by the buffer bytes
	// (a TypeError here rejects the promise, as for an operation that
	// returns a promise).
	if exc := vm.Try(func() { bytes = s.realm.ToBufferSource(c.Argument(0)) }); exc != nil {
		_ = reject(exc.Value())
		return vm.ToValue(p)
	}
	// 2. Asynchronously compile a WebAssembly module from stableBytes: the
	// module is compiled before compile returns, and the promise settles
	// as the steps say.
	var m *module
	var exc *goja.Object
	if thrown := vm.Try(func() { m, exc = s.compileModule(bytes) }); thrown != nil {
		_ = reject(thrown.Value())
	} else if exc != nil {
		_ = reject(exc)
	} else {
		_ = resolve(s.newModuleObject(m))
	}
	return vm.ToValue(p)
}

func (s *state) newModuleObject(m *module) *goja.Object {
	return s.realm.New("WebAssembly.Module", m)
}

func (s *state) moduleOf(v goja.Value) *module {
	return s.realm.ToInterface(v, "WebAssembly.Module").(*module)
}

// moduleInterface is Module (https://webassembly.github.io/spec/js-api/#modules).
func (s *state) moduleInterface() *webidl.Interface {
	return &webidl.Interface{
		Name:   "Module",
		Length: 1,
		// new Module(bytes) (https://webassembly.github.io/spec/js-api/#dom-module-module).
		Constructor: func(c webidl.Call) any {
			bytes := s.realm.ToBufferSource(c.Arg(0))
			m, exc := s.compileModule(bytes)
			if exc != nil {
				panic(s.realm.VM().ToValue(exc))
			}
			return m
		},
		Operations: []webidl.Operation{
			{Name: "exports", Length: 1, Static: true, Func: func(c webidl.Call) goja.Value { return s.exportsOf(s.moduleOf(c.Arg(0))) }},
			{Name: "imports", Length: 1, Static: true, Func: func(c webidl.Call) goja.Value { return s.importsOf(s.moduleOf(c.Arg(0))) }},
			{Name: "customSections", Length: 2, Static: true, Func: s.customSections},
		},
	}
}

// exportsOf is Module.exports (https://webassembly.github.io/spec/js-api/#dom-module-exports).
func (s *state) exportsOf(m *module) goja.Value {
	vm := s.realm.VM()
	list := make([]any, 0, len(m.info.exports))
	for _, e := range m.info.exports {
		o := vm.NewObject()
		_ = o.Set("name", e.name)
		_ = o.Set("kind", kindNames[e.kind])
		list = append(list, o)
	}
	return vm.NewArray(list...)
}

// importsOf is Module.imports (https://webassembly.github.io/spec/js-api/#dom-module-imports).
func (s *state) importsOf(m *module) goja.Value {
	vm := s.realm.VM()
	list := make([]any, 0, len(m.info.imports))
	for _, e := range m.info.imports {
		o := vm.NewObject()
		_ = o.Set("module", e.module)
		_ = o.Set("name", e.name)
		_ = o.Set("kind", kindNames[e.kind])
		list = append(list, o)
	}
	return vm.NewArray(list...)
}

// customSections (https://webassembly.github.io/spec/js-api/#dom-module-customsections).
func (s *state) customSections(c webidl.Call) goja.Value {
	vm := s.realm.VM()
	m := s.moduleOf(c.Arg(0))
	c.RequireArgs("customSections", 2)
	name := s.realm.ToDOMString(c.Arg(1)).String()
	var list []any
	for _, cs := range m.info.customs {
		if cs.name == name {
			list = append(list, vm.NewArrayBuffer(append([]byte(nil), cs.data...)))
		}
	}
	return vm.NewArray(list...)
}
