package linker

import (
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/runtime/internal/loader"
)

// A module namespace object
// (https://tc39.es/ecma262/#sec-module-namespace-exotic-objects) is a
// proxy of a target that makes the proxy invariants hold: an object
// without prototype, not extensible, whose properties are the exports,
// each writable, enumerable and not configurable, and @@toStringTag. The
// traps give the exotic internal methods: [[Get]] and
// [[GetOwnProperty]] read the live binding (throwing a ReferenceError
// while it is uninitialized), [[Set]] fails, [[DefineOwnProperty]]
// succeeds only for a descriptor the property already has, and
// [[OwnPropertyKeys]] lists the exports in code unit order. What the
// target does itself is right for the others: [[GetPrototypeOf]],
// [[SetPrototypeOf]], [[IsExtensible]], [[PreventExtensions]], [[HasProperty]],
// [[Delete]] and whatever concerns symbols.
//
// The namespace of a CommonJS or host module, whose exports are the
// properties of its value, which may change, lists default and what are
// then its value's own enumerable properties: its target stays extensible
// for that, and has no properties.

// exports returns the names r's namespace has, sorted.
func (l *Linker) exports(r *record) []string {
	if r.m.Kind == loader.CommonJS || r.m.Kind == loader.HostModule {
		return l.dynamicExports(r)
	}
	var names []string
	for _, n := range r.m.ExportedNames() {
		if _, ok, _ := r.m.ResolveExport(n); ok {
			names = append(names, n)
		}
	}
	return sortNames(names)
}

// dynamicExports returns default and the own enumerable properties of
// the value of a CommonJS or host module that has been evaluated.
func (l *Linker) dynamicExports(r *record) []string {
	names := []string{"default"}
	var v goja.Value
	if r.m.Kind == loader.HostModule {
		if r.syntheticDone {
			v = r.value
		}
	} else if r.status == evaluated && r.evalErr == nil {
		v = l.local(r, r.defaultLocal)
	}
	if o, ok := v.(*goja.Object); ok {
		for _, k := range o.Keys() {
			if k != "default" {
				names = append(names, k)
			}
		}
	}
	return sortNames(names)
}

// sortNames sorts names by code units, and drops duplicates.
func sortNames(names []string) []string {
	slices.SortFunc(names, compareUTF16)
	return slices.Compact(names)
}

// compareUTF16 compares a and b as sequences of UTF-16 code units, as
// ECMAScript compares strings.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			return slices.Compare(units(ra), units(rb))
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

// units returns the UTF-16 code units of r.
func units(r rune) []uint16 {
	if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
		return []uint16{uint16(r1), uint16(r2)}
	}
	return []uint16{uint16(r)}
}

// namespace is GetModuleNamespace
// (https://tc39.es/ecma262/#sec-getmodulenamespace).
func (l *Linker) namespace(r *record) *goja.Object {
	if r.namespace != nil {
		return r.namespace
	}
	vm := l.vm
	dynamic := r.m.Kind == loader.CommonJS || r.m.Kind == loader.HostModule
	target := vm.NewObject()
	_ = target.SetPrototype(nil)
	// The bindings of a static namespace, resolved once, and its keys.
	names := map[string]func() goja.Value{}
	var keys []any
	if !dynamic {
		for _, n := range l.exports(r) {
			names[n] = l.exportGetter(r, n)
			keys = append(keys, n)
			_ = target.DefineDataProperty(n, goja.Undefined(), goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
		}
		keys = append(keys, goja.SymToStringTag)
	}
	_ = target.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue("Module"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	if !dynamic {
		_, _ = l.in.preventExtensions(goja.Undefined(), target)
	}
	has := func(name string) bool {
		if dynamic {
			return slices.Contains(l.dynamicExports(r), name)
		}
		_, ok := names[name]
		return ok
	}
	value := func(name string) goja.Value {
		if dynamic {
			return l.bindingValue(r, name)
		}
		return names[name]()
	}
	get := func(name string) goja.Value {
		if !has(name) {
			return goja.Undefined()
		}
		return value(name)
	}
	desc := func(name string) goja.PropertyDescriptor {
		if !has(name) {
			return goja.PropertyDescriptor{}
		}
		configurable := goja.FLAG_FALSE
		if dynamic {
			configurable = goja.FLAG_TRUE // the target has no such property
		}
		return goja.PropertyDescriptor{Value: value(name), Writable: goja.FLAG_TRUE, Enumerable: goja.FLAG_TRUE, Configurable: configurable}
	}
	define := func(name string, d goja.PropertyDescriptor) bool {
		// https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-defineownproperty-p-desc
		if !has(name) {
			return false
		}
		current := value(name)
		if d.Configurable == goja.FLAG_TRUE || d.Enumerable == goja.FLAG_FALSE || d.IsAccessor() || d.Writable == goja.FLAG_FALSE {
			return false
		}
		if d.Value != nil {
			return d.Value.SameAs(current)
		}
		return true
	}
	idx := strconv.Itoa
	p := vm.NewProxy(target, &goja.ProxyTrapConfig{
		Get:                         func(_ *goja.Object, name string, _ goja.Value) goja.Value { return get(name) },
		GetIdx:                      func(_ *goja.Object, i int, _ goja.Value) goja.Value { return get(idx(i)) },
		GetOwnPropertyDescriptor:    func(_ *goja.Object, name string) goja.PropertyDescriptor { return desc(name) },
		GetOwnPropertyDescriptorIdx: func(_ *goja.Object, i int) goja.PropertyDescriptor { return desc(idx(i)) },
		DefineProperty:              func(_ *goja.Object, name string, d goja.PropertyDescriptor) bool { return define(name, d) },
		DefinePropertyIdx:           func(_ *goja.Object, i int, d goja.PropertyDescriptor) bool { return define(idx(i), d) },
		Set:                         func(*goja.Object, string, goja.Value, goja.Value) bool { return false },
		SetIdx:                      func(*goja.Object, int, goja.Value, goja.Value) bool { return false },
		Has:                         func(_ *goja.Object, name string) bool { return has(name) },
		HasIdx:                      func(_ *goja.Object, i int) bool { return has(idx(i)) },
		DeleteProperty:              func(_ *goja.Object, name string) bool { return !has(name) },
		DeletePropertyIdx:           func(_ *goja.Object, i int) bool { return !has(idx(i)) },
		OwnKeys: func(*goja.Object) *goja.Object {
			if !dynamic {
				return vm.NewArray(keys...)
			}
			var ks []any
			for _, n := range l.dynamicExports(r) {
				ks = append(ks, n)
			}
			return vm.NewArray(append(ks, goja.SymToStringTag)...)
		},
	})
	r.namespace = vm.ToValue(p).ToObject(vm)
	return r.namespace
}

// exportGetter returns what reads the export name of r, a source text
// module, for its namespace: the binding it resolves to, found once.
func (l *Linker) exportGetter(r *record, name string) func() goja.Value {
	b, ok, _ := r.m.ResolveExport(name)
	if !ok {
		return goja.Undefined
	}
	target := l.records[b.Module.Key]
	if b.Namespace {
		return func() goja.Value { return l.namespace(target) }
	}
	return func() goja.Value { return l.bindingValue(target, b.Name) }
}
