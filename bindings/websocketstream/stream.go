package websocketstream

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/internal/wsapi"
	"github.com/wsjs/wsjs/bindings/streams"
	"github.com/wsjs/wsjs/bindings/websocket/transport"
	"github.com/wsjs/wsjs/webidl"
)

var (
	errBadPort    = errors.New("websocketstream: port is on Fetch's list of bad ports")
	errTooMany    = errors.New("websocketstream: too many streams in this runtime (Options.MaxSockets)")
	errShutdown   = errors.New("websocketstream: runtime closed")
	errCloseEarly = errors.New("websocketstream: the handshake was aborted by close() or the abort signal")

	refusals = wsapi.Refusals{Shutdown: errShutdown, TooMany: errTooMany, BadPort: errBadPort}
)

// The ready states, as WebSocket's
// (https://websockets.spec.whatwg.org/#interface-definition).
const (
	connecting = 0
	open       = 1
	closing    = 2
	closed     = 3
)

// wsStream holds the internal slots of a WebSocketStream. Its fields are touched on the
// loop goroutine only, except sent and flush.
type wsStream struct {
	b      *binding
	target *wsapi.Target // [[url]]

	opened, closed                  *goja.Object // [[opened promise]], [[closed promise]]
	resolveOpened, rejectOpened     func(goja.Value)
	resolveClosed, rejectClosed     func(goja.Value)
	readyState                      int  // [[ready state]]
	wasEverConnected                bool // [[was ever connected]]
	handshakeAborted                bool // [[handshake aborted]]
	failing                         bool // close() or the signal failed the connection while connecting
	ended                           bool // the close steps have run
	readable                        *streams.ReadableController
	writable                        *streams.WritableController
	conn                            *transport.Conn
	ctl                             wsapi.Control
	release                         func() // the loop hold taken while not CLOSED
	closeWaiters                    []settle
	queuedBytes, writtenBytes       uint64
	pendingWrites                   []pendingWrite
	lostWrites                      bool          // a chunk was refused: the peer's close frame had come
	sent                            atomic.Uint64 // written by the transport, not yet seen by the loop
	flush                           atomic.Bool   // a task to publish sent is queued
	publishSentFn, deliverMessageFn func()
	inbox                           inbox
	backpressure                    bool // applying backpressure: no message is handled
}

// settle holds the functions that settle a promise.
type settle struct{ resolve, reject func(goja.Value) }

// pendingWrite is a write whose data is not all written yet: it settles once the
// transport reports writtenBytes reaching done.
type pendingWrite struct {
	done uint64
	settle
}

// construct runs the new WebSocketStream(url, options) constructor steps
// (https://whatpr.org/websockets/48.html#the-websocketstream-interface in the
// WebSocketStream draft).
func (b *binding) construct(c webidl.Call) *wsStream {
	r := b.realm
	input := r.ToUSVString(c.Arg(0))
	var opts streamOptions
	webidl.ToDictionary(r, c.Arg(1), streamOptionsDict, &opts)
	// Steps 1-2: get a URL record against the API base URL.
	base := r.APIBaseURL()
	t, err := wsapi.ParseTarget(input, base)
	if err != nil {
		b.throwFor(err, "Failed to construct 'WebSocketStream': the URL '"+input+"' is invalid.")
	}
	// Steps 3-4.
	if err := wsapi.CheckProtocols(opts.protocols); err != nil {
		b.throwFor(err, "Failed to construct 'WebSocketStream': the subprotocols are invalid or repeated.")
	}
	// Mixed content: a secure context may not open ws: connections.
	if err := t.CheckMixedContent(base); err != nil {
		b.throwFor(err, "Failed to construct 'WebSocketStream': an insecure WebSocket connection may not be initiated from a page loaded over HTTPS.")
	}
	// Steps 5-6.
	s := &wsStream{b: b, target: t, readyState: connecting}
	// Step 7: apply backpressure: no message is handled until the readable stream
	// pulls.
	s.backpressure = true
	s.publishSentFn = s.publishSent
	s.deliverMessageFn = s.deliverMessage
	var res, rej func(goja.Value)
	s.opened, res, rej = r.NewPromise()
	s.resolveOpened, s.rejectOpened = res, rej
	s.closed, res, rej = r.NewPromise()
	s.resolveClosed, s.rejectClosed = res, rej
	// Step 8: the signal.
	if opts.signal != nil && opts.abort != nil {
		if opts.abort.Aborted() {
			reason := b.abortReason(opts.signal)
			s.rejectOpened(reason)
			s.rejectClosed(reason)
			return s
		}
		signal := opts.signal
		opts.abort.AddAlgorithm(func() {
			b.run(func() { s.abortSteps(signal) })
		})
	}
	// Steps 9-10: establish the connection in parallel.
	s.release = b.loop.Hold()
	origin := b.opts.Origin
	if origin == "" {
		origin = wsapi.RequestOrigin(base)
	}
	b.connect(s, opts.protocols, origin)
	return s
}

