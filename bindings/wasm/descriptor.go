package wasm

import (
	"math"

	"github.com/dop251/goja"
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
func (s *state) enforceRange(v goja.Value, what string) int64 {
	f := v.ToFloat()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		s.realm.ThrowTypeError("%s must be convertible to a valid number", what)
	}
	f = math.Trunc(f)
	if f < 0 || f > math.MaxUint32 {
		s.realm.ThrowTypeError("%s must be non-negative and no larger than 4294967295", what)
	}
	return int64(f)
}

// valueType parses a ValueType or TableKind string
// (https://webassembly.github.io/spec/js-api/#enumdef-valuetype).
func (s *state) valueType(v goja.Value, refsOnly bool) byte {
	str := ""
	if v != nil {
		str = s.realm.ToDOMString(v).String()
	}
	types := map[string]byte{"anyfunc": typeFuncref, "funcref": typeFuncref, "externref": typeExternref}
	if !refsOnly {
		for k, t := range map[string]byte{"i32": typeI32, "i64": typeI64, "f32": typeF32, "f64": typeF64, "v128": typeV128} {
			types[k] = t
		}
	}
	t, ok := types[str]
	if !ok {
		s.realm.ThrowTypeError("The provided value '%s' is not a valid enum value.", str)
	}
	return t
}
