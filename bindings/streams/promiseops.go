package streams

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// Web IDL gives operations and attributes whose type is a promise type a different
// failure mode: an exception, including the TypeError of a failed brand check, becomes
// a rejected promise instead of being thrown (step 1.1.2.1 of the attribute getter,
// https://webidl.spec.whatwg.org/#dfn-attribute-getter; "create an operation function",
// https://webidl.spec.whatwg.org/#dfn-create-operation-function; the overload
// resolution algorithm,
// https://webidl.spec.whatwg.org/#dfn-overload-resolution-algorithm, for conversions).
// The webidl package throws; the members below are redefined after the interface is,
// with the same property attributes and order.

// promiseMember is an operation (get false) or a readonly attribute getter (get true)
// of promise type.
type promiseMember struct {
	iface  string
	name   string
	length int
	get    bool
	fn     func(c webidl.Call) goja.Value
}

// promiseOp describes an operation of promise type for the Interface and records it
// to be redefined by redefinePromiseMembers.
func (b *binding) promiseOp(iface, name string, length int, fn func(c webidl.Call) goja.Value) webidl.Operation {
	b.promiseMembers = append(b.promiseMembers, promiseMember{iface: iface, name: name, length: length, fn: fn})
	return webidl.Operation{Name: name, Length: length, Func: fn}
}

// promiseAttr is promiseOp for a readonly attribute.
func (b *binding) promiseAttr(iface, name string, fn func(c webidl.Call) goja.Value) webidl.Attribute {
	b.promiseMembers = append(b.promiseMembers, promiseMember{iface: iface, name: name, get: true, fn: fn})
	return webidl.Attribute{Name: name, Get: fn}
}

// redefinePromiseMembers replaces the functions of the recorded members of iface.
func (b *binding) redefinePromiseMembers(iface string) error {
	proto := b.r.Prototype(iface)
	for _, m := range b.promiseMembers {
		if m.iface != iface {
			continue
		}
		m := m
		name, length := m.name, m.length
		if m.get {
			name, length = "get "+m.name, 0
		}
		f := b.builtin(name, length, func(fc goja.FunctionCall) goja.Value {
			var result goja.Value
			ex := b.vm.Try(func() {
				this := fc.This
				if this == nil || goja.IsUndefined(this) || goja.IsNull(this) {
					this = b.r.Global()
				}
				impl, ok := b.r.Impl(this, m.iface)
				if !ok {
					panic(b.newTypeError("Illegal invocation"))
				}
				if !m.get && len(fc.Arguments) < m.length {
					panic(b.newTypeError("Failed to execute '%s' on '%s': %d argument(s) required, but only %d present.", m.name, m.iface, m.length, len(fc.Arguments)))
				}
				result = m.fn(webidl.Call{Realm: b.r, This: this.(*goja.Object), Impl: impl, Args: fc.Arguments})
			})
			if ex != nil {
				return b.rejectedPromise(ex.Value()).obj
			}
			return orUndefined(result)
		})
		var err error
		if m.get {
			err = proto.DefineAccessorProperty(m.name, f, nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
		} else {
			err = proto.DefineDataProperty(m.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
