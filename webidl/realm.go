package webidl

import (
	"fmt"
	"runtime"
	"sync"
	"time"
	"weak"

	"github.com/dop251/goja"
)

// A Realm holds, for one goja.Runtime, the interface objects and interface
// prototype objects built by DefineInterface and the internal slots of the
// platform objects created in it. A Realm, like its goja.Runtime, must only be
// used from the goroutine that runs the runtime.
type Realm struct {
	vm     *goja.Runtime
	global *goja.Object
	g      *global
	ifaces map[string]*iface
	slots  *slotTable
	stamp  goja.Callable // makes an object hold its slots: see holdByObject
	origin time.Time
	base   string
	data   map[any]any
	dataMu sync.RWMutex
	// members holds the members DefineGlobalMembers defines when they are
	// not the global object's own: the interface prototype object of
	// membersOf, made before that interface is defined (GlobalMembersOn).
	members   *goja.Object
	membersOf string

	pairIters map[*PairIterable]*pairIterators // by the declaration, see defineIterable

	// in holds the intrinsics the realm uses, captured before script runs
	// (see intr), so that scripts that replace globals cannot change how
	// conversions behave; paths, those bindings look up (intrinsics.go).
	in       *realmIntrinsics
	paths    map[string]goja.Value
	prepared bool
	// immutable holds the immutable prototype exotic objects (immutable.go).
	immutable   map[*goja.Object]bool
	trampoline  goja.Callable
	viewAliases []func(o *goja.Object) *goja.Object

	// notIsolated: the cross-origin isolated capability is false (see
	// CrossOriginIsolated).
	notIsolated bool
}

// realms maps a goja.Runtime to its Realm without keeping either alive: the
// Realm is reachable from the runtime through the functions it installs.
var realms = struct {
	sync.Mutex
	m map[weak.Pointer[goja.Runtime]]weak.Pointer[Realm]
}{m: make(map[weak.Pointer[goja.Runtime]]weak.Pointer[Realm])}

// NewRealm creates the Realm of vm, whose global object it makes the Proxy of
// global.go, with the DOMException interface, defined on first use. vm must
// be fresh: nothing may have read its globalThis, and no script may run
// before the realm exists; the realm captures the built-in constructors and
// functions it uses when it first needs them or at Prepare, whichever comes
// first, which must be before script runs. If vm already has a Realm, that
// Realm is returned.
func NewRealm(vm *goja.Runtime) *Realm {
	if r := RealmOf(vm); r != nil {
		return r
	}
	r := &Realm{
		vm:     vm,
		ifaces: make(map[string]*iface),
		origin: time.Now(),
	}
	r.newGlobal()
	// DOMException is defined on first use, like the globals of bindings.
	r.g.domPending = true
	r.g.startDeferring()

	key := weak.Make(vm)
	realms.Lock()
	realms.m[key] = weak.Make(r)
	realms.Unlock()
	runtime.AddCleanup(vm, func(k weak.Pointer[goja.Runtime]) {
		realms.Lock()
		delete(realms.m, k)
		realms.Unlock()
	}, key)
	// The realm stays reachable as long as vm is: the global object's traps
	// capture it.
	return r
}

// RealmOf returns the Realm created by NewRealm for vm, or nil.
func RealmOf(vm *goja.Runtime) *Realm {
	realms.Lock()
	defer realms.Unlock()
	if p, ok := realms.m[weak.Make(vm)]; ok {
		return p.Value()
	}
	return nil
}

// SetData stores value under key for the lifetime of the realm, so that a
// binding can keep per-realm state (use an unexported key type). Data and
// SetData may be called from any goroutine: a runtime being closed reads
// what a binding installed on first use on the realm's own goroutine.
func (r *Realm) SetData(key, value any) {
	r.dataMu.Lock()
	defer r.dataMu.Unlock()
	if r.data == nil {
		r.data = make(map[any]any)
	}
	r.data[key] = value
}

// Data returns the value SetData stored under key, or nil.
func (r *Realm) Data(key any) any {
	r.dataMu.RLock()
	defer r.dataMu.RUnlock()
	return r.data[key]
}

// VM returns the runtime of the realm.
func (r *Realm) VM() *goja.Runtime { return r.vm }

// Global returns the realm's global object.
func (r *Realm) Global() *goja.Object {
	r.g.given = true // see Eager
	return r.global
}

// TimeOrigin returns the realm's time origin
// (https://html.spec.whatwg.org/multipage/webappapis.html#concept-settings-object-time-origin),
// from which Event.timeStamp and similar values are measured. It is the time
// NewRealm was called unless SetTimeOrigin changed it.
func (r *Realm) TimeOrigin() time.Time { return r.origin }

// SetTimeOrigin sets the realm's time origin.
func (r *Realm) SetTimeOrigin(t time.Time) { r.origin = t }

// APIBaseURL returns the API base URL of the realm's settings object
// (https://html.spec.whatwg.org/multipage/webappapis.html#api-base-url),
// against which web APIs parse relative URLs; "" until SetAPIBaseURL is called.
func (r *Realm) APIBaseURL() string { return r.base }

