package streams

import (
	"github.com/dop251/goja"
)

// byteQueueEntry is a readable byte stream queue entry
// (https://streams.spec.whatwg.org/#readable-byte-stream-queue-entry).
type byteQueueEntry struct {
	buffer     *goja.Object
	byteOffset int64
	byteLength int64
}

// readerType is a pull-into descriptor's reader type.
type readerType uint8

const (
	readerDefault readerType = iota
	readerBYOB
	readerNone
)

// pullIntoDescriptor is a pull-into descriptor
// (https://streams.spec.whatwg.org/#pull-into-descriptor).
type pullIntoDescriptor struct {
	buffer           *goja.Object
	bufferByteLength int64
	byteOffset       int64
	byteLength       int64
	bytesFilled      int64
	minimumFill      int64
	elementSize      int64
	viewCtor         string // "DataView" or a [[TypedArrayName]]
	readerType       readerType
}

// byobRequest holds the internal slots of a ReadableStreamBYOBRequest
// (https://streams.spec.whatwg.org/#rs-byob-request-internal-slots).
type byobRequest struct {
	controller *byteController // [[controller]]; nil is undefined
	view       *goja.Object    // [[view]]; nil is null
}

// byteController holds the internal slots of a ReadableByteStreamController
// (https://streams.spec.whatwg.org/#rbs-controller-internal-slots). The algorithms
// are nil once cleared.
type byteController struct {
	stream                *readableStream
	autoAllocateChunkSize int64        // [[autoAllocateChunkSize]]; 0 is undefined
	byobRequest           *byobRequest // [[byobRequest]]; nil is null
	byobRequestObj        *goja.Object // its JavaScript object
	cancel                func(reason goja.Value) *goja.Object
	pull                  func() *goja.Object
	closeRequested        bool
	started               bool
	pendingPullIntos      []*pullIntoDescriptor
	queue                 []*byteQueueEntry
	queueTotalSize        int64
	hwm                   float64
	pullSlots
}

// Byte stream controllers
// (https://streams.spec.whatwg.org/#rbs-controller-abstract-ops).

// callPullIfNeeded is ReadableByteStreamControllerCallPullIfNeeded
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-call-pull-if-needed).
func (c *byteController) callPullIfNeeded() {
	// Steps 1-2.
	if !c.shouldCallPull() {
		return
	}
	// Steps 3-8.
	c.callPull(c.stream.b, c.pull, c.callPullIfNeeded, c.error)
}

// clearAlgorithms is ReadableByteStreamControllerClearAlgorithms
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-clear-algorithms).
func (c *byteController) clearAlgorithms() {
	c.pull = nil
	c.cancel = nil
}

// clearPendingPullIntos is ReadableByteStreamControllerClearPendingPullIntos
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-clear-pending-pull-intos).
func (c *byteController) clearPendingPullIntos() {
	c.invalidateBYOBRequest()
	c.pendingPullIntos = nil
}

// close is ReadableByteStreamControllerClose
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-close). It throws
// a TypeError when a BYOB read holds part of an element.
func (c *byteController) close() {
	s := c.stream
	// Step 2.
	if c.closeRequested || s.state != rsReadable {
		return
	}
	// Step 3.
	if c.queueTotalSize > 0 {
		c.closeRequested = true
		return
	}
	// Step 4.
	if len(c.pendingPullIntos) > 0 {
		first := c.pendingPullIntos[0]
		if first.bytesFilled%first.elementSize != 0 {
			e := s.b.newTypeError("Cannot close a stream whose pending read holds part of an element")
			c.error(e)
			panic(e)
		}
	}
	// Steps 5-6.
	c.clearAlgorithms()
	s.close()
}

