package transport

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// Errors reported by Conn. CloseResult.Err wraps the real cause otherwise.
var (
	// ErrClosed is returned by Send once the closing handshake has started
	// or the connection is gone; the data is not sent.
	ErrClosed = errors.New("transport: connection is closing or closed")
	// ErrBufferFull is returned by Send when the data would take the queued
	// bytes past Config.MaxBufferedBytes; the connection is then closed.
	ErrBufferFull = errors.New("transport: send buffer is full")
	// ErrAborted is the cause reported after Abort.
	ErrAborted = errors.New("transport: connection aborted")
	// ErrCloseTimeout is the cause reported when the peer did not finish
	// the closing handshake within Config.CloseTimeout.
	ErrCloseTimeout = errors.New("transport: closing handshake timed out")
	// ErrPingTimeout is the cause reported when nothing was received for a
	// whole Config.PingInterval after a ping.
	ErrPingTimeout = errors.New("transport: no answer to keepalive ping")
)

// Handler receives what happens on a Conn. Its methods are called one at a
// time, never concurrently, in the order of events, and none after Closed.
// They run on the connection's goroutines and must not block; a binding
// typically queues a task on its event loop in each.
type Handler interface {
	// Message delivers a complete message: text (valid UTF-8) or binary.
	// data belongs to the Handler, and so does its charge to Config.Memory,
	// cap(data) bytes, if there is one.
	Message(binary bool, data []byte)
	// Sent reports that n more bytes of application data given to Send
	// were written to the underlying stream.
	Sent(n int)
	// Closed reports the end of the connection, once.
	Closed(CloseResult)
}

// An Idler is a Handler that also wants to know when the reading goroutine
// has handled everything it has read so far and is about to read again, which
// may block: a binding can post a task per message without waking its event
// loop, and run them all here (eventloop.Loop.Flush). Idle is called on the
// reading goroutine, without the lock that orders the Handler's calls, so it
// may run script that calls the Conn's methods; it is also called before the
// reader waits out a pause, and before it drains the stream after a close
// frame. While a socket is idle its reading goroutine may end and a new one
// take over when bytes arrive (park.go); Idle is still never called by two
// goroutines at once.
type Idler interface {
	Idle()
}

// A Settler is a Handler that can wait until the application has handled the
// messages delivered so far. Before failing the connection for a frame that
// breaks the protocol, the reading goroutine calls Settle, without the lock
// that orders the Handler's calls, so that what the application sends in
// answer to the messages that came before that frame is sent before the close
// frame. Settle returns once they are handled, or when ctx is done. A Handler
// that is not a Settler but an Idler is told Idle instead.
type Settler interface {
	Settle(ctx context.Context)
}

// A TextCopier is a Handler that copies a text message out of data during
// Message (into a string, say) and keeps no reference to data afterwards. The
// reading goroutine then receives text messages into pooled buffers, which need
// no clearing, and reuses them once Message has returned. The message's charge
// to Config.Memory, cap(data) bytes, still passes to the Handler with it.
type TextCopier interface {
	CopiesText()
}

// CloseResult is how a connection ended, in the terms of RFC 6455 sections
// 7.1.4 (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.4) to 7.1.6
// (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.6) and of the WHATWG
// WebSockets Standard
// (https://websockets.spec.whatwg.org/#feedback-from-the-protocol).
type CloseResult struct {
	// WasClean is true when the closing handshake completed: a close frame
	// was both received and sent.
	WasClean bool
	// Code is the status code of the close frame received, 1005 if it had
	// none, and 1006 if no close frame was received.
	Code int
	// Reason is the reason of the close frame received.
	Reason string
	// Failed is true when this side failed the WebSocket connection (a
	// protocol violation by the peer), or closed it because the send buffer
	// was full; the WebSocket API fires error before close then.
	Failed bool
	// Unsent is how many bytes of the application data given to Send were
	// never written: messages still queued when the closing handshake began
	// or the connection was dropped, and the rest of a message abandoned
	// between two of its fragments to answer the peer's close frame.
	Unsent int64
	// Err is the cause for logs; nil after a clean close. Script must not learn
	// it (https://websockets.spec.whatwg.org/#feedback-from-the-protocol).
	Err error
}

// hdrRoom is the space kept in front of every outgoing payload for its
// frame header, the largest a client frame can have.
const hdrRoom = ws.MaxHeaderSize

// fragmentSize is the largest data frame written. A longer message is sent as
// fragments (RFC 6455 section 5.4,
// https://www.rfc-editor.org/rfc/rfc6455#section-5.4) so that control frames
// queued meanwhile, a pong or the answer to the peer's close frame, go out
// between fragments instead of waiting for the whole message; each fragment is
// handed to the stream in one write, and its progress reported.
const fragmentSize = 64 << 10

// readBufferSize is the size of the read buffer, borrowed from the pool while
// data is arriving (lazyReader).
const readBufferSize = 4 << 10

type outFrame struct {
	buf *[]byte // hdrRoom bytes, then the payload
	op  ws.OpCode
	app bool // the payload is application data counted by Sent
	// masked: the payload was masked as it was copied (copyMasked), its first
	// fragment with key, the next ones with more's keys in order.
	masked bool
	key    [4]byte
	more   [][4]byte
}

func (f *outFrame) payload() []byte { return (*f.buf)[hdrRoom:] }