// SetAPIBaseURL sets the realm's API base URL, an absolute URL.
func (r *Realm) SetAPIBaseURL(u string) { r.base = u }

// CrossOriginIsolated reports the cross-origin isolated capability of the
// realm's settings object
// (https://html.spec.whatwg.org/multipage/webappapis.html#concept-settings-object-cross-origin-isolated-capability):
// true unless SetCrossOriginIsolated(false) was called. It decides the
// resolution of the realm's times (TimeResolution) and what web APIs allow,
// such as serializing a SharedArrayBuffer.
func (r *Realm) CrossOriginIsolated() bool { return !r.notIsolated }

// SetCrossOriginIsolated sets the realm's cross-origin isolated capability.
// Call it before script runs.
func (r *Realm) SetCrossOriginIsolated(isolated bool) { r.notIsolated = !isolated }

// TimeResolution returns the resolution "coarsen time"
// (https://w3c.github.io/hr-time/#dfn-coarsen-time) gives the realm's times:
// 5 microseconds if it is cross-origin isolated, 100 otherwise.
func (r *Realm) TimeResolution() time.Duration {
	if r.notIsolated {
		return 100 * time.Microsecond
	}
	return 5 * time.Microsecond
}

// Now returns the current high resolution time relative to the time origin,
// in milliseconds (DOMHighResTimeStamp): the "relative high resolution time"
// (https://w3c.github.io/hr-time/#dfn-relative-high-resolution-time) of the
// current time coarsened to TimeResolution, measured from the time origin
// coarsened alike, so that both are multiples of the resolution since the
// Unix epoch. The time elapsed is read from the monotonic clock.
func (r *Realm) Now() float64 {
	res := r.TimeResolution()
	below := time.Duration(r.origin.UnixNano()) % res // the origin's part below the resolution
	d := below + time.Since(r.origin)
	d -= d % res
	return float64(d) / float64(time.Millisecond)
}

// slotTable associates platform objects with their Go implementation without
// a visible property and without keeping the objects alive: keys are weak
// pointers, and the entries of collected objects are swept out after each
// garbage collection. A value must not hold a strong reference to its own
// object, or neither is ever collected; the slots of interfaces with
// SlotsReferToObject are therefore held by their object (see holdByObject) and
// only weakly by the table.
//
// Sweeping once per collection rather than registering a cleanup for each
// object halves the runtime's per-object bookkeeping: creating an event per
// received message spent most of its time inserting specials into span lists.
type slotTable struct {
	mu sync.Mutex
	m  map[weak.Pointer[goja.Object]]slot

	// The object last given a slot, whose slot is looked up next more often than
	// not (an event created, then dispatched): found without a weak handle. It is
	// the one object the table keeps alive, until the next one.
	last     *goja.Object
	lastSlot slot
}

type slot struct {
	iface *iface
	impl  any
	// held, when set, stands for impl: the slots are held by the object.
	held weak.Pointer[heldSlots]
}

// heldSlots is what the private field of an object with SlotsReferToObject
// holds.
type heldSlots struct{ impl any }

// resolve returns s with impl filled in from held.
func (s slot) resolve() (slot, bool) {
	if s.held == (weak.Pointer[heldSlots]{}) {
		return s, true
	}
	h := s.held.Value()
	if h == nil {
		return slot{}, false
	}
	s.impl = h.impl
	return s, true
}

// stampSource defines a class whose constructor returns the object it is given
// and a subclass with a private field: constructing the subclass on an existing
// object adds the field to it (ECMA-262 class fields are defined on whatever the
// base constructor returned). Script cannot see or reach a private field, so the
// object holds its slots without any property.
var stampSource = goja.MustCompile("webidl-slots.js", `(() => {
	class Base { constructor(o) { return o; } }
	class Slots extends Base {
		#slots;
		constructor(o, s) { super(o); this.#slots = s; }
		static hold(o, s) { if (#slots in o) o.#slots = s; else new Slots(o, s); }
	}
	return Slots.hold;
})()`, true)

// holdByObject makes o hold impl through a private field and returns the slot
// for the table, which refers to impl weakly.
func (r *Realm) holdByObject(o *goja.Object, i *iface, impl any) slot {
	if r.stamp == nil {
		// Evaluating the class runs no code a script could have changed.
		v, err := r.vm.RunProgram(stampSource)
		if err != nil {
			panic(err)
		}
		r.stamp, _ = goja.AssertFunction(v)
	}
	h := &heldSlots{impl: impl}
	if _, err := r.stamp(goja.Undefined(), o, r.vm.ToValue(h)); err != nil {
		panic(err)
	}
	return slot{iface: i, held: weak.Make(h)}
}

// slotTable returns the realm's table of slots, made when the first
// platform object is.
func (r *Realm) slotTable() *slotTable {
	if r.slots == nil {
		r.slots = newSlotTable()
	}
	return r.slots
}

func newSlotTable() *slotTable {
	t := &slotTable{m: make(map[weak.Pointer[goja.Object]]slot)}
	armSweep(weak.Make(t))
	return t
}

