package idlepoll

import (
	"net"
	"runtime"
	"syscall"
	"testing"
)

// pair returns the two ends of a loopback TCP connection.
func pair(t testing.TB, ln net.Listener) (*net.TCPConn, net.Conn) {
	t.Helper()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	s, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); s.Close() })
	return c.(*net.TCPConn), s
}

func listen(t testing.TB) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

func rawConn(t testing.TB, c *net.TCPConn) syscall.RawConn {
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

// parked is a socket handed to the poller whose Resume reports on a channel.
type parked struct {
	w       Waiter
	resumed chan struct{}
}

func (p *parked) Resume() { p.resumed <- struct{}{} }

func newParked() *parked {
	p := &parked{resumed: make(chan struct{}, 4)}
	p.w.Resumer = p
	return p
}

func TestParkedSocketsHoldNoGoroutine(t *testing.T) {
	const n = 200
	ln := listen(t)
	start() // the poller's own goroutine is not the sockets'
	clients := make([]*net.TCPConn, n)
	servers := make([]net.Conn, n)
	for i := range n {
		clients[i], servers[i] = pair(t, ln)
	}
	before := runtime.NumGoroutine()
	ps := make([]*parked, n)
	for i := range n {
		ps[i] = newParked()
		if !ps[i].w.Park(rawConn(t, clients[i])) {
			t.Fatalf("socket %d not parked", i)
		}
	}
	if g := runtime.NumGoroutine(); g > before {
		t.Errorf("%d goroutines with %d sockets parked, %d before", g, n, before)
	}
	// Data arriving, even after a long wait, resumes each socket once, and it
	// is still there to read.
	for i := range n {
		if _, err := servers[i].Write([]byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		<-ps[i].resumed
		var b [1]byte
		if _, err := clients[i].Read(b[:]); err != nil || b[0] != byte(i) {
			t.Fatalf("socket %d read %v, %v", i, b[0], err)
		}
	}
}

func TestPark(t *testing.T) {
	ln := listen(t)
	tests := []struct {
		name string
		// before runs before Park; after, once it took the socket.
		before, after func(c *net.TCPConn, s net.Conn, w *Waiter)
		parks         bool
	}{
		{"data already there", func(_ *net.TCPConn, s net.Conn, _ *Waiter) { s.Write([]byte("x")) }, nil, true},
		{"data later", nil, func(_ *net.TCPConn, s net.Conn, _ *Waiter) { s.Write([]byte("x")) }, true},
		{"peer closes", nil, func(_ *net.TCPConn, s net.Conn, _ *Waiter) { s.Close() }, true},
		{"woken", nil, func(_ *net.TCPConn, _ net.Conn, w *Waiter) { w.Wake() }, true},
		{"closed while parked", nil, func(c *net.TCPConn, _ net.Conn, w *Waiter) { c.Close(); w.Wake() }, true},
		{"woken before", func(_ *net.TCPConn, _ net.Conn, w *Waiter) { w.Wake() }, nil, false},
		{"closed before", func(c *net.TCPConn, _ net.Conn, _ *Waiter) { c.Close() }, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, s := pair(t, ln)
			rc := rawConn(t, c)
			p := newParked()
			if tt.before != nil {
				tt.before(c, s, &p.w)
			}
			if got := p.w.Park(rc); got != tt.parks {
				t.Fatalf("Park = %v, want %v", got, tt.parks)
			}
			if !tt.parks {
				return
			}
			if tt.after != nil {
				tt.after(c, s, &p.w)
			}
			<-p.resumed
		})
	}
}

// TestParkAgain parks one socket many times: each time, data resumes it once,
// and a Wake racing with the data resumes it once too.
func TestParkAgain(t *testing.T) {
	c, s := pair(t, listen(t))
	rc := rawConn(t, c)
	p := newParked()
	resumes := 0
	for i := range 100 {
		if !p.w.Park(rc) {
			// A Wake of the round before came after its resume.
			if !p.w.Park(rc) {
				t.Fatalf("round %d: not parked", i)
			}
		}
		done := make(chan struct{})
		go func() {
			s.Write([]byte{byte(i)})
			if i%2 == 1 {
				p.w.Wake()
			}
			close(done)
		}()
		<-p.resumed
		resumes++
		var b [1]byte
		if _, err := c.Read(b[:]); err != nil || b[0] != byte(i) {
			t.Fatalf("round %d: read %v, %v", i, b[0], err)
		}
		<-done
	}
	select {
	case <-p.resumed:
		t.Fatal("resumed once too many")
	default:
	}
}
