package streams

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// setUpByteControllerFromSource is
// SetUpReadableByteStreamControllerFromUnderlyingSource
// (https://streams.spec.whatwg.org/#set-up-readable-byte-stream-controller-from-underlying-source).
func (b *binding) setUpByteControllerFromSource(s *readableStream, sourceObj goja.Value, src *underlyingSource, hwm float64) {
	// Step 1.
	c := &byteController{}
	ctrlObj := b.r.New("ReadableByteStreamController", c)
	// Steps 2-7.
	start, pull, cancel := b.sourceAlgorithms(sourceObj, src, ctrlObj)
	// Steps 8-9.
	if src.hasAutoAllocate && src.autoAllocateChunkSize == 0 {
		b.r.ThrowTypeError("autoAllocateChunkSize must be greater than 0")
	}
	// Step 10.
	c.setUp(s, start, pull, cancel, hwm, int64(src.autoAllocateChunkSize))
}

func (b *binding) byteControllerInterface() *webidl.Interface {
	impl := func(c webidl.Call) *byteController { return c.Impl.(*byteController) }
	return &webidl.Interface{
		Name: "ReadableByteStreamController",
		Attributes: []webidl.Attribute{
			// The byobRequest getter
			// (https://streams.spec.whatwg.org/#rbs-controller-byob-request).
			{Name: "byobRequest", Get: func(c webidl.Call) goja.Value {
				if o := impl(c).getBYOBRequest(); o != nil {
					return o
				}
				return goja.Null()
			}},
			// The desiredSize getter
			// (https://streams.spec.whatwg.org/#rbs-controller-desired-size).
			{Name: "desiredSize", Get: func(c webidl.Call) goja.Value {
				d, ok := impl(c).desiredSize()
				if !ok {
					return goja.Null()
				}
				return b.vm.ToValue(d)
			}},
		},
		Operations: []webidl.Operation{
			// close() (https://streams.spec.whatwg.org/#rbs-controller-close).
			{Name: "close", Length: 0, Func: func(c webidl.Call) goja.Value {
				ctrl := impl(c)
				if ctrl.closeRequested {
					b.r.ThrowTypeError("The stream is already closing")
				}
				if ctrl.stream.state != rsReadable {
					b.r.ThrowTypeError("The stream is not in a state that permits close")
				}
				ctrl.close()
				return nil
			}},
			// enqueue(chunk) (https://streams.spec.whatwg.org/#rbs-controller-enqueue).
			{Name: "enqueue", Length: 1, Func: func(c webidl.Call) goja.Value {
				if len(c.Args) < 1 {
					b.r.ThrowTypeError("Failed to execute 'enqueue' on 'ReadableByteStreamController': 1 argument required, but only 0 present.")
				}
				chunk := b.toView(c.Arg(0))
				ctrl := impl(c)
				if chunk.byteLength == 0 {
					b.r.ThrowTypeError("The chunk's byteLength must not be 0")
				}
				if b.bufferByteLength(chunk.buffer) == 0 {
					b.r.ThrowTypeError("The chunk's buffer's byteLength must not be 0")
				}
				if ctrl.closeRequested {
					b.r.ThrowTypeError("The stream is closing")
				}
				if ctrl.stream.state != rsReadable {
					b.r.ThrowTypeError("The stream is not in a state that permits enqueue")
				}
				ctrl.enqueue(chunk)
				return nil
			}},
			// error(e) (https://streams.spec.whatwg.org/#rbs-controller-error).
			{Name: "error", Length: 0, Func: func(c webidl.Call) goja.Value {
				impl(c).error(c.Arg(0))
				return nil
			}},
		},
	}
}

