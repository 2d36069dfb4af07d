package wptserver

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// wsErrKind classifies stream errors the way pywebsocket3's exceptions do,
// because each kind ends a connection differently (see runTransfer).
type wsErrKind int

const (
	errConnTerminated   wsErrKind = iota + 1 // peer went away: nothing more is sent
	errInvalidFrame                          // close 1002
	errUnsupportedFrame                      // close 1003
	errInvalidUTF8                           // close 1007
	errBadOperation                          // close 1011
	errAborted                               // drop the TCP connection, no close frame
)

type wsError struct {
	kind wsErrKind
	msg  string
}

func (e *wsError) Error() string { return e.msg }

func wsErr(kind wsErrKind, format string, args ...any) error {
	return &wsError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

func errKind(err error) wsErrKind {
	var we *wsError
	if errors.As(err, &we) {
		return we.kind
	}
	return 0
}

// Close codes (RFC 6455 section 7.4.1).
const (
	closeNormal          = 1000
	closeGoingAway       = 1001
	closeProtocolError   = 1002
	closeUnsupportedData = 1003
	closeNoStatus        = 1005
	closeAbnormal        = 1006
	closeInvalidPayload  = 1007
	closeInternalError   = 1011
	closeTLSHandshake    = 1015
)

// wsMessage is a received message: text (valid UTF-8) or binary.
type wsMessage struct {
	binary bool
	data   []byte
}

func (m wsMessage) text() string { return string(m.data) }

// frameBufPool holds buffers for building outgoing frames and reading
// payloads, so that echoing does not allocate per message.
var frameBufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// deflateState is permessage-deflate (RFC 7692) as pywebsocket3 runs it:
// the inflater always keeps its context; the deflater keeps it unless the
// client asked for server_no_context_takeover.
type deflateState struct {
	noContextTakeover bool
	huffmanOnly       bool // server_max_window_bits < 15: no back-references

	w    *flate.Writer
	wbuf bytes.Buffer

	r    io.ReadCloser
	src  twoPartReader
	out  bytes.Buffer
	dict []byte // last 32 KiB inflated, the inflater's window
}

const flateWindow = 32 << 10

func (d *deflateState) compress(p []byte) ([]byte, error) {
	if d.w == nil {
		level := flate.DefaultCompression
		if d.huffmanOnly {
			level = flate.HuffmanOnly
		}
		w, err := flate.NewWriter(&d.wbuf, level)
		if err != nil {
			return nil, err
		}
		d.w = w
	}
	d.wbuf.Reset()
	if _, err := d.w.Write(p); err != nil {
		return nil, err
	}
	if err := d.w.Flush(); err != nil {
		return nil, err
	}
	out := bytes.TrimSuffix(d.wbuf.Bytes(), []byte{0, 0, 0xff, 0xff})
	if d.noContextTakeover {
		d.w.Reset(&d.wbuf)
	}
	return out, nil
}

// flateTail ends a message's deflate data: the sync-flush marker the sender
// stripped, then an empty final stored block so the reader reaches EOF.
var flateTail = []byte{0, 0, 0xff, 0xff, 1, 0, 0, 0xff, 0xff}

func (d *deflateState) decompress(p []byte) ([]byte, error) {
	d.src = twoPartReader{p, flateTail}
	src := &d.src
	if d.r == nil {
		d.r = flate.NewReaderDict(src, d.dict)
	} else if err := d.r.(flate.Resetter).Reset(src, d.dict); err != nil {
		return nil, err
	}
	d.out.Reset()
	if _, err := d.out.ReadFrom(d.r); err != nil {
		return nil, err
	}
	b := d.out.Bytes()
	if len(b) >= flateWindow {
		d.dict = append(d.dict[:0], b[len(b)-flateWindow:]...)
	} else {
		keep := max(0, len(d.dict)+len(b)-flateWindow)
		d.dict = append(d.dict[keep:], b...)
	}
	return b, nil
}

// twoPartReader reads a then b; being an io.ByteReader it lets the flate
// reader run without a bufio.Reader of its own.
type twoPartReader struct{ a, b []byte }

func (r *twoPartReader) Read(p []byte) (int, error) {
	if len(r.a) == 0 {
		r.a, r.b = r.b, nil
	}
	if len(r.a) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.a)
	r.a = r.a[n:]
	return n, nil
}

