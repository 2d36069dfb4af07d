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
	n := &nsObject{l: l, r: r, dynamic: r.m.Kind == loader.CommonJS || r.m.Kind == loader.HostModule}
	target := vm.NewObject()
	_ = target.SetPrototype(nil)
	if !n.dynamic {
		n.names = map[string]func() goja.Value{}
		for _, name := range l.exports(r) {
			n.names[name] = l.exportGetter(r, name)
			n.keys = append(n.keys, name)
			_ = target.DefineDataProperty(name, goja.Undefined(), goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
		}
		n.keys = append(n.keys, goja.SymToStringTag)
	}
	_ = target.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue("Module"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	if !n.dynamic {
		_, _ = l.in.preventExtensions(goja.Undefined(), target)
	}
	r.namespace = vm.ToValue(vm.NewProxy(target, n.traps())).ToObject(vm)
	return r.namespace
}

// nsObject is what the traps of a namespace object know: for a static
// one, the getter of each export, resolved once, and its keys.
type nsObject struct {
	l       *Linker
	r       *record
	dynamic bool
	names   map[string]func() goja.Value
	keys    []any
}

func (n *nsObject) traps() *goja.ProxyTrapConfig {
	idx := strconv.Itoa
	return &goja.ProxyTrapConfig{
		Get:                         func(_ *goja.Object, name string, _ goja.Value) goja.Value { return n.get(name) },
		GetIdx:                      func(_ *goja.Object, i int, _ goja.Value) goja.Value { return n.get(idx(i)) },
		GetOwnPropertyDescriptor:    func(_ *goja.Object, name string) goja.PropertyDescriptor { return n.desc(name) },
		GetOwnPropertyDescriptorIdx: func(_ *goja.Object, i int) goja.PropertyDescriptor { return n.desc(idx(i)) },
		DefineProperty:              func(_ *goja.Object, name string, d goja.PropertyDescriptor) bool { return n.define(name, d) },
		DefinePropertyIdx:           func(_ *goja.Object, i int, d goja.PropertyDescriptor) bool { return n.define(idx(i), d) },
		Set:                         func(*goja.Object, string, goja.Value, goja.Value) bool { return false },
		SetIdx:                      func(*goja.Object, int, goja.Value, goja.Value) bool { return false },
		Has:                         func(_ *goja.Object, name string) bool { return n.has(name) },
		HasIdx:                      func(_ *goja.Object, i int) bool { return n.has(idx(i)) },
		DeleteProperty:              func(_ *goja.Object, name string) bool { return !n.has(name) },
		DeletePropertyIdx:           func(_ *goja.Object, i int) bool { return !n.has(idx(i)) },
		OwnKeys:                     func(*goja.Object) *goja.Object { return n.ownKeys() },
	}
}

func (n *nsObject) has(name string) bool {
	if n.dynamic {
		return slices.Contains(n.l.dynamicExports(n.r), name)
	}
	_, ok := n.names[name]
	return ok
}

// value returns the value of the export name, which has to be one.
func (n *nsObject) value(name string) goja.Value {
	if n.dynamic {
		return n.l.bindingValue(n.r, name)
	}
	return n.names[name]()
}

// get is [[Get]] (https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-get-p-receiver).
func (n *nsObject) get(name string) goja.Value {
	if !n.has(name) {
		return goja.Undefined()
	}
	return n.value(name)
}

// desc is [[GetOwnProperty]]
// (https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-getownproperty-p).
func (n *nsObject) desc(name string) goja.PropertyDescriptor {
	if !n.has(name) {
		return goja.PropertyDescriptor{}
	}
	configurable := goja.FLAG_FALSE
	if n.dynamic {
		configurable = goja.FLAG_TRUE // the target has no such property
	}
	return goja.PropertyDescriptor{Value: n.value(name), Writable: goja.FLAG_TRUE, Enumerable: goja.FLAG_TRUE, Configurable: configurable}
}

// define is [[DefineOwnProperty]]
// (https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-defineownproperty-p-desc).
func (n *nsObject) define(name string, d goja.PropertyDescriptor) bool {
	if !n.has(name) {
		return false
	}
	current := n.value(name)
	if d.Configurable == goja.FLAG_TRUE || d.Enumerable == goja.FLAG_FALSE || d.IsAccessor() || d.Writable == goja.FLAG_FALSE {
		return false
	}
	if d.Value != nil {
		return d.Value.SameAs(current)
	}
	return true
}

// ownKeys is [[OwnPropertyKeys]]
// (https://tc39.es/ecma262/#sec-module-namespace-exotic-objects-ownpropertykeys).
func (n *nsObject) ownKeys() *goja.Object {
	if !n.dynamic {
		return n.l.vm.NewArray(n.keys...)
	}
	var keys []any
	for _, name := range n.l.dynamicExports(n.r) {
		keys = append(keys, name)
	}
	return n.l.vm.NewArray(append(keys, goja.SymToStringTag)...)
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
