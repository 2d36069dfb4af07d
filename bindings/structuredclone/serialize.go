package structuredclone

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/builtins"
	"github.com/wsjs/wsjs/bindings/internal/exporttype"
	"github.com/wsjs/wsjs/webidl"
)

// kind is the [[Type]] of a serialized record of StructuredSerializeInternal
// (https://html.spec.whatwg.org/multipage/structured-data.html#structuredserializeinternal).
type kind uint8

const (
	kindUninitialized kind = iota // a transferable not yet transferred
	kindBoolean
	kindNumber
	kindBigInt
	kindString
	kindDate
	kindRegExp
	kindArrayBuffer
	kindArrayBufferView
	kindMap
	kindSet
	kindError
	kindArray
	kindObject
	kindPlatform
	kindTransferred // a transferred platform object's data holder
	kindSharedArrayBuffer
	// kindResizableArrayBuffer tags a resizable ArrayBuffer's record on the
	// wire; in memory it is a kindArrayBuffer record with resizable set.
	kindResizableArrayBuffer
)

// value is a serialized value: a primitive ({[[Type]]: "primitive"}), which
// goja lets any runtime use, or a record standing for an object.
type value struct {
	prim goja.Value // when ref is nil
	ref  *record
}

// record is a serialized object. It holds no object of the runtime it
// came from, so it can be deserialized in another realm.
type record struct {
	kind kind

	prim goja.Value // [[BooleanData]] and the like; [[DateValue]]

	source goja.Value // RegExp [[OriginalSource]]
	flags  string     // RegExp [[OriginalFlags]]

	data []byte // [[ArrayBufferData]]
	// resizable marks a "ResizableArrayBuffer" record, whose
	// [[ArrayBufferMaxByteLength]] is maxByteLength; the capacity of data
	// may be that length, the block of the buffer to be.
	resizable     bool
	maxByteLength int64

	shared  builtins.SharedMemory // a SharedArrayBuffer's [[ArrayBufferData]]
	cluster any                   // and [[AgentCluster]]

	view        string  // [[Constructor]]: "DataView" or a [[TypedArrayName]]
	buffer      *record // [[ArrayBufferSerialized]]
	byteOffset  int64
	byteLength  int64
	arrayLength int64
	// lengthTracking is a view's [[ByteLength]] or [[ArrayLength]] auto.
	lengthTracking bool

	length     int64      // Array [[Length]]
	properties []property // Array and Object [[Properties]]
	entries    []entry    // [[MapData]], [[SetData]] (keys only)

	name    string     // Error [[Name]]
	message goja.Value // Error [[Message]]; nil for undefined
	stack   goja.Value // Error stack, a string, or nil
	cause   *value     // Error cause, if it has one

	platform     *Serializable // the platform object's interface
	transferable *Transferable // the transferred platform object's interface
	pdata        any           // what its serialization or transfer steps returned
}

type property struct {
	key   goja.Value // a string
	value value
}

type entry struct {
	key, value value
}

// serializer runs StructuredSerializeInternal
// (https://html.spec.whatwg.org/multipage/structured-data.html#structuredserializeinternal)
// with one memory.
type serializer struct {
	c      *cloner
	memory map[*goja.Object]*record
	depth  int    // objects being serialized, one inside the other
	op     string // the operation that clones, named in errors; "" is structuredClone

	// size is what the serialized value costs the memory budget (size.go);
	// budget, if not nil, is the budget it will be charged to, looked at
	// again once size reaches checkAt.
	size    int64
	budget  *bindings.Budget
	checkAt int64
}

// maxDepth is how deeply objects may nest in a value to clone.
const maxDepth = 100000

func (s *serializer) dataCloneError(what string) {
	s.c.realm.ThrowDOMException("DataCloneError", failed(s.op)+what+" could not be cloned.")
}

// failed starts the message of an exception thrown by the operation op.
func failed(op string) string {
	if op == "" {
		op = "structuredClone"
	}
	return "Failed to execute '" + op + "': "
}

