// Package wasm gives a realm the WebAssembly namespace of the WebAssembly
// JavaScript Interface (https://webassembly.github.io/spec/js-api/):
// validate, compile and instantiate, and the Module, Instance, Memory,
// Table and Global interfaces with the CompileError, LinkError and
// RuntimeError errors. Modules are compiled and run by wazero, whose
// compiled code a process shares between its realms.
//
// What a script runs in WebAssembly is contained as its script is: a call
// stops where the realm's event loop is interrupted (a run's deadline,
// Close) with the error an interrupted script gives; linear memory is
// charged to the realm's memory budget, and memory.grow fails (returns -1)
// beyond it; a trap is a WebAssembly.RuntimeError, running out of stack a
// RangeError; no panic in wazero or in a function a module imports reaches
// the host.
//
// Left out: instantiateStreaming and compileStreaming; funcref values
// other than null where they cross into script (Table.prototype.get of a
// function, a function returning a funcref), which wazero exposes no way to
// call; Table.prototype.set and grow with a function; globals of type v128.
// An interrupted instance is closed: its exports throw a RuntimeError from
// then on.
package wasm
