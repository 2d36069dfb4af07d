package webidl

import (
	"reflect"
	"sort"
	"strconv"
	"sync"

	"github.com/dop251/goja"
)

// ToSequence converts v to the IDL type sequence<T>
// (https://webidl.spec.whatwg.org/#js-sequence) through the iterator protocol,
// converting each element with conv.
func ToSequence[T any](r *Realm, v goja.Value, conv func(goja.Value) T) []T {
	// Step 1: V must be an object.
	o, ok := v.(*goja.Object)
	if !ok {
		r.ThrowTypeError("The provided value cannot be converted to a sequence.")
	}
	// Steps 2-3: method = GetMethod(V, @@iterator); undefined is a TypeError.
	method := o.GetSymbol(goja.SymIterator)
	if IsNullish(method) {
		r.ThrowTypeError("The object must have a callable @@iterator property.")
	}
	return SequenceFromMethod(r, o, method, conv)
}

// SequenceFromMethod creates a sequence from the iterable o and its
// @@iterator method ("create a sequence from an iterable",
// https://webidl.spec.whatwg.org/#create-sequence-from-iterable); unions
// use it with the method MatchUnion already got.
func SequenceFromMethod[T any](r *Realm, o *goja.Object, method goja.Value, conv func(goja.Value) T) []T {
	// GetIteratorFromMethod(V, method).
	fn, ok := goja.AssertFunction(method)
	if !ok {
		r.ThrowTypeError("The object's @@iterator property is not callable.")
	}
	itv, err := fn(o)
	if err != nil {
		panic(err)
	}
	it, ok := itv.(*goja.Object)
	if !ok {
		r.ThrowTypeError("Result of the Symbol.iterator method is not an object")
	}
	nextv := it.Get("next")
	var out []T
	for {
		// IteratorStepValue: call next, the result must be an object.
		next, ok := goja.AssertFunction(nextv)
		if !ok {
			r.ThrowTypeError("The iterator's next method is not callable.")
		}
		resv, err := next(it)
		if err != nil {
			panic(err)
		}
		res, ok := resv.(*goja.Object)
		if !ok {
			r.ThrowTypeError("Iterator result %s is not an object", resv.String())
		}
		if res.Get("done").ToBoolean() {
			return out
		}
		out = append(out, conv(ToAny(res.Get("value"))))
	}
}

// RecordEntry is one entry of a converted record.
type RecordEntry[K comparable, V any] struct {
	Key   K
	Value V
}

// ToRecord converts v to the IDL type record<K, V>
// (https://webidl.spec.whatwg.org/#js-record): the object's own enumerable
// properties, in [[OwnPropertyKeys]] order, keys converted with key and values
// with val. A key converting to one already present replaces that entry's value
// in place.
func ToRecord[K comparable, V any](r *Realm, v goja.Value, key func(goja.Value) K, val func(goja.Value) V) []RecordEntry[K, V] {
	o, ok := v.(*goja.Object)
	if !ok {
		r.ThrowTypeError("The provided value is not an object and cannot be converted to a record.")
	}
	keysv, err := r.intr().reflectOwnKeys(goja.Undefined(), o)
	if err != nil {
		panic(err)
	}
	keys := keysv.(*goja.Object)
	n := int(keys.Get("length").ToInteger())
	var out []RecordEntry[K, V]
	index := make(map[K]int)
	for i := 0; i < n; i++ {
		k := keys.Get(strconv.Itoa(i))
		// desc = O.[[GetOwnProperty]](key); skip absent or non-enumerable.
		en, err := r.intr().isEnumerable(o, k)
		if err != nil {
			panic(err)
		}
		if !en.ToBoolean() {
			continue
		}
		typedKey := key(k)
		// Get(O, key), with the exact key (it may hold lone surrogates).
		value, err := r.intr().reflectGetFn(goja.Undefined(), o, k)
		if err != nil {
			panic(err)
		}
		typedValue := val(ToAny(value))
		if j, dup := index[typedKey]; dup {
			out[j].Value = typedValue
			continue
		}
		index[typedKey] = len(out)
		out = append(out, RecordEntry[K, V]{typedKey, typedValue})
	}
	return out
}

// Dictionary describes an IDL dictionary whose members are stored in a Go
// value of type T. Use a pointer to a package-level Dictionary: the member
// order is computed once.
type Dictionary[T any] struct {
	Name string
	// Parent is the inherited dictionary; its members are converted first.
	// It stores into the same Go type, usually an embedded struct.
	Parent  *Dictionary[T]
	Members []DictionaryMember[T]

	once   sync.Once
	sorted []DictionaryMember[T]
}

