package bindings

import (
	"strconv"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// learn installs bs in env at once, recording what each Register does to the
// global object: the properties it defines, changes or deletes, and whether
// it sets the prototype (see Defer).
func learn(env *Env, bs []*Binding) (*profile, error) {
	r := env.Realm
	// What the realm defers itself comes first, as in an eager realm.
	if err := r.DefineAll(); err != nil {
		return nil, err
	}
	w := newWatcher(r)
	p := &profile{names: make(map[string][]*Binding), inherited: make(map[string]bool), settles: make(map[*Binding]bool)}
	defines := make(map[*Binding]bool)
	env.onInstall = func(b *Binding) {
		p.all = append(p.all, b)
		w.diff(func(name string, sym *goja.Symbol, now *prop) {
			defines[b] = true
			switch {
			case name == "" && sym == nil:
				p.proto = append(p.proto, b)
			case sym != nil && now == nil && w.builtinSyms[sym]:
				// goja's @@toStringTag gives way to the interface's.
				p.dropped = append(p.dropped, sym)
			case sym != nil || w.builtin[name]:
				// goja's own global: it stays in place, so whatever changes
				// it must be installed before script can see it.
				p.early = appendOnce(p.early, b)
			default:
				if now != nil && now.settles() {
					p.settles[b] = true
				}
				p.names[name] = appendOnce(p.names[name], b)
			}
		})
	}
	err := Install(env, bs...)
	env.onInstall = nil
	if err != nil {
		return nil, err
	}
	for _, b := range p.all {
		// One that defines nothing comes with what it Extends, if anything.
		// One that settles the global object does it before script can ask
		// it about the accessor (webidl's global.go).
		if b.Eager || !defines[b] && len(b.Extends) == 0 || p.settles[b] {
			p.early = appendOnce(p.early, b)
		}
	}
	p.early = inOrder(p.early, p.all)
	p.extendedBy = make(map[*Binding][]*Binding)
	for _, b := range p.all {
		for _, x := range b.Extends {
			p.extendedBy[x] = append(p.extendedBy[x], b)
		}
	}
	g := r.Global()
	p.order = g.GetOwnPropertyNames()
	for o := g.Prototype(); o != nil && o != w.initialProto; o = o.Prototype() {
		for _, name := range o.GetOwnPropertyNames() {
			p.inherited[name] = true
		}
	}
	return p, nil
}

// A watcher follows the own properties and the prototype of a realm's
// global object, before script runs.
type watcher struct {
	vm            *goja.Runtime
	g             *goja.Object
	gopd, symbols goja.Callable
	props         map[string]*prop
	syms          map[*goja.Symbol]*prop
	proto         *goja.Object
	initialProto  *goja.Object
	builtin       map[string]bool // goja's own
	builtinSyms   map[*goja.Symbol]bool
}

// prop is what the watcher knows of a property.
type prop struct {
	accessor, configurable bool
	value                  goja.Value   // of a data property
	desc                   *goja.Object // the descriptor, for accessors and symbols
}

// settles reports whether p is a non-configurable accessor.
func (p *prop) settles() bool { return p.accessor && !p.configurable }

func newWatcher(r *webidl.Realm) *watcher {
	in := webidl.Intrinsics{VM: r.VM()}
	w := &watcher{
		vm: r.VM(), g: r.Global(),
		gopd:        in.Func("Reflect", "getOwnPropertyDescriptor"),
		symbols:     in.Func("Object", "getOwnPropertySymbols"),
		props:       make(map[string]*prop),
		syms:        make(map[*goja.Symbol]*prop),
		builtin:     make(map[string]bool),
		builtinSyms: make(map[*goja.Symbol]bool),
	}
	w.diff(func(name string, sym *goja.Symbol, _ *prop) {
		if sym != nil {
			w.builtinSyms[sym] = true
		} else {
			w.builtin[name] = true
		}
	})
	w.initialProto = w.proto
	return w
}

// diff calls changed for each property defined, changed or deleted since it
// last ran (now is nil for a deleted one), and with "" and nil if the
// prototype changed. A data property is compared by value, which reading
// runs no script: only accessors and symbols are described again.
func (w *watcher) diff(changed func(name string, sym *goja.Symbol, now *prop)) {
	if p := w.g.Prototype(); p != w.proto {
		w.proto = p
		changed("", nil, nil)
	}
	names := w.g.GetOwnPropertyNames()
	seen := make(map[string]bool, len(names))
	for _, name := range names {
		seen[name] = true
		old, ok := w.props[name]
		if ok && !old.accessor && old.value.SameAs(w.g.Get(name)) {
			continue
		}
		now := w.describe(w.vm.ToValue(name))
		if ok && old.accessor && now.accessor && sameDescriptor(old.desc, now.desc) {
			continue
		}
		w.props[name] = now
		changed(name, nil, now)
	}
	for name := range w.props {
		if !seen[name] {
			delete(w.props, name)
			changed(name, nil, nil)
		}
	}
	w.diffSymbols(changed)
}

func (w *watcher) diffSymbols(changed func(name string, sym *goja.Symbol, now *prop)) {
	v, err := w.symbols(goja.Undefined(), w.g)
	if err != nil {
		panic(err)
	}
	a := v.(*goja.Object)
	seen := make(map[*goja.Symbol]bool)
	for i := int64(0); i < a.Get("length").ToInteger(); i++ {
		sym := a.Get(strconv.FormatInt(i, 10)).(*goja.Symbol)
		seen[sym] = true
		now := w.describe(sym)
		if old, ok := w.syms[sym]; ok && sameDescriptor(old.desc, now.desc) {
			continue
		}
		w.syms[sym] = now
		changed("", sym, now)
	}
	for sym := range w.syms {
		if !seen[sym] {
			delete(w.syms, sym)
			changed("", sym, nil)
		}
	}
}

// describe reads the global object's own property key.
func (w *watcher) describe(key goja.Value) *prop {
	d, err := w.gopd(goja.Undefined(), w.g, key)
	if err != nil {
		panic(err)
	}
	o := d.(*goja.Object)
	p := &prop{desc: o, configurable: o.Get("configurable").ToBoolean()}
	if o.Get("get") != nil || o.Get("set") != nil {
		p.accessor = true
	} else {
		p.value = o.Get("value")
	}
	return p
}

// sameDescriptor reports whether two property descriptors (objects from
// Reflect.getOwnPropertyDescriptor) describe the same property.
func sameDescriptor(a, b *goja.Object) bool {
	for _, k := range []string{"value", "get", "set", "writable", "enumerable", "configurable"} {
		x, y := a.Get(k), b.Get(k)
		if (x == nil) != (y == nil) || x != nil && !x.SameAs(y) {
			return false
		}
	}
	return true
}
