package network

import (
	"net"
	"sync/atomic"
)

// A Meter counts what the connections of a Policy whose Meter it is carry:
// the bytes read from and written to every connection DialContext makes (and
// so Connect and Transport), as they are on the wire (TLS records, proxy
// tunnels and HTTP framing included), and the connections Connect made that
// are not closed yet. Several policies may share a Meter. Its methods may be
// called from any goroutine; counting is an atomic addition, without a lock
// or an allocation.
//
// The zero value is a meter at zero.
type Meter struct {
	read    atomic.Int64
	_       [56]byte // read and written are updated by different goroutines
	written atomic.Int64
	_       [56]byte
	sockets atomic.Int64
}

// BytesRead returns the number of bytes read from the connections so far.
// It only grows, and keeps counting once a connection is closed.
func (m *Meter) BytesRead() int64 { return m.read.Load() }

// BytesWritten returns the number of bytes written to the connections so
// far, including those of a write that failed part way. It only grows.
func (m *Meter) BytesWritten() int64 { return m.written.Load() }

// Sockets returns the number of connections that Connect returned (those a
// WebSocket runs on) and that are not closed yet. A connection counts from
// the moment it is dialed (before any TLS handshake or proxy tunnel) until
// Close is first called on it, or on the TLS connection over it.
func (m *Meter) Sockets() int { return int(m.sockets.Load()) }

// Add counts read and written bytes that were carried by a connection the
// meter counts without going through its Read and Write methods: by system
// calls on the descriptor of the TCP connection TCPConn returns. A nil Meter
// counts nothing.
func (m *Meter) Add(read, written int) {
	if m == nil {
		return
	}
	if read > 0 {
		m.read.Add(int64(read))
	}
	if written > 0 {
		m.written.Add(int64(written))
	}
}

// meteredConn is a connection DialContext made, counted by a Meter.
type meteredConn struct {
	net.Conn
	m      *Meter
	socket atomic.Bool // counted in m.sockets until closed
}

func (c *meteredConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.m.read.Add(int64(n))
	}
	return n, err
}

func (c *meteredConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	if n > 0 {
		c.m.written.Add(int64(n))
	}
	return n, err
}

// Close closes the connection and, the first time, stops counting it as a
// socket.
func (c *meteredConn) Close() error {
	if c.socket.CompareAndSwap(true, false) {
		c.m.sockets.Add(-1)
	}
	return c.Conn.Close()
}

// meter returns conn counted by the policy's Meter, or conn itself when the
// policy has none.
func (p *Policy) meter(conn net.Conn) net.Conn {
	if p.Meter == nil || conn == nil {
		return conn
	}
	return &meteredConn{Conn: conn, m: p.Meter}
}

// countSocket counts conn, which Connect dialed, as an open socket until it is
// closed.
func countSocket(conn net.Conn) {
	if c, ok := conn.(*meteredConn); ok && c.socket.CompareAndSwap(false, true) {
		c.m.sockets.Add(1)
	}
}

// TCPConn returns the TCP connection that conn is or that it counts for a
// Meter (a connection DialContext made, as Connect returns for a ws: URL
// reached without a proxy), with that Meter, nil if conn is not counted. It
// returns nil and nil for any other connection (TLS, a proxy tunnel). Code
// that reads or writes the TCP connection's descriptor directly, bypassing
// conn's Read and Write, tells the Meter what it carried with Meter.Add;
// closing goes through conn.
func TCPConn(conn any) (*net.TCPConn, *Meter) {
	switch c := conn.(type) {
	case *net.TCPConn:
		return c, nil
	case *meteredConn:
		if tc, ok := c.Conn.(*net.TCPConn); ok {
			return tc, c.m
		}
	}
	return nil, nil
}
