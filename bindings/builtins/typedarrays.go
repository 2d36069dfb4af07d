package builtins

import (
	_ "embed"
	"errors"
	"fmt"
	"math/big"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// The views of views.go are given to script through the built-ins that
// take typed arrays and DataViews: each function and getter of
// %TypedArray%.prototype and DataView.prototype is replaced by a native
// function of the same name and length that calls goja's own for goja's
// views and takes the spec's steps (js/typedarray.js, dataview.go) for this
// package's. Telling them apart costs goja's views one check of the
// receiver's Go type (a Proxy or not), and goja's function is then called
// directly, as a Go function, so the common case keeps goja's speed but for
// that check and a native call more (BenchmarkTypedArrays).

//go:embed js/typedarray.js
var typedArraySource string

var typedArrayProgram = sync.OnceValue(func() *goja.Program {
	return compileBuiltin("wsjs:typedarray.js", typedArraySource)
})

// typedArrays is what one realm keeps of the views this package makes.
type typedArrays struct {
	realm *webidl.Realm
	vm    *goja.Runtime
	alloc *allocator
	codec codec
	// views maps the objects script sees to their slots.
	views *webidl.WeakTable[*view]
	// goja's own %TypedArray%.prototype getters, which run no script.
	tag, bufferOf, offsetOf, lengthOf nativeFunc
	// goja's own DataView.prototype getters.
	dvBuffer, dvOffset, dvLength nativeFunc
	// goja's typed array constructors, by element type (none for
	// Float16Array), and Array.prototype.keys, values and entries.
	ctors                   [kindCount]goja.Constructor
	arrayIterators          [3]nativeFunc
	reflectOwnPropertyDescr goja.Callable
	// helpers are functions of js/typedarray.js the traps call.
	helpers struct {
		ordinarySet, set, ownKeys, preventExtensions, toBigInt goja.Callable
	}
	// builtin are the typed array constructors script sees, by element
	// type, and dataView the DataView constructor.
	builtin  [kindCount]*goja.Object
	dataView *goja.Object
}

// typedArraysKey keys a realm's typedArrays in its data.
type typedArraysKey struct{}

// typedArraysOf returns realm's typedArrays, made by newTypedArrays.
func typedArraysOf(realm *webidl.Realm) *typedArrays {
	t, _ := realm.Data(typedArraysKey{}).(*typedArrays)
	return t
}

// nativeOf returns the Go function of goja's built-in function f.
func nativeOf(f goja.Value) (nativeFunc, error) {
	o, ok := f.(*goja.Object)
	if !ok {
		return nil, errors.New("builtins: not a function")
	}
	n, ok := o.Export().(nativeFunc)
	if !ok {
		return nil, errors.New("builtins: not one of goja's functions")
	}
	return n, nil
}

// property returns the descriptor of proto's own property key (a string or
// a *goja.Symbol), or nil.
func (t *typedArrays) property(proto *goja.Object, key any) *goja.Object {
	d, _ := t.call(t.reflectOwnPropertyDescr, proto, t.vm.ToValue(key)).(*goja.Object)
	return d
}

// newTypedArrays captures goja's intrinsics the views need, before any of
// them is replaced, and keeps them in realm's data.
func newTypedArrays(realm *webidl.Realm, alloc *allocator) (*typedArrays, error) {
	vm := realm.VM()
	in := webidl.Intrinsics{VM: vm}
	t := &typedArrays{realm: realm, vm: vm, alloc: alloc, views: webidl.NewWeakTable[*view]()}
	t.reflectOwnPropertyDescr = in.Func("Reflect", "getOwnPropertyDescriptor")
	t.codec = codec{vm: vm, toBigInt: func(v goja.Value) *big.Int {
		return t.call(t.helpers.toBigInt, v).Export().(*big.Int)
	}}
	proto := in.Object("Uint8Array", "prototype").Prototype()
	var err error
	getter := func(key any) nativeFunc {
		var f nativeFunc
		if d := t.property(proto, key); d != nil {
			f, err = nativeOf(d.Get("get"))
		}
		if f == nil && err == nil {
			err = fmt.Errorf("builtins: %%TypedArray%%.prototype has no getter %v", key)
		}
		return f
	}
	t.tag, t.bufferOf = getter(goja.SymToStringTag), getter("buffer")
	t.offsetOf, t.lengthOf = getter("byteOffset"), getter("length")
	if err != nil {
		return nil, err
	}
	for k := range kindCount {
		if k == kindFloat16 {
			continue
		}
		c, ok := goja.AssertConstructor(in.Value(kinds[k].name))
		if !ok {
			return nil, fmt.Errorf("builtins: %s is not a constructor", kinds[k].name)
		}
		t.ctors[k] = c
	}
	for i, name := range []string{"keys", "values", "entries"} {
		if t.arrayIterators[i], err = nativeOf(in.Value("Array", "prototype", name)); err != nil {
			return nil, err
		}
	}
	realm.SetData(typedArraysKey{}, t)
	return t, nil
}

// ours returns the slots of v if v is a typed array or DataView this package
// made, or nil: goja's views are not Proxies, so they cost no lookup. A nil
// t (before the typed arrays are installed) has none.
func (t *typedArrays) ours(v goja.Value) *view {
	o, ok := v.(*goja.Object)
	if t == nil || !ok || o.ExportType() != proxyType {
		return nil
	}
	w, _ := t.views.Get(o)
	return w
}

// array returns the slots of the typed array v, goja's or this package's,
// or nil if v is not a typed array. Those of goja's are read through its
// getters, which run no script. A nil t has none.
func (t *typedArrays) array(v goja.Value) *view {
	if t == nil {
		return nil
	}
	if w := t.ours(v); w != nil {
		if w.kind == kindDataView {
			return nil
		}
		return w
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return nil
	}
	this := goja.FunctionCall{This: o}
	tag := t.tag(this)
	if goja.IsUndefined(tag) {
		return nil
	}
	k, _ := kindNamed(tag.String())
	buffer := t.bufferOf(this).(*goja.Object)
	return newView(k, buffer, t.offsetOf(this).ToInteger(), t.lengthOf(this).ToInteger())
}

// validate is ValidateTypedArray
// (https://tc39.es/ecma262/#sec-validatetypedarray): it returns the slots
// of the typed array v and its TypedArrayLength, or throws a TypeError.
func (t *typedArrays) validate(v goja.Value) (*view, int64) {
	w := t.array(v)
	if w == nil {
		panic(t.vm.NewTypeError("this is not a typed array"))
	}
	n := w.arrayLength()
	if n < 0 {
		panic(t.vm.NewTypeError(outOfBounds))
	}
	return w, n
}

// errMissing is the error of an intrinsic goja lacks.
func errMissing(name string) error {
	return fmt.Errorf("builtins: %s is missing", name)
}

// install runs js/typedarray.js, which defines Float16Array, and replaces
// the functions of %TypedArray%, %TypedArray%.prototype, DataView.prototype
// and ArrayBuffer.isView. It returns what js/typedarray.js returns, with
// which js/arraybuffer.js wraps the constructors.
func (t *typedArrays) install() (*goja.Object, error) {
	vm := t.vm
	setup, err := vm.RunProgram(typedArrayProgram())
	if err != nil {
		return nil, err
	}
	fn, _ := goja.AssertFunction(setup)
	es, err := abstractOps(t.realm)
	if err != nil {
		return nil, err
	}
	res, err := fn(goja.Undefined(), t.natives(), es)
	if err != nil {
		return nil, err
	}
	js := res.(*goja.Object)
	h := js.Get("helpers").(*goja.Object)
	for name, f := range map[string]*goja.Callable{
		"ordinarySet": &t.helpers.ordinarySet, "set": &t.helpers.set, "ownKeys": &t.helpers.ownKeys,
		"preventExtensions": &t.helpers.preventExtensions, "toBigInt": &t.helpers.toBigInt,
	} {
		*f, _ = goja.AssertFunction(h.Get(name))
	}
	in := webidl.Intrinsics{VM: vm}
	proto := in.Object("Uint8Array", "prototype").Prototype()
	if err := t.dispatchMethods(proto, js.Get("methods").(*goja.Object)); err != nil {
		return nil, err
	}
	if err := t.dispatchGetters(proto, js.Get("getters").(*goja.Object)); err != nil {
		return nil, err
	}
	if err := t.dispatchStatics(in.Object("Uint8Array").Prototype(), js); err != nil {
		return nil, err
	}
	if err := t.installDataViews(); err != nil {
		return nil, err
	}
	if err := t.installIsView(in.Object("ArrayBuffer")); err != nil {
		return nil, err
	}
	if err := t.dispatchArrayIterators(in.Object("Array", "prototype")); err != nil {
		return nil, err
	}
	t.realm.AddViewAlias(t.alias)
	return js, nil
}

// dispatch returns a native function named name that calls ours, a function
// of js/typedarray.js, when this package's view is the receiver (or, with
// also, when also says so), and goja's native otherwise.
func (t *typedArrays) dispatch(native nativeFunc, ours goja.Callable, also func(goja.FunctionCall) bool) nativeFunc {
	return func(call goja.FunctionCall) goja.Value {
		if t.ours(call.This) != nil || also != nil && also(call) {
			v, err := ours(call.This, call.Arguments...)
			if err != nil {
				panic(err)
			}
			return v
		}
		return native(call)
	}
}

// dispatchMethods replaces each method of %TypedArray%.prototype that
// methods has.
func (t *typedArrays) dispatchMethods(proto, methods *goja.Object) error {
	for _, name := range methods.Keys() {
		ours, _ := goja.AssertFunction(methods.Get(name))
		orig, ok := proto.Get(name).(*goja.Object)
		if !ok {
			return errMissing("%TypedArray%.prototype." + name)
		}
		native, err := nativeOf(orig)
		if err != nil {
			return err
		}
		var also func(goja.FunctionCall) bool
		if name == "set" {
			// A source of this package's is read by the spec's steps.
			also = func(call goja.FunctionCall) bool { return t.ours(call.Argument(0)) != nil }
		}
		f := webidl.NewFunction(t.vm, name, int(orig.Get("length").ToInteger()), t.dispatch(native, ours, also))
		if err := proto.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
		if name == "values" {
			// %TypedArray%.prototype[@@iterator] is the same function.
			if err := proto.DefineDataPropertySymbol(goja.SymIterator, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
				return err
			}
		}
	}
	return nil
}

// dispatchGetters replaces each getter of %TypedArray%.prototype that
// getters has.
func (t *typedArrays) dispatchGetters(proto, getters *goja.Object) error {
	keys := []any{"buffer", "byteLength", "byteOffset", "length", goja.SymToStringTag}
	for _, key := range keys {
		d := t.property(proto, key)
		if d == nil {
			return errMissing(fmt.Sprintf("%%TypedArray%%.prototype getter %v", key))
		}
		native, err := nativeOf(d.Get("get"))
		if err != nil {
			return err
		}
		oursGet, _ := goja.AssertFunction(t.property(getters, key).Get("get"))
		name := "get " + fmt.Sprint(key)
		if key == goja.SymToStringTag {
			name = "get [Symbol.toStringTag]"
		}
		get := webidl.NewFunction(t.vm, name, 0, t.dispatch(native, oursGet, nil))
		if s, ok := key.(*goja.Symbol); ok {
			err = proto.DefineAccessorPropertySymbol(s, get, nil, goja.FLAG_TRUE, goja.FLAG_FALSE)
		} else {
			err = proto.DefineAccessorProperty(key.(string), get, nil, goja.FLAG_TRUE, goja.FLAG_FALSE)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// dispatchStatics replaces %TypedArray%.from and of, which goja's serve for
// its typed array constructors only.
func (t *typedArrays) dispatchStatics(typedArray, js *goja.Object) error {
	for _, name := range []string{"from", "of"} {
		orig := typedArray.Get(name).(*goja.Object)
		native, err := nativeOf(orig)
		if err != nil {
			return err
		}
		ours, _ := goja.AssertFunction(js.Get(name))
		f := webidl.NewFunction(t.vm, name, int(orig.Get("length").ToInteger()), func(call goja.FunctionCall) goja.Value {
			for k, c := range t.builtin {
				if k != int(kindFloat16) && c != nil && call.This == c {
					return native(call)
				}
			}
			v, err := ours(call.This, call.Arguments...)
			if err != nil {
				panic(err)
			}
			return v
		})
		if err := typedArray.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// captureBuiltins records the typed array and DataView constructors script
// sees, once js/arraybuffer.js has wrapped them.
func (t *typedArrays) captureBuiltins(js *goja.Object) {
	list := js.Get("intrinsics").(*goja.Object)
	for k := range kindCount {
		t.builtin[k], _ = list.Get(fmt.Sprint(int(k))).(*goja.Object)
	}
	t.dataView, _ = t.vm.GlobalObject().Get("DataView").(*goja.Object)
}

// dispatchArrayIterators replaces Array.prototype.keys and entries with
// functions that give this package's typed arrays the iterators
// %TypedArray%.prototype's give them (viewproxy.go), which throw once the
// view is out of bounds, as the spec says. Array.prototype.values stays
// goja's: it is Array.prototype[@@iterator] too, which goja compares with
// its own to take its fast paths for arrays (Array.from, new Set), and
// its iterators end at a length of 0 instead of throwing.
func (t *typedArrays) dispatchArrayIterators(proto *goja.Object) error {
	for i, name := range []string{"keys", "entries"} {
		native := t.arrayIterators[2*i]
		f := webidl.NewFunction(t.vm, name, 0, func(call goja.FunctionCall) goja.Value {
			if v := t.ours(call.This); v != nil && v.kind != kindDataView {
				return t.iterator(call.This.(*goja.Object), v, native)
			}
			return native(call)
		})
		if err := proto.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// installIsView replaces ArrayBuffer.isView
// (https://tc39.es/ecma262/#sec-arraybuffer.isview) with one that knows this
// package's views.
func (t *typedArrays) installIsView(arrayBuffer *goja.Object) error {
	native, err := nativeOf(arrayBuffer.Get("isView"))
	if err != nil {
		return err
	}
	f := webidl.NewFunction(t.vm, "isView", 1, func(call goja.FunctionCall) goja.Value {
		if t.ours(call.Argument(0)) != nil {
			return t.vm.ToValue(true)
		}
		return native(call)
	})
	return arrayBuffer.DefineDataProperty("isView", f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// alias returns, for a view of this package, one of goja's over the bytes it
// views now (none when it is out of bounds), for the web APIs that take
// buffer sources (webidl.Realm.AddViewAlias): a typed array of the same
// element type (a Uint16Array for a Float16Array), a Uint8Array for a
// DataView.
func (t *typedArrays) alias(o *goja.Object) *goja.Object {
	v := t.ours(o)
	if v == nil {
		return nil
	}
	kind := kindUint8
	if v.kind != kindDataView {
		kind = kinds[v.kind].storage
	}
	n, ok := v.bounds()
	var a *goja.Object
	var err error
	if ok {
		a, err = t.ctors[kind](nil, v.buffer, t.vm.ToValue(v.offset), t.vm.ToValue(n/kind.size()))
	} else {
		a, err = t.ctors[kind](nil, t.vm.ToValue(0))
	}
	if err != nil {
		panic(err)
	}
	return a
}
