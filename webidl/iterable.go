package webidl

import (
	"fmt"

	"github.com/dop251/goja"
)

// PairIterable describes an iterable declaration with two types,
// iterable<K, V> (https://webidl.spec.whatwg.org/#idl-iterable): the
// interface has a pair iterator over value pairs the binding provides. Set
// it as an Interface's Iterable and list its Operations among the
// interface's operations, where the IDL fragment has the declaration.
type PairIterable struct {
	// Len returns the number of value pairs to iterate over of the platform
	// object whose internal slots are impl. It is asked again at every step,
	// so that pairs added or removed while iterating are seen.
	Len func(impl any) int
	// Pair returns the key and the value of pair i, 0 <= i < Len(impl).
	Pair func(impl any, i int) (key, value goja.Value)
}

// iterationKind is the kind of a default iterator object.
type iterationKind int

const (
	kindKeyValue iterationKind = iota // "key+value"
	kindKey                           // "key"
	kindValue                         // "value"
)

// pairIterator holds the internal slots of a default iterator object: its
// target (by the target's internal slots), kind and index.
type pairIterator struct {
	target any
	kind   iterationKind
	index  int
}

// pairIterators is what a realm keeps for the pair iterators of one
// interface.
type pairIterators struct {
	name  string       // the interface's identifier
	proto *goja.Object // the iterator prototype object
	slots *WeakTable[*pairIterator]
}

// Operations returns the entries, keys, values and forEach operations of the
// declaration (https://webidl.spec.whatwg.org/#es-iterable).
func (it *PairIterable) Operations() []Operation {
	iterate := func(kind iterationKind) func(c Call) goja.Value {
		return func(c Call) goja.Value { return c.Realm.newPairIterator(it, c.Impl, kind) }
	}
	return []Operation{
		{Name: "entries", Func: iterate(kindKeyValue)},
		{Name: "keys", Func: iterate(kindKey)},
		{Name: "values", Func: iterate(kindValue)},
		{Name: "forEach", Length: 1, Func: func(c Call) goja.Value {
			it.forEach(c)
			return nil
		}},
	}
}

// forEach runs the forEach method steps
// (https://webidl.spec.whatwg.org/#es-forEach): the callback is called with
// value, key and the object for each pair, the pairs being looked at afresh
// after every call.
func (it *PairIterable) forEach(c Call) {
	cb := c.Realm.ToCallbackFunction(c.Arg(0))
	thisArg := c.Arg(1)
	for i := 0; i < it.Len(c.Impl); i++ {
		key, value := it.Pair(c.Impl, i)
		if _, err := cb.Invoke(thisArg, value, key, c.This); err != nil {
			panic(err)
		}
	}
}

// defineIterable completes the iterable declaration of the interface i: the
// @@iterator property, whose value is the entries function
// (https://webidl.spec.whatwg.org/#es-iterator), and the iterator prototype
// object (https://webidl.spec.whatwg.org/#es-iterator-prototype-object),
// whose [[Prototype]] is %IteratorPrototype%.
func (r *Realm) defineIterable(i *iface, it *PairIterable) error {
	vm := r.vm
	entries := i.proto.Get("entries")
	if _, ok := goja.AssertFunction(entries); !ok {
		return fmt.Errorf("webidl: interface %q has an Iterable but no entries operation", i.name)
	}
	if err := i.proto.DefineDataPropertySymbol(goja.SymIterator, entries, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	iteratorProto, err := r.iteratorPrototype()
	if err != nil {
		return err
	}
	p := &pairIterators{name: i.name, proto: vm.NewObject(), slots: NewWeakTable[*pairIterator]()}
	p.proto.SetPrototype(iteratorProto)
	next := r.newFunction("next", 0, func(fc goja.FunctionCall) goja.Value { return r.pairIteratorNext(it, p, fc.This) })
	if err := p.proto.DefineDataProperty("next", next, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
		return err
	}
	// The class string is the interface's identifier followed by " Iterator".
	if err := p.proto.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue(i.name+" Iterator"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if r.pairIters == nil {
		r.pairIters = make(map[*PairIterable]*pairIterators)
	}
	r.pairIters[it] = p
	return nil
}

// iteratorPrototype finds %IteratorPrototype%, the prototype of
// %ArrayIteratorPrototype%.
func (r *Realm) iteratorPrototype() (*goja.Object, error) {
	o := Intrinsics{VM: r.vm}.ProtoOf("[][Symbol.iterator]()")
	if o == nil || o.Prototype() == nil {
		return nil, fmt.Errorf("webidl: cannot find %%IteratorPrototype%%")
	}
	return o.Prototype(), nil
}

// newPairIterator creates a default iterator object
// (https://webidl.spec.whatwg.org/#es-default-iterator-object) for the
// platform object whose internal slots are target, with index 0.
func (r *Realm) newPairIterator(it *PairIterable, target any, kind iterationKind) *goja.Object {
	p := r.pairIters[it]
	o := r.vm.CreateObject(p.proto)
	p.slots.Set(o, &pairIterator{target: target, kind: kind})
	return o
}

// pairIteratorNext is the next method of the iterator prototype object
// (https://webidl.spec.whatwg.org/#es-iterator-prototype-object).
func (r *Realm) pairIteratorNext(it *PairIterable, p *pairIterators, this goja.Value) goja.Value {
	// Steps 1-4: this must be a default iterator object for the interface.
	var iter *pairIterator
	o, ok := this.(*goja.Object)
	if ok {
		iter, ok = p.slots.Get(o)
	}
	if !ok {
		r.ThrowTypeError("next method called on an object that is not a %s Iterator", p.name)
	}
	// Steps 5-8: past the end of the pairs as they are now, done.
	if iter.index >= it.Len(iter.target) {
		return r.NewIterResult(goja.Undefined(), true)
	}
	// Steps 9-11.
	key, value := it.Pair(iter.target, iter.index)
	iter.index++
	var v goja.Value
	switch iter.kind {
	case kindKey:
		v = key
	case kindValue:
		v = value
	default:
		v = r.vm.NewArray(key, value)
	}
	return r.NewIterResult(v, false)
}