// commitPullIntoDescriptor is ReadableByteStreamControllerCommitPullIntoDescriptor
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-commit-pull-into-descriptor).
func (c *byteController) commitPullIntoDescriptor(d *pullIntoDescriptor) {
	s := c.stream
	// Steps 3-4.
	done := s.state == rsClosed
	// Step 5.
	filledView := c.convertPullIntoDescriptor(d)
	// Steps 6-7.
	if d.readerType == readerDefault {
		s.fulfillReadRequest(filledView, done)
	} else {
		s.fulfillReadIntoRequest(filledView, done)
	}
}

// convertPullIntoDescriptor is ReadableByteStreamControllerConvertPullIntoDescriptor
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-convert-pull-into-descriptor).
func (c *byteController) convertPullIntoDescriptor(d *pullIntoDescriptor) *goja.Object {
	b := c.stream.b
	// Steps 5-6.
	buffer := b.transferArrayBuffer(d.buffer)
	return b.newView(d.viewCtor, buffer, d.byteOffset, d.bytesFilled/d.elementSize)
}

// enqueue is ReadableByteStreamControllerEnqueue
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-enqueue). It
// throws.
func (c *byteController) enqueue(chunk viewSlots) {
	s := c.stream
	b := s.b
	// Step 2.
	if c.closeRequested || s.state != rsReadable {
		return
	}
	// Steps 3-6.
	buffer, byteOffset, byteLength := chunk.buffer, chunk.byteOffset, chunk.byteLength
	if isDetached(buffer) {
		panic(b.newTypeError("The chunk's buffer is detached"))
	}
	// Step 7.
	transferredBuffer := b.transferArrayBuffer(buffer)
	// Step 8.
	if len(c.pendingPullIntos) > 0 {
		first := c.pendingPullIntos[0]
		if isDetached(first.buffer) {
			panic(b.newTypeError("The buffer of the pending read is detached"))
		}
		c.invalidateBYOBRequest()
		first.buffer = b.transferArrayBuffer(first.buffer)
		if first.readerType == readerNone {
			c.enqueueDetachedPullIntoToQueue(first)
		}
	}
	switch {
	case s.hasDefaultReader():
		// Step 9.
		c.processReadRequestsUsingQueue()
		if s.numReadRequests() == 0 {
			c.enqueueChunkToQueue(transferredBuffer, byteOffset, byteLength)
		} else {
			if len(c.pendingPullIntos) > 0 {
				c.shiftPendingPullInto()
			}
			transferredView := b.newView("Uint8Array", transferredBuffer, byteOffset, byteLength)
			s.fulfillReadRequest(transferredView, false)
		}
	case s.hasBYOBReader():
		// Step 10.
		c.enqueueChunkToQueue(transferredBuffer, byteOffset, byteLength)
		for _, filled := range c.processPullIntoDescriptorsUsingQueue() {
			c.commitPullIntoDescriptor(filled)
		}
	default:
		// Step 11.
		c.enqueueChunkToQueue(transferredBuffer, byteOffset, byteLength)
	}
	// Step 12.
	c.callPullIfNeeded()
}

// enqueueChunkToQueue is ReadableByteStreamControllerEnqueueChunkToQueue
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-enqueue-chunk-to-queue).
func (c *byteController) enqueueChunkToQueue(buffer *goja.Object, byteOffset, byteLength int64) {
	c.queue = append(c.queue, &byteQueueEntry{buffer: buffer, byteOffset: byteOffset, byteLength: byteLength})
	c.queueTotalSize += byteLength
}

// enqueueClonedChunkToQueue is ReadableByteStreamControllerEnqueueClonedChunkToQueue
// (https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollerenqueueclonedchunktoqueue).
// A failed clone errors the stream and is thrown.
func (c *byteController) enqueueClonedChunkToQueue(buffer *goja.Object, byteOffset, byteLength int64) {
	b := c.stream.b
	// Steps 1-2.
	var clone *goja.Object
	if ex := b.vm.Try(func() { clone = b.cloneArrayBuffer(buffer, byteOffset, byteLength) }); ex != nil {
		c.error(ex.Value())
		panic(ex)
	}
	// Step 3.
	c.enqueueChunkToQueue(clone, 0, byteLength)
}