// DictionaryMember describes a dictionary member.
type DictionaryMember[T any] struct {
	Name string
	// Required members missing from the object are a TypeError.
	Required bool
	// Convert converts the member's value (never undefined) into out.
	Convert func(r *Realm, v goja.Value, out *T)
	// Default, if not nil, stores the default value when the member is
	// missing. Without it a missing member leaves out unchanged.
	Default func(out *T)
}

func (d *Dictionary[T]) members() []DictionaryMember[T] {
	d.once.Do(func() {
		d.sorted = append([]DictionaryMember[T](nil), d.Members...)
		// Members are in lexicographical order of their identifiers
		// (https://webidl.spec.whatwg.org/#idl-dictionaries,
		// https://webidl.spec.whatwg.org/#js-dictionary); identifiers are
		// ASCII, so byte order is code unit order.
		sort.SliceStable(d.sorted, func(a, b int) bool { return d.sorted[a].Name < d.sorted[b].Name })
	})
	return d.sorted
}

// ToDictionary converts v to the dictionary type d
// (https://webidl.spec.whatwg.org/#js-dictionary), storing the members into
// out.
func ToDictionary[T any](r *Realm, v goja.Value, d *Dictionary[T], out *T) {
	// Step 1: V must be undefined, null or an object.
	var o *goja.Object
	switch x := v.(type) {
	case nil:
	case *goja.Object:
		o = x
	default:
		if !IsNullish(v) {
			r.ThrowTypeError("Failed to convert value to '%s': the value is not an object.", d.Name)
		}
	}
	// Step 4: dictionaries from the least derived to the most derived.
	var chain []*Dictionary[T]
	for p := d; p != nil; p = p.Parent {
		chain = append(chain, p)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		for _, m := range chain[i].members() {
			var mv goja.Value = goja.Undefined()
			if o != nil {
				mv = ToAny(o.Get(m.Name))
			}
			switch {
			case !goja.IsUndefined(mv):
				m.Convert(r, mv, out)
			case m.Default != nil:
				m.Default(out)
			case m.Required:
				r.ThrowTypeError("Failed to read the '%s' property from '%s': Required member is undefined.", m.Name, chain[i].Name)
			}
		}
	}
}

// Union describes the flattened member types of an IDL union type, for
// MatchUnion. Interfaces lists the interface types by name.
type Union struct {
	// Undefined: the union includes undefined.
	Undefined bool
	// Nullable: the union is nullable or includes a nullable type.
	Nullable   bool
	Interfaces []string
	// Object: the union includes object.
	Object          bool
	ArrayBuffer     bool
	ArrayBufferView bool // ArrayBufferView, DataView or typed array types
	Callback        bool // a callback function type
	Sequence        bool // a sequence or frozen array type
	Dictionary      bool // a dictionary type
	Record          bool // a record type
	CallbackIface   bool // a callback interface type
	Boolean         bool
	Numeric         bool
	BigInt          bool
	String          bool
}

// UnionKind says which member type of a union a value converts to.
type UnionKind int

// The member types MatchUnion can select.
const (
	MatchUndefined UnionKind = iota + 1
	MatchNull
	MatchInterface
	MatchObject
	MatchArrayBuffer
	MatchArrayBufferView
	MatchCallback
	MatchSequence
	MatchDictionary
	MatchRecord
	MatchCallbackIface
	MatchBoolean
	MatchNumeric
	MatchBigInt
	MatchString
)

// UnionMatch is the result of MatchUnion.
type UnionMatch struct {
	Kind UnionKind
	// Interface is the interface type matched, for MatchInterface.
	Interface string
	// Impl holds the internal slots of the value, for MatchInterface.
	Impl any
	// Method is the @@iterator method, for MatchSequence: pass it to
	// SequenceFromMethod.
	Method goja.Value
}

