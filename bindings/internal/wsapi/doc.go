// Package wsapi holds the steps of the WHATWG WebSockets Standard that the WebSocket
// and WebSocketStream interfaces share ("Common algorithms" of the WebSocketStream
// draft, https://whatpr.org/websockets/48.html#common-algorithms: get a URL record,
// validate close code and reason, close the WebSocket; and the subprotocol checks of
// the constructors), together with the conversions of a WebSocket URL the transport and
// the Origin header need. It knows nothing about JavaScript.
package wsapi
