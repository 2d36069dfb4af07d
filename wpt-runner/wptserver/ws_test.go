package wptserver

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

func TestEcho(t *testing.T) {
	srv := startTest(t)
	for _, secure := range []bool{false, true} {
		t.Run(fmt.Sprintf("secure=%v", secure), func(t *testing.T) {
			c := dialWSOn(t, srv, secure, "/echo")
			if c.resp.StatusCode != 101 {
				t.Fatalf("status %s", c.resp.Status)
			}
			for _, k := range []string{"Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions"} {
				if v, ok := c.resp.Header[http.CanonicalHeaderKey(k)]; ok {
					t.Errorf("unexpected %s: %q", k, v)
				}
			}
			if c.resp.Header.Get("Upgrade") != "websocket" || c.resp.Header.Get("Connection") != "Upgrade" {
				t.Errorf("response headers %v", c.resp.Header)
			}
			c.sendText("héllo")
			if got := c.readText(); got != "héllo" {
				t.Errorf("echo %q", got)
			}
			c.send(ws.OpBinary, []byte{0, 1, 2, 255})
			h, p := c.read()
			if h.OpCode != ws.OpBinary || !bytes.Equal(p, []byte{0, 1, 2, 255}) {
				t.Errorf("binary echo: %v %x", h.OpCode, p)
			}
			// Fragmented message.
			c.sendFrame(ws.Header{OpCode: ws.OpText}, []byte("ab"))
			c.sendFrame(ws.Header{OpCode: ws.OpContinuation}, []byte("cd"))
			c.sendFrame(ws.Header{Fin: true, OpCode: ws.OpContinuation}, []byte("ef"))
			if got := c.readText(); got != "abcdef" {
				t.Errorf("fragmented echo %q", got)
			}
			// Ping is answered with a pong of the same payload.
			c.send(ws.OpPing, []byte("p1"))
			h, p = c.read()
			if h.OpCode != ws.OpPong || string(p) != "p1" {
				t.Errorf("pong: %v %q", h.OpCode, p)
			}
			// Empty message.
			c.sendText("")
			if got := c.readText(); got != "" {
				t.Errorf("empty echo %q", got)
			}
			if code, reason := c.closeHandshake(3000, "bye"); code != 3000 || reason != "bye" {
				t.Errorf("close echo %d %q", code, reason)
			}
		})
	}
}

func TestEchoCloseCodes(t *testing.T) {
	srv := startTest(t)
	tests := []struct {
		name       string
		code       int
		reason     string
		wantCode   int
		wantReason string
	}{
		{name: "no code is echoed as empty", code: 0, wantCode: 0},
		{name: "1000", code: 1000, wantCode: 1000},
		{name: "4999 with reason", code: 4999, reason: "r", wantCode: 4999, wantReason: "r"},
		{name: "unpaired reason bytes become U+FFFD", code: 1000, reason: "\xff", wantCode: 1000, wantReason: "\uFFFD"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := open(t, srv, "/echo")
			code, reason := c.closeHandshake(tc.code, tc.reason)
			if code != tc.wantCode || reason != tc.wantReason {
				t.Errorf("got %d %q, want %d %q", code, reason, tc.wantCode, tc.wantReason)
			}
		})
	}
}

func TestEchoGoodbye(t *testing.T) {
	srv := startTest(t)
	c := open(t, srv, "/echo")
	c.sendText(goodbye)
	if got := c.readText(); got != goodbye {
		t.Fatalf("echo %q", got)
	}
	// The handler returned: the server closes with 1000 and waits.
	if code, _ := c.readClose(); code != 1000 {
		t.Fatalf("server close %d", code)
	}
	c.sendClose(1000, "")
	c.expectEOF()
}

func TestEchoSubprotocols(t *testing.T) {
	srv := startTest(t)
	tests := []struct {
		offer      string
		wantStatus int
		wantProto  string
	}{
		{offer: "echo", wantStatus: 101, wantProto: "echo"},
		{offer: "chat, echo", wantStatus: 101, wantProto: "echo"},
		{offer: "chat", wantStatus: 400},
		{offer: "eCho", wantStatus: 400},
		{offer: "a b", wantStatus: 400},
		{offer: "é", wantStatus: 400},
	}
	for _, tc := range tests {
		t.Run(tc.offer, func(t *testing.T) {
			c := dialWS(t, srv, "/echo", "Sec-WebSocket-Protocol", tc.offer)
			if c.resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d", c.resp.StatusCode, tc.wantStatus)
			}
			if got := c.resp.Header.Get("Sec-WebSocket-Protocol"); got != tc.wantProto {
				t.Errorf("protocol %q, want %q", got, tc.wantProto)
			}
		})
	}
}

