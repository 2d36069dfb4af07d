package websocket

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/blob"
	"github.com/wsjs/wsjs/bindings/events"
	"github.com/wsjs/wsjs/bindings/internal/wsapi"
	"github.com/wsjs/wsjs/bindings/websocket/transport"
	"github.com/wsjs/wsjs/webidl"
)

var (
	errBadPort    = errors.New("websocket: port is on Fetch's list of bad ports")
	errTooMany    = errors.New("websocket: too many sockets in this runtime (Options.MaxSockets)")
	errShutdown   = errors.New("websocket: runtime closed")
	errCloseEarly = errors.New("websocket: close() called before the connection was established")

	refusals = wsapi.Refusals{Shutdown: errShutdown, TooMany: errTooMany, BadPort: errBadPort}
)

// construct runs the new WebSocket(url, protocols) constructor steps
// (https://websockets.spec.whatwg.org/#dom-websocket-websocket).
func (b *binding) construct(c webidl.Call) *socket {
	r := b.realm
	// Steps 1-6: parse the URL against the API base URL; ws/wss only, no fragment.
	input := r.ToUSVString(c.Arg(0))
	protocols := b.protocolsArg(c.Arg(1))
	base := r.APIBaseURL()
	t, err := parseTarget(input, base)
	if err != nil {
		r.ThrowDOMException(err.Error(), "Failed to construct 'WebSocket': the URL '"+input+"' is invalid.")
	}
	// Steps 7-8: each protocol a token, none repeated.
	if err := checkProtocols(protocols); err != nil {
		r.ThrowDOMException("SyntaxError", "Failed to construct 'WebSocket': the subprotocols are invalid or repeated.")
	}
	// Mixed content: a secure context may not open ws: connections.
	if err := t.checkMixedContent(base); err != nil {
		r.ThrowDOMException(err.Error(), "Failed to construct 'WebSocket': an insecure WebSocket connection may not be initiated from a page loaded over HTTPS.")
	}
	// Step 9: set this's url; the rest of the state starts as
	// https://websockets.spec.whatwg.org/#interface-definition says. The socket
	// keeps the URL serialized; the record is needed only to connect.
	s := &socket{b: b, obj: c.This, href: t.href, origin: sharedOrigin(t.href, t.origin()), readyState: connecting}
	b.hold()
	// Step 11: establish the connection in parallel.
	b.connect(s, t, protocols, b.origin(base))
	return s
}

// sharedOrigin returns origin, the serialization of href's origin, as the part
// of href it is when href begins with it (a URL without credentials), so that
// a socket holds one string rather than two.
func sharedOrigin(href, origin string) string {
	if strings.HasPrefix(href, origin) {
		return href[:len(origin)]
	}
	return origin
}

// protocolsArg converts the (DOMString or sequence<DOMString>) protocols
// argument, whose default is the empty sequence (Web IDL's union type
// conversion, https://webidl.spec.whatwg.org/#js-union: an object with an
// @@iterator method is a sequence; anything else a string).
func (b *binding) protocolsArg(v goja.Value) []string {
	r := b.realm
	if goja.IsUndefined(v) {
		return nil
	}
	if o, ok := v.(*goja.Object); ok {
		if m := o.GetSymbol(goja.SymIterator); m != nil && !goja.IsUndefined(m) && !goja.IsNull(m) {
			return webidl.SequenceFromMethod(r, o, m, func(v goja.Value) string { return r.ToDOMString(v).String() })
		}
	}
	return []string{r.ToDOMString(v).String()}
}

// connect starts "establish a WebSocket connection"
// (https://websockets.spec.whatwg.org/#concept-websocket-establish) on another
// goroutine. Fetch turns a bad port into a network error, and so do the
// embedder's limits; either fails the connection after the constructor has
// returned.
func (b *binding) connect(s *socket, t *target, protocols []string, origin string) {
	target := t.api()
	if err := b.sockets.Admit(s, b.maxSockets(), target, refusals); err != nil {
		s.fail(err)
		return
	}
	cfg := b.cfg
	cfg.Protocols = protocols
	cfg.Origin = origin
	b.connecting.Connect(target, &cfg, &s.ctl, b.loop.Queue, s.established)
}

