package webidl

import "github.com/dop251/goja"

// NewDictionary creates the JavaScript value of an IDL dictionary
// (https://webidl.spec.whatwg.org/#js-dictionary, converting an IDL dictionary
// value to a JavaScript value): an ordinary object with one data property per
// member present, defined in the order given as CreateDataProperty does
// (writable, enumerable and configurable), never by [[Set]], so that setters a
// script put on Object.prototype do not run. kv alternates member names, which
// must be strings, and values, which goja's ToValue converts.
func (r *Realm) NewDictionary(kv ...any) *goja.Object {
	o := r.vm.NewObject()
	for i := 0; i+1 < len(kv); i += 2 {
		// A fresh extensible object without the property: this cannot fail.
		_ = o.DefineDataProperty(kv[i].(string), r.vm.ToValue(kv[i+1]), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	return o
}

// NewIterResult creates an iterator result object, as ECMA-262's
// CreateIteratorResultObject (https://tc39.es/ecma262/#sec-createiterresultobject)
// does: its value and done properties are data properties, whatever setters
// Object.prototype has.
func (r *Realm) NewIterResult(value goja.Value, done bool) *goja.Object {
	return r.NewDictionary("value", value, "done", done)
}
