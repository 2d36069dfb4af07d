package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

// echoPath is the only resource the echo server accepts handshakes for, and
// echoProtocol the subprotocol it selects when a client offers it.
const (
	echoPath     = "/echo"
	echoProtocol = "demo.v1"
	// maxMessage bounds a message the server accepts: it is held whole to be echoed.
	maxMessage = 64 << 20
)

// echoServer is a WebSocket server (RFC 6455) that sends every message back as it came,
// text as text and binary as binary, and answers a close frame with the same status
// code and reason. It keeps a log of what happened, one line per handshake and per
// closing handshake.
type echoServer struct {
	ln    net.Listener
	wg    sync.WaitGroup
	close sync.Once

	mu    sync.Mutex
	log   []string
	conns map[net.Conn]struct{} // open connections
}

// listenEcho starts an echo server listening on addr.
func listenEcho(addr string) (*echoServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &echoServer{ln: ln, conns: make(map[net.Conn]struct{})}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Addr returns the host and port the server listens on.
func (s *echoServer) Addr() string { return s.ln.Addr().String() }

// Close stops accepting connections, closes the open ones and waits for their
// handlers to return. Each connection logs its closing handshake before answering it,
// so once a client has seen the answer, Close loses nothing of the log.
func (s *echoServer) Close() {
	s.close.Do(func() {
		s.ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.conns = nil
		s.mu.Unlock()
	})
	s.wg.Wait()
}

// track adds c to the open connections, or reports false once the server is closed.
func (s *echoServer) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns == nil {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *echoServer) untrack(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
}

// Log returns the log lines so far.
func (s *echoServer) Log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

func (s *echoServer) logf(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, fmt.Sprintf(format, args...))
}

func (s *echoServer) accept() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		if !s.track(conn) {
			conn.Close()
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.untrack(conn)
			defer conn.Close()
			s.serve(conn)
		}()
	}
}

// counts tallies the messages of one connection.
type counts struct{ texts, textBytes, binaries, binaryBytes int }

func (s *echoServer) serve(conn net.Conn) {
	var path, origin, protocol string
	u := ws.Upgrader{
		OnRequest: func(uri []byte) error {
			path = string(uri)
			if path != echoPath {
				s.logf("refused a handshake for %s: %d %s", path, http.StatusNotFound, http.StatusText(http.StatusNotFound))
				return ws.RejectConnectionError(ws.RejectionStatus(http.StatusNotFound))
			}
			return nil
		},
		OnHeader: func(key, value []byte) error {
			if strings.EqualFold(string(key), "Origin") {
				origin = string(value)
			}
			return nil
		},
		Protocol: func(p []byte) bool {
			if string(p) != echoProtocol {
				return false
			}
			protocol = echoProtocol
			return true
		},
	}
	if _, err := u.Upgrade(conn); err != nil {
		return
	}
	s.logf("handshake for %s from origin %s, subprotocol %q", path, origin, protocol)

	var n counts
	r := wsutil.NewServerSideReader(conn)
	r.CheckUTF8 = true
	r.MaxMessageSize = maxMessage
	// Pings (and pongs) between the fragments of a message are answered at once.
	r.OnIntermediate = wsutil.ControlFrameHandler(conn, ws.StateServerSide)
	var msg bytes.Buffer // reused for every message
	for {
		h, err := r.NextFrame()
		if err != nil {
			s.logf("connection ended without a closing handshake: %v", err)
			return
		}
		switch {
		case h.OpCode == ws.OpClose:
			s.closing(conn, r, n)
			return
		case h.OpCode.IsControl():
			if err := (wsutil.ControlHandler{Src: r, Dst: conn, State: ws.StateServerSide, DisableSrcCiphering: true}).Handle(h); err != nil {
				return
			}
			continue
		}
		msg.Reset()
		if _, err := msg.ReadFrom(r); err != nil {
			code := ws.StatusProtocolError
			if errors.Is(err, wsutil.ErrInvalidUTF8) {
				code = ws.StatusInvalidFramePayloadData
			}
			s.logf("bad message: %v", err)
			_ = ws.WriteFrame(conn, ws.NewCloseFrame(ws.NewCloseFrameBody(code, "")))
			return
		}
		if h.OpCode == ws.OpText {
			n.texts++
			n.textBytes += msg.Len()
		} else {
			n.binaries++
			n.binaryBytes += msg.Len()
		}
		if err := wsutil.WriteServerMessage(conn, h.OpCode, msg.Bytes()); err != nil {
			return
		}
	}
}

// closing answers the client's close frame with the same code and reason (RFC
// 6455 section 5.5.1, https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1),
// after logging the connection's messages and the frame.
func (s *echoServer) closing(conn net.Conn, r io.Reader, n counts) {
	body, err := io.ReadAll(r) // at most 125 bytes: the reader checks control frames
	if err != nil {
		return
	}
	s.logf("echoed %d text messages (%d bytes) and %d binary messages (%d bytes)", n.texts, n.textBytes, n.binaries, n.binaryBytes)
	if len(body) == 0 {
		s.logf("closing handshake without a status code")
		_ = ws.WriteFrame(conn, ws.NewCloseFrame(nil))
		return
	}
	code, reason := ws.ParseCloseFrameData(body)
	s.logf("closing handshake: code %d, reason %q", code, reason)
	_ = ws.WriteFrame(conn, ws.NewCloseFrame(ws.NewCloseFrameBody(code, reason)))
}
