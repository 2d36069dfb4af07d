package wstest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// A Server is a loopback HTTP server for WebSocket tests: each request goes to
// upgrade, which answers it and returns the upgraded connection with what to do
// with it (or nil, having answered with an error). Cleanup, registered on the
// test, stops the server, closes every connection and waits for their handlers.
type Server struct {
	*httptest.Server
	WS string // the server's ws: URL, without a path
}

// NewServer starts a Server.
func NewServer(t testing.TB, upgrade func(w http.ResponseWriter, r *http.Request) (net.Conn, func(net.Conn))) *Server {
	t.Helper()
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		conns  = map[net.Conn]bool{}
		closed bool
	)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, handle := upgrade(w, r)
		if conn == nil {
			return
		}
		mu.Lock()
		if closed {
			mu.Unlock()
			conn.Close()
			return
		}
		conns[conn] = true
		wg.Add(1)
		mu.Unlock()
		defer wg.Done()
		defer conn.Close()
		handle(conn)
	}))
	t.Cleanup(func() {
		hs.Close()
		mu.Lock()
		closed = true
		for c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return &Server{Server: hs, WS: "ws" + strings.TrimPrefix(hs.URL, "http")}
}
