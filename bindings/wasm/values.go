package wasm

import (
	"math"
	"math/big"

	"github.com/dop251/goja"
)

// externrefs gives script values the opaque 64-bit references wasm holds as
// externref: 0 is null. A value keeps its number, and stays alive, while
// the realm lives.
type externrefs struct {
	values map[uint64]goja.Value
	next   uint64
}

func (e *externrefs) ref(v goja.Value) uint64 {
	if goja.IsNull(v) {
		return 0
	}
	e.next++
	e.values[e.next] = v
	return e.next
}

func (e *externrefs) value(r uint64) goja.Value {
	if v, ok := e.values[r]; ok {
		return v
	}
	return goja.Null()
}

// toJS is ToJSValue (https://webassembly.github.io/spec/js-api/#tojsvalue).
func (s *state) toJS(w uint64, t byte) goja.Value {
	vm := s.realm.VM()
	switch t {
	case typeI32:
		return vm.ToValue(int32(w))
	case typeI64:
		return vm.ToValue(big.NewInt(int64(w)))
	case typeF32:
		return vm.ToValue(float64(math.Float32frombits(uint32(w))))
	case typeF64:
		return vm.ToValue(math.Float64frombits(w))
	case typeExternref:
		return s.refs.value(w)
	case typeFuncref:
		if w == 0 {
			return goja.Null()
		}
		s.realm.ThrowTypeError("WebAssembly: a function reference cannot be passed to script")
	}
	s.realm.ThrowTypeError("WebAssembly: type incompatibility when transforming from/to JS")
	return nil
}

// toWasm is ToWebAssemblyValue
// (https://webassembly.github.io/spec/js-api/#towebassemblyvalue).
func (s *state) toWasm(v goja.Value, t byte) uint64 {
	switch t {
	case typeI32:
		return uint64(toUint32(v.ToFloat()))
	case typeI64:
		return uint64(s.toBigInt64(v))
	case typeF32:
		return uint64(math.Float32bits(float32(v.ToFloat())))
	case typeF64:
		return math.Float64bits(v.ToFloat())
	case typeExternref:
		return s.refs.ref(v)
	case typeFuncref:
		if goja.IsNull(v) {
			return 0
		}
		s.realm.ThrowTypeError("WebAssembly: only null can be stored as a function reference here")
	}
	s.realm.ThrowTypeError("WebAssembly: type incompatibility when transforming from/to JS")
	return 0
}

// toBigInt64 is ToBigInt64 (https://tc39.es/ecma262/#sec-tobigint64): the
// BigInt global converts what ToBigInt accepts, and a Number is a TypeError.
func (s *state) toBigInt64(v goja.Value) int64 {
	switch v.Export().(type) {
	case int64, float64:
		s.realm.ThrowTypeError("Cannot convert %s to a BigInt", v.String())
	}
	b, ok := v.Export().(*big.Int)
	if !ok {
		r, err := s.bigInt(goja.Undefined(), v)
		if err != nil {
			panic(err)
		}
		b = r.Export().(*big.Int)
	}
	// BigInt.asIntN(64, b): the low 64 bits, two's complement.
	m := new(big.Int).And(b, new(big.Int).SetUint64(math.MaxUint64))
	return int64(m.Uint64())
}

// toUint32 is the modulo step of ToInt32 and ToUint32
// (https://tc39.es/ecma262/#sec-toint32): NaN and the infinities are 0.
func toUint32(f float64) uint32 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	f = math.Mod(math.Trunc(f), 1<<32)
	if f < 0 {
		f += 1 << 32
	}
	return uint32(f)
}
