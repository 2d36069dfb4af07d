package transport

import (
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
	_ "unsafe" // go:linkname

	"github.com/gobwas/ws"
	"github.com/wsjs/wsjs/bindings/internal/wstest"
	"github.com/wsjs/wsjs/bindings/network"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// x/net/http2's server allows extended CONNECT only when the GODEBUG
// variable http2xconnect=1 is set when it starts; golang/go#53208 proposes a
// setting for it. The tests turn it on for the x/net servers they run.
//
//go:linkname xnetServerNoExtendedConnect golang.org/x/net/http2.disableExtendedConnectProtocol
var xnetServerNoExtendedConnect bool

func init() { xnetServerNoExtendedConnect = false }

// clientFrame is a frame the client sent, as an h2TestServer saw it.
type clientFrame struct {
	typ       http2.FrameType
	endStream bool
	code      http2.ErrCode // RST_STREAM, GOAWAY
}

// h2TestServer is a TLS server on loopback for web-platform.test. On
// connections that negotiate h2 it runs x/net/http2's server with h2, which
// allows extended CONNECT; on others it reads one HTTP/1.1 request and gives
// it to h1 with the connection.
type h2TestServer struct {
	URL    *url.URL
	cfg    Config // a client configuration that reaches and trusts it
	alpn   chan string
	frames chan clientFrame

	mu    sync.Mutex
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

func newH2TestServer(t *testing.T, h2h http.Handler, h1 func(sc *serverConn), protos ...string) *h2TestServer {
	t.Helper()
	if len(protos) == 0 {
		protos = []string{"h2", "http/1.1"}
	}
	cert, pool := newTLSCert(t, "web-platform.test")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	s := &h2TestServer{
		URL:    &url.URL{Scheme: "wss", Host: "web-platform.test:" + port, Path: "/echo"},
		alpn:   make(chan string, 16),
		frames: make(chan clientFrame, 256),
		conns:  map[net.Conn]bool{},
	}
	s.cfg = Config{Network: &network.Policy{
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, "127.0.0.1:"+port)
		},
		TLSConfig: &tls.Config{RootCAs: pool},
	}}
	tc := &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: protos}
	srv := &http2.Server{}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			raw, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns[raw] = true
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer raw.Close()
				conn := tls.Server(raw, tc)
				if err := conn.Handshake(); err != nil {
					return
				}
				proto := conn.ConnectionState().NegotiatedProtocol
				s.alpn <- proto
				if proto != "h2" {
					br := bufio.NewReader(conn)
					req, err := http.ReadRequest(br)
					if err == nil && h1 != nil {
						h1(&serverConn{t: t, conn: conn, br: br, req: req})
					}
					return
				}
				tap := s.tap(conn)
				srv.ServeConn(tap, &http2.ServeConnOpts{Handler: h2h})
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

// config returns a copy of the client configuration.
// config returns a copy of the server's configuration, network policy
// included.
func (s *h2TestServer) config() *Config {
	c := s.cfg
	p := *c.Network
	c.Network = &p
	return &c
}

// tap records the frames the client sends on conn.
func (s *h2TestServer) tap(conn net.Conn) net.Conn {
	pr, pw := io.Pipe()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer io.Copy(io.Discard, pr)
		var preface [len(http2.ClientPreface)]byte
		if _, err := io.ReadFull(pr, preface[:]); err != nil {
			return
		}
		fr := http2.NewFramer(io.Discard, pr)
		fr.SetMaxReadFrameSize(1 << 24)
		for {
			f, err := fr.ReadFrame()
			if err != nil {
				return
			}
			cf := clientFrame{typ: f.Header().Type}
			switch f := f.(type) {
			case *http2.DataFrame:
				cf.endStream = f.StreamEnded()
				if !cf.endStream {
					continue
				}
			case *http2.HeadersFrame:
				cf.endStream = f.StreamEnded()
			case *http2.RSTStreamFrame:
				cf.code = f.ErrCode
			case *http2.GoAwayFrame:
				cf.code = f.ErrCode
			default:
				continue
			}
			select {
			case s.frames <- cf:
			default:
			}
		}
	}()
	return &tapConn{Conn: conn, pw: pw}
}

type tapConn struct {
	net.Conn
	pw *io.PipeWriter
}

func (c *tapConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.pw.Write(p[:n])
	}
	if err != nil {
		c.pw.CloseWithError(err)
	}
	return n, err
}

func (c *tapConn) Close() error {
	c.pw.Close()
	return c.Conn.Close()
}

// waitFrame waits for the client to send a frame of type typ.
func (s *h2TestServer) waitFrame(t *testing.T, typ http2.FrameType) clientFrame {
	t.Helper()
	timeout := time.After(waitLimit)
	for {
		select {
		case f := <-s.frames:
			if f.typ == typ {
				return f
			}
		case <-timeout:
			t.Fatalf("client sent no %v frame", typ)
		}
	}
}

