package wstest

import (
	"errors"
	"io"

	"github.com/gobwas/ws"
)

// A Reader reads the frames a client sends, checks that they are masked and
// unmasks them (RFC 6455 section 5.3,
// https://www.rfc-editor.org/rfc/rfc6455#section-5.3), and puts fragmented
// messages back together (section 5.4,
// https://www.rfc-editor.org/rfc/rfc6455#section-5.4).
type Reader struct {
	r       io.Reader
	msg     ws.Frame // the fragments of the current message so far
	pending bool
}

// NewReader reads client frames from r.
func NewReader(r io.Reader) *Reader { return &Reader{r: r} }

// Frame reads the next frame as it is on the wire, unmasked.
func (m *Reader) Frame() (ws.Frame, error) {
	f, err := ws.ReadFrame(m.r)
	if err != nil {
		return f, err
	}
	if !f.Header.Masked {
		return f, errors.New("wstest: client frame not masked")
	}
	ws.Cipher(f.Payload, f.Header.Mask, 0)
	return f, nil
}

// Next reads the next control frame or whole data message. A fragmented
// message comes back as one frame with its first fragment's header, FIN set
// and the whole payload; control frames sent between its fragments come back
// first, as they arrive.
func (m *Reader) Next() (ws.Frame, error) {
	for {
		f, err := m.Frame()
		if err != nil {
			return f, err
		}
		op := f.Header.OpCode
		switch {
		case op.IsControl():
			return f, nil
		case op == ws.OpContinuation && !m.pending:
			return f, errors.New("wstest: continuation frame outside a message")
		case op == ws.OpContinuation:
			m.msg.Payload = append(m.msg.Payload, f.Payload...)
		case m.pending:
			return f, errors.New("wstest: a new message before the last one ended")
		default:
			m.msg, m.pending = f, true
		}
		if f.Header.Fin {
			whole := m.msg
			whole.Header.Fin, whole.Header.Length = true, int64(len(whole.Payload))
			m.msg, m.pending = ws.Frame{}, false
			return whole, nil
		}
	}
}
