package streams

import (
	"math"

	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// underlyingSource holds the UnderlyingSource dictionary
// (https://streams.spec.whatwg.org/#underlying-source-api).
type underlyingSource struct {
	start, pull, cancel   *webidl.CallbackFunction
	typ                   string
	hasType               bool
	autoAllocateChunkSize uint64
	hasAutoAllocate       bool
}

var underlyingSourceDict = &webidl.Dictionary[underlyingSource]{
	Name: "UnderlyingSource",
	Members: []webidl.DictionaryMember[underlyingSource]{
		{Name: "autoAllocateChunkSize", Convert: func(r *webidl.Realm, v goja.Value, out *underlyingSource) {
			out.autoAllocateChunkSize, out.hasAutoAllocate = r.ToUnsignedLongLong(v, webidl.EnforceRange), true
		}},
		{Name: "cancel", Convert: func(r *webidl.Realm, v goja.Value, out *underlyingSource) { out.cancel = r.ToCallbackFunction(v) }},
		{Name: "pull", Convert: func(r *webidl.Realm, v goja.Value, out *underlyingSource) { out.pull = r.ToCallbackFunction(v) }},
		{Name: "start", Convert: func(r *webidl.Realm, v goja.Value, out *underlyingSource) { out.start = r.ToCallbackFunction(v) }},
		{Name: "type", Convert: func(r *webidl.Realm, v goja.Value, out *underlyingSource) {
			out.typ, out.hasType = r.ToEnum(v, "ReadableStreamType", "bytes"), true
		}},
	},
}

// queuingStrategy holds the QueuingStrategy dictionary
// (https://streams.spec.whatwg.org/#qs-api).
type queuingStrategy struct {
	hwm    float64
	hasHWM bool
	size   *webidl.CallbackFunction
}

var queuingStrategyDict = &webidl.Dictionary[queuingStrategy]{
	Name: "QueuingStrategy",
	Members: []webidl.DictionaryMember[queuingStrategy]{
		{Name: "highWaterMark", Convert: func(r *webidl.Realm, v goja.Value, out *queuingStrategy) {
			out.hwm, out.hasHWM = r.ToUnrestrictedDouble(v), true
		}},
		{Name: "size", Convert: func(r *webidl.Realm, v goja.Value, out *queuingStrategy) { out.size = r.ToCallbackFunction(v) }},
	},
}

// getReaderOptions holds ReadableStreamGetReaderOptions
// (https://streams.spec.whatwg.org/#rs-class-definition).
type getReaderOptions struct {
	mode    string
	hasMode bool
}

var getReaderOptionsDict = &webidl.Dictionary[getReaderOptions]{
	Name: "ReadableStreamGetReaderOptions",
	Members: []webidl.DictionaryMember[getReaderOptions]{
		{Name: "mode", Convert: func(r *webidl.Realm, v goja.Value, out *getReaderOptions) {
			out.mode, out.hasMode = r.ToEnum(v, "ReadableStreamReaderMode", "byob"), true
		}},
	},
}

// extractHighWaterMark is ExtractHighWaterMark
// (https://streams.spec.whatwg.org/#validate-and-normalize-high-water-mark).
func (b *binding) extractHighWaterMark(s *queuingStrategy, def float64) float64 {
	// Step 1.
	if !s.hasHWM {
		return def
	}
	// Steps 2-4.
	if math.IsNaN(s.hwm) || s.hwm < 0 {
		b.r.ThrowRangeError("The highWaterMark must be a non-negative number")
	}
	return s.hwm
}

// extractSizeAlgorithm is ExtractSizeAlgorithm
// (https://streams.spec.whatwg.org/#make-size-algorithm-from-size-function).
func (b *binding) extractSizeAlgorithm(s *queuingStrategy) sizeAlgorithm {
	// Step 1.
	if s.size == nil {
		return countOne
	}
	// Step 2: invoke size with « chunk », converting the result to unrestricted double.
	size := s.size
	return func(chunk goja.Value) (n float64, exc goja.Value) {
		v, err := size.Invoke(goja.Undefined(), chunk)
		if err != nil {
			return 0, thrown(err)
		}
		if ex := b.vm.Try(func() { n = b.r.ToUnrestrictedDouble(v) }); ex != nil {
			return 0, ex.Value()
		}
		return n, nil
	}
}

// invokeForPromise invokes a callback function whose return type is a promise type (Web
// IDL "invoke", https://webidl.spec.whatwg.org/#invoke-a-callback-function): an
// exception becomes a rejected promise, and the result is converted to the promise
// type (https://webidl.spec.whatwg.org/#js-promise): a new promise resolved with it,
// which follows a promise it is a tick later than the promise itself would settle.
func (b *binding) invokeForPromise(cb *webidl.CallbackFunction, this goja.Value, args ...goja.Value) *goja.Object {
	var p *goja.Object
	ex := b.vm.Try(func() {
		v, err := cb.Invoke(this, args...)
		if err != nil {
			panic(err)
		}
		p = b.resolvedPromise(v).obj
	})
	if ex != nil {
		return b.rejectedPromise(ex.Value()).obj
	}
	return p
}

// invokeRethrow invokes a callback function whose exception behavior is "rethrow".
func invokeRethrow(cb *webidl.CallbackFunction, this goja.Value, args ...goja.Value) goja.Value {
	v, err := cb.Invoke(this, args...)
	rethrow(err)
	return v
}

// constructReadable runs the new ReadableStream(underlyingSource, strategy) constructor
// steps (https://streams.spec.whatwg.org/#rs-constructor).
func (b *binding) constructReadable(c webidl.Call) *readableStream {
	r := b.r
	// Argument conversion: optional object underlyingSource, QueuingStrategy strategy.
	var sourceObj goja.Value = goja.Null()
	if v := c.Arg(0); !goja.IsUndefined(v) {
		sourceObj = r.ToObject(v)
	}
	var strategy queuingStrategy
	webidl.ToDictionary(r, c.Arg(1), queuingStrategyDict, &strategy)
	// Steps 1-2.
	var src underlyingSource
	webidl.ToDictionary(r, sourceObj, underlyingSourceDict, &src)
	// Step 3.
	s := b.initializeReadableStream()
	// Step 4: byte streams.
	if src.hasType {
		if strategy.size != nil {
			r.ThrowRangeError("A byte stream's queuing strategy cannot have a size function")
		}
		hwm := b.extractHighWaterMark(&strategy, 0)
		b.setUpByteControllerFromSource(s, sourceObj, &src, hwm)
		return s
	}
	// Step 5.
	size := b.extractSizeAlgorithm(&strategy)
	hwm := b.extractHighWaterMark(&strategy, 1)
	b.setUpControllerFromSource(s, sourceObj, &src, hwm, size)
	return s
}

// setUpControllerFromSource is
// SetUpReadableStreamDefaultControllerFromUnderlyingSource
// (https://streams.spec.whatwg.org/#set-up-readable-stream-default-controller-from-underlying-source).
func (b *binding) setUpControllerFromSource(s *readableStream, sourceObj goja.Value, src *underlyingSource, hwm float64, size sizeAlgorithm) {
	// Step 1.
	c := &readableController{}
	ctrlObj := b.r.New("ReadableStreamDefaultController", c)
	// Steps 2-7.
	start, pull, cancel := b.sourceAlgorithms(sourceObj, src, ctrlObj)
	// Step 8.
	c.setUp(s, start, pull, cancel, hwm, size)
}

// sourceAlgorithms runs steps 2-7 of
// SetUpReadableStreamDefaultControllerFromUnderlyingSource and
// SetUpReadableByteStreamControllerFromUnderlyingSource, which are the same:
// the start, pull and cancel algorithms call the methods of the underlying
// source sourceObj (converted into src) that it has, with the controller's
// object ctrlObj; the ones it lacks do nothing.
func (b *binding) sourceAlgorithms(sourceObj goja.Value, src *underlyingSource, ctrlObj *goja.Object) (start func() goja.Value, pull func() *goja.Object, cancel func(goja.Value) *goja.Object) {
	// Steps 2-4.
	start = func() goja.Value { return goja.Undefined() }
	pull = func() *goja.Object { return b.resolvedPromise(goja.Undefined()).obj }
	cancel = func(goja.Value) *goja.Object { return b.resolvedPromise(goja.Undefined()).obj }
	// Steps 5-7.
	if cb := src.start; cb != nil {
		start = func() goja.Value { return invokeRethrow(cb, sourceObj, ctrlObj) }
	}
	if cb := src.pull; cb != nil {
		pull = func() *goja.Object { return b.invokeForPromise(cb, sourceObj, ctrlObj) }
	}
	if cb := src.cancel; cb != nil {
		cancel = func(reason goja.Value) *goja.Object { return b.invokeForPromise(cb, sourceObj, reason) }
	}
	return start, pull, cancel
}

func (b *binding) readableStreamInterface() *webidl.Interface {
	r := b.r
	impl := func(c webidl.Call) *readableStream { return c.Impl.(*readableStream) }
	const name = "ReadableStream"
	return &webidl.Interface{
		Name:        name,
		Length:      0,
		Constructor: func(c webidl.Call) any { return b.constructReadable(c) },
		Attributes: []webidl.Attribute{
			// The locked getter (https://streams.spec.whatwg.org/#rs-locked).
			{Name: "locked", Get: func(c webidl.Call) goja.Value { return b.vm.ToValue(impl(c).locked()) }},
		},
		Operations: []webidl.Operation{
			{Name: "from", Length: 1, Static: true, Func: func(c webidl.Call) goja.Value {
				return b.newReadableObject(b.readableStreamFromIterable(c.Arg(0)))
			}},
			b.promiseOp(name, "cancel", 0, func(c webidl.Call) goja.Value {
				s := impl(c)
				// Step 1.
				if s.locked() {
					return b.rejectedPromise(b.newTypeError("Cannot cancel a locked ReadableStream")).obj
				}
				// Step 2.
				return s.cancel(c.Arg(0))
			}),
			{Name: "getReader", Length: 0, Func: func(c webidl.Call) goja.Value {
				var opts getReaderOptions
				webidl.ToDictionary(r, c.Arg(0), getReaderOptionsDict, &opts)
				s := impl(c)
				// Step 1.
				if !opts.hasMode {
					return b.newReaderObject(s.acquireDefaultReader())
				}
				// Steps 2-3.
				return b.r.New("ReadableStreamBYOBReader", s.acquireBYOBReader())
			}},
			{Name: "pipeThrough", Length: 1, Func: func(c webidl.Call) goja.Value {
				return b.pipeThroughMethod(c, impl(c))
			}},
			b.promiseOp(name, "pipeTo", 1, func(c webidl.Call) goja.Value {
				return b.pipeToMethod(c, impl(c))
			}),
			{Name: "tee", Length: 0, Func: func(c webidl.Call) goja.Value {
				// ReadableStreamTee(this, false)
				// (https://streams.spec.whatwg.org/#rs-tee,
				// https://streams.spec.whatwg.org/#readable-stream-tee).
				s := impl(c)
				var b1, b2 *readableStream
				if s.byteCtrl != nil {
					b1, b2 = s.byteTee()
				} else {
					b1, b2 = s.defaultTee()
				}
				return b.vm.NewArray(b.newReadableObject(b1), b.newReadableObject(b2))
			}},
		},
	}
}

// newReadableObject creates the ReadableStream object for s.
func (b *binding) newReadableObject(s *readableStream) *goja.Object {
	return b.r.New("ReadableStream", s)
}

// newReaderObject creates the ReadableStreamDefaultReader object for rd.
func (b *binding) newReaderObject(rd *defaultReader) *goja.Object {
	return b.r.New("ReadableStreamDefaultReader", rd)
}

// promiseReadRequest is the read request of read()
// (https://streams.spec.whatwg.org/#default-reader-read): it settles a promise with a
// ReadableStreamReadResult.
type promiseReadRequest struct {
	b *binding
	p *promise
}

func (q promiseReadRequest) chunkSteps(chunk goja.Value) { q.p.resolve(q.b.readResult(chunk, false)) }
func (q promiseReadRequest) closeSteps()                 { q.p.resolve(q.b.readResult(goja.Undefined(), true)) }
func (q promiseReadRequest) errorSteps(e goja.Value)     { q.p.reject(e) }

func (b *binding) defaultReaderInterface() *webidl.Interface {
	newReader := func() reader { return &defaultReader{} }
	// read() (https://streams.spec.whatwg.org/#default-reader-read).
	read := b.promiseOp("ReadableStreamDefaultReader", "read", 0, func(c webidl.Call) goja.Value {
		rd := c.Impl.(*defaultReader)
		// Step 1.
		if rd.stream == nil {
			return b.rejectedPromise(b.newTypeError("The reader has been released")).obj
		}
		// Steps 2-5.
		p := b.newPromise()
		rd.read(promiseReadRequest{b: b, p: p})
		return p.obj
	})
	return b.readerInterface("ReadableStreamDefaultReader", newReader, read)
}

func (b *binding) defaultControllerInterface() *webidl.Interface {
	impl := func(c webidl.Call) *readableController { return c.Impl.(*readableController) }
	return &webidl.Interface{
		Name: "ReadableStreamDefaultController",
		Attributes: []webidl.Attribute{
			// The desiredSize getter
			// (https://streams.spec.whatwg.org/#rs-default-controller-desired-size).
			{Name: "desiredSize", Get: func(c webidl.Call) goja.Value {
				d, ok := impl(c).desiredSize()
				if !ok {
					return goja.Null()
				}
				return b.vm.ToValue(d)
			}},
		},
		Operations: []webidl.Operation{
			// close() (https://streams.spec.whatwg.org/#rs-default-controller-close).
			{Name: "close", Length: 0, Func: func(c webidl.Call) goja.Value {
				ctrl := impl(c)
				if !ctrl.canCloseOrEnqueue() {
					b.r.ThrowTypeError("The stream is not in a state that permits close")
				}
				ctrl.close()
				return nil
			}},
			// enqueue(chunk)
			// (https://streams.spec.whatwg.org/#rs-default-controller-enqueue).
			{Name: "enqueue", Length: 0, Func: func(c webidl.Call) goja.Value {
				ctrl := impl(c)
				if !ctrl.canCloseOrEnqueue() {
					b.r.ThrowTypeError("The stream is not in a state that permits enqueue")
				}
				if exc := ctrl.enqueue(c.Arg(0)); exc != nil {
					panic(exc)
				}
				return nil
			}},
			// error(e) (https://streams.spec.whatwg.org/#rs-default-controller-error).
			{Name: "error", Length: 0, Func: func(c webidl.Call) goja.Value {
				impl(c).error(c.Arg(0))
				return nil
			}},
		},
	}
}
