package streams

import (
	"github.com/dop251/goja"
)

// rsState is a ReadableStream's [[state]].
type rsState uint8

const (
	rsReadable rsState = iota
	rsClosed
	rsErrored
)

// readableStream holds the internal slots of a ReadableStream
// (https://streams.spec.whatwg.org/#rs-internal-slots). It never references its own
// JavaScript object, so that the webidl package's weak slot table lets both be
// collected.
type readableStream struct {
	b *binding
	// [[controller]]: ctrl for a ReadableStreamDefaultController, byteCtrl for a
	// ReadableByteStreamController.
	ctrl     *readableController
	byteCtrl *byteController
	// [[reader]]: reader for a ReadableStreamDefaultReader, byob for a
	// ReadableStreamBYOBReader; both nil is undefined.
	reader      *defaultReader
	byob        *byobReader
	state       rsState    // [[state]]
	storedError goja.Value // [[storedError]]
	disturbed   bool       // [[disturbed]]
	detached    bool       // [[Detached]], once transferred
}

// readRequest is a read request (https://streams.spec.whatwg.org/#read-request): the
// steps run when a chunk is available, when the stream closes, or when it errors.
type readRequest interface {
	chunkSteps(chunk goja.Value)
	closeSteps()
	errorSteps(e goja.Value)
}

// genericReader holds the internal slots of the ReadableStreamGenericReader mixin
// (https://streams.spec.whatwg.org/#generic-reader-internal-slots).
type genericReader struct {
	stream *readableStream // [[stream]]; nil is undefined
	closed *promise        // [[closedPromise]]
}

// defaultReader holds the internal slots of a ReadableStreamDefaultReader
// (https://streams.spec.whatwg.org/#default-reader-internal-slots).
type defaultReader struct {
	genericReader
	requests []readRequest // [[readRequests]]
}

// sizeAlgorithm measures a chunk; a non-nil exception is an abrupt completion.
type sizeAlgorithm func(chunk goja.Value) (size float64, exception goja.Value)

// readableController holds the internal slots of a ReadableStreamDefaultController
// (https://streams.spec.whatwg.org/#rs-default-controller-internal-slots). The
// algorithms are nil once cleared.
type readableController struct {
	stream         *readableStream // [[stream]]
	queue          sizedQueue      // [[queue]], [[queueTotalSize]]
	started        bool            // [[started]]
	closeRequested bool            // [[closeRequested]]
	pullSlots                      // [[pullAgain]], [[pulling]]
	hwm            float64         // [[strategyHWM]]
	size           sizeAlgorithm   // [[strategySizeAlgorithm]]
	pull           func() *goja.Object
	cancel         func(reason goja.Value) *goja.Object
}

// countOne is the size algorithm that returns 1.
func countOne(goja.Value) (float64, goja.Value) { return 1, nil }

// Working with readable streams (https://streams.spec.whatwg.org/#rs-abstract-ops).

// initializeReadableStream is InitializeReadableStream.
func (b *binding) initializeReadableStream() *readableStream {
	// Steps 1-3.
	return &readableStream{b: b, state: rsReadable}
}

// locked is IsReadableStreamLocked.
func (s *readableStream) locked() bool { return s.reader != nil || s.byob != nil }

// hasDefaultReader is ReadableStreamHasDefaultReader.
func (s *readableStream) hasDefaultReader() bool { return s.reader != nil }

// hasBYOBReader is ReadableStreamHasBYOBReader.
func (s *readableStream) hasBYOBReader() bool { return s.byob != nil }

// acquireDefaultReader is AcquireReadableStreamDefaultReader: it throws a TypeError
// when the stream is locked.
func (s *readableStream) acquireDefaultReader() *defaultReader {
	r := &defaultReader{}
	r.setUp(s)
	return r
}

// createReadableStream is CreateReadableStream (the default size algorithm and high
// water mark are the caller's).
func (b *binding) createReadableStream(start func() goja.Value, pull func() *goja.Object, cancel func(goja.Value) *goja.Object, hwm float64, size sizeAlgorithm) *readableStream {
	s := b.initializeReadableStream()
	c := &readableController{}
	c.setUp(s, start, pull, cancel, hwm, size)
	return s
}

// Interfacing with controllers
// (https://streams.spec.whatwg.org/#rs-abstract-ops-used-by-controllers).

// addReadRequest is ReadableStreamAddReadRequest.
func (s *readableStream) addReadRequest(req readRequest) {
	s.reader.requests = append(s.reader.requests, req)
}

