package transport

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

func TestFragmentedMessageWithPing(t *testing.T) {
	pong := make(chan []byte, 1)
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("")
		// "héllo wörld" split inside the two-byte sequences, with a ping
		// between fragments.
		msg := []byte("héllo wörld")
		sc.conn.Write(frame(false, 0, ws.OpText, msg[:2]))
		sc.conn.Write(frame(true, 0, ws.OpPing, []byte("are you there")))
		sc.conn.Write(frame(false, 0, ws.OpContinuation, msg[2:9]))
		sc.conn.Write(frame(false, 0, ws.OpContinuation, nil))
		sc.conn.Write(frame(true, 0, ws.OpContinuation, msg[9:]))
		for {
			f, err := sc.readFrame()
			if err != nil {
				return
			}
			if f.Header.OpCode == ws.OpPong {
				pong <- f.Payload
			}
			if f.Header.OpCode == ws.OpClose {
				sc.conn.Write(frame(true, 0, ws.OpClose, f.Payload))
				return
			}
		}
	})
	c, r := dialStart(t, s.URL, nil)
	if e := r.waitMessage(t); e.binary || string(e.data) != "héllo wörld" {
		t.Errorf("message %q binary=%v", e.data, e.binary)
	}
	select {
	case p := <-pong:
		if string(p) != "are you there" {
			t.Errorf("pong payload %q", p)
		}
	case <-time.After(waitLimit):
		t.Fatal("no pong")
	}
	c.Close(1000, "")
	if res := r.waitClosed(t); !res.WasClean || res.Code != 1000 {
		t.Errorf("result %+v", res)
	}
}

func TestEmptyMessages(t *testing.T) {
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("", frame(true, 0, ws.OpText, nil), frame(true, 0, ws.OpBinary, nil))
		sc.readClose()
	})
	c, r := dialStart(t, s.URL, nil)
	for _, bin := range []bool{false, true} {
		e := r.waitMessage(t)
		if e.binary != bin || e.data == nil || len(e.data) != 0 {
			t.Errorf("message %+v", e)
		}
	}
	c.Close(1000, "")
	r.waitClosed(t)
}