// noCancel checks that the client has not reset a stream with CANCEL so
// far. (It may answer a server's RST_STREAM NO_ERROR with one of its own.)
func (s *h2TestServer) noCancel(t *testing.T) {
	t.Helper()
	for {
		select {
		case f := <-s.frames:
			if f.typ == http2.FrameRSTStream && f.code != http2.ErrCodeNo {
				t.Errorf("client sent RST_STREAM %v", f.code)
			}
		default:
			return
		}
	}
}

// h2WS is the server side of a WebSocket over an HTTP/2 stream.
type h2WS struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	br  *bufio.Reader
	msg *wstest.Reader
}

// acceptH2 answers an extended CONNECT request with 200 and the given
// header fields.
func acceptH2(w http.ResponseWriter, r *http.Request, hdr ...string) *h2WS {
	for i := 0; i+1 < len(hdr); i += 2 {
		w.Header().Set(hdr[i], hdr[i+1])
	}
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	rc.Flush()
	br := bufio.NewReader(r.Body)
	return &h2WS{w: w, rc: rc, br: br, msg: wstest.NewReader(br)}
}

func (s *h2WS) write(b []byte) error {
	if _, err := s.w.Write(b); err != nil {
		return err
	}
	return s.rc.Flush()
}

func (s *h2WS) readFrame() (ws.Frame, error) { return s.msg.Next() }

// echo echoes data frames as they are (RSV bits included) until a close
// frame, which it echoes before returning.
func (s *h2WS) echo(seen chan<- ws.Header) {
	for {
		f, err := s.readFrame()
		if err != nil {
			return
		}
		if seen != nil {
			seen <- f.Header
		}
		switch f.Header.OpCode {
		case ws.OpText, ws.OpBinary:
			s.write(frame(true, f.Header.Rsv, f.Header.OpCode, f.Payload))
		case ws.OpClose:
			s.write(frame(true, 0, ws.OpClose, f.Payload))
			return
		}
	}
}

type seenRequest struct {
	method, proto, protocol, uri, host string
	header                             http.Header
}

func recordRequest(ch chan<- seenRequest, r *http.Request) {
	ch <- seenRequest{
		method:   r.Method,
		proto:    r.Proto,
		protocol: r.Header.Get(":protocol"),
		uri:      r.RequestURI,
		host:     r.Host,
		header:   r.Header.Clone(),
	}
}

func TestH2Echo(t *testing.T) {
	reqs := make(chan seenRequest, 1)
	s := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		recordRequest(reqs, r)
		acceptH2(w, r).echo(nil)
	}), nil)
	jar, _ := cookiejar.New(nil)
	jar.SetCookies(&url.URL{Scheme: "https", Host: s.URL.Host}, []*http.Cookie{{Name: "a", Value: "1"}, {Name: "b", Value: "2"}})
	cfg := s.config()
	cfg.Origin = "https://web-platform.test"
	cfg.Network.Jar = jar
	cfg.Header = http.Header{"X-Extra": {"x"}, "Sec-Websocket-Key": {"not sent"}, "Upgrade": {"no"}}
	u := *s.URL
	u.Path, u.RawQuery = "/echo path", "q=1"
	u.User = url.UserPassword("foo", "bar")
	c, r := dialStart(t, &u, cfg)
	if p := <-s.alpn; p != "h2" {
		t.Fatalf("ALPN %q", p)
	}
	got := <-reqs
	want := seenRequest{method: "CONNECT", proto: "HTTP/2.0", protocol: "websocket", uri: "/echo%20path?q=1", host: u.Host}
	if got.method != want.method || got.proto != want.proto || got.protocol != want.protocol || got.uri != want.uri || got.host != want.host {
		t.Errorf("request %+v, want %+v", got, want)
	}
	for k, v := range map[string]string{
		"Sec-Websocket-Version":    "13",
		"Sec-Websocket-Extensions": deflateOffer,
		"Origin":                   "https://web-platform.test",
		"Cookie":                   "a=1; b=2",
		"Authorization":            "Basic Zm9vOmJhcg==",
		"X-Extra":                  "x",
	} {
		if g := strings.Join(got.header.Values(k), ", "); g != v {
			t.Errorf("%s: %q, want %q", k, g, v)
		}
	}
	for _, k := range []string{"Sec-Websocket-Key", "Upgrade", "Connection", "Sec-Websocket-Protocol", "User-Agent"} {
		if v, ok := got.header[k]; ok {
			t.Errorf("unexpected %s: %q", k, v)
		}
	}
	if c.Protocol() != "" || c.Extensions() != "" {
		t.Errorf("protocol %q extensions %q", c.Protocol(), c.Extensions())
	}

	c.SendText("héllo")
	if e := r.waitMessage(t); e.binary || string(e.data) != "héllo" {
		t.Errorf("echo %+v", e)
	}
	// Larger than the stream's flow-control windows both ways.
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<18)
	c.Send(true, big)
	if e := r.waitMessage(t); !e.binary || !bytes.Equal(e.data, big) {
		t.Errorf("echo of %d bytes: got %d", len(big), len(e.data))
	}
	c.Close(1000, "done")
	if res := r.waitClosed(t); !res.WasClean || res.Code != 1000 || res.Reason != "done" {
		t.Errorf("result %+v", res)
	}
	// The client shuts the connection down without resetting the stream
	// (x/net/http2's server resets it with NO_ERROR itself when its
	// handler returns; TestH2EndStream sees the client's END_STREAM).
	if f := s.waitFrame(t, http2.FrameGoAway); f.code != http2.ErrCodeNo {
		t.Errorf("GOAWAY %+v", f)
	}
	s.noCancel(t)
}

