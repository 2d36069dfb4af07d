package wptserver

import (
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"golang.org/x/net/http2"
)

// h2Stream is the client side of an extended CONNECT stream, as a net.Conn
// for wsConn: writes go into the request body, reads come from the
// response body.
type h2Stream struct {
	net.Conn // the TLS connection, for addresses and deadlines
	pw       *io.PipeWriter
	body     io.ReadCloser
}

func (s *h2Stream) Write(p []byte) (int, error) { return s.pw.Write(p) }
func (s *h2Stream) Read(p []byte) (int, error)  { return s.body.Read(p) }
func (s *h2Stream) Close() error                { s.pw.Close(); return s.body.Close() }

// dialH2 sends an extended CONNECT request (RFC 8441) for target to the h2
// port with the usual WebSocket header fields; extra replaces or adds
// fields ("Name", "" removes one). It returns the client with the response,
// whatever its status, or the error of a stream reset before any.
func dialH2(t *testing.T, srv *Server, target string, extra ...string) (*wsConn, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	addr := fmt.Sprintf("%s:%d", srv.Host(), srv.Ports().H2)
	raw, err := srv.DialContext(ctx, "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	tc := tls.Client(raw, &tls.Config{RootCAs: srv.CA(), ServerName: srv.Host(), NextProtos: []string{"h2"}})
	if err := tc.HandshakeContext(ctx); err != nil {
		t.Fatal(err)
	}
	if p := tc.ConnectionState().NegotiatedProtocol; p != "h2" {
		t.Fatalf("ALPN %q", p)
	}
	tc.SetDeadline(time.Now().Add(30 * time.Second))
	cc, err := (&http2.Transport{}).NewClientConn(tc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close() })
	hdr := http.Header{
		":protocol":             {"websocket"},
		"Sec-Websocket-Version": {"13"},
		"Origin":                {"https://web-platform.test:9000"},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			delete(hdr, extra[i])
		} else {
			hdr[extra[i]] = []string{extra[i+1]}
		}
	}
	pr, pw := io.Pipe()
	req := &http.Request{
		Method:        http.MethodConnect,
		URL:           &url.URL{Scheme: "https", Host: addr, Opaque: target},
		Host:          addr,
		Header:        hdr,
		Body:          pr,
		ContentLength: -1,
	}
	resp, err := cc.RoundTrip(req)
	if err != nil {
		pw.Close()
		return nil, err
	}
	s := &h2Stream{Conn: tc, pw: pw, body: resp.Body}
	t.Cleanup(func() { s.Close() })
	return &wsConn{t: t, conn: s, br: bufio.NewReader(resp.Body), resp: resp}, nil
}

// openH2 is dialH2 requiring a 200 response.
func openH2(t *testing.T, srv *Server, target string, extra ...string) *wsConn {
	t.Helper()
	c, err := dialH2(t, srv, target, extra...)
	if err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	if c.resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %s, want 200", target, c.resp.Status)
	}
	return c
}

// expectReset requires the server to reset the stream.
func (c *wsConn) expectReset() {
	c.t.Helper()
	_, err := c.br.ReadByte()
	var se http2.StreamError
	if !errors.As(err, &se) {
		c.t.Fatalf("read %v, want a stream reset", err)
	}
}

func TestH2Echo(t *testing.T) {
	srv := startTest(t)
	c := openH2(t, srv, "/echo")
	for _, k := range []string{"Sec-Websocket-Protocol", "Sec-Websocket-Extensions", "Sec-Websocket-Accept", "Upgrade", "Connection"} {
		if v, ok := c.resp.Header[k]; ok {
			t.Errorf("unexpected %s: %q", k, v)
		}
	}
	c.sendText("héllo")
	if got := c.readText(); got != "héllo" {
		t.Errorf("echo %q", got)
	}
	big := bytes.Repeat([]byte{1, 2, 3, 4}, 1<<18) // beyond the stream windows
	c.send(ws.OpBinary, big)
	if h, p := c.read(); h.OpCode != ws.OpBinary || !bytes.Equal(p, big) {
		t.Errorf("binary echo: %v, %d bytes", h.OpCode, len(p))
	}
	c.sendFrame(ws.Header{OpCode: ws.OpText}, []byte("ab"))
	c.sendFrame(ws.Header{Fin: true, OpCode: ws.OpContinuation}, []byte("cd"))
	if got := c.readText(); got != "abcd" {
		t.Errorf("fragmented echo %q", got)
	}
	c.send(ws.OpPing, []byte("p"))
	if h, p := c.read(); h.OpCode != ws.OpPong || string(p) != "p" {
		t.Errorf("pong %v %q", h.OpCode, p)
	}
	// The closing handshake, then the server ends the stream in order.
	if code, reason := c.closeHandshake(3000, "bye"); code != 3000 || reason != "bye" {
		t.Errorf("close echo %d %q", code, reason)
	}
}

