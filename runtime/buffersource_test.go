package runtime

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"

	"github.com/wsjs/wsjs/eventloop"
)

// bufferSourceCase is one web API that takes a BufferSource, called by run, a
// JavaScript async function of (src, detach) whose result is printed.
type bufferSourceCase struct {
	name string
	// kinds are the kinds of src the API takes; nil means every kind.
	kinds []string
	// during: run calls detach while its arguments are converted (a getter or
	// toString of a later argument), after src was converted.
	during bool
	run    string
	// want is the result, the same whether the buffer was detached before the
	// call or during it.
	want string
}

// bufferSourceKinds make a buffer source over an 8-byte ArrayBuffer b.
var bufferSourceKinds = map[string]string{
	"ArrayBuffer":  `(b) => b`,
	"Uint8Array":   `(b) => new Uint8Array(b)`,
	"subarray":     `(b) => new Uint8Array(b, 2, 4)`,
	"Int32Array":   `(b) => new Int32Array(b)`,
	"DataView":     `(b) => new DataView(b, 1)`,
	"Float16Array": `(b) => new Float16Array(b)`,
}

var bufferSourceCases = []bufferSourceCase{
	{name: "Float16Array elements", kinds: []string{"Float16Array"}, want: "0,,false,0,false",
		run: `async (src) => [src.length, src[0], 0 in src, Object.keys(src).length, Reflect.set(src, 0, 1) && 0 in src].join()`},
	{name: "TextDecoder.decode", during: true, want: "0",
		run: `async (src, detach) => new TextDecoder().decode(src, { get stream() { detach(); return false; } }).length`},
	{name: "TextEncoder.encodeInto", kinds: []string{"Uint8Array", "subarray"}, during: true, want: `{"read":0,"written":0}`,
		run: `async (src, detach) => JSON.stringify(new TextEncoder().encodeInto({ toString() { detach(); return "abc"; } }, src))`},
	{name: "crypto.getRandomValues", kinds: []string{"Uint8Array", "subarray", "Int32Array"}, want: "true 0",
		run: `async (src) => (crypto.getRandomValues(src) === src) + " " + src.byteLength`},
	{name: "Blob", during: true, want: "0",
		run: `async (src, detach) => new Blob([src], { get type() { detach(); return ""; } }).size`},
	{name: "Blob parts", during: true, want: "1",
		run: `async (src, detach) => new Blob([src, { toString() { detach(); return "x"; } }]).size`},
	{name: "File", during: true, want: "0",
		run: `async (src, detach) => new File([src], { toString() { detach(); return "f"; } }).size`},
	{name: "Response", during: true, want: "0",
		run: `async (src, detach) => (await new Response(src, { get status() { detach(); return 200; } }).arrayBuffer()).byteLength`},
	{name: "Request", during: true, want: "0",
		run: `async (src, detach) => (await new Request("http://h/", { body: src, get method() { detach(); return "POST"; } }).arrayBuffer()).byteLength`},
	{name: "ReadableStream chunk of a body", kinds: []string{"Uint8Array", "subarray"}, during: true, want: "0",
		run: `async (src, detach) => (await new Response(new ReadableStream({ pull(c) { c.enqueue(src); detach(); c.close(); } })).arrayBuffer()).byteLength`},
	{name: "fetch", during: true, want: "0",
		run: `async (src, detach) => (await fetch(HTTP, { body: src, get method() { detach(); return "POST"; } })).text()`},
	{name: "XMLHttpRequest.send", want: "0",
		run: `(src) => new Promise((resolve, reject) => {
			const x = new XMLHttpRequest();
			x.open("POST", HTTP);
			x.onload = () => resolve(x.responseText);
			x.onerror = () => reject(new Error("network error"));
			x.send(src);
		})`},
	{name: "structuredClone", during: true, want: "DataCloneError",
		run: `async (src, detach) => { try { structuredClone(src, { get transfer() { detach(); return []; } }); return "cloned"; } catch (e) { return e.name; } }`},
	{name: "MessagePort.postMessage", during: true, want: "DataCloneError",
		run: `async (src, detach) => {
			const { port1, port2 } = new MessageChannel();
			try { port1.postMessage(src, { get transfer() { detach(); return []; } }); return "posted"; } catch (e) { return e.name; } finally { port1.close(); port2.close(); }
		}`},
	{name: "WebSocket.send", want: "0 binary 0",
		run: `(src) => new Promise((resolve, reject) => {
			const s = new WebSocket(WS);
			let sent;
			s.onopen = () => { s.send(src); sent = s.bufferedAmount; };
			s.onmessage = (e) => { resolve(sent + " " + e.data); s.close(); };
			s.onerror = () => reject(new Error("WebSocket error"));
		})`},
	{name: "WebSocketStream write", want: "binary 0",
		run: `async (src) => {
			const s = new WebSocketStream(WS);
			const { readable, writable } = await s.opened;
			await writable.getWriter().write(src);
			const { value } = await readable.getReader().read();
			s.close();
			return value;
		}`},
}

