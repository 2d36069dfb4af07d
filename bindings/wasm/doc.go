// Package wasm gives a realm the WebAssembly namespace of the WebAssembly
// JavaScript Interface (https://webassembly.github.io/spec/js-api/):
// validate, compile and instantiate (and their streaming forms, over a
// fetch Response), and the Module, Instance, Memory,
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
// Left out, or short of the specification:
//   - compileStreaming and instantiateStreaming wait for the whole body
//     before they compile.
//   - funcref values other than null where they cross into script
//     (Table.prototype.get of a function, a function returning a funcref),
//     which wazero exposes no way to call; Table.prototype.set and grow
//     with a function; immutable externref globals other than null made
//     by script; globals of type v128.
//   - The object caches hold only what an instance imports: its export of
//     what it imported is the object it imported, but two instances'
//     exports of one memory (or table, global, function) defined in a
//     third are different objects.
//   - compile and instantiate compile before they return, on the event
//     loop, and settle their promise at once.
//   - The externref values script passes to wasm stay alive as long as the
//     realm; compiled code is not charged to the memory budget.
//
// An interrupted instance is closed (wazero closes what a context stops):
// its exports throw a RuntimeError from then on.
package wasm
