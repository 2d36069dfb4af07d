package runtime

import (
	"time"

	"github.com/wsjs/wsjs/bindings"
)

// Limits bound the resources a runtime's scripts can make the host hold, so
// that a script cannot take the process down by asking for too much. In each
// field, zero means the default given and a negative value lifts the bound.
// Sockets have their own limits, in Options.WebSocket.
//
// What one process cannot bound exactly: the memory of ordinary objects,
// arrays and strings a script builds (goja's heap is the process's:
// HeapBytes bounds the whole of it, not one runtime's share), and the CPU it
// uses before its deadline. Run scripts that may be hostile in a separate
// process, with operating system limits, when that matters.
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
	// "Invalid string length". Concatenation (+, +=, template literals)
	// is not bounded by it: goja joins the strings in one Go call with no
	// hook, so a script can double a string past any length; HeapBytes
	// stops such a script once the heap it takes is over that bound.
	// Default V8's limit, 2**29 - 24.
	StringLength int
	// HeapBytes bounds the Go heap of the process while this runtime, or a
	// worker under it, runs script: when the live heap is over it, the
	// script running (the runtime's, the worker's) is interrupted and the
	// run, Do, Call or Start in progress returns ErrHeapExceeded (or an
	// error that wraps it), as it returns its context's error after a
	// deadline; a worker whose script
	// was interrupted ends. The runtime should then be closed.
	//
	// It is the process's heap, not the runtime's: a watchdog samples the
	// size of the heap's objects every few milliseconds while any runtime
	// with a bound runs a task (and not at all while none does). Objects
	// over a bound may be garbage: they count at once only when they grew
	// well past what the garbage collector allows garbage (its goal), as
	// a string doubling makes them grow; otherwise the live heap that a
	// collection measures decides, forcing one where needed (at most a
	// tenth of the time). The runtimes interrupted are those running
	// script at that moment, with a bound the live heap is over, whatever
	// allocated it: set the bound well above what the host itself holds,
	// ArrayBuffers and other memory of MemoryBytes included, which are on
	// the same heap. A script stops only between its instructions: a
	// string copy under way ends first. The built-ins that list an
	// object's own keys (Object.keys and the like), which make a key per
	// code unit of a string and per element of a typed array in one step,
	// ask first whether the live heap has room for the list, and end the
	// run the same way if not; so do String.prototype.split of a long
	// string and JSON.parse of a long array, as their results grow. Not bounded: an object spread or rest of a
	// string or String object ({...s}, const {...r} = s), which goja's
	// interpreter copies in one instruction that nothing of wsjs's runs in,
	// at a few hundred bytes of heap per code unit: a script that must not
	// be able to take more memory than the bound is run in a subprocess
	// (runtime/subprocess), whose memory limit the system enforces.
	//
	// Default a quarter of the memory the process may use
	// (bindings.ProcessMemory), as for MemoryBytes, or DefaultHeapBytes
	// where that is not known. The heap passes the bound before a script
	// that doubles a string stops: the copy of a string of n bytes holds
	// 3n while it runs, and is allowed to end. In tests the heap's objects
	// peaked at 1.8 times the bound in most runs, and at 3.5 when the
	// watchdog could only confirm the bound with a collection (which waits
	// for the copy under way to end, while the script begins the next): a
	// quarter keeps even that within the process's memory.
	//
	// New raises Go's limit on one goroutine's stack (debug.SetMaxStack),
	// for the whole process, to three times this bound when it is lower,
	// as far as Go allows (stacks of 1 GiB): goja follows a prototype
	// chain by recursion in Go, and a chain within the bound may need more
	// stack than Go's default allows, whose overflow ends the process (see
	// stack.go). Up to about 900 MB, no chain within the bound can; a
	// negative HeapBytes leaves the limit as it is.
	HeapBytes int64
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
	// InterruptGrace bounds how long a run, Do, Call, Start or Close waits
	// for script to stop once it has interrupted it (its context ended,
	// HeapBytes tripped, Close was called). Script stops within
	// milliseconds but inside a built-in that computes in Go, which sees no
	// interrupt until it returns (a product of BigInts of hundreds of
	// megabits, localeCompare of strings of tens of megabytes, a walk of a
	// prototype chain of millions of links, an object spread of a string
	// of millions of code units), or a host function that blocks. Past the grace the runtime is given up on: the call returns
	// an error that wraps both ErrUnresponsive and what interrupted it, and
	// every later one returns ErrUnresponsive; Close returns at once. The
	// goroutine left in the built-in ends when it returns, letting go of
	// what the runtime holds. Default 1 s; a negative value waits as long
	// as it takes.
	InterruptGrace time.Duration
}

// Defaults of Limits.
const (
	DefaultMaxWorkers       = 64
	DefaultMaxWorkerDepth   = 8
	DefaultMaxTimers        = 100_000
	DefaultArrayBufferBytes = 2 << 30
	DefaultStringLength     = 1<<29 - 24
	DefaultMemoryBytes      = 4 << 30
	DefaultHeapBytes        = 4 << 30
	DefaultInterruptGrace   = time.Second
)

// limit returns v, or def when v is zero, or 0 (no bound) when v is negative.
func limit[T ~int | ~int64](v, def T) T {
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

// defaultHeapBytes is the default of Limits.HeapBytes.
func defaultHeapBytes() int64 {
	if m := bindings.ProcessMemory() / 4; m > 0 {
		return m
	}
	return DefaultHeapBytes
}
