package transport

import (
	"bytes"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// testMemory is a Memory of limit bytes.
type testMemory struct {
	limit int64
	used  atomic.Int64
}

func (m *testMemory) Reserve(n int64) bool {
	if m.used.Add(n) > m.limit {
		m.used.Add(-n)
		return false
	}
	return true
}

func (m *testMemory) Release(n int64) { m.used.Add(-n) }

// checkUsed checks that m's use is want: what the connection holds is given
// back before it reports Closed.
func (m *testMemory) checkUsed(t *testing.T, want int64) {
	t.Helper()
	if used := m.used.Load(); used != want {
		t.Errorf("memory used %d bytes, want %d", used, want)
	}
}

// Received messages are charged to Config.Memory (1 MiB) while they are
// assembled; one it has no room for fails the connection with 1009.
func TestMemoryReceive(t *testing.T) {
	d := newTestDeflater(false)
	tests := []struct {
		name   string
		ext    string
		frames [][]byte
		// messages is how many are delivered; code is the close code sent
		// after them, 1000 for the client's own close.
		messages int
		code     int
	}{
		{name: "messages within", frames: [][]byte{frame(true, 0, ws.OpBinary, make([]byte, 600<<10)), frame(true, 0, ws.OpText, []byte(strings.Repeat("x", 300<<10)))},
			messages: 2, code: 1000},
		{name: "message beyond", frames: [][]byte{frame(true, 0, ws.OpBinary, make([]byte, 1<<20+1))}, code: 1009},
		{name: "fragments beyond", frames: [][]byte{frame(false, 0, ws.OpText, []byte(strings.Repeat("y", 600<<10))), frame(true, 0, ws.OpContinuation, []byte(strings.Repeat("y", 600<<10)))},
			code: 1009},
		{name: "messages held beyond", frames: [][]byte{frame(true, 0, ws.OpBinary, make([]byte, 600<<10)), frame(true, 0, ws.OpBinary, make([]byte, 600<<10))},
			messages: 1, code: 1009},
		{name: "compressed within", ext: "Sec-WebSocket-Extensions: permessage-deflate\r\n",
			frames: [][]byte{frame(true, 4, ws.OpText, d.compress([]byte(strings.Repeat("z", 500<<10))))}, messages: 1, code: 1000},
		{name: "compressed beyond", ext: "Sec-WebSocket-Extensions: permessage-deflate\r\n",
			frames: [][]byte{frame(true, 4, ws.OpBinary, newTestDeflater(false).compress(make([]byte, 4<<20)))}, code: 1009},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make(chan int, 1)
			s := newTestServer(t, func(sc *serverConn) {
				sc.upgrade(tt.ext, tt.frames...)
				code, _, _ := sc.readClose()
				sc.conn.Write(frame(true, 0, ws.OpClose, closeBody(code, "")))
				got <- code
			})
			mem := &testMemory{limit: 1 << 20}
			c, r := dialStart(t, s.URL, &Config{Memory: mem})
			var held int64
			for range tt.messages {
				e := r.waitMessage(t)
				held += int64(cap(e.data))
			}
			if mem.used.Load() < held {
				t.Errorf("memory used %d bytes with %d held in messages", mem.used.Load(), held)
			}
			if tt.code == 1000 {
				c.Close(1000, "")
			}
			res := r.waitClosed(t)
			if code := <-got; code != tt.code {
				t.Errorf("close code %d, want %d", code, tt.code)
			}
			if tt.code == 1009 && (!res.Failed || res.Err == nil || !strings.Contains(res.Err.Error(), "memory budget")) {
				t.Errorf("result %+v, want a failure for the memory budget", res)
			}
			// The messages delivered are the handler's to give back.
			mem.Release(held)
			mem.checkUsed(t, 0)
		})
	}
}

// Data given to Send is charged to Config.Memory until written; a Send it
// has no room for closes the connection as a full buffer does.
func TestMemorySend(t *testing.T) {
	tests := []struct {
		name  string
		sends []int
		full  bool
	}{
		{name: "within", sends: []int{300 << 10, 300 << 10, 300 << 10, 300 << 10}},
		{name: "beyond", sends: []int{1<<20 + 1}, full: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestServer(t, func(sc *serverConn) {
				sc.upgrade("")
				sc.readClose()
				sc.conn.Write(frame(true, 0, ws.OpClose, closeBody(1000, "")))
			})
			mem := &testMemory{limit: 1 << 20}
			c, r := dialStart(t, s.URL, &Config{Memory: mem, DisableCompression: true})
			var err error
			total, written := 0, 0
			for _, n := range tt.sends {
				if err = c.Send(true, make([]byte, n)); err != nil {
					break
				}
				total += n
				// Together the sends exceed the budget: each waits until the one
				// before it is written and its charge given back.
				for written < total {
					select {
					case n := <-r.sentCh:
						written += n
					case <-time.After(waitLimit):
						t.Fatalf("%d of %d bytes written", written, total)
					}
				}
			}
			if tt.full != errors.Is(err, ErrBufferFull) {
				t.Fatalf("Send: %v", err)
			}
			if !tt.full {
				c.Close(1000, "")
			}
			if res := r.waitClosed(t); res.Failed != tt.full {
				t.Errorf("result %+v", res)
			}
			mem.checkUsed(t, 0)
		})
	}
}

// A fragmented message grows its buffer by 4 until its last frame, which makes
// its length known: then it gets a buffer of that size, unless it fits the one
// it has with at most an eighth of it unused. What is handed over is charged
// for its capacity, as every message is.
func TestFragmentedMessageBuffer(t *testing.T) {
	fragments := func(sizes ...int) (frames [][]byte, whole []byte) {
		for i, n := range sizes {
			p := bytes.Repeat([]byte{byte('a' + i)}, n)
			op := ws.OpContinuation
			if i == 0 {
				op = ws.OpBinary
			}
			frames = append(frames, frame(i == len(sizes)-1, 0, op, p))
			whole = append(whole, p...)
		}
		return frames, whole
	}
	var sixteen []int
	for range 16 {
		sixteen = append(sixteen, 64<<10)
	}
	tests := []struct {
		name    string
		sizes   []int
		wantCap int
	}{
		{"one frame", []int{3000}, 3000},
		{"last frame grows it", []int{100 << 10, 50 << 10}, 150 << 10},
		{"fits the buffer it grew to", sixteen, 1 << 20},
		{"half fills the buffer it grew to", []int{100 << 10, 100 << 10, 10}, 200<<10 + 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			frames, whole := fragments(tt.sizes...)
			s := newTestServer(t, func(sc *serverConn) {
				sc.upgrade("", frames...)
				code, _, _ := sc.readClose()
				sc.conn.Write(frame(true, 0, ws.OpClose, closeBody(code, "")))
			})
			mem := &testMemory{limit: 4 << 20}
			c, r := dialStart(t, s.URL, &Config{Memory: mem})
			e := r.waitMessage(t)
			if !bytes.Equal(e.data, whole) {
				t.Fatalf("message of %d bytes differs from the %d sent", len(e.data), len(whole))
			}
			if cap(e.data) != tt.wantCap {
				t.Errorf("capacity %d, want %d", cap(e.data), tt.wantCap)
			}
			c.Close(1000, "")
			r.waitClosed(t)
			mem.checkUsed(t, int64(cap(e.data)))
		})
	}
}
