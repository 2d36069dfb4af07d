package compression

import (
	"errors"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/bindings"
	"github.com/wsjs/wsjs/bindings/streams"
)

// maxBatch is the most pieces of output (of pieceSize bytes at most) enqueued
// at once. A transform or flush whose output runs to more waits, once it has
// enqueued a full batch, until the readable side has been read, so that at
// most two batches (one queued, one being made) are held for script.
const maxBatch = 16

// stream holds the slots of a CompressionStream or DecompressionStream: its
// format and context (coder), and the transform of the GenericTransformStream
// mixin (https://streams.spec.whatwg.org/#generictransformstream).
type stream struct {
	b         *binding
	coder     coder
	transform *streams.TransformStream
	batch     [][]byte // reused by enqueueBatch
}

// newStream runs steps 2-6 of the constructor steps: the transform is set up
// with the stream's "compress and enqueue a chunk" (or "decompress and enqueue
// a chunk") and "compress flush and enqueue" (or "decompress flush and
// enqueue") algorithms, which the coder makes one.
func (b *binding) newStream(c coder) *stream {
	s := &stream{b: b, coder: c}
	ts, err := streams.NewTransformStream(b.r, streams.Transformer{
		Transform: s.transformChunk,
		Flush:     s.flush,
	})
	if err != nil {
		panic(b.vm.NewGoError(err))
	}
	s.transform = ts
	return s
}

// transformChunk runs "compress and enqueue a chunk"
// (https://compression.spec.whatwg.org/#compress-and-enqueue-a-chunk) or
// "decompress and enqueue a chunk"
// (https://compression.spec.whatwg.org/#decompress-and-enqueue-a-chunk).
func (s *stream) transformChunk(ts *streams.TransformStream, chunk goja.Value) goja.Value {
	// Step 1: anything but a BufferSource is a TypeError, shared memory
	// included. The bytes are copied, as the chunk's buffer may change once
	// this returns.
	if s.b.isShared(chunk) {
		s.b.r.ThrowTypeError("The provided value must not be shared.")
	}
	p := s.b.r.ToBufferSource(chunk)
	// Step 2, with steps 3-5 for each piece of output as it is made (see
	// enqueueOutput). A decompression error is a TypeError.
	if err := s.coder.write(p); err != nil {
		s.b.r.ThrowTypeError("%s", err.Error())
	}
	return s.enqueueOutput(ts)
}

// flush runs "compress flush and enqueue"
// (https://compression.spec.whatwg.org/#compress-flush-and-enqueue) or
// "decompress flush and enqueue"
// (https://compression.spec.whatwg.org/#decompress-flush-and-enqueue): the
// coder's finish flag is set, and decompressing with it fails (a TypeError)
// where the end of the compressed input has not been reached.
func (s *stream) flush(ts *streams.TransformStream) goja.Value {
	s.coder.finish()
	return s.enqueueOutput(ts)
}

// enqueueOutput enqueues the coder's output, split into Uint8Arrays of
// pieceSize bytes at most ("splitting buffer into one or more non-empty
// pieces"), until the coder needs more input. If the output runs to more
// than a batch, it returns a promise that settles once the rest is enqueued,
// which is made only as the readable side is read; otherwise nothing. A
// coder's error is thrown (or rejects the promise) as a TypeError.
func (s *stream) enqueueOutput(ts *streams.TransformStream) goja.Value {
	more, exc := s.enqueueBatch(ts)
	if exc != nil {
		panic(exc)
	}
	if !more {
		return nil
	}
	p, resolve, reject := s.b.r.NewPromise()
	var resume func()
	resume = func() {
		more, exc := s.enqueueBatch(ts)
		switch {
		case exc != nil:
			reject(exc)
		case more:
			ts.WhenPulled(resume)
		default:
			resolve(goja.Undefined())
		}
	}
	ts.WhenPulled(resume)
	return p
}

// enqueueBatch enqueues up to maxBatch pieces of output and reports whether
// there may be more, or the exception that is to error the stream. Output
// that ends in an error is not enqueued.
func (s *stream) enqueueBatch(ts *streams.TransformStream) (more bool, exc goja.Value) {
	batch := s.batch[:0]
	defer func() {
		clear(batch)
		s.batch = batch[:0]
	}()
	for len(batch) < maxBatch {
		piece, err := s.coder.next()
		if err != nil {
			return false, s.b.vm.NewTypeError("%s", err.Error())
		}
		if piece == nil {
			break
		}
		batch = append(batch, piece)
	}
	for _, piece := range batch {
		chunk, exc := s.b.newChunk(piece)
		if exc != nil {
			return false, exc
		}
		if err := ts.Enqueue(chunk); err != nil {
			return false, exceptionValue(err)
		}
	}
	return len(batch) == maxBatch, nil
}

// newChunk returns a Uint8Array over p (not copied), charged to the memory
// budget, or the RangeError of a budget that has no room for it.
func (b *binding) newChunk(p []byte) (goja.Value, goja.Value) {
	if !bindings.Charge(b.budget, &p[0], int64(len(p))) {
		return nil, b.r.NewRangeError(bindings.AllocationFailed)
	}
	o, err := b.vm.New(b.uint8Array, b.vm.ToValue(b.vm.NewArrayBuffer(p)))
	if err != nil {
		return nil, exceptionValue(err)
	}
	return o, nil
}

// exceptionValue returns the JavaScript value of an exception a call into goja
// returned; anything else (an interrupt) is propagated.
func exceptionValue(err error) goja.Value {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return ex.Value()
	}
	panic(err)
}
