package websocket

import (
	"context"
	"net"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/gobwas/ws"

	"github.com/wsjs/wsjs/bindings/network"
)

// TestDenyPrivateNetworksFromScript: a script cannot reach a loopback server, neither
// by its address nor through a name that resolves there when dialed; the server never
// sees a handshake. The policy leaves other sockets of the runtime alone.
func TestDenyPrivateNetworksFromScript(t *testing.T) {
	var requests atomic.Int32
	srv := newServer(t, ws.HTTPUpgrader{}, func(c net.Conn) {
		requests.Add(1)
		echo(c)
	})
	u, _ := url.Parse(srv.url)
	e := newEnv(t, Options{Network: &network.Policy{
		Allow: network.DenyPrivateNetworks,
		// public.example resolves to the loopback server when dialed, as a rebinding
		// DNS answer would.
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, u.Host)
		},
	}})
	e.expect(`
		const urls = ["`+srv.url+`", "ws://public.example/", "ws://[::ffff:127.0.0.1]:`+u.Port()+`/", "ws://localhost:`+u.Port()+`/"];
		let n = 0;
		for (const url of urls) {
			const ws = new WebSocket(url);
			ws.onopen = () => log("open " + url);
			ws.onerror = () => n++;
			ws.onclose = (ev) => { if (ev.code === 1006 && !ev.wasClean && ++n === 2 * urls.length) log("all refused"); };
		}
	`, "all refused")
	if n := requests.Load(); n != 0 {
		t.Fatalf("the server saw %d handshakes", n)
	}
}