func TestHandshakeErrors(t *testing.T) {
	srv := startTest(t)
	tests := []struct {
		name       string
		target     string
		extra      []string
		method     string
		wantStatus int
	}{
		{name: "unknown path", target: "/does-not-exist", wantStatus: 404},
		{name: "version 8", target: "/echo", extra: []string{"Sec-WebSocket-Version", "8"}, wantStatus: 400},
		{name: "two versions", target: "/echo", extra: []string{"Sec-WebSocket-Version", "13, 8"}, wantStatus: 400},
		{name: "no version", target: "/echo", extra: []string{"Sec-WebSocket-Version", ""}, wantStatus: 400},
		{name: "bad key", target: "/echo", extra: []string{"Sec-WebSocket-Key", "abc"}, wantStatus: 400},
		{name: "key with bad padding", target: "/echo", extra: []string{"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZR=="}, wantStatus: 400},
		{name: "no key", target: "/echo", extra: []string{"Sec-WebSocket-Key", ""}, wantStatus: 400},
		{name: "no upgrade", target: "/echo", extra: []string{"Upgrade", ""}, wantStatus: 400},
		{name: "connection without upgrade", target: "/echo", extra: []string{"Connection", "keep-alive"}, wantStatus: 400},
		{name: "connection list", target: "/echo", extra: []string{"Connection", "keep-alive, Upgrade"}, wantStatus: 101},
		{name: "fragment", target: "/echo#x", wantStatus: 400},
		{name: "query is ignored for dispatch", target: "/echo?a=b", wantStatus: 101},
		{name: "absolute ws URI", target: "ws://web-platform.test/echo", wantStatus: 101},
		{name: "bad extensions header", target: "/echo", extra: []string{"Sec-WebSocket-Extensions", "permessage-deflate; =1"}, wantStatus: 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := dialWS(t, srv, tc.target, tc.extra...)
			if c.resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %s, want %d", c.resp.Status, tc.wantStatus)
			}
			if tc.name == "version 8" && c.resp.Header.Get("Sec-WebSocket-Version") != "13" {
				t.Errorf("Sec-WebSocket-Version %q", c.resp.Header.Get("Sec-WebSocket-Version"))
			}
		})
	}
	// A non-GET request to a handler path.
	c := dialRaw(t, srv, false)
	req := strings.Replace(handshakeRequest("web-platform.test", "/echo"), "GET", "POST", 1)
	io.WriteString(c, req)
	b := make([]byte, 12)
	io.ReadFull(c, b)
	if string(b) != "HTTP/1.0 400" {
		t.Errorf("POST answer %q", b)
	}
}

func TestWSPortFiles(t *testing.T) {
	srv := startTest(t)
	c := dialRaw(t, srv, false)
	io.WriteString(c, "GET /resources/lib.js HTTP/1.1\r\nHost: x\r\n\r\n")
	got, _ := io.ReadAll(c)
	if !bytes.HasPrefix(got, []byte("HTTP/1.0 200 OK\r\n")) || !bytes.HasSuffix(got, []byte("lib();\n")) {
		t.Errorf("file over the ws port: %q", got)
	}
	c = dialRaw(t, srv, false)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	got, _ = io.ReadAll(c)
	if !bytes.HasPrefix(got, []byte("HTTP/1.0 200 OK\r\n")) || !bytes.Contains(got, []byte("websockets/")) {
		t.Errorf("listing over the ws port: %q", got)
	}
}

