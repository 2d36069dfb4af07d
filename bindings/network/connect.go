package network

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxProxyResponseHead bounds the status line and header fields of a proxy's answer
// to CONNECT.
const maxProxyResponseHead = 64 << 10

// Connect opens the connection that a protocol taking over an HTTP connection (the
// WebSocket opening handshake, over HTTP/1.1 or HTTP/2) runs on, to the host and port
// of u: a ws: or http: URL gives a TCP connection, a wss: or https: one a TLS
// connection on it that offers nextProtos in ALPN (replacing TLSConfig's). When Proxy
// picks a proxy for u (asked with u's http: or https: form), the TCP connection is an
// HTTP CONNECT tunnel through it (RFC 9110 section 9.3.6,
// https://www.rfc-editor.org/rfc/rfc9110#section-9.3.6), over TLS to an https: proxy.
//
// Connections are dialed with DialContext, so Allow judges the address of u's host or
// of the proxy; Connect does not call Check, which its caller does once before its
// attempts. Canceling ctx aborts Connect. Meter, if set, counts the connection among
// its Sockets until it is closed.
func (p *Policy) Connect(ctx context.Context, u *url.URL, nextProtos []string) (net.Conn, error) {
	p = p.orZero()
	secure := false
	defPort := "80"
	hu := *u
	switch strings.ToLower(u.Scheme) {
	case "ws", "http":
		hu.Scheme = "http"
	case "wss", "https":
		hu.Scheme = "https"
		secure, defPort = true, "443"
	default:
		return nil, fmt.Errorf("network: cannot connect for a %s: URL", u.Scheme)
	}
	hu.Fragment, hu.RawFragment = "", ""
	hostname, port := u.Hostname(), u.Port()
	if port == "" {
		port = defPort
	}
	hostPort := net.JoinHostPort(hostname, port)
	host := hostname // the Host header: the port only when not the default
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != defPort {
		host = hostPort
	}
	pu, err := p.proxy()(&http.Request{Method: "GET", URL: &hu, Header: http.Header{}, Host: host})
	if err != nil {
		return nil, fmt.Errorf("network: choosing a proxy: %w", err)
	}
	ctx = WithURL(ctx, u)
	var conn net.Conn
	if pu == nil {
		conn, err = p.dial(ctx, hostPort)
		countSocket(conn)
	} else {
		conn, err = p.tunnel(ctx, pu, hostPort)
	}
	if err != nil || !secure {
		return conn, err
	}
	tc := p.tlsConfig()
	if tc.ServerName == "" {
		tc.ServerName = hostname
	}
	tc.NextProtos = nextProtos
	conn, err = clientTLS(ctx, conn, tc)
	if err != nil {
		return nil, fmt.Errorf("network: TLS handshake with %s: %w", hostPort, err)
	}
	return conn, nil
}

// tlsConfig returns a copy of TLSConfig, or an empty configuration.
func (p *Policy) tlsConfig() *tls.Config {
	if p.TLSConfig == nil {
		return &tls.Config{}
	}
	return p.TLSConfig.Clone()
}

// clientTLS runs the client side of a TLS handshake with tc on conn, which it
// closes if the handshake fails.
func clientTLS(ctx context.Context, conn net.Conn, tc *tls.Config) (net.Conn, error) {
	tconn := tls.Client(conn, tc)
	if err := tconn.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return tconn, nil
}

// dial is DialContext over TCP, its errors naming addr.
func (p *Policy) dial(ctx context.Context, addr string) (net.Conn, error) {
	conn, err := p.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("network: dial %s: %w", addr, err)
	}
	return conn, nil
}

// tunnel opens a tunnel to addr through the HTTP CONNECT proxy pu (RFC 9110
// section 9.3.6, https://www.rfc-editor.org/rfc/rfc9110#section-9.3.6).
func (p *Policy) tunnel(ctx context.Context, pu *url.URL, addr string) (net.Conn, error) {
	var paddr string
	switch pu.Scheme {
	case "http", "":
		paddr = hostPortDefault(pu, "80")
	case "https":
		paddr = hostPortDefault(pu, "443")
	default:
		return nil, fmt.Errorf("network: proxy scheme %q is not supported", pu.Scheme)
	}
	conn, err := p.dial(ctx, paddr)
	if err != nil {
		return nil, err
	}
	countSocket(conn)
	if pu.Scheme == "https" {
		tc := p.tlsConfig()
		tc.ServerName = pu.Hostname()
		tc.NextProtos = nil
		if conn, err = clientTLS(ctx, conn, tc); err != nil {
			return nil, fmt.Errorf("network: TLS handshake with proxy %s: %w", paddr, err)
		}
	}
	tc, err := askProxy(ctx, conn, pu, addr)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("network: proxy %s: %w", paddr, err)
	}
	return tc, nil
}

// askProxy sends CONNECT for addr on conn and reads the proxy's answer, which must
// have a 2xx status. It returns the tunnel: conn, with any bytes that came after
// the answer read first.
func askProxy(ctx context.Context, conn net.Conn, pu *url.URL, addr string) (net.Conn, error) {
	// Only the context's own end is used (not its deadline on the connection), so
	// that a timeout is reported as one.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	var req bytes.Buffer
	fmt.Fprintf(&req, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n", addr, addr)
	if pu.User != nil {
		pass, _ := pu.User.Password()
		auth := base64.StdEncoding.EncodeToString([]byte(pu.User.Username() + ":" + pass))
		fmt.Fprintf(&req, "Proxy-Authorization: Basic %s\r\n", auth)
	}
	req.WriteString("\r\n")
	if _, err := conn.Write(req.Bytes()); err != nil {
		stop()
		return nil, err
	}
	br := bufio.NewReader(&io.LimitedReader{R: conn, N: maxProxyResponseHead})
	resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodConnect})
	switch {
	case err != nil:
	case !resp.ProtoAtLeast(1, 1):
		err = fmt.Errorf("CONNECT answered in %s, not HTTP/1.1", resp.Proto)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		err = fmt.Errorf("CONNECT answered with status %d", resp.StatusCode)
	}
	if !stop() && err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	if n := br.Buffered(); n > 0 {
		early, _ := br.Peek(n)
		return &prefixConn{Conn: conn, prefix: bytes.Clone(early)}, nil
	}
	return conn, nil
}

func hostPortDefault(u *url.URL, port string) string {
	if p := u.Port(); p != "" {
		port = p
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// prefixConn returns bytes that were read past a proxy's answer first.
type prefixConn struct {
	net.Conn
	prefix []byte
}

func (c *prefixConn) Read(p []byte) (int, error) {
	if len(c.prefix) > 0 {
		n := copy(p, c.prefix)
		c.prefix = c.prefix[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}
