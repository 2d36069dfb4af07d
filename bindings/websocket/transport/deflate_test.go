package transport

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/gobwas/ws"
)

// testDeflater compresses as a permessage-deflate peer does.
type testDeflater struct {
	buf   bytes.Buffer
	fw    *flate.Writer
	noCtx bool
}

func newTestDeflater(noCtx bool) *testDeflater {
	d := &testDeflater{noCtx: noCtx}
	d.fw, _ = flate.NewWriter(&d.buf, flate.DefaultCompression)
	return d
}

func (d *testDeflater) compress(p []byte) []byte {
	d.fw.Write(p)
	d.fw.Flush()
	out := bytes.Clone(d.buf.Bytes())
	d.buf.Reset()
	if d.noCtx {
		d.fw.Reset(&d.buf)
	}
	return bytes.TrimSuffix(out, deflateTail[:])
}

// testMessages are messages that refer back to each other, so that context
// takeover matters.
func testMessages() []string {
	var ms []string
	base := strings.Repeat("The quick brown fox jumps over the lazy dog. ", 20)
	for i := range 8 {
		ms = append(ms, fmt.Sprintf("%d:%s:%d", i, base, i*i))
	}
	ms = append(ms, "", "é€😀", strings.Repeat("x", 100<<10))
	// Text that compresses to several fragments, then a message that refers
	// back to it through the shared window.
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"
	rng := rand.New(rand.NewPCG(3, 4))
	long := make([]byte, 300<<10)
	for i := range long {
		long[i] = letters[rng.IntN(len(letters))]
	}
	ms = append(ms, string(long), string(long[1000:2000]))
	return ms
}

func TestDeflateReceive(t *testing.T) {
	for _, noCtx := range []bool{false, true} {
		t.Run(fmt.Sprintf("server_no_context_takeover=%v", noCtx), func(t *testing.T) {
			ext := "permessage-deflate"
			if noCtx {
				ext += "; server_no_context_takeover"
			}
			s := newTestServer(t, func(sc *serverConn) {
				sc.upgrade("Sec-WebSocket-Extensions: " + ext + "\r\n")
				d := newTestDeflater(noCtx)
				for i, m := range testMessages() {
					z := d.compress([]byte(m))
					switch i % 3 {
					case 0: // one frame
						sc.conn.Write(frame(true, 4, ws.OpText, z))
					case 1: // fragmented: RSV1 on the first frame only, a ping between
						h := len(z) / 2
						sc.conn.Write(frame(false, 4, ws.OpText, z[:h]))
						sc.conn.Write(frame(true, 0, ws.OpPing, []byte("p")))
						sc.conn.Write(frame(true, 0, ws.OpContinuation, z[h:]))
					case 2: // an uncompressed message in between
						sc.conn.Write(frame(true, 0, ws.OpBinary, []byte("plain")))
						sc.conn.Write(frame(true, 4, ws.OpText, z))
					}
				}
				echoLoop(sc)
			})
			c, r := dialStart(t, s.URL, nil)
			if c.Extensions() != ext {
				t.Errorf("Extensions %q", c.Extensions())
			}
			for i, m := range testMessages() {
				if i%3 == 2 {
					if e := r.waitMessage(t); !e.binary || string(e.data) != "plain" {
						t.Fatalf("plain message %q", e.data)
					}
				}
				if e := r.waitMessage(t); e.binary || string(e.data) != m {
					t.Fatalf("message %d: got %d bytes, want %d", i, len(e.data), len(m))
				}
			}
			c.Close(1000, "")
			if res := r.waitClosed(t); !res.WasClean {
				t.Errorf("result %+v", res)
			}
		})
	}
}

