package streams

import (
	"github.com/dop251/goja"
)

// teeState is the state shared by the algorithms of ReadableStreamDefaultTee
// (https://streams.spec.whatwg.org/#abstract-opdef-readablestreamdefaulttee).
type teeState struct {
	teeCancel
	reader             *defaultReader
	reading, readAgain bool
	branch1, branch2   *readableStream
}

// teeCancel is the state and the cancel algorithms that ReadableStreamDefaultTee
// (steps 14-15) and ReadableByteStreamTee
// (https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamtee, steps 19-20)
// share.
type teeCancel struct {
	b                    *binding
	stream               *readableStream
	canceled1, canceled2 bool
	reason1, reason2     goja.Value
	cancelPromise        *promise
}

// newTeeCancel returns the cancel state of a tee of s, with the cancel promise.
func newTeeCancel(s *readableStream) teeCancel {
	return teeCancel{b: s.b, stream: s, reason1: goja.Undefined(), reason2: goja.Undefined(), cancelPromise: s.b.newPromise()}
}

// defaultTee is ReadableStreamDefaultTee(stream, false): the branches see the same
// chunks. It throws a TypeError when the stream is locked.
func (s *readableStream) defaultTee() (*readableStream, *readableStream) {
	b := s.b
	// Steps 3-12.
	t := &teeState{}
	t.reader = s.acquireDefaultReader()
	t.teeCancel = newTeeCancel(s)
	// Steps 16-18.
	start := func() goja.Value { return goja.Undefined() }
	t.branch1 = b.createReadableStream(start, t.pull, t.cancel1, 1, countOne)
	t.branch2 = b.createReadableStream(start, t.pull, t.cancel2, 1, countOne)
	// Step 19: errors of the source error both branches.
	b.upon(t.reader.closed.obj, nil, func(r goja.Value) {
		t.branch1.ctrl.error(r)
		t.branch2.ctrl.error(r)
		if !t.canceled1 || !t.canceled2 {
			t.cancelPromise.resolve(goja.Undefined())
		}
	})
	// Step 20.
	return t.branch1, t.branch2
}

// pull is the tee's pullAlgorithm (step 13).
func (t *teeState) pull() *goja.Object {
	b := t.b
	// Step 1.
	if t.reading {
		t.readAgain = true
		return b.resolvedPromise(goja.Undefined()).obj
	}
	// Steps 2-4.
	t.reading = true
	t.reader.read(teeReadRequest{t})
	// Step 5.
	return b.resolvedPromise(goja.Undefined()).obj
}

// teeReadRequest is the read request of the tee's pull algorithm.
type teeReadRequest struct{ t *teeState }

func (q teeReadRequest) chunkSteps(chunk goja.Value) {
	t := q.t
	// A microtask, so that an error of the source, seen through the reader's closed
	// promise, errors both branches before a synchronously available chunk arrives.
	t.b.upon(t.b.resolvedPromise(goja.Undefined()).obj, func(goja.Value) {
		t.readAgain = false
		// cloneForBranch2 is false: both branches get chunk.
		if !t.canceled1 {
			t.branch1.ctrl.enqueue(chunk)
		}
		if !t.canceled2 {
			t.branch2.ctrl.enqueue(chunk)
		}
		t.reading = false
		if t.readAgain {
			t.pull()
		}
	}, nil)
}

func (q teeReadRequest) closeSteps() {
	t := q.t
	t.reading = false
	if !t.canceled1 {
		t.branch1.ctrl.close()
	}
	if !t.canceled2 {
		t.branch2.ctrl.close()
	}
	if !t.canceled1 || !t.canceled2 {
		t.cancelPromise.resolve(goja.Undefined())
	}
}

func (q teeReadRequest) errorSteps(goja.Value) { q.t.reading = false }

// cancel1 is the tee's cancel1Algorithm (step 14; step 19 of the byte tee).
func (t *teeCancel) cancel1(reason goja.Value) *goja.Object {
	t.canceled1 = true
	t.reason1 = reason
	if t.canceled2 {
		t.cancelBoth()
	}
	return t.cancelPromise.obj
}

// cancel2 is the tee's cancel2Algorithm (step 15; step 20 of the byte tee).
func (t *teeCancel) cancel2(reason goja.Value) *goja.Object {
	t.canceled2 = true
	t.reason2 = reason
	if t.canceled1 {
		t.cancelBoth()
	}
	return t.cancelPromise.obj
}

// cancelBoth cancels the source with the composite reason « reason1, reason2 ».
func (t *teeCancel) cancelBoth() {
	composite := t.b.vm.NewArray(t.reason1, t.reason2)
	t.cancelPromise.resolve(t.stream.cancel(composite))
}
