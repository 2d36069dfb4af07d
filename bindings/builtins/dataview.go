package builtins

import (
	"encoding/binary"
	"math"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// A DataView over a resizable ArrayBuffer or a growable SharedArrayBuffer is
// made here (views.go says why): a Proxy without traps over an ordinary
// object of the prototype asked for, so that DataView.prototype's functions
// tell it from goja's DataViews by its Go type, as they do typed arrays. Its
// getters and get and set methods take the spec's steps below; so do
// getFloat16 and setFloat16 for every DataView, which goja lacks.

// newDataView returns the DataView with the slots v and prototype proto.
func (t *typedArrays) newDataView(v *view, proto *goja.Object) *goja.Object {
	o := t.vm.ToValue(t.vm.NewProxy(t.vm.CreateObject(proto), &goja.ProxyTrapConfig{})).(*goja.Object)
	t.views.Set(o, v)
	return o
}

// dataViewMethods are the element types of DataView.prototype's get and
// set methods.
var dataViewMethods = []struct {
	name string
	kind elemKind
}{
	{"Int8", kindInt8}, {"Uint8", kindUint8}, {"Int16", kindInt16}, {"Uint16", kindUint16},
	{"Int32", kindInt32}, {"Uint32", kindUint32}, {"Float16", kindFloat16}, {"Float32", kindFloat32},
	{"Float64", kindFloat64}, {"BigInt64", kindBigInt64}, {"BigUint64", kindBigUint64},
}

// installDataViews replaces the functions of DataView.prototype with ones
// that serve this package's DataViews too, and adds getFloat16 and
// setFloat16.
func (t *typedArrays) installDataViews() error {
	vm := t.vm
	proto := webidl.Intrinsics{VM: vm}.Object("DataView", "prototype")
	natives := make(map[string]nativeFunc)
	for _, key := range []string{"buffer", "byteOffset", "byteLength"} {
		d := t.property(proto, key)
		if d == nil {
			return errMissing("DataView.prototype." + key)
		}
		f, err := nativeOf(d.Get("get"))
		if err != nil {
			return err
		}
		natives[key] = f
	}
	getters := map[string]func(*view) goja.Value{
		// https://tc39.es/ecma262/#sec-get-dataview.prototype.buffer
		"buffer": func(v *view) goja.Value { return v.buffer },
		// https://tc39.es/ecma262/#sec-get-dataview.prototype.bytelength
		"byteLength": func(v *view) goja.Value {
			n, ok := v.bounds()
			if !ok {
				panic(vm.NewTypeError(outOfBounds))
			}
			return vm.ToValue(n)
		},
		// https://tc39.es/ecma262/#sec-get-dataview.prototype.byteoffset
		"byteOffset": func(v *view) goja.Value {
			if _, ok := v.bounds(); !ok {
				panic(vm.NewTypeError(outOfBounds))
			}
			return vm.ToValue(v.offset)
		},
	}
	for _, key := range []string{"buffer", "byteLength", "byteOffset"} {
		native, ours := natives[key], getters[key]
		get := webidl.NewFunction(vm, "get "+key, 0, func(call goja.FunctionCall) goja.Value {
			if v := t.ours(call.This); v != nil && v.kind == kindDataView {
				return ours(v)
			}
			return native(call)
		})
		if err := proto.DefineAccessorProperty(key, get, nil, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	t.dvBuffer, t.dvOffset, t.dvLength = natives["buffer"], natives["byteOffset"], natives["byteLength"]
	for _, m := range dataViewMethods {
		for _, set := range []bool{false, true} {
			if err := t.dataViewMethod(proto, m.name, m.kind, set); err != nil {
				return err
			}
		}
	}
	return nil
}

// dataViewMethod defines DataView.prototype.getType or setType.
func (t *typedArrays) dataViewMethod(proto *goja.Object, typ string, kind elemKind, set bool) error {
	name, length := "get"+typ, 1
	if set {
		name, length = "set"+typ, 2
	}
	var native nativeFunc
	if kind != kindFloat16 {
		var err error
		if native, err = nativeOf(proto.Get(name)); err != nil {
			return err
		}
	}
	f := webidl.NewFunction(t.vm, name, length, func(call goja.FunctionCall) goja.Value {
		v := t.ours(call.This)
		if v == nil || v.kind != kindDataView {
			if native != nil {
				return native(call)
			}
			v = t.gojaDataView(call.This)
		}
		if set {
			t.setViewValue(v, call.Argument(0), call.Argument(2), kind, call.Argument(1))
			return goja.Undefined()
		}
		return t.getViewValue(v, call.Argument(0), call.Argument(1), kind)
	})
	return proto.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// gojaDataView returns the slots of v, one of goja's DataViews, read
// through its getters; RequireInternalSlot(v, [[DataView]]) throws the
// TypeError of goja's buffer getter for anything else.
func (t *typedArrays) gojaDataView(v goja.Value) *view {
	this := goja.FunctionCall{This: v}
	buffer := t.dvBuffer(this).(*goja.Object)
	if ab, _, _ := bufferOf(buffer); ab.Detached() {
		// Detached, so out of bounds whatever the offset and length
		// goja no longer gives.
		return newView(kindDataView, buffer, 0, 0)
	}
	return newView(kindDataView, buffer, t.dvOffset(this).ToInteger(), t.dvLength(this).ToInteger())
}

// getViewValue is GetViewValue (https://tc39.es/ecma262/#sec-getviewvalue)
// from step 3.
func (t *typedArrays) getViewValue(v *view, requestIndex, littleEndian goja.Value, kind elemKind) goja.Value {
	getIndex := t.toIndex(requestIndex)
	order := byteOrder(littleEndian.ToBoolean())
	at := t.viewIndex(v, getIndex, kind)
	return t.codec.value(kind, loadElem(v.ab.Bytes(), at, kind.size(), order))
}

// setViewValue is SetViewValue (https://tc39.es/ecma262/#sec-setviewvalue)
// from step 3.
func (t *typedArrays) setViewValue(v *view, requestIndex, littleEndian goja.Value, kind elemKind, value goja.Value) {
	getIndex := t.toIndex(requestIndex)
	bits := t.codec.raw(kind, value)
	order := byteOrder(littleEndian.ToBoolean())
	at := t.viewIndex(v, getIndex, kind)
	storeElem(v.ab.Bytes(), at, kind.size(), bits, order)
}

// viewIndex takes the steps GetViewValue and SetViewValue share after the
// conversions: it returns the byte index in the buffer of an element of
// kind at getIndex in the view, or throws.
func (t *typedArrays) viewIndex(v *view, getIndex int64, kind elemKind) int64 {
	viewSize, ok := v.bounds()
	if !ok {
		panic(t.vm.NewTypeError(outOfBounds))
	}
	if getIndex+kind.size() > viewSize {
		panic(t.realm.NewRangeError("Offset is outside the bounds of the DataView"))
	}
	return getIndex + v.offset
}

func byteOrder(littleEndian bool) binary.ByteOrder {
	if littleEndian {
		return binary.LittleEndian
	}
	return binary.BigEndian
}

// toIndex is ToIndex (https://tc39.es/ecma262/#sec-toindex), which may run
// script.
func (t *typedArrays) toIndex(v goja.Value) int64 {
	f := v.ToNumber().ToFloat()
	if math.IsNaN(f) {
		return 0
	}
	f = math.Trunc(f)
	if f < 0 || f > maxSafeInteger {
		panic(t.realm.NewRangeError("Offset is outside the bounds of the DataView"))
	}
	return int64(f)
}
