package wasm

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/dop251/goja"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/wsjs/wsjs/webidl"
)

// instance is the internal slots of an Instance: the wazero module, what
// it links to (kept alive as long as it is), and its exports object.
type instance struct {
	mod     api.Module
	info    *moduleInfo
	deps    []any
	exports *goja.Object
	// imported holds, by kind, the objects of the instance's imports
	// that an export is again: an Exported Function, or a Memory, Table
	// or Global object (nil where the import made a new one), so that
	// the export is the same object
	// (https://webassembly.github.io/spec/js-api/#create-an-exports-object,
	// the caches of https://webassembly.github.io/spec/js-api/#object-caches).
	imported [4][]*goja.Object
}

// exportedFunc is what an Exported Function calls
// (https://webassembly.github.io/spec/js-api/#exported-function).
type exportedFunc struct {
	fn     api.Function
	src    source
	params []byte
	result []byte
}

// A source is a wazero module export an import links to, with the Go value
// that keeps the module open.
type source struct {
	mod   api.Module
	name  string
	owner any
}

var listProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:wasm-list.js", `(function (v) { "use strict"; return [...v]; })`, true)
})

// helpers returns %Object.freeze% and a function that lists an iterable.
func (s *state) helpers() (freeze, list goja.Callable) {
	if s.list == nil {
		v, err := s.realm.VM().RunProgram(listProgram())
		if err != nil {
			panic(err)
		}
		s.list, _ = goja.AssertFunction(v)
	}
	return s.freeze, s.list
}

// instanceInterface is Instance (https://webassembly.github.io/spec/js-api/#instances).
func (s *state) instanceInterface() *webidl.Interface {
	return &webidl.Interface{
		Name:   "Instance",
		Length: 1,
		// new Instance(module, importObject)
		// (https://webassembly.github.io/spec/js-api/#dom-instance-instance).
		Constructor: func(c webidl.Call) any {
			m := s.moduleOf(c.Arg(0))
			return s.instantiateCore(m, c.Arg(1))
		},
		Attributes: []webidl.Attribute{
			{Name: "exports", Get: func(c webidl.Call) goja.Value { return c.Impl.(*instance).exports }},
		},
	}
}

// instantiate(bytes or module, importObject)
// (https://webassembly.github.io/spec/js-api/#dom-webassembly-instantiate,
// https://webassembly.github.io/spec/js-api/#dom-webassembly-instantiate-moduleobject-importobject).
func (s *state) instantiate(c goja.FunctionCall) goja.Value {
	vm := s.realm.VM()
	p, resolve, reject := vm.NewPromise()
	exc := vm.Try(func() {
		arg, imports := c.Argument(0), c.Argument(1)
		if _, isModule := s.realm.Impl(arg, "WebAssembly.Module"); isModule {
			// Instantiate a promise of a module: resolves with the Instance.
			_ = resolve(s.newInstanceObject(s.instantiateCore(s.moduleOf(arg), imports)))
			return
		}
		// 1. Let stableBytes be a copy of the bytes held by the buffer
		// bytes. 2. Asynchronously compile a WebAssembly module from
		// stableBytes. 3. Instantiate it; resolve with the
		// WebAssemblyInstantiatedSource.
		m, cexc := s.compileModule(s.realm.ToBufferSource(arg))
		if cexc != nil {
			_ = reject(cexc)
			return
		}
		_ = resolve(s.instantiatedSource(m, imports))
	})
	if exc != nil {
		_ = reject(exc.Value())
	}
	return vm.ToValue(p)
}

// instantiatedSource instantiates m and returns the
// WebAssemblyInstantiatedSource of the Module and Instance objects
// (https://webassembly.github.io/spec/js-api/#dictdef-webassemblyinstantiatedsource).
func (s *state) instantiatedSource(m *module, imports goja.Value) *goja.Object {
	modObj := s.newModuleObject(m)
	inst := s.newInstanceObject(s.instantiateCore(m, imports))
	result := s.realm.VM().NewObject()
	_ = result.Set("module", modObj)
	_ = result.Set("instance", inst)
	return result
}

func (s *state) newInstanceObject(in *instance) *goja.Object {
	return s.realm.New("WebAssembly.Instance", in)
}