// fail queues the close steps of a connection that failed before it was established.
func (s *socket) fail(err error) {
	s.b.log(s, err)
	s.b.loop.Queue(func() {
		s.closed(transport.CloseResult{Code: 1006, Failed: true, Err: err})
	})
}

// established runs when the opening handshake has finished, successfully or not.
func (s *socket) established(conn *transport.Conn, err error) {
	if err == nil && s.failed {
		// close() was called while connecting: fail the connection
		// (https://websockets.spec.whatwg.org/#dom-websocket-close).
		conn.Abort()
		conn, err = nil, errCloseEarly
	}
	if err != nil {
		s.b.log(s, err)
		s.closed(transport.CloseResult{Code: 1006, Failed: true, Err: err})
		return
	}
	s.conn = conn
	s.ctl.Set(conn, nil)
	// "The WebSocket connection is established"
	// (https://websockets.spec.whatwg.org/#feedback-from-the-protocol): change
	// the ready state to OPEN, set extensions and protocol, fire open.
	s.readyState = open
	s.extensions = conn.Extensions()
	s.protocol = conn.Protocol()
	// Start before open fires: what its listeners send is written at once, and the
	// transport reports written bytes (for bufferedAmount) only once started. Events
	// received meanwhile are queued as tasks, so they still follow open.
	conn.Start(handler{s})
	_, _ = events.Fire(s.b.realm, s.obj, "open")
}

// handler receives the transport's events on its goroutine and queues a task
// for each on the WebSocket task source
// (https://websockets.spec.whatwg.org/#feedback-from-the-protocol).
type handler struct{ s *socket }

// inMsg is a received message waiting for its task; text is converted on the reading
// goroutine, off the event loop. charge is what the transport charged the memory
// budget for it, the capacity of data as it came: given back when the message is
// handed to script as a string or dropped, handed over with the bytes to an
// ArrayBuffer or a Blob.
type inMsg struct {
	binary bool
	text   string
	data   []byte
	charge int64
}

// inbox holds the received messages, in order. Each message has a task, the same
// bound method, which takes the oldest: one task per message, without a closure per
// message. The tasks of the messages the reading goroutine has read since it last
// paused (unposted, the newest ones) are posted together when it does (postInbox).
// A socket makes its inbox when its first message arrives: one that never receives
// holds none.
type inbox struct {
	mu       sync.Mutex
	q        []inMsg
	head     int
	unposted int
	conn     *transport.Conn
	bytes    int    // size of the queued messages, plus msgOverhead each
	paused   bool   // conn is paused because bytes went over readAhead
	deliver  func() // the socket's deliverNext, the task of each message
}

// openInbox returns the socket's inbox, making it if no message has arrived yet. Only
// the reading goroutine calls it (Message), after the connection was established:
// s.conn is set, and stays so until the close task, which comes after every call.
func (s *socket) openInbox() *inbox {
	in := s.in.Load()
	if in == nil {
		in = &inbox{conn: s.conn}
		in.deliver = s.deliverNext
		s.in.Store(in)
	}
	return in
}

// size is what a message counts against readAhead.
func (m *inMsg) size() int { return len(m.text) + len(m.data) + msgOverhead }

func (h handler) Message(binary bool, data []byte) {
	s := h.s
	m := inMsg{binary: binary, data: data}
	if s.b.memory != nil {
		m.charge = int64(cap(data))
	}
	if !binary {
		m.text, m.data = string(data), nil
	}
	in := s.openInbox()
	in.mu.Lock()
	in.q = append(in.q, m)
	in.unposted++
	in.bytes += m.size()
	if in.bytes > readAhead && !in.paused {
		in.paused = true
		in.conn.Pause()
	}
	in.mu.Unlock()
}