// Conn is an established client WebSocket connection. Its methods may be
// called from any goroutine.
type Conn struct {
	lim        limits
	br         lazyReader // the stream (br.r), its raw socket and meter, if any, for writeNow too
	protocol   string
	extensions string
	z          *compression // nil unless permessage-deflate is in use
	maxMsg     int64

	// Owned by the reading goroutine (one at a time: the goroutine that resumes
	// a parked socket takes over).
	rxHeld int64 // charged to Config.Memory (memory.go)
	// The pooled buffer the message being received is in, if it is (memory.go).
	rxPooled *[]byte

	rx atomic.Int64 // frames received, for keepalive

	// Guarded by mu.
	ctrlQ     []outFrame
	dataQ     []outFrame
	dataHead  int
	buffered  int64
	err       error
	closing   *closing // made when the closing handshake begins
	pingTimer *time.Timer
	pingRx    int64
	resumed   chan struct{} // closed when a pause ends
	// c.writeLoop, bound when a writer first starts, so that starting one
	// allocates nothing, and a socket that never writes holds no closure.
	writeFn func()

	// Writing a small message where it is sent: made on the first attempt,
	// guarded by wmu.
	inline *inlineWrite

	h    Handler       // guarded by hmu
	done chan struct{} // closed once Closed is reported; made by doneChan

	wg        sync.WaitGroup // writer goroutines
	closeOnce sync.Once
	mu        sync.Mutex
	wmu       sync.Mutex // held while writing one frame
	hmu       sync.Mutex // serializes Handler calls
	started   atomic.Bool
	pausing   atomic.Bool // mirrors paused, read before each frame

	// The small fields, together so that they pack; each with the lock or
	// goroutine of its group above.
	hdrBuf [ws.MaxHeaderSize - 2]byte // reading goroutine
	utf8   utf8Validator              // reading goroutine
	// poolMsg: the message being received is a text message for a TextCopier,
	// pooled throughout.
	copiesText, poolMsg bool // reading goroutine
	writing             bool // mu
	closeQd             bool // mu: a close frame is queued: no more data
	closeTaken          bool // mu: nothing more is written: a close frame was taken, or the stream is being dropped
	closeRecv           bool // mu
	failed              bool // mu
	ended               bool // mu: teardown started
	pingOut             bool // mu
	paused              bool // mu
	tryOnce             bool // wmu: writeFragment makes writeNow's one attempt
	reported            bool // hmu
}

// inlineWrite is the state of writing a small message where it is sent, without
// a writer goroutine (a TCP socket on Unix only, c.br.rc): one non-blocking
// attempt, the rest left to a writer. A Conn makes it on its first attempt, so
// that one that never sends holds none. Conn.wmu guards it.
type inlineWrite struct {
	// What the attempt left unwritten, written first by the writer; during the
	// attempt, what it has still to write.
	rest    []byte
	restBuf *[]byte               // the pooled buffer rest lies in
	restApp int                   // application bytes to report once rest is written
	err     error                 // what the attempt's callback met
	fn      func(fd uintptr) bool // c.writeFd, bound once: an attempt allocates nothing
}

// closing is what a Conn keeps only once its closing handshake has begun (a
// close frame received, or the wait for the peer started): an open connection
// holds none of it. Conn.mu guards it.
type closing struct {
	recvCode   int    // of the close frame received (closeRecv)
	recvReason string // of the close frame received
	timer      *time.Timer
}

// closingLocked returns c.closing, making it if need be; c.mu is held.
func (c *Conn) closingLocked() *closing {
	if c.closing == nil {
		c.closing = &closing{}
	}
	return c.closing
}

// partial reports whether a frame is partly written: an attempt left c.inline.rest
// for the writer. c.wmu is held.
func (c *Conn) partial() bool { return c.inline != nil && c.inline.rest != nil }

// NewConn runs the WebSocket framing over rwc, a stream on which an opening
// handshake has already succeeded by other means (for example an HTTP/2
// stream, RFC 8441). protocol is the subprotocol in use and extensions the
// server's Sec-WebSocket-Extensions value, which is checked as Dial checks
// it. Only cfg's message, buffer, close and ping settings apply. As with Dial,
// nothing is read until Start.
func NewConn(rwc io.ReadWriteCloser, protocol, extensions string, cfg *Config) (*Conn, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	var values []string
	if extensions != "" {
		values = []string{extensions}
	}
	dp, use, err := negotiateExtensions(values, !cfg.DisableCompression)
	if err != nil {
		return nil, fmt.Errorf("transport: %w", err)
	}
	return newConn(rwc, nil, protocol, extensions, use, dp, cfg), nil
}

// newConn starts the framing over rwc; br, if not nil, holds what was read past
// the opening handshake.
func newConn(rwc io.ReadWriteCloser, br *bufio.Reader, protocol, extensions string, deflate bool, dp deflateParams, cfg *Config) *Conn {
	c := &Conn{
		lim:        cfg.limits(),
		protocol:   protocol,
		extensions: extensions,
		maxMsg:     cfg.maxMessageSize(),
	}
	c.br.init(rwc, br)
	c.br.enableParking((*unparker)(c))
	if deflate {
		c.z = newCompression(dp, c.rxGrowInflated)
	}
	return c
}

// Protocol returns the subprotocol the server selected, or "".
func (c *Conn) Protocol() string { return c.protocol }

// Extensions returns the server's Sec-WebSocket-Extensions value, or "".
func (c *Conn) Extensions() string { return c.extensions }

// Start starts reading with h receiving the events. Until Start nothing is
// read, so a binding can announce the open connection first. Only the first
// call has an effect.
func (c *Conn) Start(h Handler) {
	if !c.started.CompareAndSwap(false, true) {
		return
	}
	c.hmu.Lock()
	c.h = h
	c.hmu.Unlock()
	if i, ok := h.(Idler); ok {
		// Set before the reading goroutine starts, which alone calls it.
		c.br.idler = i
	}
	_, c.copiesText = h.(TextCopier)
	if d := c.lim.pingInterval; d > 0 {
		c.mu.Lock()
		if !c.ended {
			c.pingTimer = time.AfterFunc(d, c.keepalive)
		}
		c.mu.Unlock()
	}
	// A socket on which nothing has arrived yet starts parked (park.go): a
	// connection that stays idle never has a reading goroutine.
	if !c.br.parkAtStart() {
		go c.run()
	}
}

