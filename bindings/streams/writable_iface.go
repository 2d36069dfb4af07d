package streams

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// underlyingSink holds the UnderlyingSink dictionary
// (https://streams.spec.whatwg.org/#underlying-sink-api).
type underlyingSink struct {
	start, write, close, abort *webidl.CallbackFunction
	hasType                    bool
}

var underlyingSinkDict = &webidl.Dictionary[underlyingSink]{
	Name: "UnderlyingSink",
	Members: []webidl.DictionaryMember[underlyingSink]{
		{Name: "abort", Convert: func(r *webidl.Realm, v goja.Value, out *underlyingSink) { out.abort = r.ToCallbackFunction(v) }},
		{Name: "close", Convert: func(r *webidl.Realm, v goja.Value, out *underlyingSink) { out.close = r.ToCallbackFunction(v) }},
		{Name: "start", Convert: func(r *webidl.Realm, v goja.Value, out *underlyingSink) { out.start = r.ToCallbackFunction(v) }},
		// type is any; a member whose value is undefined is not present.
		{Name: "type", Convert: func(r *webidl.Realm, v goja.Value, out *underlyingSink) { out.hasType = true }},
		{Name: "write", Convert: func(r *webidl.Realm, v goja.Value, out *underlyingSink) { out.write = r.ToCallbackFunction(v) }},
	},
}

// constructWritable runs the new WritableStream(underlyingSink, strategy) constructor
// steps (https://streams.spec.whatwg.org/#ws-constructor).
func (b *binding) constructWritable(c webidl.Call) *writableStream {
	r := b.r
	var sinkObj goja.Value = goja.Null()
	if v := c.Arg(0); !goja.IsUndefined(v) {
		sinkObj = r.ToObject(v)
	}
	var strategy queuingStrategy
	webidl.ToDictionary(r, c.Arg(1), queuingStrategyDict, &strategy)
	// Steps 1-2.
	var sink underlyingSink
	webidl.ToDictionary(r, sinkObj, underlyingSinkDict, &sink)
	// Step 3.
	if sink.hasType {
		r.ThrowRangeError("Invalid type is specified")
	}
	// Steps 4-7.
	s := b.initializeWritableStream()
	size := b.extractSizeAlgorithm(&strategy)
	hwm := b.extractHighWaterMark(&strategy, 1)
	b.setUpControllerFromSink(s, sinkObj, &sink, hwm, size)
	return s
}

// setUpControllerFromSink is SetUpWritableStreamDefaultControllerFromUnderlyingSink
// (https://streams.spec.whatwg.org/#set-up-writable-stream-default-controller-from-underlying-sink).
func (b *binding) setUpControllerFromSink(s *writableStream, sinkObj goja.Value, sink *underlyingSink, hwm float64, size sizeAlgorithm) {
	// Step 1.
	c := &writableController{}
	ctrlObj := b.r.New("WritableStreamDefaultController", c)
	// Steps 2-5.
	start := func() goja.Value { return goja.Undefined() }
	write := func(goja.Value) *goja.Object { return b.resolvedPromise(goja.Undefined()).obj }
	closeAlgo := func() *goja.Object { return b.resolvedPromise(goja.Undefined()).obj }
	abort := func(goja.Value) *goja.Object { return b.resolvedPromise(goja.Undefined()).obj }
	// Steps 6-9.
	if cb := sink.start; cb != nil {
		start = func() goja.Value { return invokeRethrow(cb, sinkObj, ctrlObj) }
	}
	if cb := sink.write; cb != nil {
		write = func(chunk goja.Value) *goja.Object { return b.invokeForPromise(cb, sinkObj, chunk, ctrlObj) }
	}
	if cb := sink.close; cb != nil {
		closeAlgo = func() *goja.Object { return b.invokeForPromise(cb, sinkObj) }
	}
	if cb := sink.abort; cb != nil {
		abort = func(reason goja.Value) *goja.Object { return b.invokeForPromise(cb, sinkObj, reason) }
	}
	// Step 10.
	c.setUp(s, start, write, closeAlgo, abort, hwm, size)
}

