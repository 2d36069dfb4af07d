package websocket

import (
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
		// Wait for the client's reply, then end the connection (RFC 6455 §7.1.1).
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
