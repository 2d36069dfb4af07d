package structuredclone

import (
	"slices"

	"github.com/wsjs/wsjs/bindings"
)

// Copy returns a message that deserializes to what s does, charged to b
// (nil for no budget) rather than to the budget s is charged to: one message
// for each of several receivers, as BroadcastChannel's postMessage
// deserializes its one serialization once per destination
// (https://html.spec.whatwg.org/multipage/web-messaging.html#dom-broadcastchannel-postmessage).
// The bytes of ArrayBuffers are copied, since deserializing hands them to the
// new buffer; everything else is shared, nothing deserializing changes. ok is
// false, and nothing is charged, if b has no room for the copy.
//
// s must be a message serialized without a transfer list and not yet
// deserialized or discarded; Copy may be called from any goroutine.
func (s *Serialized) Copy(b *bindings.Budget) (out *Serialized, ok bool) {
	if len(s.holders) > 0 {
		panic("structuredclone: Copy of a message that transfers values")
	}
	var bytes int64
	walk(s.v, map[*record]bool{}, func(r *record) { bytes += blockSize(r) })
	if !b.Reserve(s.size + bytes) {
		return nil, false
	}
	out = &Serialized{size: s.size, budget: b}
	out.v = copyValue(s.v, make(map[*record]*record), b)
	return out, true
}

// blockSize is the size of the block r's bytes make: a resizable buffer's
// maxByteLength, or their length.
func blockSize(r *record) int64 {
	if r.resizable {
		return r.maxByteLength
	}
	return int64(len(r.data))
}

// walk calls f once for each record v refers to, itself included.
func walk(v value, seen map[*record]bool, f func(*record)) {
	r := v.ref
	if r == nil || seen[r] {
		return
	}
	seen[r] = true
	f(r)
	if r.buffer != nil {
		walk(value{ref: r.buffer}, seen, f)
	}
	if r.cause != nil {
		walk(*r.cause, seen, f)
	}
	for _, p := range r.properties {
		walk(p.value, seen, f)
	}
	for _, e := range r.entries {
		walk(e.key, seen, f)
		walk(e.value, seen, f)
	}
}

// copyValue copies the records of v that hold ArrayBuffer bytes, and those
// that refer to them, keeping shared references and cycles; bytes are
// charged to b, where they are reserved already.
func copyValue(v value, memory map[*record]*record, b *bindings.Budget) value {
	r := v.ref
	if r == nil {
		return v
	}
	if c, ok := memory[r]; ok {
		return value{ref: c}
	}
	c := new(record)
	*c = *r
	memory[r] = c
	if r.data != nil {
		// The copy's bytes are charged as the realm's ArrayBuffers are,
		// until the garbage collector frees them.
		// A resizable buffer's copy has the block it will be.
		size := blockSize(r)
		c.data = make([]byte, len(r.data), size)
		copy(c.data, r.data)
		bindings.AttachBytes(b, c.data[:size], size)
	}
	if r.buffer != nil {
		c.buffer = copyValue(value{ref: r.buffer}, memory, b).ref
	}
	if r.cause != nil {
		cause := copyValue(*r.cause, memory, b)
		c.cause = &cause
	}
	if r.properties != nil {
		c.properties = slices.Clone(r.properties)
		for i := range c.properties {
			c.properties[i].value = copyValue(c.properties[i].value, memory, b)
		}
	}
	if r.entries != nil {
		c.entries = slices.Clone(r.entries)
		for i := range c.entries {
			c.entries[i].key = copyValue(c.entries[i].key, memory, b)
			c.entries[i].value = copyValue(c.entries[i].value, memory, b)
		}
	}
	return value{ref: c}
}