// TestFailures sends hostile or broken frames and checks the close code the
// client fails the connection with, and what it reports.
func TestFailures(t *testing.T) {
	long := func(n uint64) []byte { // header announcing n bytes
		b := []byte{0x82, 127, 0, 0, 0, 0, 0, 0, 0, 0}
		binary.BigEndian.PutUint64(b[2:], n)
		return b
	}
	masked := frame(true, 0, ws.OpText, []byte("hi"))
	masked[1] |= 0x80
	masked = append(masked[:2], append([]byte{1, 2, 3, 4}, masked[2:]...)...)
	tests := []struct {
		name    string
		frames  [][]byte
		cfg     Config
		code    int
		errText string
	}{
		{name: "masked server frame", frames: [][]byte{masked}, code: 1002, errText: "masked"},
		{name: "reserved data opcode", frames: [][]byte{frame(true, 0, 3, nil)}, code: 1002, errText: "reserved opcode"},
		{name: "reserved control opcode", frames: [][]byte{frame(true, 0, 0xB, nil)}, code: 1002, errText: "reserved opcode"},
		{name: "RSV1 without extension", frames: [][]byte{frame(true, 4, ws.OpText, []byte("x"))}, code: 1002, errText: "RSV"},
		{name: "RSV2", frames: [][]byte{frame(true, 2, ws.OpBinary, []byte("x"))}, code: 1002, errText: "RSV"},
		{name: "RSV3 on ping", frames: [][]byte{frame(true, 1, ws.OpPing, nil)}, code: 1002, errText: "RSV"},
		{name: "fragmented ping", frames: [][]byte{frame(false, 0, ws.OpPing, nil)}, code: 1002, errText: "fragmented control"},
		{name: "long ping", frames: [][]byte{frame(true, 0, ws.OpPing, make([]byte, 126))}, code: 1002, errText: "control frame of 126"},
		{name: "long close", frames: [][]byte{frame(true, 0, ws.OpClose, make([]byte, 200))}, code: 1002, errText: "control frame"},
		{name: "unexpected continuation", frames: [][]byte{frame(true, 0, ws.OpContinuation, []byte("x"))}, code: 1002, errText: "continuation"},
		{name: "missing continuation", frames: [][]byte{frame(false, 0, ws.OpText, []byte("a")), frame(true, 0, ws.OpText, []byte("b"))}, code: 1002, errText: "inside a fragmented"},
		{name: "invalid UTF-8", frames: [][]byte{frame(true, 0, ws.OpText, []byte{'a', 0xff})}, code: 1007, errText: "UTF-8"},
		{name: "surrogate in UTF-8", frames: [][]byte{frame(true, 0, ws.OpText, []byte{0xed, 0xa0, 0x80})}, code: 1007, errText: "UTF-8"},
		{name: "UTF-8 cut at message end", frames: [][]byte{frame(false, 0, ws.OpText, []byte("é")[:1]), frame(true, 0, ws.OpContinuation, nil)}, code: 1007, errText: "UTF-8"},
		{name: "invalid UTF-8 across fragments", frames: [][]byte{frame(false, 0, ws.OpText, []byte{0xf0, 0x9f}), frame(true, 0, ws.OpContinuation, []byte{0x41})}, code: 1007, errText: "UTF-8"},
		{name: "message too big", cfg: Config{MaxMessageSize: 10}, frames: [][]byte{frame(true, 0, ws.OpBinary, make([]byte, 11))}, code: 1009, errText: "exceeds"},
		{name: "fragments too big", cfg: Config{MaxMessageSize: 10}, frames: [][]byte{frame(false, 0, ws.OpBinary, make([]byte, 6)), frame(true, 0, ws.OpContinuation, make([]byte, 6))}, code: 1009, errText: "exceeds"},
		{name: "length 2^62", frames: [][]byte{long(1 << 62)}, code: 1009, errText: "exceeds"},
		{name: "length 2^63-1", frames: [][]byte{long(1<<63 - 1)}, code: 1009, errText: "exceeds"},
		{name: "continuation of length 2^63-1", frames: [][]byte{frame(false, 0, ws.OpBinary, []byte("0123456789")), append([]byte{0x00, 127, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "x"...)}, code: 1009, errText: "exceeds"},
		{name: "length with MSB", frames: [][]byte{long(1 << 63)}, code: 1002, errText: "most significant bit"},
		{name: "close with 1 byte", frames: [][]byte{frame(true, 0, ws.OpClose, []byte{3})}, code: 1002, errText: "1 byte"},
		{name: "close code 999", frames: [][]byte{frame(true, 0, ws.OpClose, closeBody(999, ""))}, code: 1002, errText: "status code 999"},
		{name: "close code 1004", frames: [][]byte{frame(true, 0, ws.OpClose, closeBody(1004, ""))}, code: 1002, errText: "1004"},
		{name: "close code 1005", frames: [][]byte{frame(true, 0, ws.OpClose, closeBody(1005, ""))}, code: 1002, errText: "1005"},
		{name: "close code 1006", frames: [][]byte{frame(true, 0, ws.OpClose, closeBody(1006, ""))}, code: 1002, errText: "1006"},
		{name: "close code 1015", frames: [][]byte{frame(true, 0, ws.OpClose, closeBody(1015, ""))}, code: 1002, errText: "1015"},
		{name: "close code 2999", frames: [][]byte{frame(true, 0, ws.OpClose, closeBody(2999, ""))}, code: 1002, errText: "2999"},
		{name: "close code 5000", frames: [][]byte{frame(true, 0, ws.OpClose, closeBody(5000, ""))}, code: 1002, errText: "5000"},
		{name: "close reason invalid UTF-8", frames: [][]byte{frame(true, 0, ws.OpClose, append(closeBody(1000, ""), 0xc0, 0x80))}, code: 1007, errText: "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make(chan int, 1)
			s := newTestServer(t, func(sc *serverConn) {
				sc.upgrade("", tt.frames...)
				code, _, err := sc.readClose()
				if err != nil {
					t.Errorf("server reading close: %v", err)
				}
				got <- code
			})
			cfg := tt.cfg
			cfg.DisableCompression = true
			_, r := dialStart(t, s.URL, &cfg)
			res := r.waitClosed(t)
			if code := <-got; code != tt.code {
				t.Errorf("close code sent %d, want %d", code, tt.code)
			}
			if !res.Failed || res.WasClean || res.Code != 1006 {
				t.Errorf("result %+v, want failed with 1006", res)
			}
			if res.Err == nil || !strings.Contains(res.Err.Error(), tt.errText) {
				t.Errorf("cause %v does not mention %q", res.Err, tt.errText)
			}
			r.mu.Lock()
			defer r.mu.Unlock()
			for _, e := range r.events {
				if e.kind == "message" {
					t.Errorf("message delivered: %q", e.data)
				}
			}
		})
	}
}