func TestPermessageDeflate(t *testing.T) {
	srv := startTest(t)
	tests := []struct {
		offer string
		want  string // "" when declined
	}{
		{offer: "permessage-deflate", want: "permessage-deflate"},
		{offer: "permessage-deflate; client_max_window_bits", want: "permessage-deflate"},
		{offer: "permessage-deflate; server_no_context_takeover", want: "permessage-deflate; server_no_context_takeover"},
		{offer: "permessage-deflate; server_max_window_bits=10", want: "permessage-deflate; server_max_window_bits=10"},
		{offer: "permessage-deflate; server_max_window_bits=\"12\"", want: "permessage-deflate; server_max_window_bits=12"},
		{offer: "permessage-deflate; client_no_context_takeover", want: ""},
		{offer: "permessage-deflate; server_max_window_bits=16", want: ""},
		{offer: "permessage-deflate; server_max_window_bits=08", want: ""},
		{offer: "permessage-deflate; client_max_window_bits=15", want: ""},
		{offer: "permessage-deflate; client_no_context_takeover, permessage-deflate", want: "permessage-deflate"},
		{offer: "x-unknown, permessage-deflate; server_no_context_takeover; client_max_window_bits", want: "permessage-deflate; server_no_context_takeover"},
	}
	for _, tc := range tests {
		t.Run(tc.offer, func(t *testing.T) {
			c := open(t, srv, "/echo", "Sec-WebSocket-Extensions", tc.offer)
			got := c.resp.Header.Get("Sec-WebSocket-Extensions")
			if got != tc.want {
				t.Fatalf("Sec-WebSocket-Extensions %q, want %q", got, tc.want)
			}
			if tc.want == "" {
				return
			}
			// Compressed messages both ways, twice to exercise the
			// context kept between messages.
			var fw bytes.Buffer
			zw, _ := flate.NewWriter(&fw, flate.BestCompression)
			var window []byte
			for i, msg := range []string{strings.Repeat("hello deflate ", 20), strings.Repeat("hello deflate ", 21)} {
				fw.Reset()
				zw.Write([]byte(msg))
				zw.Flush()
				payload := bytes.TrimSuffix(fw.Bytes(), []byte{0, 0, 0xff, 0xff})
				c.sendFrame(ws.Header{Fin: true, OpCode: ws.OpText, Rsv: ws.Rsv(true, false, false)}, payload)
				h, p := c.read()
				if h.OpCode != ws.OpText || !h.Rsv1() {
					t.Fatalf("message %d: opcode %v rsv %b", i, h.OpCode, h.Rsv)
				}
				r := flate.NewReaderDict(io.MultiReader(bytes.NewReader(p), bytes.NewReader(flateTail)), window)
				out, err := io.ReadAll(r)
				if err != nil {
					t.Fatalf("message %d: inflate: %v", i, err)
				}
				if string(out) != msg {
					t.Fatalf("message %d: got %q", i, out)
				}
				window = append(window, out...)
			}
			// An uncompressed message is accepted too.
			c.sendText("plain")
			_, p := c.read()
			out, err := io.ReadAll(flate.NewReaderDict(io.MultiReader(bytes.NewReader(p), bytes.NewReader(flateTail)), window))
			if err != nil || string(out) != "plain" {
				t.Fatalf("plain: %q %v", out, err)
			}
		})
	}
}

func TestProtocolErrors(t *testing.T) {
	srv := startTest(t)
	tests := []struct {
		name     string
		frame    func(c *wsConn)
		wantCode int // 0: connection dropped without close frame
	}{
		{
			name: "unmasked frame",
			frame: func(c *wsConn) {
				c.conn.Write([]byte{0x81, 0x01, 'a'})
			},
			wantCode: 1002,
		},
		{
			name: "reserved opcode",
			frame: func(c *wsConn) {
				c.send(3, []byte("x"))
			},
			wantCode: 1003,
		},
		{
			name: "rsv bit without extension",
			frame: func(c *wsConn) {
				c.sendFrame(ws.Header{Fin: true, OpCode: ws.OpText, Rsv: ws.Rsv(false, true, false)}, []byte("x"))
			},
			wantCode: 1003,
		},
		{
			name: "invalid UTF-8",
			frame: func(c *wsConn) {
				c.send(ws.OpText, []byte{0xc3, 0x28})
			},
			wantCode: 1007,
		},
		{
			name: "long control frame",
			frame: func(c *wsConn) {
				c.send(ws.OpPing, bytes.Repeat([]byte("x"), 126))
			},
			wantCode: 1002,
		},
		{
			name: "fragmented control frame",
			frame: func(c *wsConn) {
				c.sendFrame(ws.Header{OpCode: ws.OpPing}, []byte("x"))
			},
			wantCode: 1002,
		},
		{
			name: "continuation without start",
			frame: func(c *wsConn) {
				c.send(ws.OpContinuation, []byte("x"))
			},
			wantCode: 1002,
		},
		{
			name: "close with one byte",
			frame: func(c *wsConn) {
				c.send(ws.OpClose, []byte{3})
			},
			wantCode: 1002,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := open(t, srv, "/echo")
			tc.frame(c)
			code, _ := c.readClose()
			if code != tc.wantCode {
				t.Fatalf("close code %d, want %d", code, tc.wantCode)
			}
			if code != 1002 {
				c.sendClose(code, "")
			}
			c.expectEOF()
		})
	}
}

