package fetch

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/wsjs/wsjs/bindings/network"
)

func TestFetchHTTPS(t *testing.T) {
	// An HTTP/2 server with its own certificate: the policy's TLSConfig trusts
	// it, and HTTP/2 responses have no status message.
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Proto)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	e := newTestEnv(t, srv.URL+"/", Options{Network: &network.Policy{TLSConfig: &tls.Config{RootCAs: roots}}})
	if got := e.run(`const r = await fetch("/"); return [r.status, JSON.stringify(r.statusText), await r.text()].join()`); got != `200,"",HTTP/2.0` {
		t.Errorf("HTTP/2 fetch: %s", got)
	}
	// Without the root, the certificate is not trusted.
	e2 := newTestEnv(t, srv.URL+"/", Options{})
	if got := e2.run(`return await rejection(fetch("/"))`); got != "TypeError" {
		t.Errorf("untrusted certificate: %s", got)
	}
}

func TestFetchProxy(t *testing.T) {
	// A forward proxy on loopback answers requests for any http: URL;
	// the connection policy sees the proxy's address.
	var mu sync.Mutex
	var proxied []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		proxied = append(proxied, r.Method+" "+r.RequestURI)
		mu.Unlock()
		io.WriteString(w, "via proxy")
	}))
	t.Cleanup(proxy.Close)
	pu, _ := url.Parse(proxy.URL)
	var dialed []string
	e := newTestEnv(t, "http://example.test/", Options{Network: &network.Policy{
		Proxy: http.ProxyURL(pu),
		Allow: func(u *url.URL, addr netip.AddrPort) error {
			if addr.IsValid() {
				mu.Lock()
				dialed = append(dialed, addr.String())
				mu.Unlock()
			}
			return nil
		},
	}})
	if got := e.run(`return await (await fetch("/a?b")).text()`); got != "via proxy" {
		t.Errorf("proxied fetch: %s", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(proxied) != 1 || proxied[0] != "GET http://example.test/a?b" {
		t.Errorf("the proxy saw %q", proxied)
	}
	if len(dialed) != 1 || dialed[0] != strings.TrimPrefix(proxy.URL, "http://") {
		t.Errorf("dialed %q, want the proxy %s", dialed, proxy.URL)
	}
}
