package websocketstream

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/gobwas/ws"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/bindings/internal/wstest"
	"github.com/wsjs/wsjs/bindings/websocket"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// env is a runtime with an event loop and the interfaces WebSocketStream needs, with a
// log of uncaught errors and unhandled rejections.
type env struct {
	t        *testing.T
	vm       *goja.Runtime
	realm    *webidl.Realm
	loop     *eventloop.Loop
	reported jstest.Reported
}

func newEnv(t *testing.T, opts websocket.Options) *env {
	t.Helper()
	return newEnvWith(t, opts, nil)
}

// newEnvWith is newEnv for a realm whose cluster has memory as its budget.
func newEnvWith(t *testing.T, opts websocket.Options, memory *bindings.Budget) *env {
	t.Helper()
	e := &env{t: t}
	benv := jstest.New(t, jstest.Options{Loop: e.reported.LoopOptions()})
	e.vm, e.realm, e.loop = benv.Loop.VM(), benv.Realm, benv.Loop
	benv.Cluster.Memory = memory
	bindings.Configure(benv, opts)
	jstest.Install(t, benv, Binding)
	return e
}

// run runs src, the body of an async function, on the loop and returns the string its
// promise fulfills with, or "rejected: <name>: <message>". Uncaught errors and
// unhandled rejections fail the test.
func (e *env) run(src string) string {
	e.t.Helper()
	got := jstest.Script{}.Await(e.t, e.loop, src)
	e.reported.Check(e.t)
	return got
}

// expect runs src and checks its result.
func (e *env) expect(src, want string) {
	e.t.Helper()
	if got := e.run(src); got != want {
		e.t.Errorf("got %q, want %q", got, want)
	}
}

// server is a WebSocket server on loopback: handle runs for each upgraded connection
// whose request path it was registered for.
type server struct {
	*httptest.Server
	url string // ws://127.0.0.1:port
}

func newServer(t *testing.T, handlers map[string]func(conn net.Conn)) *server {
	t.Helper()
	return newServerWith(t, handlers, nil)
}

// newServerWith is newServer with onRequest called for every request first.
func newServerWith(t *testing.T, handlers map[string]func(conn net.Conn), onRequest func(*http.Request)) *server {
	t.Helper()
	s := wstest.NewServer(t, func(w http.ResponseWriter, r *http.Request) (net.Conn, func(net.Conn)) {
		if onRequest != nil {
			onRequest(r)
		}
		handle, ok := handlers[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return nil, nil
		}
		up := ws.HTTPUpgrader{}
		if p := r.Header.Get("Sec-WebSocket-Protocol"); p != "" {
			first, _, _ := strings.Cut(p, ",")
			up.Protocol = func(s string) bool { return s == strings.TrimSpace(first) }
		}
		conn, _, _, err := up.Upgrade(r, w)
		if err != nil {
			return nil, nil
		}
		return conn, handle
	})
	return &server{Server: s.Server, url: s.WS}
}

// readFrame reads the client's next control frame or whole message, unmasked.
// It keeps nothing between calls: the tests that use it send no control frame
// between the fragments of a message.
func readFrame(conn net.Conn) (ws.Header, []byte, error) {
	f, err := wstest.NewReader(conn).Next()
	return f.Header, f.Payload, err
}

// writeFrame writes a server frame.
func writeFrame(conn net.Conn, op ws.OpCode, p []byte) error {
	return ws.WriteFrame(conn, ws.NewFrame(op, true, p))
}

// echo answers every data frame with the same frame, and a close frame with the same
// close frame.
func echo(conn net.Conn) {
	for {
		h, p, err := readFrame(conn)
		if err != nil {
			return
		}
		switch h.OpCode {
		case ws.OpPing:
			h.OpCode = ws.OpPong
		case ws.OpPong:
			continue
		}
		if err := writeFrame(conn, h.OpCode, p); err != nil || h.OpCode == ws.OpClose {
			return
		}
	}
}

// closeBody is the payload of a close frame.
func closeBody(code int, reason string) []byte {
	return ws.NewCloseFrameBody(ws.StatusCode(code), reason)
}
