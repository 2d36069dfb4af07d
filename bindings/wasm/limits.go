package wasm

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Before wazero decodes a module, checkModule walks its sections and rejects the
// modules that would make wazero allocate far more memory than the module's
// own size. wazero sizes each vector from the count the module declares
// before it reads a single element, so twenty bytes declaring 3.9 billion
// imports asked Go for hundreds of gigabytes, and the process died with
// "fatal error: runtime: out of memory", which no recover catches
// (FuzzModule found it). checkModule makes sure that every count wazero reads
// fits in the bytes left, and holds modules to the limits that the JS API
// sets for every embedding (https://webassembly.github.io/spec/js-api/#limits).
// Those limits also bound the locals that a function body of a few bytes
// may declare.
//
// checkModule follows the binary format
// (https://webassembly.github.io/spec/core/binary/modules.html) for the
// features the namespace enables. wazero decodes the same grammar, and
// also accepts a few encodings of later proposals, which check rejects as
// validation would. So on a module checkModule accepts, wazero reads each
// count at the offset where checkModule read it.
//
// Custom sections are left out of what wazero gets: the namespace reads
// them itself (Module.customSections), and wazero's decoder of the "name"
// section reads past the section's end when its subsection sizes do not add up.

// The JS API's limits (https://webassembly.github.io/spec/js-api/#limits).
const (
	maxModuleSize     = 1 << 30
	maxTypes          = 1_000_000
	maxFunctions      = 1_000_000
	maxImports        = 100_000
	maxExports        = 100_000
	maxGlobals        = 1_000_000
	maxTags           = 1_000_000
	maxDataSegments   = 100_000
	maxElemSegments   = 10_000_000
	maxTables         = 100_000
	maxMemories       = 100
	maxTableSize      = 10_000_000
	maxParams         = 1_000
	maxResults        = 1_000
	maxFunctionSize   = 7_654_321
	maxFunctionLocals = 50_000
)

// freeLocals is how many locals a module's functions may declare together
// before each further local needs a byte of the module: a limit of this
// implementation (https://webassembly.github.io/spec/core/appendix/implementation.html#syntactic-limits),
// since wazero keeps a byte per local declared and compiles code that
// zeroes each. Real modules declare far fewer locals than they have bytes.
const freeLocals = 1_000_000

// What wazero keeps of a module, per part of it: the figures are the heap
// that compiling modules made of each part took with wazero v1.12.0 on
// amd64, rounded up. An element of a table's initializer takes 65 bytes,
// so a module of 5 MB made of them took 326 MB.
const (
	costPerByte     = 1   // the module itself
	costPerCodeByte = 3   // machine code
	costPerFunction = 256 // a function's code and metadata
	costPerEntity   = 160 // a type, import, export, global or tag
	costPerElement  = 80  // an element of an element segment
	costPerSegment  = 80  // a data segment
	costPerLocal    = 1
)

// checkModule returns the module wazero is to compile, b without its
// custom sections, and about how many bytes wazero will take for it (see
// the costs above); or the error a CompileError reports.
func checkModule(b []byte) ([]byte, int64, error) {
	if len(b) > maxModuleSize {
		return nil, 0, fmt.Errorf("the module is %d bytes, over the limit of %d", len(b), maxModuleSize)
	}
	r := &reader{b: b}
	if string(r.bytes(8)) != "\x00asm\x01\x00\x00\x00" {
		return b, 0, nil // wazero names what is wrong with the preamble
	}
	c := &checker{locals: freeLocals + uint64(len(b)), cost: costPerByte * int64(len(b))}
	out := encoder(b[:8:8])
	for len(r.b) > 0 && r.err == nil {
		start := len(b) - len(r.b)
		id := r.byte()
		size := r.u32()
		if r.err == nil && uint64(size) > uint64(len(r.b)) {
			return nil, 0, fmt.Errorf("section %d is %d bytes long, past the end of the module", id, size)
		}
		body := r.bytes(size)
		switch err := c.section(id, &reader{b: body}); {
		case err != nil:
			return nil, 0, fmt.Errorf("section %d: %w", id, err)
		case id == 0:
			// Left out.
		case id == 4:
			out.section(4, func(e *encoder) { capTables(e, body) })
		default:
			out = append(out, b[start:len(b)-len(r.b)]...)
		}
	}
	if r.err != nil {
		return nil, 0, r.err
	}
	return out, c.cost, nil
}

