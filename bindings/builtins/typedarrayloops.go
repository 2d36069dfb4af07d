package builtins

import (
	"cmp"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strings"

	"github.com/dop251/goja"
)

// The loops of %TypedArray%.prototype methods that call no script once
// their arguments are converted: their Gets and Sets of elements cannot be
// observed, so js/typedarray.js hands them to these, which read and write
// the bytes directly instead of through the view's traps, one by one.

// elements returns the slots and bytes of the typed array o, which has
// been validated with no script run since.
func (t *typedArrays) elements(o goja.Value) (*view, []byte) {
	v := t.array(o)
	return v, v.ab.Bytes()
}

// fill sets the elements of o from index from to index to, all valid, to x,
// a Number or BigInt (https://tc39.es/ecma262/#sec-%typedarray%.prototype.fill
// steps 15-16).
func (t *typedArrays) fill(o, x goja.Value, from, to int64) {
	v, data := t.elements(o)
	size := v.kind.size()
	bits := t.codec.raw(v.kind, x)
	for i := from; i < to; i++ {
		storeElem(data, v.offset+i*size, size, bits, nil)
	}
}

// The searches search makes.
const (
	searchIncludes = iota
	searchIndexOf
	searchLastIndexOf
)

// search is the loop of %TypedArray%.prototype.includes, indexOf or
// lastIndexOf, from index k to 0 for lastIndexOf and to length (the view's
// length when the method started) for the others. It returns the index
// found, or -1.
func (t *typedArrays) search(o, x goja.Value, k, length int64, which int) int64 {
	v, data := t.elements(o)
	size := v.kind.size()
	n := max(v.arrayLength(), 0) // now: the indices from n on are absent
	equal := t.equals(v.kind, x, which == searchIncludes)
	step, end := int64(1), length
	if which == searchLastIndexOf {
		step, end = -1, -1
	}
	for ; k != end; k += step {
		if k >= n {
			// An absent element: undefined to includes, skipped by
			// the others (HasProperty is false).
			if which == searchIncludes && goja.IsUndefined(x) {
				return k
			}
			continue
		}
		if equal(loadElem(data, v.offset+k*size, size, nil)) {
			return k
		}
	}
	return -1
}

// equals returns whether an element of kind with the bits given is
// IsStrictlyEqual to x, or SameValueZero with zero.
func (t *typedArrays) equals(kind elemKind, x goja.Value, zero bool) func(bits uint64) bool {
	switch typ := x.ExportType(); {
	case typ == nil:
	case kind.isBigInt() && typ == bigIntType:
		b := x.Export().(*big.Int)
		if kind == kindBigInt64 {
			if !b.IsInt64() {
				break
			}
			want := uint64(b.Int64())
			return func(bits uint64) bool { return bits == want }
		}
		if !b.IsUint64() {
			break
		}
		want := b.Uint64()
		return func(bits uint64) bool { return bits == want }
	case !kind.isBigInt() && (typ.Kind() == reflect.Int64 || typ.Kind() == reflect.Float64):
		want := x.ToFloat()
		nan := zero && math.IsNaN(want)
		return func(bits uint64) bool {
			f := elementNumber(kind, bits)
			return f == want || nan && math.IsNaN(f)
		}
	}
	return func(uint64) bool { return false }
}

// elementNumber is the value of an element of the Number kind k.
func elementNumber(k elemKind, bits uint64) float64 {
	switch k {
	case kindInt8:
		return float64(int8(bits))
	case kindUint8, kindUint8Clamped:
		return float64(uint8(bits))
	case kindInt16:
		return float64(int16(bits))
	case kindUint16:
		return float64(uint16(bits))
	case kindInt32:
		return float64(int32(bits))
	case kindUint32:
		return float64(uint32(bits))
	case kindFloat16:
		return f16Value(uint16(bits))
	case kindFloat32:
		return float64(math.Float32frombits(uint32(bits)))
	}
	return math.Float64frombits(bits)
}

// join is the loop of %TypedArray%.prototype.join
// (https://tc39.es/ecma262/#sec-%typedarray%.prototype.join steps 6-8), over
// length elements: those now out of bounds are empty.
func (t *typedArrays) join(o goja.Value, sep string, length int64) string {
	v, data := t.elements(o)
	size := v.kind.size()
	n := max(v.arrayLength(), 0)
	var b strings.Builder
	for k := range length {
		if k > 0 {
			b.WriteString(sep)
		}
		if k < n {
			b.WriteString(t.codec.value(v.kind, loadElem(data, v.offset+k*size, size, nil)).String())
		}
	}
	return b.String()
}

// reverse is the loop of %TypedArray%.prototype.reverse
// (https://tc39.es/ecma262/#sec-%typedarray%.prototype.reverse steps 4-7)
// over the length elements of o.
func (t *typedArrays) reverse(o goja.Value, length int64) {
	v, data := t.elements(o)
	size := v.kind.size()
	for lower, upper := int64(0), length-1; lower < upper; lower, upper = lower+1, upper-1 {
		a, b := v.offset+lower*size, v.offset+upper*size
		x, y := loadElem(data, a, size, nil), loadElem(data, b, size, nil)
		storeElem(data, a, size, y, nil)
		storeElem(data, b, size, x, nil)
	}
}

// sort sorts the length elements of o in the order of
// CompareTypedArrayElements without a comparator
// (https://tc39.es/ecma262/#sec-comparetypedarrayelements), stably.
func (t *typedArrays) sort(o goja.Value, length int64) {
	v, data := t.elements(o)
	size := v.kind.size()
	items := make([]uint64, length)
	for i := range items {
		items[i] = loadElem(data, v.offset+int64(i)*size, size, nil)
	}
	var compare func(a, b uint64) int
	switch v.kind {
	case kindBigInt64:
		compare = func(a, b uint64) int { return cmp.Compare(int64(a), int64(b)) }
	case kindBigUint64:
		compare = cmp.Compare[uint64]
	default:
		compare = func(a, b uint64) int { return compareNumbers(elementNumber(v.kind, a), elementNumber(v.kind, b)) }
	}
	slices.SortStableFunc(items, compare)
	for i, bits := range items {
		storeElem(data, v.offset+int64(i)*size, size, bits, nil)
	}
}

// compareNumbers orders Numbers as CompareTypedArrayElements does: NaN last,
// -0 before +0.
func compareNumbers(x, y float64) int {
	switch {
	case math.IsNaN(x) && math.IsNaN(y):
		return 0
	case math.IsNaN(x):
		return 1
	case math.IsNaN(y):
		return -1
	case x == 0 && y == 0 && math.Signbit(x) != math.Signbit(y):
		if math.Signbit(x) {
			return -1 // -0 before +0
		}
		return 1
	}
	return cmp.Compare(x, y)
}