// Send queues a message without waiting for it to be written; p is copied.
// Text must be UTF-8. It returns ErrClosed once the closing handshake has
// started, and ErrBufferFull (closing the connection) when the bytes queued
// would exceed Config.MaxBufferedBytes. Sent reports progress.
func (c *Conn) Send(binary bool, p []byte) error {
	f := outFrame{buf: getBuf(hdrRoom + len(p)), op: ws.OpText, app: true}
	if binary {
		f.op = ws.OpBinary
	}
	if c.premasks() {
		copyMasked(&f, p)
	} else {
		copy(f.payload(), p)
	}
	return c.send(f)
}

// SendText is Send for a text message given as a string.
func (c *Conn) SendText(s string) error {
	f := outFrame{buf: getBuf(hdrRoom + len(s)), op: ws.OpText, app: true}
	if c.premasks() {
		copyMasked(&f, s)
	} else {
		copy(f.payload(), s)
	}
	return c.send(f)
}

func (c *Conn) send(f outFrame) error {
	buf, n := f.buf, len(f.payload())
	c.mu.Lock()
	if c.closeQd || c.closeTaken || c.ended {
		c.mu.Unlock()
		putBuf(buf)
		return ErrClosed
	}
	full := error(nil)
	switch {
	case c.buffered+int64(n) > c.lim.maxBuffered:
		full = ErrBufferFull
	case c.lim.memory != nil && !c.lim.memory.Reserve(int64(n)):
		full = errSendMemory
	}
	if full != nil {
		// send() (https://websockets.spec.whatwg.org/#dom-websocket-send): flag
		// as full, then close the WebSocket connection (RFC 6455 section 7.1.1,
		// https://www.rfc-editor.org/rfc/rfc6455#section-7.1.1: drop the
		// stream).
		c.failed = true
		c.setErrLocked(full)
		c.closeTaken = true
		c.mu.Unlock()
		putBuf(buf)
		c.closeStream()
		return full
	}
	c.buffered += int64(n)
	if c.br.rc != nil && !c.writing && n <= inlineMax && len(c.ctrlQ) == 0 && c.dataHead == len(c.dataQ) {
		// Nothing is queued or being written: write it here, saving a goroutine and
		// a thread hand-off per message when messages are few and small.
		c.writing = true
		c.bindWriterLocked()
		c.wg.Add(1)
		c.mu.Unlock()
		c.writeInline(f, n)
		return nil
	}
	c.dataQ = append(c.dataQ, f)
	c.kickLocked()
	c.mu.Unlock()
	return nil
}

// inlineMax is the largest message Send may write itself: one fragment, compressed
// or not, and little enough that a full socket buffer is the exception.
const inlineMax = 16 << 10

// errWait is readFrames' report that it has consumed everything read, at a message
// boundary, and that the reader should wait for more (run).
var errWait = errors.New("transport: nothing to read")

// errIncomplete is writeFragment's report that its one non-blocking attempt left
// c.inline.rest unwritten.
var errIncomplete = errors.New("transport: write incomplete")

// writeInline writes f on the calling goroutine, which is the writer meanwhile
// (c.writing is set, and counted in c.wg): one non-blocking attempt; what it
// leaves, and whatever was queued meanwhile, goes to a writer goroutine.
func (c *Conn) writeInline(f outFrame, n int) {
	c.wmu.Lock()
	c.tryOnce = true
	err := c.writeFrameLocked(&f)
	c.tryOnce = false
	if err == errIncomplete {
		c.inline.restBuf, c.inline.restApp = f.buf, n
		c.wmu.Unlock()
		// The writer continues from here: c.writing stays set, and it takes over
		// this call's place in c.wg.
		go c.writeFn()
		return
	}
	c.wmu.Unlock()
	putBuf(f.buf)
	defer c.wg.Done()
	if err != nil {
		c.writeFailed(err)
		return
	}
	c.mu.Lock()
	if !c.ended && (len(c.ctrlQ) > 0 || c.dataHead < len(c.dataQ)) {
		// Queued meanwhile (a pong, a larger message): a writer takes over.
		c.wg.Add(1)
		go c.writeFn()
	} else {
		c.writing = false
	}
	c.mu.Unlock()
}

// writeNow makes one non-blocking attempt at writing b and reports how much was
// written. c.wmu is held. The attempt's state is kept in c.inline (rest, what is
// left to write, and err), so that the callback allocates nothing.
func (c *Conn) writeNow(b []byte) (int, error) {
	w := c.inline
	if w == nil {
		w = &inlineWrite{}
		w.fn = c.writeFd
		c.inline = w
	}
	w.rest = b
	err := c.br.rc.Write(w.fn)
	n := len(b) - len(w.rest)
	if err == nil {
		err = w.err
	}
	w.rest, w.err = nil, nil
	return n, err
}

// Close starts the closing handshake (RFC 6455 section 7.1.2,
// https://www.rfc-editor.org/rfc/rfc6455#section-7.1.2) after the messages
// already queued. Code 0 sends a close frame without a body (then reason must
// be empty); otherwise code must be 1000, 1001 or 3000 to 4999 and reason at
// most 123 bytes of UTF-8. Calls after the first do nothing. Closed reports the
// end, at the latest Config.CloseTimeout after the close frame was written.
func (c *Conn) Close(code int, reason string) error {
	if err := checkSendClose(code, reason); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closeQd || c.closeTaken || c.ended {
		return nil
	}
	c.closeQd = true
	c.dataQ = append(c.dataQ, closeFrame(code, reason))
	c.kickLocked()
	// The peer's close frame must be read for the handshake to complete.
	c.resumeLocked()
	return nil
}

// Pause stops reading from the connection before the next frame, until
// Resume, so that a peer sending faster than messages are consumed meets TCP
// flow control rather than filling memory. While paused, the peer's pings
// and close frame are not seen either, so reading resumes by itself once the
// closing handshake is started with Close or the connection is being dropped
// (Abort, the close timeout, a full send buffer): closing is never held up.
// Time spent paused does not count as silence for keepalive. Pause and Resume
// may be called from any goroutine; pausing a paused connection, or resuming
// one that is not paused, does nothing.
func (c *Conn) Pause() {
	c.mu.Lock()
	if !c.paused && !c.closeQd && !c.closeTaken && !c.ended {
		c.paused = true
		c.resumed = make(chan struct{})
		c.pausing.Store(true)
	}
	c.mu.Unlock()
}

