package structuredclone

import (
	"reflect"
	"sync/atomic"

	"github.com/dop251/goja"
	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/webidl"
)

// Serialized is a value serialized by StructuredSerializeWithTransfer
// (https://html.spec.whatwg.org/multipage/structured-data.html#structuredserializewithtransfer),
// as postMessage() sends it: Go records holding nothing of the runtime that
// made them, so the value can be deserialized in another realm, on another
// goroutine. It is deserialized once.
//
// While it waits, it is charged to the memory budget of the realm that
// serialized it (size.go): Serialize reserves what it costs, and Deserialize
// or Discard gives it back. So a message must end in one of them, or in a
// Queue, which gives back the charge of the messages it still holds when it
// is garbage collected.
type Serialized struct {
	v       value
	holders []*record // [[TransferDataHolders]], in transfer list order
	used    atomic.Bool
	size    int64            // charged to budget until used
	budget  *bindings.Budget // nil if nothing is charged
}

// Serialize runs StructuredSerializeWithTransfer(v, transfer) in r, whose
// runtime must have had Register run: the ArrayBuffers in transfer are
// detached and their data moves with the result, as do the platform objects
// registered with RegisterTransferable. op names the operation in
// error messages, such as "postMessage".
//
// The message is charged to the memory budget of r's agent cluster until it
// is deserialized or discarded; if the budget has no room for it, Serialize
// throws a "DataCloneError" DOMException, as V8 does for a message it runs
// out of memory for, before any transferable is detached.
//
// Like the rest of the standard's algorithms it throws, the way goja native
// functions do: a "DataCloneError" DOMException for a value that cannot be
// cloned or a bad transfer list, or what a getter run while serializing
// throws. Call it from a native function or inside goja.Runtime.Try.
func Serialize(r *webidl.Realm, v goja.Value, transfer []*goja.Object, op string) *Serialized {
	c, ok := clonerOf(r)
	if !ok {
		r.ThrowTypeError("%sstructured cloning is not set up in this realm", failed(op))
	}
	// StructuredSerializeWithTransfer: memory starts with the transferables,
	// then the value is serialized, then the transferables are detached.
	s := &serializer{c: c, memory: make(map[*goja.Object]*record), op: op, budget: c.memory(), checkAt: checkEvery}
	t := s.prepare(transfer)
	out := &Serialized{v: s.serialize(v), holders: t.holders}
	s.count(messageOverhead)
	if !s.budget.Reserve(s.size) {
		s.outOfMemory()
	}
	out.size, out.budget = s.size, s.budget
	finished := false
	defer func() {
		if !finished {
			out.release()
		}
	}()
	t.finish(r)
	finished = true
	isolate(&out.v, make(map[*record]bool))
	return out
}

// release gives back what s is charged.
func (s *Serialized) release() {
	s.budget.Release(s.size)
}

// isolate replaces the strings in v that the runtime may still change with
// copies of their own. goja converts some strings to UTF-16 lazily, in place,
// so one the sender keeps using could change while another goroutine reads
// the message.
func isolate(v *value, seen map[*record]bool) {
	if v.ref == nil {
		v.prim = ownString(v.prim)
		return
	}
	r := v.ref
	if seen[r] {
		return
	}
	seen[r] = true
	r.prim, r.source, r.message, r.stack = ownString(r.prim), ownString(r.source), ownString(r.message), ownString(r.stack)
	if r.buffer != nil {
		isolate(&value{ref: r.buffer}, seen)
	}
	if r.cause != nil {
		isolate(r.cause, seen)
	}
	for i := range r.properties {
		r.properties[i].key = ownString(r.properties[i].key)
		isolate(&r.properties[i].value, seen)
	}
	for i := range r.entries {
		isolate(&r.entries[i].key, seen)
		isolate(&r.entries[i].value, seen)
	}
}

// ownString returns a string value nothing else refers to for a string that
// may change its representation, and v itself for any other value.
func ownString(v goja.Value) goja.Value {
	s, ok := v.(goja.String)
	if !ok || reflect.TypeOf(s).Kind() != reflect.Pointer {
		// Not a string, or one held in a Go string or slice: immutable.
		return v
	}
	n := s.Length()
	chars := make([]uint16, n)
	for i := range chars {
		chars[i] = s.CharAt(i)
	}
	return goja.StringFromUTF16(chars)
}

// Deserialize runs StructuredDeserializeWithTransfer(s, r)
// (https://html.spec.whatwg.org/multipage/structured-data.html#structureddeserializewithtransfer):
// it creates the value in r, whose runtime must have had Register run. The data
// of ArrayBuffers, transferred or copied, is handed to the new value without
// copying, so a second call throws. A platform object whose deserialization
// steps fail throws a "DataCloneError" DOMException, as a native function does;
// postMessage's receiver turns that into a messageerror event.
//
// s may have been serialized on another goroutine: it needs only to have been
// handed over with a happens-before edge (a channel, a queued task).
func (s *Serialized) Deserialize(r *webidl.Realm, op string) goja.Value {
	v, _ := s.DeserializeWithTransfer(r, op)
	return v
}