func TestH2Subprotocols(t *testing.T) {
	tests := []struct {
		name    string
		offer   []string
		answer  string // Sec-WebSocket-Protocol of the response
		want    string
		wantErr string
	}{
		{name: "selected", offer: []string{"a", "b"}, answer: "b", want: "b"},
		{name: "none offered", answer: "", want: ""},
		{name: "none selected", offer: []string{"a"}, wantErr: "none of the offered"},
		{name: "not offered", offer: []string{"a"}, answer: "c", wantErr: "not offered"},
		{name: "selected without offer", answer: "c", wantErr: "not offered"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			offered := make(chan string, 1)
			s := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				offered <- r.Header.Get("Sec-WebSocket-Protocol")
				var hdr []string
				if tc.answer != "" {
					hdr = []string{"Sec-WebSocket-Protocol", tc.answer}
				}
				acceptH2(w, r, hdr...).echo(nil)
			}), nil)
			cfg := s.config()
			cfg.Protocols = tc.offer
			c, err := Dial(context.Background(), s.URL, cfg)
			if got := <-offered; got != strings.Join(tc.offer, ", ") {
				t.Errorf("offered %q", got)
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				// A response that fails the handshake resets the stream.
				if f := s.waitFrame(t, http2.FrameRSTStream); f.code != http2.ErrCodeCancel {
					t.Errorf("RST_STREAM %v", f.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			start(t, c)
			if c.Protocol() != tc.want {
				t.Errorf("protocol %q, want %q", c.Protocol(), tc.want)
			}
		})
	}
}

func TestH2Deflate(t *testing.T) {
	seen := make(chan ws.Header, 16)
	s := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Sec-WebSocket-Extensions"), "permessage-deflate") {
			http.Error(w, "no deflate offer", http.StatusBadRequest)
			return
		}
		// Without context takeover either way each message stands
		// alone, so a compressed message can be echoed as it is.
		acceptH2(w, r, "Sec-WebSocket-Extensions", "permessage-deflate; server_no_context_takeover; client_no_context_takeover").echo(seen)
	}), nil)
	c, r := dialStart(t, s.URL, s.config())
	if !strings.Contains(c.Extensions(), "permessage-deflate") {
		t.Fatalf("extensions %q", c.Extensions())
	}
	msg := strings.Repeat("compressible ", 1000)
	for range 2 {
		c.SendText(msg)
		if e := r.waitMessage(t); string(e.data) != msg {
			t.Fatalf("echo of %d bytes: %d bytes", len(msg), len(e.data))
		}
		h := <-seen
		if !h.Rsv1() || h.Length >= int64(len(msg)) {
			t.Errorf("frame sent: rsv1=%v length=%d", h.Rsv1(), h.Length)
		}
	}

	// A server that compresses with its own deflater.
	s2 := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := acceptH2(w, r, "Sec-WebSocket-Extensions", "permessage-deflate")
		var b bytes.Buffer
		fw, _ := flate.NewWriter(&b, flate.BestCompression)
		fw.Write([]byte(msg))
		fw.Flush()
		p := bytes.TrimSuffix(b.Bytes(), []byte{0, 0, 0xff, 0xff})
		sw.write(frame(true, 0x4, ws.OpText, p))
		sw.echo(nil)
	}), nil)
	c2, r2 := dialStart(t, s2.URL, s2.config())
	if e := r2.waitMessage(t); string(e.data) != msg {
		t.Errorf("inflated %d bytes, want %d", len(e.data), len(msg))
	}
	c2.Close(1000, "")
	r2.waitClosed(t)
}

