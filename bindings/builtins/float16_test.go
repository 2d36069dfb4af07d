package builtins

import (
	"math"
	"testing"
)

func TestF16Bits(t *testing.T) {
	cases := []struct {
		x    float64
		bits uint16
	}{
		{0, 0}, {math.Copysign(0, -1), 0x8000}, {1, 0x3c00}, {-2, 0xc000}, {65504, 0x7bff},
		{65520, 0x7c00}, // halfway to the next power: ties to even overflows to infinity
		{65519.99, 0x7bff}, {math.Inf(1), 0x7c00}, {math.Inf(-1), 0xfc00}, {math.NaN(), 0x7e00},
		{0.1, 0x2e66}, {1.0009765625, 0x3c01}, {1.00048828125, 0x3c00}, // tie to even
		{1.00146484375, 0x3c02}, // tie to even, rounding up
		{math.Ldexp(1, -14), 0x0400}, {math.Ldexp(1, -24), 0x0001}, {math.Ldexp(1, -25), 0},
		{math.Ldexp(1.5, -25), 0x0001}, {math.Ldexp(3, -25), 0x0002}, {math.Ldexp(1023, -24), 0x03ff},
		{math.Ldexp(1, -14) - math.Ldexp(1, -25), 0x0400}, // rounds up into the normals
		{1e-10, 0}, {-1e-10, 0x8000},
	}
	for _, c := range cases {
		if got := f16Bits(c.x); got != c.bits {
			t.Errorf("f16Bits(%v) = %#04x, want %#04x", c.x, got, c.bits)
		}
	}
	// Every finite binary16 value round-trips.
	for h := 0; h < 0x10000; h++ {
		v := f16Value(uint16(h))
		if math.IsNaN(v) {
			continue
		}
		if got := f16Bits(v); got != uint16(h) {
			t.Fatalf("round trip of %#04x (%v) gave %#04x", h, v, got)
		}
	}
}
