// Package wstest is the server side of the WebSocket bindings' tests: it reads
// what a client sends, frame by frame or message by message, as a test server
// needs to check it. It is imported only by tests.
package wstest