func TestEchoCookie(t *testing.T) {
	srv := startTest(t)
	c := open(t, srv, "/echo-cookie", "Cookie", "ws_test_1=test; b=2")
	if got := c.readText(); got != "ws_test_1=test; b=2" {
		t.Errorf("got %q", got)
	}
	c = open(t, srv, "/echo-cookie")
	if got := c.readText(); got != "(none)" {
		t.Errorf("got %q", got)
	}
	if code, _ := c.readClose(); code != 1000 {
		t.Errorf("close %d", code)
	}
}

func TestEchoQuery(t *testing.T) {
	srv := startTest(t)
	tests := []struct{ target, want string }{
		{"/echo-query?x%00y%00", "x%00y%00"},
		{"/echo-query?a?b", "a?b"},
		{"/echo-query?", ""},
		{"/echo-query_v13?a?b", "a"},
		{"/echo-query_v13?%C3%A9", "%C3%A9"},
		{"ws://web-platform.test/echo-query?abs", "abs"},
	}
	for _, tc := range tests {
		c := open(t, srv, tc.target)
		if got := c.readText(); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.target, got, tc.want)
		}
	}
	// Without a query the handler fails: the connection just ends.
	c := open(t, srv, "/echo-query")
	c.expectEOF()
}

func TestReceiveUntilGoodbye(t *testing.T) {
	srv := startTest(t)
	for _, p := range []string{"/echo_close_data", "/echo_exit"} {
		c := open(t, srv, p)
		c.sendText("hello")
		c.sendText(goodbye)
		// Nothing is echoed: the next frame is the server's close.
		if code, _ := c.readClose(); code != 1000 {
			t.Errorf("%s: close %d", p, code)
		}
		c.sendClose(1000, "")
		c.expectEOF()
	}
}

func TestEchoRaw(t *testing.T) {
	srv := startTest(t)
	c := open(t, srv, "/echo_raw")
	// The bytes of a text frame "test" then a frame with reserved opcode 3.
	raw := []byte{0x81, 0x04, 't', 'e', 's', 't', 0x83, 0x03, 'L', 'O', 'L'}
	c.send(ws.OpBinary, raw)
	if got := c.readText(); got != "test" {
		t.Fatalf("got %q", got)
	}
	h, p := c.read()
	if h.OpCode != 3 || string(p) != "LOL" {
		t.Fatalf("got %v %q", h.OpCode, p)
	}
	c.send(ws.OpBinary, []byte("exit"))
	if code, _ := c.readClose(); code != 1000 {
		t.Fatalf("close %d", code)
	}
	c.sendClose(1000, "")
	c.expectEOF()

	// A text message makes the Python handler fail.
	c = open(t, srv, "/echo_raw")
	c.sendText("x")
	c.expectEOF()
}

func TestEmptyMessage(t *testing.T) {
	srv := startTest(t)
	for _, tc := range []struct {
		op   ws.OpCode
		msg  string
		want string
	}{
		{ws.OpText, "", "pass"},
		{ws.OpText, "x", "fail"},
		{ws.OpBinary, "", "fail"},
	} {
		c := open(t, srv, "/empty-message")
		c.send(tc.op, []byte(tc.msg))
		if got := c.readText(); got != tc.want {
			t.Errorf("%v %q: got %q, want %q", tc.op, tc.msg, got, tc.want)
		}
	}
}

