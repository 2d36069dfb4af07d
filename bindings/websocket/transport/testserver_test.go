package transport

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/wsjs/wsjs/bindings/internal/wstest"
)

// testServer is a raw TCP server on loopback: each accepted connection is
// given to handle, whose request has already been read.
type testServer struct {
	ln   net.Listener
	URL  *url.URL
	wg   sync.WaitGroup
	reqs chan *http.Request
}

type serverConn struct {
	t    testing.TB
	conn net.Conn
	br   *bufio.Reader
	req  *http.Request
	msg  *wstest.Reader
}

func newTestServer(t testing.TB, handle func(sc *serverConn)) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{ln: ln, reqs: make(chan *http.Request, 16)}
	s.URL = &url.URL{Scheme: "ws", Host: ln.Addr().String(), Path: "/"}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer conn.Close()
				br := bufio.NewReader(conn)
				req, err := http.ReadRequest(br)
				if err != nil {
					return
				}
				select {
				case s.reqs <- req:
				default:
				}
				handle(&serverConn{t: t, conn: conn, br: br, req: req})
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func acceptKey(key string) string {
	sum := sha1.Sum([]byte(key + acceptGUID))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// upgrade answers with 101 and the given extra header lines (each ending in
// CRLF), plus any bytes to send in the same write.
func (sc *serverConn) upgrade(extra string, after ...[]byte) {
	var b bytes.Buffer
	b.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
	b.WriteString("Sec-WebSocket-Accept: " + acceptKey(sc.req.Header.Get("Sec-WebSocket-Key")) + "\r\n")
	b.WriteString(extra)
	b.WriteString("\r\n")
	for _, a := range after {
		b.Write(a)
	}
	sc.conn.Write(b.Bytes())
}

// readFrame reads the next client message or control frame, unmasked: a
// fragmented message comes back whole (wstest.Reader.Next).
func (sc *serverConn) readFrame() (ws.Frame, error) { return sc.frames().Next() }

// frames reads the client's frames from sc.br.
func (sc *serverConn) frames() *wstest.Reader {
	if sc.msg == nil {
		sc.msg = wstest.NewReader(sc.br)
	}
	return sc.msg
}

// readClose reads frames until a close frame and returns its code (1005
// when it has none) and reason.
func (sc *serverConn) readClose() (int, string, error) {
	for {
		f, err := sc.readFrame()
		if err != nil {
			return 0, "", err
		}
		if f.Header.OpCode != ws.OpClose {
			continue
		}
		if len(f.Payload) == 0 {
			return 1005, "", nil
		}
		if len(f.Payload) < 2 {
			return 0, "", fmt.Errorf("close payload of %d bytes", len(f.Payload))
		}
		return int(binary.BigEndian.Uint16(f.Payload)), string(f.Payload[2:]), nil
	}
}

// frame builds a server frame (unmasked unless masked is set).
func frame(fin bool, rsv byte, op ws.OpCode, payload []byte) []byte {
	var b bytes.Buffer
	h := ws.Header{Fin: fin, Rsv: rsv, OpCode: op, Length: int64(len(payload))}
	ws.WriteHeader(&b, h)
	b.Write(payload)
	return b.Bytes()
}

func closeBody(code int, reason string) []byte {
	p := make([]byte, 2+len(reason))
	binary.BigEndian.PutUint16(p, uint16(code))
	copy(p[2:], reason)
	return p
}

type event struct {
	kind   string // "message", "closed"
	binary bool
	data   []byte
	res    CloseResult
}

// recorder is a Handler that records events in order.
type recorder struct {
	mu      sync.Mutex
	events  []event
	sent    int64
	closes  int
	calling bool
	overlap bool
	msgs    chan event
	sentCh  chan int
	closed  chan CloseResult
}

func newRecorder() *recorder {
	return &recorder{
		msgs:   make(chan event, 1024),
		sentCh: make(chan int, 1<<16),
		closed: make(chan CloseResult, 4),
	}
}

func (r *recorder) enter() {
	r.mu.Lock()
	if r.calling {
		r.overlap = true
	}
	r.calling = true
	r.mu.Unlock()
}

func (r *recorder) leave() {
	r.mu.Lock()
	r.calling = false
	r.mu.Unlock()
}

func (r *recorder) Message(binary bool, data []byte) {
	r.enter()
	defer r.leave()
	e := event{kind: "message", binary: binary, data: data}
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
	r.msgs <- e
}

func (r *recorder) Sent(n int) {
	r.enter()
	defer r.leave()
	r.mu.Lock()
	r.sent += int64(n)
	r.mu.Unlock()
	select {
	case r.sentCh <- n:
	default:
	}
}

func (r *recorder) Closed(res CloseResult) {
	r.enter()
	defer r.leave()
	r.mu.Lock()
	r.events = append(r.events, event{kind: "closed", res: res})
	r.closes++
	r.mu.Unlock()
	r.closed <- res
}

const waitLimit = 10 * time.Second

func (r *recorder) waitMessage(t testing.TB) event {
	t.Helper()
	select {
	case e := <-r.msgs:
		return e
	case res := <-r.closed:
		// The connection reports its events in order: a message reported
		// before the close is in msgs by the time the close is in closed
		// (and select picks either of two ready cases).
		select {
		case e := <-r.msgs:
			r.closed <- res
			return e
		default:
		}
		t.Fatalf("connection closed while waiting for a message: %+v", res)
	case <-time.After(waitLimit):
		t.Fatal("no message")
	}
	return event{}
}

func (r *recorder) waitClosed(t testing.TB) CloseResult {
	t.Helper()
	select {
	case res := <-r.closed:
		return res
	case <-time.After(waitLimit):
		t.Fatal("connection did not close")
	}
	return CloseResult{}
}

// dialStart dials s and starts the connection with a new recorder. It
// checks at the end of the test that the connection reported exactly once,
// never called the handler concurrently, and left no goroutine behind.
func dialStart(t testing.TB, u *url.URL, cfg *Config) (*Conn, *recorder) {
	t.Helper()
	c, err := Dial(context.Background(), u, cfg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	return c, start(t, c)
}

// start starts c with a recorder, whose events are checked when the test
// ends (see checkFinished).
func start(t testing.TB, c *Conn) *recorder {
	r := newRecorder()
	c.Start(r)
	t.Cleanup(func() { checkFinished(t, c, r) })
	return r
}

// checkFinished ends c if needed and checks what it reported.
func checkFinished(t testing.TB, c *Conn, r *recorder) {
	t.Helper()
	c.Abort()
	select {
	case <-c.doneChan():
	case <-time.After(waitLimit):
		t.Fatal("connection goroutine did not end")
	}
	c.wg.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closes != 1 {
		t.Errorf("Closed reported %d times", r.closes)
	}
	if r.overlap {
		t.Error("handler called concurrently")
	}
	if n := len(r.events); n == 0 || r.events[n-1].kind != "closed" {
		t.Error("Closed was not the last event")
	}
}

// goroutinesWith lists the goroutines whose stack mentions one of marks.
func goroutinesWith(marks ...string) []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		for _, mark := range marks {
			if strings.Contains(g, mark) {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

// connMarks mark the goroutines running this package's connections.
var connMarks = []string{"transport.(*Conn)", "transport.(*inflater)"}

// transportGoroutines lists goroutines running code of this package, other
// than the test's own.
func transportGoroutines() []string { return goroutinesWith(connMarks...) }

// waitGoroutinesGone waits, yielding, until no goroutine's stack mentions one
// of marks, and fails the test with those left if that does not come.
func waitGoroutinesGone(t *testing.T, marks ...string) {
	t.Helper()
	var left []string
	for range 1000 {
		if left = goroutinesWith(marks...); len(left) == 0 {
			return
		}
		runtime.Gosched()
	}
	t.Errorf("goroutines left:\n%s", strings.Join(left, "\n\n"))
}

// echoHandler completes the handshake (accepting permessage-deflate when
// acceptDeflate is set, without compressing anything itself) and echoes
// text and binary messages until a close frame, which it echoes before
// closing the connection.
func echoHandler(sc *serverConn) {
	sc.upgrade("")
	for {
		f, err := sc.readFrame()
		if err != nil {
			return
		}
		switch f.Header.OpCode {
		case ws.OpText, ws.OpBinary:
			sc.conn.Write(frame(true, 0, f.Header.OpCode, f.Payload))
		case ws.OpClose:
			sc.conn.Write(frame(true, 0, ws.OpClose, f.Payload))
			return
		}
	}
}

// readAll drains r; used by servers that only watch for the end.
func readAll(r io.Reader) { io.Copy(io.Discard, r) }

func bufioReader(r io.Reader) *bufio.Reader { return bufio.NewReader(r) }

func dialConn(s *testServer) (*Conn, error) {
	return Dial(context.Background(), s.URL, nil)
}
