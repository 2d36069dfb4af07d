package websocket

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/gobwas/httphead"
	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
	"github.com/wsjs/wsjs/bindings/network"
)

func TestEchoLifecycle(t *testing.T) {
	srv := newServer(t, ws.HTTPUpgrader{}, echo)
	e := newEnv(t, Options{})
	e.expect(`
		const ws = new WebSocket("`+srv.url+`/echo");
		log("state " + ws.readyState + " " + ws.binaryType + " [" + ws.protocol + "] [" + ws.extensions + "]");
		ws.onopen = (ev) => {
			log("open " + ev.isTrusted + " " + ws.readyState);
			ws.send("héllo");
			log("buffered " + ws.bufferedAmount);
		};
		ws.onmessage = (ev) => {
			log("message " + ev.data + " " + (ev instanceof MessageEvent) + " " + ev.origin);
			ws.close(1000, "bye");
			log("after close " + ws.readyState);
		};
		ws.onerror = () => log("error");
		ws.onclose = (ev) => log("close " + ev.code + " " + ev.reason + " " + ev.wasClean + " " + ws.readyState + " " + ws.bufferedAmount);
	`,
		"state 0 blob [] []",
		"open true 1",
		"buffered 6",
		"message héllo true "+strings.TrimSuffix(srv.url, "/"),
		"after close 2",
		"close 1000 bye true 3 0",
	)
}

func TestBinaryTypeAtDispatch(t *testing.T) {
	srv := newServer(t, ws.HTTPUpgrader{}, echo)
	e := newEnv(t, Options{})
	e.expect(`
		const ws = new WebSocket("`+srv.url+`");
		let n = 0;
		ws.onopen = () => {
			ws.send(new Uint8Array([1, 2, 3]).buffer);
			ws.send(new Uint16Array([1, 2, 3]).subarray(1, 2));
			ws.send(new Blob(["blob", "!"]));
			ws.binaryType = "nonsense";
			log(ws.binaryType);
		};
		ws.onmessage = async (ev) => {
			n++;
			if (n === 1) {
				log(String(ev.data) + " " + ev.data.size + " " + ev.data.type);
				ws.binaryType = "arraybuffer";
			} else if (n === 2) {
				log(ev.data.constructor.name + " " + new Uint8Array(ev.data).join());
			} else {
				log(ev.data.constructor.name + " " + String.fromCharCode(...new Uint8Array(ev.data)));
				ws.close();
			}
		};
		ws.onclose = (ev) => log("close " + ev.code + " " + ev.wasClean);
	`,
		"blob",
		"[object Blob] 3 ",
		"ArrayBuffer 2,0",
		"ArrayBuffer blob!",
		"close 1005 true",
	)
}

func TestConstructorErrors(t *testing.T) {
	e := newEnv(t, Options{})
	e.realm.SetAPIBaseURL("https://example.test/dir/page.html")
	e.expect(`
		for (const [url, protocols] of [
			["ws://foo bar.com/"], ["ftp://example.test/"], ["wss://example.test/#"],
			["wss://example.test/", ["a", "A"]], ["wss://example.test/", "a b"],
			["wss://example.test/", ["é"]], ["wss://example.test/", [""]],
			["ws://example.test/", ["foobar, foobar"]],
			["ws://example.test/"],
		]) {
			try {
				new WebSocket(url, protocols);
				log("no throw " + url);
			} catch (e) {
				log(e.name + " " + (e instanceof DOMException) + " " + e.code);
			}
		}
		try { new WebSocket(); } catch (e) { log(e.name); }
		try { WebSocket("wss://example.test/"); } catch (e) { log(e.name); }
	`,
		"SyntaxError true 12", "SyntaxError true 12", "SyntaxError true 12",
		"SyntaxError true 12", "SyntaxError true 12", "SyntaxError true 12", "SyntaxError true 12",
		"SyntaxError true 12", // a bad subprotocol is reported before mixed content
		"SecurityError true 18",
		"TypeError", "TypeError",
	)
}

func TestRelativeURLAndProtocols(t *testing.T) {
	var mu sync.Mutex
	var offered []string
	up := ws.HTTPUpgrader{Protocol: func(p string) bool {
		mu.Lock()
		offered = append(offered, p)
		mu.Unlock()
		return p == "chat"
	}}
	srv := newServer(t, up, echo)
	base := strings.Replace(srv.URL, "http", "http", 1) + "/dir/page.html"
	e := newEnv(t, Options{})
	e.realm.SetAPIBaseURL(base)
	e.expect(`
		const ws = new WebSocket("sock?q=1", ["superchat", "chat"]);
		log(ws.url.replace(/:\d+/, ":PORT"));
		ws.onopen = () => { log("protocol " + ws.protocol); ws.close(); };
		ws.onclose = () => log("closed");
	`, "ws://127.0.0.1:PORT/dir/sock?q=1", "protocol chat", "closed")
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(offered, ",") != "superchat,chat" {
		t.Fatalf("server saw protocols %q", offered)
	}
}