// TestDetachedBufferSources calls every web API that takes a BufferSource with
// each kind of buffer source whose buffer is detached, before the call or while
// its arguments are converted: Web IDL's "get a copy of the bytes held by the
// buffer source" then gives no bytes, and nothing may panic.
func TestDetachedBufferSources(t *testing.T) {
	httpURL, wsURL := bufferSourceServers(t)
	for _, c := range bufferSourceCases {
		t.Run(c.name, func(t *testing.T) {
			kinds := c.kinds
			if kinds == nil {
				kinds = []string{"ArrayBuffer", "Uint8Array", "subarray", "Int32Array", "DataView", "Float16Array"}
			}
			modes := []string{"before"}
			if c.during {
				modes = append(modes, "during")
			}
			var src, want strings.Builder
			fmt.Fprintf(&src, "const HTTP = %q, WS = %q;\nconst run = %s;\nconst kinds = {\n", httpURL, wsURL, c.run)
			for _, k := range kinds {
				fmt.Fprintf(&src, "\t%q: %s,\n", k, bufferSourceKinds[k])
				for _, m := range modes {
					fmt.Fprintf(&want, "%s %s: %s\n", k, m, c.want)
				}
			}
			fmt.Fprintf(&src, "};\nconst modes = %s;\n", jsStrings(modes))
			src.WriteString(`(async () => {
	for (const [kind, make] of Object.entries(kinds)) {
		for (const mode of modes) {
			const buf = new ArrayBuffer(8);
			const view = make(buf);
			let detached = false;
			const detach = () => {
				if (!detached) {
					detached = true;
					structuredClone(buf, { transfer: [buf] });
				}
			};
			if (mode === "before") detach();
			let out;
			try { out = String(await run(view, detach)); } catch (e) { out = "threw " + e; }
			console.log(kind + " " + mode + ": " + (detached ? "" : "not detached, ") + out);
		}
	}
})();
`)
			res := runSrc(t, "buffersource.js", src.String(), Options{})
			var pe *eventloop.PanicError
			if errors.As(res.err, &pe) {
				t.Fatalf("Go panic: %v\n%s", pe.Value, pe.Stack)
			}
			if res.err != nil {
				t.Fatalf("%v\n%s", res.err, res.stderr)
			}
			if res.stdout != want.String() {
				t.Errorf("got\n%swant\n%s", res.stdout, want.String())
			}
		})
	}
}

func jsStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// bufferSourceServers starts an HTTP server that answers with the length of the
// request body, and a WebSocket server that answers each message with its type
// and length; it returns their URLs.
func bufferSourceServers(t *testing.T) (httpURL, wsURL string) {
	h := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Access-Control-Allow-Origin", "*")
		fmt.Fprint(w, len(b))
	}))
	t.Cleanup(h.Close)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, _, err := ws.UpgradeHTTP(r, w)
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			data, op, err := wsutil.ReadClientData(conn)
			if err != nil {
				return
			}
			kind := "text"
			if op == ws.OpBinary {
				kind = "binary"
			}
			if wsutil.WriteServerText(conn, []byte(kind+" "+strconv.Itoa(len(data)))) != nil {
				return
			}
		}
	}))
	t.Cleanup(s.Close)
	return h.URL, "ws" + strings.TrimPrefix(s.URL, "http")
}
