package builtins

import (
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// A buffer is what this package knows of an ArrayBuffer or SharedArrayBuffer
// beyond what goja keeps: goja's own ArrayBuffer has a fixed length, so a
// resizable or growable one is a goja ArrayBuffer whose Go slice is allocated
// at its maximum byte length once, and its current length is kept here.
// Shared memory is a block that several goja ArrayBuffers, one per realm
// that received it, are made over.
type buffer struct {
	// max is [[ArrayBufferMaxByteLength]], or -1 for a fixed-length buffer.
	max int64
	// length is the byte length of a resizable ArrayBuffer; a growable
	// SharedArrayBuffer keeps its length in block.
	length int64
	// block is the shared memory of a SharedArrayBuffer, or nil.
	block *sharedBlock
}

// keyed holds the ArrayBuffers whose [[ArrayBufferDetachKey]] is not
// undefined: script cannot detach them.
var keyed = webidl.NewWeakTable[bool]()

// NewKeyedArrayBuffer returns a fixed-length ArrayBuffer of realm over
// data whose [[ArrayBufferDetachKey]] is not undefined, as a
// WebAssembly.Memory's buffer is
// (https://webassembly.github.io/spec/js-api/#create-a-fixed-length-memory-buffer):
// transfer() and structured clone's transfer cannot detach it (see
// Detachable); the Go code that made it detaches it with goja's
// ArrayBuffer.Detach.
func NewKeyedArrayBuffer(realm *webidl.Realm, data []byte) *goja.Object {
	vm := realm.VM()
	o := vm.ToValue(vm.NewArrayBuffer(data)).(*goja.Object)
	keyed.Set(o, true)
	return o
}

// Detachable reports whether v is an ArrayBuffer whose
// [[ArrayBufferDetachKey]] is undefined, which DetachArrayBuffer with no
// key may detach (https://tc39.es/ecma262/#sec-detacharraybuffer step 3).
func Detachable(v goja.Value) bool {
	if _, _, ok := bufferOf(v); !ok {
		return false
	}
	_, k := keyed.Get(v.(*goja.Object))
	return !k
}

// A sharedBlock is a Shared Data Block
// (https://tc39.es/ecma262/#sec-data-blocks): the bytes and, for a growable
// SharedArrayBuffer, its byte length, which only grows.
type sharedBlock struct {
	data []byte // allocated at the maximum byte length
	max  int64  // -1 for a fixed-length SharedArrayBuffer
	mu   sync.Mutex
	len  int64
}

// byteLength is ArrayBufferByteLength of a SharedArrayBuffer over b
// (https://tc39.es/ecma262/#sec-arraybufferbytelength), read with the
// sequentially consistent order a growable buffer's length is read with.
func (b *sharedBlock) byteLength() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.len
}

// buffers maps the ArrayBuffer objects this package made resizable or shared
// to what it knows of them; one table serves every realm, so structured
// clone can find the block of a SharedArrayBuffer from any of them.
var buffers = webidl.NewWeakTable[*buffer]()

// bufferOf returns what is known of the ArrayBuffer object v, and the goja
// ArrayBuffer itself; ok is false if v is not an ArrayBuffer of either kind.
func bufferOf(v goja.Value) (ab goja.ArrayBuffer, b *buffer, ok bool) {
	o, isObject := v.(*goja.Object)
	if !isObject || o.ExportType() != arrayBufferType {
		return ab, nil, false
	}
	ab = o.Export().(goja.ArrayBuffer)
	b, _ = buffers.Get(o)
	return ab, b, true
}

// isShared reports whether v is a SharedArrayBuffer
// (https://tc39.es/ecma262/#sec-issharedarraybuffer).
func isShared(v goja.Value) bool {
	_, b, ok := bufferOf(v)
	return ok && b != nil && b.block != nil
}

// An allocator is where every ArrayBuffer and SharedArrayBuffer this package
// makes, resizes, grows or transfers asks for its bytes: the one place a
// bound on them is checked, and where the bytes are charged to the memory
// budget of the realm's cluster, to be credited back once the garbage
// collector frees them (a detached buffer's bytes included).
type allocator struct {
	realm    *webidl.Realm
	maxBytes int64 // 0 for no bound
	budget   *bindings.Budget
	// bufferOfView is goja's %TypedArray%.prototype buffer getter.
	bufferOfView goja.Callable
}

// allocatorKey keys a realm's allocator in its data.
type allocatorKey struct{}

// allocatorOf returns realm's allocator.
func allocatorOf(realm *webidl.Realm) *allocator {
	a, _ := realm.Data(allocatorKey{}).(*allocator)
	if a == nil {
		a = &allocator{realm: realm}
		realm.SetData(allocatorKey{}, a)
	}
	return a
}

// check throws the RangeError of a failed allocation if n bytes may not be
// allocated, after reading newTarget's prototype as the spec does before it
// allocates (https://tc39.es/ecma262/#sec-allocatearraybuffer steps 3-4);
// newTarget may be nil where there is none to read.
func (a *allocator) check(n int64, newTarget goja.Value) {
	if (a.maxBytes <= 0 || n <= a.maxBytes) && a.budget.Fits(n) {
		return
	}
	if o, ok := newTarget.(*goja.Object); ok {
		o.Get("prototype")
	}
	panic(a.realm.NewRangeError(allocationFailed))
}

// bytes returns n zeroed bytes, checked and charged.
func (a *allocator) bytes(n int64) []byte {
	a.check(n, nil)
	data := a.make(n)
	a.charge(data)
	return data
}

// make returns n zeroed bytes, or throws the RangeError of a failed
// allocation for a length no slice can have, as goja's own allocations do
// (the Go runtime's panic for it can be recovered from, unlike running out
// of memory, which only a bound prevents).
func (a *allocator) make(n int64) (data []byte) {
	defer func() {
		if recover() != nil {
			panic(a.realm.NewRangeError(allocationFailed))
		}
	}()
	return make([]byte, n)
}

// CopyBytes returns a copy of data for an ArrayBuffer of realm, allocated as
// the realm's own are: bounded and charged to the memory budget, or else the
// RangeError of a failed allocation is thrown, as CreateByteDataBlock throws
// (https://tc39.es/ecma262/#sec-createbytedatablock).
func CopyBytes(realm *webidl.Realm, data []byte) []byte {
	b := allocatorOf(realm).bytes(int64(len(data)))
	copy(b, data)
	return b
}

// charge charges data, fresh from make, to the budget, or throws the
// RangeError of a failed allocation if the budget has not that much left:
// the bytes are then garbage.
func (a *allocator) charge(data []byte) {
	if len(data) > 0 && !bindings.Charge(a.budget, &data[0], int64(len(data))) {
		panic(a.realm.NewRangeError(allocationFailed))
	}
}

// account charges the bytes goja allocated for o, made by the ArrayBuffer or
// a typed array constructor with first as its first argument: none when
// first is a buffer, which a view is made over.
func (a *allocator) account(o *goja.Object, first goja.Value) {
	if a.budget == nil {
		return
	}
	if ab, _, ok := bufferOf(o); ok {
		a.charge(ab.Bytes())
		return
	}
	if _, _, ok := bufferOf(first); ok || a.bufferOfView == nil {
		return
	}
	if buf, err := a.bufferOfView(o); err == nil {
		if ab, _, ok := bufferOf(buf); ok && !ab.Detached() {
			a.charge(ab.Bytes())
		}
	}
}
