// Package builtins adds to each realm the ECMAScript built-ins that goja
// lacks, and bounds the sizes of those that allocate without bound, through
// goja's extension points (no fork of the engine). It installs itself like a
// web API binding, through the bindings contract, so every realm a runtime
// creates, workers' included, gets the same built-ins.
//
// Added: Float16Array, Math.f16round and DataView's float16 methods
// (ECMAScript 2025, https://tc39.es/ecma262/#sec-float16array); resizable
// ArrayBuffers, transfer, transferToFixedLength and detached
// (https://tc39.es/ecma262/#sec-arraybuffer-objects, arraybuffer.go);
// SharedArrayBuffer (https://tc39.es/ecma262/#sec-sharedarraybuffer-objects,
// shared.go), whose memory structured clone shares with a runtime's workers;
// Atomics (https://tc39.es/ecma262/#sec-atomics-object, atomics.go and
// waiters.go); String.prototype.isWellFormed and toWellFormed (wellformed.go); Annex B's
// Object.prototype.__defineGetter__, __defineSetter__, __lookupGetter__ and
// __lookupSetter__ (annexb.go); WeakRef and FinalizationRegistry, whose
// targets the Go garbage collector really collects (weakref.go, registry.go).
// goja's typed arrays and DataViews keep the length they are made with, so a
// view over a resizable or growable buffer has the length the buffer had
// then: it does not track later resizes (arraybuffer.go says what follows).
//
// Replaced: RegExp (https://tc39.es/ecma262/#sec-regexp-regular-expression-objects).
// goja's lacks property escapes, the v and d flags, duplicate named groups
// and modifiers, panics on some patterns, and cannot be interrupted while it
// matches. The constructor here makes goja RegExp objects (the same
// prototype, instanceof and built-ins that ask), but parses each pattern
// itself, translates it into one regexp2 runs (regexp_syntax.go,
// regexp_class.go; Unicode data from regexp_unicode.gz), and matches it in
// exec (regexp.go, regexp_match.go) in attempts that stop when the script is
// interrupted. RegExp objects goja makes from literals are matched the same
// way. Symbol.match, replace, search and matchAll are goja's, which call
// exec as the spec says once exec is replaced.
//
// Bounded, when Options say so: goja allocates an ArrayBuffer, a typed array
// or the result of String.prototype.repeat, padStart and padEnd at the size
// the script asks for, all at once. A size the machine cannot hold does not
// give a JavaScript error: the Go runtime ends the process with its fatal
// "out of memory", which no recover catches, so a host cannot protect itself
// from a script once the allocation starts. The replacements check the size
// first and throw the RangeError V8 throws when it cannot allocate:
//
//   - ArrayBuffer and every typed array constructor (Float16Array included)
//     are replaced by constructors script cannot tell from them: same name,
//     length, prototype object, [[Prototype]] and static properties, and
//     new.target passed on. Options.ArrayBufferBytes bounds the bytes one
//     of them allocates; sizes.go says which arguments it can check. Every
//     ArrayBuffer and SharedArrayBuffer this package allocates, resizes,
//     grows or transfers asks one allocator (buffers.go) for its bytes,
//     which charges them, and those goja allocates for ArrayBuffer and the
//     typed array constructors, to the memory budget of Env.Cluster
//     (bindings.Budget): beyond it, the same RangeError.
//   - String.prototype.repeat, padStart, padEnd and concat are replaced by
//     functions with the same name, length and attributes that take the
//     spec's steps as far as the result's length and throw "Invalid string
//     length" beyond Options.StringLength code units; strings.go says how.
//     Concatenation with + and template literals, which goja's interpreter
//     does, cannot be bounded from here.
//
// Bounded in depth, when Options.NestingDepth says so: JSON.stringify,
// JSON.parse and Array.prototype.flat (json.go, flat.go), and with
// Options.JoinDepth Array.prototype.join (join.go), which goja runs as Go
// recursion, throw V8's RangeError "Maximum call stack size exceeded" past
// the depth instead of growing the Go stack, whose overflow is fatal; so do
// Proxy and Proxy.revocable rather than make a chain of proxies deeper
// (proxy.go), as goja follows one by recursion.
//
// Interruptible, when Options.Interruptible says so: indexOf, lastIndexOf and
// includes over long array-likes (arraylike.go), the other Array.prototype
// methods that loop over a length, and Array.from (arraymethods.go, whose
// steps over long receivers run in script, js/arrays.js), and the built-in
// iterators' next methods (iterators.go), whose loops in Go run no script,
// check for the runtime's interrupt as they go (interrupt.go). map and sort
// no longer allocate a sparse array's length at once, and
// Function.prototype.apply, Reflect.apply and Reflect.construct throw V8's
// RangeError for more arguments than fit V8's stack instead of allocating
// them.
//
// Safe to parse, when Options.DynamicFunctions says so: the Function
// constructors and eval rewrite the one escape goja's parser panics on
// (functions.go, eval.go, escapes.go), and a panic its parser still raises is
// a SyntaxError. eval is replaced, and goja's own kept for the direct eval
// calls that bindings/directeval rewrites, so that direct eval keeps its
// scope; a script must have them rewritten (the runtime's loader does) for
// its direct eval calls to be direct.
//
// The replacements keep ECMAScript's behaviour otherwise: each converts its
// arguments once, in the spec's order, and the package's tests run the
// test262 files of these built-ins with and without them.
package builtins