func (r *twoPartReader) ReadByte() (byte, error) {
	if len(r.a) == 0 {
		r.a, r.b = r.b, nil
	}
	if len(r.a) == 0 {
		return 0, io.EOF
	}
	c := r.a[0]
	r.a = r.a[1:]
	return c, nil
}

// wsStream is pywebsocket3's Stream over one connection: it reads frames,
// reassembles messages, answers pings and close frames, and writes frames.
// Reading is done by one goroutine at a time; writes are serialized.
type wsStream struct {
	req  *wsRequest
	conn io.Writer // the connection, or the response of an HTTP/2 stream
	br   *bufio.Reader

	deflate *deflateState

	wmu sync.Mutex // serializes writes

	mu               sync.Mutex // guards the fields below
	clientTerminated bool
	serverTerminated bool
	closeCode        int // 0: no close frame received; 1005: one without a code
	closeReason      string
	pings            [][]byte

	smu sync.Mutex // keeps compression order equal to sending order

	// Read side, used by the reading goroutine only.
	hdrBuf     [ws.MaxHeaderSize - 2]byte
	payload    []byte
	fragments  bytes.Buffer
	fragmented bool
	opcode     ws.OpCode
	inflate    bool // the message being received is compressed
}

func (s *wsStream) terminated() (client, server bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clientTerminated, s.serverTerminated
}

// readRaw reads exactly n bytes from the connection.
func (s *wsStream) readRaw(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(s.br, b); err != nil {
		return nil, wsErr(errConnTerminated, "reading %d bytes: %v", n, err)
	}
	return b, nil
}

// writeRaw writes p to the connection as it is.
func (s *wsStream) writeRaw(p []byte) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if _, err := s.conn.Write(p); err != nil {
		return wsErr(errConnTerminated, "writing: %v", err)
	}
	return nil
}

// writeFrame writes one unmasked frame with FIN set.
func (s *wsStream) writeFrame(op ws.OpCode, rsv1 bool, payload []byte) error {
	buf := frameBufPool.Get().(*bytes.Buffer)
	defer frameBufPool.Put(buf)
	buf.Reset()
	h := ws.Header{Fin: true, OpCode: op, Length: int64(len(payload))}
	if rsv1 {
		h.Rsv = ws.Rsv(true, false, false)
	}
	if err := ws.WriteHeader(buf, h); err != nil {
		return wsErr(errBadOperation, "frame header: %v", err)
	}
	buf.Write(payload)
	return s.writeRaw(buf.Bytes())
}

// readFrame reads one frame and unmasks its payload into s.payload.
func (s *wsStream) readFrame() (ws.Header, error) {
	h, err := ws.ReadHeaderBuffer(s.br, s.hdrBuf[:])
	if err != nil {
		if errors.Is(err, ws.ErrHeaderLengthMSB) {
			return h, wsErr(errInvalidFrame, "extended payload length >= 2^63")
		}
		return h, wsErr(errConnTerminated, "reading frame header: %v", err)
	}
	if !h.Masked {
		return h, wsErr(errInvalidFrame, "received an unmasked frame")
	}
	// Grow as bytes arrive, never on the declared length alone.
	buf := s.payload[:0]
	for rem := h.Length; rem > 0; {
		chunk := int(min(rem, 64<<10))
		buf = slices.Grow(buf, chunk)
		n, err := io.ReadFull(s.br, buf[len(buf):len(buf)+chunk])
		buf = buf[:len(buf)+n]
		if err != nil {
			s.payload = buf
			return h, wsErr(errConnTerminated, "reading %d payload bytes: %v", h.Length, err)
		}
		rem -= int64(n)
	}
	s.payload = buf
	ws.Cipher(buf, h.Mask, 0)
	return h, nil
}