// instantiateCore reads the imports, links and instantiates m, and makes
// the exports object
// (https://webassembly.github.io/spec/js-api/#instantiate-the-core-of-a-webassembly-module).
func (s *state) instantiateCore(m *module, importObject goja.Value) *instance {
	in := &instance{info: m.info, deps: []any{m}}
	srcs := s.readImports(m, importObject, in)
	ctx := s.context()
	resolver, err := s.link(ctx, m.info, srcs, in)
	if err != nil {
		s.throw(linkError, trapMessage(err))
	}
	// A memory the budget cannot hold fails before wazero allocates it.
	if len(m.info.mems) > 0 {
		l := m.info.mems[0]
		n := l.min << 16
		if l.shared && l.max >= 0 {
			n = l.max << 16 // allocated at its maximum
		}
		if !s.env.Memory().Fits(n) {
			panic(s.realm.NewRangeError("WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance"))
		}
	}
	ictx := experimental.WithImportResolver(ctx, resolver)
	if memoryIsShared(m.info) {
		ictx = experimental.WithMemoryAllocator(ictx, sharedAllocator{s.env.Memory()})
	}
	var mod api.Module
	err = guard(func() (err error) {
		mod, err = s.engine().InstantiateModule(ictx, m.code, moduleConfig())
		return err
	})
	if err != nil {
		msg := err.Error()
		if s.pending != nil || ctx.Err() != nil || strings.Contains(msg, "start function") || strings.Contains(msg, "out of bounds") {
			s.rethrow(err, ctx)
		}
		if strings.Contains(msg, "memory") && strings.Contains(msg, "index out of range") || strings.Contains(msg, "runtime error") {
			panic(s.realm.NewRangeError("WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance"))
		}
		s.throw(linkError, trapMessage(err))
	}
	in.mod = mod
	closeWhenUnreachable(in, owned{mod: mod})
	in.exports = s.exportsObject(in)
	return in
}

// memoryIsShared reports whether the memory m defines is shared.
func memoryIsShared(m *moduleInfo) bool {
	return len(m.mems) > 0 && m.mems[0].shared
}

// readImports reads the imports of m from importObject
// (https://webassembly.github.io/spec/js-api/#read-the-imports), returning
// the export each import links to.
func (s *state) readImports(m *module, importObject goja.Value, in *instance) []source {
	// 1. If module.imports is not empty, and importObject is undefined,
	// throw a TypeError exception.
	if len(m.info.imports) == 0 {
		return nil
	}
	objImports, ok := importObject.(*goja.Object)
	if !ok {
		s.realm.ThrowTypeError("WebAssembly.Instance(): Imports argument must be present and must be an object")
	}
	srcs := make([]source, len(m.info.imports))
	var host hostFuncs
	// 3. For each (moduleName, componentName, externtype) of the imports:
	for i, im := range m.info.imports {
		// 3.1-3.2. Let o be ? Get(importObject, moduleName); if it is not
		// an Object, throw a TypeError.
		o, ok := objImports.Get(im.module).(*goja.Object)
		if !ok {
			s.realm.ThrowTypeError("WebAssembly.Instance(): Import #%d %q: module is not an object or function", i, im.module)
		}
		// 3.3. Let v be ? Get(o, componentName).
		v := o.Get(im.name)
		if v == nil {
			v = goja.Undefined()
		}
		what := fmt.Sprintf("WebAssembly.Instance(): Import #%d %q %q", i, im.module, im.name)
		switch im.kind {
		case kindFunc:
			// 3.4. If IsCallable(v) is false, throw a LinkError; an
			// Exported Function links to its function, another callable
			// to a new host function.
			fn, callable := goja.AssertFunction(v)
			if !callable {
				s.throw(linkError, what+": function import requires a callable")
			}
			if ef, ok := s.funcs.Get(v.(*goja.Object)); ok {
				srcs[i] = ef.src
				in.imported[kindFunc] = append(in.imported[kindFunc], v.(*goja.Object))
				continue
			}
			srcs[i] = source{name: host.add(fn, im.fn)}
			in.imported[kindFunc] = append(in.imported[kindFunc], nil)
		case kindGlobal:
			srcs[i] = s.importGlobal(v, im.global, what)
			in.imported[kindGlobal] = append(in.imported[kindGlobal], implementing(s, v, "WebAssembly.Global"))
		case kindMemory:
			// 3.6. If v does not implement Memory, throw a LinkError.
			mem, ok := s.realm.Impl(v, "WebAssembly.Memory")
			if !ok {
				s.throw(linkError, what+": memory import must be a WebAssembly.Memory object")
			}
			srcs[i] = mem.(*memory).src
			in.imported[kindMemory] = append(in.imported[kindMemory], v.(*goja.Object))
		case kindTable:
			// 3.7. If v does not implement Table, throw a LinkError.
			t, ok := s.realm.Impl(v, "WebAssembly.Table")
			if !ok {
				s.throw(linkError, what+": table import requires a WebAssembly.Table")
			}
			srcs[i] = t.(*table).src
			in.imported[kindTable] = append(in.imported[kindTable], v.(*goja.Object))
		}
	}
	if len(host.funcs) > 0 {
		mod := host.instantiate(s)
		in.deps = append(in.deps, mod)
		for i := range srcs {
			if srcs[i].mod == nil && srcs[i].owner == nil {
				srcs[i].mod, srcs[i].owner = mod.mod, mod
			}
		}
	}
	return srcs
}

