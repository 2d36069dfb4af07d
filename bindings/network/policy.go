package network

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"

	"golang.org/x/net/http/httpproxy"
)

// Policy says how scripts reach the network. The zero value connects anywhere the
// process can, directly or through the proxy the environment names, trusts the
// system's TLS roots, keeps no cookies and logs nothing. A nil *Policy behaves as the
// zero value. Its methods do not change it, so one Policy may serve any number of
// runtimes on any goroutines; its functions are called from those goroutines too.
type Policy struct {
	// Dial opens TCP connections. It is given "host:port" as in the URL (or the
	// proxy's URL), not resolved, so it can map names (wpt-runner maps WPT's hosts to
	// 127.0.0.1). Nil means a net.Dialer that resolves names with Resolver.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)

	// Resolver looks up host names when Dial is nil; nil means net.DefaultResolver.
	// A Dial of the embedder's own resolves names itself.
	Resolver *net.Resolver

	// Allow is the connection policy. It is called with the URL and a zero address
	// before anything is resolved (for a WebSocket, once per connection; for fetch,
	// XMLHttpRequest and worker scripts, before each request, the first one and each
	// redirect), then with every address actually dialed, IPv4-mapped addresses
	// unmapped, so a host name that resolves elsewhere later cannot slip past it.
	// With a proxy, the address dialed is the proxy's. An HTTP connection kept alive
	// is reused only for the scheme, host and port (or proxy) it was dialed for. An
	// error fails the connection: a WebSocket fails (error, then close with code
	// 1006) and a fetch is a network error, neither telling scripts why. Nil allows
	// everything; DenyPrivateNetworks is a ready-made policy for plugin hosts.
	Allow func(u *url.URL, addr netip.AddrPort) error

	// Proxy picks an HTTP proxy for a request (whose URL has the http: or https:
	// scheme, ws: and wss: URLs included); a nil URL means none. WebSockets, and
	// requests to https: URLs, go through an HTTP CONNECT tunnel. Nil follows
	// HTTPS_PROXY, HTTP_PROXY and NO_PROXY (never for loopback hosts), read at each
	// connection rather than once per process.
	Proxy func(*http.Request) (*url.URL, error)

	// TLSConfig is used for wss: and https: URLs and for https: proxies; nil means
	// the system's roots. Its ServerName defaults to the host being reached; the
	// protocols offered in ALPN are those each use needs (Connect's nextProtos).
	TLSConfig *tls.Config

	// Jar, if not nil, supplies cookies to WebSocket handshakes, to worker script
	// requests and to fetch and XMLHttpRequest requests whose credentials mode lets
	// them have any (Fetch: "include", or "same-origin" for a same-origin request),
	// and stores the cookies their responses set.
	Jar http.CookieJar

	// Log, if not nil, is told the real cause whenever a WebSocket or
	// WebSocketStream connection fails or closes abnormally, and whenever a fetch
	// or XMLHttpRequest ends in a network error other than an abort: scripts never
	// learn it. It is called from other goroutines.
	Log func(url string, err error)

	// Meter, if not nil, counts the bytes carried by the connections the policy
	// makes, and the WebSocket connections open (see Meter). Nil counts nothing,
	// and connections are then returned as dialed.
	Meter *Meter
}

// zero is the policy a nil *Policy stands for.
var zero Policy

func (p *Policy) orZero() *Policy {
	if p == nil {
		return &zero
	}
	return p
}

// A DeniedError is a connection that Policy.Allow refused, or could not be asked
// about. Err is Allow's error (or why it could not be asked).
type DeniedError struct {
	URL  *url.URL       // the URL the connection was for; nil if unknown
	Addr netip.AddrPort // the address dialed; zero for the check before resolution
	Err  error
}

// Error says what was refused, and why.
func (e *DeniedError) Error() string {
	switch {
	case e.Addr.IsValid():
		return fmt.Sprintf("connection to %s not allowed: %v", e.Addr, e.Err)
	case e.URL != nil:
		return fmt.Sprintf("connection to %s not allowed: %v", e.URL.Redacted(), e.Err)
	}
	return "connection not allowed: " + e.Err.Error()
}

// Unwrap returns Err, so that errors.Is finds Allow's error.
func (e *DeniedError) Unwrap() error { return e.Err }