// cancel is ReadableStreamCancel.
func (s *readableStream) cancel(reason goja.Value) *goja.Object {
	b := s.b
	// Step 1.
	s.disturbed = true
	// Steps 2-3.
	switch s.state {
	case rsClosed:
		return b.resolvedPromise(goja.Undefined()).obj
	case rsErrored:
		return b.rejectedPromise(s.storedError).obj
	}
	// Step 4.
	s.close()
	// Steps 5-6: pending BYOB reads end without their buffers.
	if r := s.byob; r != nil {
		reqs := r.requests
		r.requests = nil
		for _, req := range reqs {
			req.closeSteps(goja.Undefined())
		}
	}
	// Steps 7-8: the source's cancel, with a fulfillment step returning undefined.
	var sourceCancel *goja.Object
	if s.byteCtrl != nil {
		sourceCancel = s.byteCtrl.cancelSteps(reason)
	} else {
		sourceCancel = s.ctrl.cancelSteps(reason)
	}
	return b.react(sourceCancel, func(goja.Value) goja.Value { return goja.Undefined() }, nil)
}

// close is ReadableStreamClose.
func (s *readableStream) close() {
	// Step 2.
	s.state = rsClosed
	// Steps 3-5.
	if s.byob != nil {
		s.byob.closed.resolve(goja.Undefined())
		return
	}
	r := s.reader
	if r == nil {
		return
	}
	r.closed.resolve(goja.Undefined())
	// Step 6: the read requests' close steps.
	reqs := r.requests
	r.requests = nil
	for _, req := range reqs {
		req.closeSteps()
	}
}

// error is ReadableStreamError.
func (s *readableStream) error(e goja.Value) {
	// Steps 2-3.
	s.state = rsErrored
	s.storedError = e
	// Steps 4-7.
	if br := s.byob; br != nil {
		br.closed.reject(e)
		s.b.markHandled(br.closed.obj)
		br.errorReadIntoRequests(e)
		return
	}
	r := s.reader
	if r == nil {
		return
	}
	r.closed.reject(e)
	s.b.markHandled(r.closed.obj)
	// Step 8.
	r.errorReadRequests(e)
}

// fulfillReadRequest is ReadableStreamFulfillReadRequest.
func (s *readableStream) fulfillReadRequest(chunk goja.Value, done bool) {
	r := s.reader
	// Steps 4-5.
	req := r.requests[0]
	r.requests[0] = nil
	r.requests = r.requests[1:]
	if len(r.requests) == 0 {
		r.requests = nil
	}
	// Steps 6-7.
	if done {
		req.closeSteps()
	} else {
		req.chunkSteps(chunk)
	}
}

// numReadRequests is ReadableStreamGetNumReadRequests.
func (s *readableStream) numReadRequests() int { return len(s.reader.requests) }

// Readers (https://streams.spec.whatwg.org/#rs-reader-abstract-ops).

// genericCancel is ReadableStreamReaderGenericCancel.
func (r *genericReader) genericCancel(reason goja.Value) *goja.Object {
	return r.stream.cancel(reason)
}

// genericInitialize is ReadableStreamReaderGenericInitialize; the caller sets
// stream.[[reader]] (step 2).
func (r *genericReader) genericInitialize(s *readableStream) {
	b := s.b
	// Step 1.
	r.stream = s
	// Steps 3-5.
	switch s.state {
	case rsReadable:
		r.closed = b.newPromise()
	case rsClosed:
		r.closed = b.resolvedPromise(goja.Undefined())
	default:
		r.closed = b.rejectedPromise(s.storedError)
		b.markHandled(r.closed.obj)
	}
}

// genericRelease is ReadableStreamReaderGenericRelease.
func (r *genericReader) genericRelease() {
	s := r.stream
	b := s.b
	// Steps 4-5: a TypeError, in the current promise or a new one.
	e := b.newTypeError("Releasing the reader: the reader's lock on the stream is released")
	if s.state == rsReadable {
		r.closed.reject(e)
	} else {
		r.closed = b.rejectedPromise(e)
	}
	// Step 6.
	b.markHandled(r.closed.obj)
	// Step 7: the default controller's [[ReleaseSteps]] do nothing.
	if s.byteCtrl != nil {
		s.byteCtrl.releaseSteps()
	}
	// Steps 8-9.
	if s.reader != nil && &s.reader.genericReader == r {
		s.reader = nil
	} else {
		s.byob = nil
	}
	r.stream = nil
}

