package webidl

import (
	"fmt"

	"github.com/dop251/goja"
)

// A realm's global object defines most of its properties on first use: an
// interface object, a namespace or an operation of the global object is made
// when script (or Go code) first touches its name, not when the realm is
// created, and no script can tell the difference. The mechanism:
//
//   - The global object scripts see is a Proxy (P) whose target (T) is goja's
//     own global object. P's traps define what is pending before any
//     operation that could observe it: getOwnPropertyDescriptor (and so
//     hasOwnProperty, the declarations of global variables and functions),
//     deleteProperty, ownKeys (Object.keys, for-in, Reflect.ownKeys...),
//     preventExtensions (freeze, seal), getPrototypeOf and setPrototypeOf.
//     Reads of properties T has go straight to T: P has no get trap.
//   - While something is pending, T's [[Prototype]] is a second Proxy (H),
//     through which goja looks up a name T does not have: an unqualified
//     identifier, a property read, an assignment, the in operator. H defines
//     the name if it is pending and otherwise forwards to the prototype P
//     reports. Nothing but T's own lookups ever reaches H.
//   - goja checks what a Proxy's traps report against its target, and
//     wrongly refuses a non-configurable accessor property (it finds a
//     descriptor incompatible when its getter is the same). So P has no
//     defineProperty trap: Object.defineProperty, Object.defineProperties
//     and Reflect.defineProperty are wrapped instead (Prepare), to define a
//     pending name of the global object before they define it again. And
//     as soon as the global object has a non-configurable accessor (such as
//     window), the realm defines everything pending, which leaves P without
//     the traps that would report it (see Realm.DefineAll).
//   - ownKeys lists the properties in the order an eager realm has them,
//     whatever order they were defined in: the Deferral gives that order.
//
// What is pending, and how it is defined, a Deferral says (see Defer); the
// realm itself defers DOMException. Once nothing is pending (DefineAll),
// H is gone and P keeps only the traps that keep the key order. Even
// without traps, each lookup of a global through P costs goja's Proxy
// dispatch: a realm that defers nothing (Eager) drops P before anything
// sees it and keeps T as its global object.
//
// P's traps forward to T through goja's Go API and through the Reflect
// functions captured before script runs. An assignment to a global variable
// would make goja ask P for the property's descriptor and redefine it, as
// ordinary [[Set]] does when the receiver (P) is not the target (T); P's set
// trap takes the steps itself, and assigns at once the properties it has
// seen to be T's own writable data properties since anything could last
// have changed them.
//
// What a script can still tell while something is pending, all of it goja's
// doing with Proxies: a failed assignment or delete in strict code throws
// the TypeError of a Proxy trap that returned false, with another message;
// a script that gives Object.prototype a get, set, value, writable,
// enumerable or configurable property has goja misread the descriptors P
// reports, for declarations of globals and getOwnPropertyDescriptor on the
// global object; and looking up a name the global object does not have
// anywhere (typeof of an undefined global) takes a Reflect.has, about a
// microsecond.

// A Deferral tells a realm which properties of its global object, and
// whether its prototype, are defined on first use, and defines them. Its
// methods run on the realm's goroutine, from inside goja.
type Deferral interface {
	// Order is the global object's own string-keyed properties in the order
	// an eager realm has them, pending ones included.
	Order() []string
	// Pending reports whether the property name is defined on first use and
	// not defined yet.
	Pending(name string) bool
	// Define defines the pending property name, with whatever comes with it.
	Define(name string) error
	// PrototypePending reports whether the global object's prototype is set
	// on first use and not set yet; DefinePrototype sets it.
	PrototypePending() bool
	DefinePrototype() error
	// Inherited reports whether an eager realm's global object inherits a
	// property called name from a prototype DefinePrototype brings.
	Inherited(name string) bool
	// DefineAll defines every pending property and the prototype.
	DefineAll() error
}

