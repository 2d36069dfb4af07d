package transport_test

import (
	"context"
	"fmt"
	"net"
	"net/url"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"github.com/wsjs/wsjs/bindings/websocket/transport"
)

// printer receives the connection's events.
type printer struct{ done chan struct{} }

func (p printer) Message(binary bool, data []byte) { fmt.Printf("message: %s\n", data) }
func (p printer) Sent(n int)                       {}
func (p printer) Closed(r transport.CloseResult) {
	fmt.Printf("closed: clean=%v code=%d reason=%q\n", r.WasClean, r.Code, r.Reason)
	close(p.done)
}

func Example() {
	// An echo server on loopback.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		if _, err := ws.Upgrade(conn); err != nil {
			return
		}
		for {
			msg, op, err := wsutil.ReadClientData(conn)
			if err != nil {
				return // the close frame was answered by wsutil
			}
			wsutil.WriteServerMessage(conn, op, msg)
		}
	}()

	u := &url.URL{Scheme: "ws", Host: ln.Addr().String(), Path: "/echo"}
	c, err := transport.Dial(context.Background(), u, nil)
	if err != nil {
		panic(err)
	}
	p := printer{done: make(chan struct{})}
	c.Start(p) // an event loop would announce the open connection first
	c.SendText("hello")
	c.Close(1000, "done")
	<-p.done
	// Output:
	// message: hello
	// closed: clean=true code=1000 reason=""
}
