package transport

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// watchParking counts the reading goroutines that end because their socket
// was parked, for the rest of the test.
func watchParking(t *testing.T) <-chan struct{} {
	parked := make(chan struct{}, 1024)
	parkedHook = func() { parked <- struct{}{} }
	t.Cleanup(func() { parkedHook = nil })
	return parked
}

func waitParked(t *testing.T, parked <-chan struct{}, n int) {
	t.Helper()
	for i := range n {
		select {
		case <-parked:
		case <-time.After(waitLimit):
			t.Fatalf("%d of %d sockets parked", i, n)
		}
	}
}

// TestIdleConnsHoldNoGoroutine opens many connections that receive nothing:
// once they are parked no goroutine of theirs is left, and each still gets
// what arrives afterwards, then closes cleanly.
func TestIdleConnsHoldNoGoroutine(t *testing.T) {
	const n = 50
	parked := watchParking(t)
	send := make(chan struct{})
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("")
		<-send
		sc.conn.Write(frame(true, 0, ws.OpText, []byte("after idle")))
		sc.readClose()
		sc.conn.Write(frame(true, 0, ws.OpClose, closeBody(1000, "")))
	})
	conns := make([]*Conn, n)
	recs := make([]*recorder, n)
	for i := range n {
		conns[i], recs[i] = dialStart(t, s.URL, nil)
	}
	waitParked(t, parked, n)
	if g := transportGoroutines(); len(g) > 0 {
		t.Fatalf("%d goroutines left with every socket parked; the first:\n%s", len(g), g[0])
	}
	close(send)
	for i := range n {
		if e := recs[i].waitMessage(t); string(e.data) != "after idle" {
			t.Fatalf("socket %d got %q", i, e.data)
		}
		conns[i].Close(1000, "")
	}
	for i := range n {
		if res := recs[i].waitClosed(t); !res.WasClean {
			t.Errorf("socket %d: %+v", i, res)
		}
	}
}

// sendMessages has the server send, at once, messages (some fragmented) and a
// ping, with c paused meanwhile if pause is set; they arrive in order and the
// ping is answered.
func sendMessages(t *testing.T, c *Conn, r *recorder, scs chan *serverConn, pause bool) {
	sc := <-scs
	if pause {
		c.Pause()
	}
	var want [][]byte
	var b bytes.Buffer
	for i := range 300 {
		msg := []byte(fmt.Sprintf("message %d", i))
		want = append(want, msg)
		if i%3 == 0 { // fragmented
			b.Write(frame(false, 0, ws.OpText, msg[:4]))
			b.Write(frame(true, 0, ws.OpContinuation, msg[4:]))
		} else {
			b.Write(frame(true, 0, ws.OpText, msg))
		}
	}
	b.Write(frame(true, 0, ws.OpPing, []byte("ping")))
	sc.conn.Write(b.Bytes())
	if pause {
		c.Resume()
	}
	for i, w := range want {
		if e := r.waitMessage(t); !bytes.Equal(e.data, w) {
			t.Fatalf("message %d: %q, want %q", i, e.data, w)
		}
	}
	f, err := sc.readFrame()
	if err != nil || f.Header.OpCode != ws.OpPong || string(f.Payload) != "ping" {
		t.Fatalf("answer to the ping: %v %q, %v", f.Header.OpCode, f.Payload, err)
	}
	scs <- sc
}