func TestOriginHeader(t *testing.T) {
	origins := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origins <- r.Header.Get("Origin")
		http.Error(w, "no", http.StatusForbidden)
	}))
	defer srv.Close()
	u := "ws" + strings.TrimPrefix(srv.URL, "http")
	cases := []struct {
		opts       Options
		base, want string
	}{
		{Options{}, "http://example.test:80/a/b", "http://example.test"},
		{Options{}, "http://example.test:8443/", "http://example.test:8443"},
		{Options{}, "file:///tmp/x.js", "null"},
		{Options{Origin: "https://app.example"}, "file:///tmp/x.js", "https://app.example"},
	}
	for _, c := range cases {
		e := newEnv(t, c.opts)
		e.realm.SetAPIBaseURL(c.base)
		src := "new WebSocket(`" + u + "`).onclose = () => log('closed');"
		e.expect(src, "closed")
		if got := <-origins; got != c.want {
			t.Errorf("base %q: Origin %q, want %q", c.base, got, c.want)
		}
	}
}

func TestSendBeforeOpenAndAfterClose(t *testing.T) {
	srv := newServer(t, ws.HTTPUpgrader{}, echo)
	e := newEnv(t, Options{})
	e.expect(`
		const ws = new WebSocket("`+srv.url+`");
		try { ws.send("x"); } catch (e) { log(e.name + " " + e.code); }
		ws.onopen = () => {
			ws.close();
			ws.send("1234");
			ws.send(new Uint8Array(10));
			log("buffered " + ws.bufferedAmount + " " + ws.readyState);
		};
		ws.onmessage = () => log("unexpected message");
		ws.onclose = () => { ws.send("ab"); log("closed buffered " + ws.bufferedAmount); };
	`, "InvalidStateError 11", "buffered 14 2", "closed buffered 16")
}

// TestSendConvertsFirst checks that send converts its argument before step 1 throws
// InvalidStateError while CONNECTING, as Web IDL converts arguments before the steps.
func TestSendConvertsFirst(t *testing.T) {
	srv := newServer(t, ws.HTTPUpgrader{}, echo)
	cases := []struct{ arg, want string }{
		{`{ toString() { log("converted"); return "x"; } }`, "converted InvalidStateError"},
		{`{ toString() { throw new RangeError("r"); } }`, "RangeError"},
		{`Symbol()`, "TypeError"},
		{`new Uint8Array(2)`, "InvalidStateError"},
		{`new Blob(["ab"])`, "InvalidStateError"},
	}
	for _, c := range cases {
		e := newEnv(t, Options{})
		got := e.run(`
			const ws = new WebSocket("` + srv.url + `");
			try { ws.send(` + c.arg + `); log("sent"); } catch (e) { log(e.name); }
			ws.close();
		`)
		if s := strings.Join(got, " "); s != c.want {
			t.Errorf("send(%s): %q, want %q", c.arg, s, c.want)
		}
	}
}

func TestCloseArguments(t *testing.T) {
	srv := newServer(t, ws.HTTPUpgrader{}, echo)
	e := newEnv(t, Options{})
	e.expect(`
		const ws = new WebSocket("`+srv.url+`");
		ws.onopen = () => {
			for (const args of [[0], [1001], [2999], [5000], ["only reason"], [1000, "x".repeat(124)], [3000, "é".repeat(62)]]) {
				try { ws.close(...args); log("closed?"); } catch (e) { log(e.name); }
			}
			ws.close(3999.6, "clamped");
		};
		ws.onclose = (ev) => log("close " + ev.code + " " + ev.reason);
	`, "InvalidAccessError", "InvalidAccessError", "InvalidAccessError", "InvalidAccessError",
		"InvalidAccessError", "SyntaxError", "SyntaxError", "close 4000 clamped")
}

func TestCloseWhileConnecting(t *testing.T) {
	srv := newServer(t, ws.HTTPUpgrader{}, echo)
	e := newEnv(t, Options{})
	e.expect(`
		const ws = new WebSocket("`+srv.url+`");
		ws.close();
		log("state " + ws.readyState);
		ws.onopen = () => log("open");
		ws.onerror = (ev) => log("error " + ws.readyState + " " + ev.constructor.name);
		ws.onclose = (ev) => log("close " + ev.code + " " + ev.wasClean);
	`, "state 2", "error 3 Event", "close 1006 false")
}

