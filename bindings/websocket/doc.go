// Package websocket binds the WHATWG WebSockets Standard's WebSocket interface
// to a webidl.Realm driven by an eventloop.Loop: the constructor's URL and
// subprotocol checks
// (https://websockets.spec.whatwg.org/#dom-websocket-websocket), the opening
// handshake and framing through package transport
// (https://websockets.spec.whatwg.org/#websocket-protocol, RFC 6455, RFC 7692),
// the events queued on the WebSocket task source
// (https://websockets.spec.whatwg.org/#feedback-from-the-protocol), send() with
// bufferedAmount, close(), and the lifetime rules of
// https://websockets.spec.whatwg.org/#garbage-collection.
//
// Embedders control where scripts may connect and with what limits through
// Options: extra headers, message and buffer limits, timeouts, a per-runtime
// socket cap, and the network.Policy shared with the other web APIs (dialer,
// TLS configuration, cookie jar, and a connection policy checked against the
// address actually dialed). Scripts never learn why a connection failed
// (https://websockets.spec.whatwg.org/#feedback-from-the-protocol); the Go side
// can log the cause through the policy's Log.
//
// What a socket holds for script is charged to the memory budget of the
// Env's Cluster (bindings.Budget), through transport.Config.Memory: a
// received message while it is assembled and while its task waits, then the
// bytes of the ArrayBuffer or Blob it becomes until they are collected (a
// string joins script's heap, which the budget does not cover), and what
// send() queues until it is written. A message the budget has no room for
// fails the connection with 1009 (RFC 6455 section 7.4.1,
// https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1): script sees error,
// then close with 1006. A send() it has no room for closes the connection as
// a full send buffer does.
package websocket