func TestH2CloseCodes(t *testing.T) {
	tests := []struct {
		name     string
		body     []byte // the server's close frame payload
		wantCode int
		reason   string
	}{
		{name: "code and reason", body: closeBody(4000, "bye"), wantCode: 4000, reason: "bye"},
		{name: "no code", body: nil, wantCode: 1005},
		{name: "1001", body: closeBody(1001, ""), wantCode: 1001},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			answer := make(chan []byte, 1)
			s := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				sw := acceptH2(w, r)
				sw.write(frame(true, 0, ws.OpClose, tc.body))
				// Wait for the client's answer, then end the stream.
				for {
					f, err := sw.readFrame()
					if err != nil {
						answer <- nil
						return
					}
					if f.Header.OpCode == ws.OpClose {
						answer <- f.Payload
						return
					}
				}
			}), nil)
			_, r := dialStart(t, s.URL, s.config())
			res := r.waitClosed(t)
			if !res.WasClean || res.Code != tc.wantCode || res.Reason != tc.reason {
				t.Errorf("result %+v", res)
			}
			// RFC 6455 section 5.5.1
			// (https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1): the
			// client echoes the status code.
			want := closeBody(tc.wantCode, "")
			if tc.body == nil {
				want = []byte{}
			}
			if got := <-answer; !bytes.Equal(got, want) {
				t.Errorf("client answered %x, want %x", got, want)
			}
			s.waitFrame(t, http2.FrameGoAway)
			s.noCancel(t)
		})
	}
}

func TestH2ServerResetsStream(t *testing.T) {
	s := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := acceptH2(w, r)
		sw.write(frame(true, 0, ws.OpText, []byte("before")))
		sw.readFrame()
		// Makes x/net/http2's server reset the stream.
		panic(http.ErrAbortHandler)
	}), nil)
	c, r := dialStart(t, s.URL, s.config())
	if e := r.waitMessage(t); string(e.data) != "before" {
		t.Errorf("message %q", e.data)
	}
	c.SendText("go")
	res := r.waitClosed(t)
	if res.WasClean || res.Code != 1006 || res.Failed {
		t.Errorf("result %+v", res)
	}
	// Whichever of the reader and the writer met the reset first.
	var se http2.StreamError
	if !errors.As(res.Err, &se) && !errors.Is(res.Err, errClosedStream) {
		t.Errorf("cause %v, want the stream error", res.Err)
	}
}

func TestH2ServerEndsWithoutClose(t *testing.T) {
	s := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acceptH2(w, r).write(frame(true, 0, ws.OpText, []byte("only")))
	}), nil)
	_, r := dialStart(t, s.URL, s.config())
	if res := r.waitClosed(t); res.WasClean || res.Code != 1006 {
		t.Errorf("result %+v", res)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.events) != 2 || string(r.events[0].data) != "only" {
		t.Errorf("events %+v", r.events)
	}
}

func TestH2ClientAbort(t *testing.T) {
	ended := make(chan error, 2)
	s := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := acceptH2(w, r)
		sw.write(frame(true, 0, ws.OpText, []byte("hi")))
		for {
			f, err := sw.readFrame()
			if err != nil {
				ended <- err
				return
			}
			if f.Header.OpCode == ws.OpClose {
				ended <- fmt.Errorf("close frame %x", f.Payload)
				_, err := sw.readFrame()
				ended <- err
				return
			}
		}
	}), nil)
	c, r := dialStart(t, s.URL, s.config())
	r.waitMessage(t)
	c.Abort()
	if res := r.waitClosed(t); res.WasClean || res.Code != 1006 || !errors.Is(res.Err, ErrAborted) {
		t.Errorf("result %+v", res)
	}
	if f := s.waitFrame(t, http2.FrameRSTStream); f.code != http2.ErrCodeCancel {
		t.Errorf("RST_STREAM %v, want CANCEL", f.code)
	}
	// Abort sends a close frame (1001) first when it can.
	if err := <-ended; err == nil || !strings.Contains(err.Error(), "close frame 03e9") {
		t.Errorf("server saw %v", err)
	}
}

// TestH2AbortWhileStalled aborts a connection whose writer is stuck on
// HTTP/2 flow control: Abort must not wait for the peer.
func TestH2AbortWhileStalled(t *testing.T) {
	release := make(chan struct{})
	s := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acceptH2(w, r).write(frame(true, 0, ws.OpText, []byte("ready")))
		<-release // never reads the request body
	}), nil)
	t.Cleanup(func() { close(release) })
	c, r := dialStart(t, s.URL, s.config())
	r.waitMessage(t)
	// Far more than the server's flow-control windows: the writer is
	// held back once about 1 MiB is out.
	const size = 16 << 20
	c.Send(true, make([]byte, size))
	for r.sentTotal() < 512<<10 {
		select {
		case <-r.sentCh:
		case <-time.After(waitLimit):
			t.Fatal("nothing sent")
		}
	}
	done := make(chan struct{})
	go func() { c.Abort(); close(done) }()
	select {
	case <-done:
	case <-time.After(waitLimit):
		t.Fatal("Abort blocked")
	}
	if res := r.waitClosed(t); res.WasClean || res.Code != 1006 {
		t.Errorf("result %+v", res)
	}
	if f := s.waitFrame(t, http2.FrameRSTStream); f.code != http2.ErrCodeCancel {
		t.Errorf("RST_STREAM %v, want CANCEL", f.code)
	}
	if n := r.sentTotal(); n >= size {
		t.Errorf("all %d bytes were sent: the writer was not stalled", n)
	}
}

func (r *recorder) sentTotal() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sent
}

