// Package bindings is the contract every web API binding under bindings/
// follows: one Register function of one signature, taking an *Env, and a
// Binding value that names it and the bindings it needs installed first.
//
// Install derives the order from those declarations, so a runtime (or a
// test) asks for the bindings it wants and gets their dependencies too:
//
//	env := bindings.NewEnv(realm, loop)
//	bindings.Configure(env, websocket.Options{MaxSockets: 8})
//	err := bindings.Install(env, websocket.Binding) // events, blob, url… first
//
// A binding knows nothing of the others but what it imports. What the host
// provides to every binding (the realm, its event loop, the kind of global
// object, output writers, state shared with workers) is in Env; what one
// binding alone is configured with is its own Options type, handed over
// with Configure and read with Config.
//
// A Budget, Cluster.Memory, bounds the bytes that the web APIs of a cluster
// hold for its scripts, reserved before they are allocated: bytes script
// holds (an ArrayBuffer's, a Blob's) are charged until the garbage collector
// frees them (Charge, Copy, or Reserve then Attach); bytes Go holds while
// they arrive gather in a Buffer; what waits in a queue (a message, a send
// not yet written) is reserved as it comes and released as it goes, and by
// the queue's owner when it goes away.
//
// # Installed on first use
//
// A runtime does not install its bindings when it is created: Defer has
// each installed (with what it needs) when script, or Go code, first touches
// a global property it defines, or does anything to the global object that
// could tell whether it is there (webidl's Realm.Defer and global.go say
// how), so that a runtime costs what its script uses. Which global
// properties each binding defines is learned once per process: the first
// runtime of each kind installs everything at once, on goja's own global
// object, and the second does too, learning; Prepare, before the first
// script, installs what cannot wait. For that, a binding:
//
//   - captures what it needs of the built-ins through webidl.Intrinsics
//     paths, and of other bindings through webidl.Realm.Member and
//     InterfaceObject, never by reading the global object or a prototype:
//     it may be installed after scripts have replaced or patched them;
//   - compiles its JavaScript helpers once per process (a goja.Program)
//     and passes them the built-ins they use rather than letting them read
//     globals;
//   - lists in Needs what it uses while installed, in Extends the bindings
//     whose interfaces it adds members to, and has a Key when an option or
//     the realm changes which global properties it defines;
//   - calls Require with its own Binding where package functions that other
//     bindings, or the host, call at run time look for its state;
//   - is Eager if it changes objects script reaches without naming a global
//     property: the prototypes of literals (String.prototype, Array.prototype,
//     RegExp.prototype, Function.prototype...), Object.prototype, Symbol. A
//     test in package runtime checks that no other binding does.
//
// The ECMAScript built-ins goja lacks (bindings/builtins) are such a binding:
// they patch String.prototype, RegExp and the like, and their JavaScript
// reads globals as it sets up, so they are Eager. A new built-in that only
// adds global properties (a constructor or a namespace), whose setup reads
// only webidl.Intrinsics, and that changes no object other than its own, can
// be deferred: give it a Binding of its own, not marked Eager, in the
// runtime's list of web APIs at the place its globals take in the global
// object's key order.
package bindings