// Resume ends a pause started by Pause.
func (c *Conn) Resume() {
	c.mu.Lock()
	c.resumeLocked()
	c.mu.Unlock()
}

func (c *Conn) resumeLocked() {
	if c.paused {
		c.paused = false
		c.pingOut = false // a full ping interval of silence is needed again
		c.pausing.Store(false)
		close(c.resumed)
		c.resumed = nil
	}
}

// waitResumed blocks the reading goroutine while the connection is paused.
func (c *Conn) waitResumed() {
	c.idle()
	c.mu.Lock()
	ch := c.resumed
	c.mu.Unlock()
	if ch != nil {
		<-ch
	}
}

// idle tells an Idler handler that the reading goroutine is about to block.
func (c *Conn) idle() {
	c.br.drained()
}

// Abort drops the connection at once, after trying to send a close frame
// with 1001 (going away) if no frame is being written. The result reports
// ErrAborted unless the connection had already ended.
func (c *Conn) Abort() {
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return
	}
	c.setErrLocked(ErrAborted)
	sendClose := !c.closeTaken
	c.closeTaken = true
	c.mu.Unlock()
	if sendClose && c.wmu.TryLock() {
		if c.partial() {
			// A frame is partly written: a close frame now would corrupt it.
			c.wmu.Unlock()
			c.closeStream()
			return
		}
		if d, ok := c.br.r.(interface{ SetWriteDeadline(time.Time) error }); ok {
			d.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		}
		f := closeFrame(codeGoingAway, "")
		c.writeFrameLocked(&f)
		putBuf(f.buf)
		c.wmu.Unlock()
	}
	c.closeStream()
}

func closeFrame(code int, reason string) outFrame {
	n := 0
	if code != 0 {
		n = 2 + len(reason)
	}
	buf := getBuf(hdrRoom + n)
	if code != 0 {
		p := (*buf)[hdrRoom:]
		binary.BigEndian.PutUint16(p, uint16(code))
		copy(p[2:], reason)
	}
	return outFrame{buf: buf, op: ws.OpClose}
}

func (c *Conn) setErrLocked(err error) {
	if c.err == nil {
		c.err = err
	}
}

func (c *Conn) setErr(err error) {
	c.mu.Lock()
	c.setErrLocked(err)
	c.mu.Unlock()
}

// kickLocked starts a writer goroutine if none is running. There is none
// while nothing is queued.
func (c *Conn) kickLocked() {
	if c.writing || c.ended {
		return
	}
	c.writing = true
	c.bindWriterLocked()
	c.wg.Add(1)
	go c.writeFn()
}

// bindWriterLocked binds c.writeFn, as a writer is about to start; c.mu is held.
func (c *Conn) bindWriterLocked() {
	if c.writeFn == nil {
		c.writeFn = c.writeLoop
	}
}

// closeStream drops the underlying stream, ending any pause and resuming a
// parked socket so that the reading goroutine sees the end.
func (c *Conn) closeStream() {
	c.Resume()
	c.closeOnce.Do(func() { c.br.r.Close() })
	// A parked socket leaves the poller without an event when closed.
	c.br.wake()
}

// armCloseTimer starts the wait for the peer to end the connection.
func (c *Conn) armCloseTimer() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended || c.closing != nil && c.closing.timer != nil {
		return
	}
	c.closingLocked().timer = time.AfterFunc(c.lim.closeTimeout, func() {
		c.mu.Lock()
		if !c.closeRecv {
			c.setErrLocked(ErrCloseTimeout)
		}
		c.mu.Unlock()
		c.closeStream()
	})
}

func (c *Conn) keepalive() {
	rx := c.rx.Load()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended || c.closeTaken || c.closeQd {
		return
	}
	// Nothing is read while paused, so silence then proves nothing.
	if c.pingOut && rx == c.pingRx && !c.paused {
		c.setErrLocked(ErrPingTimeout)
		c.closeTaken = true
		c.mu.Unlock()
		c.closeStream()
		c.mu.Lock()
		return
	}
	c.pingOut, c.pingRx = true, rx
	// A ping still waiting behind a stalled writer is not queued twice.
	if !slices.ContainsFunc(c.ctrlQ, func(f outFrame) bool { return f.op == ws.OpPing }) {
		c.ctrlQ = append(c.ctrlQ, outFrame{buf: getBuf(hdrRoom), op: ws.OpPing})
		c.kickLocked()
	}
	c.pingTimer.Reset(c.lim.pingInterval)
}

// nextLocked picks the next frame to write: control frames first, between
// data frames; nothing after a close frame.
func (c *Conn) nextLocked() (outFrame, bool) {
	if c.closeTaken || c.ended {
		return outFrame{}, false
	}
	var f outFrame
	switch {
	case len(c.ctrlQ) > 0:
		f = c.popCtrlLocked()
	case c.dataHead < len(c.dataQ):
		f = c.dataQ[c.dataHead]
		c.dataQ[c.dataHead] = outFrame{}
		c.dataHead++
		if c.dataHead == len(c.dataQ) {
			c.dataQ, c.dataHead = c.dataQ[:0], 0
		}
	default:
		return f, false
	}
	if f.op == ws.OpClose {
		c.closeTaken = true
	}
	return f, true
}

// popCtrlLocked takes the oldest queued control frame.
func (c *Conn) popCtrlLocked() outFrame {
	f := c.ctrlQ[0]
	c.ctrlQ[0] = outFrame{}
	c.ctrlQ = c.ctrlQ[1:]
	if len(c.ctrlQ) == 0 {
		c.ctrlQ = c.ctrlQ[:0:0]
	}
	return f
}

// dropDataLocked discards the data frames not yet taken by the writer.
func (c *Conn) dropDataLocked() {
	for i := c.dataHead; i < len(c.dataQ); i++ {
		putBuf(c.dataQ[i].buf)
		c.dataQ[i] = outFrame{}
	}
	c.dataQ, c.dataHead = c.dataQ[:0], 0
}

