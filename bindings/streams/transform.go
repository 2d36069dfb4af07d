package streams

import (
	"github.com/dop251/goja"

	"github.com/wsjs/wsjs/webidl"
)

// transformStream holds the internal slots of a TransformStream
// (https://streams.spec.whatwg.org/#ts-internal-slots). It keeps the JavaScript objects
// of its two sides, which its getters return.
type transformStream struct {
	backpressure       bool     // [[backpressure]]
	backpressureChange *promise // [[backpressureChangePromise]]
	ctrl               *transformController
	readable           *readableStream
	writable           *writableStream
	readableObj        *goja.Object
	writableObj        *goja.Object
	detached           bool // [[Detached]], once transferred
}

// transformController holds the internal slots of a TransformStreamDefaultController
// (https://streams.spec.whatwg.org/#ts-default-controller-internal-slots).
type transformController struct {
	cancel    func(reason goja.Value) *goja.Object // [[cancelAlgorithm]]
	finish    *promise                             // [[finishPromise]]
	flush     func() *goja.Object                  // [[flushAlgorithm]]
	stream    *transformStream                     // [[stream]]
	transform func(chunk goja.Value) *goja.Object  // [[transformAlgorithm]]
}

// transformer holds the Transformer dictionary
// (https://streams.spec.whatwg.org/#transformer-api).
type transformer struct {
	start, transform, flush, cancel *webidl.CallbackFunction
	readableType, writableType      bool
}

var transformerDict = &webidl.Dictionary[transformer]{
	Name: "Transformer",
	Members: []webidl.DictionaryMember[transformer]{
		{Name: "cancel", Convert: func(r *webidl.Realm, v goja.Value, out *transformer) { out.cancel = r.ToCallbackFunction(v) }},
		{Name: "flush", Convert: func(r *webidl.Realm, v goja.Value, out *transformer) { out.flush = r.ToCallbackFunction(v) }},
		{Name: "readableType", Convert: func(r *webidl.Realm, v goja.Value, out *transformer) { out.readableType = true }},
		{Name: "start", Convert: func(r *webidl.Realm, v goja.Value, out *transformer) { out.start = r.ToCallbackFunction(v) }},
		{Name: "transform", Convert: func(r *webidl.Realm, v goja.Value, out *transformer) { out.transform = r.ToCallbackFunction(v) }},
		{Name: "writableType", Convert: func(r *webidl.Realm, v goja.Value, out *transformer) { out.writableType = true }},
	},
}

// constructTransform runs the new TransformStream(transformer, writableStrategy,
// readableStrategy) constructor steps.
func (b *binding) constructTransform(c webidl.Call) *transformStream {
	r := b.r
	var tObj goja.Value = goja.Null()
	if v := c.Arg(0); !goja.IsUndefined(v) {
		tObj = r.ToObject(v)
	}
	var writableStrategy, readableStrategy queuingStrategy
	webidl.ToDictionary(r, c.Arg(1), queuingStrategyDict, &writableStrategy)
	webidl.ToDictionary(r, c.Arg(2), queuingStrategyDict, &readableStrategy)
	// Steps 1-2.
	var t transformer
	webidl.ToDictionary(r, tObj, transformerDict, &t)
	// Steps 3-4.
	if t.readableType {
		r.ThrowRangeError("Invalid readableType specified")
	}
	if t.writableType {
		r.ThrowRangeError("Invalid writableType specified")
	}
	// Steps 5-8.
	readableHWM := b.extractHighWaterMark(&readableStrategy, 0)
	readableSize := b.extractSizeAlgorithm(&readableStrategy)
	writableHWM := b.extractHighWaterMark(&writableStrategy, 1)
	writableSize := b.extractSizeAlgorithm(&writableStrategy)
	// Steps 9-10.
	startPromise := b.newPromise()
	ts := &transformStream{}
	b.initializeTransformStream(ts, startPromise, writableHWM, writableSize, readableHWM, readableSize)
	// Step 11.
	ctrlObj := b.setUpTransformControllerFromTransformer(ts, tObj, &t)
	// Steps 12-13.
	if t.start != nil {
		startPromise.resolve(invokeRethrow(t.start, tObj, ctrlObj))
	} else {
		startPromise.resolve(goja.Undefined())
	}
	return ts
}

