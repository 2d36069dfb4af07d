package webidl

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/dop251/goja"
)

// Intrinsics looks up a runtime's built-in objects by their path from the global
// object, for bindings that capture them before script can replace them. A lookup
// that finds nothing of the right kind panics with a message naming the path; the
// binding's Register recovers it into an error.
//
// A path's steps are property names, well-known symbols written "@@iterator",
// "[[Prototype]]" for an object's prototype and, last, "get name" for the
// getter of an accessor property: ("Uint8Array", "prototype", "[[Prototype]]",
// "get @@toStringTag") is the getter of %TypedArray%.prototype[@@toStringTag].
//
// In a runtime with a Realm, a lookup reads goja's global object, which script
// never writes (see global.go), and the realm keeps the result. Every path
// looked up anywhere in the process is looked up again by Realm.Prepare, before
// the first script of each realm runs: so a binding installed on first use,
// after scripts have run, still gets the built-ins as goja made them, not what
// a script put in their place.
type Intrinsics struct{ VM *goja.Runtime }

// Value returns the value at path, such as ("Map", "prototype", "forEach").
func (in Intrinsics) Value(path ...string) goja.Value {
	if r := RealmOf(in.VM); r != nil {
		return r.intrinsic(path)
	}
	return lookup(in.VM, in.VM.GlobalObject(), path)
}

// Object returns the object at path.
func (in Intrinsics) Object(path ...string) *goja.Object {
	o, ok := in.Value(path...).(*goja.Object)
	if !ok {
		panic(fmt.Sprintf("intrinsic %v is missing", path))
	}
	return o
}

// Func returns the function at path.
func (in Intrinsics) Func(path ...string) goja.Callable {
	f, ok := goja.AssertFunction(in.Value(path...))
	if !ok {
		panic(fmt.Sprintf("intrinsic %v is not a function", path))
	}
	return f
}

// Getter returns the getter of the accessor property name of proto, or nil if it has
// none. It reads proto as it is now: for a built-in's getter that a binding
// installed on first use captures, use Func with a path ending "get name".
func (in Intrinsics) Getter(proto *goja.Object, name goja.Value) goja.Callable {
	d, err := in.Func("Reflect", "getOwnPropertyDescriptor")(goja.Undefined(), proto, name)
	if err != nil {
		panic(err)
	}
	if do, ok := d.(*goja.Object); ok {
		if f, ok := goja.AssertFunction(do.Get("get")); ok {
			return f
		}
	}
	return nil
}

// ProtoOf evaluates src, an expression making an object, and returns that object's
// prototype; nil if this goja version cannot parse src. src is compiled once per
// process.
func (in Intrinsics) ProtoOf(src string) *goja.Object {
	o, _ := in.Value(evalStep + src).(*goja.Object)
	return o
}

// evalStep starts the one-step path of ProtoOf.
const evalStep = "eval "

var proxyType = reflect.TypeOf(goja.Proxy{})

// programs holds the sources ProtoOf compiled.
var programs sync.Map // string -> *goja.Program, or nil when it does not compile

// lookup follows path from root.
func lookup(vm *goja.Runtime, root *goja.Object, path []string) goja.Value {
	if len(path) == 1 && strings.HasPrefix(path[0], evalStep) {
		return protoOf(vm, strings.TrimPrefix(path[0], evalStep))
	}
	var v goja.Value = root
	for _, step := range path {
		o, ok := v.(*goja.Object)
		if !ok {
			panic(fmt.Sprintf("intrinsic %v is missing", path))
		}
		switch {
		case step == "[[Prototype]]":
			if p := o.Prototype(); p != nil {
				v = p
			} else {
				v = goja.Null()
			}
		case strings.HasPrefix(step, "get "):
			v = getterOf(vm, root, o, strings.TrimPrefix(step, "get "))
		default:
			if s := symbolOf(step); s != nil {
				v = o.GetSymbol(s)
			} else {
				v = o.Get(step)
			}
		}
		if v == nil {
			v = goja.Undefined()
		}
	}
	return v
}

