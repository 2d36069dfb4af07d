package webidl

import (
	"fmt"
	"strings"
	"sync"

	"github.com/dop251/goja"
)

// Interface describes an IDL interface the way its IDL fragment reads.
// DefineInterface turns it into an interface object, an interface prototype
// object and their properties (https://webidl.spec.whatwg.org/#js-interfaces).
type Interface struct {
	// Name is the interface's identifier.
	Name string
	// Parent is the identifier of the inherited interface, which must be
	// defined already, or "" if the interface inherits from none.
	Parent string
	// Constructor, if not nil, runs the constructor steps and returns the
	// internal slots of the new object c.This (whose prototype already
	// follows c.NewTarget, so subclasses defined in script work). At most
	// six arguments reach it. Without it, the interface object throws
	// "Illegal constructor".
	Constructor func(c Call) any
	// Length is the constructor's length: its number of required arguments.
	Length int
	// Constants are defined on both the interface object and the prototype.
	Constants []Constant
	// Attributes are the regular and static attributes, in IDL order.
	Attributes []Attribute
	// Operations are the regular and static operations, in IDL order.
	Operations []Operation
	// Iterable, if not nil, is the interface's iterable<K, V> declaration,
	// whose Operations must be among the operations above.
	Iterable *PairIterable
	// SlotsReferToObject marks interfaces whose internal slots may hold script
	// values leading back to the object, such as event listeners that mention
	// their target. The slots of their instances, and of instances of every
	// interface inheriting from them, are then kept alive by the object itself,
	// through a private field script cannot see, instead of by the realm: an
	// object reachable only from its own slots is collected. Creating such an
	// instance costs about a microsecond more.
	SlotsReferToObject bool
	// Namespace, if not nil, is the namespace object the interface object
	// is a property of instead of the global object ([LegacyNamespace],
	// https://webidl.spec.whatwg.org/#LegacyNamespace); NamespaceName is
	// the namespace's identifier. The interface's qualified name,
	// "NamespaceName.Name", is then its @@toStringTag and what New and
	// Parent name it by.
	Namespace     *goja.Object
	NamespaceName string
	// Global marks the interface of a global object ([Global],
	// https://webidl.spec.whatwg.org/#Global): its interface prototype
	// object, those of the interfaces it inherits from, and the object
	// SetImpl makes implement it are immutable prototype exotic objects (see
	// immutable.go). Such an interface must be defined before script runs.
	Global bool
	// NamedProperties, with Global, marks an interface that supports named
	// properties: a named properties object
	// (https://webidl.spec.whatwg.org/#named-properties-object) then sits
	// between its interface prototype object and the parent's. No property
	// names are supported, so it has none but @@toStringTag; what an
	// ordinary object cannot do of its exotic methods is refusing
	// [[DefineOwnProperty]] and [[PreventExtensions]].
	NamedProperties bool
}

// qualifiedName returns d's qualified name
// (https://webidl.spec.whatwg.org/#dfn-qualified-name).
func (d *Interface) qualifiedName() string {
	if d.Namespace == nil {
		return d.Name
	}
	return d.NamespaceName + "." + d.Name
}

// Constant describes an IDL constant. Value is converted with
// goja.Runtime.ToValue (use int, float64 or bool).
type Constant struct {
	Name  string
	Value any
}

// Attribute describes an IDL attribute.
type Attribute struct {
	Name string
	// Get returns the attribute's value. For a regular attribute c.This is
	// a platform object implementing the interface and c.Impl its slots.
	Get func(c Call) goja.Value
	// Set converts and stores v; nil means the attribute is readonly.
	Set func(c Call, v goja.Value)
	// Static makes this a static attribute, on the interface object.
	Static bool
	// Unforgeable ([LegacyUnforgeable]) puts the accessor on every instance,
	// as a non-configurable property, instead of on the prototype.
	Unforgeable bool
	// LenientThis ([LegacyLenientThis]) makes the accessors return
	// undefined instead of throwing when this is not an instance.
	LenientThis bool
	// Replaceable ([Replaceable]) gives a readonly attribute a setter that
	// shadows it with an own data property.
	Replaceable bool
	// PutForwards ([PutForwards=name]) gives a readonly attribute a setter
	// that assigns to the named attribute of the attribute's value.
	PutForwards string
}