// initializeTransformStream is InitializeTransformStream.
func (b *binding) initializeTransformStream(ts *transformStream, startPromise *promise, writableHWM float64, writableSize sizeAlgorithm, readableHWM float64, readableSize sizeAlgorithm) {
	// Step 1.
	start := func() goja.Value { return startPromise.obj }
	// Steps 2-5.
	write := func(chunk goja.Value) *goja.Object { return b.transformSinkWrite(ts, chunk) }
	abort := func(reason goja.Value) *goja.Object { return b.transformSinkAbort(ts, reason) }
	closeAlgo := func() *goja.Object { return b.transformSinkClose(ts) }
	ts.writable = b.initializeWritableStream()
	(&writableController{}).setUp(ts.writable, start, write, closeAlgo, abort, writableHWM, writableSize)
	// Steps 6-8.
	pull := func() *goja.Object { return b.transformSourcePull(ts) }
	cancel := func(reason goja.Value) *goja.Object { return b.transformSourceCancel(ts, reason) }
	ts.readable = b.createReadableStream(start, pull, cancel, readableHWM, readableSize)
	// Steps 9-11.
	ts.backpressure, ts.backpressureChange = false, nil
	b.transformSetBackpressure(ts, true)
	ts.ctrl = nil
	ts.readableObj = b.newReadableObject(ts.readable)
	ts.writableObj = b.newWritableObject(ts.writable)
}

// transformError is TransformStreamError.
func (b *binding) transformError(ts *transformStream, e goja.Value) {
	ts.readable.ctrl.error(e)
	b.transformErrorWritableAndUnblockWrite(ts, e)
}

// transformErrorWritableAndUnblockWrite is TransformStreamErrorWritableAndUnblockWrite.
func (b *binding) transformErrorWritableAndUnblockWrite(ts *transformStream, e goja.Value) {
	ts.ctrl.clearAlgorithms()
	ts.writable.ctrl.errorIfNeeded(e)
	b.transformUnblockWrite(ts)
}

// transformSetBackpressure is TransformStreamSetBackpressure.
func (b *binding) transformSetBackpressure(ts *transformStream, backpressure bool) {
	// Steps 2-4.
	if ts.backpressureChange != nil {
		ts.backpressureChange.resolve(goja.Undefined())
	}
	ts.backpressureChange = b.newPromise()
	ts.backpressure = backpressure
}

// transformUnblockWrite is TransformStreamUnblockWrite.
func (b *binding) transformUnblockWrite(ts *transformStream) {
	if ts.backpressure {
		b.transformSetBackpressure(ts, false)
	}
}

// setUpTransformControllerFromTransformer is
// SetUpTransformStreamDefaultControllerFromTransformer. It returns the controller's
// object, for start.
func (b *binding) setUpTransformControllerFromTransformer(ts *transformStream, tObj goja.Value, t *transformer) *goja.Object {
	// Step 1.
	c := &transformController{}
	ctrlObj := b.r.New("TransformStreamDefaultController", c)
	// Steps 2-4.
	transform := func(chunk goja.Value) *goja.Object {
		var exc goja.Value
		if ex := b.vm.Try(func() { c.enqueue(chunk) }); ex != nil {
			exc = ex.Value()
		}
		if exc != nil {
			return b.rejectedPromise(exc).obj
		}
		return b.resolvedPromise(goja.Undefined()).obj
	}
	flush := func() *goja.Object { return b.resolvedPromise(goja.Undefined()).obj }
	cancel := func(goja.Value) *goja.Object { return b.resolvedPromise(goja.Undefined()).obj }
	// Steps 5-7.
	if cb := t.transform; cb != nil {
		transform = func(chunk goja.Value) *goja.Object { return b.invokeForPromise(cb, tObj, chunk, ctrlObj) }
	}
	if cb := t.flush; cb != nil {
		flush = func() *goja.Object { return b.invokeForPromise(cb, tObj, ctrlObj) }
	}
	if cb := t.cancel; cb != nil {
		cancel = func(reason goja.Value) *goja.Object { return b.invokeForPromise(cb, tObj, reason) }
	}
	// Step 8.
	setUpTransformController(ts, c, transform, flush, cancel)
	return ctrlObj
}