// symbolOf returns the well-known symbol a step "@@name" names.
func symbolOf(step string) *goja.Symbol {
	switch step {
	case "@@iterator":
		return goja.SymIterator
	case "@@toStringTag":
		return goja.SymToStringTag
	case "@@species":
		return goja.SymSpecies
	case "@@toPrimitive":
		return goja.SymToPrimitive
	case "@@hasInstance":
		return goja.SymHasInstance
	}
	if strings.HasPrefix(step, "@@") {
		panic("webidl: unknown well-known symbol " + step)
	}
	return nil
}

// getterOf returns the getter of o's own accessor property name, or
// undefined.
func getterOf(vm *goja.Runtime, root, o *goja.Object, name string) goja.Value {
	key := vm.ToValue(name)
	if s := symbolOf(name); s != nil {
		key = s
	}
	gopd, _ := goja.AssertFunction(lookup(vm, root, []string{"Reflect", "getOwnPropertyDescriptor"}))
	d, err := gopd(goja.Undefined(), o, key)
	if err != nil {
		panic(err)
	}
	if do, ok := d.(*goja.Object); ok {
		if f, ok := do.Get("get").(*goja.Object); ok {
			return f
		}
	}
	return goja.Undefined()
}

func protoOf(vm *goja.Runtime, src string) goja.Value {
	p, ok := programs.Load(src)
	if !ok {
		prg, err := goja.Compile("", src, false)
		if err != nil {
			prg = nil
		}
		p, _ = programs.LoadOrStore(src, prg)
	}
	prg := p.(*goja.Program)
	if prg == nil {
		return goja.Undefined()
	}
	v, err := vm.RunProgram(prg)
	if err != nil {
		return goja.Undefined()
	}
	if p := v.(*goja.Object).Prototype(); p != nil {
		return p
	}
	return goja.Null()
}

// intrinsicPaths are the paths looked up in any realm of the process, in the
// order first seen, which Prepare looks up in each realm.
var intrinsicPaths struct {
	sync.Mutex
	seen map[string]bool
	list [][]string
}

// intrinsic returns the value at path, from the realm's cache or goja's
// global object.
func (r *Realm) intrinsic(path []string) goja.Value {
	key := strings.Join(path, "\x00")
	if v, ok := r.paths[key]; ok {
		return v
	}
	intrinsicPaths.Lock()
	if !intrinsicPaths.seen[key] {
		if intrinsicPaths.seen == nil {
			intrinsicPaths.seen = make(map[string]bool)
		}
		intrinsicPaths.seen[key] = true
		intrinsicPaths.list = append(intrinsicPaths.list, append([]string(nil), path...))
		if r.prepared && lateIntrinsic != nil {
			lateIntrinsic(path)
		}
	}
	intrinsicPaths.Unlock()
	v := lookup(r.vm, r.g.target, path)
	if r.paths == nil {
		r.paths = make(map[string]goja.Value)
	}
	r.paths[key] = v
	return v
}

// lateIntrinsic, if set (by tests), is called with a path first looked up
// after a realm's Prepare: the value may then be one script put there.
var lateIntrinsic func(path []string)

// Prepare readies the realm for its first script: it wraps the functions
// that define properties so that they see the global object's pending
// names (global.go), and captures every intrinsic the realm and the
// bindings of the process look up: those of bindings installed later, on
// first use, included. Call it once nothing but script is left to run;
// calling it again does nothing.
func (r *Realm) Prepare() {
	if r.prepared {
		return
	}
	// First, so that the intrinsics captured are the wrappers. A global
	// object without the Proxy (Eager) needs none.
	if !r.g.plain {
		r.g.wrapDefiners()
	}
	r.wrapPrototypeSetters()
	r.intr()
	intrinsicPaths.Lock()
	list := intrinsicPaths.list
	intrinsicPaths.Unlock()
	for _, p := range list {
		r.intrinsic(p)
	}
	r.prepared = true
}

