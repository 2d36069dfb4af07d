package bindings

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// Defer installs bs in env.Realm on first use: each binding (with what it
// needs) when script, or Go code, first touches a global property it
// defines, or anything on the global object that could tell whether it is
// there (see webidl's global.go); the bindings marked Eager, and those that
// change a built-in global goja defines, at Prepare. Until then a binding
// costs nothing.
//
// Which global properties each binding defines is learned once per process
// for each kind of global object, list of bindings (the same slice, passed
// each time) and what their Key functions return: the first env deferred
// with them installs bs at once, on goja's own global object
// (webidl.Realm.Eager: a process that makes one runtime, as the command
// line does, learns nothing and pays nothing for the Proxy), the second
// too, looking at what each Register does to the global object, and later
// ones defer. Defer must be
// called before any script runs in the realm, and Prepare before the first
// one does.
func Defer(env *Env, bs ...*Binding) error {
	env.Realm.SetData(envKey{}, env)
	pk := keyOf(env, bs)
	profiles.Lock()
	p, state := profiles.m[pk], profiles.state[pk]
	if p == nil && state != learning {
		if profiles.state == nil {
			profiles.state = make(map[profileKey]int)
		}
		profiles.state[pk]++
	}
	profiles.Unlock()
	switch {
	case p != nil:
		env.lazy = p
		for _, sym := range p.dropped {
			if err := env.Realm.Target().DeleteSymbol(sym); err != nil {
				return err
			}
		}
		env.Realm.Defer(deferral{env, p})
		return nil
	case state != seen:
		// The first of its kind (a process may make only one, as the
		// command line does: it need not learn), or another env is
		// learning: install at once, on goja's own global object.
		if err := env.Realm.Eager(); err != nil {
			return err
		}
		return Install(env, bs...)
	}
	p, err := learn(env, bs)
	profiles.Lock()
	if err == nil {
		if profiles.m == nil {
			profiles.m = make(map[profileKey]*profile)
		}
		profiles.m[pk] = p
	} else {
		profiles.state[pk] = seen
	}
	profiles.Unlock()
	return err
}

// The states of a profile not learned yet: no env of its kind made, one
// made, one learning.
const (
	unseen = iota
	seen
	learning
)

