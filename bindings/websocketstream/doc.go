// Package websocketstream binds WebSocketStream and WebSocketError, the streams-based
// WebSocket API proposed for the WHATWG WebSockets Standard (the add-websocketstream
// branch of https://github.com/whatwg/websockets, and the explainer at
// https://github.com/ricea/websocketstream-explainer), to a goja runtime:
// messages are read from a ReadableStream, whose backpressure stops reading from the
// network, and sent through a WritableStream, whose writes settle once the data is
// written to the connection. Register installs both interfaces on a webidl.Realm with
// the same websocket.Options that configure the WebSocket interface.
package websocketstream
