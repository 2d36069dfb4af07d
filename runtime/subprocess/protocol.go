package subprocess

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// The host and the child talk in frames: a 4-byte big-endian length, then
// that many bytes of body: a 4-byte big-endian length, that many bytes of one
// JSON-encoded message, and the message's payload, the rest. The host writes
// to the child's standard input and reads the child's standard output.

// maxFrame bounds the size of one frame, arguments and results included.
const maxFrame = 64 << 20

// Ops of messages. The host sends start (once, first), call, cancel and
// hostreply; the child sends ready (once, the answer to start), result,
// stdout, stderr, hostcall and broken.
const (
	opStart     = "start"
	opCall      = "call"
	opCancel    = "cancel"
	opHostReply = "hostreply"
	opReady     = "ready"
	opResult    = "result"
	opStdout    = "stdout"
	opStderr    = "stderr"
	opHostCall  = "hostcall"
	opBroken    = "broken"
)

// A message is one frame's content. Which fields are set depends on Op.
type message struct {
	Op     string       `json:"op"`
	ID     uint64       `json:"id,omitempty"`
	Module string       `json:"module,omitempty"` // hostcall
	Name   string       `json:"name,omitempty"`   // call, hostcall
	Err    *wireError   `json:"err,omitempty"`    // ready, result, hostreply, broken
	Start  *startConfig `json:"start,omitempty"`  // start
	// Payload is what follows the JSON in the frame: for call and hostcall
	// the Array of the arguments, for result and hostreply the value, each
	// a structured clone in the wire format of bindings/structuredclone
	// (clone.go); for stdout and stderr the bytes written.
	Payload []byte `json:"-"`
}

// readFrame reads one message.
func readFrame(r io.Reader) (*message, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > maxFrame {
		return nil, fmt.Errorf("subprocess: frame of %d bytes exceeds %d", n, maxFrame)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	if n < 4 || binary.BigEndian.Uint32(buf) > n-4 {
		return nil, errors.New("subprocess: bad frame: bad message length")
	}
	body := buf[4 : 4+binary.BigEndian.Uint32(buf)]
	m := new(message)
	if err := json.Unmarshal(body, m); err != nil {
		return nil, fmt.Errorf("subprocess: bad frame: %w", err)
	}
	if m.Op == "" {
		return nil, errors.New("subprocess: bad frame: no op")
	}
	if rest := buf[4+len(body):]; len(rest) > 0 {
		m.Payload = rest
	}
	return m, nil
}

// errTooLarge is the error of a message larger than a frame can hold.
var errTooLarge = fmt.Errorf("subprocess: message exceeds %d bytes", maxFrame)

// A frameWriter writes whole frames from any number of goroutines.
type frameWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func newFrameWriter(w io.Writer) *frameWriter {
	return &frameWriter{w: bufio.NewWriter(w)}
}

func (fw *frameWriter) write(m *message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if n := 4 + len(body) + len(m.Payload); n > maxFrame {
		return fmt.Errorf("%w: %d bytes", errTooLarge, n)
	}
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[:4], uint32(4+len(body)+len(m.Payload)))
	binary.BigEndian.PutUint32(hdr[4:], uint32(len(body)))
	fw.mu.Lock()
	defer fw.mu.Unlock()
	fw.w.Write(hdr[:])
	fw.w.Write(body)
	fw.w.Write(m.Payload)
	return fw.w.Flush()
}

// reply writes m, the answer to a call; if its value is too large to
// send, it sends that error instead, so that the caller does not wait for
// an answer that never comes.
func (fw *frameWriter) reply(m *message) error {
	err := fw.write(m)
	if errors.Is(err, errTooLarge) {
		err = fw.write(&message{Op: m.Op, ID: m.ID, Err: toWire(err)})
	}
	return err
}
