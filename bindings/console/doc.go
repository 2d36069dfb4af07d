// Package console implements the console namespace of the WHATWG Console
// Standard (https://console.spec.whatwg.org/) for a goja runtime: logging
// at levels that go to a standard output or standard error writer, the
// Formatter operation with the %s %d %i %f %o %O %c specifiers, counting,
// timing, indented groups, tables, stack traces, and a generic formatting of
// JavaScript values (objects, arrays, maps, sets, errors with their stack,
// cycles, functions, symbols, -0) that reads like the output of Node.js and
// Deno and never runs script code such as getters or proxy traps.
package console
