package builtins

import (
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
//   - WeakMap and WeakSet, goja's, are given symbol keys in
//     weakcollection.go.
//
// builtinclass.go makes the constructors and methods, and holds the internal
// slots, so that a registry whose callback refers to the registry is
// collected all the same. Installing costs a runtime two small classes; the
// private field's classes are made when the first WeakRef or
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

// installWeakRefs defines WeakRef and FinalizationRegistry, and has WeakMap
// and WeakSet take symbols (weakcollection.go).
func installWeakRefs(env *bindings.Env) error {
	_, err := newWeakRefs(env)
	return err
}

// newWeakRefs defines WeakRef and FinalizationRegistry, replaces WeakMap's
// and WeakSet's methods, and returns their state.
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
	if err != nil {
		return nil, err
	}
	return w, w.installWeakCollections()
}

// canBeHeldWeakly is CanBeHeldWeakly
// (https://tc39.es/ecma262/#sec-canbeheldweakly), which WeakRef,
// FinalizationRegistry, WeakMap and WeakSet all check keys with.
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