// serialize is StructuredSerializeInternal(value, false, memory).
func (s *serializer) serialize(v goja.Value) value {
	s.c.step()
	in := s.c.in
	o, isObject := v.(*goja.Object)
	if !isObject {
		// 5. If Type(value) is Symbol, then throw a "DataCloneError".
		if sym, ok := v.(*goja.Symbol); ok {
			s.dataCloneError("Symbol(" + sym.String() + ")")
		}
		// 4. Undefined, Null, Boolean, Number, BigInt, String: primitive.
		if v == nil {
			v = goja.Undefined()
		}
		s.count(stringSize(v))
		return value{prim: v}
	}
	// 2. If memory[value] exists, then return memory[value].
	if r, ok := s.memory[o]; ok {
		return value{ref: r}
	}
	// Each nesting level takes Go stack; refuse absurd depths rather than
	// exhaust it.
	if s.depth++; s.depth > maxDepth {
		s.dataCloneError("A value nested more than " + strconv.Itoa(maxDepth) + " levels deep")
	}
	defer func() { s.depth-- }()
	// 3. Let deep be false.
	deep := false
	r := &record{}
	s.count(recordSize)
	t := o.ExportType()
	class := o.ClassName()
	switch {
	case t == exporttype.Proxy && s.serializeBuiltinView(o, r):
		// 14. A typed array or DataView the built-ins make: a Proxy to
		// goja, which script cannot tell from a view.
	case t == exporttype.Proxy && !s.c.realm.IsGlobal(o):
		// Proxies are exotic objects with [[ProxyHandler]] (step 21 for
		// callable ones, 22 for the rest).
		s.dataCloneError("#<Proxy>")
	case class == "Boolean":
		// 7. [[BooleanData]].
		r.kind, r.prim = kindBoolean, call(in.booleanValueOf, o)
	case class == "Number":
		// 8. [[NumberData]].
		r.kind, r.prim = kindNumber, call(in.numberValueOf, o)
	case t == exporttype.BigInt && class == "Object":
		// 9. [[BigIntData]].
		r.kind, r.prim = kindBigInt, call(in.bigintValueOf, o)
	case class == "String":
		// 10. [[StringData]].
		r.kind, r.prim = kindString, call(in.stringValueOf, o)
		s.count(stringSize(r.prim))
	case class == "Date" && t == exporttype.Time:
		// 11. [[DateValue]].
		r.kind, r.prim = kindDate, call(in.dateGetTime, o)
	case class == "RegExp":
		// 12. [[RegExpMatcher]]: keep [[OriginalSource]] and
		// [[OriginalFlags]].
		r.kind = kindRegExp
		if src, flags, ok := builtins.RegExpOf(s.c.realm, o); ok {
			// The built-ins keep the slots of the RegExp objects they make.
			r.source, r.flags = src, flags
		} else {
			r.source = call(in.regexpSource, o)
			var flags strings.Builder
			for _, f := range in.regexpFlags {
				if call(f.getter, o).ToBoolean() {
					flags.WriteByte(f.flag)
				}
			}
			r.flags = flags.String()
		}
		s.count(stringSize(r.source) + int64(len(r.flags)))
	case t == exporttype.ArrayBuffer && s.serializeShared(o, r):
		// 13.1. A SharedArrayBuffer (shared.go).
	case t == exporttype.ArrayBuffer:
		// 13.2. [[ArrayBufferData]].
		ab := o.Export().(goja.ArrayBuffer)
		// 13.2.1. If IsDetachedBuffer(value), throw a "DataCloneError".
		if ab.Detached() {
			s.dataCloneError("An ArrayBuffer is detached and")
		}
		// 13.2.2-4. Copy the bytes, into a block charged to the memory
		// budget as the realm's ArrayBuffers are: the deserialized buffer
		// keeps it. That of a resizable buffer is allocated at its
		// maxByteLength, which it keeps.
		r.kind = kindArrayBuffer
		if max, ok := builtins.ResizableMax(o); ok {
			// 13.2.5. { [[Type]]: "ResizableArrayBuffer", [[ArrayBufferData]],
			// [[ByteLength]], [[ArrayBufferMaxByteLength]] }.
			r.data, r.resizable, r.maxByteLength = builtins.CopyResizable(s.c.realm, o), true, max
		} else {
			// 13.2.6. { [[Type]]: "ArrayBuffer", [[ArrayBufferData]], [[ByteLength]] }.
			r.data = builtins.CopyBytes(s.c.realm, builtins.BytesInUse(o))
		}
	case exporttype.TypedArray(t) && class == "Object" || class == "Object" && call(in.isView, goja.Undefined(), o).ToBoolean():
		// 14. [[ViewedArrayBuffer]].
		s.serializeView(o, exporttype.TypedArray(t), r)
	case t == exporttype.MapEntries && class == "Object":
		// 15. [[MapData]].
		r.kind, deep = kindMap, true
	case t == exporttype.Slice && class == "Object":
		// 16. [[SetData]].
		r.kind, deep = kindSet, true
	default:
		deep = s.serializeOther(o, t, class, r)
	}
	// 25. Set memory[value] to serialized.
	s.memory[o] = r
	// 26. If deep is true, then:
	if deep {
		s.serializeDeep(o, r)
	}
	// 27. Return serialized.
	return value{ref: r}
}