// TestFailFastUTF8 checks that invalid UTF-8 fails the connection before the
// rest of the message arrives.
func TestFailFastUTF8(t *testing.T) {
	got := make(chan int, 1)
	s := newTestServer(t, func(sc *serverConn) {
		// Announce 1 MiB, send an invalid prefix and nothing more.
		h := []byte{0x81, 127, 0, 0, 0, 0, 0, 0x10, 0, 0}
		sc.upgrade("", h, []byte{'o', 'k', 0xc3, 0x28})
		code, _, _ := sc.readClose()
		got <- code
	})
	_, r := dialStart(t, s.URL, nil)
	if code := <-got; code != 1007 {
		t.Errorf("close code %d, want 1007", code)
	}
	if res := r.waitClosed(t); !res.Failed {
		t.Errorf("result %+v", res)
	}
}

func TestCloseCases(t *testing.T) {
	tests := []struct {
		name    string
		server  func(sc *serverConn)
		client  func(c *Conn)
		cfg     Config
		want    CloseResult
		errIs   error
		errText string
	}{
		{
			name: "client close with code and reason",
			server: func(sc *serverConn) {
				code, reason, _ := sc.readClose()
				if code != 1000 || reason != "bye" {
					sc.t.Errorf("server got %d %q", code, reason)
				}
				sc.conn.Write(frame(true, 0, ws.OpClose, closeBody(code, reason)))
			},
			client: func(c *Conn) { c.Close(1000, "bye") },
			want:   CloseResult{WasClean: true, Code: 1000, Reason: "bye"},
		},
		{
			name: "client close without code",
			server: func(sc *serverConn) {
				f, _ := sc.readFrame()
				if f.Header.OpCode != ws.OpClose || len(f.Payload) != 0 {
					sc.t.Errorf("server got op %v payload %q", f.Header.OpCode, f.Payload)
				}
				sc.conn.Write(frame(true, 0, ws.OpClose, nil))
			},
			client: func(c *Conn) { c.Close(0, "") },
			want:   CloseResult{WasClean: true, Code: 1005},
		},
		{
			name: "server close echoed",
			server: func(sc *serverConn) {
				sc.conn.Write(frame(true, 0, ws.OpClose, closeBody(4000, "server says")))
				code, reason, err := sc.readClose()
				if err != nil || code != 4000 || reason != "" {
					sc.t.Errorf("echo %d %q %v", code, reason, err)
				}
			},
			want: CloseResult{WasClean: true, Code: 4000, Reason: "server says"},
		},
		{
			name: "server close without code",
			server: func(sc *serverConn) {
				sc.conn.Write(frame(true, 0, ws.OpClose, nil))
				code, _, err := sc.readClose()
				if err != nil || code != 1005 {
					sc.t.Errorf("echo %d %v", code, err)
				}
			},
			want: CloseResult{WasClean: true, Code: 1005},
		},
		{
			name: "server close then abrupt end",
			server: func(sc *serverConn) {
				sc.conn.Write(frame(true, 0, ws.OpClose, closeBody(1001, "PASS")))
			},
			want: CloseResult{WasClean: true, Code: 1001, Reason: "PASS"},
		},
		{
			name:    "server drops TCP without close",
			server:  func(sc *serverConn) {},
			want:    CloseResult{Code: 1006},
			errText: "without a close frame",
		},
		{
			name: "server drops TCP after our close",
			server: func(sc *serverConn) {
				sc.readClose()
			},
			client:  func(c *Conn) { c.Close(3000, "") },
			want:    CloseResult{Code: 1006},
			errText: "without a close frame",
		},
		{
			name: "close timeout",
			server: func(sc *serverConn) {
				sc.readClose()
				readAll(sc.br) // never answers, never closes
			},
			cfg:    Config{CloseTimeout: 50 * time.Millisecond},
			client: func(c *Conn) { c.Close(1000, "") },
			want:   CloseResult{Code: 1006},
			errIs:  ErrCloseTimeout,
		},
		{
			name: "server keeps TCP open after the handshake",
			server: func(sc *serverConn) {
				sc.conn.Write(frame(true, 0, ws.OpClose, closeBody(1000, "")))
				sc.readClose()
				readAll(sc.br)
			},
			cfg:  Config{CloseTimeout: 50 * time.Millisecond},
			want: CloseResult{WasClean: true, Code: 1000},
		},
		{
			name: "abort sends going away",
			server: func(sc *serverConn) {
				code, _, err := sc.readClose()
				if err != nil || code != 1001 {
					sc.t.Errorf("abort close %d %v", code, err)
				}
				readAll(sc.br)
			},
			client: func(c *Conn) { c.Abort() },
			want:   CloseResult{Code: 1006},
			errIs:  ErrAborted,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, func(sc *serverConn) {
				sc.upgrade("")
				tt.server(sc)
			})
			c, r := dialStart(t, s.URL, &tt.cfg)
			if tt.client != nil {
				tt.client(c)
			}
			res := r.waitClosed(t)
			gotErr := res.Err
			res.Err = nil
			if res != tt.want {
				t.Errorf("result %+v, want %+v", res, tt.want)
			}
			switch {
			case tt.want.WasClean && gotErr != nil:
				t.Errorf("clean close with error %v", gotErr)
			case tt.errIs != nil && !errors.Is(gotErr, tt.errIs):
				t.Errorf("cause %v, want %v", gotErr, tt.errIs)
			case tt.errText != "" && (gotErr == nil || !strings.Contains(gotErr.Error(), tt.errText)):
				t.Errorf("cause %v, want one mentioning %q", gotErr, tt.errText)
			}
		})
	}
}

