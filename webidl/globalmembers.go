package webidl

import (
	"fmt"

	"github.com/dop251/goja"
)

// DefineGlobalMembers defines regular attributes and operations of the
// global object's interfaces that come from another binding than the one
// defining those interfaces: members of a partial interface, or of a mixin
// the global object's interface includes (WindowOrWorkerGlobalScope's
// setTimeout, performance, crypto...). They are defined on GlobalMembers:
// the global object itself, where a [Global] interface has its regular
// members (https://webidl.spec.whatwg.org/#js-attributes,
// https://webidl.spec.whatwg.org/#js-operations), unless GlobalMembersOn
// said otherwise.
//
// Their functions take the steps of
// https://webidl.spec.whatwg.org/#dfn-attribute-getter,
// https://webidl.spec.whatwg.org/#dfn-attribute-setter and
// https://webidl.spec.whatwg.org/#dfn-create-operation-function: an
// undefined or null this value is the global object, and any other object
// than the global object (the only object implementing its interfaces) is a
// TypeError. c.This is the global object and c.Impl its internal slots. Of
// Attribute, only Name, Get, Set and Replaceable apply; of Operation,
// Name, Length, Func and ReturnsPromise.
func (r *Realm) DefineGlobalMembers(attrs []Attribute, ops []Operation) error {
	holder := r.GlobalMembers()
	for k := range attrs {
		a := &attrs[k]
		if a.Static || a.Unforgeable || a.LenientThis || a.PutForwards != "" {
			return fmt.Errorf("webidl: global member %q: only Get, Set and Replaceable apply", a.Name)
		}
		getter, setter := r.attributeAccessors(nil, a)
		if err := holder.DefineAccessorProperty(a.Name, getter, setter, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return fmt.Errorf("webidl: defining %s: %w", a.Name, err)
		}
	}
	for k := range ops {
		op := &ops[k]
		if op.Static || op.Unforgeable {
			return fmt.Errorf("webidl: global member %q: only Name, Length, Func and ReturnsPromise apply", op.Name)
		}
		f := r.operationFunction(nil, op)
		if err := holder.DefineDataProperty(op.Name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
			return fmt.Errorf("webidl: defining %s: %w", op.Name, err)
		}
	}
	return nil
}

// GlobalMembersOn has the members of the global object's interfaces that
// DefineGlobalMembers defines go on the interface prototype object of the
// interface called iface, which the global object inherits from and which
// is not [Global] itself: WorkerGlobalScope, whose members, those of the
// mixins it includes too, are on WorkerGlobalScope.prototype, where
// DedicatedWorkerGlobalScope's are on the global object. The object is made
// now, so that members may be defined before the interface is: when
// DefineInterface defines iface, it becomes its interface prototype object.
// Call it before any binding is installed.
func (r *Realm) GlobalMembersOn(iface string) {
	r.members, r.membersOf = r.vm.NewObject(), iface
}

// GlobalMembers returns the object DefineGlobalMembers defines members on:
// the global object, or the prototype object of the interface GlobalMembersOn
// names.
func (r *Realm) GlobalMembers() *goja.Object {
	if r.members != nil {
		return r.members
	}
	return r.global
}

// globalThis is thisObject for the members DefineGlobalMembers defines: the
// global object, whatever interface it implements, is the only object that
// may be this.
func (r *Realm) globalThis(this goja.Value) (*goja.Object, any, bool) {
	if IsNullish(this) {
		this = r.global
	}
	o, ok := this.(*goja.Object)
	if !ok || o != r.global {
		return nil, nil, false
	}
	s, _ := r.slots.get(o)
	return o, s.impl, true
}