func TestH2HandshakeStatus(t *testing.T) {
	tests := []struct {
		status  int
		wantErr string
	}{
		{http.StatusForbidden, "status 403, not 2xx"},
		{http.StatusFound, "redirect status 302"},
		{http.StatusNotImplemented, "status 501"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			s := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.SetCookie(w, &http.Cookie{Name: "seen", Value: "yes"})
				w.Header().Set("Location", "/elsewhere")
				w.WriteHeader(tc.status)
			}), nil)
			jar, _ := cookiejar.New(nil)
			cfg := s.config()
			cfg.Network.Jar = jar
			_, err := Dial(context.Background(), s.URL, cfg)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
			if cs := jar.Cookies(&url.URL{Scheme: "https", Host: s.URL.Host}); len(cs) != 1 || cs[0].Value != "yes" {
				t.Errorf("cookies %v", cs)
			}
		})
	}
}

func TestH2HandshakeTimeout(t *testing.T) {
	release := make(chan struct{})
	reached := make(chan struct{}, 4)
	s := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached <- struct{}{}
		<-release
	}), nil)
	defer close(release)
	cfg := s.config()
	cfg.HandshakeTimeout = 200 * time.Millisecond
	_, err := Dial(context.Background(), s.URL, cfg)
	if err == nil || !strings.Contains(err.Error(), "timed out") || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a timeout", err)
	}

	// Canceled once the request is there: the stream is reset.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() {
		_, err := Dial(ctx, s.URL, s.config())
		errc <- err
	}()
	for {
		select {
		case <-reached:
			cancel()
		case err := <-errc:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want canceled", err)
			}
			if f := s.waitFrame(t, http2.FrameRSTStream); f.code != http2.ErrCodeCancel {
				t.Errorf("RST_STREAM %v", f.code)
			}
			return
		}
	}
}

// TestH2FallbackWithoutExtendedConnect dials a net/http server, whose
// HTTP/2 does not allow extended CONNECT: Dial gives up that connection
// and upgrades over HTTP/1.1 on a new one.
func TestH2FallbackWithoutExtendedConnect(t *testing.T) {
	cert, pool := newTLSCert(t, "web-platform.test")
	offers := make(chan []string, 4)
	protos := make(chan string, 4)
	hs := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			protos <- r.Proto
			conn, rw, _, err := ws.UpgradeHTTP(r, w)
			if err != nil {
				return
			}
			defer conn.Close()
			echoLoop(&serverConn{t: t, conn: conn, br: rw.Reader, req: r})
		}),
		TLSConfig: &tls.Config{
			Certificates: []tls.Certificate{cert},
			GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
				offers <- hello.SupportedProtos
				return nil, nil
			},
		},
		ErrorLog: log.New(io.Discard, "", 0),
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go hs.ServeTLS(ln, "", "")
	t.Cleanup(func() { hs.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	u := &url.URL{Scheme: "wss", Host: "web-platform.test:" + port, Path: "/"}
	cfg := &Config{Network: &network.Policy{
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, "127.0.0.1:"+port)
		},
		TLSConfig: &tls.Config{RootCAs: pool},
	}}
	c, r := dialStart(t, u, cfg)
	if got := <-offers; strings.Join(got, ",") != "h2,http/1.1" {
		t.Errorf("first offer %q", got)
	}
	if got := <-offers; strings.Join(got, ",") != "http/1.1" {
		t.Errorf("second offer %q", got)
	}
	if p := <-protos; p != "HTTP/1.1" {
		t.Errorf("request over %s", p)
	}
	c.SendText("fallback")
	if e := r.waitMessage(t); string(e.data) != "fallback" {
		t.Errorf("echo %q", e.data)
	}
	c.Close(1000, "")
	if res := r.waitClosed(t); !res.WasClean {
		t.Errorf("result %+v", res)
	}
}

// TestH2Disabled checks that DisableHTTP2 offers only HTTP/1.1, and that a
// server selecting HTTP/1.1 gets the usual upgrade.
func TestH2Disabled(t *testing.T) {
	s := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("HTTP/2 request")
	}), func(sc *serverConn) {
		sc.upgrade("")
		echoLoop(sc)
	})
	cfg := s.config()
	cfg.DisableHTTP2 = true
	c, r := dialStart(t, s.URL, cfg)
	if p := <-s.alpn; p != "http/1.1" {
		t.Errorf("ALPN %q", p)
	}
	c.SendText("h1")
	if e := r.waitMessage(t); string(e.data) != "h1" {
		t.Errorf("echo %q", e.data)
	}
	c.Close(1000, "")
	r.waitClosed(t)
}

