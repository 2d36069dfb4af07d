package streams

import (
	"github.com/dop251/goja"
)

// wsState is a WritableStream's [[state]].
type wsState uint8

const (
	wsWritable wsState = iota
	wsClosed
	wsErroring
	wsErrored
)

// pendingAbortRequest is a pending abort request
// (https://streams.spec.whatwg.org/#pending-abort-request).
type pendingAbortRequest struct {
	promise            *promise
	reason             goja.Value
	wasAlreadyErroring bool
}

// writableStream holds the internal slots of a WritableStream
// (https://streams.spec.whatwg.org/#ws-internal-slots).
type writableStream struct {
	b                    *binding
	backpressure         bool                 // [[backpressure]]
	closeRequest         *promise             // [[closeRequest]]
	ctrl                 *writableController  // [[controller]]
	inFlightWriteRequest *promise             // [[inFlightWriteRequest]]
	inFlightCloseRequest *promise             // [[inFlightCloseRequest]]
	pendingAbortRequest  *pendingAbortRequest // [[pendingAbortRequest]]
	state                wsState              // [[state]]
	storedError          goja.Value           // [[storedError]]; nil is undefined
	writer               *writer              // [[writer]]
	writeRequests        []*promise           // [[writeRequests]]
	detached             bool                 // [[Detached]], once transferred
}

// writer holds the internal slots of a WritableStreamDefaultWriter
// (https://streams.spec.whatwg.org/#default-writer-internal-slots).
type writer struct {
	closed *promise        // [[closedPromise]]
	ready  *promise        // [[readyPromise]]
	stream *writableStream // [[stream]]
}

// writableController holds the internal slots of a WritableStreamDefaultController
// (https://streams.spec.whatwg.org/#ws-default-controller-internal-slots). The
// algorithms are nil once cleared.
type writableController struct {
	abort      func(reason goja.Value) *goja.Object // [[abortAlgorithm]]
	abortCtrl  *goja.Object                         // [[abortController]]
	closeAlgo  func() *goja.Object                  // [[closeAlgorithm]]
	queue      sizedQueue                           // [[queue]], [[queueTotalSize]]
	started    bool                                 // [[started]]
	hwm        float64                              // [[strategyHWM]]
	size       sizeAlgorithm                        // [[strategySizeAlgorithm]]
	stream     *writableStream                      // [[stream]]
	writeAlgo  func(chunk goja.Value) *goja.Object  // [[writeAlgorithm]]
	signalObj  *goja.Object                         // [[abortController]]'s signal
	signalImpl interface{ Aborted() bool }
}

// Working with writable streams (https://streams.spec.whatwg.org/#ws-abstract-ops).

// initializeWritableStream is InitializeWritableStream.
func (b *binding) initializeWritableStream() *writableStream {
	return &writableStream{b: b, state: wsWritable}
}

// locked is IsWritableStreamLocked.
func (s *writableStream) locked() bool { return s.writer != nil }

// acquireWriter is AcquireWritableStreamDefaultWriter: it throws a TypeError when the
// stream is locked.
func (s *writableStream) acquireWriter() *writer {
	w := &writer{}
	w.setUp(s)
	return w
}

// setUp is SetUpWritableStreamDefaultWriter.
func (w *writer) setUp(s *writableStream) {
	b := s.b
	// Step 1.
	if s.locked() {
		panic(b.newTypeError("WritableStream is locked to a writer"))
	}
	// Steps 2-3.
	w.stream = s
	s.writer = w
	// Steps 4-8.
	switch s.state {
	case wsWritable:
		if !s.closeQueuedOrInFlight() && s.backpressure {
			w.ready = b.newPromise()
		} else {
			w.ready = b.resolvedPromise(goja.Undefined())
		}
		w.closed = b.newPromise()
	case wsErroring:
		w.ready = b.rejectedPromise(s.storedError)
		b.markHandled(w.ready.obj)
		w.closed = b.newPromise()
	case wsClosed:
		w.ready = b.resolvedPromise(goja.Undefined())
		w.closed = b.resolvedPromise(goja.Undefined())
	default:
		w.ready = b.rejectedPromise(s.storedError)
		b.markHandled(w.ready.obj)
		w.closed = b.rejectedPromise(s.storedError)
		b.markHandled(w.closed.obj)
	}
}