// TestParkedConn parks a connection and checks what still works: messages
// arriving afterwards, in order, including fragmented ones;
// pings answered; and every way of ending the connection.
func TestParkedConn(t *testing.T) {
	type step func(t *testing.T, c *Conn, r *recorder, sc chan *serverConn)
	messages := func(t *testing.T, c *Conn, r *recorder, scs chan *serverConn) {
		sendMessages(t, c, r, scs, false)
	}
	pausedMessages := func(t *testing.T, c *Conn, r *recorder, scs chan *serverConn) {
		sendMessages(t, c, r, scs, true)
	}
	tests := []struct {
		name  string
		cfg   Config
		steps []step
		want  func(CloseResult) bool
	}{
		{"close", Config{}, []step{
			func(t *testing.T, c *Conn, r *recorder, scs chan *serverConn) {
				c.Close(1000, "bye")
				sc := <-scs
				if code, _, err := sc.readClose(); code != 1000 || err != nil {
					t.Errorf("close frame %d, %v", code, err)
				}
				sc.conn.Write(frame(true, 0, ws.OpClose, closeBody(1000, "")))
				sc.conn.Close()
				scs <- sc
			},
		}, func(res CloseResult) bool { return res.WasClean && res.Code == 1000 }},
		{"abort", Config{}, []step{
			func(t *testing.T, c *Conn, r *recorder, scs chan *serverConn) { c.Abort() },
		}, func(res CloseResult) bool { return res.Err == ErrAborted }},
		{"close times out", Config{CloseTimeout: 50 * time.Millisecond}, []step{
			func(t *testing.T, c *Conn, r *recorder, scs chan *serverConn) { c.Close(1000, "") },
		}, func(res CloseResult) bool { return res.Err == ErrCloseTimeout }},
		{"peer ends the stream", Config{}, []step{
			func(t *testing.T, c *Conn, r *recorder, scs chan *serverConn) {
				sc := <-scs
				sc.conn.Close()
				scs <- sc
			},
		}, func(res CloseResult) bool { return !res.WasClean && res.Code == codeAbnormal }},
		{"messages, twice", Config{}, []step{messages, messages},
			func(res CloseResult) bool { return res.Err == ErrAborted }},
		{"paused while parked", Config{}, []step{pausedMessages, messages}, func(res CloseResult) bool { return res.Err == ErrAborted }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parked := watchParking(t)
			scs := make(chan *serverConn, 1)
			done := make(chan struct{})
			s := newTestServer(t, func(sc *serverConn) {
				sc.upgrade("")
				scs <- sc
				<-done
			})
			defer close(done)
			cfg := tt.cfg
			c, r := dialStart(t, s.URL, &cfg)
			for _, st := range tt.steps {
				waitParked(t, parked, 1)
				st(t, c, r, scs)
			}
			if tt.name != "close" && tt.name != "close times out" && tt.name != "peer ends the stream" {
				c.Abort()
			}
			if res := r.waitClosed(t); !tt.want(res) {
				t.Errorf("result %+v", res)
			}
		})
	}
}

// TestSilenceInsideMessage has the server stop in the middle of a message for
// longer than a reader waits before parking: the read in progress outlives its
// deadline and the message arrives whole.
func TestSilenceInsideMessage(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 8<<10) // read directly, not through the buffer
	tests := []struct {
		name    string
		payload []byte
		split   int
	}{
		{"in the header", []byte("small"), 1},
		{"in a small payload", []byte("small"), 4},
		{"in a large payload", big, 4 + 64<<10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, func(sc *serverConn) {
				sc.upgrade("")
				sc.readFrame() // the client is waiting for a message by now
				f := frame(true, 0, ws.OpBinary, tt.payload)
				sc.conn.Write(f[:tt.split])
				time.Sleep(3 * idleAfter) // the silence under test, not a wait for an event
				sc.conn.Write(f[tt.split:])
				readAll(sc.conn)
			})
			c, r := dialStart(t, s.URL, nil)
			c.SendText("go")
			if e := r.waitMessage(t); !bytes.Equal(e.data, tt.payload) {
				t.Fatalf("got %d bytes, want %d", len(e.data), len(tt.payload))
			}
		})
	}
}

// TestWakeRacesData aborts parked connections while their data arrives: each
// reports its end once and its reading ends (checked by dialStart's cleanup).
func TestWakeRacesData(t *testing.T) {
	const n = 20
	parked := watchParking(t)
	send := make(chan struct{})
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("")
		<-send
		sc.conn.Write(frame(true, 0, ws.OpText, []byte("racing")))
		readAll(sc.conn)
	})
	conns := make([]*Conn, n)
	recs := make([]*recorder, n)
	for i := range n {
		conns[i], recs[i] = dialStart(t, s.URL, nil)
	}
	waitParked(t, parked, n)
	close(send)
	for _, c := range conns {
		go c.Abort()
	}
	for i := range n {
		if res := recs[i].waitClosed(t); res.Err != ErrAborted {
			t.Errorf("socket %d: %+v", i, res)
		}
	}
}