// serializeView is step 14 of StructuredSerializeInternal.
func (s *serializer) serializeView(o *goja.Object, typed bool, r *record) {
	in := s.c.in
	getBuf, getOff := in.dataViewBuffer, in.dataViewOffset
	if typed {
		getBuf, getOff = in.typedArrayBuffer, in.typedArrayOffset
	}
	buffer := call(getBuf, o).(*goja.Object)
	// 14.1. If IsArrayBufferViewOutOfBounds(value), throw a
	// "DataCloneError": for goja's fixed-length buffers, when the buffer
	// is detached.
	if buffer.Export().(goja.ArrayBuffer).Detached() {
		s.dataCloneError("An ArrayBuffer is detached and")
	}
	// 14.2. Let buffer be value.[[ViewedArrayBuffer]].
	// 14.3. Let bufferSerialized be ? StructuredSerializeInternal(buffer,
	// forStorage, memory).
	bufferSerialized := s.serialize(buffer).ref
	r.kind = kindArrayBufferView
	r.buffer = bufferSerialized
	r.byteOffset = call(getOff, o).ToInteger()
	if typed {
		// 14.5. Typed arrays: [[TypedArrayName]], [[ByteLength]],
		// [[ByteOffset]], [[ArrayLength]].
		r.view = call(in.typedArrayName, o).String()
		if _, ok := in.viewCtors[r.view]; !ok {
			s.dataCloneError(r.view)
		}
		r.arrayLength = call(in.typedArrayLength, o).ToInteger()
	} else {
		// 14.4. DataView: [[ByteLength]], [[ByteOffset]].
		r.view = "DataView"
		r.byteLength = call(in.dataViewLength, o).ToInteger()
	}
}

// serializeBuiltinView is step 14 of StructuredSerializeInternal for a view
// the built-ins made (bindings/builtins: those over resizable and growable
// buffers, and Float16Arrays), and reports false for another object.
func (s *serializer) serializeBuiltinView(o *goja.Object, r *record) bool {
	v, ok := builtins.ViewOf(s.c.realm, o)
	if !ok {
		return false
	}
	// 14.1. If IsArrayBufferViewOutOfBounds(value), throw a "DataCloneError".
	if v.OutOfBounds {
		s.dataCloneError("An ArrayBufferView is out of bounds and")
	}
	// 14.2-3. Serialize [[ViewedArrayBuffer]].
	r.buffer = s.serialize(v.Buffer).ref
	// 14.4-5. [[ByteLength]] of a DataView or [[ArrayLength]] of a typed
	// array, and [[ByteOffset]].
	r.kind, r.view, r.byteOffset, r.lengthTracking = kindArrayBufferView, v.Name, v.ByteOffset, v.LengthTracking
	if v.Name == "DataView" {
		r.byteLength = v.Length
	} else {
		r.arrayLength = v.Length
	}
	return true
}