func TestHandshakeHandlers(t *testing.T) {
	srv := startTest(t)
	tests := []struct {
		name       string
		target     string
		extra      []string
		wantStatus int
		wantHeader map[string]string // "" value: must be absent
	}{
		{
			name:       "no extensions",
			target:     "/handshake_no_extensions",
			extra:      []string{"Sec-WebSocket-Extensions", "permessage-deflate"},
			wantStatus: 101,
			wantHeader: map[string]string{"Sec-WebSocket-Extensions": ""},
		},
		{
			name:       "no protocol",
			target:     "/handshake_no_protocol",
			extra:      []string{"Sec-WebSocket-Protocol", "foobar"},
			wantStatus: 101,
			wantHeader: map[string]string{"Sec-WebSocket-Protocol": ""},
		},
		{
			name:       "protocol foobar for FOOBAR",
			target:     "/handshake_protocol",
			extra:      []string{"Sec-WebSocket-Protocol", "FOOBAR"},
			wantStatus: 101,
			wantHeader: map[string]string{"Sec-WebSocket-Protocol": "foobar"},
		},
		{
			name:       "protocol foobar when none offered",
			target:     "/handshake_protocol",
			wantStatus: 400,
		},
		{
			name:       "protocol_array without header",
			target:     "/protocol_array",
			wantStatus: 403,
		},
		{
			name:       "protocol with a list",
			target:     "/protocol",
			extra:      []string{"Sec-WebSocket-Protocol", "a, b"},
			wantStatus: 400,
		},
		{
			name:       "set-cookie",
			target:     "/set-cookie?abc",
			wantStatus: 101,
			wantHeader: map[string]string{"Set-Cookie": "ws_test_abc=test; Path=/"},
		},
		{
			name:       "set-cookie-secure",
			target:     "/set-cookie-secure?abc",
			wantStatus: 101,
			wantHeader: map[string]string{"Set-Cookie": "ws_test_abc=test; Secure; Path=/"},
		},
		{
			name:       "set-cookie_http injects a header line",
			target:     "/set-cookie_http?abc",
			wantStatus: 101,
			wantHeader: map[string]string{
				"Set-Cookie":           "ws_test_abc=test; Path=/; HttpOnly",
				"Sec-WebSocket-Origin": "http://web-platform.test:8000",
			},
		},
		{
			name:       "set-cookie_http without origin",
			target:     "/set-cookie_http?abc",
			extra:      []string{"Origin", ""},
			wantStatus: 403,
		},
		{
			name:       "basic auth accepted",
			target:     "/basic_auth",
			extra:      []string{"Authorization", "Basic Zm9vOmJhcg=="},
			wantStatus: 101,
		},
		{
			name:       "basic auth refused",
			target:     "/basic_auth",
			extra:      []string{"Authorization", "Basic Zm9vOmJheg=="},
			wantStatus: 401,
			wantHeader: map[string]string{"Www-Authenticate": "Basic realm=\"camelot\"", "Content-Length": "0"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := dialWS(t, srv, tc.target, tc.extra...)
			if c.resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %s, want %d", c.resp.Status, tc.wantStatus)
			}
			for k, want := range tc.wantHeader {
				got, ok := c.resp.Header[http.CanonicalHeaderKey(k)]
				if want == "" {
					if ok {
						t.Errorf("%s: %q, want none", k, got)
					}
					continue
				}
				if !ok || got[0] != want {
					t.Errorf("%s: %q, want %q", k, got, want)
				}
			}
			if tc.wantStatus == 401 {
				c.expectEOF()
			}
		})
	}
}

func TestSetCookiesSameSite(t *testing.T) {
	srv := startTest(t)
	tests := []struct {
		target string
		want   []string
	}{
		{"/set-cookies-samesite", []string{
			"samesite-unspecified=1; Path=/",
			"samesite-lax=1; Path=/; SameSite=Lax",
			"samesite-strict=1; Path=/; SameSite=Strict",
			"samesite-none=1; Path=/; SameSite=None; Secure",
		}},
		{"/set-cookies-samesite?value=abc", []string{
			"samesite-unspecified=abc; Path=/",
			"samesite-lax=abc; Path=/; SameSite=Lax",
			"samesite-strict=abc; Path=/; SameSite=Strict",
			"samesite-none=abc; Path=/; SameSite=None; Secure",
		}},
		{"/set-cookies-samesite?clear", []string{
			"samesite-unspecified=1; Path=/; Max-Age=0",
			"samesite-lax=1; Path=/; SameSite=Lax; Max-Age=0",
			"samesite-strict=1; Path=/; SameSite=Strict; Max-Age=0",
			"samesite-none=1; Path=/; SameSite=None; Secure; Max-Age=0",
		}},
	}
	for _, tc := range tests {
		c := open(t, srv, tc.target)
		if got := c.resp.Header["Set-Cookie"]; strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s: Set-Cookie\n%q\nwant\n%q", tc.target, got, tc.want)
		}
		if code, _ := c.closeHandshake(1000, ""); code != 1000 {
			t.Errorf("close %d", code)
		}
	}
	if c := dialWS(t, srv, "/set-cookies-samesite?valueless"); c.resp.StatusCode != 403 {
		t.Errorf("?valueless: status %d, want 403", c.resp.StatusCode)
	}
}

