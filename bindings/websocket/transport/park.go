package transport

import (
	"errors"
	"os"
	"time"

	"github.com/wsjs/wsjs/bindings/internal/idlepoll"
)

// A connection whose socket has had nothing to read for a while hands it to
// the process's poller (package idlepoll) and its reading goroutine ends; a
// new one continues when bytes arrive or the connection is closed. A
// connection starts that way, its first reading goroutine started by the
// poller when the first bytes arrive. Idle
// connections so cost no goroutine and no stack. The wait for a while is a
// read deadline on the socket, armed when the reader starts waiting and
// re-armed once per period while bytes flow, so that busy connections do not
// pay for parking at every pause between messages.
//
// Only plain TCP sockets on Linux are parked. A TLS connection keeps its
// goroutine: crypto/tls reads whole records, so the descriptor having nothing
// to read says nothing about the plaintext it may hold, and that reader keeps
// a buffer anyway. HTTP/2 streams and other systems keep theirs too.

// idleAfter is how long a reader waits with nothing arriving before it parks
// its socket: it parks after between one and two such periods of silence.
const idleAfter = 200 * time.Millisecond

// parkedHook, if set (by tests), is called each time a socket is parked.
var parkedHook func()

// errParked: the socket was handed to the poller; the reading goroutine ends.
var errParked = errors.New("transport: socket parked")

// parking is the lazyReader's part in parking its socket.
type parking struct {
	idle   idlepoll.Waiter
	dl     interface{ SetReadDeadline(time.Time) error } // the socket
	parks  bool                                          // a TCP socket where idlepoll works
	armed  bool                                          // the read deadline is set
	active bool                                          // bytes were read since it was set
}

// enableParking lets the reader park its socket, r continuing the reading
// once the socket is readable or Wake was called.
func (l *lazyReader) enableParking(r idlepoll.Resumer) {
	if idlepoll.Supported && l.rc != nil && l.dl != nil {
		l.parks = true
		l.idle.Resumer = r
	}
}

// unparker is a Conn as the poller's idlepoll.Resumer: a conversion of the
// Conn's pointer, which allocates nothing (Conn.Resume ends a pause).
type unparker Conn

func (u *unparker) Resume() { (*Conn)(u).resume() }

// wake resumes a parked socket's reading, for example to see it closed.
func (l *lazyReader) wake() {
	if l.parks {
		l.idle.Wake()
	}
}

// parkAtStart parks the socket before anything was read from it, if nothing
// is buffered, reporting whether it did.
func (l *lazyReader) parkAtStart() bool {
	return l.parks && l.canWait() && l.park()
}

// park hands the socket to the poller, reporting whether it took it.
func (l *lazyReader) park() bool {
	// The hook is read before the handoff: once the poller has the socket, a
	// new goroutine may finish the connection, and its test end, meanwhile.
	hook := parkedHook
	if !l.idle.Park(l.rc) {
		return false
	}
	if hook != nil {
		hook()
	}
	return true
}

// arm sets the read deadline that ends a wait idleAfter from now.
func (l *lazyReader) arm() {
	l.dl.SetReadDeadline(time.Now().Add(idleAfter))
	l.armed, l.active = true, false
}

// disarm clears the read deadline.
func (l *lazyReader) disarm() {
	if l.armed {
		l.dl.SetReadDeadline(time.Time{})
		l.armed = false
	}
}

// expired reports whether err is the deadline passing while bytes were still
// expected (inside a message), re-arming it: the read is then retried.
func (l *lazyReader) expired(err error) bool {
	if l.armed && errors.Is(err, os.ErrDeadlineExceeded) {
		l.arm()
		return true
	}
	return false
}

// waitOrPark waits, with nothing buffered, for bytes to arrive and reads them,
// or parks the socket once it has been silent long enough and returns
// errParked. Once the poller took the socket nothing here is touched again:
// the goroutine that resumes owns the reader.
func (l *lazyReader) waitOrPark() error {
	l.head, l.tail = 0, 0
	for {
		if !l.armed {
			l.arm()
		}
		err := l.readRaw()
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			return err
		}
		if l.active {
			l.arm() // bytes arrived during the period: not idle yet
			continue
		}
		l.disarm()
		if l.park() {
			return errParked
		}
	}
}
