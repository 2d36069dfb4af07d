package builtins

import (
	_ "embed"
	"errors"
	"math"
	"reflect"
	"strconv"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// Float16Array is an ECMAScript 2025 built-in goja does not have. It is added
// through goja's extension points: a Float16Array is a Proxy (goja.Runtime.NewProxy
// with Go traps) whose target holds a Uint16Array over the same bytes; the traps
// convert its integer-indexed elements to and from IEEE 754 binary16, and js/float16.js
// defines the constructor and prototype methods on top. The webidl realm learns the
// alias, so web APIs taking an ArrayBufferView (WebSocket.send, TextDecoder.decode...)
// accept a Float16Array.

//go:embed js/float16.js
var float16Source string

// float16Program is compiled once per process. Compiling takes longer than creating
// the rest of a Runtime, so init starts it on another goroutine: a program that creates
// a Runtime at once (the CLI) overlaps it with the other packages' initialization and
// the first New's other bindings instead of waiting for it.
var float16Program = sync.OnceValue(func() *goja.Program {
	return compileBuiltin("wsjs:float16.js", float16Source)
})

func init() { go float16Program() }

// installFloat16 defines Float16Array, Math.f16round and DataView's float16 methods.
func installFloat16(vm *goja.Runtime, realm *webidl.Realm) error {
	slot := goja.NewSymbol("[[Float16ArrayView]]")
	// bufSlot holds the ArrayBuffer of the Uint16Array, to see whether it is detached:
	// goja's Export of a typed array over a detached buffer panics.
	bufSlot := goja.NewSymbol("[[ViewedArrayBuffer]]")
	typedArrayProto := vm.Get("Uint16Array").(*goja.Object).Get("prototype").(*goja.Object).Prototype()
	bufferOf := webidl.Intrinsics{VM: vm}.Getter(typedArrayProto, vm.ToValue("buffer"))
	if bufferOf == nil {
		return errors.New("builtins: %TypedArray%.prototype has no buffer getter")
	}
	// targets maps the Proxies' targets to their Uint16Arrays.
	targets := webidl.NewWeakTable[*goja.Object]()
	// unwrap returns the Uint16Array behind a Float16Array, or nil. Getters run with the
	// Proxy's target as this, so both forms are accepted. o may be any object: only a
	// Proxy is exported (a typed array's Export panics when its buffer is detached).
	unwrap := func(v goja.Value) *goja.Object {
		o, ok := v.(*goja.Object)
		if !ok {
			return nil
		}
		if o.ExportType() == proxyType {
			if o = o.Export().(goja.Proxy).Target(); o == nil {
				return nil // revoked
			}
		}
		// Only a Proxy's target: an object that inherits from a
		// Float16Array is not one.
		u, _ := targets.Get(o)
		return u
	}
	// elems returns the elements of the Uint16Array behind the Proxy target t: none
	// when its buffer is detached.
	elems := func(t *goja.Object) []uint16 {
		if b, ok := t.GetSymbol(bufSlot).(*goja.Object); !ok || b.Export().(goja.ArrayBuffer).Detached() {
			return nil
		}
		e, _ := t.GetSymbol(slot).(*goja.Object).Export().([]uint16)
		return e
	}
	traps := &goja.ProxyTrapConfig{
		// TypedArray exotic objects, formerly integer-indexed exotic objects
		// (https://tc39.es/ecma262/#sec-typedarray-exotic-objects): elements live
		// in the buffer; indices out of range are absent and ignore writes.
		GetIdx: func(t *goja.Object, i int, _ goja.Value) goja.Value {
			if e := elems(t); i >= 0 && i < len(e) {
				return vm.ToValue(f16Value(e[i]))
			}
			return goja.Undefined()
		},
		SetIdx: func(t *goja.Object, i int, v goja.Value, _ goja.Value) bool {
			x := v.ToFloat()
			if e := elems(t); i >= 0 && i < len(e) {
				e[i] = f16Bits(x)
			}
			return true
		},
		HasIdx: func(t *goja.Object, i int) bool {
			return i >= 0 && i < len(elems(t))
		},
		GetOwnPropertyDescriptorIdx: func(t *goja.Object, i int) goja.PropertyDescriptor {
			e := elems(t)
			if i < 0 || i >= len(e) {
				return goja.PropertyDescriptor{}
			}
			return goja.PropertyDescriptor{Value: vm.ToValue(f16Value(e[i])), Writable: goja.FLAG_TRUE, Enumerable: goja.FLAG_TRUE, Configurable: goja.FLAG_TRUE}
		},
		DefinePropertyIdx: func(t *goja.Object, i int, d goja.PropertyDescriptor) bool {
			e := elems(t)
			if i < 0 || i >= len(e) || d.Getter != nil || d.Setter != nil ||
				d.Configurable == goja.FLAG_FALSE || d.Enumerable == goja.FLAG_FALSE || d.Writable == goja.FLAG_FALSE {
				return false
			}
			if d.Value != nil {
				e[i] = f16Bits(d.Value.ToFloat())
			}
			return true
		},
		DeletePropertyIdx: func(t *goja.Object, i int) bool {
			return i < 0 || i >= len(elems(t))
		},
		OwnKeys: func(t *goja.Object) *goja.Object {
			n := len(elems(t))
			keys := make([]any, 0, n)
			for i := 0; i < n; i++ {
				keys = append(keys, strconv.Itoa(i))
			}
			for _, k := range t.GetOwnPropertyNames() {
				keys = append(keys, k)
			}
			for _, s := range t.Symbols() {
				if s != slot && s != bufSlot {
					keys = append(keys, s)
				}
			}
			return vm.NewArray(keys...)
		},
	}
	wrap := func(u16 *goja.Object, proto *goja.Object) goja.Value {
		target := vm.CreateObject(proto)
		buf, err := bufferOf(u16)
		if err != nil {
			panic(err)
		}
		if err := target.DefineDataPropertySymbol(slot, u16, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			panic(err)
		}
		targets.Set(target, u16)
		if err := target.DefineDataPropertySymbol(bufSlot, buf, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			panic(err)
		}
		return vm.ToValue(vm.NewProxy(target, traps))
	}
	typedArrayTag := webidl.Intrinsics{VM: vm}.Getter(typedArrayProto, goja.SymToStringTag)
	// viewDetached reports whether the buffer of the typed array v is detached.
	viewDetached := func(v goja.Value) bool {
		b, err := bufferOf(v)
		return err == nil && b.(*goja.Object).Export().(goja.ArrayBuffer).Detached()
	}
	native := vm.NewObject()
	_ = native.Set("detached", viewDetached)
	_ = native.Set("viewDetached", viewDetached)
	// isTypedArray tells whether v is a typed array: 0 if not, 2 for a
	// BigInt64Array or BigUint64Array, 1 for another.
	_ = native.Set("isTypedArray", func(v goja.Value) int {
		if unwrap(v) != nil {
			return 1
		}
		tag, err := typedArrayTag(v)
		switch {
		case err != nil || goja.IsUndefined(tag):
			return 0
		case tag.String() == "BigInt64Array" || tag.String() == "BigUint64Array":
			return 2
		}
		return 1
	})
	_ = native.Set("enc", func(x float64) uint16 { return f16Bits(x) })
	_ = native.Set("dec", func(h uint16) float64 { return f16Value(h) })
	_ = native.Set("wrap", wrap)
	_ = native.Set("unwrap", func(v goja.Value) goja.Value {
		if u := unwrap(v); u != nil {
			return u
		}
		return goja.Undefined()
	})
	setup, err := vm.RunProgram(float16Program())
	if err != nil {
		return err
	}
	fn, _ := goja.AssertFunction(setup)
	es, err := abstractOps(realm)
	if err != nil {
		return err
	}
	if _, err := fn(goja.Undefined(), native, es); err != nil {
		return err
	}
	realm.AddViewAlias(func(o *goja.Object) *goja.Object { return unwrap(o) })
	return nil
}

var proxyType = reflect.TypeOf(goja.Proxy{})

// f16Bits converts x to IEEE 754 binary16, rounding to nearest, ties to even, straight
// from binary64 (no double rounding through binary32).
func f16Bits(x float64) uint16 {
	b := math.Float64bits(x)
	sign := uint16(b>>48) & 0x8000
	exp := int(b>>52) & 0x7ff
	mant := b & (1<<52 - 1)
	switch {
	case exp == 0x7ff && mant != 0:
		return 0x7e00 // NaN
	case exp == 0x7ff:
		return sign | 0x7c00
	case exp == 0 && mant == 0:
		return sign
	}
	e := exp - 1023
	if e > 15 {
		return sign | 0x7c00
	}
	if e >= -14 {
		// A normal binary16: keep 10 of the 52 fraction bits, round on the 42 others.
		h := uint64(e+15)<<10 | mant>>42
		rem, half := mant&(1<<42-1), uint64(1)<<41
		if rem > half || rem == half && h&1 == 1 {
			h++ // a carry into the exponent is right, up to infinity
		}
		return sign | uint16(min(h, 0x7c00))
	}
	if e < -25 {
		return sign // below half the smallest subnormal
	}
	// A subnormal binary16 counts units of 2^-24: the significand shifted right.
	full := mant | 1<<52
	shift := uint(28 - e)
	h := full >> shift
	rem, half := full&(1<<shift-1), uint64(1)<<(shift-1)
	if rem > half || rem == half && h&1 == 1 {
		h++
	}
	return sign | uint16(h)
}

// f16Value converts the binary16 h to a float64, exactly.
func f16Value(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	e := int(h>>10) & 0x1f
	m := float64(h & 0x3ff)
	switch e {
	case 0:
		return sign * math.Ldexp(m, -24)
	case 0x1f:
		if m != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	}
	return sign * math.Ldexp(1+m/1024, e-15)
}