// abortReason returns signal's abort reason.
func (b *binding) abortReason(signal *goja.Object) goja.Value {
	v, err := b.signalReason(signal)
	if err != nil {
		panic(err)
	}
	return v
}

// abortSteps are the abort steps added to the signal (constructor step 8.3).
func (s *wsStream) abortSteps(signal *goja.Object) {
	// Only while the connection is not yet established.
	if s.wasEverConnected || s.readyState != connecting {
		return
	}
	// Steps 1-4: fail the connection, CLOSING, reject both promises, and remember
	// that the closed task must do nothing more.
	s.failing = true
	s.ctl.Abort()
	s.readyState = closing
	reason := s.b.abortReason(signal)
	s.rejectOpened(reason)
	s.rejectClosed(reason)
	s.handshakeAborted = true
}

// connect starts "establish a WebSocket connection" on another goroutine. Fetch turns
// a bad port into a network error, and so do the embedder's limits; either fails the
// connection after the constructor has returned.
func (b *binding) connect(s *wsStream, protocols []string, origin string) {
	if err := b.streams.Admit(s, b.opts.SocketLimit(), s.target, refusals); err != nil {
		s.fail(err)
		return
	}
	cfg := b.cfg
	cfg.Protocols = protocols
	cfg.Origin = origin
	b.connecting.Connect(s.target, &cfg, &s.ctl, b.queue, s.established)
}

// fail queues the close steps of a connection that failed before it was established.
func (s *wsStream) fail(err error) {
	s.b.log(s, err)
	s.b.queue(func() {
		s.connectionClosed(transport.CloseResult{Code: 1006, Failed: true, Err: err})
	})
}

// established runs when the opening handshake has finished, successfully or not.
func (s *wsStream) established(conn *transport.Conn, err error) {
	if err == nil && s.failing {
		conn.Abort()
		conn, err = nil, errCloseEarly
	}
	if err != nil {
		s.b.log(s, err)
		s.connectionClosed(transport.CloseResult{Code: 1006, Failed: true, Err: err})
		return
	}
	s.conn = conn
	s.ctl.Set(conn, nil)
	s.inbox.conn = conn
	s.connectionEstablished()
	conn.Start(handler{s})
}

// connectionEstablished is "handle WebSocketStream connection establishment"
// (https://whatpr.org/websockets/48.html#feedback-to-websocket-stream-from-the-protocol).
func (s *wsStream) connectionEstablished() {
	b := s.b
	r := b.realm
	// Steps 1-4.
	s.readyState = open
	s.wasEverConnected = true
	extensions := s.conn.Extensions()
	protocol := s.conn.Protocol()
	// Steps 5-8: the readable stream; its pull releases backpressure, its cancel
	// closes the connection with the reason.
	readable, rc, err := streams.NewReadableStream(r, streams.Source{
		Pull: func(*streams.ReadableController) goja.Value {
			// "pull bytes": release backpressure; a message waiting is handled
			// at once.
			s.backpressure = false
			s.deliverMessage()
			return nil
		},
		Cancel: func(_ *streams.ReadableController, reason goja.Value) goja.Value {
			s.closeUsingReason(reason)
			return nil
		},
	})
	if err != nil {
		b.loop.ReportException(err)
		return
	}
	// Steps 9-13: the writable stream.
	writable, wc, err := streams.NewWritableStream(r, streams.Sink{
		Write: func(_ *streams.WritableController, chunk goja.Value) goja.Value { return s.write(chunk) },
		Close: func(*streams.WritableController) goja.Value { return s.closeAlgorithm() },
		Abort: func(_ *streams.WritableController, reason goja.Value) goja.Value {
			s.closeUsingReason(reason)
			return nil
		},
	})
	if err != nil {
		b.loop.ReportException(err)
		return
	}
	// Steps 14-16.
	s.readable, s.writable = rc, wc
	// The WebSocketOpenInfo dictionary, its members in lexicographic order.
	s.resolveOpened(b.realm.NewDictionary("extensions", extensions, "protocol", protocol, "readable", readable, "writable", writable))
}

