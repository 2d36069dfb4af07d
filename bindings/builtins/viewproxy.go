package builtins

import (
	"strconv"

	"github.com/dop251/goja"
)

// A typed array this package makes is a Proxy whose traps are the internal
// methods of TypedArray exotic objects
// (https://tc39.es/ecma262/#sec-typedarray-exotic-objects) for the keys
// that are integers; goja routes the other canonical numeric strings ("-0",
// "1.5", "NaN") to the string traps or, where none is set, to the target.
// The target is one of goja's typed arrays of the same content type, which
// treats those keys as the spec does (absent, ignoring writes, refusing
// definitions) and every other key as an ordinary object does, with the
// receiver passed on:
//
//   - for a view of fixed length (IsTypedArrayFixedLength), a typed array
//     over the same bytes, so that once the view is made non-extensible its
//     elements are the target's own properties, as the Proxy invariants
//     require of what the traps report;
//   - for a view whose length may change, which cannot be made
//     non-extensible, an empty one.
//
// Each view's traps are closures over it, made once with the view, so an
// element access costs no lookup.

// newTypedArray returns the typed array with the slots v and prototype
// proto.
func (t *typedArrays) newTypedArray(v *view, proto *goja.Object) *goja.Object {
	ctor := t.ctors[kinds[v.kind].storage]
	var target *goja.Object
	var err error
	if v.fixedLength() {
		target, err = ctor(nil, v.buffer, t.vm.ToValue(v.offset), t.vm.ToValue(v.length))
	} else {
		target, err = ctor(nil, t.vm.ToValue(0))
	}
	if err != nil {
		panic(err)
	}
	if err := target.SetPrototype(proto); err != nil {
		panic(err)
	}
	var self *goja.Object
	self = t.vm.ToValue(t.vm.NewProxy(target, t.arrayTraps(v, &self))).(*goja.Object)
	t.views.Set(self, v)
	return self
}

// arrayTraps returns the traps of the typed array v; *self is the Proxy.
func (t *typedArrays) arrayTraps(v *view, self **goja.Object) *goja.ProxyTrapConfig {
	c := t.codec
	valid := func(i int) bool {
		_, ok := v.index(int64(i))
		return ok
	}
	return &goja.ProxyTrapConfig{
		// [[Get]] (https://tc39.es/ecma262/#sec-typedarray-get).
		GetIdx: func(_ *goja.Object, i int, _ goja.Value) goja.Value {
			return v.get(c, int64(i))
		},
		// [[Set]] (https://tc39.es/ecma262/#sec-typedarray-set).
		SetIdx: func(_ *goja.Object, i int, x, receiver goja.Value) bool {
			if receiver == *self {
				v.set(c, int64(i), x)
				return true
			}
			if !valid(i) {
				return true
			}
			return t.ordinarySet(receiver, strconv.Itoa(i), x)
		},
		Set: func(target *goja.Object, key string, x, receiver goja.Value) bool {
			if !t.canonicalNumeric(key) {
				return t.reflectSet(target, key, x, receiver)
			}
			// Not an integer: never a valid index, but the value is
			// converted when the receiver is the typed array.
			if receiver == *self {
				c.raw(v.kind, x)
			}
			return true
		},
		// [[HasProperty]] (https://tc39.es/ecma262/#sec-typedarray-hasproperty).
		HasIdx: func(_ *goja.Object, i int) bool { return valid(i) },
		// [[GetOwnProperty]] (https://tc39.es/ecma262/#sec-typedarray-getownproperty).
		GetOwnPropertyDescriptorIdx: func(_ *goja.Object, i int) goja.PropertyDescriptor {
			if !valid(i) {
				return goja.PropertyDescriptor{}
			}
			return goja.PropertyDescriptor{Value: v.get(c, int64(i)), Writable: goja.FLAG_TRUE, Enumerable: goja.FLAG_TRUE, Configurable: goja.FLAG_TRUE}
		},
		// [[DefineOwnProperty]] (https://tc39.es/ecma262/#sec-typedarray-defineownproperty).
		DefinePropertyIdx: func(_ *goja.Object, i int, d goja.PropertyDescriptor) bool {
			if !valid(i) || d.Configurable == goja.FLAG_FALSE || d.Enumerable == goja.FLAG_FALSE ||
				d.Getter != nil || d.Setter != nil || d.Writable == goja.FLAG_FALSE {
				return false
			}
			if d.Value != nil {
				v.set(c, int64(i), d.Value)
			}
			return true
		},
		// [[Delete]] (https://tc39.es/ecma262/#sec-typedarray-delete).
		DeletePropertyIdx: func(_ *goja.Object, i int) bool { return !valid(i) },
		// [[OwnPropertyKeys]] (https://tc39.es/ecma262/#sec-typedarray-ownpropertykeys).
		OwnKeys: func(target *goja.Object) *goja.Object {
			return t.ownKeys(target, max(v.arrayLength(), 0))
		},
		// [[PreventExtensions]] (https://tc39.es/ecma262/#sec-typedarray-preventextensions).
		PreventExtensions: func(target *goja.Object) bool {
			if !v.fixedLength() {
				return false
			}
			t.preventExtensions(target)
			return true
		},
	}
}

