package builtins

import (
	_ "embed"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// goja's ArrayBuffer has a fixed length and no transfer, resizable buffers or
// detached getter. js/arraybuffer.js replaces the constructor and the methods
// of ArrayBuffer.prototype with ones that take the spec's steps over goja's
// buffers; what it needs of them, and of the buffers' states kept in
// buffers.go, is the native object here.
//
// A resizable ArrayBuffer is a goja ArrayBuffer allocated at its
// maxByteLength, of which the first byteLength bytes are in use; resize
// zeroes the bytes it gives up and takes back, so growing exposes zeros. The
// typed arrays and DataViews over it are this package's (views.go), which see
// the length it has now.

//go:embed js/arraybuffer.js
var arrayBufferSource string

var arrayBufferProgram = sync.OnceValue(func() *goja.Program {
	return compileBuiltin("wsjs:arraybuffer.js", arrayBufferSource)
})

// The kinds of buffer bufferKind tells apart, as js/arraybuffer.js numbers them.
const (
	notBuffer = iota
	fixedBuffer
	resizableBuffer
	sharedBuffer
	growableBuffer
)

// installArrayBuffers replaces ArrayBuffer, the typed array constructors and
// DataView, bounding what they allocate by opts, and adds SharedArrayBuffer
// and Atomics.
func installArrayBuffers(env *bindings.Env, opts Options) error {
	realm := env.Realm
	vm := realm.VM()
	alloc := allocatorOf(realm)
	alloc.maxBytes = opts.ArrayBufferBytes
	alloc.budget = env.Memory()
	wrap, err := wrapFunction(realm)
	if err != nil {
		return err
	}
	checks, err := viewChecks(realm, alloc)
	if err != nil {
		return err
	}
	list := make([]any, len(checks))
	for i, c := range checks {
		o := vm.NewObject()
		_ = o.Set("name", c.Name)
		_ = o.Set("size", c.Size)
		_ = o.Set("fits", c.Fits)
		if c.Check != nil {
			_ = o.Set("check", c.Check)
		}
		list[i] = o
	}
	setup, err := vm.RunProgram(arrayBufferProgram())
	if err != nil {
		return err
	}
	install, _ := goja.AssertFunction(setup)
	natives := arrayBufferNatives(realm, alloc)
	es, err := abstractOps(realm)
	if err != nil {
		return err
	}
	views, err := newTypedArrays(realm, alloc)
	if err != nil {
		return err
	}
	internals, err := views.install()
	if err != nil {
		return err
	}
	if _, err = install(goja.Undefined(), natives, wrap, vm.ToValue(list), es, internals); err != nil {
		return err
	}
	views.captureBuiltins(internals)
	if err := installShared(realm, natives); err != nil {
		return err
	}
	return installAtomics(env)
}

// arrayBufferNatives returns the native object js/arraybuffer.js is run with.
func arrayBufferNatives(realm *webidl.Realm, alloc *allocator) *goja.Object {
	vm := realm.VM()
	n := vm.NewObject()
	set := func(name string, f func(goja.FunctionCall) goja.Value) { _ = n.Set(name, f) }
	set("kind", func(c goja.FunctionCall) goja.Value { return vm.ToValue(bufferKind(c.Argument(0))) })
	set("detached", func(c goja.FunctionCall) goja.Value {
		ab, _, _ := bufferOf(c.Argument(0))
		return vm.ToValue(ab.Detached())
	})
	set("keyed", func(c goja.FunctionCall) goja.Value { return vm.ToValue(!Detachable(c.Argument(0))) })
	set("length", func(c goja.FunctionCall) goja.Value { return vm.ToValue(byteLength(c.Argument(0))) })
	set("max", func(c goja.FunctionCall) goja.Value { return vm.ToValue(maxByteLength(c.Argument(0))) })
	set("check", func(c goja.FunctionCall) goja.Value {
		alloc.check(c.Argument(0).ToInteger(), c.Argument(1))
		return goja.Undefined()
	})
	set("account", func(c goja.FunctionCall) goja.Value {
		if o, ok := c.Argument(0).(*goja.Object); ok {
			alloc.account(o, c.Argument(1))
		}
		return goja.Undefined()
	})
	set("resizable", func(c goja.FunctionCall) goja.Value {
		buffers.Set(c.Argument(0).(*goja.Object), &buffer{length: c.Argument(1).ToInteger(), max: c.Argument(2).ToInteger()})
		return goja.Undefined()
	})
	set("resize", func(c goja.FunctionCall) goja.Value {
		ab, b, _ := bufferOf(c.Argument(0))
		// Bytes beyond the length are zeroed both ways: those given up, as a
		// view made before may still write them, and those taken back.
		n := c.Argument(1).ToInteger()
		clear(ab.Bytes()[min(n, b.length):max(n, b.length)])
		b.length = n
		return goja.Undefined()
	})
	set("copy", func(c goja.FunctionCall) goja.Value {
		to, _, _ := bufferOf(c.Argument(0))
		from, _, _ := bufferOf(c.Argument(2))
		toStart, fromStart, count := c.Argument(1).ToInteger(), c.Argument(3).ToInteger(), c.Argument(4).ToInteger()
		copy(to.Bytes()[toStart:toStart+count], from.Bytes()[fromStart:fromStart+count])
		return goja.Undefined()
	})
	set("detach", func(c goja.FunctionCall) goja.Value {
		ab, _, _ := bufferOf(c.Argument(0))
		ab.Detach()
		return goja.Undefined()
	})
	set("move", func(c goja.FunctionCall) goja.Value {
		if o := moveBuffer(vm, c.Argument(0), c.Argument(1).ToInteger(), c.Argument(2)); o != nil {
			return o
		}
		return goja.Undefined()
	})
	set("allocate", func(c goja.FunctionCall) goja.Value {
		length := c.Argument(0).ToInteger()
		if goja.IsUndefined(c.Argument(1)) {
			return vm.ToValue(vm.NewArrayBuffer(alloc.bytes(length)))
		}
		max := c.Argument(1).ToInteger()
		o := vm.ToValue(vm.NewArrayBuffer(alloc.bytes(max))).(*goja.Object)
		buffers.Set(o, &buffer{length: length, max: max})
		return o
	})
	return n
}

// moveBuffer is ArrayBufferCopyAndDetach's zero-copy move
// (https://tc39.es/ecma262/#sec-arraybuffercopyanddetach, step 12): a new
// buffer of length bytes over the block of the buffer v, which is detached,
// resizable up to newMax unless that is undefined. It returns nil, changing
// nothing, where the block cannot serve: too small, or more than twice as
// large as a fixed-length result needs, which then gets a block of its own
// rather than keep the larger one alive. The block's bytes stay charged to
// the memory budget as they were, once.
func moveBuffer(vm *goja.Runtime, v goja.Value, length int64, newMax goja.Value) *goja.Object {
	ab, _, _ := bufferOf(v)
	data := ab.Bytes() // allocated at the maximum byte length of a resizable buffer
	old := byteLength(v)
	size := int64(len(data))
	var o *goja.Object
	if goja.IsUndefined(newMax) {
		if length > size || 2*length < size {
			return nil
		}
		o = vm.ToValue(vm.NewArrayBuffer(data[:length:length])).(*goja.Object)
	} else {
		max := newMax.ToInteger()
		if max != size {
			return nil
		}
		// Bytes beyond the new length read as zeros when the buffer grows.
		clear(data[min(length, old):old])
		o = vm.ToValue(vm.NewArrayBuffer(data)).(*goja.Object)
		buffers.Set(o, &buffer{length: length, max: max})
	}
	ab.Detach()
	return o
}

// bufferKind tells what kind of buffer v is.
func bufferKind(v goja.Value) int {
	_, b, ok := bufferOf(v)
	switch {
	case !ok:
		return notBuffer
	case b == nil:
		return fixedBuffer
	case b.block == nil:
		return resizableBuffer
	case b.block.max < 0:
		return sharedBuffer
	}
	return growableBuffer
}

// byteLength is ArrayBufferByteLength (https://tc39.es/ecma262/#sec-arraybufferbytelength)
// of the buffer v, or 0 if it is detached.
func byteLength(v goja.Value) int64 {
	ab, b, _ := bufferOf(v)
	switch {
	case ab.Detached():
		return 0
	case b == nil:
		return int64(len(ab.Bytes()))
	case b.block != nil:
		return b.block.byteLength()
	}
	return b.length
}

// maxByteLength is the maxByteLength getters' value for the buffer v
// (https://tc39.es/ecma262/#sec-get-arraybuffer.prototype.maxbytelength).
func maxByteLength(v goja.Value) int64 {
	ab, b, _ := bufferOf(v)
	switch {
	case ab.Detached():
		return 0
	case b == nil:
		return int64(len(ab.Bytes()))
	case b.block != nil && b.block.max < 0:
		return b.block.byteLength()
	case b.block != nil:
		return b.block.max
	}
	return b.max
}

// BytesInUse returns the bytes of the ArrayBuffer o up to its byteLength: a
// resizable one's Go slice (goja.ArrayBuffer.Bytes) runs on to its
// maxByteLength. It returns nil for a detached buffer or another value.
func BytesInUse(o *goja.Object) []byte {
	ab, _, ok := bufferOf(o)
	if !ok || ab.Detached() {
		return nil
	}
	return ab.Bytes()[:byteLength(o)]
}

// ResizableMax returns the [[ArrayBufferMaxByteLength]] of o if o is a
// resizable ArrayBuffer that is not detached.
func ResizableMax(o *goja.Object) (max int64, ok bool) {
	ab, b, isBuffer := bufferOf(o)
	if !isBuffer || b == nil || b.block != nil || ab.Detached() {
		return 0, false
	}
	return b.max, true
}

// CopyResizable returns a copy of the bytes in use of the resizable
// ArrayBuffer o in a block of its maxByteLength (the capacity of the slice
// returned), allocated as realm's ArrayBuffers are: bounded and charged to
// the memory budget, or else the RangeError of a failed allocation is
// thrown. NewResizableArrayBuffer takes the block as it is.
func CopyResizable(realm *webidl.Realm, o *goja.Object) []byte {
	max, _ := ResizableMax(o)
	in := BytesInUse(o)
	block := allocatorOf(realm).bytes(max)
	copy(block, in)
	return block[:len(in)]
}

// NewResizableArrayBuffer returns a new resizable ArrayBuffer of realm whose
// bytes are data, of byteLength len(data) and maxByteLength max, which must
// not be less. When data's capacity is max, its backing array, whose bytes
// past len(data) must be zeros, becomes the buffer's block (as that of a
// buffer CopyResizable copied, or of a transferred one, which resize keeps
// so); otherwise a block is allocated as realm's ArrayBuffers are, or the
// RangeError of a failed allocation is thrown.
func NewResizableArrayBuffer(realm *webidl.Realm, data []byte, max int64) *goja.Object {
	length := int64(len(data))
	block := data[:cap(data)]
	if int64(cap(data)) != max {
		block = allocatorOf(realm).bytes(max)
		copy(block, data)
	}
	vm := realm.VM()
	o := vm.ToValue(vm.NewArrayBuffer(block)).(*goja.Object)
	buffers.Set(o, &buffer{length: length, max: max})
	return o
}