// enqueueDetachedPullIntoToQueue is
// ReadableByteStreamControllerEnqueueDetachedPullIntoToQueue
// (https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollerenqueuedetachedpullintotoqueue).
func (c *byteController) enqueueDetachedPullIntoToQueue(d *pullIntoDescriptor) {
	// Step 2.
	if d.bytesFilled > 0 {
		c.enqueueClonedChunkToQueue(d.buffer, d.byteOffset, d.bytesFilled)
	}
	// Step 3.
	c.shiftPendingPullInto()
}

// error is ReadableByteStreamControllerError
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-error).
func (c *byteController) error(e goja.Value) {
	s := c.stream
	// Step 2.
	if s.state != rsReadable {
		return
	}
	// Steps 3-6.
	c.clearPendingPullIntos()
	c.resetQueue()
	c.clearAlgorithms()
	s.error(e)
}

// resetQueue is ResetQueue (https://streams.spec.whatwg.org/#reset-queue) for the
// byte queue.
func (c *byteController) resetQueue() {
	c.queue = nil
	c.queueTotalSize = 0
}

// fillHeadPullIntoDescriptor is ReadableByteStreamControllerFillHeadPullIntoDescriptor
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-fill-head-pull-into-descriptor).
func (c *byteController) fillHeadPullIntoDescriptor(size int64, d *pullIntoDescriptor) {
	// Step 3.
	d.bytesFilled += size
}

// fillPullIntoDescriptorFromQueue is
// ReadableByteStreamControllerFillPullIntoDescriptorFromQueue
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-fill-pull-into-descriptor-from-queue).
func (c *byteController) fillPullIntoDescriptorFromQueue(d *pullIntoDescriptor) bool {
	b := c.stream.b
	// Steps 1-4.
	maxBytesToCopy := min(c.queueTotalSize, d.byteLength-d.bytesFilled)
	maxBytesFilled := d.bytesFilled + maxBytesToCopy
	totalBytesToCopyRemaining := maxBytesToCopy
	ready := false
	// Steps 7-9.
	remainderBytes := maxBytesFilled % d.elementSize
	maxAlignedBytes := maxBytesFilled - remainderBytes
	if maxAlignedBytes >= d.minimumFill {
		totalBytesToCopyRemaining = maxAlignedBytes - d.bytesFilled
		ready = true
	}
	// Steps 10-11.
	for totalBytesToCopyRemaining > 0 {
		head := c.queue[0]
		bytesToCopy := min(totalBytesToCopyRemaining, head.byteLength)
		destStart := d.byteOffset + d.bytesFilled
		b.copyDataBlockBytes(d.buffer, destStart, head.buffer, head.byteOffset, bytesToCopy)
		if head.byteLength == bytesToCopy {
			c.queue[0] = nil
			c.queue = c.queue[1:]
		} else {
			head.byteOffset += bytesToCopy
			head.byteLength -= bytesToCopy
		}
		c.queueTotalSize -= bytesToCopy
		c.fillHeadPullIntoDescriptor(bytesToCopy, d)
		totalBytesToCopyRemaining -= bytesToCopy
	}
	// Steps 12-13.
	return ready
}

// fillReadRequestFromQueue is ReadableByteStreamControllerFillReadRequestFromQueue
// (https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollerfillreadrequestfromqueue).
func (c *byteController) fillReadRequestFromQueue(req readRequest) {
	// Steps 2-4.
	entry := c.queue[0]
	c.queue[0] = nil
	c.queue = c.queue[1:]
	c.queueTotalSize -= entry.byteLength
	// Step 5.
	c.handleQueueDrain()
	// Steps 6-7.
	view := c.stream.b.newView("Uint8Array", entry.buffer, entry.byteOffset, entry.byteLength)
	req.chunkSteps(view)
}

