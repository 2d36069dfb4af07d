package transport

import (
	"bufio"
	"errors"
	"io"
	"net"
	"syscall"
)

// lazyReader is the buffered reader of a connection. On a TCP socket it holds
// no buffer while nothing has arrived: it waits for the socket to become
// readable without one, then borrows a pooled buffer until everything read
// into it has been consumed. An idle connection, the common case when a
// program holds thousands of them, so costs no read buffer. Other streams
// (TLS, HTTP/2) keep their buffer, as a bufio.Reader would.
type lazyReader struct {
	r  io.Reader
	rc syscall.RawConn // nil: keep the buffer, block in r.Read
	// peekFn is l.peek, bound once: waiting allocates nothing.
	peekFn func(fd uintptr) bool
	buf    *[]byte // nil while empty, on a socket
	head   int
	tail   int
}

func newLazyReader(r io.Reader, pending *bufio.Reader) *lazyReader {
	l := &lazyReader{r: r}
	l.peekFn = l.peek
	if tc, ok := r.(*net.TCPConn); ok {
		if rc, err := tc.SyscallConn(); err == nil {
			l.rc = rc
		}
	}
	// Bytes the handshake read past its response are the first frames.
	if pending != nil {
		if n := pending.Buffered(); n > 0 {
			l.buf = getBuf(max(n, readBufferSize))
			b, _ := pending.Peek(n)
			l.tail = copy(*l.buf, b)
		}
	}
	return l
}

// Read reads into p what is buffered, or else from the stream: directly into p
// when p is at least a buffer's size, through a borrowed buffer otherwise.
func (l *lazyReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if l.head == l.tail {
		if len(p) >= readBufferSize {
			l.releaseIfIdle()
			return l.r.Read(p)
		}
		if err := l.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, (*l.buf)[l.head:l.tail])
	l.head += n
	return n, nil
}

// fill reads into the empty buffer. On a socket with nothing to read it gives
// the buffer back while it waits, and borrows one once data has arrived.
func (l *lazyReader) fill() error {
	l.head, l.tail = 0, 0
	if err := l.waitReadable(); err != nil {
		return err
	}
	if l.buf == nil {
		l.buf = getBuf(readBufferSize)
	}
	for {
		n, err := l.r.Read((*l.buf)[:readBufferSize])
		if n > 0 {
			l.tail = n
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// releaseIfIdle gives an empty buffer back, on a socket.
func (l *lazyReader) releaseIfIdle() {
	if l.head == l.tail && l.rc != nil && l.buf != nil {
		putBuf(l.buf)
		l.buf, l.head, l.tail = nil, 0, 0
	}
}

// waitReadable blocks until a read would not block: data, the end of the
// stream or an error. Before blocking it gives the buffer back. It peeks rather
// than trusting the poller's last event, which an earlier read may have
// consumed without emptying the socket.
func (l *lazyReader) waitReadable() error {
	if l.rc == nil {
		return nil
	}
	return l.rc.Read(l.peekFn)
}

// peek reports whether a read of fd would not block; if it would, it gives the
// buffer back first.
func (l *lazyReader) peek(fd uintptr) bool {
	var one [1]byte
	for {
		_, _, e := syscall.Recvfrom(int(fd), one[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case e == nil:
			return true
		case errors.Is(e, syscall.EINTR):
			continue
		case errors.Is(e, syscall.EAGAIN):
			l.releaseIfIdle()
			return false
		default:
			return true // the read that follows reports the error
		}
	}
}

// discardAll reads and drops everything until the end of the stream, returning
// nil at a clean end.
func (l *lazyReader) discardAll() error {
	l.head, l.tail = 0, 0
	if l.buf == nil {
		l.buf = getBuf(readBufferSize)
	}
	defer func() {
		putBuf(l.buf)
		l.buf = nil
	}()
	for {
		_, err := l.r.Read((*l.buf)[:readBufferSize])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
