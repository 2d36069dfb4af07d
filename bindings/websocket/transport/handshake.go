package transport

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

// acceptGUID is the GUID of RFC 6455 sections 1.3 and 4.2.2
// (https://www.rfc-editor.org/rfc/rfc6455#section-1.3,
// https://www.rfc-editor.org/rfc/rfc6455#section-4.2.2).
const acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// maxResponseHead bounds the status line and header fields of a handshake
// response.
const maxResponseHead = 64 << 10

// Dial establishes a WebSocket connection to u (ws: or wss:; http: and https:
// are taken as ws: and wss:) as the WHATWG WebSockets Standard ("establish a
// WebSocket connection",
// https://websockets.spec.whatwg.org/#concept-websocket-establish) and RFC 6455
// section 4.1 (https://www.rfc-editor.org/rfc/rfc6455#section-4.1) say: it
// connects (through a proxy if one applies), sends the opening handshake and
// validates the response. Redirects are not followed. Canceling ctx aborts a
// Dial in progress. The returned Conn reads nothing until Start; a Conn that is
// never started must be ended with Abort.
func Dial(ctx context.Context, u *url.URL, cfg *Config) (*Conn, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	t, err := newTarget(u)
	if err != nil {
		return nil, err
	}
	if err := checkProtocols(cfg.Protocols); err != nil {
		return nil, err
	}
	if err := cfg.Network.Check(u); err != nil {
		return nil, fmt.Errorf("transport: %w", err)
	}
	if d := cfg.handshakeTimeout(); d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	conn, err := cfg.Network.Connect(ctx, u, alpnProtocols(!cfg.DisableHTTP2))
	if err != nil {
		return nil, handshakeErr(ctx, err)
	}
	if negotiatedH2(conn) {
		c, err := handshakeH2(ctx, conn, cfg, u, t)
		if !errors.Is(err, errNoExtendedConnect) {
			if err != nil {
				return nil, handshakeErr(ctx, err)
			}
			return c, nil
		}
		// HTTP/2 without RFC 8441: again over HTTP/1.1 (see h2.go).
		if conn, err = cfg.Network.Connect(ctx, u, alpnProtocols(false)); err != nil {
			return nil, handshakeErr(ctx, err)
		}
	}
	c, err := handshake(ctx, conn, cfg, u, t)
	if err != nil {
		conn.Close()
		return nil, handshakeErr(ctx, err)
	}
	return c, nil
}

func handshakeErr(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return fmt.Errorf("transport: opening handshake timed out: %w (%w)", ctxErr, err)
		}
		return fmt.Errorf("transport: opening handshake canceled: %w (%w)", ctxErr, err)
	}
	return err
}

// target is what a URL gives the handshake ("obtain a WebSocket connection",
// https://websockets.spec.whatwg.org/#concept-websocket-connection-obtain).
type target struct {
	hostPort string // host:port, for error messages
	host     string // Host header: the port only when not the default
	resource string // resource name: path and query
	httpURL  *url.URL
}

func newTarget(u *url.URL) (*target, error) {
	if u == nil {
		return nil, errors.New("transport: nil URL")
	}
	t := &target{}
	secure := false
	switch strings.ToLower(u.Scheme) {
	case "ws", "http":
	case "wss", "https":
		secure = true
	default:
		return nil, fmt.Errorf("transport: URL scheme %q is not ws or wss", u.Scheme)
	}
	if u.Opaque != "" {
		return nil, fmt.Errorf("transport: URL %q has no host", u.Redacted())
	}
	if u.Fragment != "" {
		return nil, fmt.Errorf("transport: URL %q has a fragment", u.Redacted())
	}
	hostname := u.Hostname() // without brackets
	if hostname == "" {
		return nil, fmt.Errorf("transport: URL %q has no host", u.Redacted())
	}
	port, defPort := u.Port(), "80"
	if secure {
		defPort = "443"
	}
	if port == "" {
		port = defPort
	}
	if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
		return nil, fmt.Errorf("transport: URL %q has an invalid port", u.Redacted())
	}
	t.hostPort = net.JoinHostPort(hostname, port)
	t.host = hostname
	if strings.Contains(hostname, ":") {
		t.host = "[" + hostname + "]"
	}
	if port != defPort {
		t.host = t.hostPort
	}
	t.resource = u.EscapedPath()
	if t.resource == "" {
		t.resource = "/"
	}
	if u.RawQuery != "" {
		t.resource += "?" + u.RawQuery
	}
	for i := 0; i < len(t.resource); i++ {
		if c := t.resource[i]; c <= ' ' || c == 0x7f {
			return nil, fmt.Errorf("transport: URL path or query has byte %#x", c)
		}
	}
	if !httpguts.ValidHostHeader(t.host) {
		return nil, fmt.Errorf("transport: URL host %q is invalid", t.host)
	}
	hu := *u
	hu.Scheme = "http"
	if secure {
		hu.Scheme = "https"
	}
	hu.Fragment, hu.RawFragment = "", ""
	t.httpURL = &hu
	return t, nil
}

