package structuredclone

import (
	"unsafe"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// What a serialized message costs the memory budget (bindings.Budget) while
// it waits to be deserialized: its records, their properties and entries,
// and its strings, one byte a code unit for those goja holds as ASCII, two
// for UTF-16 ones, as if each were copied (a string the sender keeps is
// shared, not copied, but the message keeps it alive). The bytes of
// ArrayBuffers are not counted: a copy is charged when it is made
// (builtins.CopyBytes), and a transferred buffer's bytes stay charged as
// they were. Each message counts messageOverhead more, for what holds it
// (the Serialized, its place in a queue, the task that delivers it), so
// that a flood of empty messages is bounded too.
const (
	messageOverhead = 256
	recordSize      = int64(unsafe.Sizeof(record{}))
	propertySize    = int64(unsafe.Sizeof(property{}))
	entrySize       = int64(unsafe.Sizeof(entry{}))
	// checkEvery is how many bytes a message may grow by between two
	// looks at the budget while it is serialized, so that a message too
	// large fails before all of it is serialized.
	checkEvery = 1 << 20
)

// stringSize is what the string v counts, or 0 if v is not a string.
func stringSize(v goja.Value) int64 {
	s, ok := v.(goja.String)
	if !ok || s == nil {
		return 0
	}
	n := int64(s.Length())
	if _, ascii := webidl.ASCII(s); !ascii {
		n *= 2 // UTF-16
	}
	return n
}

// count adds n bytes to the message being serialized; once it has grown by
// checkEvery since the budget was last looked at, it throws the
// "DataCloneError" of a message the budget has no room for if that is so.
func (s *serializer) count(n int64) {
	s.size += n
	if s.budget != nil && s.size >= s.checkAt {
		if !s.budget.Fits(s.size) {
			s.outOfMemory()
		}
		s.checkAt = s.size + checkEvery
	}
}

// outOfMemory throws V8's "DataCloneError" for a message that cannot be
// held.
func (s *serializer) outOfMemory() {
	s.c.realm.ThrowDOMException("DataCloneError", failed(s.op)+"Data cannot be cloned, out of memory.")
}