func TestInvalid(t *testing.T) {
	srv := startTest(t)
	c := dialRaw(t, srv, false)
	io.WriteString(c, handshakeRequest("web-platform.test", "/invalid"))
	got := make([]byte, len("FOO BAR BAZ\r\n\r\nHTTP/1.1 101 "))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatal(err)
	}
	if string(got) != "FOO BAR BAZ\r\n\r\nHTTP/1.1 101 " {
		t.Errorf("got %q", got)
	}
}

func TestWrongAcceptKey(t *testing.T) {
	srv := startTest(t)
	c := dialWS(t, srv, "/wrong_accept_key")
	if c.resp.Status != "101 Switching Protocols:" {
		t.Errorf("status %q", c.resp.Status)
	}
	if got := c.resp.Header.Get("Sec-WebSocket-Accept"); got != "thisisawrongacceptkey" {
		t.Errorf("accept %q", got)
	}
	if got := c.resp.Header.Get("Sec-WebSocket-Origin"); got != "http://web-platform.test:8000" {
		t.Errorf("origin %q", got)
	}
	// The real response follows, then the message.
	real, err := http.ReadResponse(c.br, nil)
	if err != nil || real.StatusCode != 101 {
		t.Fatalf("second response: %v %v", real, err)
	}
	if got := c.readText(); got != "test" {
		t.Errorf("message %q", got)
	}
}

func TestSimpleHandshake(t *testing.T) {
	srv := startTest(t)
	c := dialWS(t, srv, "/simple_handshake")
	if c.resp.Status != "101 Switching Protocols:" || c.resp.Header.Get("Set-Cookie") != "ws_test=test" {
		t.Fatalf("response %q %v", c.resp.Status, c.resp.Header)
	}
	if got := c.resp.Header.Get("Sec-WebSocket-Accept"); got != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Errorf("accept %q", got)
	}
	if code, reason := c.readClose(); code != 1001 || reason != "PASS" {
		t.Errorf("close %d %q", code, reason)
	}
	c.sendClose(1001, "PASS")
	c.expectEOF()
}

func TestOriginReferrer(t *testing.T) {
	srv := startTest(t)
	c := open(t, srv, "/origin", "Origin", "http://www1.web-platform.test:8000")
	if got := c.readText(); got != "http://www1.web-platform.test:8000" {
		t.Errorf("origin %q", got)
	}
	c = open(t, srv, "/referrer", "Referer", "http://web-platform.test:8000/x.html")
	if got := c.readText(); got != "http://web-platform.test:8000/x.html" {
		t.Errorf("referrer %q", got)
	}
	c = open(t, srv, "/referrer")
	if got := c.readText(); got != "MISSING AS PER FETCH" {
		t.Errorf("referrer %q", got)
	}
}

func TestProtocolHandlers(t *testing.T) {
	srv := startTest(t)
	c := open(t, srv, "/protocol_array", "Sec-WebSocket-Protocol", "foobar, foobar2")
	if got := c.resp.Header.Get("Sec-WebSocket-Protocol"); got != "foobar" {
		t.Errorf("protocol_array header %q", got)
	}
	if got := c.readText(); got != "foobar" {
		t.Errorf("protocol_array message %q", got)
	}
	c = open(t, srv, "/protocol", "Sec-WebSocket-Protocol", "foobar")
	if got := c.readText(); got != "foobar" {
		t.Errorf("protocol message %q", got)
	}
}

func TestPassiveCloseAbort(t *testing.T) {
	srv := startTest(t)
	c := open(t, srv, "/passive-close-abort")
	c.sendText("ignored")
	c.sendClose(1000, "")
	c.expectEOF()
}

func TestDelayedPassiveClose(t *testing.T) {
	t.Parallel()
	srv := startTest(t)
	c := open(t, srv, "/delayed-passive-close")
	start := time.Now()
	code, reason := c.closeHandshake(4000, "late")
	if code != 4000 || reason != "late" {
		t.Errorf("close %d %q", code, reason)
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("answered after %v, want at least 1s", d)
	}
}

func TestRemoteClose(t *testing.T) {
	srv := startTest(t)
	tests := []struct {
		target     string
		wantCode   int
		wantReason string
	}{
		{"/remote-close", 0, ""},
		{"/remote-close?code=1000", 1000, ""},
		{"/remote-close?code=4000&reason=robot", 4000, "robot"},
		{"/remote-close?code=4000&reason=%C3%A9+x", 4000, "é x"},
		{"/remote-close?code=999", 1011, ""},
		{"/remote-close?code=1005", 1011, ""},
		{"/remote-close?code=4000&reason=" + strings.Repeat("x", 124), 1011, ""},
	}
	for _, tc := range tests {
		c := open(t, srv, tc.target)
		code, reason := c.readClose()
		if code != tc.wantCode || reason != tc.wantReason {
			t.Errorf("%s: close %d %q, want %d %q", tc.target, code, reason, tc.wantCode, tc.wantReason)
			continue
		}
		c.sendClose(1000, "")
		c.expectEOF()
	}
	c := open(t, srv, "/remote-close?abrupt=1")
	h, p := c.read()
	if h.OpCode != ws.OpPing || string(p) != "ping" {
		t.Errorf("abrupt: %v %q", h.OpCode, p)
	}
	c.expectEOF()
}