// handler receives the transport's events on its goroutines and queues tasks.
type handler struct{ s *wsStream }

// inMsg is a received message waiting to be handled. charge is what the transport
// charged the memory budget for it (the capacity of data as it came): given back
// when the message is handed to script as a string or dropped, handed over with
// the bytes to a Uint8Array.
type inMsg struct {
	binary bool
	text   string
	data   []byte
	charge int64
}

// maxInbox is how many bytes of received messages wait in an inbox, not yet handled
// because of backpressure, before the connection stops being read (the "implementation-
// defined amount of data" of "handle a WebSocketStream message"). Reading goes on
// below it, so that control frames, the close frame included, are still seen.
const maxInbox = 64 << 10

// inbox holds received messages not yet handled, in order. The reading goroutine adds
// to it and the loop takes from it.
type inbox struct {
	mu     sync.Mutex
	conn   *transport.Conn
	q      []inMsg
	head   int
	bytes  int
	paused bool // the connection is paused because the inbox is full
}

func (in *inbox) push(m inMsg, n int) {
	in.mu.Lock()
	in.q = append(in.q, m)
	in.bytes += n
	if in.bytes > maxInbox && !in.paused {
		in.paused = true
		in.conn.Pause()
	}
	in.mu.Unlock()
}

func (in *inbox) pop() (inMsg, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.head == len(in.q) {
		return inMsg{}, false
	}
	m := in.q[in.head]
	in.q[in.head] = inMsg{}
	in.head++
	if in.head == len(in.q) {
		in.q, in.head = in.q[:0], 0
	}
	in.bytes -= len(m.text) + len(m.data)
	if in.bytes <= maxInbox && in.paused {
		in.paused = false
		in.conn.Resume()
	}
	return m, true
}

// take empties the inbox, returning what it held.
func (in *inbox) take() []inMsg {
	in.mu.Lock()
	defer in.mu.Unlock()
	q := in.q[in.head:]
	in.q, in.head, in.bytes = nil, 0, 0
	return q
}

func (h handler) Message(binary bool, data []byte) {
	s := h.s
	m := inMsg{binary: binary, data: data}
	if s.b.memory != nil {
		m.charge = int64(cap(data))
	}
	if !binary {
		m.text, m.data = string(data), nil
	}
	s.inbox.push(m, len(data))
	if !s.b.post(s.deliverMessageFn) {
		// The runtime is closing: nothing will handle the messages.
		s.dropInbox()
	}
}

// CopiesText makes handler a transport.TextCopier: Message converts a text message
// to a string and keeps nothing of its bytes.
func (handler) CopiesText() {}

// dropInbox drops the messages waiting, giving back their charge.
func (s *wsStream) dropInbox() {
	for _, m := range s.inbox.take() {
		s.b.memory.Release(m.charge)
	}
}

// Idle runs the tasks posted for the messages received so far: on the reading
// goroutine if the event loop is waiting for work, else by waking it.
func (h handler) Idle() { h.s.b.loop.Flush() }

func (h handler) Sent(n int) {
	s := h.s
	s.sent.Add(uint64(n))
	if s.flush.CompareAndSwap(false, true) {
		s.b.queue(s.publishSentFn)
	}
}

func (h handler) Closed(res transport.CloseResult) {
	s := h.s
	if res.Err != nil {
		s.b.log(s, res.Err)
	}
	s.b.queue(func() { s.connectionClosed(res) })
}

// deliverMessage handles the oldest message waiting, unless backpressure is applied.
func (s *wsStream) deliverMessage() {
	if s.backpressure || s.readyState == closed {
		return
	}
	m, ok := s.inbox.pop()
	if !ok {
		return
	}
	s.message(m)
}

