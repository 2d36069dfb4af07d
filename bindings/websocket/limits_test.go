package websocket

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// TestReceiveFlowControl: a server sends 32 MiB as fast as it can while script is
// busy. The socket stops reading once about a megabyte of messages waits for script
// (TCP flow control then stalls the server's writes, so memory stays bounded), and
// every message still arrives, in order, once script catches up.
func TestReceiveFlowControl(t *testing.T) {
	const n, size = 2048, 16 << 10
	stalled := make(chan bool, 1)
	srv := newServer(t, ws.HTTPUpgrader{}, func(c net.Conn) {
		c.(*net.TCPConn).SetWriteBuffer(16 << 10)
		msg := make([]byte, size)
		var stall bool
		for i := range n {
			binary.BigEndian.PutUint32(msg, uint32(i))
			f := frm(bFin|opBinary, msg)
			// The write deadline is how the server notices that nobody reads.
			c.SetWriteDeadline(time.Now().Add(500 * time.Millisecond))
			w, err := c.Write(f)
			if errors.Is(err, os.ErrDeadlineExceeded) && !stall {
				stall = true
				stalled <- true
				c.SetWriteDeadline(time.Time{})
				_, err = c.Write(f[w:])
			}
			if err != nil {
				return
			}
		}
		if !stall {
			stalled <- false
		}
		c.SetWriteDeadline(time.Time{})
		c.Write(frm(bFin|opClose, closePayload(1000, "")))
		// Wait for the client's reply, then end the connection (RFC 6455
		// section 7.1.1, https://www.rfc-editor.org/rfc/rfc6455#section-7.1.1).
		for {
			f, err := ws.ReadFrame(c)
			if err != nil || f.Header.OpCode == ws.OpClose {
				return
			}
		}
	})
	e := newEnv(t, Options{})
	// The first message handler keeps the event loop busy until the server stalls.
	_ = e.vm.Set("waitForServerStall", func() bool {
		select {
		case s := <-stalled:
			return s
		case <-time.After(20 * time.Second):
			return false
		}
	})
	e.expect(`
		const ws = new WebSocket("`+srv.url+`");
		ws.binaryType = "arraybuffer";
		let next = 0, bad = 0;
		ws.onmessage = (ev) => {
			if (next === 0) log("server stalled " + waitForServerStall());
			if (new DataView(ev.data).getUint32(0) !== next || ev.data.byteLength !== `+strconv.Itoa(size)+`) bad++;
			next++;
		};
		ws.onclose = (ev) => log("received " + next + " out of order " + bad + ", close " + ev.code + " " + ev.wasClean);
	`, "server stalled true", "received "+strconv.Itoa(n)+" out of order 0, close 1000 true")
}

// TestMaxSockets: by default a runtime holds at most DefaultMaxSockets sockets that
// are not CLOSED; the next one fails (error, close 1006). A negative MaxSockets lifts
// the bound.
func TestMaxSocketsDefaultAndUnbounded(t *testing.T) {
	srv := newServer(t, ws.HTTPUpgrader{}, drain)
	script := func(n int) string {
		return `
			const n = ` + strconv.Itoa(n) + `, sockets = [];
			let opened = 0, failed = 0, closed = 0;
			const settle = () => {
				if (opened + failed < n) return;
				log("opened " + opened + " failed " + failed + " last failed " + (sockets[n - 1].readyState === WebSocket.CLOSED));
				for (const ws of sockets) ws.close();
			};
			for (let i = 0; i < n; i++) {
				const ws = new WebSocket("` + srv.url + `");
				sockets.push(ws);
				ws.onopen = () => { opened++; settle(); };
				ws.onerror = () => { failed++; settle(); };
			}
		`
	}
	e := newEnv(t, Options{CloseTimeout: time.Millisecond})
	e.expect(script(DefaultMaxSockets+1), "opened "+strconv.Itoa(DefaultMaxSockets)+" failed 1 last failed true")
	e = newEnv(t, Options{MaxSockets: -1, CloseTimeout: time.Millisecond})
	e.expect(script(DefaultMaxSockets+44), "opened "+strconv.Itoa(DefaultMaxSockets+44)+" failed 0 last failed false")
}

// TestScriptDeadline: the context given to the event loop is the script
// deadline. A script that never yields is interrupted when it ends, and closing
// the runtime then releases its sockets: the server sees the client go away
// (1001, RFC 6455 section 7.4.1
// (https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1)) rather than a
// connection left open.
func TestScriptDeadline(t *testing.T) {
	gone := make(chan int, 1)
	srv := newServer(t, ws.HTTPUpgrader{}, func(c net.Conn) {
		for {
			f, err := ws.ReadFrame(c)
			if err != nil {
				gone <- 0
				return
			}
			if f.Header.OpCode == ws.OpClose {
				ws.Cipher(f.Payload, f.Header.Mask, 0)
				gone <- int(binary.BigEndian.Uint16(f.Payload))
				return
			}
		}
	})
	e := newEnv(t, Options{})
	e.loop.Queue(func() {
		_, _ = e.vm.RunString(`
			const ws = new WebSocket("` + srv.url + `");
			ws.onopen = () => { for (;;) {} };
		`)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := e.loop.Run(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run: %v, want the deadline", err)
	}
	e.loop.Close()
	select {
	case code := <-gone:
		if code != 1001 {
			t.Fatalf("the server saw close code %d, want 1001", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the socket outlived the runtime")
	}
}

func TestSocketLimit(t *testing.T) {
	for _, c := range []struct{ max, want int }{{0, DefaultMaxSockets}, {5, 5}, {-1, -1}} {
		if got := (Options{MaxSockets: c.max}).SocketLimit(); got != c.want {
			t.Errorf("MaxSockets %d: SocketLimit %d, want %d", c.max, got, c.want)
		}
	}
}
