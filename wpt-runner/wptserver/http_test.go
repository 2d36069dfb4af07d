package wptserver

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStaticFiles(t *testing.T) {
	srv := startTest(t)
	c := httpClient(srv)
	p := srv.Ports()
	base := srv.URL("http", "")
	tests := []struct {
		name       string
		url        string
		hdr        []string
		wantStatus int
		wantBody   string
		wantHeader map[string]string
	}{
		{
			name:       "sub.js is substituted without escaping",
			url:        base + "/websockets/constants.sub.js",
			wantStatus: 200,
			wantBody:   fmt.Sprintf("const H = \"web-platform.test\"; const P = \"%d\"; const X = 'www.not-web-platform.test:%d';\n", p.WS, p.WSS),
			wantHeader: map[string]string{"Content-Type": "text/javascript"},
		},
		{
			name:       "sub.html is HTML-escaped",
			url:        base + "/websockets/page.sub.html?q=%3Cb%3E",
			wantStatus: 200,
			wantBody:   "<p>&lt;b&gt;</p>",
			wantHeader: map[string]string{"Content-Type": "text/html"},
		},
		{
			name:       "plain file is not substituted",
			url:        base + "/websockets/plain.js",
			wantStatus: 200,
			wantBody:   "let a = '{{host}}';\n",
		},
		{
			name:       "WebIDLParser.js is webidl2.js, as wptserve routes it",
			url:        base + "/resources/WebIDLParser.js",
			wantStatus: 200,
			wantBody:   "webidl2();\n",
		},
		{
			name:       "headers files",
			url:        base + "/resources/lib.js",
			wantStatus: 200,
			wantBody:   "lib();\n",
			wantHeader: map[string]string{"Content-Type": "text/javascript; charset=utf-8", "X-Extra": "one", "X-Dir": "dir"},
		},
		{
			name:       "sub.headers are substituted",
			url:        base + "/resources/sub.txt",
			wantStatus: 200,
			wantHeader: map[string]string{"Content-Type": "text/plain", "X-Port": fmt.Sprint(p.HTTP[0])},
		},
		{
			name:       "pipe sub on a plain file",
			url:        base + "/websockets/plain.js?pipe=sub",
			wantStatus: 200,
			wantBody:   "let a = 'web-platform.test';\n",
		},
		{
			name:       "pipes status and header",
			url:        base + "/resources/sub.txt?pipe=status(404)|header(X-A,b%5C,c)|header(X-A,d,True)",
			wantStatus: 404,
			wantBody:   "hello\n",
			wantHeader: map[string]string{"X-A": "b,c"},
		},
		{
			name:       "pipe slice",
			url:        base + "/resources/sub.txt?pipe=slice(1,-2)",
			wantStatus: 200,
			wantBody:   "ell",
			wantHeader: map[string]string{"Content-Length": "3"},
		},
		{
			name:       "unknown pipe",
			url:        base + "/resources/sub.txt?pipe=nope",
			wantStatus: 500,
		},
		{
			name:       "built-in blank.html",
			url:        base + "/common/blank.html",
			wantStatus: 200,
			wantBody:   "",
			wantHeader: map[string]string{"Content-Type": "text/html"},
		},
		{
			name:       "missing file",
			url:        base + "/nope.html",
			wantStatus: 404,
			wantBody:   `{"error":{"code":404,"message":""}}`,
			wantHeader: map[string]string{"Content-Type": "application/json"},
		},
		{
			name:       "tools is forbidden",
			url:        base + "/tools/secret.txt",
			wantStatus: 404,
		},
		{
			name:       "directory redirect",
			url:        base + "/websockets",
			wantStatus: 301,
			wantHeader: map[string]string{"Location": "/websockets/"},
		},
		{
			name:       "Python script without a Go version",
			url:        base + "/websockets/unported.py",
			wantStatus: 500,
		},
		{
			name:       "missing Python script",
			url:        base + "/websockets/missing.py",
			wantStatus: 404,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := get(t, c, tc.url, tc.hdr...)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d (%s)", resp.StatusCode, tc.wantStatus, body)
			}
			if tc.wantBody != "" || tc.name == "built-in blank.html" {
				if body != tc.wantBody {
					t.Errorf("body %q, want %q", body, tc.wantBody)
				}
			}
			for k, v := range tc.wantHeader {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
		})
	}
	resp, body := get(t, c, base+"/websockets/")
	if resp.StatusCode != 200 || !strings.Contains(body, `href="constants.sub.js"`) {
		t.Errorf("listing: %d %q", resp.StatusCode, body)
	}
}

