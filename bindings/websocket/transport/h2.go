package transport

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"
	"golang.org/x/net/http2"
)

// WebSocket over HTTP/2 (RFC 8441).
//
// For wss: URLs the TLS handshake offers "h2" before "http/1.1" (unless
// Config.DisableHTTP2). When the server selects h2, the opening handshake is an
// extended CONNECT request (RFC 8441 sections 4 and 5,
// https://www.rfc-editor.org/rfc/rfc8441#section-4,
// https://www.rfc-editor.org/rfc/rfc8441#section-5) on a new HTTP/2 connection
// used for this WebSocket alone, and the WebSocket framing then runs over that
// one stream: the request body carries the client's frames, the response body
// the server's. RFC 8441 section 5
// (https://www.rfc-editor.org/rfc/rfc8441#section-5) maps the end of the TCP
// connection of RFC 6455 to the end of the stream: an orderly end is
// END_STREAM, an abrupt one the stream error CANCEL (RST_STREAM).
//
// A server may speak HTTP/2 without allowing extended CONNECT (it did not send
// SETTINGS_ENABLE_CONNECT_PROTOCOL = 1, RFC 8441 section 3,
// https://www.rfc-editor.org/rfc/rfc8441#section-3), as web servers commonly
// do. Chromium never meets this: for a WebSocket it offers only "http/1.1" on a
// new connection, since an origin can serve HTTP/2 without WebSockets over it,
// and uses HTTP/2 only on an existing connection whose server allowed extended
// CONNECT. This package keeps no connections to reuse, so it cannot learn that
// beforehand; failing there would break such origins, so Dial closes that
// connection and opens a new one offering only "http/1.1", at the cost of a
// second connection (which Config.DisableHTTP2 avoids). A server that allowed
// extended CONNECT but answers the request with anything but 2xx fails the
// connection, as a non-101 answer does over HTTP/1.1.
//
// ws: URLs always use HTTP/1.1: HTTP/2 over cleartext needs prior knowledge
// that the server speaks it, which a ws: URL does not give.

// errNoExtendedConnect reports an HTTP/2 server that does not allow
// extended CONNECT; Dial then falls back to HTTP/1.1.
var errNoExtendedConnect = errors.New("server speaks HTTP/2 without extended CONNECT (RFC 8441)")

// errStreamAborted ends the request body when the stream is dropped rather
// than closed in order; the HTTP/2 client then resets the stream.
var errStreamAborted = errors.New("transport: WebSocket stream aborted")

// abortLinger bounds the wait for the stream reset to be written when a
// connection is dropped, which only an unresponsive peer makes long; then
// the TCP connection is closed outright.
const abortLinger = time.Second

// alpnProtocols returns the ALPN protocol list of a wss: connection.
func alpnProtocols(offerH2 bool) []string {
	if offerH2 {
		return []string{"h2", "http/1.1"}
	}
	return []string{"http/1.1"}
}

// negotiatedH2 reports whether conn is a TLS connection on which the server
// selected HTTP/2.
func negotiatedH2(conn net.Conn) bool {
	tc, ok := conn.(*tls.Conn)
	return ok && tc.ConnectionState().NegotiatedProtocol == "h2"
}

// handshakeH2 runs the opening handshake as an extended CONNECT request on
// conn, a TLS connection that negotiated h2 (RFC 8441 sections 4 and 5,
// https://www.rfc-editor.org/rfc/rfc8441#section-4,
// https://www.rfc-editor.org/rfc/rfc8441#section-5). conn is closed on error;
// the error wraps errNoExtendedConnect when the server did not allow extended
// CONNECT.
func handshakeH2(ctx context.Context, conn net.Conn, cfg *Config, u *url.URL, t *target) (*Conn, error) {
	hdr, err := h2RequestHeader(cfg, u, t)
	if err != nil {
		conn.Close()
		return nil, err
	}
	hc := newH2Conn(conn)
	tr := &http2.Transport{
		// No Accept-Encoding, and no transparent decompression of what
		// is WebSocket data.
		DisableCompression: true,
		// The bound on the response head that HTTP/1.1 applies.
		MaxHeaderListSize: maxResponseHead,
	}
	cc, err := tr.NewClientConn(hc)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("transport: starting HTTP/2 with %s: %w", t.hostPort, err)
	}
	// The stream outlives Dial's context, which only bounds the handshake.
	sctx, scancel := context.WithCancel(context.WithoutCancel(ctx))
	stopWatch := context.AfterFunc(ctx, scancel)
	s := &h2Stream{
		cc:     cc,
		conn:   hc,
		body:   newStreamBody(),
		cancel: scancel,
		linger: cfg.closeTimeout(),
	}
	ru := *t.httpURL
	ru.User, ru.Host, ru.ForceQuery = nil, t.host, false
	req := (&http.Request{
		Method:        http.MethodConnect,
		URL:           &ru,
		Host:          t.host,
		Header:        hdr,
		Body:          s.body,
		ContentLength: -1,
	}).WithContext(sctx)
	resp, err := cc.RoundTrip(req)
	s.resp = resp
	watchFired := !stopWatch()
	if err == nil && watchFired {
		err = ctx.Err()
	}
	if err != nil {
		s.Close()
		if ok, seen := hc.extendedConnect(); seen && !ok && !watchFired {
			return nil, fmt.Errorf("transport: %s: %w", t.hostPort, errNoExtendedConnect)
		}
		return nil, fmt.Errorf("transport: HTTP/2 extended CONNECT to %s: %w", t.hostPort, err)
	}
	c, err := establish(s, bufio.NewReaderSize(s, readBufferSize), resp.StatusCode, resp.Header, "", cfg, t)
	if err != nil {
		s.Close()
		return nil, err
	}
	return c, nil
}