// canonicalNumeric tells whether key, a string that is not an integer goja
// passes to the Idx traps, is a CanonicalNumericIndexString
// (https://tc39.es/ecma262/#sec-canonicalnumericindexstring).
func (t *typedArrays) canonicalNumeric(key string) bool {
	if key == "" || key != "-0" && key[0] != '-' && key[0] != 'I' && key[0] != 'N' && (key[0] < '0' || key[0] > '9') {
		return false
	}
	return key == "-0" || t.vm.ToValue(key).ToNumber().String() == key
}

func (t *typedArrays) call(f goja.Callable, args ...goja.Value) goja.Value {
	v, err := f(goja.Undefined(), args...)
	if err != nil {
		panic(err)
	}
	return v
}

// ordinarySet is OrdinarySetWithOwnDescriptor
// (https://tc39.es/ecma262/#sec-ordinarysetwithowndescriptor) where the
// own descriptor is an element's: writable data.
func (t *typedArrays) ordinarySet(receiver goja.Value, key string, x goja.Value) bool {
	return t.call(t.helpers.ordinarySet, receiver, t.vm.ToValue(key), x).ToBoolean()
}

func (t *typedArrays) reflectSet(target *goja.Object, key string, x, receiver goja.Value) bool {
	return t.call(t.helpers.set, target, t.vm.ToValue(key), x, receiver).ToBoolean()
}

// ownKeys is the keys of a typed array with n elements whose other
// properties are target's.
func (t *typedArrays) ownKeys(target *goja.Object, n int64) *goja.Object {
	return t.call(t.helpers.ownKeys, target, t.vm.ToValue(n)).(*goja.Object)
}

func (t *typedArrays) preventExtensions(target *goja.Object) {
	t.call(t.helpers.preventExtensions, target)
}

// iterator returns an iterator of %ArrayIteratorPrototype% over the typed
// array v, made by method (Array.prototype.values, keys or entries). goja's
// iterators read the "length" of what they iterate at each step; they are
// given a Proxy of the view whose "length" is TypedArrayLength, or a
// TypeError once it is out of bounds, as %ArrayIteratorPrototype%.next
// checks (https://tc39.es/ecma262/#sec-createarrayiterator step 2.b.i).
func (t *typedArrays) iterator(o *goja.Object, v *view, method nativeFunc) goja.Value {
	lengthOf := &goja.ProxyTrapConfig{
		Get: func(_ *goja.Object, key string, _ goja.Value) goja.Value {
			if key != "length" {
				i, err := strconv.ParseInt(key, 10, 64)
				if err != nil {
					return goja.Undefined()
				}
				return v.get(t.codec, i)
			}
			n := v.arrayLength()
			if n < 0 {
				panic(t.vm.NewTypeError(outOfBounds))
			}
			return t.vm.ToValue(n)
		},
	}
	facade := t.vm.ToValue(t.vm.NewProxy(o, lengthOf))
	return method(goja.FunctionCall{This: facade})
}

// outOfBounds is the message of the TypeError a method throws for a view
// that is out of bounds or whose buffer is detached.
const outOfBounds = "Cannot perform this operation on a detached or out-of-bounds ArrayBuffer"
