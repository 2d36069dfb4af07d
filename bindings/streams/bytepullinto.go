package streams

import (
	"github.com/dop251/goja"
)

// This file holds the steps of readable byte streams that fill BYOB reads: pulling
// into a view and the underlying byte source's responses
// (https://streams.spec.whatwg.org/#rbs-controller-abstract-ops), and the
// controller's internal methods
// (https://streams.spec.whatwg.org/#rbs-controller-internal-methods).

// pullInto is ReadableByteStreamControllerPullInto
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-pull-into).
func (c *byteController) pullInto(view viewSlots, minimum int64, req readIntoRequest) {
	s := c.stream
	b := s.b
	// Steps 2-4.
	elementSize, ctor := view.elementSize, view.name
	// Steps 5-9.
	minimumFill := minimum * elementSize
	byteOffset, byteLength := view.byteOffset, view.byteLength
	// Steps 10-12.
	var buffer *goja.Object
	if ex := b.vm.Try(func() { buffer = b.transferArrayBuffer(view.buffer) }); ex != nil {
		req.errorSteps(ex.Value())
		return
	}
	// Step 13.
	d := &pullIntoDescriptor{
		buffer:           buffer,
		bufferByteLength: b.bufferByteLength(buffer),
		byteOffset:       byteOffset,
		byteLength:       byteLength,
		minimumFill:      minimumFill,
		elementSize:      elementSize,
		viewCtor:         ctor,
		readerType:       readerBYOB,
	}
	// Step 14.
	if len(c.pendingPullIntos) > 0 {
		c.pendingPullIntos = append(c.pendingPullIntos, d)
		s.addReadIntoRequest(req)
		return
	}
	// Step 15.
	if s.state == rsClosed {
		emptyView := b.newView(ctor, d.buffer, d.byteOffset, 0)
		req.closeSteps(emptyView)
		return
	}
	// Step 16.
	if c.queueTotalSize > 0 {
		if c.fillPullIntoDescriptorFromQueue(d) {
			filledView := c.convertPullIntoDescriptor(d)
			c.handleQueueDrain()
			req.chunkSteps(filledView)
			return
		}
		if c.closeRequested {
			e := b.newTypeError("The stream closed with fewer bytes than the read's minimum")
			c.error(e)
			req.errorSteps(e)
			return
		}
	}
	// Steps 17-19.
	c.pendingPullIntos = append(c.pendingPullIntos, d)
	s.addReadIntoRequest(req)
	c.callPullIfNeeded()
}

// respond is ReadableByteStreamControllerRespond
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond). It
// throws.
func (c *byteController) respond(bytesWritten int64) {
	b := c.stream.b
	// Steps 2-3.
	first := c.pendingPullIntos[0]
	// Steps 4-5.
	if c.stream.state == rsClosed {
		if bytesWritten != 0 {
			panic(b.newTypeError("bytesWritten must be 0 once the stream is closed"))
		}
	} else {
		if bytesWritten == 0 {
			panic(b.newTypeError("bytesWritten must be greater than 0 while the stream is readable"))
		}
		if first.bytesFilled+bytesWritten > first.byteLength {
			panic(b.r.NewRangeError("bytesWritten is larger than the view"))
		}
	}
	// Step 6.
	first.buffer = b.transferArrayBuffer(first.buffer)
	// Step 7.
	c.respondInternal(bytesWritten)
}

// respondInClosedState is ReadableByteStreamControllerRespondInClosedState
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-in-closed-state).
func (c *byteController) respondInClosedState(first *pullIntoDescriptor) {
	// Step 2.
	if first.readerType == readerNone {
		c.shiftPendingPullInto()
	}
	// Steps 3-4.
	s := c.stream
	if s.hasBYOBReader() {
		var filled []*pullIntoDescriptor
		for len(filled) < s.numReadIntoRequests() {
			filled = append(filled, c.shiftPendingPullInto())
		}
		for _, d := range filled {
			c.commitPullIntoDescriptor(d)
		}
	}
}

// respondInReadableState is ReadableByteStreamControllerRespondInReadableState
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-in-readable-state).
func (c *byteController) respondInReadableState(bytesWritten int64, d *pullIntoDescriptor) {
	// Step 2.
	c.fillHeadPullIntoDescriptor(bytesWritten, d)
	// Step 3.
	if d.readerType == readerNone {
		c.enqueueDetachedPullIntoToQueue(d)
		for _, filled := range c.processPullIntoDescriptorsUsingQueue() {
			c.commitPullIntoDescriptor(filled)
		}
		return
	}
	// Step 4.
	if d.bytesFilled < d.minimumFill {
		return
	}
	// Steps 5-7.
	c.shiftPendingPullInto()
	remainderSize := d.bytesFilled % d.elementSize
	if remainderSize > 0 {
		end := d.byteOffset + d.bytesFilled
		c.enqueueClonedChunkToQueue(d.buffer, end-remainderSize, remainderSize)
	}
	// Steps 8-11.
	d.bytesFilled -= remainderSize
	filled := c.processPullIntoDescriptorsUsingQueue()
	c.commitPullIntoDescriptor(d)
	for _, f := range filled {
		c.commitPullIntoDescriptor(f)
	}
}

