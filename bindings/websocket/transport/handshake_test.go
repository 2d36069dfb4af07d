package transport

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/wsjs/wsjs/bindings/network"
)

func TestHandshakeRequest(t *testing.T) {
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("Set-Cookie: back=1; Path=/\r\nSec-WebSocket-Protocol: chat\r\n")
		sc.readClose()
	})
	jar, _ := cookiejar.New(nil)
	httpURL := &url.URL{Scheme: "http", Host: s.URL.Host, Path: "/"}
	jar.SetCookies(httpURL, []*http.Cookie{{Name: "sid", Value: "abc"}})
	u := *s.URL
	u.Path, u.RawQuery = "/a b/c", "x=1&y=%20"
	u.User = url.UserPassword("foo", "bar")
	cfg := &Config{
		Protocols: []string{"chat", "superchat"},
		Origin:    "http://example.test",
		Network:   &network.Policy{Jar: jar},
		Header: http.Header{
			"User-Agent":            {"wsjs-test"},
			"Sec-WebSocket-Key":     {"injected"},
			"Upgrade":               {"h2c"},
			"Origin":                {"http://evil.test"},
			"Sec-WebSocket-Version": {"8"},
			"Host":                  {"evil.test"},
			"Connection":            {"close"},
		},
	}
	c, r := dialStart(t, &u, cfg)
	req := <-s.reqs
	want := map[string]string{
		"Upgrade":                  "websocket",
		"Connection":               "Upgrade",
		"Sec-Websocket-Version":    "13",
		"Sec-Websocket-Protocol":   "chat, superchat",
		"Sec-Websocket-Extensions": "permessage-deflate; client_max_window_bits",
		"Origin":                   "http://example.test",
		"Cookie":                   "sid=abc",
		"User-Agent":               "wsjs-test",
		"Authorization":            "Basic " + base64.StdEncoding.EncodeToString([]byte("foo:bar")),
	}
	for k, v := range want {
		if got := req.Header.Values(k); len(got) != 1 || got[0] != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if req.Host != s.URL.Host {
		t.Errorf("Host = %q, want %q", req.Host, s.URL.Host)
	}
	if req.RequestURI != "/a%20b/c?x=1&y=%20" {
		t.Errorf("request target %q", req.RequestURI)
	}
	key, err := base64.StdEncoding.DecodeString(req.Header.Get("Sec-WebSocket-Key"))
	if err != nil || len(key) != 16 {
		t.Errorf("Sec-WebSocket-Key %q is not 16 bytes in base64", req.Header.Get("Sec-WebSocket-Key"))
	}
	if c.Protocol() != "chat" || c.Extensions() != "" {
		t.Errorf("Protocol %q, Extensions %q", c.Protocol(), c.Extensions())
	}
	found := false
	for _, ck := range jar.Cookies(httpURL) {
		if ck.Name == "back" && ck.Value == "1" {
			found = true
		}
	}
	if !found {
		t.Error("Set-Cookie of the response not stored in the jar")
	}
	c.Close(1000, "")
	r.waitClosed(t)
}

func TestHandshakeKeysDiffer(t *testing.T) {
	s := newTestServer(t, func(sc *serverConn) { sc.upgrade(""); sc.readClose() })
	seen := map[string]bool{}
	for range 3 {
		c, r := dialStart(t, s.URL, nil)
		k := (<-s.reqs).Header.Get("Sec-WebSocket-Key")
		if seen[k] {
			t.Errorf("key %q reused", k)
		}
		seen[k] = true
		c.Close(1000, "")
		r.waitClosed(t)
	}
}

func TestHandshakeNoCompressionOffer(t *testing.T) {
	s := newTestServer(t, func(sc *serverConn) { sc.upgrade(""); sc.readClose() })
	c, r := dialStart(t, s.URL, &Config{DisableCompression: true})
	if v := (<-s.reqs).Header.Values("Sec-WebSocket-Extensions"); len(v) != 0 {
		t.Errorf("Sec-WebSocket-Extensions sent: %q", v)
	}
	c.Close(0, "")
	r.waitClosed(t)
}