// MatchUnion runs the type selection of
// https://webidl.spec.whatwg.org/#js-union (converting a JavaScript value to a
// union type): it returns which member type v must be converted to, throwing a
// TypeError when none fits. The caller then converts v with that type's
// conversion (for strings, numbers and booleans, the value may be of another
// JavaScript type: convert it).
func (r *Realm) MatchUnion(v goja.Value, u *Union) UnionMatch {
	v = ToAny(v)
	// Step 1: undefined.
	if u.Undefined && goja.IsUndefined(v) {
		return UnionMatch{Kind: MatchUndefined}
	}
	// Step 2: nullable.
	if u.Nullable && IsNullish(v) {
		return UnionMatch{Kind: MatchNull}
	}
	// Step 4: undefined or null with a dictionary type.
	if IsNullish(v) && u.Dictionary {
		return UnionMatch{Kind: MatchDictionary}
	}
	if o, ok := v.(*goja.Object); ok {
		// Step 5: platform objects.
		if s, ok := r.slots.get(o); ok {
			for _, name := range u.Interfaces {
				if s.iface.inherits(name) {
					return UnionMatch{Kind: MatchInterface, Interface: name, Impl: s.impl}
				}
			}
			if u.Object {
				return UnionMatch{Kind: MatchObject}
			}
		}
		// Steps 6-9: buffers and views.
		if r.IsArrayBuffer(o) {
			if u.ArrayBuffer {
				return UnionMatch{Kind: MatchArrayBuffer}
			}
			if u.Object {
				return UnionMatch{Kind: MatchObject}
			}
		}
		if r.IsArrayBufferView(o) {
			if u.ArrayBufferView {
				return UnionMatch{Kind: MatchArrayBufferView}
			}
			if u.Object {
				return UnionMatch{Kind: MatchObject}
			}
		}
		// Step 10: callables.
		if _, ok := goja.AssertFunction(o); ok {
			if u.Callback {
				return UnionMatch{Kind: MatchCallback}
			}
			if u.Object {
				return UnionMatch{Kind: MatchObject}
			}
		}
		// Step 11: other objects.
		if u.Sequence {
			method := o.GetSymbol(goja.SymIterator)
			if !IsNullish(method) {
				if _, ok := goja.AssertFunction(method); !ok {
					r.ThrowTypeError("The object's @@iterator property is not callable.")
				}
				return UnionMatch{Kind: MatchSequence, Method: method}
			}
		}
		switch {
		case u.Dictionary:
			return UnionMatch{Kind: MatchDictionary}
		case u.Record:
			return UnionMatch{Kind: MatchRecord}
		case u.CallbackIface:
			return UnionMatch{Kind: MatchCallbackIface}
		case u.Object:
			return UnionMatch{Kind: MatchObject}
		}
	}
	// Steps 12-14: primitives of a member type.
	switch {
	case u.Boolean && isBoolean(v):
		return UnionMatch{Kind: MatchBoolean}
	case u.Numeric && goja.IsNumber(v):
		return UnionMatch{Kind: MatchNumeric}
	case u.BigInt && goja.IsBigInt(v):
		return UnionMatch{Kind: MatchBigInt}
	}
	// Steps 15-18: conversions.
	switch {
	case u.String:
		return UnionMatch{Kind: MatchString}
	case u.Numeric:
		return UnionMatch{Kind: MatchNumeric}
	case u.Boolean:
		return UnionMatch{Kind: MatchBoolean}
	case u.BigInt:
		return UnionMatch{Kind: MatchBigInt}
	}
	// Step 19.
	r.ThrowTypeError("The provided value is not of any of the union's member types.")
	return UnionMatch{}
}

func isBoolean(v goja.Value) bool {
	if isObject(v) {
		return false
	}
	t := v.ExportType()
	return t != nil && t.Kind() == reflect.Bool
}

func isObject(v goja.Value) bool {
	_, ok := v.(*goja.Object)
	return ok
}

// CallbackFunction is a converted IDL callback function value
// (https://webidl.spec.whatwg.org/#js-callback-function).
type CallbackFunction struct {
	// Object is the JavaScript object, to compare callbacks by identity.
	Object *goja.Object
	realm  *Realm
	fn     goja.Callable // nil if Object is not callable
}

// ToCallbackFunction converts v to a callback function type
// (https://webidl.spec.whatwg.org/#js-callback-function):
// anything but a callable object is a TypeError.
func (r *Realm) ToCallbackFunction(v goja.Value) *CallbackFunction {
	o, ok := v.(*goja.Object)
	if ok {
		if fn, ok := goja.AssertFunction(o); ok {
			return &CallbackFunction{Object: o, realm: r, fn: fn}
		}
	}
	r.ThrowTypeError("The provided value is not a function.")
	return nil
}

// ToCallbackFunctionOrNull converts v to a callback function type annotated
// with [LegacyTreatNonObjectAsNull] (used by event handlers): a non-object
// gives nil, and any object is accepted, callable or not.
func (r *Realm) ToCallbackFunctionOrNull(v goja.Value) *CallbackFunction {
	o, ok := v.(*goja.Object)
	if !ok {
		return nil
	}
	fn, _ := goja.AssertFunction(o)
	return &CallbackFunction{Object: o, realm: r, fn: fn}
}

