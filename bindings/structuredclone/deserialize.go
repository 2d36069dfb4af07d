package structuredclone

import (
	"errors"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/builtins"
)

// deserializer runs StructuredDeserialize
// (https://html.spec.whatwg.org/multipage/structured-data.html#structureddeserialize)
// with one memory.
type deserializer struct {
	c      *cloner
	memory map[*record]*goja.Object
	op     string // as serializer.op
}

// deserialize is StructuredDeserialize(serialized, targetRealm, memory).
func (d *deserializer) deserialize(v value) goja.Value {
	d.c.step()
	// 5. A primitive is its own value.
	if v.ref == nil {
		return v.prim
	}
	r := v.ref
	// 2. If memory[serialized] exists, then return memory[serialized].
	if o, ok := d.memory[r]; ok {
		return o
	}
	in := d.c.in
	vm := d.c.realm.VM()
	// 3. Let deep be false.
	deep := false
	var o *goja.Object
	switch r.kind {
	case kindBoolean, kindNumber, kindBigInt, kindString:
		// 6-9. A new Boolean, Number, BigInt or String object.
		o = r.prim.ToObject(vm)
	case kindDate:
		// 10. A new Date object whose [[DateValue]] is serialized.[[DateValue]].
		o = construct(in.dateCtor, r.prim)
	case kindRegExp:
		// 11. A new RegExp object from [[OriginalSource]] and
		// [[OriginalFlags]]; its lastIndex is 0.
		var made bool
		if src, ok := r.source.(goja.String); ok {
			var err error
			if o, made, err = builtins.NewRegExp(d.c.realm, src, r.flags); err != nil {
				panic(err)
			}
		}
		if !made {
			o = construct(in.regexpCtor, r.source, vm.ToValue(r.flags))
		}
	case kindArrayBuffer:
		// 13. A new ArrayBuffer whose [[ArrayBufferData]] is
		// serialized.[[ArrayBufferData]], or 14. for a
		// "ResizableArrayBuffer", one whose [[ArrayBufferMaxByteLength]] is
		// serialized's too. A record holds its own copy (or a transferred
		// buffer's data), so it is used without copying.
		if r.resizable {
			o = builtins.NewResizableArrayBuffer(d.c.realm, r.data, r.maxByteLength)
		} else {
			o = vm.ToValue(vm.NewArrayBuffer(r.data)).(*goja.Object)
		}
	case kindSharedArrayBuffer:
		o = d.deserializeShared(r)
	case kindArrayBufferView:
		// 15. The buffer first, then a DataView or typed array on it.
		buffer := d.deserialize(value{ref: r.buffer})
		length := r.arrayLength
		if r.view == "DataView" {
			length = r.byteLength
		}
		// The constructors script sees, where the built-ins are
		// installed: theirs make the views goja lacks.
		if v, ok, err := builtins.NewView(d.c.realm, r.view, buffer.(*goja.Object), r.byteOffset, length, r.lengthTracking); ok {
			if err != nil {
				panic(err)
			}
			o = v
		} else if r.view == "DataView" {
			o = construct(in.dataViewCtor, buffer, vm.ToValue(r.byteOffset), vm.ToValue(r.byteLength))
		} else {
			o = construct(in.viewCtors[r.view], buffer, vm.ToValue(r.byteOffset), vm.ToValue(r.arrayLength))
		}
	case kindMap:
		// 16. A new empty Map object.
		o, deep = construct(in.mapCtor), true
	case kindSet:
		// 17. A new empty Set object.
		o, deep = construct(in.setCtor), true
	case kindArray:
		// 18. ! ArrayCreate(serialized.[[Length]], %Array.prototype%).
		o, deep = construct(in.arrayCtor, vm.ToValue(r.length)), true
	case kindObject:
		// 19. A new Object.
		o, deep = vm.NewObject(), true
	case kindError:
		// 20. An error object with the prototype of [[Name]], and the
		// [[Message]] as a non-enumerable data property.
		o = construct(in.errorCtors[r.name])
		if r.message != nil {
			defineHidden(o, "message", r.message)
		}
		if r.stack != nil {
			defineHidden(o, "stack", r.stack)
		}
	case kindPlatform:
		// 21. A platform object: its deserialization steps create it.
		var err error
		o, err = r.platform.Deserialize(d.c.realm, r.pdata)
		if err == nil && o == nil {
			err = errors.New("no object")
		}
		if err != nil {
			d.c.realm.ThrowDOMException("DataCloneError", failed(d.op)+r.platform.Interface+" object could not be deserialized ("+err.Error()+").")
		}
	default:
		d.c.realm.ThrowDOMException("DataCloneError", failed(d.op)+"a transferred value was not transferred.")
	}
	// 22. Set memory[serialized] to value.
	d.memory[r] = o
	if r.kind == kindError && r.cause != nil {
		defineHidden(o, "cause", d.deserialize(*r.cause))
	}
	// 23. If deep is true, then:
	if deep {
		switch r.kind {
		case kindMap:
			// 23.1. Append each deserialized entry to [[MapData]].
			for _, e := range r.entries {
				k := d.deserialize(e.key)
				v := d.deserialize(e.value)
				call(in.mapSet, o, k, v)
			}
		case kindSet:
			// 23.2. Append each deserialized entry to [[SetData]].
			for _, e := range r.entries {
				call(in.setAdd, o, d.deserialize(e.key))
			}
		default:
			// 23.4. ! CreateDataProperty(value, entry.[[Key]],
			// deserializedValue) for each property.
			for _, p := range r.properties {
				v := d.deserialize(p.value)
				if hasSurrogate(p.key) {
					call(d.c.createDataProperty, goja.Undefined(), o, p.key, v)
				} else if err := o.DefineDataProperty(p.key.String(), v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
					panic(err)
				}
			}
		}
	}
	// 24. Return value.
	return o
}

// defineHidden is CreateNonEnumerableDataPropertyOrThrow.
func defineHidden(o *goja.Object, name string, v goja.Value) {
	if err := o.DefineDataProperty(name, v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		panic(err)
	}
}

// hasSurrogate reports whether the string key has a surrogate code unit,
// which the UTF-8 names of goja's Go API may not keep.
func hasSurrogate(key goja.Value) bool {
	s, ok := key.(goja.String)
	if !ok {
		return false
	}
	for i, n := 0, s.Length(); i < n; i++ {
		if c := s.CharAt(i); c >= 0xd800 && c <= 0xdfff {
			return true
		}
	}
	return false
}
