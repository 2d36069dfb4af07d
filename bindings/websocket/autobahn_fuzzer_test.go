package websocket

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/gobwas/ws"
)

// The fuzzing server of the Autobahn-style suite (autobahn_test.go): one fuzzer
// plays one case on one connection, as Autobahn|Testsuite's fuzzing server does
// against a client. Frames the case sends without waiting are gathered and
// written together when the fuzzer next waits, so that they reach the client in
// one read, as Autobahn's do; sync frames and chopped frames are written on
// their own. Where Autobahn waits a second for the client to have reacted, the
// fuzzer sends a ping and waits for its pong instead: the client processes
// frames in order, so the pong proves it has read everything sent before (its
// echoes of messages may still follow: see closeAfter). The ping is the fuzzer's
// own, so a client that answers only the most recent of several pings not yet
// answered (RFC 6455 section 5.5.3 allows it) could lose the pong a case expects;
// wsjs answers every ping.

// closeExpect is Autobahn's expectedClose.
type closeExpect struct {
	byMe  bool  // the fuzzer starts the closing handshake
	codes []int // close codes the client may send (the first is the one the fuzzer sends)
	clean bool  // the closing handshake must complete
	// wrongEndpointFatal: the client closing when the fuzzer should have, or the
	// other way round, fails the case (it did not detect invalid data).
	wrongEndpointFatal bool
}

// inEvent is what the reading goroutine saw.
type inEvent struct {
	op      ws.OpCode // OpText, OpBinary, OpPong, OpClose; 0 for the end
	payload []byte
	err     error
}

type fuzzer struct {
	rc    *rawConn
	flate *pmd // nil without permessage-deflate
	limit time.Duration

	// The case's expectations, set by its play function.
	ok, nonStrict []string // expected events; nonStrict nil when there is none
	close         closeExpect
	suppressClose bool
	// onMessage, if set, judges the messages itself (sets behavior) instead of
	// recording them.
	onMessage func(binary bool, p []byte)
	behavior  string
	result    string

	received   []string
	out        bytes.Buffer // frames gathered, not yet written
	txFrames   [2]int       // data frames sent without and with FIN, for case 10.1.1
	in         chan inEvent
	quit       chan struct{} // closed at the end: the reading goroutine stops
	syncs      int
	sentClose  bool
	closedByMe bool
	gotClose   bool
	remoteCode int // the client's close code; 0 for none
	wasClean   bool
	done       bool
	deadline   time.Time
}

func newFuzzer(rc *rawConn, z *pmd, limit time.Duration) *fuzzer {
	f := &fuzzer{rc: rc, flate: z, limit: limit, in: make(chan inEvent, 64), quit: make(chan struct{}), deadline: time.Now().Add(limit)}
	go f.read()
	return f
}

// read passes the client's control frames and whole messages to the fuzzer.
func (f *fuzzer) read() {
	for {
		ev := f.next()
		select {
		case f.in <- ev:
		case <-f.quit:
			return
		}
		if ev.op == 0 || ev.op == ws.OpClose {
			return
		}
	}
}

func (f *fuzzer) next() inEvent {
	fr, err := f.rc.readFrame()
	if err != nil {
		return inEvent{err: err}
	}
	op, p := fr.Header.OpCode, fr.Payload
	if op.IsData() && fr.Header.Rsv&0x4 != 0 {
		if f.flate == nil {
			return inEvent{err: fmt.Errorf("RSV1 without permessage-deflate")}
		}
		if p, err = f.flate.inflate(p); err != nil {
			return inEvent{err: err}
		}
	}
	return inEvent{op: op, payload: p}
}

