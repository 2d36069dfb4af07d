package websocket

import (
	"encoding/binary"
	"net"
	"testing"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
)

// sendThenClose returns a server that sends messages, then a close frame
// with 1000, and reports the code of the client's close frame (0 if none
// came) on got.
func sendThenClose(messages []ws.Frame, got chan<- int) func(net.Conn) {
	return func(conn net.Conn) {
		defer conn.Close()
		for _, f := range messages {
			if ws.WriteFrame(conn, f) != nil {
				break
			}
		}
		_ = ws.WriteFrame(conn, ws.NewCloseFrame(ws.NewCloseFrameBody(1000, "")))
		code := 0
		for {
			f, err := ws.ReadFrame(conn)
			if err != nil {
				break
			}
			if f.Header.OpCode == ws.OpClose {
				f = ws.UnmaskFrameInPlace(f)
				if len(f.Payload) >= 2 {
					code = int(binary.BigEndian.Uint16(f.Payload))
				}
				break
			}
		}
		got <- code
	}
}

// frames returns n binary or text frames of size bytes.
func frames(n, size int, text bool) []ws.Frame {
	fs := make([]ws.Frame, n)
	for i := range fs {
		if text {
			fs[i] = ws.NewTextFrame(make([]byte, size))
		} else {
			fs[i] = ws.NewBinaryFrame(make([]byte, size))
		}
	}
	return fs
}

// The bytes of received messages are charged to the memory budget (1 MiB)
// while assembled and queued, and those of ArrayBuffers and Blobs until
// collected: a server that sends more than the budget has room for fails the
// connection with 1009, and script sees error, then close with 1006.
func TestMemoryBudget(t *testing.T) {
	const script = `var kept = [];
ws.onmessage = (e) => { if (keep) kept.push(e.data); n++ };
ws.onerror = () => log("error");
ws.onclose = (e) => log("close " + e.code + " " + e.wasClean + " " + (n >= min));`
	cases := []struct {
		name     string
		messages []ws.Frame
		src      string // run once open; keep and min are set here
		sent     int    // the code of the client's close frame
		log      []string
	}{
		{name: "one message beyond the budget", messages: frames(1, 2<<20, false),
			src: `keep = false, min = 0`, sent: 1009, log: []string{"error", "close 1006 false true"}},
		{name: "ArrayBuffers kept beyond the budget", messages: frames(20, 100<<10, false),
			src: `ws.binaryType = "arraybuffer"; keep = true, min = 5`, sent: 1009, log: []string{"error", "close 1006 false true"}},
		{name: "Blobs kept beyond the budget", messages: frames(20, 100<<10, false),
			src: `keep = true, min = 5`, sent: 1009, log: []string{"error", "close 1006 false true"}},
		{name: "ArrayBuffers dropped", messages: frames(8, 100<<10, false),
			src: `ws.binaryType = "arraybuffer"; keep = false, min = 8`, sent: 1000, log: []string{"close 1000 true true"}},
		{name: "strings kept", messages: frames(20, 100<<10, true),
			src: `keep = true, min = 20`, sent: 1000, log: []string{"close 1000 true true"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := make(chan int, 1)
			s := newServer(t, ws.HTTPUpgrader{}, sendThenClose(c.messages, got))
			budget := bindings.NewBudget(1 << 20)
			e := newEnvWith(t, Options{DisableCompression: true}, budget)
			e.expect(`var n = 0, keep, min; const ws = new WebSocket("`+s.url+`"); ws.onopen = () => { `+c.src+` };`+script, c.log...)
			if code := <-got; code != c.sent {
				t.Errorf("the client's close frame had %d, want %d", code, c.sent)
			}
			e.expect(`kept = null`, c.log...)
			jstest.WaitUsed(t, budget, 0)
		})
	}
}

// send() beyond the memory budget is as send() beyond the send buffer: the
// connection closes, and script sees error, then close with 1006. The messages
// are strings: the budget also holds the typed arrays of the built-ins
// (installed for streams), which would leave no room for Uint8Arrays of these
// sizes in the first place.
func TestMemoryBudgetSend(t *testing.T) {
	cases := []struct {
		name string
		src  string
		log  []string
	}{
		{name: "within", src: `for (let i = 0; i < 8; i++) ws.send("x".repeat(100 << 10)); ws.close()`,
			log: []string{"close 1005 true"}},
		{name: "beyond", src: `ws.send("x".repeat(2 << 20))`, log: []string{"error", "close 1006 false"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newServer(t, ws.HTTPUpgrader{}, echoClose)
			budget := bindings.NewBudget(1 << 20)
			e := newEnvWith(t, Options{DisableCompression: true}, budget)
			e.expect(`const ws = new WebSocket("`+s.url+`"); ws.onopen = () => { `+c.src+` };
ws.onerror = () => log("error"); ws.onclose = (e) => log("close " + e.code + " " + e.wasClean);`, c.log...)
			jstest.WaitUsed(t, budget, 0)
		})
	}
}

// echoClose discards data frames and answers a close frame with one.
func echoClose(conn net.Conn) {
	defer conn.Close()
	for {
		data, op, err := wsutil.ReadClientData(conn)
		if err != nil {
			return
		}
		if op == ws.OpClose {
			_ = wsutil.WriteServerMessage(conn, ws.OpClose, data)
			return
		}
	}
}