// abort is WritableStreamAbort.
func (s *writableStream) abort(reason goja.Value) *goja.Object {
	b := s.b
	// Step 1.
	if s.state == wsClosed || s.state == wsErrored {
		return b.resolvedPromise(goja.Undefined()).obj
	}
	// Step 2: signal abort on the controller's AbortController (which runs script).
	b.signalAbort(s.ctrl, reason)
	// Steps 3-4: the state may have changed.
	if s.state == wsClosed || s.state == wsErrored {
		return b.resolvedPromise(goja.Undefined()).obj
	}
	// Step 5.
	if s.pendingAbortRequest != nil {
		return s.pendingAbortRequest.promise.obj
	}
	// Steps 7-8.
	wasAlreadyErroring := false
	if s.state == wsErroring {
		wasAlreadyErroring = true
		reason = goja.Undefined()
	}
	// Steps 9-10.
	p := b.newPromise()
	s.pendingAbortRequest = &pendingAbortRequest{promise: p, reason: reason, wasAlreadyErroring: wasAlreadyErroring}
	// Step 11.
	if !wasAlreadyErroring {
		s.startErroring(reason)
	}
	return p.obj
}

// close is WritableStreamClose.
func (s *writableStream) close() *goja.Object {
	b := s.b
	// Step 2.
	if s.state == wsClosed || s.state == wsErrored {
		return b.rejectedPromise(b.newTypeError("The stream is closed or errored")).obj
	}
	// Steps 5-6.
	p := b.newPromise()
	s.closeRequest = p
	// Steps 7-8.
	if w := s.writer; w != nil && s.backpressure && s.state == wsWritable {
		w.ready.resolve(goja.Undefined())
	}
	// Step 9.
	s.ctrl.close()
	return p.obj
}

// Interfacing with controllers
// (https://streams.spec.whatwg.org/#ws-abstract-ops-used-by-controllers).

// addWriteRequest is WritableStreamAddWriteRequest.
func (s *writableStream) addWriteRequest() *promise {
	p := s.b.newPromise()
	s.writeRequests = append(s.writeRequests, p)
	return p
}

// closeQueuedOrInFlight is WritableStreamCloseQueuedOrInFlight.
func (s *writableStream) closeQueuedOrInFlight() bool {
	return s.closeRequest != nil || s.inFlightCloseRequest != nil
}

// dealWithRejection is WritableStreamDealWithRejection.
func (s *writableStream) dealWithRejection(e goja.Value) {
	if s.state == wsWritable {
		s.startErroring(e)
		return
	}
	s.finishErroring()
}

// finishErroring is WritableStreamFinishErroring.
func (s *writableStream) finishErroring() {
	b := s.b
	// Steps 3-4.
	s.state = wsErrored
	s.ctrl.errorSteps()
	// Steps 5-7.
	stored := s.storedError
	reqs := s.writeRequests
	s.writeRequests = nil
	for _, p := range reqs {
		p.reject(stored)
	}
	// Step 8.
	if s.pendingAbortRequest == nil {
		s.rejectCloseAndClosedPromiseIfNeeded()
		return
	}
	// Steps 9-10.
	req := s.pendingAbortRequest
	s.pendingAbortRequest = nil
	// Step 11.
	if req.wasAlreadyErroring {
		req.promise.reject(stored)
		s.rejectCloseAndClosedPromiseIfNeeded()
		return
	}
	// Steps 12-14.
	p := s.ctrl.abortSteps(req.reason)
	b.upon(p, func(goja.Value) {
		req.promise.resolve(goja.Undefined())
		s.rejectCloseAndClosedPromiseIfNeeded()
	}, func(reason goja.Value) {
		req.promise.reject(reason)
		s.rejectCloseAndClosedPromiseIfNeeded()
	})
}

// finishInFlightClose is WritableStreamFinishInFlightClose.
func (s *writableStream) finishInFlightClose() {
	// Steps 2-3.
	s.inFlightCloseRequest.resolve(goja.Undefined())
	s.inFlightCloseRequest = nil
	// Step 6.
	if s.state == wsErroring {
		s.storedError = nil
		if s.pendingAbortRequest != nil {
			s.pendingAbortRequest.promise.resolve(goja.Undefined())
			s.pendingAbortRequest = nil
		}
	}
	// Steps 7-9.
	s.state = wsClosed
	if w := s.writer; w != nil {
		w.closed.resolve(goja.Undefined())
	}
}

