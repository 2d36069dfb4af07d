package websocketstream

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobwas/ws"

	"github.com/wsjs/wsjs/bindings/internal/wstest"
	"github.com/wsjs/wsjs/bindings/network"
	"github.com/wsjs/wsjs/bindings/websocket"
)

func TestWebSocketError(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"defaults", `const e = new WebSocketError();
			return [e.code, e.name, JSON.stringify(e.message), e.closeCode, JSON.stringify(e.reason), e instanceof DOMException, e instanceof Error].join()`,
			`0,WebSocketError,"",,"",true,true`},
		{"arguments", `const e = new WebSocketError("m", { closeCode: 3456, reason: "r" });
			return [e.message, e.closeCode, e.reason, String(e)].join()`, "m,3456,r,WebSocketError: m"},
		{"reason defaults the code", `return new WebSocketError("", { reason: "x" }).closeCode`, "1000"},
		{"code alone", `const e = new WebSocketError("", { closeCode: 1000 }); return e.closeCode + JSON.stringify(e.reason)`, `1000""`},
		{"invalid codes", `return [999, 1001, 2999, 5000].map(c => { try { new WebSocketError("", { closeCode: c }); return "no" } catch (e) { return e.name } }).join()`,
			"InvalidAccessError,InvalidAccessError,InvalidAccessError,InvalidAccessError"},
		{"code out of range", `try { new WebSocketError("", { closeCode: 70000 }); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"reason too long in UTF-8", `try { new WebSocketError("", { reason: "🔌".repeat(31) }); return "no" } catch (e) { return e.name }`, "SyntaxError"},
		{"reason of 123 bytes", `return new WebSocketError("", { reason: "x".repeat(123) }).reason.length`, "123"},
		{"interface", `const d = Object.getOwnPropertyDescriptor(WebSocketError.prototype, "closeCode");
			return [Object.getPrototypeOf(WebSocketError) === DOMException, Object.getPrototypeOf(WebSocketError.prototype) === DOMException.prototype,
				typeof d.get, WebSocketError.length, String(Object.prototype.toString.call(new WebSocketError()))].join()`,
			"true,true,function,0,[object WebSocketError]"},
		{"brand check", `try { Object.getOwnPropertyDescriptor(WebSocketError.prototype, "reason").get.call(new DOMException()); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"subclass", `class E extends WebSocketError {}; const e = new E("x", { closeCode: 4000 }); return (e instanceof E) + " " + e.closeCode + " " + e.message`, "true 4000 x"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			newEnv(t, websocket.Options{}).expect(c.src, c.want)
		})
	}
}

