// Package runtime is the public embedding API of wsjs: it creates isolated JavaScript
// runtimes, each a goja interpreter driven by its own HTML event loop with the web APIs
// installed on its global object, loads JavaScript and TypeScript files (ES modules
// with the graph of modules and npm packages they import, linked and evaluated as
// ECMA-262 says, each module printed by esbuild with a source map so errors name the
// original files), runs them until nothing is left to do, and
// reports uncaught errors the way a browser or a command-line runtime does. Scripts may
// start dedicated workers (new Worker) and shared workers (new SharedWorker), each a
// runtime of its own on its own goroutine, and talk to them through messages and
// MessagePorts; a runtime whose BaseURL is a secure context may register service
// workers (navigator.serviceWorker), which are installed, activated and messaged as
// the Service Workers spec says but intercept no requests, since a runtime has no
// navigations and its fetches always go to the network.
//
// # Hosting scripts
//
// A host that runs the same script many times, such as a server with plugins,
// compiles it once with Compile (from a file, an fs.FS or memory) and hands the
// Script to any number of runtimes. Start evaluates it and keeps the runtime
// serving: Call calls the functions the entry module exports and awaits their
// promises; Options.Modules gives scripts Go modules to import as "host:name";
// Options.OnError hears of the errors of background work.
//
// # States of a Runtime
//
//   - New: made by New. Run, RunFile and RunScript each run a script until the
//     event loop is idle, one at a time; between runs the runtime is idle, and
//     Do runs its function at once. Start may be called once, here.
//   - Serving: from Start on. Start returns once the entry module has been
//     evaluated, top-level await included; the event loop then runs on a
//     goroutine of its own, idle or not, running Call and Do tasks, timers and
//     I/O. Uncaught errors are reported (Stderr, OnError) and never stop it.
//     Run, RunFile, RunScript and a second Start return ErrServing. If Start
//     fails (its context ends, or the entry throws), serving ends at once.
//   - Broken: a Go panic on the loop (*eventloop.PanicError), or an interrupt
//     that left goja unable to run promise jobs (eventloop.ErrStaleFrames),
//     leaves goja in a state nothing can vouch for: serving ends, and every
//     method but Close returns that error from then on. So does script that
//     did not stop within Limits.InterruptGrace of an interrupt, inside a
//     built-in computing in Go (ErrUnresponsive): the runtime is given up on.
//   - Closed: after Close, from any state. Close interrupts script, waits for
//     the event loop's goroutine and the workers' to return (for
//     Limits.InterruptGrace at most), and releases what web APIs hold; every
//     method returns ErrClosed, Call included, also the calls waiting when
//     Close was called.
package runtime