// getBYOBRequest is ReadableByteStreamControllerGetBYOBRequest
// (https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollergetbyobrequest):
// the request's object, or nil for null.
func (c *byteController) getBYOBRequest() *goja.Object {
	// Step 1.
	if c.byobRequest == nil && len(c.pendingPullIntos) > 0 {
		b := c.stream.b
		first := c.pendingPullIntos[0]
		view := b.newView("Uint8Array", first.buffer, first.byteOffset+first.bytesFilled, first.byteLength-first.bytesFilled)
		req := &byobRequest{controller: c, view: view}
		c.byobRequest = req
		c.byobRequestObj = b.r.New("ReadableStreamBYOBRequest", req)
	}
	// Step 2.
	if c.byobRequest == nil {
		return nil
	}
	return c.byobRequestObj
}

// desiredSize is ReadableByteStreamControllerGetDesiredSize
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-get-desired-size);
// ok is false for null.
func (c *byteController) desiredSize() (size float64, ok bool) {
	switch c.stream.state {
	case rsErrored:
		return 0, false
	case rsClosed:
		return 0, true
	}
	return c.hwm - float64(c.queueTotalSize), true
}

// handleQueueDrain is ReadableByteStreamControllerHandleQueueDrain
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-handle-queue-drain).
func (c *byteController) handleQueueDrain() {
	if c.queueTotalSize == 0 && c.closeRequested {
		c.clearAlgorithms()
		c.stream.close()
	} else {
		c.callPullIfNeeded()
	}
}

// invalidateBYOBRequest is ReadableByteStreamControllerInvalidateBYOBRequest
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-invalidate-byob-request).
func (c *byteController) invalidateBYOBRequest() {
	if c.byobRequest == nil {
		return
	}
	c.byobRequest.controller = nil
	c.byobRequest.view = nil
	c.byobRequest = nil
	c.byobRequestObj = nil
}

// processPullIntoDescriptorsUsingQueue is
// ReadableByteStreamControllerProcessPullIntoDescriptorsUsingQueue
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-process-pull-into-descriptors-using-queue).
func (c *byteController) processPullIntoDescriptorsUsingQueue() []*pullIntoDescriptor {
	var filled []*pullIntoDescriptor
	for len(c.pendingPullIntos) > 0 {
		if c.queueTotalSize == 0 {
			break
		}
		d := c.pendingPullIntos[0]
		if c.fillPullIntoDescriptorFromQueue(d) {
			c.shiftPendingPullInto()
			filled = append(filled, d)
		}
	}
	return filled
}

// processReadRequestsUsingQueue is
// ReadableByteStreamControllerProcessReadRequestsUsingQueue
// (https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamcontrollerprocessreadrequestsusingqueue).
func (c *byteController) processReadRequestsUsingQueue() {
	r := c.stream.reader
	for len(r.requests) > 0 {
		if c.queueTotalSize == 0 {
			return
		}
		req := r.requests[0]
		r.requests[0] = nil
		r.requests = r.requests[1:]
		c.fillReadRequestFromQueue(req)
	}
}

// shiftPendingPullInto is ReadableByteStreamControllerShiftPendingPullInto
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-shift-pending-pull-into).
func (c *byteController) shiftPendingPullInto() *pullIntoDescriptor {
	d := c.pendingPullIntos[0]
	c.pendingPullIntos[0] = nil
	c.pendingPullIntos = c.pendingPullIntos[1:]
	return d
}

// shouldCallPull is ReadableByteStreamControllerShouldCallPull
// (https://streams.spec.whatwg.org/#readable-byte-stream-controller-should-call-pull).
func (c *byteController) shouldCallPull() bool {
	s := c.stream
	// Steps 2-4.
	if s.state != rsReadable || c.closeRequested || !c.started {
		return false
	}
	// Steps 5-6.
	if s.hasDefaultReader() && s.numReadRequests() > 0 {
		return true
	}
	if s.hasBYOBReader() && s.numReadIntoRequests() > 0 {
		return true
	}
	// Steps 7-10.
	d, _ := c.desiredSize()
	return d > 0
}