// finishInFlightCloseWithError is WritableStreamFinishInFlightCloseWithError.
func (s *writableStream) finishInFlightCloseWithError(e goja.Value) {
	// Steps 2-3.
	s.inFlightCloseRequest.reject(e)
	s.inFlightCloseRequest = nil
	// Step 5.
	if s.pendingAbortRequest != nil {
		s.pendingAbortRequest.promise.reject(e)
		s.pendingAbortRequest = nil
	}
	// Step 6.
	s.dealWithRejection(e)
}

// finishInFlightWrite is WritableStreamFinishInFlightWrite.
func (s *writableStream) finishInFlightWrite() {
	s.inFlightWriteRequest.resolve(goja.Undefined())
	s.inFlightWriteRequest = nil
}

// finishInFlightWriteWithError is WritableStreamFinishInFlightWriteWithError.
func (s *writableStream) finishInFlightWriteWithError(e goja.Value) {
	s.inFlightWriteRequest.reject(e)
	s.inFlightWriteRequest = nil
	s.dealWithRejection(e)
}

// hasOperationMarkedInFlight is WritableStreamHasOperationMarkedInFlight.
func (s *writableStream) hasOperationMarkedInFlight() bool {
	return s.inFlightWriteRequest != nil || s.inFlightCloseRequest != nil
}

// markCloseRequestInFlight is WritableStreamMarkCloseRequestInFlight.
func (s *writableStream) markCloseRequestInFlight() {
	s.inFlightCloseRequest = s.closeRequest
	s.closeRequest = nil
}

// markFirstWriteRequestInFlight is WritableStreamMarkFirstWriteRequestInFlight.
func (s *writableStream) markFirstWriteRequestInFlight() {
	s.inFlightWriteRequest = s.writeRequests[0]
	s.writeRequests[0] = nil
	s.writeRequests = s.writeRequests[1:]
	if len(s.writeRequests) == 0 {
		s.writeRequests = nil
	}
}

// rejectCloseAndClosedPromiseIfNeeded is
// WritableStreamRejectCloseAndClosedPromiseIfNeeded.
func (s *writableStream) rejectCloseAndClosedPromiseIfNeeded() {
	b := s.b
	// Step 2.
	if s.closeRequest != nil {
		s.closeRequest.reject(s.storedError)
		s.closeRequest = nil
	}
	// Steps 3-4.
	if w := s.writer; w != nil {
		w.closed.reject(s.storedError)
		b.markHandled(w.closed.obj)
	}
}

// startErroring is WritableStreamStartErroring.
func (s *writableStream) startErroring(reason goja.Value) {
	c := s.ctrl
	// Steps 5-6.
	s.state = wsErroring
	s.storedError = reason
	// Step 8.
	if w := s.writer; w != nil {
		w.ensureReadyPromiseRejected(reason)
	}
	// Step 9.
	if !s.hasOperationMarkedInFlight() && c.started {
		s.finishErroring()
	}
}

// updateBackpressure is WritableStreamUpdateBackpressure.
func (s *writableStream) updateBackpressure(backpressure bool) {
	// Steps 3-4.
	if w := s.writer; w != nil && backpressure != s.backpressure {
		if backpressure {
			w.ready = s.b.newPromise()
		} else {
			w.ready.resolve(goja.Undefined())
		}
	}
	// Step 5.
	s.backpressure = backpressure
}

// Writers (https://streams.spec.whatwg.org/#ws-writer-abstract-ops).

// abort is WritableStreamDefaultWriterAbort.
func (w *writer) abort(reason goja.Value) *goja.Object { return w.stream.abort(reason) }

// close is WritableStreamDefaultWriterClose.
func (w *writer) close() *goja.Object { return w.stream.close() }

// closeWithErrorPropagation is WritableStreamDefaultWriterCloseWithErrorPropagation.
func (w *writer) closeWithErrorPropagation() *goja.Object {
	s := w.stream
	b := s.b
	// Step 4.
	if s.closeQueuedOrInFlight() || s.state == wsClosed {
		return b.resolvedPromise(goja.Undefined()).obj
	}
	// Step 5.
	if s.state == wsErrored {
		return b.rejectedPromise(s.storedError).obj
	}
	// Step 7.
	return w.close()
}

// ensureClosedPromiseRejected is WritableStreamDefaultWriterEnsureClosedPromiseRejected.
func (w *writer) ensureClosedPromiseRejected(e goja.Value) {
	w.stream.b.ensureRejected(&w.closed, e)
}

// ensureReadyPromiseRejected is WritableStreamDefaultWriterEnsureReadyPromiseRejected.
func (w *writer) ensureReadyPromiseRejected(e goja.Value) {
	w.stream.b.ensureRejected(&w.ready, e)
}

