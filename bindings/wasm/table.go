package wasm

import (
	"context"

	"github.com/dop251/goja"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/wsjs/wsjs/webidl"
)

// table is the internal slots of a Table. wazero exposes no table to Go, so
// a small module imports it and exports functions that get, set, grow and
// measure it.
type table struct {
	t                    tableType
	src                  source
	get, set, grow, size api.Function
	helper               *owned
}

// tableInterface is Table (https://webassembly.github.io/spec/js-api/#tables).
func (s *state) tableInterface() *webidl.Interface {
	get := func(c webidl.Call) *table { return c.Impl.(*table) }
	return &webidl.Interface{
		Name:        "Table",
		Length:      1,
		Constructor: func(c webidl.Call) any { return s.newTable(c.Arg(0), c.Args) },
		Attributes: []webidl.Attribute{
			{Name: "length", Get: func(c webidl.Call) goja.Value {
				return s.realm.VM().ToValue(s.callTable(get(c).size)[0])
			}},
		},
		Operations: []webidl.Operation{
			{Name: "grow", Length: 1, Func: func(c webidl.Call) goja.Value { return s.growTable(get(c), c) }},
			{Name: "get", Length: 1, Func: func(c webidl.Call) goja.Value {
				t := get(c)
				i := s.tableIndex(t, c.Arg(0))
				return s.toJS(s.callTable(t.get, i)[0], t.t.elem)
			}},
			{Name: "set", Length: 1, Func: func(c webidl.Call) goja.Value {
				t := get(c)
				i := s.tableIndex(t, c.Arg(0))
				s.callTable(t.set, i, s.tableValue(t, c.Args, 1))
				return goja.Undefined()
			}},
		},
	}
}

// newTable is new Table(descriptor, value)
// (https://webassembly.github.io/spec/js-api/#dom-table-table).
func (s *state) newTable(desc goja.Value, args []goja.Value) *table {
	t := tableType{limits: limits{max: -1}}
	t.elem = s.valueType(s.member(desc, "element"), true)
	v := s.member(desc, "initial")
	if v == nil {
		s.realm.ThrowTypeError("WebAssembly.Table(): Property 'initial' is required")
	}
	t.min = s.enforceRange(v)
	if v := s.member(desc, "maximum"); v != nil {
		t.max = s.enforceRange(v)
	}
	// 3. If maximum is not empty and maximum < initial, throw a RangeError.
	if t.max >= 0 && t.max < t.min || t.min > 10_000_000 {
		panic(s.realm.NewRangeError("WebAssembly.Table(): Property 'maximum' or 'initial' is out of range"))
	}
	e := newEncoder()
	// The table wazero makes grows no further than the JS API's limit
	// (see capTables); t keeps the maximum script gave.
	e.section(4, func(e *encoder) { e.u32(1); *e = append(*e, t.elem); e.limits(t.capped(maxTableSize - t.min)) })
	e.section(7, func(e *encoder) { e.u32(1); e.name("t"); *e = append(*e, kindTable); e.u32(0) })
	o, err := s.instantiateBytes(context.Background(), e)
	if err != nil {
		panic(s.realm.NewRangeError("WebAssembly.Table(): could not allocate the table"))
	}
	tb := s.tableOver(t, source{o.mod, "t", o})
	// 4-5. Fill the table with value, or the element type's default.
	if w := s.tableValue(tb, args, 1); w != 0 {
		for i := int64(0); i < t.min; i++ {
			s.callTable(tb.set, uint64(i), w)
		}
	}
	return tb
}

