package builtins

import (
	"sync"
	"weak"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// The constructors and methods of WeakRef and FinalizationRegistry are made
// here as ECMAScript's built-in ones are: built-in functions, which
// Function.prototype.toString shows as native code, with internal slots that
// the instance itself holds, through a private field, so that nothing outside
// the object's own graph keeps them, or it, alive. A weak table finds them
// from Go.

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
	w.attach(o, s)
	return o
}

// attach has o, which holds no internal slots yet, hold s, which slots then
// returns.
func (w *weakRefs) attach(o *goja.Object, s any) {
	h := &slotsOf{s}
	if _, err := w.holdFunc()(goja.Undefined(), o, w.vm.ToValue(h)); err != nil {
		panic(err)
	}
	w.table.Set(o, weak.Make(h))
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
