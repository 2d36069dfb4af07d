package exporttype

import (
	"math/big"
	"reflect"
	"time"

	"github.com/dop251/goja"
)

// The export types of built-in objects. Where a class name is given, other
// objects share the type and the class name tells them apart.
var (
	Proxy       = reflect.TypeOf(goja.Proxy{})         // a Proxy
	Promise     = reflect.TypeOf((*goja.Promise)(nil)) // a Promise
	ArrayBuffer = reflect.TypeOf(goja.ArrayBuffer{})   // an ArrayBuffer
	Time        = reflect.TypeOf(time.Time{})          // a Date, of class "Date"
	MapEntries  = reflect.TypeOf([][2]any(nil))        // a Map, of class "Object"
	Slice       = reflect.TypeOf([]any(nil))           // a Set, of class "Object"
	BigInt      = reflect.TypeOf((*big.Int)(nil))      // a BigInt object, of class "Object"
	String      = reflect.TypeOf("")                   // a Symbol object, of class "Object"
	Ordinary    = reflect.TypeOf(map[string]any(nil))  // an ordinary object, of class "Object"
)

// typedArrays are the export types of typed arrays (Uint8ClampedArray shares
// []uint8 with Uint8Array).
var typedArrays = map[reflect.Type]bool{
	reflect.TypeOf([]uint8(nil)):   true,
	reflect.TypeOf([]int8(nil)):    true,
	reflect.TypeOf([]uint16(nil)):  true,
	reflect.TypeOf([]int16(nil)):   true,
	reflect.TypeOf([]uint32(nil)):  true,
	reflect.TypeOf([]int32(nil)):   true,
	reflect.TypeOf([]float32(nil)): true,
	reflect.TypeOf([]float64(nil)): true,
	reflect.TypeOf([]int64(nil)):   true,
	reflect.TypeOf([]uint64(nil)):  true,
}

// TypedArray reports whether t is the export type of a typed array, whose
// class is "Object".
func TypedArray(t reflect.Type) bool { return typedArrays[t] }
