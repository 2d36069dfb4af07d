package transport

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// TestEveryPingAnsweredInOrder: pings that arrive together are each answered,
// in order (RFC 6455 section 5.5.2,
// https://www.rfc-editor.org/rfc/rfc6455#section-5.5.2).
func TestEveryPingAnsweredInOrder(t *testing.T) {
	const pings = 10
	got := make(chan []string, 1)
	s := newTestServer(t, func(sc *serverConn) {
		sc.upgrade("")
		var b bytes.Buffer
		for i := range pings {
			b.Write(frame(true, 0, ws.OpPing, fmt.Appendf(nil, "payload-%d", i)))
		}
		sc.conn.Write(b.Bytes())
		var pongs []string
		for len(pongs) < pings {
			f, err := sc.readFrame()
			if err != nil || f.Header.OpCode != ws.OpPong {
				break
			}
			pongs = append(pongs, string(f.Payload))
		}
		got <- pongs
		sc.conn.Write(frame(true, 0, ws.OpClose, binary.BigEndian.AppendUint16(nil, 1000)))
		sc.readFrame()
	})
	_, r := dialStart(t, s.URL, nil)
	var pongs []string
	select {
	case pongs = <-got:
	case <-time.After(waitLimit):
		t.Fatal("not every ping was answered")
	}
	for i := range pings {
		if i >= len(pongs) || pongs[i] != fmt.Sprintf("payload-%d", i) {
			t.Fatalf("pongs %q, want payload-0 to payload-%d in order", pongs, pings-1)
		}
	}
	if res := r.waitClosed(t); !res.WasClean || res.Code != 1000 {
		t.Errorf("result %+v", res)
	}
}

// settler is a recorder that echoes, when asked to settle, the messages it was
// given, as an application answering them in its message tasks does.
type settler struct {
	*recorder
	c       *Conn
	mu      sync.Mutex
	pending [][]byte
}

func (s *settler) Message(binary bool, data []byte) {
	s.mu.Lock()
	s.pending = append(s.pending, data)
	s.mu.Unlock()
	s.recorder.Message(binary, data)
}

func (s *settler) Settle(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.pending {
		s.c.Send(false, p)
	}
	s.pending = nil
}

// TestAnswersBeforeFailure: a valid message followed, in the same read, by a
// frame that fails the connection is handled first, and what the application
// sends in answer goes out before the close frame with 1002.
func TestAnswersBeforeFailure(t *testing.T) {
	for name, bad := range map[string][]byte{
		"RSV2":                     frame(true, 2, ws.OpText, []byte("x")),
		"reserved opcode":          frame(true, 0, ws.OpCode(5), nil),
		"continuation, no message": frame(true, 0, ws.OpContinuation, []byte("x")),
	} {
		t.Run(name, func(t *testing.T) {
			got := make(chan []string, 1)
			s := newTestServer(t, func(sc *serverConn) {
				sc.upgrade("")
				sc.conn.Write(append(append(frame(true, 0, ws.OpText, []byte("Hello, world!")), bad...), frame(true, 0, ws.OpPing, nil)...))
				var seen []string
				for {
					f, err := sc.readFrame()
					if err != nil {
						break
					}
					seen = append(seen, fmt.Sprintf("%v %q", f.Header.OpCode, f.Payload))
					if f.Header.OpCode == ws.OpClose {
						break
					}
				}
				got <- seen
			})
			c, err := Dial(context.Background(), s.URL, nil)
			if err != nil {
				t.Fatal(err)
			}
			h := &settler{recorder: newRecorder(), c: c}
			c.Start(h)
			want := []string{fmt.Sprintf("%v %q", ws.OpText, "Hello, world!"), fmt.Sprintf("%v %q", ws.OpClose, "\x03\xea")}
			if seen := <-got; fmt.Sprint(seen) != fmt.Sprint(want) {
				t.Errorf("server saw %q, want %q", seen, want)
			}
			if res := h.waitClosed(t); !res.Failed || res.Code != 1006 {
				t.Errorf("result %+v", res)
			}
		})
	}
}
