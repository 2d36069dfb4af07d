package transport

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
)

// windowSize is the LZ77 window of DEFLATE, 2^15 bytes (RFC 1951 section 2,
// https://www.rfc-editor.org/rfc/rfc1951#section-2).
const windowSize = 1 << 15

// deflateTail is the empty stored block that ends a sync flush; RFC 7692
// section 7.2.1 (https://www.rfc-editor.org/rfc/rfc7692#section-7.2.1) removes
// it from each compressed message and section 7.2.2
// (https://www.rfc-editor.org/rfc/rfc7692#section-7.2.2) restores it before
// decompressing.
var deflateTail = [4]byte{0x00, 0x00, 0xff, 0xff}

var errTooBig = errors.New("message exceeds the maximum message size")

// compression is the permessage-deflate state of a connection (RFC 7692,
// https://www.rfc-editor.org/rfc/rfc7692): only a connection that negotiated
// the extension has one, so the others, idle ones above all, carry none of it.
type compression struct {
	dp deflateParams
	// Owned by the reading goroutine: the compressed message being received.
	inflater inflater
	in       []byte
	// Owned by the writer (Conn.wmu held): the output not yet written.
	deflater deflater
	out      []byte
}

// newCompression returns the state for the parameters dp, with grow allocating
// the decompressed messages (inflater.grow).
func newCompression(dp deflateParams, grow func([]byte, int) ([]byte, bool)) *compression {
	z := &compression{dp: dp}
	z.inflater.noContext = dp.serverNoContextTakeover
	z.inflater.grow = grow
	z.deflater.noContext = dp.clientNoContextTakeover
	return z
}

// inflater decompresses permessage-deflate messages (RFC 7692 section 7.2.2,
// https://www.rfc-editor.org/rfc/rfc7692#section-7.2.2). With context takeover
// the last 32 KiB of earlier output is kept as the dictionary of the next
// message.
type inflater struct {
	fr        io.ReadCloser
	src       bytes.Reader
	window    []byte // last windowSize bytes of decompressed output
	noContext bool
	// grow, if not nil, allocates the output as Conn.rxGrow does, charged
	// to the connection's memory budget.
	grow func(buf []byte, size int) ([]byte, bool)
}

// inflate decompresses in, whose capacity must leave room for the 4-byte
// tail, and returns a new slice holding the message. It never holds more than
// limit+1 bytes of output: a message that would exceed limit fails with
// errTooBig whatever length its compressed form announces, and one that grow
// has no room for with errNoMemory.
func (z *inflater) inflate(in []byte, limit int64) ([]byte, error) {
	in = append(in, deflateTail[:]...)
	z.src.Reset(in)
	var dict []byte
	if !z.noContext {
		dict = z.window
	}
	if z.fr == nil {
		z.fr = flate.NewReaderDict(&z.src, dict)
	} else if err := z.fr.(flate.Resetter).Reset(&z.src, dict); err != nil {
		return nil, err
	}
	// A first guess at the output size, grown as output actually appears.
	size := int64(len(in)) * 4
	size = max(size, 512)
	size = min(size, limit+1, 64<<10)
	out, ok := z.alloc(nil, int(size))
	if !ok {
		return nil, errNoMemory
	}
	for {
		if len(out) == cap(out) {
			if int64(len(out)) > limit {
				return nil, errTooBig
			}
			if out, ok = z.alloc(out, int(min(int64(cap(out))*2, limit+1))); !ok {
				return nil, errNoMemory
			}
		}
		n, err := z.fr.Read(out[len(out):cap(out)])
		out = out[:len(out)+n]
		if int64(len(out)) > limit {
			return nil, errTooBig
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF && z.src.Len() == 0 {
			// The sync flush tail leaves the stream open: running out of
			// input after it is the normal end of a message.
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if !z.noContext {
		z.remember(out)
	}
	return out, nil
}

// alloc returns a buffer with buf's bytes and capacity size, through grow if
// there is one.
func (z *inflater) alloc(buf []byte, size int) ([]byte, bool) {
	if z.grow != nil {
		return z.grow(buf, size)
	}
	next := make([]byte, len(buf), size)
	copy(next, buf)
	return next, true
}

// remember appends p to the sliding window, keeping its last windowSize bytes.
func (z *inflater) remember(p []byte) {
	if z.window == nil {
		z.window = make([]byte, 0, windowSize)
	}
	if len(p) >= windowSize {
		z.window = append(z.window[:0], p[len(p)-windowSize:]...)
		return
	}
	if keep := windowSize - len(p); len(z.window) > keep {
		n := copy(z.window, z.window[len(z.window)-keep:])
		z.window = z.window[:n]
	}
	z.window = append(z.window, p...)
}

// deflater compresses outgoing messages (RFC 7692 section 7.2.1,
// https://www.rfc-editor.org/rfc/rfc7692#section-7.2.1).
type deflater struct {
	fw        *flate.Writer
	out       appendWriter
	noContext bool
}

type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

// compress appends the compressed form of the whole message p to dst and
// returns it.
func (d *deflater) compress(dst, p []byte) ([]byte, error) { return d.add(dst, p, true) }

// add compresses p, the next part of a message, appending to dst what the
// compressor has output so far, and returns it. With final, p ends the message:
// the output is flushed and its sync-flush tail removed (RFC 7692 section
// 7.2.1, https://www.rfc-editor.org/rfc/rfc7692#section-7.2.1), and without
// context takeover the compressor starts afresh for the next message.
func (d *deflater) add(dst, p []byte, final bool) ([]byte, error) {
	d.out.b = dst
	defer func() { d.out.b = nil }()
	if d.fw == nil {
		fw, err := flate.NewWriter(&d.out, flate.BestSpeed)
		if err != nil {
			return nil, err
		}
		d.fw = fw
	}
	if _, err := d.fw.Write(p); err != nil {
		return nil, err
	}
	if !final {
		return d.out.b, nil
	}
	if err := d.fw.Flush(); err != nil {
		return nil, err
	}
	out := d.out.b
	if bytes.HasSuffix(out[len(dst):], deflateTail[:]) {
		out = out[:len(out)-len(deflateTail)]
	}
	if d.noContext {
		d.fw.Reset(&d.out)
	}
	return out, nil
}