func TestH2ServerInitiatedClose(t *testing.T) {
	srv := startTest(t)
	c := openH2(t, srv, "/remote-close?code=4000&reason=r")
	if code, reason := c.readClose(); code != 4000 || reason != "r" {
		t.Fatalf("close %d %q", code, reason)
	}
	c.sendClose(4000, "")
	c.expectEOF()

	// abrupt=1: a ping, then the connection is dropped without a close
	// frame: the stream ends.
	c = openH2(t, srv, "/remote-close?abrupt=1")
	if h, _ := c.read(); h.OpCode != ws.OpPing {
		t.Fatalf("opcode %v, want ping", h.OpCode)
	}
	c.expectEOF()
}

func TestH2Handshakes(t *testing.T) {
	srv := startTest(t)
	tests := []struct {
		name       string
		target     string
		extra      []string
		wantStatus int
		wantHeader map[string]string
	}{
		{name: "echo subprotocol", target: "/echo", extra: []string{"Sec-Websocket-Protocol", "chat, echo"}, wantStatus: 200, wantHeader: map[string]string{"Sec-Websocket-Protocol": "echo"}},
		{name: "echo without the subprotocol", target: "/echo", extra: []string{"Sec-Websocket-Protocol", "chat"}, wantStatus: 400},
		{name: "protocol array", target: "/protocol_array", extra: []string{"Sec-Websocket-Protocol", "a, b"}, wantStatus: 200, wantHeader: map[string]string{"Sec-Websocket-Protocol": "a"}},
		{name: "foobar without offer", target: "/handshake_protocol", wantStatus: 400},
		{name: "version 12", target: "/echo", extra: []string{"Sec-Websocket-Version", "12"}, wantStatus: 400},
		{name: "no version", target: "/echo", extra: []string{"Sec-Websocket-Version", ""}, wantStatus: 400},
		{name: "other protocol", target: "/echo", extra: []string{":protocol", "chat"}, wantStatus: 400},
		{name: "unknown handler", target: "/nothing-here", wantStatus: 404},
		{name: "fragment", target: "/echo#x", wantStatus: 400},
		{name: "origin handler without Origin", target: "/origin", extra: []string{"Origin", ""}, wantStatus: 200},
		{name: "set-cookie", target: "/set-cookie?k", wantStatus: 200, wantHeader: map[string]string{"Set-Cookie": "ws_test_k=test; Path=/"}},
		// The CRLF the handler puts in the value starts a field of its own.
		{name: "set-cookie_http", target: "/set-cookie_http?k", wantStatus: 200, wantHeader: map[string]string{
			"Set-Cookie":           "ws_test_k=test; Path=/; HttpOnly",
			"Sec-Websocket-Origin": "https://web-platform.test:9000",
		}},
		{name: "deflate", target: "/echo", extra: []string{"Sec-Websocket-Extensions", "permessage-deflate; client_max_window_bits"}, wantStatus: 200, wantHeader: map[string]string{"Sec-Websocket-Extensions": "permessage-deflate"}},
		{name: "deflate declined", target: "/handshake_no_extensions", extra: []string{"Sec-Websocket-Extensions", "permessage-deflate"}, wantStatus: 200, wantHeader: map[string]string{"Sec-Websocket-Extensions": ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := dialH2(t, srv, tc.target, tc.extra...)
			if err != nil {
				t.Fatal(err)
			}
			if c.resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d", c.resp.StatusCode, tc.wantStatus)
			}
			for k, v := range tc.wantHeader {
				if got := strings.Join(c.resp.Header.Values(k), "\n"); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
		})
	}
}

