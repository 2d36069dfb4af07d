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
package websocket
