// Package builtins adds to each realm the ECMAScript built-ins that goja
// lacks, and bounds the sizes of those that allocate without bound, through
// goja's extension points (no fork of the engine). It installs itself like a
// web API binding, through the bindings contract, so every realm a runtime
// creates, workers' included, gets the same built-ins.
//
// Added: Float16Array, Math.f16round and DataView's float16 methods
// (ECMAScript 2025, https://tc39.es/ecma262/#sec-float16array, float16.go); resizable
// ArrayBuffers, transfer, transferToFixedLength and detached
// (https://tc39.es/ecma262/#sec-arraybuffer-objects, arraybuffer.go);
// SharedArrayBuffer (https://tc39.es/ecma262/#sec-sharedarraybuffer-objects,
// shared.go), whose memory structured clone shares with a runtime's workers;
// Atomics (https://tc39.es/ecma262/#sec-atomics-object, atomics.go and
// waiters.go); String.prototype.isWellFormed and toWellFormed (wellformed.go); Annex B's
// Object.prototype.__defineGetter__, __defineSetter__, __lookupGetter__ and
// __lookupSetter__ (annexb.go), String.prototype's HTML methods (html.go) and
// Date.prototype.getYear, setYear and toGMTString (date.go); the legacy
// static properties of RegExp ($1-$9, input, lastMatch...) with the
// restriction of RegExp.prototype.compile the legacy RegExp features
// proposal adds (regexp_legacy.go); WeakRef and FinalizationRegistry, whose
// targets the Go garbage collector really collects (weakref.go, registry.go),
// and symbols as WeakMap and WeakSet keys, with WeakMap's getOrInsert and
// getOrInsertComputed (weakcollection.go, symbolkeys.go);
// Iterator and the iterator helpers (https://tc39.es/ecma262/#sec-iterator-objects),
// with Iterator.concat, Iterator.zip and zipKeyed (iterator.go); explicit
// resource management: Symbol.dispose and asyncDispose, SuppressedError,
// DisposableStack and AsyncDisposableStack (disposable.go), which the using
// declarations esbuild lowers dispose through; Array.fromAsync, Map's
// getOrInsert and getOrInsertComputed, Promise.try, and Promise.allKeyed
// and allSettledKeyed (scripts.go); the intrinsics and objects of async generators, whose
// operations the loader puts in place of esbuild's helpers
// (asyncgenerator.go); Math.sumPrecise (sumprecise.go); RegExp.escape
// (regexpescape.go); and the source text JSON.parse gives its reviver
// (jsonsource.go). Those written in JavaScript (js/*.js) are compiled once
// per process; a realm makes the functions script can see when it starts,
// and what they share the first time one is called. The scripts that only
// add methods to built-ins script may never call (Array.fromAsync, Map's
// getOrInsert, Promise.try, Object.groupBy, Math.sumPrecise, Iterator.zip,
// the methods of Atomics...) are compiled and evaluated the first time one
// of their methods is called, through built-in functions of the same name
// and length defined in their place (lazyscripts.go), and so are the Set
// methods that take a set-like, which give goja's a record whose keys
// iterator checks its next method (js/setmethods.js); so are the steps
// js/arrays.js takes for long receivers, and those of the iterator helpers
// and of explicit resource management (js/iterator.steps.js,
// js/disposable.steps.js), whose objects a realm makes when it starts.
// goja's typed arrays and DataViews keep the length they are made with, so
// the views over a resizable or growable buffer, and every Float16Array, are
// made here instead (views.go): Proxies whose traps are the TypedArray
// exotic object's internal methods, which track the buffer's length and go
// out of bounds when it shrinks, as the spec says. The functions of
// %TypedArray%.prototype and DataView.prototype are replaced by ones that
// call goja's own for goja's views, which stay as fast as in goja but for
// that check, and take the spec's steps for these (typedarrays.go,
// js/typedarray.js, dataview.go).
//
// Replaced: RegExp (https://tc39.es/ecma262/#sec-regexp-regular-expression-objects).
// goja's lacks property escapes, the v and d flags, duplicate named groups
// and modifiers, panics on some patterns, and cannot be interrupted while it
// matches. The constructor here makes goja RegExp objects (the same
// prototype, instanceof and built-ins that ask), but parses each pattern
// itself, translates it into one regexp2 runs (package jsregexp, which the
// script loader also checks literals with), and matches it in
// exec (regexp.go, regexp_match.go) in attempts that stop when the script is
// interrupted. RegExp objects goja makes from literals are matched the same
// way. Symbol.match, replace, search and matchAll are goja's, which call
// exec as the spec says once exec is replaced, for a receiver whose exec is a
// callable data property; for any other they take the spec's steps in
// js/regexp.js, which fall back to the built-in exec where goja's called a
// missing one (regexp_symbols.go).
//
// Replaced because goja's could be made to panic in Go or to run without
// end: Object.prototype.toLocaleString (tolocalestring.go), String.raw
// (stringraw.go), the Set methods that take a set-like
// (js/setmethods.js), and BigInt.asIntN and asUintN, whose remainder goja
// took by making 2^bits, more memory than there is for bits of 2^40, and
// which now throw V8's RangeError for a result over 2^30 bits (bigint.go).
//
// Bounded, when Options say so: goja allocates an ArrayBuffer, a typed array
// or the result of String.prototype.repeat, padStart and padEnd at the size
// the script asks for, all at once. A size the machine cannot hold does not
// give a JavaScript error: the Go runtime ends the process with its fatal
// "out of memory", which no recover catches, so a host cannot protect itself
// from a script once the allocation starts. The replacements check the size
// first and throw the RangeError V8 throws when it cannot allocate:
//
//   - ArrayBuffer and every typed array constructor of goja's are replaced
//     by constructors script cannot tell from them: same name, length,
//     prototype object, [[Prototype]] and static properties, and new.target
//     passed on. Options.ArrayBufferBytes bounds the bytes one of them
//     allocates; sizes.go says which arguments it can check. Every
//     ArrayBuffer and SharedArrayBuffer this package allocates (Float16Array's
//     and the copies of its views included), resizes, grows or transfers
//     asks one allocator (buffers.go) for its bytes,
//     which charges them, and those goja allocates for ArrayBuffer and the
//     typed array constructors, to the memory budget of Env.Cluster
//     (bindings.Budget): beyond it, the same RangeError. A transfer that
//     fits the old buffer's block moves it instead (arraybuffer.go), so
//     that its bytes are not counted twice.
//   - String.prototype.repeat, padStart, padEnd and concat are replaced by
//     functions with the same name, length and attributes that take the
//     spec's steps as far as the result's length and throw "Invalid string
//     length" beyond Options.StringLength code units; strings.go says how.
//     Concatenation with + and template literals, which goja's interpreter
//     does, cannot be bounded from here; the runtime's heap bound
//     (runtime.Limits.HeapBytes) interrupts it instead.
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
// steps over long receivers run in script, js/arrays.js), flat, flatMap and
// join (flat.go, join.go, which take the spec's steps in Go), split and
// replaceAll (stringloops.go), normalize and toUpperCase (normalize.go,
// uppercase.go) of long strings, RegExp's exec as goja's Symbol.replace, match
// and matchAll call it in a loop (regexp.go), and the built-in iterators'
// next methods (iterators.go), whose loops in Go run no script, check for
// the runtime's interrupt as they go (interrupt.go). JSON.parse is this
// package's own parser (jsontext.go), which checks for the interrupt
// whatever the options say, keeps lone surrogates and reads numbers past
// float64's range as the spec does, where goja's did neither. map and sort
// no longer allocate a sparse array's length at once, and
// Function.prototype.apply, Reflect.apply and Reflect.construct throw V8's
// RangeError for more arguments than fit V8's stack instead of allocating
// them.
//
// Hooked: the hooks through which scripts the loader rewrote give function
// declarations in blocks Annex B's semantics (bindings/blockfunc) are
// installed in each realm.
//
// Safe to parse, when Options.DynamicFunctions says so: the Function
// constructors and eval rewrite the one escape goja's parser panics on and
// the HTML-like comments it does not know (functions.go, eval.go,
// escapes.go), check the regular expression literals of the source with the
// RegExp constructor's reading before goja compiles it, and turn a panic its
// parser still raises into a SyntaxError. eval is replaced, and goja's own
// kept for the direct eval calls that bindings/directeval rewrites, so that
// direct eval keeps its scope; a script must have them rewritten (the
// runtime's loader does) for its direct eval calls to be direct.
//
// The replacements keep ECMAScript's behaviour otherwise: each converts its
// arguments once, in the spec's order, and the package's tests run the
// test262 files of these built-ins with and without them.
package builtins
