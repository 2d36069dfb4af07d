package network

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// listen serves each connection to a loopback listener with handle and
// returns the listener's address.
func listen(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				handle(conn)
			}()
		}
	}()
	return ln.Addr().String()
}

// greet writes "hello" and closes.
func greet(c net.Conn) { io.WriteString(c, "hello") }

// asked records the calls of an Allow function and refuses the addresses in
// deny.
type asked struct {
	mu    sync.Mutex
	calls []string
	deny  map[string]bool
}

var errVeto = errors.New("vetoed")

func (a *asked) allow(u *url.URL, addr netip.AddrPort) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := "url"
	if addr.IsValid() {
		s = addr.Addr().String()
	}
	a.calls = append(a.calls, s)
	if a.deny[s] {
		return errVeto
	}
	return nil
}

func (a *asked) String() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return strings.Join(a.calls, " ")
}

// addrConn is a connection that claims to be connected to remote.
type addrConn struct {
	net.Conn
	remote net.Addr
}

func (c *addrConn) RemoteAddr() net.Addr { return c.remote }

func TestCheck(t *testing.T) {
	u, _ := url.Parse("wss://chat.example/room")
	tests := []struct {
		name   string
		policy *Policy
		denied bool
	}{
		{"nil policy", nil, false},
		{"no Allow", &Policy{}, false},
		{"allowed", &Policy{Allow: func(*url.URL, netip.AddrPort) error { return nil }}, false},
		{"refused", &Policy{Allow: func(*url.URL, netip.AddrPort) error { return errVeto }}, true},
		{"a name, judged once resolved", &Policy{Allow: DenyPrivateNetworks}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.policy.Check(u)
			if (err != nil) != tt.denied {
				t.Fatalf("Check: %v, want denied=%v", err, tt.denied)
			}
			if err == nil {
				return
			}
			var de *DeniedError
			if !errors.As(err, &de) || de.URL != u || de.Addr.IsValid() || !errors.Is(err, errVeto) {
				t.Errorf("error %#v", err)
			}
			if want := "connection to wss://chat.example/room not allowed: vetoed"; err.Error() != want {
				t.Errorf("error %q, want %q", err, want)
			}
		})
	}
}

func TestDialContext(t *testing.T) {
	addr := listen(t, greet)
	u, _ := url.Parse("http://server.test/")
	v4mapped := &net.TCPAddr{IP: net.ParseIP("::ffff:127.0.0.1"), Port: 80}
	mapped := func(ctx context.Context, network, _ string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &addrConn{Conn: c, remote: v4mapped}, nil
	}
	unknown := func(ctx context.Context, network, _ string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &addrConn{Conn: c}, nil
	}
	toServer := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	tests := []struct {
		name    string
		dial    func(ctx context.Context, network, addr string) (net.Conn, error)
		target  string // what is dialed
		noURL   bool   // the context carries no URL
		deny    string // the address Allow refuses
		noAllow bool
		asked   string // the calls of Allow
		wantErr string // "" for success
	}{
		{name: "no policy", target: addr, noAllow: true},
		{name: "allowed", target: addr, asked: "127.0.0.1"},
		{name: "refused before connecting", target: addr, deny: "127.0.0.1", asked: "127.0.0.1", wantErr: "vetoed"},
		{name: "custom dial, name given as is", dial: toServer, target: "server.test:80", asked: "127.0.0.1"},
		{name: "custom dial refused", dial: toServer, target: "server.test:80", deny: "127.0.0.1", asked: "127.0.0.1", wantErr: "vetoed"},
		{name: "mapped address unmapped", dial: mapped, target: "server.test:80", deny: "127.0.0.1", asked: "127.0.0.1", wantErr: "vetoed"},
		{name: "address unknown", dial: unknown, target: "server.test:80", wantErr: "cannot tell"},
		{name: "no URL", target: addr, noURL: true, wantErr: "no URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &asked{deny: map[string]bool{tt.deny: true}}
			p := &Policy{Dial: tt.dial, Allow: a.allow}
			if tt.noAllow {
				p.Allow = nil
			}
			ctx := context.Background()
			if !tt.noURL {
				ctx = WithURL(ctx, u)
			}
			conn, err := p.DialContext(ctx, "tcp", tt.target)
			if got := a.String(); got != tt.asked {
				t.Errorf("Allow asked about %q, want %q", got, tt.asked)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				if b, _ := io.ReadAll(conn); string(b) != "hello" {
					t.Errorf("read %q", b)
				}
				return
			}
			var de *DeniedError
			if err == nil || !errors.As(err, &de) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want a *DeniedError saying %q", err, tt.wantErr)
			}
		})
	}
}

