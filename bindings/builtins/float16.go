package builtins

import (
	"math"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// Float16Array is an ECMAScript 2025 built-in goja does not have: its
// typed arrays are views of this package (views.go) of the element type
// binary16, which the conversions below read and write, and
// js/typedarray.js defines the constructor. Math.f16round is here; DataView's
// getFloat16 and setFloat16 are in dataview.go.

// installF16Round defines Math.f16round (https://tc39.es/ecma262/#sec-math.f16round).
func installF16Round(vm *goja.Runtime) error {
	f := webidl.NewFunction(vm, "f16round", 1, func(call goja.FunctionCall) goja.Value {
		return vm.ToValue(f16Value(f16Bits(call.Argument(0).ToFloat())))
	})
	return webidl.Intrinsics{VM: vm}.Object("Math").DefineDataProperty("f16round", f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

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

// Float16Value converts the IEEE 754 binary16 h to the float64 it is,
// exactly: the value of a Float16Array element whose bits are h.
func Float16Value(h uint16) float64 { return f16Value(h) }

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