// setUpTransformController is SetUpTransformStreamDefaultController.
func setUpTransformController(ts *transformStream, c *transformController, transform func(goja.Value) *goja.Object, flush func() *goja.Object, cancel func(goja.Value) *goja.Object) {
	c.stream = ts
	ts.ctrl = c
	c.transform, c.flush, c.cancel = transform, flush, cancel
}

// clearAlgorithms is TransformStreamDefaultControllerClearAlgorithms.
func (c *transformController) clearAlgorithms() {
	c.transform, c.flush, c.cancel = nil, nil, nil
}

// enqueue is TransformStreamDefaultControllerEnqueue. It throws.
func (c *transformController) enqueue(chunk goja.Value) {
	ts := c.stream
	b := ts.readable.b
	rc := ts.readable.ctrl
	// Step 3.
	if !rc.canCloseOrEnqueue() {
		panic(b.newTypeError("The readable side of the TransformStream cannot take more chunks"))
	}
	// Steps 4-5.
	if exc := rc.enqueue(chunk); exc != nil {
		b.transformErrorWritableAndUnblockWrite(ts, exc)
		panic(ts.readable.storedError)
	}
	// Steps 6-7.
	if bp := rc.hasBackpressure(); bp != ts.backpressure {
		b.transformSetBackpressure(ts, true)
	}
}

// terminate is TransformStreamDefaultControllerTerminate.
func (c *transformController) terminate() {
	ts := c.stream
	b := ts.readable.b
	ts.readable.ctrl.close()
	b.transformErrorWritableAndUnblockWrite(ts, b.newTypeError("The TransformStream has been terminated"))
}

// performTransform is TransformStreamDefaultControllerPerformTransform.
func (b *binding) performTransform(c *transformController, chunk goja.Value) *goja.Object {
	p := c.transform(chunk)
	return b.react(p, nil, func(r goja.Value) goja.Value {
		b.transformError(c.stream, r)
		panic(r)
	})
}

// transformSinkWrite is TransformStreamDefaultSinkWriteAlgorithm.
func (b *binding) transformSinkWrite(ts *transformStream, chunk goja.Value) *goja.Object {
	c := ts.ctrl
	// Step 3: wait for the backpressure to be relieved.
	if ts.backpressure {
		return b.react(ts.backpressureChange.obj, func(goja.Value) goja.Value {
			w := ts.writable
			if w.state == wsErroring {
				panic(w.storedError)
			}
			return b.performTransform(c, chunk)
		}, nil)
	}
	// Step 4.
	return b.performTransform(c, chunk)
}

// transformSinkAbort is TransformStreamDefaultSinkAbortAlgorithm
// (https://streams.spec.whatwg.org/#transform-stream-default-sink-abort-algorithm).
func (b *binding) transformSinkAbort(ts *transformStream, reason goja.Value) *goja.Object {
	c := ts.ctrl
	readable := ts.readable
	return b.transformFinish(c, func() *goja.Object { return c.cancel(reason) }, transformFinishSteps{
		errored:   func() (goja.Value, bool) { return readable.storedError, readable.state == rsErrored },
		fulfilled: func() { readable.ctrl.error(reason) },
		rejected:  func(r goja.Value) { readable.ctrl.error(r) },
	})
}

// transformSinkClose is TransformStreamDefaultSinkCloseAlgorithm
// (https://streams.spec.whatwg.org/#transform-stream-default-sink-close-algorithm).
func (b *binding) transformSinkClose(ts *transformStream) *goja.Object {
	c := ts.ctrl
	readable := ts.readable
	return b.transformFinish(c, func() *goja.Object { return c.flush() }, transformFinishSteps{
		errored:   func() (goja.Value, bool) { return readable.storedError, readable.state == rsErrored },
		fulfilled: func() { readable.ctrl.close() },
		rejected:  func(r goja.Value) { readable.ctrl.error(r) },
	})
}

