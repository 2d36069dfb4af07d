package structuredclone

import (
	"errors"
	"fmt"
	"sync"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// Binding installs structuredClone() and what Serialize and Deserialize
// need in a realm.
var Binding = &bindings.Binding{Name: "structuredclone", Register: Register}

// Register defines structuredClone(value, options), an operation of
// WindowOrWorkerGlobalScope (HTML "Structured cloning API",
// https://html.spec.whatwg.org/multipage/structured-data.html#structured-cloning),
// on the global object of env.Realm: a writable, enumerable, configurable
// function of length 1.
//
// ArrayBuffers listed in options.transfer are detached and their contents
// moved to the clone without copying; platform objects registered with
// RegisterTransferable are transferred with their transfer steps. A SharedArrayBuffer is
// cloned as a buffer over the same memory (shared.go); a resizable ArrayBuffer as a
// fixed-length copy of its bytes in use.
// Platform objects are cloned if their interface was registered with
// RegisterSerializable (DOMException is); any other platform object throws
// a "DataCloneError" DOMException, as do functions, symbols, WeakMaps,
// WeakSets, promises, proxies, iterators and objects wrapping Go values.
func Register(env *bindings.Env) error {
	r := env.Realm
	in, err := captureIntrinsics(r.VM())
	if err != nil {
		return err
	}
	c := &cloner{realm: r, in: in, cluster: env.Cluster}
	if err := c.captureReflection(); err != nil {
		return err
	}
	r.SetData(clonerKey{}, c)
	// An operation of the WindowOrWorkerGlobalScope mixin.
	if err := r.DefineGlobalMembers(nil, []webidl.Operation{{Name: "structuredClone", Length: 1, Func: c.structuredClone}}); err != nil {
		return fmt.Errorf("structuredclone: %w", err)
	}
	return nil
}

// clonerKey finds a realm's cloner with webidl.Realm.Data.
type clonerKey struct{}

// clonerOf returns the cloner of r, installing the binding first if r
// defers it: other bindings (postMessage) clone through this package
// without needing the binding.
func clonerOf(r *webidl.Realm) (*cloner, bool) {
	if _, ok := r.Data(clonerKey{}).(*cloner); !ok {
		if err := bindings.Require(r, Binding); err != nil {
			r.ThrowTypeError("structuredclone: %v", err)
		}
	}
	c, ok := r.Data(clonerKey{}).(*cloner)
	return c, ok
}

// cloner clones values within one realm.
type cloner struct {
	realm   *webidl.Realm
	in      *intrinsics
	cluster *bindings.Cluster // the realm's agent cluster, or nil

	// For property keys holding lone surrogates, which goja's Go API
	// cannot name: Reflect.ownKeys, propertyIsEnumerable, Reflect.get and
	// CreateDataProperty working on JavaScript strings.
	ownKeys, isEnumerable, get, createDataProperty goja.Callable

	// poll, made on first use, is stepped for each value serialized and
	// deserialized: the loops are in Go, where goja sees no interrupt, and
	// structuredClone of 2^17 entries of nested arrays, objects and maps ran
	// a second past a 300 ms deadline.
	poll *webidl.Poller
}

// step steps the realm's poller (webidl.Poller), which panics with the
// runtime's interrupt every so many steps.
func (c *cloner) step() {
	if c.poll == nil {
		c.poll = c.realm.Poller()
	}
	c.poll.Step()
}

// reflectionProgram makes the functions of captureReflection from the
// intrinsics it is given; compiled once per process.
var reflectionProgram = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("wsjs:structuredclone.js", `((ownKeys, isEnumerable, get, define) => [
		ownKeys, isEnumerable, get,
		(o, k, v) => define(o, k, {__proto__: null, value: v, writable: true, enumerable: true, configurable: true}),
	])`, true)
})

func (c *cloner) captureReflection() error {
	vm := c.realm.VM()
	mk, err := vm.RunProgram(reflectionProgram())
	if err != nil {
		return fmt.Errorf("structuredclone: %w", err)
	}
	f, _ := goja.AssertFunction(mk)
	lk := webidl.Intrinsics{VM: vm}
	v, err := f(goja.Undefined(), lk.Value("Reflect", "ownKeys"), lk.Value("Object", "prototype", "propertyIsEnumerable"),
		lk.Value("Reflect", "get"), lk.Value("Reflect", "defineProperty"))
	if err != nil {
		return fmt.Errorf("structuredclone: %w", err)
	}
	fns := v.(*goja.Object)
	for i, dst := range []*goja.Callable{&c.ownKeys, &c.isEnumerable, &c.get, &c.createDataProperty} {
		f, ok := goja.AssertFunction(fns.Get(fmt.Sprint(i)))
		if !ok {
			return errors.New("structuredclone: Reflect and Object built-ins are missing")
		}
		*dst = f
	}
	return nil
}

// options is the StructuredSerializeOptions dictionary.
type options struct {
	transfer []*goja.Object
}

