package wsapi

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"

	wurl "github.com/nlnwa/whatwg-url/url"

	"github.com/wsjs/wsjs/bindings/internal/urlbound"
	"github.com/wsjs/wsjs/bindings/websocket/transport"
)

// The errors of this package name the DOMException a binding throws for them.
var (
	ErrSyntax        = errors.New("SyntaxError")
	ErrSecurity      = errors.New("SecurityError")
	ErrInvalidAccess = errors.New("InvalidAccessError")
)

// Target is a WebSocket URL record that passed "get a URL record".
type Target struct {
	URL  *wurl.Url
	Href string // the URL serialized
}

// ParseTarget runs "get a URL record" (the WebSocket constructor's steps 1-6,
// https://websockets.spec.whatwg.org/#dom-websocket-websocket;
// https://whatpr.org/websockets/48.html#get-a-url-record in the WebSocketStream draft):
// parse input against baseURL, turn http and https into ws and wss, accept only ws and
// wss, refuse a fragment. It returns ErrSyntax for any failure. The mixed-content check
// is CheckMixedContent, which the constructors run after validating the subprotocols.
func ParseTarget(input, baseURL string) (*Target, error) {
	if urlbound.Check(input) != nil {
		return nil, ErrSyntax
	}
	var u *wurl.Url
	var err error
	if baseURL == "" {
		u, err = wurl.Parse(input)
	} else {
		u, err = wurl.ParseRef(baseURL, input)
	}
	if err != nil {
		return nil, ErrSyntax
	}
	// http and https are special schemes, like ws and wss, so the default port is
	// normalised for the new scheme.
	switch u.Scheme() {
	case "http":
		u.SetProtocol("ws")
	case "https":
		u.SetProtocol("wss")
	}
	if s := u.Scheme(); s != "ws" && s != "wss" {
		return nil, ErrSyntax
	}
	// A fragment, even an empty one, is refused.
	href := u.Href(false)
	if href != u.Href(true) {
		return nil, ErrSyntax
	}
	// A URL percent-encoded past the bound would not parse again.
	if urlbound.Check(href) != nil {
		return nil, ErrSyntax
	}
	return &Target{URL: u, Href: href}, nil
}

// CheckMixedContent refuses a ws: URL from a secure context (an https or wss base URL)
// with ErrSecurity: Mixed Content
// (https://w3c.github.io/webappsec-mixed-content/#should-block-fetch) blocks such a
// fetch, and browsers throw SecurityError from the constructor (WPT
// mixed-content.https.any.js), after the URL and subprotocol checks (WPT
// constructor/021.html on an https page expects the SyntaxError of a bad subprotocol).
func (t *Target) CheckMixedContent(baseURL string) error {
	if t.URL.Scheme() == "ws" && (strings.HasPrefix(baseURL, "https:") || strings.HasPrefix(baseURL, "wss:")) {
		return ErrSecurity
	}
	return nil
}

// Port returns the URL's port, or the scheme's default one.
func (t *Target) Port() int {
	if p := t.URL.Port(); p != "" {
		n, _ := strconv.Atoi(p)
		return n
	}
	if t.URL.Scheme() == "wss" {
		return 443
	}
	return 80
}

// Origin is the serialization of the URL's origin
// (https://html.spec.whatwg.org/multipage/origin.html#ascii-serialisation-of-an-origin),
// with the ws or wss scheme.
func (t *Target) Origin() string {
	o := t.URL.Scheme() + "://" + t.URL.Hostname()
	if p := t.URL.Port(); p != "" {
		o += ":" + p
	}
	return o
}

// NetURL converts the URL for the transport.
func (t *Target) NetURL() *url.URL {
	u := &url.URL{Scheme: t.URL.Scheme(), Host: t.URL.Host(), RawQuery: t.URL.Query()}
	if p, err := url.PathUnescape(t.URL.Pathname()); err == nil {
		u.Path, u.RawPath = p, t.URL.Pathname()
	} else {
		u.Path = t.URL.Pathname()
	}
	if name := t.URL.Username(); name != "" || t.URL.Password() != "" {
		user, _ := url.PathUnescape(name)
		pass, _ := url.PathUnescape(t.URL.Password())
		u.User = url.UserPassword(user, pass)
	}
	return u
}

// CheckProtocols returns ErrSyntax unless every protocol is a token as
// Sec-WebSocket-Protocol requires (RFC 6455 section 4.1 item 10,
// https://www.rfc-editor.org/rfc/rfc6455#section-4.1; RFC 2616 section 2.2,
// https://www.rfc-editor.org/rfc/rfc2616#section-2.2) and none occurs twice.
// Subprotocol names are compared case-insensitively: WPT's
// Create-protocols-repeated-case-insensitive expects ["echo", "eCho"] to throw.
func CheckProtocols(protocols []string) error {
	for i, p := range protocols {
		if !isToken(p) {
			return ErrSyntax
		}
		for _, q := range protocols[:i] {
			if strings.EqualFold(p, q) {
				return ErrSyntax
			}
		}
	}
	return nil
}

// isToken reports whether s is a non-empty RFC 2616 token: visible ASCII other than the
// separators ( ) < > @ , ; : \ " / [ ] ? = { }.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c >= 0x7f || strings.IndexByte(`()<>@,;:\"/[]?={}`, c) >= 0 {
			return false
		}
	}
	return true
}

// NoCode stands for a close code that is null (absent).
const NoCode = -1

