package streams

import (
	"errors"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/builtins"
	"github.com/wsjs/wsjs/webidl"
)

// This file reads and makes the ArrayBuffers and ArrayBufferViews of readable byte
// streams through the intrinsics captured when the binding was registered, so that
// script changing the globals or the prototypes (patched-global tests) cannot
// interfere, as the standard's ! Construct(%Uint8Array%, ...) and internal slot reads
// cannot be.

// viewIntrinsics holds the getters that read the internal slots of typed arrays and
// DataViews, and the ArrayBuffer constructor and byteLength getter.
type viewIntrinsics struct {
	arrayBufferCtor goja.Constructor
	bufferLength    goja.Callable // get ArrayBuffer.prototype.byteLength
	taTag           goja.Callable // get %TypedArray%.prototype[@@toStringTag]
	taBuffer        goja.Callable
	taOffset        goja.Callable
	taByteLength    goja.Callable
	taLength        goja.Callable
	dvBuffer        goja.Callable
	dvOffset        goja.Callable
	dvByteLength    goja.Callable
}

// elementSizes is the Element Size column of the typed array constructors table
// (https://tc39.es/ecma262/#table-the-typedarray-constructors).
var elementSizes = map[string]int64{
	"Int8Array": 1, "Uint8Array": 1, "Uint8ClampedArray": 1,
	"Int16Array": 2, "Uint16Array": 2, "Float16Array": 2,
	"Int32Array": 4, "Uint32Array": 4, "Float32Array": 4,
	"Float64Array": 8, "BigInt64Array": 8, "BigUint64Array": 8,
}

// captureViewIntrinsics captures the intrinsics of viewIntrinsics. The built-ins
// binding, which replaces ArrayBuffer and the views, must be installed.
func (b *binding) captureViewIntrinsics() error {
	g := b.r.Global()
	in := webidl.Intrinsics{VM: b.vm}
	proto := func(name string) (*goja.Object, error) {
		c, ok := g.Get(name).(*goja.Object)
		if !ok {
			return nil, errors.New("streams: " + name + " is not defined")
		}
		p, ok := c.Get("prototype").(*goja.Object)
		if !ok {
			return nil, errors.New("streams: " + name + ".prototype is not an object")
		}
		return p, nil
	}
	abProto, err := proto("ArrayBuffer")
	if err != nil {
		return err
	}
	u8Proto, err := proto("Uint8Array")
	if err != nil {
		return err
	}
	dvProto, err := proto("DataView")
	if err != nil {
		return err
	}
	taProto := u8Proto.Prototype()
	if taProto == nil {
		return errors.New("streams: %TypedArray%.prototype is missing")
	}
	v := &b.views
	v.arrayBufferCtor, _ = goja.AssertConstructor(g.Get("ArrayBuffer"))
	getters := []struct {
		dst   *goja.Callable
		proto *goja.Object
		name  goja.Value
	}{
		{&v.bufferLength, abProto, b.vm.ToValue("byteLength")},
		{&v.taTag, taProto, goja.SymToStringTag},
		{&v.taBuffer, taProto, b.vm.ToValue("buffer")},
		{&v.taOffset, taProto, b.vm.ToValue("byteOffset")},
		{&v.taByteLength, taProto, b.vm.ToValue("byteLength")},
		{&v.taLength, taProto, b.vm.ToValue("length")},
		{&v.dvBuffer, dvProto, b.vm.ToValue("buffer")},
		{&v.dvOffset, dvProto, b.vm.ToValue("byteOffset")},
		{&v.dvByteLength, dvProto, b.vm.ToValue("byteLength")},
	}
	for _, gt := range getters {
		if *gt.dst = in.Getter(gt.proto, gt.name); *gt.dst == nil {
			return errors.New("streams: a getter of the ArrayBuffer views is missing")
		}
	}
	if v.arrayBufferCtor == nil {
		return errors.New("streams: ArrayBuffer is not a constructor")
	}
	return nil
}

// viewSlots are the internal slots of an ArrayBufferView the byte streams read.
type viewSlots struct {
	buffer     *goja.Object // [[ViewedArrayBuffer]]
	byteOffset int64        // [[ByteOffset]]
	byteLength int64        // [[ByteLength]] (0 once the buffer is detached)
	// name is the [[TypedArrayName]], or "DataView".
	name        string
	elementSize int64
	length      int64 // [[ArrayLength]] of a typed array
}

// call calls a getter that runs no script, returning undefined if it throws (a
// DataView's getters do once its buffer is detached).
func (b *binding) call(f goja.Callable, o goja.Value) goja.Value {
	var v goja.Value = goja.Undefined()
	_ = b.vm.Try(func() {
		if r, err := f(o); err == nil {
			v = r
		}
	})
	return v
}

// toView converts v to the IDL type ArrayBufferView
// (https://webidl.spec.whatwg.org/#js-buffer-source-types), throwing a TypeError for
// anything else, including a view of a SharedArrayBuffer, and returns its slots.
func (b *binding) toView(v goja.Value) viewSlots {
	if !b.r.IsArrayBufferView(v) {
		b.r.ThrowTypeError("The provided value is not of type 'ArrayBufferView'.")
	}
	s := b.viewOf(v)
	if !b.r.IsArrayBuffer(s.buffer) {
		b.r.ThrowTypeError("The provided ArrayBufferView's buffer is a SharedArrayBuffer.")
	}
	return s
}