// postInbox posts the tasks of the messages received since the last call, in one
// operation. The transport calls the handler's Idle before its reading goroutine may
// block, Settle before it fails the connection and Closed at the end, all on that
// goroutine, as Message is: each posts first, so every message's task is posted
// before anything waits on it and before the close task. Posted, not queued: Idle
// then runs them, without waking the loop goroutine for each.
func (s *socket) postInbox() {
	in := s.in.Load()
	if in == nil {
		return // nothing received
	}
	in.mu.Lock()
	n := in.unposted
	in.unposted = 0
	in.mu.Unlock()
	if n > 0 && !s.b.loop.PostN(in.deliver, n) {
		// The runtime is closing: no task will take the messages.
		s.dropInbox()
	}
}

// CopiesText makes handler a transport.TextCopier: Message converts a text message
// to a string and keeps nothing of its bytes.
func (handler) CopiesText() {}

// dropInbox drops the received messages whose tasks will not run, giving back
// their charge.
func (s *socket) dropInbox() {
	in := s.in.Load()
	if in == nil {
		return
	}
	in.mu.Lock()
	q := in.q[in.head:]
	in.q, in.head, in.unposted, in.bytes = nil, 0, 0, 0
	in.mu.Unlock()
	for _, m := range q {
		s.b.memory.Release(m.charge)
	}
}

// Idle runs the tasks posted for the messages received so far: on the reading
// goroutine if the event loop is waiting for work, else by waking it.
func (h handler) Idle() {
	h.s.postInbox()
	h.s.b.loop.Flush()
}

// deliverNext is the task of the oldest message in the inbox.
func (s *socket) deliverNext() {
	in := s.in.Load() // there since the message that posted this task arrived
	in.mu.Lock()
	if in.head == len(in.q) {
		in.mu.Unlock()
		return // dropped
	}
	m := in.q[in.head]
	in.q[in.head] = inMsg{}
	in.head++
	switch {
	case in.head == len(in.q):
		in.q, in.head = in.q[:0], 0
	case in.head >= 64 && in.head >= len(in.q)/2:
		// Under a steady stream the queue may never run empty: drop the delivered
		// half so that the array does not grow without end.
		n := copy(in.q, in.q[in.head:])
		clear(in.q[n:])
		in.q, in.head = in.q[:n], 0
	}
	in.bytes -= m.size()
	if in.paused && in.bytes <= readAhead/2 {
		in.paused = false
		in.conn.Resume()
	}
	in.mu.Unlock()
	s.message(m)
}

// Settle runs the tasks of the messages received before a frame that fails the
// connection and waits until they have run, so that their message events fire,
// and what their listeners send is sent, before the connection is failed
// (https://websockets.spec.whatwg.org/#feedback-from-the-protocol: each message
// received queues its task before the failure queues the close task).
func (h handler) Settle(ctx context.Context) {
	loop := h.s.b.loop
	h.s.postInbox()
	loop.Flush()
	_ = loop.Do(ctx, func() error { return nil })
}

func (h handler) Sent(n int) {
	s := h.s
	s.sent.Add(uint64(n))
	if s.flush.CompareAndSwap(false, true) {
		// Posted, not queued: only script reads bufferedAmount, and script runs only
		// in tasks, every one of which the loop takes after this one; nothing waits on
		// the new value. A send from a message handler so costs no wake-up of the loop.
		s.b.loop.Post(s.publishSent)
	}
}

func (h handler) Closed(res transport.CloseResult) {
	if res.Err != nil {
		h.s.b.log(h.s, res.Err)
	}
	h.s.postInbox()
	h.s.b.loop.Queue(func() { h.s.closed(res) })
}

// publishSent makes the bytes written so far visible to bufferedAmount, in a task of
// its own so that the value changes only between tasks.
func (s *socket) publishSent() {
	s.flush.Store(false)
	s.written += s.sent.Swap(0)
}