// global is the state of a realm's global object.
type global struct {
	r      *Realm
	proxy  *goja.Object // P, the global object
	target *goja.Object // T, goja's global object, which holds the properties
	traps  goja.ProxyTrapConfig
	// proto is the prototype the global object has: T's [[Prototype]] once
	// nothing is pending; until then T's is the hook.
	proto *goja.Object
	hook  *goja.Object // H, while deferring
	null  *goja.Object // H's target: empty, without a prototype
	// d defers the properties of the bindings; domPending is DOMException,
	// which the realm defers itself.
	d          Deferral
	domPending bool
	// order is Deferral.Order; displaced, the names in it deleted since,
	// which no longer come first.
	order     []string
	displaced map[string]bool
	// assigned holds the names of T's own writable data properties that
	// P's set trap assigns at once, while deferring (see forget).
	assigned map[string]bool
	// all holds every trap of P, made once; setTraps copies those needed.
	all goja.ProxyTrapConfig
	// given reports that Realm.Global has returned P; plain, that Eager
	// made T the global object instead.
	given, plain bool
}

// newGlobal makes the realm's global object the Proxy over goja's. It must
// run before anything reads goja's globalThis, whose value goja fixes on
// first read.
func (r *Realm) newGlobal() {
	vm := r.vm
	g := &global{r: r, target: vm.GlobalObject()}
	g.proto = g.target.Prototype()
	g.proxy = vm.ToValue(vm.NewProxy(g.target, &g.traps)).(*goja.Object)
	vm.SetGlobalObject(g.proxy)
	r.global = g.proxy
	r.g = g
}

// Defer has the realm define the global properties d says are pending on
// first use. It must be called before script runs, at most once.
func (r *Realm) Defer(d Deferral) {
	g := r.g
	g.d = d
	g.order = d.Order()
	g.startDeferring()
}

// DefineAll defines every property of the global object that is pending,
// and its prototype. A realm must not defer once its global object has a
// non-configurable accessor property (see above): call DefineAll when Go
// code defines one.
func (r *Realm) DefineAll() error {
	return r.g.defineAll()
}

// Eager has the realm define everything at once and never defer, as
// DefineAll does, and, when nothing has been given its global object yet
// (Global has not returned it, and nothing but the realm has read vm's
// global object since NewRealm), makes goja's own global object the realm's
// global object again, without the Proxy: looking up a global then costs
// what it costs in goja, and script can tell nothing of global.go. Call it
// instead of Defer, before any script runs.
func (r *Realm) Eager() error {
	g := r.g
	if !g.given && g.d == nil && !r.prepared && r.vm.GlobalObject() == g.proxy {
		r.vm.SetGlobalObject(g.target)
		r.global, g.plain = g.target, true
	}
	return g.defineAll()
}

// Defined tells the realm that Go code (a binding being installed) defined
// or changed properties of the global object.
func (r *Realm) Defined() { r.g.forget() }

// IsGlobal reports whether v is the realm's global object. Go code that
// treats Proxies apart (inspecting, cloning) must not treat the global
// object as one.
func (r *Realm) IsGlobal(v goja.Value) bool {
	o, ok := v.(*goja.Object)
	return ok && o == r.global
}

// Target returns goja's own global object, which holds the properties of
// the global object (see above). It is for learning what bindings define,
// before script runs, and for reading an own property that no binding
// defines on first use without the traps (goja reads what a trap reports
// through Object.prototype); no value script can reach may come from it.
func (r *Realm) Target() *goja.Object { return r.g.target }

func (g *global) deferring() bool { return g.hook != nil }

func (g *global) startDeferring() {
	vm := g.r.vm
	if g.hook == nil {
		g.null = vm.CreateObject(nil)
		g.hook = vm.ToValue(vm.NewProxy(g.null, &goja.ProxyTrapConfig{
			Get:    g.hookGet,
			GetSym: g.hookGetSym,
			Has:    g.hookHas,
			HasSym: g.hookHasSym,
			Set:    g.hookSet,
			SetSym: g.hookSetSym,
		})).(*goja.Object)
		if err := g.target.SetPrototype(g.hook); err != nil {
			panic(err)
		}
	}
	g.setTraps()
}

