package runtime

import "github.com/wsjs/wsjs/bindings"

// Limits bound the resources a runtime's scripts can make the host hold, so
// that a script cannot take the process down by asking for too much. In each
// field, zero means the default given and a negative value lifts the bound.
// Sockets have their own limits, in Options.WebSocket.
//
// What one process cannot bound: the memory of ordinary objects, arrays and
// strings a script builds up bit by bit (goja's heap is the process's; string
// concatenation included), and the CPU it uses before its deadline. Run scripts that may be hostile in a
// separate process, with operating system limits, when that matters.
type Limits struct {
	// Workers bounds the workers (dedicated, shared and service) that a
	// top-level runtime and all the workers under it run at once; beyond it,
	// the Worker and SharedWorker constructors throw a "QuotaExceededError"
	// DOMException, and a service worker's register() or update() rejects
	// with a TypeError (Run Service Worker fails). Default 64.
	Workers int
	// WorkerDepth bounds how deep workers nest: a worker started by a worker
	// is at depth 2; beyond it, the constructors throw as for Workers.
	// Default 8.
	WorkerDepth int
	// Timers bounds the timers (setTimeout, setInterval) pending in one
	// runtime; beyond it, setTimeout and setInterval throw a RangeError.
	// Default 100,000.
	Timers int
	// ArrayBufferBytes bounds the size of one ArrayBuffer or typed array a
	// script creates: a larger one is a RangeError, as V8 gives when an
	// allocation fails, instead of an allocation the process cannot survive.
	// It is checked where the size is known before anything is read twice: a
	// length, a typed array source, an array-like whose length is a data
	// property; not an iterable (see bindings/builtins). Default 2 GiB.
	ArrayBufferBytes int64
	// StringLength bounds, in UTF-16 code units, the strings that
	// String.prototype.repeat, padStart, padEnd and concat build, and the
	// separators of Array.prototype.join: a longer one is a RangeError
	// "Invalid string length". Concatenation (+, template literals) is not
	// bounded: goja gives no way to, and a script that doubles a string
	// until its deadline overruns it by the last copy (a second or more
	// past 2**28 units), or with a long deadline makes strings of
	// gigabytes. Default V8's limit, 2**29 - 24.
	StringLength int
	// MemoryBytes bounds the bytes that a top-level runtime and all the
	// workers under it hold at once for their scripts outside script's own
	// heap. Beyond it, what would allocate fails as the web API says a
	// failed allocation, or a failed read, fails:
	//   - ArrayBuffers, SharedArrayBuffers (counted once however many
	//     workers share one), typed arrays' buffers, and the ArrayBuffers
	//     and typed arrays web APIs make (TextEncoder.encode, Blob's and
	//     Body's arrayBuffer() and bytes(), stream chunks, the copies
	//     structured clone makes): a RangeError "Array buffer allocation
	//     failed", or a promise rejected with it, or a stream errored with
	//     it. ArrayBuffer's transfer moves the bytes where it can, so that
	//     they count once.
	//   - Blobs and Files their constructors make: a RangeError "Blob
	//     allocation failed".
	//   - The results of FileReader's reads: the ArrayBuffer, or room for
	//     the string while it is made (an error event whose error is a
	//     "NotReadableError" DOMException), and FileReaderSync's (a
	//     RangeError, as for ArrayBuffers and text()).
	//   - Messages waiting for a worker, a MessagePort or a service worker,
	//     counted by the size of their serialized form (strings, objects,
	//     properties) until delivered or dropped: postMessage throws a
	//     "DataCloneError" DOMException "Data cannot be cloned, out of
	//     memory.", as V8 does.
	//   - WebSocket and WebSocketStream messages while they are received and
	//     wait for script (a message beyond fails the connection with close
	//     code 1009: script sees error, then close with 1006), binary ones
	//     until collected, and what send() and writes queue until written
	//     (beyond: the connection closes as one whose send buffer is full).
	//   - Response bodies that fetch() and XMLHttpRequest read whole (a body
	//     beyond is a network error), and the bodies Request and Response
	//     make of strings and buffers (a RangeError). The strings text() and
	//     json() make need room while decoded ("Invalid string length").
	// Bytes are credited back once they are delivered, dropped, or, for
	// buffers, once the garbage collector frees them, so a script that drops
	// buffers and at once asks for more can meet the bound before a
	// collection. A buffer made resizable or growable counts at its maximum
	// byte length, which it is allocated at; buffers under 16 bytes are not
	// counted. It does not cover the rest of the script's heap (objects,
	// strings), including what messages and events become once delivered.
	// Default 4 GiB (twice the default ArrayBufferBytes, so that any one
	// buffer that bound allows fits with room to spare), or a quarter of
	// the memory the process may use (bindings.ProcessMemory: its
	// rlimits, its cgroup's limit, the machine's memory) if that is less.
	// Whatever the limits, the runtimes of a process together hold at
	// most half that memory in these bytes: beyond it, the same errors.
	MemoryBytes int64
}

// Defaults of Limits.
const (
	DefaultMaxWorkers       = 64
	DefaultMaxWorkerDepth   = 8
	DefaultMaxTimers        = 100_000
	DefaultArrayBufferBytes = 2 << 30
	DefaultStringLength     = 1<<29 - 24
	DefaultMemoryBytes      = 4 << 30
)

// limit returns v, or def when v is zero, or 0 (no bound) when v is negative.
func limit[T int | int64](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// defaultMemoryBytes is the default of Limits.MemoryBytes.
func defaultMemoryBytes() int64 {
	if m := bindings.ProcessMemory() / 4; m > 0 && m < DefaultMemoryBytes {
		return m
	}
	return DefaultMemoryBytes
}
