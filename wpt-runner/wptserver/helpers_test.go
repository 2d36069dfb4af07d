package wptserver

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// writeTree writes files, contents by slash-separated path, below root.
func writeTree(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// testRoot makes a small WPT-like checkout for the tests.
func testRoot(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"websockets/constants.sub.js":              "const H = \"{{host}}\"; const P = \"{{ports[ws][0]}}\"; const X = '{{hosts[alt][www]}}:{{ports[wss][0]}}';\n",
		"websockets/page.sub.html":                 "<p>{{GET[q]}}</p>",
		"websockets/plain.js":                      "let a = '{{host}}';\n",
		"resources/lib.js":                         "lib();\n",
		"resources/webidl2/lib/webidl2.js":         "webidl2();\n",
		"resources/lib.js.headers":                 "Content-Type: text/javascript; charset=utf-8\nX-Extra: one\n",
		"resources/__dir__.headers":                "X-Dir: dir\n",
		"resources/sub.txt":                        "hello\n",
		"resources/sub.txt.sub.headers":            "X-Port: {{ports[http][0]}}\n",
		"websockets/handlers/echo_wsh.py":          "# handler source is not executed\n",
		"websockets/security/check.py":             "# reimplemented in Go\n",
		"websockets/unported.py":                   "def main(request, response): pass\n",
		"tools/secret.txt":                         "forbidden\n",
		"websockets/opening-handshake/001.html":    "<!doctype html>\n",
		"websockets/cookies/support/set-cookie.py": "# reimplemented in Go\n",
	}
	writeTree(t, root, files)
	return root
}