// h2RequestHeader returns the header fields of the extended CONNECT request
// (RFC 8441 section 5, https://www.rfc-editor.org/rfc/rfc8441#section-5): those
// of the HTTP/1.1 handshake
// (https://websockets.spec.whatwg.org/#concept-websocket-establish) without
// Upgrade, Connection and Sec-WebSocket-Key, which extended CONNECT replaces.
// The pseudo-header fields come from the request itself.
func h2RequestHeader(cfg *Config, u *url.URL, t *target) (http.Header, error) {
	h := http.Header{}
	// RFC 8441 section 4 (https://www.rfc-editor.org/rfc/rfc8441#section-4):
	// the :protocol pseudo-header field, which the HTTP/2 client sends from
	// here.
	h[":protocol"] = []string{"websocket"}
	h.Set("Sec-WebSocket-Version", "13")
	if len(cfg.Protocols) > 0 {
		h.Set("Sec-WebSocket-Protocol", strings.Join(cfg.Protocols, ", "))
	}
	if !cfg.DisableCompression {
		h.Set("Sec-WebSocket-Extensions", deflateOffer)
	}
	if cfg.Origin != "" {
		if !httpguts.ValidHeaderFieldValue(cfg.Origin) {
			return nil, fmt.Errorf("transport: invalid Origin %q", cfg.Origin)
		}
		h.Set("Origin", cfg.Origin)
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		h.Set("Authorization", "Basic "+basicAuth(u.User.Username(), pass))
	}
	if c := cookieHeader(cfg, t); c != "" {
		h.Set("Cookie", c)
	}
	// Extra headers never replace the handshake's own (see Config.Header).
	own := make(map[string]bool, len(h))
	for k := range h {
		own[k] = true
	}
	for k, vs := range cfg.Header {
		if !httpguts.ValidHeaderFieldName(k) {
			return nil, fmt.Errorf("transport: invalid header name %q", k)
		}
		ck := http.CanonicalHeaderKey(k)
		if own[ck] || reservedHeader(ck) {
			continue
		}
		for _, v := range vs {
			if !httpguts.ValidHeaderFieldValue(v) {
				return nil, fmt.Errorf("transport: invalid value for header %s", k)
			}
			h.Add(ck, v)
		}
	}
	if _, ok := h["User-Agent"]; !ok {
		// None, as over HTTP/1.1, rather than the HTTP/2 client's own.
		h["User-Agent"] = []string{""}
	}
	return h, nil
}

// h2Stream is the byte stream of a WebSocket over one HTTP/2 stream, with
// the HTTP/2 connection it alone uses.
type h2Stream struct {
	cc     *http2.ClientConn
	conn   *h2Conn
	body   *streamBody
	resp   *http.Response // nil if the request failed
	cancel context.CancelFunc
	linger time.Duration

	eof       atomic.Bool // the server ended its side of the stream
	closeOnce sync.Once
}

func (s *h2Stream) Read(p []byte) (int, error) {
	n, err := s.resp.Body.Read(p)
	if err == io.EOF {
		s.eof.Store(true)
	}
	return n, err
}

func (s *h2Stream) Write(p []byte) (int, error) { return s.body.Write(p) }

// SetWriteDeadline bounds writes as net.Conn's does; Conn.Abort uses it.
func (s *h2Stream) SetWriteDeadline(t time.Time) error {
	s.body.deadline.set(t)
	return nil
}