// errorReadRequests is ReadableStreamDefaultReaderErrorReadRequests.
func (r *defaultReader) errorReadRequests(e goja.Value) {
	reqs := r.requests
	r.requests = nil
	for _, req := range reqs {
		req.errorSteps(e)
	}
}

// read is ReadableStreamDefaultReaderRead.
func (r *defaultReader) read(req readRequest) {
	s := r.stream
	// Step 3.
	s.disturbed = true
	// Steps 4-6.
	switch {
	case s.state == rsClosed:
		req.closeSteps()
	case s.state == rsErrored:
		req.errorSteps(s.storedError)
	case s.byteCtrl != nil:
		s.byteCtrl.pullSteps(req)
	default:
		s.ctrl.pullSteps(req)
	}
}

// release is ReadableStreamDefaultReaderRelease.
func (r *defaultReader) release() {
	b := r.stream.b
	// Step 1.
	r.genericRelease()
	// Steps 2-3.
	r.errorReadRequests(b.newTypeError("Releasing the reader: pending reads are rejected"))
}

// setUp is SetUpReadableStreamDefaultReader.
func (r *defaultReader) setUp(s *readableStream) {
	// Step 1.
	if s.locked() {
		panic(s.b.newTypeError("ReadableStream is locked to a reader"))
	}
	// Steps 2-3.
	r.genericInitialize(s)
	s.reader = r
	r.requests = nil
}

// Default controllers
// (https://streams.spec.whatwg.org/#rs-default-controller-abstract-ops).

// callPullIfNeeded is ReadableStreamDefaultControllerCallPullIfNeeded.
func (c *readableController) callPullIfNeeded() {
	// Steps 1-2.
	if !c.shouldCallPull() {
		return
	}
	// Steps 3-8.
	c.callPull(c.stream.b, c.pull, c.callPullIfNeeded, c.error)
}

// pullSlots holds the [[pullAgain]] and [[pulling]] slots of a readable stream
// controller, default or byte.
type pullSlots struct {
	pullAgain bool // [[pullAgain]]
	pulling   bool // [[pulling]]
}

// callPull runs steps 3-8 of ReadableStreamDefaultControllerCallPullIfNeeded
// (https://streams.spec.whatwg.org/#readable-stream-default-controller-call-pull-if-needed)
// and ReadableByteStreamControllerCallPullIfNeeded
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-call-pull-if-needed),
// which are the same for both controllers: pull is the controller's
// [[pullAlgorithm]], again its CallPullIfNeeded and fail its Error.
func (p *pullSlots) callPull(b *binding, pull func() *goja.Object, again func(), fail func(goja.Value)) {
	// Step 3.
	if p.pulling {
		p.pullAgain = true
		return
	}
	// Steps 5-6.
	p.pulling = true
	pullPromise := pull()
	// Steps 7-8.
	b.upon(pullPromise, func(goja.Value) {
		p.pulling = false
		if p.pullAgain {
			p.pullAgain = false
			again()
		}
	}, fail)
}

// shouldCallPull is ReadableStreamDefaultControllerShouldCallPull.
func (c *readableController) shouldCallPull() bool {
	s := c.stream
	// Steps 2-3.
	if !c.canCloseOrEnqueue() || !c.started {
		return false
	}
	// Step 4.
	if s.locked() && s.numReadRequests() > 0 {
		return true
	}
	// Steps 5-8.
	d, _ := c.desiredSize()
	return d > 0
}

// clearAlgorithms is ReadableStreamDefaultControllerClearAlgorithms.
func (c *readableController) clearAlgorithms() {
	c.pull = nil
	c.cancel = nil
	c.size = nil
}

// close is ReadableStreamDefaultControllerClose.
func (c *readableController) close() {
	// Step 1.
	if !c.canCloseOrEnqueue() {
		return
	}
	// Steps 2-4.
	c.closeRequested = true
	if c.queue.empty() {
		c.clearAlgorithms()
		c.stream.close()
	}
}

