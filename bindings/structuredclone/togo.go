package structuredclone

import (
	"encoding/binary"
	"math"
	"strconv"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings/builtins"
)

// ToGo returns the Go value that goja's Value.Export makes of what s
// deserializes to, without a runtime, so that a value serialized in one
// process reads in another as it would where it was made:
//
//   - undefined and null are nil; booleans bool; numbers int64 where goja
//     holds an integer, float64 otherwise (NaN, the infinities and -0
//     included); BigInts *big.Int; strings string. Boolean, Number and
//     BigInt objects are their primitive's value;
//   - a Date is a time.Time in the local time zone, or nil if it is
//     invalid;
//   - an Array is a []any of its length, holes nil; an Object a
//     map[string]any of its properties; a Map a [][2]any of its entries in
//     order; a Set a []any;
//   - a typed array is a slice of its element type ([]uint8 for a
//     Uint8Array or a Uint8ClampedArray, []int64 for a BigInt64Array,
//     []uint64 for a BigUint64Array, and so on), []float32 for a
//     Float16Array, holding a copy of its elements;
//   - an ArrayBuffer is a []byte (where goja's Export makes a
//     goja.ArrayBuffer, which needs a runtime);
//   - Errors, RegExps, DataViews and String objects are empty
//     map[string]any, as Export makes them (it keeps only own enumerable
//     properties, and a clone has none);
//   - the same object met twice is the same Go map or slice, so shared
//     references and cycles are kept.
//
// ToGo uses s up, as Deserialize does: the bytes of ArrayBuffers are handed
// to the result without copying.
func (s *Serialized) ToGo() any {
	if s.used.Swap(true) {
		panic("structuredclone: ToGo of a value already used")
	}
	s.release()
	if s.v.ref == nil {
		return s.v.prim.Export()
	}
	return (&goExporter{seen: make(map[*record]any)}).value(s.v)
}

// A goExporter runs ToGo.
type goExporter struct {
	seen map[*record]any
}

func (x *goExporter) value(v value) any {
	if v.ref == nil {
		return v.prim.Export()
	}
	r := v.ref
	if out, ok := x.seen[r]; ok {
		return out
	}
	var out any
	switch r.kind {
	case kindBoolean, kindNumber, kindBigInt:
		out = r.prim.Export()
	case kindDate:
		out = dateToGo(r.prim)
	case kindArrayBuffer:
		out = r.data
	case kindArrayBufferView:
		out = viewToGo(r)
	case kindMap:
		entries := make([][2]any, len(r.entries))
		x.seen[r] = entries
		for i, e := range r.entries {
			entries[i] = [2]any{x.value(e.key), x.value(e.value)}
		}
		return entries
	case kindSet:
		elems := make([]any, len(r.entries))
		x.seen[r] = elems
		for i, e := range r.entries {
			elems[i] = x.value(e.key)
		}
		return elems
	case kindArray:
		elems := make([]any, r.length)
		x.seen[r] = elems
		for _, p := range r.properties {
			if i, ok := arrayIndex(p.key, r.length); ok {
				elems[i] = x.value(p.value)
			}
		}
		return elems
	case kindObject:
		m := make(map[string]any, len(r.properties))
		x.seen[r] = m
		for _, p := range r.properties {
			m[p.key.String()] = x.value(p.value)
		}
		return m
	default:
		out = map[string]any{}
	}
	x.seen[r] = out
	return out
}

// arrayIndex returns the index the property key k names in an array of
// length n, if it names one.
func arrayIndex(k goja.Value, n int64) (int64, bool) {
	s := k.String()
	i, err := strconv.ParseInt(s, 10, 64)
	if err != nil || i < 0 || i >= n || strconv.FormatInt(i, 10) != s {
		return 0, false
	}
	return i, true
}

// dateToGo is what goja's Export makes of a Date whose [[DateValue]] is t.
func dateToGo(t goja.Value) any {
	ms := t.ToFloat()
	if math.IsNaN(ms) || math.Abs(ms) > 8.64e15 {
		return nil
	}
	return time.UnixMilli(int64(ms))
}

// viewToGo returns the elements of the typed array r as a Go slice, or an
// empty map for a DataView.
func viewToGo(r *record) any {
	n := int(r.arrayLength)
	b := r.buffer.data[r.byteOffset:]
	if r.lengthTracking {
		n = len(b) / int(elementSize(r.view))
	}
	le := binary.LittleEndian
	switch r.view {
	case "Int8Array":
		return mapElems(n, 1, b, func(p []byte) int8 { return int8(p[0]) })
	case "Uint8Array", "Uint8ClampedArray":
		return append(make([]uint8, 0, n), b[:n]...)
	case "Int16Array":
		return mapElems(n, 2, b, func(p []byte) int16 { return int16(le.Uint16(p)) })
	case "Uint16Array":
		return mapElems(n, 2, b, le.Uint16)
	case "Float16Array":
		return mapElems(n, 2, b, func(p []byte) float32 { return float32(builtins.Float16Value(le.Uint16(p))) })
	case "Int32Array":
		return mapElems(n, 4, b, func(p []byte) int32 { return int32(le.Uint32(p)) })
	case "Uint32Array":
		return mapElems(n, 4, b, le.Uint32)
	case "Float32Array":
		return mapElems(n, 4, b, func(p []byte) float32 { return math.Float32frombits(le.Uint32(p)) })
	case "Float64Array":
		return mapElems(n, 8, b, func(p []byte) float64 { return math.Float64frombits(le.Uint64(p)) })
	case "BigInt64Array":
		return mapElems(n, 8, b, func(p []byte) int64 { return int64(le.Uint64(p)) })
	case "BigUint64Array":
		return mapElems(n, 8, b, le.Uint64)
	}
	return map[string]any{}
}

// mapElems reads n elements of size bytes each from b.
func mapElems[T any](n, size int, b []byte, elem func([]byte) T) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = elem(b[i*size:])
	}
	return out
}

// elementSize is the size of the elements of the view named name.
func elementSize(name string) int64 {
	for _, v := range viewNames {
		if v.name == name {
			return v.size
		}
	}
	return 1
}
