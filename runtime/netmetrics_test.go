package runtime_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gobwas/ws"

	"github.com/wsjs/wsjs/runtime"
)

// tally counts the bytes a test server reads and writes on every connection.
type tally struct{ read, written atomic.Int64 }

type tallyConn struct {
	net.Conn
	t *tally
}

func (c tallyConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.t.read.Add(int64(n))
	return n, err
}

func (c tallyConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.t.written.Add(int64(n))
	return n, err
}

type tallyListener struct {
	net.Listener
	t *tally
}

func (l tallyListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return tallyConn{c, l.t}, nil
}

// listenLoopback returns a loopback listener closed at the end of the test.
func listenLoopback(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// runWithMetrics runs src, a module that may import snap from "host:test":
// snap(label) records the runtime's metrics under label.
func runWithMetrics(t *testing.T, src string) map[string]runtime.Metrics {
	t.Helper()
	return runWithMetricsAt(t, "", src)
}

// runWithMetricsAt is runWithMetrics with baseURL as Options.BaseURL.
func runWithMetricsAt(t *testing.T, baseURL, src string) map[string]runtime.Metrics {
	t.Helper()
	var mu sync.Mutex
	got := map[string]runtime.Metrics{}
	var rt *runtime.Runtime
	rt, err := runtime.New(runtime.Options{BaseURL: baseURL, Modules: map[string]runtime.Module{"test": {
		"snap": func(label string) {
			mu.Lock()
			got[label] = rt.Metrics()
			mu.Unlock()
		},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	if err := rt.RunScript(context.Background(), "main.js", src); err != nil {
		t.Fatal(err)
	}
	got["end"] = rt.Metrics()
	return got
}

// TestMetricsWebSocket counts the bytes of a WebSocket exchange exactly, as the
// server sees them, handshake and frames, and the socket while it is open.
func TestMetricsWebSocket(t *testing.T) {
	ln := listenLoopback(t)
	type sizes struct{ request, response int64 }
	handshake := make(chan sizes, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		var n tally
		tc := tallyConn{c, &n}
		if _, err := ws.Upgrade(tc); err != nil {
			t.Error(err)
			return
		}
		handshake <- sizes{n.read.Load(), n.written.Load()}
		f, err := ws.ReadFrame(tc) // "hello", masked
		if err != nil {
			t.Error(err)
			return
		}
		f = ws.UnmaskFrameInPlace(f)
		ws.WriteFrame(tc, ws.NewTextFrame(f.Payload))
		ws.WriteFrame(tc, ws.NewCloseFrame(ws.NewCloseFrameBody(ws.StatusNormalClosure, "")))
		ws.ReadFrame(tc) // the client's answer, then the server ends the connection
	}()
	got := runWithMetrics(t, `
		import { snap } from "host:test";
		const ws = new WebSocket("ws://`+ln.Addr().String()+`/");
		ws.onopen = () => { snap("open"); ws.send("hello"); };
		ws.onmessage = (e) => { if (e.data !== "hello") throw new Error(e.data); };
		ws.onclose = (e) => { if (!e.wasClean) throw new Error("not clean"); snap("closed"); };
	`)
	hs := <-handshake
	// Client frames are masked: 2 header bytes and a 4-byte key; the server's
	// are not. The close frames carry the 2-byte code.
	wantOut := hs.request + (2 + 4 + 5) + (2 + 4 + 2)
	wantIn := hs.response + (2 + 5) + (2 + 2)
	if m := got["open"]; m.Sockets != 1 || m.BytesOut != hs.request || m.BytesIn != hs.response {
		t.Errorf("at open: %+v; want 1 socket, %d bytes out and %d in", m, hs.request, hs.response)
	}
	for _, label := range []string{"closed", "end"} {
		if m := got[label]; m.Sockets != 0 || m.BytesOut != wantOut || m.BytesIn != wantIn {
			t.Errorf("%s: %+v; want no socket, %d bytes out and %d in", label, m, wantOut, wantIn)
		}
	}
}

// TestMetricsFailedHandshake checks that a socket whose opening handshake fails
// is no longer counted when the close event fires.
func TestMetricsFailedHandshake(t *testing.T) {
	ln := listenLoopback(t)
	go http.Serve(ln, http.NotFoundHandler())
	got := runWithMetrics(t, `
		import { snap } from "host:test";
		const ws = new WebSocket("ws://`+ln.Addr().String()+`/");
		snap("connecting");
		ws.onclose = () => snap("closed");
	`)
	if m := got["closed"]; m.Sockets != 0 || m.BytesIn == 0 || m.BytesOut == 0 {
		t.Errorf("after a failed handshake: %+v", m)
	}
}

// TestMetricsFetch counts a fetch exactly as the server sees it: the bytes of
// the request, and those of the response the server has finished writing.
func TestMetricsFetch(t *testing.T) {
	ln := listenLoopback(t)
	var n tally
	idle := servedOver(t, ln, &n, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "fetched") }))
	got := runWithMetrics(t, `
		import { snap } from "host:test";
		const text = await (await fetch("http://`+ln.Addr().String()+`/")).text();
		if (text !== "fetched") throw new Error(text);
	`)
	<-idle
	if m := got["end"]; m.BytesOut != n.read.Load() || m.BytesIn != n.written.Load() || m.Sockets != 0 {
		t.Errorf("%+v; the server read %d bytes and wrote %d", m, n.read.Load(), n.written.Load())
	}
}

// servedOver serves h on ln, counting the server's bytes in n, and returns a
// channel that receives once for each response written: when its connection
// goes idle, or is closed without going idle.
func servedOver(t *testing.T, ln net.Listener, n *tally, h http.Handler) <-chan struct{} {
	done := make(chan struct{}, 16)
	var mu sync.Mutex
	last := map[net.Conn]http.ConnState{}
	srv := &http.Server{Handler: h, ConnState: func(c net.Conn, s http.ConnState) {
		mu.Lock()
		prev := last[c]
		last[c] = s
		mu.Unlock()
		if s == http.StateIdle || s == http.StateClosed && prev == http.StateActive {
			done <- struct{}{}
		}
	}}
	go srv.Serve(tallyListener{ln, n})
	t.Cleanup(func() { srv.Close() })
	return done
}

// TestMetricsWorker counts the bytes of a worker's script fetch and of the
// worker's own fetch in the metrics of the runtime that started it.
func TestMetricsWorker(t *testing.T) {
	ln := listenLoopback(t)
	var n tally
	mux := http.NewServeMux()
	mux.HandleFunc("/worker.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, `fetch("/data").then((r) => r.text()).then((t) => postMessage(t));`)
	})
	mux.HandleFunc("/data", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "from the worker") })
	written := servedOver(t, ln, &n, mux)
	got := runWithMetricsAt(t, "http://"+ln.Addr().String()+"/", `
		const w = new Worker("/worker.js");
		const text = await new Promise((resolve) => { w.onmessage = (e) => resolve(e.data); });
		w.terminate();
		if (text !== "from the worker") throw new Error(text);
	`)
	<-written
	<-written
	if m := got["end"]; m.BytesOut != n.read.Load() || m.BytesIn != n.written.Load() {
		t.Errorf("%+v; the server read %d bytes and wrote %d", m, n.read.Load(), n.written.Load())
	}
}
