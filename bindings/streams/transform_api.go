package streams

import (
	"errors"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// This file is the TransformStream part of "Using streams in other specifications"
// (https://streams.spec.whatwg.org/#other-specs-ts): other bindings create transform
// streams whose transformer is Go code, as the Compression Standard's
// CompressionStream does. As in api.go, everything here runs on the goroutine that
// runs the realm's runtime.

// Transformer is a transformer written in Go, for NewTransformStream (the
// transformAlgorithm, flushAlgorithm and cancelAlgorithm of "set up a
// TransformStream", https://streams.spec.whatwg.org/#transformstream-set-up).
type Transformer struct {
	// Transform is called with each chunk written to the writable side, one at a
	// time, after the previous call's result has settled. It may enqueue chunks into
	// the stream. It returns nil or undefined when it is done, or a promise (of the
	// realm) the stream waits for before it takes the next chunk; a rejected
	// promise, or a JavaScript exception thrown by panicking, errors the stream. It
	// must copy what it keeps of chunk's contents. Transform must not be nil.
	Transform func(s *TransformStream, chunk goja.Value) goja.Value
	// Flush is called once the writable side is closed and every chunk is
	// transformed, before the readable side closes. It returns as Transform does.
	// Nil means nothing needs doing.
	Flush func(s *TransformStream) goja.Value
	// Cancel is called once if either side is canceled or aborted, with the reason.
	// It returns as Transform does. Nil means nothing needs doing.
	Cancel func(s *TransformStream, reason goja.Value) goja.Value
}

// TransformStream is a transform stream created by NewTransformStream.
type TransformStream struct {
	b  *binding
	ts *transformStream
}

// NewTransformStream creates a transform stream of r (Register must have been called)
// whose transformer is t, with the standard's default queuing strategies: the writable
// side has a high water mark of one chunk, the readable side of none.
func NewTransformStream(r *webidl.Realm, t Transformer) (*TransformStream, error) {
	b, err := bindingOf(r)
	if err != nil {
		return nil, err
	}
	if t.Transform == nil {
		return nil, errors.New("streams: Transformer.Transform is nil")
	}
	s := &TransformStream{b: b, ts: &transformStream{}}
	err = b.run(func() {
		// Steps 1-4 are the arguments of InitializeTransformStream below. Steps 5-7:
		// the wrappers turn exceptions and plain results into promises.
		transform := func(chunk goja.Value) *goja.Object {
			return b.callGo(func() goja.Value { return t.Transform(s, chunk) })
		}
		flush := func() *goja.Object {
			if t.Flush == nil {
				return b.resolvedPromise(goja.Undefined()).obj
			}
			return b.callGo(func() goja.Value { return t.Flush(s) })
		}
		cancel := func(reason goja.Value) *goja.Object {
			if t.Cancel == nil {
				return b.resolvedPromise(goja.Undefined()).obj
			}
			return b.callGo(func() goja.Value { return t.Cancel(s, reason) })
		}
		// Steps 8-9.
		start := b.resolvedPromise(goja.Undefined())
		b.initializeTransformStream(s.ts, start, 1, countOne, 0, countOne)
		// Steps 10-11.
		setUpTransformController(s.ts, &transformController{}, transform, flush, cancel)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Readable returns the stream's readable side, a ReadableStream.
func (s *TransformStream) Readable() *goja.Object { return s.ts.readableObj }

// Writable returns the stream's writable side, a WritableStream.
func (s *TransformStream) Writable() *goja.Object { return s.ts.writableObj }

// Enqueue enqueues chunk into the stream's readable side ("enqueue",
// https://streams.spec.whatwg.org/#transformstream-enqueue). It returns the
// exception (a *goja.Exception) TransformStreamDefaultControllerEnqueue throws: a
// TypeError once the readable side can take no more chunks, such as after it was
// canceled.
func (s *TransformStream) Enqueue(chunk goja.Value) error {
	return s.b.run(func() { s.ts.ctrl.enqueue(orUndefined(chunk)) })
}

// DesiredSize is the desired size of the readable side
// (ReadableStreamDefaultControllerGetDesiredSize,
// https://streams.spec.whatwg.org/#readable-stream-default-controller-get-desired-size):
// with no high water mark, minus the number of chunks queued and not yet read, and 0
// once the readable side is closed or errored.
func (s *TransformStream) DesiredSize() float64 {
	if s.ts.readable.state != rsReadable {
		return 0
	}
	d, _ := s.ts.readable.ctrl.desiredSize()
	return d
}

// WhenPulled runs f on the loop, as a promise reaction, once the stream has no
// backpressure ([[backpressure]], https://streams.spec.whatwg.org/#ts-internal-slots):
// once the readable side has been pulled (a read found its queue empty), or canceled.
// A Transform that enqueues much output can return a promise, stop while DesiredSize
// shows chunks piling up, and go on in f, so that output is produced only as fast as
// it is read. f must not throw.
func (s *TransformStream) WhenPulled(f func()) {
	b := s.b
	_ = b.run(func() {
		p := b.resolvedPromise(goja.Undefined()).obj
		if s.ts.backpressure {
			p = s.ts.backpressureChange.obj
		}
		b.upon(p, func(goja.Value) { f() }, nil)
	})
}