// Close ends the stream and the connection and returns once they are gone.
// After the server ended its side, the client ends its own with END_STREAM
// after what was written; otherwise the stream is reset with CANCEL (RFC 8441
// section 5, https://www.rfc-editor.org/rfc/rfc8441#section-5). The connection
// is then shut down with GOAWAY. Waiting on an unresponsive server is bounded:
// the TCP connection is closed outright after Config.CloseTimeout (clean end)
// or abortLinger (reset).
func (s *h2Stream) Close() error {
	s.closeOnce.Do(s.teardown)
	return nil
}

func (s *h2Stream) teardown() {
	clean, wait := s.eof.Load(), s.linger
	if clean {
		s.body.finish(io.EOF)
	} else {
		wait = min(wait, abortLinger)
		s.body.finish(errStreamAborted)
		// What the client already took (a close frame Abort wrote) goes
		// out before the reset, unless flow control holds it back.
		s.body.waitSent(100 * time.Millisecond)
	}
	hard := time.AfterFunc(wait, func() { s.cc.Close() })
	if s.resp != nil && !clean {
		// Breaks the stream: the client resets it with CANCEL unless it
		// already ended, and returns once its request goroutine is done.
		s.resp.Body.Close()
	} else if s.resp != nil {
		// The client closes the body once it sent END_STREAM (or the
		// stream ended otherwise), so GOAWAY comes after it.
		<-s.body.closed
	}
	// Waits for the stream to end, sends GOAWAY and closes the connection.
	s.cc.Shutdown(context.Background())
	hard.Stop()
	s.cc.Close()
	if s.resp != nil {
		s.resp.Body.Close()
	}
	s.cancel()
	<-s.conn.readDone
}

// streamBody is the request body of the CONNECT stream. Each Write offers
// its bytes to the HTTP/2 client's Read as they are, without a copy in
// between, and returns once the client took them, so that HTTP/2 flow
// control, which keeps the client from coming back for more, holds the
// writer back. The client comes back to Read after sending what it took in
// DATA frames; waitSent waits for that.
type streamBody struct {
	wmu   sync.Mutex  // one Write at a time
	data  chan []byte // a Write's offer
	taken chan int    // how much of it the reader took

	mu    sync.Mutex
	owing bool          // the reader took bytes it has not sent yet
	sent  chan struct{} // closed when it is back for more

	end      chan struct{}
	endOnce  sync.Once
	endErr   error         // set before end is closed
	closed   chan struct{} // closed by Close
	closeOne sync.Once
	deadline writeDeadline
}

func newStreamBody() *streamBody {
	return &streamBody{
		data:   make(chan []byte),
		taken:  make(chan int),
		end:    make(chan struct{}),
		closed: make(chan struct{}),
	}
}

// finish ends the body: Read returns err (io.EOF for an orderly end) and
// Write fails. Only the first call has an effect.
func (b *streamBody) finish(err error) {
	b.endOnce.Do(func() {
		b.endErr = err
		close(b.end)
	})
}

// waitSent waits, at most d, for the client to send the bytes it took.
func (b *streamBody) waitSent(d time.Duration) {
	b.mu.Lock()
	owing, sent := b.owing, b.sent
	b.mu.Unlock()
	if !owing {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-sent:
	case <-t.C:
	}
}

// Read is called by the HTTP/2 client, from one goroutine at a time.
func (b *streamBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	if b.owing {
		b.owing = false
		close(b.sent)
	}
	b.mu.Unlock()
	select {
	case w := <-b.data:
		n := copy(p, w)
		b.mu.Lock()
		b.owing, b.sent = true, make(chan struct{})
		b.mu.Unlock()
		b.taken <- n
		return n, nil
	case <-b.end:
		return 0, b.endErr
	}
}

// Close is called by the HTTP/2 client when it is done with the body: after
// the stream ended, or when it stops sending.
func (b *streamBody) Close() error {
	b.finish(errClosedStream)
	b.closeOne.Do(func() { close(b.closed) })
	return nil
}

var errClosedStream = errors.New("transport: HTTP/2 stream closed")

func (b *streamBody) Write(p []byte) (int, error) {
	b.wmu.Lock()
	defer b.wmu.Unlock()
	n := 0
	for len(p) > 0 {
		select {
		case b.data <- p:
			k := <-b.taken
			p = p[k:]
			n += k
		case <-b.end:
			return n, errClosedStream
		case <-b.deadline.expired():
			return n, os.ErrDeadlineExceeded
		}
	}
	return n, nil
}

// writeDeadline is a write deadline with net.Conn's semantics: a channel
// that is closed while the deadline is past, and replaced only once a
// later deadline (or none) is set.
type writeDeadline struct {
	mu    sync.Mutex
	ch    chan struct{}
	timer *time.Timer
	gen   uint64 // invalidates timers of earlier deadlines
}

