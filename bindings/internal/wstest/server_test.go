package wstest

import (
	"context"
	"net"
	"net/http"
	"testing"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

// The server upgrades, runs the handler, and its cleanup waits for the handler
// to return.
func TestServer(t *testing.T) {
	handlerDone := make(chan struct{})
	var s *Server
	t.Run("serve", func(t *testing.T) {
		s = NewServer(t, func(w http.ResponseWriter, r *http.Request) (net.Conn, func(net.Conn)) {
			conn, _, _, err := ws.UpgradeHTTP(r, w)
			if err != nil {
				return nil, nil
			}
			return conn, func(c net.Conn) {
				defer close(handlerDone)
				for {
					msg, op, err := wsutil.ReadClientData(c)
					if err != nil {
						return
					}
					_ = wsutil.WriteServerMessage(c, op, msg)
				}
			}
		})
		c, _, _, err := ws.Dial(context.Background(), s.WS+"/x")
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := wsutil.WriteClientText(c, []byte("hi")); err != nil {
			t.Fatal(err)
		}
		if msg, err := wsutil.ReadServerText(c); err != nil || string(msg) != "hi" {
			t.Fatalf("echo %q, %v", msg, err)
		}
	})
	select {
	case <-handlerDone:
	default:
		t.Fatal("the handler was still running after the cleanup")
	}
}
