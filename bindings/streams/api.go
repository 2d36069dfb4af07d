package streams

import (
	"errors"
	"math"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// This file is the Go side of "Using streams in other specifications"
// (https://streams.spec.whatwg.org/#other-specs): other
// bindings create streams whose underlying source or sink is Go code. Everything here
// must be called on the goroutine that runs the realm's runtime (the event loop's), as
// must the functions of Source and Sink, which the streams call there.

// ErrNotReadable is returned by ReadableController.Enqueue when the stream can take no
// more chunks: it is closed, errored, or its close was requested.
var ErrNotReadable = errors.New("streams: the readable stream can take no more chunks")

// Source is an underlying source written in Go, for NewReadableStream (the
// pullAlgorithm, cancelAlgorithm, highWaterMark and sizeAlgorithm of "set up a
// ReadableStream", https://streams.spec.whatwg.org/#readablestream-set-up).
type Source struct {
	// Pull is called when the stream wants more chunks: when a read is waiting or the
	// queue is below the high water mark. It may enqueue chunks now or later. It
	// returns nil or undefined when it is done, or a promise (of the realm) the
	// stream waits for before calling Pull again; a rejected promise, or a
	// JavaScript exception thrown by panicking as goja native functions do, errors
	// the stream. Nil means the stream never pulls: the Go code pushes chunks.
	Pull func(c *ReadableController) goja.Value
	// Cancel is called once when the consumer cancels the stream, with the reason it
	// gave. It returns nil, undefined or a promise, as Pull does; the cancel() promise
	// follows it. Nil means nothing needs doing.
	Cancel func(c *ReadableController, reason goja.Value) goja.Value
	// HighWaterMark is the number of chunks (or, with Size, the total size) the
	// stream queues before it stops pulling. Zero means 1, the standard's default,
	// or 0 bytes for a byte stream. It must not be negative or NaN.
	HighWaterMark float64
	// Size measures a chunk for the high water mark. Nil counts chunks. A byte
	// stream counts bytes and must have no Size.
	Size func(chunk goja.Value) float64
	// Bytes makes a readable byte stream ("set up with byte reading support",
	// https://streams.spec.whatwg.org/#readablestream-set-up-with-byte-reading-support),
	// which can be read with a BYOB reader: its chunks must be ArrayBufferViews,
	// whose buffers Enqueue transfers (detaches), and readers get Uint8Arrays.
	Bytes bool
}

// ReadableController controls a ReadableStream created by NewReadableStream.
type ReadableController struct {
	b  *binding
	c  *readableController // of a default stream
	bc *byteController     // of a byte stream
}

// NewReadableStream creates a ReadableStream of r (Register must have been called)
// whose underlying source is src, and returns it with its controller.
func NewReadableStream(r *webidl.Realm, src Source) (*goja.Object, *ReadableController, error) {
	b, err := bindingOf(r)
	if err != nil {
		return nil, nil, err
	}
	hwm := src.HighWaterMark
	if hwm == 0 && !src.Bytes {
		hwm = 1
	}
	if math.IsNaN(hwm) || hwm < 0 {
		return nil, nil, errors.New("streams: Source.HighWaterMark must be a non-negative number")
	}
	if src.Bytes && src.Size != nil {
		return nil, nil, errors.New("streams: a byte stream's Source has no Size")
	}
	rc := &ReadableController{b: b}
	var obj *goja.Object
	err = b.run(func() {
		// Steps 1-3: the wrappers turn exceptions and plain results into promises.
		pull := func() *goja.Object {
			if src.Pull == nil {
				return b.resolvedPromise(goja.Undefined()).obj
			}
			return b.callGo(func() goja.Value { return src.Pull(rc) })
		}
		cancel := func(reason goja.Value) *goja.Object {
			if src.Cancel == nil {
				return b.resolvedPromise(goja.Undefined()).obj
			}
			return b.callGo(func() goja.Value { return src.Cancel(rc, reason) })
		}
		start := func() goja.Value { return goja.Undefined() }
		s := b.initializeReadableStream()
		if src.Bytes {
			// Steps 4-6 of set up with byte reading support.
			rc.bc = &byteController{}
			rc.bc.setUp(s, start, pull, cancel, hwm, 0)
			obj = b.newReadableObject(s)
			return
		}
		// Step 4.
		size := countOne
		if src.Size != nil {
			size = func(chunk goja.Value) (float64, goja.Value) { return src.Size(chunk), nil }
		}
		// Steps 5-7.
		rc.c = &readableController{}
		rc.c.setUp(s, start, pull, cancel, hwm, size)
		obj = b.newReadableObject(s)
	})
	if err != nil {
		return nil, nil, err
	}
	return obj, rc, nil
}

// callGo runs a Go algorithm of another binding: a JavaScript exception it throws
// becomes a rejected promise, and a result that is not a promise a promise resolved
// with undefined (https://streams.spec.whatwg.org/#other-specs-rs-create).
func (b *binding) callGo(f func() goja.Value) *goja.Object {
	var result goja.Value
	if ex := b.vm.Try(func() { result = f() }); ex != nil {
		return b.rejectedPromise(ex.Value()).obj
	}
	if o, ok := result.(*goja.Object); ok {
		if _, isPromise := o.Export().(*goja.Promise); isPromise {
			return o
		}
	}
	return b.resolvedPromise(goja.Undefined()).obj
}

// Enqueue queues chunk into the stream, or hands it to a waiting read ("enqueue",
// https://streams.spec.whatwg.org/#readablestream-enqueue). It returns ErrNotReadable
// once the stream cannot take chunks, and the RangeError (as a *goja.Exception) of a
// Size that returned a negative, NaN or infinite size, which also errors the stream.
// For a byte stream, chunk must be an ArrayBufferView: its bytes fill a pending BYOB
// read or wait in the queue, and its buffer is detached; the TypeError of anything
// else is returned.
func (rc *ReadableController) Enqueue(chunk goja.Value) error {
	if rc.bc != nil {
		return rc.enqueueBytes(chunk)
	}
	if !rc.c.canCloseOrEnqueue() {
		return ErrNotReadable
	}
	var exc goja.Value
	err := rc.b.run(func() { exc = rc.c.enqueue(orUndefined(chunk)) })
	if err != nil {
		return err
	}
	if exc != nil {
		return rc.b.exception(exc)
	}
	return nil
}

// Close closes the stream ("close",
// https://streams.spec.whatwg.org/#readablestream-close): reads return the queued
// chunks, then done. It does nothing if the stream is closed, errored or closing.
func (rc *ReadableController) Close() {
	if c := rc.bc; c != nil {
		_ = rc.b.run(func() {
			c.close()
			if len(c.pendingPullIntos) > 0 {
				c.respond(0)
			}
		})
		return
	}
	_ = rc.b.run(rc.c.close)
}

// Error errors the stream with e ("error",
// https://streams.spec.whatwg.org/#readablestream-error): queued chunks are dropped and
// reads reject with e. It does nothing unless the stream is readable.
func (rc *ReadableController) Error(e goja.Value) {
	if rc.bc != nil {
		_ = rc.b.run(func() { rc.bc.error(orUndefined(e)) })
		return
	}
	_ = rc.b.run(func() { rc.c.error(orUndefined(e)) })
}

// DesiredSize is the desired size to fill up to the high water mark
// (https://streams.spec.whatwg.org/#other-specs-rs-create): the high water mark minus
// the size of the queue, and 0 once the stream is not readable.
func (rc *ReadableController) DesiredSize() float64 {
	if rc.bc != nil {
		if rc.bc.stream.state != rsReadable {
			return 0
		}
		d, _ := rc.bc.desiredSize()
		return d
	}
	if rc.c.stream.state != rsReadable {
		return 0
	}
	d, _ := rc.c.desiredSize()
	return d
}

// enqueueBytes is "enqueue" (https://streams.spec.whatwg.org/#readablestream-enqueue)
// for a byte stream: a chunk that is the current BYOB request view's memory answers
// the request, any other is enqueued.
func (rc *ReadableController) enqueueBytes(chunk goja.Value) error {
	c := rc.bc
	if c.closeRequested || c.stream.state != rsReadable {
		return ErrNotReadable
	}
	return rc.b.run(func() {
		b := rc.b
		view := b.toView(orUndefined(chunk))
		// Steps 2.3-2.5: the current BYOB request view.
		c.getBYOBRequest()
		if req := c.byobRequest; req != nil && b.viewOf(req.view).buffer == view.buffer {
			c.respond(view.byteLength)
			return
		}
		c.enqueue(view)
	})
}

// exception wraps a thrown JavaScript value as a Go error.
func (b *binding) exception(v goja.Value) error {
	var err error
	if ex := b.vm.Try(func() { panic(v) }); ex != nil {
		err = ex
	}
	return err
}

// Sink is an underlying sink written in Go, for NewWritableStream (the writeAlgorithm,
// closeAlgorithm, abortAlgorithm, highWaterMark and sizeAlgorithm of "set up a
// WritableStream", https://streams.spec.whatwg.org/#writablestream-set-up).
type Sink struct {
	// Write writes a chunk. The stream calls it for one chunk at a time, after the
	// previous write has settled. It returns nil or undefined when the chunk is
	// written, or a promise (of the realm) that fulfills when it is; a rejected
	// promise, or a JavaScript exception thrown by panicking, errors the stream.
	// Write must not keep chunk's contents for later without copying them: script
	// may change them once the write has settled.
	Write func(c *WritableController, chunk goja.Value) goja.Value
	// Close is called once every chunk is written and the producer closed the stream.
	// It returns as Write does. Nil means nothing needs doing.
	Close func(c *WritableController) goja.Value
	// Abort is called once when the producer aborts the stream, with its reason,
	// instead of any further Write or Close. It returns as Write does. Nil means
	// nothing needs doing.
	Abort func(c *WritableController, reason goja.Value) goja.Value
	// HighWaterMark is the number of chunks (or, with Size, the total size) queued
	// before writers see backpressure. Zero means 1, the standard's default. It must
	// not be negative or NaN.
	HighWaterMark float64
	// Size measures a chunk for the high water mark. Nil counts chunks.
	Size func(chunk goja.Value) float64
}

// WritableController controls a WritableStream created by NewWritableStream.
type WritableController struct {
	b *binding
	c *writableController
}

// NewWritableStream creates a WritableStream of r (Register must have been called)
// whose underlying sink is sink, and returns it with its controller. sink.Write must
// not be nil.
func NewWritableStream(r *webidl.Realm, sink Sink) (*goja.Object, *WritableController, error) {
	b, err := bindingOf(r)
	if err != nil {
		return nil, nil, err
	}
	if sink.Write == nil {
		return nil, nil, errors.New("streams: Sink.Write is nil")
	}
	hwm := sink.HighWaterMark
	if hwm == 0 {
		hwm = 1
	}
	if math.IsNaN(hwm) || hwm < 0 {
		return nil, nil, errors.New("streams: Sink.HighWaterMark must be a non-negative number")
	}
	wc := &WritableController{b: b}
	var obj *goja.Object
	err = b.run(func() {
		write := func(chunk goja.Value) *goja.Object {
			return b.callGo(func() goja.Value { return sink.Write(wc, chunk) })
		}
		// Steps 1-3.
		closeAlgo := func() *goja.Object {
			if sink.Close == nil {
				return b.resolvedPromise(goja.Undefined()).obj
			}
			return b.callGo(func() goja.Value { return sink.Close(wc) })
		}
		abort := func(reason goja.Value) *goja.Object {
			if sink.Abort == nil {
				return b.resolvedPromise(goja.Undefined()).obj
			}
			return b.callGo(func() goja.Value { return sink.Abort(wc, reason) })
		}
		// Step 4.
		size := countOne
		if sink.Size != nil {
			size = func(chunk goja.Value) (float64, goja.Value) { return sink.Size(chunk), nil }
		}
		// Steps 5-7.
		s := b.initializeWritableStream()
		wc.c = &writableController{}
		wc.c.setUp(s, func() goja.Value { return goja.Undefined() }, write, closeAlgo, abort, hwm, size)
		obj = b.newWritableObject(s)
	})
	if err != nil {
		return nil, nil, err
	}
	return obj, wc, nil
}

// Error errors the stream with e ("error",
// https://streams.spec.whatwg.org/#writablestream-error), if it is still writable:
// pending and later writes reject with e.
func (wc *WritableController) Error(e goja.Value) {
	_ = wc.b.run(func() { wc.c.errorIfNeeded(orUndefined(e)) })
}

// Signal returns the stream's AbortSignal ("signal",
// https://streams.spec.whatwg.org/#other-specs-ws-creation), which is aborted, with the
// abort reason, as soon as the producer aborts the stream: a long write can watch it to
// stop early.
func (wc *WritableController) Signal() *goja.Object { return wc.c.signalObj }

// Aborted reports whether the stream's signal is aborted.
func (wc *WritableController) Aborted() bool {
	return wc.c.signalImpl != nil && wc.c.signalImpl.Aborted()
}

// ReadableState reports whether v is a ReadableStream of r and, if it is, whether it is
// disturbed ([[disturbed]], https://streams.spec.whatwg.org/#rs-internal-slots) and
// locked (IsReadableStreamLocked,
// https://streams.spec.whatwg.org/#is-readable-stream-locked), which other
// specifications ask about their streams (the Fetch Standard's Body mixin is "unusable"
// when its stream is either).
func ReadableState(r *webidl.Realm, v goja.Value) (disturbed, locked, ok bool) {
	impl, ok := r.Impl(v, "ReadableStream")
	if !ok {
		return false, false, false
	}
	s := impl.(*readableStream)
	return s.disturbed, s.locked(), true
}
