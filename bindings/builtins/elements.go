package builtins

import (
	"encoding/binary"
	"math"
	"math/big"

	"github.com/dop251/goja"
)

// The element types of typed arrays (https://tc39.es/ecma262/#table-the-typedarray-constructors),
// as the views this package makes (views.go) read and write them: in the
// machine's byte order, as goja's typed arrays do, so that both kinds of view
// over one buffer see the same values.

// An elemKind is a typed array's element type, or a DataView's.
type elemKind int8

const (
	kindInt8 elemKind = iota
	kindUint8
	kindUint8Clamped
	kindInt16
	kindUint16
	kindInt32
	kindUint32
	kindFloat16
	kindFloat32
	kindFloat64
	kindBigInt64
	kindBigUint64
	kindCount
	// kindDataView is a DataView's: it has no element type.
	kindDataView elemKind = -1
)

// kinds describes each element type: the [[TypedArrayName]], the element
// size, and the goja typed array over the same bytes that web APIs and
// Atomics are given for a view of the kind (a Uint16Array for a Float16Array,
// which goja lacks).
var kinds = [kindCount]struct {
	name    string
	size    int64
	storage elemKind
}{
	{"Int8Array", 1, kindInt8}, {"Uint8Array", 1, kindUint8}, {"Uint8ClampedArray", 1, kindUint8Clamped},
	{"Int16Array", 2, kindInt16}, {"Uint16Array", 2, kindUint16}, {"Int32Array", 4, kindInt32},
	{"Uint32Array", 4, kindUint32}, {"Float16Array", 2, kindUint16}, {"Float32Array", 4, kindFloat32},
	{"Float64Array", 8, kindFloat64}, {"BigInt64Array", 8, kindBigInt64}, {"BigUint64Array", 8, kindBigUint64},
}

// kindNamed returns the element type of the typed arrays named name.
func kindNamed(name string) (elemKind, bool) {
	for k := range kindCount {
		if kinds[k].name == name {
			return k, true
		}
	}
	return 0, false
}

func (k elemKind) size() int64 { return kinds[k].size }

// isBigInt tells whether k's [[ContentType]] is BigInt.
func (k elemKind) isBigInt() bool { return k == kindBigInt64 || k == kindBigUint64 }

// A codec converts between values and elements; toBigInt is ToBigInt
// (https://tc39.es/ecma262/#sec-tobigint), which goja does not export.
type codec struct {
	vm       *goja.Runtime
	toBigInt func(goja.Value) *big.Int
}

// raw converts v as TypedArraySetElement does before it writes
// (https://tc39.es/ecma262/#sec-typedarraysetelement steps 1-2: ToBigInt or
// ToNumber), to the bits NumericToRawBytes gives an element of type k
// (https://tc39.es/ecma262/#sec-numerictorawbytes), in the low bits. It may
// run script, and throws what the conversion throws.
func (c codec) raw(k elemKind, v goja.Value) uint64 {
	if k.isBigInt() {
		b := c.toBigInt(v)
		return new(big.Int).And(b, maxUint64).Uint64()
	}
	return numberBits(k, v.ToNumber().ToFloat())
}

var maxUint64 = new(big.Int).SetUint64(math.MaxUint64)

// numberBits is NumericToRawBytes of the Number f for the element type k.
func numberBits(k elemKind, f float64) uint64 {
	switch k {
	case kindFloat16:
		return uint64(f16Bits(f))
	case kindFloat32:
		return uint64(math.Float32bits(float32(f)))
	case kindFloat64:
		return math.Float64bits(f)
	case kindUint8Clamped:
		return uint64(uint8Clamp(f))
	}
	// ToInt8 ... ToUint32 (https://tc39.es/ecma262/#sec-toint32): the
	// integer modulo 2^32, whose low bits are those of the narrower types.
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return uint64(int64(math.Mod(math.Trunc(f), 1<<32)))
}

// uint8Clamp is ToUint8Clamp (https://tc39.es/ecma262/#sec-touint8clamp).
func uint8Clamp(f float64) uint8 {
	switch {
	case !(f > 0): // NaN too
		return 0
	case f >= 255:
		return 255
	}
	return uint8(math.RoundToEven(f))
}

// value converts the bits of an element of type k to its value
// (https://tc39.es/ecma262/#sec-rawbytestonumeric).
func (c codec) value(k elemKind, bits uint64) goja.Value {
	switch k {
	case kindInt8:
		return c.vm.ToValue(int8(bits))
	case kindUint8, kindUint8Clamped:
		return c.vm.ToValue(uint8(bits))
	case kindInt16:
		return c.vm.ToValue(int16(bits))
	case kindUint16:
		return c.vm.ToValue(uint16(bits))
	case kindInt32:
		return c.vm.ToValue(int32(bits))
	case kindUint32:
		return c.vm.ToValue(uint32(bits))
	case kindFloat16:
		return c.vm.ToValue(f16Value(uint16(bits)))
	case kindFloat32:
		return c.vm.ToValue(float64(math.Float32frombits(uint32(bits))))
	case kindFloat64:
		return c.vm.ToValue(math.Float64frombits(bits))
	case kindBigInt64:
		return c.vm.ToValue(big.NewInt(int64(bits)))
	}
	return c.vm.ToValue(new(big.Int).SetUint64(bits))
}

// loadElem reads size bytes at data[i:] in the byte order given, or the
// machine's when order is nil.
func loadElem(data []byte, i, size int64, order binary.ByteOrder) uint64 {
	if order == nil {
		order = binary.NativeEndian
	}
	b := data[i : i+size]
	switch size {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(order.Uint16(b))
	case 4:
		return uint64(order.Uint32(b))
	}
	return order.Uint64(b)
}

// storeElem writes the low size bytes of bits at data[i:] in the byte order
// given, or the machine's when order is nil.
func storeElem(data []byte, i, size int64, bits uint64, order binary.ByteOrder) {
	if order == nil {
		order = binary.NativeEndian
	}
	b := data[i : i+size]
	switch size {
	case 1:
		b[0] = byte(bits)
	case 2:
		order.PutUint16(b, uint16(bits))
	case 4:
		order.PutUint32(b, uint32(bits))
	default:
		order.PutUint64(b, bits)
	}
}

// convertBits converts the bits of an element of type from to those of an
// element of type to holding the same value, as SetValueInBuffer of
// GetValueFromBuffer does: both types have the same [[ContentType]].
func (c codec) convertBits(from, to elemKind, bits uint64) uint64 {
	if from.isBigInt() {
		return bits // the same 64 bits, read signed or unsigned
	}
	var f float64
	switch from {
	case kindInt8:
		f = float64(int8(bits))
	case kindUint8, kindUint8Clamped:
		f = float64(uint8(bits))
	case kindInt16:
		f = float64(int16(bits))
	case kindUint16:
		f = float64(uint16(bits))
	case kindInt32:
		f = float64(int32(bits))
	case kindUint32:
		f = float64(uint32(bits))
	case kindFloat16:
		f = f16Value(uint16(bits))
	case kindFloat32:
		f = float64(math.Float32frombits(uint32(bits)))
	default:
		f = math.Float64frombits(bits)
	}
	return numberBits(to, f)
}
