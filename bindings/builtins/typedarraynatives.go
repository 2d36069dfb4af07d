package builtins

import (
	"math"

	"github.com/dop251/goja"
)

// natives returns the native object js/typedarray.js is run with: the
// internal slots of typed arrays, goja's and this package's alike, and the
// steps of the methods that copy bytes, which run no script.
func (t *typedArrays) natives() *goja.Object {
	vm := t.vm
	n := vm.NewObject()
	set := func(name string, f func(goja.FunctionCall) goja.Value) { _ = n.Set(name, f) }
	set("kindOf", func(c goja.FunctionCall) goja.Value { return vm.ToValue(t.kindOf(c.Argument(0))) })
	set("validate", func(c goja.FunctionCall) goja.Value {
		_, n := t.validate(c.Argument(0))
		return vm.ToValue(n)
	})
	set("lengthOf", func(c goja.FunctionCall) goja.Value { return vm.ToValue(t.array(c.Argument(0)).arrayLength()) })
	set("bufferOf", func(c goja.FunctionCall) goja.Value { return t.array(c.Argument(0)).buffer })
	set("byteOffsetOf", func(c goja.FunctionCall) goja.Value { return vm.ToValue(t.array(c.Argument(0)).offset) })
	set("isAuto", func(c goja.FunctionCall) goja.Value { return vm.ToValue(t.array(c.Argument(0)).length == auto) })
	set("exotic", func(c goja.FunctionCall) goja.Value {
		v := t.ours(c.Argument(0))
		return vm.ToValue(v != nil && v.kind != kindDataView)
	})
	set("create", func(c goja.FunctionCall) goja.Value {
		v := newView(elemKind(c.Argument(0).ToInteger()), c.Argument(1).(*goja.Object), c.Argument(2).ToInteger(), c.Argument(3).ToInteger())
		return t.newTypedArray(v, c.Argument(4).(*goja.Object))
	})
	set("createDataView", func(c goja.FunctionCall) goja.Value {
		v := newView(kindDataView, c.Argument(0).(*goja.Object), c.Argument(1).ToInteger(), c.Argument(2).ToInteger())
		return t.newDataView(v, c.Argument(3).(*goja.Object))
	})
	set("fromTypedArray", func(c goja.FunctionCall) goja.Value {
		return t.fromTypedArray(elemKind(c.Argument(0).ToInteger()), c.Argument(1), c.Argument(2).(*goja.Object))
	})
	set("setTypedArray", func(c goja.FunctionCall) goja.Value {
		t.setTypedArray(c.Argument(0), c.Argument(1).ToFloat(), c.Argument(2))
		return goja.Undefined()
	})
	set("copyWithin", func(c goja.FunctionCall) goja.Value {
		t.copyWithin(c.Argument(0), c.Argument(1).ToInteger(), c.Argument(2).ToInteger(), c.Argument(3).ToInteger())
		return goja.Undefined()
	})
	set("copyElements", func(c goja.FunctionCall) goja.Value {
		t.copyElements(c.Argument(0), c.Argument(1), c.Argument(2).ToInteger(), c.Argument(3).ToInteger())
		return goja.Undefined()
	})
	set("fill", func(c goja.FunctionCall) goja.Value {
		t.fill(c.Argument(0), c.Argument(1), c.Argument(2).ToInteger(), c.Argument(3).ToInteger())
		return goja.Undefined()
	})
	set("search", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(t.search(c.Argument(0), c.Argument(1), c.Argument(2).ToInteger(), c.Argument(3).ToInteger(), int(c.Argument(4).ToInteger())))
	})
	set("join", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(t.join(c.Argument(0), c.Argument(1).String(), c.Argument(2).ToInteger()))
	})
	set("reverse", func(c goja.FunctionCall) goja.Value {
		t.reverse(c.Argument(0), c.Argument(1).ToInteger())
		return goja.Undefined()
	})
	set("sort", func(c goja.FunctionCall) goja.Value {
		t.sort(c.Argument(0), c.Argument(1).ToInteger())
		return goja.Undefined()
	})
	set("iterate", func(c goja.FunctionCall) goja.Value {
		o := c.Argument(0).(*goja.Object)
		return t.iterator(o, t.ours(o), t.arrayIterators[c.Argument(1).ToInteger()])
	})
	set("bufferKind", func(c goja.FunctionCall) goja.Value { return vm.ToValue(bufferKind(c.Argument(0))) })
	set("detached", func(c goja.FunctionCall) goja.Value { return vm.ToValue(isDetached(c.Argument(0))) })
	set("bufferLength", func(c goja.FunctionCall) goja.Value { return vm.ToValue(byteLength(c.Argument(0))) })
	set("allocate", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(vm.NewArrayBuffer(t.alloc.bytes(c.Argument(0).ToInteger())))
	})
	return n
}

// kindOf returns the element type of the typed array v, or -1 if v is not
// one.
func (t *typedArrays) kindOf(v goja.Value) elemKind {
	if w := t.ours(v); w != nil {
		return w.kind
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return -1
	}
	tag := t.tag(goja.FunctionCall{This: o})
	if goja.IsUndefined(tag) {
		return -1
	}
	k, _ := kindNamed(tag.String())
	return k
}