func TestCloseArguments(t *testing.T) {
	s := newTestServer(t, echoHandler)
	c, r := dialStart(t, s.URL, nil)
	for _, bad := range []struct {
		code   int
		reason string
	}{{0, "x"}, {999, ""}, {1005, ""}, {2999, ""}, {5000, ""}, {1000, strings.Repeat("a", 124)}, {1000, "\xff"}} {
		if err := c.Close(bad.code, bad.reason); err == nil {
			t.Errorf("Close(%d, %q) accepted", bad.code, bad.reason)
		}
	}
	if err := c.Close(4999, strings.Repeat("é", 61)); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := c.Close(1000, ""); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := c.SendText("late"); err != ErrClosed {
		t.Errorf("Send after Close: %v", err)
	}
	if res := r.waitClosed(t); !res.WasClean || res.Code != 4999 {
		t.Errorf("result %+v", res)
	}
}

// TestSendThenClose checks that Close does not discard messages sent before
// it, that Sent reports every byte, and that client frames are masked with
// fresh keys.
func TestSendThenClose(t *testing.T) {
	type got struct {
		texts []string
		keys  map[[4]byte]bool
	}
	res := make(chan got, 1)
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("")
		g := got{keys: map[[4]byte]bool{}}
		for {
			f, err := sc.readFrame()
			if err != nil {
				break
			}
			g.keys[f.Header.Mask] = true
			if f.Header.OpCode == ws.OpClose {
				sc.conn.Write(frame(true, 0, ws.OpClose, f.Payload))
				break
			}
			g.texts = append(g.texts, string(f.Payload))
		}
		res <- g
	})
	c, r := dialStart(t, s.URL, &Config{DisableCompression: true})
	var want []string
	total := 0
	for i := range 50 {
		m := strings.Repeat(string(rune('a'+i%26)), i*1000)
		want = append(want, m)
		total += len(m)
		if err := c.SendText(m); err != nil {
			t.Fatal(err)
		}
	}
	big := bytes.Repeat([]byte{7}, 300<<10)
	c.Send(true, big)
	total += len(big)
	c.Close(1000, "")
	g := <-res
	if len(g.texts) != 51 {
		t.Fatalf("server got %d messages", len(g.texts))
	}
	for i, m := range want {
		if g.texts[i] != m {
			t.Fatalf("message %d differs", i)
		}
	}
	if len(g.keys) < 45 {
		t.Errorf("only %d distinct masking keys for 52 frames", len(g.keys))
	}
	if res := r.waitClosed(t); !res.WasClean {
		t.Errorf("result %+v", res)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sent != int64(total) {
		t.Errorf("Sent reported %d bytes, want %d", r.sent, total)
	}
}