// receive is pywebsocket3's Stream.receive_message: it returns the next
// text or binary message, or ok=false once a close frame has arrived (after
// answering it). Pings are answered and pongs matched on the way. The
// message's bytes are valid until the next call.
func (s *wsStream) receive() (msg wsMessage, ok bool, err error) {
	if c, _ := s.terminated(); c {
		return msg, false, wsErr(errBadOperation, "receive after the closing handshake was received")
	}
	for {
		h, err := s.readFrame()
		if err != nil {
			return msg, false, err
		}
		if h.OpCode.IsControl() && h.Length > 125 {
			return msg, false, wsErr(errInvalidFrame, "control frame payload longer than 125 bytes")
		}
		// Incoming frame filter of permessage-deflate.
		if s.deflate != nil && h.Rsv1() && !h.OpCode.IsControl() {
			s.inflate = true
			h.Rsv &^= ws.Rsv(true, false, false)
		}
		if h.Rsv != 0 {
			return msg, false, wsErr(errUnsupportedFrame, "unsupported flag is set (rsv = %03b)", h.Rsv)
		}
		// Defragmentation (Stream._get_message_from_frame), which, like
		// pywebsocket3, does not allow control frames inside a fragmented
		// message.
		var data []byte
		if h.OpCode == ws.OpContinuation {
			if !s.fragmented {
				return msg, false, wsErr(errInvalidFrame, "continuation frame without a message to continue")
			}
			s.fragments.Write(s.payload)
			if !h.Fin {
				continue
			}
			s.fragmented = false
			data = s.fragments.Bytes()
		} else {
			if s.fragmented {
				return msg, false, wsErr(errInvalidFrame, "new frame before the fragmented message ended")
			}
			s.opcode = h.OpCode
			if !h.Fin {
				if h.OpCode.IsControl() {
					return msg, false, wsErr(errInvalidFrame, "fragmented control frame")
				}
				s.fragmented = true
				s.fragments.Reset()
				s.fragments.Write(s.payload)
				continue
			}
			data = s.payload
		}
		// Incoming message filter of permessage-deflate.
		if s.inflate {
			s.inflate = false
			out, err := s.deflate.decompress(data)
			if err != nil {
				return msg, false, wsErr(errConnTerminated, "inflating: %v", err)
			}
			data = out
		}
		switch s.opcode {
		case ws.OpText:
			if !utf8.Valid(data) {
				return msg, false, wsErr(errInvalidUTF8, "text message is not valid UTF-8")
			}
			return wsMessage{data: data}, true, nil
		case ws.OpBinary:
			return wsMessage{binary: true, data: data}, true, nil
		case ws.OpClose:
			if err := s.processClose(data); err != nil {
				return msg, false, err
			}
			return msg, false, nil
		case ws.OpPing:
			if err := s.writeFrame(ws.OpPong, false, data); err != nil {
				return msg, false, err
			}
		case ws.OpPong:
			s.processPong(data)
		default:
			return msg, false, wsErr(errUnsupportedFrame, "opcode %d is not supported", s.opcode)
		}
	}
}

// processClose records a received close frame and, unless the server
// started the closing handshake, answers it with the code and reason the
// handler's passive closing handshake returns.
func (s *wsStream) processClose(body []byte) error {
	s.mu.Lock()
	s.clientTerminated = true
	switch {
	case len(body) == 0:
		s.closeCode = closeNoStatus
	case len(body) == 1:
		s.mu.Unlock()
		return wsErr(errInvalidFrame, "close frame with a 1-byte body")
	default:
		s.closeCode = int(binary.BigEndian.Uint16(body))
		s.closeReason = strings.ToValidUTF8(string(body[2:]), "\uFFFD")
	}
	serverTerminated := s.serverTerminated
	s.mu.Unlock()
	if serverTerminated {
		return nil
	}
	code, reason := closeNormal, ""
	if h := s.req.handler.passiveClose; h != nil {
		var err error
		code, reason, err = h(s.req)
		if err != nil {
			return err
		}
		if code == 0 {
			reason = ""
		}
	}
	return s.sendClose(code, reason)
}

