package compression

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"iter"
	"runtime"
)

// decompressor is the compression context of a DecompressionStream. The
// standard library's readers pull their input from an io.Reader, while a
// DecompressionStream is pushed its input a chunk at a time; so the reader
// runs as a coroutine (iter.Pull) that stops, keeping its state, whenever it
// needs input the stream has not been given yet, and each time it has a piece
// of output.
type decompressor struct {
	f     format
	src   *source
	pull  func() (event, bool)
	stop  func()
	ended bool  // the end of the compressed stream was reached
	err   error // the error that ended decompression, returned again
}

// An event is what the coroutine stops for: a piece of output, the end of the
// compressed stream, an error, or (the zero event) the need for more input.
type event struct {
	piece []byte
	end   bool
	err   error
}

func newDecompressor(f format) *decompressor {
	src := &source{}
	d := &decompressor{f: f, src: src}
	d.pull, d.stop = iter.Pull(func(yield func(event) bool) { src.run(f, yield) })
	// A stream dropped halfway leaves its coroutine waiting for input: end it
	// once the decompressor is unreachable. The coroutine refers to src, never d.
	runtime.AddCleanup(d, func(stop func()) { stop() }, d.stop)
	return d
}

func (d *decompressor) write(p []byte) error {
	if d.err != nil {
		return d.err
	}
	// The input is used up whenever next has returned nil (see source.fill),
	// but for data after the end of the stream.
	if len(d.src.in) == 0 {
		d.src.in = p
	} else {
		d.src.in = append(d.src.in, p...)
	}
	if d.ended && len(d.src.in) > 0 {
		return d.fail(d.errorf("There is data after the end of the %s stream"))
	}
	return nil
}

func (d *decompressor) finish() { d.src.finished = true }

func (d *decompressor) next() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	if d.ended {
		// https://compression.spec.whatwg.org/#supported-formats: it is an error
		// if there is input after the end of the stream (the end of the final
		// block, the ADLER32 checksum or the gzip member).
		if len(d.src.in) > 0 {
			return nil, d.fail(d.errorf("There is data after the end of the %s stream"))
		}
		return nil, nil
	}
	ev, ok := d.pull()
	switch {
	case !ok:
		return nil, d.fail(d.errorf("The %s decompressor stopped"))
	case ev.err != nil:
		if d.src.finished && (ev.err == io.EOF || errors.Is(ev.err, io.ErrUnexpectedEOF)) {
			return nil, d.fail(d.errorf("The input ended before the end of the %s stream"))
		}
		return nil, d.fail(fmt.Errorf("The %s data is not valid (%w)", d.f, ev.err))
	case ev.end:
		d.ended = true
		d.stop()
		return d.next()
	}
	return ev.piece, nil // nil when it needs input
}

func (d *decompressor) errorf(format string) error {
	return fmt.Errorf(format, d.f)
}

// fail ends decompression with err.
func (d *decompressor) fail(err error) error {
	d.err = err
	d.stop()
	return err
}

// source is the input of the coroutine's reader: the bytes the stream has been
// given and the reader has not yet read. It implements flate.Reader (ReadByte),
// so that no reader reads ahead of what it needs: what is left once the stream
// ended is data after its end.
type source struct {
	in       []byte
	finished bool // no more input will come
	yield    func(event) bool
	stopped  bool // the coroutine is asked to end
}

// errStopped unwinds a reader whose coroutine is asked to end.
var errStopped = errors.New("compression: decompressor stopped")

// maxIdleReads bounds the reads in a row that give neither data nor an error,
// which an io.Reader may return but should not.
const maxIdleReads = 100

// run is the coroutine: it decompresses the input into events.
func (s *source) run(f format, yield func(event) bool) {
	s.yield = yield
	var r io.Reader
	var err error
	switch f {
	case formatDeflate:
		r, err = zlib.NewReader(s)
	case formatDeflateRaw:
		r = flate.NewReader(s)
	case formatGzip:
		var zr *gzip.Reader
		if zr, err = gzip.NewReader(s); err == nil {
			zr.Multistream(false) // a gzip stream has a single member
			r = zr
		}
	}
	if err == nil {
		err = s.copyOut(r)
	}
	if err != nil && !s.stopped {
		yield(event{err: err})
	}
}

// copyOut reads r to its end, giving each read's output as a piece.
func (s *source) copyOut(r io.Reader) error {
	buf := make([]byte, pieceSize)
	for idle := 0; idle < maxIdleReads; {
		n, err := r.Read(buf)
		if n > 0 {
			idle = 0
			if !s.emit(event{piece: bytes.Clone(buf[:n])}) {
				return nil
			}
		} else {
			idle++
		}
		switch {
		case err == io.EOF:
			s.emit(event{end: true})
			return nil
		case err != nil:
			return err
		}
	}
	return io.ErrNoProgress
}

// emit gives ev to the stream and reports whether to go on.
func (s *source) emit(ev event) bool {
	if !s.stopped && !s.yield(ev) {
		s.stopped = true
	}
	return !s.stopped
}

// fill waits for input: it returns io.EOF once there is none and none will
// come, and errStopped if the coroutine is asked to end meanwhile.
func (s *source) fill() error {
	for len(s.in) == 0 {
		if s.finished {
			return io.EOF
		}
		if !s.emit(event{}) {
			return errStopped
		}
	}
	return nil
}

func (s *source) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if err := s.fill(); err != nil {
		return 0, err
	}
	n := copy(p, s.in)
	s.consume(n)
	return n, nil
}

func (s *source) ReadByte() (byte, error) {
	if err := s.fill(); err != nil {
		return 0, err
	}
	c := s.in[0]
	s.consume(1)
	return c, nil
}

func (s *source) consume(n int) {
	if s.in = s.in[n:]; len(s.in) == 0 {
		s.in = nil // let the chunk go
	}
}