func (c *Conn) writeLoop() {
	defer c.wg.Done()
	// First what a write made where the message was sent left unwritten.
	c.wmu.Lock()
	if c.partial() {
		w := c.inline
		_, err := c.br.r.Write(w.rest)
		putBuf(w.restBuf)
		app := w.restApp
		w.rest, w.restBuf, w.restApp = nil, nil, 0
		c.wmu.Unlock()
		if err != nil {
			c.writeFailed(err)
			return
		}
		c.reportSent(app)
	} else {
		c.wmu.Unlock()
	}
	for {
		c.mu.Lock()
		f, ok := c.nextLocked()
		if !ok {
			c.writing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		c.wmu.Lock()
		err := c.writeFrameLocked(&f)
		c.wmu.Unlock()
		putBuf(f.buf)
		if err != nil {
			c.writeFailed(err)
			return
		}
		if f.op == ws.OpClose {
			// RFC 6455 section 7.1.1
			// (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.1): after its
			// close frame the client waits for the server to close the stream,
			// for a bounded time.
			c.armCloseTimer()
		}
	}
}

// writeFailed ends writing after err: nothing more is written, and the stream
// is dropped.
func (c *Conn) writeFailed(err error) {
	c.mu.Lock()
	c.setErrLocked(fmt.Errorf("transport: write: %w", err))
	c.closeTaken = true
	c.writing = false
	c.mu.Unlock()
	c.closeStream()
}

// writeFrameLocked masks and writes f (RFC 6455 sections 5.2 and 5.3,
// https://www.rfc-editor.org/rfc/rfc6455#section-5.2,
// https://www.rfc-editor.org/rfc/rfc6455#section-5.3), compressing data
// messages when permessage-deflate is in use, as fragments when it is longer
// than fragmentSize. Between fragments, and between the parts of a message
// being compressed, it writes the control frames queued meanwhile; once that
// includes the close frame, or the stream is being dropped, the rest of the
// message is abandoned: it stays counted in c.buffered, unsent. c.wmu is held.
func (c *Conn) writeFrameLocked(f *outFrame) error {
	if c.compresses(f.op) {
		return c.writeCompressedLocked(f)
	}
	frame := *f.buf
	size := len(frame) - hdrRoom
	op := f.op
	for off := 0; ; {
		n := min(size-off, fragmentSize)
		fin := off+n == size
		key, pre := [4]byte{}, f.masked
		if pre {
			key = f.fragmentKey(off)
		}
		if err := c.writeFragment(frame, off, n, fin, 0, op, pre, key); err != nil {
			return err
		}
		off += n
		if f.app {
			c.reportSent(n)
		}
		if fin {
			return nil
		}
		op = ws.OpContinuation
		if abandon, err := c.writeControlLocked(); abandon || err != nil {
			return err
		}
	}
}

// writeCompressedLocked writes a data message compressed (RFC 7692 section
// 7.2.1, https://www.rfc-editor.org/rfc/rfc7692#section-7.2.1), fragmentSize
// bytes of it at a time, with RSV1 on the first frame only (RFC 7692 section
// 6.1, https://www.rfc-editor.org/rfc/rfc7692#section-6.1). The compressor is
// fed fragmentSize bytes of the message at a time, and the frames are written
// as its output grows, so a control frame waits for neither the whole
// compression nor the whole message. Progress is reported once the whole
// message is written.
func (c *Conn) writeCompressedLocked(f *outFrame) error {
	src := (*f.buf)[hdrRoom:]
	z := c.z
	if cap(z.out) < hdrRoom {
		z.out = make([]byte, hdrRoom, 512)
	}
	out := z.out[:hdrRoom] // hdrRoom bytes, then output not yet written
	defer func() {
		if cap(out) <= 4*fragmentSize {
			z.out = out[:0]
		}
	}()
	op, rsv := f.op, byte(0x4)
	for in := 0; ; {
		step := min(len(src)-in, fragmentSize)
		in += step
		last := in == len(src)
		var err error
		if out, err = z.deflater.add(out, src[in-step:in], last); err != nil {
			return err
		}
		// Write what is ready: whole fragments, and at the end the rest.
		ready := len(out) - hdrRoom
		off := 0
		for ready-off >= fragmentSize || last {
			n := min(ready-off, fragmentSize)
			fin := last && off+n == ready
			if err := c.writeFragment(out, off, n, fin, rsv, op, false, [4]byte{}); err != nil {
				return err
			}
			off += n
			op, rsv = ws.OpContinuation, 0
			if fin {
				if f.app {
					c.reportSent(len(src))
				}
				return nil
			}
		}
		// Keep only what is not written yet, after the header room.
		out = out[:hdrRoom+copy(out[hdrRoom:], out[hdrRoom+off:])]
		if abandon, err := c.writeControlLocked(); abandon || err != nil {
			return err
		}
	}
}

// writeFragment writes frame[hdrRoom+off:][:n] as one frame, masked already with
// key if premasked, else masked here with a key drawn for it (mask.go). Its
// header goes just in front of it: into the room kept for it, or over the end
// of the fragment before, already written.
func (c *Conn) writeFragment(frame []byte, off, n int, fin bool, rsv byte, op ws.OpCode, premasked bool, key [4]byte) error {
	if !premasked {
		key = newKey()
		ws.Cipher(frame[hdrRoom+off:hdrRoom+off+n], key, 0)
	}
	start := putHeader(frame[:hdrRoom+off], fin, rsv, op, n, key)
	out := frame[start : hdrRoom+off+n]
	if c.tryOnce {
		w, err := c.writeNow(out)
		if err == nil && w < len(out) {
			c.inline.rest = out[w:]
			return errIncomplete
		}
		return err
	}
	_, err := c.br.r.Write(out)
	return err
}

// writeControlLocked writes the control frames queued while a fragmented
// message is being written. It reports whether the message must be abandoned:
// the close frame was written, or nothing more may be. c.wmu is held.
func (c *Conn) writeControlLocked() (abandon bool, err error) {
	for {
		c.mu.Lock()
		if c.closeTaken || c.ended {
			c.mu.Unlock()
			return true, nil
		}
		if len(c.ctrlQ) == 0 {
			c.mu.Unlock()
			return false, nil
		}
		f := c.popCtrlLocked()
		closing := f.op == ws.OpClose
		if closing {
			c.closeTaken = true
		}
		c.mu.Unlock()
		err := c.writeFrameLocked(&f)
		putBuf(f.buf)
		if err != nil {
			return true, err
		}
		if closing {
			c.armCloseTimer()
			return true, nil
		}
	}
}

// putHeader writes a masked frame header at the end of dst and returns
// where in dst it starts.
func putHeader(dst []byte, fin bool, rsv byte, op ws.OpCode, n int, key [4]byte) int {
	var hlen int
	switch {
	case n < 126:
		hlen = 2 + 4
	case n <= 0xffff:
		hlen = 4 + 4
	default:
		hlen = 10 + 4
	}
	h := dst[len(dst)-hlen:]
	h[0] = rsv<<4 | byte(op)
	if fin {
		h[0] |= 0x80
	}
	switch {
	case n < 126:
		h[1] = 0x80 | byte(n)
	case n <= 0xffff:
		h[1] = 0x80 | 126
		binary.BigEndian.PutUint16(h[2:], uint16(n))
	default:
		h[1] = 0x80 | 127
		binary.BigEndian.PutUint64(h[2:], uint64(n))
	}
	copy(h[hlen-4:], key[:])
	return len(dst) - hlen
}

func (c *Conn) reportSent(n int) {
	c.mu.Lock()
	c.buffered -= int64(n)
	c.mu.Unlock()
	if c.lim.memory != nil {
		c.lim.memory.Release(int64(n))
	}
	c.hmu.Lock()
	if c.h != nil && !c.reported {
		c.h.Sent(n)
	}
	c.hmu.Unlock()
}

func (c *Conn) deliver(binary bool, data []byte) {
	c.hmu.Lock()
	if c.h != nil && !c.reported {
		c.h.Message(binary, data)
	}
	c.hmu.Unlock()
}

// protocolError makes the reader fail the connection (RFC 6455 section 7.1.7,
// https://www.rfc-editor.org/rfc/rfc6455#section-7.1.7) with code in the close
// frame it sends.
type protocolError struct {
	code int
	err  error
}

func (e *protocolError) Error() string { return e.err.Error() }
func (e *protocolError) Unwrap() error { return e.err }

func failWith(code int, format string, args ...any) error {
	return &protocolError{code: code, err: fmt.Errorf("transport: "+format, args...)}
}

var errCloseReceived = errors.New("close frame received")

// run is the connection's reading goroutine: it reads until the end, then
// tears the connection down and reports.
func (c *Conn) run() { c.read(c.readFrames()) }

// resume continues the reading on a new goroutine after the socket was parked
// (park.go), once it is readable or closed.
func (c *Conn) resume() { c.read(errWait) }

// read reads frames from where readFrames returned err until the end, unless
// the socket is parked meanwhile.
func (c *Conn) read(err error) {
	for err == errWait {
		// Nothing to read between two messages: wait here, in a shallow frame, so
		// that the collector can shrink the stack of an idle connection's goroutine
		// (it does when a quarter of the stack is enough).
		if err = c.br.wait(); err == nil {
			err = c.readFrames()
		}
	}
	if err == errParked {
		return // the goroutine that resumes owns the reading now
	}
	c.finish(err)
}

// finish tears the connection down after reading ended with err, and reports.
func (c *Conn) finish(err error) {
	var pe *protocolError
	switch {
	case err == errCloseReceived:
		c.idle()
		err = c.drain()
	case errors.As(err, &pe):
		c.settle()
		c.fail(pe)
		c.idle()
		err = c.drain()
	}
	c.rxReleaseAll()
	c.mu.Lock()
	c.ended = true
	if err != nil && !c.closeRecv {
		c.setErrLocked(fmt.Errorf("transport: connection lost without a close frame: %w", err))
	} else if !c.closeRecv {
		c.setErrLocked(errors.New("transport: connection closed without a close frame"))
	}
	if c.closing != nil && c.closing.timer != nil {
		c.closing.timer.Stop()
	}
	if c.pingTimer != nil {
		c.pingTimer.Stop()
	}
	c.ctrlQ = nil
	c.dropDataLocked()
	c.mu.Unlock()
	c.closeStream()
	c.wg.Wait()

	c.mu.Lock()
	res := CloseResult{Code: codeAbnormal, Failed: c.failed, Unsent: c.buffered}
	if c.lim.memory != nil {
		// What was never written is dropped with the writers gone.
		c.lim.memory.Release(c.buffered)
	}
	if c.closeRecv {
		res.Code, res.Reason = c.closing.recvCode, c.closing.recvReason
		// RFC 6455 section 7.1.4
		// (https://www.rfc-editor.org/rfc/rfc6455#section-7.1.4): closed
		// cleanly when the closing handshake was completed, whoever then closed
		// the stream. A close frame was received and ours was sent or queued; a
		// peer that ends the stream right after its close frame, before our
		// answer could be written, is still taken as closing cleanly.
		res.WasClean = !c.failed && c.err != ErrAborted
	}
	if !res.WasClean {
		res.Err = c.err
	}
	c.mu.Unlock()
	c.hmu.Lock()
	if c.h != nil {
		c.h.Closed(res)
	}
	c.reported = true
	if c.done != nil {
		close(c.done)
	}
	c.hmu.Unlock()
}

// doneChan returns a channel closed once Closed has been reported. It is made
// when first asked for, so that a connection nobody waits on holds none.
func (c *Conn) doneChan() <-chan struct{} {
	c.hmu.Lock()
	defer c.hmu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
		if c.reported {
			close(c.done)
		}
	}
	return c.done
}

