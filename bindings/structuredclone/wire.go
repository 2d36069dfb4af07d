package structuredclone

import (
	"encoding/binary"
	"math"
	"math/big"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// The wire format carries a Serialized to another process: a byte naming
// its version, then one value. A value is a tag byte and what the tag says
// follows. Counts and lengths are unsigned varints (encoding/binary), every
// one of them checked against the bytes left before anything is allocated
// for it. An object is written once, where it is first met: records are
// numbered in the order they start, and a tagRef names an earlier one,
// which keeps shared references and cycles.
//
//	undefined, null, false, true: the tag alone
//	tagInt: a zigzag varint (a number goja holds as an integer)
//	tagFloat: 8 bytes, the float64's bits, little-endian
//	tagBigInt: a sign byte (0 or 1 for negative), a length, the magnitude big-endian
//	tagString: a length, that many bytes of UTF-8
//	tagString16: a count, that many UTF-16 code units, little-endian (a
//	  string with a lone surrogate)
//	tagRef: the number of an earlier record
//	tagRecord+kind: a record, its fields following:
//	  Boolean, Number, BigInt, String objects: the primitive
//	  Date: [[DateValue]] as 8 bytes, as tagFloat
//	  RegExp: the source (a string value), then the flags' length and bytes
//	  ArrayBuffer: a length, the bytes
//	  resizable ArrayBuffer (kindResizableArrayBuffer, HTML's
//	    "ResizableArrayBuffer"): as ArrayBuffer, then its maxByteLength
//	  view: its viewNames index, 1 if length-tracking else 0, the byte
//	    offset, the length (elements, or bytes for a DataView), then the
//	    ArrayBuffer (a record or a tagRef to one)
//	  Map: a count of entries, each a key and a value; Set: a count, the keys
//	  Error: its errorNames index, presence bits (hasMessage, hasStack,
//	    hasCause), then those present: message and stack strings, the cause
//	  Array: its length, then as Object; Object: a count of properties,
//	    each a key (a string value) and a value
//
// A new version number is needed for any change to this layout.
const wireVersion = 1

const (
	tagUndefined byte = iota
	tagNull
	tagFalse
	tagTrue
	tagInt
	tagFloat
	tagBigInt
	tagString
	tagString16
	tagRef
	tagRecord = 0x20 // + kind
)

// viewNames are the [[Constructor]]s of views, as the wire numbers them,
// with the size of their elements.
var viewNames = []viewName{
	{"DataView", 1}, {"Int8Array", 1}, {"Uint8Array", 1}, {"Uint8ClampedArray", 1},
	{"Int16Array", 2}, {"Uint16Array", 2}, {"Float16Array", 2}, {"Int32Array", 4},
	{"Uint32Array", 4}, {"Float32Array", 4}, {"Float64Array", 8}, {"BigInt64Array", 8},
	{"BigUint64Array", 8},
}

type viewName struct {
	name string
	size int64
}

// Error presence bits of a kindError record.
const (
	hasMessage = 1 << iota
	hasStack
	hasCause
)

// AppendBinary appends the wire encoding of s to b, for another process to
// decode with DecodeBinary (it implements encoding.BinaryAppender). It does
// not use s up: s is still to be deserialized or discarded.
//
// Only what can be rebuilt from bytes crosses: a value serialized with a
// transfer list, or holding a SharedArrayBuffer or a platform object, is a
// *DataCloneError.
func (s *Serialized) AppendBinary(b []byte) ([]byte, error) {
	if len(s.holders) > 0 {
		return b, &DataCloneError{Message: "a value with transferred objects cannot leave the process"}
	}
	e := &encoder{b: append(b, wireVersion), ids: make(map[*record]uint64)}
	if err := e.value(s.v); err != nil {
		return b, err
	}
	return e.b, nil
}

// An encoder writes the wire format.
type encoder struct {
	b   []byte
	ids map[*record]uint64 // records written, by number
}

func (e *encoder) uvarint(n uint64) { e.b = binary.AppendUvarint(e.b, n) }

func (e *encoder) bytes(p []byte) {
	e.uvarint(uint64(len(p)))
	e.b = append(e.b, p...)
}

func (e *encoder) value(v value) error {
	if v.ref == nil {
		e.prim(v.prim)
		return nil
	}
	if id, ok := e.ids[v.ref]; ok {
		e.b = append(e.b, tagRef)
		e.uvarint(id)
		return nil
	}
	e.ids[v.ref] = uint64(len(e.ids))
	return e.record(v.ref)
}

// prim writes a primitive.
func (e *encoder) prim(v goja.Value) {
	switch x := v.Export().(type) {
	case nil:
		if goja.IsNull(v) {
			e.b = append(e.b, tagNull)
		} else {
			e.b = append(e.b, tagUndefined)
		}
	case bool:
		e.b = append(e.b, tagFalse)
		if x {
			e.b[len(e.b)-1] = tagTrue
		}
	case int64:
		e.b = append(e.b, tagInt)
		e.b = binary.AppendVarint(e.b, x)
	case float64:
		e.b = append(e.b, tagFloat)
		e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(x))
	case *big.Int:
		e.b = append(e.b, tagBigInt)
		e.b = append(e.b, byte(0))
		if x.Sign() < 0 {
			e.b[len(e.b)-1] = 1
		}
		e.bytes(x.Bytes())
	case string:
		e.str(v, x)
	}
}

