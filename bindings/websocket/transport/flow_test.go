package transport

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// shrinkWriteBuffer makes the kernel's send buffer of a loopback connection
// small, so that writes stall soon after the other side stops reading. (The
// receive buffers keep their size: shrinking a receive window after the
// connection is set up leaves the sender probing a closed window for a long
// time.)
func shrinkWriteBuffer(t testing.TB, conn any) {
	t.Helper()
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		t.Fatalf("%T is not a TCP connection", conn)
	}
	if err := tc.SetWriteBuffer(4096); err != nil {
		t.Fatal(err)
	}
}

// TestPingFloodBoundsPongs: a server floods pings and reads nothing, so the
// client's pongs cannot be written. RFC 6455 section 5.5.3
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.5.3) lets the client answer
// only the most recent ping; the queue never holds more than 1
// pongs, every ping is still processed, and the last pong carries the last
// ping's data.
func TestPingFloodBoundsPongs(t *testing.T) {
	const pings = 20000
	flooded := make(chan struct{})
	readNow := make(chan struct{})
	type seen struct {
		pongs int
		last  uint64
		err   error
	}
	result := make(chan seen, 1)
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("")
		p := make([]byte, maxControlPayload)
		var flood bytes.Buffer
		for i := range pings {
			binary.BigEndian.PutUint64(p, uint64(i))
			flood.Write(frame(true, 0, ws.OpPing, p))
		}
		flood.Write(frame(true, 0, ws.OpText, []byte("after the flood")))
		if _, err := sc.conn.Write(flood.Bytes()); err != nil {
			result <- seen{err: err}
			return
		}
		close(flooded)
		<-readNow
		var got seen
		for {
			f, err := sc.readFrame()
			if err != nil {
				got.err = err
				break
			}
			if f.Header.OpCode == ws.OpPong {
				got.pongs++
				got.last = binary.BigEndian.Uint64(f.Payload)
			}
			if f.Header.OpCode == ws.OpClose {
				sc.conn.Write(frame(true, 0, ws.OpClose, f.Payload))
				break
			}
		}
		result <- got
	})
	c, err := dialConn(s)
	if err != nil {
		t.Fatal(err)
	}
	shrinkWriteBuffer(t, c.br.r)
	r := start(t, c)
	<-flooded
	if e := r.waitMessage(t); string(e.data) != "after the flood" {
		t.Fatalf("message %q", e.data)
	}
	// Every ping has been read; the writer is stalled on the full stream.
	c.mu.Lock()
	queued := 0
	for _, f := range c.ctrlQ {
		if f.op == ws.OpPong {
			queued++
		}
	}
	c.mu.Unlock()
	if queued > maxQueuedPongs {
		t.Errorf("%d pongs queued, want at most %d", queued, maxQueuedPongs)
	}
	c.Close(1000, "")
	close(readNow)
	got := <-result
	if got.err != nil {
		t.Fatalf("server: %v", got.err)
	}
	if got.pongs == 0 || got.pongs >= pings || got.last != pings-1 {
		t.Errorf("server saw %d pongs, the last for ping %d; want fewer than %d, the last for ping %d", got.pongs, got.last, pings, pings-1)
	}
	if res := r.waitClosed(t); !res.WasClean || res.Code != 1000 {
		t.Errorf("result %+v", res)
	}
}

// TestPauseResume: while paused the client reads nothing, so the server's
// writes stall (TCP flow control); after Resume every message arrives, in
// order and intact.
func TestPauseResume(t *testing.T) {
	const n, size = 1000, 16 << 10
	msg := func(i int) []byte {
		p := bytes.Repeat([]byte{byte(i)}, size)
		binary.BigEndian.PutUint32(p, uint32(i))
		return p
	}
	blocked := make(chan int, 1)
	s := newTestServer(t, func(sc *serverConn) {
		shrinkWriteBuffer(t, sc.conn)
		sc.upgrade("")
		// The write deadline is how the server notices that the client no
		// longer reads.
		sc.conn.SetWriteDeadline(time.Now().Add(300 * time.Millisecond))
		stalled := -1
		for i := range n {
			f := frame(true, 0, ws.OpBinary, msg(i))
			w, err := sc.conn.Write(f)
			if errors.Is(err, os.ErrDeadlineExceeded) && stalled < 0 {
				stalled = i
				blocked <- i
				sc.conn.SetWriteDeadline(time.Time{})
				_, err = sc.conn.Write(f[w:])
			}
			if err != nil {
				return
			}
		}
		if stalled < 0 {
			blocked <- -1
		}
		echoLoop(sc)
	})
	c, err := dialConn(s)
	if err != nil {
		t.Fatal(err)
	}
	c.Pause()
	r := start(t, c)
	at := <-blocked
	if at < 0 {
		t.Fatal("the server's writes never stalled while the client was paused")
	}
	if k := len(r.msgs); k != 0 {
		t.Fatalf("%d messages delivered while paused", k)
	}
	c.Pause() // pausing twice is harmless
	c.Resume()
	c.Resume()
	for i := range n {
		e := r.waitMessage(t)
		if !e.binary || !bytes.Equal(e.data, msg(i)) {
			t.Fatalf("message %d: %d bytes starting %x", i, len(e.data), e.data[:min(8, len(e.data))])
		}
	}
	c.Close(1000, "")
	if res := r.waitClosed(t); !res.WasClean || res.Code != 1000 {
		t.Errorf("result %+v", res)
	}
}

// TestPauseNeverHoldsUpClosing: a paused connection still completes a
// closing handshake, and Abort still ends it.
func TestPauseNeverHoldsUpClosing(t *testing.T) {
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("", frame(true, 0, ws.OpText, []byte("queued")))
		echoLoop(sc)
	})
	t.Run("close", func(t *testing.T) {
		c, err := dialConn(s)
		if err != nil {
			t.Fatal(err)
		}
		c.Pause()
		r := start(t, c)
		c.Close(1000, "bye")
		res := r.waitClosed(t)
		if !res.WasClean || res.Code != 1000 {
			t.Errorf("result %+v", res)
		}
		c.Pause() // after the end: nothing happens
	})
	t.Run("abort", func(t *testing.T) {
		c, err := dialConn(s)
		if err != nil {
			t.Fatal(err)
		}
		c.Pause()
		r := start(t, c)
		c.Abort()
		if res := r.waitClosed(t); res.WasClean || !errors.Is(res.Err, ErrAborted) {
			t.Errorf("result %+v", res)
		}
	})
}

// TestKeepaliveWhilePaused: silence while paused is not taken for a dead
// peer, but it is again once reading resumes.
func TestKeepaliveWhilePaused(t *testing.T) {
	pings := make(chan struct{}, 64)
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("")
		for {
			f, err := sc.readFrame()
			if err != nil {
				return
			}
			if f.Header.OpCode == ws.OpPing {
				select {
				case pings <- struct{}{}:
				default:
				}
			}
		}
	})
	c, err := dialConn(s)
	if err != nil {
		t.Fatal(err)
	}
	c.lim.pingInterval = 10 * time.Millisecond
	c.Pause()
	r := start(t, c)
	for range 5 {
		select {
		case <-pings:
		case res := <-r.closed:
			t.Fatalf("closed while paused: %+v", res)
		case <-time.After(waitLimit):
			t.Fatal("no ping")
		}
	}
	c.Resume()
	if res := r.waitClosed(t); !errors.Is(res.Err, ErrPingTimeout) {
		t.Errorf("result %+v", res)
	}
}
