package websocketstream

import (
	"encoding/binary"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/bindings/websocket"
)

// sendThenClose returns a server that sends n messages of size bytes, then
// a close frame with 1000, and reports the code of the client's close frame
// (0 if none came) on got.
func sendThenClose(n, size int, op ws.OpCode, got chan<- int) func(net.Conn) {
	return func(conn net.Conn) {
		defer conn.Close()
		for range n {
			if writeFrame(conn, op, make([]byte, size)) != nil {
				break
			}
		}
		_ = writeFrame(conn, ws.OpClose, closeBody(1000, ""))
		code := 0
		for {
			h, p, err := readFrame(conn)
			if err != nil {
				break
			}
			if h.OpCode == ws.OpClose {
				if len(p) >= 2 {
					code = int(binary.BigEndian.Uint16(p))
				}
				break
			}
		}
		got <- code
	}
}

// What a WebSocketStream receives is charged to the memory budget (1 MiB)
// while it waits to be read, and a chunk's bytes until collected: a server
// that sends more than that fails the connection with 1009, which errors the
// streams with a WebSocketError of closeCode 1006.
func TestMemoryBudget(t *testing.T) {
	const read = `
const s = new WebSocketStream(URL);
const { readable } = await s.opened;
const reader = readable.getReader();
globalThis.kept = [];
let n = 0;
try { for (;;) { const { value, done } = await reader.read(); if (done) break; kept.push(value); n++ } }
catch (e) { n = e.name + " after " + (n >= MIN) }
const code = await s.closed.then((c) => c.closeCode, (e) => e.closeCode);
return n + " " + code;`
	cases := []struct {
		name      string
		n, size   int
		op        ws.OpCode
		min, want string
		sent      int
	}{
		{name: "one message beyond", n: 1, size: 2 << 20, op: ws.OpBinary, min: "0", want: "WebSocketError after true 1006", sent: 1009},
		{name: "chunks kept beyond", n: 20, size: 100 << 10, op: ws.OpBinary, min: "5", want: "WebSocketError after true 1006", sent: 1009},
		{name: "strings kept", n: 20, size: 100 << 10, op: ws.OpText, min: "20", want: "20 1000", sent: 1000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := make(chan int, 1)
			s := newServer(t, map[string]func(net.Conn){"/": sendThenClose(c.n, c.size, c.op, got)})
			budget := bindings.NewBudget(1 << 20)
			e := newEnvWith(t, websocket.Options{DisableCompression: true}, budget)
			src := replace(read, "URL", `"`+s.url+`/"`, "MIN", c.min)
			e.expect(src, c.want)
			select {
			case code := <-got:
				if code != c.sent {
					t.Errorf("the client's close frame had %d, want %d", code, c.sent)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the server did not see the connection end")
			}
			e.expect(`kept = null; return "dropped"`, "dropped")
			jstest.WaitUsed(t, budget, 0)
		})
	}
}

// A write the budget has no room for closes the connection as one beyond
// the send buffer does. The message is a string: the budget, which also holds
// the typed arrays of the built-ins (installed for streams), would have no room
// for a Uint8Array of its size in the first place.
func TestMemoryBudgetWrite(t *testing.T) {
	s := newServer(t, map[string]func(net.Conn){"/": echo})
	budget := bindings.NewBudget(1 << 20)
	e := newEnvWith(t, websocket.Options{DisableCompression: true}, budget)
	e.expect(`const s = new WebSocketStream("`+s.url+`/");
const { writable } = await s.opened;
const w = writable.getWriter();
await w.write(new Uint8Array(100 << 10));
const r = await w.write("x".repeat(2 << 20)).then(() => "written", (e) => e.name);
return r + " " + await s.closed.then((c) => c.closeCode, (e) => e.closeCode);`, "WebSocketError 1006")
	jstest.WaitUsed(t, budget, 0)
}

// replace replaces each old string with its new one, in pairs.
func replace(s string, pairs ...string) string {
	for i := 0; i < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
	}
	return s
}
