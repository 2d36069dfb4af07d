// Package subprocess runs a script in a child process: the out-of-process
// counterpart of runtime.Start and runtime.Runtime.Call, for scripts that may
// be hostile, where a crash, an endless allocation or a busy loop must not
// take the host down with it.
//
// The child is the host binary itself, re-executed: the host calls Main
// first thing in main, and Main serves the runtime in a process that Start
// started and returns at once anywhere else (Config.Command names another
// binary that calls Main). The child compiles the script, starts a runtime
// serving it, and answers calls over its standard input and output, in
// length-prefixed frames; the runtime's console output crosses the same
// pipe to Config.Stdout and Config.Stderr, and the functions of
// Config.Modules are served to the child's scripts over it.
//
// # What crosses the pipe
//
// Arguments and results cross as structured clones
// (https://html.spec.whatwg.org/multipage/structured-data.html#structured-serialize-internal),
// in the binary wire format of bindings/structuredclone, so that Call gives
// the Go results runtime.Runtime.Call gives in process for the same script,
// wherever structured cloning allows. Go arguments become what goja's
// ToValue would make of them in the child, but copied rather than wrapped
// (structuredclone.FromGo): nil is null, numbers, strings and booleans are
// primitives, a *big.Int a BigInt, slices Arrays, maps with string or
// integer keys and structs (their exported fields) Objects, a time.Time a
// Date, a []byte a Uint8Array; the same pointer, map or slice given twice is
// one object, cycles included. Script changes to them do not reach the host.
// Results come back as goja's Export makes them in process
// (structuredclone.ToGo): undefined and null are nil, numbers int64 or
// float64 as goja holds them (NaN, the infinities and -0 kept), a BigInt a
// *big.Int, an Object a map[string]any, an Array a []any (holes nil), a Map
// a [][2]any, a Set a []any, a Date a time.Time, a typed array a slice of
// its element type ([]float32 for a Float16Array), and Errors, RegExps and
// DataViews empty maps; shared references and cycles are kept (a Map in a
// cycle too, which goja's Export in process does not survive). One
// difference: an ArrayBuffer is a []byte, where in process it is a
// goja.ArrayBuffer. Arguments and results of Config.Modules cross the same
// way, the other way round.
//
// What cannot be cloned is a *structuredclone.DataCloneError naming it: a
// function, a symbol, a WeakMap, a promise or a platform object such as a
// Blob in a result (or in the arguments of a host module, thrown to script
// as a "DataCloneError" DOMException), or a Go function, channel or complex
// number in the arguments. Errors keep their types: an exception is a
// *runtime.Error with its stack mapped to the original sources, a script
// that does not load a *runtime.LoadError, and runtime.ErrNotFunction,
// runtime.ErrClosed and context errors are wrapped as in process. A script
// is given by path or source: an fs.FS cannot cross to another process.
//
// The host treats what the child sends as untrusted: a frame is at most 64
// MiB, a value decodes into at most eight times that, nests at most 100000
// levels deep and is checked throughout; a malformed value fails the call,
// and a malformed frame ends the child with an *ExitError saying why.
//
// # Limits and failures
//
// On Linux and macOS the child bounds itself with rlimits. Config.MemoryLimit
// is its memory: on Linux RLIMIT_DATA, which counts the private writable
// mappings (the memory a Go process uses, not the address space it only
// reserves), on macOS RLIMIT_AS, the address space, which a Go process
// reserves well beyond its heap; Go's soft memory limit is set at half of
// it, so that the collector works harder before an allocation fails; the
// child's runtime bounds its heap at a quarter of it (Limits.HeapBytes) unless
// Config.Limits says otherwise, so that a script growing the heap is
// interrupted, with runtime.ErrHeapExceeded, before the rlimit is met. On
// linux/amd64 a child compiling and serving a small script needs 128 MiB
// (96 MiB is too little); a binary built with the race detector needs far
// more. Config.CPUTime is its CPU time (RLIMIT_CPU),
// compiling included. Elsewhere only the soft memory limit applies.
//
// A child that ends while the host needs it (a Go crash, out of memory, out
// of CPU time, killed) fails every pending call and every later one with an
// *ExitError that says how it ended and holds the start and the end of its
// stderr (a Go crash report); Process.Err returns it and Process.Done is
// closed. A call whose context ends is interrupted in the child; if the
// child does not answer within Config.Grace it is killed, so that a call
// never hangs. An interrupt that leaves the child's runtime unusable
// (eventloop.ErrStaleFrames) ends the child too, and Process.Err says why.
// The host restarts a child by calling Start again.
//
// # Cost
//
// A call out of process adds to the call in process a structured clone of
// the arguments and one of the result, each encoded on one side and decoded
// on the other, and two pipe writes, each waking a goroutine on the other
// side. BenchmarkCall measures both in the same run: on a loaded two-core
// linux/amd64 machine (medians of five runs), calling a small function took
// 7 µs in process and 120 µs out of process (about 18 times as long), or
// 110 µs each with calls in parallel; BenchmarkStart puts starting and
// closing a child at 25 ms.
package subprocess