// TestDialContextResolver: the default dialer looks names up with Resolver.
func TestDialContextResolver(t *testing.T) {
	var mu sync.Mutex
	asked := 0
	p := &Policy{Resolver: &net.Resolver{
		PreferGo: true,
		Dial: func(context.Context, string, string) (net.Conn, error) {
			mu.Lock()
			asked++
			mu.Unlock()
			return nil, errors.New("no name server")
		},
	}}
	if _, err := p.DialContext(context.Background(), "tcp", "server.test:80"); err == nil {
		t.Fatal("dialed a name no resolver knows")
	}
	mu.Lock()
	defer mu.Unlock()
	if asked == 0 {
		t.Error("Resolver was not used")
	}
}

// proxy serves HTTP CONNECT on loopback: it records the request target and
// answers with answer, then, for a 2xx answer, relays to upstream.
func proxy(t *testing.T, answer, upstream string, seen chan<- string) string {
	return listen(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		req, err := http.ReadRequest(br)
		if err != nil || req.Method != http.MethodConnect {
			return
		}
		seen <- req.RequestURI + " " + req.Header.Get("Proxy-Authorization")
		io.WriteString(c, answer)
		if !strings.Contains(answer, " 200 ") {
			return
		}
		up, err := net.Dial("tcp", upstream)
		if err != nil {
			return
		}
		defer up.Close()
		go io.Copy(up, br)
		io.Copy(c, up)
	})
}

func TestConnect(t *testing.T) {
	server := listen(t, greet)
	_, port, _ := net.SplitHostPort(server)
	seen := make(chan string, 1)
	ok := proxy(t, "HTTP/1.1 200 Connection established\r\n\r\n", server, seen)
	early := proxy(t, "HTTP/1.1 200 OK\r\n\r\nearly ", server, seen)
	forbidden := proxy(t, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", server, seen)
	old := proxy(t, "HTTP/1.0 200 OK\r\n\r\n", server, seen)
	via := func(addr string, user *url.Userinfo) func(*http.Request) (*url.URL, error) {
		return func(*http.Request) (*url.URL, error) { return &url.URL{Scheme: "http", Host: addr, User: user}, nil }
	}
	direct := func(*http.Request) (*url.URL, error) { return nil, nil }
	tests := []struct {
		name      string
		url       string
		proxy     func(*http.Request) (*url.URL, error)
		deny      string
		asked     string
		proxySaw  string // the CONNECT target and Proxy-Authorization; "" for no proxy
		wantRead  string
		wantErr   string
		denialErr bool
	}{
		{name: "direct", url: "ws://" + server + "/", proxy: direct, asked: "url 127.0.0.1", wantRead: "hello"},
		{name: "through a proxy", url: "ws://server.test:" + port + "/", proxy: via(ok, url.UserPassword("u", "p")),
			asked: "url 127.0.0.1", proxySaw: "server.test:" + port + " Basic dTpw", wantRead: "hello"},
		{name: "default port", url: "ws://server.test/", proxy: via(ok, nil), asked: "url 127.0.0.1", proxySaw: "server.test:80 ", wantRead: "hello"},
		{name: "bytes after the proxy's answer", url: "http://server.test:" + port + "/", proxy: via(early, nil),
			asked: "url 127.0.0.1", proxySaw: "server.test:" + port + " ", wantRead: "early hello"},
		{name: "proxy refuses", url: "ws://server.test/", proxy: via(forbidden, nil), asked: "url 127.0.0.1", proxySaw: "server.test:80 ", wantErr: "status 403"},
		{name: "proxy answers in HTTP/1.0", url: "ws://server.test/", proxy: via(old, nil), asked: "url 127.0.0.1", proxySaw: "server.test:80 ", wantErr: "HTTP/1.0"},
		{name: "proxy's address refused", url: "ws://server.test/", proxy: via(ok, nil), deny: "127.0.0.1", asked: "url 127.0.0.1", wantErr: "vetoed", denialErr: true},
		{name: "unsupported proxy", url: "ws://server.test/", proxy: func(*http.Request) (*url.URL, error) {
			return &url.URL{Scheme: "socks5", Host: ok}, nil
		}, asked: "url", wantErr: "socks5"},
		{name: "not a URL to connect for", url: "ftp://" + server + "/", proxy: direct, asked: "url", wantErr: "ftp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &asked{deny: map[string]bool{tt.deny: true}}
			p := &Policy{Allow: a.allow, Proxy: tt.proxy}
			u, _ := url.Parse(tt.url)
			// Connect leaves the check of the URL to its caller.
			if err := p.Check(u); err != nil {
				t.Fatal(err)
			}
			conn, err := p.Connect(context.Background(), u, nil)
			if got := a.String(); got != tt.asked {
				t.Errorf("Allow asked about %q, want %q", got, tt.asked)
			}
			select {
			case got := <-seen:
				if got != tt.proxySaw {
					t.Errorf("the proxy saw %q, want %q", got, tt.proxySaw)
				}
			default:
				if tt.proxySaw != "" {
					t.Error("the proxy was not asked")
				}
			}
			if tt.wantErr != "" {
				var de *DeniedError
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || errors.As(err, &de) != tt.denialErr {
					t.Fatalf("err = %v, want %q (denied: %v)", err, tt.wantErr, tt.denialErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if b, _ := io.ReadAll(conn); string(b) != tt.wantRead {
				t.Errorf("read %q, want %q", b, tt.wantRead)
			}
		})
	}
}

// TestConnectTLS: wss: and https: URLs get TLS with the policy's roots, the URL's
// host as server name, and the protocols asked for in ALPN.
func TestConnectTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Proto)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	toServer := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}
	tests := []struct {
		name    string
		policy  *Policy
		protos  []string
		wantALP string // the protocol the server selects
		wantErr string
	}{
		{name: "untrusted", policy: &Policy{Dial: toServer}, wantErr: "certificate"},
		{name: "h2 offered", policy: &Policy{Dial: toServer, TLSConfig: srv.Client().Transport.(*http.Transport).TLSClientConfig},
			protos: []string{"h2", "http/1.1"}, wantALP: "h2"},
		{name: "http/1.1 only", policy: &Policy{Dial: toServer, TLSConfig: srv.Client().Transport.(*http.Transport).TLSClientConfig},
			// The server offers h2 alone: nothing is selected.
			protos: []string{"http/1.1"}, wantALP: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The test certificate is for example.com.
			u := &url.URL{Scheme: "wss", Host: "example.com:" + port, Path: "/"}
			conn, err := tt.policy.Connect(context.Background(), u, tt.protos)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			tc, ok := conn.(*tls.Conn)
			if !ok {
				t.Fatalf("a %T, not a TLS connection", conn)
			}
			if st := tc.ConnectionState(); st.NegotiatedProtocol != tt.wantALP || st.ServerName != "example.com" {
				t.Errorf("ALPN %q, server name %q; want %q, example.com", st.NegotiatedProtocol, st.ServerName, tt.wantALP)
			}
		})
	}
}

