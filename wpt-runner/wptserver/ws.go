package wptserver

import (
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"
)

// wsServer is the pywebsocket3 stand-in on the ws or wss port: one HTTP/1.x
// request per connection, a WebSocket opening handshake when a handler
// matches the path, else a plain file answer.
type wsServer struct {
	srv    *Server
	ln     net.Listener
	secure bool

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

func (w *wsServer) serve() {
	for {
		c, err := w.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) || w.srv.ctx.Err() != nil {
				return
			}
			w.srv.logf("ws accept: %v", err)
			if sleepCtx(w.srv.ctx, 50*time.Millisecond) != nil {
				return
			}
			continue
		}
		w.mu.Lock()
		if w.closed {
			w.mu.Unlock()
			c.Close()
			return
		}
		if w.conns == nil {
			w.conns = map[net.Conn]struct{}{}
		}
		w.conns[c] = struct{}{}
		w.wg.Add(1)
		w.mu.Unlock()
		go func() {
			defer w.wg.Done()
			w.handleConn(c)
			w.mu.Lock()
			delete(w.conns, c)
			w.mu.Unlock()
		}()
	}
}

// close stops accepting, drops every connection and waits for the
// handlers to return.
func (w *wsServer) close() {
	w.ln.Close()
	w.mu.Lock()
	w.closed = true
	for c := range w.conns {
		c.Close()
	}
	w.mu.Unlock()
	w.wg.Wait()
}

// wsRequest is what a handler sees, like pywebsocket3's request object:
// the opening handshake request, the values the handshake negotiates
// (which do_extra_handshake may change), and the stream.
type wsRequest struct {
	*wsStream
	ctx     context.Context
	srv     *Server
	handler *wsHandler

	method, uri, proto string
	header             textproto.MIMEHeader

	origin    string
	hasOrigin bool

	// requestedProtocols is nil when the client sent no
	// Sec-WebSocket-Protocol (ws_requested_protocols is None).
	requestedProtocols []string
	protocol           string // ws_protocol, when hasProtocol
	hasProtocol        bool

	// extensions are the offers that have a processor
	// (ws_extension_processors); handlers may clear them.
	extensions   []extension
	extraHeaders [][2]string

	state any // per-handler data carried from the handshake to transfer

	// h2 is the response of an extended CONNECT request on the h2 port
	// (RFC 8441); nil on the ws and wss ports.
	h2 *h2Response
}