// realmIntrinsics are the built-ins the realm itself uses.
type realmIntrinsics struct {
	vm               *goja.Runtime
	errorCtor        goja.Constructor
	rangeErrorCtor   goja.Constructor
	syntaxErrorCtor  goja.Constructor
	promiseCtor      *goja.Object
	promiseResolve   goja.Callable
	isView           goja.Callable
	typedArrayBuffer goja.Callable
	typedArrayOffset goja.Callable
	typedArrayLength goja.Callable
	dataViewBuffer   goja.Callable
	dataViewOffset   goja.Callable
	dataViewLength   goja.Callable
	reflectOwnKeys   goja.Callable
	reflectGetFn     goja.Callable
	reflectSetFn     goja.Callable
	reflectHasFn     goja.Callable
	reflectGOPD      goja.Callable
	reflectDefine    goja.Callable
	reflectPrevent   goja.Callable
	isEnumerable     goja.Callable
	errorProto       *goja.Object
	functionProto    *goja.Object
	objectProto      *goja.Object
	bindCall         goja.Callable
	freeze           goja.Callable
	// carrier and carried serve trapDescriptor.
	carrier *goja.Object
	carried goja.PropertyDescriptor
}

// intr returns the realm's intrinsics, capturing them the first time.
func (r *Realm) intr() *realmIntrinsics {
	if r.in == nil {
		r.in = newRealmIntrinsics(r.vm, r.g.target)
	}
	return r.in
}

// newRealmIntrinsics reads the intrinsics from g, goja's global object.
func newRealmIntrinsics(vm *goja.Runtime, g *goja.Object) *realmIntrinsics {
	get := func(path ...string) goja.Value { return lookup(vm, g, path) }
	ctor := func(path ...string) goja.Constructor {
		c, ok := goja.AssertConstructor(get(path...))
		if !ok {
			panic(fmt.Sprintf("webidl: intrinsic %v is not a constructor", path))
		}
		return c
	}
	fn := func(path ...string) goja.Callable {
		f, ok := goja.AssertFunction(get(path...))
		if !ok {
			panic(fmt.Sprintf("webidl: intrinsic %v is not a function", path))
		}
		return f
	}
	obj := func(path ...string) *goja.Object { return get(path...).(*goja.Object) }
	return &realmIntrinsics{
		vm:               vm,
		errorCtor:        ctor("Error"),
		rangeErrorCtor:   ctor("RangeError"),
		syntaxErrorCtor:  ctor("SyntaxError"),
		errorProto:       obj("Error", "prototype"),
		functionProto:    obj("Function", "prototype"),
		objectProto:      obj("Object", "prototype"),
		promiseCtor:      obj("Promise"),
		promiseResolve:   fn("Promise", "resolve"),
		isView:           fn("ArrayBuffer", "isView"),
		typedArrayBuffer: fn("Uint8Array", "prototype", "[[Prototype]]", "get buffer"),
		typedArrayOffset: fn("Uint8Array", "prototype", "[[Prototype]]", "get byteOffset"),
		typedArrayLength: fn("Uint8Array", "prototype", "[[Prototype]]", "get byteLength"),
		dataViewBuffer:   fn("DataView", "prototype", "get buffer"),
		dataViewOffset:   fn("DataView", "prototype", "get byteOffset"),
		dataViewLength:   fn("DataView", "prototype", "get byteLength"),
		reflectOwnKeys:   fn("Reflect", "ownKeys"),
		reflectGetFn:     fn("Reflect", "get"),
		reflectSetFn:     fn("Reflect", "set"),
		reflectHasFn:     fn("Reflect", "has"),
		reflectGOPD:      fn("Reflect", "getOwnPropertyDescriptor"),
		reflectDefine:    fn("Reflect", "defineProperty"),
		reflectPrevent:   fn("Reflect", "preventExtensions"),
		isEnumerable:     fn("Object", "prototype", "propertyIsEnumerable"),
		freeze:           fn("Object", "freeze"),
		bindCall:         fn("Function", "prototype", "bind"),
	}
}