// armSweep has the next garbage collection sweep the table, and re-arm itself,
// for as long as the table exists. The sentinel holds a pointer so that it is not
// batched with other tiny allocations, which would delay its cleanup.
func armSweep(tp weak.Pointer[slotTable]) {
	sentinel := new([2]*byte)
	runtime.AddCleanup(sentinel, func(tp weak.Pointer[slotTable]) {
		t := tp.Value()
		if t == nil {
			return
		}
		t.sweep()
		armSweep(tp)
	}, tp)
}

// sweep drops the entries whose objects were collected, and forgets the last
// object used, which the table must not keep alive past a collection.
func (t *slotTable) sweep() {
	t.mu.Lock()
	t.last, t.lastSlot = nil, slot{}
	for p := range t.m {
		if p.Value() == nil {
			delete(t.m, p)
		}
	}
	t.mu.Unlock()
}

func (t *slotTable) set(o *goja.Object, s slot) {
	p := weak.Make(o)
	t.mu.Lock()
	t.m[p] = s
	t.last, t.lastSlot = o, s
	t.mu.Unlock()
}

func (t *slotTable) get(o *goja.Object) (slot, bool) {
	if t == nil {
		return slot{}, false
	}
	t.mu.Lock()
	if o == t.last && o != nil {
		s := t.lastSlot
		t.mu.Unlock()
		return s.resolve()
	}
	t.mu.Unlock()
	p := weak.Make(o)
	t.mu.Lock()
	s, ok := t.m[p]
	t.mu.Unlock()
	if !ok {
		return s, false
	}
	return s.resolve()
}

// SetImpl makes the existing object o a platform object implementing the
// interface called name, with impl as its internal slots. It is meant for
// objects not created by the interface's constructor or New, such as the
// global object. Properties of [LegacyUnforgeable] members are defined on o.
// It returns an error if no interface called name is defined.
func (r *Realm) SetImpl(o *goja.Object, name string, impl any) error {
	i, ok := r.lookupIface(name)
	if !ok {
		return fmt.Errorf("webidl: interface %q is not defined in this realm", name)
	}
	r.initInstance(i, o, impl)
	if i.desc.Global {
		// A global platform object
		// (https://webidl.spec.whatwg.org/#platform-object-setprototypeof).
		r.makeImmutablePrototype(o)
	}
	return nil
}

// Impl returns the internal slots of v if v is a platform object of this
// realm implementing the interface called name (directly or through
// inheritance).
func (r *Realm) Impl(v goja.Value, name string) (any, bool) {
	o, ok := v.(*goja.Object)
	if !ok {
		return nil, false
	}
	s, ok := r.slots.get(o)
	if !ok || !s.iface.inherits(name) {
		return nil, false
	}
	return s.impl, true
}

// Implements reports whether v is a platform object implementing the
// interface called name.
func (r *Realm) Implements(v goja.Value, name string) bool {
	_, ok := r.Impl(v, name)
	return ok
}

// ImplOf returns the internal slots of v and the name of the interface v was
// created for, whatever it is.
func (r *Realm) ImplOf(v goja.Value) (impl any, iface string, ok bool) {
	o, isObj := v.(*goja.Object)
	if !isObj {
		return nil, "", false
	}
	s, found := r.slots.get(o)
	if !found {
		return nil, "", false
	}
	return s.impl, s.iface.name, true
}

// ToInterface converts v to the IDL interface type called name
// (https://webidl.spec.whatwg.org/#js-interface): it returns the internal slots
// of v or throws a TypeError.
func (r *Realm) ToInterface(v goja.Value, name string) any {
	impl, ok := r.Impl(v, name)
	if !ok {
		r.ThrowTypeError("Value is not of type '%s'.", name)
	}
	return impl
}

// ThrowTypeError throws a JavaScript TypeError by panicking, the way goja
// native functions throw. Call it only while goja is running a native
// function (or inside goja.Runtime.Try).
func (r *Realm) ThrowTypeError(format string, args ...any) {
	panic(r.vm.NewTypeError(fmt.Sprintf(format, args...)))
}

// NewRangeError returns a new RangeError object with message msg.
func (r *Realm) NewRangeError(msg string) *goja.Object {
	o, err := r.intr().rangeErrorCtor(nil, r.vm.ToValue(msg))
	if err != nil {
		panic(err)
	}
	return o
}

// NewSyntaxError returns a new SyntaxError object with message msg.
func (r *Realm) NewSyntaxError(msg string) *goja.Object {
	o, err := r.intr().syntaxErrorCtor(nil, r.vm.ToValue(msg))
	if err != nil {
		panic(err)
	}
	return o
}

// ThrowRangeError throws a JavaScript RangeError by panicking.
func (r *Realm) ThrowRangeError(format string, args ...any) {
	panic(r.NewRangeError(fmt.Sprintf(format, args...)))
}

// bind returns f.bind() using the intrinsic Function.prototype.bind.
func (r *Realm) bind(f *goja.Object) (goja.Value, error) {
	return r.intr().bindCall(f)
}