func TestTrickle(t *testing.T) {
	t.Parallel()
	srv := startTest(t)
	c := httpClient(srv)
	start := time.Now()
	resp, body := get(t, c, srv.URL("http", "")+"/common/blank.html?pipe=trickle(d1)")
	if d := time.Since(start); d < time.Second {
		t.Errorf("took %v, want at least 1s", d)
	}
	if resp.StatusCode != 200 || body != "" || resp.Header.Get("Cache-Control") != "no-cache, no-store, must-revalidate" {
		t.Errorf("%d %q %v", resp.StatusCode, body, resp.Header)
	}
	resp, body = get(t, c, srv.URL("http", "")+"/resources/sub.txt?pipe=trickle(1:d0.01:r2)")
	if body != "hello\n" {
		t.Errorf("trickle with repeat: %q", body)
	}
}

func TestPythonHelpers(t *testing.T) {
	srv := startTest(t)
	c := httpClient(srv)
	base := srv.URL("http", "")

	resp, body := get(t, c, base+"/websockets/cookies/support/set-cookie.py?ws_test_x=1;%20Path=/;%20SameSite=None")
	if resp.StatusCode != 200 || body != "" || resp.Header.Get("Set-Cookie") != "ws_test_x=1; Path=/; SameSite=None" || resp.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("set-cookie.py: %d %q %v", resp.StatusCode, body, resp.Header)
	}

	resp, body = get(t, c, base+"/websockets/security/check.py")
	if body != "PASS" || resp.Header.Get("Content-Type") != "" {
		t.Errorf("check.py: %q %v", body, resp.Header)
	}
	_, body = get(t, c, base+"/websockets/security/check.py", "Sec-WebSocket-Key", testKey)
	if body != "FAIL" {
		t.Errorf("check.py with key: %q", body)
	}

	// redirect_response.py answers "301 moved", also to a WebSocket
	// handshake sent to the HTTP port.
	conn, err := srv.DialContext(context.Background(), "tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(conn, handshakeRequest(strings.TrimPrefix(base, "http://"), "/websockets/opening-handshake/resources/redirect_response.py"))
	rr, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rr.Status != "301 moved" || rr.Header.Get("Location") != "/echo" || rr.ContentLength != 0 {
		t.Errorf("redirect_response.py: %q %v", rr.Status, rr.Header)
	}

	const key = "8cbd2b5e-51a7-4d1f-9a5f-0c1a2b3c4d5e"
	resp, body = get(t, c, base+"/fetch/api/resources/stash-take.py?key="+key)
	if body != "null" || resp.Header.Get("Content-Type") != "application/json" || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("stash-take.py empty: %q %v", body, resp.Header)
	}
	// The WebSocketStream abort test's request: a handshake to the HTTP
	// port at stash-put.py.
	conn2, err := srv.DialContext(context.Background(), "tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()
	io.WriteString(conn2, handshakeRequest("web-platform.test", "/fetch/api/resources/stash-put.py?key="+key+"&value=connected"))
	pr, err := http.ReadResponse(bufio.NewReader(conn2), nil)
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := io.ReadAll(pr.Body)
	if pr.StatusCode != 200 || string(pb) != "done" {
		t.Errorf("stash-put.py: %d %q", pr.StatusCode, pb)
	}
	resp, _ = get(t, c, base+"/fetch/api/resources/stash-put.py?key="+key+"&value=again")
	if resp.StatusCode != 500 {
		t.Errorf("second put: %d, want 500", resp.StatusCode)
	}
	_, body = get(t, c, base+"/fetch/api/resources/stash-take.py?key="+key)
	if body != `"connected"` {
		t.Errorf("stash-take.py: %q", body)
	}
	_, body = get(t, c, base+"/fetch/api/resources/stash-take.py?key="+key)
	if body != "null" {
		t.Errorf("stash-take.py after take: %q", body)
	}
	resp, _ = get(t, c, base+"/fetch/api/resources/stash-take.py?key=not-a-uuid")
	if resp.StatusCode != 500 {
		t.Errorf("bad key: %d", resp.StatusCode)
	}
}

