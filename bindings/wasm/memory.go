package wasm

import (
	"context"
	"strconv"

	"github.com/dop251/goja"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/wsjs/wsjs/bindings/builtins"
	"github.com/wsjs/wsjs/webidl"
)

// maxPages is the most pages a memory has in the JS API
// (https://webassembly.github.io/spec/js-api/#limits).
const maxPages = 65536

// memory is the internal slots of a Memory: the memory, its type, and the
// buffer last made over it.
type memory struct {
	mem    api.Memory
	limits limits
	src    source
	buffer *goja.Object
	bytes  []byte // what buffer is over
}

// memoryInterface is Memory (https://webassembly.github.io/spec/js-api/#memories).
func (s *state) memoryInterface() *webidl.Interface {
	get := func(c webidl.Call) *memory { return c.Impl.(*memory) }
	return &webidl.Interface{
		Name:        "Memory",
		Length:      1,
		Constructor: func(c webidl.Call) any { return s.newMemory(c.Arg(0)) },
		Attributes: []webidl.Attribute{
			{Name: "buffer", Get: func(c webidl.Call) goja.Value { return s.memoryBuffer(get(c)) }},
		},
		Operations: []webidl.Operation{
			{Name: "grow", Length: 1, Func: func(c webidl.Call) goja.Value { return s.growMemory(get(c), c.Arg(0)) }},
		},
	}
}

// newMemory is new Memory(descriptor)
// (https://webassembly.github.io/spec/js-api/#dom-memory-memory).
func (s *state) newMemory(desc goja.Value) *memory {
	l := limits{max: -1}
	// 1-2. initial (required) and maximum.
	v := s.member(desc, "initial")
	if v == nil {
		s.realm.ThrowTypeError("WebAssembly.Memory(): Property 'initial' is required")
	}
	l.min = s.enforceRange(v)
	if v := s.member(desc, "maximum"); v != nil {
		l.max = s.enforceRange(v)
	}
	if v := s.member(desc, "shared"); v != nil {
		l.shared = v.ToBoolean()
	}
	// 3. If initial is more than 65536, or maximum is and less than
	// initial, throw a RangeError.
	if l.min > maxPages {
		panic(s.realm.NewRangeError("WebAssembly.Memory(): Property 'initial': value " + itoa(l.min) + " is above the upper bound 65536"))
	}
	if l.max >= 0 && (l.max > maxPages || l.max < l.min) {
		panic(s.realm.NewRangeError("WebAssembly.Memory(): Property 'maximum': value " + itoa(l.max) + " is out of range"))
	}
	// 4. If share is "shared" and maximum is empty, throw a TypeError.
	if l.shared && l.max < 0 {
		s.realm.ThrowTypeError("WebAssembly.Memory(): If shared is true, maximum property should be defined.")
	}
	// 5-6. Let (store, memaddr) be mem_alloc(store, memtype): a module
	// that defines the memory and exports it.
	e := newEncoder()
	e.section(5, func(e *encoder) { e.u32(1); e.limits(l) })
	e.section(7, func(e *encoder) { e.u32(1); e.name("m"); *e = append(*e, kindMemory); e.u32(0) })
	ctx := context.Background()
	if l.shared {
		ctx = experimental.WithMemoryAllocator(ctx, sharedAllocator{s.env.Memory()})
	} else {
		ctx = experimental.WithMemoryAllocator(ctx, allocator{s.env.Memory()})
	}
	o, err := s.instantiateBytes(ctx, e)
	if err != nil {
		panic(s.realm.NewRangeError("WebAssembly.Memory(): could not allocate memory"))
	}
	return &memory{mem: o.mod.ExportedMemory("m"), limits: l, src: source{o.mod, "m", o}}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// memoryObject returns a new Memory object for an exported memory.
func (s *state) memoryObject(mem api.Memory, l limits, src source) *goja.Object {
	return s.realm.New("WebAssembly.Memory", &memory{mem: mem, limits: l, src: src})
}

// memoryBuffer is the buffer getter
// (https://webassembly.github.io/spec/js-api/#dom-memory-buffer): the
// buffer over the memory as it is now, made again once the memory has
// grown (https://webassembly.github.io/spec/js-api/#refresh-the-memory-buffer).
func (s *state) memoryBuffer(m *memory) goja.Value {
	data, _ := m.mem.Read(0, m.mem.Size())
	if m.buffer != nil && len(data) == len(m.bytes) && (len(data) == 0 || &data[0] == &m.bytes[0]) {
		return m.buffer
	}
	s.refresh(m, data)
	return m.buffer
}

// refresh detaches the buffer over a memory that is not shared and makes a
// new one over data: an ArrayBuffer, or a SharedArrayBuffer for a shared
// memory.
func (s *state) refresh(m *memory, data []byte) {
	if m.buffer != nil && !m.limits.shared {
		if ab, ok := m.buffer.Export().(goja.ArrayBuffer); ok {
			ab.Detach()
		}
	}
	m.bytes = data
	if m.limits.shared {
		sab, err := builtins.NewSharedArrayBuffer(s.realm, builtins.SharedMemoryOver(data))
		if err != nil {
			panic(err)
		}
		m.buffer = sab
		return
	}
	// A fixed-length buffer with "WebAssembly.Memory" as its detach key
	// (https://webassembly.github.io/spec/js-api/#create-a-fixed-length-memory-buffer).
	m.buffer = builtins.NewKeyedArrayBuffer(s.realm, data)
}

// growMemory is grow(delta)
// (https://webassembly.github.io/spec/js-api/#dom-memory-grow).
func (s *state) growMemory(m *memory, deltaV goja.Value) goja.Value {
	delta := s.enforceRange(deltaV)
	// 3-4. Let ret be mem_grow(store, memaddr, delta); if it is error,
	// throw a RangeError.
	ret, ok := m.mem.Grow(uint32(delta))
	if !ok || delta > maxPages {
		panic(s.realm.NewRangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded"))
	}
	// 6. Refresh the memory buffer of memaddr.
	data, _ := m.mem.Read(0, m.mem.Size())
	s.refresh(m, data)
	return s.realm.VM().ToValue(ret)
}