// call calls f, throwing what it throws into the script that called Go.
func (in *realmIntrinsics) call(f goja.Callable, args ...goja.Value) goja.Value {
	v, err := f(goja.Undefined(), args...)
	if err != nil {
		panic(err)
	}
	return v
}

func (in *realmIntrinsics) reflectGet(o *goja.Object, key, receiver goja.Value) goja.Value {
	return in.call(in.reflectGetFn, o, key, receiver)
}

func (in *realmIntrinsics) reflectSet(o *goja.Object, key, v, receiver goja.Value) bool {
	return in.call(in.reflectSetFn, o, key, v, receiver).ToBoolean()
}

func (in *realmIntrinsics) reflectHas(o *goja.Object, key goja.Value) bool {
	return in.call(in.reflectHasFn, o, key).ToBoolean()
}

func (in *realmIntrinsics) preventExtensions(o *goja.Object) bool {
	return in.call(in.reflectPrevent, o).ToBoolean()
}

// ownKeys returns Reflect.ownKeys(o), read from the array's own elements.
func (in *realmIntrinsics) ownKeys(o *goja.Object) []any {
	a := in.call(in.reflectOwnKeys, o).(*goja.Object)
	n := int(a.Get("length").ToInteger())
	keys := make([]any, n)
	for i := range keys {
		keys[i] = a.Get(strconv.Itoa(i))
	}
	return keys
}

// describe returns the descriptor of o's own property name, which reading
// runs no script (o is no Proxy).
func (in *realmIntrinsics) describe(o *goja.Object, name string) goja.PropertyDescriptor {
	d, ok := in.call(in.reflectGOPD, o, in.vm.ToValue(name)).(*goja.Object)
	if !ok {
		return goja.PropertyDescriptor{}
	}
	var pd goja.PropertyDescriptor
	for _, k := range d.Keys() {
		v := d.Get(k)
		switch k {
		case "value":
			pd.Value = v
		case "get":
			pd.Getter = v
		case "set":
			pd.Setter = v
		case "writable":
			pd.Writable = flag(v.ToBoolean())
		case "enumerable":
			pd.Enumerable = flag(v.ToBoolean())
		case "configurable":
			pd.Configurable = flag(v.ToBoolean())
		}
	}
	return pd
}

// trapDescriptor returns the descriptor of o's own property name for a
// native Proxy trap to return. goja turns a trap's PropertyDescriptor into
// a new object that inherits from Object.prototype and reads it back with
// ToPropertyDescriptor, which sees get, set, value or writable that script
// gave Object.prototype (and throws "Cannot both specify accessors and a
// value" for a data property once Object.prototype has a set method). The
// descriptor returned here carries an object of null prototype that goja
// reads instead: goja keeps the object a descriptor was made from, and a
// native defineProperty trap (carrier) receives that descriptor.
func (in *realmIntrinsics) trapDescriptor(o *goja.Object, name string) goja.PropertyDescriptor {
	d, ok := in.call(in.reflectGOPD, o, in.vm.ToValue(name)).(*goja.Object)
	if !ok {
		return goja.PropertyDescriptor{}
	}
	if err := d.SetPrototype(nil); err != nil {
		panic(err)
	}
	if in.carrier == nil {
		in.carrier = in.vm.ToValue(in.vm.NewProxy(in.vm.NewObject(), &goja.ProxyTrapConfig{
			DefineProperty: func(_ *goja.Object, _ string, pd goja.PropertyDescriptor) bool {
				in.carried = pd
				return false
			},
		})).(*goja.Object)
	}
	in.call(in.reflectDefine, in.carrier, in.vm.ToValue(name), d)
	pd := in.carried
	in.carried = goja.PropertyDescriptor{}
	return pd
}

func flag(b bool) goja.Flag {
	if b {
		return goja.FLAG_TRUE
	}
	return goja.FLAG_FALSE
}