func TestConstructor(t *testing.T) {
	s := newServer(t, map[string]func(net.Conn){"/echo": echo})
	cases := []struct{ name, src, want string }{
		{"no URL", `try { new WebSocketStream(); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"invalid URL", `try { new WebSocketStream("invalid:"); return "no" } catch (e) { return e.name }`, "SyntaxError"},
		{"fragment", `try { new WebSocketStream(URL + "#x"); return "no" } catch (e) { return e.name }`, "SyntaxError"},
		{"invalid options", `try { new WebSocketStream(URL, true); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"protocols not a sequence", `try { new WebSocketStream(URL, { protocols: "hi" }); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"repeated protocols", `try { new WebSocketStream(URL, { protocols: ["a", "A"] }); return "no" } catch (e) { return e.name }`, "SyntaxError"},
		{"bad signal", `try { new WebSocketStream(URL, { signal: {} }); return "no" } catch (e) { return e.name }`, "TypeError"},
		{"url and types", `const wss = new WebSocketStream(URL.replace("ws:", "http:"));
			const info = await wss.opened;
			ReadableStream.prototype.getReader.call(info.readable); WritableStream.prototype.getWriter.call(info.writable);
			wss.close();
			return [wss.url === URL, Object.keys(info).join(), typeof info.protocol, typeof info.extensions, wss.opened === wss.opened].join()`,
			"true,extensions,protocol,readable,writable,string,string,true"},
		{"interface", `return [WebSocketStream.length, typeof Object.getOwnPropertyDescriptor(WebSocketStream.prototype, "opened").get,
			WebSocketStream.prototype.close.length].join()`, "1,function,0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, websocket.Options{})
			e.vm.Set("URL", s.url+"/echo")
			e.expect(c.src, c.want)
		})
	}
}

func TestEchoAndClose(t *testing.T) {
	s := newServer(t, map[string]func(net.Conn){"/echo": echo})
	cases := []struct{ name, src, want string }{
		{"text and binary", `const wss = new WebSocketStream(URL); const { readable, writable } = await wss.opened;
			const w = writable.getWriter(), r = readable.getReader();
			await w.write("héllo"); await w.write(new Uint8Array([1, 2, 3]).buffer); await w.write(new Uint16Array([0x0201]));
			const a = await r.read(), b = await r.read(), c = await r.read();
			wss.close({ closeCode: 3456, reason: "pizza" }); const closed = await wss.closed;
			return [a.value, b.value instanceof Uint8Array, Array.from(b.value), Array.from(c.value), closed.closeCode, closed.reason].join(" ")`,
			"héllo true 1,2,3 1,2 3456 pizza"},
		{"close without arguments", `const wss = new WebSocketStream(URL); await wss.opened; wss.close();
			const c = await wss.closed; return c.closeCode + " " + JSON.stringify(c.reason) + " " + Object.keys(c).join()`, `1005 "" closeCode,reason`},
		{"reason without code", `const wss = new WebSocketStream(URL); await wss.opened; wss.close({ reason: "r" });
			const c = await wss.closed; return c.closeCode + " " + c.reason`, "1000 r"},
		{"close argument errors", `const wss = new WebSocketStream(URL); await wss.opened; const out = [];
			for (const arg of [true, { closeCode: 1001 }, { reason: ".".repeat(124) }, { closeCode: -1 }]) {
				try { wss.close(arg); out.push("no") } catch (e) { out.push(e.name) } }
			wss.close(); await wss.closed; return out.join()`, "TypeError,InvalidAccessError,SyntaxError,TypeError"},
		{"closing the writable", `const wss = new WebSocketStream(URL); const { writable } = await wss.opened;
			await writable.getWriter().close(); const c = await wss.closed; return c.closeCode`, "1005"},
		{"readable and writable after a clean close", `const wss = new WebSocketStream(URL); const { readable, writable } = await wss.opened;
			wss.close(); await wss.closed;
			return (await readable.getReader().read()).done + " " + await writable.getWriter().ready.catch(e => e.name)`, "true InvalidStateError"},
		{"cancel with a WebSocketError", `const wss = new WebSocketStream(URL); const { readable } = await wss.opened;
			readable.cancel(new WebSocketError("", { closeCode: 3333, reason: "set" })); const c = await wss.closed;
			return c.closeCode + " " + c.reason`, "3333 set"},
		{"abort with a WebSocketError", `const wss = new WebSocketStream(URL); const { writable } = await wss.opened;
			writable.abort(new WebSocketError("", { reason: "specified" })); const c = await wss.closed;
			return c.closeCode + " " + c.reason`, "1000 specified"},
		{"abort with another reason", `const wss = new WebSocketStream(URL); const { writable } = await wss.opened;
			const e = new DOMException("yes", "DataCloneError"); e.closeCode = 1000; e.reason = "ignored";
			writable.abort(e); const c = await wss.closed; return c.closeCode + JSON.stringify(c.reason)`, `1005""`},
		{"write after close", `const wss = new WebSocketStream(URL); const { writable } = await wss.opened;
			const w = writable.getWriter(); wss.close(); const r = await w.write("late").then(() => "resolved", e => e.name);
			await wss.closed; return r`, "resolved"},
		{"bad chunk", `const wss = new WebSocketStream(URL); const { writable } = await wss.opened;
			const w = writable.getWriter(); const r = await w.write({ toString() { throw new RangeError("no") } }).catch(e => e.name);
			wss.close(); await wss.closed.catch(() => {}); return r`, "RangeError"},
		{"close during handshake", `const wss = new WebSocketStream(URL); wss.close();
			const [a, b] = await Promise.all([wss.opened.catch(e => e), wss.closed.catch(e => e)]);
			return (a.constructor === WebSocketError) + " " + (b.constructor === WebSocketError) + " " + b.closeCode`, "true true 1006"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, websocket.Options{})
			e.vm.Set("URL", s.url+"/echo")
			e.expect(c.src, c.want)
		})
	}
}

// unwritten writes 20 MB and reports how closed and the write settle.
const unwritten = `const wss = new WebSocketStream(URL, { protocols: [] }); const { writable } = await wss.opened;
	const write = writable.getWriter().write(new Uint8Array(20 << 20));
	const e = await wss.closed.then(() => "resolved", e => e); const w = await write.then(() => "resolved", x => x);
	return [e.constructor === WebSocketError, e.closeCode, e.reason, w === e].join()`

func TestRemoteClose(t *testing.T) {
	s := newServer(t, map[string]func(net.Conn){
		"/clean": func(conn net.Conn) {
			_ = writeFrame(conn, ws.OpText, []byte("last"))
			_ = writeFrame(conn, ws.OpClose, closeBody(4000, "robot"))
			for {
				h, _, err := readFrame(conn)
				if err != nil || h.OpCode == ws.OpClose {
					return
				}
			}
		},
		"/abrupt": func(conn net.Conn) {},
		// Closes at once; the client's data frames are read until its close frame.
		"/close-now": func(conn net.Conn) {
			_ = writeFrame(conn, ws.OpClose, closeBody(4567, "now"))
			r := wstest.NewReader(conn)
			for {
				if f, err := r.Frame(); err != nil || f.Header.OpCode == ws.OpClose {
					return
				}
			}
		},
		// Closes once the first fragment of a long message has arrived.
		"/close-during-write": func(conn net.Conn) {
			r := wstest.NewReader(conn)
			if _, err := r.Frame(); err != nil {
				return
			}
			_ = writeFrame(conn, ws.OpClose, closeBody(4567, "during"))
			for {
				if f, err := r.Frame(); err != nil || f.Header.OpCode == ws.OpClose {
					return
				}
			}
		},
		"/protocol": func(conn net.Conn) {
			_ = writeFrame(conn, ws.OpText, []byte("hi"))
			echo(conn)
		},
	})
	cases := []struct{ path, src, want string }{
		{"/clean", `const wss = new WebSocketStream(URL); const { readable } = await wss.opened;
			const c = await wss.closed; const r = readable.getReader();
			return c.closeCode + " " + c.reason + " " + (await r.read()).value + " " + (await r.read()).done`, "4000 robot last true"},
		{"/abrupt", `const wss = new WebSocketStream(URL); const { readable, writable } = await wss.opened;
			const e = await wss.closed.then(() => "resolved", e => e);
			const r = await readable.getReader().read().catch(x => x); const w = await writable.getWriter().ready.catch(x => x);
			return [e.constructor === WebSocketError, e.name, e.closeCode, r === e, w === e].join()`, "true,WebSocketError,1006,true,true"},
		// A close that leaves written data unsent is not clean: closed and the write
		// reject with the peer's code (WPT stream/tentative/remote-close.any.js).
		{"/close-now", unwritten, "true,4567,now,true"},
		{"/close-during-write", unwritten, "true,4567,during,true"},
		{"/protocol", `const wss = new WebSocketStream(URL, { protocols: ["alpha", "beta"] }); const { readable, protocol } = await wss.opened;
			const { value } = await readable.getReader().read(); wss.close(); await wss.closed; return protocol + " " + value`, "alpha hi"},
		{"/missing", `const wss = new WebSocketStream(URL);
			const [a, b] = await Promise.all([wss.opened.catch(e => e), wss.closed.catch(e => e)]);
			return a.name + " " + b.name + " " + b.closeCode`, "WebSocketError WebSocketError 1006"},
	}
	for _, c := range cases {
		t.Run(strings.TrimPrefix(c.path, "/"), func(t *testing.T) {
			e := newEnv(t, websocket.Options{})
			e.vm.Set("URL", s.url+c.path)
			e.expect(c.src, c.want)
		})
	}
}

// TestReceiveBackpressure: the server sends many large messages while the script reads
// nothing. The readable stream's queue fills, the connection stops being read, and
// the server's writes stall; then the script reads every message, in order.
func TestReceiveBackpressure(t *testing.T) {
	const messages = 256
	stalled := make(chan int, 1)
	done := make(chan struct{})
	s := newServer(t, map[string]func(net.Conn){"/flood": func(conn net.Conn) {
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetWriteBuffer(4096)
		}
		msg := make([]byte, 64<<10)
		reported := false
		for i := range messages {
			binary.BigEndian.PutUint32(msg, uint32(i))
			if !reported {
				// A write that cannot finish within the deadline has met
				// the client's backpressure.
				_ = conn.SetWriteDeadline(time.Now().Add(300 * time.Millisecond))
			}
			err := writeFrame(conn, ws.OpBinary, msg)
			var ne net.Error
			if !reported && errors.As(err, &ne) && ne.Timeout() {
				// The frame was cut: nothing more can be sent, but the
				// frames before it can be read.
				stalled <- i
				<-done
				return
			}
			if err != nil {
				return
			}
		}
		stalled <- messages
	}})
	t.Cleanup(func() { close(done) })
	e := newEnv(t, websocket.Options{DisableCompression: true})
	e.vm.Set("URL", s.url+"/flood")
	got := e.run(`const wss = new WebSocketStream(URL); const { readable } = await wss.opened;
		wss.closed.catch(() => {}); globalThis.readable = readable; return "open"`)
	if got != "open" {
		t.Fatalf("got %q", got)
	}
	select {
	case n := <-stalled:
		if n >= messages {
			t.Fatalf("the server sent all %d messages: nothing stopped reading", n)
		}
		// The client holds the queued message, one being handed over, and what
		// the kernel buffers hold.
		if n < 1 {
			t.Fatalf("the server stalled after %d messages: nothing was read at all", n)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server never stalled")
	}
	// What was received arrives in order.
	got = e.run(`const r = readable.getReader(); const first = await r.read(); const second = await r.read();
		return new DataView(first.value.buffer).getUint32(0) + " " + new DataView(second.value.buffer).getUint32(0) + " " + first.value.length`)
	if got != "0 1 65536" {
		t.Errorf("got %q", got)
	}
}

// TestSendBackpressure: a write settles only once its message is written to the
// connection; a server that reads nothing holds it pending.
func TestSendBackpressure(t *testing.T) {
	release := make(chan struct{})
	received := make(chan int, 1)
	s := newServer(t, map[string]func(net.Conn){"/slow": func(conn net.Conn) {
		<-release
		_, p, err := readFrame(conn)
		if err != nil {
			received <- -1
			return
		}
		received <- len(p)
		echo(conn)
	}})
	// A small send buffer on the client's side: what the kernel holds is far less
	// than the message.
	e := newEnv(t, websocket.Options{DisableCompression: true, Network: &network.Policy{Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		c, err := d.DialContext(ctx, network, addr)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetWriteBuffer(4096)
		}
		return c, err
	}}})
	e.vm.Set("URL", s.url+"/slow")
	got := e.run(`const wss = new WebSocketStream(URL); const { writable } = await wss.opened;
		globalThis.wss = wss; globalThis.writer = writable.getWriter();
		globalThis.written = false;
		globalThis.write = writer.write(new Uint8Array(8 << 20)).then(() => written = true);
		await new Promise(r => setTimeout(r, 0));
		return written + " " + writer.desiredSize`)
	if got != "false 0" {
		t.Errorf("before the server reads: %q", got)
	}
	close(release)
	if n := <-received; n != 8<<20 {
		t.Fatalf("the server received %d bytes", n)
	}
	if got := e.run(`await write; const d = writer.desiredSize; wss.close(); await wss.closed; return written + " " + d`); got != "true 1" {
		t.Errorf("after: %q", got)
	}
}

// TestAbortSignal: the signal aborts the handshake, and does nothing once the
// connection is established.
func TestAbortSignal(t *testing.T) {
	hold := make(chan struct{})
	t.Cleanup(func() { close(hold) })
	s := newServer(t, map[string]func(net.Conn){"/echo": echo})
	// A TCP server that never answers the handshake.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { <-hold; c.Close() }()
		}
	}()
	cases := []struct{ name, url, src, want string }{
		{"aborted before", s.url + "/echo", `const c = new AbortController(); c.abort();
			const wss = new WebSocketStream(URL, { signal: c.signal });
			return [await wss.opened.catch(e => e.name), await wss.closed.catch(e => e.name)].join()`, "AbortError,AbortError"},
		{"during the handshake", "ws://" + ln.Addr().String() + "/", `const c = new AbortController();
			const wss = new WebSocketStream(URL, { signal: c.signal });
			await new Promise(r => setTimeout(r, 0)); c.abort("why");
			return [await wss.opened.catch(e => e), await wss.closed.catch(e => e)].join()`, "why,why"},
		{"after connecting", s.url + "/echo", `const c = new AbortController();
			const wss = new WebSocketStream(URL, { signal: c.signal }); const { readable, writable } = await wss.opened;
			c.abort(); writable.getWriter().write("still"); const { value } = await readable.getReader().read();
			wss.close(); await wss.closed; return value`, "still"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, websocket.Options{})
			e.vm.Set("URL", c.url)
			e.expect(c.src, c.want)
		})
	}
}

// TestOptions: the embedder's websocket.Options apply: the network policy's Allow
// vetoes a connection (which scripts see as a failed one), its Dial and the Header are
// used, its Log hears the cause.
func TestOptions(t *testing.T) {
	var header atomic.Value
	s := newServerWith(t, map[string]func(net.Conn){"/echo": echo}, func(r *http.Request) {
		if v := r.Header.Get("X-Test"); v != "" {
			header.Store(v)
		}
	})
	var logged atomic.Value
	var dialed atomic.Int32
	opts := websocket.Options{
		Header: map[string][]string{"X-Test": {"yes"}},
		Network: &network.Policy{
			Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
				dialed.Add(1)
				var d net.Dialer
				return d.DialContext(ctx, network, addr)
			},
			Allow: func(u *url.URL, addr netip.AddrPort) error {
				if strings.Contains(u.Path, "forbidden") {
					return errors.New("not allowed")
				}
				return nil
			},
			Log: func(u string, err error) { logged.Store(u + ": " + err.Error()) },
		},
	}
	e := newEnv(t, opts)
	e.vm.Set("URL", s.url+"/echo")
	e.expect(`const wss = new WebSocketStream(URL); await wss.opened; wss.close(); return (await wss.closed).closeCode`, "1005")
	if dialed.Load() != 1 || header.Load() != "yes" {
		t.Errorf("dialed %d times, X-Test %v", dialed.Load(), header.Load())
	}
	e.vm.Set("URL", s.url+"/forbidden")
	e.expect(`const wss = new WebSocketStream(URL); const closed = wss.closed.catch(e => e.closeCode);
		return await wss.opened.catch(e => e.name) + " " + await closed`, "WebSocketError 1006")
	if l, _ := logged.Load().(string); !strings.Contains(l, "not allowed") {
		t.Errorf("logged %q", l)
	}
	// A bad port fails the connection without dialing.
	e.vm.Set("URL", "ws://127.0.0.1:25/")
	e.expect(`const wss = new WebSocketStream(URL); wss.opened.catch(() => {}); return await wss.closed.catch(e => e.closeCode)`, "1006")
	if dialed.Load() != 1 {
		t.Errorf("dialed %d times", dialed.Load())
	}
}

// TestMaxSockets: streams beyond the limit fail.
func TestMaxSockets(t *testing.T) {
	s := newServer(t, map[string]func(net.Conn){"/echo": echo})
	e := newEnv(t, websocket.Options{MaxSockets: 1})
	e.vm.Set("URL", s.url+"/echo")
	e.expect(`const a = new WebSocketStream(URL), b = new WebSocketStream(URL); b.opened.catch(() => {});
		const r = await b.closed.catch(e => e.name); await a.opened; a.close(); await a.closed; return r`, "WebSocketError")
}

// TestManyMessagesInOrder: a server's burst of text messages is read in order.
func TestManyMessagesInOrder(t *testing.T) {
	s := newServer(t, map[string]func(net.Conn){"/burst": func(conn net.Conn) {
		var buf bytes.Buffer
		for i := range 500 {
			_ = ws.WriteFrame(&buf, ws.NewTextFrame([]byte(strings.Repeat("x", i%7)+"|")))
		}
		_ = ws.WriteFrame(&buf, ws.NewCloseFrame(closeBody(1000, "")))
		_, _ = conn.Write(buf.Bytes())
		for {
			if h, _, err := readFrame(conn); err != nil || h.OpCode == ws.OpClose {
				return
			}
		}
	}})
	e := newEnv(t, websocket.Options{})
	e.vm.Set("URL", s.url+"/burst")
	e.expect(`const wss = new WebSocketStream(URL); const { readable } = await wss.opened;
		const r = readable.getReader(); let n = 0, ok = true;
		for (;;) { const { value, done } = await r.read(); if (done) break; ok = ok && value === "x".repeat(n % 7) + "|"; n++ }
		return n + " " + ok + " " + (await wss.closed).closeCode`, "500 true 1000")
}