func TestFailures(t *testing.T) {
	refused := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return "ws://" + addr + "/"
	}()
	notWS := newServer(t, ws.HTTPUpgrader{Protocol: func(string) bool { return false }}, echo)
	cases := []struct{ name, url, protocols string }{
		{"bad port", "ws://127.0.0.1:25/", "[]"},
		{"connection refused", refused, "[]"},
		{"protocol not selected", notWS.url, `["x"]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var mu sync.Mutex
			var logged []error
			e := newEnv(t, Options{Network: &network.Policy{Log: func(u string, err error) {
				mu.Lock()
				logged = append(logged, err)
				mu.Unlock()
			}}})
			e.expect(`
				const ws = new WebSocket("`+c.url+`", `+c.protocols+`);
				ws.onopen = () => log("open");
				ws.onerror = (ev) => log("error " + ws.readyState);
				ws.onclose = (ev) => log("close " + ev.code + " " + ev.wasClean + " [" + ev.reason + "]");
			`, "error 3", "close 1006 false []")
			mu.Lock()
			defer mu.Unlock()
			if len(logged) == 0 {
				t.Fatal("the cause was not logged")
			}
		})
	}
}

func TestPolicyChecksDialedAddress(t *testing.T) {
	var dials int
	var mu sync.Mutex
	srv := newServer(t, ws.HTTPUpgrader{}, func(c net.Conn) {
		mu.Lock()
		dials++
		mu.Unlock()
		echo(c)
	})
	u, _ := url.Parse(srv.url)
	denied := errors.New("loopback is not allowed")
	e := newEnv(t, Options{Network: &network.Policy{
		Allow: func(u *url.URL, addr netip.AddrPort) error {
			if addr.IsValid() && addr.Addr().IsLoopback() {
				return denied
			}
			return nil
		},
		// A name the policy cannot judge by itself: it resolves to loopback.
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, u.Host)
		},
	}})
	e.expect(`
		const ws = new WebSocket("ws://innocent.example/");
		ws.onopen = () => log("open");
		ws.onerror = () => log("error");
		ws.onclose = (ev) => log("close " + ev.code);
	`, "error", "close 1006")
	mu.Lock()
	defer mu.Unlock()
	if dials != 0 {
		t.Fatalf("the server accepted %d WebSocket connections", dials)
	}
}

func TestMaxSockets(t *testing.T) {
	srv := newServer(t, ws.HTTPUpgrader{}, echo)
	e := newEnv(t, Options{MaxSockets: 2})
	// The third socket fails; the order of its events against the others' opens is not
	// defined, so the lines are sorted.
	e.expect(`
		const lines = [];
		let closed = 0;
		[0, 1, 2].map(i => {
			const ws = new WebSocket("`+srv.url+`");
			ws.onopen = () => { lines.push("open " + i); ws.close(); };
			ws.onerror = () => lines.push("error " + i);
			ws.onclose = () => { if (++closed === 3) lines.sort().forEach(l => log(l)); };
		});
	`, "error 2", "open 0", "open 1")
}

func TestServerCloseOrderAndDataAfterClose(t *testing.T) {
	srv := newServer(t, ws.HTTPUpgrader{}, func(c net.Conn) {
		_ = wsutil.WriteServerText(c, []byte("one"))
		_ = wsutil.WriteServerText(c, []byte("two"))
		_ = ws.WriteFrame(c, ws.NewCloseFrame(ws.NewCloseFrameBody(4000, "\ufeffbye")))
		_ = wsutil.WriteServerText(c, []byte("after close"))
		drain(c)
	})
	e := newEnv(t, Options{})
	e.expect(`
		const ws = new WebSocket("`+srv.url+`");
		ws.onmessage = (ev) => log(ev.data);
		ws.onerror = () => log("error");
		ws.onclose = (ev) => log("close " + ev.code + " [" + ev.reason + "] " + ev.wasClean);
	`, "one", "two", "close 4000 [bye] true")
}

func TestProtocolViolationFails(t *testing.T) {
	srv := newServer(t, ws.HTTPUpgrader{}, func(c net.Conn) {
		_ = wsutil.WriteServerText(c, []byte("ok"))
		// Invalid UTF-8 in a text message: the client fails the connection with 1007.
		_ = wsutil.WriteServerText(c, []byte{0xff, 0xfe})
		drain(c)
	})
	e := newEnv(t, Options{})
	e.expect(`
		const ws = new WebSocket("`+srv.url+`");
		ws.onmessage = (ev) => log(ev.data);
		ws.onerror = () => log("error " + ws.readyState);
		ws.onclose = (ev) => log("close " + ev.code + " " + ev.wasClean);
	`, "ok", "error 3", "close 1006 false")
}

func TestCompressionNegotiated(t *testing.T) {
	up := ws.HTTPUpgrader{Negotiate: func(o httphead.Option) (httphead.Option, error) {
		if string(o.Name) == "permessage-deflate" {
			return httphead.Option{Name: o.Name}, nil
		}
		return httphead.Option{}, nil
	}}
	srv := newServer(t, up, drain)
	e := newEnv(t, Options{})
	e.expect(`
		const ws = new WebSocket("`+srv.url+`");
		ws.onopen = () => { log("[" + ws.extensions + "]"); ws.close(); };
	`, "[permessage-deflate]")
}

func TestShutdownClosesSockets(t *testing.T) {
	closes := make(chan ws.StatusCode, 1)
	srv := newServer(t, ws.HTTPUpgrader{}, func(c net.Conn) {
		_, _, err := wsutil.ReadClientData(c)
		if cerr, ok := err.(wsutil.ClosedError); ok {
			closes <- cerr.Code
		} else {
			closes <- 0
		}
	})
	e := newEnv(t, Options{})
	_ = e.vm.Set("shutdown", func() { go e.loop.Close() })
	e.loop.Queue(func() {
		_, _ = e.vm.RunString(`
			const ws = new WebSocket("` + srv.url + `");
			ws.onopen = () => shutdown();
		`)
	})
	_ = e.loop.Run(t.Context())
	if code := <-closes; code != 1001 {
		t.Fatalf("server saw close code %d, want 1001", code)
	}
}

func TestInterfaceShape(t *testing.T) {
	e := newEnv(t, Options{})
	e.expect(`
		const d = (o, k) => { const p = Object.getOwnPropertyDescriptor(o, k); return p ? [p.writable, p.enumerable, p.configurable].join() : "none"; };
		log([WebSocket.length, WebSocket.name, Object.getPrototypeOf(WebSocket) === EventTarget,
			Object.getPrototypeOf(WebSocket.prototype) === EventTarget.prototype].join());
		log([WebSocket.CONNECTING, WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED, WebSocket.prototype.CLOSED, d(WebSocket, "OPEN")].join());
		const url = Object.getOwnPropertyDescriptor(WebSocket.prototype, "url");
		log([typeof url.get, url.set, url.get.name, url.enumerable, url.configurable].join());
		log([WebSocket.prototype.send.length, WebSocket.prototype.close.length, Object.prototype.toString.call(WebSocket.prototype)].join());
		try { WebSocket.prototype.readyState; } catch (e) { log(e.name); }
		try { WebSocket.prototype.send.call({}, "x"); } catch (e) { log(e.name); }
	`,
		"1,WebSocket,true,true",
		"0,1,2,3,3,false,true,false",
		"function,,get url,true,true",
		"1,0,[object WebSocket]",
		"TypeError", "TypeError",
	)
}

func TestConnectionsToOneHostAreSerialized(t *testing.T) {
	// The server holds each handshake until told to answer; a second connection
	// must not start its handshake while the first is CONNECTING (RFC 6455
	// section 4.1 (https://www.rfc-editor.org/rfc/rfc6455#section-4.1),
	// requirement 2).
	arrived := make(chan struct{}, 2)
	answer := make(chan struct{})
	var mu sync.Mutex
	inFlight, most := 0, 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		arrived <- struct{}{}
		<-answer
		mu.Lock()
		inFlight--
		mu.Unlock()
		conn, _, _, err := ws.UpgradeHTTP(r, w)
		if err == nil {
			echo(conn)
			conn.Close()
		}
	}))
	defer srv.Close()
	go func() {
		<-arrived
		answer <- struct{}{}
		<-arrived
		answer <- struct{}{}
	}()
	e := newEnv(t, Options{})
	u := "ws" + strings.TrimPrefix(srv.URL, "http")
	e.expect(`
		let open = 0;
		for (let i = 0; i < 2; i++) {
			const ws = new WebSocket("`+u+`");
			ws.onopen = () => { log("open " + i); ws.close(); };
		}
	`, "open 0", "open 1")
	if most != 1 {
		t.Fatalf("%d handshakes were in flight at once", most)
	}
}
