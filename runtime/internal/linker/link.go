package linker

import (
	"fmt"
	"strconv"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime/internal/loader"
)

// status is a Cyclic Module Record's [[Status]].
type status uint8

const (
	unlinked status = iota
	linking
	linked
	evaluating
	evaluatingAsync
	evaluated
)

// A record is a module of the module map: the module, compiled, and what
// the runtime keeps of it.
type record struct {
	m    *loader.Module
	deps []*record // [[LoadedModules]], in the order of m.Requests

	status                status
	evalErr               *goja.Exception // [[EvaluationError]]
	dfsIndex, dfsAncestor int
	cycleRoot             *record
	asyncOrder            int // [[AsyncEvaluationOrder]]: 0 unset, -1 done
	topLevel              *capability
	asyncParents          []*record
	pendingAsyncDeps      int
	accessors             *goja.Object // by local name, once the environment is initialized
	gen                   goja.Value   // the module's generator
	namespace             *goja.Object
	value                 goja.Value // a synthetic module's default export, once evaluated
	syntheticDone         bool
	defaultLocal          string // the local binding exported as default
	// frozen holds the values of the stable bindings (loader.Stable)
	// once they have them; dependents are the import bindings of other
	// modules to make plain properties then.
	frozen     map[string]goja.Value
	dependents []dependent
}

// A dependent is the import binding local, of the import object imports,
// of the binding name of another module.
type dependent struct {
	imports     *goja.Object
	local, name string
}

// cyclic reports whether r is a Cyclic Module Record: one of source text,
// which CommonJS modules are once bundled.
func (r *record) cyclic() bool {
	return r.m.Kind == loader.SourceText || r.m.Kind == loader.CommonJS
}

// link is Link (https://tc39.es/ecma262/#sec-moduledeclarationlinking).
func (l *Linker) link(r *record) error {
	var stack []*record
	if _, err := l.innerLink(r, &stack, 0); err != nil {
		for _, m := range stack {
			m.status = unlinked
		}
		return err
	}
	return nil
}

// innerLink is InnerModuleLinking
// (https://tc39.es/ecma262/#sec-InnerModuleLinking).
func (l *Linker) innerLink(r *record, stack *[]*record, index int) (int, error) {
	if !r.cyclic() {
		return index, nil
	}
	if r.status != unlinked {
		return index, nil
	}
	r.status = linking
	r.dfsIndex, r.dfsAncestor = index, index
	index++
	*stack = append(*stack, r)
	for _, req := range r.deps {
		var err error
		if index, err = l.innerLink(req, stack, index); err != nil {
			return index, err
		}
		if req.cyclic() && req.status == linking {
			r.dfsAncestor = min(r.dfsAncestor, req.dfsAncestor)
		}
	}
	if err := l.initialize(r); err != nil {
		return index, err
	}
	if r.dfsAncestor == r.dfsIndex {
		for {
			m := (*stack)[len(*stack)-1]
			*stack = (*stack)[:len(*stack)-1]
			m.status = linked
			if m == r {
				break
			}
		}
	}
	return index, nil
}

