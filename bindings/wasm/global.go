package wasm

import (
	"context"
	"encoding/binary"

	"github.com/dop251/goja"
	"github.com/tetratelabs/wazero/api"

	"github.com/wsjs/wsjs/webidl"
)

// global is the internal slots of a Global.
type global struct {
	g   api.Global
	t   globalType
	src source
}

// globalInterface is Global (https://webassembly.github.io/spec/js-api/#globals).
func (s *state) globalInterface() *webidl.Interface {
	get := func(c webidl.Call) *global { return c.Impl.(*global) }
	value := func(c webidl.Call) goja.Value { return s.globalValue(get(c)) }
	return &webidl.Interface{
		Name:   "Global",
		Length: 1,
		// new Global(descriptor, v) (https://webassembly.github.io/spec/js-api/#dom-global-global).
		Constructor: func(c webidl.Call) any {
			t := globalType{}
			if v := s.member(c.Arg(0), "mutable"); v != nil {
				t.mutable = v.ToBoolean()
			}
			t.val = s.valueType(s.member(c.Arg(0), "value"), false)
			if t.val == typeV128 {
				s.realm.ThrowTypeError("WebAssembly.Global(): v128 globals are not supported")
			}
			var v goja.Value
			if len(c.Args) > 1 {
				v = c.Args[1]
			}
			return s.newGlobal(t, v)
		},
		Attributes: []webidl.Attribute{
			{Name: "value", Get: value, Set: func(c webidl.Call, v goja.Value) { s.setGlobal(get(c), v) }},
		},
		Operations: []webidl.Operation{
			{Name: "valueOf", Func: value},
		},
	}
}

// newGlobal allocates a global of type t holding v, or the type's default
// value where v is nil (https://webassembly.github.io/spec/js-api/#dom-global-global
// steps 3-7): a module that defines it and exports it.
func (s *state) newGlobal(t globalType, v goja.Value) *global {
	var w uint64
	switch {
	case v != nil && !goja.IsUndefined(v):
		w = s.toWasm(v, t.val)
	case t.val == typeExternref && v != nil:
		w = s.refs.ref(v) // undefined is an externref
	}
	e := newEncoder()
	e.section(6, func(e *encoder) {
		e.u32(1)
		*e = append(*e, t.val, boolByte(t.mutable))
		switch t.val {
		case typeI32:
			*e = append(*e, 0x41)
			e.s64(int64(int32(w)))
		case typeI64:
			*e = append(*e, 0x42)
			e.s64(int64(w))
		case typeF32:
			*e = append(*e, 0x43)
			*e = binary.LittleEndian.AppendUint32(*e, uint32(w))
		case typeF64:
			*e = append(*e, 0x44)
			*e = binary.LittleEndian.AppendUint64(*e, w)
		default:
			*e = append(*e, 0xd0, t.val)
		}
		*e = append(*e, 0x0b)
	})
	// An immutable Global's module global is immutable too, so that it
	// links where one is imported; a reference is then only null.
	if !t.mutable && (t.val == typeExternref || t.val == typeFuncref) && w != 0 {
		s.realm.ThrowTypeError("WebAssembly.Global(): an immutable reference global can only hold null here")
	}
	e.section(7, func(e *encoder) { e.u32(1); e.name("g"); *e = append(*e, kindGlobal); e.u32(0) })
	o, err := s.instantiateBytes(context.Background(), e)
	if err != nil {
		s.realm.ThrowTypeError("WebAssembly.Global(): %s", trapMessage(err))
	}
	g := &global{g: o.mod.ExportedGlobal("g"), t: t, src: source{o.mod, "g", o}}
	if mg, ok := g.g.(api.MutableGlobal); ok && (t.val == typeExternref) {
		mg.Set(w)
	}
	return g
}

// globalObject returns a new Global object for an exported global.
func (s *state) globalObject(g api.Global, src source) *goja.Object {
	_, mutable := g.(api.MutableGlobal)
	return s.realm.New("WebAssembly.Global", &global{g: g, t: globalType{byte(g.Type()), mutable}, src: src})
}

// globalValue is the value getter and valueOf
// (https://webassembly.github.io/spec/js-api/#dom-global-value): GetGlobalValue.
func (s *state) globalValue(g *global) goja.Value {
	if g.t.val == typeV128 {
		s.realm.ThrowTypeError("WebAssembly.Global: v128 is not convertible")
	}
	return s.toJS(g.g.Get(), g.t.val)
}

// setGlobal is the value setter
// (https://webassembly.github.io/spec/js-api/#dom-global-value).
func (s *state) setGlobal(g *global, v goja.Value) {
	mg, ok := g.g.(api.MutableGlobal)
	if !g.t.mutable || !ok {
		s.realm.ThrowTypeError("Can't set the value of an immutable global.")
	}
	mg.Set(s.toWasm(v, g.t.val))
}