// settle lets the application handle the messages delivered before the frame
// that fails the connection, before it is failed: frames are processed in order
// (RFC 6455 section 5.4, https://www.rfc-editor.org/rfc/rfc6455#section-5.4),
// so what the application sends in answer to them goes out ahead of the close
// frame. It waits at most the close timeout for a Settler.
func (c *Conn) settle() {
	c.hmu.Lock()
	s, ok := c.h.(Settler)
	c.hmu.Unlock()
	if !ok {
		c.idle()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.lim.closeTimeout)
	defer cancel()
	s.Settle(ctx)
}

// fail starts failing the connection (RFC 6455 section 7.1.7,
// https://www.rfc-editor.org/rfc/rfc6455#section-7.1.7): a close frame with the
// code is sent unless one was already, after the messages already queued (the
// answers to the messages received before the failure), as close() would, and
// within the close timeout; a close frame queued by Close but not yet written
// carries the failure's code instead.
func (c *Conn) fail(pe *protocolError) {
	c.mu.Lock()
	c.failed = true
	c.setErrLocked(pe.err)
	switch last := len(c.dataQ) - 1; {
	case c.closeTaken:
	case c.closeQd && last >= c.dataHead && c.dataQ[last].op == ws.OpClose:
		putBuf(c.dataQ[last].buf)
		c.dataQ[last] = closeFrame(pe.code, "")
	case !c.closeQd:
		c.closeQd = true
		c.dataQ = append(c.dataQ, closeFrame(pe.code, ""))
		c.kickLocked()
	}
	c.mu.Unlock()
	c.armCloseTimer()
}

