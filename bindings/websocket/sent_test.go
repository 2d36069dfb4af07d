package websocket

import (
	"strconv"
	"strings"
	"testing"

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
