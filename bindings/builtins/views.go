package builtins

import (
	"reflect"

	"github.com/dop251/goja"
)

// goja's typed arrays and DataViews keep the byte offset and length they are
// made with, and check a detached buffer but not a shorter one. A view over a
// resizable ArrayBuffer or a growable SharedArrayBuffer needs what ECMAScript
// 2024 added: a length that tracks the buffer's ([[ArrayLength]] auto), and
// bounds checked against the buffer's length now (IsTypedArrayOutOfBounds,
// https://tc39.es/ecma262/#sec-istypedarrayoutofbounds, and
// IsViewOutOfBounds, https://tc39.es/ecma262/#sec-isviewoutofbounds). goja
// cannot be given either without a fork, so those views, and every
// Float16Array (an element type goja lacks), are made here: a view is the
// internal slots below, and the object script sees is a goja Proxy
// (viewproxy.go, dataview.go) whose traps are the exotic object's internal
// methods; the %TypedArray%.prototype and DataView.prototype functions are
// replaced by ones that take the spec's steps for these views and call goja's
// own for goja's (typedarrays.go, js/typedarray.js).
//
// Buffers make this possible without copying: a resizable or growable buffer
// is a goja ArrayBuffer whose Go slice is allocated at its maximum length
// (buffers.go), so a view's bytes never move; only the length it sees
// changes, and the bytes beyond it, which resize zeroes, are never read.
//
// The trade-offs, against the alternatives:
//
//   - goja's views cannot be made to track a length: their offset and
//     length are unexported fields, which only writing through unsafe
//     pointers (a fork in all but name, broken by any change of goja's
//     layout) could update on every resize.
//   - Views over fixed-length ArrayBuffers, the common case, stay goja's.
//     What the replaced functions add to them is a check of the receiver's
//     Go type and a native call (typedarrays.go); element access and
//     goja's own algorithms are untouched.
//   - This package's views pay for being Proxies: an element access goes
//     through goja's Proxy machinery (two to three times goja's own), a
//     method runs the spec's steps in JavaScript but for the loops that run
//     no script (typedarrayloops.go), and a view costs a target, a Proxy
//     and its traps when made.
//   - Where goja's own functions take a typed array as an argument rather
//     than a receiver, they see one of these as an ordinary object; those
//     it matters for are replaced too (the constructors, set,
//     ArrayBuffer.isView, Array.prototype.keys and entries), but for
//     Array.prototype.values, which is also Array.prototype[@@iterator],
//     whose identity goja's fast paths for arrays check: its iterators over
//     these views end when the view goes out of bounds instead of throwing.
//     goja's own methods also refuse a species constructor that makes one
//     of these views for one of goja's.

// A view is the internal slots of a typed array or DataView this package
// makes (https://tc39.es/ecma262/#table-internal-slots-of-typedarray-instances,
// https://tc39.es/ecma262/#sec-properties-of-dataview-instances).
type view struct {
	kind   elemKind         // [[TypedArrayName]], or kindDataView
	buffer *goja.Object     // [[ViewedArrayBuffer]]
	ab     goja.ArrayBuffer // buffer, as goja exports it
	buf    *buffer          // what buffers.go knows of buffer; nil for a fixed-length ArrayBuffer
	offset int64            // [[ByteOffset]]
	// length is [[ArrayLength]] of a typed array, [[ByteLength]] of a
	// DataView, or auto (-1) for one that tracks its buffer's length.
	length int64
}

const auto = -1

// newView returns the slots of a view over the ArrayBuffer buffer.
func newView(kind elemKind, buffer *goja.Object, offset, length int64) *view {
	ab, b, _ := bufferOf(buffer)
	return &view{kind: kind, buffer: buffer, ab: ab, buf: b, offset: offset, length: length}
}

// elementSize is TypedArrayElementSize, 1 for a DataView.
func (v *view) elementSize() int64 {
	if v.kind == kindDataView {
		return 1
	}
	return v.kind.size()
}

// bufferLength is ArrayBufferByteLength
// (https://tc39.es/ecma262/#sec-arraybufferbytelength) of the view's
// buffer, which must not be detached.
func (v *view) bufferLength() int64 {
	switch {
	case v.buf == nil:
		return int64(len(v.ab.Bytes()))
	case v.buf.block != nil:
		return v.buf.block.byteLength()
	}
	return v.buf.length
}

// bounds returns the byte length the view sees now (TypedArrayByteLength,
// https://tc39.es/ecma262/#sec-typedarraybytelength, or GetViewByteLength,
// https://tc39.es/ecma262/#sec-getviewbytelength), or ok false if it is out
// of bounds, its buffer detached included.
func (v *view) bounds() (byteLength int64, ok bool) {
	if v.ab.Detached() {
		return 0, false
	}
	n := v.bufferLength()
	if v.offset > n {
		return 0, false
	}
	if v.length == auto {
		size := v.elementSize()
		return (n - v.offset) / size * size, true
	}
	byteLength = v.length * v.elementSize()
	return byteLength, v.offset+byteLength <= n
}

// arrayLength is TypedArrayLength (https://tc39.es/ecma262/#sec-typedarraylength),
// or -1 if the view is out of bounds (IsTypedArrayOutOfBounds).
func (v *view) arrayLength() int64 {
	n, ok := v.bounds()
	if !ok {
		return -1
	}
	return n / v.elementSize()
}

// fixedLength is IsTypedArrayFixedLength
// (https://tc39.es/ecma262/#sec-istypedarrayfixedlength), and tells whether
// a DataView's length is fixed likewise.
func (v *view) fixedLength() bool {
	return v.length != auto && (v.buf == nil || v.buf.block != nil)
}

// index returns the byte index in the buffer of element i, or ok false if i
// is not a valid integer index (IsValidIntegerIndex,
// https://tc39.es/ecma262/#sec-isvalidintegerindex).
func (v *view) index(i int64) (int64, bool) {
	n, ok := v.bounds()
	size := v.kind.size()
	if !ok || i < 0 || i >= n/size {
		return 0, false
	}
	return v.offset + i*size, true
}

// get is TypedArrayGetElement (https://tc39.es/ecma262/#sec-typedarraygetelement),
// but for undefined, which is nil: goja's way to say that a property is
// absent, which its Array.prototype functions take for HasProperty false, as
// they do for its own typed arrays.
func (v *view) get(c codec, i int64) goja.Value {
	at, ok := v.index(i)
	if !ok {
		return nil
	}
	return c.value(v.kind, loadElem(v.ab.Bytes(), at, v.kind.size(), nil))
}

// set is TypedArraySetElement (https://tc39.es/ecma262/#sec-typedarraysetelement):
// the value is converted first, which may detach or resize the buffer.
func (v *view) set(c codec, i int64, x goja.Value) {
	bits := c.raw(v.kind, x)
	if at, ok := v.index(i); ok {
		storeElem(v.ab.Bytes(), at, v.kind.size(), bits, nil)
	}
}

var proxyType = reflect.TypeOf(goja.Proxy{})
