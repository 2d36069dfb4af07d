package transport

import (
	"math/bits"
	"sync"
)

// Buffers for outgoing frames come from pools by power-of-two size class, so
// that steady sending allocates nothing. Buffers above the largest class are
// allocated and left to the garbage collector.
const (
	minPoolShift = 8  // 256 B
	maxPoolShift = 21 // 2 MiB: a 1 MiB message and its header room
)

var bufPools [maxPoolShift - minPoolShift + 1]sync.Pool

func poolClass(n int) int {
	if n <= 1<<minPoolShift {
		return 0
	}
	return bits.Len(uint(n-1)) - minPoolShift
}

// getBuf returns a buffer of length n.
func getBuf(n int) *[]byte {
	c := poolClass(n)
	if c >= len(bufPools) {
		b := make([]byte, n)
		return &b
	}
	if v := bufPools[c].Get(); v != nil {
		b := v.(*[]byte)
		*b = (*b)[:n]
		return b
	}
	b := make([]byte, n, 1<<(c+minPoolShift))
	return &b
}

// putBuf gives a buffer obtained from getBuf back.
func putBuf(b *[]byte) {
	if b == nil {
		return
	}
	c := cap(*b)
	if c < 1<<minPoolShift || c&(c-1) != 0 {
		return
	}
	i := bits.Len(uint(c)) - 1 - minPoolShift
	if i >= len(bufPools) {
		return
	}
	bufPools[i].Put(b)
}