// serializeOther continues StructuredSerializeInternal after the
// built-ins with a type of their own: steps 17 to 24. It reports whether
// the object's contents are serialized in step 26 (deep).
func (s *serializer) serializeOther(o *goja.Object, t reflect.Type, class string, r *record) bool {
	in := s.c.in
	realm := s.c.realm
	// Objects whose prototype is %Object.prototype% (literals and the
	// like) are taken for ordinary objects without looking further, so
	// that the common case needs no lookups; a platform object, WeakMap or
	// iterator whose prototype was changed to it is cloned as an ordinary
	// object.
	plain := o.Prototype() == in.objectProto && class == "Object" && t == exporttype.Ordinary
	if !plain {
		// 19. A platform object that is a serializable object.
		// 20. Any other platform object: "DataCloneError".
		if _, iface, ok := realm.ImplOf(o); ok {
			p := serializables.get(iface)
			if p == nil {
				s.dataCloneError(iface + " object")
			}
			data, err := p.Serialize(realm, o)
			if err != nil {
				s.dataCloneError(iface + " object (" + err.Error() + ")")
			}
			r.kind, r.platform, r.pdata = kindPlatform, p, data
			return false
		}
	}
	switch {
	case class == "Error":
		// 17. [[ErrorData]], not a platform object.
		s.serializeError(o, r)
		return false
	case class == "Array":
		// 18. An Array exotic object: [[Length]] is the length property.
		r.kind = kindArray
		r.length = o.Get("length").ToInteger()
		return true
	}
	// 21. IsCallable(value): "DataCloneError".
	if _, ok := goja.AssertFunction(o); ok {
		s.dataCloneError("function")
	}
	if !plain {
		// 22. Internal slots other than [[Prototype]], [[Extensible]] and
		// [[PrivateElements]]: "DataCloneError".
		switch {
		case t == exporttype.Promise:
			s.dataCloneError("#<Promise>")
		case t == exporttype.String && class == "Object":
			s.dataCloneError("Symbol object")
		case class == "Arguments":
			s.dataCloneError("Arguments object")
		case inherits(o, in.weakMapProto) && brand(in.weakMapHas, o):
			s.dataCloneError("#<WeakMap>")
		case inherits(o, in.weakSetProto) && brand(in.weakSetHas, o):
			s.dataCloneError("#<WeakSet>")
		}
		for _, p := range in.iteratorProtos {
			if inherits(o, p) {
				s.dataCloneError("Iterator object")
			}
		}
		// 23. An exotic object other than %Object.prototype%: host objects
		// wrapping Go values and the like.
		if t != exporttype.Ordinary || class != "Object" {
			s.dataCloneError("#<" + class + ">")
		}
	}
	// 24. Otherwise: an ordinary object.
	r.kind = kindObject
	return true
}

// serializeError is step 17 of StructuredSerializeInternal.
func (s *serializer) serializeError(o *goja.Object, r *record) {
	in := s.c.in
	// 17.1. Let name be ? Get(value, "name").
	name := o.Get("name")
	// 17.2. If name is not one of "Error", "EvalError", "RangeError",
	// "ReferenceError", "SyntaxError", "TypeError", or "URIError", then set
	// name to "Error". (A name that is not a string is none of them.)
	r.name = "Error"
	if goja.IsString(name) {
		if _, ok := in.errorCtors[name.String()]; ok {
			r.name = name.String()
		}
	}
	// 17.3. Let valueMessageDesc be ? value.[[GetOwnProperty]]("message").
	// 17.4. Let message be undefined if IsDataDescriptor(valueMessageDesc)
	// is false, and ? ToString(valueMessageDesc.[[Value]]) otherwise.
	if msg, ok := s.c.ownData(o, "message"); ok {
		r.message = s.c.realm.ToDOMString(msg)
	}
	// 17.5. Let stack be an implementation-defined string that represents
	// value.[[Stack]]: goja keeps it in an own data property.
	if stack, ok := s.c.ownData(o, "stack"); ok && goja.IsString(stack) {
		r.stack = stack
	}
	s.count(stringSize(r.message) + stringSize(r.stack))
	// 17.6. serialized is { [[Type]]: "Error", [[Name]]: name, [[Message]]:
	// message, [[Stack]]: stack }.
	r.kind = kindError
	// 17.7. "Interesting accompanying data": the cause, when the error
	// has one of its own (ECMA-262 InstallErrorCause).
	s.memory[o] = r
	if cause, ok := s.c.ownData(o, "cause"); ok {
		c := s.serialize(cause)
		r.cause = &c
	}
}