func (b *binding) byobRequestInterface() *webidl.Interface {
	impl := func(c webidl.Call) *byobRequest { return c.Impl.(*byobRequest) }
	return &webidl.Interface{
		Name: "ReadableStreamBYOBRequest",
		Attributes: []webidl.Attribute{
			// The view getter (https://streams.spec.whatwg.org/#rs-byob-request-view).
			{Name: "view", Get: func(c webidl.Call) goja.Value {
				if v := impl(c).view; v != nil {
					return v
				}
				return goja.Null()
			}},
		},
		Operations: []webidl.Operation{
			// respond(bytesWritten)
			// (https://streams.spec.whatwg.org/#rs-byob-request-respond).
			{Name: "respond", Length: 1, Func: func(c webidl.Call) goja.Value {
				if len(c.Args) < 1 {
					b.r.ThrowTypeError("Failed to execute 'respond' on 'ReadableStreamBYOBRequest': 1 argument required, but only 0 present.")
				}
				n := b.r.ToUnsignedLongLong(c.Arg(0), webidl.EnforceRange)
				req := impl(c)
				// Steps 1-2.
				if req.controller == nil {
					b.r.ThrowTypeError("This BYOB request has been invalidated")
				}
				if isDetached(b.viewOf(req.view).buffer) {
					b.r.ThrowTypeError("The BYOB request's buffer is detached")
				}
				// Step 5.
				req.controller.respond(int64(n))
				return nil
			}},
			// respondWithNewView(view)
			// (https://streams.spec.whatwg.org/#rs-byob-request-respond-with-new-view).
			{Name: "respondWithNewView", Length: 1, Func: func(c webidl.Call) goja.Value {
				if len(c.Args) < 1 {
					b.r.ThrowTypeError("Failed to execute 'respondWithNewView' on 'ReadableStreamBYOBRequest': 1 argument required, but only 0 present.")
				}
				view := b.toView(c.Arg(0))
				req := impl(c)
				// Steps 1-2.
				if req.controller == nil {
					b.r.ThrowTypeError("This BYOB request has been invalidated")
				}
				if isDetached(view.buffer) {
					b.r.ThrowTypeError("The view's buffer is detached")
				}
				// Step 3.
				req.controller.respondWithNewView(view)
				return nil
			}},
		},
	}
}

// byobReadOptions holds ReadableStreamBYOBReaderReadOptions
// (https://streams.spec.whatwg.org/#byob-reader-class-definition).
type byobReadOptions struct{ min uint64 }

var byobReadOptionsDict = &webidl.Dictionary[byobReadOptions]{
	Name: "ReadableStreamBYOBReaderReadOptions",
	Members: []webidl.DictionaryMember[byobReadOptions]{
		{Name: "min", Convert: func(r *webidl.Realm, v goja.Value, out *byobReadOptions) {
			out.min = r.ToUnsignedLongLong(v, webidl.EnforceRange)
		}},
	},
}

// promiseReadIntoRequest is the read-into request of read(view, options)
// (https://streams.spec.whatwg.org/#byob-reader-read).
type promiseReadIntoRequest struct {
	b *binding
	p *promise
}

func (q promiseReadIntoRequest) chunkSteps(chunk goja.Value) {
	q.p.resolve(q.b.readResult(chunk, false))
}
func (q promiseReadIntoRequest) closeSteps(chunk goja.Value) {
	q.p.resolve(q.b.readResult(chunk, true))
}
func (q promiseReadIntoRequest) errorSteps(e goja.Value) { q.p.reject(e) }

func (b *binding) byobReaderInterface() *webidl.Interface {
	newReader := func() reader { return &byobReader{} }
	// read(view, options) (https://streams.spec.whatwg.org/#byob-reader-read).
	read := b.promiseOp("ReadableStreamBYOBReader", "read", 1, func(c webidl.Call) goja.Value {
		return b.byobRead(c.Impl.(*byobReader), c.Arg(0), c.Arg(1))
	})
	return b.readerInterface("ReadableStreamBYOBReader", newReader, read)
}

// byobRead runs the read(view, options) method steps
// (https://streams.spec.whatwg.org/#byob-reader-read).
func (b *binding) byobRead(rd *byobReader, viewArg, optionsArg goja.Value) goja.Value {
	view := b.toView(viewArg)
	opts := byobReadOptions{min: 1}
	webidl.ToDictionary(b.r, optionsArg, byobReadOptionsDict, &opts)
	reject := func(e goja.Value) goja.Value { return b.rejectedPromise(e).obj }
	// Steps 1-4.
	switch {
	case view.byteLength == 0:
		return reject(b.newTypeError("The view's byteLength must not be 0"))
	case b.bufferByteLength(view.buffer) == 0:
		return reject(b.newTypeError("The view's buffer's byteLength must not be 0"))
	case isDetached(view.buffer):
		return reject(b.newTypeError("The view's buffer is detached"))
	case opts.min == 0:
		return reject(b.newTypeError("min must be greater than 0"))
	}
	// Steps 5-6.
	if opts.min > uint64(view.length) {
		return reject(b.r.NewRangeError("min is larger than the view"))
	}
	// Step 7.
	if rd.stream == nil {
		return reject(b.newTypeError("The reader has been released"))
	}
	// Steps 8-11.
	p := b.newPromise()
	rd.read(view, int64(opts.min), promiseReadIntoRequest{b: b, p: p})
	return p.obj
}