// message is the task for "a WebSocket message has been received"
// (https://websockets.spec.whatwg.org/#feedback-from-the-protocol).
func (s *socket) message(m inMsg) {
	// Step 1: only while OPEN.
	if s.readyState != open {
		s.b.memory.Release(m.charge)
		return
	}
	r := s.b.realm
	// Step 2: the data for the event, by type and the binary type at dispatch time.
	// A string joins script's heap; the bytes of an ArrayBuffer or a Blob stay
	// charged until the garbage collector frees them.
	var v goja.Value
	switch {
	case !m.binary:
		v = r.VM().ToValue(m.text)
		s.b.memory.Release(m.charge)
	case s.arrayBuffers:
		v = r.NewArrayBuffer(m.data)
		bindings.AttachBytes(s.b.memory, m.data, m.charge)
	default:
		v = blob.New(r, m.data, "")
		bindings.AttachBytes(s.b.memory, m.data, m.charge)
	}
	// Step 3: fire message with origin the serialization of url's origin.
	ev, err := events.NewMessageEvent(r, "message", events.MessageEventInit{Data: v, Origin: s.origin})
	if err != nil {
		s.b.loop.ReportException(err)
		return
	}
	_, _ = events.Dispatch(r, s.obj, ev)
}

// closed is the task for "the WebSocket connection is closed"
// (https://websockets.spec.whatwg.org/#feedback-from-the-protocol).
func (s *socket) closed(res transport.CloseResult) {
	if s.readyState == closed {
		return
	}
	s.publishSent()
	r := s.b.realm
	obj := s.obj
	// Step 1: CLOSED.
	s.readyState = closed
	s.conn = nil
	s.ctl.Set(nil, nil)
	s.obj = nil
	s.b.forget(s)
	// Step 2: error first if the connection was failed or closed after being full.
	if res.Failed {
		_, _ = events.Fire(r, obj, "error")
	}
	// Step 3: close, with the reason UTF-8 decoded without BOM.
	reason := strings.TrimPrefix(res.Reason, "\uFEFF")
	code := res.Code
	if res.Failed || code == 0 {
		code = 1006
	}
	ev, err := events.NewCloseEvent(r, "close", events.CloseEventInit{WasClean: res.WasClean && !res.Failed, Code: uint16(code), Reason: reason})
	if err == nil {
		_, _ = events.Dispatch(r, obj, ev)
	} else {
		s.b.loop.ReportException(err)
	}
	// Nothing is pending any more
	// (https://websockets.spec.whatwg.org/#garbage-collection); the loop need
	// not stay alive for this socket.
	s.b.unhold()
}

// send runs the send(data) method steps
// (https://websockets.spec.whatwg.org/#dom-websocket-send).
func (s *socket) send(c webidl.Call) {
	r := s.b.realm
	// Web IDL converts data to (BufferSource or Blob or USVString) before the
	// steps run (https://webidl.spec.whatwg.org/#es-overloads): a string's
	// conversion runs script (toString) even when step 1 then throws.
	v := c.Arg(0)
	buffer := r.IsArrayBuffer(v) || r.IsArrayBufferView(v) // kept by reference
	var text string
	blobBytes, isBlob := blob.Bytes(r, v)
	if !buffer && !isBlob {
		text = r.ToUSVString(v)
	}
	// Step 1: InvalidStateError while CONNECTING.
	if s.readyState == connecting {
		r.ThrowDOMException("InvalidStateError", "Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.")
	}
	// Step 2: by the type of data, (BufferSource or Blob or USVString).
	var n int
	var err error
	switch {
	case buffer:
		// Send copies the bytes into its frame buffer before returning: no copy here.
		p := r.BufferSourceBytes(v)
		n = len(p)
		if s.sending() {
			err = s.conn.Send(true, p)
		}
	case isBlob:
		n = len(blobBytes)
		if s.sending() {
			err = s.conn.Send(true, blobBytes)
		}
	default:
		n = len(text)
		if s.sending() {
			err = s.conn.SendText(text)
		}
	}
	// Whatever happened to the data, bufferedAmount grows by its size.
	s.queued += uint64(n)
	if err != nil && !errors.Is(err, transport.ErrClosed) {
		// ErrBufferFull: the transport flags the socket as full and closes it; the close
		// task will fire error then close.
		s.b.log(s, err)
	}
}

