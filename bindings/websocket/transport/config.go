package transport

import (
	"net/http"
	"time"

	"github.com/wsjs/wsjs/bindings/network"
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
// to use: it offers permessage-deflate and reaches the server as the zero
// network.Policy does (directly or through the proxy the environment names,
// with the system's root certificates).
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
	// DisableHTTP2 keeps wss: connections on HTTP/1.1. Otherwise a server
	// that selects HTTP/2 gets the opening handshake as an extended CONNECT
	// request (RFC 8441) and carries the WebSocket on that stream; if it
	// does not allow extended CONNECT, Dial opens a second connection that
	// offers only HTTP/1.1. ws: URLs always use HTTP/1.1.
	DisableHTTP2 bool
	// Network is how the connection is made: the dialer, the connection
	// policy (asked once with a zero address before anything is resolved or
	// dialed, then about the address of every connection made; its error
	// stops the handshake and is returned from Dial), the proxy, the TLS
	// configuration for wss: URLs (whose NextProtos are replaced by "h2" and
	// "http/1.1", only "http/1.1" with DisableHTTP2) and the cookie jar
	// (which supplies the Cookie header and receives the cookies of the
	// handshake response, whatever its status). Nil means the zero
	// network.Policy.
	Network *network.Policy
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
	// Memory, if not nil, is charged for the bytes the connection holds for
	// the application, once started: a received message while it is
	// assembled and decompressed, for the capacity of its buffers, and the
	// data given to Send until it is written. A message it has no room for
	// fails the connection with 1009, as RFC 6455 section 7.4.1
	// (https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1) allows for a
	// message too big to process; a Send it has no room for closes the
	// connection as one beyond MaxBufferedBytes does, returning an error
	// that is ErrBufferFull. The charge of a message delivered to the
	// Handler, cap(data) bytes, is handed over with it: the Handler gives it
	// back.
	Memory Memory
}

// limits are the settings of a Config that an established Conn goes on using,
// with the defaults filled in: a Conn keeps these rather than the whole Config.
type limits struct {
	memory       Memory
	maxBuffered  int64
	closeTimeout time.Duration
	pingInterval time.Duration
}

func (c *Config) limits() limits {
	return limits{
		memory:       c.Memory,
		maxBuffered:  c.maxBufferedBytes(),
		closeTimeout: c.closeTimeout(),
		pingInterval: c.PingInterval,
	}
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

// jar is the cookie jar of the network policy, or nil.
func (c *Config) jar() http.CookieJar {
	if c.Network == nil {
		return nil
	}
	return c.Network.Jar
}