// Check asks Allow about u before anything is resolved or dialed, with a zero
// address. It returns nil if Allow is nil or allows u, and a *DeniedError if not.
func (p *Policy) Check(u *url.URL) error {
	p = p.orZero()
	if p.Allow == nil {
		return nil
	}
	if err := p.Allow(u, netip.AddrPort{}); err != nil {
		return &DeniedError{URL: u, Err: err}
	}
	return nil
}

// urlKey is the context key of the URL a connection is made for.
type urlKey struct{}

// WithURL returns a copy of ctx that carries u, the URL the connections dialed with
// it are made for: DialContext gives it to Allow. Requests sent through Transport
// must carry their URL this way.
func WithURL(ctx context.Context, u *url.URL) context.Context {
	return context.WithValue(ctx, urlKey{}, u)
}

// DialContext opens a TCP connection to addr ("host:port") with Dial, or with a
// net.Dialer that resolves names with Resolver, and asks Allow about the address
// actually connected to, with the URL ctx carries (see WithURL): the net.Dialer
// asks before connecting to each address it tries, and a connection from Dial is
// checked once made and closed if refused. A refused connection is a *DeniedError;
// when Allow is set, one whose URL or address cannot be told is refused too.
// Meter, if set, counts the bytes the connection carries.
// Its signature is that of http.Transport.DialContext.
func (p *Policy) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	p = p.orZero()
	u, _ := ctx.Value(urlKey{}).(*url.URL)
	if p.Dial == nil {
		d := net.Dialer{Resolver: p.Resolver}
		if p.Allow != nil {
			// Control runs for each address tried, once resolved and before
			// connecting.
			d.Control = func(_, address string, _ syscall.RawConn) error {
				ap, err := netip.ParseAddrPort(address)
				if err != nil {
					return &DeniedError{URL: u, Err: err}
				}
				return p.allow(u, ap)
			}
		}
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return p.meter(conn), nil
	}
	conn, err := p.Dial(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	if p.Allow == nil {
		return p.meter(conn), nil
	}
	ap, err := remoteAddrPort(conn)
	if err != nil {
		err = &DeniedError{URL: u, Err: err}
	} else {
		err = p.allow(u, ap)
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return p.meter(conn), nil
}

// allow asks Allow about a connection to ap made for u.
func (p *Policy) allow(u *url.URL, ap netip.AddrPort) error {
	ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	if u == nil {
		return &DeniedError{Addr: ap, Err: errors.New("no URL for the connection")}
	}
	if err := p.Allow(u, ap); err != nil {
		return &DeniedError{URL: u, Addr: ap, Err: err}
	}
	return nil
}

// remoteAddrPort returns the address conn is connected to.
func remoteAddrPort(conn net.Conn) (netip.AddrPort, error) {
	switch ra := conn.RemoteAddr().(type) {
	case nil:
		return netip.AddrPort{}, errors.New("cannot tell the address connected to")
	case *net.TCPAddr:
		return ra.AddrPort(), nil
	default:
		ap, err := netip.ParseAddrPort(ra.String())
		if err != nil {
			return netip.AddrPort{}, fmt.Errorf("cannot tell the address connected to: %w", err)
		}
		return ap, nil
	}
}

// proxy returns Proxy, or the choice the environment makes, read at each call
// rather than once per process as http.ProxyFromEnvironment does.
func (p *Policy) proxy() func(*http.Request) (*url.URL, error) {
	if p.Proxy != nil {
		return p.Proxy
	}
	return func(req *http.Request) (*url.URL, error) {
		return httpproxy.FromEnvironment().ProxyFunc()(req.URL)
	}
}

// Transport returns a new http.Transport that reaches servers through the policy:
// its proxy choice, DialContext (so Allow judges every address dialed, the proxy's
// when one is used), a copy of TLSConfig, and HTTP/2 when a server offers it. Each
// request sent through it must carry its URL in its context (WithURL), and should be
// checked first (Check). The caller sets the transport's other fields (connection
// reuse, timeouts, compression) to its needs.
func (p *Policy) Transport() *http.Transport {
	p = p.orZero()
	return &http.Transport{
		Proxy:             p.proxy(),
		DialContext:       p.DialContext,
		TLSClientConfig:   p.TLSConfig.Clone(),
		ForceAttemptHTTP2: true,
	}
}

// Report tells Log, if set, that the connection or request for url failed with err;
// a nil err is not reported.
func (p *Policy) Report(url string, err error) {
	if p != nil && p.Log != nil && err != nil {
		p.Log(url, err)
	}
}
