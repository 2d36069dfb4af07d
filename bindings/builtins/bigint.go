package builtins

import (
	"math/big"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// goja's BigInt.asIntN and asUintN take the remainder modulo 2^bits by
// making 2^bits: BigInt.asUintN(2**40, 5n) asked Go for 128 GiB, a fatal
// out-of-memory error that ends the process, and more bits than a Go slice
// holds made it panic. They are replaced by ones that make nothing larger
// than their operand or their result, and a result is at most V8's largest
// BigInt, 2^30 bits: past it, V8's RangeError.

// maxBigIntBits is V8's limit on the size of a BigInt (BigInt::kMaxLengthBits).
const maxBigIntBits = 1 << 30

// installBigInt replaces BigInt.asIntN and BigInt.asUintN.
func installBigInt(realm *webidl.Realm) error {
	vm := realm.VM()
	es, err := abstractOps(realm)
	if err != nil {
		return err
	}
	toIndex, _ := goja.AssertFunction(es.(*goja.Object).Get("toIndex"))
	toBigInt, _ := goja.AssertFunction(es.(*goja.Object).Get("toBigInt"))
	ctor := webidl.Intrinsics{VM: vm}.Object("BigInt")
	for _, m := range []struct {
		name   string
		signed bool
	}{{"asIntN", true}, {"asUintN", false}} {
		name, signed := m.name, m.signed
		f := webidl.NewFunction(vm, name, 2, func(call goja.FunctionCall) goja.Value {
			// https://tc39.es/ecma262/#sec-bigint.asintn steps 1-2, and
			// https://tc39.es/ecma262/#sec-bigint.asuintn steps 1-2.
			bits, err := toIndex(goja.Undefined(), call.Argument(0), vm.ToValue("Invalid value: not (convertible to) a safe integer"))
			if err != nil {
				panic(err)
			}
			x, err := toBigInt(goja.Undefined(), call.Argument(1))
			if err != nil {
				panic(err)
			}
			r, ok := modPow2(signed, uint64(bits.ToInteger()), x.Export().(*big.Int))
			if !ok {
				panic(realm.NewRangeError("Maximum BigInt size exceeded"))
			}
			return vm.ToValue(r)
		})
		if err := ctor.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// modPow2 is the rest of BigInt.asIntN (signed) or asUintN: x modulo
// 2^bits, less 2^bits if signed and that is 2^(bits-1) or more. It is false
// where the result would be larger than maxBigIntBits.
func modPow2(signed bool, bits uint64, x *big.Int) (*big.Int, bool) {
	n := uint64(x.BitLen()) // of |x|
	switch {
	case bits == 0:
		return new(big.Int), true
	case signed && n < bits, !signed && x.Sign() >= 0 && n <= bits:
		return x, true // x is its own remainder
	case bits > maxBigIntBits && bits > n:
		// Only a negative x is left, whose unsigned remainder has bits bits.
		return nil, false
	}
	// bits is at most n+1 or the limit: 2^bits is no larger than that.
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(bits)), big.NewInt(1))
	r := new(big.Int).And(x, mask) // two's complement: the non-negative remainder
	if signed && r.Bit(int(bits-1)) == 1 {
		r.Sub(r, new(big.Int).Add(mask, big.NewInt(1)))
	}
	return r, true
}