func TestEchoContent(t *testing.T) {
	srv := startTest(t)
	c := httpClient(srv)
	url := srv.URL("http", "") + "/fetch/api/resources/echo-content.py"
	cases := []struct {
		method, body, contentType string
		wantLength, wantType      string
	}{
		{"POST", "a\r\nb\x00", "multipart/form-data; boundary=x", "5", "multipart/form-data; boundary=x"},
		{"PUT", "", "", "0", "NO"},
		{"GET", "", "", "NO", "NO"},
	}
	for _, tc := range cases {
		var body io.Reader
		if tc.method != "GET" {
			body = strings.NewReader(tc.body)
		}
		req, err := http.NewRequest(tc.method, url, body)
		if err != nil {
			t.Fatal(err)
		}
		if tc.contentType != "" {
			req.Header.Set("Content-Type", tc.contentType)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		h := resp.Header
		if string(got) != tc.body || h.Get("Content-Type") != "text/plain" || h.Get("X-Request-Method") != tc.method ||
			h.Get("X-Request-Content-Length") != tc.wantLength || h.Get("X-Request-Content-Type") != tc.wantType {
			t.Errorf("%s %q: %q %v", tc.method, tc.body, got, h)
		}
	}
}

func TestHTTPSAndHosts(t *testing.T) {
	srv := startTest(t)
	c := httpClient(srv)
	for _, sub := range []string{"", "www", "www2", "天気の良い日", "élève", "www.www1"} {
		host, ok := srv.Domain(sub, false)
		if !ok {
			t.Fatalf("no domain %q", sub)
		}
		resp, _ := get(t, c, srv.URL("https", host)+"/resources/lib.js")
		if resp.StatusCode != 200 || resp.Proto != "HTTP/1.1" {
			t.Errorf("%s: %d %s", host, resp.StatusCode, resp.Proto)
		}
	}
	alt, _ := srv.Domain("www", true)
	if alt != "www.not-web-platform.test" {
		t.Errorf("alt www %q", alt)
	}
	resp, _ := get(t, c, srv.URL("https", alt)+"/resources/lib.js")
	if resp.StatusCode != 200 {
		t.Errorf("%s: %d", alt, resp.StatusCode)
	}
	resp, _ = get(t, c, srv.URL("h2", "")+"/resources/lib.js")
	if resp.StatusCode != 200 || resp.Proto != "HTTP/2.0" {
		t.Errorf("h2: %d %s", resp.StatusCode, resp.Proto)
	}
	resp, _ = get(t, c, fmt.Sprintf("https://127.0.0.1:%d/resources/lib.js", srv.Ports().HTTPS[1]))
	if resp.StatusCode != 200 {
		t.Errorf("127.0.0.1: %d", resp.StatusCode)
	}
	// The not-subdomains never resolve.
	_, err := c.Get(fmt.Sprintf("http://nonexistent.web-platform.test:%d/", srv.Ports().HTTP[0]))
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Errorf("nonexistent host: %v", err)
	}
	// Nothing outside the machine is reachable: other names do not resolve, other
	// addresses are refused, before any packet is sent.
	for _, addr := range []string{"invalid:80", "example.com:443", "192.0.2.1:80", "[2001:db8::1]:80"} {
		if _, err := srv.DialContext(context.Background(), "tcp", addr); !errors.As(err, &dnsErr) {
			t.Errorf("dial %s: %v, want a DNS not-found error", addr, err)
		}
	}
	// A certificate for another name is refused by a verifying client.
	conn, err := srv.DialContext(context.Background(), "tcp", fmt.Sprintf("web-platform.test:%d", srv.Ports().WSS))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := tls.Client(conn, &tls.Config{RootCAs: srv.CA(), ServerName: "example.org"}).Handshake(); err == nil {
		t.Errorf("certificate accepted for example.org")
	}
	if pem := srv.CAPEM(); !strings.HasPrefix(string(pem), "-----BEGIN CERTIFICATE-----") {
		t.Errorf("CAPEM %q", pem)
	}
}

func TestURLAndPorts(t *testing.T) {
	srv := startTest(t)
	p := srv.Ports()
	for _, port := range []int{p.HTTP[0], p.HTTP[1], p.HTTPS[0], p.HTTPS[1], p.WS, p.WSS, p.H2} {
		if port == 0 {
			t.Fatalf("unassigned port in %+v", p)
		}
	}
	tests := []struct{ scheme, host, want string }{
		{"http", "", fmt.Sprintf("http://web-platform.test:%d", p.HTTP[0])},
		{"https", "www.web-platform.test", fmt.Sprintf("https://www.web-platform.test:%d", p.HTTPS[0])},
		{"ws", "", fmt.Sprintf("ws://web-platform.test:%d", p.WS)},
		{"wss", "", fmt.Sprintf("wss://web-platform.test:%d", p.WSS)},
		{"h2", "", fmt.Sprintf("https://web-platform.test:%d", p.H2)},
		{"gopher", "", ""},
	}
	for _, tc := range tests {
		if got := srv.URL(tc.scheme, tc.host); got != tc.want {
			t.Errorf("URL(%q, %q) = %q, want %q", tc.scheme, tc.host, got, tc.want)
		}
	}
}

func TestStartErrors(t *testing.T) {
	if _, err := Start(Config{Root: "/nonexistent/wpt/root"}); err == nil {
		t.Errorf("Start with a missing root succeeded")
	}
	if _, err := Start(Config{Root: t.TempDir(), Host: "a.test", AltHost: "b.a.test"}); err == nil {
		t.Errorf("Start with overlapping hosts succeeded")
	}
	srv := startTest(t)
	// A port in use is reported.
	_, err := Start(Config{Root: t.TempDir(), Ports: Ports{WS: srv.Ports().WS}})
	if err == nil || !strings.Contains(err.Error(), "ws server") {
		t.Errorf("Start on a used port: %v", err)
	}
}