// Invoke invokes the callback function ("invoke a callback function",
// https://webidl.spec.whatwg.org/#invoke-a-callback-function) with this and
// args. An exception is returned as a *goja.Exception. A non-callable object,
// which only a [LegacyTreatNonObjectAsNull] attribute can hold, returns
// undefined without being called (step 4 of that algorithm).
func (c *CallbackFunction) Invoke(this goja.Value, args ...goja.Value) (goja.Value, error) {
	if c.fn == nil {
		return goja.Undefined(), nil
	}
	return c.fn(ToAny(this), args...)
}

// CallbackInterface is a converted IDL callback interface value
// (https://webidl.spec.whatwg.org/#js-callback-interface),
// such as an EventListener.
type CallbackInterface struct {
	// Object is the JavaScript object, to compare callbacks by identity.
	Object *goja.Object
	realm  *Realm
	fn     goja.Callable // Object's [[Call]], nil if it is not callable
}

// ToCallbackInterface converts v to a callback interface type
// (https://webidl.spec.whatwg.org/#js-callback-interface):
// anything but an object is a TypeError.
func (r *Realm) ToCallbackInterface(v goja.Value) *CallbackInterface {
	o, ok := v.(*goja.Object)
	if !ok {
		r.ThrowTypeError("The provided value is not an object.")
	}
	fn, _ := goja.AssertFunction(o)
	return &CallbackInterface{Object: o, realm: r, fn: fn}
}

// Call calls the user object's operation op ("call a user object's operation",
// https://webidl.spec.whatwg.org/#call-a-user-objects-operation) for a single
// operation callback interface: a callable object is called with this,
// otherwise its op property is looked up now and called with the object as
// this. An exception is returned as a *goja.Exception.
func (c *CallbackInterface) Call(op string, this goja.Value, args ...goja.Value) (goja.Value, error) {
	// Step: if O is callable, call it with the callback this value.
	if c.fn != nil {
		return c.fn(ToAny(this), args...)
	}
	// Otherwise get O[op] now; it must be callable; this is O.
	var res goja.Value
	var callErr error
	exc := c.realm.vm.Try(func() {
		f, ok := goja.AssertFunction(c.Object.Get(op))
		if !ok {
			c.realm.ThrowTypeError("'%s' property of the listener is not callable.", op)
		}
		res, callErr = f(c.Object, args...)
	})
	if exc != nil {
		return nil, exc
	}
	return res, callErr
}

// IsArrayBuffer reports whether v is an ArrayBuffer.
func (r *Realm) IsArrayBuffer(v goja.Value) bool {
	o, ok := v.(*goja.Object)
	return ok && o.ExportType() == arrayBufferType
}

var arrayBufferType = reflect.TypeOf(goja.ArrayBuffer{})

// IsArrayBufferView reports whether v is a typed array or a DataView.
func (r *Realm) IsArrayBufferView(v goja.Value) bool {
	o, ok := v.(*goja.Object)
	if !ok {
		return false
	}
	res, err := r.intr().isView(goja.Undefined(), v)
	return err == nil && res.ToBoolean() || r.viewAlias(o) != nil
}

// AddViewAlias teaches the realm's ArrayBufferView checks and buffer source
// conversions a kind of view goja does not have, such as the runtime's
// Float16Array: alias returns a goja typed array over exactly the bytes of o, or
// nil when o is not such a view. alias is called with objects that are not
// goja views, of any kind, and must not export them.
func (r *Realm) AddViewAlias(alias func(o *goja.Object) *goja.Object) {
	r.viewAliases = append(r.viewAliases, alias)
}

func (r *Realm) viewAlias(o *goja.Object) *goja.Object {
	for _, f := range r.viewAliases {
		if a := f(o); a != nil {
			return a
		}
	}
	return nil
}

// bufferRange returns the bytes of the buffer source o (a view's range of
// its buffer), without copying, or ok false if o is not a buffer source.
func (r *Realm) bufferRange(v goja.Value) (b []byte, ok bool) {
	o, isObj := v.(*goja.Object)
	if !isObj {
		return nil, false
	}
	if o.ExportType() == arrayBufferType {
		ab := o.Export().(goja.ArrayBuffer)
		if ab.Detached() {
			return nil, true
		}
		return ab.Bytes(), true
	}
	if res, err := r.intr().isView(goja.Undefined(), o); err != nil || !res.ToBoolean() {
		// Not one of goja's views: maybe a kind it lacks, through its alias.
		if a := r.viewAlias(o); a != nil {
			return r.bufferRange(a)
		}
		return nil, false
	}
	in := r.intr()
	getBuf, getOff, getLen := in.dataViewBuffer, in.dataViewOffset, in.dataViewLength
	if o.ExportType().Kind() == reflect.Slice {
		getBuf, getOff, getLen = in.typedArrayBuffer, in.typedArrayOffset, in.typedArrayLength
	}
	call := func(f goja.Callable) goja.Value {
		res, err := f(o)
		if err != nil {
			panic(err)
		}
		return res
	}
	bufv := call(getBuf).(*goja.Object)
	ab := bufv.Export().(goja.ArrayBuffer)
	if ab.Detached() {
		return nil, true
	}
	off := call(getOff).ToInteger()
	n := call(getLen).ToInteger()
	all := ab.Bytes()
	if off < 0 || n < 0 || off+n > int64(len(all)) {
		return nil, true
	}
	return all[off : off+n], true
}