// importGlobal is step 3.5 of read the imports
// (https://webassembly.github.io/spec/js-api/#read-the-imports): a Global links to its
// global; a Number, or a BigInt for i64, to a new immutable global.
func (s *state) importGlobal(v goja.Value, t globalType, what string) source {
	if g, ok := s.realm.Impl(v, "WebAssembly.Global"); ok {
		return g.(*global).src
	}
	if t.mutable {
		s.throw(linkError, what+": imported mutable global must be a WebAssembly.Global object")
	}
	_, isBig := v.Export().(interface{ Sign() int })
	switch {
	case t.val == typeI64 && !isBig,
		(t.val == typeI32 || t.val == typeF32 || t.val == typeF64) && !isNumber(v),
		t.val == typeV128:
		s.throw(linkError, what+": global import must be a number, valid Wasm reference, or WebAssembly.Global object")
	}
	return s.newGlobal(t, v).src
}

// implementing returns v if it implements the interface name, else nil.
func implementing(s *state, v goja.Value, name string) *goja.Object {
	if _, ok := s.realm.Impl(v, name); ok {
		return v.(*goja.Object)
	}
	return nil
}

func isNumber(v goja.Value) bool {
	switch v.Export().(type) {
	case int64, float64:
		return true
	}
	return false
}

// moduleConfig names no module (any number may be instantiated) and calls
// no function but the start function the module declares.
func moduleConfig() wazero.ModuleConfig {
	return wazero.NewModuleConfig().WithName("").WithStartFunctions()
}

// exportsObject creates the exports object
// (https://webassembly.github.io/spec/js-api/#create-an-exports-object): a
// frozen object with a null prototype.
func (s *state) exportsObject(in *instance) *goja.Object {
	vm := s.realm.VM()
	o := vm.CreateObject(nil)
	tables := in.info.tableTypes()
	mems := in.info.memoryTypes()
	for _, e := range in.info.exports {
		var v goja.Value
		src := source{mod: in.mod, name: e.name, owner: in}
		if im := in.imported[e.kind]; int(e.index) < len(im) && im[e.index] != nil {
			_ = o.Set(e.name, im[e.index])
			continue
		}
		switch e.kind {
		case kindFunc:
			v = s.exportedFunction(in.mod.ExportedFunction(e.name), src, e.index)
		case kindGlobal:
			v = s.globalObject(in.mod.ExportedGlobal(e.name), src)
		case kindMemory:
			v = s.memoryObject(in.mod.ExportedMemory(e.name), mems[e.index], src)
		case kindTable:
			v = s.tableObject(tables[e.index], src)
		}
		_ = o.Set(e.name, v)
	}
	freeze, _ := s.helpers()
	if _, err := freeze(goja.Undefined(), o); err != nil {
		panic(err)
	}
	return o
}

// exportedFunction returns the Exported Function of fn, index its index
// (https://webassembly.github.io/spec/js-api/#a-new-exported-function):
// named by its index, of length its parameter count.
func (s *state) exportedFunction(fn api.Function, src source, index uint32) goja.Value {
	d := fn.Definition()
	ef := &exportedFunc{fn: fn, src: src, params: slices.Clone(d.ParamTypes()), result: slices.Clone(d.ResultTypes())}
	f := webidl.NewFunction(s.realm.VM(), strconv.Itoa(int(index)), len(ef.params), func(c goja.FunctionCall) goja.Value {
		return s.callExported(ef, c)
	})
	s.funcs.Set(f, ef)
	return f
}

// callExported calls an Exported Function
// (https://webassembly.github.io/spec/js-api/#call-an-exported-function).
func (s *state) callExported(ef *exportedFunc, c goja.FunctionCall) goja.Value {
	vm := s.realm.VM()
	// 4. If parameters or results contain v128, throw a TypeError.
	for _, t := range append(ef.params[:len(ef.params):len(ef.params)], ef.result...) {
		if t == typeV128 {
			s.realm.ThrowTypeError("type incompatibility when transforming from/to JS")
		}
	}
	// 5-7. Convert the arguments, undefined for those missing.
	args := make([]uint64, len(ef.params))
	for i, t := range ef.params {
		args[i] = s.toWasm(c.Argument(i), t)
	}
	// 8. Invoke the function.
	ctx := s.context()
	var res []uint64
	err := guard(func() (err error) {
		res, err = ef.fn.Call(ctx, args...)
		return err
	})
	// 9. If ret is error, throw an exception.
	if err != nil {
		s.rethrow(err, ctx)
	}
	// 10-12. Return undefined, the value, or an array of the values.
	switch len(ef.result) {
	case 0:
		return goja.Undefined()
	case 1:
		return s.toJS(res[0], ef.result[0])
	}
	vals := make([]any, len(res))
	for i, w := range res {
		vals[i] = s.toJS(w, ef.result[i])
	}
	return vm.NewArray(vals...)
}