func (b *binding) writableStreamInterface() *webidl.Interface {
	impl := func(c webidl.Call) *writableStream { return c.Impl.(*writableStream) }
	const name = "WritableStream"
	return &webidl.Interface{
		Name:        name,
		Length:      0,
		Constructor: func(c webidl.Call) any { return b.constructWritable(c) },
		Attributes: []webidl.Attribute{
			// The locked getter (https://streams.spec.whatwg.org/#ws-locked).
			{Name: "locked", Get: func(c webidl.Call) goja.Value { return b.vm.ToValue(impl(c).locked()) }},
		},
		Operations: []webidl.Operation{
			// abort(reason) (https://streams.spec.whatwg.org/#ws-abort).
			b.promiseOp(name, "abort", 0, func(c webidl.Call) goja.Value {
				s := impl(c)
				if s.locked() {
					return b.rejectedPromise(b.newTypeError("Cannot abort a locked WritableStream")).obj
				}
				return s.abort(c.Arg(0))
			}),
			// close() (https://streams.spec.whatwg.org/#ws-close).
			b.promiseOp(name, "close", 0, func(c webidl.Call) goja.Value {
				s := impl(c)
				if s.locked() {
					return b.rejectedPromise(b.newTypeError("Cannot close a locked WritableStream")).obj
				}
				if s.closeQueuedOrInFlight() {
					return b.rejectedPromise(b.newTypeError("The stream is already closing")).obj
				}
				return s.close()
			}),
			// getWriter() (https://streams.spec.whatwg.org/#ws-get-writer).
			{Name: "getWriter", Length: 0, Func: func(c webidl.Call) goja.Value {
				return b.newWriterObject(impl(c).acquireWriter())
			}},
		},
	}
}

// newWritableObject creates the WritableStream object for s.
func (b *binding) newWritableObject(s *writableStream) *goja.Object {
	return b.r.New("WritableStream", s)
}

// newWriterObject creates the WritableStreamDefaultWriter object for w.
func (b *binding) newWriterObject(w *writer) *goja.Object {
	return b.r.New("WritableStreamDefaultWriter", w)
}

func (b *binding) writerInterface() *webidl.Interface {
	impl := func(c webidl.Call) *writer { return c.Impl.(*writer) }
	const name = "WritableStreamDefaultWriter"
	released := func() goja.Value {
		return b.rejectedPromise(b.newTypeError("The writer has been released")).obj
	}
	return &webidl.Interface{
		Name:   name,
		Length: 1,
		// new WritableStreamDefaultWriter(stream)
		// (https://streams.spec.whatwg.org/#default-writer-constructor).
		Constructor: func(c webidl.Call) any {
			s := b.r.ToInterface(c.Arg(0), "WritableStream").(*writableStream)
			w := &writer{}
			w.setUp(s)
			return w
		},
		Attributes: []webidl.Attribute{
			b.promiseAttr(name, "closed", func(c webidl.Call) goja.Value { return impl(c).closed.obj }),
			{Name: "desiredSize", Get: func(c webidl.Call) goja.Value {
				w := impl(c)
				if w.stream == nil {
					b.r.ThrowTypeError("The writer has been released")
				}
				d, ok := w.desiredSize()
				if !ok {
					return goja.Null()
				}
				return b.vm.ToValue(d)
			}},
			b.promiseAttr(name, "ready", func(c webidl.Call) goja.Value { return impl(c).ready.obj }),
		},
		Operations: []webidl.Operation{
			b.promiseOp(name, "abort", 0, func(c webidl.Call) goja.Value {
				w := impl(c)
				if w.stream == nil {
					return released()
				}
				return w.abort(c.Arg(0))
			}),
			b.promiseOp(name, "close", 0, func(c webidl.Call) goja.Value {
				w := impl(c)
				if w.stream == nil {
					return released()
				}
				if w.stream.closeQueuedOrInFlight() {
					return b.rejectedPromise(b.newTypeError("The stream is already closing")).obj
				}
				return w.close()
			}),
			{Name: "releaseLock", Length: 0, Func: func(c webidl.Call) goja.Value {
				if w := impl(c); w.stream != nil {
					w.release()
				}
				return nil
			}},
			b.promiseOp(name, "write", 0, func(c webidl.Call) goja.Value {
				w := impl(c)
				if w.stream == nil {
					return released()
				}
				return w.write(c.Arg(0))
			}),
		},
	}
}

func (b *binding) writableControllerInterface() *webidl.Interface {
	impl := func(c webidl.Call) *writableController { return c.Impl.(*writableController) }
	return &webidl.Interface{
		Name: "WritableStreamDefaultController",
		Attributes: []webidl.Attribute{
			// The signal getter
			// (https://streams.spec.whatwg.org/#ws-default-controller-signal).
			{Name: "signal", Get: func(c webidl.Call) goja.Value { return impl(c).signalObj }},
		},
		Operations: []webidl.Operation{
			// error(e) (https://streams.spec.whatwg.org/#ws-default-controller-error).
			{Name: "error", Length: 0, Func: func(c webidl.Call) goja.Value {
				ctrl := impl(c)
				if ctrl.stream.state != wsWritable {
					return nil
				}
				ctrl.error(c.Arg(0))
				return nil
			}},
		},
	}
}
