// Command demo is what `make demo` runs: it starts a WebSocket echo server in-process on
// loopback, then runs demo.ts with package runtime against it, the API base URL being
// the server's http: URL. The script opens a connection, sends and receives text and
// binary messages (as ArrayBuffer and Blob), watches bufferedAmount and closes with a
// code and reason; the command then prints what the server saw. It needs nothing but
// Go. An argument names another script to run instead of demo.ts.
//
// Usage:
//
//	go run ./examples/demo [script.ts]
package main
