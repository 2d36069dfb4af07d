// Package websocketstream binds WebSocketStream and WebSocketError, the streams-based
// WebSocket API proposed for the WHATWG WebSockets Standard (the add-websocketstream
// branch of https://github.com/whatwg/websockets, and the explainer at
// https://github.com/ricea/websocketstream-explainer), to a goja runtime:
// messages are read from a ReadableStream, whose backpressure stops reading from the
// network, and sent through a WritableStream, whose writes settle once the data is
// written to the connection. Register installs both interfaces on a webidl.Realm with
// the same websocket.Options that configure the WebSocket interface.
//
// As for WebSocket, what a stream holds for script is charged to the memory
// budget of the Env's Cluster (bindings.Budget): a received message while it
// is assembled and while it waits to be read, then a Uint8Array chunk's bytes
// until collected, and written chunks until written. A message the budget has
// no room for fails the connection with 1009, erroring both streams with a
// WebSocketError whose closeCode is 1006; a write it has no room for closes
// the connection as a full send buffer does.
package websocketstream