// setTraps gives P the traps its state needs, and no others: goja forwards
// the operations without a trap to T at full speed.
func (g *global) setTraps() {
	a, t := &g.all, &g.traps
	if a.OwnKeys == nil {
		*a = goja.ProxyTrapConfig{
			GetOwnPropertyDescriptor: g.getOwnPropertyDescriptor,
			Set:                      g.set,
			GetPrototypeOf:           g.getPrototypeOf,
			SetPrototypeOf:           g.setPrototypeOf,
			PreventExtensions:        g.preventExtensions,
			DeleteProperty:           g.deleteProperty,
			OwnKeys:                  g.ownKeys,
		}
	}
	*t = goja.ProxyTrapConfig{}
	if g.deferring() {
		*t = *a
	} else if g.order != nil {
		t.DeleteProperty, t.OwnKeys = a.DeleteProperty, a.OwnKeys
	}
}

// pending reports whether name is a property to define on first use.
func (g *global) pending(name string) bool {
	if !g.deferring() {
		return false
	}
	if g.domPending && name == "DOMException" {
		return true
	}
	return g.d != nil && g.d.Pending(name)
}

// resolve defines name if it is pending.
func (g *global) resolve(name string) {
	if !g.pending(name) {
		return
	}
	if g.domPending && name == "DOMException" {
		g.domPending = false
		g.r.defineDOMException()
	} else {
		g.check(g.d.Define(name))
	}
	g.forget()
}

// resolvePrototype sets the global object's prototype if that is pending.
func (g *global) resolvePrototype() {
	if g.deferring() && g.d != nil && g.d.PrototypePending() {
		g.check(g.d.DefinePrototype())
		g.forget()
	}
}

// forget drops what the set trap knew of T's properties: something may
// have redefined them.
func (g *global) forget() { clear(g.assigned) }

// check throws err, a failure to install a web API, into script.
func (g *global) check(err error) {
	if err != nil {
		panic(g.r.vm.NewGoError(fmt.Errorf("webidl: defining a global: %w", err)))
	}
}

func (g *global) defineAll() error {
	if !g.deferring() {
		return nil
	}
	if g.domPending {
		g.domPending = false
		g.r.defineDOMException()
	}
	if g.d != nil {
		if err := g.d.DefineAll(); err != nil {
			return err
		}
	}
	// Nothing is pending: T inherits from the prototype itself, and P
	// forwards to T.
	g.hook, g.assigned = nil, nil
	if err := g.target.SetPrototype(g.proto); err != nil {
		return err
	}
	g.setTraps()
	return nil
}

// The traps of P.

func (g *global) getOwnPropertyDescriptor(t *goja.Object, name string) goja.PropertyDescriptor {
	g.resolve(name)
	// A declaration of a global variable or function may redefine it next.
	delete(g.assigned, name)
	return g.r.intr().trapDescriptor(t, name)
}

func (g *global) deleteProperty(t *goja.Object, name string) bool {
	g.resolve(name)
	if err := t.Delete(name); err != nil {
		return false
	}
	delete(g.assigned, name)
	if g.order != nil {
		if g.displaced == nil {
			g.displaced = make(map[string]bool)
		}
		g.displaced[name] = true
	}
	return true
}

// set is [[Set]] on the global object. The properties known to be T's own
// writable data properties are assigned at once. Otherwise, with P as the
// receiver, it takes the steps of OrdinarySet
// (https://tc39.es/ecma262/#sec-ordinaryset) itself, reading descriptors
// with the Reflect function captured before script ran: goja's own steps
// would ask P for the property's descriptor, and goja reads what a trap
// returns through an object that inherits from Object.prototype, which
// script may have changed.
func (g *global) set(t *goja.Object, name string, v, receiver goja.Value) bool {
	if receiver != goja.Value(g.proxy) {
		return g.r.intr().reflectSet(t, g.r.vm.ToValue(name), v, receiver)
	}
	if g.assigned[name] {
		return t.Set(name, v) == nil
	}
	in := g.r.intr()
	g.resolve(name)
	d := in.describe(t, name)
	if d.Empty() {
		// Not T's: up the prototype chain, to a setter, a read-only
		// property or nothing, which lets the assignment define it.
		for p := g.inheritFrom(name); p != nil && p != g.null; p = p.Prototype() {
			if p.ExportType() == proxyType {
				return in.reflectSet(p, g.r.vm.ToValue(name), v, receiver)
			}
			if d = in.describe(p, name); !d.Empty() {
				break
			}
		}
		if d.Empty() || d.Writable == goja.FLAG_TRUE {
			if t.DefineDataProperty(name, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE) != nil {
				return false
			}
			g.remember(name)
			return true
		}
	}
	switch {
	case d.Getter != nil || d.Setter != nil:
		set, ok := goja.AssertFunction(d.Setter)
		if !ok {
			return false
		}
		if _, err := set(g.proxy, v); err != nil {
			panic(err)
		}
		return true
	case d.Writable != goja.FLAG_TRUE:
		return false
	}
	if t.Set(name, v) != nil {
		return false
	}
	g.remember(name)
	return true
}

