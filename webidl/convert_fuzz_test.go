package webidl

import (
	"math"
	"math/big"
	"testing"
)

// intBounds are the bounds of ConvertToInt steps 1-3
// (https://webidl.spec.whatwg.org/#abstract-opdef-converttoint), computed
// with big integers rather than floats.
func intBounds(bits uint, signed bool) (lo, hi *big.Int) {
	switch {
	case bits == 64:
		hi = big.NewInt(1<<53 - 1)
		lo = big.NewInt(0)
		if signed {
			lo = big.NewInt(-(1<<53 - 1))
		}
	case signed:
		hi = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), bits-1), big.NewInt(1))
		lo = new(big.Int).Neg(new(big.Int).Lsh(big.NewInt(1), bits-1))
	default:
		hi = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), bits), big.NewInt(1))
		lo = big.NewInt(0)
	}
	return lo, hi
}

// referenceClamp is ConvertToInt step 7 ([Clamp]) in exact arithmetic: clamp to
// the bounds, then round to the nearest integer, ties to even. NaN goes on to
// step 8 and becomes 0.
func referenceClamp(x float64, bits uint, signed bool) *big.Int {
	if math.IsNaN(x) {
		return new(big.Int)
	}
	lo, hi := intBounds(bits, signed)
	if math.IsInf(x, 1) {
		return hi
	}
	if math.IsInf(x, -1) {
		return lo
	}
	r := new(big.Rat).SetFloat64(x)
	// floor(r), and the fraction r - floor(r).
	fl := new(big.Int).Quo(r.Num(), r.Denom())
	if r.Sign() < 0 && new(big.Rat).SetInt(fl).Cmp(r) != 0 {
		fl.Sub(fl, big.NewInt(1))
	}
	frac := new(big.Rat).Sub(r, new(big.Rat).SetInt(fl))
	switch frac.Cmp(big.NewRat(1, 2)) {
	case 1:
		fl.Add(fl, big.NewInt(1))
	case 0:
		if fl.Bit(0) == 1 {
			fl.Add(fl, big.NewInt(1))
		}
	}
	// Rounding and clamping commute here: the bounds are integers.
	if fl.Cmp(lo) < 0 {
		return lo
	}
	if fl.Cmp(hi) > 0 {
		return hi
	}
	return fl
}

// referenceEnforce is ConvertToInt step 6 ([EnforceRange]): a TypeError for
// non-finite values and for integer parts outside the bounds; nil stands for
// the TypeError.
func referenceEnforce(x float64, bits uint, signed bool) *big.Int {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	i, _ := big.NewFloat(math.Trunc(x)).Int(nil)
	lo, hi := intBounds(bits, signed)
	if i.Cmp(lo) < 0 || i.Cmp(hi) > 0 {
		return nil
	}
	return i
}

