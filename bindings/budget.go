package bindings

import (
	"runtime"
	"sync/atomic"
)

// A Budget bounds the bytes that web APIs hold on scripts' behalf, such as
// the memory of ArrayBuffers and Blobs: each reserves what it allocates
// before it allocates it, and gives it back once the garbage collector has
// freed it. A nil *Budget bounds nothing. Its methods may be called from any
// goroutine. Every Budget draws on the process's too (see ProcessMemory):
// a reservation must fit both.
type Budget struct {
	limit int64 // 0 for no bound
	used  atomic.Int64
}

// NewBudget returns a Budget of limit bytes; zero or less means no bound,
// though what is reserved is still counted.
func NewBudget(limit int64) *Budget {
	return &Budget{limit: max(limit, 0)}
}

// Reserve takes n bytes from b, and reports false, taking nothing, if that
// would put b over its limit.
func (b *Budget) Reserve(n int64) bool {
	if b == nil || n <= 0 {
		return true
	}
	if p := processBudget(); b != p {
		if !p.Reserve(n) {
			return false
		}
		if !b.reserve(n) {
			p.Release(n)
			return false
		}
		return true
	}
	return b.reserve(n)
}

// reserve is Reserve of b alone.
func (b *Budget) reserve(n int64) bool {
	for {
		used := b.used.Load()
		if b.limit > 0 && (n > b.limit || used > b.limit-n) {
			return false
		}
		if b.used.CompareAndSwap(used, used+n) {
			return true
		}
	}
}

// Fits reports whether n bytes could be reserved now.
func (b *Budget) Fits(n int64) bool {
	return b.fits(n) && (b == nil || processBudget().fits(n))
}

func (b *Budget) fits(n int64) bool {
	return b == nil || b.limit == 0 || n <= b.limit-b.used.Load()
}

// Release gives back n bytes taken by Reserve.
func (b *Budget) Release(n int64) {
	if b != nil && n > 0 {
		b.used.Add(-n)
		if p := processBudget(); b != p {
			p.used.Add(-n)
		}
	}
}

// Used returns the bytes reserved and not yet released.
func (b *Budget) Used() int64 {
	if b == nil {
		return 0
	}
	return b.used.Load()
}

// Charge reserves n bytes of b for the memory at p, to be released when the
// garbage collector finds p unreachable, and reports false, reserving
// nothing, if b has not that much left. p must point to the start of an
// allocation of at least 16 bytes (smaller ones may share an allocation and
// never be released; Charge takes nothing for them), such as the first
// element of a slice fresh from make.
func Charge[T any](b *Budget, p *T, n int64) bool {
	if b == nil || n < tinySize {
		return true
	}
	if !b.Reserve(n) {
		return false
	}
	runtime.AddCleanup(p, b.Release, n)
	return true
}

// Attach hands n bytes already reserved from b over to the memory at p, as
// Charge would have charged them: they are released when the garbage
// collector finds p unreachable. It is for bytes reserved before they were
// allocated, or while Go code held them, that script now holds (a message's
// bytes become an ArrayBuffer's). p is as for Charge; an allocation under 16
// bytes gets its n bytes released at once.
func Attach[T any](b *Budget, p *T, n int64) {
	switch {
	case b == nil || n <= 0:
	case n < tinySize:
		b.Release(n)
	default:
		runtime.AddCleanup(p, b.Release, n)
	}
}

// AttachBytes is Attach for the array of data, a slice from the start of an
// allocation.
func AttachBytes(b *Budget, data []byte, n int64) {
	if cap(data) == 0 {
		b.Release(n)
		return
	}
	Attach(b, &data[:1][0], n)
}

// Copy returns a copy of p in memory charged to b, as Charge charges it,
// reserving the bytes before it allocates them; ok is false, and nothing is
// allocated, if b has not that much left. It is how a web API makes the
// bytes of a new ArrayBuffer or Blob out of bytes Go holds.
func Copy[S ~string | ~[]byte](b *Budget, p S) (out []byte, ok bool) {
	n := int64(len(p))
	if n >= tinySize && !b.Reserve(n) {
		return nil, false
	}
	out = make([]byte, n)
	copy(out, p)
	if n >= tinySize {
		AttachBytes(b, out, n)
	}
	return out, true
}

// AllocationFailed is the message of the RangeError that a web API throws,
// or rejects with, when the memory budget has no room for a new ArrayBuffer
// or typed array: V8's when an allocation fails.
const AllocationFailed = "Array buffer allocation failed"

// tinySize is the size below which the Go runtime may put several
// allocations in one block, which a cleanup cannot follow.
const tinySize = 16

// Memory returns the budget of e's cluster, or nil where it has none.
func (e *Env) Memory() *Budget {
	if e.Cluster == nil {
		return nil
	}
	return e.Cluster.Memory
}