// remember notes that name is T's own writable data property, for set.
func (g *global) remember(name string) {
	if !g.deferring() {
		return
	}
	if g.assigned == nil {
		g.assigned = make(map[string]bool)
	}
	g.assigned[name] = true
}

func (g *global) getPrototypeOf(*goja.Object) *goja.Object {
	g.resolvePrototype()
	return g.proto
}

func (g *global) setPrototypeOf(t *goja.Object, proto *goja.Object) bool {
	g.resolvePrototype()
	// An ordinary object's [[SetPrototypeOf]] refuses a cycle; T's check
	// cannot see one through P.
	for p, i := proto, 0; p != nil && i < 1<<16; p, i = p.Prototype(), i+1 {
		if p == g.proxy || p == t {
			return false
		}
	}
	if !g.deferring() {
		if err := t.SetPrototype(proto); err != nil {
			return false
		}
	}
	g.proto = proto
	return true
}

func (g *global) preventExtensions(t *goja.Object) bool {
	g.check(g.defineAll())
	return g.r.intr().preventExtensions(t)
}

// ownKeys lists T's keys with the integer keys first, then the names of
// Deferral.Order that T has and script has not deleted, in that order, then
// the other names and the symbols, each in T's order.
func (g *global) ownKeys(t *goja.Object) *goja.Object {
	g.check(g.defineAll())
	keys := g.r.intr().ownKeys(t)
	present := make(map[string]bool, len(keys))
	for _, k := range keys {
		if s, ok := k.(goja.String); ok {
			present[s.String()] = true
		}
	}
	inOrder := make(map[string]bool, len(g.order))
	out := make([]any, 0, len(keys))
	for _, k := range keys {
		if s, ok := k.(goja.String); ok && isArrayIndex(s.String()) {
			out = append(out, k)
		}
	}
	for _, name := range g.order {
		if present[name] && !g.displaced[name] && !isArrayIndex(name) {
			inOrder[name] = true
			out = append(out, name)
		}
	}
	var syms []any
	for _, k := range keys {
		s, ok := k.(goja.String)
		switch {
		case !ok:
			syms = append(syms, k)
		case !inOrder[s.String()] && !isArrayIndex(s.String()):
			out = append(out, k)
		}
	}
	return g.r.vm.NewArray(append(out, syms...)...)
}

// isArrayIndex reports whether s is an array index, which ordinary objects
// list first.
func isArrayIndex(s string) bool {
	if s == "" || len(s) > 10 || s != "0" && s[0] == '0' {
		return false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		n = n*10 + uint64(s[i]-'0')
	}
	return n < 1<<32-1
}

// The traps of H, reached only by T's lookups of names T does not have.

func (g *global) hookGet(_ *goja.Object, name string, receiver goja.Value) goja.Value {
	in := g.r.intr()
	key := g.r.vm.ToValue(name)
	if g.pending(name) {
		g.resolve(name)
		return in.reflectGet(g.target, key, receiver)
	}
	p := g.inheritFrom(name)
	if !in.reflectHas(p, key) {
		return nil // absent: an unqualified read is a ReferenceError
	}
	return in.reflectGet(p, key, receiver)
}

func (g *global) hookGetSym(_ *goja.Object, s *goja.Symbol, receiver goja.Value) goja.Value {
	g.resolvePrototype()
	return g.r.intr().reflectGet(g.parent(), s, receiver)
}