// TestHandshakeResponses runs each response against Dial: accepted ones must
// give a working connection, the others an error naming the problem.
func TestHandshakeResponses(t *testing.T) {
	good := func(sc *serverConn) string { return acceptKey(sc.req.Header.Get("Sec-WebSocket-Key")) }
	// with is a response that accepts the handshake: the standard lines,
	// then fields, header lines that each end in CRLF.
	with := func(fields string) func(sc *serverConn) string {
		return func(sc *serverConn) string { return std(good(sc)) + fields }
	}
	tests := []struct {
		name      string
		protocols []string
		noDeflate bool
		response  func(sc *serverConn) string // status line and headers, without the final CRLF
		wantErr   string                      // "" for success
		wantProto string
		wantExt   string
	}{
		{
			name:     "ok",
			response: with(""),
		},
		{
			name: "case-insensitive Upgrade and Connection token list",
			response: func(sc *serverConn) string {
				return "HTTP/1.1 101 OK\r\nupgrade: WebSocket\r\nconnection: keep-alive, UPGRADE\r\nSec-WebSocket-Accept: " + good(sc) + "\r\n"
			},
		},
		{
			name: "reason phrase with colon",
			response: func(sc *serverConn) string {
				return "HTTP/1.1 101 Switching Protocols:\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + good(sc) + "\r\n"
			},
		},
		{
			name:     "status 200",
			response: func(sc *serverConn) string { return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n" },
			wantErr:  "status 200",
		},
		{
			name: "redirect",
			response: func(sc *serverConn) string {
				return "HTTP/1.1 301 Moved\r\nLocation: /echo\r\nContent-Length: 0\r\n"
			},
			wantErr: "redirect",
		},
		{
			name:     "HTTP/1.0",
			response: func(sc *serverConn) string { return strings.Replace(std(good(sc)), "HTTP/1.1", "HTTP/1.0", 1) },
			wantErr:  "status line",
		},
		{
			name: "no Upgrade",
			response: func(sc *serverConn) string {
				return "HTTP/1.1 101 OK\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + good(sc) + "\r\n"
			},
			wantErr: "Upgrade",
		},
		{
			name: "wrong Upgrade",
			response: func(sc *serverConn) string {
				return "HTTP/1.1 101 OK\r\nUpgrade: h2c\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + good(sc) + "\r\n"
			},
			wantErr: "Upgrade",
		},
		{
			name: "no Connection",
			response: func(sc *serverConn) string {
				return "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: " + good(sc) + "\r\n"
			},
			wantErr: "Connection",
		},
		{
			name:     "wrong accept",
			response: func(sc *serverConn) string { return std(acceptKey("AAAAAAAAAAAAAAAAAAAAAA==")) },
			wantErr:  "Sec-WebSocket-Accept",
		},
		{
			name:     "no accept",
			response: func(sc *serverConn) string { return "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" },
			wantErr:  "Sec-WebSocket-Accept",
		},
		{
			name:      "protocol selected",
			protocols: []string{"a", "b"},
			response:  with("Sec-WebSocket-Protocol: b\r\n"),
			wantProto: "b",
		},
		{
			name:      "protocol not offered",
			protocols: []string{"a"},
			response:  with("Sec-WebSocket-Protocol: c\r\n"),
			wantErr:   "not offered",
		},
		{
			name:      "protocol case differs",
			protocols: []string{"FOOBAR"},
			response:  with("Sec-WebSocket-Protocol: foobar\r\n"),
			wantErr:   "not offered",
		},
		{
			name:      "two protocols selected",
			protocols: []string{"a", "b"},
			response:  with("Sec-WebSocket-Protocol: a, b\r\n"),
			wantErr:   "not offered",
		},
		{
			name:      "no protocol when some offered",
			protocols: []string{"a"},
			response:  with(""),
			wantErr:   "none of the offered",
		},
		{
			name:      "empty protocol when some offered",
			protocols: []string{"a"},
			response:  with("Sec-WebSocket-Protocol: \r\n"),
			wantErr:   "none of the offered",
		},
		{
			name:     "protocol when none offered",
			response: with("Sec-WebSocket-Protocol: a\r\n"),
			wantErr:  "not offered",
		},
		{
			name:     "deflate accepted",
			response: with("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits=\"12\"\r\n"),
			wantExt:  "permessage-deflate; server_no_context_takeover; client_max_window_bits=\"12\"",
		},
		{
			name:     "extension not offered",
			response: with("Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n"),
			wantErr:  "not offered",
		},
		{
			name:      "deflate when compression disabled",
			noDeflate: true,
			response:  with("Sec-WebSocket-Extensions: permessage-deflate\r\n"),
			wantErr:   "not offered",
		},
		{
			name:     "deflate twice",
			response: with("Sec-WebSocket-Extensions: permessage-deflate\r\nSec-WebSocket-Extensions: permessage-deflate\r\n"),
			wantErr:  "twice",
		},
		{
			name:     "deflate unknown parameter",
			response: with("Sec-WebSocket-Extensions: permessage-deflate; foo\r\n"),
			wantErr:  "unknown",
		},
		{
			name:     "deflate window bits out of range",
			response: with("Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=16\r\n"),
			wantErr:  "invalid value",
		},
		{
			name:     "deflate client_max_window_bits without value",
			response: with("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"),
			wantErr:  "invalid value",
		},
		{
			name:     "deflate duplicate parameter",
			response: with("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; server_no_context_takeover\r\n"),
			wantErr:  "twice",
		},
		{
			name:     "deflate flag with value",
			response: with("Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover=1\r\n"),
			wantErr:  "must not have a value",
		},
		{
			name: "header too long",
			response: func(sc *serverConn) string {
				return std(good(sc)) + "X: " + strings.Repeat("a", maxResponseHead) + "\r\n"
			},
			wantErr: "exceeds",
		},
		{
			// RFC 9112 section 2.2
			// (https://www.rfc-editor.org/rfc/rfc9112#section-2.2): whitespace
			// between the status line and the first field; later folded lines
			// are joined (section 5.2
			// (https://www.rfc-editor.org/rfc/rfc9112#section-5.2), see
			// TestFoldedResponseHeader).
			name:     "folding before the first field",
			response: func(sc *serverConn) string { return strings.Replace(std(good(sc)), "\r\n", "\r\n x\r\n", 1) },
			wantErr:  "folding",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, func(sc *serverConn) {
				sc.conn.Write([]byte(tt.response(sc) + "\r\n"))
				readAll(sc.br)
			})
			c, err := Dial(context.Background(), s.URL, &Config{Protocols: tt.protocols, DisableCompression: tt.noDeflate})
			if tt.wantErr != "" {
				if err == nil {
					c.Abort()
					t.Fatalf("Dial succeeded, want error with %q", tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %q does not mention %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			defer c.Abort()
			if c.Protocol() != tt.wantProto || c.Extensions() != tt.wantExt {
				t.Errorf("Protocol %q, Extensions %q; want %q, %q", c.Protocol(), c.Extensions(), tt.wantProto, tt.wantExt)
			}
		})
	}
}

func std(accept string) string {
	return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n"
}

// TestDataWithResponse checks that frames sent in the same write as the 101
// response are delivered, in order, with the close that follows them.
func TestDataWithResponse(t *testing.T) {
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("", frame(true, 0, ws.OpText, []byte("first")),
			frame(true, 0, ws.OpBinary, []byte{1, 2, 3}),
			frame(true, 0, ws.OpClose, closeBody(1001, "PASS")),
			frame(true, 0, ws.OpText, []byte("after close")))
		code, _, err := sc.readClose()
		if err != nil || code != 1001 {
			t.Errorf("echoed close: code %d, %v", code, err)
		}
	})
	_, r := dialStart(t, s.URL, nil)
	if e := r.waitMessage(t); e.binary || string(e.data) != "first" {
		t.Errorf("first message %+v", e)
	}
	if e := r.waitMessage(t); !e.binary || string(e.data) != "\x01\x02\x03" {
		t.Errorf("second message %+v", e)
	}
	res := r.waitClosed(t)
	if !res.WasClean || res.Code != 1001 || res.Reason != "PASS" || res.Failed || res.Err != nil {
		t.Errorf("result %+v", res)
	}
	select {
	case e := <-r.msgs:
		t.Errorf("message after close: %+v", e)
	default:
	}
}

