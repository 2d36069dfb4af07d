// Package network is how the web APIs of a runtime reach the network: one Policy
// holds the dialer, resolver, connection policy, proxy choice, TLS configuration,
// cookie jar and failure log that WebSocket, WebSocketStream, fetch, XMLHttpRequest
// and the scripts of workers share. Its methods are the one place where connections
// are made: DialContext asks the connection policy about every address actually
// dialed, Connect opens the (possibly proxied, possibly TLS) connection a WebSocket
// opening handshake runs on, and Transport builds the http.Transport of HTTP requests.
//
// DenyPrivateNetworks is a ready-made connection policy for hosts that run scripts
// they do not trust: public unicast addresses only. BadPort is Fetch's list of bad
// ports, which fetch, XMLHttpRequest, WebSocket and WebSocketStream never connect to.
//
// A Meter, if the policy has one, counts the bytes its connections carry and the
// WebSocket connections open; the runtime package gives each runtime its own.
package network
