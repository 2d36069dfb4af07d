package builtins

import (
	"fmt"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// WeakMap and WeakSet take as keys every value that can be held weakly
// (https://tc39.es/ecma262/#sec-canbeheldweakly): objects, and symbols that
// Symbol.for did not register. goja's own take objects alone, in a map keyed
// by weak pointers to them. Their methods are replaced by ones that call
// goja's for any key but a symbol, so that object keys stay as fast as in
// goja, and keep symbol keys in a symbolKeys beside goja's storage, which the
// collection holds through a private field, as WeakRef's internal slots are
// held (see builtinclass.go), made when it is first given a symbol. goja
// adds a private field to a frozen collection too (TestWeakCollectionSymbolKeys
// fails if that changes). The WeakMap and WeakSet constructors, goja's, add
// the entries of their iterable with the set or add they find, which are then
// these: a call of them, where goja's constructor used its own storage
// directly.
//
// WeakMap.prototype.getOrInsert and getOrInsertComputed
// (https://tc39.es/proposal-upsert/) are made here too, on the same storage.

// weakCollection is the state of WeakMap's or WeakSet's methods in a realm.
type weakCollection struct {
	w    *weakRefs
	name string // "WeakMap" or "WeakSet"
	// goja's own methods; add is set for a WeakSet.
	has, get, set, remove func(goja.FunctionCall) goja.Value
	// probe is an object has is asked about to check that this has the
	// collection's internal slot when the key is a symbol.
	probe goja.Value
}

// installWeakCollections replaces the methods of WeakMap.prototype and
// WeakSet.prototype, and adds WeakMap.prototype's getOrInsert and
// getOrInsertComputed.
func (w *weakRefs) installWeakCollections() error {
	m, err := w.weakCollection("WeakMap", "set")
	if err != nil {
		return err
	}
	err = m.define([]method{
		{"get", 1, m.getMethod}, {"set", 2, m.setMethod}, {"has", 1, m.hasMethod}, {"delete", 1, m.deleteMethod},
		{"getOrInsert", 2, m.getOrInsert}, {"getOrInsertComputed", 2, m.getOrInsertComputed},
	})
	if err != nil {
		return err
	}
	s, err := w.weakCollection("WeakSet", "add")
	if err != nil {
		return err
	}
	return s.define([]method{{"add", 1, s.setMethod}, {"has", 1, s.hasMethod}, {"delete", 1, s.deleteMethod}})
}

// weakCollection takes goja's methods of the collection name, whose method
// adding an entry is adder.
func (w *weakRefs) weakCollection(name, adder string) (*weakCollection, error) {
	proto := webidl.Intrinsics{VM: w.vm}.Object(name, "prototype")
	native := func(method string) func(goja.FunctionCall) goja.Value {
		f, _ := proto.Get(method).Export().(func(goja.FunctionCall) goja.Value)
		return f
	}
	c := &weakCollection{w: w, name: name, has: native("has"), set: native(adder), remove: native("delete"), probe: w.vm.NewObject()}
	if name == "WeakMap" {
		c.get = native("get")
	}
	if c.has == nil || c.set == nil || c.remove == nil || name == "WeakMap" && c.get == nil {
		return nil, fmt.Errorf("builtins: %s.prototype's methods are not goja's", name)
	}
	return c, nil
}

// define defines methods on the prototype, as ECMAScript defines a
// built-in's methods.
func (c *weakCollection) define(methods []method) error {
	proto := webidl.Intrinsics{VM: c.w.vm}.Object(c.name, "prototype")
	for _, m := range methods {
		f := webidl.NewFunction(c.w.vm, m.name, m.length, m.f)
		if err := proto.DefineDataProperty(m.name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// entries returns the symbol keys of the collection this, or nil if it has
// none yet, once it has checked that this is such a collection
// (RequireInternalSlot, https://tc39.es/ecma262/#sec-requireinternalslot):
// goja's has throws the TypeError where it is not.
func (c *weakCollection) entries(this goja.Value) *symbolKeys {
	if k, _ := c.w.slots(this).(*symbolKeys); k != nil && k.of == c {
		return k
	}
	c.has(goja.FunctionCall{This: this, Arguments: []goja.Value{c.probe}})
	return nil
}

// entriesToAdd is entries, made if need be, once key is checked to be one
// that can be held weakly.
func (c *weakCollection) entriesToAdd(this goja.Value, key *goja.Symbol) *symbolKeys {
	k := c.entries(this)
	if !c.w.canBeHeldWeakly(key) {
		panic(c.invalidKey())
	}
	if k == nil {
		k = newSymbolKeys(c)
		c.w.attach(this.(*goja.Object), k)
	}
	return k
}

func (c *weakCollection) invalidKey() *goja.Object {
	if c.name == "WeakSet" {
		return c.w.vm.NewTypeError("Invalid value used in weak set")
	}
	return c.w.vm.NewTypeError("Invalid value used as weak map key")
}

// getMethod is WeakMap.prototype.get ( key )
// (https://tc39.es/ecma262/#sec-weakmap.prototype.get).
func (c *weakCollection) getMethod(call goja.FunctionCall) goja.Value {
	key, ok := call.Argument(0).(*goja.Symbol)
	if !ok {
		return c.get(call)
	}
	if v, ok := c.entries(call.This).get(key); ok {
		return v
	}
	return goja.Undefined()
}

// setMethod is WeakMap.prototype.set ( key, value )
// (https://tc39.es/ecma262/#sec-weakmap.prototype.set) and
// WeakSet.prototype.add ( value )
// (https://tc39.es/ecma262/#sec-weakset.prototype.add), whose entries have
// no value.
func (c *weakCollection) setMethod(call goja.FunctionCall) goja.Value {
	key, ok := call.Argument(0).(*goja.Symbol)
	if !ok {
		return c.set(call)
	}
	var v goja.Value
	if c.get != nil {
		v = call.Argument(1)
	}
	c.entriesToAdd(call.This, key).set(key, v)
	return call.This
}

// hasMethod is WeakMap.prototype.has ( key )
// (https://tc39.es/ecma262/#sec-weakmap.prototype.has) and
// WeakSet.prototype.has ( value )
// (https://tc39.es/ecma262/#sec-weakset.prototype.has).
func (c *weakCollection) hasMethod(call goja.FunctionCall) goja.Value {
	key, ok := call.Argument(0).(*goja.Symbol)
	if !ok {
		return c.has(call)
	}
	_, ok = c.entries(call.This).get(key)
	return c.w.vm.ToValue(ok)
}

// deleteMethod is WeakMap.prototype.delete ( key )
// (https://tc39.es/ecma262/#sec-weakmap.prototype.delete) and
// WeakSet.prototype.delete ( value )
// (https://tc39.es/ecma262/#sec-weakset.prototype.delete).
func (c *weakCollection) deleteMethod(call goja.FunctionCall) goja.Value {
	key, ok := call.Argument(0).(*goja.Symbol)
	if !ok {
		return c.remove(call)
	}
	return c.w.vm.ToValue(c.entries(call.This).remove(key))
}

// getOrInsert is WeakMap.prototype.getOrInsert ( key, value )
// (https://tc39.es/proposal-upsert/#sec-weakmap.prototype.getOrInsert).
func (c *weakCollection) getOrInsert(call goja.FunctionCall) goja.Value {
	m, key, value := call.This, call.Argument(0), call.Argument(1)
	// Steps 1-3.
	c.requireKey(m, key)
	// Step 4.
	if v, ok := c.lookup(m, key); ok {
		return v
	}
	// Steps 5-6.
	c.store(m, key, value)
	return value
}

// getOrInsertComputed is WeakMap.prototype.getOrInsertComputed ( key, callbackfn )
// (https://tc39.es/proposal-upsert/#sec-weakmap.prototype.getOrInsertComputed).
func (c *weakCollection) getOrInsertComputed(call goja.FunctionCall) goja.Value {
	m, key := call.This, call.Argument(0)
	// Steps 1-2.
	c.entries(m)
	// Step 3.
	callback, ok := goja.AssertFunction(call.Argument(1))
	if !ok {
		panic(c.w.vm.NewTypeError("WeakMap.prototype.getOrInsertComputed: the callback is not a function"))
	}
	// Step 4.
	c.requireKey(m, key)
	// Step 5.
	if v, ok := c.lookup(m, key); ok {
		return v
	}
	// Step 6.
	value, err := callback(goja.Undefined(), key)
	if err != nil {
		panic(err)
	}
	// Steps 7-9: the entry the callback may have added is overwritten.
	c.store(m, key, value)
	return value
}

// requireKey checks that m is a WeakMap, then throws the TypeError if key
// cannot be held weakly.
func (c *weakCollection) requireKey(m, key goja.Value) {
	c.entries(m)
	if !c.w.canBeHeldWeakly(key) {
		panic(c.invalidKey())
	}
}

// lookup returns the value of key's entry in the WeakMap m, and whether
// there is one; key can be held weakly.
func (c *weakCollection) lookup(m, key goja.Value) (goja.Value, bool) {
	if s, ok := key.(*goja.Symbol); ok {
		return c.entries(m).get(s)
	}
	call := goja.FunctionCall{This: m, Arguments: []goja.Value{key}}
	if !c.has(call).ToBoolean() {
		return nil, false
	}
	return c.get(call), true
}

// store sets key's entry in the WeakMap m to value; key can be held weakly.
func (c *weakCollection) store(m, key, value goja.Value) {
	if s, ok := key.(*goja.Symbol); ok {
		c.entriesToAdd(m, s).set(s, value)
		return
	}
	c.set(goja.FunctionCall{This: m, Arguments: []goja.Value{key, value}})
}
