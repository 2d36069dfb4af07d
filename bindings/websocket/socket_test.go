package websocket

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// What an open listener sends may be written before the listener returns; those bytes
// still leave bufferedAmount once written, so it is 0 when close fires.
func TestBufferedAmountOfSendInOpenListener(t *testing.T) {
	const sockets = 20
	srv := newServer(t, ws.HTTPUpgrader{}, echo)
	e := newEnv(t, Options{})
	want := strings.Split(strings.Repeat("closed 0\n", sockets), "\n")[:sockets]
	e.expect(`
		for (let i = 0; i < `+strconv.Itoa(sockets)+`; i++) {
			const ws = new WebSocket("`+srv.url+`/echo");
			ws.onopen = () => {
				ws.send("0123456789");
				// Give the transport time to write while the listener runs.
				for (const end = Date.now() + 5; Date.now() < end; );
			};
			ws.onmessage = () => ws.close();
			ws.onclose = () => log("closed " + ws.bufferedAmount);
		}
	`, want...)
}

// A connection whose handshake completes after the loop has stopped running, but before
// it is closed, is dropped by Close like any other: its task, which would have adopted
// it, never runs.
func TestCloseDropsConnectionEstablishedAfterStop(t *testing.T) {
	for i := 0; i < 20; i++ {
		upgraded, ended := make(chan struct{}), make(chan struct{})
		srv := newServer(t, ws.HTTPUpgrader{}, func(conn net.Conn) {
			close(upgraded)
			drain(conn)
			close(ended)
		})
		e := newEnv(t, Options{})
		_ = e.vm.Set("stop", e.loop.Stop)
		e.loop.Queue(func() {
			_, _ = e.vm.RunString(`new WebSocket("` + srv.url + `"); stop();`)
		})
		_ = e.loop.Run(t.Context())
		<-upgraded // the handshake is answered; the client may have read the answer
		e.loop.Close()
		select {
		case <-ended:
		case <-time.After(10 * time.Second):
			t.Fatalf("run %d: the server's connection is still open 10 s after Close", i)
		}
	}
}