func TestReceiveManyWithBackpressure(t *testing.T) {
	srv := startTest(t)
	c := open(t, srv, "/receive-many-with-backpressure", "Sec-WebSocket-Extensions", "permessage-deflate")
	if v := c.resp.Header.Get("Sec-WebSocket-Extensions"); v != "" {
		t.Errorf("extensions %q", v)
	}
	c.sendText("héllo")
	c.send(ws.OpBinary, make([]byte, 65536))
	if got := c.readText(); got != "5" {
		t.Errorf("text length %q", got)
	}
	if got := c.readText(); got != "65536" {
		t.Errorf("binary length %q", got)
	}
	if code, _ := c.closeHandshake(1000, ""); code != 1000 {
		t.Errorf("close %d", code)
	}
}

func TestReceiveBackpressure(t *testing.T) {
	t.Parallel()
	srv := startTest(t)
	start := time.Now() // the handler's delay starts once the handshake is done
	c := open(t, srv, "/receive-backpressure")
	c.send(ws.OpBinary, make([]byte, 1000))
	if code, _ := c.readClose(); code != 1000 {
		t.Errorf("close %d", code)
	}
	if d := time.Since(start); d < 2*time.Second {
		t.Errorf("read after %v, want at least 2s", d)
	}
}

func TestSendBackpressure(t *testing.T) {
	srv := startTest(t)
	c := open(t, srv, "/send-backpressure")
	h, p := c.read()
	if h.OpCode != ws.OpBinary || len(p) != 0 {
		t.Fatalf("first message %v %d bytes", h.OpCode, len(p))
	}
	for i := range 16 {
		h, p := c.read()
		if h.OpCode != ws.OpBinary || len(p) != 1<<20 || p[0] != ' ' || p[len(p)-1] != ' ' {
			t.Fatalf("message %d: %v %d bytes", i, h.OpCode, len(p))
		}
	}
	secs, err := strconv.ParseFloat(c.readText(), 64)
	if err != nil || secs < 0 {
		t.Fatalf("time %v %v", secs, err)
	}
}

func TestHandshakeSleep(t *testing.T) {
	t.Parallel()
	srv := startTest(t)
	for _, tc := range []struct {
		target string
		min    time.Duration
	}{
		{"/handshake_sleep_2", 2 * time.Second},
		{"/sleep_10_v13", 10 * time.Second},
	} {
		t.Run(tc.target, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			c := open(t, srv, tc.target)
			if d := time.Since(start); d < tc.min {
				t.Errorf("handshake took %v, want at least %v", d, tc.min)
			}
			if tc.target == "/sleep_10_v13" {
				c.sendText("hi")
				if got := c.readText(); got != "hi" {
					t.Errorf("echo %q", got)
				}
				c.sendText(goodbye)
				if code, _ := c.readClose(); code != 1000 {
					t.Errorf("close %d", code)
				}
			}
		})
	}
}

func TestStashResponder(t *testing.T) {
	srv := startTest(t)
	const key = "0a7c1f9e-3b3a-4a5e-9c1d-1234567890ab"
	exchange := func(query string) string {
		c := open(t, srv, "/stash_responder?"+query)
		c.sendText("ignored")
		c.sendText("echo")
		return c.readText()
	}
	if got := exchange("action=take&key=" + key); got != `{"status": "allowed", "result": null}` {
		t.Errorf("take empty: %s", got)
	}
	if got := exchange("action=put&key=" + key + "&value=v%C3%A9"); got != `{"status": "success", "result": "`+key+`"}` {
		t.Errorf("put: %s", got)
	}
	if got := exchange("action=put&key=" + key + "&value=second"); got != `{"status": "success", "result": "`+key+`"}` {
		t.Errorf("put again: %s", got)
	}
	if got := exchange("action=take&key=" + key); got != `{"status": "blocked", "result": "second"}` {
		t.Errorf("take: %s", got)
	}
	if got := exchange("action=purge&key=" + key); got != `{"status": "success", "result": null}` {
		t.Errorf("purge: %s", got)
	}
	// Another path is another stash.
	exchange("action=put&key=" + key + "&value=x&path=/other")
	if got := exchange("action=take&key=" + key); got != `{"status": "allowed", "result": null}` {
		t.Errorf("take on default path: %s", got)
	}
	if got := exchange("action=take&path=/other&key=" + key); got != `{"status": "blocked", "result": "x"}` {
		t.Errorf("take on /other: %s", got)
	}
	// An invalid key makes the handler fail.
	c := open(t, srv, "/stash_responder?action=take&key=nope")
	c.sendText("echo")
	c.expectEOF()
}

