package websocket

import (
	"context"
	"io"
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
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/internal/jstest"
	"github.com/wsjs/wsjs/bindings/internal/wstest"
	"github.com/wsjs/wsjs/eventloop"
	"github.com/wsjs/wsjs/webidl"
)

// env is a realm with events, Blob and WebSocket on an event loop; scripts record lines
// with log(...).
type env struct {
	t     *testing.T
	vm    *goja.Runtime
	realm *webidl.Realm
	loop  *eventloop.Loop

	mu     sync.Mutex
	lines  []string
	errors []string
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	return newEnvWith(t, opts, nil)
}

// newEnvWith is newEnv for a realm whose cluster has memory as its budget.
func newEnvWith(t *testing.T, opts Options, memory *bindings.Budget) *env {
	t.Helper()
	e := &env{t: t}
	benv := jstest.New(t, jstest.Options{Loop: eventloop.Options{
		OnException: func(exc *goja.Exception) {
			e.mu.Lock()
			e.errors = append(e.errors, exc.Error())
			e.mu.Unlock()
		},
		OnUnhandledRejection: func(p *goja.Promise) {
			e.mu.Lock()
			e.errors = append(e.errors, "in promise: "+p.Result().String())
			e.mu.Unlock()
			e.loop.Stop()
		},
	}})
	e.vm, e.realm, e.loop = benv.Loop.VM(), benv.Realm, benv.Loop
	benv.Cluster.Memory = memory
	bindings.Configure(benv, opts)
	jstest.Install(t, benv, Binding)
	if err := events.InstallGlobal(e.realm); err != nil {
		t.Fatal(err)
	}
	_ = e.vm.Set("log", func(s string) {
		e.mu.Lock()
		e.lines = append(e.lines, s)
		e.mu.Unlock()
	})
	return e
}

// run runs src and the event loop until nothing is left, and returns the lines logged.
func (e *env) run(src string) []string {
	e.t.Helper()
	e.loop.Queue(func() {
		_, _ = e.loop.RunProgram(goja.MustCompile("test.js", src, false))
	})
	// A guard against hangs, not a measure of speed: the 16 MiB cases take
	// 11-18 s under the race detector on a loaded 2-core machine.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := e.loop.Run(ctx); err != nil {
		e.t.Fatalf("Run: %v (lines so far %q)", err, e.got())
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.errors) > 0 {
		e.t.Fatalf("uncaught: %q (lines %q)", e.errors, e.lines)
	}
	return append([]string(nil), e.lines...)
}

func (e *env) got() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.lines...)
}

func (e *env) expect(src string, want ...string) {
	e.t.Helper()
	got := e.run(src)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		e.t.Fatalf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// server is a WebSocket server on loopback whose connections run handle after the
// upgrade.
type server struct {
	*httptest.Server
	url string
}

func newServer(t *testing.T, up ws.HTTPUpgrader, handle func(conn net.Conn)) *server {
	t.Helper()
	s := wstest.NewServer(t, func(w http.ResponseWriter, r *http.Request) (net.Conn, func(net.Conn)) {
		conn, _, _, err := up.Upgrade(r, w)
		if err != nil {
			return nil, nil
		}
		return conn, handle
	})
	return &server{Server: s.Server, url: s.WS}
}

// echo answers every data frame with the same frame, pings with pongs, and a
// close frame with the same close frame, as RFC 6455 section 5.5.1
// (https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1) has endpoints do.
func echo(conn net.Conn) {
	for {
		h, err := ws.ReadHeader(conn)
		if err != nil {
			return
		}
		p := make([]byte, h.Length)
		if _, err := io.ReadFull(conn, p); err != nil {
			return
		}
		if h.Masked {
			ws.Cipher(p, h.Mask, 0)
		}
		h.Masked = false
		switch h.OpCode {
		case ws.OpPing:
			h.OpCode = ws.OpPong
		case ws.OpPong:
			continue
		}
		if err := ws.WriteHeader(conn, h); err != nil {
			return
		}
		if _, err := conn.Write(p); err != nil || h.OpCode == ws.OpClose {
			return
		}
	}
}

// drain reads until the connection ends.
func drain(conn net.Conn) { _, _ = io.Copy(io.Discard, conn) }
