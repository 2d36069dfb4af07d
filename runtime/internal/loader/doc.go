// Package loader turns a script file or string into goja programs that any
// number of runtimes can run: a classic script, or an ES module with the
// graph of modules it imports.
//
// A plain .js script (or a RunScript name without extension) that goja
// parses as is runs unchanged as a classic script, like <script> in a page:
// sloppy mode, top-level declarations become globals. esbuild is not
// involved, so start-up stays fast. If the only syntax goja lacks in it is
// import(), the calls are rewritten into calls of a function the runtime
// defines (classicimport.go), still without esbuild.
//
// Anything else (ES module syntax, top-level await, TypeScript, JSX, .mjs
// and .cjs files, or syntax goja lacks) goes through esbuild, in one of two
// ways:
//
//   - With Config.Module (the runtime's Compile, Run, RunFile and RunScript)
//     an entry with module syntax (import or export declarations, top-level
//     await, or a .mjs or .mts name) is loaded with the graph of modules it
//     imports (graph.go): esbuild prints each module alone, its syntax
//     lowered (transform.go), and resolves its imports as a bundler for
//     the web does (the "browser" field and condition first, then
//     "module"/"import", then "main"/"default"); the loader finds its
//     import and export declarations, import() calls and import.meta
//     (scan.go, esmsyntax.go) and compiles it into a module function
//     (esm.go) that the runtime's linker (package linker) links and
//     evaluates as ECMA-262 says. A module that is CommonJS code is
//     bundled by esbuild with what it requires, into a module whose
//     default export is its module.exports. JSON files (and imports with
//     type "json"), text and bytes modules (type "text", "bytes") and the
//     "host:" modules the host provides are modules of their own. Import
//     errors that depend only on the graph (an import that does not
//     resolve, names what its module does not export or more than one
//     thing, an import attribute other than type) are load errors; import()
//     loads more of the graph as the script runs, and rejects instead.
//     An entry with neither imports nor exports is only transformed,
//     keeping classic script semantics; a CommonJS entry is bundled, and
//     its program evaluates to the entry function, which returns its
//     module.exports. An entry is CommonJS by its name (.cjs, .cts) or
//     because it uses module, exports or require; esbuild's other reason,
//     a return outside any function, is a syntax error in a script
//     (cjsentry.go).
//   - Without it (the scripts of workers), everything is bundled into one
//     classic script in IIFE format. If the entry is an ES module the
//     script is compiled in strict mode, as module code is; esbuild
//     refuses top-level await with the IIFE format, so an entry that uses
//     it is bundled as an ES module whose body is wrapped in an async arrow
//     function, whose promise is watched. A bundle resolves import()
//     statically; one whose specifier does not resolve, or whose module
//     fails to build, rejects when it runs, as in browsers (dynimport.go),
//     and one whose specifier is not a string literal fails at run time.
//
// Only what goja lacks is lowered. TestGojaFeatures probes the goja in go.mod for every
// syntax feature esbuild can lower and checks it against gojaUnsupported. Findings:
// goja supports classes with fields, private members and static blocks, async/await,
// generators, optional chaining, nullish coalescing and logical assignment, `**`,
// object rest/spread, BigInt, numeric separators, optional catch binding, hashbangs and
// the RegExp s/y/u flags, named groups and lookbehind. It lacks async generators and
// for await (esbuild lowers both onto generators, and asyncgen.go puts the realm's
// async generator objects and intrinsics in place of esbuild's helpers), `using` declarations, decorators,
// import() and import.meta (see above), top-level await (handled as above) and the
// RegExp d and v flags and \p{...} property escapes: esbuild turns such literals into
// RegExp constructor calls, which the RegExp of bindings/builtins parses and runs.
//
// Every regular expression literal is checked when the script is parsed, with package
// jsregexp, the RegExp constructor's own reading (regexps.go): one with an early error
// fails the load as a syntax error at the literal, even where it is never evaluated. A
// valid literal that goja's own engines reject (modifiers, a name used in two
// alternatives, the flags above in a script goja parses as is) becomes a RegExp
// constructor call in the compiled tree. In a bundle, esbuild drops module code that
// nothing uses before goja sees it; literals there are not checked. Code given to eval
// is parsed by goja alone: its literals are judged by goja's engines when it is
// compiled, and by jsregexp when first matched. The Function constructors check them
// first (bindings/builtins).
//
// An entry may also come from an fs.FS (NewFSSource): its relative imports
// are read from the same fs.FS and named by their paths in it; bare imports
// resolve on disk.
//
// Function.prototype.toString returns a function's source text as written: goja ends
// that of an arrow function whose concise body ends in parentheses too early, which
// arrowsource.go corrects after each parse, and in a script esbuild prints (bundled,
// transformed or lowered) sourcetext.go gives functions and classes their text in the
// original JavaScript sources, through the source map.
//
// Source maps are always generated (external, handed to goja's parser) so positions in
// stack traces name the original file, line and column; what the loader edits in
// esbuild's code (edits.go) moves the map's columns with it.
//
// goja's await reads the constructor of any object it awaits, and a throw there escapes
// the async function: every await is rewritten into an await of the realm's
// PromiseResolve of its operand (await.go, bindings/builtins). esbuild panics lowering an
// async generator whose parameters bind arguments: it is given them renamed
// (argsparam.go).
//
// Every program's direct eval calls are rewritten (bindings/directeval) before goja
// compiles it, for the eval of bindings/builtins, which prepares their source; a script
// that names the identifier the rewrite reserves does not load.
package loader
