package transport

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"
)

// Defaults used for zero fields of Config. A server decides how large the
// messages it sends are, and a peer that reads slowly how much waits to be
// written, so both bounds are what one connection may cost at worst: large
// enough for any real message (browsers' WebSocket tests stay far below), small
// enough that many connections of one process stay affordable.
const (
	DefaultMaxMessageSize   = 64 << 20 // 64 MiB
	DefaultMaxBufferedBytes = 64 << 20 // 64 MiB
	DefaultHandshakeTimeout = 30 * time.Second
	DefaultCloseTimeout     = 5 * time.Second
)

// Config configures a connection. The zero value, or a nil *Config, is ready
// to use: it offers permessage-deflate, dials with net.Dialer, uses the proxy
// from the environment and the system's root certificates.
type Config struct {
	// Protocols are the subprotocols offered in Sec-WebSocket-Protocol, in
	// order. Each must be an HTTP token, and none may repeat.
	Protocols []string
	// Origin, if not empty, is sent as the Origin header.
	Origin string
	// Header holds extra request headers. Headers the handshake sets itself
	// (Host, Upgrade, Connection, Sec-WebSocket-*, and Origin, Cookie or
	// Authorization when this package sets them) are never taken from it.
	Header http.Header
	// Jar, if not nil, supplies the Cookie header and receives the cookies
	// of the handshake response, whatever its status.
	Jar http.CookieJar
	// TLSConfig is used for wss: URLs; nil means the system's roots. Its
	// ServerName defaults to the URL's host and its NextProtos are replaced
	// by "h2" and "http/1.1" (only "http/1.1" with DisableHTTP2).
	TLSConfig *tls.Config
	// DisableHTTP2 keeps wss: connections on HTTP/1.1. Otherwise a server
	// that selects HTTP/2 gets the opening handshake as an extended CONNECT
	// request (RFC 8441) and carries the WebSocket on that stream; if it
	// does not allow extended CONNECT, Dial opens a second connection that
	// offers only HTTP/1.1. ws: URLs always use HTTP/1.1.
	DisableHTTP2 bool
	// Dial opens the TCP connection; addr is "host:port" as in the URL (or
	// the proxy's URL), not resolved. Nil means a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Proxy chooses an HTTP CONNECT proxy for the request (whose URL has the
	// http: or https: scheme); a nil URL means no proxy. Nil means the
	// rules of http.ProxyFromEnvironment (HTTPS_PROXY, HTTP_PROXY,
	// NO_PROXY, never for loopback hosts), the environment being read at
	// each Dial.
	Proxy func(*http.Request) (*url.URL, error)
	// Allow, if not nil, may veto a connection. It is called once with a
	// zero addr before anything is resolved or dialed, then with the
	// address of every connection made (the address actually connected to,
	// so a name that resolves differently the second time cannot bypass it;
	// with a proxy, the proxy's address). An error stops the handshake and
	// is returned from Dial.
	Allow func(u *url.URL, addr netip.AddrPort) error
	// DisableCompression leaves permessage-deflate out of the offer.
	DisableCompression bool
	// MaxMessageSize bounds a received message, after decompression; a
	// larger one fails the connection with 1009. Zero means
	// DefaultMaxMessageSize.
	MaxMessageSize int64
	// MaxBufferedBytes bounds the application data queued by Send and not
	// yet written; a Send beyond it closes the connection. Zero means
	// DefaultMaxBufferedBytes.
	MaxBufferedBytes int64
	// HandshakeTimeout bounds dialing, TLS and the opening handshake. Zero
	// means DefaultHandshakeTimeout, negative means none.
	HandshakeTimeout time.Duration
	// CloseTimeout bounds the wait for the peer once the closing handshake
	// has started (or the connection was failed); then the connection is
	// dropped. Zero means DefaultCloseTimeout.
	CloseTimeout time.Duration
	// PingInterval, if positive, sends a ping whenever that long has passed;
	// if nothing at all was received during one whole interval, the
	// connection is dropped.
	PingInterval time.Duration
}

func (c *Config) maxMessageSize() int64 {
	if c.MaxMessageSize > 0 {
		return c.MaxMessageSize
	}
	return DefaultMaxMessageSize
}

func (c *Config) maxBufferedBytes() int64 {
	if c.MaxBufferedBytes > 0 {
		return c.MaxBufferedBytes
	}
	return DefaultMaxBufferedBytes
}

func (c *Config) handshakeTimeout() time.Duration {
	if c.HandshakeTimeout == 0 {
		return DefaultHandshakeTimeout
	}
	return c.HandshakeTimeout
}

func (c *Config) closeTimeout() time.Duration {
	if c.CloseTimeout > 0 {
		return c.CloseTimeout
	}
	return DefaultCloseTimeout
}