// initialize is InitializeEnvironment
// (https://tc39.es/ecma262/#sec-source-text-module-record-initialize-environment):
// the import object gets the module's import bindings, and the module
// function, called with it, instantiates the module's declarations.
func (l *Linker) initialize(r *record) error {
	m := r.m
	for _, e := range m.IndirectExports {
		if _, ok, _ := m.ResolveExport(e.Name); !ok {
			return l.throwLink("The requested module does not provide an export named " + strconv.Quote(e.ImportName))
		}
	}
	imports := l.vm.NewObject()
	_ = imports.SetPrototype(nil)
	for _, in := range m.Imports {
		imported := r.deps[in.Request]
		if in.Namespace {
			_ = imports.DefineDataProperty(in.Local, l.namespace(imported), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
			continue
		}
		b, ok, _ := imported.m.ResolveExport(in.Name)
		if !ok {
			return l.throwLink("The requested module does not provide an export named " + strconv.Quote(in.Name))
		}
		target := l.records[b.Module.Key]
		if b.Namespace {
			_ = imports.DefineDataProperty(in.Local, l.namespace(target), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
			continue
		}
		l.importBinding(imports, in.Local, target, b.Name)
	}
	return l.instantiate(r, imports)
}

// importBinding defines the import binding local of imports, of the
// binding name of target: a getter, or, once a stable binding has its
// value, a read-only property with it.
func (l *Linker) importBinding(imports *goja.Object, local string, target *record, name string) {
	if target.m.Kind != loader.SourceText || target.m.Stable[name] == loader.Mutable {
		_ = imports.DefineAccessorProperty(local, l.getter(target, name), nil, goja.FLAG_FALSE, goja.FLAG_TRUE)
		return
	}
	if v, ok := target.frozen[name]; ok {
		_ = imports.DefineDataProperty(local, v, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
		return
	}
	_ = imports.DefineAccessorProperty(local, l.getter(target, name), nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
	target.dependents = append(target.dependents, dependent{imports, local, name})
}

// freeze reads the stable bindings of r that have their value for good by
// now (all once r is evaluated, else those instantiated), and makes the
// import bindings of them plain properties.
func (l *Linker) freeze(r *record, evaluated bool) {
	for name, s := range r.m.Stable {
		if _, ok := r.frozen[name]; ok || s == loader.Mutable || s == loader.StableOnceEvaluated && !evaluated {
			continue
		}
		var v goja.Value
		if l.vm.Try(func() { v = l.local(r, name) }) != nil {
			continue // uninitialized
		}
		if r.frozen == nil {
			r.frozen = map[string]goja.Value{}
		}
		r.frozen[name] = v
	}
	deps := r.dependents[:0]
	for _, d := range r.dependents {
		if v, ok := r.frozen[d.name]; ok {
			_ = d.imports.DefineDataProperty(d.local, v, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
		} else {
			deps = append(deps, d)
		}
	}
	r.dependents = deps
}

// instantiate calls the module function of r with imports, and its
// generator's first step, which yields the accessors.
func (l *Linker) instantiate(r *record, imports *goja.Object) error {
	v, err := l.vm.RunProgram(r.m.Program)
	if err != nil {
		return err
	}
	outer, ok := goja.AssertFunction(v)
	if !ok {
		return fmt.Errorf("linker: %s: not a module function", r.m.Name)
	}
	imp, meta := goja.Undefined(), goja.Undefined()
	if r.m.Dynamic {
		imp = l.importFunc(r)
	}
	if r.m.Meta {
		meta = l.importMeta(r)
	}
	genFn, err := outer(goja.Undefined(), imports, imp, meta, l.hostFn)
	if err != nil {
		return err
	}
	f, ok := goja.AssertFunction(genFn)
	if !ok {
		return fmt.Errorf("linker: %s: not a module function", r.m.Name)
	}
	if r.gen, err = f(goja.Undefined()); err != nil {
		return err
	}
	first, err := l.in.next(r.gen)
	if err != nil {
		return err
	}
	r.accessors = first.ToObject(l.vm).Get("value").ToObject(l.vm)
	l.freeze(r, false)
	for _, e := range r.m.LocalExports {
		if e.Name == "default" {
			r.defaultLocal = e.Local
		}
	}
	if r.m.DefaultFunc != "" {
		// An anonymous export default function: SetFunctionName(F, "default").
		if f, ok := goja.AssertFunction(r.accessors.Get(r.m.DefaultFunc)); ok {
			if fo, err := f(goja.Undefined()); err == nil {
				_ = fo.ToObject(l.vm).DefineDataProperty("name", l.vm.ToValue("default"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
			}
		}
	}
	return nil
}

// throwLink returns the SyntaxError of a module that cannot be linked.
func (l *Linker) throwLink(msg string) error {
	return l.exception(l.newError(l.in.syntaxError, msg))
}

// getter returns the getter of the import binding of the binding name of
// target: for a module's local binding, its accessor, once it has one.
func (l *Linker) getter(target *record, name string) goja.Value {
	if target.m.Kind == loader.SourceText && target.accessors != nil {
		if f := target.accessors.Get(name); f != nil {
			return f
		}
	}
	return l.vm.ToValue(func(goja.FunctionCall) goja.Value { return l.bindingValue(target, name) })
}

// bindingValue returns the value of the binding name of r, throwing a
// ReferenceError while it is uninitialized: GetBindingValue of r's
// environment.
func (l *Linker) bindingValue(r *record, name string) goja.Value {
	switch r.m.Kind {
	case loader.SourceText:
		if v, ok := r.frozen[name]; ok {
			return v
		}
		return l.local(r, name)
	case loader.CommonJS:
		exports := l.local(r, r.defaultLocal)
		return cjsExport(l.vm, exports, name)
	}
	if !r.syntheticDone {
		panic(l.exception(l.newError(l.in.referenceError, "Cannot access 'default' before initialization")))
	}
	if r.m.Kind == loader.HostModule && name != "default" {
		if o, ok := r.value.(*goja.Object); ok {
			return o.Get(name)
		}
		return goja.Undefined()
	}
	return r.value
}

// local returns the value of r's local binding name.
func (l *Linker) local(r *record, name string) goja.Value {
	if r.accessors == nil {
		panic(l.exception(l.newError(l.in.referenceError, "Cannot access '"+name+"' before initialization")))
	}
	f, ok := goja.AssertFunction(r.accessors.Get(name))
	if !ok {
		return goja.Undefined()
	}
	v, err := f(goja.Undefined())
	if err != nil {
		panic(err)
	}
	return v
}

// cjsExport returns the export name of a CommonJS module whose
// module.exports is exports, as esbuild's bundles import them: the default
// export is module.exports, or its default property if it says it was an
// ES module (__esModule); another name is a property of module.exports.
func cjsExport(vm *goja.Runtime, exports goja.Value, name string) goja.Value {
	o, ok := exports.(*goja.Object)
	if name == "default" {
		if ok {
			if esm := o.Get("__esModule"); esm != nil && esm.ToBoolean() {
				return o.Get("default")
			}
		}
		return exports
	}
	if !ok {
		if goja.IsUndefined(exports) || goja.IsNull(exports) {
			return goja.Undefined()
		}
		o = exports.ToObject(vm)
	}
	if v := o.Get(name); v != nil {
		return v
	}
	return goja.Undefined()
}