// serializeDeep is step 26 of StructuredSerializeInternal.
func (s *serializer) serializeDeep(o *goja.Object, r *record) {
	in := s.c.in
	vm := s.c.realm.VM()
	switch r.kind {
	case kindMap, kindSet:
		// 26.1-2. Copy the entries first, then serialize each key and
		// value: script run by serializing them cannot change the list.
		var copied []goja.Value
		forEach := in.setForEach
		if r.kind == kindMap {
			forEach = in.mapForEach
		}
		collect := vm.ToValue(func(c goja.FunctionCall) goja.Value {
			copied = append(copied, c.Argument(1), c.Argument(0))
			return goja.Undefined()
		})
		call(forEach, o, collect)
		s.count(entrySize * int64(len(copied)/2))
		r.entries = make([]entry, 0, len(copied)/2)
		for i := 0; i < len(copied); i += 2 {
			e := entry{key: s.serialize(copied[i])}
			if r.kind == kindMap {
				e.value = s.serialize(copied[i+1])
			}
			r.entries = append(r.entries, e)
		}
	default:
		// 26.4. For each key in ! EnumerableOwnProperties(value, key): if
		// ! HasOwnProperty(value, key), serialize ? Get(value, key).
		keys := o.Keys()
		if slices.ContainsFunc(keys, func(k string) bool { return strings.ContainsRune(k, utf8.RuneError) }) {
			s.serializePropertiesUTF16(o, r)
			return
		}
		s.count(propertySize * int64(len(keys)))
		r.properties = make([]property, 0, len(keys))
		for _, k := range keys {
			key := vm.ToValue(k)
			if !call(in.hasOwn, o, key).ToBoolean() {
				continue
			}
			s.count(int64(len(k)))
			r.properties = append(r.properties, property{key: key, value: s.serialize(o.Get(k))})
		}
	}
}

// serializePropertiesUTF16 is step 26.4 for objects with a property key
// goja's Go API cannot name, one holding a lone surrogate: the keys are
// read and used as JavaScript strings.
func (s *serializer) serializePropertiesUTF16(o *goja.Object, r *record) {
	c := s.c
	keys := call(c.ownKeys, goja.Undefined(), o).(*goja.Object)
	n := int(keys.Get("length").ToInteger())
	var enumerable []goja.Value
	for i := 0; i < n; i++ {
		k := keys.Get(strconv.Itoa(i))
		if goja.IsString(k) && call(c.isEnumerable, o, k).ToBoolean() {
			enumerable = append(enumerable, k)
		}
	}
	s.count(propertySize * int64(len(enumerable)))
	r.properties = make([]property, 0, len(enumerable))
	for _, k := range enumerable {
		if !call(c.in.hasOwn, o, k).ToBoolean() {
			continue
		}
		s.count(stringSize(k))
		v := call(c.get, goja.Undefined(), o, k)
		r.properties = append(r.properties, property{key: k, value: s.serialize(v)})
	}
}

// transfer runs the steps of StructuredSerializeWithTransfer
// (https://html.spec.whatwg.org/multipage/structured-data.html#structuredserializewithtransfer)
// that come before and after serializing.
type transfer struct {
	objects []*goja.Object
	holders []*record
	kinds   []*Transferable // nil for an ArrayBuffer
	op      string
}

