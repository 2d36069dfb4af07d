// Package builtins adds to each realm the ECMAScript built-ins that goja
// lacks, through goja's extension points (no fork of the engine): today
// Float16Array, Math.f16round and DataView's float16 methods (ECMAScript
// 2025, https://tc39.es/ecma262/#sec-float16array). It installs itself like
// a web API binding, through the bindings contract, so every realm a
// runtime creates, workers' included, gets the same built-ins.
package builtins
