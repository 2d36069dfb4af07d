package network

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"sync/atomic"
	"testing"
)

// countedConn counts the bytes a server reads and writes.
type countedConn struct {
	net.Conn
	read, written *atomic.Int64
}

func (c countedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

func (c countedConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.written.Add(int64(n))
	return n, err
}

// TestMeterTLS counts a TLS exchange through Connect as bytes on the wire: the
// client's counts are the server's, handshake and records included, and the
// connection is a socket until it is closed.
func TestMeterTLS(t *testing.T) {
	srv := httptest.NewTLSServer(nil) // for its certificate
	defer srv.Close()
	cert := srv.TLS.Certificates[0]
	type counts struct{ read, written int64 }
	got := make(chan counts, 1)
	addr := listen(t, func(c net.Conn) {
		var read, written atomic.Int64
		tc := tls.Server(countedConn{c, &read, &written}, &tls.Config{Certificates: []tls.Certificate{cert}})
		buf := make([]byte, 5)
		if _, err := io.ReadFull(tc, buf); err != nil {
			t.Error(err)
		}
		if _, err := tc.Write([]byte("pong!!")); err != nil {
			t.Error(err)
		}
		got <- counts{read.Load(), written.Load()}
		io.Copy(io.Discard, tc) // until the client closes
	})
	m := new(Meter)
	p := &Policy{Meter: m, TLSConfig: srv.Client().Transport.(*http.Transport).TLSClientConfig}
	u, _ := url.Parse("wss://" + addr + "/")
	conn, err := p.Connect(context.Background(), u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := conn.(*tls.Conn); !ok {
		t.Errorf("Connect returned a %T, not a *tls.Conn", conn)
	}
	if n := m.Sockets(); n != 1 {
		t.Errorf("Sockets() = %d with the connection open, want 1", n)
	}
	if _, err := conn.Write([]byte("ping!")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 6)
	if _, err := io.ReadFull(conn, buf); err != nil {
		t.Fatal(err)
	}
	c := <-got
	if m.BytesRead() != c.written || m.BytesWritten() != c.read {
		t.Errorf("client read %d and wrote %d, the server wrote %d and read %d",
			m.BytesRead(), m.BytesWritten(), c.written, c.read)
	}
	if c.read <= 5 || c.written <= 6 {
		t.Errorf("the server read %d bytes and wrote %d: no TLS counted", c.read, c.written)
	}
	conn.Close()
	conn.Close()
	if n := m.Sockets(); n != 0 {
		t.Errorf("Sockets() = %d once closed, want 0", n)
	}
}

// TestMeterDial checks what DialContext counts: every connection's bytes,
// none of them a socket, with a dialer of the policy's own or the default one,
// and a connection the policy refuses not at all.
func TestMeterDial(t *testing.T) {
	addr := listen(t, func(c net.Conn) {
		buf := make([]byte, 3)
		io.ReadFull(c, buf)
		c.Write([]byte("hello"))
	})
	var d net.Dialer
	for _, p := range []*Policy{
		{Meter: new(Meter)},
		{Meter: new(Meter), Dial: d.DialContext},
		{Meter: new(Meter), Dial: d.DialContext, Allow: func(*url.URL, netip.AddrPort) error { return nil }},
	} {
		u, _ := url.Parse("http://" + addr + "/")
		conn, err := p.DialContext(WithURL(context.Background(), u), "tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if tc, m := TCPConn(conn); tc == nil || m != p.Meter {
			t.Errorf("TCPConn(%T) = %v, %p; want the TCP connection and %p", conn, tc, m, p.Meter)
		}
		conn.Write([]byte("abc"))
		b, _ := io.ReadAll(conn)
		conn.Close()
		if string(b) != "hello" || p.Meter.BytesRead() != 5 || p.Meter.BytesWritten() != 3 || p.Meter.Sockets() != 0 {
			t.Errorf("read %q; meter: read %d, written %d, sockets %d; want 5, 3, 0",
				b, p.Meter.BytesRead(), p.Meter.BytesWritten(), p.Meter.Sockets())
		}
	}
	p := &Policy{Meter: new(Meter), Allow: func(*url.URL, netip.AddrPort) error { return errors.New("no") }}
	u, _ := url.Parse("ws://" + addr + "/")
	if _, err := p.Connect(context.Background(), u, nil); err == nil {
		t.Fatal("a refused connection was made")
	}
	if n := p.Meter.Sockets(); n != 0 {
		t.Errorf("Sockets() = %d after a refused connection, want 0", n)
	}
}

// TestMeterNil checks that a policy without a Meter returns connections as
// dialed, and that a nil Meter counts nothing.
func TestMeterNil(t *testing.T) {
	addr := listen(t, greet)
	var p Policy
	u, _ := url.Parse("ws://" + addr + "/")
	conn, err := p.Connect(context.Background(), u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, ok := conn.(*net.TCPConn); !ok {
		t.Errorf("Connect without a Meter returned a %T", conn)
	}
	if tc, m := TCPConn(conn); tc == nil || m != nil {
		t.Errorf("TCPConn = %v, %v; want the connection and no meter", tc, m)
	}
	var m *Meter
	m.Add(1, 2)
}

// BenchmarkMeteredRead is the cost of counting a read.
func BenchmarkMeteredRead(b *testing.B) {
	c := &meteredConn{Conn: nopConn{}, m: new(Meter)}
	buf := make([]byte, 64)
	b.ReportAllocs()
	for b.Loop() {
		c.Read(buf)
	}
}

// nopConn reads and writes everything at once.
type nopConn struct{ net.Conn }

func (nopConn) Read(p []byte) (int, error)  { return len(p), nil }
func (nopConn) Write(p []byte) (int, error) { return len(p), nil }