// prepare is step 2: check the transfer list and put placeholders in
// memory.
func (s *serializer) prepare(list []*goja.Object) *transfer {
	t := &transfer{op: s.op}
	for _, o := range list {
		i := strconv.Itoa(len(t.objects))
		// 2.1. Neither [[ArrayBufferData]] nor [[Detached]], or 2.2. a
		// SharedArrayBuffer: "DataCloneError".
		var kind *Transferable
		if _, shared := builtins.SharedMemoryOf(o); shared {
			s.c.realm.ThrowDOMException("DataCloneError", failed(s.op)+"SharedArrayBuffer at index "+i+" is not transferable.")
		}
		if o.ExportType() != exporttype.ArrayBuffer {
			if _, iface, ok := s.c.realm.ImplOf(o); ok {
				kind = transferables.get(iface)
			}
			if kind == nil {
				s.c.realm.ThrowDOMException("DataCloneError", failed(s.op)+"Value at index "+i+" does not have a transferable type.")
			}
		}
		// 2.3. If memory[transferable] exists: "DataCloneError".
		if _, dup := s.memory[o]; dup {
			what := "ArrayBuffer"
			if kind != nil {
				what = kind.Interface
			}
			s.c.realm.ThrowDOMException("DataCloneError", failed(s.op)+what+" at index "+i+" is a duplicate of an earlier "+what+".")
		}
		// 2.4. Set memory[transferable] to { [[Type]]: an uninitialized value }.
		r := &record{kind: kindUninitialized}
		s.memory[o] = r
		t.objects = append(t.objects, o)
		t.holders = append(t.holders, r)
		t.kinds = append(t.kinds, kind)
	}
	return t
}

// finish is step 5: detach every transferred buffer, moving its data into
// its data holder, and run the transfer steps of the platform objects.
func (t *transfer) finish(realm *webidl.Realm) {
	for i, o := range t.objects {
		h := t.holders[i]
		if kind := t.kinds[i]; kind != nil {
			// 5.2. If transferable.[[Detached]] is true: "DataCloneError".
			impl, _, _ := realm.ImplOf(o)
			if kind.Detached(impl) {
				realm.ThrowDOMException("DataCloneError", failed(t.op)+kind.Interface+" at index "+strconv.Itoa(i)+" is already detached.")
			}
			// 5.5. [[Type]] is the interface's identifier; the transfer
			// steps fill the data holder and set [[Detached]] to true.
			data, err := kind.Transfer(realm, o)
			if err != nil {
				realm.ThrowDOMException("DataCloneError", failed(t.op)+kind.Interface+" at index "+strconv.Itoa(i)+" could not be transferred ("+err.Error()+").")
			}
			h.kind, h.transferable, h.pdata = kindTransferred, kind, data
			continue
		}
		ab := o.Export().(goja.ArrayBuffer)
		// 5.1. If IsDetachedBuffer(transferable): "DataCloneError".
		if ab.Detached() {
			realm.ThrowDOMException("DataCloneError", failed(t.op)+"ArrayBuffer at index "+strconv.Itoa(i)+" is already detached.")
		}
		// 5.4.2-3. dataHolder is { [[Type]]: "ResizableArrayBuffer" or
		// "ArrayBuffer", [[ArrayBufferData]]: the buffer's data (a
		// resizable one's block, of capacity its maxByteLength),
		// [[ByteLength]], [[ArrayBufferMaxByteLength]] }; ?
		// DetachArrayBuffer, which throws a TypeError for a buffer with a
		// detach key (a WebAssembly.Memory's).
		if !builtins.Detachable(o) {
			realm.ThrowTypeError("%sArrayBuffer at index %d is not detachable and could not be transferred.", failed(t.op), i)
		}
		h.kind = kindArrayBuffer
		h.maxByteLength, h.resizable = builtins.ResizableMax(o)
		h.data = builtins.BytesInUse(o)
		if h.data == nil {
			h.data = []byte{}
		}
		ab.Detach()
	}
}