func TestDialCustomDialAndAllow(t *testing.T) {
	s := newTestServer(t, func(sc *serverConn) { sc.upgrade(""); sc.readClose() })
	_, port, _ := net.SplitHostPort(s.URL.Host)
	var dialed atomic.Value
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialed.Store(addr)
		host, p, _ := net.SplitHostPort(addr)
		if host == "web-platform.test" {
			addr = net.JoinHostPort("127.0.0.1", p)
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	u := &url.URL{Scheme: "ws", Host: "web-platform.test:" + port, Path: "/"}
	var allowed []netip.AddrPort
	cfg := &Config{Network: &network.Policy{Dial: dial, Allow: func(_ *url.URL, ap netip.AddrPort) error {
		allowed = append(allowed, ap)
		return nil
	}}}
	c, r := dialStart(t, u, cfg)
	if got := dialed.Load(); got != "web-platform.test:"+port {
		t.Errorf("Dial got %v", got)
	}
	if req := <-s.reqs; req.Host != "web-platform.test:"+port {
		t.Errorf("Host %q", req.Host)
	}
	if len(allowed) != 2 || allowed[0].IsValid() || allowed[1] != netip.MustParseAddrPort(s.URL.Host) {
		t.Errorf("Allow calls: %v", allowed)
	}
	c.Close(1000, "")
	r.waitClosed(t)
}

func TestDialAllowVeto(t *testing.T) {
	s := newTestServer(t, func(sc *serverConn) { sc.upgrade("") })
	veto := errors.New("vetoed")
	tests := []struct {
		name  string
		cfg   Config
		calls int
	}{
		{name: "url", cfg: Config{Network: &network.Policy{Allow: func(u *url.URL, ap netip.AddrPort) error { return veto }}}, calls: 0},
		{name: "address", cfg: Config{Network: &network.Policy{Allow: func(u *url.URL, ap netip.AddrPort) error {
			if ap.Addr() == netip.MustParseAddr("127.0.0.1") {
				return veto
			}
			return nil
		}}}},
		{name: "address with custom dial", cfg: Config{Network: &network.Policy{
			Dial: func(ctx context.Context, n, a string) (net.Conn, error) { return net.Dial(n, a) },
			Allow: func(u *url.URL, ap netip.AddrPort) error {
				if ap.IsValid() && ap.Addr().IsLoopback() {
					return veto
				}
				return nil
			},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A name that resolves to loopback: the check sees the address
			// actually dialed, not the name.
			u := *s.URL
			_, port, _ := net.SplitHostPort(u.Host)
			u.Host = "localhost:" + port
			_, err := Dial(context.Background(), &u, &tt.cfg)
			if !errors.Is(err, veto) {
				t.Fatalf("err = %v, want the veto", err)
			}
		})
	}
}

func TestDialTimeoutAndCancel(t *testing.T) {
	// A server that accepts and never answers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { readAll(conn); conn.Close() }()
		}
	}()
	u := &url.URL{Scheme: "ws", Host: ln.Addr().String()}
	start := time.Now()
	_, err = Dial(context.Background(), u, &Config{HandshakeTimeout: 100 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("timeout took %v", d)
	}

	ctx, cancel := context.WithCancel(context.Background())
	res := make(chan error, 1)
	go func() {
		_, err := Dial(ctx, u, &Config{HandshakeTimeout: -1})
		res <- err
	}()
	cancel()
	select {
	case err := <-res:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("canceled Dial did not return")
	}
}

// newTLSCert makes a CA-less self-signed certificate for the given names.
func newTLSCert(t *testing.T, names ...string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: names[0]},
		DNSNames:              names,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

func TestDialTLS(t *testing.T) {
	cert, pool := newTLSCert(t, "web-platform.test")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sni := make(chan string, 4)
	alpn := make(chan []string, 4)
	tlsLn := tls.NewListener(ln, &tls.Config{
		Certificates: []tls.Certificate{cert},
		GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			sni <- hello.ServerName
			alpn <- hello.SupportedProtos
			return nil, nil
		},
	})
	defer tlsLn.Close()
	go func() {
		for {
			conn, err := tlsLn.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				req, err := http.ReadRequest(br)
				if err != nil {
					return
				}
				(&serverConn{t: t, conn: conn, br: br, req: req}).upgrade("")
				echoLoop(&serverConn{t: t, conn: conn, br: br, req: req})
			}()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, "127.0.0.1:"+port)
	}
	u := &url.URL{Scheme: "wss", Host: "web-platform.test:" + port, Path: "/echo"}

	// Without the CA the certificate is not trusted.
	if _, err := Dial(context.Background(), u, &Config{Network: &network.Policy{Dial: dial}}); err == nil || !strings.Contains(err.Error(), "TLS") {
		t.Fatalf("err = %v, want a TLS error", err)
	}
	<-sni
	<-alpn

	c, r := dialStart(t, u, &Config{Network: &network.Policy{Dial: dial, TLSConfig: &tls.Config{RootCAs: pool, NextProtos: []string{"h2"}}}})
	if got := <-sni; got != "web-platform.test" {
		t.Errorf("SNI %q", got)
	}
	if got := <-alpn; len(got) != 2 || got[0] != "h2" || got[1] != "http/1.1" {
		t.Errorf("ALPN %q", got)
	}
	c.SendText("over TLS")
	if e := r.waitMessage(t); string(e.data) != "over TLS" {
		t.Errorf("echo %q", e.data)
	}
	c.Close(1000, "done")
	if res := r.waitClosed(t); !res.WasClean || res.Code != 1000 || res.Reason != "done" {
		t.Errorf("result %+v", res)
	}
}