// get returns the first value of a request header, as
// headers_in.get does.
func (r *wsRequest) get(name string) (string, bool) {
	v := r.header[textproto.CanonicalMIMEHeaderKey(name)]
	if len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// sleep waits d unless the server closes first.
func (r *wsRequest) sleep(d time.Duration) error {
	if err := sleepCtx(r.ctx, d); err != nil {
		return wsErr(errConnTerminated, "server closing")
	}
	return nil
}

// wsHandler is the Go counterpart of a *_wsh.py file. Nil functions do
// nothing; a nil passiveClose answers a client's close with 1000.
type wsHandler struct {
	extraHandshake func(r *wsRequest) error
	transfer       func(r *wsRequest) error
	// passiveClose returns the code (0: none) and reason of the close
	// frame answering the client's.
	passiveClose func(r *wsRequest) (code int, reason string, err error)
}

// errAbortedByUser is AbortedByUserException: drop the connection
// without a response or close frame.
var errAbortedByUser = wsErr(errAborted, "aborted by handler")

// handshakeError is HandshakeException: an HTTP error answer.
type handshakeError struct {
	status int
	msg    string
}

func (e *handshakeError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &handshakeError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// versionError is VersionException: 400 with Sec-WebSocket-Version.
type versionError struct{ msg string }

func (e *versionError) Error() string { return e.msg }

func (w *wsServer) handleConn(c net.Conn) {
	defer func() {
		// socketserver shuts the socket down for writing, then closes it.
		if tc, ok := c.(*net.TCPConn); ok {
			tc.CloseWrite()
		}
		c.Close()
	}()
	ctx, cancel := context.WithCancel(w.srv.ctx)
	defer cancel()

	br := bufio.NewReaderSize(c, 4096)
	tp := textproto.NewReader(br)
	line, err := tp.ReadLine()
	if err != nil {
		return
	}
	words := strings.Fields(line)
	if len(words) != 3 || !strings.HasPrefix(words[2], "HTTP/") {
		// Python's http.server answers a request line it cannot parse
		// as HTTP/0.9: the error page without status line or headers.
		c.Write([]byte(errorPage(http.StatusBadRequest, "Bad Request")))
		return
	}
	header, err := tp.ReadMIMEHeader()
	if err != nil {
		writeHTTPError(c, http.StatusBadRequest, nil)
		return
	}
	r := &wsRequest{
		ctx:    ctx,
		srv:    w.srv,
		method: words[0],
		uri:    words[1],
		proto:  words[2],
		header: header,
	}
	r.wsStream = &wsStream{req: r, conn: c, br: br}

	resource, ok := wsResource(r.uri)
	if !ok {
		w.serveFile(c, r)
		return
	}
	// Handlers see the resource as request.uri.
	r.uri = resource
	path, fragment, hasFragment := strings.Cut(resource, "#")
	path, _, _ = strings.Cut(path, "?")
	h := wsHandlers[path]
	if h == nil {
		w.serveFile(c, r)
		return
	}
	if hasFragment && fragment != "" {
		writeHTTPError(c, http.StatusBadRequest, nil)
		return
	}
	r.handler = h
	// The dispatcher looks handlers up by ws_resource, which is the URI.
	err = w.handshake(r)
	var he *handshakeError
	var ve *versionError
	switch {
	case err == nil:
	case errKind(err) == errAborted || errKind(err) == errConnTerminated:
		return
	case errors.As(err, &ve):
		writeHTTPError(c, http.StatusBadRequest, [][2]string{{"Sec-WebSocket-Version", "13"}})
		return
	case errors.As(err, &he):
		w.srv.logf("ws %s: handshake failed: %v", r.uri, err)
		writeHTTPError(c, he.status, nil)
		return
	default:
		w.srv.logf("ws %s: handshake failed: %v", r.uri, err)
		return
	}
	w.transfer(r)
}

// wsResource returns the resource of a request target as pywebsocket3's
// parse_uri does: a ws: or wss: absolute URI gives its path and query; any
// other target is the resource itself. ok is false for an absolute URI
// without a valid host or port.
func wsResource(target string) (string, bool) {
	lower := strings.ToLower(target)
	if !strings.HasPrefix(lower, "ws://") && !strings.HasPrefix(lower, "wss://") {
		return target, true
	}
	u, err := url.Parse(target)
	if err != nil || u.Hostname() == "" {
		return "", false
	}
	res := u.EscapedPath()
	if res == "" {
		res = "/"
	}
	if u.RawQuery != "" {
		res += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		res += "#" + u.EscapedFragment()
	}
	return res, true
}

var secWebSocketKeyRE = regexp.MustCompile(`^[+/0-9A-Za-z]{21}[AQgw]==$`)

// computeAccept returns Sec-WebSocket-Accept for a key (RFC 6455 4.2.2).
func computeAccept(key string) string {
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(h[:])
}

// handshake runs the opening handshake as pywebsocket3's hybi Handshaker
// does (pywebsocket3/handshake/base.py, do_handshake), in its order:
// request checks, version, origin, subprotocols, extensions, key, the
// handler's web_socket_do_extra_handshake, extension negotiation,
// subprotocol checks, then the 101 response. On the h2 port it is
// wptserve's WsH2Handshaker (ws_h2_handshake.py): other request checks, no
// key, and a 200 response.
func (w *wsServer) handshake(r *wsRequest) error {
	// _validate_request
	validate := validateUpgrade
	if r.h2 != nil {
		validate = validateExtendedConnect
	}
	err := validate(r)
	if err != nil {
		return err
	}
	// _check_version
	version, ok := r.get("Sec-WebSocket-Version")
	if !ok {
		return badRequest("header Sec-WebSocket-Version is not defined")
	}
	if version != "13" {
		if strings.Contains(version, ",") {
			return badRequest("multiple versions (%q) are not allowed", version)
		}
		return &versionError{fmt.Sprintf("unsupported version %q", version)}
	}
	// _get_origin
	r.origin, r.hasOrigin = r.get("Origin")
	// _set_protocol
	if p, ok := r.get("Sec-WebSocket-Protocol"); ok {
		protos, err := parseTokenList(p)
		if err != nil {
			return badRequest("Sec-WebSocket-Protocol: %v", err)
		}
		r.requestedProtocols = protos
	}
	// _parse_extensions
	var offers []extension
	if e, ok := r.get("Sec-WebSocket-Extensions"); ok && e != "" {
		if offers, err = parseExtensions(e); err != nil {
			return badRequest("failed to parse Sec-WebSocket-Extensions: %v", err)
		}
	}
	// _set_accept (nothing to do over HTTP/2: RFC 8441 section 5,
	// https://www.rfc-editor.org/rfc/rfc8441#section-5)
	var accept string
	if r.h2 == nil {
		key, ok := r.get("Sec-WebSocket-Key")
		if !ok {
			return badRequest("header Sec-WebSocket-Key is not defined")
		}
		if strings.Contains(key, ",") || !secWebSocketKeyRE.MatchString(key) {
			return badRequest("illegal value for header Sec-WebSocket-Key: %q", key)
		}
		if b, err := base64.StdEncoding.DecodeString(key); err != nil || len(b) != 16 {
			return badRequest("illegal value for header Sec-WebSocket-Key: %q", key)
		}
		accept = computeAccept(key)
	}
	// _get_extension_processors_requested: unknown extensions are ignored.
	for _, o := range offers {
		if o.name == "permessage-deflate" {
			r.extensions = append(r.extensions, o)
		}
	}
	// Dispatcher.do_extra_handshake: any failure but an abort is a 403.
	if r.handler.extraHandshake != nil {
		if err := r.handler.extraHandshake(r); err != nil {
			if k := errKind(err); k == errAborted || k == errConnTerminated {
				// Aborted, or the connection (or the server) is gone:
				// nothing is sent.
				return err
			}
			return &handshakeError{http.StatusForbidden, fmt.Sprintf("web_socket_do_extra_handshake: %v", err)}
		}
	}
	// _process_extensions: the first acceptable offer wins.
	var accepted []extension
	for _, o := range r.extensions {
		if resp, d, ok := negotiateDeflate(o); ok {
			accepted = append(accepted, resp)
			r.deflate = d
			break
		}
	}
	// Subprotocol checks.
	if r.requestedProtocols != nil {
		if !r.hasProtocol {
			return badRequest("do_extra_handshake must choose one subprotocol from ws_requested_protocols")
		}
		if err := validateSubprotocol(r.protocol); err != nil {
			return err
		}
	} else if r.hasProtocol {
		return badRequest("ws_protocol must be None when the client didn't request any subprotocol")
	}
	// _send_handshake
	if r.h2 != nil {
		return r.h2.respond(r, accepted)
	}
	var b strings.Builder
	b.WriteString("HTTP/1.1 101 Switching Protocols\r\n")
	b.WriteString("Upgrade: websocket\r\n")
	b.WriteString("Connection: Upgrade\r\n")
	b.WriteString("Sec-WebSocket-Accept: " + accept + "\r\n")
	if r.hasProtocol {
		b.WriteString("Sec-WebSocket-Protocol: " + r.protocol + "\r\n")
	}
	if len(accepted) > 0 {
		parts := make([]string, len(accepted))
		for i, a := range accepted {
			parts[i] = formatExtension(a)
		}
		b.WriteString("Sec-WebSocket-Extensions: " + strings.Join(parts, ", ") + "\r\n")
	}
	for _, h := range r.extraHeaders {
		b.WriteString(h[0] + ": " + h[1] + "\r\n")
	}
	b.WriteString("\r\n")
	return r.writeRaw([]byte(b.String()))
}

// validateUpgrade is the hybi Handshaker's _validate_request: a GET
// request of HTTP/1.1 asking to upgrade to websocket, with Host.
func validateUpgrade(r *wsRequest) error {
	if r.method != http.MethodGet {
		return badRequest("method is not GET: %q", r.method)
	}
	if r.proto != "HTTP/1.1" {
		return badRequest("version is not HTTP/1.1: %q", r.proto)
	}
	if v, ok := r.get("Upgrade"); !ok || !strings.EqualFold(v, "websocket") {
		return badRequest("expected Upgrade: websocket, found %q", v)
	}
	conn, ok := r.get("Connection")
	if !ok {
		return badRequest("header Connection is not defined")
	}
	toks, err := parseTokenList(conn)
	if err != nil {
		return badRequest("failed to parse Connection: %v", err)
	}
	upgrade := false
	for _, t := range toks {
		upgrade = upgrade || strings.EqualFold(t, "Upgrade")
	}
	if !upgrade {
		return badRequest("Connection header doesn't contain \"Upgrade\"")
	}
	if _, ok := r.get("Host"); !ok {
		return badRequest("header Host is not defined")
	}
	return nil
}

// validateExtendedConnect is WsH2Handshaker._validate_request: the method is
// CONNECT, :protocol is websocket (RFC 8441 section 4,
// https://www.rfc-editor.org/rfc/rfc8441#section-4) and :authority is present.
func validateExtendedConnect(r *wsRequest) error {
	if r.method != http.MethodConnect {
		return badRequest("method is not CONNECT: %q", r.method)
	}
	if p, ok := r.get(":protocol"); !ok {
		return badRequest("header :protocol is not defined")
	} else if !strings.EqualFold(p, "websocket") {
		return badRequest("expected :protocol websocket, found %q", p)
	}
	if _, ok := r.get("Host"); !ok {
		return badRequest("header authority is not defined")
	}
	return nil
}

// validateSubprotocol requires the chosen subprotocol to be one token.
func validateSubprotocol(p string) error {
	if p == "" {
		return badRequest("invalid subprotocol name: empty")
	}
	st := &hdrState{s: p}
	st.consumeToken()
	if _, ok := st.peek(); ok {
		return badRequest("invalid non-token string in subprotocol name: %q", p[st.i:])
	}
	return nil
}

// negotiateDeflate answers one permessage-deflate offer as pywebsocket3's
// PerMessageDeflateExtensionProcessor does: it knows
// server_max_window_bits (8 to 15, echoed), server_no_context_takeover
// (echoed) and a valueless client_max_window_bits (accepted, not echoed);
// any other parameter, client_no_context_takeover included, declines the
// offer.
func negotiateDeflate(o extension) (extension, *deflateState, bool) {
	for _, p := range o.params {
		switch p.name {
		case "server_max_window_bits", "server_no_context_takeover", "client_max_window_bits":
		default:
			return extension{}, nil, false
		}
	}
	d := &deflateState{}
	resp := extension{name: o.name}
	if p, ok := o.param("server_max_window_bits"); ok {
		bits, ok := parseWindowBits(p)
		if !ok {
			return extension{}, nil, false
		}
		d.huffmanOnly = bits < 15
		resp.params = append(resp.params, extParam{name: p.name, value: p.value, hasValue: true})
	}
	if p, ok := o.param("server_no_context_takeover"); ok {
		if p.hasValue {
			return extension{}, nil, false
		}
		d.noContextTakeover = true
		resp.params = append(resp.params, extParam{name: p.name})
	}
	if p, ok := o.param("client_max_window_bits"); ok && p.hasValue {
		return extension{}, nil, false
	}
	return resp, d, true
}

// parseWindowBits accepts the exact decimal spelling of 8 to 15.
func parseWindowBits(p extParam) (int, bool) {
	if !p.hasValue {
		return 0, false
	}
	switch p.value {
	case "8", "9", "10", "11", "12", "13", "14", "15":
		n := 0
		for _, c := range p.value {
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	return 0, false
}

// transfer runs web_socket_transfer_data and ends the connection the way
// pywebsocket3's Dispatcher.transfer_data does for each outcome.
func (w *wsServer) transfer(r *wsRequest) {
	var err error
	if r.handler.transfer != nil {
		err = r.handler.transfer(r)
	}
	if err == nil {
		if _, srv := r.terminated(); !srv {
			err = r.closeConnection(closeNormal, "", true)
		}
	}
	if err == nil {
		return
	}
	var code int
	switch errKind(err) {
	case errAborted, errConnTerminated:
		return
	case errBadOperation:
		code = closeInternalError
	case errInvalidFrame:
		code = closeProtocolError
	case errUnsupportedFrame:
		code = closeUnsupportedData
	case errInvalidUTF8:
		code = closeInvalidPayload
	default:
		// An exception the handler did not handle: the connection is
		// dropped without a close frame.
		w.srv.logf("ws %s: handler error: %v", r.uri, err)
		return
	}
	if err := r.closeConnection(code, "", true); err != nil && errKind(err) == 0 {
		w.srv.logf("ws %s: %v", r.uri, err)
	}
}

// writeHTTPError writes an error response as Python's http.server
// send_error does, for the HTTP/1.0 server pywebsocket3 is built on.
// With extra headers it writes those and no body, like the version
// error answer.
func writeHTTPError(c net.Conn, code int, extra [][2]string) {
	reason := http.StatusText(code)
	if code == http.StatusNotFound {
		reason = "File not found" // SimpleHTTPRequestHandler's phrase
	}
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.0 %d %s\r\n", code, reason)
	fmt.Fprintf(&b, "Date: %s\r\n", time.Now().UTC().Format(http.TimeFormat))
	if extra != nil {
		for _, h := range extra {
			b.WriteString(h[0] + ": " + h[1] + "\r\n")
		}
		b.WriteString("\r\n")
		c.Write([]byte(b.String()))
		return
	}
	body := errorPage(code, reason)
	b.WriteString("Connection: close\r\n")
	b.WriteString("Content-Type: text/html;charset=utf-8\r\n")
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(body))
	b.WriteString(body)
	c.Write([]byte(b.String()))
}

// errorPage is the HTML body of an error answer.
func errorPage(code int, reason string) string {
	return fmt.Sprintf("<!DOCTYPE html>\n<title>Error response</title>\n<h1>Error %d</h1>\n<p>%s.</p>\n", code, reason)
}

// serveFile answers a request no handler matches, as the
// SimpleHTTPRequestHandler pywebsocket3 falls back to does: files from the
// root, a listing for directories, 404 otherwise.
func (w *wsServer) serveFile(c net.Conn, r *wsRequest) {
	if r.method != http.MethodGet && r.method != http.MethodHead {
		writeHTTPError(c, http.StatusNotImplemented, nil)
		return
	}
	target := r.uri
	if res, ok := wsResource(target); ok {
		target = res
	}
	p, _, _ := strings.Cut(target, "?")
	p, _, _ = strings.Cut(p, "#")
	p = percentDecode(p)
	if strings.Contains(p, "..") || !strings.HasPrefix(p, "/") {
		writeHTTPError(c, http.StatusNotFound, nil)
		return
	}
	h := &httpHandler{srv: w.srv, scheme: "http"}
	fsPath, err := h.fsPath(p)
	if err != nil {
		writeHTTPError(c, http.StatusNotFound, nil)
		return
	}
	var status int
	var ctype string
	var body []byte
	var location string
	var modified time.Time
	fi, err := os.Stat(fsPath)
	switch {
	case err != nil:
		writeHTTPError(c, http.StatusNotFound, nil)
		return
	case fi.IsDir() && !strings.HasSuffix(p, "/"):
		status, location = http.StatusMovedPermanently, p+"/"
	case fi.IsDir():
		req, _ := http.NewRequest(http.MethodGet, "http://x"+(&url.URL{Path: p}).EscapedPath(), nil)
		resp := h.directory(req, fsPath)
		status, ctype, body = http.StatusOK, "text/html; charset=utf-8", resp.body
	default:
		body, err = os.ReadFile(fsPath)
		if err != nil {
			writeHTTPError(c, http.StatusNotFound, nil)
			return
		}
		status, ctype, modified = http.StatusOK, contentType(fsPath), fi.ModTime()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.0 %d %s\r\n", status, http.StatusText(status))
	fmt.Fprintf(&b, "Date: %s\r\n", time.Now().UTC().Format(http.TimeFormat))
	if location != "" {
		b.WriteString("Location: " + location + "\r\nContent-Length: 0\r\n\r\n")
		c.Write([]byte(b.String()))
		return
	}
	fmt.Fprintf(&b, "Content-type: %s\r\nContent-Length: %d\r\n", ctype, len(body))
	if !modified.IsZero() {
		fmt.Fprintf(&b, "Last-Modified: %s\r\n", modified.UTC().Format(http.TimeFormat))
	}
	b.WriteString("\r\n")
	if r.method == http.MethodGet {
		b.Write(body)
	}
	c.Write([]byte(b.String()))
}
