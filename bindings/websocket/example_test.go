package websocket_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"

	"github.com/dop251/goja"
	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/bindings/websocket"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// Register installs WebSocket in a runtime whose network policy lets scripts reach
// loopback only; a script talks to an echo server there.
func ExampleRegister() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, _, err := ws.UpgradeHTTP(r, w)
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			msg, op, err := wsutil.ReadClientData(conn)
			if err != nil {
				return
			}
			if err := wsutil.WriteServerMessage(conn, op, msg); err != nil {
				return
			}
		}
	}))
	defer srv.Close()

	vm := goja.New()
	r := webidl.NewRealm(vm)
	loop := eventloop.New(vm, eventloop.Options{})
	defer loop.Close()
	env := bindings.NewEnv(r, loop)
	bindings.Configure(env, websocket.Options{
		MaxSockets: 4,
		Network: &network.Policy{
			Allow: func(u *url.URL, addr netip.AddrPort) error {
				if addr.IsValid() && !addr.Addr().IsLoopback() {
					return errors.New("loopback only")
				}
				return nil
			},
		},
	})
	for _, err := range []error{
		bindings.Install(env, websocket.Binding), // events and blob first

		vm.Set("print", fmt.Println),
		vm.Set("URL", "ws"+strings.TrimPrefix(srv.URL, "http")),
	} {
		if err != nil {
			panic(err)
		}
	}
	loop.Queue(func() {
		_, err := vm.RunString(`
			const socket = new WebSocket(URL);
			socket.onopen = () => socket.send("hello");
			socket.onmessage = (ev) => { print(ev.data); socket.close(1000); };
			socket.onclose = (ev) => print("closed", ev.code, ev.wasClean);`)
		if err != nil {
			panic(err)
		}
	})
	if err := loop.Run(context.Background()); err != nil {
		panic(err)
	}
	// Output:
	// hello
	// closed 1000 true
}
