package builtins

import (
	"math/big"
	"testing"
)

// TestModPow2 checks BigInt.asIntN and asUintN's remainder against the
// spec's steps computed with 2^bits, over operands around the powers of two.
func TestModPow2(t *testing.T) {
	var xs []*big.Int
	for _, e := range []uint{0, 1, 7, 8, 63, 64, 65, 100} {
		p := new(big.Int).Lsh(big.NewInt(1), e)
		for _, d := range []int64{-1, 0, 1} {
			v := new(big.Int).Add(p, big.NewInt(d))
			xs = append(xs, v, new(big.Int).Neg(v))
		}
	}
	for _, x := range xs {
		for bits := uint64(0); bits <= 130; bits++ {
			two := new(big.Int).Lsh(big.NewInt(1), uint(bits))
			mod := new(big.Int).Mod(x, two) // Euclidean: non-negative
			signed := new(big.Int).Set(mod)
			if bits > 0 && mod.Cmp(new(big.Int).Rsh(two, 1)) >= 0 {
				signed.Sub(mod, two)
			}
			for _, c := range []struct {
				signed bool
				want   *big.Int
			}{{true, signed}, {false, mod}} {
				got, ok := modPow2(c.signed, bits, x)
				if !ok || got.Cmp(c.want) != 0 {
					t.Errorf("signed %v, bits %d, x %v: %v %v, want %v", c.signed, bits, x, got, ok, c.want)
				}
			}
		}
	}
}

// TestModPow2Huge checks that bits far past the operand's size cost nothing
// and that a result past maxBigIntBits is refused: goja's own made 2^bits,
// a fatal out-of-memory error for 2^40 bits.
func TestModPow2Huge(t *testing.T) {
	for _, c := range []struct {
		signed bool
		x      int64
		want   string // "" for refused
	}{
		{true, 5, "5"}, {true, -5, "-5"}, {false, 5, "5"}, {false, 0, "0"}, {false, -5, ""},
	} {
		got, ok := modPow2(c.signed, 1<<40, big.NewInt(c.x))
		if s := map[bool]string{true: got.String(), false: ""}[ok]; s != c.want {
			t.Errorf("signed %v, x %d: %q, want %q", c.signed, c.x, s, c.want)
		}
	}
}
