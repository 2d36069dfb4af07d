package structuredclone

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"strings"
	"sync"

	"github.com/dop251/goja"
)

// DecodeBinary decodes the wire encoding AppendBinary made into a Serialized,
// to be deserialized in a realm or converted to Go with ToGo. data may come
// from a process that cannot be trusted: it is checked throughout, a
// malformed encoding is an error, and decoding it takes at most maxMemory
// bytes, counting the records it makes, the elements of the arrays they
// describe and of the Go slices ToGo would copy views into, or fails (maxMemory <= 0 means no bound). Objects may nest as
// deeply as Serialize allows, 100000 levels.
//
// The Serialized is charged to no memory budget.
func DecodeBinary(data []byte, maxMemory int64) (out *Serialized, err error) {
	if maxMemory <= 0 {
		maxMemory = math.MaxInt64
	}
	d := &decoder{b: data, left: maxMemory, vm: prims()}
	defer func() {
		if p := recover(); p != nil {
			bad, ok := p.(badClone)
			if !ok {
				panic(p)
			}
			out, err = nil, bad
		}
	}()
	if d.byte() != wireVersion {
		d.fail("unknown version")
	}
	v := d.value()
	if len(d.b) != 0 {
		d.fail("%d bytes after the value", len(d.b))
	}
	return &Serialized{v: v}, nil
}

// maxSafeInteger is 2^53 - 1, the largest maxByteLength an ArrayBuffer may
// have (https://tc39.es/ecma262/#sec-arraybuffer-length, ToIndex).
const maxSafeInteger = 1<<53 - 1

// A badClone is the error of a malformed encoding.
type badClone struct{ msg string }

func (e badClone) Error() string { return "structuredclone: bad encoding: " + e.msg }

// prims makes primitive values, which belong to no runtime: goja's ToValue
// makes numbers, strings and BigInts without looking at the runtime it is
// called on, so one is shared by every goroutine.
var prims = sync.OnceValue(goja.New)

// A decoder reads the wire format.
type decoder struct {
	b       []byte    // what is left to read
	records []*record // records by number
	depth   int
	left    int64 // memory that may still be used
	vm      *goja.Runtime
}

func (d *decoder) fail(format string, args ...any) {
	panic(badClone{fmt.Sprintf(format, args...)})
}

// use counts n bytes of memory.
func (d *decoder) use(n int64) {
	if n < 0 || n > d.left {
		d.fail("the value takes more memory than allowed")
	}
	d.left -= n
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail("truncated")
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) uvarint() uint64 {
	n, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.fail("bad varint")
	}
	d.b = d.b[k:]
	return n
}

// count reads a count of items, each of which takes at least size bytes
// of what is left.
func (d *decoder) count(size int) int {
	n := d.uvarint()
	if n > uint64(len(d.b)/size) {
		d.fail("a count of %d exceeds what is left", n)
	}
	return int(n)
}

// take reads n bytes, a length first.
func (d *decoder) take() []byte {
	n := d.count(1)
	p := d.b[:n:n]
	d.b = d.b[n:]
	return p
}