// str writes the string v, whose Go form is s: as UTF-8 unless it holds a
// lone surrogate, which only UTF-16 keeps.
func (e *encoder) str(v goja.Value, s string) {
	if !strings.ContainsRune(s, utf8.RuneError) || !hasSurrogate(v) {
		e.b = append(e.b, tagString)
		e.bytes([]byte(s))
		return
	}
	gs := v.(goja.String)
	n := gs.Length()
	e.b = append(e.b, tagString16)
	e.uvarint(uint64(n))
	for i := 0; i < n; i++ {
		e.b = binary.LittleEndian.AppendUint16(e.b, gs.CharAt(i))
	}
}

// record writes a record's tag and fields.
func (e *encoder) record(r *record) error {
	switch r.kind {
	case kindPlatform:
		return &DataCloneError{Message: r.platform.Interface + " object cannot leave the process"}
	case kindSharedArrayBuffer:
		return &DataCloneError{Message: "SharedArrayBuffer cannot leave the process"}
	case kindTransferred, kindUninitialized:
		return &DataCloneError{Message: "a transferred object cannot leave the process"}
	}
	k := r.kind
	if r.resizable {
		k = kindResizableArrayBuffer
	}
	e.b = append(e.b, tagRecord+byte(k))
	switch r.kind {
	case kindBoolean, kindNumber, kindBigInt, kindString:
		e.prim(r.prim)
	case kindDate:
		e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(r.prim.ToFloat()))
	case kindRegExp:
		e.prim(r.source)
		e.bytes([]byte(r.flags))
	case kindArrayBuffer:
		e.bytes(r.data)
		if r.resizable {
			e.uvarint(uint64(r.maxByteLength))
		}
	case kindArrayBufferView:
		return e.view(r)
	case kindMap, kindSet:
		e.uvarint(uint64(len(r.entries)))
		for _, en := range r.entries {
			if err := e.value(en.key); err != nil {
				return err
			}
			if r.kind == kindMap {
				if err := e.value(en.value); err != nil {
					return err
				}
			}
		}
	case kindError:
		return e.error(r)
	case kindArray, kindObject:
		if r.kind == kindArray {
			e.uvarint(uint64(r.length))
		}
		e.uvarint(uint64(len(r.properties)))
		for _, p := range r.properties {
			e.prim(p.key)
			if err := e.value(p.value); err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *encoder) view(r *record) error {
	i := slices.IndexFunc(viewNames, func(v viewName) bool { return v.name == r.view })
	if i < 0 {
		return &DataCloneError{Message: r.view + " cannot leave the process"}
	}
	length := r.arrayLength
	if r.view == "DataView" {
		length = r.byteLength
	}
	var tracking byte
	if r.lengthTracking {
		tracking = 1
	}
	e.b = append(e.b, byte(i), tracking)
	e.uvarint(uint64(r.byteOffset))
	e.uvarint(uint64(length))
	return e.value(value{ref: r.buffer})
}

func (e *encoder) error(r *record) error {
	var bits byte
	if r.message != nil {
		bits |= hasMessage
	}
	if r.stack != nil {
		bits |= hasStack
	}
	if r.cause != nil {
		bits |= hasCause
	}
	e.b = append(e.b, byte(slices.Index(errorNames, r.name)), bits)
	if r.message != nil {
		e.prim(r.message)
	}
	if r.stack != nil {
		e.prim(r.stack)
	}
	if r.cause != nil {
		return e.value(*r.cause)
	}
	return nil
}