// checkProtocols checks subprotocols to offer: HTTP tokens (RFC 6455 section
// 4.1, https://www.rfc-editor.org/rfc/rfc6455#section-4.1), none repeated,
// ignoring case as browsers do.
func checkProtocols(ps []string) error {
	for i, p := range ps {
		if !isToken(p) {
			return fmt.Errorf("transport: invalid subprotocol %q", p)
		}
		for _, q := range ps[:i] {
			if strings.EqualFold(p, q) {
				return fmt.Errorf("transport: subprotocol %q offered twice", p)
			}
		}
	}
	return nil
}

func basicAuth(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
}

// deadlineFromContext makes reads and writes on conn fail once ctx is done.
// The returned function undoes that, and reports ctx's error if it came
// first.
func deadlineFromContext(ctx context.Context, conn net.Conn) func() error {
	// Only the context's own end is used (not its deadline on the
	// connection), so that a timeout is reported as one.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	return func() error {
		if !stop() && ctx.Err() != nil {
			return ctx.Err()
		}
		conn.SetDeadline(time.Time{})
		return nil
	}
}

// handshake sends the opening handshake on conn and validates the response.
func handshake(ctx context.Context, conn net.Conn, cfg *Config, u *url.URL, t *target) (*Conn, error) {
	var nonce [16]byte
	rand.Read(nonce[:])
	key := base64.StdEncoding.EncodeToString(nonce[:])
	req, err := buildRequest(cfg, u, t, key)
	if err != nil {
		return nil, err
	}
	stop := deadlineFromContext(ctx, conn)
	if _, err := conn.Write(req); err != nil {
		stop()
		return nil, fmt.Errorf("transport: sending the opening handshake: %w", err)
	}
	// The reader keeps any frame bytes that arrive with the response.
	br := bufio.NewReaderSize(conn, readBufferSize)
	status, h, err := readResponse(br)
	if serr := stop(); err == nil {
		err = serr
	}
	if err != nil {
		return nil, fmt.Errorf("transport: reading the handshake response: %w", err)
	}
	return establish(conn, br, status, h, key, cfg, t)
}

