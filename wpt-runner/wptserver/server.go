package wptserver

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is a running set of WPT servers, all listening on 127.0.0.1.
type Server struct {
	root  string
	hosts *hostTable
	ports Ports
	certs *certs
	stash *stash
	logfn func(format string, args ...any)

	ctx    context.Context // cancelled by Close: ends sleeps and handlers
	cancel context.CancelFunc

	httpServers []*http.Server
	wsServers   []*wsServer
	h2ws        h2Sessions // WebSocket handlers on the h2 port
	closeOnce   sync.Once
	closeErr    error
}

// Start makes the certificates, opens every listener and starts serving.
// It fails if Root is not a directory or a port cannot be bound.
func Start(cfg Config) (*Server, error) {
	root := cfg.Root
	if root == "" {
		root = DefaultRoot
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("wptserver: root: %w", err)
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("wptserver: root %s is not a directory", root)
	}
	hosts, err := newHostTable(cfg.Host, cfg.AltHost)
	if err != nil {
		return nil, err
	}
	c, err := newCerts(hosts.resolvable())
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		root:   root,
		hosts:  hosts,
		certs:  c,
		stash:  newStash(),
		logfn:  cfg.Logf,
		ctx:    ctx,
		cancel: cancel,
	}

	// Bind everything first so that the template values are known before
	// the first request.
	type pending struct {
		ln   net.Listener
		kind string // "http", "https", "h2", "ws", "wss"
	}
	var lns []pending
	listen := func(port int, kind string) (int, error) {
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			return 0, fmt.Errorf("wptserver: %s server: %w", kind, err)
		}
		lns = append(lns, pending{ln, kind})
		return ln.Addr().(*net.TCPAddr).Port, nil
	}
	fail := func(err error) (*Server, error) {
		for _, p := range lns {
			p.ln.Close()
		}
		cancel()
		return nil, err
	}
	p := cfg.Ports
	for i := range p.HTTP {
		if s.ports.HTTP[i], err = listen(p.HTTP[i], "http"); err != nil {
			return fail(err)
		}
	}
	for i := range p.HTTPS {
		if s.ports.HTTPS[i], err = listen(p.HTTPS[i], "https"); err != nil {
			return fail(err)
		}
	}
	if s.ports.WS, err = listen(p.WS, "ws"); err != nil {
		return fail(err)
	}
	if s.ports.WSS, err = listen(p.WSS, "wss"); err != nil {
		return fail(err)
	}
	if s.ports.H2, err = listen(p.H2, "h2"); err != nil {
		return fail(err)
	}

	for _, pl := range lns {
		switch pl.kind {
		case "http", "https", "h2":
			scheme := "http"
			if pl.kind != "http" {
				scheme = "https"
			}
			hs := &http.Server{
				Handler:           &httpHandler{srv: s, scheme: scheme},
				ReadHeaderTimeout: time.Minute,
				BaseContext:       func(net.Listener) context.Context { return ctx },
				ErrorLog:          log.New(logWriter{s}, "", 0),
			}
			ln := pl.ln
			switch pl.kind {
			case "https":
				// wptserve speaks HTTP/1.1 only on its https ports.
				hs.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){}
				ln = tls.NewListener(ln, s.tlsConfig("http/1.1"))
			case "h2":
				// x/net/http2's server, for WebSocket over HTTP/2
				// (h2ws.go).
				ln = tls.NewListener(ln, s.tlsConfig("h2", "http/1.1"))
				hs.Handler = s.h2Handler(hs.Handler)
				if err := configureH2(hs); err != nil {
					return fail(err)
				}
			}
			s.httpServers = append(s.httpServers, hs)
			go hs.Serve(ln)
		case "ws", "wss":
			ws := &wsServer{srv: s, ln: pl.ln, secure: pl.kind == "wss"}
			if ws.secure {
				ws.ln = tls.NewListener(pl.ln, s.tlsConfig("http/1.1"))
			}
			s.wsServers = append(s.wsServers, ws)
			go ws.serve()
		}
	}
	return s, nil
}

func (s *Server) tlsConfig(protos ...string) *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{s.certs.server},
		NextProtos:   protos,
		MinVersion:   tls.VersionTLS12,
	}
}

// logWriter sends net/http's own messages (TLS handshake errors, ...) to
// Config.Logf.
type logWriter struct{ s *Server }

func (w logWriter) Write(p []byte) (int, error) {
	w.s.logf("%s", strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

func (s *Server) logf(format string, args ...any) {
	if s.logfn != nil {
		s.logfn(format, args...)
	}
}

// Close stops every server, ends the connections they hold and waits for
// their goroutines. It is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.cancel()
		var errs []error
		for _, hs := range s.httpServers {
			if err := hs.Close(); err != nil {
				errs = append(errs, err)
			}
		}
		for _, ws := range s.wsServers {
			ws.close()
		}
		s.h2ws.close()
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

// Ports returns the ports the servers listen on.
func (s *Server) Ports() Ports { return s.ports }

// Host returns the primary host name ({{host}}), e.g. "web-platform.test".
func (s *Server) Host() string { return s.hosts.primary }

// Domain returns the host name of subdomain sub ("" for the host itself,
// e.g. "www1" or "天気の良い日") of the primary host, or of the alternate
// host when alt is set, in ASCII form; ok is false for an unknown subdomain.
func (s *Server) Domain(sub string, alt bool) (host string, ok bool) {
	key := ""
	if alt {
		key = "alt"
	}
	host, ok = s.hosts.domains[key][sub]
	return host, ok
}

// URL returns the origin "scheme://host:port" of the first server for
// scheme ("http", "https", "ws", "wss" or "h2", which is https on the h2
// port) at host; an empty host means the primary one. It returns "" for an
// unknown scheme.
func (s *Server) URL(scheme, host string) string {
	if host == "" {
		host = s.hosts.primary
	}
	var port int
	switch scheme {
	case "http":
		port = s.ports.HTTP[0]
	case "https":
		port = s.ports.HTTPS[0]
	case "ws":
		port = s.ports.WS
	case "wss":
		port = s.ports.WSS
	case "h2":
		scheme, port = "https", s.ports.H2
	default:
		return ""
	}
	return scheme + "://" + net.JoinHostPort(host, strconv.Itoa(port))
}

// CA returns a pool holding the certificate authority that signed the
// servers' certificate, for a client's tls.Config.RootCAs.
func (s *Server) CA() *x509.CertPool { return s.certs.pool.Clone() }

// CAPEM returns the certificate authority in PEM form.
func (s *Server) CAPEM() []byte { return append([]byte(nil), s.certs.caPEM...) }

// DialContext dials like net.Dialer.DialContext, except that the WPT host
// names (the primary and alternate hosts and their subdomains) resolve to
// 127.0.0.1 without consulting the system resolver, and the names WPT
// declares non-existent (nonexistent.web-platform.test, ...) fail to
// resolve. Loopback addresses and localhost are dialled unchanged; any other
// name fails to resolve and any other address is refused, so that tests reach
// nothing outside the machine.
func (s *Server) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: err}
	}
	known, resolves := s.hosts.lookup(host)
	if known && !resolves {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}
	if known {
		addr = net.JoinHostPort("127.0.0.1", port)
	} else if ip, err := netip.ParseAddr(host); host != "localhost" && (err != nil || !ip.IsLoopback()) {
		// Tests reach nothing but this server: other names do not resolve (so no DNS
		// query leaves the machine, as for "ws://invalid" in idlharness.any.js) and
		// other addresses are unreachable.
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}
