package url

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// This file implements what Web IDL prescribes
// (https://webidl.spec.whatwg.org/#js-iterable) for an interface with a pair
// iterator (iterable<K, V>), which the webidl package does not provide: the
// @@iterator property, the iterator prototype object and default iterator
// objects, and forEach.

// iterKind is a default iterator object's kind.
type iterKind int

const (
	kindEntries iterKind = iota // "key+value"
	kindKeys                    // "key"
	kindValues                  // "value"
)

// pairIterator holds the internal slots of a default iterator object: its
// target (by its slots, which hold the live list), kind and index.
type pairIterator struct {
	target *paramsImpl
	kind   iterKind
	index  int
}

// iteratorClassString is the class string of the iterator prototype object
// (https://webidl.spec.whatwg.org/#js-iterator-prototype-object): the
// interface's identifier followed by " Iterator".
const iteratorClassString = "URLSearchParams Iterator"

// defineIterable completes URLSearchParams's iterable declaration: the
// @@iterator property, whose value is the entries function
// (https://webidl.spec.whatwg.org/#define-the-iteration-methods), and the
// iterator prototype object
// (https://webidl.spec.whatwg.org/#js-iterator-prototype-object), whose
// [[Prototype]] is %IteratorPrototype%.
func (b *binding) defineIterable() error {
	vm := b.vm
	proto := b.r.Prototype("URLSearchParams")
	entries := proto.Get("entries")
	if err := proto.DefineDataPropertySymbol(goja.SymIterator, entries, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	iteratorProto, err := intrinsicIteratorPrototype(vm)
	if err != nil {
		return err
	}
	b.iterProto = vm.NewObject()
	b.iterProto.SetPrototype(iteratorProto)
	next := vm.ToValue(b.next).(*goja.Object)
	if err := setNameLength(vm, next, "next", 0); err != nil {
		return err
	}
	if err := b.iterProto.DefineDataProperty("next", next, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
		return err
	}
	return b.iterProto.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue(iteratorClassString), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// intrinsicIteratorPrototype finds %IteratorPrototype%: the prototype of
// %ArrayIteratorPrototype%.
func intrinsicIteratorPrototype(vm *goja.Runtime) (*goja.Object, error) {
	arr := vm.NewArray()
	values, ok := goja.AssertFunction(arr.GetSymbol(goja.SymIterator))
	if !ok {
		return nil, fmt.Errorf("url: Array.prototype[Symbol.iterator] is not a function")
	}
	it, err := values(arr)
	if err != nil {
		return nil, err
	}
	itObj, ok := it.(*goja.Object)
	if !ok || itObj.Prototype() == nil || itObj.Prototype().Prototype() == nil {
		return nil, fmt.Errorf("url: cannot find %%IteratorPrototype%%")
	}
	return itObj.Prototype().Prototype(), nil
}

func setNameLength(vm *goja.Runtime, f *goja.Object, name string, length int) error {
	// Not writable, configurable, not enumerable (the argument order
	// is writable, configurable, enumerable).
	if err := f.DefineDataProperty("length", vm.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	return f.DefineDataProperty("name", vm.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// newIterator creates a default iterator object
// (https://webidl.spec.whatwg.org/#js-default-iterator-object) for target with
// the given kind and index 0.
func (b *binding) newIterator(target *paramsImpl, kind iterKind) *goja.Object {
	o := b.vm.CreateObject(b.iterProto)
	b.iters.Set(o, &pairIterator{target: target, kind: kind})
	return o
}

// next is the iterator prototype object's next method
// (https://webidl.spec.whatwg.org/#js-iterator-prototype-object).
func (b *binding) next(fc goja.FunctionCall) goja.Value {
	vm := b.vm
	// Steps 1-4: this must be a default iterator object for the
	// interface.
	o, ok := fc.This.(*goja.Object)
	var it *pairIterator
	if ok {
		it, ok = b.iters.Get(o)
	}
	if !ok {
		b.r.ThrowTypeError("next method called on an object that is not a URLSearchParams Iterator")
	}
	// Steps 5-8: past the end of the (current) list, done.
	if it.index >= len(it.target.list) {
		return iterResult(vm, goja.Undefined(), true)
	}
	// Steps 9-11.
	p := it.target.list[it.index]
	it.index++
	var v goja.Value
	switch it.kind {
	case kindKeys:
		v = vm.ToValue(p.name)
	case kindValues:
		v = vm.ToValue(p.value)
	default:
		v = vm.NewArray(p.name, p.value)
	}
	return iterResult(vm, v, false)
}

// iterResult is ECMA-262 CreateIterResultObject.
func iterResult(vm *goja.Runtime, value goja.Value, done bool) *goja.Object {
	o := vm.NewObject()
	o.Set("value", value)
	o.Set("done", done)
	return o
}

// forEach runs the forEach method steps
// (https://webidl.spec.whatwg.org/#define-the-iteration-methods): the callback
// is called with value, key and the object for each pair, rereading the list
// after every call so that changes made by the callback are seen.
func (b *binding) forEach(c webidl.Call, p *paramsImpl) {
	c.RequireArgs("forEach", 1)
	cb := b.r.ToCallbackFunction(c.Arg(0))
	thisArg := c.Arg(1)
	for i := 0; i < len(p.list); i++ {
		t := p.list[i]
		if _, err := cb.Invoke(thisArg, b.vm.ToValue(t.value), b.vm.ToValue(t.name), c.This); err != nil {
			panic(err) // rethrow
		}
	}
}
