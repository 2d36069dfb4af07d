// Package transport is the client side of the WebSocket protocol (RFC 6455,
// with permessage-deflate from RFC 7692) as the WHATWG WebSockets Standard
// uses it: it performs the opening handshake over TCP or TLS (optionally
// through an HTTP CONNECT proxy), as an HTTP/1.1 upgrade or, when a wss:
// server selects HTTP/2, as an extended CONNECT request whose stream then
// carries the WebSocket (RFC 8441), then frames, validates and reassembles
// messages over any byte stream, runs the closing handshake, and reports the
// outcome once, in the terms the WebSocket API needs (wasClean, code, reason,
// and whether the connection was failed). Messages longer than 64 KiB are sent
// as fragments, so that pongs and the answer to a close frame need not wait for
// a long message; small ones are written by the sending goroutine when nothing
// is queued. On Linux a connection over plain TCP that has had nothing to
// read for a moment holds no goroutine: its socket waits in one epoll
// instance for the process (package idlepoll) until bytes arrive. It knows
// nothing about JavaScript; the WebSocket binding drives it through Dial, Conn
// and a Handler (and, optionally, an Idler).
package transport
