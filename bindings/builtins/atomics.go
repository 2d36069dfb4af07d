package builtins

import (
	_ "embed"
	"math"
	"math/big"
	"sync/atomic"
	"unsafe"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// Atomics reads and writes a typed array's bytes with sync/atomic: elements of
// 4 and 8 bytes with the operations of their size, and elements of 1 and 2
// bytes with a compare-and-swap loop on the aligned 4-byte word that holds
// them, so every Atomics operation on an element is one atomic operation on
// the memory, whichever realm (and goroutine) makes it. A typed array over a
// buffer whose bytes are not aligned for its elements (goja.NewArrayBuffer of
// a slice that starts mid-word) is refused with a TypeError rather than
// accessed non-atomically.
//
// Atomics.wait and waitAsync keep their waiters in lists per byte address
// (https://tc39.es/ecma262/#sec-waiterlist-objects), shared by every realm
// in the process; addresses of memory that is alive are unique, and one is
// only waited on while a SharedArrayBuffer over it is reachable.

//go:embed js/atomics.js
var atomicsSource string

// atomicsScript makes the methods of Atomics on first call (see
// lazyscripts.go); installAtomics gives it the native part.
var atomicsScript = &lazyScript{
	program: compileOnce("atomics.js", atomicsSource),
	defines: []lazyDefine{{
		target: func(realm *webidl.Realm) *goja.Object {
			o, _ := realm.Data(atomicsKey{}).(*goja.Object)
			return o
		},
		methods: []lazyMethod{
			{"add", 3}, {"and", 3}, {"compareExchange", 4}, {"exchange", 3}, {"isLockFree", 1}, {"load", 2},
			{"pause", 0}, {"or", 3}, {"store", 3}, {"sub", 3}, {"wait", 4}, {"waitAsync", 4}, {"notify", 3},
			{"xor", 3},
		},
	}},
	args: func(realm *webidl.Realm) ([]goja.Value, error) {
		natives, _ := realm.Data(atomicsNativesKey{}).(func() goja.Value)
		return []goja.Value{natives()}, nil
	},
}

// atomicsKey and atomicsNativesKey key, in a realm's data, its Atomics
// object and the function that makes the native part of its methods.
type (
	atomicsKey        struct{}
	atomicsNativesKey struct{}
)

// The element types of the typed arrays Atomics operates on, in the codes
// js/atomics.js knows them by.
const (
	elemInt8 = iota
	elemUint8
	elemInt16
	elemUint16
	elemInt32
	elemUint32
	elemBigInt64
	elemBigUint64
)

var elemTypes = map[string]int{
	"Int8Array": elemInt8, "Uint8Array": elemUint8, "Int16Array": elemInt16, "Uint16Array": elemUint16,
	"Int32Array": elemInt32, "Uint32Array": elemUint32, "BigInt64Array": elemBigInt64, "BigUint64Array": elemBigUint64,
}

// elemSizes are the sizes in bytes of the element types.
var elemSizes = [...]uintptr{1, 1, 2, 2, 4, 4, 8, 8}

// atomics is the native part of Atomics in one realm.
type atomics struct {
	realm *webidl.Realm
	// views reads the internal slots of typed arrays, goja's and this
	// package's.
	views *typedArrays
	// canBlock is the agent's [[CanBlock]]: HTML lets worker agents block
	// and not window agents
	// (https://html.spec.whatwg.org/multipage/webappapis.html#integration-with-the-javascript-agent-cluster-formalism).
	canBlock bool
	// queue queues a task on the realm's event loop, or is nil.
	queue func(func()) bool
}

// installAtomics defines Atomics on env.Realm's global object.
func installAtomics(env *bindings.Env) error {
	realm := env.Realm
	vm := realm.VM()
	a := &atomics{
		realm:    realm,
		views:    typedArraysOf(realm),
		canBlock: env.Global.IsWorker(),
		queue:    env.Queue(),
	}
	o := vm.NewObject()
	if err := o.DefineDataPropertySymbol(goja.SymToStringTag, vm.ToValue("Atomics"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if err := vm.GlobalObject().DefineDataProperty("Atomics", o, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	realm.SetData(atomicsKey{}, o)
	realm.SetData(atomicsNativesKey{}, a.natives)
	return atomicsScript.install(realm)
}

// natives returns the native part of the methods of Atomics, which
// js/atomics.js is given.
func (a *atomics) natives() goja.Value {
	vm := a.realm.VM()
	n := vm.NewObject()
	set := func(name string, f func(goja.FunctionCall) goja.Value) { _ = n.Set(name, f) }
	set("validate", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(a.validate(c.Argument(0), c.Argument(1).ToBoolean()))
	})
	set("length", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(max(a.views.array(c.Argument(0)).arrayLength(), 0))
	})
	set("shared", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(isShared(a.views.array(c.Argument(0)).buffer))
	})
	set("op", a.op)
	set("wait", a.wait)
	set("notify", a.notify)
	return n
}

// validate is ValidateIntegerTypedArray
// (https://tc39.es/ecma262/#sec-validateintegertypedarray): it returns the
// element type of v, or throws a TypeError.
func (a *atomics) validate(v goja.Value, waitable bool) int {
	// ValidateTypedArray: a typed array, in bounds.
	w := a.views.array(v)
	if w == nil {
		a.realm.ThrowTypeError("Argument is not a typed array")
	}
	if w.arrayLength() < 0 {
		a.realm.ThrowTypeError("Cannot perform Atomics operation on a detached or out-of-bounds ArrayBuffer")
	}
	name := kinds[w.kind].name
	t, ok := elemTypes[name]
	if !ok || waitable && t != elemInt32 && t != elemBigInt64 {
		a.realm.ThrowTypeError("%s is not a valid typed array for this operation", name)
	}
	return t
}

// isDetached reports whether the ArrayBuffer v is detached.
func isDetached(v goja.Value) bool {
	ab, _, ok := bufferOf(v)
	return ok && ab.Detached()
}

// bytes returns the address of element i of the typed array v of element type
// t, after checking, as RevalidateAtomicAccess
// (https://tc39.es/ecma262/#sec-revalidateatomicaccess) does, that it is in
// bounds and the element is within its buffer's length.
func (a *atomics) bytes(v goja.Value, t int, i int64) unsafe.Pointer {
	w := a.views.array(v)
	if w.arrayLength() < 0 {
		a.realm.ThrowTypeError("Cannot perform Atomics operation on a detached or out-of-bounds ArrayBuffer")
	}
	size := elemSizes[t]
	at := w.offset + i*int64(size)
	if at >= w.bufferLength() {
		panic(a.realm.NewRangeError("Invalid atomic access index"))
	}
	p := unsafe.Pointer(unsafe.SliceData(w.ab.Bytes()))
	addr := unsafe.Add(p, uintptr(at))
	if uintptr(addr)%min(size, 4) != 0 || size == 8 && uintptr(addr)%8 != 0 {
		a.realm.ThrowTypeError("The typed array's memory is not aligned for atomic access")
	}
	return addr
}

// The operations of op, in the codes js/atomics.js names them by.
const (
	opLoad = iota
	opStore
	opAdd
	opSub
	opAnd
	opOr
	opXor
	opExchange
	opCompareExchange
)

// op performs the operation op(typedArray, index, code, v, w) on an element
// whose index has been validated and values converted, after revalidating
// the access, and returns the element's value before it.
func (a *atomics) op(c goja.FunctionCall) goja.Value {
	ta, t := c.Argument(0), a.validate(c.Argument(0), false)
	addr := a.bytes(ta, t, c.Argument(1).ToInteger())
	code := c.Argument(2).ToInteger()
	mask := uint64(1)<<(elemSizes[t]*8) - 1
	v, w := toRaw(c.Argument(3))&mask, toRaw(c.Argument(4))&mask
	var old uint64
	if code == opLoad {
		old = load(addr, elemSizes[t])
	} else {
		old = modify(addr, elemSizes[t], func(x uint64) uint64 {
			switch code {
			case opAdd:
				return x + v
			case opSub:
				return x - v
			case opAnd:
				return x & v
			case opOr:
				return x | v
			case opXor:
				return x ^ v
			case opCompareExchange:
				if x == v {
					return w
				}
				return x
			}
			return v // store, exchange
		})
	}
	return fromRaw(a.realm.VM(), old, t)
}

// toRaw converts v, a Number that is an integer or infinite or a BigInt, to
// the bits of an element (NumericToRawBytes,
// https://tc39.es/ecma262/#sec-numerictorawbytes), in the low bits of the
// result; the high bits are what the operations' carries leave, and ignored.
func toRaw(v goja.Value) uint64 {
	if b, ok := v.Export().(*big.Int); ok {
		mask := new(big.Int).SetUint64(math.MaxUint64)
		return new(big.Int).And(b, mask).Uint64()
	}
	// Number elements have at most 32 bits: the remainder modulo 2^32 is
	// exact, and its two's complement has the element's bits.
	f := v.ToFloat()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return uint64(int64(math.Mod(math.Trunc(f), 1<<32)))
}

// fromRaw returns the value of an element of type t whose bits are the low
// bits of raw.
func fromRaw(vm *goja.Runtime, raw uint64, t int) goja.Value {
	switch t {
	case elemInt8:
		return vm.ToValue(int8(raw))
	case elemUint8:
		return vm.ToValue(uint8(raw))
	case elemInt16:
		return vm.ToValue(int16(raw))
	case elemUint16:
		return vm.ToValue(uint16(raw))
	case elemInt32:
		return vm.ToValue(int32(raw))
	case elemUint32:
		return vm.ToValue(uint32(raw))
	case elemBigInt64:
		return vm.ToValue(big.NewInt(int64(raw)))
	}
	return vm.ToValue(new(big.Int).SetUint64(raw))
}

// littleEndian tells the byte order of the machine, which goja's typed
// arrays use.
var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// word returns the aligned 4-byte word that holds the size bytes at addr
// (size 1 or 2), and the shift and mask of those bytes in it.
func word(addr unsafe.Pointer, size uintptr) (*uint32, uint, uint32) {
	off := uintptr(addr) % 4
	w := (*uint32)(unsafe.Add(addr, -int(off)))
	shift := uint(off * 8)
	if !littleEndian {
		shift = uint((4 - size - off) * 8)
	}
	return w, shift, uint32(1)<<(size*8) - 1
}

// load atomically reads the element of size bytes at addr.
func load(addr unsafe.Pointer, size uintptr) uint64 {
	switch size {
	case 8:
		return atomic.LoadUint64((*uint64)(addr))
	case 4:
		return uint64(atomic.LoadUint32((*uint32)(addr)))
	}
	w, shift, mask := word(addr, size)
	return uint64(atomic.LoadUint32(w) >> shift & mask)
}

// modify atomically replaces the element x of size bytes at addr with f(x),
// and returns x.
func modify(addr unsafe.Pointer, size uintptr, f func(uint64) uint64) uint64 {
	switch size {
	case 8:
		p := (*uint64)(addr)
		for {
			x := atomic.LoadUint64(p)
			if atomic.CompareAndSwapUint64(p, x, f(x)) {
				return x
			}
		}
	case 4:
		p := (*uint32)(addr)
		for {
			x := atomic.LoadUint32(p)
			if atomic.CompareAndSwapUint32(p, x, uint32(f(uint64(x)))) {
				return uint64(x)
			}
		}
	}
	w, shift, mask := word(addr, size)
	for {
		old := atomic.LoadUint32(w)
		x := old >> shift & mask
		y := uint32(f(uint64(x))) & mask
		if atomic.CompareAndSwapUint32(w, old, old&^(mask<<shift)|y<<shift) {
			return uint64(x)
		}
	}
}
