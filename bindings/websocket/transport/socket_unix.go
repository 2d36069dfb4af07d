//go:build unix

package transport

import (
	"io"
	"net"
	"os"
	"syscall"

	"github.com/wsjs/wsjs/bindings/network"
)

// On Unix, Go keeps sockets non-blocking and waits for them in its poller, so
// the descriptor of a TCP connection can be read and written with system
// calls made when the socket is ready: a reader then holds no buffer while it
// waits, and a small message is written where it is sent.

// rawTCP returns the raw connection of s if s is a TCP socket, or one that a
// network.Meter counts, nil otherwise; the socket itself; and the meter, which
// is told what the system calls on the descriptor carry, since they bypass s.
func rawTCP(s any) (syscall.RawConn, *net.TCPConn, *network.Meter) {
	tc, m := network.TCPConn(s)
	if tc == nil {
		return nil, nil, nil
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return nil, nil, nil
	}
	return rc, tc, m
}

// useRawSocket makes l read r's descriptor directly if r is a TCP socket (and
// a Conn write small messages where they are sent).
func (l *lazyReader) useRawSocket(r io.Reader) {
	if rc, tc, m := rawTCP(r); rc != nil {
		l.rc, l.meter, l.dl = rc, m, tc
	}
}

// readFd is called by the socket's RawConn.Read when the socket may be
// readable; it reads into the buffer, borrowing one if none is held. Nothing
// there yet: the buffer goes back to the pool and it asks to be called again
// once the socket is readable.
func (l *lazyReader) readFd(fd uintptr) bool {
	if l.buf == nil {
		l.buf = getBuf(readBufferSize)
	}
	for {
		n, err := syscall.Read(int(fd), (*l.buf)[:readBufferSize])
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN:
			putBuf(l.buf)
			l.buf = nil
			return false
		case err != nil:
			l.err = os.NewSyscallError("read", err)
		case n == 0:
			l.err = io.EOF
		default:
			l.tail = n
			l.active = true
			l.meter.Add(n, 0)
		}
		return true
	}
}

// writeFd is writeNow's callback: it writes what the socket takes now of
// c.inline.rest, leaving there what it did not take.
func (c *Conn) writeFd(fd uintptr) bool {
	w := c.inline
	for len(w.rest) > 0 {
		n, e := syscall.Write(int(fd), w.rest)
		if n > 0 {
			w.rest = w.rest[n:]
			c.br.meter.Add(0, n)
		}
		switch {
		case e == syscall.EINTR:
			continue
		case e == syscall.EAGAIN:
			return true
		case e != nil:
			w.err = os.NewSyscallError("write", e)
			return true
		}
	}
	return true
}