// message is "handle a WebSocketStream message"
// (https://whatpr.org/websockets/48.html#feedback-to-websocket-stream-from-the-protocol).
func (s *wsStream) message(m inMsg) {
	b := s.b
	// Step 1.
	if s.readyState != open {
		b.memory.Release(m.charge)
		return
	}
	// Step 2: a string for text, a Uint8Array for binary data. A string joins
	// script's heap; the bytes of a Uint8Array stay charged until collected.
	var chunk goja.Value
	if m.binary {
		bindings.AttachBytes(b.memory, m.data, m.charge)
		u8, err := b.uint8Array(nil, b.realm.NewArrayBuffer(m.data))
		if err != nil {
			b.loop.ReportException(err)
			return
		}
		chunk = u8
	} else {
		chunk = b.vm.ToValue(m.text)
		b.memory.Release(m.charge)
	}
	// Steps 3-4: enqueue, then apply backpressure.
	if err := s.readable.Enqueue(chunk); err != nil && !errors.Is(err, streams.ErrNotReadable) {
		b.loop.ReportException(err)
	}
	s.backpressure = true
}

// publishSent makes the bytes written so far count, settling the writes done.
func (s *wsStream) publishSent() {
	s.flush.Store(false)
	s.writtenBytes += s.sent.Swap(0)
	n := 0
	for _, w := range s.pendingWrites {
		if w.done > s.writtenBytes {
			break
		}
		w.resolve(goja.Undefined())
		n++
	}
	s.pendingWrites = s.pendingWrites[n:]
	if len(s.pendingWrites) == 0 {
		s.pendingWrites = nil
	}
}

// write is "write" chunk to the stream
// (https://whatpr.org/websockets/48.html#stream-operations): the promise settles once the
// message is written to the connection, so that a writer waiting on it, or on ready,
// feels the network's backpressure.
func (s *wsStream) write(chunk goja.Value) goja.Value {
	b := s.b
	r := b.realm
	// Steps 1-6: binary data for a BufferSource, else the UTF-8 of a USVString.
	var binary bool
	var data []byte
	var text string
	if r.IsArrayBuffer(chunk) || r.IsArrayBufferView(chunk) {
		binary, data = true, r.BufferSourceBytes(chunk) // copied by Send, before script runs again
	} else {
		text = r.ToUSVString(chunk) // throws: the write rejects
	}
	p, resolve, reject := r.NewPromise()
	// Step 7: send it unless the closing handshake has started, then settle.
	if s.readyState != open || s.conn == nil {
		b.queue(func() { resolve(goja.Undefined()) })
		return p
	}
	var err error
	var n int
	if binary {
		n = len(data)
		err = s.conn.Send(true, data)
	} else {
		n = len(text)
		err = s.conn.SendText(text)
	}
	switch {
	case errors.Is(err, transport.ErrClosed):
		// The peer's close frame has arrived, and its task is queued: the chunk
		// is not sent, and the connection will not close cleanly. The write
		// settles with the connection.
		s.lostWrites = true
		s.pendingWrites = append(s.pendingWrites, pendingWrite{done: ^uint64(0), settle: settle{resolve, reject}})
	case err != nil:
		// The send buffer is full: the transport fails the connection, and the
		// closed task rejects the write.
		s.b.log(s, err)
		s.pendingWrites = append(s.pendingWrites, pendingWrite{done: ^uint64(0), settle: settle{resolve, reject}})
	default:
		s.queuedBytes += uint64(n)
		s.pendingWrites = append(s.pendingWrites, pendingWrite{done: s.queuedBytes, settle: settle{resolve, reject}})
		if n == 0 {
			// An empty message reports no progress: it is settled with the
			// bytes before it.
			s.publishSent()
		}
	}
	return p
}

// closeAlgorithm is "close" (https://whatpr.org/websockets/48.html#stream-operations):
// close the WebSocket without code or reason. The promise it returns settles when the
// connection is closed, so that the writer's close() resolves after the closing
// handshake.
func (s *wsStream) closeAlgorithm() goja.Value {
	p, resolve, reject := s.b.realm.NewPromise()
	s.closeWaiters = append(s.closeWaiters, settle{resolve, reject})
	_ = s.closeWebSocket(wsapi.NoCode, "")
	return p
}