// capTables writes the table section body with each table's maximum at
// most maxTableSize, and the room its tables may grow by, beyond their
// initial sizes, shared equally among them. wazero grows a table that has
// no maximum by whatever table.grow asks, up to 4 billion entries in one
// Go allocation (the process died of it); where the JS API gives a table
// with no maximum, or a larger one, table.grow now fails at the limit as
// it does in browsers, returning -1.
func capTables(e *encoder, body []byte) {
	r := &reader{b: body}
	n := r.count()
	ts := make([]tableType, n)
	total := int64(0)
	for i := range ts {
		ts[i].elem = r.byte()
		ts[i].limits = r.limits()
		total += ts[i].min
	}
	room := (maxTableSize - total) / max(int64(n), 1)
	e.u32(n)
	for _, t := range ts {
		*e = append(*e, t.elem)
		e.limits(t.capped(room))
	}
}

// capped returns a table's limits with a maximum of at most room entries
// over its initial size.
func (l limits) capped(room int64) limits {
	if l.max < 0 || l.max > l.min+room {
		l.max = l.min + room
	}
	return l
}

// checker carries what checkModule counts across sections.
type checker struct {
	tables, memories int
	tableEntries     int64  // the initial sizes of the tables the module defines
	locals           uint64 // left to declare
	cost             int64  // the bytes wazero takes for what has been read
}

var errTrailing = errors.New("bytes left over at the end of the section")

func (c *checker) section(id byte, r *reader) error {
	var err error
	switch id {
	case 0:
		if !utf8.ValidString(r.name()) {
			return errors.New("malformed name")
		}
		r.b = nil
	case 1:
		err = c.vector(r, maxTypes, "types", costPerEntity, c.funcType)
	case 2:
		err = c.vector(r, maxImports, "imports", costPerEntity, c.importDesc)
	case 3:
		err = c.vector(r, maxFunctions, "functions", costPerFunction, func(r *reader) error { r.u32(); return nil })
	case 4:
		err = c.vector(r, maxTables, "tables", costPerEntity, func(r *reader) error {
			l, err := c.table(r)
			if c.tableEntries += l.min; c.tableEntries > maxTableSize {
				return fmt.Errorf("tables of over %d entries together", maxTableSize)
			}
			return err
		})
	case 5:
		err = c.vector(r, maxMemories, "memories", costPerEntity, c.memory)
	case 6:
		err = c.vector(r, maxGlobals, "globals", costPerEntity, func(r *reader) error {
			if err := checkGlobalType(r); err != nil {
				return err
			}
			return constExpr(r)
		})
	case 7:
		err = c.vector(r, maxExports, "exports", costPerEntity, func(r *reader) error {
			r.name()
			r.byte()
			r.u32()
			return nil
		})
	case 8, 12: // start, data count
		r.u32()
	case 9:
		err = c.vector(r, maxElemSegments, "element segments", costPerSegment, c.elemSegment)
	case 10:
		err = c.vector(r, maxFunctions, "function bodies", 0, c.code)
	case 11:
		err = c.vector(r, maxDataSegments, "data segments", costPerSegment, dataSegment)
	case 13:
		err = c.vector(r, maxTags, "tags", costPerEntity, func(r *reader) error {
			r.byte() // attribute
			r.u32()  // type index
			return nil
		})
	default:
		return fmt.Errorf("unknown section id")
	}
	switch {
	case err != nil:
		return err
	case r.err != nil:
		return r.err
	case len(r.b) > 0:
		return errTrailing
	}
	return nil
}

// vector reads a vector of at most max elements, what, with each, and
// adds cost for each to c.cost.
func (c *checker) vector(r *reader, max uint32, what string, cost int64, each func(*reader) error) error {
	n := r.count()
	if n > max {
		return fmt.Errorf("%d %s, over the limit of %d", n, what, max)
	}
	c.cost += int64(n) * cost
	for ; n > 0 && r.err == nil; n-- {
		if err := each(r); err != nil {
			return err
		}
	}
	return r.err
}

func (c *checker) funcType(r *reader) error {
	if r.byte() != 0x60 {
		return errMalformed
	}
	params := r.valTypes()
	if len(params) > maxParams {
		return fmt.Errorf("%d parameters, over the limit of %d", len(params), maxParams)
	}
	results := r.valTypes()
	if len(results) > maxResults {
		return fmt.Errorf("%d results, over the limit of %d", len(results), maxResults)
	}
	for _, t := range append(params, results...) {
		if !isValType(t) {
			return errValType
		}
	}
	return nil
}

var errValType = errors.New("malformed value type")

// isValType reports whether t is a value type of the features enabled: not
// the prefixes of typed references, whose encodings wazero reads further.
func isValType(t byte) bool {
	switch t {
	case typeI32, typeI64, typeF32, typeF64, typeV128, typeFuncref, typeExternref:
		return true
	}
	return false
}

func isRefType(t byte) bool { return t == typeFuncref || t == typeExternref }