// viewOf reads the slots of the ArrayBufferView v.
func (b *binding) viewOf(v goja.Value) viewSlots {
	in := &b.views
	if tag := b.call(in.taTag, v); goja.IsString(tag) {
		name := tag.String()
		s := viewSlots{name: name, elementSize: elementSizes[name]}
		s.buffer, _ = b.call(in.taBuffer, v).(*goja.Object)
		s.byteOffset = b.call(in.taOffset, v).ToInteger()
		s.byteLength = b.call(in.taByteLength, v).ToInteger()
		s.length = b.call(in.taLength, v).ToInteger()
		return s
	}
	s := viewSlots{name: "DataView", elementSize: 1}
	s.buffer, _ = b.call(in.dvBuffer, v).(*goja.Object)
	s.byteOffset = b.call(in.dvOffset, v).ToInteger()
	s.byteLength = b.call(in.dvByteLength, v).ToInteger()
	s.length = s.byteLength
	return s
}

// isDetached is IsDetachedBuffer (https://tc39.es/ecma262/#sec-isdetachedbuffer).
func isDetached(buffer *goja.Object) bool {
	ab, ok := buffer.Export().(goja.ArrayBuffer)
	return !ok || ab.Detached()
}

// bufferByteLength is an ArrayBuffer's [[ArrayBufferByteLength]] (0 once detached).
func (b *binding) bufferByteLength(buffer *goja.Object) int64 {
	return b.call(b.views.bufferLength, buffer).ToInteger()
}

// transferArrayBuffer is TransferArrayBuffer
// (https://streams.spec.whatwg.org/#transfer-array-buffer): a new ArrayBuffer of the
// current realm takes O's data, and O is detached.
func (b *binding) transferArrayBuffer(o *goja.Object) *goja.Object {
	// Steps 2-3.
	data := builtins.BytesInUse(o)
	if data == nil {
		data = []byte{}
	}
	// Step 4: DetachArrayBuffer, which fails for a buffer with a detach key.
	if !builtins.Detachable(o) {
		b.r.ThrowTypeError("Cannot transfer a non-detachable ArrayBuffer")
	}
	ab := o.Export().(goja.ArrayBuffer)
	ab.Detach()
	// Step 5.
	return b.r.NewArrayBuffer(data)
}

// canTransferArrayBuffer is CanTransferArrayBuffer
// (https://streams.spec.whatwg.org/#can-transfer-array-buffer): false for a
// detached buffer and for one with an [[ArrayBufferDetachKey]] (a
// WebAssembly.Memory's).
func canTransferArrayBuffer(o *goja.Object) bool {
	return !isDetached(o) && builtins.Detachable(o)
}

// cloneArrayBuffer is CloneArrayBuffer(srcBuffer, srcByteOffset, srcLength,
// %ArrayBuffer%) (https://tc39.es/ecma262/#sec-clonearraybuffer); it throws the
// RangeError of a failed allocation.
func (b *binding) cloneArrayBuffer(src *goja.Object, offset, length int64) *goja.Object {
	data := builtins.BytesInUse(src)
	if offset < 0 || length < 0 || offset+length > int64(len(data)) {
		b.r.ThrowTypeError("The ArrayBuffer is detached or too short")
	}
	return b.r.NewArrayBuffer(builtins.CopyBytes(b.r, data[offset:offset+length]))
}

// cloneAsUint8Array is CloneAsUint8Array
// (https://streams.spec.whatwg.org/#abstract-opdef-cloneasuint8array).
func (b *binding) cloneAsUint8Array(chunk goja.Value) *goja.Object {
	s := b.viewOf(chunk)
	// Steps 4-5.
	buffer := b.cloneArrayBuffer(s.buffer, s.byteOffset, s.byteLength)
	return b.newView("Uint8Array", buffer, 0, s.byteLength)
}

// copyDataBlockBytes copies count bytes from fromBuffer at fromIndex to toBuffer at
// toIndex after checking CanCopyDataBlockBytes
// (https://streams.spec.whatwg.org/#abstract-opdef-cancopydatablockbytes), whose
// failure is a TypeError rather than a read or write out of bounds.
func (b *binding) copyDataBlockBytes(toBuffer *goja.Object, toIndex int64, fromBuffer *goja.Object, fromIndex, count int64) {
	to, from := builtins.BytesInUse(toBuffer), builtins.BytesInUse(fromBuffer)
	if toBuffer == fromBuffer || to == nil || from == nil ||
		toIndex+count > int64(len(to)) || fromIndex+count > int64(len(from)) {
		panic(b.newTypeError("The bytes cannot be copied between these buffers"))
	}
	copy(to[toIndex:toIndex+count], from[fromIndex:fromIndex+count])
}

// newView is ! Construct(ctor, « buffer, byteOffset, length ») for the view
// constructor named name ("DataView" or a [[TypedArrayName]]).
func (b *binding) newView(name string, buffer *goja.Object, byteOffset, length int64) *goja.Object {
	o, ok, err := builtins.NewView(b.r, name, buffer, byteOffset, length, false)
	rethrow(err)
	if !ok {
		b.r.ThrowTypeError("%s is not a view constructor of this realm", name)
	}
	return o
}

// newArrayBuffer is Construct(%ArrayBuffer%, « size »), which may throw.
func (b *binding) newArrayBuffer(size int64) *goja.Object {
	o, err := b.views.arrayBufferCtor(nil, b.vm.ToValue(size))
	rethrow(err)
	return o
}
