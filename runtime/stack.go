package runtime

import (
	"runtime/debug"
	"strconv"
	"sync"
)

// goja follows a prototype chain by recursion in Go: reading, setting or
// testing a property that no link holds takes a Go frame or two per link
// (bindings/builtins bounds what it can, Proxy chains; the links that
// Object.create, `new F` after `F.prototype = o` and class heritage make give
// no hook). Go ends the process, with no recover possible, when a
// goroutine's stack would pass debug.SetMaxStack's limit, 1e9 bytes by
// default on 64-bit systems; stacks grow by doubling, so the largest is 512
// MiB, which setting a property through 2.5 million links needs (460 MB of
// heap: a plain object takes 184 bytes of heap, a link of that walk 215 bytes
// of stack, measured with goja 2026-09-17).
//
// A chain must stay within Limits.HeapBytes, so New raises the limit to what
// a chain of that many bytes needs, stackPerHeap times the bound (room for
// the doubling), as far as Go allows: twice its default, so stacks of 1 GiB,
// five million links, 920 MB of heap. A bound above that leaves a longer
// chain able to end the process.
const stackPerHeap = 3

// stackCeiling is the most debug.SetMaxStack gives: Go refuses stacks over
// twice its default limit, 1e9 bytes on 64-bit systems, 250e6 on others.
const stackCeiling = 2 * (250e6 + 750e6*(strconv.IntSize/64))

// maxStack is the stack limit New last set, or 0.
var maxStack struct {
	sync.Mutex
	set int64
}

// raiseMaxStack raises Go's limit on one goroutine's stack, for the whole
// process, to stackPerHeap times heapBound, or stackCeiling if less, when it
// is lower; it never lowers it. A bound of 0 (HeapBytes lifted) changes
// nothing.
func raiseMaxStack(heapBound int64) {
	want := min(stackPerHeap*heapBound, stackCeiling)
	maxStack.Lock()
	defer maxStack.Unlock()
	if heapBound <= 0 || want <= maxStack.set {
		return
	}
	if prev := int64(debug.SetMaxStack(int(want))); prev > want {
		debug.SetMaxStack(int(prev)) // the host's is higher
		want = prev
	}
	maxStack.set = want
}
