package websocket

import (
	"bufio"
	"bytes"
	"compress/flate"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/wsjs/wsjs/bindings/internal/wstest"
	"github.com/wsjs/wsjs/bindings/network"
)

// The hostile-server suite: each case is a raw TCP server on loopback that
// breaks the opening handshake rules (RFC 6455 section 4
// (https://www.rfc-editor.org/rfc/rfc6455#section-4), the WebSockets Standard's
// https://websockets.spec.whatwg.org/#websocket-opening-handshake), the framing
// rules (RFC 6455 section 5 (https://www.rfc-editor.org/rfc/rfc6455#section-5),
// RFC 7692) or the closing rules (RFC 6455 section 7,
// https://www.rfc-editor.org/rfc/rfc6455#section-7), or just behaves badly
// (floods, stalls, resets, reads nothing). The test asserts exactly what script
// sees (open, message, error and close events with code, wasClean and reason),
// the close code the client sends back when it fails the connection, that
// exactly one handshake request was made (no redirect or retry), and that a
// well-behaved socket of the same runtime keeps working meanwhile.

// Frame header bits (RFC 6455 section 5.2,
// https://www.rfc-editor.org/rfc/rfc6455#section-5.2).
const (
	bFin  = 0x80
	bRsv1 = 0x40
	bRsv2 = 0x20
	bRsv3 = 0x10

	opCont   = 0x0
	opText   = 0x1
	opBinary = 0x2
	opClose  = 0x8
	opPing   = 0x9
	opPong   = 0xA
)

// hdr is a server frame header with first byte b0 announcing n payload bytes, in
// the shortest form, whatever n is (2^63 and more included).
func hdr(b0 byte, n uint64) []byte {
	switch {
	case n < 126:
		return []byte{b0, byte(n)}
	case n <= 0xffff:
		return []byte{b0, 126, byte(n >> 8), byte(n)}
	}
	b := []byte{b0, 127, 0, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint64(b[2:], n)
	return b
}

// frm is an unmasked frame.
func frm(b0 byte, p []byte) []byte { return append(hdr(b0, uint64(len(p))), p...) }

// maskedFrm is a masked frame, which a server must never send (RFC 6455 section
// 5.1, https://www.rfc-editor.org/rfc/rfc6455#section-5.1).
func maskedFrm(b0 byte, p []byte) []byte {
	h := hdr(b0, uint64(len(p)))
	h[1] |= 0x80
	key := [4]byte{0x12, 0x34, 0x56, 0x78}
	q := bytes.Clone(p)
	ws.Cipher(q, key, 0)
	return append(append(h, key[:]...), q...)
}

func closePayload(code int, reason string) []byte {
	p := binary.BigEndian.AppendUint16(nil, uint16(code))
	return append(p, reason...)
}

// deflateMsg compresses p as a permessage-deflate message (RFC 7692 section
// 7.2.1, https://www.rfc-editor.org/rfc/rfc7692#section-7.2.1).
func deflateMsg(p []byte) []byte {
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	w.Write(p)
	w.Flush()
	return bytes.TrimSuffix(b.Bytes(), []byte{0, 0, 0xff, 0xff})
}

// pattern is n bytes that script can spot-check: byte i is i*7 + i>>12.
func pattern(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i*7 + i>>12)
	}
	return p
}

// rawServer is a TCP server on loopback whose connections are given to serve after
// the handshake request has been read.
type rawServer struct {
	url        string
	requests   atomic.Int32
	results    chan int
	scriptDone chan struct{} // closed once the script has finished
}

// rawConn is one accepted connection.
type rawConn struct {
	net.Conn
	br         *bufio.Reader
	req        *http.Request
	scriptDone chan struct{}
	frames     *wstest.Reader // reads from br
}

func newRawServer(t *testing.T, serve func(rc *rawConn) int) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{url: "ws://" + ln.Addr().String() + "/", results: make(chan int, 8), scriptDone: make(chan struct{})}
	var wg sync.WaitGroup
	var mu sync.Mutex
	conns := map[net.Conn]bool{}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns[conn] = true
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(30 * time.Second))
				rc := &rawConn{Conn: conn, br: bufio.NewReader(conn), scriptDone: s.scriptDone}
				if rc.req, err = http.ReadRequest(rc.br); err != nil {
					s.results <- -2
					return
				}
				s.requests.Add(1)
				s.results <- serve(rc)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return s
}