// closeUsingReason is "close using reason"
// (https://whatpr.org/websockets/48.html#stream-operations): a WebSocketError's closeCode
// and reason are used; anything else closes without them, as does a code or reason that
// fails validation.
func (s *wsStream) closeUsingReason(reason goja.Value) {
	code, reasonString := wsapi.NoCode, ""
	if info, ok := s.b.errorInfoOf(reason); ok {
		code, reasonString = info.code, info.reason
	}
	if err := s.closeWebSocket(code, reasonString); err != nil {
		_ = s.closeWebSocket(wsapi.NoCode, "")
	}
}

// closeWebSocket is "close the WebSocket"
// (https://whatpr.org/websockets/48.html#close-the-websocket) with code (wsapi.NoCode for
// null) and reason. It returns the error of "validate close code and reason".
func (s *wsStream) closeWebSocket(code int, reason string) error {
	// Steps 1-3.
	if err := wsapi.CheckClose(code, reason); err != nil {
		return err
	}
	// Step 4: the first matching case.
	switch {
	case s.readyState == closing || s.readyState == closed:
		// Nothing to do.
	case s.conn == nil:
		// Not yet established: fail the connection, CLOSING.
		s.failing = true
		s.readyState = closing
		s.ctl.Abort()
	default:
		// Start the closing handshake, CLOSING.
		s.readyState = closing
		_ = s.conn.Close(wsapi.CloseFrame(code, reason), reason)
	}
	return nil
}

// connectionClosed is "handle WebSocketStream connection close"
// (https://whatpr.org/websockets/48.html#feedback-to-websocket-stream-from-the-protocol).
func (s *wsStream) connectionClosed(res transport.CloseResult) {
	b := s.b
	if s.ended {
		return
	}
	s.ended = true
	// Messages received before the connection closed and still waiting are handled
	// now, whatever the backpressure, so that none is lost; once the closing
	// handshake was started by close(), they are dropped, as the message steps say.
	wasOpen := s.readyState == open
	for {
		m, ok := s.inbox.pop()
		if !ok {
			break
		}
		if wasOpen {
			s.message(m)
		} else {
			b.memory.Release(m.charge)
		}
	}
	// Step 1.
	s.readyState = closed
	s.publishSent()
	s.conn = nil
	s.ctl.Set(nil, nil)
	b.forget(s)
	if s.release != nil {
		s.release()
		s.release = nil
	}
	// Step 2.
	if s.handshakeAborted {
		return
	}
	// Step 3.
	if !s.wasEverConnected {
		s.rejectOpened(b.newError(wsapi.NoCode, ""))
	}
	// Steps 4-5: 1006 unless a close frame was received; the reason UTF-8 decoded
	// without BOM.
	code := res.Code
	if res.Failed || code == 0 {
		code = 1006
	}
	reason := strings.TrimPrefix(res.Reason, "\uFEFF")
	// Steps 6-7. A closing handshake that left written chunks unsent (the peer's
	// close frame came while they were queued, or between the fragments of one)
	// does not count as clean: those writes are lost, and closed says so, as
	// WPT's stream/tentative/remote-close.any.js expects.
	clean := res.WasClean && !res.Failed && res.Unsent == 0 && !s.lostWrites
	var failure goja.Value
	if clean {
		failure = b.realm.NewDOMException("InvalidStateError", "A closed WebSocketStream cannot be written to.")
		if s.readable != nil {
			s.readable.Close()
			s.writable.Error(failure)
		}
		s.resolveClosed(b.realm.NewDictionary("closeCode", code, "reason", reason))
	} else {
		failure = b.newError(code, reason)
		if s.readable != nil {
			s.readable.Error(failure)
			s.writable.Error(failure)
		}
		s.rejectClosed(failure)
	}
	// Writes not written by now never will be; the close algorithm's promise
	// settles with the connection.
	for _, w := range s.pendingWrites {
		w.reject(failure)
	}
	s.pendingWrites = nil
	for _, w := range s.closeWaiters {
		if clean {
			w.resolve(goja.Undefined())
		} else {
			w.reject(failure)
		}
	}
	s.closeWaiters = nil
}

// forget drops s from the runtime's streams.
func (b *binding) forget(s *wsStream) {
	b.streams.Remove(s)
}

// shutdown makes every stream disappear when the runtime closes: connecting ones
// fail, open ones are dropped after a close frame with 1001.
func (b *binding) shutdown() {
	for s := range b.streams.Close() {
		s.ctl.Abort()
		s.dropInbox()
	}
}
