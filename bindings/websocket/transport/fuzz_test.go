package transport

import (
	"bufio"
	"bytes"
	"io"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// fuzzStream is a server whose bytes are given in advance; whatever the
// client writes is discarded.
type fuzzStream struct {
	r *bytes.Reader
}

func (s *fuzzStream) Read(p []byte) (int, error)  { return s.r.Read(p) }
func (s *fuzzStream) Write(p []byte) (int, error) { return len(p), nil }
func (s *fuzzStream) Close() error                { return nil }

type fuzzHandler struct {
	t      *testing.T
	mu     sync.Mutex
	closes int
	res    CloseResult
}

func (h *fuzzHandler) Message(binary bool, data []byte) {
	if !binary && !utf8.Valid(data) {
		h.t.Errorf("invalid UTF-8 delivered as text: %q", data)
	}
	if len(data) > 1<<16 {
		h.t.Errorf("message of %d bytes beyond the limit", len(data))
	}
}
func (h *fuzzHandler) Sent(int) {}
func (h *fuzzHandler) Closed(r CloseResult) {
	h.mu.Lock()
	h.closes++
	h.res = r
	h.mu.Unlock()
}

func FuzzReadFrames(f *testing.F) {
	cat := func(bs ...[]byte) []byte { return bytes.Join(bs, nil) }
	z := newTestDeflater(false)
	f.Add(cat(frame(true, 0, ws.OpText, []byte("hello")), frame(true, 0, ws.OpClose, closeBody(1000, "bye"))), false)
	f.Add(cat(frame(false, 0, ws.OpBinary, []byte{1}), frame(true, 0, ws.OpPing, []byte("p")), frame(true, 0, ws.OpContinuation, []byte{2})), false)
	f.Add(cat(frame(true, 4, ws.OpText, z.compress([]byte("compressed compressed"))), frame(true, 4, ws.OpText, z.compress([]byte("compressed again")))), true)
	f.Add(cat(frame(true, 0, ws.OpClose, []byte{1})), false)
	f.Add([]byte{0x82, 127, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, false)
	f.Add([]byte{0x81, 126, 0x00, 0x10, 'a', 'b'}, false)
	f.Add(frame(true, 0, ws.OpText, []byte{0xe2, 0x82}), false)
	f.Fuzz(func(t *testing.T, data []byte, deflate bool) {
		ext := ""
		if deflate {
			ext = "permessage-deflate"
		}
		c, err := NewConn(&fuzzStream{r: bytes.NewReader(data)}, "", ext, &Config{MaxMessageSize: 1 << 16, CloseTimeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		h := &fuzzHandler{t: t}
		c.Start(h)
		<-c.doneChan()
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.closes != 1 {
			t.Fatalf("Closed reported %d times", h.closes)
		}
		if h.res.Failed && (h.res.WasClean || h.res.Code != 1006) {
			t.Fatalf("failed connection reported %+v", h.res)
		}
		if h.res.WasClean && h.res.Err != nil {
			t.Fatalf("clean close with cause %v", h.res.Err)
		}
	})
}

func FuzzReadResponse(f *testing.F) {
	const key = "dGhlIHNhbXBsZSBub25jZQ=="
	accept := acceptKey(key)
	f.Add([]byte(std(accept) + "\r\n"))
	f.Add([]byte(std(accept) + "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10; client_max_window_bits=\"9\"\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 302 Found\r\nLocation: /\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 101 X\nUpgrade: websocket\nConnection: upgrade\nSec-WebSocket-Accept: " + accept + "\n\n"))
	f.Add([]byte("HTTP/1.1 101\r\nX: a\r\n b\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		status, h, err := readResponse(bufio.NewReaderSize(bytes.NewReader(data), 16))
		if err != nil {
			return
		}
		if status < 100 || status > 999 {
			t.Fatalf("status %d", status)
		}
		v, err := validateResponse(status, h, key, []string{"chat", "superchat"}, true)
		if err != nil {
			return
		}
		if status != 101 || (v.protocol != "chat" && v.protocol != "superchat") {
			t.Fatalf("accepted status %d protocol %q", status, v.protocol)
		}
		if v.deflate {
			for _, b := range []int{v.params.clientMaxWindowBits, v.params.serverMaxWindowBits} {
				if b < 8 || b > 15 {
					t.Fatalf("window bits %d", b)
				}
			}
		}
	})
}

func FuzzParseClosePayload(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3})
	f.Add(closeBody(1000, "bye"))
	f.Add(closeBody(1005, ""))
	f.Add(closeBody(4999, "é"))
	f.Add(append(closeBody(1000, ""), 0xff))
	f.Fuzz(func(t *testing.T, p []byte) {
		code, reason, failCode, err := parseClosePayload(p)
		if err != nil {
			if failCode != codeProtocolError && failCode != codeInvalidData {
				t.Fatalf("fail code %d", failCode)
			}
			return
		}
		if len(p) == 1 {
			t.Fatal("1-byte payload accepted")
		}
		if !(code == codeNoStatus && len(p) == 0) && !receivableCloseCode(code) {
			t.Fatalf("code %d accepted", code)
		}
		if !utf8.ValidString(reason) {
			t.Fatalf("reason %q", reason)
		}
	})
}

func FuzzInflate(f *testing.F) {
	f.Add(newTestDeflater(false).compress([]byte("hello hello hello")), uint16(100), []byte("hello"))
	f.Add([]byte{0xff, 0x00}, uint16(10), []byte{})
	f.Add(newTestDeflater(false).compress(make([]byte, 5000)), uint16(4000), make([]byte, 300))
	f.Fuzz(func(t *testing.T, in []byte, limit uint16, plain []byte) {
		var z inflater
		out, err := z.inflate(bytes.Clone(in), int64(limit))
		if err == nil && len(out) > int(limit) {
			t.Fatalf("%d bytes out, limit %d", len(out), limit)
		}
		// Whatever it is, compressed data from the sending side comes back
		// unchanged, with context carried from message to message.
		var d deflater
		var r inflater
		for range 2 {
			zp, err := d.compress(nil, plain)
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.inflate(zp, int64(len(plain)))
			if err != nil || !bytes.Equal(got, plain) {
				t.Fatalf("round trip: %v", err)
			}
		}
	})
}

func FuzzUTF8Validator(f *testing.F) {
	f.Add([]byte("héllo"), uint8(2))
	f.Add([]byte{0xf0, 0x9f, 0x98, 0x80, 'a'}, uint8(1))
	f.Add([]byte{0xed, 0xa0, 0x80}, uint8(1))
	f.Add([]byte{0xf4, 0x90, 0x80, 0x80}, uint8(3))
	f.Fuzz(func(t *testing.T, p []byte, split uint8) {
		var v utf8Validator
		i := min(int(split), len(p))
		ok := v.write(p[:i]) && v.write(p[i:]) && v.complete()
		if ok != utf8.Valid(p) {
			t.Fatalf("validator says %v, utf8.Valid says %v for %q", ok, !ok, p)
		}
	})
}

var _ io.ReadWriteCloser = (*fuzzStream)(nil)
