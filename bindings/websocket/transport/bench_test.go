package transport

import (
	"bytes"
	"io"
	"sync/atomic"
	"testing"

	"github.com/gobwas/ws"
)

// benchHandler counts messages and signals when want have arrived.
type benchHandler struct {
	n    atomic.Int64
	want int64
	done chan struct{}
}

func (h *benchHandler) Message(bool, []byte) {
	if h.n.Add(1) == h.want {
		close(h.done)
	}
}
func (h *benchHandler) Sent(int)           {}
func (h *benchHandler) Closed(CloseResult) {}

func benchmarkReceive(b *testing.B, size int) {
	msg := frame(true, 0, ws.OpBinary, bytes.Repeat([]byte{'x'}, size))
	start := make(chan int)
	s := newTestServer(b, func(sc *serverConn) {
		sc.upgrade("")
		for n := range start {
			for range n {
				if _, err := sc.conn.Write(msg); err != nil {
					return
				}
			}
		}
	})
	defer close(start)
	c, err := dialConn(s)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Abort()
	h := &benchHandler{want: int64(b.N), done: make(chan struct{})}
	c.Start(h)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	start <- b.N
	<-h.done
}

func BenchmarkReceive4K(b *testing.B)  { benchmarkReceive(b, 4<<10) }
func BenchmarkReceive64K(b *testing.B) { benchmarkReceive(b, 64<<10) }
func BenchmarkReceive1M(b *testing.B)  { benchmarkReceive(b, 1<<20) }

func benchmarkSend(b *testing.B, size int) {
	done := make(chan struct{})
	var want atomic.Int64
	s := newTestServer(b, func(sc *serverConn) {
		sc.upgrade("")
		io.CopyN(io.Discard, sc.br, want.Load())
		close(done)
		readAll(sc.br)
	})
	hdr := 8
	if size > 0xffff {
		hdr = 14
	}
	want.Store(int64(b.N) * int64(size+hdr))
	c, err := Dial(b.Context(), s.URL, &Config{DisableCompression: true})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Abort()
	h := &sendHandler{progress: make(chan struct{}, 1)}
	c.Start(h)
	p := bytes.Repeat([]byte{'y'}, size)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	queued := int64(0)
	for range b.N {
		// Keep at most 8 MiB queued, as a sender that watches bufferedAmount
		// would, instead of filling the send buffer.
		for queued-h.sent.Load() > 8<<20 {
			<-h.progress
		}
		if err := c.Send(true, p); err != nil {
			b.Fatal(err)
		}
		queued += int64(size)
	}
	<-done
}

// sendHandler counts the bytes written and signals progress.
type sendHandler struct {
	benchHandler
	sent     atomic.Int64
	progress chan struct{}
}

func (h *sendHandler) Sent(n int) {
	h.sent.Add(int64(n))
	select {
	case h.progress <- struct{}{}:
	default:
	}
}

func BenchmarkSend4K(b *testing.B)  { benchmarkSend(b, 4<<10) }
func BenchmarkSend64K(b *testing.B) { benchmarkSend(b, 64<<10) }
func BenchmarkSend1M(b *testing.B)  { benchmarkSend(b, 1<<20) }

func BenchmarkReceiveCompressed4K(b *testing.B) {
	const size = 4 << 10
	d := newTestDeflater(false)
	text := bytes.Repeat([]byte("compressible text "), size/18+1)[:size]
	start := make(chan int)
	s := newTestServer(b, func(sc *serverConn) {
		sc.upgrade("Sec-WebSocket-Extensions: permessage-deflate\r\n")
		for n := range start {
			for range n {
				if _, err := sc.conn.Write(frame(true, 4, ws.OpText, d.compress(text))); err != nil {
					return
				}
			}
		}
	})
	defer close(start)
	c, err := dialConn(s)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Abort()
	h := &benchHandler{want: int64(b.N), done: make(chan struct{})}
	c.Start(h)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	start <- b.N
	<-h.done
}