// echoLoop echoes messages after the handshake until a close frame, which
// it echoes before returning.
func echoLoop(sc *serverConn) {
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

type proxySeen struct{ target, auth string }

// startProxy runs an HTTP CONNECT proxy on loopback that tunnels every
// request to upstream, whatever its target, and reports what it was asked.
func startProxy(t *testing.T, upstream string) (string, chan proxySeen) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	seenCh := make(chan proxySeen, 4)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				req, err := http.ReadRequest(br)
				if err != nil || req.Method != "CONNECT" {
					return
				}
				seenCh <- proxySeen{req.RequestURI, req.Header.Get("Proxy-Authorization")}
				up, err := net.Dial("tcp", upstream)
				if err != nil {
					conn.Write([]byte("HTTP/1.1 502 Bad Gateway\r\n\r\n"))
					return
				}
				defer up.Close()
				conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
				done := make(chan struct{})
				go func() { br.WriteTo(up); up.(*net.TCPConn).CloseWrite(); close(done) }()
				readAllTo(conn, up)
				conn.Close()
				<-done
			}()
		}
	}()
	return ln.Addr().String(), seenCh
}

func TestDialProxy(t *testing.T) {
	s := newTestServer(t, echoHandler)
	paddr, seenCh := startProxy(t, s.URL.Host)
	proxyURL := &url.URL{Scheme: "http", Host: paddr, User: url.UserPassword("u", "p")}
	var asked *url.URL
	cfg := &Config{Network: &network.Policy{Proxy: func(r *http.Request) (*url.URL, error) {
		asked = r.URL
		return proxyURL, nil
	}}}
	c, r := dialStart(t, s.URL, cfg)
	got := <-seenCh
	if got.target != s.URL.Host || got.auth != "Basic "+base64.StdEncoding.EncodeToString([]byte("u:p")) {
		t.Errorf("proxy saw %+v", got)
	}
	if asked == nil || asked.Scheme != "http" {
		t.Errorf("Proxy asked about %v", asked)
	}
	c.SendText("via proxy")
	if e := r.waitMessage(t); string(e.data) != "via proxy" {
		t.Errorf("echo %q", e.data)
	}
	c.Close(1000, "")
	if res := r.waitClosed(t); !res.WasClean {
		t.Errorf("result %+v", res)
	}

	cfg.Network.Proxy = func(*http.Request) (*url.URL, error) { return &url.URL{Scheme: "socks5", Host: "127.0.0.1:1"}, nil }
	if _, err := Dial(context.Background(), s.URL, cfg); err == nil || !strings.Contains(err.Error(), "socks5") {
		t.Errorf("err = %v, want unsupported proxy scheme", err)
	}
}

