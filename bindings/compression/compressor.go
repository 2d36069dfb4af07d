package compression

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
)

// compressor is the compression context of a CompressionStream: a writer of
// the standard library that compresses into out. Input is fed to it pieceSize
// bytes at a time, so that out never holds much more than a piece.
type compressor struct {
	w        io.WriteCloser
	out      bytes.Buffer // compressed output not yet given
	in       []byte       // input not yet compressed
	finished bool         // finish was called
	closed   bool         // w is closed: all output is in out
}

func newCompressor(f format) *compressor {
	c := &compressor{}
	switch f {
	case formatDeflate:
		c.w = zlib.NewWriter(&c.out)
	case formatDeflateRaw:
		// NewWriter fails only for a bad level.
		c.w, _ = flate.NewWriter(&c.out, flate.DefaultCompression)
	case formatGzip:
		c.w = gzip.NewWriter(&c.out)
	}
	return c
}

func (c *compressor) write(p []byte) error {
	c.in = p
	return nil
}

func (c *compressor) finish() { c.finished = true }

func (c *compressor) next() ([]byte, error) {
	for c.out.Len() == 0 {
		switch {
		case len(c.in) > 0:
			n := min(len(c.in), pieceSize)
			if _, err := c.w.Write(c.in[:n]); err != nil {
				return nil, err
			}
			if c.in = c.in[n:]; len(c.in) == 0 {
				c.in = nil // let the input go
			}
		case c.finished && !c.closed:
			c.closed = true
			if err := c.w.Close(); err != nil {
				return nil, err
			}
		default:
			return nil, nil
		}
	}
	piece := make([]byte, min(c.out.Len(), pieceSize))
	_, _ = c.out.Read(piece)
	return piece, nil
}