func (d *decoder) float() float64 {
	if len(d.b) < 8 {
		d.fail("truncated")
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return f
}

// value reads a value.
func (d *decoder) value() value {
	tag := d.byte()
	switch {
	case tag == tagRef:
		n := d.uvarint()
		if n >= uint64(len(d.records)) {
			d.fail("reference to record %d of %d", n, len(d.records))
		}
		return value{ref: d.records[n]}
	case tag >= tagRecord:
		if d.depth++; d.depth > maxDepth {
			d.fail("nested more than %d levels deep", maxDepth)
		}
		r := d.record(kind(tag - tagRecord))
		d.depth--
		return value{ref: r}
	}
	return value{prim: d.prim(tag)}
}

// prim reads the primitive a tag starts.
func (d *decoder) prim(tag byte) goja.Value {
	switch tag {
	case tagUndefined:
		return goja.Undefined()
	case tagNull:
		return goja.Null()
	case tagFalse, tagTrue:
		return d.vm.ToValue(tag == tagTrue)
	case tagInt:
		n, k := binary.Varint(d.b)
		if k <= 0 {
			d.fail("bad varint")
		}
		d.b = d.b[k:]
		return d.vm.ToValue(n)
	case tagFloat:
		return d.vm.ToValue(d.float())
	case tagBigInt:
		neg := d.byte()
		mag := d.take()
		d.use(int64(len(mag)))
		n := new(big.Int).SetBytes(mag)
		if neg > 1 || neg == 1 && n.Sign() == 0 {
			d.fail("bad BigInt")
		}
		if neg == 1 {
			n.Neg(n)
		}
		return d.vm.ToValue(n)
	case tagString:
		s := d.take()
		d.use(int64(len(s)))
		return d.vm.ToValue(string(s))
	case tagString16:
		n := d.count(2)
		d.use(int64(2 * n))
		units := make([]uint16, n)
		for i := range units {
			units[i] = binary.LittleEndian.Uint16(d.b[2*i:])
		}
		d.b = d.b[2*n:]
		return goja.StringFromUTF16(units)
	}
	d.fail("unknown tag %#x", tag)
	return nil
}

// str reads a string.
func (d *decoder) str() goja.Value {
	v := d.prim(d.byte())
	if _, ok := v.(goja.String); !ok {
		d.fail("a string expected")
	}
	return v
}

// record reads a record of kind k, numbered before what it holds.
func (d *decoder) record(k kind) *record {
	d.use(recordSize)
	r := &record{kind: k}
	d.records = append(d.records, r)
	switch k {
	case kindBoolean, kindNumber, kindBigInt, kindString:
		r.prim = d.prim(d.byte())
		if !primOfKind(r.prim, k) {
			d.fail("a wrapper of the wrong primitive")
		}
	case kindDate:
		r.prim = d.vm.ToValue(d.float())
	case kindRegExp:
		r.source = d.str()
		r.flags = string(d.take())
		if strings.Trim(r.flags, "dgimsuvy") != "" {
			d.fail("bad RegExp flags")
		}
	case kindArrayBuffer:
		data := d.take()
		d.use(int64(len(data)))
		r.data = append(make([]byte, 0, len(data)), data...)
	case kindResizableArrayBuffer:
		// The buffer it deserializes to takes its maxByteLength.
		r.kind, r.resizable = kindArrayBuffer, true
		data := d.take()
		max := d.uvarint()
		if max < uint64(len(data)) || max > maxSafeInteger {
			d.fail("a resizable ArrayBuffer's maxByteLength out of range")
		}
		d.use(int64(max))
		r.data, r.maxByteLength = append(make([]byte, 0, len(data)), data...), int64(max)
	case kindArrayBufferView:
		d.view(r)
	case kindMap, kindSet:
		d.entries(r)
	case kindError:
		d.error(r)
	case kindArray, kindObject:
		d.properties(r)
	default:
		d.fail("unknown record kind %d", k)
	}
	return r
}

// primOfKind reports whether the primitive v may be wrapped by a record of kind k.
func primOfKind(v goja.Value, k kind) bool {
	switch v.Export().(type) {
	case bool:
		return k == kindBoolean
	case int64, float64:
		return k == kindNumber
	case *big.Int:
		return k == kindBigInt
	case string:
		return k == kindString
	}
	return false
}

func (d *decoder) view(r *record) {
	i, tracking := int(d.byte()), d.byte()
	if i >= len(viewNames) || tracking > 1 {
		d.fail("bad view")
	}
	offset, length := d.uvarint(), d.uvarint()
	buffer := d.value().ref
	if buffer == nil || buffer.kind != kindArrayBuffer {
		d.fail("a view of something other than an ArrayBuffer")
	}
	size, n := uint64(viewNames[i].size), uint64(len(buffer.data))
	if offset%size != 0 || offset > n || tracking == 0 && length > (n-offset)/size {
		d.fail("a view out of its buffer's bounds")
	}
	if tracking == 1 {
		length = (n - offset) / size
	}
	// ToGo copies the elements: each view of a buffer counts them again.
	d.use(int64(length * size))
	r.view, r.buffer, r.lengthTracking = viewNames[i].name, buffer, tracking == 1
	r.byteOffset = int64(offset)
	if i == 0 {
		r.byteLength = int64(length)
	} else {
		r.arrayLength = int64(length)
	}
}

func (d *decoder) entries(r *record) {
	size := 1
	if r.kind == kindMap {
		size = 2
	}
	n := d.count(size)
	d.use(entrySize * int64(n))
	r.entries = make([]entry, n)
	for i := range r.entries {
		r.entries[i].key = d.value()
		if r.kind == kindMap {
			r.entries[i].value = d.value()
		}
	}
}

func (d *decoder) error(r *record) {
	name, bits := int(d.byte()), d.byte()
	if name >= len(errorNames) || bits&^(hasMessage|hasStack|hasCause) != 0 {
		d.fail("bad Error")
	}
	r.name = errorNames[name]
	if bits&hasMessage != 0 {
		r.message = d.str()
	}
	if bits&hasStack != 0 {
		r.stack = d.str()
	}
	if bits&hasCause != 0 {
		c := d.value()
		r.cause = &c
	}
}

// properties reads the [[Properties]] of an Array or an Object, and an
// Array's [[Length]] first, counted as the elements of the slice ToGo
// makes of it.
func (d *decoder) properties(r *record) {
	if r.kind == kindArray {
		n := d.uvarint()
		if n > math.MaxUint32 {
			d.fail("an Array of length %d", n)
		}
		d.use(16 * int64(n))
		r.length = int64(n)
	}
	n := d.count(2)
	d.use(propertySize * int64(n))
	r.properties = make([]property, n)
	for i := range r.properties {
		r.properties[i].key = d.str()
		r.properties[i].value = d.value()
	}
}
