package bindings

import (
	"errors"
	"io"
	"runtime"
)

// ErrMemory is the error of a Buffer that the memory budget has no room to
// grow.
var ErrMemory = errors.New("bindings: the memory budget is exhausted")

// A Buffer gathers bytes that arrive bit by bit, such as a response body, in
// memory charged to Budget: each time it grows, it reserves the new array
// before allocating it, and gives the old array's bytes back. The array it
// holds stays charged until Free, or until the garbage collector frees it
// once both the Buffer and the slices Bytes returned are dropped, so Bytes
// can be handed to an ArrayBuffer or a Blob as it is. The zero value, with a
// nil Budget, is an ordinary growing buffer. A Buffer is not safe for
// concurrent use.
type Buffer struct {
	Budget *Budget

	buf     []byte
	cleanup runtime.Cleanup // releases cap(buf) once its array is freed
}

// minGrowth is the smallest array a Buffer allocates.
const minGrowth = 512

// Grow makes room for n more bytes, and reports false, changing nothing, if
// the budget cannot hold the larger array: it asks for twice the present
// capacity, then for just what is needed. The bytes reserved are those the
// new array adds to the old one, which is garbage once copied.
func (b *Buffer) Grow(n int) bool {
	need := len(b.buf) + n
	if need <= cap(b.buf) {
		return true
	}
	size := max(2*cap(b.buf), need, minGrowth)
	if !b.Budget.Reserve(int64(size - cap(b.buf))) {
		size = need
		if !b.Budget.Reserve(int64(size - cap(b.buf))) {
			return false
		}
	}
	next := make([]byte, len(b.buf), size)
	copy(next, b.buf)
	if b.Budget != nil {
		b.cleanup.Stop()
		b.cleanup = runtime.AddCleanup(&next[:1][0], b.Budget.Release, int64(size))
	}
	b.buf = next
	return true
}

// Write appends p; it returns ErrMemory, appending nothing, if the buffer
// cannot grow enough.
func (b *Buffer) Write(p []byte) (int, error) {
	if !b.Grow(len(p)) {
		return 0, ErrMemory
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// ReadFrom appends what r gives until io.EOF, which it does not return; it
// stops with ErrMemory when the buffer cannot grow for more bytes.
func (b *Buffer) ReadFrom(r io.Reader) (int64, error) {
	var total int64
	var probe [1]byte
	for {
		full := len(b.buf) == cap(b.buf) && !b.Grow(minGrowth)
		room := b.buf[len(b.buf):cap(b.buf)]
		if full {
			room = probe[:] // only the end of r may still come
		}
		n, err := r.Read(room)
		if full && n > 0 {
			return total, ErrMemory
		}
		b.buf = b.buf[:len(b.buf)+n]
		total += int64(n)
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// Bytes returns the bytes gathered, which share the Buffer's array until it
// grows again: hand them over once they are complete, since growing gives
// the old array's charge back.
func (b *Buffer) Bytes() []byte { return b.buf }

// Len returns how many bytes were gathered.
func (b *Buffer) Len() int { return len(b.buf) }

// Reset empties the buffer, keeping its array, and its charge, for the
// bytes to come. The slices Bytes returned must no longer be used.
func (b *Buffer) Reset() { b.buf = b.buf[:0] }

// Free empties the buffer and gives back its array's bytes at once. The
// slices Bytes returned must no longer be used. (To let go of bytes still in
// use, drop the Buffer instead: they are given back once collected.)
func (b *Buffer) Free() {
	if b.Budget != nil && cap(b.buf) > 0 {
		b.cleanup.Stop()
		b.Budget.Release(int64(cap(b.buf)))
	}
	b.buf, b.cleanup = nil, runtime.Cleanup{}
}