// tableOver returns the table of src, with its helper functions.
func (s *state) tableOver(t tableType, src source) *table {
	e := newEncoder()
	ref := t.elem
	e.section(1, func(e *encoder) {
		e.u32(4)
		for _, ft := range [][2][]byte{{{typeI32}, {ref}}, {{typeI32, ref}, nil}, {{ref, typeI32}, {typeI32}}, {nil, {typeI32}}} {
			*e = append(*e, 0x60)
			e.u32(uint32(len(ft[0])))
			*e = append(*e, ft[0]...)
			e.u32(uint32(len(ft[1])))
			*e = append(*e, ft[1]...)
		}
	})
	e.section(2, func(e *encoder) {
		e.u32(1)
		e.name("t")
		e.name(src.name)
		*e = append(*e, kindTable, ref)
		e.limits(limits{max: -1})
	})
	e.section(3, func(e *encoder) { e.u32(4); *e = append(*e, 0, 1, 2, 3) })
	e.section(7, func(e *encoder) {
		e.u32(4)
		for i, name := range []string{"get", "set", "grow", "size"} {
			e.name(name)
			*e = append(*e, kindFunc, byte(i))
		}
	})
	e.section(10, func(e *encoder) {
		bodies := [][]byte{
			{0, 0x20, 0, 0x25, 0, 0x0b},                // local.get 0; table.get 0
			{0, 0x20, 0, 0x20, 1, 0x26, 0, 0x0b},       // table.set 0
			{0, 0x20, 0, 0x20, 1, 0xfc, 0x0f, 0, 0x0b}, // table.grow 0
			{0, 0xfc, 0x10, 0, 0x0b},                   // table.size 0
		}
		e.u32(uint32(len(bodies)))
		for _, b := range bodies {
			e.u32(uint32(len(b)))
			*e = append(*e, b...)
		}
	})
	ctx := experimental.WithImportResolver(context.Background(), func(name string) api.Module { return src.mod })
	o, err := s.instantiateBytes(ctx, e)
	if err != nil {
		s.realm.ThrowTypeError("WebAssembly.Table: %s", trapMessage(err))
	}
	m := o.mod
	return &table{t: t, src: src, helper: o,
		get: m.ExportedFunction("get"), set: m.ExportedFunction("set"),
		grow: m.ExportedFunction("grow"), size: m.ExportedFunction("size")}
}

// tableObject returns a new Table object for an exported table.
func (s *state) tableObject(t tableType, src source) *goja.Object {
	return s.realm.New("WebAssembly.Table", s.tableOver(t, src))
}

func (s *state) callTable(f api.Function, args ...uint64) []uint64 {
	ctx := s.context()
	var res []uint64
	err := guard(func() (err error) {
		res, err = f.Call(ctx, args...)
		return err
	})
	if err != nil {
		s.rethrow(err, ctx)
	}
	return res
}

// tableIndex converts an index, throwing a RangeError past the table's end
// (https://webassembly.github.io/spec/js-api/#dom-table-get step 3).
func (s *state) tableIndex(t *table, v goja.Value) uint64 {
	i := s.enforceRange(v)
	if uint64(i) >= s.callTable(t.size)[0] {
		panic(s.realm.NewRangeError("WebAssembly.Table: invalid address " + itoa(i) + " in table"))
	}
	return uint64(i)
}

// tableValue converts args[i], or the element type's default where it is
// missing: null for funcref, undefined for externref.
func (s *state) tableValue(t *table, args []goja.Value, i int) uint64 {
	if i >= len(args) {
		if t.t.elem == typeExternref {
			return s.refs.ref(goja.Undefined())
		}
		return 0
	}
	return s.toWasm(args[i], t.t.elem)
}

// growTable is grow(delta, value)
// (https://webassembly.github.io/spec/js-api/#dom-table-grow).
func (s *state) growTable(t *table, c webidl.Call) goja.Value {
	delta := s.enforceRange(c.Arg(0))
	ret := int32(s.callTable(t.grow, s.tableValue(t, c.Args, 1), uint64(delta))[0])
	if ret < 0 {
		panic(s.realm.NewRangeError("WebAssembly.Table.grow(): failed to grow table by " + itoa(delta)))
	}
	return s.realm.VM().ToValue(ret)
}
