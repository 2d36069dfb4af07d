package builtins

import (
	"sync"
	"weak"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// WeakRef and FinalizationRegistry (https://tc39.es/ecma262/#sec-managing-memory),
// which goja lacks, are built here on Go's weak pointers. A goja object is one
// *goja.Object (a symbol one *goja.Symbol) for as long as it lives, and only
// script values refer to it: a weak.Pointer to it lets the Go garbage
// collector collect the object, and runtime.AddCleanup says when it has.
//
//   - A WeakRef holds a weak pointer to its target. Its constructor and
//     deref add the target to the kept objects (AddToKeptObjects,
//     https://tc39.es/ecma262/#sec-addtokeptobjects), strong references that
//     a task queued behind the current one drops (ClearKeptObjects,
//     https://tc39.es/ecma262/#sec-clear-kept-objects, which HTML performs
//     at the end of the microtask checkpoint): the target lives at least
//     until the current job and its microtasks are done, as
//     https://tc39.es/ecma262/#sec-weak-ref.prototype.deref requires.
//   - A FinalizationRegistry is registry.go.
//
// The constructors and methods are built-in functions, so
// Function.prototype.toString shows native code for them. The internal slots
// are held by the object itself, through a private field (see slotsProgram),
// so that nothing outside the object's own graph keeps them, or it, alive: a
// registry whose callback refers to the registry is collected all the same.
// A weak table finds them from Go. Installing costs a runtime two small
// classes; the private field's classes are made when the first WeakRef or
// FinalizationRegistry is.
//
// Without an event loop (a realm that has none), kept objects are never
// released and cleanup callbacks never called.

// weakTarget is a weak pointer to an object or a symbol, the values that
// can be held weakly (https://tc39.es/ecma262/#sec-canbeheldweakly).
type weakTarget struct {
	obj weak.Pointer[goja.Object]
	sym weak.Pointer[goja.Symbol]
}

func makeWeak(v goja.Value) weakTarget {
	switch t := v.(type) {
	case *goja.Object:
		return weakTarget{obj: weak.Make(t)}
	case *goja.Symbol:
		return weakTarget{sym: weak.Make(t)}
	}
	return weakTarget{}
}

// value returns the target, or nil once it has been collected.
func (w weakTarget) value() goja.Value {
	if o := w.obj.Value(); o != nil {
		return o
	}
	if s := w.sym.Value(); s != nil {
		return s
	}
	return nil
}

// weakRefs is the state WeakRef and FinalizationRegistry share in a realm.
type weakRefs struct {
	vm      *goja.Runtime
	queue   func(task func()) bool // nil without an event loop
	report  func(error)
	kept    []goja.Value // the kept objects
	keyFor  goja.Callable
	helpers helpers
	table   *webidl.WeakTable[weak.Pointer[slotsOf]] // nil before the first instance
}

// installWeakRefs defines WeakRef and FinalizationRegistry.
func installWeakRefs(env *bindings.Env) error {
	_, err := newWeakRefs(env)
	return err
}

// newWeakRefs defines WeakRef and FinalizationRegistry, and returns their
// state.
func newWeakRefs(env *bindings.Env) (*weakRefs, error) {
	vm := env.Realm.VM()
	w := &weakRefs{vm: vm, queue: env.Queue(), report: func(error) {}}
	if l := env.Loop; l != nil {
		w.report = l.ReportException
	}
	w.keyFor = webidl.Intrinsics{VM: vm}.Func("Symbol", "keyFor")
	if err := w.initHelpers(); err != nil {
		return nil, err
	}
	if err := w.defineClass("WeakRef", w.construct, []method{{"deref", 0, w.deref}}); err != nil {
		return nil, err
	}
	err := w.defineClass("FinalizationRegistry", w.constructRegistry, []method{
		{"register", 2, w.register}, {"unregister", 1, w.unregister},
	})
	return w, err
}

type method struct {
	name   string
	length int
	f      func(goja.FunctionCall) goja.Value
}

// defineClass defines on the global object the constructor name, whose
// steps after the first (a TypeError without new) are ctor, with the methods
// on its prototype, as ECMAScript specifies built-in constructors' properties
// (https://tc39.es/ecma262/#sec-ecmascript-standard-built-in-objects). A
// native constructor goja makes cannot tell a call from new, so the
// constructor is a class whose constructor hands new.target to ctor (see
// classProgram), bound: a bound function is a built-in function, which
// Function.prototype.toString shows as native code, and passes new.target
// on, or its target when new.target is itself.
func (w *weakRefs) defineClass(name string, ctor func(newTarget *goja.Object, arg goja.Value, proto *goja.Object) *goja.Object, methods []method) error {
	vm := w.vm
	var proto *goja.Object
	construct := func(call goja.FunctionCall) goja.Value {
		return ctor(call.Argument(0).(*goja.Object), call.Argument(1), proto)
	}
	class, err := w.helpers.makeClass(goja.Undefined(), vm.ToValue(construct))
	if err != nil {
		return err
	}
	proto = class.ToObject(vm).Get("prototype").(*goja.Object)
	if err := proto.SetPrototype(webidl.Intrinsics{VM: vm}.Object("Object", "prototype")); err != nil {
		return err
	}
	c, err := w.helpers.bind(class)
	if err != nil {
		return err
	}
	co := c.(*goja.Object)
	if err := co.DefineDataProperty("name", vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if err := co.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if err := proto.DefineDataProperty("constructor", co, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	for _, m := range methods {
		f := webidl.NewFunction(vm, m.name, m.length, m.f)
		if err := proto.DefineDataProperty(m.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	if err := proto.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	return vm.GlobalObject().DefineDataProperty(name, co, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// create is OrdinaryCreateFromConstructor(newTarget, proto)
// (https://tc39.es/ecma262/#sec-ordinarycreatefromconstructor) with the
// internal slots s. The object holds s, through a private field, and the
// table finds them without keeping either alive.
func (w *weakRefs) create(newTarget *goja.Object, proto *goja.Object, s any) *goja.Object {
	if p, ok := newTarget.Get("prototype").(*goja.Object); ok {
		proto = p
	}
	o := w.vm.CreateObject(proto)
	h := &slotsOf{s}
	if _, err := w.holdFunc()(goja.Undefined(), o, w.vm.ToValue(h)); err != nil {
		panic(err)
	}
	w.table.Set(o, weak.Make(h))
	return o
}

// slotsOf is what the private field of an instance holds.
type slotsOf struct{ v any }

// slots returns the internal slots of v, or nil.
func (w *weakRefs) slots(v goja.Value) any {
	o, ok := v.(*goja.Object)
	if !ok || w.table == nil {
		return nil
	}
	p, _ := w.table.Get(o)
	if h := p.Value(); h != nil {
		return h.v
	}
	return nil
}

// canBeHeldWeakly is CanBeHeldWeakly
// (https://tc39.es/ecma262/#sec-canbeheldweakly).
func (w *weakRefs) canBeHeldWeakly(v goja.Value) bool {
	switch v.(type) {
	case *goja.Object:
		return true
	case *goja.Symbol:
		key, err := w.keyFor(goja.Undefined(), v)
		return err == nil && goja.IsUndefined(key)
	}
	return false
}

// construct is WeakRef ( target ) (https://tc39.es/ecma262/#sec-weak-ref-target)
// from step 2.
func (w *weakRefs) construct(newTarget *goja.Object, target goja.Value, proto *goja.Object) *goja.Object {
	if !w.canBeHeldWeakly(target) {
		panic(w.vm.NewTypeError("WeakRef: invalid target"))
	}
	t := makeWeak(target)
	o := w.create(newTarget, proto, &t)
	w.keep(target)
	return o
}

// deref is WeakRef.prototype.deref ( )
// (https://tc39.es/ecma262/#sec-weak-ref.prototype.deref) and WeakRefDeref
// (https://tc39.es/ecma262/#sec-weakrefderef).
func (w *weakRefs) deref(call goja.FunctionCall) goja.Value {
	t, _ := w.slots(call.This).(*weakTarget)
	if t == nil {
		panic(w.vm.NewTypeError("WeakRef.prototype.deref: this is not a WeakRef"))
	}
	v := t.value()
	if v == nil {
		return goja.Undefined()
	}
	w.keep(v)
	return v
}

// keep is AddToKeptObjects: v stays alive until the kept objects are cleared,
// which the first addition since the last clearing queues.
func (w *weakRefs) keep(v goja.Value) {
	if w.queue != nil && len(w.kept) == 0 && !w.queue(w.clearKept) {
		return // the loop is closed: no job follows this one
	}
	w.kept = append(w.kept, v)
}

// clearKept is ClearKeptObjects.
func (w *weakRefs) clearKept() {
	clear(w.kept)
	w.kept = w.kept[:0]
}

// helpers are the function of classProgram, that of slotsProgram, made
// when first needed, and %Function.prototype.bind% (called with the
// function to bind as this).
type helpers struct {
	makeClass, bind goja.Callable
	hold            goja.Callable
}

// classProgram makes, in a realm, the classes of the constructors (see
// defineClass). A class that extends null creates no this: new.target's
// prototype is read only by the constructor steps, in their order.
var classProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:weakref-class.js", `(construct) => class extends null {
	constructor(arg) { return construct(new.target, arg); }
}`, true)
})

// slotsProgram makes the function that has an object hold its internal
// slots in a private field, which script cannot see or reach: constructing
// a subclass of a class whose constructor returns the object it is given
// adds the field to that object.
var slotsProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:weakref-slots.js", `(() => {
	class Base { constructor(o) { return o; } }
	class Slots extends Base {
		#s;
		constructor(o, s) { super(o); this.#s = s; }
	}
	return (o, s) => { new Slots(o, s); };
})()`, true)
})

func (w *weakRefs) initHelpers() error {
	v, err := w.vm.RunProgram(classProgram())
	if err != nil {
		return err
	}
	w.helpers.makeClass, _ = goja.AssertFunction(v)
	w.helpers.bind = webidl.Intrinsics{VM: w.vm}.Func("Function", "prototype", "bind")
	return nil
}

// holdFunc returns hold, made in the realm the first time it is needed.
func (w *weakRefs) holdFunc() goja.Callable {
	if w.helpers.hold == nil {
		v, err := w.vm.RunProgram(slotsProgram())
		if err != nil {
			panic(err)
		}
		w.helpers.hold, _ = goja.AssertFunction(v)
		w.table = webidl.NewWeakTable[weak.Pointer[slotsOf]]()
	}
	return w.helpers.hold
}
