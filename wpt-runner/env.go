package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/wsjs/wsjs/wpt-runner/manifest"
	"github.com/wsjs/wsjs/wpt-runner/wptserver"
)

// An env is the server side of a run: where test URLs point and how to reach
// them. It is either the built-in wptserver or a "wpt serve" the user runs.
type env struct {
	host                        string // primary host name, e.g. web-platform.test
	httpPort, httpsPort, h2Port int
	dial                        func(ctx context.Context, network, addr string) (net.Conn, error)
	roots                       *x509.CertPool
	client                      *http.Client
	close                       func() error
	describe                    string
}

// testURL returns the absolute URL of test t: http, https or the HTTP/2
// server as its flags say (wptrunner: a test's "protocol" is h2 if it has
// the h2 flag, else https if it has the https flag, else http), on the
// primary host or its www subdomain.
func (e *env) testURL(t manifest.Test) (*url.URL, error) {
	scheme, port := "http", e.httpPort
	switch {
	case t.H2():
		scheme, port = "https", e.h2Port
	case t.HTTPS():
		scheme, port = "https", e.httpsPort
	}
	host := e.host
	if t.Subdomain() {
		host = "www." + host
	}
	path, frag, _ := strings.Cut(t.URL, "#")
	path, query, hasQuery := strings.Cut(path, "?")
	u := &url.URL{Scheme: scheme, Host: net.JoinHostPort(host, strconv.Itoa(port)), Path: path}
	if hasQuery {
		u.RawQuery = query
		u.ForceQuery = query == ""
	}
	u.Fragment = frag
	return url.Parse(u.String())
}

func newClient(dial func(ctx context.Context, network, addr string) (net.Conn, error), roots *x509.CertPool) *http.Client {
	tr := &http.Transport{
		DialContext:         dial,
		TLSClientConfig:     &tls.Config{RootCAs: roots},
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     30 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// builtinEnv starts the built-in server on loopback, on WPT's default ports when they
// are free (some subtest names contain a port, so results, expectations and wpt.fyi
// compare only then), else on free ports, with a warning.
func builtinEnv(root string, logf func(string, ...any)) (*env, error) {
	srv, err := wptserver.Start(wptserver.Config{Root: root, Logf: logf, Ports: wptserver.DefaultPorts()})
	if err != nil {
		fmt.Fprintf(os.Stderr, "wpt-runner: WPT's default ports are not free (%v); using free ports, so subtests whose names contain a port will not match the expectations\n", err)
		srv, err = wptserver.Start(wptserver.Config{Root: root, Logf: logf})
	}
	if err != nil {
		return nil, err
	}
	p := srv.Ports()
	roots := srv.CA()
	return &env{
		host:      srv.Host(),
		httpPort:  p.HTTP[0],
		httpsPort: p.HTTPS[0],
		h2Port:    p.H2,
		dial:      srv.DialContext,
		roots:     roots,
		client:    newClient(srv.DialContext, roots),
		close:     srv.Close,
		describe:  fmt.Sprintf("built-in server on 127.0.0.1 (http %d, https %d, h2 %d, ws %d, wss %d)", p.HTTP[0], p.HTTPS[0], p.H2, p.WS, p.WSS),
	}, nil
}

// externalConfig configures a run against a server the user runs.
type externalConfig struct {
	host                        string
	httpPort, httpsPort, h2Port int
	caFile                      string // PEM certificates to trust besides the system's
	resolve                     string // address every WPT host name resolves to; empty: the system resolver
}

// externalEnv describes a server the user runs ("wpt serve").
func externalEnv(c externalConfig) (*env, error) {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if c.caFile != "" {
		pem, err := os.ReadFile(c.caFile)
		if err != nil {
			return nil, fmt.Errorf("--ca-file: %w", err)
		}
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ca-file %s: no PEM certificate in it", c.caFile)
		}
	}
	var d net.Dialer
	dial := d.DialContext
	if c.resolve != "" {
		if net.ParseIP(c.resolve) == nil {
			return nil, fmt.Errorf("--resolve %q: not an IP address", c.resolve)
		}
		suffixes := []string{c.host, "not-" + c.host}
		dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			h, port, err := net.SplitHostPort(addr)
			if err == nil {
				lh := strings.ToLower(strings.TrimSuffix(h, "."))
				for _, s := range suffixes {
					if lh == s || strings.HasSuffix(lh, "."+s) {
						addr = net.JoinHostPort(c.resolve, port)
						break
					}
				}
			}
			return d.DialContext(ctx, network, addr)
		}
	}
	return &env{
		host:      c.host,
		httpPort:  c.httpPort,
		httpsPort: c.httpsPort,
		h2Port:    c.h2Port,
		dial:      dial,
		roots:     roots,
		client:    newClient(dial, roots),
		close:     func() error { return nil },
		describe:  fmt.Sprintf("external server %s (http %d, https %d, h2 %d)", c.host, c.httpPort, c.httpsPort, c.h2Port),
	}, nil
}
