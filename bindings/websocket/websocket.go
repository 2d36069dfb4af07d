package websocket

import (
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/internal/wsapi"
	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/bindings/websocket/transport"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// Options configure the WebSocket interface of one runtime; hand them over with
// bindings.Configure (WebSocketStream reads the same ones). The zero value connects
// as the zero network.Policy does (anywhere, directly or through the environment's
// proxy, with the system's TLS roots, sending no cookies) and uses the transport's
// default limits. Relative URLs resolve against the realm's API base URL (an https: one
// makes the context secure: ws: URLs then throw SecurityError).
type Options struct {
	// Origin is sent as the Origin header. Empty means the serialization of the origin
	// of the realm's API base URL (webidl.Realm.APIBaseURL): "scheme://host[:port]" for
	// http(s) and ws(s) URLs, "null" for any other.
	Origin string

	// Header holds extra handshake request headers. They never replace the headers the
	// protocol sets itself.
	Header http.Header
	// Network is how connections are made: the dialer, the connection policy, the
	// proxy, the TLS configuration for wss: URLs, the cookie jar the handshake uses and
	// the log of failure causes. A connection that Network.Allow refuses fails as any
	// network error does: scripts see error, then close with code 1006. Nil means the
	// zero network.Policy.
	Network *network.Policy
	// DisableCompression leaves permessage-deflate out of the handshake.
	DisableCompression bool
	// DisableHTTP2 keeps wss: connections on HTTP/1.1. By default TLS offers h2
	// first and, if the server takes it and allows extended CONNECT, the WebSocket
	// rides an HTTP/2 stream (RFC 8441); a server that takes h2 without it gets a
	// second connection on HTTP/1.1.
	DisableHTTP2 bool

	// MaxMessageSize bounds a received message after decompression (exceeded: the
	// connection fails with 1009). Zero means transport.DefaultMaxMessageSize. Apart
	// from that one message, a socket holds at most about a megabyte of received
	// messages that script has not been given yet: beyond it, it stops reading until
	// script catches up, and the server's sending slows down (TCP flow control).
	MaxMessageSize int64
	// MaxBufferedBytes bounds the bytes sent but not yet written; beyond it the socket
	// is flagged as full and closed (send(),
	// https://websockets.spec.whatwg.org/#dom-websocket-send). Zero means
	// transport.DefaultMaxBufferedBytes.
	MaxBufferedBytes int64
	// HandshakeTimeout bounds connecting and the opening handshake; CloseTimeout the
	// wait for the server's close frame; PingInterval, if positive, sends keepalive
	// pings (https://websockets.spec.whatwg.org/#ping-and-pong-frames). Zero means the
	// transport's defaults (30 s and 5 s, no pings); a negative HandshakeTimeout means
	// none.
	HandshakeTimeout, CloseTimeout, PingInterval time.Duration
	// MaxSockets bounds the sockets of this runtime that are not CLOSED; a constructor
	// call beyond it yields a socket whose connection fails (error, then close with
	// 1006). Zero means DefaultMaxSockets; negative means no bound.
	MaxSockets int
}

// DefaultMaxSockets is the bound on a runtime's sockets when Options.MaxSockets is
// zero, about what a browser allows a page: enough for any real client, low enough
// that a runaway script cannot exhaust the host's file descriptors or memory.
const DefaultMaxSockets = 256

// readAhead bounds, per socket, the bytes of received messages whose tasks have not
// run yet (each message counting msgOverhead more). Beyond it the socket stops reading
// until script has caught up to half of it, so a server sending faster than script
// consumes meets TCP flow control instead of filling memory; nothing is lost.
const (
	readAhead   = 1 << 20
	msgOverhead = 256
)

func (b *binding) maxSockets() int { return b.opts.SocketLimit() }

// SocketLimit is the bound MaxSockets sets: DefaultMaxSockets when it is zero, and a
// negative number (no bound) when it is negative. WebSocketStream applies the same one.
func (o Options) SocketLimit() int {
	if o.MaxSockets == 0 {
		return DefaultMaxSockets
	}
	return o.MaxSockets
}

// TransportConfig is the transport settings these options give, for the bindings
// built on the same transport (WebSocketStream).
func (o Options) TransportConfig() transport.Config {
	return transport.Config{
		Header:             o.Header,
		Network:            o.Network,
		DisableCompression: o.DisableCompression,
		DisableHTTP2:       o.DisableHTTP2,
		MaxMessageSize:     o.MaxMessageSize,
		MaxBufferedBytes:   o.MaxBufferedBytes,
		HandshakeTimeout:   o.HandshakeTimeout,
		CloseTimeout:       o.CloseTimeout,
		PingInterval:       o.PingInterval,
	}
}

// binding is the per-realm state: options and the sockets not yet CLOSED.
type binding struct {
	realm  *webidl.Realm
	loop   *eventloop.Loop
	opts   Options
	cfg    transport.Config
	memory *bindings.Budget // the cluster's, or nil

	sockets    wsapi.Registry[*socket]
	connecting wsapi.ConnectQueue // one handshake at a time per host and port

	// On the loop goroutine: the sockets not yet CLOSED, and the hold of the loop
	// taken while there are any.
	live    int
	release func()
}

// Binding installs the WebSocket interface. WebSocket inherits from EventTarget and
// receives binary messages as Blobs.
var Binding = &bindings.Binding{
	Name:     "websocket",
	Needs:    []*bindings.Binding{events.Binding, blob.Binding},
	Register: Register,
}

// Register installs the WebSocket interface on the global object of env.Realm, with
// the Options given to bindings.Configure. Events are queued on env.Loop, which it
// needs; the events and blob bindings must be installed first.
func Register(env *bindings.Env) error {
	r, loop, opts := env.Realm, env.Loop, bindings.Config[Options](env)
	if loop == nil {
		return errors.New("websocket: the realm has no event loop")
	}
	b := &binding{realm: r, loop: loop, opts: opts, memory: env.Memory()}
	b.cfg = opts.TransportConfig()
	if b.memory != nil {
		b.cfg.Memory = b.memory
	}
	if err := r.DefineInterface(b.iface()); err != nil {
		return fmt.Errorf("websocket: %w", err)
	}
	// "Make disappear" (https://websockets.spec.whatwg.org/#make-disappear): closing
	// the runtime fails connecting sockets and closes open ones with 1001.
	loop.OnClose(b.shutdown)
	return nil
}

// The ready states (https://websockets.spec.whatwg.org/#dom-websocket-readystate).
const (
	connecting = 0
	open       = 1
	closing    = 2
	closed     = 3
)

// socket holds the internal slots of a WebSocket object. Its fields are touched on the
// loop goroutine only, except sent, which the transport adds to.
type socket struct {
	events.Target
	b          *binding
	obj        *goja.Object // the WebSocket object, until the close event has fired
	href       string       // the URL, serialized
	origin     string       // the serialization of its origin, for message events
	protocol   string
	extensions string

	// bufferedAmount is queued - written, where written moves forward only between
	// tasks (https://websockets.spec.whatwg.org/#dom-websocket-bufferedamount: "as of
	// the last time the event loop reached step 1").
	queued  uint64
	written uint64
	sent    atomic.Uint64 // written by the transport, not yet seen by script
	flush   atomic.Bool   // a task to publish sent is queued
	// Packed beside flush: the ready state, binaryType (arrayBuffers: "arraybuffer",
	// else "blob"), and close() called while connecting (fail the connection).
	readyState   uint8
	arrayBuffers bool
	failed       bool

	in atomic.Pointer[inbox] // received messages waiting for their tasks, once one came

	conn *transport.Conn
	ctl  wsapi.Control // aborts the dial or the connection from other goroutines
}

func (b *binding) iface() *webidl.Interface {
	r := b.realm
	impl := func(c webidl.Call) *socket { return c.Impl.(*socket) }
	return &webidl.Interface{
		Name:   "WebSocket",
		Parent: "EventTarget",
		Length: 1,
		Constructor: func(c webidl.Call) any {
			return b.construct(c)
		},
		Constants: []webidl.Constant{
			{Name: "CONNECTING", Value: connecting},
			{Name: "OPEN", Value: open},
			{Name: "CLOSING", Value: closing},
			{Name: "CLOSED", Value: closed},
		},
		Attributes: []webidl.Attribute{
			{Name: "url", Get: func(c webidl.Call) goja.Value { return r.VM().ToValue(impl(c).href) }},
			{Name: "readyState", Get: func(c webidl.Call) goja.Value { return r.VM().ToValue(impl(c).readyState) }},
			{Name: "bufferedAmount", Get: func(c webidl.Call) goja.Value {
				s := impl(c)
				return r.VM().ToValue(s.queued - s.written)
			}},
			events.HandlerAttribute("onopen"),
			events.HandlerAttribute("onerror"),
			events.HandlerAttribute("onclose"),
			{Name: "extensions", Get: func(c webidl.Call) goja.Value { return r.VM().ToValue(impl(c).extensions) }},
			{Name: "protocol", Get: func(c webidl.Call) goja.Value { return r.VM().ToValue(impl(c).protocol) }},
			events.HandlerAttribute("onmessage"),
			{
				Name: "binaryType",
				Get: func(c webidl.Call) goja.Value {
					if impl(c).arrayBuffers {
						return r.VM().ToValue("arraybuffer")
					}
					return r.VM().ToValue("blob")
				},
				// An enumeration attribute ignores values outside the enumeration (the
				// step for enumerations of the attribute setter,
				// https://webidl.spec.whatwg.org/#dfn-attribute-setter).
				Set: func(c webidl.Call, v goja.Value) {
					switch r.ToDOMString(v).String() {
					case "blob":
						impl(c).arrayBuffers = false
					case "arraybuffer":
						impl(c).arrayBuffers = true
					}
				},
			},
		},
		Operations: []webidl.Operation{
			{Name: "close", Length: 0, Func: func(c webidl.Call) goja.Value {
				impl(c).close(c)
				return goja.Undefined()
			}},
			{Name: "send", Length: 1, Func: func(c webidl.Call) goja.Value {
				impl(c).send(c)
				return goja.Undefined()
			}},
		},
	}
}