func checkGlobalType(r *reader) error {
	if !isValType(r.byte()) || r.byte() > 1 {
		return errValType
	}
	return nil
}

func (c *checker) importDesc(r *reader) error {
	r.name()
	r.name()
	switch r.byte() {
	case kindFunc:
		r.u32()
	case kindTable:
		_, err := c.table(r)
		return err
	case kindMemory:
		return c.memory(r)
	case kindGlobal:
		return checkGlobalType(r)
	case kindTag:
		r.byte()
		r.u32()
	default:
		return errMalformed
	}
	return nil
}

// table counts a table, imported or defined, and checks its initial size.
func (c *checker) table(r *reader) (limits, error) {
	if c.tables++; c.tables > maxTables {
		return limits{}, fmt.Errorf("over %d tables", maxTables)
	}
	if !isRefType(r.byte()) {
		return limits{}, errValType
	}
	l, err := limitsOf(r)
	if err == nil && l.min > maxTableSize {
		err = fmt.Errorf("a table of over %d entries", maxTableSize)
	}
	return l, err
}

func (c *checker) memory(r *reader) error {
	if c.memories++; c.memories > maxMemories {
		return fmt.Errorf("over %d memories", maxMemories)
	}
	_, err := limitsOf(r)
	return err
}

// limitsOf reads limits whose flags are those of the features enabled: a
// maximum, and sharing.
func limitsOf(r *reader) (limits, error) {
	if len(r.b) > 0 && r.b[0] > 3 {
		return limits{}, errMalformed
	}
	return r.limits(), nil
}

// code checks a function body's size and the locals it declares.
func (c *checker) code(r *reader) error {
	size := r.u32()
	if size > maxFunctionSize {
		return fmt.Errorf("a function body of %d bytes, over the limit of %d", size, maxFunctionSize)
	}
	body := &reader{b: r.bytes(size)}
	var locals uint64
	for n := body.count(); n > 0 && body.err == nil; n-- {
		locals += uint64(body.u32())
		if !isValType(body.byte()) && body.err == nil {
			return errValType
		}
		if locals > maxFunctionLocals {
			return fmt.Errorf("a function declaring over %d locals", maxFunctionLocals)
		}
	}
	if locals > c.locals {
		return fmt.Errorf("the functions declare over %d locals together", freeLocals)
	}
	c.locals -= locals
	c.cost += costPerLocal*int64(locals) + costPerCodeByte*int64(size)
	return body.err
}

// elemSegment reads an element segment in any of its eight forms
// (https://webassembly.github.io/spec/core/binary/modules.html#element-section).
func (c *checker) elemSegment(r *reader) error {
	flags := r.u32()
	if flags > 7 {
		return errMalformed
	}
	if flags&1 == 0 { // active
		if flags&2 != 0 {
			r.u32() // table index
		}
		if err := constExpr(r); err != nil {
			return err
		}
	}
	if flags&3 != 0 {
		// An element kind (0, funcref) or a reference type.
		if k := r.byte(); flags&4 == 0 && k != 0 || flags&4 != 0 && !isRefType(k) {
			return errValType
		}
	}
	if flags&4 != 0 {
		return c.vector(r, maxTableSize, "elements", costPerElement, constExpr)
	}
	return c.vector(r, maxTableSize, "elements", costPerElement, func(r *reader) error { r.u32(); return nil })
}

// dataSegment reads a data segment
// (https://webassembly.github.io/spec/core/binary/modules.html#data-section).
func dataSegment(r *reader) error {
	switch r.u32() {
	case 0:
		if err := constExpr(r); err != nil {
			return err
		}
	case 1:
	case 2:
		r.u32() // memory index
		if err := constExpr(r); err != nil {
			return err
		}
	default:
		return errMalformed
	}
	r.bytes(r.u32())
	return nil
}

// constExpr reads a constant expression up to its end
// (https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions,
// with the extended-const proposal's arithmetic).
func constExpr(r *reader) error {
	for r.err == nil {
		switch op := r.byte(); op {
		case 0x0b: // end
			return nil
		case 0x41, 0x42, 0x23, 0xd2: // i32.const, i64.const, global.get, ref.func
			r.leb()
		case 0x43: // f32.const
			r.bytes(4)
		case 0x44: // f64.const
			r.bytes(8)
		case 0xd0: // ref.null
			if !isRefType(r.byte()) && r.err == nil {
				return errValType
			}
		case 0xfd: // v128.const
			if r.u32() != 12 {
				return errMalformed
			}
			r.bytes(16)
		case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: // i32 and i64 add, sub, mul
		default:
			return fmt.Errorf("opcode %#x in a constant expression", op)
		}
	}
	return r.err
}
