package transport

import (
	"bytes"
	"compress/flate"
	"io"
	"math/rand/v2"
	"net"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// rawFrame reads one client frame as it is on the wire, unmasked.
func rawFrame(t testing.TB, sc *serverConn) ws.Frame {
	f, err := sc.frames().Frame()
	if err != nil {
		t.Errorf("read: %v", err)
	}
	return f
}

// TestLongMessageIsFragmented checks the wire form of a message longer than
// fragmentSize (RFC 6455 section 5.4,
// https://www.rfc-editor.org/rfc/rfc6455#section-5.4): a first frame with the
// message's opcode (and RSV1 when compressed, RFC 7692 section 6.1
// (https://www.rfc-editor.org/rfc/rfc7692#section-6.1)), continuation frames,
// FIN on the last only, each frame with its own masking key.
func TestLongMessageIsFragmented(t *testing.T) {
	// Random bytes, so that compressed they still need four frames.
	msg := make([]byte, 3*fragmentSize+100)
	rng := rand.NewChaCha8([32]byte{1})
	rng.Read(msg)
	for _, tc := range []struct {
		name     string
		extra    string
		compress bool
	}{
		{"plain", "", false},
		{"deflate", "Sec-WebSocket-Extensions: permessage-deflate\r\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			type wire struct {
				frames []ws.Header
				data   []byte
			}
			got := make(chan wire, 1)
			s := newTestServer(t, func(sc *serverConn) {
				sc.upgrade(tc.extra)
				var w wire
				for {
					f := rawFrame(t, sc)
					w.frames = append(w.frames, f.Header)
					w.data = append(w.data, f.Payload...)
					if f.Header.Fin || t.Failed() {
						break
					}
				}
				got <- w
				echoHandler(sc)
			})
			c, r := dialStart(t, s.URL, nil)
			if err := c.Send(true, msg); err != nil {
				t.Fatal(err)
			}
			w := <-got
			c.Close(1000, "")
			r.waitClosed(t)
			data := w.data
			if tc.compress {
				in := append(bytes.Clone(data), 0, 0, 0xff, 0xff)
				var err error
				if data, err = io.ReadAll(flate.NewReader(bytes.NewReader(in))); err != nil && err != io.ErrUnexpectedEOF {
					t.Fatalf("inflate: %v", err)
				}
			}
			if !bytes.Equal(data, msg) {
				t.Fatalf("reassembled %d bytes differ from the %d sent", len(data), len(msg))
			}
			if len(w.frames) != 4 {
				t.Errorf("%d frames, want 4", len(w.frames))
			}
			keys := map[[4]byte]bool{}
			for i, h := range w.frames {
				keys[h.Mask] = true
				wantOp, wantRsv := ws.OpContinuation, byte(0)
				if i == 0 {
					wantOp = ws.OpBinary
					if tc.compress {
						wantRsv = 0x4
					}
				}
				if h.OpCode != wantOp || h.Rsv != wantRsv || h.Fin != (i == len(w.frames)-1) || h.Length > fragmentSize {
					t.Errorf("frame %d: %+v", i, h)
				}
			}
			if len(keys) != len(w.frames) {
				t.Errorf("%d masking keys for %d frames", len(keys), len(w.frames))
			}
		})
	}
}

// TestControlFramesBetweenFragments checks that while a long message is being
// written the client answers a ping and then the server's close frame between
// its fragments (RFC 6455 sections 5.4
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.4) and 5.5.1
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1)), abandons the rest of
// the message, and reports the closing handshake as complete with the bytes
// left unsent.
func TestControlFramesBetweenFragments(t *testing.T) {
	for _, compress := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "deflate"}[compress], func(t *testing.T) {
			testControlFramesBetweenFragments(t, compress)
		})
	}
}