// Prepare installs, before env's first script runs, the deferred bindings
// that cannot wait for first use, and has env.Realm capture the intrinsics
// bindings installed later need (webidl.Realm.Prepare). Calling it again
// does nothing.
func Prepare(env *Env) error {
	if env.prepared {
		return nil
	}
	env.prepared = true
	// The intrinsics first, as goja made them: the eager bindings change
	// some (builtins replaces ArrayBuffer...), which bindings installed
	// before them in an eager realm did not see either.
	env.Realm.Prepare()
	if p := env.lazy; p != nil {
		for _, b := range p.early {
			if err := env.install(b, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// envKey keys, in the data of a realm whose bindings are deferred, their Env.
type envKey struct{}

// Require installs b in r now if r's bindings are deferred (see Defer) and b
// is not installed yet. A binding whose package functions other bindings, or
// the host, call at run time, without listing it in their Needs, calls
// Require with its own Binding where those functions look for its state in
// the realm. It runs on the realm's goroutine.
func Require(r *webidl.Realm, b *Binding) error {
	env, ok := r.Data(envKey{}).(*Env)
	if !ok {
		return nil
	}
	return env.install(b, nil)
}

type profileKey struct {
	global Global
	list   listID
	keys   string // what the Key functions return
	loop   bool
}

// listID identifies a list of bindings by its elements' storage: callers
// pass the same slice every time.
type listID struct {
	first **Binding
	n     int
}

// keyed caches, for each list, the bindings of its closure that have a Key.
var keyed sync.Map // listID -> []*Binding

// keyOf identifies bs with what their Key functions say of env.
func keyOf(env *Env, bs []*Binding) profileKey {
	k := profileKey{global: env.Global, loop: env.Loop != nil}
	if len(bs) == 0 {
		return k
	}
	k.list = listID{&bs[0], len(bs)}
	v, ok := keyed.Load(k.list)
	if !ok {
		var list []*Binding
		seen := make(map[*Binding]bool)
		var walk func(x *Binding)
		walk = func(x *Binding) {
			if seen[x] {
				return
			}
			seen[x] = true
			for _, n := range x.Needs {
				walk(n)
			}
			if x.Key != nil {
				list = append(list, x)
			}
		}
		for _, x := range bs {
			walk(x)
		}
		v, _ = keyed.LoadOrStore(k.list, list)
	}
	var b strings.Builder
	for _, x := range v.([]*Binding) {
		switch v := x.Key(env).(type) {
		case bool:
			b.WriteString(strconv.FormatBool(v))
		default:
			fmt.Fprint(&b, v)
		}
		b.WriteByte(' ')
	}
	k.keys = b.String()
	return k
}

// profiles holds what was learned, by kind of global object and key, and
// the state of what was not.
var profiles struct {
	sync.Mutex
	m     map[profileKey]*profile
	state map[profileKey]int
}

// A profile is what an eager install of a list of bindings did to the
// global object.
type profile struct {
	all   []*Binding            // in the order they installed
	names map[string][]*Binding // what defines or changes each global property
	proto []*Binding            // what set the global object's prototype
	// inherited are the names the global object inherits from the
	// prototypes proto brings.
	inherited map[string]bool
	// early are the bindings Prepare installs: those marked Eager, those that
	// changed a property goja's global object has from the start (it cannot be
	// deferred), those that define no global property and extend nothing
	// (nothing would trigger them) and those in settles.
	early []*Binding
	order []string // the global object's own string keys in the end
	// extendedBy lists, for each binding, those that Extend it.
	extendedBy map[*Binding][]*Binding
	// dropped are symbol-keyed properties of goja's global object that a
	// binding deletes, which Defer deletes at once: looking one up then
	// goes on to the prototype, which the binding brings (goja's
	// @@toStringTag, "global", gives way to the interface's).
	dropped []*goja.Symbol
	// settles holds the bindings that define a non-configurable accessor on
	// the global object (window): once one is installed, everything is
	// (webidl.Realm.DefineAll).
	settles map[*Binding]bool
}

func appendOnce(list []*Binding, b *Binding) []*Binding {
	for _, x := range list {
		if x == b {
			return list
		}
	}
	return append(list, b)
}

// inOrder returns the bindings of set in the order of all.
func inOrder(set, all []*Binding) []*Binding {
	in := make(map[*Binding]bool, len(set))
	for _, b := range set {
		in[b] = true
	}
	out := set[:0:0]
	for _, b := range all {
		if in[b] {
			out = append(out, b)
		}
	}
	return out
}

// deferral is how an env's realm defines the globals of its profile
// (webidl.Deferral).
type deferral struct {
	env *Env
	p   *profile
}

func (d deferral) Order() []string            { return d.p.order }
func (d deferral) Pending(name string) bool   { return d.pending(d.p.names[name]) }
func (d deferral) Define(name string) error   { return d.install(d.p.names[name]) }
func (d deferral) PrototypePending() bool     { return d.pending(d.p.proto) }
func (d deferral) DefinePrototype() error     { return d.install(d.p.proto) }
func (d deferral) Inherited(name string) bool { return d.p.inherited[name] }
func (d deferral) DefineAll() error           { return d.install(d.p.all) }

func (d deferral) pending(bs []*Binding) bool {
	for _, b := range bs {
		if !d.env.installed[b] && !d.env.installing[b] {
			return true
		}
	}
	return false
}

func (d deferral) install(bs []*Binding) error {
	for _, b := range bs {
		if err := d.env.install(b, nil); err != nil {
			return err
		}
	}
	return nil
}
