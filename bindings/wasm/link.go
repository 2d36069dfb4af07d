package wasm

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/dop251/goja"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// wazero links a module's imports by module name to one module's exports.
// The imports of one name come from many places (script functions, other
// instances' exports, Memory, Table and Global objects), so for each name
// link instantiates a small module that imports each of them from where it
// is and exports it under the name the module imports it by.

// link instantiates the module that stands for each module name info
// imports from, and returns what resolves the names to them.
func (s *state) link(ctx context.Context, info *moduleInfo, srcs []source, in *instance) (experimental.ImportResolver, error) {
	byName := map[string][]int{}
	var order []string
	for i, im := range info.imports {
		if _, ok := byName[im.module]; !ok {
			order = append(order, im.module)
		}
		byName[im.module] = append(byName[im.module], i)
	}
	linked := map[string]api.Module{}
	for _, name := range order {
		mod, err := s.linkModule(ctx, info, srcs, byName[name], in)
		if err != nil {
			return nil, err
		}
		linked[name] = mod
	}
	for _, src := range srcs {
		in.deps = append(in.deps, src.owner)
	}
	return func(name string) api.Module { return linked[name] }, nil
}

// linkModule instantiates the module that re-exports the imports at idx.
func (s *state) linkModule(ctx context.Context, info *moduleInfo, srcs []source, idx []int, in *instance) (api.Module, error) {
	from := map[string]api.Module{}
	e := newEncoder()
	var funcs []int
	for _, i := range idx {
		if info.imports[i].kind == kindFunc {
			funcs = append(funcs, i)
		}
	}
	e.section(1, func(e *encoder) {
		e.u32(uint32(len(funcs)))
		for _, i := range funcs {
			t := info.imports[i].fn
			*e = append(*e, 0x60)
			e.u32(uint32(len(t.params)))
			*e = append(*e, t.params...)
			e.u32(uint32(len(t.results)))
			*e = append(*e, t.results...)
		}
	})
	counts := [4]uint32{}
	type export struct {
		name  string
		kind  byte
		index uint32
	}
	var exports []export
	seen := map[string]bool{}
	e.section(2, func(e *encoder) {
		e.u32(uint32(len(idx)))
		fn := uint32(0)
		for _, i := range idx {
			im := info.imports[i]
			mod := "s" + strconv.Itoa(i)
			from[mod] = srcs[i].mod
			e.name(mod)
			e.name(srcs[i].name)
			*e = append(*e, im.kind)
			switch im.kind {
			case kindFunc:
				e.u32(fn)
				fn++
			case kindTable:
				*e = append(*e, im.table.elem)
				e.limits(limits{max: -1})
			case kindMemory:
				e.limits(limits{max: im.memory.max, shared: im.memory.shared})
			case kindGlobal:
				*e = append(*e, im.global.val, boolByte(im.global.mutable))
			}
			if !seen[im.name] {
				seen[im.name] = true
				exports = append(exports, export{im.name, im.kind, counts[im.kind]})
			}
			counts[im.kind]++
		}
	})
	e.section(7, func(e *encoder) {
		e.u32(uint32(len(exports)))
		for _, x := range exports {
			e.name(x.name)
			*e = append(*e, x.kind)
			e.u32(x.index)
		}
	})
	lctx := experimental.WithImportResolver(ctx, func(name string) api.Module { return from[name] })
	o, err := s.instantiateBytes(lctx, e)
	if err != nil {
		return nil, err
	}
	in.deps = append(in.deps, o)
	return o.mod, nil
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// instantiateBytes compiles and instantiates a module the namespace made,
// closed once the returned value is unreachable.
func (s *state) instantiateBytes(ctx context.Context, bytes []byte) (*owned, error) {
	o := &owned{}
	err := guard(func() (err error) {
		o.code, err = s.engine().CompileModule(ctx, bytes)
		if err != nil {
			return err
		}
		o.mod, err = s.engine().InstantiateModule(ctx, o.code, moduleConfig())
		return err
	})
	if err != nil {
		if o.code != nil {
			_ = o.code.Close(context.Background())
		}
		return nil, err
	}
	closeWhenUnreachable(o, *o)
	return o, nil
}

// hostFuncs gathers the script functions a module imports, as the host
// functions of one wazero module.
type hostFuncs struct {
	funcs []goja.Callable
	types []funcType
}

// add adds a host function for fn of type t and returns its export name.
func (h *hostFuncs) add(fn goja.Callable, t funcType) string {
	h.funcs = append(h.funcs, fn)
	h.types = append(h.types, t)
	return "f" + strconv.Itoa(len(h.funcs)-1)
}

// instantiate instantiates the host module; the returned value keeps it
// open.
func (h *hostFuncs) instantiate(s *state) *owned {
	// Host modules must have names, unique while they are open.
	s.hosts++
	b := s.engine().NewHostModuleBuilder("wsjs:host:" + strconv.FormatUint(s.hosts, 10))
	for i, fn := range h.funcs {
		t := h.types[i]
		b = b.NewFunctionBuilder().
			WithGoFunction(s.hostFunction(fn, t), slices.Clone(t.params), slices.Clone(t.results)).
			Export("f" + strconv.Itoa(i))
	}
	// Compiled and instantiated apart: what Instantiate returns wraps the
	// module in a type wazero's import resolver does not take.
	o := &owned{}
	err := guard(func() (err error) {
		ctx := context.Background()
		if o.code, err = b.Compile(ctx); err != nil {
			return err
		}
		o.mod, err = s.engine().InstantiateModule(ctx, o.code, moduleConfig())
		return err
	})
	if err != nil {
		s.throw(linkError, fmt.Sprintf("WebAssembly.Instance(): %s", trapMessage(err)))
	}
	closeWhenUnreachable(o, *o)
	return o
}

// hostFunction returns the host function of fn
// (https://webassembly.github.io/spec/js-api/#create-a-host-function), which
// runs "call a host function"
// (https://webassembly.github.io/spec/js-api/#call-a-host-function). What
// it panics with (script threw, or was interrupted) waits in s.pending
// while wasm unwinds, and is thrown again where script called into wasm.
func (s *state) hostFunction(fn goja.Callable, t funcType) api.GoFunction {
	return api.GoFunc(func(ctx context.Context, stack []uint64) {
		defer func() {
			if x := recover(); x != nil {
				s.pending = x
				panic(errHostPanicked)
			}
		}()
		// 3-4. Convert the arguments; 5. call the function with
		// undefined as this.
		args := make([]goja.Value, len(t.params))
		for i, p := range t.params {
			args[i] = s.toJS(stack[i], p)
		}
		ret, err := fn(goja.Undefined(), args...)
		if err != nil {
			panic(err)
		}
		// 7-9. No result, one, or an iterable of them.
		switch len(t.results) {
		case 0:
			return
		case 1:
			stack[0] = s.toWasm(ret, t.results[0])
			return
		}
		_, list := s.helpers()
		arr, err := list(goja.Undefined(), ret)
		if err != nil {
			panic(err)
		}
		o := arr.(*goja.Object)
		if int(o.Get("length").ToInteger()) != len(t.results) {
			s.realm.ThrowTypeError("multi-return length mismatch")
		}
		for i, r := range t.results {
			stack[i] = s.toWasm(o.Get(strconv.Itoa(i)), r)
		}
	})
}