// dictionary StructuredSerializeOptions { sequence<object> transfer = []; };
var serializeOptions = &webidl.Dictionary[options]{
	Name: "StructuredSerializeOptions",
	Members: []webidl.DictionaryMember[options]{{
		Name: "transfer",
		Convert: func(r *webidl.Realm, v goja.Value, out *options) {
			out.transfer = webidl.ToSequence(r, v, r.ToObject)
		},
	}},
}

// TransferOption converts v to the StructuredSerializeOptions dictionary, as
// structuredClone and postMessage take it, and returns its transfer member.
func TransferOption(r *webidl.Realm, v goja.Value) []*goja.Object {
	var opts options
	webidl.ToDictionary(r, v, serializeOptions, &opts)
	return opts.transfer
}

// structuredClone(value, options) (HTML "Structured cloning API",
// https://html.spec.whatwg.org/multipage/structured-data.html#structured-cloning).
func (c *cloner) structuredClone(call webidl.Call) goja.Value {
	r := c.realm
	transfer := TransferOption(r, call.Arg(1))
	// 1. Let serialized be ? StructuredSerializeWithTransfer(value,
	// options["transfer"]): memory starts with the transferables, then
	// value is serialized, then the transferables are detached.
	s := &serializer{c: c, memory: make(map[*goja.Object]*record)}
	t := s.prepare(transfer)
	serialized := s.serialize(call.Args[0])
	t.finish(r)
	// 2. Let deserializeRecord be ? StructuredDeserializeWithTransfer(
	// serialized, this's relevant realm): the transferred values first,
	// then the value, which refers to them.
	d := &deserializer{c: c, memory: make(map[*record]*goja.Object, len(s.memory))}
	d.receive(t.holders)
	// 3. Return deserializeRecord.[[Deserialized]].
	return d.deserialize(serialized)
}

// Serializable describes a kind of platform object that structured cloning
// copies: the serialization and deserialization steps of an interface marked
// [Serializable]
// (https://html.spec.whatwg.org/multipage/structured-data.html#serializable-objects).
type Serializable struct {
	// Interface is the interface's identifier, such as "Blob": the
	// platform objects webidl.Realm.ImplOf reports with this interface are
	// cloned with these steps.
	Interface string
	// Serialize runs the serialization steps for obj, returning data that
	// holds everything Deserialize needs. The data must not refer to
	// objects of the runtime, so that it can be deserialized elsewhere.
	// An error becomes a "DataCloneError" DOMException.
	Serialize func(r *webidl.Realm, obj *goja.Object) (data any, err error)
	// Deserialize runs the deserialization steps: it creates a new
	// platform object of the interface in r from data.
	Deserialize func(r *webidl.Realm, data any) (*goja.Object, error)
}

// serializables holds, for the whole process, the registered Serializables.
var serializables = registry[Serializable]{m: make(map[string]*Serializable)}

// RegisterSerializable makes the platform objects of s.Interface
// serializable in every realm. Bindings call it from an init function. It
// is an error to register an interface twice or without both steps.
func RegisterSerializable(s Serializable) error {
	if s.Interface == "" || s.Serialize == nil || s.Deserialize == nil {
		return errors.New("structuredclone: a Serializable needs an Interface, Serialize and Deserialize")
	}
	if !serializables.add(s.Interface, &s) {
		return fmt.Errorf("structuredclone: %s is already serializable", s.Interface)
	}
	return nil
}

// domException is the serialized form of a DOMException
// (https://webidl.spec.whatwg.org/#idl-DOMException: its serialization steps
// keep the name and message; the stack comes
// along as it does for other errors).
type domException struct {
	name, message string
	stack         goja.Value
}

func init() {
	err := RegisterSerializable(Serializable{
		Interface: "DOMException",
		Serialize: func(r *webidl.Realm, o *goja.Object) (any, error) {
			name, message, ok := r.DOMExceptionInfo(o)
			if !ok {
				return nil, errors.New("not a DOMException")
			}
			e := &domException{name: name, message: message}
			// The stack is an own data property of every error object goja
			// creates; an accessor put there by script is not run.
			if c, ok := clonerOf(r); ok {
				if stack, ok := c.ownData(o, "stack"); ok && goja.IsString(stack) {
					e.stack = stack
				}
			}
			return e, nil
		},
		Deserialize: func(r *webidl.Realm, data any) (*goja.Object, error) {
			e := data.(*domException)
			o := r.NewDOMException(e.name, e.message)
			if e.stack != nil {
				defineHidden(o, "stack", e.stack)
			}
			return o, nil
		},
	})
	if err != nil {
		panic(err)
	}
}

// memory returns the memory budget of c's agent cluster, or nil.
func (c *cloner) memory() *bindings.Budget {
	if c.cluster == nil {
		return nil
	}
	return c.cluster.Memory
}

// ownData returns o's own property name if it is a data property.
func (c *cloner) ownData(o *goja.Object, name string) (goja.Value, bool) {
	d := call(c.in.getOwnPropertyDesc, goja.Undefined(), o, c.realm.VM().ToValue(name))
	desc, ok := d.(*goja.Object)
	if !ok || desc.Get("writable") == nil {
		return nil, false // none, or an accessor: only data descriptors have writable
	}
	return desc.Get("value"), true
}