// TestSentProgress checks that a long message's progress is reported while
// it is written, not only at the end.
func TestSentProgress(t *testing.T) {
	release := make(chan struct{})
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("")
		<-release
		echoLoop(sc)
	})
	c, r := dialStart(t, s.URL, &Config{DisableCompression: true})
	if err := c.Send(true, make([]byte, 16<<20)); err != nil {
		t.Fatal(err)
	}
	// The server is not reading yet: some chunks reach the socket buffers,
	// the rest waits.
	first := <-r.sentCh
	if first <= 0 || first > fragmentSize {
		t.Errorf("first progress report %d", first)
	}
	close(release)
	if e := r.waitMessage(t); len(e.data) != 16<<20 {
		t.Errorf("echo of %d bytes", len(e.data))
	}
	c.Close(1000, "")
	r.waitClosed(t)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sent != 16<<20 {
		t.Errorf("Sent total %d", r.sent)
	}
}

func TestBufferFull(t *testing.T) {
	release := make(chan struct{})
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("")
		<-release
		readAll(sc.br)
	})
	defer close(release)
	c, r := dialStart(t, s.URL, &Config{MaxBufferedBytes: 1 << 20})
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		err = c.Send(true, make([]byte, 64<<10))
	}
	if err != ErrBufferFull {
		t.Fatalf("Send: %v, want ErrBufferFull", err)
	}
	res := r.waitClosed(t)
	if !res.Failed || res.WasClean || res.Code != 1006 || !errors.Is(res.Err, ErrBufferFull) {
		t.Errorf("result %+v", res)
	}
	if err := c.SendText("x"); err != ErrClosed {
		t.Errorf("Send after full: %v", err)
	}
}

func TestKeepalive(t *testing.T) {
	t.Run("answered", func(t *testing.T) {
		pings := make(chan struct{}, 8)
		s := newTestServer(t, func(sc *serverConn) {
			sc.upgrade("")
			for {
				f, err := sc.readFrame()
				if err != nil {
					return
				}
				switch f.Header.OpCode {
				case ws.OpPing:
					sc.conn.Write(frame(true, 0, ws.OpPong, f.Payload))
					pings <- struct{}{}
				case ws.OpClose:
					sc.conn.Write(frame(true, 0, ws.OpClose, f.Payload))
					return
				}
			}
		})
		c, r := dialStart(t, s.URL, &Config{PingInterval: 20 * time.Millisecond})
		for range 3 {
			select {
			case <-pings:
			case <-time.After(waitLimit):
				t.Fatal("no ping")
			}
		}
		c.Close(1000, "")
		if res := r.waitClosed(t); !res.WasClean {
			t.Errorf("result %+v", res)
		}
	})
	t.Run("unanswered", func(t *testing.T) {
		s := newTestServer(t, func(sc *serverConn) {
			sc.upgrade("")
			readAll(sc.br)
		})
		_, r := dialStart(t, s.URL, &Config{PingInterval: 20 * time.Millisecond})
		res := r.waitClosed(t)
		if res.WasClean || res.Code != 1006 || !errors.Is(res.Err, ErrPingTimeout) {
			t.Errorf("result %+v", res)
		}
	})
}

