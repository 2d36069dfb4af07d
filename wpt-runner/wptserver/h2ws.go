package wptserver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"strings"
	"sync"
	_ "unsafe" // go:linkname

	"golang.org/x/net/http2"
)

// WebSocket over HTTP/2 (RFC 8441) on the h2 port, as wptserve does with
// pywebsocket3 (tools/wptserve/wptserve/server.py, _stream_ws_thread, and
// ws_h2_handshake.py): an extended CONNECT request with :protocol websocket
// runs the opening handshake of the ws port's handlers, answered by a 200
// response, and the handler's stream is the HTTP/2 stream.

// x/net/http2's server allows extended CONNECT only when GODEBUG contains
// http2xconnect=1 at start (the setting is off by default since
// golang/go#71128; golang/go#53208 proposes a server option, which should
// replace this). The h2 port must allow it without asking anything of the
// environment, so the package sets x/net's switch itself. It applies to every
// x/net/http2 server in the process; net/http's own HTTP/2 is not affected.
//
//go:linkname xnetNoExtendedConnect golang.org/x/net/http2.disableExtendedConnectProtocol
var xnetNoExtendedConnect bool

func init() { xnetNoExtendedConnect = false }

// configureH2 makes hs answer ALPN h2 with x/net/http2's server.
func configureH2(hs *http.Server) error {
	if err := http2.ConfigureServer(hs, &http2.Server{}); err != nil {
		return fmt.Errorf("wptserver: h2 server: %w", err)
	}
	return nil
}

// h2Sessions counts the WebSocket handlers running on the h2 port, so that
// Close can wait for them.
type h2Sessions struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

func (s *h2Sessions) add() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}

// close refuses new sessions and waits for the running ones.
func (s *h2Sessions) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.wg.Wait()
}

// h2Handler sends extended CONNECT requests to the WebSocket handlers and
// everything else to next.
func (s *Server) h2Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect && r.Header.Get(":protocol") != "" {
			s.serveH2WebSocket(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// h2Response is the server's half of the stream: the response, whose head
// the handshake sends, then its body.
type h2Response struct {
	w    http.ResponseWriter
	rc   *http.ResponseController
	sent bool // the response head was sent
}

// Write sends p in DATA frames at once. Bytes a handler writes before the
// handshake's response (the raw answers some handlers write on the ws port)
// would be DATA before HEADERS, which a client takes as a malformed
// response: the stream is reset instead.
func (o *h2Response) Write(p []byte) (int, error) {
	if !o.sent {
		return 0, errors.New("data before the response head")
	}
	n, err := o.w.Write(p)
	if err == nil {
		err = o.rc.Flush()
	}
	return n, err
}

// respond sends the handshake's response (ws_h2_handshake.py, _send_handshake):
// 200 with the subprotocol, the extensions and the handler's extra headers.
// Upgrade and Connection, which that script also sets, are connection-specific
// fields HTTP/2 forbids (RFC 9113 section 8.2.2,
// https://www.rfc-editor.org/rfc/rfc9113#section-8.2.2).
func (o *h2Response) respond(r *wsRequest, accepted []extension) error {
	h := o.w.Header()
	if r.hasProtocol {
		h.Set("Sec-WebSocket-Protocol", r.protocol)
	}
	if len(accepted) > 0 {
		parts := make([]string, len(accepted))
		for i, a := range accepted {
			parts[i] = formatExtension(a)
		}
		h.Set("Sec-WebSocket-Extensions", strings.Join(parts, ", "))
	}
	for _, eh := range r.extraHeaders {
		addH2Header(h, eh[0], eh[1])
	}
	o.w.WriteHeader(http.StatusOK)
	o.sent = true
	if err := o.rc.Flush(); err != nil {
		return wsErr(errConnTerminated, "writing the response: %v", err)
	}
	return nil
}

// addH2Header adds a handler's extra header. A value holding CRLF ends the
// field on the ws port, where the rest becomes more header lines
// (set-cookie_http_wsh.py appends Sec-WebSocket-Origin that way); HTTP/2
// cannot carry CR or LF in a value, so the lines become fields of their own,
// as a client reading the HTTP/1.1 response would see them.
func addH2Header(h http.Header, name, value string) {
	lines := strings.Split(value, "\r\n")
	h.Add(name, lines[0])
	for _, l := range lines[1:] {
		if k, v, ok := strings.Cut(l, ":"); ok && k != "" {
			h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		}
	}
}

// serveH2WebSocket runs a ws handler on an extended CONNECT stream, in the
// order of wptserve's _stream_ws_thread: handler lookup (404), the opening
// handshake (its error status, none after an abort), then the transfer; the
// stream ends with END_STREAM when the handler is done. Where the ws port
// would drop the connection before any response, the stream is reset.
func (s *Server) serveH2WebSocket(w http.ResponseWriter, r *http.Request) {
	if !s.h2ws.add() {
		panic(http.ErrAbortHandler)
	}
	defer s.h2ws.wg.Done()
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	out := &h2Response{w: w, rc: http.NewResponseController(w)}
	// The fields as handlers see them, :authority as Host (and :protocol
	// under its own name).
	header := textproto.MIMEHeader(r.Header.Clone())
	if r.Host != "" {
		header.Set("Host", r.Host)
	}
	req := &wsRequest{
		ctx:    ctx,
		srv:    s,
		method: r.Method,
		uri:    r.RequestURI,
		proto:  r.Proto,
		header: header,
		h2:     out,
	}
	req.wsStream = &wsStream{req: req, conn: out, br: bufio.NewReaderSize(r.Body, 4096)}

	path, fragment, hasFragment := strings.Cut(req.uri, "#")
	path, _, _ = strings.Cut(path, "?")
	h := wsHandlers[path]
	if h == nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if hasFragment && fragment != "" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	req.handler = h
	ws := &wsServer{srv: s, secure: true}
	err := ws.handshake(req)
	var he *handshakeError
	var ve *versionError
	switch {
	case err == nil:
	case out.sent:
		// The response went out and then failed: the client is gone.
		return
	case errors.As(err, &ve):
		w.WriteHeader(http.StatusBadRequest)
		return
	case errors.As(err, &he):
		s.logf("h2 ws %s: handshake failed: %v", req.uri, err)
		w.WriteHeader(he.status)
		return
	default:
		if k := errKind(err); k != errAborted && k != errConnTerminated {
			s.logf("h2 ws %s: handshake failed: %v", req.uri, err)
		}
		panic(http.ErrAbortHandler) // x/net/http2 resets the stream
	}
	ws.transfer(req)
}