// FuzzConvertToIntExtended checks every integer type under [Clamp] and
// [EnforceRange] against exact arithmetic, through the exported conversions.
func FuzzConvertToIntExtended(f *testing.F) {
	for _, x := range []float64{0, math.Copysign(0, -1), 0.5, 1.5, 2.5, -0.5, -1.5, 127.5, 128.5, -128.5, 255.5, 65535.4, 65535.5,
		4294967295.5, 1 << 53, 1<<53 + 2, -(1 << 53), 1e300, -1e300, math.Inf(1), math.Inf(-1), math.NaN(), 3999.6} {
		f.Add(x)
	}
	vm, r := newRealm(f)
	type conv struct {
		name   string
		bits   uint
		signed bool
		do     func(x float64, ext Ext) *big.Int
	}
	v := vm.ToValue
	convs := []conv{
		{"byte", 8, true, func(x float64, e Ext) *big.Int { return big.NewInt(int64(r.ToByte(v(x), e))) }},
		{"octet", 8, false, func(x float64, e Ext) *big.Int { return big.NewInt(int64(r.ToOctet(v(x), e))) }},
		{"short", 16, true, func(x float64, e Ext) *big.Int { return big.NewInt(int64(r.ToShort(v(x), e))) }},
		{"unsigned short", 16, false, func(x float64, e Ext) *big.Int { return big.NewInt(int64(r.ToUnsignedShort(v(x), e))) }},
		{"long", 32, true, func(x float64, e Ext) *big.Int { return big.NewInt(int64(r.ToLong(v(x), e))) }},
		{"unsigned long", 32, false, func(x float64, e Ext) *big.Int { return big.NewInt(int64(r.ToUnsignedLong(v(x), e))) }},
		{"long long", 64, true, func(x float64, e Ext) *big.Int { return big.NewInt(r.ToLongLong(v(x), e)) }},
		{"unsigned long long", 64, false, func(x float64, e Ext) *big.Int { return new(big.Int).SetUint64(r.ToUnsignedLongLong(v(x), e)) }},
	}
	f.Fuzz(func(t *testing.T, x float64) {
		for _, c := range convs {
			var got *big.Int
			if name := throws(vm, func() { got = c.do(x, Clamp) }); name != "" {
				t.Fatalf("[Clamp] %s of %v threw %s", c.name, x, name)
			}
			if want := referenceClamp(x, c.bits, c.signed); got.Cmp(want) != 0 {
				t.Fatalf("[Clamp] %s of %v = %v, want %v", c.name, x, got, want)
			}
			name := throws(vm, func() { got = c.do(x, EnforceRange) })
			want := referenceEnforce(x, c.bits, c.signed)
			switch {
			case want == nil && name != "TypeError":
				t.Fatalf("[EnforceRange] %s of %v: threw %q, want TypeError", c.name, x, name)
			case want != nil && name != "":
				t.Fatalf("[EnforceRange] %s of %v threw %s, want %v", c.name, x, name, want)
			case want != nil && got.Cmp(want) != 0:
				t.Fatalf("[EnforceRange] %s of %v = %v, want %v", c.name, x, got, want)
			}
		}
	})
}

// FuzzFloatConversions checks float and unrestricted float
// (https://webidl.spec.whatwg.org/#js-float,
// https://webidl.spec.whatwg.org/#js-unrestricted-float: round to the nearest
// single, ties to even, beyond the range an error or an infinity) against
// math/big's rounding, and double (https://webidl.spec.whatwg.org/#js-double)
// for exactness.
func FuzzFloatConversions(f *testing.F) {
	for _, x := range []float64{0, 1.1, 0x1.fffffefffffffp127, 0x1.ffffffp127, 3.5e38, 1e-46, 0x1p-149, 0x1.8p-150,
		math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(-1), math.NaN(), math.Copysign(0, -1)} {
		f.Add(x)
	}
	vm, r := newRealm(f)
	f.Fuzz(func(t *testing.T, x float64) {
		var want float32
		finite := !math.IsNaN(x) && !math.IsInf(x, 0)
		if finite {
			want, _ = new(big.Float).SetFloat64(x).Float32()
		}
		var got float32
		name := throws(vm, func() { got = r.ToFloat(vm.ToValue(x)) })
		switch {
		case !finite || math.IsInf(float64(want), 0):
			if name != "TypeError" {
				t.Fatalf("float of %v: threw %q, want TypeError", x, name)
			}
		case name != "":
			t.Fatalf("float of %v threw %s", x, name)
		case math.Float32bits(got) != math.Float32bits(want):
			t.Fatalf("float of %v = %v, want %v", x, got, want)
		}
		got = r.ToUnrestrictedFloat(vm.ToValue(x))
		switch {
		case math.IsNaN(x):
			if !math.IsNaN(float64(got)) {
				t.Fatalf("unrestricted float of NaN = %v", got)
			}
		case math.IsInf(x, 0):
			if float64(got) != x {
				t.Fatalf("unrestricted float of %v = %v", x, got)
			}
		case math.Float32bits(got) != math.Float32bits(want):
			t.Fatalf("unrestricted float of %v = %v, want %v", x, got, want)
		}
		var d float64
		name = throws(vm, func() { d = r.ToDouble(vm.ToValue(x)) })
		if finite != (name == "") || finite && math.Float64bits(d) != math.Float64bits(x) && !(x == 0 && d == 0) {
			t.Fatalf("double of %v = %v, threw %q", x, d, name)
		}
	})
}