// onClose handles a received close frame (RFC 6455 section 5.5.1,
// https://www.rfc-editor.org/rfc/rfc6455#section-5.5.1): from now on nothing
// more is delivered; unless a close frame was sent already, one is sent back
// with the same status code and queued data is dropped.
func (c *Conn) onClose(code int, reason string) {
	c.mu.Lock()
	cl := c.closingLocked()
	c.closeRecv, cl.recvCode, cl.recvReason = true, code, reason
	if !c.closeTaken {
		echo := code
		if code == codeNoStatus {
			echo = 0
		}
		c.closeQd = true
		c.dropDataLocked()
		c.ctrlQ = append(c.ctrlQ, closeFrame(echo, ""))
		c.kickLocked()
	}
	c.mu.Unlock()
	c.armCloseTimer()
}

// drain discards whatever arrives until the peer closes the stream or the
// close timer does. It returns nil at a clean end of stream.
func (c *Conn) drain() error {
	return c.br.discardAll()
}

func (c *Conn) readFrames() error {
	var (
		inMsg      bool
		binaryMsg  bool
		compressed bool
		msg        []byte
	)
	for {
		if c.pausing.Load() {
			c.waitResumed()
		}
		if !inMsg && c.br.canWait() {
			return errWait
		}
		h, err := ws.ReadHeaderBuffer(&c.br, c.hdrBuf[:])
		if err == ws.ErrHeaderLengthMSB {
			return failWith(codeProtocolError, "frame length with the most significant bit set")
		}
		if err != nil {
			return err
		}
		c.rx.Add(1)
		// RFC 6455 section 5.1
		// (https://www.rfc-editor.org/rfc/rfc6455#section-5.1): a client fails
		// on a masked frame.
		if h.Masked {
			return failWith(codeProtocolError, "masked frame from the server")
		}
		// RFC 6455 section 5.2
		// (https://www.rfc-editor.org/rfc/rfc6455#section-5.2): reserved
		// opcodes, and RSV bits without an extension defining them; RFC 7692
		// section 6 (https://www.rfc-editor.org/rfc/rfc7692#section-6): RSV1
		// marks the first frame of a compressed data message.
		if h.OpCode.IsReserved() {
			return failWith(codeProtocolError, "reserved opcode %#x", byte(h.OpCode))
		}
		rsv1 := h.Rsv&0x4 != 0
		if h.Rsv&0x3 != 0 || rsv1 && !(c.z != nil && (h.OpCode == ws.OpText || h.OpCode == ws.OpBinary)) {
			return failWith(codeProtocolError, "unexpected RSV bits %#x on opcode %#x", h.Rsv, byte(h.OpCode))
		}
		if h.OpCode.IsControl() {
			// RFC 6455 section 5.5
			// (https://www.rfc-editor.org/rfc/rfc6455#section-5.5): control
			// frames are not fragmented and carry at most 125 bytes.
			if !h.Fin {
				return failWith(codeProtocolError, "fragmented control frame")
			}
			if h.Length > maxControlPayload {
				return failWith(codeProtocolError, "control frame of %d bytes", h.Length)
			}
			// The payload is read into a pooled frame buffer, behind room for a
			// header: a ping's becomes its pong as it is.
			buf := getBuf(hdrRoom + int(h.Length))
			if _, err := io.ReadFull(&c.br, (*buf)[hdrRoom:]); err != nil {
				putBuf(buf)
				return err
			}
			switch h.OpCode {
			case ws.OpPing:
				c.pong(buf)
				continue
			case ws.OpClose:
				code, reason, failCode, err := parseClosePayload((*buf)[hdrRoom:])
				putBuf(buf)
				if err != nil {
					return &protocolError{code: failCode, err: fmt.Errorf("transport: %w", err)}
				}
				c.onClose(code, reason)
				return errCloseReceived
			}
			putBuf(buf)
			continue
		}
		// RFC 6455 section 5.4
		// (https://www.rfc-editor.org/rfc/rfc6455#section-5.4): fragments of
		// one message are not interleaved with other data messages.
		if h.OpCode == ws.OpContinuation {
			if !inMsg {
				return failWith(codeProtocolError, "continuation frame outside a fragmented message")
			}
		} else {
			if inMsg {
				return failWith(codeProtocolError, "data frame inside a fragmented message")
			}
			inMsg, binaryMsg, compressed, msg = true, h.OpCode == ws.OpBinary, rsv1, nil
			c.poolMsg = !binaryMsg && c.copiesText
			c.utf8.reset()
			if compressed {
				c.z.in = c.z.in[:0]
			}
		}
		if compressed {
			z := c.z
			if h.Length > c.maxMsg-int64(len(z.in)) { // no overflow: both sides are below 2^63
				return failWith(codeMessageTooBig, "compressed message exceeds %d bytes", c.maxMsg)
			}
			if z.in, err = c.readPayload(z.in, h.Length, false, false, false); err != nil {
				return err
			}
		} else {
			if h.Length > c.maxMsg-int64(len(msg)) {
				return failWith(codeMessageTooBig, "message exceeds %d bytes", c.maxMsg)
			}
			if msg, err = c.readPayload(msg, h.Length, !binaryMsg, true, h.Fin); err != nil {
				return err
			}
		}
		if !h.Fin {
			continue
		}
		if compressed {
			z := c.z
			if cap(z.in)-len(z.in) < len(deflateTail) { // room for the tail inflate appends
				var ok bool
				if z.in, ok = c.rxGrow(z.in, len(z.in)+len(deflateTail)); !ok {
					return failWith(codeMessageTooBig, "%v", errNoMemory)
				}
			}
			msg, err = z.inflater.inflate(z.in, c.maxMsg)
			if cap(z.in) > 1<<20 {
				c.rxFree(z.in)
				z.in = nil
			}
			if err == errTooBig {
				return failWith(codeMessageTooBig, "decompressed message exceeds %d bytes", c.maxMsg)
			}
			if err == errNoMemory {
				return failWith(codeMessageTooBig, "%v", errNoMemory)
			}
			if err != nil {
				return failWith(codeInvalidData, "cannot decompress message: %v", err)
			}
			if !binaryMsg && !utf8.Valid(msg) {
				return failWith(codeInvalidData, "text message is not valid UTF-8")
			}
		} else if !binaryMsg && !c.utf8.complete() {
			return failWith(codeInvalidData, "text message ends inside a UTF-8 sequence")
		}
		inMsg = false
		data := msg
		msg = nil
		if data == nil {
			data = []byte{}
		}
		if !c.poolMsg && !compressed {
			data = c.rxTrim(data)
		}
		c.rxHandOver(data)
		c.deliver(binaryMsg, data)
		c.rxRecycle()
	}
}