// transformSourceCancel is TransformStreamDefaultSourceCancelAlgorithm
// (https://streams.spec.whatwg.org/#transform-stream-default-source-cancel).
func (b *binding) transformSourceCancel(ts *transformStream, reason goja.Value) *goja.Object {
	c := ts.ctrl
	writable := ts.writable
	return b.transformFinish(c, func() *goja.Object { return c.cancel(reason) }, transformFinishSteps{
		errored: func() (goja.Value, bool) { return writable.storedError, writable.state == wsErrored },
		fulfilled: func() {
			writable.ctrl.errorIfNeeded(reason)
			b.transformUnblockWrite(ts)
		},
		rejected: func(r goja.Value) {
			writable.ctrl.errorIfNeeded(r)
			b.transformUnblockWrite(ts)
		},
	})
}

// transformFinishSteps are what the algorithms that finish a TransformStream do
// to its other side when their promise settles: errored returns that side's
// stored error if it has errored; fulfilled runs otherwise when the promise is
// fulfilled, rejected when it is rejected.
type transformFinishSteps struct {
	errored   func() (goja.Value, bool)
	fulfilled func()
	rejected  func(r goja.Value)
}

// transformFinish runs the steps the sink abort, sink close and source cancel
// algorithms share: step 2 (the [[finishPromise]] already made is the result),
// steps 3-6 (a new [[finishPromise]], run algorithm, the controller's cancel or
// flush algorithm, clear the algorithms) and step 7, which settles
// [[finishPromise]] as algorithm's promise settles, with steps for the other side.
func (b *binding) transformFinish(c *transformController, algorithm func() *goja.Object, other transformFinishSteps) *goja.Object {
	// Step 2.
	if c.finish != nil {
		return c.finish.obj
	}
	// Steps 3-6.
	c.finish = b.newPromise()
	p := algorithm()
	c.clearAlgorithms()
	// Step 7.
	b.upon(p, func(goja.Value) {
		if e, ok := other.errored(); ok {
			c.finish.reject(e)
		} else {
			other.fulfilled()
			c.finish.resolve(goja.Undefined())
		}
	}, func(r goja.Value) {
		other.rejected(r)
		c.finish.reject(r)
	})
	return c.finish.obj
}

// transformSourcePull is TransformStreamDefaultSourcePullAlgorithm.
func (b *binding) transformSourcePull(ts *transformStream) *goja.Object {
	b.transformSetBackpressure(ts, false)
	return ts.backpressureChange.obj
}

func (b *binding) transformStreamInterface() *webidl.Interface {
	impl := func(c webidl.Call) *transformStream { return c.Impl.(*transformStream) }
	return &webidl.Interface{
		Name:        "TransformStream",
		Length:      0,
		Constructor: func(c webidl.Call) any { return b.constructTransform(c) },
		Attributes: []webidl.Attribute{
			{Name: "readable", Get: func(c webidl.Call) goja.Value { return impl(c).readableObj }},
			{Name: "writable", Get: func(c webidl.Call) goja.Value { return impl(c).writableObj }},
		},
	}
}

func (b *binding) transformControllerInterface() *webidl.Interface {
	impl := func(c webidl.Call) *transformController { return c.Impl.(*transformController) }
	return &webidl.Interface{
		Name: "TransformStreamDefaultController",
		Attributes: []webidl.Attribute{
			{Name: "desiredSize", Get: func(c webidl.Call) goja.Value {
				d, ok := impl(c).stream.readable.ctrl.desiredSize()
				if !ok {
					return goja.Null()
				}
				return b.vm.ToValue(d)
			}},
		},
		Operations: []webidl.Operation{
			{Name: "enqueue", Length: 0, Func: func(c webidl.Call) goja.Value {
				impl(c).enqueue(c.Arg(0))
				return nil
			}},
			{Name: "error", Length: 0, Func: func(c webidl.Call) goja.Value {
				b.transformError(impl(c).stream, c.Arg(0))
				return nil
			}},
			{Name: "terminate", Length: 0, Func: func(c webidl.Call) goja.Value {
				impl(c).terminate()
				return nil
			}},
		},
	}
}
