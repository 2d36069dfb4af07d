// Package loader turns a script file or string into a goja program: a Script that any
// number of runtimes can run.
//
// A script is loaded in one of two ways:
//
//   - A plain .js script (or a RunScript name without extension) that goja parses as is
//     runs unchanged as a classic script, like <script> in a page: sloppy mode, top-level
//     declarations become globals. esbuild is not involved, so start-up stays fast.
//   - Anything else (ES module syntax, top-level await, TypeScript, JSX, .mjs and .cjs
//     files, or syntax goja lacks) goes through esbuild's bundler: imports of relative
//     files and of npm packages under node_modules are resolved as a bundler for the web
//     does (the "browser" field and condition first, then "module"/"import", then
//     "main"/"default") and everything becomes one classic script in IIFE format. If the
//     entry is an ES module the script is compiled in strict mode, as module code is.
//     An entry with neither imports nor exports is only transformed, keeping classic
//     script semantics.
//
// esbuild refuses top-level await with the IIFE format, so an entry that uses it is
// bundled as an ES module whose body is wrapped in an async arrow function; the promise
// it returns is watched and its rejection reported as an uncaught exception.
//
// Only what goja lacks is lowered. TestGojaFeatures probes the goja in go.mod for every
// syntax feature esbuild can lower and checks it against gojaUnsupported. Findings:
// goja supports classes with fields, private members and static blocks, async/await,
// generators, optional chaining, nullish coalescing and logical assignment, `**`,
// object rest/spread, BigInt, numeric separators, optional catch binding, hashbangs and
// the RegExp s/y/u flags, named groups and lookbehind. It lacks async generators and
// for await (esbuild lowers both onto generators), `using` declarations, decorators,
// import() and import.meta (a bundle resolves them statically; an import() whose
// specifier does not resolve, or whose module fails to build, rejects when it runs, as
// in browsers (dynimport.go), and one whose specifier is not a string literal fails at
// run time rather than at parse time), top-level await (handled as above) and the
// RegExp d and v flags and \p{...} property escapes: esbuild turns such literals into
// RegExp constructor calls, which the RegExp of bindings/builtins parses and runs. An
// early error in such a literal is thrown when the expression runs, not at parse time.
// goja parses other literals itself, named groups included, so a name used in two
// alternatives (ECMAScript 2025) needs the RegExp constructor.
//
// With Config.Module (the runtime's Compile, Run, RunFile and RunScript), a bundle
// keeps the entry's exports: esbuild binds them to a name (GlobalName) inside a
// function that the program evaluates to, the entry function; called with the
// lookup of host modules, it runs the bundle and returns the exports, or with
// top-level await a promise for them. Each import of a "host:" module becomes a
// small CommonJS module that asks that lookup for it. Workers' scripts are
// loaded without it, as classic scripts. An entry may also come from an fs.FS
// (NewFSSource): its relative imports are read from the same fs.FS and named by
// their paths in it; bare imports resolve on disk.
//
// Function.prototype.toString returns a function's source text as written: goja ends
// that of an arrow function whose concise body ends in parentheses too early, which
// arrowsource.go corrects after each parse, and in a script esbuild prints (bundled,
// transformed or lowered) sourcetext.go gives functions and classes their text in the
// original JavaScript sources, through the source map.
//
// Source maps are always generated (external, handed to goja's parser) so positions in
// stack traces name the original file, line and column.
//
// Every program's direct eval calls are rewritten (bindings/directeval) before goja
// compiles it, for the eval of bindings/builtins, which prepares their source; a script
// that names the identifier the rewrite reserves does not load.
package loader