func TestH2ThroughProxy(t *testing.T) {
	s := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acceptH2(w, r).echo(nil)
	}), nil)
	_, port, _ := net.SplitHostPort(s.URL.Host)
	paddr, seenCh := startProxy(t, "127.0.0.1:"+port)
	cfg := s.config()
	cfg.Network.Dial = nil
	cfg.Network.Proxy = func(*http.Request) (*url.URL, error) { return &url.URL{Scheme: "http", Host: paddr}, nil }
	c, r := dialStart(t, s.URL, cfg)
	if got := <-seenCh; got.target != s.URL.Host {
		t.Errorf("proxy asked for %q", got.target)
	}
	if p := <-s.alpn; p != "h2" {
		t.Errorf("ALPN %q", p)
	}
	c.SendText("tunnelled")
	if e := r.waitMessage(t); string(e.data) != "tunnelled" {
		t.Errorf("echo %q", e.data)
	}
	c.Close(1000, "")
	if res := r.waitClosed(t); !res.WasClean {
		t.Errorf("result %+v", res)
	}
}

// TestH2NoGoroutineLeft checks that nothing of a connection, the HTTP/2
// client's goroutines included, outlives it.
func TestH2NoGoroutineLeft(t *testing.T) {
	s := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("refuse") {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		acceptH2(w, r).echo(nil)
	}), nil)
	for i := range 6 {
		u := *s.URL
		if i%3 == 2 {
			u.RawQuery = "refuse"
			if _, err := Dial(context.Background(), &u, s.config()); err == nil {
				t.Fatal("Dial succeeded")
			}
			continue
		}
		c, err := Dial(context.Background(), &u, s.config())
		if err != nil {
			t.Fatal(err)
		}
		r := newRecorder()
		c.Start(r)
		c.SendText("x")
		r.waitMessage(t)
		if i%3 == 0 {
			c.Close(1000, "")
		} else {
			c.Abort()
		}
		r.waitClosed(t)
		<-c.doneChan()
	}
	waitGoroutinesGone(t, h2ClientMarks...)
}

// h2ClientMarks mark the goroutines of this package's connections and of the
// HTTP/2 client.
var h2ClientMarks = []string{"transport.(*Conn)", "transport.(*h2", "http2.(*ClientConn)", "http2.(*clientStream)", "http2.(*clientConnReadLoop)"}

func TestStreamBodyWriteDeadline(t *testing.T) {
	b := newStreamBody()
	// No reader: the write waits until the deadline.
	b.deadline.set(time.Now().Add(20 * time.Millisecond))
	if n, err := b.Write([]byte("abc")); n != 0 || !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Write = %d, %v; want a deadline error", n, err)
	}
	// Still past: fails at once.
	if _, err := b.Write([]byte("abc")); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Write = %v", err)
	}
	// A past deadline set while a write waits ends it.
	errc := make(chan error, 1)
	b.deadline.set(time.Time{})
	go func() {
		_, err := b.Write([]byte("abc"))
		errc <- err
	}()
	b.deadline.set(time.Now().Add(-time.Second))
	if err := <-errc; !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("Write = %v", err)
	}
	// Without deadline the bytes go to the reader in pieces as small as
	// its buffer, and the write returns once all were taken.
	b.deadline.set(time.Time{})
	go func() {
		_, err := b.Write([]byte("hello"))
		errc <- err
	}()
	var got []byte
	for len(got) < 5 {
		p := make([]byte, 2)
		n, err := b.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p[:n]...)
	}
	if err := <-errc; err != nil || string(got) != "hello" {
		t.Fatalf("Write = %v, read %q", err, got)
	}
	// The last piece is not sent until the reader is back for more.
	sent := make(chan struct{})
	go func() {
		b.waitSent(waitLimit)
		close(sent)
	}()
	select {
	case <-sent:
		t.Fatal("waitSent returned while the reader had not come back")
	default:
	}
	b.finish(io.EOF)
	if _, err := b.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("Read = %v, want EOF", err)
	}
	<-sent
	b.waitSent(waitLimit) // nothing owed: returns at once
	if _, err := b.Write([]byte("x")); !errors.Is(err, errClosedStream) {
		t.Errorf("Write after the end = %v", err)
	}
}

