package builtins

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// A View is what structured serialization reads of a typed array or DataView
// this package made (views.go), which is a Proxy to goja: the internal slots
// HTML's StructuredSerializeInternal reads
// (https://html.spec.whatwg.org/multipage/structured-data.html#structuredserializeinternal
// step 14).
type View struct {
	// Name is "DataView" or the [[TypedArrayName]].
	Name   string
	Buffer *goja.Object // [[ViewedArrayBuffer]]
	// ByteOffset is [[ByteOffset]]; Length is [[ArrayLength]] (elements)
	// or a DataView's [[ByteLength]], unless LengthTracking, when they
	// are auto.
	ByteOffset, Length int64
	LengthTracking     bool
	// OutOfBounds is IsArrayBufferViewOutOfBounds: the buffer is detached
	// or too short for the view.
	OutOfBounds bool
}

// ViewOf returns the slots of o if it is a typed array or DataView the
// built-ins of realm made.
func ViewOf(realm *webidl.Realm, o *goja.Object) (View, bool) {
	t := typedArraysOf(realm)
	if t == nil {
		return View{}, false
	}
	v := t.ours(o)
	if v == nil {
		return View{}, false
	}
	name := "DataView"
	if v.kind != kindDataView {
		name = kinds[v.kind].name
	}
	_, ok := v.bounds()
	return View{Name: name, Buffer: v.buffer, ByteOffset: v.offset, Length: v.length, LengthTracking: v.length == auto, OutOfBounds: !ok}, true
}

// NewView returns a new typed array or DataView of realm over buffer, made
// with the arguments (buffer, byteOffset, length) by the constructor name
// ("DataView" or a [[TypedArrayName]]) script sees, or with (buffer,
// byteOffset) when lengthTracking; ok is false if the built-ins are not
// installed in realm or have no such constructor.
func NewView(realm *webidl.Realm, name string, buffer *goja.Object, byteOffset, length int64, lengthTracking bool) (o *goja.Object, ok bool, err error) {
	t := typedArraysOf(realm)
	if t == nil {
		return nil, false, nil
	}
	var ctor *goja.Object
	if name == "DataView" {
		ctor = t.dataView
	} else if k, found := kindNamed(name); found {
		ctor = t.builtin[k]
	}
	c, isCtor := goja.AssertConstructor(ctor)
	if ctor == nil || !isCtor {
		return nil, false, nil
	}
	args := []goja.Value{buffer, t.vm.ToValue(byteOffset)}
	if !lengthTracking {
		args = append(args, t.vm.ToValue(length))
	}
	o, err = c(nil, args...)
	return o, true, err
}
