package builtins

import (
	_ "embed"
	"errors"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// SharedArrayBuffer is added through goja's extension points: one is a goja
// ArrayBuffer (so goja's typed arrays and DataView take it as their buffer)
// whose prototype is SharedArrayBuffer.prototype and whose Go slice is a
// sharedBlock's. Structured clone sends the block, not a copy, to another
// realm of the same agent cluster (a runtime and its workers), where a new
// SharedArrayBuffer is made over it: the realms' typed arrays then read and
// write the same memory, which Atomics (atomics.go) accesses with sync/atomic.
// A growable SharedArrayBuffer is allocated at its maxByteLength; the views
// over it are this package's (views.go), which see the length it has now.

//go:embed js/shared.js
var sharedSource string

var sharedProgram = sync.OnceValue(func() *goja.Program {
	return compileBuiltin("wsjs:shared.js", sharedSource)
})

// sharedProtoKey keys a realm's %SharedArrayBuffer.prototype% in its data.
type sharedProtoKey struct{}

// installShared defines SharedArrayBuffer on realm's global object.
func installShared(realm *webidl.Realm, natives *goja.Object) error {
	vm := realm.VM()
	alloc := allocatorOf(realm)
	set := func(name string, f func(goja.FunctionCall) goja.Value) { _ = natives.Set(name, f) }
	set("create", func(c goja.FunctionCall) goja.Value {
		length, max := c.Argument(0).ToInteger(), int64(-1)
		size := length
		if !goja.IsUndefined(c.Argument(1)) {
			max = c.Argument(1).ToInteger()
			size = max
		}
		block := &sharedBlock{data: alloc.bytes(size), max: max, len: length}
		o := newShared(vm, block)
		o.SetPrototype(c.Argument(2).(*goja.Object))
		return o
	})
	set("grow", func(c goja.FunctionCall) goja.Value {
		_, b, _ := bufferOf(c.Argument(0))
		return vm.ToValue(b.block.grow(c.Argument(1).ToInteger()))
	})
	set("same", func(c goja.FunctionCall) goja.Value {
		_, a, _ := bufferOf(c.Argument(0))
		_, b, _ := bufferOf(c.Argument(1))
		return vm.ToValue(a.block == b.block)
	})
	setup, err := vm.RunProgram(sharedProgram())
	if err != nil {
		return err
	}
	install, _ := goja.AssertFunction(setup)
	es, err := abstractOps(realm)
	if err != nil {
		return err
	}
	proto, err := install(goja.Undefined(), natives, es)
	if err != nil {
		return err
	}
	realm.SetData(sharedProtoKey{}, proto)
	return nil
}

// newShared returns a SharedArrayBuffer over block, with the prototype of a
// goja ArrayBuffer, which the caller sets.
func newShared(vm *goja.Runtime, block *sharedBlock) *goja.Object {
	o := vm.ToValue(vm.NewArrayBuffer(block.data)).(*goja.Object)
	buffers.Set(o, &buffer{max: block.max, block: block})
	return o
}

// grow takes the steps of SharedArrayBuffer.prototype.grow that change the
// length (https://tc39.es/ecma262/#sec-sharedarraybuffer.prototype.grow
// steps 9-10), and reports false where they throw a RangeError. The bytes it
// takes are zero: no view reaches past the buffer's length, which never
// shrinks.
func (b *sharedBlock) grow(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if n < b.len || n > b.max {
		return n == b.len
	}
	b.len = n
	return true
}

// SharedMemory is the memory of a SharedArrayBuffer, as structured clone
// hands it to another realm of the same agent cluster.
type SharedMemory struct{ block *sharedBlock }

// SharedMemoryOf returns the memory of v if v is a SharedArrayBuffer.
func SharedMemoryOf(v goja.Value) (SharedMemory, bool) {
	_, b, ok := bufferOf(v)
	if !ok || b == nil || b.block == nil {
		return SharedMemory{}, false
	}
	return SharedMemory{b.block}, true
}

// Growable reports whether m belongs to a growable SharedArrayBuffer.
func (m SharedMemory) Growable() bool { return m.block.max >= 0 }

// NewSharedArrayBuffer returns a SharedArrayBuffer of realm over m. The
// built-ins must have been installed in realm.
func NewSharedArrayBuffer(realm *webidl.Realm, m SharedMemory) (*goja.Object, error) {
	proto, ok := realm.Data(sharedProtoKey{}).(*goja.Object)
	if !ok || m.block == nil {
		return nil, errors.New("builtins: the realm has no SharedArrayBuffer")
	}
	o := newShared(realm.VM(), m.block)
	o.SetPrototype(proto)
	return o, nil
}

// SharedMemoryOver returns the memory of a fixed-length SharedArrayBuffer
// over data, bytes that must not move while it is used (the memory of a
// shared WebAssembly.Memory).
func SharedMemoryOver(data []byte) SharedMemory {
	return SharedMemory{&sharedBlock{data: data, max: -1, len: int64(len(data))}}
}