// sending reports whether the connection is established and the closing handshake has
// not started, the condition under which send() transmits.
func (s *socket) sending() bool { return s.readyState == open && s.conn != nil }

// close runs the close(code, reason) method steps
// (https://websockets.spec.whatwg.org/#dom-websocket-close).
func (s *socket) close(c webidl.Call) {
	r := s.b.realm
	code := -1
	if v := c.Arg(0); !goja.IsUndefined(v) {
		code = int(r.ToUnsignedShort(v, webidl.Clamp))
	}
	reasonArg := c.Arg(1)
	hasReason := !goja.IsUndefined(reasonArg)
	reason := ""
	if hasReason {
		reason = r.ToUSVString(reasonArg)
	}
	// Steps 1-2.
	if err := checkClose(code, reason, hasReason); err != nil {
		msg := "Failed to execute 'close' on 'WebSocket': the code must be either 1000, or between 3000 and 4999."
		if errors.Is(err, errSyntax) {
			msg = "Failed to execute 'close' on 'WebSocket': the reason must not be longer than 123 bytes."
		}
		r.ThrowDOMException(err.Error(), msg)
	}
	// Step 3: the first matching case.
	switch {
	case s.readyState == closing || s.readyState == closed:
		// Nothing to do.
	case s.conn == nil:
		// Not yet established: fail the connection and set CLOSING.
		s.readyState = closing
		s.failed = true
		s.ctl.Abort()
	default:
		// Start the closing handshake and set CLOSING. Neither code nor reason: a close
		// frame without a body; a reason without a code goes with 1000.
		s.readyState = closing
		switch {
		case code < 0 && !hasReason:
			code = 0
		case code < 0:
			code = 1000
		}
		_ = s.conn.Close(code, reason)
	}
}

// origin is the Origin header to send: Options.Origin, or the serialization of
// the base URL's origin
// (https://html.spec.whatwg.org/multipage/origin.html#ascii-serialisation-of-an-origin:
// a tuple origin for http(s) and ws(s), an opaque one, "null", for anything
// else).
func (b *binding) origin(base string) string {
	if b.opts.Origin != "" {
		return b.opts.Origin
	}
	return wsapi.RequestOrigin(base)
}

// forget drops s from the runtime's sockets.
func (b *binding) forget(s *socket) {
	b.sockets.Remove(s)
}

// shutdown is "make disappear"
// (https://websockets.spec.whatwg.org/#make-disappear) for every socket, when
// the runtime closes: connecting ones fail, open ones start the closing
// handshake with 1001 and are dropped.
func (b *binding) shutdown() {
	for s := range b.sockets.Close() {
		s.ctl.Abort()
		s.dropInbox()
	}
}

func (b *binding) log(s *socket, err error) { b.opts.Network.Report(s.href, err) }

// hold keeps the loop alive for one more socket that is not CLOSED: one hold of
// the loop stands for all of them. Called on the loop goroutine, as unhold is.
func (b *binding) hold() {
	if b.live == 0 {
		b.release = b.loop.Hold()
	}
	b.live++
}

// unhold is the end of a hold, when its socket is CLOSED.
func (b *binding) unhold() {
	b.live--
	if b.live == 0 {
		b.release()
		b.release = nil
	}
}

// netURL converts the parsed URL for the transport.
func (t *target) netURL() *url.URL { return t.api().NetURL() }
