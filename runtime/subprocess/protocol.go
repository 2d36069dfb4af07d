package subprocess

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
)

// The host and the child talk in frames: a 4-byte big-endian length, then
// that many bytes of one JSON-encoded message. The host writes to the child's
// standard input and reads the child's standard output.

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
	Op     string          `json:"op"`
	ID     uint64          `json:"id,omitempty"`
	Module string          `json:"module,omitempty"` // hostcall
	Name   string          `json:"name,omitempty"`   // call, hostcall
	Args   json.RawMessage `json:"args,omitempty"`   // call, hostcall: a JSON array
	Value  json.RawMessage `json:"value,omitempty"`  // result, hostreply
	Err    *wireError      `json:"err,omitempty"`    // ready, result, hostreply, broken
	Data   []byte          `json:"data,omitempty"`   // stdout, stderr
	Start  *startConfig    `json:"start,omitempty"`  // start
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
	m := new(message)
	if err := json.Unmarshal(buf, m); err != nil {
		return nil, fmt.Errorf("subprocess: bad frame: %w", err)
	}
	if m.Op == "" {
		return nil, errors.New("subprocess: bad frame: no op")
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
	if len(body) > maxFrame {
		return fmt.Errorf("%w: %d bytes", errTooLarge, len(body))
	}
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(body)))
	fw.mu.Lock()
	defer fw.mu.Unlock()
	fw.w.Write(hdr[:])
	fw.w.Write(body)
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

// encodeValue encodes a value to send: what encoding/json makes of it.
func encodeValue(v any) (json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("subprocess: value cannot be sent: %w", err)
	}
	return b, nil
}

// decodeValue decodes a value received: JSON objects become map[string]any,
// arrays []any, integral numbers that fit int64 become int64 (as goja exports
// them) and other numbers float64.
func decodeValue(raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("subprocess: bad value: %w", err)
	}
	return numbers(v), nil
}

// decodeArgs decodes a JSON array of arguments.
func decodeArgs(raw json.RawMessage) ([]any, error) {
	v, err := decodeValue(raw)
	if err != nil || v == nil {
		return nil, err
	}
	args, ok := v.([]any)
	if !ok {
		return nil, errors.New("subprocess: arguments are not an array")
	}
	return args, nil
}

// numbers replaces the json.Numbers in v.
func numbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(string(v), 64)
		return f
	case []any:
		for i, e := range v {
			v[i] = numbers(e)
		}
	case map[string]any:
		for k, e := range v {
			v[k] = numbers(e)
		}
	}
	return v
}