// TestDialProxyFromEnvironment checks the default proxy choice: HTTP_PROXY
// applies to ws: URLs unless NO_PROXY names the host.
func TestDialProxyFromEnvironment(t *testing.T) {
	s := newTestServer(t, echoHandler)
	paddr, seenCh := startProxy(t, s.URL.Host)
	_, port, _ := net.SplitHostPort(s.URL.Host)
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		if h, p, _ := net.SplitHostPort(addr); h == "web-platform.test" {
			addr = net.JoinHostPort("127.0.0.1", p)
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	u := &url.URL{Scheme: "ws", Host: "web-platform.test:" + port, Path: "/"}
	for _, noProxy := range []string{"", "web-platform.test"} {
		t.Setenv("HTTP_PROXY", "http://"+paddr)
		t.Setenv("HTTPS_PROXY", "")
		t.Setenv("NO_PROXY", noProxy)
		c, r := dialStart(t, u, &Config{Network: &network.Policy{Dial: dial}})
		c.Close(1000, "")
		r.waitClosed(t)
		select {
		case got := <-seenCh:
			if noProxy != "" {
				t.Errorf("proxy used despite NO_PROXY: %+v", got)
			} else if got.target != u.Host {
				t.Errorf("proxy asked for %q", got.target)
			}
		default:
			if noProxy == "" {
				t.Error("HTTP_PROXY not used")
			}
		}
	}
}

func readAllTo(dst, src net.Conn) {
	buf := make([]byte, 4096)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