// frame gathers one frame: rsv is the three RSV bits, chop > 0 writes it at once
// in pieces of chop bytes, sync writes it at once.
func (f *fuzzer) frame(op ws.OpCode, fin bool, rsv byte, p []byte, chop int, sync bool) {
	b0 := rsv<<4 | byte(op)
	if fin {
		b0 |= 0x80
	}
	if op.IsData() {
		f.txFrames[btoi(fin)]++
	}
	f.out.Write(frm(b0, p))
	switch {
	case chop > 0:
		b := bytes.Clone(f.out.Bytes())
		f.out.Reset()
		for len(b) > 0 {
			n := min(chop, len(b))
			f.rc.Write(b[:n])
			b = b[n:]
		}
	case sync:
		f.flush()
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (f *fuzzer) flush() {
	if f.out.Len() > 0 {
		f.rc.Write(f.out.Bytes())
		f.out.Reset()
	}
}

// send gathers an unfragmented frame.
func (f *fuzzer) send(op ws.OpCode, p []byte) { f.frame(op, true, 0, p, 0, false) }

// message sends a data message, compressed when permessage-deflate is in use, in
// fragments of fragSize bytes (of what goes on the wire) if fragSize > 0.
func (f *fuzzer) message(binary bool, p []byte, fragSize int) {
	op, rsv := ws.OpText, byte(0)
	if binary {
		op = ws.OpBinary
	}
	if f.flate != nil {
		p, rsv = f.flate.deflate(p), 4
	}
	if fragSize <= 0 || len(p) <= fragSize {
		f.frame(op, true, rsv, p, 0, false)
		return
	}
	for off := 0; off < len(p); off += fragSize {
		end := min(off+fragSize, len(p))
		f.frame(op, end == len(p), rsv, p[off:end], 0, false)
		op, rsv = ws.OpContinuation, 0
	}
}

// sendClose starts the closing handshake, or answers the client's close frame.
func (f *fuzzer) sendClose(code int, reason string) {
	var p []byte
	if code != 0 {
		p = closePayload(code, reason)
	}
	f.sendCloseFrame(p)
}

// sendCloseFrame sends a close frame with payload p, whatever it holds.
func (f *fuzzer) sendCloseFrame(p []byte) {
	if f.sentClose {
		return
	}
	f.sentClose = true
	f.closedByMe = !f.gotClose
	f.frame(ws.OpClose, true, 0, p, 0, true)
}

// record adds an event the case compares with its expectations, and starts the
// closing handshake once every expected outcome is met (Autobahn's
// finishWhenDone).
func (f *fuzzer) record(ev string) {
	f.received = append(f.received, ev)
	if !slices.Equal(f.received, f.ok) || f.nonStrict != nil && !slices.Equal(f.received, f.nonStrict) {
		return
	}
	if f.close.byMe && !f.suppressClose {
		f.sendClose(f.close.codes[0], "")
	}
}

func msgEvent(binary bool, p []byte) string {
	if binary {
		return fmt.Sprintf("message binary %x", p)
	}
	return fmt.Sprintf("message text %q", p)
}

func pongEvent(p []byte) string { return fmt.Sprintf("pong %q", p) }

// handle processes one event from the client.
func (f *fuzzer) handle(ev inEvent) (syncToken []byte) {
	switch ev.op {
	case ws.OpText, ws.OpBinary:
		if f.onMessage != nil {
			f.onMessage(ev.op == ws.OpBinary, ev.payload)
		} else {
			f.record(msgEvent(ev.op == ws.OpBinary, ev.payload))
		}
	case ws.OpPong:
		if bytes.HasPrefix(ev.payload, []byte("sync-")) {
			return ev.payload
		}
		f.record(pongEvent(ev.payload))
	case ws.OpPing:
		f.frame(ws.OpPong, true, 0, ev.payload, 0, true)
	case ws.OpClose:
		f.gotClose = true
		if len(ev.payload) >= 2 {
			f.remoteCode = int(binary.BigEndian.Uint16(ev.payload))
		}
		if !f.sentClose {
			// The client started the closing handshake: answer with its code.
			f.sentClose = true
			f.frame(ws.OpClose, true, 0, ev.payload[:min(2, len(ev.payload))], 0, true)
		}
		// Both close frames were sent: the server closes the TCP connection (RFC
		// 6455 section 7.1.1, https://www.rfc-editor.org/rfc/rfc6455#section-7.1.1).
		f.wasClean = true
		f.end()
	default: // the end of the stream, or a client frame that breaks the rules
		if ev.err != nil && ev.err != io.EOF && !f.sentClose {
			f.result = "client error: " + ev.err.Error()
		}
		f.end()
	}
	return nil
}

func (f *fuzzer) end() {
	if !f.done {
		f.done = true
		f.flush()
		f.rc.Close()
		close(f.quit)
	}
}

// pump handles the client's events until stop says so or the connection ends;
// at the case's time limit the fuzzer drops the connection.
func (f *fuzzer) pump(stop func(syncToken []byte) bool) {
	f.flush()
	timer := time.NewTimer(time.Until(f.deadline))
	defer timer.Stop()
	for !f.done {
		select {
		case ev := <-f.in:
			if tok := f.handle(ev); stop != nil && stop(tok) {
				return
			}
			f.flush()
		case <-timer.C:
			f.result = fmt.Sprintf("case did not finish within %v", f.limit)
			f.end()
		}
	}
}

// settled sends a ping and waits for its pong, which the client sends once it
// has processed everything sent before. It reports false if the connection
// ended first. This stands for Autobahn's waits of a second.
func (f *fuzzer) settled() bool {
	f.syncs++
	tok := fmt.Appendf(nil, "sync-%d", f.syncs)
	f.frame(ws.OpPing, true, 0, tok, 0, true)
	seen := false
	f.pump(func(got []byte) bool {
		seen = bytes.Equal(got, tok)
		return seen
	})
	return seen
}

// pause is Autobahn's continueLater with a mark: once the client has handled
// everything sent so far without closing, it records "timeout mark".
func (f *fuzzer) pause(mark string) bool {
	if !f.settled() {
		return false
	}
	f.received = append(f.received, "timeout "+mark)
	return true
}

// quiet is continueLater for data sent in the middle of a frame, where no ping
// can go: it waits d for the client to react, and records "timeout mark" if it
// did not end the connection meanwhile. Only the absence of a reaction is timed;
// a client that fails the connection ends the wait at once.
func (f *fuzzer) quiet(mark string, d time.Duration) bool {
	f.flush()
	timer := time.NewTimer(d)
	defer timer.Stop()
	for !f.done {
		select {
		case ev := <-f.in:
			f.handle(ev)
		case <-timer.C:
			f.received = append(f.received, "timeout "+mark)
			return true
		}
	}
	return false
}

// raw gathers bytes as they are, such as part of a frame's payload.
func (f *fuzzer) raw(b []byte) { f.out.Write(b) }

// closeAfter is Autobahn's closeAfter: once the client has handled everything,
// the fuzzer closes with the expected code, then waits for the end. The pong can
// overtake the echo of a message sent before its ping (the transport answers
// pings, script echoes messages), so the fuzzer closes only once the events so
// far are an expected outcome; an expected event still missing makes it wait for
// it (record closes then), and a client that never sends it ends the case at the
// time limit.
func (f *fuzzer) closeAfter() {
	if f.settled() && !f.sentClose && f.outcomeMet() {
		f.sendClose(f.close.codes[0], "")
	}
	f.pump(nil)
}

// outcomeMet reports whether the events so far are one of the expected outcomes.
func (f *fuzzer) outcomeMet() bool {
	return slices.Equal(f.received, f.ok) || f.nonStrict != nil && slices.Equal(f.received, f.nonStrict)
}

// killAfter is Autobahn's killAfter: the fuzzer waits for the client to end the
// case (the time limit drops the connection otherwise).
func (f *fuzzer) killAfter() { f.pump(nil) }

// pmd is the fuzzer's side of permessage-deflate (RFC 7692,
// https://www.rfc-editor.org/rfc/rfc7692).
type pmd struct {
	serverNoContext bool // server_no_context_takeover
	serverWindow    int  // server_max_window_bits; 15 when absent
	clientNoContext bool // client_no_context_takeover

	fw     *flate.Writer
	zbuf   bytes.Buffer
	window []byte // the last 32 KiB the client sent, for its context takeover
}

// deflate compresses a message (RFC 7692 section 7.2.1,
// https://www.rfc-editor.org/rfc/rfc7692#section-7.2.1), keeping the context
// between messages unless server_no_context_takeover was agreed. Go's
// compressor always uses a 32 KiB window; under a smaller server_max_window_bits
// it makes Huffman-only blocks, which refer to nothing before them and so fit
// any window.
func (z *pmd) deflate(p []byte) []byte {
	level := flate.DefaultCompression
	if z.serverWindow < 15 {
		level = flate.HuffmanOnly
	}
	if z.fw == nil || z.serverNoContext {
		z.zbuf.Reset()
		z.fw, _ = flate.NewWriter(&z.zbuf, level)
	}
	z.fw.Write(p)
	z.fw.Flush()
	out := bytes.TrimSuffix(bytes.Clone(z.zbuf.Bytes()), []byte{0, 0, 0xff, 0xff})
	z.zbuf.Reset()
	return out
}

// inflate decompresses a message of the client (RFC 7692 section 7.2.2,
// https://www.rfc-editor.org/rfc/rfc7692#section-7.2.2), with the client's
// earlier messages as context unless client_no_context_takeover was agreed.
func (z *pmd) inflate(p []byte) ([]byte, error) {
	src := bytes.NewReader(append(bytes.Clone(p), 0, 0, 0xff, 0xff))
	var dict []byte
	if !z.clientNoContext {
		dict = z.window
	}
	out, err := io.ReadAll(flate.NewReaderDict(src, dict))
	if err != nil && !(err == io.ErrUnexpectedEOF && src.Len() == 0) {
		return nil, fmt.Errorf("inflate: %w", err)
	}
	z.window = append(z.window, out...)
	if len(z.window) > 32<<10 {
		z.window = slices.Clone(z.window[len(z.window)-32<<10:])
	}
	return out, nil
}
