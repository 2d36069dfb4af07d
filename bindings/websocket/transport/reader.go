package transport

import (
	"bufio"
	"io"
	"syscall"

	"github.com/wsjs/wsjs/bindings/network"
)

// lazyReader is the buffered reader of a connection. On a TCP socket, where
// the system allows reading its descriptor directly (Unix), it holds no
// buffer while nothing has arrived: it waits for the socket to become
// readable without one, then borrows a pooled buffer until everything read
// into it has been consumed. An idle connection, the common case when a
// program holds thousands of them, so costs no read buffer. Other streams
// (TLS, HTTP/2) keep their buffer, as a bufio.Reader would.
type lazyReader struct {
	// r is the stream, which a Conn also writes to and closes through this field.
	r  io.ReadWriteCloser
	rc syscall.RawConn // nil: keep the buffer, block in r.Read
	// idler, if set, is told Idle each time everything read so far has been
	// consumed, before reading from the stream, which may block. An interface,
	// not a bound method: setting it allocates nothing.
	idler Idler
	// readFn is l.readFd, bound on the first read from rc: waiting then
	// allocates nothing, and a socket never read holds no closure.
	readFn func(fd uintptr) bool
	meter  *network.Meter // told what readFd reads, or nil
	err    error          // what readFd met
	buf    *[]byte        // nil while empty, on a socket
	head   int
	tail   int
	parking
}

func newLazyReader(r io.ReadWriteCloser, pending *bufio.Reader) *lazyReader {
	l := &lazyReader{}
	l.init(r, pending)
	return l
}

// init readies a zero lazyReader, as newLazyReader does.
func (l *lazyReader) init(r io.ReadWriteCloser, pending *bufio.Reader) {
	l.r = r
	l.useRawSocket(r)
	// Bytes the handshake read past its response are the first frames.
	if pending != nil {
		if n := pending.Buffered(); n > 0 {
			l.buf = getBuf(max(n, readBufferSize))
			b, _ := pending.Peek(n)
			l.tail = copy(*l.buf, b)
		}
	}
}

// Read reads into p what is buffered, or else from the stream: directly into p
// when p is at least a buffer's size, through a borrowed buffer otherwise.
func (l *lazyReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if l.head == l.tail {
		l.drained()
		if len(p) >= readBufferSize {
			l.releaseIfIdle()
			for {
				n, err := l.r.Read(p)
				if n == 0 && l.expired(err) {
					continue
				}
				return n, err
			}
		}
		if err := l.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, (*l.buf)[l.head:l.tail])
	l.head += n
	return n, nil
}

// canWait reports whether everything read has been consumed on a socket, where the
// reader may wait for more with wait.
func (l *lazyReader) canWait() bool { return l.head == l.tail && l.rc != nil }

// wait waits until something has arrived and reads it into the buffer, after
// telling the idler. It returns errParked if it handed the socket to the
// poller instead (park.go).
func (l *lazyReader) wait() error {
	l.drained()
	if l.parks {
		return l.waitOrPark()
	}
	return l.fill()
}

// drained tells the idler, if any, that everything read has been consumed.
func (l *lazyReader) drained() {
	if l.idler != nil {
		l.idler.Idle()
	}
}

// fill reads what has arrived into the buffer, at most its size, waiting
// for something to arrive if need be.
func (l *lazyReader) fill() error {
	l.head, l.tail = 0, 0
	if l.rc != nil {
		// On a socket the read is made when it is readable, in the runtime's
		// callback: one system call when data is there, and no buffer held
		// while waiting.
		for {
			err := l.readRaw()
			if !l.expired(err) {
				return err
			}
		}
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

func (l *lazyReader) releaseIfIdle() {
	if l.head == l.tail && l.rc != nil && l.buf != nil {
		putBuf(l.buf)
		l.buf, l.head, l.tail = nil, 0, 0
	}
}

// readRaw reads what has arrived on the socket, waiting for something if need
// be.
func (l *lazyReader) readRaw() error {
	if l.readFn == nil {
		l.readFn = l.readFd
	}
	if err := l.rc.Read(l.readFn); err != nil {
		return err
	}
	err := l.err
	l.err = nil
	return err
}

// discardAll reads and drops everything until the end of the stream, returning
// nil at a clean end.
func (l *lazyReader) discardAll() error {
	l.disarm()
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
