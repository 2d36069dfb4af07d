package builtins

import (
	"math"
	"testing"
)

func TestExactSum(t *testing.T) {
	max, tiny := math.MaxFloat64, math.SmallestNonzeroFloat64
	cases := []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{1e308, 1e308, -1e308}, 1e308},
		{[]float64{0.1, 0.2, 0.3}, 0.6}, // where adding in turn gives 0.6000000000000001
		{[]float64{1, 1e100, 1, -1e100}, 2},
		{[]float64{max, max}, math.Inf(1)},
		{[]float64{-max, -max}, math.Inf(-1)},
		{[]float64{tiny, tiny, -tiny}, tiny},
		{[]float64{max, math.Ldexp(1, 970), -math.Ldexp(1, 970)}, max},
		{[]float64{max, math.Ldexp(1, 969)}, max},
		{[]float64{max, math.Ldexp(1, 970)}, math.Inf(1)},                                // halfway to 2**1024: the tie goes to the even mantissa
		{[]float64{1, math.Ldexp(1, -53)}, 1},                                            // a tie rounds to even
		{[]float64{1, math.Ldexp(1, -53), math.Ldexp(1, -1074)}, 1 + math.Ldexp(1, -52)}, // past the tie
		{[]float64{5, -5}, 0},
	}
	for _, c := range cases {
		if got := exactSum(c.in); got != c.want || got == 0 && math.Signbit(got) {
			t.Errorf("exactSum(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestSumPrecise checks Math.sumPrecise as script sees it.
func TestSumPrecise(t *testing.T) {
	runCases(t, []scriptCase{
		{`Object.is(Math.sumPrecise([]), -0) && Object.is(Math.sumPrecise([-0, -0]), -0)`, "true"},
		{`[Math.sumPrecise([1e20, 0.1, -1e20]), Math.sumPrecise([Infinity, -Infinity]), Math.sumPrecise(new Set([1, 2]))].join()`, "0.1,NaN,3"},
		{`let closed = false; const it = { [Symbol.iterator]() { return { next: () => ({ value: "1", done: false }), return() { closed = true; return {} } } } }; try { Math.sumPrecise(it) } catch (e) { e.name + closed }`, "TypeErrortrue"},
		{`[Math.sumPrecise.length, Math.sumPrecise.name].join()`, "1,sumPrecise"},
	})
}