func (g *global) hookHas(_ *goja.Object, name string) bool {
	in := g.r.intr()
	key := g.r.vm.ToValue(name)
	if g.pending(name) {
		g.resolve(name)
		return in.reflectHas(g.target, key)
	}
	return in.reflectHas(g.inheritFrom(name), key)
}

func (g *global) hookHasSym(_ *goja.Object, s *goja.Symbol) bool {
	g.resolvePrototype()
	return g.r.intr().reflectHas(g.parent(), s)
}

func (g *global) hookSet(_ *goja.Object, name string, v, receiver goja.Value) bool {
	if receiver == goja.Value(g.proxy) {
		return g.set(g.target, name, v, receiver)
	}
	in := g.r.intr()
	key := g.r.vm.ToValue(name)
	if g.pending(name) {
		g.resolve(name)
		return in.reflectSet(g.target, key, v, receiver)
	}
	return in.reflectSet(g.inheritFrom(name), key, v, receiver)
}

func (g *global) hookSetSym(_ *goja.Object, s *goja.Symbol, v, receiver goja.Value) bool {
	g.resolvePrototype()
	return g.r.intr().reflectSet(g.parent(), s, v, receiver)
}

// inheritFrom returns the object T's lookup of name continues on: the
// global object's prototype, set first if an eager realm's would have name.
func (g *global) inheritFrom(name string) *goja.Object {
	if g.d != nil && g.d.Inherited(name) {
		g.resolvePrototype()
	}
	return g.parent()
}

// parent returns the global object's prototype, or for none an empty object
// without one, on which lookups find nothing and assignments define the
// property on the receiver.
func (g *global) parent() *goja.Object {
	if g.proto == nil {
		return g.null
	}
	return g.proto
}

// wrapDefiners replaces Object.defineProperty, Object.defineProperties and
// Reflect.defineProperty with functions that, given the global object,
// first define the pending names they are asked to define (P has no
// defineProperty trap). They are built-in functions of the same name and
// length, so that script sees goja's.
func (g *global) wrapDefiners() {
	vm := g.r.vm
	for _, w := range []struct {
		holder, name string
		length       int
		keys         func(c goja.FunctionCall) []string
	}{
		{"Object", "defineProperty", 3, g.keyArg},
		{"Reflect", "defineProperty", 3, g.keyArg},
		{"Object", "defineProperties", 2, g.propsKeys},
	} {
		holder := lookup(vm, g.target, []string{w.holder}).(*goja.Object)
		orig, _ := goja.AssertFunction(holder.Get(w.name))
		keys := w.keys
		f := NewFunction(vm, w.name, w.length, func(c goja.FunctionCall) goja.Value {
			// The keys of the global object's properties to define.
			var ks []string
			if o, ok := c.Argument(0).(*goja.Object); ok && o == g.proxy {
				ks = keys(c)
				for _, k := range ks {
					g.resolve(k)
					delete(g.assigned, k)
				}
			}
			v, err := orig(c.This, c.Arguments...)
			if err != nil {
				panic(err)
			}
			if g.deferring() {
				for _, k := range ks {
					if d := g.r.intr().describe(g.target, k); d.Configurable == goja.FLAG_FALSE && (d.Getter != nil || d.Setter != nil) {
						g.check(g.defineAll())
					}
				}
			}
			return v
		})
		if err := holder.DefineDataProperty(w.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			panic(err)
		}
	}
}

// keyArg returns the property key argument of defineProperty when it is a
// string (a symbol is never pending). Converting it runs no script unless
// it is an object, whose conversion the wrapped function would run too:
// then nothing is resolved, and the key's own conversion decides.
func (g *global) keyArg(c goja.FunctionCall) []string {
	if s, ok := c.Argument(1).(goja.String); ok {
		return []string{s.String()}
	}
	return nil
}

// propsKeys returns the own enumerable string keys of defineProperties'
// second argument when it is an ordinary object, which reading runs no
// script.
func (g *global) propsKeys(c goja.FunctionCall) []string {
	o, ok := c.Argument(1).(*goja.Object)
	if !ok || o.ExportType() == proxyType {
		return nil
	}
	return o.Keys()
}