func (d *writeDeadline) expired() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ch == nil {
		d.ch = make(chan struct{})
	}
	return d.ch
}

func (d *writeDeadline) set(t time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gen++
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if d.ch == nil {
		d.ch = make(chan struct{})
	}
	past := false
	select {
	case <-d.ch:
		past = true
	default:
	}
	if !t.IsZero() && !time.Now().Before(t) {
		if !past {
			close(d.ch)
		}
		return
	}
	if past {
		d.ch = make(chan struct{})
	}
	if t.IsZero() {
		return
	}
	gen, ch := d.gen, d.ch
	d.timer = time.AfterFunc(time.Until(t), func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		if d.gen == gen {
			close(ch)
		}
	})
}

// h2Conn is the TLS connection under the HTTP/2 client. It reads the server's
// first frame as it passes, which RFC 9113 section 3.4
// (https://www.rfc-editor.org/rfc/rfc9113#section-3.4) requires to be SETTINGS,
// for SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 section 3,
// https://www.rfc-editor.org/rfc/rfc8441#section-3), and tells when the
// client's reading goroutine has met the end of the connection.
type h2Conn struct {
	net.Conn
	scan     settingsScanner // used by the reading goroutine only
	scanned  chan struct{}   // closed once the first frame was read
	settings atomic.Bool     // it was SETTINGS; set before scanned is closed
	connect  atomic.Bool     // it allowed extended CONNECT; likewise
	readDone chan struct{}
	readOnce sync.Once
}

func newH2Conn(c net.Conn) *h2Conn {
	return &h2Conn{Conn: c, scanned: make(chan struct{}), readDone: make(chan struct{})}
}

func (c *h2Conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if !c.scan.done {
		c.scan.write(p[:n])
		if c.scan.done {
			c.settings.Store(c.scan.settings)
			c.connect.Store(c.scan.enableConnect)
			close(c.scanned)
		}
	}
	if err != nil {
		c.readOnce.Do(func() { close(c.readDone) })
	}
	return n, err
}

// extendedConnect reports whether the server's first SETTINGS frame allowed
// extended CONNECT; seen is false until such a frame was read.
func (c *h2Conn) extendedConnect() (ok, seen bool) {
	select {
	case <-c.scanned:
		return c.connect.Load(), c.settings.Load()
	default:
		return false, false
	}
}

// HTTP/2 frame constants (RFC 9113 sections 4.1 and 6.5,
// https://www.rfc-editor.org/rfc/rfc9113#section-4.1,
// https://www.rfc-editor.org/rfc/rfc9113#section-6.5; RFC 8441 section 3,
// https://www.rfc-editor.org/rfc/rfc8441#section-3).
const (
	frameHeaderLen           = 9
	frameTypeSettings        = 0x4
	flagSettingsAck          = 0x1
	settingLen               = 6
	settingEnableConnectProt = 0x8
)

// settingsScanner reads the first frame of a server's HTTP/2 stream in
// pieces of any size. When it is a SETTINGS frame, enableConnect is the last
// value given to SETTINGS_ENABLE_CONNECT_PROTOCOL being 1; any other first
// frame (a protocol error, left to the HTTP/2 client) leaves it false.
type settingsScanner struct {
	hdr           [frameHeaderLen]byte
	nhdr          int
	left          int // payload bytes still to read
	entry         [settingLen]byte
	nentry        int
	settings      bool // the frame is a SETTINGS frame worth reading
	enableConnect bool
	done          bool
}

func (s *settingsScanner) write(p []byte) {
	for len(p) > 0 && !s.done {
		if s.nhdr < frameHeaderLen {
			n := copy(s.hdr[s.nhdr:], p)
			s.nhdr += n
			p = p[n:]
			if s.nhdr < frameHeaderLen {
				return
			}
			length := int(s.hdr[0])<<16 | int(s.hdr[1])<<8 | int(s.hdr[2])
			s.settings = s.hdr[3] == frameTypeSettings && s.hdr[4]&flagSettingsAck == 0 && length%settingLen == 0
			if !s.settings {
				s.done = true
				return
			}
			s.left = length
			s.done = length == 0
			continue
		}
		n := min(len(p), s.left)
		for _, c := range p[:n] {
			s.entry[s.nentry] = c
			if s.nentry++; s.nentry == settingLen {
				s.nentry = 0
				if binary.BigEndian.Uint16(s.entry[:2]) == settingEnableConnectProt {
					s.enableConnect = binary.BigEndian.Uint32(s.entry[2:]) == 1
				}
			}
		}
		p = p[n:]
		s.left -= n
		s.done = s.left == 0
	}
}