// ensureRejected runs the steps of the two algorithms above, which are the
// same for the writer's promise *p: reject it with e if it is pending, else
// replace it with a promise rejected with e; then mark it handled.
func (b *binding) ensureRejected(p **promise, e goja.Value) {
	if (*p).pending() {
		(*p).reject(e)
	} else {
		*p = b.rejectedPromise(e)
	}
	b.markHandled((*p).obj)
}

// desiredSize is WritableStreamDefaultWriterGetDesiredSize; ok is false for null.
func (w *writer) desiredSize() (float64, bool) {
	s := w.stream
	switch s.state {
	case wsErrored, wsErroring:
		return 0, false
	case wsClosed:
		return 0, true
	}
	return s.ctrl.desiredSize(), true
}

// release is WritableStreamDefaultWriterRelease.
func (w *writer) release() {
	s := w.stream
	// Steps 4-6.
	releasedError := s.b.newTypeError("Releasing the writer: the writer's lock on the stream is released")
	w.ensureReadyPromiseRejected(releasedError)
	w.ensureClosedPromiseRejected(releasedError)
	// Steps 7-8.
	s.writer = nil
	w.stream = nil
}

// write is WritableStreamDefaultWriterWrite.
func (w *writer) write(chunk goja.Value) *goja.Object {
	s := w.stream
	b := s.b
	c := s.ctrl
	// Step 4.
	chunkSize := c.chunkSize(chunk)
	// Step 5: the size algorithm may have released the writer.
	if s != w.stream {
		return b.rejectedPromise(b.newTypeError("The writer was released while measuring the chunk")).obj
	}
	// Steps 6-9.
	switch {
	case s.state == wsErrored:
		return b.rejectedPromise(s.storedError).obj
	case s.closeQueuedOrInFlight() || s.state == wsClosed:
		return b.rejectedPromise(b.newTypeError("The stream is closing or closed")).obj
	case s.state == wsErroring:
		return b.rejectedPromise(s.storedError).obj
	}
	// Steps 11-13.
	p := s.addWriteRequest()
	c.write(chunk, chunkSize)
	return p.obj
}

// Default controllers
// (https://streams.spec.whatwg.org/#ws-default-controller-abstract-ops).

// setUp is SetUpWritableStreamDefaultController. start may throw.
func (c *writableController) setUp(s *writableStream, start func() goja.Value, write func(goja.Value) *goja.Object, closeAlgo func() *goja.Object, abort func(goja.Value) *goja.Object, hwm float64, size sizeAlgorithm) {
	b := s.b
	// Steps 3-5.
	c.stream = s
	s.ctrl = c
	c.queue.reset()
	// Step 6: a new AbortController.
	c.abortCtrl, c.signalObj, c.signalImpl = b.newAbortController()
	// Steps 7-12.
	c.started = false
	c.size, c.hwm = size, hwm
	c.writeAlgo, c.closeAlgo, c.abort = write, closeAlgo, abort
	// Steps 13-14.
	s.updateBackpressure(c.backpressure())
	// Steps 15-18.
	startResult := start()
	startPromise := b.resolvedPromise(startResult)
	b.upon(startPromise.obj, func(goja.Value) {
		c.started = true
		c.advanceQueueIfNeeded()
	}, func(r goja.Value) {
		c.started = true
		s.dealWithRejection(r)
	})
}

// advanceQueueIfNeeded is WritableStreamDefaultControllerAdvanceQueueIfNeeded.
func (c *writableController) advanceQueueIfNeeded() {
	s := c.stream
	// Steps 2-3.
	if !c.started || s.inFlightWriteRequest != nil {
		return
	}
	// Step 6.
	if s.state == wsErroring {
		s.finishErroring()
		return
	}
	// Steps 7-10.
	if c.queue.empty() {
		return
	}
	if v := c.queue.peek(); v == nil {
		c.processClose()
	} else {
		c.processWrite(v)
	}
}

// clearAlgorithms is WritableStreamDefaultControllerClearAlgorithms.
func (c *writableController) clearAlgorithms() {
	c.writeAlgo, c.closeAlgo, c.abort, c.size = nil, nil, nil, nil
}

// close is WritableStreamDefaultControllerClose: the close sentinel (a nil value) is
// queued with size 0.
func (c *writableController) close() {
	c.queue.enqueue(nil, 0)
	c.advanceQueueIfNeeded()
}