// settingsFrame encodes a SETTINGS frame.
func settingsFrame(t testing.TB, ack bool, settings ...http2.Setting) []byte {
	var b bytes.Buffer
	fr := http2.NewFramer(&b, nil)
	var err error
	if ack {
		err = fr.WriteSettingsAck()
	} else {
		err = fr.WriteSettings(settings...)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSettingsScanner(t *testing.T) {
	enable := http2.Setting{ID: http2.SettingEnableConnectProtocol, Val: 1}
	disable := http2.Setting{ID: http2.SettingEnableConnectProtocol, Val: 0}
	window := http2.Setting{ID: http2.SettingInitialWindowSize, Val: 1 << 20}
	var ping bytes.Buffer
	http2.NewFramer(&ping, nil).WritePing(false, [8]byte{})
	tests := []struct {
		name              string
		data              []byte
		settings, connect bool
	}{
		{"enabled", settingsFrame(t, false, window, enable), true, true},
		{"absent", settingsFrame(t, false, window), true, false},
		{"empty", settingsFrame(t, false), true, false},
		{"zero", settingsFrame(t, false, enable, disable), true, false},
		{"last wins", settingsFrame(t, false, disable, enable), true, true},
		{"ack first", append(settingsFrame(t, true), settingsFrame(t, false, enable)...), false, false},
		{"ping first", append(ping.Bytes(), settingsFrame(t, false, enable)...), false, false},
		{"later frame ignored", append(settingsFrame(t, false), settingsFrame(t, false, enable)...), true, false},
	}
	for _, tc := range tests {
		for split := 0; split <= len(tc.data); split++ {
			var s settingsScanner
			s.write(tc.data[:split])
			for _, c := range tc.data[split:] {
				s.write([]byte{c})
			}
			if !s.done || s.settings != tc.settings || s.enableConnect != tc.connect {
				t.Errorf("%s, split at %d: done=%v settings=%v connect=%v", tc.name, split, s.done, s.settings, s.enableConnect)
			}
		}
	}
}

// FuzzSettingsScanner checks the scanner against x/net/http2's framer:
// whatever the input and however it is cut, a first frame the framer reads
// as SETTINGS gives the same verdict.
func FuzzSettingsScanner(f *testing.F) {
	f.Add(settingsFrame(f, false, http2.Setting{ID: http2.SettingEnableConnectProtocol, Val: 1}), 3)
	f.Add(settingsFrame(f, false, http2.Setting{ID: http2.SettingMaxFrameSize, Val: 1 << 20}), 10)
	f.Add(settingsFrame(f, true), 0)
	f.Add([]byte{0, 0, 7, 4, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 1, 0}, 5)
	f.Fuzz(func(t *testing.T, data []byte, cut int) {
		var s settingsScanner
		if cut < 0 || cut > len(data) {
			cut = len(data) / 2
		}
		s.write(data[:cut])
		s.write(data[cut:])
		fr := http2.NewFramer(nil, bytes.NewReader(data))
		fr.SetMaxReadFrameSize(1<<24 - 1)
		frm, err := fr.ReadFrame()
		sf, isSettings := frm.(*http2.SettingsFrame)
		if err != nil || !isSettings || sf.IsAck() {
			if s.done && s.settings && err == nil {
				t.Fatalf("scanner read SETTINGS, framer read %v", frm)
			}
			return
		}
		if !s.done || !s.settings {
			t.Fatalf("framer read %v, scanner done=%v settings=%v", sf, s.done, s.settings)
		}
		want := false
		sf.ForeachSetting(func(st http2.Setting) error {
			if st.ID == http2.SettingEnableConnectProtocol {
				want = st.Val == 1
			}
			return nil
		})
		if s.enableConnect != want {
			t.Fatalf("enableConnect %v, want %v for %v", s.enableConnect, want, sf)
		}
	})
}

// rawH2 drives one server connection of HTTP/2 frame by frame.
type rawH2 struct {
	t    *testing.T
	fr   *http2.Framer
	henc *hpack.Encoder
	hbuf bytes.Buffer
}

// startRawH2 accepts one TLS connection that negotiates h2, reads the client
// preface and runs script on it.
func startRawH2(t *testing.T, script func(h *rawH2)) (*url.URL, *Config) {
	t.Helper()
	cert, pool := newTLSCert(t, "web-platform.test")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		raw, err := ln.Accept()
		if err != nil {
			return
		}
		defer raw.Close()
		conn := tls.Server(raw, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2"}})
		conn.SetDeadline(time.Now().Add(waitLimit))
		var preface [len(http2.ClientPreface)]byte
		if _, err := io.ReadFull(conn, preface[:]); err != nil {
			t.Errorf("reading the preface: %v", err)
			return
		}
		h := &rawH2{t: t, fr: http2.NewFramer(conn, conn)}
		h.fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
		h.henc = hpack.NewEncoder(&h.hbuf)
		script(h)
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return &url.URL{Scheme: "wss", Host: "web-platform.test:" + port, Path: "/echo"}, &Config{Network: &network.Policy{
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, "127.0.0.1:"+port)
		},
		TLSConfig: &tls.Config{RootCAs: pool},
	}}
}

// next returns the next frame other than SETTINGS (acknowledged), PING and
// WINDOW_UPDATE, or nil at the end of the connection.
func (h *rawH2) next() http2.Frame {
	for {
		f, err := h.fr.ReadFrame()
		if err != nil {
			return nil
		}
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				h.fr.WriteSettingsAck()
			}
		case *http2.PingFrame, *http2.WindowUpdateFrame:
		default:
			return f
		}
	}
}

func (h *rawH2) respond(stream uint32, status string) {
	h.hbuf.Reset()
	h.henc.WriteField(hpack.HeaderField{Name: ":status", Value: status})
	h.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: stream, BlockFragment: h.hbuf.Bytes(), EndHeaders: true})
}

