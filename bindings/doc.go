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
package bindings