// CheckClose runs "validate close code and reason"
// (https://whatpr.org/websockets/48.html#validate-close-code-and-reason in the
// WebSocketStream draft; steps 1-2 of WebSocket's close(),
// https://websockets.spec.whatwg.org/#dom-websocket-close): a code that is not NoCode
// must be 1000 or in 3000-4999 (ErrInvalidAccess), and the reason, UTF-8 encoded, at
// most 123 bytes (ErrSyntax). reason must be valid UTF-8 (a converted USVString).
func CheckClose(code int, reason string) error {
	if code != NoCode && code != 1000 && (code < 3000 || code > 4999) {
		return ErrInvalidAccess
	}
	if len(reason) > 123 {
		return ErrSyntax
	}
	return nil
}

// CloseFrame returns the code to put in the close frame for code and reason as "close
// the WebSocket" (https://whatpr.org/websockets/48.html#close-the-websocket in the
// WebSocketStream draft) says: neither gives a close frame without a body (code 0); a
// reason without a code goes with 1000.
func CloseFrame(code int, reason string) int {
	switch {
	case code == NoCode && reason == "":
		return 0
	case code == NoCode:
		return 1000
	}
	return code
}

// RequestOrigin is the Origin header for a request made by a document whose API base
// URL is baseURL: the serialization of its origin
// (https://html.spec.whatwg.org/multipage/origin.html#ascii-serialisation-of-an-origin),
// a tuple origin for http(s) and ws(s), "null" (an opaque origin) for anything else.
func RequestOrigin(baseURL string) string {
	u, err := wurl.Parse(baseURL)
	if err != nil {
		return "null"
	}
	switch u.Scheme() {
	case "http", "https", "ws", "wss":
		return (&Target{URL: u}).Origin()
	}
	return "null"
}

// A ConnectQueue keeps RFC 6455 section 4.1, client requirement 2
// (https://www.rfc-editor.org/rfc/rfc6455#section-4.1): at most one connection
// to a host and port is in the CONNECTING state, and the next one waits until it is
// established or has failed, in the order the connections were asked for. Hosts are
// compared by the name in the URL, not by address. The zero value is ready to use.
type ConnectQueue struct {
	mu sync.Mutex
	m  map[string][]chan struct{}
}

// Take queues a connection to key (host:port) and returns its turn, a channel closed
// when the connection may start.
func (q *ConnectQueue) Take(key string) chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.m == nil {
		q.m = map[string][]chan struct{}{}
	}
	turn := make(chan struct{})
	waiting := q.m[key]
	if len(waiting) == 0 {
		close(turn)
	}
	q.m[key] = append(waiting, turn)
	return turn
}

// Wait waits for turn, or leaves the queue when ctx is done.
func (q *ConnectQueue) Wait(ctx context.Context, key string, turn chan struct{}) error {
	select {
	case <-turn:
		return nil
	case <-ctx.Done():
		q.Done(key, turn)
		return ctx.Err()
	}
}

// Done removes turn from key's queue and, if it was the one connecting, lets the
// next one proceed.
func (q *ConnectQueue) Done(key string, turn chan struct{}) {
	q.mu.Lock()
	defer q.mu.Unlock()
	waiting := q.m[key]
	for i, t := range waiting {
		if t != turn {
			continue
		}
		waiting = append(waiting[:i:i], waiting[i+1:]...)
		if i == 0 && len(waiting) > 0 {
			close(waiting[0])
		}
		break
	}
	if len(waiting) == 0 {
		delete(q.m, key)
	} else {
		q.m[key] = waiting
	}
}

// Connect starts "establish a WebSocket connection"
// (https://websockets.spec.whatwg.org/#concept-websocket-establish) to t on
// a new goroutine: it waits for the connection's turn in q, dials with cfg, and hands
// the result to established in a task queued with queue (the binding's way to queue on
// its event loop). ctl holds the dial's cancel function at once, and the connection as
// soon as it exists, so that a shutdown before its task runs still aborts it; and a
// connection whose task can no longer be queued (the loop is closed) is aborted. The
// next connection to the same host and port starts only once this one's task is
// queued, so that tasks keep the order in which the sockets were made.
func (q *ConnectQueue) Connect(t *Target, cfg *transport.Config, ctl *Control, queue func(func()) bool, established func(*transport.Conn, error)) {
	ctx, cancel := context.WithCancel(context.Background())
	ctl.Set(nil, cancel)
	u := t.NetURL()
	key := net.JoinHostPort(t.URL.Hostname(), strconv.Itoa(t.Port()))
	turn := q.Take(key)
	go func() {
		defer cancel()
		var conn *transport.Conn
		err := q.Wait(ctx, key, turn)
		if err == nil {
			conn, err = transport.Dial(ctx, u, cfg)
			defer q.Done(key, turn)
		}
		// Until its task runs, only this goroutine knows the connection, and closing
		// the loop discards queued tasks: hand it to the control first. Then either a
		// shutdown finds it there, or the shutdown came first and queue fails.
		if conn != nil {
			ctl.Set(conn, nil)
		}
		if !queue(func() { established(conn, err) }) && conn != nil {
			conn.Abort()
		}
	}()
}

// A Control is what another goroutine (a runtime shutting down, say) may do to a
// connection that a loop goroutine owns: abort its dial or drop it. The zero value
// holds neither.
type Control struct {
	mu     sync.Mutex
	conn   *transport.Conn
	cancel context.CancelFunc
}

// Set records the connection, or the function that cancels its dial.
func (c *Control) Set(conn *transport.Conn, cancel context.CancelFunc) {
	c.mu.Lock()
	c.conn, c.cancel = conn, cancel
	c.mu.Unlock()
}

// Abort cancels the dial in progress, or drops the connection (sending 1001).
func (c *Control) Abort() {
	c.mu.Lock()
	conn, cancel := c.conn, c.cancel
	c.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	if conn != nil {
		conn.Abort()
	}
}
