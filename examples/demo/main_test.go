package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"github.com/wsjs/wsjs/runtime"
)

func TestRun(t *testing.T) {
	custom := filepath.Join(t.TempDir(), "custom.js")
	if err := os.WriteFile(custom, []byte(`
const ws = new WebSocket("echo", "demo.v1");
ws.onopen = () => ws.send("from a file");
ws.onmessage = (e) => { console.log("got", e.data); ws.close(4000, "done"); };
ws.onclose = (e) => console.log("closed", e.code, e.reason);
`), 0o644); err != nil {
		t.Fatal(err)
	}
	thrower := filepath.Join(t.TempDir(), "throw.js")
	if err := os.WriteFile(thrower, []byte(`new WebSocket("/echo").close(1001)`), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		args []string
		want []string // PORT stands for the server's port
		err  string
	}{
		{
			name: "demo.ts",
			want: []string{
				`echo server listening on http://127.0.0.1:PORT/`,
				`new WebSocket("/echo"): url ws://127.0.0.1:PORT/echo, readyState 0 (CONNECTING)`,
				`send() before open throws InvalidStateError`,
				`open: protocol "demo.v1", extensions "", readyState 1 (OPEN)`,
				`text: "hello, echo"`,
				`binary as [object ArrayBuffer]: [0, 1, 2, 253, 254, 255]`,
				`binary as [object Blob]: 20 bytes, text "a Blob made of parts"`,
				`bufferedAmount after send("héllo"): 6 (é takes 2 bytes)`,
				`bufferedAmount after sending 4 MiB more: 4194310`,
				`bufferedAmount once written: 0`,
				`echoed: "héllo" and 4194304 bytes`,
				`close(1001) throws InvalidAccessError`,
				`close(1000, 124 × "x") throws SyntaxError`,
				`close(1000, "bye for now"): readyState 2 (CLOSING)`,
				`close event: code 1000, reason "bye for now", wasClean true, readyState 3 (CLOSED)`,
				`new WebSocket("/echo#fragment") throws SyntaxError`,
				`new WebSocket("ftp://127.0.0.1/") throws SyntaxError`,
				`new WebSocket("ws://[::1") throws SyntaxError`,
				`ws://127.0.0.1:PORT/missing: error event`,
				`ws://127.0.0.1:PORT/missing: close event, code 1006, wasClean false`,
				`server: handshake for /echo from origin http://127.0.0.1:PORT, subprotocol "demo.v1"`,
				`server: echoed 2 text messages (17 bytes) and 3 binary messages (4194330 bytes)`,
				`server: closing handshake: code 1000, reason "bye for now"`,
				`server: refused a handshake for /missing: 404 Not Found`,
			},
		},
		{
			name: "script argument",
			args: []string{custom},
			want: []string{
				`echo server listening on http://127.0.0.1:PORT/`,
				`got from a file`,
				`closed 4000 done`,
				`server: handshake for /echo from origin http://127.0.0.1:PORT, subprotocol "demo.v1"`,
				`server: echoed 1 text messages (11 bytes) and 0 binary messages (0 bytes)`,
				`server: closing handshake: code 4000, reason "done"`,
			},
		},
		{
			name: "uncaught exception",
			args: []string{thrower},
			want: []string{`echo server listening on http://127.0.0.1:PORT/`},
			err:  "Uncaught InvalidAccessError",
		},
		{
			name: "too many arguments",
			args: []string{"a.ts", "b.ts"},
			err:  "usage: demo [script.ts]",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			err := run(ctx, tc.args, &stdout, &stderr)
			if tc.err == "" && err != nil {
				t.Fatalf("run: %v\n%s%s", err, &stdout, &stderr)
			}
			if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("run: error %v, want one containing %q", err, tc.err)
			}
			if tc.err != "" && strings.HasPrefix(tc.err, "Uncaught") {
				var uncaught *runtime.Error
				if !errors.As(err, &uncaught) {
					t.Errorf("run: error %T, want *runtime.Error", err)
				}
			}
			got := normalizePort(stdout.String())
			if want := strings.Join(tc.want, "\n"); got != want {
				t.Errorf("output:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// normalizePort replaces the port of the first line's URL with PORT everywhere.
func normalizePort(out string) string {
	out = strings.TrimSuffix(out, "\n")
	first, _, _ := strings.Cut(out, "\n")
	const prefix = "echo server listening on http://127.0.0.1:"
	if port, ok := strings.CutPrefix(first, prefix); ok {
		out = strings.ReplaceAll(out, "127.0.0.1:"+strings.TrimSuffix(port, "/"), "127.0.0.1:PORT")
	}
	return out
}

// TestEchoServer checks the echo server with a Go client, frame by frame.
func TestEchoServer(t *testing.T) {
	tests := []struct {
		name   string
		frames []ws.Frame // sent by the client
		want   []ws.Frame // received, up to and including a close frame
		log    string     // the server's last log line
	}{
		{
			name: "fragmented text with a ping between the fragments",
			frames: []ws.Frame{
				{Header: ws.Header{OpCode: ws.OpText, Length: 4}, Payload: []byte("frag")},
				ws.NewPingFrame([]byte("p")),
				{Header: ws.Header{Fin: true, OpCode: ws.OpContinuation, Length: 6}, Payload: []byte("ments!")},
				ws.NewCloseFrame(ws.NewCloseFrameBody(3000, "bye")),
			},
			want: []ws.Frame{
				ws.NewPongFrame([]byte("p")),
				ws.NewTextFrame([]byte("fragments!")),
				ws.NewCloseFrame(ws.NewCloseFrameBody(3000, "bye")),
			},
			log: `closing handshake: code 3000, reason "bye"`,
		},
		{
			name: "binary, then a close frame without a body",
			frames: []ws.Frame{
				ws.NewBinaryFrame([]byte{0, 255}),
				ws.NewCloseFrame(nil),
			},
			want: []ws.Frame{
				ws.NewBinaryFrame([]byte{0, 255}),
				ws.NewCloseFrame(nil),
			},
			log: "closing handshake without a status code",
		},
		{
			name:   "text that is not UTF-8",
			frames: []ws.Frame{ws.NewTextFrame([]byte{0xff, 'a'})},
			want:   []ws.Frame{ws.NewCloseFrame(ws.NewCloseFrameBody(ws.StatusInvalidFramePayloadData, ""))},
			log:    "bad message: invalid utf8",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := listenEcho("127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			conn, _, _, err := ws.Dialer{Protocols: []string{echoProtocol}}.Dial(ctx, "ws://"+srv.Addr()+echoPath)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
			for _, f := range tc.frames {
				if err := ws.WriteFrame(conn, ws.MaskFrameInPlace(f)); err != nil {
					t.Fatal(err)
				}
			}
			for i, want := range tc.want {
				got, err := ws.ReadFrame(conn)
				if err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				if got.Header.OpCode != want.Header.OpCode || got.Header.Fin != want.Header.Fin || !bytes.Equal(got.Payload, want.Payload) {
					t.Errorf("frame %d: %v %q, want %v %q", i, got.Header.OpCode, got.Payload, want.Header.OpCode, want.Payload)
				}
			}
			// The server ends the connection after its close frame.
			if _, err := ws.ReadFrame(conn); err == nil {
				t.Error("a frame after the close frame")
			}
			srv.Close()
			log := srv.Log()
			if len(log) == 0 || log[len(log)-1] != tc.log {
				t.Errorf("log %q, want it to end with %q", log, tc.log)
			}
		})
	}
}

// FuzzEchoServer sends arbitrary bytes after a valid handshake: the server must answer
// with frames or end the connection, never hang or crash.
func FuzzEchoServer(f *testing.F) {
	for _, frame := range []ws.Frame{
		ws.NewTextFrame([]byte("hi")),
		ws.NewBinaryFrame([]byte{1, 2, 3}),
		ws.NewPingFrame(nil),
		ws.NewCloseFrame(ws.NewCloseFrameBody(1000, "ok")),
	} {
		var buf bytes.Buffer
		_ = ws.WriteFrame(&buf, ws.MaskFrameInPlace(frame))
		f.Add(buf.Bytes())
	}
	f.Add([]byte{0x81, 0xff, 0, 0, 0, 0, 0, 0, 0, 1})
	srv, err := listenEcho("127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	defer srv.Close()
	f.Fuzz(func(t *testing.T, data []byte) {
		conn, _, _, err := ws.Dial(context.Background(), "ws://"+srv.Addr()+echoPath)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := conn.Write(data); err != nil {
			return
		}
		// Half-close: the server sees the end of the input after data.
		_ = conn.(*net.TCPConn).CloseWrite()
		for {
			if _, _, err := wsutil.ReadServerData(conn); err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					t.Fatalf("the server neither answered nor ended the connection: %v", err)
				}
				return
			}
		}
	})
}