// TestTransport: requests through Transport go through the proxy the policy
// picks, and Allow judges the address dialed, the proxy's.
func TestTransport(t *testing.T) {
	var mu sync.Mutex
	var proxied []string
	fwd := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		proxied = append(proxied, r.RequestURI)
		mu.Unlock()
		io.WriteString(w, "via proxy")
	}))
	defer fwd.Close()
	pu, _ := url.Parse(fwd.URL)
	a := &asked{}
	p := &Policy{Allow: a.allow, Proxy: http.ProxyURL(pu)}
	tr := p.Transport()
	defer tr.CloseIdleConnections()
	u, _ := url.Parse("http://server.test/a?b")
	req, _ := http.NewRequestWithContext(WithURL(context.Background(), u), http.MethodGet, u.String(), nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "via proxy" {
		t.Errorf("body %q", body)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(proxied) != 1 || proxied[0] != u.String() {
		t.Errorf("the proxy saw %q", proxied)
	}
	if got := a.String(); got != "127.0.0.1" {
		t.Errorf("Allow asked about %q", got)
	}

	// A request without its URL is refused once Allow is set.
	req, _ = http.NewRequest(http.MethodGet, u.String(), nil)
	var de *DeniedError
	if _, err := p.Transport().RoundTrip(req); !errors.As(err, &de) {
		t.Errorf("err = %v, want a *DeniedError", err)
	}
}

func TestReport(t *testing.T) {
	var got []string
	log := &Policy{Log: func(url string, err error) { got = append(got, url+": "+err.Error()) }}
	tests := []struct {
		policy *Policy
		err    error
	}{
		{nil, errVeto},
		{&Policy{}, errVeto},
		{log, nil},
		{log, errVeto},
	}
	for _, tt := range tests {
		tt.policy.Report("ws://x/", tt.err)
	}
	if len(got) != 1 || got[0] != "ws://x/: vetoed" {
		t.Errorf("logged %q", got)
	}
}