// enqueue is ReadableStreamDefaultControllerEnqueue. It returns the exception of an
// abrupt completion, or nil.
func (c *readableController) enqueue(chunk goja.Value) goja.Value {
	// Step 1.
	if !c.canCloseOrEnqueue() {
		return nil
	}
	s := c.stream
	// Step 3: straight to a pending read request.
	if s.locked() && s.numReadRequests() > 0 {
		s.fulfillReadRequest(chunk, false)
	} else {
		// Step 4: measure, then queue.
		size, exc := c.size(chunk)
		if exc != nil {
			c.error(exc)
			return exc
		}
		if !c.queue.enqueue(chunk, size) {
			exc := s.b.r.NewRangeError("The chunk size must be a finite, non-negative number")
			c.error(exc)
			return exc
		}
	}
	// Step 5.
	c.callPullIfNeeded()
	return nil
}

// error is ReadableStreamDefaultControllerError.
func (c *readableController) error(e goja.Value) {
	s := c.stream
	// Step 2.
	if s.state != rsReadable {
		return
	}
	// Steps 3-5.
	c.queue.reset()
	c.clearAlgorithms()
	s.error(e)
}

// desiredSize is ReadableStreamDefaultControllerGetDesiredSize; ok is false for null.
func (c *readableController) desiredSize() (size float64, ok bool) {
	switch c.stream.state {
	case rsErrored:
		return 0, false
	case rsClosed:
		return 0, true
	}
	return c.hwm - c.queue.total, true
}

// hasBackpressure is ReadableStreamDefaultControllerHasBackpressure.
func (c *readableController) hasBackpressure() bool { return !c.shouldCallPull() }

// canCloseOrEnqueue is ReadableStreamDefaultControllerCanCloseOrEnqueue.
func (c *readableController) canCloseOrEnqueue() bool {
	return !c.closeRequested && c.stream.state == rsReadable
}

// setUp is SetUpReadableStreamDefaultController. start may throw, by panicking as goja
// native functions do.
func (c *readableController) setUp(s *readableStream, start func() goja.Value, pull func() *goja.Object, cancel func(goja.Value) *goja.Object, hwm float64, size sizeAlgorithm) {
	b := s.b
	// Steps 2-8.
	c.stream = s
	c.queue.reset()
	c.started, c.closeRequested, c.pullAgain, c.pulling = false, false, false, false
	c.size, c.hwm = size, hwm
	c.pull, c.cancel = pull, cancel
	s.ctrl = c
	// Steps 9-12.
	b.startPulling(c, &c.started, start)
}

// pullingController is a readable stream controller, default or byte.
type pullingController interface {
	callPullIfNeeded()
	error(e goja.Value)
}

// startPulling runs the steps SetUpReadableStreamDefaultController (steps 9-12)
// and SetUpReadableByteStreamController
// (https://streams.spec.whatwg.org/#set-up-readable-byte-stream-controller,
// steps 15-18) end with: perform start; once its result is fulfilled, set
// [[started]] and call pull if needed; if it is rejected, error the controller.
func (b *binding) startPulling(c pullingController, started *bool, start func() goja.Value) {
	startResult := start()
	startPromise := b.resolvedPromise(startResult)
	b.upon(startPromise.obj, func(goja.Value) {
		*started = true
		c.callPullIfNeeded()
	}, c.error)
}

// perform performs the algorithm with the argument arg: a cleared (nil)
// algorithm returns a promise resolved with undefined.
func (b *binding) perform(algorithm func(goja.Value) *goja.Object, arg goja.Value) *goja.Object {
	if algorithm == nil {
		return b.resolvedPromise(goja.Undefined()).obj
	}
	return algorithm(arg)
}

// cancelSteps is the default controller's [[CancelSteps]]
// (https://streams.spec.whatwg.org/#rs-default-controller-private-cancel).
func (c *readableController) cancelSteps(reason goja.Value) *goja.Object {
	// Step 1.
	c.queue.reset()
	// Step 2.
	result := c.stream.b.perform(c.cancel, reason)
	// Steps 3-4.
	c.clearAlgorithms()
	return result
}

// pullSteps is the default controller's [[PullSteps]]
// (https://streams.spec.whatwg.org/#rs-default-controller-private-pull).
func (c *readableController) pullSteps(req readRequest) {
	s := c.stream
	// Step 2: a queued chunk.
	if !c.queue.empty() {
		chunk := c.queue.dequeue()
		if c.closeRequested && c.queue.empty() {
			c.clearAlgorithms()
			s.close()
		} else {
			c.callPullIfNeeded()
		}
		req.chunkSteps(chunk)
		return
	}
	// Step 3: wait for one.
	s.addReadRequest(req)
	c.callPullIfNeeded()
}
