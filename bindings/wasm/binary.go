package wasm

import (
	"errors"
	"math"
)

// The little of the binary format
// (https://webassembly.github.io/spec/core/binary/modules.html) the
// namespace reads itself: wazero validates modules and runs them, but tells
// nothing of a module's tables and globals, which Module.exports and
// Module.imports list and instantiation links.

// Value types (https://webassembly.github.io/spec/core/binary/types.html#value-types).
const (
	typeI32       byte = 0x7f
	typeI64       byte = 0x7e
	typeF32       byte = 0x7d
	typeF64       byte = 0x7c
	typeV128      byte = 0x7b
	typeFuncref   byte = 0x70
	typeExternref byte = 0x6f
)

// External kinds (https://webassembly.github.io/spec/core/binary/modules.html#export-section).
const (
	kindFunc byte = iota
	kindTable
	kindMemory
	kindGlobal
	kindTag
)

// kindNames are the ImportExportKind of the JS API
// (https://webassembly.github.io/spec/js-api/#modules).
var kindNames = [...]string{"function", "table", "memory", "global", "tag"}

type funcType struct{ params, results []byte }

// limits are a table's or a memory's; max is -1 where there is none.
type limits struct {
	min, max int64
	shared   bool
}

type tableType struct {
	elem byte
	limits
}

type globalType struct {
	val     byte
	mutable bool
}

// An external is what an import or an export names.
type external struct {
	module, name string // module is empty for an export
	kind         byte
	index        uint32 // an export's index in its index space
	fn           funcType
	table        tableType
	memory       limits
	global       globalType
}

type custom struct {
	name string
	data []byte
}

// moduleInfo is what parse reads of a module.
type moduleInfo struct {
	types   []funcType
	imports []external
	funcs   []uint32 // the type index of each function the module defines
	tables  []tableType
	mems    []limits
	exports []external
	customs []custom
}

var errMalformed = errors.New("malformed module")

type reader struct {
	b   []byte
	err error
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.err = errMalformed
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) u32() uint32 {
	var v uint64
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			if v > math.MaxUint32 {
				r.err = errMalformed
			}
			return uint32(v)
		}
	}
	r.err = errMalformed
	return 0
}

// leb skips a LEB128 integer of up to 64 bits, signed or not.
func (r *reader) leb() {
	for i := 0; i < 10; i++ {
		if r.byte()&0x80 == 0 {
			return
		}
	}
	r.err = errMalformed
}

func (r *reader) bytes(n uint32) []byte {
	if uint64(n) > uint64(len(r.b)) {
		r.err = errMalformed
		r.b = nil
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *reader) name() string { return string(r.bytes(r.u32())) }

// count reads a vector's length, which cannot exceed the bytes left.
func (r *reader) count() uint32 {
	n := r.u32()
	if uint64(n) > uint64(len(r.b)) {
		r.err = errMalformed
		return 0
	}
	return n
}

func (r *reader) valTypes() []byte {
	n := r.count()
	return append([]byte(nil), r.bytes(n)...)
}

func (r *reader) limits() limits {
	flags := r.byte()
	l := limits{min: int64(r.u32()), max: -1, shared: flags&2 != 0}
	if flags&1 != 0 {
		l.max = int64(r.u32())
	}
	return l
}

// parse reads the sections of a module wazero has validated.
func parse(b []byte) (*moduleInfo, error) {
	r := &reader{b: b}
	r.bytes(8) // magic and version
	m := &moduleInfo{}
	for len(r.b) > 0 && r.err == nil {
		id := r.byte()
		sec := &reader{b: r.bytes(r.u32())}
		m.section(id, sec)
		if sec.err != nil {
			return nil, sec.err
		}
	}
	return m, r.err
}

func (m *moduleInfo) section(id byte, r *reader) {
	switch id {
	case 0:
		name := r.name()
		m.customs = append(m.customs, custom{name, r.b})
	case 1:
		for n := r.count(); n > 0 && r.err == nil; n-- {
			r.byte() // 0x60
			m.types = append(m.types, funcType{r.valTypes(), r.valTypes()})
		}
	case 2:
		for n := r.count(); n > 0 && r.err == nil; n-- {
			e := external{module: r.name(), name: r.name(), kind: r.byte()}
			m.readDesc(r, &e)
			m.imports = append(m.imports, e)
		}
	case 3:
		for n := r.count(); n > 0 && r.err == nil; n-- {
			m.funcs = append(m.funcs, r.u32())
		}
	case 4:
		for n := r.count(); n > 0 && r.err == nil; n-- {
			elem := r.byte()
			m.tables = append(m.tables, tableType{elem, r.limits()})
		}
	case 5:
		for n := r.count(); n > 0 && r.err == nil; n-- {
			m.mems = append(m.mems, r.limits())
		}
	case 7:
		for n := r.count(); n > 0 && r.err == nil; n-- {
			m.exports = append(m.exports, external{name: r.name(), kind: r.byte(), index: r.u32()})
		}
	}
}

func (m *moduleInfo) readDesc(r *reader, e *external) {
	switch e.kind {
	case kindFunc:
		i := r.u32()
		if int(i) >= len(m.types) {
			r.err = errMalformed
			return
		}
		e.fn = m.types[i]
	case kindTable:
		e.table.elem = r.byte()
		e.table.limits = r.limits()
	case kindMemory:
		e.memory = r.limits()
	case kindGlobal:
		e.global = globalType{r.byte(), r.byte() == 1}
	default:
		r.err = errMalformed
	}
}

// encoder writes the binary format, for the small modules the namespace
// makes itself.
type encoder []byte

func (e *encoder) u32(v uint32) {
	for v >= 0x80 {
		*e = append(*e, byte(v)|0x80)
		v >>= 7
	}
	*e = append(*e, byte(v))
}

func (e *encoder) s64(v int64) {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			*e = append(*e, c)
			return
		}
		*e = append(*e, c|0x80)
	}
}

func (e *encoder) name(s string) {
	e.u32(uint32(len(s)))
	*e = append(*e, s...)
}

func (e *encoder) limits(l limits) {
	flags := byte(0)
	if l.max >= 0 {
		flags |= 1
	}
	if l.shared {
		flags |= 2
	}
	*e = append(*e, flags)
	e.u32(uint32(l.min))
	if l.max >= 0 {
		e.u32(uint32(l.max))
	}
}

// section appends section id holding what body writes.
func (e *encoder) section(id byte, body func(*encoder)) {
	var s encoder
	body(&s)
	*e = append(*e, id)
	e.u32(uint32(len(s)))
	*e = append(*e, s...)
}

func newEncoder() encoder { return encoder{0, 'a', 's', 'm', 1, 0, 0, 0} }

// importedTables returns the types of the tables m imports, then of those
// it defines, in index order; memories likewise.
func (m *moduleInfo) tableTypes() []tableType {
	var ts []tableType
	for _, im := range m.imports {
		if im.kind == kindTable {
			ts = append(ts, im.table)
		}
	}
	return append(ts, m.tables...)
}

func (m *moduleInfo) memoryTypes() []limits {
	var ls []limits
	for _, im := range m.imports {
		if im.kind == kindMemory {
			ls = append(ls, im.memory)
		}
	}
	return append(ls, m.mems...)
}
