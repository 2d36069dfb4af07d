package websocketstream_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/dop251/goja"
	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/websocketstream"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

func Example() {
	// An echo server on loopback.
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
	if err := bindings.Install(bindings.NewEnv(r, loop), websocketstream.Binding); err != nil {
		panic(err)
	}
	vm.Set("print", fmt.Println)
	vm.Set("URL", "ws"+strings.TrimPrefix(srv.URL, "http"))
	loop.Queue(func() {
		_, err := vm.RunString(`(async () => {
			const wss = new WebSocketStream(URL);
			const { readable, writable } = await wss.opened;
			const writer = writable.getWriter();
			await writer.write("hello");
			await writer.write(new Uint8Array([1, 2, 3]));
			const reader = readable.getReader();
			print((await reader.read()).value);
			const { value } = await reader.read();
			print(value.constructor.name, value.join());
			wss.close({ closeCode: 1000 });
			const { closeCode } = await wss.closed;
			print("closed", closeCode);
		})().catch(e => print("error:", e));`)
		if err != nil {
			panic(err)
		}
	})
	if err := loop.Run(context.Background()); err != nil {
		panic(err)
	}
	// Output:
	// hello
	// Uint8Array 1,2,3
	// closed 1000
}
