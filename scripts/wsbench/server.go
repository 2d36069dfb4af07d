package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gobwas/ws"
)

// server is the neutral echo server every client talks to. It never negotiates an
// extension, so every client sends and receives plain frames. The path of the
// handshake chooses what a connection does:
//
//	/echo              echoes every frame back (same opcode, FIN and payload)
//	/stream            a text message "N" makes it send N text messages of streamSize bytes
//	/fanout?g=ID       joins group ID; a text message "N" on any member sends N text
//	                   messages of fanoutSize bytes to every member of the group
//	/rss               a text message "rss" is answered with the resident set size, in
//	                   bytes, of the client process the driver named (server.setPID)
//
// Pings are answered with pongs and close frames with a close frame, after
// which the server closes the TCP connection, as RFC 6455 section 7.1.1
// (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.1) asks of servers.
type server struct {
	ln   net.Listener
	pid  atomic.Int64
	wg   sync.WaitGroup
	mu   sync.Mutex
	grps map[string]map[*sconn]struct{}
	open map[net.Conn]struct{}
}

const (
	streamSize = 64
	fanoutSize = 32
)

// streamBatch holds framesPerBatch server frames of streamSize bytes, written as one
// buffer so that the server is never what limits the streaming rate.
const framesPerBatch = 1024

var (
	streamBatch = repeatFrame(streamSize, framesPerBatch)
	streamOne   = repeatFrame(streamSize, 1)
	fanoutOne   = repeatFrame(fanoutSize, 1)
)

// repeatFrame returns n unmasked text frames of size bytes each.
func repeatFrame(size, n int) []byte {
	payload := bytes.Repeat([]byte{'s'}, size)
	var one bytes.Buffer
	_ = ws.WriteFrame(&one, ws.NewTextFrame(payload))
	return bytes.Repeat(one.Bytes(), n)
}

// newServer listens on addr (a loopback address such as 127.0.0.1:0) and serves until
// close.
func newServer(addr string) (*server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &server{ln: ln, grps: map[string]map[*sconn]struct{}{}, open: map[net.Conn]struct{}{}}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// url returns the ws: URL of the server, without a path.
func (s *server) url() string { return "ws://" + s.ln.Addr().String() }

// setPID names the client process whose memory /rss reports.
func (s *server) setPID(pid int) { s.pid.Store(int64(pid)) }

// close stops listening, drops every connection and waits for their goroutines.
func (s *server) close() {
	s.ln.Close()
	s.mu.Lock()
	for c := range s.open {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *server) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.open[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.handle(c)
			c.Close()
			s.mu.Lock()
			delete(s.open, c)
			s.mu.Unlock()
		}()
	}
}

// sconn is one server-side connection.
type sconn struct {
	c  net.Conn
	br *bufio.Reader
	wm sync.Mutex // held while writing through bw
	bw *bufio.Writer
	hb [ws.MaxHeaderSize]byte
}

func (s *server) handle(c net.Conn) {
	br := bufio.NewReaderSize(c, 4<<10)
	sc := &sconn{c: c, br: br, bw: bufio.NewWriterSize(c, 16<<10)}
	var (
		pu    *url.URL
		group string
	)
	// A fanout member joins its group before the 101 response is written: once a
	// client's handshake is done, a broadcast from any member reaches it.
	u := ws.Upgrader{OnRequest: func(b []byte) (err error) {
		if pu, err = url.ParseRequestURI(string(b)); err != nil {
			return err
		}
		if pu.Path == "/fanout" {
			group = pu.Query().Get("g")
			s.mu.Lock()
			if s.grps[group] == nil {
				s.grps[group] = map[*sconn]struct{}{}
			}
			s.grps[group][sc] = struct{}{}
			s.mu.Unlock()
		}
		return nil
	}}
	defer func() {
		if pu == nil || pu.Path != "/fanout" {
			return
		}
		s.mu.Lock()
		delete(s.grps[group], sc)
		if len(s.grps[group]) == 0 {
			delete(s.grps, group)
		}
		s.mu.Unlock()
	}()
	// Broadcasts to a member wait for its 101 response: the upgrade holds the write lock.
	sc.wm.Lock()
	_, err := u.Upgrade(struct {
		io.Reader
		io.Writer
	}{br, c})
	sc.wm.Unlock()
	if err != nil {
		return
	}
	_ = sc.loop(func(op ws.OpCode, p []byte) error {
		switch {
		case pu.Path == "/stream" && op == ws.OpText:
			n, err := strconv.Atoi(string(p))
			if err != nil {
				return fmt.Errorf("stream: %q is not a count", p)
			}
			return sc.stream(n)
		case pu.Path == "/fanout" && op == ws.OpText:
			n, err := strconv.Atoi(string(p))
			if err != nil {
				return fmt.Errorf("fanout: %q is not a count", p)
			}
			s.broadcast(group, n)
			return nil
		case pu.Path == "/rss" && op == ws.OpText:
			rss, err := residentBytes(int(s.pid.Load()))
			if err != nil {
				return err
			}
			return sc.write(ws.OpText, []byte(strconv.FormatInt(rss, 10)))
		}
		return errEcho
	})
}