func (rc *rawConn) acceptKey() string {
	sum := sha1.Sum([]byte(rc.req.Header.Get("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// respond writes a handshake response: the status line, then the header lines
// (without CRLF), then the bytes in after.
func (rc *rawConn) respond(status string, lines []string, after ...[]byte) {
	var b bytes.Buffer
	b.WriteString(status + "\r\n")
	for _, l := range lines {
		b.WriteString(l + "\r\n")
	}
	b.WriteString("\r\n")
	for _, a := range after {
		b.Write(a)
	}
	rc.Write(b.Bytes())
}

// upgrade answers with a valid 101 response plus extra header lines.
func (rc *rawConn) upgrade(extra ...string) {
	rc.respond("HTTP/1.1 101 Switching Protocols", append([]string{
		"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: " + rc.acceptKey(),
	}, extra...))
}

func (rc *rawConn) send(frames ...[]byte) { rc.Write(bytes.Join(frames, nil)) }

// readFrame reads the next client control frame or whole message, unmasked.
func (rc *rawConn) readFrame() (ws.Frame, error) {
	if rc.frames == nil {
		rc.frames = wstest.NewReader(rc.br)
	}
	return rc.frames.Next()
}

// readClose reads client frames until a close frame and returns its code (1005
// without one), or -1 if the connection ended first.
func (rc *rawConn) readClose() int {
	for {
		f, err := rc.readFrame()
		if err != nil {
			return -1
		}
		if f.Header.OpCode != ws.OpClose {
			continue
		}
		if len(f.Payload) < 2 {
			return 1005
		}
		return int(binary.BigEndian.Uint16(f.Payload))
	}
}

// closeHandshake waits for the client's close frame, echoes it and returns its code.
func (rc *rawConn) closeHandshake() int {
	code := rc.readClose()
	if code > 0 {
		p := []byte{}
		if code != 1005 {
			p = closePayload(code, "")
		}
		rc.send(frm(bFin|opClose, p))
	}
	return code
}

// hold keeps the connection open until the client drops it.
func (rc *rawConn) hold() int {
	io.Copy(io.Discard, rc.br)
	return 0
}

// reset makes the kernel answer with RST rather than FIN.
func (rc *rawConn) reset() {
	rc.Conn.(*net.TCPConn).SetLinger(0)
	rc.Conn.Close()
}

type hostileCase struct {
	name string
	// rule is the clause the expected outcome follows (also in the comment
	// above each case), repeated in failure messages. It cites sections by
	// number: "RFC N" with section X is
	// https://www.rfc-editor.org/rfc/rfcN#section-X, and "WHATWG" with a number
	// is a section of the WebSockets Standard as of 2026: 2.2 the opening
	// handshake
	// (https://websockets.spec.whatwg.org/#websocket-opening-handshake), 3.1
	// the WebSocket interface
	// (https://websockets.spec.whatwg.org/#interface-definition; send() is
	// https://websockets.spec.whatwg.org/#dom-websocket-send) and 4 the
	// feedback from the protocol
	// (https://websockets.spec.whatwg.org/#feedback-from-the-protocol).
	rule      string
	opts      Options
	protocols string // JavaScript for the constructor's second argument
	onopen    string // JavaScript run in the open handler, with ws in scope
	serve     func(rc *rawConn) int
	want      []string
	// sent is the close code the client must send (the server's serve function
	// returns what it read); 0 means not checked.
	sent int
}

// Outcomes seen by script when the client fails the WebSocket connection,
// before and after it was established: error, then close with 1006 and wasClean
// false (steps 2-3 of "the WebSocket connection is closed",
// https://websockets.spec.whatwg.org/#feedback-from-the-protocol; RFC 6455
// section 7.1.5 (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.5): no
// close frame was received, so the close code is 1006).
var (
	failConnect = []string{"error 3", "close 1006 false []"}
	failOpen    = []string{"open", "error 3", "close 1006 false []"}
)

func joined(lines ...[]string) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l...)
	}
	return out
}

func hostileCases() []hostileCase {
	upgradeThen := func(frames ...[]byte) func(rc *rawConn) int {
		return func(rc *rawConn) int {
			rc.upgrade()
			rc.send(frames...)
			return rc.readClose()
		}
	}
	respondWith := func(status string, lines ...string) func(rc *rawConn) int {
		return func(rc *rawConn) int {
			rc.respond(status, lines)
			return rc.hold()
		}
	}
	upgradeWith := func(extra ...string) func(rc *rawConn) int {
		return func(rc *rawConn) int {
			rc.upgrade(extra...)
			return rc.hold()
		}
	}
	var cases []hostileCase

	// Opening handshake: processResponse of "establish a WebSocket connection"
	// (https://websockets.spec.whatwg.org/#concept-websocket-establish): "If
	// response is a network error or its status is not 101, fail the WebSocket
	// connection." Redirects too: the request's redirect mode is "error", so
	// the Location is never fetched (one request only).
	for _, st := range []string{"200 OK", "204 No Content", "301 Moved Permanently", "302 Found", "303 See Other",
		"307 Temporary Redirect", "308 Permanent Redirect", "400 Bad Request", "401 Unauthorized", "403 Forbidden",
		"404 Not Found", "426 Upgrade Required", "500 Internal Server Error", "503 Service Unavailable"} {
		cases = append(cases, hostileCase{
			name:  "status " + st,
			rule:  "WHATWG §2.2: a status other than 101 fails the connection; redirect mode is error",
			serve: respondWith("HTTP/1.1 "+st, "Location: /elsewhere", "Content-Length: 0"),
			want:  failConnect,
		})
	}
	cases = append(cases,
		// An interim 1xx response that is not 101 is not a handshake answer.
		hostileCase{name: "status 100 Continue", rule: "WHATWG §2.2: status is not 101",
			serve: respondWith("HTTP/1.1 100 Continue"), want: failConnect},
		// RFC 6455 section 4.1
		// (https://www.rfc-editor.org/rfc/rfc6455#section-4.1): the handshake
		// is an HTTP/1.1 upgrade; section 4.2.2
		// (https://www.rfc-editor.org/rfc/rfc6455#section-4.2.2) item 5.1: the
		// answer's status line is "HTTP/1.1 101".
		hostileCase{name: "HTTP/1.0 101", rule: "RFC 6455 §4.1, §4.2.2: HTTP/1.1 101 required",
			serve: func(rc *rawConn) int {
				rc.respond("HTTP/1.0 101 Switching Protocols", []string{"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: " + rc.acceptKey()})
				return rc.hold()
			}, want: failConnect},
		// RFC 6455 section 4.1
		// (https://www.rfc-editor.org/rfc/rfc6455#section-4.1), validation of
		// the server's response, item 2: Upgrade must be "websocket"; item 3:
		// Connection must contain "Upgrade"; item 4: Sec-WebSocket-Accept must
		// be base64(SHA-1(key + GUID)).
		hostileCase{name: "no Upgrade header", rule: "RFC 6455 §4.1 response item 2",
			serve: func(rc *rawConn) int {
				rc.respond("HTTP/1.1 101 Switching Protocols", []string{"Connection: Upgrade", "Sec-WebSocket-Accept: " + rc.acceptKey()})
				return rc.hold()
			}, want: failConnect},
		hostileCase{name: "Upgrade h2c", rule: "RFC 6455 §4.1 response item 2",
			serve: func(rc *rawConn) int {
				rc.respond("HTTP/1.1 101 Switching Protocols", []string{"Upgrade: h2c", "Connection: Upgrade", "Sec-WebSocket-Accept: " + rc.acceptKey()})
				return rc.hold()
			}, want: failConnect},
		hostileCase{name: "Connection without Upgrade", rule: "RFC 6455 §4.1 response item 3",
			serve: func(rc *rawConn) int {
				rc.respond("HTTP/1.1 101 Switching Protocols", []string{"Upgrade: websocket", "Connection: keep-alive", "Sec-WebSocket-Accept: " + rc.acceptKey()})
				return rc.hold()
			}, want: failConnect},
		hostileCase{name: "wrong accept key", rule: "RFC 6455 §4.1 response item 4",
			serve: func(rc *rawConn) int {
				rc.respond("HTTP/1.1 101 Switching Protocols", []string{"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="})
				return rc.hold()
			}, want: failConnect},
		hostileCase{name: "no accept key", rule: "RFC 6455 §4.1 response item 4",
			serve: func(rc *rawConn) int {
				rc.respond("HTTP/1.1 101 Switching Protocols", []string{"Upgrade: websocket", "Connection: Upgrade"})
				return rc.hold()
			}, want: failConnect},
		hostileCase{name: "accept key twice", rule: "RFC 6455 §4.1 response item 4 (the field's value is the key, not a list)",
			serve: func(rc *rawConn) int {
				rc.upgrade("Sec-WebSocket-Accept: " + rc.acceptKey())
				return rc.hold()
			}, want: failConnect},
		// RFC 6455 section 4.1
		// (https://www.rfc-editor.org/rfc/rfc6455#section-4.1) response item 5:
		// an extension the client did not offer.
		hostileCase{name: "unrequested extension", rule: "RFC 6455 §4.1 response item 5",
			serve: upgradeWith("Sec-WebSocket-Extensions: x-webkit-deflate-frame"), want: failConnect},
		// RFC 7692 sections 5
		// (https://www.rfc-editor.org/rfc/rfc7692#section-5) and 7.1
		// (https://www.rfc-editor.org/rfc/rfc7692#section-7.1): a response
		// parameter that is unknown, repeated or out of range, or the extension
		// twice, fails the connection.
		hostileCase{name: "permessage-deflate unknown parameter", rule: "RFC 7692 §5, §7.1",
			serve: upgradeWith("Sec-WebSocket-Extensions: permessage-deflate; x_unknown=1"), want: failConnect},
		hostileCase{name: "permessage-deflate twice", rule: "RFC 7692 §5",
			serve: upgradeWith("Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate"), want: failConnect},
		hostileCase{name: "permessage-deflate window bits 16", rule: "RFC 7692 §7.1.2",
			serve: upgradeWith("Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=16"), want: failConnect},
		// RFC 6455 section 4.1
		// (https://www.rfc-editor.org/rfc/rfc6455#section-4.1) response item 6:
		// a subprotocol the client did not offer.
		hostileCase{name: "unrequested subprotocol", rule: "RFC 6455 §4.1 response item 6",
			serve: upgradeWith("Sec-WebSocket-Protocol: chat"), want: failConnect},
		hostileCase{name: "subprotocol not offered", rule: "RFC 6455 §4.1 response item 6",
			protocols: `["chat"]`, serve: upgradeWith("Sec-WebSocket-Protocol: superchat"), want: failConnect},
		// Protocols were offered and none was selected
		// (https://websockets.spec.whatwg.org/#concept-websocket-establish).
		hostileCase{name: "no subprotocol selected", rule: "WHATWG §2.2 processResponse step 2",
			protocols: `["chat"]`, serve: upgradeWith(), want: failConnect},
		// A server that never answers, or stops in the middle of its answer:
		// the fetch becomes a network error when the handshake timeout expires
		// (https://websockets.spec.whatwg.org/#concept-websocket-establish),
		// and the runtime meanwhile serves its other socket.
		hostileCase{name: "stalled handshake", rule: "WHATWG §2.2: a network error fails the connection",
			opts:  Options{HandshakeTimeout: 300 * time.Millisecond},
			serve: func(rc *rawConn) int { return rc.hold() }, want: failConnect},
		hostileCase{name: "stalled after the status line", rule: "WHATWG §2.2: a network error fails the connection",
			opts: Options{HandshakeTimeout: 300 * time.Millisecond},
			serve: func(rc *rawConn) int {
				rc.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"))
				return rc.hold()
			}, want: failConnect},
		hostileCase{name: "oversized response head", rule: "WHATWG §2.2: a network error (RFC 9110 §5.4 lets a client refuse a field section too large)",
			serve: func(rc *rawConn) int {
				pad := make([]string, 2000)
				for i := range pad {
					pad[i] = "X-Pad: " + strings.Repeat("a", 60)
				}
				rc.upgrade(pad...)
				return rc.hold()
			}, want: failConnect},
		// RFC 9112 section 5.2
		// (https://www.rfc-editor.org/rfc/rfc9112#section-5.2): a user agent
		// replaces obs-fold in a response with SP; the folded Upgrade field
		// reads "websocket" and the handshake succeeds.
		hostileCase{name: "folded response header", rule: "RFC 9112 §5.2",
			onopen: `ws.close(1000);`,
			serve: func(rc *rawConn) int {
				rc.respond("HTTP/1.1 101 Switching Protocols", []string{"Upgrade:", "\t websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: " + rc.acceptKey()})
				return rc.closeHandshake()
			}, want: []string{"open", "close 1000 true []"}, sent: 1000},
		hostileCase{name: "not HTTP", rule: "WHATWG §2.2: a network error",
			serve: func(rc *rawConn) int { rc.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n")); return rc.hold() }, want: failConnect},
		hostileCase{name: "closed before answering", rule: "WHATWG §2.2: a network error",
			serve: func(rc *rawConn) int { return 0 }, want: failConnect},
		hostileCase{name: "reset before answering", rule: "WHATWG §2.2: a network error",
			serve: func(rc *rawConn) int { rc.reset(); return 0 }, want: failConnect},
	)

	// Framing. RFC 6455 section 7.1.7
	// (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.7): on a violation
	// the client fails the connection, sending a close frame with the status
	// code named below; script sees error then close 1006.
	cases = append(cases,
		// Sections 8.1 (https://www.rfc-editor.org/rfc/rfc6455#section-8.1) and
		// 5.6 (https://www.rfc-editor.org/rfc/rfc6455#section-5.6): text must
		// be valid UTF-8, checked across fragments; 1007.
		hostileCase{name: "invalid UTF-8 in a text message", rule: "RFC 6455 §8.1, §7.4.1 (1007)",
			serve: upgradeThen(frm(bFin|opText, []byte("ok")), frm(bFin|opText, []byte{0xff, 0xfe})),
			want:  joined([]string{"open", "message ok"}, failOpen[1:]), sent: 1007},
		hostileCase{name: "invalid UTF-8 split across fragments", rule: "RFC 6455 §8.1, §5.4",
			serve: upgradeThen(frm(opText, []byte("a\xe2\x82")), frm(bFin|opCont, []byte("("))),
			want:  failOpen, sent: 1007},
		hostileCase{name: "text ending inside a UTF-8 sequence", rule: "RFC 6455 §8.1",
			serve: upgradeThen(frm(opText, []byte("ok\xe2")), frm(bFin|opCont, []byte{0x82})),
			want:  failOpen, sent: 1007},
		hostileCase{name: "overlong UTF-8", rule: "RFC 6455 §8.1 (RFC 3629 §3: overlong forms are invalid)",
			serve: upgradeThen(frm(bFin|opText, []byte{0xc0, 0xaf})), want: failOpen, sent: 1007},
		hostileCase{name: "UTF-8 surrogate", rule: "RFC 6455 §8.1 (RFC 3629 §3: surrogates are invalid)",
			serve: upgradeThen(frm(bFin|opText, []byte{0xed, 0xa0, 0x80})), want: failOpen, sent: 1007},
		// A character split over three fragments is fine.
		hostileCase{name: "UTF-8 split across fragments", rule: "RFC 6455 §5.4, §8.1: validity is of the whole message",
			serve: upgradeThen(frm(opText, []byte{0xe2}), frm(opCont, []byte{0x82}), frm(bFin|opCont, []byte{0xac}),
				frm(bFin|opClose, closePayload(1000, ""))),
			want: []string{"open", "message €", "close 1000 true []"}, sent: 1000},
		// Section 5.5.1 (https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1):
		// the close reason is UTF-8.
		hostileCase{name: "invalid UTF-8 in the close reason", rule: "RFC 6455 §5.5.1, §8.1",
			serve: upgradeThen(frm(bFin|opClose, closePayload(1000, "\xff"))), want: failOpen, sent: 1007},
		// Section 5.1 (https://www.rfc-editor.org/rfc/rfc6455#section-5.1): "a
		// client MUST close a connection if it detects a masked frame"; 1002.
		hostileCase{name: "masked frame", rule: "RFC 6455 §5.1",
			serve: upgradeThen(maskedFrm(bFin|opText, []byte("hi"))), want: failOpen, sent: 1002},
		// Section 5.2 (https://www.rfc-editor.org/rfc/rfc6455#section-5.2): RSV
		// bits without a negotiated extension defining them; 1002.
		hostileCase{name: "RSV1 without an extension", rule: "RFC 6455 §5.2",
			serve: upgradeThen(frm(bFin|bRsv1|opText, []byte("hi"))), want: failOpen, sent: 1002},
		hostileCase{name: "RSV2", rule: "RFC 6455 §5.2",
			serve: upgradeThen(frm(bFin|bRsv2|opText, []byte("hi"))), want: failOpen, sent: 1002},
		hostileCase{name: "RSV3", rule: "RFC 6455 §5.2",
			serve: upgradeThen(frm(bFin|bRsv3|opBinary, []byte("hi"))), want: failOpen, sent: 1002},
		// RFC 7692 section 6
		// (https://www.rfc-editor.org/rfc/rfc7692#section-6): RSV1
		// ("Per-Message Compressed") only on the first frame of a data message,
		// never on control frames or continuations.
		hostileCase{name: "RSV1 on a ping with permessage-deflate", rule: "RFC 7692 §6",
			serve: func(rc *rawConn) int {
				rc.upgrade("Sec-WebSocket-Extensions: permessage-deflate")
				rc.send(frm(bFin|bRsv1|opPing, nil))
				return rc.readClose()
			}, want: failOpen, sent: 1002},
		hostileCase{name: "RSV1 on a continuation with permessage-deflate", rule: "RFC 7692 §6",
			serve: func(rc *rawConn) int {
				rc.upgrade("Sec-WebSocket-Extensions: permessage-deflate")
				z := deflateMsg([]byte("hello hello"))
				rc.send(frm(bRsv1|opText, z[:2]), frm(bFin|bRsv1|opCont, z[2:]))
				return rc.readClose()
			}, want: failOpen, sent: 1002},
		// RFC 7692 section 7.2.2
		// (https://www.rfc-editor.org/rfc/rfc7692#section-7.2.2): data that
		// does not inflate; RFC 6455 section 7.4.1
		// (https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1): 1007.
		hostileCase{name: "corrupt compressed data", rule: "RFC 7692 §7.2.2, RFC 6455 §7.4.1 (1007)",
			serve: func(rc *rawConn) int {
				rc.upgrade("Sec-WebSocket-Extensions: permessage-deflate")
				rc.send(frm(bFin|bRsv1|opText, []byte{0xff, 0xff, 0xff, 0xff}))
				return rc.readClose()
			}, want: failOpen, sent: 1007},
		// RFC 6455 section 10.4
		// (https://www.rfc-editor.org/rfc/rfc6455#section-10.4): a message
		// larger than the client can handle fails with 1009, whether announced
		// by a length header, reached by fragments, or produced by
		// decompression (a 32 MiB bomb of 32 KiB): no more than the limit is
		// held.
		hostileCase{name: "decompression bomb", rule: "RFC 6455 §10.4, §7.4.1 (1009); RFC 7692 §8",
			opts: Options{MaxMessageSize: 1 << 20},
			serve: func(rc *rawConn) int {
				rc.upgrade("Sec-WebSocket-Extensions: permessage-deflate")
				rc.send(frm(bFin|bRsv1|opBinary, deflateMsg(make([]byte, 32<<20))))
				return rc.readClose()
			}, want: failOpen, sent: 1009},
		hostileCase{name: "length 2^63-1", rule: "RFC 6455 §10.4, §7.4.1 (1009)",
			serve: upgradeThen(hdr(bFin|opBinary, 1<<63-1), []byte("abc")), want: failOpen, sent: 1009},
		hostileCase{name: "length over MaxMessageSize", rule: "RFC 6455 §10.4, §7.4.1 (1009)",
			opts:  Options{MaxMessageSize: 1000},
			serve: upgradeThen(hdr(bFin|opBinary, 1001), make([]byte, 1001)), want: failOpen, sent: 1009},
		hostileCase{name: "message fragments over MaxMessageSize", rule: "RFC 6455 §10.4, §7.4.1 (1009)",
			opts: Options{MaxMessageSize: 1 << 20},
			serve: func(rc *rawConn) int {
				rc.upgrade()
				rc.send(frm(opBinary, make([]byte, 64<<10)))
				for range 16 {
					rc.send(frm(opCont, make([]byte, 64<<10)))
				}
				return rc.readClose()
			}, want: failOpen, sent: 1009},
		// Section 5.2 (https://www.rfc-editor.org/rfc/rfc6455#section-5.2):
		// "the most significant bit MUST be 0" in a 64-bit length; 1002.
		hostileCase{name: "length 2^63", rule: "RFC 6455 §5.2",
			serve: upgradeThen(hdr(bFin|opBinary, 1<<63)), want: failOpen, sent: 1002},
		hostileCase{name: "length 2^64-1", rule: "RFC 6455 §5.2",
			serve: upgradeThen(hdr(bFin|opBinary, 1<<64-1)), want: failOpen, sent: 1002},
		// Section 5.5 (https://www.rfc-editor.org/rfc/rfc6455#section-5.5):
		// control frames are not fragmented and carry at most 125 bytes.
		hostileCase{name: "fragmented ping", rule: "RFC 6455 §5.5",
			serve: upgradeThen(frm(opPing, []byte("a")), frm(bFin|opCont, []byte("b"))), want: failOpen, sent: 1002},
		hostileCase{name: "ping of 126 bytes", rule: "RFC 6455 §5.5",
			serve: upgradeThen(frm(bFin|opPing, make([]byte, 126))), want: failOpen, sent: 1002},
		hostileCase{name: "close frame of 126 bytes", rule: "RFC 6455 §5.5",
			serve: upgradeThen(frm(bFin|opClose, closePayload(1000, strings.Repeat("x", 124)))), want: failOpen, sent: 1002},
		// Section 5.4 (https://www.rfc-editor.org/rfc/rfc6455#section-5.4):
		// continuation frames only inside a fragmented message, and no other
		// data frame before its last fragment.
		hostileCase{name: "continuation without a message", rule: "RFC 6455 §5.4",
			serve: upgradeThen(frm(bFin|opCont, []byte("x"))), want: failOpen, sent: 1002},
		hostileCase{name: "new message inside a fragmented one", rule: "RFC 6455 §5.4",
			serve: upgradeThen(frm(opText, []byte("a")), frm(bFin|opBinary, []byte("b"))), want: failOpen, sent: 1002},
		// Section 5.5.1 (https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1):
		// a close payload is empty or at least the 2-byte code.
		hostileCase{name: "1-byte close payload", rule: "RFC 6455 §5.5.1",
			serve: upgradeThen(frm(bFin|opClose, []byte{0x03})), want: failOpen, sent: 1002},
	)
	// Section 5.2 (https://www.rfc-editor.org/rfc/rfc6455#section-5.2): opcodes
	// 0x3-0x7 and 0xB-0xF are reserved; 1002.
	for _, op := range []byte{0x3, 0x7, 0xB, 0xF} {
		cases = append(cases, hostileCase{name: fmt.Sprintf("reserved opcode %#x", op), rule: "RFC 6455 §5.2",
			serve: upgradeThen(frm(bFin|op, []byte("x"))), want: failOpen, sent: 1002})
	}
	// Sections 7.4.1 (https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1) and
	// 7.4.2 (https://www.rfc-editor.org/rfc/rfc6455#section-7.4.2) and the IANA
	// registry: 1004-1006 and 1015 are never sent, 1016 to 2999 are reserved,
	// and codes below 1000 or from 5000 are not defined; a close frame with one
	// of them fails the connection with 1002.
	for _, code := range []int{0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535} {
		cases = append(cases, hostileCase{name: fmt.Sprintf("close code %d", code), rule: "RFC 6455 §7.4.1, §7.4.2",
			serve: upgradeThen(frm(bFin|opClose, closePayload(code, ""))), want: failOpen, sent: 1002})
	}
	// Valid codes from the server close cleanly with that code and reason, and
	// the client echoes the code (section 5.5.1,
	// https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1); the WebSockets
	// Standard reports them as they are
	// (https://websockets.spec.whatwg.org/#feedback-from-the-protocol).
	for _, code := range []int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999} {
		cases = append(cases, hostileCase{name: fmt.Sprintf("close code %d", code), rule: "RFC 6455 §7.4.1, §5.5.1; WHATWG §4",
			serve: func(rc *rawConn) int {
				rc.upgrade()
				rc.send(frm(bFin|opClose, closePayload(code, "why")))
				return rc.readClose()
			}, want: []string{"open", "close " + strconv.Itoa(code) + " true [why]"}, sent: code})
	}

	// Closing.
	cases = append(cases,
		// Section 7.1.5 (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.5):
		// a close frame without a body means 1005; the reply has no body either
		// (https://websockets.spec.whatwg.org/#dom-websocket-close and RFC 6455
		// section 5.5.1
		// (https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1)).
		hostileCase{name: "close frame without a body", rule: "RFC 6455 §7.1.5 (1005)",
			serve: upgradeThen(frm(bFin|opClose, nil)), want: []string{"open", "close 1005 true []"}, sent: 1005},
		// The reason is UTF-8 decoded without BOM
		// (https://websockets.spec.whatwg.org/#feedback-from-the-protocol).
		hostileCase{name: "close reason with a BOM", rule: "WHATWG §4 step 3: UTF-8 decode without BOM",
			serve: upgradeThen(frm(bFin|opClose, closePayload(4000, "\ufeffbye"))), want: []string{"open", "close 4000 true [bye]"}, sent: 4000},
		// Section 5.5.1 (https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1):
		// nothing is processed after a close frame; the late message is never
		// delivered.
		hostileCase{name: "data after the close frame", rule: "RFC 6455 §5.5.1",
			serve: upgradeThen(frm(bFin|opText, []byte("one")), frm(bFin|opClose, closePayload(1000, "bye")), frm(bFin|opText, []byte("late"))),
			want:  []string{"open", "message one", "close 1000 true [bye]"}, sent: 1000},
		// Section 7.1.4 (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.4):
		// the closing handshake is complete once both close frames were sent;
		// the server may then drop the connection at once.
		hostileCase{name: "server drops the connection after its close frame", rule: "RFC 6455 §7.1.4, §7.1.1",
			serve: func(rc *rawConn) int {
				rc.upgrade()
				rc.send(frm(bFin|opClose, closePayload(1000, "")))
				return 0
			}, want: []string{"open", "close 1000 true []"}},
		// Section 7.1.1 (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.1):
		// the client waits a bounded time for the server to answer its close
		// frame, then drops the connection. No close frame was received, so the
		// code is 1006 (section 7.1.5,
		// https://www.rfc-editor.org/rfc/rfc6455#section-7.1.5), and nothing
		// was failed, so no error event
		// (https://websockets.spec.whatwg.org/#feedback-from-the-protocol).
		hostileCase{name: "close reply never comes", rule: "RFC 6455 §7.1.1, §7.1.5; WHATWG §4",
			opts:   Options{CloseTimeout: 300 * time.Millisecond},
			onopen: `ws.close(1000, "done");`,
			serve: func(rc *rawConn) int {
				rc.upgrade()
				code := rc.readClose()
				rc.hold()
				return code
			}, want: []string{"open", "close 1006 false []"}, sent: 1000},
		// Section 7.1.5 (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.5):
		// the TCP connection ends without a close frame: 1006, wasClean false,
		// no error event (the WebSockets Standard fires error only for a failed
		// connection,
		// https://websockets.spec.whatwg.org/#feedback-from-the-protocol).
		hostileCase{name: "connection closed without a close frame", rule: "RFC 6455 §7.1.5; WHATWG §4",
			serve: func(rc *rawConn) int {
				rc.upgrade()
				rc.send(frm(bFin|opText, []byte("last words")))
				return 0
			}, want: []string{"open", "message last words", "close 1006 false []"}},
		hostileCase{name: "reset in the middle of a frame", rule: "RFC 6455 §7.1.5; WHATWG §4",
			serve: func(rc *rawConn) int {
				rc.upgrade()
				rc.send(frm(bFin|opText, []byte("whole")), hdr(bFin|opBinary, 1000), make([]byte, 10))
				rc.reset()
				return 0
			}, want: []string{"open", "message whole", "close 1006 false []"}},
		// Section 4.1 (https://www.rfc-editor.org/rfc/rfc6455#section-4.1):
		// bytes after the response belong to the WebSocket connection.
		hostileCase{name: "frames in the same write as the 101 response", rule: "RFC 6455 §4.1",
			serve: func(rc *rawConn) int {
				rc.respond("HTTP/1.1 101 Switching Protocols", []string{"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: " + rc.acceptKey()},
					frm(bFin|opText, []byte("early")), frm(bFin|opClose, closePayload(1000, "")))
				return rc.readClose()
			}, want: []string{"open", "message early", "close 1000 true []"}, sent: 1000},
	)

	// Floods and large messages.
	cases = append(cases,
		// Section 5.5.2 (https://www.rfc-editor.org/rfc/rfc6455#section-5.5.2):
		// every ping is answered with its data; section 5.5.3
		// (https://www.rfc-editor.org/rfc/rfc6455#section-5.5.3): when pongs
		// cannot be written as fast as pings come (the server reads nothing
		// meanwhile), only the most recent needs an answer. The message after
		// the flood arrives.
		hostileCase{name: "ping flood", rule: "RFC 6455 §5.5.2, §5.5.3",
			serve: func(rc *rawConn) int {
				rc.upgrade()
				var b bytes.Buffer
				p := make([]byte, 125)
				const n = 20000
				for i := range n {
					binary.BigEndian.PutUint32(p, uint32(i))
					b.Write(frm(bFin|opPing, p))
				}
				b.Write(frm(bFin|opText, []byte("after pings")))
				b.Write(frm(bFin|opClose, closePayload(1000, "")))
				rc.Write(b.Bytes())
				pongs, last := 0, -1
				for {
					f, err := rc.readFrame()
					if err != nil {
						return -1
					}
					switch f.Header.OpCode {
					case ws.OpPong:
						pongs++
						last = int(binary.BigEndian.Uint32(f.Payload))
					case ws.OpClose:
						if pongs == 0 || pongs > n || last != n-1 {
							return -pongs - 10 // reported as a wrong close code
						}
						return int(binary.BigEndian.Uint16(f.Payload))
					}
				}
			}, want: []string{"open", "message after pings", "close 1000 true []"}, sent: 1000},
		// Section 5.5.3 (https://www.rfc-editor.org/rfc/rfc6455#section-5.5.3):
		// unsolicited pongs are ignored.
		hostileCase{name: "pong flood", rule: "RFC 6455 §5.5.3",
			serve: func(rc *rawConn) int {
				rc.upgrade()
				var b bytes.Buffer
				for range 20000 {
					b.Write(frm(bFin|opPong, []byte("unsolicited")))
				}
				b.Write(frm(bFin|opText, []byte("after pongs")))
				b.Write(frm(bFin|opClose, closePayload(1000, "")))
				rc.Write(b.Bytes())
				return rc.readClose()
			}, want: []string{"open", "message after pongs", "close 1000 true []"}, sent: 1000},
		// Large messages arrive whole under the default limits, in one frame or many.
		hostileCase{name: "16 MiB binary message", rule: "RFC 6455 §5.2 (64-bit lengths), §5.6",
			serve: upgradeThen(frm(bFin|opBinary, pattern(16<<20)), frm(bFin|opClose, closePayload(1000, ""))),
			want:  []string{"open", "message binary 16777216 ok", "close 1000 true []"}, sent: 1000},
		hostileCase{name: "16 MiB text message in 256 fragments", rule: "RFC 6455 §5.4",
			serve: func(rc *rawConn) int {
				rc.upgrade()
				chunk := []byte(strings.Repeat("é€a", 65536/6) + "abcd")
				rc.send(frm(opText, chunk))
				for range 254 {
					rc.send(frm(opCont, chunk))
				}
				rc.send(frm(bFin|opCont, chunk), frm(bFin|opClose, closePayload(1000, "")))
				return rc.readClose()
			}, want: []string{"open", "message text 8389120 é€a…abcd", "close 1000 true []"}, sent: 1000},
		hostileCase{name: "16 MiB from script, echoed", rule: "WHATWG §3.1 send(), RFC 6455 §5.2",
			onopen: `const big = new Uint8Array(16 << 20); big.fill(7); big[0] = 1; big[8 << 20] = 2; big[big.length - 1] = 3;
				ws.send(big); log("buffered " + ws.bufferedAmount);
				ws.addEventListener("message", () => ws.close(1000));`,
			serve: func(rc *rawConn) int {
				rc.upgrade()
				f, err := rc.readFrame()
				if err != nil {
					return -1
				}
				rc.send(frm(bFin|opBinary, f.Payload))
				return rc.closeHandshake()
			}, want: []string{"open", "buffered 16777216", "message binary 16777216 1,2,3", "close 1000 true []"}, sent: 1000},
		// send() (https://websockets.spec.whatwg.org/#dom-websocket-send): data
		// that would need to be buffered beyond what the user agent can hold
		// flags the socket as full and closes the connection;
		// https://websockets.spec.whatwg.org/#feedback-from-the-protocol then
		// fires error before close. bufferedAmount still counts every byte
		// passed to send().
		hostileCase{name: "server reads nothing", rule: "WHATWG §3.1 send(), §4 (flagged as full)",
			opts: Options{MaxBufferedBytes: 8 << 20},
			onopen: `const chunk = new Uint8Array(1 << 20);
				for (let i = 0; i < 64; i++) ws.send(chunk);
				log("buffered " + ws.bufferedAmount);`,
			serve: func(rc *rawConn) int {
				rc.upgrade()
				// Read nothing while script runs; the client gives up on its own.
				<-rc.scriptDone
				return rc.hold()
			}, want: []string{"open", "buffered 67108864", "error 3", "close 1006 false []"}},
	)
	return cases
}

// hostileScript logs what script sees of the hostile socket and, meanwhile, keeps a
// well-behaved socket of the same runtime busy with round trips; once the hostile
// socket has closed, the good one completes two more and closes.
const hostileScript = `
	const show = (d) => {
		if (typeof d === "string") {
			return d.length <= 40 ? d : "text " + d.length + " " + d.slice(0, 3) + "…" + d.slice(-4);
		}
		const u = new Uint8Array(d);
		const at = (i) => (i * 7 + (i >> 12)) & 255; // pattern() in Go
		if (u.length > 8192 && [0, 4097, u.length >> 1, u.length - 1].every((i) => u[i] === at(i))) {
			return "binary " + u.length + " ok";
		}
		return "binary " + u.length + " " + [u[0], u[u.length >> 1], u[u.length - 1]].join();
	};
	let hostileDone = false, rounds = 0, after = 0;
	const ws = new WebSocket(HOSTILE, PROTOCOLS);
	ws.binaryType = "arraybuffer";
	ws.onopen = () => { log("open"); ONOPEN };
	ws.onmessage = (ev) => log("message " + show(ev.data));
	ws.onerror = () => log("error " + ws.readyState);
	ws.onclose = (ev) => { log("close " + ev.code + " " + ev.wasClean + " [" + ev.reason + "]"); hostileDone = true; };

	const good = new WebSocket(GOOD);
	good.onopen = () => good.send("round");
	good.onmessage = () => {
		rounds++;
		if (hostileDone && ++after === 2) {
			good.close(1000);
			return;
		}
		setTimeout(() => good.send("round"), 1);
	};
	good.onclose = (ev) => goodResult(ev.code + " " + ev.wasClean + " " + (after === 2));
`

func TestHostileServers(t *testing.T) {
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runHostile(t, c)
		})
	}
}

