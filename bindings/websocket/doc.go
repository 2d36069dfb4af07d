// Package websocket binds the WHATWG WebSockets Standard's WebSocket interface to a
// webidl.Realm driven by an eventloop.Loop: the constructor's URL and subprotocol
// checks (§3.1), the opening handshake and framing through package transport (§2, RFC
// 6455, RFC 7692), the events queued on the WebSocket task source (§4), send() with
// bufferedAmount, close(), and the lifetime rules of §7.
//
// Embedders control where scripts may connect and with what limits through Options:
// extra headers, message and buffer limits, timeouts, a per-runtime socket cap, and
// the network.Policy shared with the other web APIs (dialer, TLS configuration,
// cookie jar, and a connection policy checked against the address actually dialed).
// Scripts never learn why a connection failed (§4); the Go side can log the cause
// through the policy's Log.
package websocket
