// Package websocketstream binds WebSocketStream and WebSocketError, the streams-based
// WebSocket API of the WHATWG WebSockets Standard (the WebSocketStream proposal,
// https://github.com/whatwg/websockets/pull/48, and its explainer), to a goja runtime:
// messages are read from a ReadableStream, whose backpressure stops reading from the
// network, and sent through a WritableStream, whose writes settle once the data is
// written to the connection. Register installs both interfaces on a webidl.Realm with
// the same websocket.Options that configure the WebSocket interface.
package websocketstream
