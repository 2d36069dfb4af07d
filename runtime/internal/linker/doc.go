// Package linker links and evaluates, in one goja runtime, the ES modules
// the loader compiles (loader.Graph): the part of ECMA-262's module
// semantics that lives in a realm (https://tc39.es/ecma262/#sec-modules).
//
// A Linker is the runtime's module map: one record for each module, by the
// module's key (its resolved path), so that every static import and every
// import() of a module in a runtime get the same instance and namespace
// object. The entry of each script run is the exception: it is a new
// instance each time the script runs.
//
// Records follow Cyclic Module Records
// (https://tc39.es/ecma262/#sec-cyclic-module-records): Link is
// InnerModuleLinking with InitializeEnvironment, which calls the module's
// function (see loader's esm.go) and keeps the accessors of its bindings;
// Evaluate is InnerModuleEvaluation with the asynchronous evaluation of
// modules with top-level await, whose generators the linker drives as
// await would. Imported bindings are accessor properties of the module's
// import object, or read-only data properties once the binding they import
// has the value it keeps (loader.Stable); namespace objects are proxies
// that have the internal methods of module namespace exotic objects
// (https://tc39.es/ecma262/#sec-module-namespace-exotic-objects).
//
// import() calls a function of the linker: EvaluateImportCall
// (https://tc39.es/ecma262/#sec-evaluate-import-call), with the module that
// calls it as referrer, or, in a classic script, the script (found by the
// name of its program on the call stack). The Host loads the module graph
// off the event loop, then links and evaluates it on the loop.
//
// Module code differs from ECMA-262's in one way the linker leaves: at the
// top level of a module, arguments is the empty arguments object of the
// module's function rather than an unresolvable name.
package linker
