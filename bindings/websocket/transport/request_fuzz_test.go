package transport

import (
	"bufio"
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzHandshakeRequest checks URL validation and the opening handshake request
// built from a URL, an Origin, an extra header and a subprotocol: whatever is
// accepted must serialize to exactly one well-formed HTTP/1.1 GET (RFC 9112
// section 3, https://www.rfc-editor.org/rfc/rfc9112#section-3) whose target,
// Host and protocol headers are the ones the URL and Config say (RFC 6455
// section 4.1, https://www.rfc-editor.org/rfc/rfc6455#section-4.1), with
// nothing smuggled in through any of the inputs.
func FuzzHandshakeRequest(f *testing.F) {
	f.Add("ws://example.com/chat?x=1", "https://app.example", "X-Test", "value", "chat")
	f.Add("wss://[::1]:8443/a%20b", "null", "Sec-WebSocket-Key", "forged", "")
	f.Add("ws://user:p%40ss@example.com/", "http://o\r\nX-Injected: 1", "Cookie", "a=b", "a,b")
	f.Add("http://example.com:80/", "", "Host", "evil.example", "v1.json")
	f.Add("ws://ex ample.com/", "", "X\nY", "v", "x y")
	f.Add("ws://example.com/p?q\x7f", "o", "Upgrade", "h2c", "")
	const key = "dGhlIHNhbXBsZSBub25jZQ=="
	f.Fuzz(func(t *testing.T, rawURL, origin, hk, hv, proto string) {
		u, err := url.Parse(rawURL)
		if err != nil {
			return
		}
		tg, err := newTarget(u)
		if err != nil {
			return
		}
		for _, s := range []string{tg.resource, tg.host} {
			if strings.ContainsAny(s, " \r\n\t\x00") {
				t.Fatalf("accepted %q with %q", rawURL, s)
			}
		}
		cfg := &Config{Origin: origin, Header: http.Header{hk: {hv}}}
		if proto != "" {
			cfg.Protocols = []string{proto}
		}
		if checkProtocols(cfg.Protocols) != nil {
			cfg.Protocols = nil
		}
		req, err := buildRequest(cfg, u, tg, key)
		if err != nil {
			return
		}
		br := bufio.NewReader(bytes.NewReader(req))
		r, err := http.ReadRequest(br)
		if err != nil {
			t.Fatalf("request for %q does not parse: %v\n%s", rawURL, err, req)
		}
		if n := br.Buffered(); n != 0 {
			t.Fatalf("%d bytes after the request:\n%s", n, req)
		}
		if r.Method != "GET" || r.ProtoMajor != 1 || r.ProtoMinor != 1 || r.RequestURI != tg.resource || r.Host != tg.host {
			t.Fatalf("request line or Host changed: %s %s %s Host %q", r.Method, r.RequestURI, r.Proto, r.Host)
		}
		one := func(name, want string) {
			if v := r.Header.Values(name); len(v) != 1 || want != "" && v[0] != want {
				t.Fatalf("%s: %q, want %q once\n%s", name, v, want, req)
			}
		}
		one("Upgrade", "websocket")
		one("Connection", "Upgrade")
		one("Sec-WebSocket-Key", key)
		one("Sec-WebSocket-Version", "13")
		if cfg.Protocols != nil {
			one("Sec-WebSocket-Protocol", proto)
		} else if len(r.Header.Values("Sec-WebSocket-Protocol")) != 0 {
			t.Fatalf("Sec-WebSocket-Protocol without protocols\n%s", req)
		}
		if origin != "" {
			one("Origin", strings.Trim(origin, " \t"))
		}
		// Only the protocol's own fields, Authorization from the URL's user info,
		// and the extra header may appear.
		allowed := map[string]bool{"Upgrade": true, "Connection": true, "Sec-Websocket-Key": true,
			"Sec-Websocket-Version": true, "Sec-Websocket-Protocol": true, "Sec-Websocket-Extensions": true,
			"Origin": true, "Authorization": true, http.CanonicalHeaderKey(hk): true}
		for k := range r.Header {
			if !allowed[k] {
				t.Fatalf("unexpected header %q\n%s", k, req)
			}
		}
	})
}
