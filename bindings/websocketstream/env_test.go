package websocketstream

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/gobwas/ws"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/wstest"
	"github.com/wsjs/wsjs/bindings/websocket"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// env is a runtime with an event loop and the interfaces WebSocketStream needs, with a
// log of uncaught errors and unhandled rejections.
type env struct {
	t     *testing.T
	vm    *goja.Runtime
	realm *webidl.Realm
	loop  *eventloop.Loop

	mu       sync.Mutex
	reported []string
}

func newEnv(t *testing.T, opts websocket.Options) *env {
	t.Helper()
	return newEnvWith(t, opts, nil)
}

// newEnvWith is newEnv for a realm whose cluster has memory as its budget.
func newEnvWith(t *testing.T, opts websocket.Options, memory *bindings.Budget) *env {
	t.Helper()
	e := &env{t: t, vm: goja.New()}
	e.realm = webidl.NewRealm(e.vm)
	e.loop = eventloop.New(e.vm, eventloop.Options{
		OnException: func(exc *goja.Exception) { e.report("uncaught: " + exc.Error()) },
		OnUnhandledRejection: func(p *goja.Promise) {
			e.report(fmt.Sprintf("unhandled rejection: %v", p.Result()))
		},
	})
	t.Cleanup(e.loop.Close)
	benv := bindings.NewEnv(e.realm, e.loop)
	benv.Cluster.Memory = memory
	bindings.Configure(benv, opts)
	if err := bindings.Install(benv, Binding); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) report(s string) {
	e.mu.Lock()
	e.reported = append(e.reported, s)
	e.mu.Unlock()
}

// run runs src, the body of an async function, on the loop and returns the string its
// promise fulfills with, or "rejected: <name>: <message>". Uncaught errors and
// unhandled rejections fail the test.
func (e *env) run(src string) string {
	e.t.Helper()
	result := make(chan string, 1)
	e.vm.Set("__done", func(s string) { result <- s })
	e.loop.Queue(func() {
		_, err := e.vm.RunString("(async () => {\n" + src + "\n})().then(v => __done(String(v)), e => __done('rejected: ' + (e && e.name ? e.name + ': ' + e.message : String(e))));")
		if err != nil {
			result <- "script error: " + err.Error()
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	runErr := make(chan error, 1)
	go func() { runErr <- e.loop.Run(ctx) }()
	var got string
	select {
	case got = <-result:
		e.loop.Stop()
		<-runErr
	case err := <-runErr:
		select {
		case got = <-result:
		default:
			e.t.Fatalf("the loop ended without a result: %v", err)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.reported) > 0 {
		e.t.Errorf("reported: %s", strings.Join(e.reported, "; "))
	}
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