// ToBufferSource converts v to the IDL BufferSource type
// (https://webidl.spec.whatwg.org/#js-buffer-source-types) and returns a copy
// of the bytes it holds ("get a copy of the bytes held by the buffer source",
// https://webidl.spec.whatwg.org/#dfn-get-buffer-source-copy): for a view, the
// bytes of its range. Anything else is a TypeError.
func (r *Realm) ToBufferSource(v goja.Value) []byte {
	return r.AppendBufferSource(nil, v)
}

// AppendBufferSource is ToBufferSource appending the copy to dst, so that a
// caller can reuse buffers.
func (r *Realm) AppendBufferSource(dst []byte, v goja.Value) []byte {
	b, ok := r.bufferRange(v)
	if !ok {
		r.ThrowTypeError("The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.")
	}
	return append(dst, b...)
}

// BufferSourceBytes converts v to the IDL BufferSource type like
// ToBufferSource but returns the bytes in place, without a copy: for a view,
// its range of the buffer. They belong to the script: a caller may read them
// only until it returns to script, and must copy what it keeps. Anything else
// is a TypeError.
func (r *Realm) BufferSourceBytes(v goja.Value) []byte {
	b, ok := r.bufferRange(v)
	if !ok {
		r.ThrowTypeError("The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.")
	}
	return b
}

// ToArrayBuffer converts v to the IDL ArrayBuffer type
// (https://webidl.spec.whatwg.org/#js-buffer-source-types) and returns a copy
// of its bytes; anything but an ArrayBuffer is a TypeError.
func (r *Realm) ToArrayBuffer(v goja.Value) []byte {
	if !r.IsArrayBuffer(v) {
		r.ThrowTypeError("The provided value is not of type 'ArrayBuffer'.")
	}
	return r.ToBufferSource(v)
}

// ToArrayBufferView converts v to the IDL ArrayBufferView type
// (https://webidl.spec.whatwg.org/#js-buffer-source-types) and returns a copy
// of the bytes of its range; anything but a typed array or DataView is a
// TypeError.
func (r *Realm) ToArrayBufferView(v goja.Value) []byte {
	if !r.IsArrayBufferView(v) {
		r.ThrowTypeError("The provided value is not of type 'ArrayBufferView'.")
	}
	return r.ToBufferSource(v)
}

// NewArrayBuffer creates an ArrayBuffer holding b (not copied).
func (r *Realm) NewArrayBuffer(b []byte) *goja.Object {
	return r.vm.ToValue(r.vm.NewArrayBuffer(b)).(*goja.Object)
}

// ToPromise converts v to the IDL type Promise<T>
// (https://webidl.spec.whatwg.org/#js-promise): PromiseResolve(%Promise%, V).
func (r *Realm) ToPromise(v goja.Value) *goja.Object {
	p, err := r.intr().promiseResolve(r.intr().promiseCtor, ToAny(v))
	if err != nil {
		panic(err)
	}
	return p.(*goja.Object)
}

// NewPromise creates a new pending promise and the functions that settle it
// (they must be called on the runtime's goroutine).
func (r *Realm) NewPromise() (p *goja.Object, resolve, reject func(goja.Value)) {
	pr, res, rej := r.vm.NewPromise()
	return r.vm.ToValue(pr).(*goja.Object),
		func(v goja.Value) { res(v) },
		func(v goja.Value) { rej(v) }
}

// FrozenArray creates a frozen array of vs (the IDL FrozenArray<T> value).
func (r *Realm) FrozenArray(vs ...goja.Value) *goja.Object {
	items := make([]any, len(vs))
	for i, v := range vs {
		items[i] = v
	}
	a := r.vm.NewArray(items...)
	if _, err := r.intr().freeze(goja.Undefined(), a); err != nil {
		panic(err)
	}
	return a
}