// respondInternal is ReadableByteStreamControllerRespondInternal
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-internal).
func (c *byteController) respondInternal(bytesWritten int64) {
	// Steps 1-3.
	first := c.pendingPullIntos[0]
	c.invalidateBYOBRequest()
	// Steps 4-6.
	if c.stream.state == rsClosed {
		c.respondInClosedState(first)
	} else {
		c.respondInReadableState(bytesWritten, first)
	}
	// Step 7.
	c.callPullIfNeeded()
}

// respondWithNewView is ReadableByteStreamControllerRespondWithNewView
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-respond-with-new-view).
// It throws.
func (c *byteController) respondWithNewView(view viewSlots) {
	b := c.stream.b
	// Steps 3-4.
	first := c.pendingPullIntos[0]
	// Steps 5-6.
	if c.stream.state == rsClosed {
		if view.byteLength != 0 {
			panic(b.newTypeError("The view's byteLength must be 0 once the stream is closed"))
		}
	} else if view.byteLength == 0 {
		panic(b.newTypeError("The view's byteLength must be greater than 0 while the stream is readable"))
	}
	// Steps 7-9.
	if first.byteOffset+first.bytesFilled != view.byteOffset {
		panic(b.r.NewRangeError("The view's byteOffset does not match the request's"))
	}
	if first.bufferByteLength != b.bufferByteLength(view.buffer) {
		panic(b.r.NewRangeError("The view's buffer does not have the request's byteLength"))
	}
	if first.bytesFilled+view.byteLength > first.byteLength {
		panic(b.r.NewRangeError("The view is larger than the request's"))
	}
	// Steps 10-12.
	viewByteLength := view.byteLength
	first.buffer = b.transferArrayBuffer(view.buffer)
	c.respondInternal(viewByteLength)
}

// cancelSteps is the byte controller's [[CancelSteps]]
// (https://streams.spec.whatwg.org/#rbs-controller-private-cancel).
func (c *byteController) cancelSteps(reason goja.Value) *goja.Object {
	// Steps 1-2.
	c.clearPendingPullIntos()
	c.resetQueue()
	// Step 3.
	result := c.stream.b.perform(c.cancel, reason)
	// Steps 4-5.
	c.clearAlgorithms()
	return result
}

// pullSteps is the byte controller's [[PullSteps]]
// (https://streams.spec.whatwg.org/#rbs-controller-private-pull).
func (c *byteController) pullSteps(req readRequest) {
	s := c.stream
	b := s.b
	// Step 3.
	if c.queueTotalSize > 0 {
		c.fillReadRequestFromQueue(req)
		return
	}
	// Steps 4-5.
	if n := c.autoAllocateChunkSize; n != 0 {
		var buffer *goja.Object
		if ex := b.vm.Try(func() { buffer = b.newArrayBuffer(n) }); ex != nil {
			req.errorSteps(ex.Value())
			return
		}
		c.pendingPullIntos = append(c.pendingPullIntos, &pullIntoDescriptor{
			buffer:           buffer,
			bufferByteLength: n,
			byteLength:       n,
			minimumFill:      1,
			elementSize:      1,
			viewCtor:         "Uint8Array",
			readerType:       readerDefault,
		})
	}
	// Steps 6-7.
	s.addReadRequest(req)
	c.callPullIfNeeded()
}

// releaseSteps is the byte controller's [[ReleaseSteps]]
// (https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontroller-releasesteps).
func (c *byteController) releaseSteps() {
	if len(c.pendingPullIntos) > 0 {
		first := c.pendingPullIntos[0]
		first.readerType = readerNone
		c.pendingPullIntos = []*pullIntoDescriptor{first}
	}
}

// setUp is SetUpReadableByteStreamController
// (https://streams.spec.whatwg.org/#set-up-readable-byte-stream-controller). start
// may throw.
func (c *byteController) setUp(s *readableStream, start func() goja.Value, pull func() *goja.Object, cancel func(goja.Value) *goja.Object, hwm float64, autoAllocateChunkSize int64) {
	b := s.b
	// Steps 3-14.
	c.stream = s
	c.pullAgain, c.pulling = false, false
	c.byobRequest, c.byobRequestObj = nil, nil
	c.resetQueue()
	c.closeRequested, c.started = false, false
	c.hwm = hwm
	c.pull, c.cancel = pull, cancel
	c.autoAllocateChunkSize = autoAllocateChunkSize
	c.pendingPullIntos = nil
	s.byteCtrl = c
	// Steps 15-18.
	b.startPulling(c, &c.started, start)
}

// createReadableByteStream is CreateReadableByteStream
// (https://streams.spec.whatwg.org/#abstract-opdef-createreadablebytestream).
func (b *binding) createReadableByteStream(start func() goja.Value, pull func() *goja.Object, cancel func(goja.Value) *goja.Object) *readableStream {
	s := b.initializeReadableStream()
	c := &byteController{}
	c.setUp(s, start, pull, cancel, 0, 0)
	return s
}