// readPayload appends n payload bytes to buf, growing it as bytes arrive rather
// than by the announced length, and checks text as it comes. buf is the message
// being received if msg is set (grown by rxGrowMsg), else the compressed input;
// fin: these are the last bytes of the message.
func (c *Conn) readPayload(buf []byte, n int64, text, msg, fin bool) ([]byte, error) {
	// A message of up to step bytes gets its whole buffer at once: growing a 1 MiB
	// message from 64 KiB cost four more allocations and copies. A peer that
	// announces more than it sends makes us hold at most step bytes ahead.
	const step = 1 << 20
	for n > 0 {
		if len(buf) == cap(buf) {
			need := int64(len(buf)) + n
			grow := need
			if len(buf) > 0 {
				// Fragments: grow geometrically, by 4 so that a 1 MiB message in
				// 64 KiB fragments is moved twice (320 KiB), not four times.
				grow = max(grow, int64(4*cap(buf)))
				grow = min(grow, c.maxMsg)
			}
			// Trust the announced length only this far ahead of the data.
			trusted := int64(len(buf)) + max(int64(cap(buf)), step)
			grow = min(grow, trusted)
			// The last bytes of the message, trusted: its length is known, and its
			// buffer is made at that size. A buffer that a message in fragments
			// outgrew is copied out of, and one it did not fill is trimmed
			// (rxTrim).
			final := msg && fin && need <= trusted
			if final {
				grow = need
			}
			var next []byte
			var ok bool
			if msg {
				next, ok = c.rxGrowMsg(buf, int(grow), c.poolMsg)
			} else {
				next, ok = c.rxGrow(buf, int(grow))
			}
			if !ok {
				return buf, failWith(codeMessageTooBig, "%v", errNoMemory)
			}
			buf = next
		}
		room := buf[len(buf):cap(buf)]
		if int64(len(room)) > n {
			room = room[:n]
		}
		r, err := c.br.Read(room)
		if r > 0 {
			if text && !c.utf8.write(room[:r]) {
				return buf, failWith(codeInvalidData, "text message is not valid UTF-8")
			}
			buf = buf[:len(buf)+r]
			n -= int64(r)
		}
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return buf, err
		}
	}
	return buf, nil
}

// pong answers a ping with its application data (RFC 6455 section 5.5.2,
// https://www.rfc-editor.org/rfc/rfc6455#section-5.5.2): every ping gets its
// pong, in the order the pings came. Only when maxQueuedPongs pongs are already
// waiting to be written does the new one replace the newest of them, as section
// 5.5.3 (https://www.rfc-editor.org/rfc/rfc6455#section-5.5.3) allows (a pong
// for the most recent ping only), so that a peer flooding pings without reading
// cannot make the queue grow. buf is the pong's frame buffer, the ping's
// application data after hdrRoom bytes, which pong takes.
func (c *Conn) pong(buf *[]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closeTaken || c.ended {
		putBuf(buf)
		return
	}
	last, n := -1, 0
	for i := range c.ctrlQ {
		if c.ctrlQ[i].op == ws.OpPong {
			last, n = i, n+1
		}
	}
	if n >= maxQueuedPongs {
		putBuf(c.ctrlQ[last].buf)
		c.ctrlQ[last].buf = buf
		return
	}
	c.ctrlQ = append(c.ctrlQ, outFrame{buf: buf, op: ws.OpPong})
	c.kickLocked()
}

// maxQueuedPongs bounds the pongs waiting to be written: at most 16 KiB of
// them with their frame buffers (RFC 6455 allows 125 bytes of data per ping).
const maxQueuedPongs = 64