// errEcho tells loop to echo the frame it passed.
var errEcho = errors.New("echo")

// loop reads frames until the connection ends. Data frames go to fn; when fn returns
// errEcho the frame is echoed. Writes are flushed once no more input is buffered, so
// that a stream of small frames is echoed in few system calls.
func (sc *sconn) loop(fn func(op ws.OpCode, p []byte) error) error {
	var buf []byte
	for {
		h, err := ws.ReadHeader(sc.br)
		if err != nil {
			return err
		}
		if h.Length > 1<<30 {
			return fmt.Errorf("frame of %d bytes", h.Length)
		}
		if int64(cap(buf)) < h.Length {
			buf = make([]byte, h.Length)
		}
		p := buf[:h.Length]
		if _, err := io.ReadFull(sc.br, p); err != nil {
			return err
		}
		if h.Masked {
			ws.Cipher(p, h.Mask, 0)
		}
		switch h.OpCode {
		case ws.OpPing:
			err = sc.writeFrame(ws.Header{Fin: true, OpCode: ws.OpPong, Length: h.Length}, p, true)
		case ws.OpPong:
		case ws.OpClose:
			// RFC 6455 section 5.5.1
			// (https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1): answer
			// with a close frame echoing the status code.
			body := p
			if len(body) > 2 {
				body = body[:2]
			}
			sc.writeFrame(ws.Header{Fin: true, OpCode: ws.OpClose, Length: int64(len(body))}, body, true)
			return nil
		default:
			err = fn(h.OpCode, p)
			if err == errEcho {
				err = sc.writeFrame(ws.Header{Fin: h.Fin, OpCode: h.OpCode, Length: h.Length}, p, sc.br.Buffered() == 0)
			}
		}
		if err != nil {
			return err
		}
	}
}

func (sc *sconn) write(op ws.OpCode, p []byte) error {
	return sc.writeFrame(ws.Header{Fin: true, OpCode: op, Length: int64(len(p))}, p, true)
}

func (sc *sconn) writeFrame(h ws.Header, p []byte, flush bool) error {
	sc.wm.Lock()
	defer sc.wm.Unlock()
	if err := ws.WriteHeaderBuffer(sc.bw, h, sc.hb[:]); err != nil {
		return err
	}
	if _, err := sc.bw.Write(p); err != nil {
		return err
	}
	if flush {
		return sc.bw.Flush()
	}
	return nil
}

// writeRaw writes ready-made frames.
func (sc *sconn) writeRaw(frames []byte) error {
	sc.wm.Lock()
	defer sc.wm.Unlock()
	if _, err := sc.bw.Write(frames); err != nil {
		return err
	}
	return sc.bw.Flush()
}

func (sc *sconn) stream(n int) error {
	sc.wm.Lock()
	defer sc.wm.Unlock()
	for n >= framesPerBatch {
		if _, err := sc.bw.Write(streamBatch); err != nil {
			return err
		}
		n -= framesPerBatch
	}
	if _, err := sc.bw.Write(streamBatch[:n*len(streamOne)]); err != nil {
		return err
	}
	return sc.bw.Flush()
}

// broadcast sends n messages to every member of group, each member's in one write.
func (s *server) broadcast(group string, n int) {
	frames := bytes.Repeat(fanoutOne, n)
	s.mu.Lock()
	members := make([]*sconn, 0, len(s.grps[group]))
	for m := range s.grps[group] {
		members = append(members, m)
	}
	s.mu.Unlock()
	for _, m := range members {
		if err := m.writeRaw(frames); err != nil {
			m.c.Close()
		}
	}
}

// residentBytes returns the resident set size of process pid (Linux /proc).
func residentBytes(pid int) (int64, error) {
	if pid <= 0 {
		return 0, errors.New("rss: no client process named")
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/statm", pid))
	if err != nil {
		return 0, fmt.Errorf("rss: %w", err)
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, fmt.Errorf("rss: unexpected statm %q", b)
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("rss: %w", err)
	}
	return pages * int64(os.Getpagesize()), nil
}
