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
// length-prefixed JSON frames; the runtime's console output crosses the same
// pipe to Config.Stdout and Config.Stderr, and the functions of
// Config.Modules are served to the child's scripts over it.
//
// # What crosses the pipe
//
// Arguments and results cross as JSON, a subset of what the structured
// clone algorithm carries: null, booleans, numbers, strings, arrays and
// plain objects. undefined becomes null (nil); integral numbers come back as
// int64, as goja exports them, and others as float64; NaN, the infinities
// and functions are errors; Dates, Maps, Sets, typed arrays and cycles are
// not preserved. Go arguments are what encoding/json makes of them. Errors
// keep their types: an exception is a *runtime.Error with its stack mapped
// to the original sources, a script that does not load a *runtime.LoadError,
// and runtime.ErrNotFunction, runtime.ErrClosed and context errors are
// wrapped as in process. A script is given by path or source: an fs.FS
// cannot cross to another process.
//
// # Limits and failures
//
// On Linux and macOS the child bounds itself with rlimits. Config.MemoryLimit
// is its memory: on Linux RLIMIT_DATA, which counts the private writable
// mappings (the memory a Go process uses, not the address space it only
// reserves), on macOS RLIMIT_AS, the address space, which a Go process
// reserves well beyond its heap; Go's soft memory limit is set at half of
// it, so that the collector works harder before an allocation fails. On
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
// A call out of process adds to the call in process two JSON encodings and
// two pipe writes, each waking a goroutine on the other side. BenchmarkCall
// measures both in the same run: on a loaded two-core linux/amd64 machine,
// calling a small function took 5 µs in process and 130 µs out of process
// (about 25 times as long), or 85 µs each with calls in parallel;
// BenchmarkStart puts starting and closing a child at 25 ms.
package subprocess