func testControlFramesBetweenFragments(t *testing.T, compress bool) {
	// Far more than the socket buffers hold, so that the client is still
	// writing when the ping and the close frame arrive.
	const size = 32 << 20
	type wire struct {
		dataBytes int
		pongAt    int // data frames before the pong, -1 if none
		closeAt   int
		code      int
		after     bool // a frame came after the close frame
	}
	got := make(chan wire, 1)
	s := newTestServer(t, func(sc *serverConn) {
		sc.conn.(*net.TCPConn).SetReadBuffer(32 << 10)
		if compress {
			sc.upgrade("Sec-WebSocket-Extensions: permessage-deflate\r\n")
		} else {
			sc.upgrade("")
		}
		w := wire{pongAt: -1, closeAt: -1}
		data := 0
		for {
			f := rawFrame(t, sc)
			if t.Failed() {
				break
			}
			switch f.Header.OpCode {
			case ws.OpPong:
				w.pongAt = data
				// Then the close: the client is still mid-message.
				sc.conn.Write(frame(true, 0, ws.OpClose, closeBody(4567, "bye")))
				continue
			case ws.OpClose:
				w.closeAt = data
				w.code = int(f.Payload[0])<<8 | int(f.Payload[1])
				// Nothing may follow the close frame: the next thing read is the end
				// of the stream, which the client makes once its close timeout
				// (below) runs out.
				_, err := sc.br.ReadByte()
				w.after = err == nil
				got <- w
				return
			}
			data++
			w.dataBytes += len(f.Payload)
			if data == 1 {
				sc.conn.Write(frame(true, 0, ws.OpPing, []byte("p")))
			}
		}
		got <- w
	})
	c, r := dialStart(t, s.URL, &Config{DisableCompression: !compress, CloseTimeout: 100 * time.Millisecond})
	// Random bytes: compressed, they are still far more than the socket
	// buffers hold.
	msg := make([]byte, size)
	rand.NewChaCha8([32]byte{2}).Read(msg)
	if err := c.Send(true, msg); err != nil {
		t.Fatal(err)
	}
	w := <-got
	res := r.waitClosed(t)
	if w.pongAt < 1 || w.closeAt < w.pongAt || w.closeAt*fragmentSize >= size {
		t.Errorf("pong after %d data frames, close after %d: not between fragments", w.pongAt, w.closeAt)
	}
	if w.code != 4567 || w.after {
		t.Errorf("close code %d echoed, frames after it: %v", w.code, w.after)
	}
	if !res.WasClean || res.Code != 4567 || res.Reason != "bye" {
		t.Errorf("result %+v", res)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if compress {
		// Progress of a compressed message is reported when it is all written.
		if res.Unsent != size || r.sent != 0 {
			t.Errorf("unsent %d, sent %d: want the whole message unsent", res.Unsent, r.sent)
		}
	} else if res.Unsent <= 0 || res.Unsent+r.sent != size || r.sent != int64(w.dataBytes) {
		t.Errorf("unsent %d, sent %d, server got %d: want them to add up to %d", res.Unsent, r.sent, w.dataBytes, size)
	}
}

// TestSentPlusUnsentIsQueued checks that every byte accepted by Send is
// reported once: written (Sent) or dropped when the peer's close frame
// arrived (CloseResult.Unsent).
func TestSentPlusUnsentIsQueued(t *testing.T) {
	release := make(chan struct{})
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("", frame(true, 0, ws.OpClose, closeBody(1000, "")))
		<-release
		sc.readClose()
	})
	c, r := dialStart(t, s.URL, &Config{DisableCompression: true})
	// Sent before or after the close frame is read: either queued and then
	// dropped, or refused.
	queued := int64(0)
	for range 10 {
		if c.Send(false, []byte("0123456789")) == nil {
			queued += 10
		}
	}
	close(release)
	res := r.waitClosed(t)
	r.mu.Lock()
	defer r.mu.Unlock()
	if res.Unsent+r.sent != queued {
		t.Errorf("unsent %d + sent %d, want %d", res.Unsent, r.sent, queued)
	}
}