func (s *wsStream) processPong(body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, p := range s.pings {
		if bytes.Equal(p, body) {
			s.pings = s.pings[i+1:]
			return
		}
	}
}

// closeBody builds a close frame body; code 0 means no code (empty body).
func closeBody(code int, reason string) ([]byte, error) {
	if code == 0 {
		return nil, nil
	}
	if code < closeNormal || code > 4999 {
		return nil, wsErr(errBadOperation, "status code %d is out of range", code)
	}
	if code == closeNoStatus || code == closeAbnormal || code == closeTLSHandshake {
		return nil, wsErr(errBadOperation, "status code %d is a reserved pseudo code", code)
	}
	b := make([]byte, 2, 2+len(reason))
	binary.BigEndian.PutUint16(b, uint16(code))
	return append(b, reason...), nil
}

// sendClose sends a close frame and marks the server side terminated. Only
// the first call sends one: a handler reading on one goroutine (answering the
// client's close) and writing on another (closing when its work is done) may
// both try, and pywebsocket, checking server_terminated first on both paths,
// never sends two.
func (s *wsStream) sendClose(code int, reason string) error {
	body, err := closeBody(code, reason)
	if err != nil {
		return err
	}
	if len(body) > 125 {
		return wsErr(errBadOperation, "close frame payload longer than 125 bytes")
	}
	s.mu.Lock()
	already := s.serverTerminated
	s.serverTerminated = true
	s.mu.Unlock()
	if already {
		return nil
	}
	return s.writeFrame(ws.OpClose, false, body)
}

// closeConnection is Stream.close_connection: send a close frame (code 0:
// empty body) and, unless the code says the server is going away or the
// peer broke the protocol, wait for the peer's close frame.
func (s *wsStream) closeConnection(code int, reason string, wait bool) error {
	if _, srv := s.terminated(); srv {
		return nil
	}
	if code == 0 && reason != "" {
		return wsErr(errBadOperation, "close reason must not be specified if code is None")
	}
	if err := s.sendClose(code, reason); err != nil {
		return err
	}
	if code == closeGoingAway || code == closeProtocolError || !wait {
		return nil
	}
	_, ok, err := s.receive()
	if err != nil {
		return err
	}
	if ok {
		return wsErr(errConnTerminated, "didn't receive valid ack for closing handshake")
	}
	return nil
}

// send is Stream.send_message: one frame holding the whole message,
// compressed when permessage-deflate is on.
func (s *wsStream) send(p []byte, binary bool) error {
	if _, srv := s.terminated(); srv {
		return wsErr(errBadOperation, "send after sending a closing handshake")
	}
	op := ws.OpText
	if binary {
		op = ws.OpBinary
	}
	if s.deflate == nil {
		return s.writeFrame(op, false, p)
	}
	s.smu.Lock()
	defer s.smu.Unlock()
	c, err := s.deflate.compress(p)
	if err != nil {
		return wsErr(errBadOperation, "deflate: %v", err)
	}
	return s.writeFrame(op, true, c)
}

func (s *wsStream) sendText(t string) error { return s.send([]byte(t), false) }

// ping sends a ping frame and remembers its body for the matching pong.
func (s *wsStream) ping(body []byte) error {
	if len(body) > 125 {
		return wsErr(errBadOperation, "ping payload longer than 125 bytes")
	}
	if err := s.writeFrame(ws.OpPing, false, body); err != nil {
		return err
	}
	s.mu.Lock()
	s.pings = append(s.pings, body)
	s.mu.Unlock()
	return nil
}
