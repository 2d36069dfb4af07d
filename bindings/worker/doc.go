// Package worker is the binding of workers: dedicated workers (Worker),
// shared workers (SharedWorker) and service workers
// (navigator.serviceWorker), with the global scope of each kind of realm
// (Window, DedicatedWorkerGlobalScope, SharedWorkerGlobalScope,
// ServiceWorkerGlobalScope and their WorkerGlobalScope, with importScripts)
// and the fetching of worker scripts.
//
// Where the global scope's members are follows Web IDL: Window and the
// worker global scopes are [Global] interfaces, whose regular attributes and
// operations are the global object's own properties; WorkerGlobalScope is
// not, so its members, and those of the WindowOrWorkerGlobalScope mixin it
// includes (setTimeout, performance, fetch... which other bindings define
// with webidl.Realm.DefineGlobalMembers), are on WorkerGlobalScope.prototype
// in a worker (webidl.Realm.GlobalMembersOn, asked for when the worker's
// runtime is configured).
//
// A worker is a runtime of its own, with its own realm and event loop, run
// by a goroutine of its own. This package does not make runtimes: the
// runtime that installs it does, through the Host interface, which it hands
// over in Options:
//
//	bindings.Configure(env, worker.Options{Host: host})
//	err := bindings.Install(env, worker.GlobalScope) // right after events
//	...
//	err = bindings.Install(env, worker.Binding) // after navigator
//
// Host.NewChild creates the runtime of a worker with the host's options and
// web APIs (this package's included), and returns it as a Child: its realm,
// its loop, a way to run a script in it and to close it. The worker's own
// options reach the child through ChildOptions: the kind of its global
// object, its API base URL, the function that queues a task on its loop and
// wakes it (its Env.QueueTask), and the function told of the exceptions its
// global scope does not handle, which HTML reports to the Worker object and
// on up the chain of owners as ErrorEvents; an ErrorReport says how such an
// exception is printed when it reaches a console (Host.Uncaught). The host
// also loads script files (Host.LoadFile: modules bundled, TypeScript
// compiled) and compiles fetched classic scripts (Host.CompileClassic), so
// that workers load scripts as the runtime does.
//
// Options.MaxWorkers and MaxDepth bound the workers a script can make the
// host run: how many run at once under one top-level runtime, counted
// across the whole tree of workers under it, and how deep they nest
// (limits.go). Terminating a worker interrupts the scripts of all the
// workers under it at once.
//
// The runtime calls Shutdown when it is closed, which terminates the
// workers its scripts started, and StartClientMessages once it has run a
// script, which stands for DOMContentLoaded for the messages of service
// workers.
//
// Service workers are in this package too, since they are workers: they run
// on the same machinery (a worker's goroutine, loop and lifetime, its closing
// flag and task queue under its lock, the global scope family), differing in
// how their script is fetched (by the Update job) and where their errors go.
package worker