// error is WritableStreamDefaultControllerError.
func (c *writableController) error(e goja.Value) {
	c.clearAlgorithms()
	c.stream.startErroring(e)
}

// errorIfNeeded is WritableStreamDefaultControllerErrorIfNeeded.
func (c *writableController) errorIfNeeded(e goja.Value) {
	if c.stream.state == wsWritable {
		c.error(e)
	}
}

// backpressure is WritableStreamDefaultControllerGetBackpressure.
func (c *writableController) backpressure() bool { return c.desiredSize() <= 0 }

// chunkSize is WritableStreamDefaultControllerGetChunkSize.
func (c *writableController) chunkSize(chunk goja.Value) float64 {
	// Step 1.
	if c.size == nil {
		return 1
	}
	// Steps 2-4.
	size, exc := c.size(chunk)
	if exc != nil {
		c.errorIfNeeded(exc)
		return 1
	}
	return size
}

// desiredSize is WritableStreamDefaultControllerGetDesiredSize.
func (c *writableController) desiredSize() float64 { return c.hwm - c.queue.total }

// processClose is WritableStreamDefaultControllerProcessClose.
func (c *writableController) processClose() {
	s := c.stream
	b := s.b
	// Steps 2-3.
	s.markCloseRequestInFlight()
	c.queue.dequeue()
	// Steps 5-6.
	sinkClose := c.closeAlgo()
	c.clearAlgorithms()
	// Steps 7-8.
	b.upon(sinkClose, func(goja.Value) {
		s.finishInFlightClose()
	}, func(reason goja.Value) {
		s.finishInFlightCloseWithError(reason)
	})
}

// processWrite is WritableStreamDefaultControllerProcessWrite.
func (c *writableController) processWrite(chunk goja.Value) {
	s := c.stream
	b := s.b
	// Steps 2-3.
	s.markFirstWriteRequestInFlight()
	sinkWrite := c.writeAlgo(chunk)
	// Steps 4-5.
	b.upon(sinkWrite, func(goja.Value) {
		s.finishInFlightWrite()
		state := s.state
		c.queue.dequeue()
		if !s.closeQueuedOrInFlight() && state == wsWritable {
			s.updateBackpressure(c.backpressure())
		}
		c.advanceQueueIfNeeded()
	}, func(reason goja.Value) {
		if s.state == wsWritable {
			c.clearAlgorithms()
		}
		s.finishInFlightWriteWithError(reason)
	})
}

// write is WritableStreamDefaultControllerWrite.
func (c *writableController) write(chunk goja.Value, chunkSize float64) {
	s := c.stream
	// Steps 1-2.
	if !c.queue.enqueue(chunk, chunkSize) {
		c.errorIfNeeded(s.b.r.NewRangeError("The chunk size must be a finite, non-negative number"))
		return
	}
	// Steps 3-4.
	if !s.closeQueuedOrInFlight() && s.state == wsWritable {
		s.updateBackpressure(c.backpressure())
	}
	// Step 5.
	c.advanceQueueIfNeeded()
}

// abortSteps is the default controller's [[AbortSteps]]
// (https://streams.spec.whatwg.org/#ws-default-controller-private-abort).
func (c *writableController) abortSteps(reason goja.Value) *goja.Object {
	result := c.stream.b.perform(c.abort, reason)
	c.clearAlgorithms()
	return result
}

// errorSteps is the default controller's [[ErrorSteps]]
// (https://streams.spec.whatwg.org/#ws-default-controller-private-error).
func (c *writableController) errorSteps() { c.queue.reset() }

// newAbortController creates an AbortController and returns it with its signal.
func (b *binding) newAbortController() (ctrl, signal *goja.Object, impl interface{ Aborted() bool }) {
	ctrl, err := b.abortCtor(nil)
	rethrow(err)
	v, err := b.abortSignal(ctrl)
	rethrow(err)
	signal = v.(*goja.Object)
	i, _ := b.r.Impl(signal, "AbortSignal")
	impl, _ = i.(interface{ Aborted() bool })
	return ctrl, signal, impl
}

// signalAbort runs "signal abort" on the controller's AbortController with reason
// (https://dom.spec.whatwg.org/#dom-abortcontroller-abort): its abort method, captured
// at registration.
func (b *binding) signalAbort(c *writableController, reason goja.Value) {
	_, err := b.abortCall(c.abortCtrl, reason)
	rethrow(err)
}