// over returns a typed array of kind over the whole of buffer, with
// prototype proto: goja's, but for a Float16Array.
func (t *typedArrays) over(kind elemKind, buffer *goja.Object, length int64, proto *goja.Object) *goja.Object {
	if kind == kindFloat16 {
		return t.newTypedArray(newView(kind, buffer, 0, length), proto)
	}
	o, err := t.ctors[kind](nil, buffer)
	if err != nil {
		panic(err)
	}
	if err := o.SetPrototype(proto); err != nil {
		panic(err)
	}
	return o
}

// fromTypedArray is InitializeTypedArrayFromTypedArray
// (https://tc39.es/ecma262/#sec-initializetypedarrayfromtypedarray) of a
// typed array of kind with prototype proto, whose allocation has been
// asked for.
func (t *typedArrays) fromTypedArray(kind elemKind, source goja.Value, proto *goja.Object) *goja.Object {
	src := t.array(source)
	n := src.arrayLength()
	if n < 0 {
		panic(t.vm.NewTypeError(outOfBounds))
	}
	size, srcSize := kind.size(), src.kind.size()
	data := t.alloc.bytes(n * size)
	if kind.isBigInt() != src.kind.isBigInt() {
		panic(t.vm.NewTypeError("Cannot mix BigInt and other types, use explicit conversions"))
	}
	from := src.ab.Bytes()[src.offset : src.offset+n*srcSize]
	if kind == src.kind {
		copy(data, from)
	} else {
		for i := range n {
			storeElem(data, i*size, size, t.codec.convertBits(src.kind, kind, loadElem(from, i*srcSize, srcSize, nil)), nil)
		}
	}
	buffer := t.vm.ToValue(t.vm.NewArrayBuffer(data)).(*goja.Object)
	return t.over(kind, buffer, n, proto)
}

// setTypedArray is SetTypedArrayFromTypedArray
// (https://tc39.es/ecma262/#sec-settypedarrayfromtypedarray).
func (t *typedArrays) setTypedArray(target goja.Value, targetOffset float64, source goja.Value) {
	dst, targetLength := t.validate(target)
	src, srcLength := t.validate(source)
	if math.IsInf(targetOffset, 1) || float64(srcLength)+targetOffset > float64(targetLength) {
		panic(t.realm.NewRangeError("offset is out of bounds"))
	}
	if dst.kind.isBigInt() != src.kind.isBigInt() {
		panic(t.vm.NewTypeError("Cannot mix BigInt and other types, use explicit conversions"))
	}
	size, srcSize := dst.kind.size(), src.kind.size()
	from := src.ab.Bytes()[src.offset : src.offset+srcLength*srcSize]
	to := dst.ab.Bytes()[dst.offset+int64(targetOffset)*size:]
	if dst.kind == src.kind {
		// copy has memmove's semantics: the same bytes as cloning the
		// source first where the views share a buffer.
		copy(to, from)
		return
	}
	if sameMemory(dst, src) {
		from = append([]byte(nil), from...)
	}
	for i := range srcLength {
		storeElem(to, i*size, size, t.codec.convertBits(src.kind, dst.kind, loadElem(from, i*srcSize, srcSize, nil)), nil)
	}
}

// sameMemory tells whether a and b view the same buffer, or the same
// shared memory (https://tc39.es/ecma262/#sec-settypedarrayfromtypedarray
// steps 17-18).
func sameMemory(a, b *view) bool {
	if a.buffer == b.buffer {
		return true
	}
	return a.buf != nil && b.buf != nil && a.buf.block != nil && a.buf.block == b.buf.block
}

// copyWithin is %TypedArray%.prototype.copyWithin
// (https://tc39.es/ecma262/#sec-%typedarray%.prototype.copywithin) from
// step 12.b, for count elements from index from to index to: the
// conversions before it may have shrunk the view, and then the longest
// prefix that still fits is copied.
func (t *typedArrays) copyWithin(o goja.Value, to, from, count int64) {
	v, length := t.validate(o)
	count = min(count, length-from, length-to)
	if count <= 0 {
		return
	}
	size := v.kind.size()
	toByte, fromByte, n := to*size+v.offset, from*size+v.offset, count*size
	data := v.ab.Bytes()
	// copy has memmove's semantics: the direction the spec picks for
	// overlapping ranges.
	copy(data[toByte:toByte+n], data[fromByte:fromByte+n])
}

// copyElements copies count elements from source, from index start, to the
// start of target, of the same element type, as
// %TypedArray%.prototype.slice does
// (https://tc39.es/ecma262/#sec-%typedarray%.prototype.slice step 11.f):
// byte by byte, forwards.
func (t *typedArrays) copyElements(target, source goja.Value, start, count int64) {
	dst, src := t.array(target), t.array(source)
	size := src.kind.size()
	n := count * size
	from := src.ab.Bytes()[src.offset+start*size:]
	to := dst.ab.Bytes()[dst.offset:]
	n = min(n, int64(len(from)), int64(len(to)))
	for i := range n {
		to[i] = from[i]
	}
}