// TestNewConnOverPipe runs the framing over a stream that is not TCP.
func TestNewConnOverPipe(t *testing.T) {
	cs, ss := net.Pipe()
	c, err := NewConn(cs, "chat", "permessage-deflate; server_no_context_takeover", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Protocol() != "chat" || c.z == nil {
		t.Fatalf("protocol %q deflate %v", c.Protocol(), c.z != nil)
	}
	r := newRecorder()
	c.Start(r)
	defer checkFinished(t, c, r)
	sc := &serverConn{t: t, conn: ss, br: bufioReader(ss)}
	go func() {
		ss.Write(frame(true, 0, ws.OpText, []byte("over a pipe")))
		echoLoop(sc)
		ss.Close()
	}()
	if e := r.waitMessage(t); string(e.data) != "over a pipe" {
		t.Errorf("message %q", e.data)
	}
	c.Close(1000, "")
	if res := r.waitClosed(t); !res.WasClean || res.Code != 1000 {
		t.Errorf("result %+v", res)
	}

	if _, err := NewConn(cs, "", "x-unknown", nil); err == nil {
		t.Error("NewConn accepted an extension that was not offered")
	}
}

func TestNoGoroutineLeft(t *testing.T) {
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("", frame(true, 0, ws.OpText, []byte("x")))
		echoLoop(sc)
	})
	for i := range 5 {
		c, err := dialConn(s)
		if err != nil {
			t.Fatal(err)
		}
		r := newRecorder()
		c.Start(r)
		r.waitMessage(t)
		c.SendText("y")
		r.waitMessage(t)
		if i%2 == 0 {
			c.Close(1000, "")
		} else {
			c.Abort()
		}
		r.waitClosed(t)
		<-c.doneChan()
	}
	waitGoroutinesGone(t, connMarks...)
}

// TestReceiveAllocations checks that receiving a 4 KiB message allocates
// only the message itself.
func TestReceiveAllocations(t *testing.T) {
	const size = 4 << 10
	msg := frame(true, 0, ws.OpBinary, bytes.Repeat([]byte{1}, size))
	next := make(chan struct{})
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("")
		for range next {
			sc.conn.Write(msg)
		}
	})
	c, err := dialConn(s)
	if err != nil {
		t.Fatal(err)
	}
	h := &countHandler{got: make(chan int, 1)}
	c.Start(h)
	defer c.Abort()
	defer close(next)
	allocs := testing.AllocsPerRun(200, func() {
		next <- struct{}{}
		<-h.got
	})
	if allocs > 1 {
		t.Errorf("%.1f allocations per received message, want 1", allocs)
	}
}

// TestSendAllocations checks that sending a 4 KiB message allocates nothing
// in steady state.
func TestSendAllocations(t *testing.T) {
	const size = 4 << 10
	got := make(chan struct{})
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("")
		buf := make([]byte, size+8)
		for {
			if _, err := io.ReadFull(sc.br, buf); err != nil {
				return
			}
			got <- struct{}{}
		}
	})
	c, err := dialConn(s)
	if err != nil {
		t.Fatal(err)
	}
	h := &countHandler{got: make(chan int, 1)}
	c.Start(h)
	defer c.Abort()
	p := bytes.Repeat([]byte{2}, size)
	allocs := testing.AllocsPerRun(200, func() {
		c.Send(true, p)
		<-got
	})
	if allocs > 0.5 {
		t.Errorf("%.1f allocations per sent message, want 0", allocs)
	}
}

type countHandler struct{ got chan int }

func (h *countHandler) Message(_ bool, data []byte) { h.got <- len(data) }
func (h *countHandler) Sent(int)                    {}
func (h *countHandler) Closed(CloseResult)          {}