func TestStashResponderBlocking(t *testing.T) {
	srv := startTest(t)
	const key = "5f0d7d3c-58a4-4f0f-a7c2-6b0f4b3c2d1e"
	getter := open(t, srv, "/stash_responder_blocking")
	getter.sendText(`{"action": "get", "key": "` + key + `"}`)
	got := make(chan string, 1)
	go func() {
		h, p := getter.read()
		if h.OpCode != ws.OpText {
			got <- fmt.Sprintf("opcode %v", h.OpCode)
			return
		}
		got <- string(p)
	}()
	setter := open(t, srv, "/stash_responder_blocking")
	setter.sendText(`{"action": "set", "key": "` + key + `", "value": {"b": 1, "a": [true, null, 1.5, "é"]}}`)
	if r := setter.readText(); r != "{}" {
		t.Errorf("set answer %q", r)
	}
	if r := <-got; r != `{"value": {"b": 1, "a": [true, null, 1.5, "\u00e9"]}}` {
		t.Errorf("get answer %q", r)
	}
}

func TestMsgChannel(t *testing.T) {
	srv := startTest(t)
	const id = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
	reader := open(t, srv, "/msg_channel?uuid="+id+"&direction=read")
	writer := open(t, srv, "/msg_channel?uuid="+id+"&direction=write")
	writer.sendText(`["message", {"x": [1, "two"]}]`)
	writer.sendText(`["message", "é"]`)
	if got := reader.readText(); got != `{"x": [1, "two"]}` {
		t.Errorf("first message %q", got)
	}
	if got := reader.readText(); got != `"\u00e9"` {
		t.Errorf("second message %q", got)
	}
	// A second reader on the same channel is refused.
	second := open(t, srv, "/msg_channel?uuid="+id+"&direction=read")
	second.expectEOF()
	writer.sendText(`["disconnectReader", null]`)
	if code, _ := reader.readClose(); code != 1000 {
		t.Errorf("reader close %d", code)
	}
	reader.sendClose(1000, "")
	reader.expectEOF()
	if code, _ := writer.closeHandshake(1000, ""); code != 1000 {
		t.Errorf("writer close %d", code)
	}
}

func TestMsgChannelReaderCloses(t *testing.T) {
	srv := startTest(t)
	const id = "2b4e28ba-2fa1-11d2-883f-0016d3cca427"
	reader := open(t, srv, "/msg_channel?uuid="+id+"&direction=read")
	// A client close is echoed; the channel's reader side goes away.
	if code, reason := reader.closeHandshake(1000, "done"); code != 1000 || reason != "done" {
		t.Errorf("close %d %q", code, reason)
	}
}

func TestServerCloseEndsConnections(t *testing.T) {
	srv, err := Start(Config{Root: testRoot(t)})
	if err != nil {
		t.Fatal(err)
	}
	c := dialRaw(t, srv, false)
	io.WriteString(c, handshakeRequest("web-platform.test", "/sleep_10_v13"))
	done := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 1))
		done <- err
	}()
	srv.Close()
	if err := <-done; err == nil {
		t.Errorf("connection still open after Close")
	}
}

func TestCloseBody(t *testing.T) {
	for _, tc := range []struct {
		code int
		ok   bool
	}{
		{0, true}, {999, false}, {1000, true}, {1005, false}, {1006, false}, {1015, false}, {4999, true}, {5000, false},
	} {
		b, err := closeBody(tc.code, "r")
		if (err == nil) != tc.ok {
			t.Errorf("closeBody(%d): %v", tc.code, err)
		}
		if err == nil && tc.code != 0 && int(binary.BigEndian.Uint16(b)) != tc.code {
			t.Errorf("closeBody(%d) = %x", tc.code, b)
		}
	}
}
