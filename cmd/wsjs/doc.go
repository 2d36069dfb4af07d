// Command wsjs runs JavaScript and TypeScript files with the wsjs runtime: web APIs that
// follow the standards (timers, microtasks, console, WebSocket) on an HTML event loop,
// ES module imports and npm packages loaded on the fly, errors reported with the
// original file, line and column. Run "wsjs help" for usage.
package main
