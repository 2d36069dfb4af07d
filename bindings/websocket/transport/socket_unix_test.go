//go:build unix

package transport

import (
	"encoding/binary"
	"io"
	"strings"
	"testing"

	"github.com/gobwas/ws"
)

func TestLazyReaderReleasesBufferWhileIdle(t *testing.T) {
	client, server := tcpPair(t)
	l := newLazyReader(client, nil)
	if l.rc == nil {
		t.Fatal("no raw connection on a TCP socket")
	}
	for _, msg := range []string{"hello", strings.Repeat("x", 3000), "a"} {
		if _, err := server.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		got := make([]byte, len(msg))
		if _, err := io.ReadFull(l, got); err != nil {
			t.Fatal(err)
		}
		if string(got) != msg {
			t.Fatalf("read %q, want %q", got, msg)
		}
		// Everything was consumed: with nothing to read, the read attempted
		// before blocking finds nothing and gives the buffer back.
		if l.buf == nil {
			t.Fatal("no buffer right after reading")
		}
		var ready bool
		if err := l.rc.Control(func(fd uintptr) { ready = l.readFd(fd) }); err != nil {
			t.Fatal(err)
		}
		if ready || l.buf != nil {
			t.Fatalf("idle socket: ready %v, buffer kept %v", ready, l.buf != nil)
		}
		// A read now waits without a buffer until data arrives.
		done := make(chan []byte)
		go func() {
			var one [1]byte
			n, _ := l.Read(one[:])
			done <- one[:n]
		}()
		server.Write([]byte{'!'})
		if b := <-done; string(b) != "!" {
			t.Fatalf("after waiting: %q", b)
		}
	}
}

// TestInlineWriteLeavesRestToWriter checks small messages written where they are
// sent: while the server reads nothing, one such write fills the socket buffers part
// way through a frame, the writer goroutine finishes it, and the messages after it
// queue behind; the server then gets every message whole and in order, and every
// byte is reported sent.
func TestInlineWriteLeavesRestToWriter(t *testing.T) {
	const (
		size  = 10 << 10 // under inlineMax
		count = 3000     // 30 MB: far more than the socket buffers hold
	)
	release := make(chan struct{})
	got := make(chan int, 1)
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("")
		<-release
		n := 0
		for {
			f, err := sc.readFrame()
			if err != nil || f.Header.OpCode == ws.OpClose {
				break
			}
			if len(f.Payload) != size || binary.BigEndian.Uint32(f.Payload) != uint32(n) {
				t.Errorf("message %d: %d bytes, number %d", n, len(f.Payload), binary.BigEndian.Uint32(f.Payload))
				break
			}
			n++
		}
		got <- n
		sc.conn.Write(frame(true, 0, ws.OpClose, closeBody(1000, "")))
	})
	c, r := dialStart(t, s.URL, &Config{DisableCompression: true, MaxBufferedBytes: 1 << 30})
	if c.br.rc == nil {
		t.Fatal("no raw connection: messages are never written where they are sent")
	}
	msg := make([]byte, size)
	for i := range count {
		binary.BigEndian.PutUint32(msg, uint32(i))
		if err := c.Send(true, msg); err != nil {
			t.Fatal(err)
		}
	}
	close(release)
	c.Close(1000, "")
	if n := <-got; n != count {
		t.Fatalf("the server got %d messages of %d", n, count)
	}
	res := r.waitClosed(t)
	r.mu.Lock()
	defer r.mu.Unlock()
	if !res.WasClean || res.Unsent != 0 || r.sent != count*size {
		t.Errorf("result %+v, %d bytes reported sent, want %d", res, r.sent, count*size)
	}
}
