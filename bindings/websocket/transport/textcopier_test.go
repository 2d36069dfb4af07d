package transport

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/gobwas/ws"
)

// copier is a recorder that is a TextCopier: it records a copy of each text
// message, with the capacity it came with, and scribbles over the bytes it was
// given, which the connection reuses.
type copier struct{ *recorder }

func (copier) CopiesText() {}

func (c copier) Message(binary bool, data []byte) {
	if binary {
		c.recorder.Message(binary, data)
		return
	}
	kept := make([]byte, len(data), cap(data))
	copy(kept, data)
	for i := range data {
		data[i] = '#'
	}
	c.recorder.Message(binary, kept)
}

// TestTextCopier checks that text messages received into reused buffers for a
// TextCopier arrive intact, with the same capacity, so the same charge to
// Config.Memory, as for any Handler, plain and compressed, whole and
// fragmented, between binary messages.
func TestTextCopier(t *testing.T) {
	d := newTestDeflater(false)
	text := func(n int, c byte) []byte { return bytes.Repeat([]byte{c}, n) }
	type msg struct {
		binary bool
		data   []byte
	}
	tests := []struct {
		name   string
		ext    string
		frames [][]byte
		want   []msg
	}{
		{name: "plain", frames: [][]byte{
			frame(true, 0, ws.OpText, nil),
			frame(true, 0, ws.OpText, text(5, 'a')),
			frame(true, 0, ws.OpText, text(300, 'b')),
			frame(true, 0, ws.OpBinary, text(300, 'c')),
			frame(true, 0, ws.OpText, text(70000, 'd')),
			frame(false, 0, ws.OpText, text(5000, 'e')),
			frame(false, 0, ws.OpContinuation, text(70000, 'e')),
			frame(true, 0, ws.OpContinuation, text(3, 'e')),
			frame(true, 0, ws.OpText, []byte("é€")),
		}, want: []msg{
			{false, []byte{}}, {false, text(5, 'a')}, {false, text(300, 'b')}, {true, text(300, 'c')},
			{false, text(70000, 'd')}, {false, text(75003, 'e')}, {false, []byte("é€")},
		}},
		{name: "compressed", ext: "Sec-WebSocket-Extensions: permessage-deflate\r\n", frames: [][]byte{
			frame(true, 4, ws.OpText, d.compress(text(100, 'f'))),
			frame(true, 4, ws.OpBinary, d.compress(text(100, 'g'))),
			frame(true, 4, ws.OpText, d.compress(text(200000, 'h'))),
			frame(true, 4, ws.OpText, d.compress(text(100, 'f'))),
		}, want: []msg{
			{false, text(100, 'f')}, {true, text(100, 'g')}, {false, text(200000, 'h')}, {false, text(100, 'f')},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			caps := map[bool][]int{}
			for _, copies := range []bool{false, true} {
				s := newTestServer(t, func(sc *serverConn) {
					sc.upgrade(tt.ext, tt.frames...)
					code, _, _ := sc.readClose()
					sc.conn.Write(frame(true, 0, ws.OpClose, closeBody(code, "")))
				})
				mem := &testMemory{limit: 4 << 20}
				c, err := Dial(context.Background(), s.URL, &Config{Memory: mem})
				if err != nil {
					t.Fatal(err)
				}
				r := newRecorder()
				var h Handler = r
				if copies {
					h = copier{r}
				}
				c.Start(h)
				var held int64
				for i, w := range tt.want {
					e := r.waitMessage(t)
					if e.binary != w.binary || !bytes.Equal(e.data, w.data) {
						t.Fatalf("copies %v: message %d: %v %q..., want %v %q...", copies, i,
							e.binary, trim(e.data), w.binary, trim(w.data))
					}
					caps[copies] = append(caps[copies], cap(e.data))
					held += int64(cap(e.data))
				}
				c.Close(1000, "")
				r.waitClosed(t)
				checkFinished(t, c, r)
				mem.Release(held)
				mem.checkUsed(t, 0)
			}
			if !slices.Equal(caps[false], caps[true]) {
				t.Errorf("capacities %v for a TextCopier, %v otherwise", caps[true], caps[false])
			}
		})
	}
}

func trim(p []byte) string { return strings.ToValidUTF8(string(p[:min(len(p), 12)]), "?") }