// TestH2RawAnswers checks the handlers that write raw bytes during the
// handshake (a hand-made status line on the ws port): over HTTP/2 that
// would be DATA before HEADERS, so the stream is reset instead.
func TestH2RawAnswers(t *testing.T) {
	srv := startTest(t)
	for _, target := range []string{"/invalid", "/wrong_accept_key", "/simple_handshake", "/basic_auth"} {
		t.Run(target, func(t *testing.T) {
			_, err := dialH2(t, srv, target)
			var se http2.StreamError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a stream reset", err)
			}
		})
	}
	// With the credentials basic_auth answers normally.
	c := openH2(t, srv, "/basic_auth", "Authorization", "Basic Zm9vOmJhcg==")
	c.sendClose(1000, "")
	if code, _ := c.readClose(); code != 1000 {
		t.Errorf("close %d", code)
	}
}

func TestH2Handlers(t *testing.T) {
	srv := startTest(t)
	c := openH2(t, srv, "/origin")
	if got := c.readText(); got != "https://web-platform.test:9000" {
		t.Errorf("origin %q", got)
	}
	c = openH2(t, srv, "/echo-query?a=b")
	if got := c.readText(); got != "a=b" {
		t.Errorf("query %q", got)
	}
	c = openH2(t, srv, "/echo-cookie", "Cookie", "x=1")
	if got := c.readText(); got != "x=1" {
		t.Errorf("cookie %q", got)
	}
	// passive-close-abort: the client's close is not answered; the
	// connection is dropped, which ends the stream.
	c = openH2(t, srv, "/passive-close-abort")
	c.sendClose(1000, "")
	c.expectEOF()
}

func TestH2Deflate(t *testing.T) {
	srv := startTest(t)
	c := openH2(t, srv, "/echo", "Sec-Websocket-Extensions", "permessage-deflate; server_no_context_takeover")
	if got := c.resp.Header.Get("Sec-Websocket-Extensions"); got != "permessage-deflate; server_no_context_takeover" {
		t.Fatalf("extensions %q", got)
	}
	msg := strings.Repeat("over h2 ", 50)
	var b bytes.Buffer
	zw, _ := flate.NewWriter(&b, flate.BestCompression)
	zw.Write([]byte(msg))
	zw.Flush()
	c.sendFrame(ws.Header{Fin: true, OpCode: ws.OpText, Rsv: ws.Rsv(true, false, false)}, bytes.TrimSuffix(b.Bytes(), []byte{0, 0, 0xff, 0xff}))
	h, p := c.read()
	if !h.Rsv1() {
		t.Fatal("echo not compressed")
	}
	out, err := io.ReadAll(flate.NewReader(io.MultiReader(bytes.NewReader(p), bytes.NewReader(flateTail))))
	if err != nil || string(out) != msg {
		t.Fatalf("inflated %q, %v", out, err)
	}
}

// TestH2PlainRequests checks that the h2 port still serves files, and that a
// CONNECT without :protocol is not taken for a WebSocket.
func TestH2PlainRequests(t *testing.T) {
	srv := startTest(t)
	resp, body := get(t, httpClient(srv), srv.URL("h2", "")+"/resources/sub.txt")
	if resp.ProtoMajor != 2 || body != "hello\n" {
		t.Errorf("%s %q", resp.Proto, body)
	}
}

// TestH2CloseEndsSessions checks that Close ends the WebSocket streams of
// the h2 port and waits for their handlers.
func TestH2CloseEndsSessions(t *testing.T) {
	srv, err := Start(Config{Root: testRoot(t), Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	c := openH2(t, srv, "/echo")
	c.sendText("x")
	c.readText()
	done := make(chan error, 1)
	go func() { done <- srv.Close() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
	if _, err := c.br.ReadByte(); err == nil {
		t.Error("stream still open after Close")
	}
	if _, err := dialH2Maybe(srv); err == nil {
		t.Error("h2 port still accepts connections")
	}
}

// dialH2Maybe only dials the h2 port.
func dialH2Maybe(srv *Server) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.DialContext(ctx, "tcp", fmt.Sprintf("%s:%d", srv.Host(), srv.Ports().H2))
}