// Operation describes an IDL operation (overloads are resolved by Func).
type Operation struct {
	Name string
	// Length is the number of required arguments of the shortest overload.
	Length int
	// Func runs the operation. For a regular operation c.This implements
	// the interface and c.Impl holds its slots.
	Func func(c Call) goja.Value
	// Static makes this a static operation, on the interface object.
	Static bool
	// Unforgeable ([LegacyUnforgeable]) puts the function on every instance.
	Unforgeable bool
	// ReturnsPromise marks an operation whose return type is a promise type:
	// what it throws, the TypeError of a bad this value or of missing
	// arguments included, becomes a promise rejected with it
	// (https://webidl.spec.whatwg.org/#es-operations).
	ReturnsPromise bool
}

// Call is what the machinery passes to constructors, attribute accessors
// and operations after checking that this is a platform object of the right
// interface ("Illegal invocation" TypeError otherwise).
type Call struct {
	Realm *Realm
	// This is the platform object (nil for static members).
	This *goja.Object
	// Impl holds the internal slots of This (nil for constructors and
	// static members).
	Impl any
	// Args are the arguments. They must not be retained after the call
	// returns; copy what is needed.
	Args []goja.Value
	// NewTarget is new.target in constructors.
	NewTarget *goja.Object
}

// Arg returns argument i, or undefined when fewer arguments were passed.
func (c Call) Arg(i int) goja.Value {
	if i < len(c.Args) && c.Args[i] != nil {
		return c.Args[i]
	}
	return goja.Undefined()
}

// VM returns the runtime of the call.
func (c Call) VM() *goja.Runtime { return c.Realm.vm }

// iface is a defined interface.
type iface struct {
	name   string
	parent *iface
	obj    *goja.Object // interface object
	proto  *goja.Object // interface prototype object
	desc   *Interface
	// unforgeable members, own and inherited, defined on each instance.
	unforgeable []unforgeableProp
	// create, if set, creates instances whose [[Prototype]] is proto
	// (DOMException instances are error objects, so that they have a stack).
	create func(proto *goja.Object) *goja.Object
	// heldByObject is set when this interface or one it inherits from has
	// SlotsReferToObject.
	heldByObject bool
	// accessors and ops are the functions made for desc's attributes
	// (getter, setter) and operations, in their order (see Member).
	accessors [][2]goja.Value
	ops       []*goja.Object
}

type unforgeableProp struct {
	name           string
	getter, setter goja.Value // accessor, or
	value          goja.Value // operation
}

func (i *iface) inherits(name string) bool {
	for ; i != nil; i = i.parent {
		if i.name == name {
			return true
		}
	}
	return false
}

func (i *iface) inheritsFrom(t *iface) bool {
	for ; i != nil; i = i.parent {
		if i == t {
			return true
		}
	}
	return false
}

// lookupIface returns the interface called name, defining DOMException first
// if that is what is asked for and it is still pending.
func (r *Realm) lookupIface(name string) (*iface, bool) {
	if name == "DOMException" && r.g.domPending {
		r.g.resolve(name)
	}
	i, ok := r.ifaces[name]
	return i, ok
}

// InterfaceObject returns the interface object of the interface called name,
// or nil if it is not defined.
func (r *Realm) InterfaceObject(name string) *goja.Object {
	if i, ok := r.lookupIface(name); ok {
		return i.obj
	}
	return nil
}

// Member returns a function DefineInterface made for the interface called
// iface: the operation called name (regular or static), or for "get name"
// and "set name" the getter or setter of the attribute called name; nil if
// there is none. It is what a binding captures of another's interface: the
// function as it was defined, whatever script did since to the objects that
// hold it.
func (r *Realm) Member(iface, name string) goja.Callable {
	i, ok := r.lookupIface(iface)
	if !ok {
		return nil
	}
	var v goja.Value
	if attr, ok := strings.CutPrefix(name, "get "); ok {
		v = i.accessor(attr, 0)
	} else if attr, ok := strings.CutPrefix(name, "set "); ok {
		v = i.accessor(attr, 1)
	} else {
		for k, op := range i.desc.Operations {
			if op.Name == name {
				v = i.ops[k]
				break
			}
		}
	}
	f, _ := goja.AssertFunction(v)
	return f
}

func (i *iface) accessor(name string, which int) goja.Value {
	for k, a := range i.desc.Attributes {
		if a.Name == name {
			return i.accessors[k][which]
		}
	}
	return nil
}