func TestDeflateSend(t *testing.T) {
	tests := []struct {
		ext        string
		compressed bool
		noCtx      bool
	}{
		{ext: "permessage-deflate", compressed: true},
		{ext: "permessage-deflate; client_no_context_takeover", compressed: true, noCtx: true},
		{ext: "permessage-deflate; client_max_window_bits=15", compressed: true},
		{ext: "permessage-deflate; client_max_window_bits=10", compressed: false},
	}
	for _, tt := range tests {
		t.Run(tt.ext, func(t *testing.T) {
			got := make(chan []string, 1)
			s := newTestServer(t, func(sc *serverConn) {
				sc.upgrade("Sec-WebSocket-Extensions: " + tt.ext + "\r\n")
				// One decompressor over all messages, each followed by the
				// tail, decodes messages compressed with context takeover;
				// without it each message must decode on its own.
				pr, pw := io.Pipe()
				stream := flate.NewReader(pr)
				defer pw.Close()
				var msgs []string
				for _, m := range testMessages() {
					f, err := sc.readFrame()
					if err != nil {
						t.Errorf("server read: %v", err)
						break
					}
					if rsv1 := f.Header.Rsv&4 != 0; rsv1 != tt.compressed {
						t.Errorf("RSV1 %v, want %v", rsv1, tt.compressed)
					}
					data := f.Payload
					if tt.compressed {
						in := append(bytes.Clone(data), deflateTail[:]...)
						if tt.noCtx {
							data, err = io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(in)), int64(len(m))))
						} else {
							go pw.Write(in)
							data = make([]byte, len(m))
							_, err = io.ReadFull(stream, data)
						}
						if err != nil && err != io.ErrUnexpectedEOF {
							t.Errorf("decompress: %v", err)
						}
					}
					msgs = append(msgs, string(data))
				}
				got <- msgs
				echoLoop(sc)
			})
			c, r := dialStart(t, s.URL, nil)
			for _, m := range testMessages() {
				c.SendText(m)
			}
			msgs := <-got
			for i, m := range testMessages() {
				if i >= len(msgs) || msgs[i] != m {
					t.Fatalf("message %d differs", i)
				}
			}
			c.Close(1000, "")
			r.waitClosed(t)
			r.mu.Lock()
			defer r.mu.Unlock()
			total := 0
			for _, m := range testMessages() {
				total += len(m)
			}
			if r.sent != int64(total) {
				t.Errorf("Sent %d, want %d", r.sent, total)
			}
		})
	}
}

func TestDeflateFailures(t *testing.T) {
	// 16 MiB of zeros in a few kilobytes.
	var zb bytes.Buffer
	zw, _ := flate.NewWriter(&zb, flate.BestSpeed)
	zw.Write(make([]byte, 16<<20))
	zw.Flush()
	bomb := bytes.TrimSuffix(zb.Bytes(), deflateTail[:])
	tests := []struct {
		name    string
		frames  [][]byte
		code    int
		errText string
	}{
		{name: "RSV1 on continuation", frames: [][]byte{frame(false, 4, ws.OpText, nil), frame(true, 4, ws.OpContinuation, nil)}, code: 1002, errText: "RSV"},
		{name: "RSV1 on ping", frames: [][]byte{frame(true, 4, ws.OpPing, nil)}, code: 1002, errText: "RSV"},
		{name: "corrupt data", frames: [][]byte{frame(true, 4, ws.OpBinary, []byte{0xff, 0xff, 0xff})}, code: 1007, errText: "decompress"},
		{name: "invalid UTF-8 inside", frames: [][]byte{frame(true, 4, ws.OpText, newTestDeflater(false).compress([]byte{0xff}))}, code: 1007, errText: "UTF-8"},
		{name: "bomb", frames: [][]byte{frame(true, 4, ws.OpBinary, bomb)}, code: 1009, errText: "decompressed message exceeds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make(chan int, 1)
			s := newTestServer(t, func(sc *serverConn) {
				sc.upgrade("Sec-WebSocket-Extensions: permessage-deflate\r\n", tt.frames...)
				code, _, _ := sc.readClose()
				got <- code
			})
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, r := dialStart(t, s.URL, &Config{MaxMessageSize: 1 << 20})
			res := r.waitClosed(t)
			runtime.ReadMemStats(&after)
			if code := <-got; code != tt.code {
				t.Errorf("close code %d, want %d", code, tt.code)
			}
			if !res.Failed || res.Err == nil || !strings.Contains(res.Err.Error(), tt.errText) {
				t.Errorf("result %+v, want failure mentioning %q", res, tt.errText)
			}
			if d := after.TotalAlloc - before.TotalAlloc; d > 16<<20 {
				t.Errorf("allocated %d bytes for a message limited to 1 MiB", d)
			}
		})
	}
}

func TestInflateWindow(t *testing.T) {
	var z inflater
	d := newTestDeflater(false)
	// More than a window of history, then a message that refers to it.
	prev := bytes.Repeat([]byte("0123456789abcdef"), 5000)
	for _, m := range [][]byte{prev, []byte("short"), prev[len(prev)-1000:]} {
		out, err := z.inflate(d.compress(m), 1<<30)
		if err != nil || !bytes.Equal(out, m) {
			t.Fatalf("inflate: %v, %d bytes, want %d", err, len(out), len(m))
		}
		if len(z.window) > windowSize {
			t.Fatalf("window holds %d bytes", len(z.window))
		}
	}
	if _, err := z.inflate(d.compress(make([]byte, 100)), 99); err != errTooBig {
		t.Errorf("limit: %v", err)
	}
}
