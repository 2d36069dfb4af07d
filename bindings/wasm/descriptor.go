package wasm

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// The dictionaries the constructors take are read member by member, in
// lexicographic order (https://webidl.spec.whatwg.org/#es-dictionary).

// member returns dict[name], or nil if it is undefined.
func (s *state) member(dict goja.Value, name string) goja.Value {
	if goja.IsUndefined(dict) || goja.IsNull(dict) {
		return nil
	}
	o, ok := dict.(*goja.Object)
	if !ok {
		s.realm.ThrowTypeError("The provided value is not of type 'object'.")
	}
	v := o.Get(name)
	if v == nil || goja.IsUndefined(v) {
		return nil
	}
	return v
}

// enforceRange converts v to an [EnforceRange] unsigned long
// (https://webidl.spec.whatwg.org/#abstract-opdef-converttoint).
func (s *state) enforceRange(v goja.Value) int64 {
	return int64(s.realm.ToUnsignedLong(v, webidl.EnforceRange))
}

// valueType parses a ValueType or TableKind string
// (https://webassembly.github.io/spec/js-api/#enumdef-valuetype).
func (s *state) valueType(v goja.Value, refsOnly bool) byte {
	str := ""
	if v != nil {
		str = s.realm.ToDOMString(v).String()
	}
	types := valueTypes
	if refsOnly {
		types = tableKinds
	}
	t, ok := types[str]
	if !ok {
		s.realm.ThrowTypeError("The provided value '%s' is not a valid enum value.", str)
	}
	return t
}

// tableKinds are the TableKind values; valueTypes, the ValueType values.
var (
	tableKinds = map[string]byte{"anyfunc": typeFuncref, "funcref": typeFuncref, "externref": typeExternref}
	valueTypes = map[string]byte{"anyfunc": typeFuncref, "funcref": typeFuncref, "externref": typeExternref,
		"i32": typeI32, "i64": typeI64, "f32": typeF32, "f64": typeF64, "v128": typeV128}
)
