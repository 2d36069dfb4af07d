package builtins

import (
	_ "embed"
	"math"
	"math/big"
	"strconv"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// Math.sumPrecise returns the sum of its numbers as if computed exactly,
// rounded once (https://tc39.es/proposal-math-sum/#sec-math.sumprecise, step
// 12). js/sumprecise.js iterates; exactSum adds the finite values in fixed
// point: a float64 is an integer multiple of 2**-1074, so each value scaled
// by 2**1074 is an integer, and their sum a big.Int, which big.Float rounds
// to the nearest float64, ties to even, overflowing to an infinity.

//go:embed js/sumprecise.js
var sumPreciseSource string

// sumPreciseScript defines Math.sumPrecise, made on first call (see
// lazyscripts.go).
var sumPreciseScript = &lazyScript{
	program: compileOnce("sumprecise.js", sumPreciseSource),
	defines: []lazyDefine{
		{global("Math"), []lazyMethod{{"sumPrecise", 1}}},
	},
	intrinsics: []string{"Math"},
	args: func(realm *webidl.Realm) ([]goja.Value, error) {
		vm := realm.VM()
		return []goja.Value{vm.ToValue(func(c goja.FunctionCall) goja.Value {
			list := c.Argument(0).(*goja.Object)
			n := list.Get("length").ToInteger()
			values := make([]float64, n)
			for i := range values {
				values[i] = list.Get(strconv.Itoa(i)).ToFloat()
			}
			return vm.ToValue(exactSum(values))
		})}, nil
	},
}

// installSumPrecise defines Math.sumPrecise.
func installSumPrecise(realm *webidl.Realm) error {
	return sumPreciseScript.install(realm)
}

// exactSum returns the sum of the finite values, computed exactly and
// rounded to the nearest float64: +0 where it is zero.
func exactSum(values []float64) float64 {
	var sum, term big.Int
	for _, v := range values {
		// |v| = mant * 2**(exp-1074): a subnormal's biased exponent is 0,
		// and it has no implicit leading bit.
		bits := math.Float64bits(v)
		mant, exp := bits&(1<<52-1), int(bits>>52&0x7FF)
		if exp > 0 {
			mant |= 1 << 52
			exp--
		}
		term.SetUint64(mant)
		term.Lsh(&term, uint(exp))
		if bits>>63 != 0 {
			sum.Sub(&sum, &term)
		} else {
			sum.Add(&sum, &term)
		}
	}
	var f big.Float
	f.SetInt(&sum)
	f.SetMantExp(&f, -1074)
	r, _ := f.Float64()
	return r + 0 // +0 for a zero sum
}
