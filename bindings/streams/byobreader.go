package streams

import (
	"github.com/dop251/goja"
)

// readIntoRequest is a read-into request
// (https://streams.spec.whatwg.org/#read-into-request): the steps run when a BYOB read
// is filled, when the stream closes (with the view of the returned memory, or
// undefined), or when it errors.
type readIntoRequest interface {
	chunkSteps(chunk goja.Value)
	closeSteps(chunk goja.Value)
	errorSteps(e goja.Value)
}

// byobReader holds the internal slots of a ReadableStreamBYOBReader
// (https://streams.spec.whatwg.org/#byob-reader-internal-slots).
type byobReader struct {
	genericReader
	requests []readIntoRequest // [[readIntoRequests]]
}

// acquireBYOBReader is AcquireReadableStreamBYOBReader
// (https://streams.spec.whatwg.org/#acquire-readable-stream-byob-reader). It throws.
func (s *readableStream) acquireBYOBReader() *byobReader {
	r := &byobReader{}
	r.setUp(s)
	return r
}

// addReadIntoRequest is ReadableStreamAddReadIntoRequest
// (https://streams.spec.whatwg.org/#readable-stream-add-read-into-request).
func (s *readableStream) addReadIntoRequest(req readIntoRequest) {
	s.byob.requests = append(s.byob.requests, req)
}

// fulfillReadIntoRequest is ReadableStreamFulfillReadIntoRequest
// (https://streams.spec.whatwg.org/#readable-stream-fulfill-read-into-request).
func (s *readableStream) fulfillReadIntoRequest(chunk goja.Value, done bool) {
	r := s.byob
	// Steps 4-5.
	req := r.requests[0]
	r.requests[0] = nil
	r.requests = r.requests[1:]
	// Steps 6-7.
	if done {
		req.closeSteps(chunk)
	} else {
		req.chunkSteps(chunk)
	}
}

// numReadIntoRequests is ReadableStreamGetNumReadIntoRequests
// (https://streams.spec.whatwg.org/#readable-stream-get-num-read-into-requests).
func (s *readableStream) numReadIntoRequests() int { return len(s.byob.requests) }

// errorReadIntoRequests is ReadableStreamBYOBReaderErrorReadIntoRequests
// (https://streams.spec.whatwg.org/#abstract-opdef-readablestreambyobreadererrorreadintorequests).
func (r *byobReader) errorReadIntoRequests(e goja.Value) {
	reqs := r.requests
	r.requests = nil
	for _, req := range reqs {
		req.errorSteps(e)
	}
}

// read is ReadableStreamBYOBReaderRead
// (https://streams.spec.whatwg.org/#readable-stream-byob-reader-read).
func (r *byobReader) read(view viewSlots, minimum int64, req readIntoRequest) {
	s := r.stream
	// Step 3.
	s.disturbed = true
	// Steps 4-5.
	if s.state == rsErrored {
		req.errorSteps(s.storedError)
		return
	}
	s.byteCtrl.pullInto(view, minimum, req)
}

// release is ReadableStreamBYOBReaderRelease
// (https://streams.spec.whatwg.org/#abstract-opdef-readablestreambyobreaderrelease).
func (r *byobReader) release() {
	b := r.stream.b
	// Step 1.
	r.genericRelease()
	// Steps 2-3.
	r.errorReadIntoRequests(b.newTypeError("Releasing the reader: pending reads are rejected"))
}

// setUp is SetUpReadableStreamBYOBReader
// (https://streams.spec.whatwg.org/#set-up-readable-stream-byob-reader).
func (r *byobReader) setUp(s *readableStream) {
	// Steps 1-2.
	if s.locked() {
		panic(s.b.newTypeError("ReadableStream is locked to a reader"))
	}
	if s.byteCtrl == nil {
		panic(s.b.newTypeError("Cannot use a BYOB reader with a stream that is not a readable byte stream"))
	}
	// Steps 3-4.
	r.genericInitialize(s)
	s.byob = r
	r.requests = nil
}