// readMessage reads DATA frames until they hold a whole WebSocket frame.
func (h *rawH2) readMessage(stream uint32) (ws.Frame, bool) {
	var acc []byte
	for {
		if f, err := ws.ReadFrame(bytes.NewReader(acc)); err == nil {
			ws.Cipher(f.Payload, f.Header.Mask, 0)
			return f, true
		}
		switch f := h.next().(type) {
		case *http2.DataFrame:
			if f.StreamID == stream {
				acc = append(acc, f.Data()...)
			}
		default:
			h.t.Errorf("frame %v while reading a message", f)
			return ws.Frame{}, false
		}
	}
}

// TestH2EndStream follows a server-initiated close frame by frame: the
// request's pseudo-header fields (RFC 8441 sections 4
// (https://www.rfc-editor.org/rfc/rfc8441#section-4) and 5
// (https://www.rfc-editor.org/rfc/rfc8441#section-5)), the client's answer, its
// END_STREAM after the server's (RFC 8441 section 5,
// https://www.rfc-editor.org/rfc/rfc8441#section-5) and its GOAWAY.
func TestH2EndStream(t *testing.T) {
	steps := make(chan string, 16)
	authority := make(chan string, 1)
	u, cfg := startRawH2(t, func(h *rawH2) {
		h.fr.WriteSettings(http2.Setting{ID: http2.SettingEnableConnectProtocol, Val: 1})
		hf, ok := h.next().(*http2.MetaHeadersFrame)
		if !ok {
			t.Error("no request")
			return
		}
		for _, p := range [][2]string{{"method", "CONNECT"}, {"protocol", "websocket"}, {"scheme", "https"}, {"path", "/echo"}, {"authority", <-authority}} {
			if got := hf.PseudoValue(p[0]); got != p[1] {
				t.Errorf(":%s = %q, want %q", p[0], got, p[1])
			}
		}
		if hf.StreamEnded() {
			t.Error("request ended the stream")
		}
		id := hf.StreamID
		h.respond(id, "200")
		h.fr.WriteData(id, false, frame(true, 0, ws.OpClose, closeBody(1000, "srv")))
		if f, ok := h.readMessage(id); ok {
			steps <- fmt.Sprintf("answer %d %x", f.Header.OpCode, f.Payload)
		}
		h.fr.WriteData(id, true, nil)
		for {
			switch f := h.next().(type) {
			case nil:
				steps <- "end"
				return
			case *http2.DataFrame:
				if f.StreamEnded() {
					steps <- "END_STREAM"
				}
			case *http2.RSTStreamFrame:
				steps <- "RST_STREAM " + f.ErrCode.String()
			case *http2.GoAwayFrame:
				steps <- "GOAWAY " + f.ErrCode.String()
			}
		}
	})
	authority <- u.Host
	_, r := dialStart(t, u, cfg)
	if res := r.waitClosed(t); !res.WasClean || res.Code != 1000 || res.Reason != "srv" {
		t.Errorf("result %+v", res)
	}
	var got []string
	for s := range steps {
		got = append(got, s)
		if s == "end" {
			break
		}
	}
	want := []string{"answer 8 03e8", "END_STREAM", "GOAWAY NO_ERROR", "end"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("server saw %q, want %q", got, want)
	}
}

// TestH2PolicyAndLimits checks that Allow and the message size limit apply
// over HTTP/2 as over HTTP/1.1.
func TestH2PolicyAndLimits(t *testing.T) {
	closeCode := make(chan []byte, 1)
	s := newH2TestServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := acceptH2(w, r)
		sw.write(frame(true, 0, ws.OpBinary, make([]byte, 100)))
		for {
			f, err := sw.readFrame()
			if err != nil {
				closeCode <- nil
				return
			}
			if f.Header.OpCode == ws.OpClose {
				closeCode <- f.Payload
				return
			}
		}
	}), nil)
	var mu sync.Mutex
	var asked []string
	cfg := s.config()
	cfg.Network.Allow = func(u *url.URL, addr netip.AddrPort) error {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, addr.String())
		return nil
	}
	cfg.MaxMessageSize = 10
	_, r := dialStart(t, s.URL, cfg)
	res := r.waitClosed(t)
	if !res.Failed || res.Code != 1006 && res.Code != 1009 {
		t.Errorf("result %+v", res)
	}
	if got := <-closeCode; len(got) < 2 || binary.BigEndian.Uint16(got) != 1009 {
		t.Errorf("client's close frame %x, want 1009", got)
	}
	mu.Lock()
	defer mu.Unlock()
	_, port, _ := net.SplitHostPort(s.URL.Host)
	if want := []string{"invalid AddrPort", "127.0.0.1:" + port}; strings.Join(asked, " ") != strings.Join(want, " ") {
		t.Errorf("Allow asked about %q, want %q", asked, want)
	}

	cfg.Network.Allow = func(*url.URL, netip.AddrPort) error { return errors.New("no") }
	if _, err := Dial(context.Background(), s.URL, cfg); err == nil || !strings.Contains(err.Error(), "not allowed") {
		t.Errorf("err = %v, want the veto", err)
	}
}