// startTest starts a server on free ports over a test checkout.
func startTest(t testing.TB) *Server {
	t.Helper()
	srv, err := Start(Config{Root: testRoot(t), Logf: func(format string, args ...any) {
		t.Logf("server: "+format, args...)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// httpClient is a client that resolves the WPT hosts and trusts the CA.
func httpClient(srv *Server) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			DialContext:       srv.DialContext,
			TLSClientConfig:   &tls.Config{RootCAs: srv.CA()},
			ForceAttemptHTTP2: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func get(t *testing.T, c *http.Client, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Add(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", url, err)
	}
	return resp, string(body)
}

// wsConn is a test WebSocket client speaking raw frames.
type wsConn struct {
	t    *testing.T
	conn net.Conn
	br   *bufio.Reader
	resp *http.Response
}

// dialRaw opens a connection to the ws (or wss) server.
func dialRaw(t *testing.T, srv *Server, secure bool) net.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	port := srv.Ports().WS
	if secure {
		port = srv.Ports().WSS
	}
	c, err := srv.DialContext(ctx, "tcp", fmt.Sprintf("%s:%d", srv.Host(), port))
	if err != nil {
		t.Fatal(err)
	}
	if secure {
		tc := tls.Client(c, &tls.Config{RootCAs: srv.CA(), ServerName: srv.Host()})
		if err := tc.HandshakeContext(ctx); err != nil {
			t.Fatal(err)
		}
		c = tc
	}
	c.SetDeadline(time.Now().Add(30 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

const testKey = "dGhlIHNhbXBsZSBub25jZQ=="

// handshakeRequest builds an opening handshake request for target with the
// standard headers; extra replaces or adds headers ("Name", "" removes).
func handshakeRequest(host, target string, extra ...string) string {
	hdr := [][2]string{
		{"Host", host},
		{"Upgrade", "websocket"},
		{"Connection", "Upgrade"},
		{"Sec-WebSocket-Key", testKey},
		{"Sec-WebSocket-Version", "13"},
		{"Origin", "http://web-platform.test:8000"},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		found := false
		for j := range hdr {
			if strings.EqualFold(hdr[j][0], extra[i]) {
				hdr[j][1], found = extra[i+1], true
			}
		}
		if !found {
			hdr = append(hdr, [2]string{extra[i], extra[i+1]})
		}
	}
	var b strings.Builder
	b.WriteString("GET " + target + " HTTP/1.1\r\n")
	for _, h := range hdr {
		if h[1] != "" {
			b.WriteString(h[0] + ": " + h[1] + "\r\n")
		}
	}
	b.WriteString("\r\n")
	return b.String()
}

// dialWS performs an opening handshake and returns the client with the
// server's response; it does not check the status.
func dialWS(t *testing.T, srv *Server, target string, extra ...string) *wsConn {
	t.Helper()
	return dialWSOn(t, srv, false, target, extra...)
}

func dialWSOn(t *testing.T, srv *Server, secure bool, target string, extra ...string) *wsConn {
	t.Helper()
	c := dialRaw(t, srv, secure)
	port := srv.Ports().WS
	if secure {
		port = srv.Ports().WSS
	}
	if _, err := io.WriteString(c, handshakeRequest(fmt.Sprintf("%s:%d", srv.Host(), port), target, extra...)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("%s: reading handshake response: %v", target, err)
	}
	return &wsConn{t: t, conn: c, br: br, resp: resp}
}

// open is dialWS that requires a 101 with the right accept value.
func open(t *testing.T, srv *Server, target string, extra ...string) *wsConn {
	t.Helper()
	c := dialWS(t, srv, target, extra...)
	if c.resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("%s: status %s, want 101", target, c.resp.Status)
	}
	if got, want := c.resp.Header.Get("Sec-WebSocket-Accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="; got != want {
		t.Fatalf("%s: Sec-WebSocket-Accept %q, want %q", target, got, want)
	}
	return c
}

// send writes one masked frame with FIN set.
func (c *wsConn) send(op ws.OpCode, payload []byte) {
	c.t.Helper()
	c.sendFrame(ws.Header{Fin: true, OpCode: op}, payload)
}

func (c *wsConn) sendFrame(h ws.Header, payload []byte) {
	c.t.Helper()
	h.Masked = true
	h.Mask = [4]byte{1, 2, 3, 4}
	h.Length = int64(len(payload))
	p := append([]byte(nil), payload...)
	ws.Cipher(p, h.Mask, 0)
	var b bytes.Buffer
	if err := ws.WriteHeader(&b, h); err != nil {
		c.t.Fatal(err)
	}
	b.Write(p)
	if _, err := c.conn.Write(b.Bytes()); err != nil {
		c.t.Fatalf("writing frame: %v", err)
	}
}

func (c *wsConn) sendText(s string) { c.t.Helper(); c.send(ws.OpText, []byte(s)) }

func (c *wsConn) sendClose(code int, reason string) {
	c.t.Helper()
	var body []byte
	if code != 0 {
		body = binary.BigEndian.AppendUint16(nil, uint16(code))
		body = append(body, reason...)
	}
	c.send(ws.OpClose, body)
}

// read reads one frame.
func (c *wsConn) read() (ws.Header, []byte) {
	c.t.Helper()
	h, err := ws.ReadHeader(c.br)
	if err != nil {
		c.t.Fatalf("reading frame header: %v", err)
	}
	if h.Masked {
		c.t.Fatalf("server frame is masked")
	}
	p := make([]byte, h.Length)
	if _, err := io.ReadFull(c.br, p); err != nil {
		c.t.Fatalf("reading frame payload: %v", err)
	}
	return h, p
}

// readText reads a frame and requires an unfragmented text message.
func (c *wsConn) readText() string {
	c.t.Helper()
	h, p := c.read()
	if h.OpCode != ws.OpText || !h.Fin {
		c.t.Fatalf("got opcode %v fin %v (%q), want a text message", h.OpCode, h.Fin, p)
	}
	return string(p)
}

// readClose requires a close frame and returns its code (0 for an empty
// body) and reason.
func (c *wsConn) readClose() (int, string) {
	c.t.Helper()
	h, p := c.read()
	if h.OpCode != ws.OpClose {
		c.t.Fatalf("got opcode %v (%q), want close", h.OpCode, p)
	}
	if len(p) == 0 {
		return 0, ""
	}
	if len(p) < 2 {
		c.t.Fatalf("close body %x", p)
	}
	return int(binary.BigEndian.Uint16(p)), string(p[2:])
}

// expectEOF requires the server to end the connection with nothing more.
func (c *wsConn) expectEOF() {
	c.t.Helper()
	b, err := c.br.ReadByte()
	if err == nil {
		rest, _ := io.ReadAll(io.LimitReader(c.br, 64))
		c.t.Fatalf("got byte %#x (then %q), want the connection to end", b, rest)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		c.t.Fatalf("timed out waiting for the connection to end")
	}
}

// closeHandshake does the client-initiated closing handshake and returns
// the server's answer.
func (c *wsConn) closeHandshake(code int, reason string) (int, string) {
	c.t.Helper()
	c.sendClose(code, reason)
	gotCode, gotReason := c.readClose()
	c.expectEOF()
	return gotCode, gotReason
}