// buildRequest writes the handshake request (WHATWG WebSockets Standard,
// https://websockets.spec.whatwg.org/#concept-websocket-establish, and RFC 6455
// section 4.1, https://www.rfc-editor.org/rfc/rfc6455#section-4.1), headers in
// the order the standard appends them.
func buildRequest(cfg *Config, u *url.URL, t *target, key string) ([]byte, error) {
	var b bytes.Buffer
	own := map[string]bool{}
	add := func(k, v string) {
		own[http.CanonicalHeaderKey(k)] = true
		b.WriteString(k)
		b.WriteString(": ")
		b.WriteString(v)
		b.WriteString("\r\n")
	}
	b.WriteString("GET " + t.resource + " HTTP/1.1\r\n")
	add("Host", t.host)
	add("Upgrade", "websocket")
	add("Connection", "Upgrade")
	add("Sec-WebSocket-Key", key)
	add("Sec-WebSocket-Version", "13")
	if len(cfg.Protocols) > 0 {
		add("Sec-WebSocket-Protocol", strings.Join(cfg.Protocols, ", "))
	}
	if !cfg.DisableCompression {
		add("Sec-WebSocket-Extensions", deflateOffer)
	}
	if cfg.Origin != "" {
		if !httpguts.ValidHeaderFieldValue(cfg.Origin) {
			return nil, fmt.Errorf("transport: invalid Origin %q", cfg.Origin)
		}
		add("Origin", cfg.Origin)
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		add("Authorization", "Basic "+basicAuth(u.User.Username(), pass))
	}
	if c := cookieHeader(cfg, t); c != "" {
		add("Cookie", c)
	}
	keys := make([]string, 0, len(cfg.Header))
	for k := range cfg.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !httpguts.ValidHeaderFieldName(k) {
			return nil, fmt.Errorf("transport: invalid header name %q", k)
		}
		ck := http.CanonicalHeaderKey(k)
		if own[ck] || reservedHeader(ck) {
			continue
		}
		for _, v := range cfg.Header[k] {
			if !httpguts.ValidHeaderFieldValue(v) {
				return nil, fmt.Errorf("transport: invalid value for header %s", k)
			}
			add(k, v)
		}
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

// reservedHeader reports headers that only the handshake itself may send.
func reservedHeader(ck string) bool {
	switch ck {
	case "Host", "Upgrade", "Connection", "Content-Length", "Transfer-Encoding", "Te", "Trailer", "Keep-Alive", "Proxy-Connection":
		return true
	}
	return strings.HasPrefix(ck, "Sec-Websocket-")
}

// readResponse reads an HTTP/1.1 response's status line and header fields (RFC
// 9112 sections 4 and 5, https://www.rfc-editor.org/rfc/rfc9112#section-4,
// https://www.rfc-editor.org/rfc/rfc9112#section-5), and nothing more.
func readResponse(br *bufio.Reader) (int, http.Header, error) {
	budget := maxResponseHead
	line, err := readLine(br, &budget)
	if err != nil {
		return 0, nil, err
	}
	status, err := parseStatusLine(line)
	if err != nil {
		return 0, nil, err
	}
	h := http.Header{}
	last := "" // the field the next line may continue
	for {
		line, err := readLine(br, &budget)
		if err != nil {
			return 0, nil, err
		}
		if len(line) == 0 {
			return status, h, nil
		}
		if line[0] == ' ' || line[0] == '\t' {
			// RFC 9112 section 5.2
			// (https://www.rfc-editor.org/rfc/rfc9112#section-5.2): a user
			// agent replaces obs-fold in a response with SP; section 2.2
			// (https://www.rfc-editor.org/rfc/rfc9112#section-2.2): whitespace
			// before the first field makes it invalid.
			if last == "" {
				return 0, nil, errors.New("response header starts with whitespace (obsolete line folding)")
			}
			v := bytes.Trim(line, " \t")
			if !httpguts.ValidHeaderFieldValue(string(v)) {
				return 0, nil, fmt.Errorf("invalid value in response header %s", last)
			}
			vs := h[last]
			vs[len(vs)-1] = strings.Trim(vs[len(vs)-1]+" "+string(v), " ")
			continue
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok || !isToken(string(k)) {
			return 0, nil, fmt.Errorf("malformed response header line %q", truncate(line))
		}
		v = bytes.Trim(v, " \t")
		if !httpguts.ValidHeaderFieldValue(string(v)) {
			return 0, nil, fmt.Errorf("invalid value in response header %s", k)
		}
		key := http.CanonicalHeaderKey(string(k))
		h[key] = append(h[key], string(v))
		last = key
	}
}

// readLine returns one line without its CRLF (or bare LF), charging its
// length to budget.
func readLine(br *bufio.Reader, budget *int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		*budget -= len(chunk)
		if *budget < 0 {
			return nil, fmt.Errorf("response head exceeds %d bytes", maxResponseHead)
		}
		if err == bufio.ErrBufferFull {
			line = append(line, chunk...)
			continue
		}
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if line != nil {
			chunk = append(line, chunk...)
		}
		chunk = chunk[:len(chunk)-1]
		if n := len(chunk); n > 0 && chunk[n-1] == '\r' {
			chunk = chunk[:n-1]
		}
		return chunk, nil
	}
}

func parseStatusLine(line []byte) (int, error) {
	proto, rest, ok := bytes.Cut(line, []byte(" "))
	if !ok || !validHTTPVersion(proto) {
		return 0, fmt.Errorf("malformed status line %q", truncate(line))
	}
	code, _, _ := bytes.Cut(rest, []byte(" "))
	if len(code) != 3 || code[0] < '1' || code[0] > '9' || code[1] < '0' || code[1] > '9' || code[2] < '0' || code[2] > '9' {
		return 0, fmt.Errorf("malformed status code in %q", truncate(line))
	}
	return int(code[0]-'0')*100 + int(code[1]-'0')*10 + int(code[2]-'0'), nil
}

// validHTTPVersion accepts HTTP/1.1 and later 1.x versions (RFC 6455 section
// 4.1 (https://www.rfc-editor.org/rfc/rfc6455#section-4.1) asks for HTTP/1.1 or
// higher).
func validHTTPVersion(p []byte) bool {
	if len(p) != 8 || string(p[:7]) != "HTTP/1." {
		return false
	}
	return p[7] >= '1' && p[7] <= '9'
}

func truncate(b []byte) []byte {
	if len(b) > 64 {
		return b[:64]
	}
	return b
}
