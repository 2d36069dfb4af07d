// Package wsapi holds the steps of the WHATWG WebSockets Standard that the WebSocket
// and WebSocketStream interfaces share ("Common algorithms" of the WebSocketStream
// draft, https://whatpr.org/websockets/48.html#common-algorithms: get a URL record,
// validate close code and reason, close the WebSocket; and the subprotocol checks of
// the constructors), together with the conversions of a WebSocket URL the transport and
// the Origin header need, and the bookkeeping of connections: one handshake at a time
// per host (ConnectQueue), a runtime's sockets and the ones it refuses (Registry). It
// knows nothing about JavaScript.
package wsapi
