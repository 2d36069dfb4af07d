package transport

import (
	"errors"
	"fmt"
)

// Memory is what Config.Memory charges: a budget that bytes are reserved
// from before they are allocated, and given back to once they are freed.
// bindings.Budget is one. Its methods may be called from any goroutine.
type Memory interface {
	// Reserve takes n bytes, or reports false, taking nothing.
	Reserve(n int64) bool
	// Release gives back n bytes taken by Reserve.
	Release(n int64)
}

// errNoMemory is the cause of a connection failed because Config.Memory had
// no room for a message it was receiving.
var errNoMemory = errors.New("message exceeds the memory budget")

// errSendMemory is the cause of a connection closed because Config.Memory
// had no room for data given to Send.
var errSendMemory = fmt.Errorf("%w: the memory budget is exhausted", ErrBufferFull)

// The reading goroutine's buffers (a message being assembled, its compressed
// form, its decompressed form) are charged to Config.Memory for their
// capacity: rxHeld counts what is charged and not yet handed to the Handler,
// given back when the reading goroutine ends.

// rxGrow returns a buffer holding buf's bytes with capacity size, charged to
// Config.Memory before it is allocated, and gives back buf's charge; ok is
// false, and buf kept, if Memory has no room for it.
func (c *Conn) rxGrow(buf []byte, size int) (next []byte, ok bool) {
	if m := c.lim.memory; m != nil {
		if !m.Reserve(int64(size)) {
			return buf, false
		}
		c.rxHeld += int64(size)
	}
	next = make([]byte, len(buf), size)
	copy(next, buf)
	c.rxFree(buf)
	return next, true
}

// rxGrowMsg is rxGrow for the message being received, into a pooled buffer if
// pooled: one that a TextCopier's text is copied out of. The pooled buffer is
// sliced to capacity size, so that it is charged exactly as rxGrow's; the
// pooled buffer it replaces, if any, goes back to the pool.
//
// Binary messages and text for other Handlers are not assembled in pooled
// buffers: make bench's 1 MiB echo, whose messages come in 16 KiB fragments,
// ran at 0.64x the rate when they were (about 500 against 780 MB/s, three
// alternating runs), though BenchmarkEcho1MiB did not move.
func (c *Conn) rxGrowMsg(buf []byte, size int, pooled bool) (next []byte, ok bool) {
	if m := c.lim.memory; m != nil {
		if !m.Reserve(int64(size)) {
			return buf, false
		}
		c.rxHeld += int64(size)
	}
	var p *[]byte
	if pooled {
		p = getBuf(size)
		next = (*p)[:len(buf):size]
	} else {
		next = make([]byte, len(buf), size)
	}
	copy(next, buf)
	c.rxFree(buf)
	putBuf(c.rxPooled)
	c.rxPooled = p
	return next, true
}

// rxGrowInflated grows the output of the inflater, a whole message: pooled for a
// TextCopier's text.
func (c *Conn) rxGrowInflated(buf []byte, size int) ([]byte, bool) {
	return c.rxGrowMsg(buf, size, c.poolMsg)
}

// rxTrim returns the message msg, complete and not compressed, in a buffer
// of its own to hand to the Handler, charged for its capacity. A message in
// fragments may end
// well short of the capacity its buffer grew to (by 4 at each step): when
// more than an eighth of it would be unused, the bytes are copied to a buffer
// of their size and the charge shrinks to it.
func (c *Conn) rxTrim(msg []byte) []byte {
	if c.rxPooled != nil || cap(msg)-len(msg) <= len(msg)/8 {
		return msg
	}
	out := make([]byte, len(msg))
	copy(out, msg)
	if m := c.lim.memory; m != nil {
		m.Release(int64(cap(msg) - len(out)))
		c.rxHeld -= int64(cap(msg) - len(out))
	}
	return out
}

// rxRecycle puts the pooled buffer of a TextCopier's text message, delivered, back
// in the pool.
func (c *Conn) rxRecycle() {
	if c.rxPooled != nil {
		putBuf(c.rxPooled)
		c.rxPooled = nil
	}
}

// rxFree gives back the charge of a buffer that rxGrow returned, which the
// reading goroutine drops.
func (c *Conn) rxFree(buf []byte) {
	if m := c.lim.memory; m != nil && cap(buf) > 0 {
		m.Release(int64(cap(buf)))
		c.rxHeld -= int64(cap(buf))
	}
}

// rxHandOver stops counting buf, a message handed to the Handler with its
// charge.
func (c *Conn) rxHandOver(buf []byte) {
	if c.lim.memory != nil {
		c.rxHeld -= int64(cap(buf))
	}
}

// rxReleaseAll gives back whatever the reading goroutine still holds, when
// it ends.
func (c *Conn) rxReleaseAll() {
	if m := c.lim.memory; m != nil {
		m.Release(c.rxHeld)
		c.rxHeld = 0
	}
}