// Prototype returns the interface prototype object of the interface called
// name, or nil if it is not defined.
func (r *Realm) Prototype(name string) *goja.Object {
	if i, ok := r.lookupIface(name); ok {
		return i.proto
	}
	return nil
}

// New creates a new platform object implementing the interface called name
// with impl as its internal slots, as the interface's constructor would but
// without running constructor steps (Web IDL "internally create a new object
// implementing the interface"). If the interface is not defined (a mistake
// in the binding) it throws a TypeError, which only a caller running inside
// goja sees as a JavaScript exception.
func (r *Realm) New(name string, impl any) *goja.Object {
	i, ok := r.lookupIface(name)
	if !ok {
		r.ThrowTypeError("webidl: interface %q is not defined in this realm", name)
	}
	var o *goja.Object
	if i.create != nil {
		o = i.create(i.proto)
	} else {
		o = r.vm.CreateObject(i.proto)
	}
	r.initInstance(i, o, impl)
	return o
}

func (r *Realm) initInstance(i *iface, o *goja.Object, impl any) {
	for _, u := range i.unforgeable {
		if u.value != nil {
			o.DefineDataProperty(u.name, u.value, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
		} else {
			o.DefineAccessorProperty(u.name, u.getter, u.setter, goja.FLAG_FALSE, goja.FLAG_TRUE)
		}
	}
	if i.heldByObject {
		r.slotTable().set(o, r.holdByObject(o, i, impl))
		return
	}
	r.slotTable().set(o, slot{iface: i, impl: impl})
}

// thisObject implements the common steps of attribute accessors and operations
// (https://webidl.spec.whatwg.org/#js-attributes,
// https://webidl.spec.whatwg.org/#js-operations): a null or undefined this
// value means the global object, and the object must implement the interface.
func (r *Realm) thisObject(i *iface, this goja.Value) (*goja.Object, any, bool) {
	if i == nil {
		return r.globalThis(this)
	}
	if this == nil || goja.IsUndefined(this) || goja.IsNull(this) {
		this = r.global
	}
	o, ok := this.(*goja.Object)
	if !ok {
		return nil, nil, false
	}
	s, ok := r.slots.get(o)
	if !ok || !s.iface.inheritsFrom(i) {
		return nil, nil, false
	}
	return o, s.impl, true
}

func (r *Realm) illegalInvocation() {
	r.ThrowTypeError("Illegal invocation")
}

// newFunction is NewFunction in r's runtime.
func (r *Realm) newFunction(name string, length int, f func(goja.FunctionCall) goja.Value) *goja.Object {
	return NewFunction(r.vm, name, length, f)
}

// NewFunction creates a built-in function object of vm that runs f, with the
// given name and length (ECMA-262 CreateBuiltinFunction): both properties
// are configurable, neither writable nor enumerable. It is not a
// constructor.
func NewFunction(vm *goja.Runtime, name string, length int, f func(goja.FunctionCall) goja.Value) *goja.Object {
	o := vm.ToValue(f).(*goja.Object)
	setNameLength(vm, o, name, length)
	return o
}

func setNameLength(vm *goja.Runtime, o *goja.Object, name string, length int) {
	o.DefineDataProperty("length", vm.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	o.DefineDataProperty("name", vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// DefineInterface builds the interface described by d
// (https://webidl.spec.whatwg.org/#js-interfaces) and defines its interface
// object on the global object as a writable, configurable, non-enumerable
// property. The parent interface, if any, must be defined first.
func (r *Realm) DefineInterface(d *Interface) error {
	_, err := r.defineInterface(d, nil, nil)
	return err
}

func (r *Realm) defineInterface(d *Interface, protoParent *goja.Object, create func(proto *goja.Object) *goja.Object) (*iface, error) {
	if d.Name == "" {
		return nil, fmt.Errorf("webidl: interface without a name")
	}
	qname := d.qualifiedName()
	if _, dup := r.ifaces[qname]; dup {
		return nil, fmt.Errorf("webidl: interface %q is already defined", qname)
	}
	i := &iface{name: qname, desc: d, create: create, heldByObject: d.SlotsReferToObject}
	if d.Parent != "" {
		p, ok := r.lookupIface(d.Parent)
		if !ok {
			return nil, fmt.Errorf("webidl: interface %q inherits from %q, which is not defined", d.Name, d.Parent)
		}
		i.parent = p
		i.heldByObject = i.heldByObject || p.heldByObject
		i.unforgeable = append(i.unforgeable, p.unforgeable...)
		if i.create == nil {
			i.create = p.create
		}
	}
	vm := r.vm

	// Interface prototype object
	// (https://webidl.spec.whatwg.org/#interface-prototype-object):
	// [[Prototype]] is the parent's interface prototype object, or
	// %Object.prototype%.
	i.proto = vm.NewObject()
	if d.Name == r.membersOf {
		// Members may be there already (see GlobalMembersOn).
		i.proto = r.members
	}
	switch {
	case i.parent != nil:
		i.proto.SetPrototype(i.parent.proto)
	case protoParent != nil:
		i.proto.SetPrototype(protoParent)
	}
	if d.NamedProperties && d.Global {
		npo := vm.NewObject()
		npo.SetPrototype(i.proto.Prototype())
		// Its class string is the identifier followed by "Properties".
		npo.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue(qname+"Properties"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
		i.proto.SetPrototype(npo)
		// On the global object's prototype chain: immutable, as its
		// [[SetPrototypeOf]] says.
		r.makeImmutablePrototype(npo)
	}

	// Interface object (https://webidl.spec.whatwg.org/#interface-object).
	// goja's native constructors cannot tell `new X()` from `X()`, and its
	// proxies break instanceof, so the interface object is a bound small strict
	// function that passes new.target, the object created for it and the
	// arguments to r.construct.
	i.obj = r.newInterfaceObject(i)
	setNameLength(vm, i.obj, d.Name, d.Length)
	if i.parent != nil {
		i.obj.SetPrototype(i.parent.obj)
	}
	if d.Global {
		// The interface prototype objects of a [Global] interface and of the
		// interfaces it inherits from
		// (https://webidl.spec.whatwg.org/#interface-prototype-object).
		for p := i; p != nil; p = p.parent {
			r.makeImmutablePrototype(p.proto)
		}
	}
	i.obj.DefineDataProperty("prototype", i.proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	i.proto.DefineDataProperty("constructor", i.obj, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)

	// Constants (https://webidl.spec.whatwg.org/#js-constants), on both
	// objects.
	for _, c := range d.Constants {
		v := vm.ToValue(c.Value)
		i.obj.DefineDataProperty(c.Name, v, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
		i.proto.DefineDataProperty(c.Name, v, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	}

	// Attributes (https://webidl.spec.whatwg.org/#js-attributes).
	i.accessors = make([][2]goja.Value, len(d.Attributes))
	i.ops = make([]*goja.Object, len(d.Operations))
	for k := range d.Attributes {
		a := &d.Attributes[k]
		getter, setter := r.attributeAccessors(i, a)
		i.accessors[k] = [2]goja.Value{getter, setter}
		switch {
		case a.Static:
			i.obj.DefineAccessorProperty(a.Name, getter, setter, goja.FLAG_TRUE, goja.FLAG_TRUE)
		case a.Unforgeable:
			i.unforgeable = append(i.unforgeable, unforgeableProp{name: a.Name, getter: getter, setter: setter})
		default:
			i.proto.DefineAccessorProperty(a.Name, getter, setter, goja.FLAG_TRUE, goja.FLAG_TRUE)
		}
	}

	// Operations (https://webidl.spec.whatwg.org/#js-operations).
	for k := range d.Operations {
		op := &d.Operations[k]
		f := r.operationFunction(i, op)
		i.ops[k] = f
		switch {
		case op.Static:
			i.obj.DefineDataProperty(op.Name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
		case op.Unforgeable:
			i.unforgeable = append(i.unforgeable, unforgeableProp{name: op.Name, value: f})
		default:
			i.proto.DefineDataProperty(op.Name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
		}
	}

	// @@toStringTag on the interface prototype object
	// (https://webidl.spec.whatwg.org/#interface-prototype-object).
	i.proto.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue(qname), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)

	if d.Iterable != nil {
		if err := r.defineIterable(i, d.Iterable); err != nil {
			return nil, err
		}
	}

	// The interface object is a property of the global object
	// (https://webidl.spec.whatwg.org/#js-interfaces), or of its namespace
	// object (https://webidl.spec.whatwg.org/#LegacyNamespace).
	holder := r.global
	if d.Namespace != nil {
		holder = d.Namespace
	}
	if err := holder.DefineDataProperty(d.Name, i.obj, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return nil, fmt.Errorf("webidl: defining %s: %w", qname, err)
	}
	r.ifaces[qname] = i
	return i, nil
}

// trampolineSource creates interface objects; see newInterfaceObject. The
// arguments reach construct as the rest parameter's array, which costs a
// fraction of an arguments object (whose length, callee and @@iterator are
// properties of their own), and from which construct reads only the elements
// that were passed.
const trampolineSource = `(function (construct) {
	"use strict";
	return function (...args) {
		return construct(new.target, this, args);
	};
})`

// maxConstructorArgs is how many arguments the trampoline forwards; no
// constructor of a web API we bind takes more.
const maxConstructorArgs = 6

// argIndex holds the property keys of the forwarded arguments.
var argIndex = [maxConstructorArgs]string{"0", "1", "2", "3", "4", "5"}

// trampolineProgram is trampolineSource compiled, once per process.
var trampolineProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("webidl-trampoline.js", trampolineSource, false)
})

func (r *Realm) newInterfaceObject(i *iface) *goja.Object {
	if r.trampoline == nil {
		// Evaluating the function expression reads nothing a script could
		// have changed.
		v, err := r.vm.RunProgram(trampolineProgram())
		if err != nil {
			panic(err)
		}
		r.trampoline, _ = goja.AssertFunction(v)
	}
	construct := r.vm.ToValue(func(fc goja.FunctionCall) goja.Value {
		return r.construct(i, fc)
	})
	f, err := r.trampoline(goja.Undefined(), construct)
	if err != nil {
		panic(err)
	}
	fo := f.(*goja.Object)
	// `new X()` makes the trampoline itself new.target: its prototype is
	// the interface prototype object too.
	fo.DefineDataProperty("prototype", i.proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	// The interface object is the trampoline bound, a built-in function
	// (Function.prototype.toString shows native code, not the source).
	bound, err := r.bind(fo)
	if err != nil {
		panic(err)
	}
	return bound.(*goja.Object)
}

// construct implements [[Call]] and [[Construct]] of interface objects
// (https://webidl.spec.whatwg.org/#interface-object). fc holds new.target, the
// object created by the trampoline's own [[Construct]] and the array of the
// arguments.
func (r *Realm) construct(i *iface, fc goja.FunctionCall) goja.Value {
	if i.desc.Constructor == nil {
		r.ThrowTypeError("Illegal constructor")
	}
	// Step 1: if NewTarget is undefined, throw a TypeError.
	newTarget, ok := fc.Argument(0).(*goja.Object)
	if !ok {
		r.ThrowTypeError("Failed to construct '%s': Please use the 'new' operator, this DOM object constructor cannot be called as a function.", i.name)
	}
	array := fc.Argument(2).(*goja.Object)
	n := int(array.Get("length").ToInteger())
	r.requireArgs(i.name, i.desc.Length, n)
	args := make([]goja.Value, min(n, maxConstructorArgs))
	for k := range args {
		args[k] = array.Get(argIndex[k])
	}
	// "internally create a new object implementing the interface": the
	// prototype is NewTarget.prototype, or this realm's interface prototype
	// object when that is not an object. The object created for the
	// trampoline already has NewTarget.prototype, or %Object.prototype% if
	// it is not an object.
	o := fc.Argument(1).(*goja.Object)
	proto := o.Prototype()
	if proto == r.intr().objectProto {
		if _, isObj := newTarget.Get("prototype").(*goja.Object); !isObj {
			proto = i.proto
			o.SetPrototype(proto)
		}
	}
	if i.create != nil {
		o = i.create(proto)
	}
	impl := i.desc.Constructor(Call{Realm: r, This: o, Args: args, NewTarget: newTarget})
	r.initInstance(i, o, impl)
	return o
}

// attributeAccessors creates the attribute getter and setter functions of Web
// IDL (https://webidl.spec.whatwg.org/#dfn-attribute-getter,
// https://webidl.spec.whatwg.org/#dfn-attribute-setter).
func (r *Realm) attributeAccessors(i *iface, a *Attribute) (getter, setter goja.Value) {
	get := a.Get
	getter = r.newFunction("get "+a.Name, 0, func(fc goja.FunctionCall) goja.Value {
		if a.Static {
			return orUndefined(get(Call{Realm: r}))
		}
		o, impl, ok := r.thisObject(i, fc.This)
		if !ok {
			if a.LenientThis {
				return goja.Undefined()
			}
			r.illegalInvocation()
		}
		return orUndefined(get(Call{Realm: r, This: o, Impl: impl}))
	})
	if a.Set == nil && !a.Replaceable && a.PutForwards == "" {
		return getter, nil
	}
	setter = r.newFunction("set "+a.Name, 1, func(fc goja.FunctionCall) goja.Value {
		// Step 1: no arguments is a TypeError.
		if len(fc.Arguments) == 0 {
			r.ThrowTypeError("Failed to set '%s': 1 argument required, but only 0 present.", a.Name)
		}
		v := fc.Arguments[0]
		var o *goja.Object
		var impl any
		if !a.Static {
			var ok bool
			o, impl, ok = r.thisObject(i, fc.This)
			if !ok {
				if a.LenientThis {
					return goja.Undefined()
				}
				r.illegalInvocation()
			}
		}
		switch {
		case a.Set != nil:
			a.Set(Call{Realm: r, This: o, Impl: impl, Args: fc.Arguments}, v)
		case a.Replaceable:
			// [Replaceable]: CreateDataPropertyOrThrow(O, id, V)
			// (https://webidl.spec.whatwg.org/#dfn-attribute-setter): a
			// TypeError when the property cannot be redefined.
			if err := o.DefineDataProperty(a.Name, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
				r.ThrowTypeError("Failed to set '%s': the property cannot be redefined.", a.Name)
			}
		case a.PutForwards != "":
			// [PutForwards]: Q = Get(O, id); Q must be an object;
			// Set(Q, forwardId, V, false).
			q, ok := o.Get(a.Name).(*goja.Object)
			if !ok {
				r.ThrowTypeError("Failed to set '%s': the attribute's value is not an object.", a.Name)
			}
			q.Set(a.PutForwards, v)
		}
		return goja.Undefined()
	})
	return getter, setter
}

// operationFunction creates the function object of an operation
// (https://webidl.spec.whatwg.org/#dfn-create-operation-function).
func (r *Realm) operationFunction(i *iface, op *Operation) *goja.Object {
	call := func(fc goja.FunctionCall) goja.Value {
		if op.Static {
			r.requireArgs(op.Name, op.Length, len(fc.Arguments))
			return orUndefined(op.Func(Call{Realm: r, Args: fc.Arguments}))
		}
		o, impl, ok := r.thisObject(i, fc.This)
		if !ok {
			r.illegalInvocation()
		}
		// Overload resolution (step 4 of
		// https://webidl.spec.whatwg.org/#dfn-overload-resolution-algorithm):
		// fewer arguments than the shortest overload requires is a TypeError,
		// after the brand check.
		r.requireArgs(op.Name, op.Length, len(fc.Arguments))
		return orUndefined(op.Func(Call{Realm: r, This: o, Impl: impl, Args: fc.Arguments}))
	}
	if op.ReturnsPromise {
		call = r.rejectingThrows(call)
	}
	return r.newFunction(op.Name, op.Length, call)
}

// rejectingThrows returns f made to return a promise rejected with what it
// throws.
func (r *Realm) rejectingThrows(f func(goja.FunctionCall) goja.Value) func(goja.FunctionCall) goja.Value {
	return func(fc goja.FunctionCall) goja.Value {
		var v goja.Value
		if exc := r.vm.Try(func() { v = f(fc) }); exc != nil {
			p, _, reject := r.NewPromise()
			reject(exc.Value())
			return p
		}
		return v
	}
}

// requireArgs throws the TypeError of overload resolution (step 4 of
// https://webidl.spec.whatwg.org/#dfn-overload-resolution-algorithm)
// when fewer than n arguments were passed to the operation or constructor what.
func (r *Realm) requireArgs(what string, n, got int) {
	if got < n {
		r.ThrowTypeError("Failed to execute '%s': %d argument(s) required, but only %d present.", what, n, got)
	}
}

// RequireArgs throws the TypeError Web IDL prescribes when fewer than n
// arguments were passed to an operation or constructor called what.
func (c Call) RequireArgs(what string, n int) {
	if len(c.Args) < n {
		c.Realm.ThrowTypeError("Failed to execute '%s': %d argument(s) required, but only %d present.", what, n, len(c.Args))
	}
}

func orUndefined(v goja.Value) goja.Value {
	if v == nil {
		return goja.Undefined()
	}
	return v
}