func runHostile(t *testing.T, c hostileCase) {
	good := newServer(t, ws.HTTPUpgrader{}, echo)
	srv := newRawServer(t, c.serve)
	var logged atomic.Int32
	opts := c.opts
	policy := network.Policy{}
	if opts.Network != nil {
		policy = *opts.Network
	}
	policy.Log = func(string, error) { logged.Add(1) }
	opts.Network = &policy
	e := newEnv(t, opts)
	var goodResult string
	_ = e.vm.Set("goodResult", func(s string) { goodResult = s })
	protocols := c.protocols
	if protocols == "" {
		protocols = "[]"
	}
	src := strings.NewReplacer("HOSTILE", strconv.Quote(srv.url), "GOOD", strconv.Quote(good.url),
		"PROTOCOLS", protocols, "ONOPEN", c.onopen).Replace(hostileScript)
	got := e.run(src)
	close(srv.scriptDone)
	if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
		t.Errorf("script saw:\n  %s\nwant (%s):\n  %s", strings.Join(got, "\n  "), c.rule, strings.Join(c.want, "\n  "))
	}
	if goodResult != "1000 true true" {
		t.Errorf("the well-behaved socket ended with %q, want clean 1000 after two more round trips", goodResult)
	}
	select {
	case sent := <-srv.results:
		if c.sent != 0 && sent != c.sent {
			t.Errorf("the client sent close code %d, want %d (%s)", sent, c.sent, c.rule)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the server did not finish")
	}
	if n := srv.requests.Load(); n != 1 {
		t.Errorf("%d handshake requests, want 1", n)
	}
	if strings.Contains(strings.Join(c.want, "\n"), "1006") && logged.Load() == 0 {
		t.Error("the cause of the abnormal closure was not logged")
	}
}
